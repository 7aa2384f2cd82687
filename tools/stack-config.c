/* stack-config.c — vc-stack's state folder and its children's configuration;
 * see stack-config.h. Files are written with GKeyFile so that values (paths
 * with spaces, Vietnamese names) are escaped properly. Every child listens on
 * and sends media to 127.0.0.1 only.
 *
 * The folder holds the shared secret (in secret, bridge.ini and
 * scheduler.ini), the rooms' tokens and the meetings' data: it is 0700, and
 * every file in it is created 0600 (with that mode, never loosened then
 * tightened). vc-stack also runs with umask 077, so what its children
 * create (the databases, their WAL files) is 0600 as well. */
#define G_LOG_DOMAIN "vc-stack"

#include "stack-config.h"
#include "vc-secret.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

/* A folder or file of an earlier run, made before vc-stack set these
 * modes, is tightened to @mode. */
static gboolean
tighten (const gchar *path, mode_t mode, GError **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || S_ISLNK (st.st_mode) || (st.st_mode & 07777) == mode)
    return TRUE;
  if (g_chmod (path, mode) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot chmod %s: %s",
                   path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_dir (const gchar *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s: %s",
                   path, g_strerror (errno));
      return FALSE;
    }
  return tighten (path, 0700, error);
}

/* The files of @dir (not below), 0600. */
static gboolean
tighten_files (const gchar *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && !tighten (path, 0600, error))
        return FALSE;
    }
  return TRUE;
}

/* An existing state folder that others may read is tightened only when it
 * is one of vc-stack's (it holds the secret of an earlier run): --state-dir
 * /tmp must not chmod /tmp. */
