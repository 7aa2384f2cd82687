/* sched-static.h — the web UI's files as HTTP answers: gzip when the
 * client takes it, an ETag (SHA-256 of the bytes) and Last-Modified with
 * conditional requests answered 304, and the cache policy of each kind of
 * file (the UI's own files revalidated on every use, versioned vendor files
 * kept for a year). Files are read once and kept, with their compressed
 * copy, until their size or modification time changes on disk.
 *
 * Used by sched-api-service.c, which decides which paths map to which
 * files (its allow-list of vendor files and the dot-file rules). */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SchedStatic SchedStatic;

typedef enum
{
  SCHED_STATIC_REVALIDATE, /* Cache-Control: no-cache (the UI's own files) */
  SCHED_STATIC_IMMUTABLE,  /* public, max-age=31536000, immutable (versioned) */
} SchedStaticPolicy;

SchedStatic *sched_static_new (void);
void sched_static_free (SchedStatic *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedStatic, sched_static_free)

/* Answers @msg (GET or HEAD) with the regular file @file: 200 with the
 * bytes (gzip-encoded when the request accepts gzip and it helps), or 304
 * when If-None-Match / If-Modified-Since still match. FALSE (nothing
 * answered) when @file cannot be read. */
gboolean sched_static_reply_file (SchedStatic *cache, SoupServerMessage *msg, const gchar *file,
                                  SchedStaticPolicy policy);

/* Answers @msg with @bytes made by the server (not a file), with the same
 * ETag/gzip/304 handling and SCHED_STATIC_REVALIDATE. */
void sched_static_reply_bytes (SchedStatic *cache, SoupServerMessage *msg, const gchar *key,
                               const gchar *content_type, GBytes *bytes);

/* "text/javascript; charset=utf-8" and the like, from the file's name. */
const gchar *sched_static_content_type (const gchar *path);

G_END_DECLS
