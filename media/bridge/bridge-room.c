/* bridge-room.c — participants, peers, layout and state of one meeting.
 *
 * Main thread only. The room wires peers to its mixer (BridgeAudio) and
 * compositor (BridgeVideo), recomputes the layout when someone joins, leaves
 * or becomes the active speaker, and drops peers that stall. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-room.h"
#include "bridge-room-private.h"

#include "bridge-audio.h"
#include "bridge-layout.h"
#include "bridge-peer.h"
#include "bridge-uplink.h"
#include "bridge-record.h"
#include "bridge-tile-pick.h"
#include "bridge-video.h"
#include "vc-signal.h"

#include <string.h>

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (vc-bridge-error-quark, bridge_error)
/* clang-format on */

#define NEGOTIATION_TIMEOUT_US (30 * G_USEC_PER_SEC)
#define MAX_ENDPOINT_LEN 64

static void
participant_free (gpointer data)
{
  Participant *p = data;

  if (p == NULL)
    return;
  g_free (p->endpoint);
  g_free (p->name);
  g_strfreev (p->below);
  g_strfreev (p->below_names);
  g_free (p->below_speaker);
  g_free (p);
}

static Participant *
room_find (BridgeRoom *room, const gchar *endpoint)
{
  for (guint i = 0; i < room->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (room->participants, i);
      if (g_strcmp0 (p->endpoint, endpoint) == 0)
        return p;
    }
  return NULL;
}

const gchar *
bridge_room_get_id (BridgeRoom *room)
{
  return room->id;
}

guint
bridge_room_count_connected (BridgeRoom *room)
{
  return g_hash_table_size (room->peers);
}

guint
bridge_room_count_participants (BridgeRoom *room)
{
  return room->participants->len;
}

gboolean
bridge_room_admits (BridgeRoom *room, const gchar *endpoint, gboolean guest)
{
  Participant *p = room_find (room, endpoint);
  return guest || (p != NULL && p->invited);
}

