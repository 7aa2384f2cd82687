/* vc-stack.c — the whole province on one machine: a scheduler, a bridge and N
 * room agents as child processes on loopback, with their state in one folder.
 *
 *   vc-stack [--rooms N] [--sites K] [--state-dir DIR] [--listen HOST:PORT] [--demo]
 *
 * With --sites K (default 1) it runs K bridges, the province's and K-1 more
 * below it, and homes the rooms on them (stack-sites.h).
 *
 * Start-up is a step machine (StackStep); each step moves on only on a sign
 * of readiness from the child (its printed address, then its health check),
 * never on a timer. Each child is a StackService (stack-service.c): once it
 * has been ready, a child that dies is started again with back-off, on the
 * same address, and checked for readiness as at start, while the others
 * keep running; the scheduler reopens its bridge rooms and the agents
 * rejoin by themselves. vc-stack gives up (stops everything, exits 1) when
 * a child fails before its first readiness, or when the bridge or the
 * scheduler dies more often than the burst limit of stack-restart.h; an
 * agent given up on stays offline. SIGINT/SIGTERM stop every child (agents
 * first, bridge last) and exit 0.
 *
 * Everything runs on the main thread. */
#define G_LOG_DOMAIN "vc-stack"

#include "sched-auth.h"
#include "sched-db.h"
#include "sched-model-room.h"
#include "sched-model-token.h"
#include "stack-config.h"
#include "stack-service.h"
#include "stack-sites.h"
#include "vc-config.h"
#include "vc-secret.h"
#include "vc-time.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef enum
{
  STACK_STEP_BRIDGE,    /* bridges spawned, waiting for their addresses and health */
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
  gint sites; /* bridge sites, 1 (the province's alone) to STACK_SITES_MAX */

  /* Sites 2..K (index 1..K-1; index 0 is the province bridge above):
   * NULL-terminated codes, and each site's secret, bridge.ini and URL. */
  GPtrArray *site_codes;   /* gchar*, NULL-terminated */
  GPtrArray *site_secrets; /* gchar* */
  GPtrArray *site_confs;   /* gchar* */
  GPtrArray *site_bridges; /* StackService*, index 0 unused (NULL) */
  gchar *roster;           /* STATE/roster.ini, NULL for one site */
  GHashTable *homes;       /* room code → site code */

  StackStep step;
  GMainLoop *loop;
  SoupSession *http;
  gchar *secret;
  gchar *admin_token;
  StackService *bridge;
  StackService *scheduler;
  GPtrArray *agents;      /* StackService* */
  GPtrArray *room_codes;  /* gchar* */
  GPtrArray *room_tokens; /* gchar* */
  guint poll_timer;
  gint exit_code;
} Stack;

static void stack_stop (Stack *stack, gint exit_code);
static void stack_start_scheduler (Stack *stack);
static void stack_start_agents (Stack *stack);

/* @relative is the program's place in the build tree; an installed
 * vc-stack finds its siblings by name in its own folder (<bindir>). */
static gchar *
stack_bin (Stack *stack, const gchar *relative)
{
  g_autofree gchar *built = g_build_filename (stack->bin_dir, relative, NULL);
  g_autofree gchar *name = NULL;

  if (g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&built);
  name = g_path_get_basename (relative);
  return g_build_filename (stack->bin_dir, name, NULL);
}

/* scheduler.ini, with the further sites when there are some; their URLs
 * once their bridges run. */
static gboolean
stack_write_scheduler (Stack *stack, GError **error)
{
  const gchar *bridge_url = stack->bridge ? stack_service_get_address (stack->bridge) : NULL;
  g_autofree const gchar **urls = NULL;

  if (stack->sites == 1)
    return stack_config_write_scheduler (&stack->paths, stack->listen, bridge_url, stack->secret,
                                         NULL, error);
  urls = g_new0 (const gchar *, stack->sites);
  for (gint i = 1; i < stack->sites; i++)
    {
      StackService *bridge = g_ptr_array_index (stack->site_bridges, i);
      urls[i] = bridge ? stack_service_get_address (bridge) : NULL;
    }
  StackConfigSites sites = {
    .codes = (const gchar *const *)stack->site_codes->pdata,
    .urls = urls,
    .secrets = (const gchar *const *)stack->site_secrets->pdata,
    .roster = stack->roster,
  };
  return stack_config_write_scheduler (&stack->paths, stack->listen, bridge_url, stack->secret,
                                       &sites, error);
}

/* Makes each further site's folder, secret and bridge.ini, and the roster
 * copy that homes the rooms on the sites. */
