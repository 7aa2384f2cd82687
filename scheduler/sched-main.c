/* sched-main.c — vc-scheduler: options, configuration, signals, the loop
 * and exit codes. Everything else is in libvc-sched.
 *
 *   vc-scheduler [--config FILE] [--db PATH] [--listen HOST:PORT]
 *   vc-scheduler ... token create --role ROLE [--unit CODE] [--endpoint CODE] --name TEXT
 *   vc-scheduler ... token list
 *   vc-scheduler ... token revoke ID
 *   vc-scheduler ... import-history FILE.json
 *   vc-scheduler ... reorg preview|apply FILE.json
 *   vc-scheduler ... uplink set MEETING SIGNAL_URL TOKEN_FILE
 *                    link a meeting's room into a central conference
 *   vc-scheduler ... uplink clear MEETING
 *   vc-scheduler ... backup FILE     a copy of the database, while it runs
 *   vc-scheduler ... restore FILE    put a copy back (the service stopped)
 *
 * Installed (not run from the build tree: common/vc-paths.h), with no
 * --config it reads <sysconfdir>/vc-province/scheduler.ini when that exists,
 * so that the operator's commands find the service's database. Before a
 * start migrates an older schema, a copy of the database is saved beside it
 * (sched-db-backup.h).
 *
 * Exit codes: 0 clean stop, 64 bad usage, 78 bad configuration (the message
 * names file, group and key), 1 any other failure. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "agents/sched-agents.h"
#include "reports/sched-reports.h"
#include "common/vc-paths.h"
#include "common/vc-time.h"
#include "sched-auth.h"
#include "sched-db-backup.h"
#include "sched-error.h"
#include "sched-history.h"
#include "sched-reorg.h"
#include "sched-server.h"
#include "sched-tokens.h"
#include "sched-uplink.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#define EXIT_USAGE 64

typedef struct
{
  gchar *config;
  gchar *db;
  gchar *listen;
  gchar *role;
  gchar *unit;
  gchar *endpoint;
  gchar *name;
} MainOptions;

static void
main_options_clear (MainOptions *o)
{
  g_free (o->config);
  g_free (o->db);
  g_free (o->listen);
  g_free (o->role);
  g_free (o->unit);
  g_free (o->endpoint);
  g_free (o->name);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MainOptions, main_options_clear)

static int
main_exit_code (const GError *error)
{
  return error->domain == VC_CONFIG_ERROR ? VC_EXIT_CONFIG : 1;
}

static gboolean
on_signal_quit (gpointer user_data)
{
  g_message ("stopping");
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
main_serve (SchedContext *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedServer) server = sched_server_new (ctx, &error);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree gchar *url = NULL;
  guint sigint, sigterm;

  if (server == NULL)
    {
      g_printerr ("vc-scheduler: %s\n", error->message);
      return main_exit_code (error);
    }
  /* Before the URL is printed: whoever reads it may signal us at once. */
  sigint = g_unix_signal_add (SIGINT, on_signal_quit, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal_quit, loop);
  sched_reports_register (ctx, sched_server_get_soup_server (server));
  sched_agents_register (ctx, sched_server_get_soup_server (server));
  if (!sched_server_listen (server, &error))
    {
      g_printerr ("vc-scheduler: cannot listen on %s:%u: %s\n", ctx->settings->listen_host,
                  ctx->settings->listen_port, error->message);
      sched_agents_unregister (ctx);
      g_source_remove (sigint);
      g_source_remove (sigterm);
      return 1;
    }
  url = sched_server_get_url (server);
  g_print ("vc-scheduler listening on %s\n", url);
  fflush (stdout);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  sched_agents_unregister (ctx);
  return 0;
}

static int
main_token_create (SchedContext *ctx, const MainOptions *o)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *token = NULL;
  SchedRole role;

  if (o->role == NULL || !sched_role_from_string (o->role, &role) || o->name == NULL)
    {
      g_printerr ("vc-scheduler: token create needs --role admin|secretariat|manager|endpoint "
                  "and --name TEXT\n");
      return EXIT_USAGE;
    }
  token = sched_auth_create_token (ctx->db, role, o->unit, o->endpoint, o->name, &error);
  if (token == NULL)
    {
      g_printerr ("vc-scheduler: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", token);
  return 0;
}

/* One line per token, tab-separated, never its secret (only a hash is
 * stored): ID ROLE UNIT-OR-ROOM NAME CREATED STATUS. */
static int
main_token_list (SchedContext *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tokens = sched_token_list (ctx->db, &error);

  if (tokens == NULL)
    {
      g_printerr ("vc-scheduler: %s\n", error->message);
      return 1;
    }
  g_print ("id\trole\tscope\tname\tcreated\tstatus\n");
  for (guint i = 0; i < tokens->len; i++)
    {
      const SchedToken *t = tokens->pdata[i];
      g_autofree gchar *created = vc_time_format_utc (t->created_at);
      const gchar *scope = t->unit ? t->unit : (t->endpoint ? t->endpoint : "-");

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", t->id, sched_role_to_string (t->role),
               scope, t->name, created, t->revoked ? "revoked" : "active");
    }
  return 0;
}