gboolean
bridge_room_check_link (BridgeRoom *room, const gchar *endpoint, gboolean link,
                        const gchar *link_room, GError **error)
{
  Participant *p = room_find (room, endpoint);
  gboolean invited_as_link = p != NULL && p->invited && p->link;

  if (link && !invited_as_link)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_FORBIDDEN,
                   "'%s' is not invited as a bridge link in room %s", endpoint, room->id);
      return FALSE;
    }
  if (!link && invited_as_link)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_FORBIDDEN,
                   "'%s' is a bridge link in room %s: it joins with a link token", endpoint,
                   room->id);
      return FALSE;
    }
  if (link && link_room != NULL)
    {
      g_autofree gchar *tree = bridge_room_tree (room);
      g_auto (GStrv) above = g_strsplit (tree, " ", -1);

      if (g_strv_contains ((const gchar *const *)above, link_room))
        {
          g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_LOOP,
                       "a loop: the room %s is already above room %s in the tree (%s)", link_room,
                       room->id, tree);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- the floor and the speaker across a tree of bridges (§5) ---- */

/* The link under which @code lives (the link itself, or a room its child
 * bridge reported below it), or NULL. */
static Participant *
room_find_below (BridgeRoom *room, const gchar *code)
{
  for (guint i = 0; i < room->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (room->participants, i);
      if (p->link
          && (g_strcmp0 (p->endpoint, code) == 0
              || (p->below != NULL && g_strv_contains ((const gchar *const *)p->below, code))))
        return p;
    }
  return NULL;
}

/* The floor: what this room's layout shows large (a participant's endpoint,
 * BRIDGE_UPLINK_ENDPOINT, or NULL), and in *@code the room of the tree that
 * holds it (NULL: nobody). The parent's floor, when it gives one, comes
 * first: a room outside this sub-tree is shown through the parent's
 * picture, one inside through the participant (or link) it is. */
const gchar *
bridge_room_floor (BridgeRoom *room, const gchar **code)
{
  gboolean below = FALSE;
  const gchar *from_parent = bridge_uplink_get_floor (room->uplink, &below);

  if (from_parent != NULL)
    {
      Participant *p;
      *code = from_parent;
      if (!below)
        return BRIDGE_UPLINK_ENDPOINT;
      p = room_find (room, from_parent);
      if (p == NULL || p->link)
        p = room_find_below (room, from_parent);
      return p != NULL ? p->endpoint : NULL;
    }
  *code = room->floor_below != NULL ? room->floor_below : room->floor;
  return room->floor;
}

/* The active speaker as a room of the tree: through a link, the room its
 * child bridge names; through the uplink, the one the parent names. */
const gchar *
bridge_room_speaker_named (BridgeRoom *room)
{
  Participant *p;

  if (room->active_speaker == NULL)
    return NULL;
  if (g_str_equal (room->active_speaker, BRIDGE_UPLINK_ENDPOINT))
    return bridge_uplink_get_speaker (room->uplink);
  p = room_find (room, room->active_speaker);
  return p != NULL && p->link && p->below_speaker != NULL ? p->below_speaker : room->active_speaker;
}

/* Tells the parent, when linked, the rooms of this sub-tree (the local
 * participants, then each link and the rooms below it) and the speaker. */
static void
room_report_up (BridgeRoom *room)
{
  g_autoptr (GPtrArray) rooms = NULL, names = NULL;

  if (bridge_uplink_get_state (room->uplink) != BRIDGE_UPLINK_STATE_CONNECTED)
    return;
  rooms = g_ptr_array_new ();
  names = g_ptr_array_new ();
  for (guint i = 0; i < room->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (room->participants, i);
      g_ptr_array_add (rooms, p->endpoint);
      g_ptr_array_add (names, p->name ? p->name : "");
      for (guint k = 0; p->link && p->below != NULL && p->below[k] != NULL; k++)
        {
          g_ptr_array_add (rooms, p->below[k]);
          g_ptr_array_add (names, p->below_names[k]);
        }
    }
  g_ptr_array_add (rooms, NULL);
  g_ptr_array_add (names, NULL);
  bridge_uplink_report (room->uplink,
                        g_strcmp0 (room->active_speaker, BRIDGE_UPLINK_ENDPOINT) == 0
                            ? NULL
                            : bridge_room_speaker_named (room),
                        (const gchar *const *)rooms->pdata, (const gchar *const *)names->pdata);
}

/* ---- layout and state ---- */

static void room_changed (BridgeRoom *room);

static gboolean
on_pick_timer (gpointer data)
{
  BridgeRoom *room = data;

  room->pick_timer = 0;
  room_changed (room);
  return G_SOURCE_REMOVE;
}

/* The grid with more participants than tiles: keeps in @shown only those
 * the picker gives a tile (the active speaker and the floor holder always,
 * bridge-tile-pick.h), in their slots' order; updates the indices. */
static void
room_pick_tiles (BridgeRoom *room, GPtrArray *shown, gint *speaker_i, gint *chair_i)
{
  g_autofree const gchar **endpoints = g_new0 (const gchar *, shown->len + 1);
  g_autofree guint *picked = g_new0 (guint, shown->len);
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  const gchar *speaker = NULL, *chair = NULL;
  gint64 now = g_get_monotonic_time (), retry_at = 0;
  guint n;

  for (guint i = 0; i < shown->len; i++)
    endpoints[i] = ((Participant *)g_ptr_array_index (shown, i))->endpoint;
  if (*speaker_i >= 0)
    speaker = endpoints[*speaker_i];
  if (*chair_i >= 0)
    chair = endpoints[*chair_i];
  /* the floor holder first, then the active speaker */
  n = bridge_tile_pick_choose (
      room->pick, endpoints, shown->len, room->floor ? room->floor : room->active_speaker,
      room->floor ? room->active_speaker : NULL, room->settings->max_tiles, now, picked, &retry_at);
  *speaker_i = *chair_i = -1;
  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (endpoints[picked[i]], speaker) == 0)
        *speaker_i = (gint)i;
      if (g_strcmp0 (endpoints[picked[i]], chair) == 0)
        *chair_i = (gint)i;
      g_ptr_array_add (kept, g_ptr_array_index (shown, picked[i]));
    }
  g_ptr_array_set_size (shown, 0);
  g_ptr_array_extend (shown, kept, NULL, NULL);
  g_clear_handle_id (&room->pick_timer, g_source_remove);
  if (retry_at > 0)
    room->pick_timer
        = g_timeout_add ((guint)MAX ((retry_at - now + 999) / 1000, 1), on_pick_timer, room);
}

