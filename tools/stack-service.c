/* stack-service.c — a program vc-stack keeps running; see stack-service.h. */
#define G_LOG_DOMAIN "vc-stack"

#include "stack-service.h"

#define HEALTH_RETRY_MS 100
#define HEALTH_MAX_TRIES 100
#define LOG_TAIL_LINES 15

struct _StackService
{
  gchar *name;
  gchar *log_path;
  gchar *ready_marker;
  GStrv argv;
  SoupSession *http; /* NULL: no health check */
  StackServiceCallbacks callbacks;
  gpointer user_data;

  StackServiceState state;
  StackChild *child;   /* the process of the moment, or the last one */
  gchar *address;      /* what the last process printed */
  gboolean ever_ready; /* a death after this is restarted */
  gint64 ready_since;  /* monotonic µs; 0 while not ready */
  StackRestart restart;
  guint restart_timer; /* back-off */
  guint health_timer;  /* next /healthz try */
  guint health_tries;
  GCancellable *health_cancel; /* the /healthz request in flight */
};

static void service_check_health (StackService *service);

static void
service_become_ready (StackService *service)
{
  service->state = STACK_SERVICE_STATE_READY;
  service->ready_since = g_get_monotonic_time ();
  if (service->ever_ready)
    g_printerr ("vc-stack: %s is running again%s%s (restart %u)\n", service->name,
                service->address ? " at " : "", service->address ? service->address : "",
                service->restart.total);
  service->ever_ready = TRUE;
  if (service->callbacks.ready)
    service->callbacks.ready (service, service->user_data);
}

static gboolean
on_health_retry (gpointer data)
{
  StackService *service = data;

  service->health_timer = 0;
  service_check_health (service);
  return G_SOURCE_REMOVE;
}

/* main thread */
static void
on_health_reply (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  StackService *service;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the service stopped, died or is gone */
  service = data;
  g_clear_object (&service->health_cancel);
  if (service->state != STACK_SERVICE_STATE_STARTING)
    return;
  if (body && msg && soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      service_become_ready (service);
      return;
    }
  if (++service->health_tries >= HEALTH_MAX_TRIES)
    {
      /* Printed its address but never got healthy: as good as dead. Its
       * exit (the kill) goes through the restart logic. */
      g_printerr ("vc-stack: %s/healthz did not answer 200 in %u s (%s); killing %s\n",
                  service->address, HEALTH_MAX_TRIES * HEALTH_RETRY_MS / 1000,
                  error ? error->message : "bad status", service->name);
      stack_child_stop (service->child, 0);
      return;
    }
  /* It printed its address, so it listens; a failed check means it is
   * still finishing its start-up. */
  service->health_timer = g_timeout_add (HEALTH_RETRY_MS, on_health_retry, service);
}

static void
service_check_health (StackService *service)
{
  g_autofree gchar *url = g_strconcat (service->address, "/healthz", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);

  service->health_cancel = g_cancellable_new ();
  soup_session_send_and_read_async (service->http, msg, G_PRIORITY_DEFAULT, service->health_cancel,
                                    on_health_reply, service);
}

static void
service_cancel_health (StackService *service)
{
  g_clear_handle_id (&service->health_timer, g_source_remove);
  if (service->health_cancel)
    g_cancellable_cancel (service->health_cancel);
  g_clear_object (&service->health_cancel);
}

/* main thread */
static void
on_child_ready (StackChild *child, const gchar *address, gpointer data)
{
  StackService *service = data;

  if (service->state != STACK_SERVICE_STATE_STARTING)
    return;
  g_free (service->address);
  service->address = g_strdup (address);
  if (service->http == NULL)
    {
      service_become_ready (service);
      return;
    }
  if (address == NULL)
    {
      g_printerr ("vc-stack: %s printed no address; killing it\n", service->name);
      stack_child_stop (child, 0);
      return;
    }
  service->health_tries = 0;
  service_check_health (service);
}

static gboolean
on_restart_due (gpointer data)
{
  StackService *service = data;
  g_autoptr (GError) error = NULL;

  service->restart_timer = 0;
  if (!stack_service_start (service, &error))
    {
      g_printerr ("vc-stack: cannot start %s again: %s\n", service->name, error->message);
      service->state = STACK_SERVICE_STATE_FAILED;
      if (service->callbacks.failed)
        service->callbacks.failed (service, service->user_data);
    }
  return G_SOURCE_REMOVE;
}

