/* sched-bridge.c — opens and closes meeting rooms on vc-bridge.
 *
 * A 1 s tick compares the meetings that should have an open room (scheduled,
 * starting within room_open_lead_seconds, not yet ended) with the rooms it
 * knows. Each room moves through a small state machine, one request in flight
 * at a time:
 *
 *   NEW ──POST /rooms──▶ OPEN ──(not wanted any more)──DELETE──▶ removed
 *    ▲ (failure: retry after RETRY_SECONDS)  │ meeting_changed: re-POST
 *
 * Open rooms are polled with GET /rooms/{id} every POLL_SECONDS and the JSON
 * is kept for the monitor. The bridge being down is logged once, then
 * retried quietly until it answers again.
 *
 * Adoption. While the scheduler is away, the rooms' join tokens open their
 * rooms on the bridge themselves (media/bridge-room-open.h; such a room says
 * "opened_by": "token"). At start, whenever the bridge answers again after
 * an outage, and every LIST_POLL_SECONDS, the opener lists the bridge's
 * rooms (GET /rooms) and takes over those it does not know: the room of a
 * meeting that is still scheduled and not over is adopted (posted again
 * with the full participant list, names and chair, then managed as usual,
 * even before the opening lead); the room of a meeting that was cancelled
 * or has ended is closed (DELETE). A polled room that says it was opened
 * by a token (the bridge restarted and a room reopened it before the
 * scheduler did) is posted again too. Rooms whose id is no meeting of this
 * scheduler are left alone: the bridge closes them when they are empty.
 *
 * The bridge's limits (GET /capacity: max_rooms, max_participants) are read
 * at start, every CAPACITY_POLL_SECONDS and after a refused POST, into
 * SchedContext.bridge_max_*: the booking rules check them, so that a
 * meeting booked is a meeting the bridge will open.
 *
 * Everything runs on the main thread; SoupSession callbacks come back to it. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-bridge.h"
#include "sched-bridge-uplink.h"
#include "sched-agent-schedule.h"
#include "sched-model-meeting.h"
#include "sched-error.h"
#include "vc-time.h"

#include <string.h>

#define TICK_MS 1000
#define POLL_SECONDS 2
#define RETRY_SECONDS 2
#define CAPACITY_POLL_SECONDS 30
#define LIST_POLL_SECONDS 10

/* The life of a room as the scheduler sees it. */
typedef enum
{
  SCHED_BRIDGE_ROOM_NEW,    /* wanted, not yet accepted by the bridge */
  SCHED_BRIDGE_ROOM_OPEN,   /* the bridge answered POST /rooms with 200/201 */
  SCHED_BRIDGE_ROOM_CLOSED, /* DELETE answered (or never opened): drop it */
} SchedBridgeRoomState;

typedef struct
{
  gint64 id;
  SchedBridgeRoomState state;
  gboolean dirty;      /* re-POST: the participants or chair changed */
  gboolean busy;       /* a POST or DELETE is in flight */
  gboolean polling;    /* a GET is in flight */
  gint64 retry_at;     /* monotonic µs; no POST/DELETE before */
  gint64 next_poll_at; /* monotonic µs */
  JsonNode *room;      /* last GET /rooms/{id} */
  gboolean adopted;    /* found on the bridge: kept open while its meeting is live */
  gint64 record_from;  /* the meeting's start when it is recorded, else 0 */
  gboolean record_on;  /* the last POST asked the bridge to record */
} SchedBridgeRoom;

struct _SchedBridge
{
  SchedContext *ctx;
  SoupSession *session;
  GCancellable *cancellable;
  GHashTable *rooms; /* gint64* id → SchedBridgeRoom* */
  guint tick_id;
  guint kick_id;
  gboolean down;          /* logged once until it answers again */
  gboolean answered;      /* it has answered at least once */
  gboolean capacity_busy; /* a GET /capacity is in flight */
  gboolean capacity_unknown_logged;
  gint64 next_capacity_at;     /* monotonic µs */
  gboolean list_busy;          /* a GET /rooms is in flight */
  gint64 next_list_at;         /* monotonic µs */
  SchedBridgeUplinks *uplinks; /* posts the meetings' links to central conferences */
};