static void
room_relayout (BridgeRoom *room)
{
  g_autoptr (GPtrArray) shown = g_ptr_array_new ();
  g_autofree BridgeTile *tiles = g_new0 (BridgeTile, room->settings->max_tiles);
  g_autofree BridgeVideoTile *specs = g_new0 (BridgeVideoTile, room->settings->max_tiles);
  const gchar *code, *floor = bridge_room_floor (room, &code);
  const gchar *speaker = floor ? floor : room->active_speaker;
  gint speaker_i = -1, chair_i = -1;
  guint n;

  for (guint i = 0; i < room->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (room->participants, i);
      BridgePeer *peer = g_hash_table_lookup (room->peers, p->endpoint);
      p->tile_width = p->tile_height = 0;
      if (peer == NULL || bridge_peer_get_state (peer) != BRIDGE_PEER_STATE_CONNECTED)
        continue;
      if (g_strcmp0 (p->endpoint, speaker) == 0)
        speaker_i = (gint)shown->len;
      if (g_strcmp0 (p->endpoint, room->chair) == 0)
        chair_i = (gint)shown->len;
      g_ptr_array_add (shown, p);
    }
  /* the parent room's picture, when linked, after the local participants */
  if (bridge_uplink_get_state (room->uplink) == BRIDGE_UPLINK_STATE_CONNECTED)
    {
      room->parent->tile_width = room->parent->tile_height = 0;
      if (g_strcmp0 (BRIDGE_UPLINK_ENDPOINT, speaker) == 0)
        speaker_i = (gint)shown->len;
      g_ptr_array_add (shown, room->parent);
    }
  if (room->layout == BRIDGE_LAYOUT_GRID)
    room_pick_tiles (room, shown, &speaker_i, &chair_i);
  n = bridge_layout_compute (room->layout, shown->len, speaker_i, chair_i,
                             room->settings->max_tiles, room->settings->width,
                             room->settings->height, tiles);
  for (guint i = 0; i < n; i++)
    {
      Participant *p = g_ptr_array_index (shown, tiles[i].participant);
      specs[i].endpoint = p->endpoint;
      specs[i].name = p->name ? p->name : p->endpoint;
      specs[i].tile = tiles[i];
      p->tile_width = tiles[i].width;
      p->tile_height = tiles[i].height;
    }
  bridge_video_set_tiles (room->video, specs, n);
}

/* This process's name in a tree of bridges: random, one per process, so a
 * bridge needs no configured name to tell a loop (docs/protocol.md §5). */
static const gchar *
bridge_instance (void)
{
  static gsize once = 0;
  static gchar *instance;

  if (g_once_init_enter (&once))
    {
      instance = g_uuid_string_random ();
      g_once_init_leave (&once, 1);
    }
  return instance;
}

/* The rooms from the root of the tree down to this one, for its links */
gchar *
bridge_room_tree (BridgeRoom *room)
{
  const gchar *above = bridge_uplink_get_tree (room->uplink);

  return above != NULL ? g_strconcat (above, " ", room->identity, NULL) : g_strdup (room->identity);
}

