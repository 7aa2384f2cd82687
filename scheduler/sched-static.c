/* sched-static.c — static files with gzip, validators and cache policy;
 * see sched-static.h. Main thread only (libsoup handlers). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-static.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

/* Smaller answers gain nothing worth a Content-Encoding. */
#define STATIC_GZIP_MIN_BYTES 512
#define STATIC_IMMUTABLE_CACHE "public, max-age=31536000, immutable"

typedef struct
{
  gint64 mtime; /* seconds; 0 for bytes made by the server */
  goffset size;
  GBytes *plain;
  GBytes *gzip; /* NULL when compression does not help or the type is binary */
  gchar *etag;  /* "\"<sha256 prefix>\"" of the plain bytes */
  gchar *etag_gzip;
  gchar *last_modified; /* HTTP date, NULL for bytes made by the server */
  const gchar *content_type;
} StaticEntry;

struct _SchedStatic
{
  GHashTable *entries; /* path or key → StaticEntry */
};

static void
static_entry_free (StaticEntry *e)
{
  if (e == NULL)
    return;
  g_clear_pointer (&e->plain, g_bytes_unref);
  g_clear_pointer (&e->gzip, g_bytes_unref);
  g_free (e->etag);
  g_free (e->etag_gzip);
  g_free (e->last_modified);
  g_free (e);
}

SchedStatic *
sched_static_new (void)
{
  SchedStatic *cache = g_new0 (SchedStatic, 1);

  cache->entries
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)static_entry_free);
  return cache;
}

void
sched_static_free (SchedStatic *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_destroy (cache->entries);
  g_free (cache);
}

const gchar *
sched_static_content_type (const gchar *path)
{
  static const struct
  {
    const gchar *ext;
    const gchar *type;
  } types[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".mjs", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".json", "application/json" },
    { ".map", "application/json" },
    { ".ico", "image/x-icon" },
    { ".woff2", "font/woff2" },
    { ".txt", "text/plain; charset=utf-8" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (path, types[i].ext))
      return types[i].type;
  return "application/octet-stream";
}

static gboolean
static_type_compresses (const gchar *content_type)
{
  return g_str_has_prefix (content_type, "text/")
         || g_str_has_prefix (content_type, "application/json")
         || g_str_has_prefix (content_type, "image/svg");
}

/* The gzip form of @plain, or NULL when it is not smaller. */
static GBytes *
static_gzip (GBytes *plain)
{
  g_autoptr (GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr (GInputStream) source = g_memory_input_stream_new_from_bytes (plain);
  g_autoptr (GInputStream) gz = g_converter_input_stream_new (source, G_CONVERTER (zlib));
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) packed = NULL;

  if (g_output_stream_splice (
          out, gz, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
          &error)
      < 0)
    {
      g_warning ("gzip of a static file failed: %s", error->message);
      return NULL;
    }
  packed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  if (g_bytes_get_size (packed) >= g_bytes_get_size (plain))
    return NULL;
  return g_steal_pointer (&packed);
}

static StaticEntry *
static_entry_new (GBytes *plain, const gchar *content_type, gint64 mtime, goffset size)
{
  StaticEntry *e = g_new0 (StaticEntry, 1);
  g_autofree gchar *sum
      = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, plain); /* 64 hex digits */

  e->plain = g_bytes_ref (plain);
  e->mtime = mtime;
  e->size = size;
  e->content_type = content_type;
  e->etag = g_strdup_printf ("\"%.32s\"", sum);
  if (static_type_compresses (content_type) && g_bytes_get_size (plain) >= STATIC_GZIP_MIN_BYTES)
    e->gzip = static_gzip (plain);
  if (e->gzip)
    e->etag_gzip = g_strdup_printf ("\"%.32s-gz\"", sum);
  if (mtime > 0)
    {
      g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (mtime);
      e->last_modified = soup_date_time_to_string (dt, SOUP_DATE_HTTP);
    }
  return e;
}

