/* fuzz-booking.c — libFuzzer target for the booking core's untrusted JSON
 * (docs/hacking.md, "Fuzzing"): each input, when it parses as a JSON object and
 * passes the raw-text check every request body gets (sched_json_text_check,
 * after which every string must be valid UTF-8), is fed to the booking
 * request (POST /api/v1/meetings), the attendance batch and the history
 * import, as an admin, on one database kept for the whole run.
 * Replayed over corpus/booking by tests/fuzz/fuzz-replay.c with gcc. */
#include "sched-attendance.h"
#include "sched-booking.h"
#include "sched-error.h"
#include "sched-history.h"
#include "sched-json-text.h"
#include "sched-server.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

static SchedServer *server;
static SchedContext *ctx;

static gint64
fuzz_now (void)
{
  return 1767571200; /* 2026-01-05T00:00:00Z */
}

static gchar *fuzz_dir;

/* at exit: the database and its WAL files, then the folder */
static void
fuzz_remove_dir (void)
{
  g_autoptr (GDir) d = g_dir_open (fuzz_dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *p = g_build_filename (fuzz_dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (fuzz_dir);
}

static void
fuzz_init (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("fuzz-booking-XXXXXX", &error);
  g_autofree gchar *db = NULL;
  SchedSettings *settings;

  g_assert_no_error (error);
  fuzz_dir = g_strdup (dir);
  atexit (fuzz_remove_dir);
  db = g_build_filename (dir, "fuzz.db", NULL);
  settings = sched_settings_load (NULL, db, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  /* No fsync per input: the fuzzer needs speed, not durability. */
  ctx = sched_server_context_new (settings, &error);
  g_assert_no_error (error);
  g_assert_true (sched_db_exec (ctx->db, "PRAGMA synchronous = OFF", &error));
  server = sched_server_new (ctx, &error);
  g_assert_no_error (error);
  sched_server_get_core (server)->now = fuzz_now;
}

/* What sched_json_text_check() promises: no string json-glib made of the
 * text is invalid UTF-8. */
static void
fuzz_assert_strings_valid (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const gchar *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_assert_true (g_utf8_validate (name, -1, NULL));
          fuzz_assert_strings_valid (member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        fuzz_assert_strings_valid (json_array_get_element (a, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SchedPrincipal admin = { .role = SCHED_ROLE_ADMIN, .name = (gchar *)"fuzz" };
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  SchedCore *core;
  JsonObject *o;

  if (server == NULL)
    fuzz_init ();
  core = sched_server_get_core (server);
  if (size > 65536 || !g_utf8_validate ((const gchar *)data, (gssize)size, NULL)
      || !json_parser_load_from_data (parser, (const gchar *)data, (gssize)size, NULL)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return 0;
  {
    g_autoptr (GError) error = NULL;
    if (!sched_json_text_check ((const gchar *)data, size, &error))
      {
        g_assert_error (error, SCHED_ERROR, SCHED_ERROR_INVALID);
        return 0;
      }
  }
  fuzz_assert_strings_valid (json_parser_get_root (parser));
  o = json_node_get_object (json_parser_get_root (parser));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) extra = NULL;
    g_autoptr (JsonNode) reply = sched_booking_create (core, &admin, o, &extra, &error);
    g_assert_true ((reply == NULL) == (error != NULL));
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonArray) rejected = json_array_new ();
    gint64 accepted = 0, duplicates = 0;
    sched_attendance_ingest (core, &admin, o, &accepted, &duplicates, rejected, &error);
  }
  {
    g_autoptr (GError) error = NULL;
    gint64 imported = 0;
    sched_history_import (core, "fuzz", o, &imported, &error);
  }
  /* Whatever happened, no transaction may be left open. */
  g_assert_true (sqlite3_get_autocommit (sched_db_handle (ctx->db)));
  return 0;
}