static void
room_broadcast_state (BridgeRoom *room)
{
  GHashTableIter iter;
  BridgePeer *peer;
  g_autofree gchar *tree = bridge_room_tree (room);
  const gchar *code, *floor = bridge_room_floor (room, &code);

  g_hash_table_iter_init (&iter, room->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&peer))
    {
      Participant *p = room_find (room, bridge_peer_get_endpoint (peer));
      /* a participant the layout does not show (no tile) is asked to stop
       * sending video (the bridge would drop it unread anyway), and one it
       * shows to send no more pixels than its tile needs */
      /* a child bridge's link also learns the tree above it, and whether
       * the floor is in its sub-tree; everybody learns which room of the
       * tree has the floor and which one speaks */
      gboolean link = p != NULL && p->link;
      g_autofree gchar *text = vc_signal_build_floor_state (
          bridge_room_speaker_named (room), bridge_layout_kind_to_string (room->layout),
          p != NULL && p->muted, p != NULL && p->tile_width > 0, p != NULL ? p->tile_width : 0,
          p != NULL ? p->tile_height : 0, bridge_room_is_recording (room), link ? tree : NULL, code,
          link && code != NULL && g_strcmp0 (floor, p->endpoint) == 0);

      bridge_peer_send (peer, text);
    }
}

static void
room_changed (BridgeRoom *room)
{
  room_relayout (room);
  room_broadcast_state (room);
  room_report_up (room);
}

/* main thread (hopped from the mixer thread) */
static void
on_active_speaker (const gchar *endpoint, gpointer data)
{
  BridgeRoom *room = data;

  if (g_strcmp0 (endpoint, room->active_speaker) == 0)
    return;
  bridge_tile_pick_spoke (room->pick, room->active_speaker, g_get_monotonic_time ());
  bridge_tile_pick_spoke (room->pick, endpoint, g_get_monotonic_time ());
  g_free (room->active_speaker);
  room->active_speaker = g_strdup (endpoint);
  g_info ("room %s: active speaker %s", room->id, endpoint ? endpoint : "(none)");
  room_changed (room);
}

/* ---- peers ---- */

static void
room_drop_peer (BridgeRoom *room, BridgePeer *peer, const gchar *reason)
{
  g_autoptr (BridgePeer) ref = bridge_peer_ref (peer);

  g_info ("room %s: %s leaves (%s)", room->id, bridge_peer_get_endpoint (peer),
          reason ? reason : "bye");
  bridge_peer_close (peer, reason);
  if (g_hash_table_lookup (room->peers, bridge_peer_get_endpoint (peer)) == peer)
    g_hash_table_remove (room->peers, bridge_peer_get_endpoint (peer));
  if (g_strcmp0 (room->active_speaker, bridge_peer_get_endpoint (peer)) == 0)
    g_clear_pointer (&room->active_speaker, g_free);
  {
    /* a link's rooms go with it */
    Participant *p = room_find (room, bridge_peer_get_endpoint (peer));
    if (p != NULL && p->link && g_hash_table_lookup (room->peers, p->endpoint) == NULL)
      {
        g_clear_pointer (&p->below, g_strfreev);
        g_clear_pointer (&p->below_names, g_strfreev);
        g_clear_pointer (&p->below_speaker, g_free);
      }
  }
  room_changed (room);
}

static void
on_peer_connected (BridgePeer *peer, gpointer data)
{
  BridgeRoom *room = data;

  g_info ("room %s: %s connected", room->id, bridge_peer_get_endpoint (peer));
  room_changed (room);
}

static void
on_peer_lost (BridgePeer *peer, const gchar *reason, gpointer data)
{
  room_drop_peer (data, peer, reason);
}

