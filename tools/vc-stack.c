/* vc-stack.c — the whole province on one machine: a scheduler, a bridge and N
 * room agents as child processes on loopback, with their state in one folder.
 *
 *   vc-stack [--rooms N] [--state-dir DIR] [--listen HOST:PORT] [--demo]
 *
 * Start-up is a step machine (StackStep); each step moves on only on a sign
 * of readiness from the child (its printed address, then its health check),
 * never on a timer. Children are supervised by stack-child.c: if one dies
 * unexpectedly vc-stack says which and why, stops the others and exits 1.
 * SIGINT/SIGTERM stop every child (agents first, bridge last) and exit 0.
 *
 * Everything runs on the main thread. */
#define G_LOG_DOMAIN "vc-stack"

#include "sched-auth.h"
#include "sched-db.h"
#include "stack-child.h"
#include "stack-config.h"
#include "vc-config.h"
#include "vc-secret.h"
#include "vc-time.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>

typedef enum
{
  STACK_STEP_BRIDGE,    /* bridge spawned, waiting for its address and health */
  STACK_STEP_SCHEDULER, /* scheduler spawned, waiting for its address and health */
  STACK_STEP_AGENTS,    /* agents spawned, waiting for every one to be online */
  STACK_STEP_READY,     /* everything up; --demo booking done */
  STACK_STEP_STOPPING,  /* stopping children */
} StackStep;

typedef struct
{
  StackPaths paths;
  gint rooms;
  gchar *listen;
  gboolean demo;
  gchar *bin_dir;

  StackStep step;
  GMainLoop *loop;
  SoupSession *http;
  gchar *secret;
  gchar *admin_token;
  StackChild *bridge;
  StackChild *scheduler;
  GPtrArray *agents;      /* StackChild* */
  GPtrArray *room_codes;  /* gchar* */
  GPtrArray *room_tokens; /* gchar* */
  guint poll_timer;
  gint exit_code;
} Stack;

static void stack_stop (Stack *stack, gint exit_code);
static void stack_start_scheduler (Stack *stack);
static void stack_start_agents (Stack *stack);

static gchar *
stack_bin (Stack *stack, const gchar *relative)
{
  return g_build_filename (stack->bin_dir, relative, NULL);
}

/* ---- health checks ---------------------------------------------------- */

typedef void (*StackHealthyFunc) (Stack *stack);

typedef struct
{
  Stack *stack;
  gchar *url;
  StackHealthyFunc next;
  guint tries;
} HealthCheck;

static void health_check_send (HealthCheck *check);

static gboolean
on_health_retry (gpointer data)
{
  health_check_send (data);
  return G_SOURCE_REMOVE;
}

/* main thread */
static void
on_health_reply (GObject *source, GAsyncResult *result, gpointer data)
{
  HealthCheck *check = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (check->stack->step == STACK_STEP_STOPPING)
    goto done;
  if (body && msg && soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      check->next (check->stack);
      goto done;
    }
  if (++check->tries > 100)
    {
      g_printerr ("vc-stack: %s did not become healthy: %s\n", check->url,
                  error ? error->message : "bad status");
      stack_stop (check->stack, 1);
      goto done;
    }
  /* The child printed its address, so it is listening; a failed check here
   * means it is still finishing its start-up. Ask again shortly. */
  g_timeout_add (100, on_health_retry, check);
  return;

done:
  g_free (check->url);
  g_free (check);
}

static void
health_check_send (HealthCheck *check)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", check->url);
  soup_session_send_and_read_async (check->stack->http, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_health_reply, check);
}

static void
stack_check_health (Stack *stack, const gchar *address, StackHealthyFunc next)
{
  HealthCheck *check = g_new0 (HealthCheck, 1);
  check->stack = stack;
  check->url = g_strconcat (address, "/healthz", NULL);
  check->next = next;
  health_check_send (check);
}

/* ---- children ---------------------------------------------------------- */

/* main thread */
static void
on_child_exit (StackChild *child, const gchar *why, gpointer data)
{
  Stack *stack = data;

  if (why == NULL || stack->step == STACK_STEP_STOPPING)
    {
      /* An expected exit: quit once the last child is gone. */
      if (stack->step == STACK_STEP_STOPPING)
        stack_stop (stack, stack->exit_code);
      return;
    }
  g_autofree gchar *tail = stack_child_log_tail (child, 15);
  g_printerr ("vc-stack: %s %s; its log %s ends with:\n%s\n", stack_child_get_name (child), why,
              stack_child_get_log_path (child), tail);
  stack_stop (stack, 1);
}