typedef enum
{
  REQUEST_POST,
  REQUEST_DELETE,
  REQUEST_GET,
  REQUEST_CAPACITY,
  REQUEST_LIST,
} RequestKind;

typedef struct
{
  SchedBridge *bridge;
  gint64 id;
  RequestKind kind;
  SoupMessage *msg;
  GCancellable *cancellable; /* the bridge's: cancelled once it is freed */
} RoomRequest;

static gboolean on_kick (gpointer user_data);

static void
room_free (SchedBridgeRoom *room)
{
  g_clear_pointer (&room->room, json_node_unref);
  g_free (room);
}

static SoupMessage *
bridge_message (SchedBridge *bridge, const gchar *method, const gchar *path, JsonNode *body)
{
  g_autofree gchar *url = g_strconcat (bridge->ctx->settings->bridge_url, path, NULL);
  g_autofree gchar *auth = g_strconcat (
      "Bearer ", bridge->ctx->settings->bridge_secret ? bridge->ctx->settings->bridge_secret : "",
      NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    return NULL;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body)
    {
      gsize len = 0;
      gchar *text = json_to_string (body, FALSE);
      g_autoptr (GBytes) bytes = NULL;

      len = strlen (text);
      bytes = g_bytes_new_take (text, len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

static void
bridge_note_reachable (SchedBridge *bridge, gboolean reachable, const GError *error)
{
  if (!reachable && !bridge->down)
    {
      g_warning ("bridge %s unreachable: %s (retrying)", bridge->ctx->settings->bridge_url,
                 error ? error->message : "unknown error");
      bridge->down = TRUE;
    }
  if (reachable)
    bridge->answered = TRUE;
  if (reachable && bridge->down)
    {
      g_message ("bridge %s reachable again", bridge->ctx->settings->bridge_url);
      bridge->down = FALSE;
      bridge->next_list_at = 0; /* it may have rooms of its own now */
    }
}

/* POST /rooms body: id, participants, chair, layout, record. NULL if the
 * meeting is gone. A recorded meeting's room opens early (the agents join
 * ahead) but records from the meeting's start: the tick posts it again
 * then (@room's record_from and record_on). */
static JsonNode *
room_body (SchedBridge *bridge, SchedBridgeRoom *room)
{
  gint64 id = room->id;
  SchedDb *db = bridge->ctx->db;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedMeeting) meeting = sched_meeting_load (db, id, &error);
  g_autoptr (GPtrArray) participants = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (meeting)
    participants = sched_meeting_room_list_participants (db, id, &error);
  if (participants == NULL)
    {
      if (!g_error_matches (error, SCHED_ERROR, SCHED_ERROR_NOT_FOUND))
        g_warning ("bridge: %s", error->message);
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id_text);
  json_builder_set_member_name (b, "participants");
  json_builder_begin_array (b);
  for (guint i = 0; i < participants->len; i++)
    {
      const SchedParticipant *p = g_ptr_array_index (participants, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "endpoint");
      json_builder_add_string_value (b, p->code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, p->name);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "chair");
  json_builder_add_string_value (b, meeting->chair);
  json_builder_set_member_name (b, "layout");
  json_builder_add_string_value (b, "grid");
  room->record_from = meeting->record ? meeting->start : 0;
  room->record_on = meeting->record && vc_time_now () >= meeting->start;
  json_builder_set_member_name (b, "record");
  json_builder_add_boolean_value (b, room->record_on);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* GET /capacity answered: keep the bridge's limits for the booking rules. */
static void
bridge_read_capacity (SchedBridge *bridge, guint status, GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  SchedContext *ctx = bridge->ctx;
  gsize len = 0;
  const gchar *data = g_bytes_get_data (body, &len);
  JsonObject *o;
  gint64 rooms, participants;

  if (status == SOUP_STATUS_OK && json_parser_load_from_data (parser, data, len, NULL)
      && sched_agent_json_root_is_object (parser))
    {
      o = json_node_get_object (json_parser_get_root (parser));
      rooms = json_object_get_int_member_with_default (o, "max_rooms", 0);
      participants = json_object_get_int_member_with_default (o, "max_participants", 0);
    }
  else
    rooms = participants = 0;
  if (rooms < 1 || rooms > G_MAXINT || participants < 1 || participants > G_MAXINT)
    {
      /* an older bridge: bookings are checked against [bridge] capacity */
      if (!bridge->capacity_unknown_logged)
        g_message ("bridge: GET /capacity answered %u without max_rooms and max_participants",
                   status);
      bridge->capacity_unknown_logged = TRUE;
      return;
    }
  if (rooms != ctx->bridge_max_rooms || participants != ctx->bridge_max_participants)
    g_message ("bridge: holds %" G_GINT64_FORMAT " rooms and %" G_GINT64_FORMAT
               " participants at once; bookings are checked against that",
               rooms, participants);
  ctx->bridge_max_rooms = (gint)rooms;
  ctx->bridge_max_participants = (gint)participants;
}

/* Does a room JSON of the bridge say a join token opened it? */
static gboolean
bridge_room_opened_by_token (JsonNode *room)
{
  return JSON_NODE_HOLDS_OBJECT (room)
         && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (room),
                                                                   "opened_by", NULL),
                       "token")
                == 0;
}

/* Is meeting @id scheduled and not over at @now? */
static gboolean
bridge_meeting_live (SchedBridge *bridge, gint64 id, gint64 now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedMeeting) meeting = sched_meeting_load (bridge->ctx->db, id, &error);

  return meeting != NULL && g_strcmp0 (meeting->status, "scheduled") == 0 && meeting->end > now;
}