/* a child bridge's link says which rooms are below it and which speaks */
static void
on_peer_link_state (BridgePeer *peer, const VcSignalMessage *msg, gpointer data)
{
  BridgeRoom *room = data;
  Participant *p = room_find (room, bridge_peer_get_endpoint (peer));

  if (p == NULL || !p->link)
    {
      g_autofree gchar *text = vc_signal_build_error (
          VC_SIGNAL_ERROR_UNEXPECTED, "only a child bridge's link sends 'link_state'");
      bridge_peer_send (peer, text);
      return;
    }
  if (p->below != NULL
      && g_strv_equal ((const gchar *const *)p->below, (const gchar *const *)msg->rooms)
      && g_strv_equal ((const gchar *const *)p->below_names, (const gchar *const *)msg->room_names)
      && g_strcmp0 (p->below_speaker, msg->active_speaker) == 0)
    return;
  g_strfreev (p->below);
  g_strfreev (p->below_names);
  g_free (p->below_speaker);
  p->below = g_strdupv (msg->rooms);
  p->below_names = g_strdupv (msg->room_names);
  p->below_speaker = g_strdup (msg->active_speaker);
  room_changed (room);
}

static const BridgePeerCallbacks peer_callbacks = {
  .connected = on_peer_connected,
  .lost = on_peer_lost,
  .link_state = on_peer_link_state,
};

gboolean
bridge_room_join (BridgeRoom *room, const gchar *endpoint, const gchar *name,
                  SoupWebsocketConnection *ws, GError **error)
{
  BridgePeer *old = g_hash_table_lookup (room->peers, endpoint);
  BridgePeer *peer;
  Participant *p = room_find (room, endpoint);

  if (old != NULL)
    room_drop_peer (room, old, "replaced");
  if (p == NULL)
    {
      /* a guest (signed token): shown after the invited rooms */
      p = g_new0 (Participant, 1);
      p->endpoint = g_strdup (endpoint);
      p->name = g_strdup (name);
      g_ptr_array_add (room->participants, p);
    }
  peer = bridge_peer_new (room->settings, room->id, endpoint, ws, room->audio, room->video,
                          &peer_callbacks, room, error);
  if (peer == NULL)
    return FALSE;
  g_hash_table_insert (room->peers, g_strdup (endpoint), peer);
  if (p->muted)
    bridge_audio_set_muted (room->audio, endpoint, TRUE);
  if (p->link)
    {
      bridge_audio_set_link (room->audio, endpoint);
      bridge_peer_set_jitter_latency (peer, room->settings->link_jitter_latency_ms);
    }
  g_info ("room %s: %s joins%s", room->id, endpoint, p->link ? " (a child bridge's link)" : "");
  return TRUE;
}

/* main thread, every second */
static gboolean
on_room_timer (gpointer data)
{
  BridgeRoom *room = data;
  gint64 now = g_get_monotonic_time ();
  gint64 stall = (gint64)room->settings->stall_timeout_s * G_USEC_PER_SEC;
  g_autoptr (GPtrArray) stalled = g_ptr_array_new ();
  GHashTableIter iter;
  BridgePeer *peer;

  room->ticks++;
  g_hash_table_iter_init (&iter, room->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&peer))
    {
      BridgePeerState state = bridge_peer_get_state (peer);
      if ((state == BRIDGE_PEER_STATE_CONNECTED && now - bridge_peer_get_last_rx_us (peer) > stall)
          || (state == BRIDGE_PEER_STATE_NEGOTIATING
              && now - bridge_peer_get_created_us (peer) > NEGOTIATION_TIMEOUT_US))
        g_ptr_array_add (stalled, peer);
      else if (room->ticks % 2 == 0)
        bridge_peer_poll_stats (peer);
    }
  bridge_record_check_disk (room->record);
  for (guint i = 0; i < stalled->len; i++)
    room_drop_peer (room, g_ptr_array_index (stalled, i), "timeout");
  return G_SOURCE_CONTINUE;
}

/* ---- scheduler requests ---- */

