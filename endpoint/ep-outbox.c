/* ep-outbox.c — attendance events to the scheduler, at least once and
 * acknowledged (see ep-outbox.h).
 *
 * One POST in flight at a time, up to BATCH events each. On 200 the ids are
 * acknowledged in the journal and the next batch goes at once; on any
 * failure (network, 5xx, 4xx) the batch stays in the outbox and is retried
 * after a back-off of 1, 2, 4 … RETRY_MAX seconds. A 5 s timer also retries,
 * so events queued while the scheduler was down leave when it is back. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-outbox.h"
#include "vc-attendance-wire.h"

#include <libsoup/soup.h>
#include <string.h>

/* Events per POST; the contract takes at most VC_ATTENDANCE_WIRE_MAX_EVENTS. */
#define BATCH 100
G_STATIC_ASSERT (BATCH <= VC_ATTENDANCE_WIRE_MAX_EVENTS);
#define RETRY_MIN_MS 500
#define RETRY_MAX_MS 10000
#define POLL_MS 5000

struct _EpOutbox
{
  GObject parent;
  EpJournal *journal; /* borrowed */
  gchar *url;
  gchar *auth;
  SoupSession *session;
  GCancellable *cancellable;
  GPtrArray *in_flight; /* ids of the POST in flight, NULL when idle */
  guint retry_ms;
  guint retry_id;
  guint poll_id;
  gboolean failing; /* logged once until it works again */
};

G_DEFINE_FINAL_TYPE (EpOutbox, ep_outbox, G_TYPE_OBJECT)

enum
{
  SIGNAL_FLUSHED,
  SIGNAL_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void outbox_send (EpOutbox *outbox);

static gboolean
on_retry (gpointer user_data)
{
  EpOutbox *outbox = user_data;

  outbox->retry_id = 0;
  outbox_send (outbox);
  return G_SOURCE_REMOVE;
}

static gboolean
on_poll (gpointer user_data)
{
  EpOutbox *outbox = user_data;

  if (outbox->retry_id == 0)
    outbox_send (outbox);
  return G_SOURCE_CONTINUE;
}

static void
outbox_failed (EpOutbox *outbox, const gchar *reason)
{
  if (!outbox->failing)
    g_message ("outbox: cannot send attendance (%s); %u event(s) kept, retrying", reason,
               ep_journal_outbox_count (outbox->journal));
  outbox->failing = TRUE;
  g_signal_emit (outbox, signals[SIGNAL_FAILED], 0, reason);
  g_clear_handle_id (&outbox->retry_id, g_source_remove);
  outbox->retry_id = g_timeout_add (outbox->retry_ms, on_retry, outbox);
  outbox->retry_ms = MIN (outbox->retry_ms * 2, RETRY_MAX_MS);
}

/* main thread */
static void
on_post_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SoupMessage *msg = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  EpOutbox *outbox;
  g_autoptr (GPtrArray) ids = NULL;
  g_auto (VcAttendanceWireAnswer) answer = { 0 };
  g_autoptr (GError) unread = NULL;
  guint status;

  outbox = g_object_get_data (G_OBJECT (msg), "ep-outbox");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (msg);
      g_object_unref (outbox);
      return;
    }
  status = soup_message_get_status (msg);
  ids = g_steal_pointer (&outbox->in_flight);
  if (body == NULL || status != SOUP_STATUS_OK)
    {
      g_autofree gchar *reason
          = body ? g_strdup_printf ("HTTP %u", status) : g_strdup (error->message);

      outbox_failed (outbox, reason);
      g_object_unref (msg);
      g_object_unref (outbox);
      return;
    }
  /* A 200 means the batch was taken: acknowledged even when the answer
   * cannot be read (its counts are then 0). */
  {
    gsize len = 0;
    const gchar *data = g_bytes_get_data (body, &len);

    if (!vc_attendance_wire_answer_parse (data, len, &answer, &unread))
      g_message ("outbox: the scheduler's answer is not readable: %s", unread->message);
    for (guint i = 0; i < answer.rejected->len; i++)
      {
        const VcAttendanceWireRejection *r = g_ptr_array_index (answer.rejected, i);
        g_message ("outbox: event %s rejected by the scheduler (%s: %s)", r->id, r->field,
                   r->message);
      }
  }
  if (!ep_journal_ack (outbox->journal, ids, &error))
    g_warning ("outbox: %s", error->message);
  if (outbox->failing)
    g_message ("outbox: scheduler reachable again");
  outbox->failing = FALSE;
  outbox->retry_ms = RETRY_MIN_MS;
  g_info ("outbox: %u event(s) sent: %" G_GINT64_FORMAT " accepted, %" G_GINT64_FORMAT
          " duplicates",
          ids->len, answer.accepted, answer.duplicates);
  if (ep_journal_outbox_count (outbox->journal) > 0)
    outbox_send (outbox);
  else
    g_signal_emit (outbox, signals[SIGNAL_FLUSHED], 0, (guint)answer.accepted,
                   (guint)answer.duplicates);
  g_object_unref (msg);
  g_object_unref (outbox);
}