static gboolean
check_state_dir (const gchar *path, GError **error)
{
  g_autofree gchar *secret = g_build_filename (path, "secret", NULL);
  GStatBuf st;

  if (g_stat (path, &st) != 0 || (st.st_mode & 077) == 0
      || g_file_test (secret, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
               "the state folder %s is open to other users (mode %03o) and is not one of "
               "vc-stack's; give --state-dir a new folder, or chmod 700 it",
               path, (guint)(st.st_mode & 0777));
  return FALSE;
}

gboolean
stack_paths_init (StackPaths *paths, const gchar *state_dir, GError **error)
{
  paths->state_dir = g_canonicalize_filename (state_dir, NULL);
  paths->log_dir = g_build_filename (paths->state_dir, "logs", NULL);
  paths->agent_dir = g_build_filename (paths->state_dir, "agents", NULL);
  paths->journal_dir = g_build_filename (paths->state_dir, "journals", NULL);
  paths->db_path = g_build_filename (paths->state_dir, "vc-scheduler.db", NULL);
  paths->scheduler_conf = g_build_filename (paths->state_dir, "scheduler.ini", NULL);
  paths->bridge_conf = g_build_filename (paths->state_dir, "bridge.ini", NULL);
  return check_state_dir (paths->state_dir, error) && make_dir (paths->state_dir, error)
         && make_dir (paths->log_dir, error) && make_dir (paths->agent_dir, error)
         && make_dir (paths->journal_dir, error) && tighten_files (paths->state_dir, error)
         && tighten_files (paths->log_dir, error) && tighten_files (paths->agent_dir, error)
         && tighten_files (paths->journal_dir, error);
}

void
stack_paths_clear (StackPaths *paths)
{
  g_free (paths->state_dir);
  g_free (paths->log_dir);
  g_free (paths->agent_dir);
  g_free (paths->journal_dir);
  g_free (paths->db_path);
  g_free (paths->scheduler_conf);
  g_free (paths->bridge_conf);
}

gchar *
stack_config_load_secret (StackPaths *paths, GError **error)
{
  return stack_config_load_secret_in (paths->state_dir, error);
}

gchar *
stack_config_load_secret_in (const gchar *dir, GError **error)
{
  g_autofree gchar *path = g_build_filename (dir, "secret", NULL);
  g_autofree gchar *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL) && strlen (g_strstrip (text)) >= 32)
    return g_steal_pointer (&text);
  g_autofree gchar *secret = vc_secret_new_token (error);
  if (secret == NULL)
    return NULL;
  if (!g_file_set_contents_full (path, secret, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;
  return g_steal_pointer (&secret);
}

/* Written to a temporary file created 0600, then renamed over @path. */
static gboolean
save (GKeyFile *kf, const gchar *path, GError **error)
{
  g_autofree gchar *comment
      = g_strdup ("Written by vc-stack at every start; edit conf/ or vc-stack instead.");
  g_autofree gchar *text = NULL;
  gsize len = 0;

  g_key_file_set_comment (kf, NULL, NULL, comment, NULL);
  text = g_key_file_to_data (kf, &len, NULL);
  return g_file_set_contents_full (path, text, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

gboolean
stack_config_write_bridge (StackPaths *paths, const gchar *secret, GError **error)
{
  /* recorded rooms stay in the stack's own folder, apart from the
   * scheduler's archive (it fetches them from the bridge and has it
   * delete its copy: one folder for both would delete the archive) */
  g_autofree gchar *recordings = g_build_filename (paths->state_dir, "bridge-recordings", NULL);

  return stack_config_write_bridge_at (paths->bridge_conf, recordings, secret, error);
}

gboolean
stack_config_write_bridge_at (const gchar *conf, const gchar *recordings, const gchar *secret,
                              GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  g_key_file_set_string (kf, "bridge", "listen", "127.0.0.1:0");
  g_key_file_set_string (kf, "bridge", "secret", secret);
  g_key_file_set_string (kf, "ice", "addresses", "127.0.0.1");
  /* One machine carries the bridge and every room here, so the composite is
   * 640x360: each simulated room decodes it. A real bridge keeps 1280x720. */
  g_key_file_set_integer (kf, "video", "width", 640);
  g_key_file_set_integer (kf, "video", "height", 360);
  g_key_file_set_integer (kf, "video", "fps", 15);
  g_key_file_set_integer (kf, "video", "bitrate_kbps", 600);
  /* The simulated rooms run on the bridge's cores: raised audio threads
   * would take the CPU the rooms (and the bridge's own signalling on its
   * main thread) need to join. */
  g_key_file_set_string (kf, "audio", "thread_priority", "normal");
  g_key_file_set_string (kf, "recordings", "directory", recordings);
  return save (kf, conf, error);
}

gboolean
stack_config_write_scheduler (StackPaths *paths, const gchar *listen, const gchar *bridge_url,
                              const gchar *secret, const StackConfigSites *sites, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  g_key_file_set_string (kf, "server", "listen", listen);
  g_key_file_set_string (kf, "database", "path", paths->db_path);
  /* Before the bridges run (the token and roster step, which needs no
   * bridge) the URLs are unknown; with further sites the scheduler needs
   * one anyway: a placeholder, rewritten with the bridges' ports. */
  g_key_file_set_string (kf, "bridge", "url",
                         bridge_url ? bridge_url
                         : sites    ? "http://127.0.0.1:0"
                                    : "");
  g_key_file_set_string (kf, "bridge", "secret", secret);
  /* Rooms open on the bridge a minute before the start: enough for the
   * agents to be let in at the first second. */
  g_key_file_set_integer (kf, "bridge", "room_open_lead_seconds", 60);
  if (sites)
    {
      /* vc-stack --sites K: the province bridge above, the others below
       * it (stack-sites.h), and the roster that homes the rooms on them. */
      g_key_file_set_string (kf, "bridge", "site", sites->codes[0]);
      g_key_file_set_string (kf, "site", "roster", sites->roster);
      for (guint i = 1; sites->codes[i]; i++)
        {
          g_autofree gchar *group = g_strconcat ("bridge:", sites->codes[i], NULL);
          g_key_file_set_string (kf, group, "url",
                                 sites->urls[i] ? sites->urls[i] : "http://127.0.0.1:0");
          g_key_file_set_string (kf, group, "secret", sites->secrets[i]);
          g_key_file_set_string (kf, group, "parent", sites->codes[0]);
        }
    }
  /* Fetched recordings beside the database, not in the current folder. */
  {
    g_autofree gchar *recordings = g_build_filename (paths->state_dir, "recordings", NULL);
    g_key_file_set_string (kf, "recordings", "directory", recordings);
  }
  return save (kf, paths->scheduler_conf, error);
}

gchar *
stack_config_write_endpoint (StackPaths *paths, const gchar *code, guint index, const gchar *token,
                             const gchar *scheduler_url, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree gchar *file = g_strconcat (code, ".ini", NULL);
  g_autofree gchar *path = g_build_filename (paths->agent_dir, file, NULL);
  g_autofree gchar *journal_file = g_strconcat (code, ".db", NULL);
  g_autofree gchar *journal = g_build_filename (paths->journal_dir, journal_file, NULL);

  g_key_file_set_string (kf, "scheduler", "url", scheduler_url);
  g_key_file_set_string (kf, "endpoint", "code", code);
  g_key_file_set_string (kf, "endpoint", "token", token);
  g_key_file_set_string (kf, "journal", "path", journal);
  g_key_file_set_string (kf, "media", "video", "test");
  g_key_file_set_string (kf, "media", "audio", "test");
  g_key_file_set_string (kf, "media", "output", "none");
  /* Small test pictures: dozens of simulated rooms share two cores. */
  g_key_file_set_integer (kf, "media", "width", 320);
  g_key_file_set_integer (kf, "media", "height", 180);
  g_key_file_set_integer (kf, "media", "fps", 10);
  g_key_file_set_string (kf, "ice", "addresses", "127.0.0.1");
  /* Each join starts a media process (GStreamer, a DTLS key): 44 simulated
   * rooms starting theirs in the same second on two cores would time each
   * other out. Real rooms have a machine each; here two rooms start every
   * second from 25 s before the start (the demo books 30 s ahead, the
   * bridge opens rooms 60 s ahead); the journal still counts from the start. */
  g_key_file_set_integer (kf, "timing", "connect_ahead_seconds", 25 - MIN (index / 2, 20u));
  /* On a saturated machine a join can take longer than a real room's 15 s;
   * restarting it then only adds load (each attempt is a new process). */
  g_key_file_set_integer (kf, "timing", "join_timeout_seconds", 90);
  if (!save (kf, path, error))
    return NULL;
  return g_steal_pointer (&path);
}