static gboolean
endpoint_valid (const gchar *endpoint)
{
  gsize len = endpoint ? strlen (endpoint) : 0;

  if (len == 0 || len > MAX_ENDPOINT_LEN)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (endpoint[i]) && endpoint[i] != '-' && endpoint[i] != '_'
        && endpoint[i] != '.')
      return FALSE;
  return TRUE;
}

static const gchar *
object_string (JsonObject *obj, const gchar *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GPtrArray *
parse_participants (JsonObject *body, GError **error)
{
  JsonNode *node = json_object_get_member (body, "participants");
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (participant_free);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID, "'participants' must be an array");
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonNode *link;
      const gchar *endpoint, *name;
      Participant *p;

      if (!JSON_NODE_HOLDS_OBJECT (item)
          || !endpoint_valid (endpoint = object_string (json_node_get_object (item), "endpoint")))
        {
          g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                       "participants[%u] needs an 'endpoint' code", i);
          return NULL;
        }
      name = object_string (json_node_get_object (item), "name");
      link = json_object_get_member (json_node_get_object (item), "link");
      if (link != NULL
          && (!JSON_NODE_HOLDS_VALUE (link) || json_node_get_value_type (link) != G_TYPE_BOOLEAN))
        {
          g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                       "participants[%u].link must be true or false", i);
          return NULL;
        }
      p = g_new0 (Participant, 1);
      p->endpoint = g_strdup (endpoint);
      p->name = g_strdup (name ? name : endpoint);
      p->invited = TRUE;
      p->link = link != NULL && json_node_get_boolean (link);
      g_ptr_array_add (list, p);
    }
  return g_steal_pointer (&list);
}

gboolean
bridge_room_update (BridgeRoom *room, JsonObject *body, gboolean creating, GError **error)
{
  g_autoptr (GPtrArray) list = parse_participants (body, error);
  const gchar *chair = object_string (body, "chair"), *layout = object_string (body, "layout");
  BridgeLayoutKind kind = room->layout;
  g_autoptr (GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  BridgePeer *peer;

  JsonNode *record = json_object_get_member (body, "record");
  gboolean recording = FALSE;

  if (list == NULL)
    return FALSE;
  if (record != NULL
      && !(JSON_NODE_HOLDS_VALUE (record) && json_node_get_value_type (record) == G_TYPE_BOOLEAN))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID, "'record' must be true or false");
      return FALSE;
    }
  recording = record != NULL && json_node_get_boolean (record);
  if (recording && !bridge_record_room_id_valid (room->id))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                   "room id '%s' cannot be recorded: 1 to 64 letters, digits, '-' or '_'",
                   room->id);
      return FALSE;
    }
  if (layout != NULL && !bridge_layout_kind_from_string (layout, &kind))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID, "unknown layout '%s'", layout);
      return FALSE;
    }
  /* keep mute flags and connected guests */
  for (guint i = 0; i < room->participants->len; i++)
    {
      Participant *old = g_ptr_array_index (room->participants, i), *now = NULL;
      for (guint k = 0; k < list->len && now == NULL; k++)
        if (g_str_equal (((Participant *)g_ptr_array_index (list, k))->endpoint, old->endpoint))
          now = g_ptr_array_index (list, k);
      if (now != NULL)
        now->muted = old->muted;
      else if (!old->invited && g_hash_table_contains (room->peers, old->endpoint))
        g_ptr_array_add (list, g_steal_pointer (&room->participants->pdata[i]));
    }
  g_ptr_array_unref (room->participants);
  room->participants = g_steal_pointer (&list);
  g_free (room->chair);
  room->chair = g_strdup (chair);
  room->layout = kind;
  if (room->token_opened)
    g_message ("room %s: adopted by the scheduler", room->id);
  room->token_opened = FALSE;
  g_hash_table_iter_init (&iter, room->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&peer))
    if (room_find (room, bridge_peer_get_endpoint (peer)) == NULL)
      g_ptr_array_add (gone, peer);
  for (guint i = 0; i < gone->len; i++)
    room_drop_peer (room, g_ptr_array_index (gone, i), "uninvited");
  if (!recording)
    bridge_record_stop (room->record);
  else if (!bridge_record_start (room->record, error))
    return FALSE;
  if (!creating)
    room_changed (room);
  return TRUE;
}