/* A room the bridge has and we do not know: adopt it or close it. */
static void
bridge_adopt_room (SchedBridge *bridge, JsonNode *node, gint64 now)
{
  const gchar *text
      = JSON_NODE_HOLDS_OBJECT (node)
            ? json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL)
            : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedMeeting) meeting = NULL;
  SchedBridgeRoom *room;
  gint64 id;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    return; /* not a meeting's room */
  room = g_hash_table_lookup (bridge->rooms, &id);
  if (room != NULL)
    return; /* ours: the poll sees it */
  meeting = sched_meeting_load (bridge->ctx->db, id, &error);
  if (meeting == NULL)
    {
      g_debug ("bridge: room %s is no meeting of this scheduler; left to the bridge", text);
      return;
    }
  room = g_new0 (SchedBridgeRoom, 1);
  room->id = id;
  if (g_strcmp0 (meeting->status, "scheduled") == 0 && meeting->end > now)
    {
      g_message ("bridge: room %" G_GINT64_FORMAT
                 " found on the bridge (opened by %s); adopting it",
                 id, bridge_room_opened_by_token (node) ? "a join token" : "an earlier run");
      room->state = SCHED_BRIDGE_ROOM_OPEN;
      room->dirty = TRUE; /* post the full participant list, names and chair */
      room->adopted = TRUE;
      room->room = json_node_copy (node);
    }
  else
    {
      g_message ("bridge: room %" G_GINT64_FORMAT " found on the bridge for a meeting that is %s;"
                 " closing it",
                 id, meeting->end <= now ? "over" : meeting->status);
      room->state = SCHED_BRIDGE_ROOM_CLOSED;
    }
  g_hash_table_insert (bridge->rooms, &room->id, room);
}

