/* bridge-room-open.c — rooms opened by a join token while the scheduler is
 * away (see bridge-room-open.h for the rules).
 *
 * The opener keeps two small tables beside the server's rooms: the rooms it
 * opened itself and not yet handed to the scheduler (newest token expiry,
 * last time somebody was connected), and the rooms the scheduler closed
 * (when). Main thread only. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-room-open.h"

#include "vc-time.h"

#include <string.h>

#define SWEEP_INTERVAL_S 5
#define MAX_ROOM_ID_LEN 64

typedef struct
{
  gint64 expires;          /* the newest exp of the tokens that joined it */
  gint64 last_occupied_us; /* monotonic: somebody was connected, or it opened */
} TokenRoom;

struct _BridgeRoomOpener
{
  const BridgeSettings *settings;
  GHashTable *rooms;  /* borrowed: id -> BridgeRoom */
  GHashTable *opened; /* id -> TokenRoom: opened here, not yet adopted */
  GHashTable *closed; /* id -> gint64* wall-clock second the scheduler closed it */
  guint timer;
};

static guint
opener_count_participants (BridgeRoomOpener *opener)
{
  GHashTableIter iter;
  BridgeRoom *room;
  guint n = 0;

  g_hash_table_iter_init (&iter, opener->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&room))
    n += bridge_room_count_participants (room);
  return n;
}

static gboolean
room_id_valid (const gchar *id)
{
  gsize len = id ? strlen (id) : 0;

  return len > 0 && len <= MAX_ROOM_ID_LEN && strchr (id, '/') == NULL;
}

/* A verified room token for a room the bridge does not have. */
static BridgeRoom *
opener_open (BridgeRoomOpener *opener, const VcJwtClaims *claims, GError **error)
{
  g_autoptr (GError) local = NULL;
  BridgeRoom *room;
  TokenRoom *entry;

  if (!room_id_valid (claims->meeting))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID, "'%s' is not a room id",
                   claims->meeting);
      return NULL;
    }
  if (g_hash_table_size (opener->rooms) >= opener->settings->max_rooms)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_CAPACITY,
                   "the bridge is full: it holds %u rooms at most", opener->settings->max_rooms);
      return NULL;
    }
  if (opener_count_participants (opener) + 1 > opener->settings->capacity)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_CAPACITY,
                   "the bridge is full: it holds %u participants at most",
                   opener->settings->capacity);
      return NULL;
    }
  room = bridge_room_new (opener->settings, claims->meeting, &local);
  if (room == NULL)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_MEDIA, "%s", local->message);
      return NULL;
    }
  if (!bridge_room_invite (room, claims->endpoint, claims->name, error))
    {
      bridge_room_free (room);
      return NULL;
    }
  bridge_room_mark_token_opened (room, claims->chair);
  g_hash_table_insert (opener->rooms, g_strdup (claims->meeting), room);
  entry = g_new0 (TokenRoom, 1);
  entry->expires = claims->exp;
  entry->last_occupied_us = g_get_monotonic_time ();
  g_hash_table_replace (opener->opened, g_strdup (claims->meeting), entry);
  g_message ("room %s: opened by the join token of %s (chair %s): the scheduler did not open it",
             claims->meeting, claims->endpoint, claims->chair ? claims->chair : "unknown");
  return room;
}

/* A verified room token for a room opened by another room's token. */
static gboolean
opener_add (BridgeRoomOpener *opener, BridgeRoom *room, const VcJwtClaims *claims, GError **error)
{
  TokenRoom *entry = g_hash_table_lookup (opener->opened, claims->meeting);

  if (!bridge_room_admits (room, claims->endpoint, FALSE)
      && opener_count_participants (opener) + 1 > opener->settings->capacity)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_CAPACITY,
                   "the bridge is full: it holds %u participants at most",
                   opener->settings->capacity);
      return FALSE;
    }
  if (!bridge_room_invite (room, claims->endpoint, claims->name, error))
    return FALSE;
  if (entry != NULL)
    entry->expires = MAX (entry->expires, claims->exp);
  return TRUE;
}

