/* stack-config.h — the state folder of vc-stack and the configuration files
 * it writes there for its children.
 *
 *   STATE/scheduler.ini  STATE/bridge.ini  STATE/agents/CODE.ini
 *   STATE/vc-scheduler.db  STATE/journals/CODE.db  STATE/logs/NAME.log
 *   STATE/secret         the scheduler↔bridge secret, kept across runs
 *   STATE/site-N/{secret,bridge.ini,bridge-recordings}, STATE/roster.ini,
 *   STATE/sites          further bridge sites (vc-stack --sites K)
 *
 * STATE and its folders are 0700, every file in them 0600. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *state_dir;
  gchar *log_dir;
  gchar *agent_dir;
  gchar *journal_dir;
  gchar *db_path;
  gchar *scheduler_conf;
  gchar *bridge_conf;
} StackPaths;

gboolean stack_paths_init (StackPaths *paths, const gchar *state_dir, GError **error);
void stack_paths_clear (StackPaths *paths);

/* Reads STATE/secret, or makes a new one with getrandom(). */
gchar *stack_config_load_secret (StackPaths *paths, GError **error);
/* The same for DIR/secret (a further bridge site's folder). */
gchar *stack_config_load_secret_in (const gchar *dir, GError **error);

gboolean stack_config_write_bridge (StackPaths *paths, const gchar *secret, GError **error);
/* A bridge.ini at @conf whose recordings go to @recordings. */
gboolean stack_config_write_bridge_at (const gchar *conf, const gchar *recordings,
                                       const gchar *secret, GError **error);

/* The bridge sites of vc-stack --sites K (K > 1): NULL-terminated codes,
 * index 0 the default site; urls[i] and secrets[i] of site i (urls[0] and
 * secrets[0] unused: the default site is @bridge_url and @secret); the
 * roster copy that names each room's site. */
typedef struct
{
  const gchar *const *codes;
  const gchar *const *urls;
  const gchar *const *secrets;
  const gchar *roster;
} StackConfigSites;

/* @bridge_url (and @sites' urls) may be NULL before the bridges run;
 * @sites is NULL for one site. */
gboolean stack_config_write_scheduler (StackPaths *paths, const gchar *listen,
                                       const gchar *bridge_url, const gchar *secret,
                                       const StackConfigSites *sites, GError **error);
/* Returns the path of the file written. @index (0, 1, …) spreads the rooms'
 * connection start over the minute before a meeting. */
gchar *stack_config_write_endpoint (StackPaths *paths, const gchar *code, guint index,
                                    const gchar *token, const gchar *scheduler_url, GError **error);

G_END_DECLS
