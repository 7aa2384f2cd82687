/* stack-service.h — one program vc-stack keeps running, as a systemd
 * service with Restart=on-failure: the process of the moment (a StackChild),
 * its readiness, and its restarts.
 *
 * Readiness is checked the same way at every start: the child's ready line
 * on stdout, then, for a server, GET ADDRESS/healthz answering 200 (asked
 * again every 100 ms, for at most 10 s; a child that does not get healthy
 * is killed and counts as dead). A child that dies without being asked to
 * is started again after the delays of stack-restart.h, with its log's last
 * lines and the delay on stderr; once the burst limit is reached the
 * service is FAILED and its owner told. A child that dies before it was
 * ever ready is a start-up failure: FAILED at once, no restart (a bad
 * configuration would only fail again).
 *
 * Everything runs on the main thread. */
#pragma once

#include "stack-child.h"
#include "stack-restart.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  STACK_SERVICE_STATE_STARTING, /* spawned, not ready yet */
  STACK_SERVICE_STATE_READY,    /* ready line (and health) seen */
  STACK_SERVICE_STATE_WAITING,  /* died; restarts when its back-off ends */
  STACK_SERVICE_STATE_STOPPING, /* asked to stop */
  STACK_SERVICE_STATE_STOPPED,  /* stopped as asked, or never started */
  STACK_SERVICE_STATE_FAILED,   /* gave up on it */
} StackServiceState;

typedef struct _StackService StackService;

typedef struct
{
  /* Ready, at the first start and after every restart. */
  void (*ready) (StackService *service, gpointer user_data);
  /* Its process is gone after stack_service_stop(). */
  void (*stopped) (StackService *service, gpointer user_data);
  /* Given up: died before its first readiness, or too often. */
  void (*failed) (StackService *service, gpointer user_data);
} StackServiceCallbacks;

/* @ready_marker as for stack_child_spawn(); @http: NULL for a child with
 * no health check (an agent), else the session that asks /healthz. */
StackService *stack_service_new (const gchar *name, const gchar *log_path,
                                 const gchar *ready_marker, SoupSession *http,
                                 const StackRestartPolicy *policy,
                                 const StackServiceCallbacks *callbacks, gpointer user_data);
void stack_service_free (StackService *service);

/* The command of the next start (copied). */
void stack_service_set_argv (StackService *service, const gchar *const *argv);
gboolean stack_service_start (StackService *service, GError **error);
/* SIGTERM, then SIGKILL after @grace_ms; a service waiting to restart is
 * STOPPED at once (no callback). */
void stack_service_stop (StackService *service, guint grace_ms);

const gchar *stack_service_get_name (StackService *service);
StackServiceState stack_service_get_state (StackService *service);
/* The address its current (or last) process printed. */
const gchar *stack_service_get_address (StackService *service);
guint stack_service_get_restarts (StackService *service);
/* TRUE when it has no process left (STOPPED, FAILED, or WAITING). */
gboolean stack_service_is_down (StackService *service);

G_END_DECLS