/* GET /rooms answered. */
static void
bridge_adopt_rooms (SchedBridge *bridge, guint status, GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const gchar *data = g_bytes_get_data (body, &len);
  JsonNode *rooms = NULL;
  gint64 now = vc_time_now ();

  if (status == SOUP_STATUS_OK && json_parser_load_from_data (parser, data, len, NULL)
      && sched_agent_json_root_is_object (parser))
    rooms = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "rooms");
  if (rooms == NULL || !JSON_NODE_HOLDS_ARRAY (rooms))
    {
      g_debug ("bridge: GET /rooms answered %u without a rooms array", status);
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (rooms)); i++)
    bridge_adopt_room (bridge, json_array_get_element (json_node_get_array (rooms), i), now);
  if (g_hash_table_size (bridge->rooms) > 0 && bridge->tick_id && bridge->kick_id == 0)
    bridge->kick_id = g_idle_add (on_kick, bridge);
}

static void
on_room_request_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RoomRequest *req = user_data;
  SchedBridge *bridge = req->bridge;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr (SoupMessage) msg = req->msg;
  gint64 id = req->id;
  RequestKind kind = req->kind;
  g_autoptr (GCancellable) cancellable = req->cancellable;
  SchedBridgeRoom *room;
  guint status;

  g_free (req);
  if (g_cancellable_is_cancelled (cancellable))
    return; /* the bridge object is gone */
  if (kind == REQUEST_CAPACITY)
    {
      bridge->capacity_busy = FALSE;
      bridge_note_reachable (bridge, body != NULL, error);
      if (body != NULL)
        bridge_read_capacity (bridge, soup_message_get_status (msg), body);
      return;
    }
  if (kind == REQUEST_LIST)
    {
      bridge->list_busy = FALSE;
      bridge_note_reachable (bridge, body != NULL, error);
      if (body != NULL)
        bridge_adopt_rooms (bridge, soup_message_get_status (msg), body);
      return;
    }
  room = g_hash_table_lookup (bridge->rooms, &id);
  if (room == NULL)
    return;
  if (kind == REQUEST_GET)
    room->polling = FALSE;
  else
    room->busy = FALSE;
  if (body == NULL)
    {
      bridge_note_reachable (bridge, FALSE, error);
      if (kind == REQUEST_POST)
        room->dirty = TRUE; /* not sent: post it again once the bridge answers */
      if (kind != REQUEST_GET)
        room->retry_at = g_get_monotonic_time () + RETRY_SECONDS * G_USEC_PER_SEC;
      return;
    }
  bridge_note_reachable (bridge, TRUE, NULL);
  status = soup_message_get_status (msg);

  switch (kind)
    {
      case REQUEST_POST:
        if (status == SOUP_STATUS_OK || status == SOUP_STATUS_CREATED)
          {
            if (room->state != SCHED_BRIDGE_ROOM_OPEN)
              g_message ("bridge: room %" G_GINT64_FORMAT " open", id);
            room->state = SCHED_BRIDGE_ROOM_OPEN;
            room->next_poll_at = 0;
          }
        else
          {
            g_warning ("bridge: POST /rooms for %" G_GINT64_FORMAT " answered %u (retrying)", id,
                       status);
            bridge->next_capacity_at = 0; /* its limits may have changed */
            room->dirty = TRUE;
            room->retry_at = g_get_monotonic_time () + RETRY_SECONDS * G_USEC_PER_SEC;
          }
        break;
      case REQUEST_DELETE:
        if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_OK
            || status == SOUP_STATUS_NOT_FOUND)
          {
            g_message ("bridge: room %" G_GINT64_FORMAT " closed", id);
            sched_bridge_uplinks_room_gone (bridge->uplinks, id);
            g_hash_table_remove (bridge->rooms, &id);
          }
        else
          room->retry_at = g_get_monotonic_time () + RETRY_SECONDS * G_USEC_PER_SEC;
        break;
      case REQUEST_GET:
        if (status == SOUP_STATUS_OK)
          {
            g_autoptr (JsonParser) parser = json_parser_new ();
            gsize len = 0;
            const gchar *data = g_bytes_get_data (body, &len);

            if (json_parser_load_from_data (parser, data, len, NULL)
                && sched_agent_json_root_is_object (parser))
              {
                g_clear_pointer (&room->room, json_node_unref);
                room->room = json_node_copy (json_parser_get_root (parser));
                sched_bridge_uplinks_room_polled (bridge->uplinks, id, room->room);
                if (bridge_room_opened_by_token (room->room)
                    && room->state == SCHED_BRIDGE_ROOM_OPEN && !room->dirty)
                  {
                    /* The bridge lost the room (restart) and a join token
                     * opened it again before our POST: complete it. */
                    g_message ("bridge: room %" G_GINT64_FORMAT
                               " was opened by a join token; posting its participants",
                               id);
                    room->dirty = TRUE;
                  }
              }
          }
        else if (status == SOUP_STATUS_NOT_FOUND)
          {
            /* The bridge lost the room (restart): open it again. */
            sched_bridge_uplinks_room_gone (bridge->uplinks, id);
            room->state = SCHED_BRIDGE_ROOM_NEW;
            room->dirty = TRUE;
            g_clear_pointer (&room->room, json_node_unref);
          }
        break;
      case REQUEST_CAPACITY: /* handled above */
      case REQUEST_LIST:
        break;
    }
}