static StackChild *
stack_spawn (Stack *stack, const gchar *name, const gchar *const *argv, const gchar *marker,
             StackChildReadyFunc on_ready)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *log_name = g_strconcat (name, ".log", NULL);
  g_autofree gchar *log_path = g_build_filename (stack->paths.log_dir, log_name, NULL);
  StackChild *child
      = stack_child_spawn (name, argv, log_path, marker, on_ready, on_child_exit, stack, &error);

  if (child == NULL)
    {
      g_printerr ("vc-stack: cannot start %s: %s\n", name, error->message);
      stack_stop (stack, 1);
    }
  return child;
}

static void
stack_on_bridge_healthy (Stack *stack)
{
  stack_start_scheduler (stack);
}

static void
stack_on_scheduler_healthy (Stack *stack)
{
  stack_start_agents (stack);
}

/* main thread: the bridge or the scheduler printed its address; the next
 * step waits for its health check. */
static void
on_server_ready (StackChild *child, const gchar *address, gpointer data)
{
  Stack *stack = data;
  gboolean is_bridge = child == stack->bridge;

  if (address == NULL)
    {
      g_printerr ("vc-stack: %s printed no address\n", stack_child_get_name (child));
      stack_stop (stack, 1);
      return;
    }
  stack_check_health (stack, address,
                      is_bridge ? stack_on_bridge_healthy : stack_on_scheduler_healthy);
}

static void
stack_start_bridge (Stack *stack)
{
  g_autofree gchar *bin = stack_bin (stack, "media/vc-bridge");
  const gchar *argv[]
      = { bin, "--config", stack->paths.bridge_conf, "--listen", "127.0.0.1:0", NULL };

  stack->step = STACK_STEP_BRIDGE;
  stack->bridge = stack_spawn (stack, "vc-bridge", argv, "http://", on_server_ready);
}

static void
stack_start_scheduler (Stack *stack)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *bin = stack_bin (stack, "scheduler/vc-scheduler");

  if (!stack_config_write_scheduler (&stack->paths, stack->listen,
                                     stack_child_get_address (stack->bridge), stack->secret,
                                     &error))
    {
      g_printerr ("vc-stack: %s\n", error->message);
      stack_stop (stack, 1);
      return;
    }
  const gchar *argv[] = { bin, "--config", stack->paths.scheduler_conf, NULL };
  stack->step = STACK_STEP_SCHEDULER;
  stack->scheduler = stack_spawn (stack, "vc-scheduler", argv, "http://", on_server_ready);
}

/* ---- agents and readiness --------------------------------------------- */

static void stack_ready (Stack *stack);

/* main thread */
static void
on_endpoints_reply (GObject *source, GAsyncResult *result, gpointer data)
{
  Stack *stack = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint online = 0;

  if (stack->step != STACK_STEP_AGENTS)
    return;
  if (body
      && json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                     NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      JsonArray *list = NULL;
      if (JSON_NODE_HOLDS_ARRAY (root))
        list = json_node_get_array (root);
      else if (JSON_NODE_HOLDS_OBJECT (root)
               && json_object_has_member (json_node_get_object (root), "endpoints"))
        list = json_object_get_array_member (json_node_get_object (root), "endpoints");
      for (guint i = 0; list && i < json_array_get_length (list); i++)
        {
          JsonObject *e = json_array_get_object_element (list, i);
          if (e && json_object_get_boolean_member_with_default (e, "online", FALSE))
            online++;
        }
    }
  if (online >= stack->room_codes->len)
    {
      g_clear_handle_id (&stack->poll_timer, g_source_remove);
      stack_ready (stack);
    }
}