/* main thread: @why is NULL for an exit we asked for. */
static void
on_child_exit (StackChild *child, const gchar *why, gpointer data)
{
  StackService *service = data;
  g_autofree gchar *tail = NULL;
  gint delay;

  service_cancel_health (service);
  if (service->state == STACK_SERVICE_STATE_STOPPING)
    {
      service->state = STACK_SERVICE_STATE_STOPPED;
      if (service->callbacks.stopped)
        service->callbacks.stopped (service, service->user_data);
      return;
    }
  tail = stack_child_log_tail (child, LOG_TAIL_LINES);
  g_printerr ("vc-stack: %s %s; its log %s ends with:\n%s\n", service->name, why ? why : "exited",
              service->log_path, tail);
  delay = service->ever_ready ? stack_restart_after_death (
              &service->restart, g_get_monotonic_time (), service->ready_since)
                              : -1;
  service->ready_since = 0;
  if (delay < 0)
    {
      if (service->ever_ready)
        g_printerr ("vc-stack: %s died %u times within %u s; giving up on it\n", service->name,
                    service->restart.policy.burst + 1,
                    service->restart.policy.burst_interval_ms / 1000);
      else
        g_printerr ("vc-stack: %s failed before it was ready; not restarting it\n", service->name);
      service->state = STACK_SERVICE_STATE_FAILED;
      if (service->callbacks.failed)
        service->callbacks.failed (service, service->user_data);
      return;
    }
  g_printerr ("vc-stack: restarting %s in %.1f s (restart %u; at most %u within %u s)\n",
              service->name, delay / 1000.0, service->restart.total, service->restart.policy.burst,
              service->restart.policy.burst_interval_ms / 1000);
  service->state = STACK_SERVICE_STATE_WAITING;
  service->restart_timer = g_timeout_add (delay, on_restart_due, service);
}

StackService *
stack_service_new (const gchar *name, const gchar *log_path, const gchar *ready_marker,
                   SoupSession *http, const StackRestartPolicy *policy,
                   const StackServiceCallbacks *callbacks, gpointer user_data)
{
  StackService *service = g_new0 (StackService, 1);

  service->name = g_strdup (name);
  service->log_path = g_strdup (log_path);
  service->ready_marker = g_strdup (ready_marker);
  service->http = http ? g_object_ref (http) : NULL;
  service->callbacks = *callbacks;
  service->user_data = user_data;
  service->state = STACK_SERVICE_STATE_STOPPED;
  stack_restart_init (&service->restart, policy);
  return service;
}

void
stack_service_free (StackService *service)
{
  if (service == NULL)
    return;
  service_cancel_health (service);
  g_clear_handle_id (&service->restart_timer, g_source_remove);
  g_clear_pointer (&service->child, stack_child_free);
  g_clear_object (&service->http);
  g_strfreev (service->argv);
  g_free (service->name);
  g_free (service->log_path);
  g_free (service->ready_marker);
  g_free (service->address);
  g_free (service);
}

void
stack_service_set_argv (StackService *service, const gchar *const *argv)
{
  g_strfreev (service->argv);
  service->argv = g_strdupv ((gchar **)argv);
}

gboolean
stack_service_start (StackService *service, GError **error)
{
  g_return_val_if_fail (service->argv != NULL, FALSE);

  /* The last process has exited: its object goes now, not in its own
   * exit callback. */
  g_clear_pointer (&service->child, stack_child_free);
  service->state = STACK_SERVICE_STATE_STARTING;
  service->child
      = stack_child_spawn (service->name, (const gchar *const *)service->argv, service->log_path,
                           service->ready_marker, on_child_ready, on_child_exit, service, error);
  if (service->child == NULL)
    {
      service->state = STACK_SERVICE_STATE_FAILED;
      return FALSE;
    }
  return TRUE;
}

void
stack_service_stop (StackService *service, guint grace_ms)
{
  switch (service->state)
    {
      case STACK_SERVICE_STATE_STARTING:
      case STACK_SERVICE_STATE_READY:
        service_cancel_health (service);
        service->state = STACK_SERVICE_STATE_STOPPING;
        stack_child_stop (service->child, grace_ms);
        break;
      case STACK_SERVICE_STATE_WAITING:
        g_clear_handle_id (&service->restart_timer, g_source_remove);
        service->state = STACK_SERVICE_STATE_STOPPED;
        break;
      case STACK_SERVICE_STATE_STOPPING:
      case STACK_SERVICE_STATE_STOPPED:
      case STACK_SERVICE_STATE_FAILED:
        break;
    }
}

const gchar *
stack_service_get_name (StackService *service)
{
  return service->name;
}

StackServiceState
stack_service_get_state (StackService *service)
{
  return service->state;
}

const gchar *
stack_service_get_address (StackService *service)
{
  return service->address;
}

guint
stack_service_get_restarts (StackService *service)
{
  return service->restart.total;
}

gboolean
stack_service_is_down (StackService *service)
{
  return service->state == STACK_SERVICE_STATE_STOPPED
         || service->state == STACK_SERVICE_STATE_FAILED
         || service->state == STACK_SERVICE_STATE_WAITING;
}