static void
room_send (SchedBridge *bridge, SchedBridgeRoom *room, RequestKind kind)
{
  g_autofree gchar *path = NULL;
  g_autoptr (JsonNode) body = NULL;
  const gchar *method = "GET";
  RoomRequest *req;

  if (kind == REQUEST_POST)
    {
      body = room_body (bridge, room);
      if (body == NULL)
        return;
      path = g_strdup ("/rooms");
      method = "POST";
      room->dirty = FALSE;
      room->busy = TRUE;
    }
  else
    {
      path = g_strdup_printf ("/rooms/%" G_GINT64_FORMAT, room->id);
      if (kind == REQUEST_DELETE)
        {
          method = "DELETE";
          room->busy = TRUE;
        }
      else
        {
          room->polling = TRUE;
          room->next_poll_at = g_get_monotonic_time () + POLL_SECONDS * G_USEC_PER_SEC;
        }
    }
  req = g_new0 (RoomRequest, 1);
  req->bridge = bridge;
  req->id = room->id;
  req->kind = kind;
  req->cancellable = g_object_ref (bridge->cancellable);
  req->msg = bridge_message (bridge, method, path, body);
  if (req->msg == NULL)
    {
      g_warning ("bridge: bad bridge_url %s", bridge->ctx->settings->bridge_url);
      room->busy = room->polling = FALSE;
      g_object_unref (req->cancellable);
      g_free (req);
      return;
    }
  soup_session_send_and_read_async (bridge->session, req->msg, G_PRIORITY_DEFAULT,
                                    bridge->cancellable, on_room_request_done, req);
}

static void
bridge_ask_capacity (SchedBridge *bridge)
{
  RoomRequest *req = g_new0 (RoomRequest, 1);

  req->bridge = bridge;
  req->kind = REQUEST_CAPACITY;
  req->cancellable = g_object_ref (bridge->cancellable);
  req->msg = bridge_message (bridge, "GET", "/capacity", NULL);
  bridge->next_capacity_at = g_get_monotonic_time () + CAPACITY_POLL_SECONDS * G_USEC_PER_SEC;
  if (req->msg == NULL)
    {
      g_object_unref (req->cancellable);
      g_free (req);
      return;
    }
  bridge->capacity_busy = TRUE;
  soup_session_send_and_read_async (bridge->session, req->msg, G_PRIORITY_DEFAULT,
                                    bridge->cancellable, on_room_request_done, req);
}

static void
bridge_list_rooms (SchedBridge *bridge)
{
  RoomRequest *req = g_new0 (RoomRequest, 1);

  req->bridge = bridge;
  req->kind = REQUEST_LIST;
  req->cancellable = g_object_ref (bridge->cancellable);
  req->msg = bridge_message (bridge, "GET", "/rooms", NULL);
  bridge->next_list_at = g_get_monotonic_time () + LIST_POLL_SECONDS * G_USEC_PER_SEC;
  if (req->msg == NULL)
    {
      g_object_unref (req->cancellable);
      g_free (req);
      return;
    }
  bridge->list_busy = TRUE;
  soup_session_send_and_read_async (bridge->session, req->msg, G_PRIORITY_DEFAULT,
                                    bridge->cancellable, on_room_request_done, req);
}