gboolean
bridge_room_control (BridgeRoom *room, JsonObject *body, GError **error)
{
  const gchar *action = object_string (body, "action");
  const gchar *endpoint = object_string (body, "endpoint");
  Participant *p = endpoint ? room_find (room, endpoint) : NULL;

  if (g_strcmp0 (action, "mute") == 0 || g_strcmp0 (action, "unmute") == 0)
    {
      if (p == NULL)
        goto bad_endpoint;
      p->muted = g_str_equal (action, "mute");
      bridge_audio_set_muted (room->audio, endpoint, p->muted);
    }
  else if (g_strcmp0 (action, "floor") == 0)
    {
      JsonNode *node = json_object_get_member (body, "endpoint");
      /* a room below a link (as its child bridge reported it): the floor
       * goes to that link, which is told which of its rooms has it */
      Participant *link = p == NULL && endpoint != NULL ? room_find_below (room, endpoint) : NULL;
      if (node != NULL && JSON_NODE_HOLDS_NULL (node))
        {
          g_clear_pointer (&room->floor, g_free);
          g_clear_pointer (&room->floor_below, g_free);
        }
      else if (p == NULL && link == NULL)
        goto bad_endpoint;
      else
        {
          g_free (room->floor);
          g_free (room->floor_below);
          room->floor = g_strdup (link != NULL ? link->endpoint : endpoint);
          room->floor_below = link != NULL ? g_strdup (endpoint) : NULL;
        }
    }
  else if (g_strcmp0 (action, "layout") == 0)
    {
      if (!bridge_layout_kind_from_string (object_string (body, "layout"), &room->layout))
        {
          g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                       "'layout' must be grid, speaker or chair");
          return FALSE;
        }
    }
  else if (g_strcmp0 (action, "record_pause") == 0)
    {
      if (!bridge_record_pause (room->record, error))
        return FALSE;
    }
  else if (g_strcmp0 (action, "record_resume") == 0)
    {
      if (!bridge_record_resume (room->record, error))
        return FALSE;
    }
  else
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID,
                   "'action' must be mute, unmute, floor, layout, record_pause or record_resume");
      return FALSE;
    }
  room_changed (room);
  return TRUE;

bad_endpoint:
  g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID, "'endpoint' is not in this room");
  return FALSE;
}

gboolean
bridge_room_is_recording (BridgeRoom *room)
{
  return bridge_record_get_state (room->record) == BRIDGE_RECORD_STATE_RECORDING;
}

/* main thread: the recording stopped by itself (disk full) */
static void
on_record_changed (gpointer data)
{
  room_broadcast_state (data);
}

/* ---- rooms opened by a join token ---- */

void
bridge_room_mark_token_opened (BridgeRoom *room, const gchar *chair)
{
  g_free (room->chair);
  room->chair = g_strdup (chair);
  room->token_opened = TRUE;
}

gboolean
bridge_room_is_token_opened (BridgeRoom *room)
{
  return room->token_opened;
}

gboolean
bridge_room_invite (BridgeRoom *room, const gchar *endpoint, const gchar *name, GError **error)
{
  Participant *p = room_find (room, endpoint);

  if (!endpoint_valid (endpoint))
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_INVALID, "'%s' is not an endpoint code",
                   endpoint);
      return FALSE;
    }
  if (p != NULL)
    {
      p->invited = TRUE;
      return TRUE;
    }
  p = g_new0 (Participant, 1);
  p->endpoint = g_strdup (endpoint);
  p->name = g_strdup (name ? name : endpoint);
  p->invited = TRUE;
  /* invited rooms before the guests, as in a room the scheduler opened */
  {
    guint at = 0;

    while (at < room->participants->len
           && ((Participant *)g_ptr_array_index (room->participants, at))->invited)
      at++;
    g_ptr_array_insert (room->participants, (gint)at, p);
  }
  return TRUE;
}