BridgeRoom *
bridge_room_opener_admit (BridgeRoomOpener *opener, const VcJwtClaims *claims, gboolean upgrade,
                          GError **error)
{
  BridgeRoom *room;

  g_return_val_if_fail (claims != NULL && claims->meeting != NULL, NULL);

  room = g_hash_table_lookup (opener->rooms, claims->meeting);
  if (room == NULL && g_hash_table_contains (opener->closed, claims->meeting))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_CLOSED,
                   "the scheduler closed this meeting's room");
      return NULL;
    }
  if (claims->endpoint == NULL)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_FORBIDDEN, "the token names no endpoint");
      return NULL;
    }
  if (room == NULL && claims->link)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_NOT_FOUND,
                   "no such room: a child bridge's link token never opens a room");
      return NULL;
    }
  if (room == NULL && claims->guest)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_NOT_FOUND,
                   "the meeting's room is not open yet: a guest can join once the scheduler "
                   "or one of the meeting's rooms has opened it");
      return NULL;
    }
  if (room == NULL && !upgrade)
    {
      /* a plain GET would leave an empty room behind */
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                   "only a WebSocket upgrade opens a room");
      return NULL;
    }
  if (room == NULL)
    return opener_open (opener, claims, error);
  if (claims->guest || !bridge_room_is_token_opened (room))
    {
      /* the scheduler's participant list decides, as always */
      if (!bridge_room_admits (room, claims->endpoint, claims->guest))
        {
          g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_FORBIDDEN, "this endpoint is not invited");
          return NULL;
        }
      return room;
    }
  return opener_add (opener, room, claims, error) ? room : NULL;
}

void
bridge_room_opener_note_posted (BridgeRoomOpener *opener, const gchar *id)
{
  g_hash_table_remove (opener->closed, id);
  g_hash_table_remove (opener->opened, id);
}

void
bridge_room_opener_note_deleted (BridgeRoomOpener *opener, const gchar *id)
{
  gint64 *at = g_new (gint64, 1);

  *at = vc_time_now ();
  g_hash_table_replace (opener->closed, g_strdup (id), at);
  g_hash_table_remove (opener->opened, id);
}

guint
bridge_room_opener_sweep (BridgeRoomOpener *opener, gint64 now_s, gint64 mono_us)
{
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  const gchar *id;
  TokenRoom *entry;
  gint64 *closed_at;

  g_hash_table_iter_init (&iter, opener->opened);
  while (g_hash_table_iter_next (&iter, (gpointer *)&id, (gpointer *)&entry))
    {
      BridgeRoom *room = g_hash_table_lookup (opener->rooms, id);

      if (room == NULL || !bridge_room_is_token_opened (room))
        g_hash_table_iter_remove (&iter); /* closed or adopted meanwhile */
      else if (now_s >= entry->expires)
        {
          g_message ("room %s: closed: every join token that opened it has expired", id);
          g_ptr_array_add (due, g_strdup (id));
        }
      else if (bridge_room_count_connected (room) > 0)
        entry->last_occupied_us = mono_us;
      else if (mono_us - entry->last_occupied_us >= BRIDGE_ROOM_OPEN_EMPTY_CLOSE_S * G_USEC_PER_SEC)
        {
          g_message ("room %s: closed: nobody has been in it for %d s", id,
                     BRIDGE_ROOM_OPEN_EMPTY_CLOSE_S);
          g_ptr_array_add (due, g_strdup (id));
        }
    }
  for (guint i = 0; i < due->len; i++)
    {
      g_hash_table_remove (opener->opened, due->pdata[i]);
      g_hash_table_remove (opener->rooms, due->pdata[i]); /* peers get bye "room-closed" */
    }
  g_hash_table_iter_init (&iter, opener->closed);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&closed_at))
    if (now_s - *closed_at >= BRIDGE_ROOM_OPEN_CLOSED_MEMORY_S)
      g_hash_table_iter_remove (&iter);
  return due->len;
}

/* main thread */
static gboolean
on_sweep_timer (gpointer data)
{
  bridge_room_opener_sweep (data, vc_time_now (), g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

BridgeRoomOpener *
bridge_room_opener_new (const BridgeSettings *settings, GHashTable *rooms)
{
  BridgeRoomOpener *opener = g_new0 (BridgeRoomOpener, 1);

  opener->settings = settings;
  opener->rooms = rooms;
  opener->opened = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  opener->closed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  opener->timer = g_timeout_add_seconds (SWEEP_INTERVAL_S, on_sweep_timer, opener);
  return opener;
}

void
bridge_room_opener_free (BridgeRoomOpener *opener)
{
  if (opener == NULL)
    return;
  g_clear_handle_id (&opener->timer, g_source_remove);
  g_hash_table_unref (opener->opened);
  g_hash_table_unref (opener->closed);
  g_free (opener);
}