static gboolean
stack_prepare_sites (Stack *stack, GError **error)
{
  g_autofree gchar *source = NULL;

  stack->site_codes = g_ptr_array_new_with_free_func (g_free);
  stack->site_secrets = g_ptr_array_new_with_free_func (g_free);
  stack->site_confs = g_ptr_array_new_with_free_func (g_free);
  stack->site_bridges = g_ptr_array_new_with_free_func ((GDestroyNotify)stack_service_free);
  stack->homes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gint i = 0; i < stack->sites; i++)
    {
      g_ptr_array_add (stack->site_codes, stack_sites_code ((guint)i));
      g_ptr_array_add (stack->site_bridges, NULL);
      if (i == 0)
        {
          g_ptr_array_add (stack->site_secrets, g_strdup (stack->secret));
          g_ptr_array_add (stack->site_confs, g_strdup (stack->paths.bridge_conf));
          continue;
        }
      g_autofree gchar *dir = g_build_filename (stack->paths.state_dir,
                                                g_ptr_array_index (stack->site_codes, i), NULL);
      g_autofree gchar *recordings = g_build_filename (dir, "bridge-recordings", NULL);
      gchar *conf = g_build_filename (dir, "bridge.ini", NULL);
      gchar *secret = NULL;
      g_ptr_array_add (stack->site_confs, conf);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s: %s",
                       dir, g_strerror (errno));
          return FALSE;
        }
      secret = stack_config_load_secret_in (dir, error);
      if (secret == NULL)
        return FALSE;
      g_ptr_array_add (stack->site_secrets, secret);
      if (!stack_config_write_bridge_at (conf, recordings, secret, error))
        return FALSE;
    }
  g_ptr_array_add (stack->site_codes, NULL);
  /* also for one site: a folder of --sites 3 has rooms homed on sites a
   * one-site scheduler.ini does not have */
  if (!stack_sites_check_state (&stack->paths, stack->sites, error))
    return FALSE;
  if (stack->sites == 1)
    return TRUE;
  source = stack_sites_default_roster (error);
  if (source == NULL)
    return FALSE;
  stack->roster
      = stack_sites_write_roster (&stack->paths, source, stack->sites, stack->homes, error);
  return stack->roster != NULL;
}

static gboolean
stack_is_bridge (Stack *stack, StackService *service)
{
  if (service == stack->bridge)
    return TRUE;
  for (guint i = 1; stack->site_bridges && i < stack->site_bridges->len; i++)
    if (service == g_ptr_array_index (stack->site_bridges, i))
      return TRUE;
  return FALSE;
}

/* ---- children ---------------------------------------------------------- */

static void stack_on_service_ready (StackService *service, gpointer data);
static void stack_on_service_stopped (StackService *service, gpointer data);
static void stack_on_service_failed (StackService *service, gpointer data);

static const StackServiceCallbacks stack_service_callbacks = {
  .ready = stack_on_service_ready,
  .stopped = stack_on_service_stopped,
  .failed = stack_on_service_failed,
};

/* A service whose log is STATE/logs/NAME.log; @http for servers (health
 * check), NULL for agents. */
static StackService *
stack_service (Stack *stack, const gchar *name, const gchar *marker, SoupSession *http)
{
  g_autofree gchar *log_name = g_strconcat (name, ".log", NULL);
  g_autofree gchar *log_path = g_build_filename (stack->paths.log_dir, log_name, NULL);
  StackRestartPolicy policy = STACK_RESTART_POLICY_DEFAULT;

  return stack_service_new (name, log_path, marker, http, &policy, &stack_service_callbacks, stack);
}

static gboolean
stack_service_launch (Stack *stack, StackService *service, const gchar *const *argv)
{
  g_autoptr (GError) error = NULL;

  stack_service_set_argv (service, argv);
  if (stack_service_start (service, &error))
    return TRUE;
  g_printerr ("vc-stack: cannot start %s: %s\n", stack_service_get_name (service), error->message);
  stack_stop (stack, 1);
  return FALSE;
}

/* After its first start on port 0, a server is restarted on the port it
 * got: the scheduler's bridge_url and the agents' scheduler URL stay
 * right. */
static void
stack_pin_listen (StackService *service, const gchar *bin, const gchar *conf)
{
  const gchar *address = stack_service_get_address (service);
  const gchar *host_port = strstr (address, "://");
  const gchar *argv[]
      = { bin, "--config", conf, "--listen", host_port ? host_port + 3 : address, NULL };

  stack_service_set_argv (service, argv);
}

