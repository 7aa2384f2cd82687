/* sched-booking-batch.c — group commit for bookings.
 *
 * Every acknowledged booking must survive kill -9 (synchronous=FULL), so a
 * commit costs an fsync. When several POST /api/v1/meetings arrive
 * together, they are queued (the messages paused) and run by one idle
 * callback inside a single BEGIN IMMEDIATE transaction: each booking in its
 * own SAVEPOINT, so each is still checked against everything before it and
 * refused or kept on its own, and one COMMIT (one fsync) makes them all
 * durable. Only then are the messages answered and the other parts told,
 * once for the whole batch (a room two bookings touched gets one schedule).
 * If the COMMIT fails, every booking of the batch is answered 500.
 *
 * Main thread only: the queue and the batch flag live in SchedCore. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-booking.h"

#include "sched-error.h"
#include "sched-http.h"

typedef struct
{
  SoupServerMessage *msg;
  SchedPrincipal *who;
  JsonNode *root;
  JsonNode *reply;
  JsonObject *extra;
  GError *error;
} SchedBookingJob;

static void
booking_job_free (SchedBookingJob *job)
{
  g_clear_object (&job->msg);
  g_clear_pointer (&job->who, sched_principal_free);
  g_clear_pointer (&job->root, json_node_unref);
  g_clear_pointer (&job->reply, json_node_unref);
  g_clear_pointer (&job->extra, json_object_unref);
  g_clear_error (&job->error);
  g_free (job);
}

gboolean
sched_booking_tx_begin (SchedCore *core, GError **error)
{
  if (core->batch_open)
    return sched_db_run (core->ctx->db, "SAVEPOINT booking", error);
  return sched_db_begin_immediate (core->ctx->db, error);
}

gboolean
sched_booking_tx_commit (SchedCore *core, GError **error)
{
  if (core->batch_open)
    return sched_db_run (core->ctx->db, "RELEASE booking", error);
  return sched_db_commit (core->ctx->db, error);
}

void
sched_booking_tx_rollback (SchedCore *core)
{
  if (core->batch_open)
    {
      sched_db_run (core->ctx->db, "ROLLBACK TO booking", NULL);
      sched_db_run (core->ctx->db, "RELEASE booking", NULL);
    }
  else
    sched_db_rollback (core->ctx->db);
}

void
sched_booking_notify (SchedCore *core, SchedChangeSet *changes)
{
  if (!core->batch_open)
    {
      sched_change_set_notify (changes, core->ctx);
      return;
    }
  if (core->batch_changes == NULL)
    core->batch_changes = sched_change_set_new ();
  sched_change_set_merge (core->batch_changes, changes);
}

/* After the commit: each room once, then each meeting. */
static void
batch_flush_notifications (SchedCore *core, gboolean committed)
{
  g_autoptr (SchedChangeSet) changes = g_steal_pointer (&core->batch_changes);

  if (committed && changes)
    sched_change_set_notify (changes, core->ctx);
}

static void
batch_reply (SchedBookingJob *job)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (job->msg);

  if (job->reply)
    {
      JsonObject *o = json_node_get_object (job->reply);
      g_autofree gchar *location = g_strdup_printf ("/api/v1/meetings/%" G_GINT64_FORMAT,
                                                    json_object_get_int_member (o, "id"));
      g_autofree gchar *etag
          = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", json_object_get_int_member (o, "version"));
      soup_message_headers_replace (headers, "Location", location);
      soup_message_headers_replace (headers, "ETag", etag);
      sched_http_reply_json (job->msg, SOUP_STATUS_CREATED, job->reply);
    }
  else
    sched_http_reply_error_with (job->msg, job->error, job->extra);
  soup_server_message_unpause (job->msg);
}

/* main thread */
static gboolean
on_booking_batch_idle (gpointer user_data)
{
  SchedCore *core = user_data;
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)booking_job_free);
  g_autoptr (GError) outer = NULL;
  gboolean committed = FALSE;
  SchedBookingJob *job;

  core->booking_batch_source = 0;
  while ((job = g_queue_pop_head (core->booking_queue)))
    g_ptr_array_add (jobs, job);
  core->batch_open = sched_db_begin_immediate (core->ctx->db, &outer);
  for (guint i = 0; core->batch_open && i < jobs->len; i++)
    {
      job = g_ptr_array_index (jobs, i);
      job->reply = sched_booking_create (core, job->who, json_node_get_object (job->root),
                                         &job->extra, &job->error);
    }
  if (core->batch_open)
    {
      core->batch_open = FALSE;
      committed = sched_db_commit (core->ctx->db, &outer);
    }
  for (guint i = 0; i < jobs->len; i++)
    {
      job = g_ptr_array_index (jobs, i);
      if (!committed && job->error == NULL)
        {
          g_clear_pointer (&job->reply, json_node_unref);
          job->error = g_error_copy (outer);
        }
      batch_reply (job);
    }
  batch_flush_notifications (core, committed);
  return G_SOURCE_REMOVE;
}

static SchedPrincipal *
booking_principal_copy (const SchedPrincipal *p)
{
  SchedPrincipal *copy = g_new0 (SchedPrincipal, 1);

  copy->token_id = p->token_id;
  copy->role = p->role;
  copy->unit = g_strdup (p->unit);
  copy->endpoint = g_strdup (p->endpoint);
  copy->name = g_strdup (p->name);
  return copy;
}

void
sched_booking_enqueue (SchedCore *core, const SchedPrincipal *who, SoupServerMessage *msg,
                       JsonNode *root)
{
  SchedBookingJob *job = g_new0 (SchedBookingJob, 1);

  job->msg = g_object_ref (msg);
  job->who = booking_principal_copy (who);
  job->root = json_node_ref (root);
  if (core->booking_queue == NULL)
    core->booking_queue = g_queue_new ();
  g_queue_push_tail (core->booking_queue, job);
  soup_server_message_pause (msg);
  /* Idle priority: the requests already readable are parsed and queued
   * first, so that they share the batch. */
  if (core->booking_batch_source == 0)
    core->booking_batch_source = g_idle_add (on_booking_batch_idle, core);
}

void
sched_booking_batch_shutdown (SchedCore *core)
{
  g_clear_handle_id (&core->booking_batch_source, g_source_remove);
  if (core->booking_queue)
    {
      g_queue_free_full (core->booking_queue, (GDestroyNotify)booking_job_free);
      core->booking_queue = NULL;
    }
  g_clear_pointer (&core->batch_changes, sched_change_set_free);
}