static void
outbox_send (EpOutbox *outbox)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) wire = NULL;
  g_autofree VcAttendanceWireEvent *views = NULL;
  g_autoptr (GBytes) bytes = NULL;
  SoupMessage *msg;
  gchar *text;

  if (outbox->in_flight)
    return;
  events = ep_journal_outbox (outbox->journal, BATCH, &error);
  if (events == NULL)
    {
      g_warning ("outbox: %s", error->message);
      return;
    }
  if (events->len == 0)
    return;

  /* Views of the journal's events for the codec, which only reads them. */
  views = g_new0 (VcAttendanceWireEvent, events->len);
  wire = g_ptr_array_sized_new (events->len);
  outbox->in_flight = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < events->len; i++)
    {
      EpEvent *e = events->pdata[i];

      views[i] = (VcAttendanceWireEvent){
        .id = e->id,
        .meeting = e->meeting,
        .at = e->at,
        .reason = e->reason,
      };
      if (!vc_attendance_wire_event_type_from_string (e->type, &views[i].type))
        g_assert_not_reached (); /* the journal's CHECK allows joined and left only */
      g_ptr_array_add (wire, &views[i]);
      g_ptr_array_add (outbox->in_flight, g_strdup (e->id));
    }
  text = vc_attendance_wire_request_build (wire);
  bytes = g_bytes_new_take (text, strlen (text));

  msg = soup_message_new ("POST", outbox->url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                outbox->auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_object_set_data (G_OBJECT (msg), "ep-outbox", outbox);
  g_object_ref (outbox); /* released in on_post_done */
  soup_session_send_and_read_async (outbox->session, msg, G_PRIORITY_DEFAULT, outbox->cancellable,
                                    on_post_done, msg);
}

void
ep_outbox_kick (EpOutbox *outbox)
{
  g_return_if_fail (EP_IS_OUTBOX (outbox));

  g_clear_handle_id (&outbox->retry_id, g_source_remove);
  outbox_send (outbox);
}

gboolean
ep_outbox_busy (EpOutbox *outbox)
{
  return outbox->in_flight != NULL;
}

static void
ep_outbox_dispose (GObject *object)
{
  EpOutbox *outbox = EP_OUTBOX (object);

  g_cancellable_cancel (outbox->cancellable);
  g_clear_handle_id (&outbox->retry_id, g_source_remove);
  g_clear_handle_id (&outbox->poll_id, g_source_remove);
  g_clear_object (&outbox->session);
  g_clear_object (&outbox->cancellable);
  g_clear_pointer (&outbox->in_flight, g_ptr_array_unref);
  G_OBJECT_CLASS (ep_outbox_parent_class)->dispose (object);
}

static void
ep_outbox_finalize (GObject *object)
{
  EpOutbox *outbox = EP_OUTBOX (object);

  g_free (outbox->url);
  g_free (outbox->auth);
  G_OBJECT_CLASS (ep_outbox_parent_class)->finalize (object);
}

static void
ep_outbox_class_init (EpOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ep_outbox_dispose;
  object_class->finalize = ep_outbox_finalize;
  signals[SIGNAL_FLUSHED]
      = g_signal_new ("flushed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ep_outbox_init (EpOutbox *outbox)
{
  outbox->retry_ms = RETRY_MIN_MS;
}

EpOutbox *
ep_outbox_new (EpJournal *journal, const gchar *scheduler_url, const gchar *token)
{
  EpOutbox *outbox = g_object_new (EP_TYPE_OUTBOX, NULL);

  outbox->journal = journal;
  outbox->url = g_strconcat (scheduler_url, VC_ATTENDANCE_WIRE_PATH, NULL);
  outbox->auth = g_strconcat ("Bearer ", token, NULL);
  outbox->session = soup_session_new_with_options ("timeout", 10, NULL);
  outbox->cancellable = g_cancellable_new ();
  outbox->poll_id = g_timeout_add (POLL_MS, on_poll, outbox);
  return outbox;
}