static gboolean
on_poll_agents (gpointer data)
{
  Stack *stack = data;
  g_autofree gchar *url
      = g_strconcat (stack_child_get_address (stack->scheduler), "/api/v1/endpoints", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree gchar *auth = g_strconcat ("Bearer ", stack->admin_token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (stack->http, msg, G_PRIORITY_DEFAULT, NULL, on_endpoints_reply,
                                    stack);
  return G_SOURCE_CONTINUE;
}

/* main thread */
static void
on_agent_started (StackChild *child, const gchar *address, gpointer data)
{
  Stack *stack = data;
  guint started = 0;

  for (guint i = 0; i < stack->agents->len; i++)
    if (stack_child_get_state (g_ptr_array_index (stack->agents, i)) == STACK_CHILD_STATE_LISTENING)
      started++;
  if (started == stack->agents->len && stack->poll_timer == 0)
    {
      /* Every agent runs; now wait until each has its channel to the
       * scheduler open (its "online" flag), checked every 200 ms. */
      stack->poll_timer = g_timeout_add (200, on_poll_agents, stack);
      on_poll_agents (stack);
    }
}

static void
stack_start_agents (Stack *stack)
{
  g_autofree gchar *bin = stack_bin (stack, "endpoint/vc-endpoint");

  stack->step = STACK_STEP_AGENTS;
  for (guint i = 0; i < stack->room_codes->len; i++)
    {
      g_autoptr (GError) error = NULL;
      const gchar *code = g_ptr_array_index (stack->room_codes, i);
      g_autofree gchar *conf = stack_config_write_endpoint (
          &stack->paths, code, i, g_ptr_array_index (stack->room_tokens, i),
          stack_child_get_address (stack->scheduler), &error);
      if (conf == NULL)
        {
          g_printerr ("vc-stack: %s\n", error->message);
          stack_stop (stack, 1);
          return;
        }
      g_autofree gchar *name = g_strconcat ("vc-endpoint-", code, NULL);
      const gchar *argv[] = { bin, "--config", conf, NULL };
      StackChild *child = stack_spawn (stack, name, argv, "started", on_agent_started);
      if (child == NULL)
        return;
      g_ptr_array_add (stack->agents, child);
    }
}

/* ---- demo booking ----------------------------------------------------- */

/* main thread */
static void
on_demo_booked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (body == NULL || msg == NULL || soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    {
      g_printerr ("vc-stack: the demo meeting was not booked: %s %.*s\n",
                  error ? error->message : "", body ? (int)g_bytes_get_size (body) : 0,
                  body ? (const char *)g_bytes_get_data (body, NULL) : "");
      return;
    }
  printf ("demo: booked %.*s\n", (int)g_bytes_get_size (body),
          (const char *)g_bytes_get_data (body, NULL));
  fflush (stdout);
}

static void
stack_book_demo (Stack *stack)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gint64 start = vc_time_now () + 30;
  g_autofree gchar *start_text = vc_time_format_utc (start);
  g_autofree gchar *end_text = vc_time_format_utc (start + 120);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, "Họp trực tuyến thử nghiệm toàn tỉnh");
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, "ubnd-tinh");
  json_builder_set_member_name (b, "chair");
  json_builder_add_string_value (b, g_ptr_array_index (stack->room_codes, 0));
  json_builder_set_member_name (b, "endpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < stack->room_codes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (stack->room_codes, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "start");
  json_builder_add_string_value (b, start_text);
  json_builder_set_member_name (b, "end");
  json_builder_add_string_value (b, end_text);
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree gchar *text = json_to_string (root, FALSE);
  g_autofree gchar *url
      = g_strconcat (stack_child_get_address (stack->scheduler), "/api/v1/meetings", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree gchar *auth = g_strconcat ("Bearer ", stack->admin_token, NULL);
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (stack->http, msg, G_PRIORITY_DEFAULT, NULL, on_demo_booked,
                                    stack);
}

static void
stack_ready (Stack *stack)
{
  stack->step = STACK_STEP_READY;
  printf ("bridge: %s\n", stack_child_get_address (stack->bridge));
  printf ("admin-token: %s\n", stack->admin_token);
  printf ("rooms: %u agents online; state and logs in %s\n", stack->room_codes->len,
          stack->paths.state_dir);
  printf ("vc-stack ready: web UI at %s/\n", stack_child_get_address (stack->scheduler));
  fflush (stdout);
  if (stack->demo)
    stack_book_demo (stack);
}

/* ---- start and stop --------------------------------------------------- */

static gboolean
stack_all_exited (Stack *stack)
{
  if (stack->bridge && stack_child_get_state (stack->bridge) != STACK_CHILD_STATE_EXITED)
    return FALSE;
  if (stack->scheduler && stack_child_get_state (stack->scheduler) != STACK_CHILD_STATE_EXITED)
    return FALSE;
  for (guint i = 0; i < stack->agents->len; i++)
    if (stack_child_get_state (g_ptr_array_index (stack->agents, i)) != STACK_CHILD_STATE_EXITED)
      return FALSE;
  return TRUE;
}

/* Stops agents first (they leave their meetings and flush their journals
 * while the scheduler still listens), then the scheduler, then the bridge.
 * Called again from each child's exit until all are gone. */
static void
stack_stop (Stack *stack, gint exit_code)
{
  if (stack->step != STACK_STEP_STOPPING)
    {
      stack->step = STACK_STEP_STOPPING;
      stack->exit_code = exit_code;
      g_clear_handle_id (&stack->poll_timer, g_source_remove);
    }
  gboolean agents_running = FALSE;
  for (guint i = 0; i < stack->agents->len; i++)
    {
      StackChild *agent = g_ptr_array_index (stack->agents, i);
      if (stack_child_get_state (agent) != STACK_CHILD_STATE_EXITED)
        {
          agents_running = TRUE;
          stack_child_stop (agent, 5000);
        }
    }
  if (!agents_running && stack->scheduler
      && stack_child_get_state (stack->scheduler) != STACK_CHILD_STATE_EXITED)
    stack_child_stop (stack->scheduler, 5000);
  else if (!agents_running && stack->bridge
           && (stack->scheduler == NULL
               || stack_child_get_state (stack->scheduler) == STACK_CHILD_STATE_EXITED))
    {
      if (stack_child_get_state (stack->bridge) != STACK_CHILD_STATE_EXITED)
        stack_child_stop (stack->bridge, 5000);
    }
  if (stack_all_exited (stack))
    g_main_loop_quit (stack->loop);
}

static gboolean
on_signal (gpointer data)
{
  Stack *stack = data;
  g_printerr ("vc-stack: stopping\n");
  stack_stop (stack, stack->exit_code);
  return G_SOURCE_CONTINUE;
}

/* Creates the admin token (this also creates the database and loads the
 * roster), then one token per room, directly in the database: vc-stack and
 * vc-scheduler share the token code (sched-auth.c). */
static gboolean
stack_prepare_tokens (Stack *stack, GError **error)
{
  g_autofree gchar *bin = stack_bin (stack, "scheduler/vc-scheduler");
  const gchar *argv[] = { bin,     "--config", stack->paths.scheduler_conf,
                          "token", "create",   "--role",
                          "admin", "--name",   "vc-stack admin",
                          NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  gint status = 0;

  if (!g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "vc-scheduler token create failed: %s",
                   err);
      return FALSE;
    }
  stack->admin_token = g_strstrip (g_steal_pointer (&out));

  g_autoptr (SchedDb) db = sched_db_open (stack->paths.db_path, error);
  if (db == NULL)
    return FALSE;
  /* Tokens of earlier runs of this state folder stop working. */
  if (!sched_db_exec (db, "UPDATE tokens SET revoked = 1 WHERE name LIKE 'vc-stack room %'", error))
    return FALSE;
  /* Province-level rooms first, so the chair of the demo is UBND tỉnh or
   * Tỉnh ủy, then the districts in roster order. */
  sqlite3_stmt *stmt
      = sched_db_prepare (db,
                          "SELECT code FROM endpoints WHERE deleted = 0 ORDER BY "
                          "CASE code WHEN 'ubnd-tinh' THEN 0 WHEN 'tinh-uy' THEN 1 ELSE 2 END, "
                          "CASE level WHEN 'province' THEN 0 WHEN 'department' THEN 1 WHEN "
                          "'district' THEN 2 ELSE 3 END, "
                          "rowid",
                          error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW && (gint)stack->room_codes->len < stack->rooms)
    g_ptr_array_add (stack->room_codes, g_strdup (sched_db_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if ((gint)stack->room_codes->len < stack->rooms)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--rooms %d: the roster has only %u rooms", stack->rooms,
                   stack->room_codes->len);
      return FALSE;
    }
  for (guint i = 0; i < stack->room_codes->len; i++)
    {
      const gchar *code = g_ptr_array_index (stack->room_codes, i);
      g_autofree gchar *name = g_strconcat ("vc-stack room ", code, NULL);
      gchar *token = sched_auth_create_token (db, SCHED_ROLE_ENDPOINT, NULL, code, name, error);
      if (token == NULL)
        return FALSE;
      g_ptr_array_add (stack->room_tokens, token);
    }
  return TRUE;
}

static gchar *
stack_default_bin_dir (const gchar *argv0)
{
  g_autofree gchar *self = g_file_read_link ("/proc/self/exe", NULL);
  if (self)
    return g_path_get_dirname (self);
  return g_path_get_dirname (argv0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *state_dir = NULL;
  Stack stack = { .rooms = 44, .exit_code = 0 };
  GOptionEntry entries[] = {
    { "rooms", 'n', 0, G_OPTION_ARG_INT, &stack.rooms, "Number of room agents (default 44)", "N" },
    { "state-dir", 's', 0, G_OPTION_ARG_FILENAME, &state_dir, "State folder (default ./var)",
      "DIR" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &stack.listen,
      "Web UI and API address (default 127.0.0.1:8080)", "HOST:PORT" },
    { "demo", 'd', 0, G_OPTION_ARG_NONE, &stack.demo, "Book a meeting that starts shortly", NULL },
    { "bin-dir", 0, 0, G_OPTION_ARG_FILENAME, &stack.bin_dir,
      "Build folder holding scheduler/, media/, endpoint/ (default: this program's)", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("- run the whole system on loopback");

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("vc-stack: %s\n", error->message);
      return 64;
    }
  if (stack.rooms < 2 || stack.rooms > 1000)
    {
      g_printerr ("vc-stack: --rooms must be from 2 to 1000\n");
      return 64;
    }
  g_autofree gchar *host = NULL;
  guint16 port = 0;
  if (stack.listen == NULL)
    stack.listen = g_strdup ("127.0.0.1:8080");
  if (!vc_parse_host_port (stack.listen, &host, &port))
    {
      g_printerr ("vc-stack: --listen '%s' is not HOST:PORT\n", stack.listen);
      return 64;
    }
  if (stack.bin_dir == NULL)
    stack.bin_dir = stack_default_bin_dir (argv[0]);

  stack.agents = g_ptr_array_new_with_free_func ((GDestroyNotify)stack_child_free);
  stack.room_codes = g_ptr_array_new_with_free_func (g_free);
  stack.room_tokens = g_ptr_array_new_with_free_func (g_free);
  if (!stack_paths_init (&stack.paths, state_dir ? state_dir : "var", &error)
      || !(stack.secret = stack_config_load_secret (&stack.paths, &error))
      || !stack_config_write_bridge (&stack.paths, stack.secret, &error)
      || !stack_config_write_scheduler (&stack.paths, stack.listen, NULL, stack.secret, &error)
      || !stack_prepare_tokens (&stack, &error))
    {
      g_printerr ("vc-stack: %s\n", error->message);
      return 1;
    }

  stack.loop = g_main_loop_new (NULL, FALSE);
  stack.http = soup_session_new_with_options ("timeout", 10, NULL);
  g_unix_signal_add (SIGINT, on_signal, &stack);
  g_unix_signal_add (SIGTERM, on_signal, &stack);
  stack_start_bridge (&stack);
  if (stack.step != STACK_STEP_STOPPING || !stack_all_exited (&stack))
    g_main_loop_run (stack.loop);

  g_clear_pointer (&stack.agents, g_ptr_array_unref);
  g_clear_pointer (&stack.scheduler, stack_child_free);
  g_clear_pointer (&stack.bridge, stack_child_free);
  g_clear_object (&stack.http);
  g_main_loop_unref (stack.loop);
  g_ptr_array_unref (stack.room_codes);
  g_ptr_array_unref (stack.room_tokens);
  stack_paths_clear (&stack.paths);
  g_free (stack.secret);
  g_free (stack.admin_token);
  g_free (stack.listen);
  g_free (stack.bin_dir);
  return stack.exit_code;
}