/* Revokes a token; a scheduler running on the same database closes the
 * agent channels opened with it within about a second. */
static int
main_token_revoke (SchedContext *ctx, const gchar *id_text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedToken) token = NULL;
  g_autofree gchar *actor = g_strconcat ("cli:", g_get_user_name (), NULL);
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_printerr ("vc-scheduler: token revoke needs a token id (see token list)\n");
      return EXIT_USAGE;
    }
  token = sched_tokens_revoke (ctx, (gint64)id, actor, &error);
  if (token == NULL)
    {
      g_printerr ("vc-scheduler: %s\n", error->message);
      return 1;
    }
  g_print ("revoked token %" G_GINT64_FORMAT " (%s %s)\n", token->id,
           sched_role_to_string (token->role), token->name);
  return 0;
}

static int
main_import_history (SchedContext *ctx, const gchar *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedServer) server = sched_server_new (ctx, &error);
  gint64 imported = 0;

  if (server == NULL
      || !sched_history_import_file (sched_server_get_core (server), path, &imported, &error))
    {
      g_autofree gchar *field = sched_error_get_field (error);
      g_printerr ("vc-scheduler: import-history: %s%s%s\n", field ? field : "", field ? ": " : "",
                  sched_error_get_text (error));
      return main_exit_code (error);
    }
  g_print ("imported %" G_GINT64_FORMAT " meetings\n", imported);
  return 0;
}

/* Prints the summary (JSON) on stdout, or each problem of the file on
 * stderr as "entries[I] (line N): …"; exit 1 when nothing was applied. */
static int
main_reorg (SchedContext *ctx, const gchar *what, const gchar *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) extra = NULL;
  g_autoptr (JsonNode) summary = NULL;
  g_autoptr (SchedServer) server = sched_server_new (ctx, &error);
  g_autofree gchar *actor = g_strconcat ("cli:", g_get_user_name (), NULL);
  g_autofree gchar *text = NULL;
  SchedReorgMode mode = g_str_equal (what, "apply") ? SCHED_REORG_APPLY : SCHED_REORG_PREVIEW;

  if (server)
    summary
        = sched_reorg_run_file (sched_server_get_core (server), path, actor, mode, &extra, &error);
  if (summary == NULL)
    {
      JsonArray *problems = extra ? json_object_get_array_member (extra, "problems") : NULL;

      g_printerr ("vc-scheduler: reorg %s %s: %s\n", what, path, sched_error_get_text (error));
      for (guint i = 0; problems && i < json_array_get_length (problems); i++)
        {
          JsonObject *p = json_array_get_object_element (problems, i);
          if (json_object_get_null_member (p, "entry"))
            g_printerr ("  %s\n", json_object_get_string_member (p, "message"));
          else
            g_printerr ("  %s (line %" G_GINT64_FORMAT "): %s\n",
                        json_object_get_string_member (p, "entry"),
                        json_object_get_int_member (p, "line"),
                        json_object_get_string_member (p, "message"));
        }
      return main_exit_code (error);
    }
  text = json_to_string (summary, TRUE);
  g_print ("%s\n", text);
  return 0;
}

/* uplink set MEETING SIGNAL_URL TOKEN_FILE | uplink clear MEETING: the token
 * is read from a file (never a command line, docs/hacking.md "Secrets"). A
 * scheduler running on the same database posts the change to its bridge
 * within a poll (scheduler/agents/sched-bridge-uplink.c). */
static int
main_uplink (SchedContext *ctx, gchar **argv, gint argc)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *actor = g_strconcat ("cli:", g_get_user_name (), NULL);
  g_autofree gchar *token = NULL;
  g_autoptr (SchedUplink) link = NULL;
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (argv[3], 10, 1, G_MAXINT64, &id, NULL))
    {
      g_printerr ("vc-scheduler: uplink needs a meeting id\n");
      return EXIT_USAGE;
    }
  if (argc == 4)
    {
      if (!sched_uplink_clear (ctx->db, (gint64)id, actor, vc_time_now (), &error))
        goto fail;
      g_print ("meeting %" G_GUINT64_FORMAT " no longer links to a central conference\n", id);
      return 0;
    }
  if (!g_file_get_contents (argv[5], &token, NULL, &error))
    goto fail;
  g_strstrip (token);
  link = sched_uplink_set (ctx->db, (gint64)id, argv[4], token, actor, vc_time_now (), &error);
  if (link == NULL)
    goto fail;
  g_print ("meeting %" G_GUINT64_FORMAT " links to %s\n", id, link->signal_url);
  return 0;

fail:
  {
    g_autofree gchar *field = error->domain == SCHED_ERROR ? sched_error_get_field (error) : NULL;
    g_printerr ("vc-scheduler: uplink: %s%s%s\n", field ? field : "", field ? ": " : "",
                error->domain == SCHED_ERROR ? sched_error_get_text (error) : error->message);
    return 1;
  }
}