/* Every site's bridge at once: they do not depend on each other. */
static void
stack_start_bridge (Stack *stack)
{
  g_autofree gchar *bin = stack_bin (stack, "media/vc-bridge");

  stack->step = STACK_STEP_BRIDGE;
  for (gint i = 0; i < stack->sites; i++)
    {
      const gchar *argv[] = { bin,        "--config",    g_ptr_array_index (stack->site_confs, i),
                              "--listen", "127.0.0.1:0", NULL };
      g_autofree gchar *name
          = i == 0 ? g_strdup ("vc-bridge")
                   : g_strconcat ("vc-bridge-", (gchar *)g_ptr_array_index (stack->site_codes, i),
                                  NULL);
      StackService *bridge = stack_service (stack, name, "http://", stack->http);

      if (i == 0)
        stack->bridge = bridge;
      else
        g_ptr_array_index (stack->site_bridges, i) = bridge;
      if (!stack_service_launch (stack, bridge, argv))
        return;
    }
}

static void
stack_start_scheduler (Stack *stack)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *bin = stack_bin (stack, "scheduler/vc-scheduler");

  if (!stack_write_scheduler (stack, &error))
    {
      g_printerr ("vc-stack: %s\n", error->message);
      stack_stop (stack, 1);
      return;
    }
  const gchar *argv[] = { bin, "--config", stack->paths.scheduler_conf, NULL };
  stack->step = STACK_STEP_SCHEDULER;
  stack->scheduler = stack_service (stack, "vc-scheduler", "http://", stack->http);
  stack_service_launch (stack, stack->scheduler, argv);
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
      = g_strconcat (stack_service_get_address (stack->scheduler), "/api/v1/endpoints", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree gchar *auth = g_strconcat ("Bearer ", stack->admin_token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (stack->http, msg, G_PRIORITY_DEFAULT, NULL, on_endpoints_reply,
                                    stack);
  return G_SOURCE_CONTINUE;
}

static void
stack_on_agent_ready (Stack *stack)
{
  guint ready = 0;

  if (stack->step != STACK_STEP_AGENTS)
    return; /* an agent back after a restart: nothing waits for it */
  for (guint i = 0; i < stack->agents->len; i++)
    if (stack_service_get_state (g_ptr_array_index (stack->agents, i)) == STACK_SERVICE_STATE_READY)
      ready++;
  if (ready == stack->room_codes->len && stack->poll_timer == 0)
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
          stack_service_get_address (stack->scheduler), &error);
      if (conf == NULL)
        {
          g_printerr ("vc-stack: %s\n", error->message);
          stack_stop (stack, 1);
          return;
        }
      g_autofree gchar *name = g_strconcat ("vc-endpoint-", code, NULL);
      const gchar *argv[] = { bin, "--config", conf, NULL };
      StackService *agent = stack_service (stack, name, "started", NULL);
      g_ptr_array_add (stack->agents, agent);
      if (!stack_service_launch (stack, agent, argv))
        return;
    }
}

/* main thread: a child is ready, at its first start or after a restart. */
static void
stack_on_service_ready (StackService *service, gpointer data)
{
  Stack *stack = data;

  if (stack_is_bridge (stack, service) && stack->step == STACK_STEP_BRIDGE)
    {
      g_autofree gchar *bin = stack_bin (stack, "media/vc-bridge");
      gint ready = 0;

      for (gint i = 0; i < stack->sites; i++)
        {
          StackService *bridge
              = i == 0 ? stack->bridge : g_ptr_array_index (stack->site_bridges, i);
          if (bridge == service)
            stack_pin_listen (service, bin, g_ptr_array_index (stack->site_confs, i));
          if (bridge && stack_service_get_state (bridge) == STACK_SERVICE_STATE_READY)
            ready++;
        }
      if (ready == stack->sites)
        stack_start_scheduler (stack);
    }
  else if (service == stack->scheduler && stack->step == STACK_STEP_SCHEDULER)
    {
      g_autofree gchar *bin = stack_bin (stack, "scheduler/vc-scheduler");
      stack_pin_listen (service, bin, stack->paths.scheduler_conf);
      stack_start_agents (stack);
    }
  else if (!stack_is_bridge (stack, service) && service != stack->scheduler)
    stack_on_agent_ready (stack);
}

/* main thread */
static void
stack_on_service_stopped (StackService *service, gpointer data)
{
  Stack *stack = data;

  if (stack->step == STACK_STEP_STOPPING)
    stack_stop (stack, stack->exit_code);
}