/* The cached entry of @file, read again when its size or time changed. */
static StaticEntry *
static_entry_for_file (SchedStatic *cache, const gchar *file)
{
  struct stat st;
  StaticEntry *e;
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GBytes) bytes = NULL;

  if (g_stat (file, &st) != 0 || !S_ISREG (st.st_mode))
    return NULL;
  e = g_hash_table_lookup (cache->entries, file);
  if (e && e->mtime == (gint64)st.st_mtime && e->size == (goffset)st.st_size)
    return e;
  mapped = g_mapped_file_new (file, FALSE, NULL);
  if (mapped == NULL)
    return NULL;
  /* A copy: the mapping would see later writes to the file. */
  bytes = g_bytes_new (g_mapped_file_get_contents (mapped), g_mapped_file_get_length (mapped));
  e = static_entry_new (bytes, sched_static_content_type (file), (gint64)st.st_mtime,
                        (goffset)st.st_size);
  g_hash_table_replace (cache->entries, g_strdup (file), e);
  return e;
}

static gboolean
static_accepts_gzip (SoupMessageHeaders *request)
{
  const gchar *accept = soup_message_headers_get_list (request, "Accept-Encoding");
  GSList *unacceptable = NULL;
  GSList *acceptable;
  gboolean gzip = FALSE;

  if (accept == NULL)
    return FALSE;
  acceptable = soup_header_parse_quality_list (accept, &unacceptable);
  for (GSList *l = acceptable; l; l = l->next)
    if (g_ascii_strcasecmp (l->data, "gzip") == 0)
      gzip = TRUE;
  for (GSList *l = unacceptable; l; l = l->next)
    if (g_ascii_strcasecmp (l->data, "gzip") == 0)
      gzip = FALSE;
  soup_header_free_list (acceptable);
  soup_header_free_list (unacceptable);
  return gzip;
}

/* Whether If-None-Match names @etag (or "*"); weak forms compare equal. */
static gboolean
static_etag_matches (const gchar *if_none_match, const gchar *etag)
{
  g_auto (GStrv) tags = g_strsplit (if_none_match, ",", -1);

  for (gsize i = 0; tags[i]; i++)
    {
      const gchar *tag = g_strstrip (tags[i]);
      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }
  return FALSE;
}

/* RFC 9110 §13.1: If-None-Match wins; If-Modified-Since only without it. */
static gboolean
static_not_modified (SoupMessageHeaders *request, const StaticEntry *e, const gchar *etag)
{
  const gchar *inm = soup_message_headers_get_list (request, "If-None-Match");
  const gchar *ims = soup_message_headers_get_one (request, "If-Modified-Since");

  if (inm)
    return static_etag_matches (inm, etag);
  if (ims && e->mtime > 0)
    {
      g_autoptr (GDateTime) since = soup_date_time_new_from_http_string (ims);
      return since && g_date_time_to_unix (since) >= e->mtime;
    }
  return FALSE;
}

static void
static_reply_entry (SoupServerMessage *msg, const StaticEntry *e, SchedStaticPolicy policy)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  gboolean gzip = e->gzip != NULL && static_accepts_gzip (request);
  const gchar *etag = gzip ? e->etag_gzip : e->etag;
  GBytes *body = gzip ? e->gzip : e->plain;

  soup_message_headers_replace (response, "Cache-Control",
                                policy == SCHED_STATIC_IMMUTABLE ? STATIC_IMMUTABLE_CACHE
                                                                 : "no-cache");
  soup_message_headers_replace (response, "ETag", etag);
  if (e->last_modified)
    soup_message_headers_replace (response, "Last-Modified", e->last_modified);
  if (e->gzip)
    soup_message_headers_replace (response, "Vary", "Accept-Encoding");
  if (static_not_modified (request, e, etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  if (gzip)
    soup_message_headers_replace (response, "Content-Encoding", "gzip");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, e->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

gboolean
sched_static_reply_file (SchedStatic *cache, SoupServerMessage *msg, const gchar *file,
                         SchedStaticPolicy policy)
{
  StaticEntry *e = static_entry_for_file (cache, file);

  if (e == NULL)
    return FALSE;
  static_reply_entry (msg, e, policy);
  return TRUE;
}

void
sched_static_reply_bytes (SchedStatic *cache, SoupServerMessage *msg, const gchar *key,
                          const gchar *content_type, GBytes *bytes)
{
  StaticEntry *e = g_hash_table_lookup (cache->entries, key);

  if (e == NULL || !g_bytes_equal (e->plain, bytes))
    {
      e = static_entry_new (bytes, content_type, 0, (goffset)g_bytes_get_size (bytes));
      g_hash_table_replace (cache->entries, g_strdup (key), e);
    }
  static_reply_entry (msg, e, SCHED_STATIC_REVALIDATE);
}