/* Ids of the meetings whose room should be open now. */
static GHashTable *
wanted_rooms (SchedBridge *bridge, gint64 now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTable *wanted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (!sched_meeting_list_live_ids (
          bridge->ctx->db, now + bridge->ctx->settings->room_open_lead_seconds, now, ids, &error))
    {
      g_warning ("bridge: %s", error->message);
      return wanted;
    }
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (wanted, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
  return wanted;
}

static gboolean
on_tick (gpointer user_data)
{
  SchedBridge *bridge = user_data;
  gint64 now = vc_time_now ();
  g_autoptr (GHashTable) wanted = wanted_rooms (bridge, now);
  gint64 mono = g_get_monotonic_time ();
  GHashTableIter iter;
  gint64 *id;
  SchedBridgeRoom *room;

  if (!bridge->capacity_busy && mono >= bridge->next_capacity_at)
    bridge_ask_capacity (bridge);
  if (!bridge->list_busy && mono >= bridge->next_list_at)
    bridge_list_rooms (bridge);

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, (gpointer *)&id, NULL))
    if (!g_hash_table_contains (bridge->rooms, id))
      {
        room = g_new0 (SchedBridgeRoom, 1);
        room->id = *id;
        room->state = SCHED_BRIDGE_ROOM_NEW;
        room->dirty = TRUE;
        g_hash_table_insert (bridge->rooms, &room->id, room);
      }

  g_hash_table_iter_init (&iter, bridge->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&room))
    {
      if (room->busy || mono < room->retry_at)
        continue;
      if (g_hash_table_contains (wanted, &room->id)
          || (room->adopted && room->state != SCHED_BRIDGE_ROOM_CLOSED
              && bridge_meeting_live (bridge, room->id, now)))
        {
          if (room->record_from != 0 && !room->record_on && now >= room->record_from
              && room->state == SCHED_BRIDGE_ROOM_OPEN)
            room->dirty = TRUE; /* the recorded meeting starts: record */
          if (room->dirty)
            room_send (bridge, room, REQUEST_POST);
          else if (room->state == SCHED_BRIDGE_ROOM_OPEN && !room->polling
                   && mono >= room->next_poll_at)
            room_send (bridge, room, REQUEST_GET);
        }
      else if (room->state == SCHED_BRIDGE_ROOM_OPEN || room->state == SCHED_BRIDGE_ROOM_NEW)
        {
          /* Ended, cancelled or moved away: close it (a NEW room may have
           * been created by a POST whose answer was lost). */
          room->state = SCHED_BRIDGE_ROOM_CLOSED;
          room_send (bridge, room, REQUEST_DELETE);
        }
      else if (room->state == SCHED_BRIDGE_ROOM_CLOSED)
        room_send (bridge, room, REQUEST_DELETE); /* retry a failed DELETE */
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_kick (gpointer user_data)
{
  SchedBridge *bridge = user_data;

  bridge->kick_id = 0;
  on_tick (bridge);
  return G_SOURCE_REMOVE;
}

SchedBridge *
sched_bridge_new (SchedContext *ctx)
{
  SchedBridge *bridge = g_new0 (SchedBridge, 1);

  bridge->ctx = ctx;
  bridge->session = soup_session_new_with_options ("timeout", 10, "idle-timeout", 30, NULL);
  bridge->cancellable = g_cancellable_new ();
  bridge->rooms
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify)room_free);
  bridge->uplinks = sched_bridge_uplinks_new (ctx, bridge);
  if (ctx->settings->bridge_url && *ctx->settings->bridge_url)
    {
      bridge->tick_id = g_timeout_add (TICK_MS, on_tick, bridge);
      bridge->kick_id = g_idle_add (on_kick, bridge);
    }
  return bridge;
}