/* main thread: stack-service.c has said why. */
static void
stack_on_service_failed (StackService *service, gpointer data)
{
  Stack *stack = data;

  if (stack->step == STACK_STEP_STOPPING)
    stack_stop (stack, stack->exit_code);
  else if (stack->step != STACK_STEP_READY || stack_is_bridge (stack, service)
           || service == stack->scheduler)
    {
      /* A start-up failure, or no bridge or scheduler any more: nothing
       * could meet. */
      g_printerr ("vc-stack: stopping everything\n");
      stack_stop (stack, 1);
    }
  else
    g_printerr ("vc-stack: %s stays offline; the other rooms go on\n",
                stack_service_get_name (service));
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
      = g_strconcat (stack_service_get_address (stack->scheduler), "/api/v1/meetings", NULL);
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
  printf ("bridge: %s\n", stack_service_get_address (stack->bridge));
  for (gint i = 1; i < stack->sites; i++)
    printf ("bridge %s: %s (secret in %s/%s/secret)\n",
            (gchar *)g_ptr_array_index (stack->site_codes, i),
            stack_service_get_address (g_ptr_array_index (stack->site_bridges, i)),
            stack->paths.state_dir, (gchar *)g_ptr_array_index (stack->site_codes, i));
  printf ("admin-token: %s\n", stack->admin_token);
  printf ("rooms: %u agents online; state and logs in %s\n", stack->room_codes->len,
          stack->paths.state_dir);
  printf ("vc-stack ready: web UI at %s/\n", stack_service_get_address (stack->scheduler));
  fflush (stdout);
  if (stack->demo)
    stack_book_demo (stack);
}

/* ---- start and stop --------------------------------------------------- */

static gboolean
stack_all_exited (Stack *stack)
{
  if (stack->bridge && !stack_service_is_down (stack->bridge))
    return FALSE;
  for (guint i = 1; stack->site_bridges && i < stack->site_bridges->len; i++)
    {
      StackService *bridge = g_ptr_array_index (stack->site_bridges, i);
      if (bridge && !stack_service_is_down (bridge))
        return FALSE;
    }
  if (stack->scheduler && !stack_service_is_down (stack->scheduler))
    return FALSE;
  for (guint i = 0; i < stack->agents->len; i++)
    if (!stack_service_is_down (g_ptr_array_index (stack->agents, i)))
      return FALSE;
  return TRUE;
}

/* Stops agents first (they leave their meetings and flush their journals
 * while the scheduler still listens), then the scheduler, then the bridge.
 * Called again from each child's exit until all are gone. */
