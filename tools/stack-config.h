/* stack-config.h — the state folder of vc-stack and the configuration files
 * it writes there for its children.
 *
 *   STATE/scheduler.ini  STATE/bridge.ini  STATE/agents/CODE.ini
 *   STATE/vc-scheduler.db  STATE/journals/CODE.db  STATE/logs/NAME.log
 *   STATE/secret         the scheduler↔bridge secret, kept across runs
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

gboolean stack_config_write_bridge (StackPaths *paths, const gchar *secret, GError **error);
/* @bridge_url may be NULL before the bridge runs. */
gboolean stack_config_write_scheduler (StackPaths *paths, const gchar *listen,
                                       const gchar *bridge_url, const gchar *secret,
                                       GError **error);
/* Returns the path of the file written. @index (0, 1, …) spreads the rooms'
 * connection start over the minute before a meeting. */
gchar *stack_config_write_endpoint (StackPaths *paths, const gchar *code, guint index,
                                    const gchar *token, const gchar *scheduler_url, GError **error);

G_END_DECLS