void
sched_bridge_free (SchedBridge *bridge)
{
  if (bridge == NULL)
    return;
  g_clear_pointer (&bridge->uplinks, sched_bridge_uplinks_free);
  g_cancellable_cancel (bridge->cancellable);
  g_clear_handle_id (&bridge->tick_id, g_source_remove);
  g_clear_handle_id (&bridge->kick_id, g_source_remove);
  g_clear_pointer (&bridge->rooms, g_hash_table_destroy);
  g_clear_object (&bridge->cancellable);
  /* The session outlives us until the cancelled callbacks have run; they
   * check the cancellation before touching @bridge. */
  soup_session_abort (bridge->session);
  g_clear_object (&bridge->session);
  g_free (bridge);
}

void
sched_bridge_meeting_changed (SchedBridge *bridge, gint64 meeting_id)
{
  SchedBridgeRoom *room = g_hash_table_lookup (bridge->rooms, &meeting_id);

  if (room && room->state != SCHED_BRIDGE_ROOM_CLOSED)
    {
      room->dirty = TRUE;
      room->retry_at = 0;
    }
  if (bridge->tick_id && bridge->kick_id == 0)
    bridge->kick_id = g_idle_add (on_kick, bridge);
}

gboolean
sched_bridge_is_reachable (SchedBridge *bridge)
{
  return bridge->answered && !bridge->down;
}

JsonNode *
sched_bridge_get_room (SchedBridge *bridge, gint64 meeting_id)
{
  SchedBridgeRoom *room = g_hash_table_lookup (bridge->rooms, &meeting_id);

  return room ? room->room : NULL;
}

typedef struct
{
  SchedBridgeReplyFunc callback;
  gpointer user_data;
  SoupMessage *msg;
} ControlRequest;

static void
on_control_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ControlRequest *req = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  req->callback (body ? soup_message_get_status (req->msg) : 0, body, error, req->user_data);
  g_object_unref (req->msg);
  g_free (req);
}

void
sched_bridge_request (SchedBridge *bridge, const gchar *method, const gchar *path, JsonNode *body,
                      GCancellable *cancellable, SchedBridgeReplyFunc callback, gpointer user_data)
{
  ControlRequest *req;

  if (bridge->ctx->settings->bridge_url == NULL)
    {
      g_autoptr (GError) error
          = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "no bridge configured");
      callback (0, NULL, error, user_data);
      return;
    }
  req = g_new0 (ControlRequest, 1);
  req->callback = callback;
  req->user_data = user_data;
  req->msg = bridge_message (bridge, method, path, body);
  if (req->msg == NULL)
    {
      g_autoptr (GError) error
          = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad bridge_url %s",
                         bridge->ctx->settings->bridge_url);
      callback (0, NULL, error, user_data);
      g_free (req);
      return;
    }
  soup_session_send_and_read_async (bridge->session, req->msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_control_done, req);
}

void
sched_bridge_control (SchedBridge *bridge, gint64 meeting_id, JsonNode *body,
                      SchedBridgeReplyFunc callback, gpointer user_data)
{
  g_autofree gchar *path = g_strdup_printf ("/rooms/%" G_GINT64_FORMAT "/control", meeting_id);

  /* No cancellable: the monitor's server message is waiting on the answer. */
  sched_bridge_request (bridge, "POST", path, body, NULL, callback, user_data);
}

void
sched_bridge_poll_now (SchedBridge *bridge, gint64 meeting_id)
{
  SchedBridgeRoom *room = g_hash_table_lookup (bridge->rooms, &meeting_id);

  if (room)
    room->next_poll_at = 0;
  if (bridge->tick_id && bridge->kick_id == 0)
    bridge->kick_id = g_idle_add (on_kick, bridge);
}

SchedBridgeUplinks *
sched_bridge_get_uplinks (SchedBridge *bridge)
{
  return bridge->uplinks;
}