static int
main_backup (const SchedSettings *settings, const gchar *file)
{
  g_autoptr (GError) error = NULL;

  if (!sched_db_backup_save (settings->db_path, file, &error))
    {
      g_printerr ("vc-scheduler: backup: %s\n", error->message);
      return 1;
    }
  g_print ("saved %s as %s\n", settings->db_path, file);
  return 0;
}

static int
main_restore (const SchedSettings *settings, const gchar *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *saved = NULL;

  if (!sched_db_backup_restore (file, settings->db_path, &saved, &error))
    {
      g_printerr ("vc-scheduler: restore: %s\n", error->message);
      return 1;
    }
  if (saved)
    g_print ("the database was saved as %s\n", saved);
  g_print ("restored %s from %s\n", settings->db_path, file);
  return 0;
}

/* The copy taken before a start migrates an older schema; a failure stops
 * the start (exit 1) with the database untouched. */
static gboolean
main_backup_before_migration (const SchedSettings *settings)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *saved = sched_db_backup_before_migration (settings->db_path, &error);

  if (error)
    {
      g_printerr ("vc-scheduler: cannot save the database before migrating it: %s\n",
                  error->message);
      return FALSE;
    }
  if (saved)
    g_message ("database %s has an older schema: saved as %s before migrating it",
               settings->db_path, saved);
  return TRUE;
}

/* The installed configuration, when no --config was given. */
static gchar *
main_default_config (void)
{
  g_autofree gchar *path = NULL;

  if (vc_paths_uninstalled ())
    return NULL;
  path = g_build_filename (vc_paths_config_dir (), "scheduler.ini", NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

int
main (int argc, char **argv)
{
  g_auto (MainOptions) o = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedContext) ctx = NULL;
  SchedSettings *settings;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o.config, "Configuration file", "FILE" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o.db, "Database path (overrides [database] path)",
      "PATH" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &o.listen, "Listen address (overrides [server] listen)",
      "HOST:PORT" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o.role,
      "token create: admin|secretariat|manager|endpoint", "ROLE" },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &o.unit, "token create: the secretariat's unit", "CODE" },
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &o.endpoint, "token create: the endpoint's room",
      "CODE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name, "token create: who holds the token", "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new (
      "[token create | token list | token revoke ID | import-history FILE.json | reorg "
      "preview|apply FILE.json | uplink set MEETING SIGNAL_URL TOKEN_FILE | uplink clear MEETING "
      "| backup FILE | restore FILE] — the booking service");

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("vc-scheduler: %s\n", error->message);
      return EXIT_USAGE;
    }
  gboolean token_cmd = argc >= 3 && g_strcmp0 (argv[1], "token") == 0;
  gboolean token = token_cmd && argc == 3 && g_strcmp0 (argv[2], "create") == 0;
  gboolean token_list = token_cmd && argc == 3 && g_strcmp0 (argv[2], "list") == 0;
  gboolean token_revoke = token_cmd && argc == 4 && g_strcmp0 (argv[2], "revoke") == 0;
  gboolean import = argc == 3 && g_strcmp0 (argv[1], "import-history") == 0;
  gboolean reorg = argc == 4 && g_strcmp0 (argv[1], "reorg") == 0
                   && (g_strcmp0 (argv[2], "preview") == 0 || g_strcmp0 (argv[2], "apply") == 0);
  gboolean uplink = g_strcmp0 (argv[1], "uplink") == 0
                    && ((argc == 6 && g_strcmp0 (argv[2], "set") == 0)
                        || (argc == 4 && g_strcmp0 (argv[2], "clear") == 0));
  gboolean backup = argc == 3 && g_strcmp0 (argv[1], "backup") == 0;
  gboolean restore = argc == 3 && g_strcmp0 (argv[1], "restore") == 0;
  if (argc != 1 && !token && !token_list && !token_revoke && !import && !reorg && !uplink && !backup
      && !restore)
    {
      g_printerr ("vc-scheduler: unknown command; see --help\n");
      return EXIT_USAGE;
    }
  if (o.config == NULL)
    o.config = main_default_config ();
  settings = sched_settings_load (o.config, o.db, o.listen, &error);
  if (settings == NULL)
    {
      g_printerr ("vc-scheduler: %s\n", error->message);
      return main_exit_code (error);
    }
  if (backup || restore)
    {
      int status = backup ? main_backup (settings, argv[2]) : main_restore (settings, argv[2]);
      sched_settings_free (settings);
      return status;
    }
  if (!main_backup_before_migration (settings))
    {
      sched_settings_free (settings);
      return 1;
    }
  ctx = sched_server_context_new (settings, &error);
  if (ctx == NULL)
    {
      g_printerr ("vc-scheduler: %s\n", error->message);
      return main_exit_code (error);
    }
  if (token)
    return main_token_create (ctx, &o);
  if (token_list)
    return main_token_list (ctx);
  if (token_revoke)
    return main_token_revoke (ctx, argv[3]);
  if (import)
    return main_import_history (ctx, argv[2]);
  if (reorg)
    return main_reorg (ctx, argv[2], argv[3]);
  if (uplink)
    return main_uplink (ctx, argv, argc);
  return main_serve (ctx);
}