static void
stack_stop (Stack *stack, gint exit_code)
{
  gboolean agents_running = FALSE;

  if (stack->step != STACK_STEP_STOPPING)
    {
      stack->step = STACK_STEP_STOPPING;
      stack->exit_code = exit_code;
      g_clear_handle_id (&stack->poll_timer, g_source_remove);
    }
  for (guint i = 0; i < stack->agents->len; i++)
    {
      StackService *agent = g_ptr_array_index (stack->agents, i);
      stack_service_stop (agent, 5000);
      if (!stack_service_is_down (agent))
        agents_running = TRUE;
    }
  if (!agents_running && stack->scheduler)
    stack_service_stop (stack->scheduler, 5000);
  if (!agents_running && (stack->scheduler == NULL || stack_service_is_down (stack->scheduler)))
    {
      if (stack->bridge)
        stack_service_stop (stack->bridge, 5000);
      for (guint i = 1; stack->site_bridges && i < stack->site_bridges->len; i++)
        if (g_ptr_array_index (stack->site_bridges, i))
          stack_service_stop (g_ptr_array_index (stack->site_bridges, i), 5000);
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

/* Province-level rooms first, so the chair of the demo is UBND tỉnh or
 * Tỉnh ủy, then by level; the sort is stable, so rooms of one level keep
 * their roster order. */
static gint
stack_room_rank (const SchedRoom *room)
{
  static const gchar *const levels[] = { "province", "department", "district" };
  gint level = G_N_ELEMENTS (levels);

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (room->level, levels[i]) == 0)
      level = (gint)i;
  if (g_strcmp0 (room->code, "ubnd-tinh") == 0)
    return 0;
  if (g_strcmp0 (room->code, "tinh-uy") == 0)
    return 1;
  return 2 + level;
}

static gint
stack_room_compare (gconstpointer a, gconstpointer b)
{
  return stack_room_rank (*(SchedRoom *const *)a) - stack_room_rank (*(SchedRoom *const *)b);
}

/* The first --rooms rooms in rank order; with several sites, taken from
 * each site in turn (province, site-2, …, province, …), so that even a few
 * agents span the sites. */
static void
stack_pick_rooms (Stack *stack, GPtrArray *rooms)
{
  g_autofree gboolean *taken = g_new0 (gboolean, rooms->len + 1);
  gboolean progress = TRUE;

  while (progress && (gint)stack->room_codes->len < stack->rooms)
    {
      progress = FALSE;
      for (gint s = 0; s < stack->sites && (gint)stack->room_codes->len < stack->rooms; s++)
        for (guint i = 0; i < rooms->len; i++)
          {
            const gchar *code = ((SchedRoom *)rooms->pdata[i])->code;
            const gchar *home = g_hash_table_lookup (stack->homes, code);
            if (taken[i]
                || g_strcmp0 (home ? home : STACK_SITE_PROVINCE,
                              g_ptr_array_index (stack->site_codes, s))
                       != 0)
              continue;
            taken[i] = TRUE;
            progress = TRUE;
            g_ptr_array_add (stack->room_codes, g_strdup (code));
            break;
          }
    }
}

/* Creates the admin token (this also creates the database and loads the
 * roster), then one token per room, with the scheduler's own model and
 * token code (sched-model-token.c, sched-auth.c): vc-stack never writes
 * the scheduler's tables itself. */
static gboolean
stack_prepare_tokens (Stack *stack, GError **error)
{
  g_autofree gchar *bin = stack_bin (stack, "scheduler/vc-scheduler");
  const gchar *argv[] = { bin,     "--config", stack->paths.scheduler_conf,
                          "token", "create",   "--role",
                          "admin", "--name",   "vc-stack admin",
                          NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  g_autoptr (GPtrArray) rooms = NULL;
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
  if (!sched_token_revoke_by_name_prefix (db, "vc-stack room ", error))
    return FALSE;
  rooms = sched_room_list (db, SCHED_ROOM_ORDER_ROSTER, error);
  if (rooms == NULL)
    return FALSE;
  g_ptr_array_sort (rooms, stack_room_compare);
  stack_pick_rooms (stack, rooms);
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
  g_autofree gchar *sites_text = NULL;
  Stack stack = { .rooms = 44, .sites = 1, .exit_code = 0 };
  GOptionEntry entries[] = {
    { "rooms", 'n', 0, G_OPTION_ARG_INT, &stack.rooms, "Number of room agents (default 44)", "N" },
    { "sites", 'k', 0, G_OPTION_ARG_STRING, &sites_text,
      "Bridge sites: the province's and K-1 more, rooms spread over them (default 1, at most 16)",
      "K" },
    { "state-dir", 's', 0, G_OPTION_ARG_FILENAME, &state_dir, "State folder (default ./var)",
      "DIR" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &stack.listen,
      "Web UI and API address (default 127.0.0.1:8080)", "HOST:PORT" },
    { "demo", 'd', 0, G_OPTION_ARG_NONE, &stack.demo, "Book a meeting that starts shortly", NULL },
    { "bin-dir", 0, 0, G_OPTION_ARG_FILENAME, &stack.bin_dir,
      "Build folder holding scheduler/, media/, endpoint/, or the folder of the installed "
      "programs (default: this program's)",
      "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("- run the whole system on loopback");

  /* The state folder holds the secret, tokens and meeting data: what
   * vc-stack and its children create there (sqlite creates its databases
   * 0644 otherwise) is for this user only. See stack-config.c. */
  umask (077);

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
  if (sites_text && !stack_sites_parse (sites_text, &stack.sites, &error))
    {
      g_printerr ("vc-stack: %s\n", error->message);
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

  stack.agents = g_ptr_array_new_with_free_func ((GDestroyNotify)stack_service_free);
  stack.room_codes = g_ptr_array_new_with_free_func (g_free);
  stack.room_tokens = g_ptr_array_new_with_free_func (g_free);
  if (!stack_paths_init (&stack.paths, state_dir ? state_dir : "var", &error)
      || !(stack.secret = stack_config_load_secret (&stack.paths, &error))
      || !stack_config_write_bridge (&stack.paths, stack.secret, &error)
      || !stack_prepare_sites (&stack, &error) || !stack_write_scheduler (&stack, &error)
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
  g_clear_pointer (&stack.scheduler, stack_service_free);
  g_clear_pointer (&stack.bridge, stack_service_free);
  g_clear_pointer (&stack.site_bridges, g_ptr_array_unref);
  g_clear_pointer (&stack.site_codes, g_ptr_array_unref);
  g_clear_pointer (&stack.site_secrets, g_ptr_array_unref);
  g_clear_pointer (&stack.site_confs, g_ptr_array_unref);
  g_clear_pointer (&stack.homes, g_hash_table_unref);
  g_free (stack.roster);
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
