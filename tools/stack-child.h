/* stack-child.h — one child process of vc-stack: spawn, readiness, logs,
 * death.
 *
 * A child's stdout is read line by line (main thread, async): the first line
 * that contains "http://" gives its address and makes it "listening"; every
 * line is also appended to its log file, where its stderr goes directly.
 * Children get PR_SET_PDEATHSIG=SIGTERM so that they do not outlive vc-stack
 * even when vc-stack is killed with SIGKILL. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  STACK_CHILD_STATE_STARTING,  /* spawned, no address/started line yet */
  STACK_CHILD_STATE_LISTENING, /* printed its ready line */
  STACK_CHILD_STATE_STOPPING,  /* SIGTERM sent by us */
  STACK_CHILD_STATE_EXITED,    /* gone */
} StackChildState;

typedef struct _StackChild StackChild;

/* Called on the main thread when the child printed its ready line
 * (@address is the http://HOST:PORT it printed, or NULL if its ready line
 * had none). */
typedef void (*StackChildReadyFunc) (StackChild *child, const gchar *address, gpointer user_data);
/* Called on the main thread when the child exited; @why says how. */
typedef void (*StackChildExitFunc) (StackChild *child, const gchar *why, gpointer user_data);

/* @ready_marker: a substring of the stdout line that means "ready"
 * ("http://" for servers, " started" for agents). */
StackChild *stack_child_spawn (const gchar *name, const gchar *const *argv, const gchar *log_path,
                               const gchar *ready_marker, StackChildReadyFunc on_ready,
                               StackChildExitFunc on_exit, gpointer user_data, GError **error);
void stack_child_free (StackChild *child);

const gchar *stack_child_get_name (StackChild *child);
const gchar *stack_child_get_address (StackChild *child);
StackChildState stack_child_get_state (StackChild *child);
const gchar *stack_child_get_log_path (StackChild *child);

/* SIGTERM now, SIGKILL after @grace_ms if still alive. */
void stack_child_stop (StackChild *child, guint grace_ms);

/* The last @lines lines of the child's log, for a death report. */
gchar *stack_child_log_tail (StackChild *child, guint lines);

G_END_DECLS