/* ---- the uplink to a parent room (bridge-uplink.h) ---- */

/* main thread: connected or lost */
static void
on_uplink_changed (BridgeUplink *uplink, gpointer data)
{
  room_changed (data);
}

gboolean
bridge_room_set_uplink (BridgeRoom *room, const gchar *signal_url, const gchar *token,
                        GError **error)
{
  if (!bridge_uplink_check_request (signal_url, token, error))
    return FALSE;
  if (room->uplink != NULL && bridge_uplink_get_state (room->uplink) != BRIDGE_UPLINK_STATE_OFF)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_CONFLICT,
                   "room %s already has a parent: DELETE its uplink first", room->id);
      return FALSE;
    }
  g_clear_pointer (&room->uplink, bridge_uplink_free);
  room->uplink = bridge_uplink_new (room->settings, room->id, room->identity, room->audio,
                                    room->video, signal_url, token, on_uplink_changed, room);
  return TRUE;
}

gboolean
bridge_room_clear_uplink (BridgeRoom *room, GError **error)
{
  if (room->uplink == NULL)
    {
      g_set_error (error, BRIDGE_ERROR, BRIDGE_ERROR_NOT_FOUND, "room %s has no uplink", room->id);
      return FALSE;
    }
  g_clear_pointer (&room->uplink, bridge_uplink_free);
  room_changed (room);
  return TRUE;
}

/* ---- life ---- */

BridgeRoom *
bridge_room_new (const BridgeSettings *settings, const gchar *id, GError **error)
{
  BridgeRoom *room = g_new0 (BridgeRoom, 1);

  room->id = g_strdup (id);
  room->identity = g_strdup_printf ("%s/%s", bridge_instance (), id);
  room->settings = settings;
  room->layout = settings->default_layout;
  room->participants = g_ptr_array_new_with_free_func (participant_free);
  room->peers
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)bridge_peer_unref);
  room->pick = bridge_tile_pick_new (settings->tile_hold_ms);
  room->audio = bridge_audio_new (settings, id, on_active_speaker, room, error);
  if (room->audio != NULL)
    room->video = bridge_video_new (settings, id, error);
  if (room->video == NULL)
    {
      g_prefix_error (error, "room %s: ", id);
      bridge_room_free (room);
      return NULL;
    }
  room->parent = g_new0 (Participant, 1);
  room->parent->endpoint = g_strdup (BRIDGE_UPLINK_ENDPOINT);
  room->parent->name = g_strdup ("Cấp trên"); /* "the level above" */
  room->record
      = bridge_record_new (settings, id, room->video, room->audio, on_record_changed, room);
  room->timer = g_timeout_add_seconds (1, on_room_timer, room);
  return room;
}

void
bridge_room_free (BridgeRoom *room)
{
  GHashTableIter iter;
  BridgePeer *peer;

  if (room == NULL)
    return;
  g_clear_handle_id (&room->timer, g_source_remove);
  g_clear_handle_id (&room->pick_timer, g_source_remove);
  g_clear_pointer (&room->uplink, bridge_uplink_free);
  g_clear_pointer (&room->parent, participant_free);
  g_hash_table_iter_init (&iter, room->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&peer))
    bridge_peer_close (peer, "room-closed");
  g_hash_table_unref (room->peers);
  bridge_record_free (room->record); /* before the encoders it taps */
  bridge_video_free (room->video);
  bridge_audio_free (room->audio);
  g_ptr_array_unref (room->participants);
  g_free (room->chair);
  g_free (room->floor);
  g_free (room->floor_below);
  g_free (room->active_speaker);
  bridge_tile_pick_free (room->pick);
  g_free (room->identity);
  g_free (room->id);
  g_free (room);
}
