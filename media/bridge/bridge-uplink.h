/* bridge-uplink.h — a room's link up to a room on another bridge (cascading).
 *
 * A child bridge joins its parent's room as one participant: the uplink is a
 * VcClientPeer (the same WebRTC client as a room agent) on the parent's
 * signalling URL with a link token (docs/protocol.md §1, "link": true).
 *
 *   up:   the room's own mix-minus for the uplink (every local participant,
 *         nothing that came down from the parent; bridge_audio_set_link) and
 *         the room's composite, pushed by the room's mixer thread and VP8
 *         encoder into the client's "push" sources
 *   down: the parent's mix-minus for this child, decoded, into the room's
 *         mixer as the input "@parent" (heard by every local participant),
 *         and the parent's composite as the tile "@parent"
 *
 * States (main thread): CONNECTING -> CONNECTED; a failure or a lost link
 * -> RETRYING (back-off 0.5 s doubling to 10 s) -> CONNECTING ...; a
 * refused token (HTTP 401/403/410), or a loop (the parent refuses the join
 * with 409 because this room is already above it, or its tree holds this
 * room) -> OFF with the reason in last_error.
 * bridge_uplink_free() ends it (DELETE /rooms/{id}/uplink).
 *
 * Threads: the client's streaming threads push the parent's audio and video
 * into the room under the attempt's lock (UplinkMedia in bridge-uplink.c);
 * everything else is on the main thread. */
#pragma once

#include "bridge-audio.h"
#include "bridge-config.h"
#include "bridge-video.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The uplink's name in the child room's mixer, compositor and state: not an
 * endpoint code (those never start with '@'), so it cannot collide. */
#define BRIDGE_UPLINK_ENDPOINT "@parent"

typedef enum
{
  BRIDGE_UPLINK_STATE_OFF,
  BRIDGE_UPLINK_STATE_CONNECTING,
  BRIDGE_UPLINK_STATE_CONNECTED,
  BRIDGE_UPLINK_STATE_RETRYING,
} BridgeUplinkState;

const gchar *bridge_uplink_state_to_string (BridgeUplinkState state);

typedef struct _BridgeUplink BridgeUplink;

/* main thread: the uplink connected or lost its connection, or the parent's
 * tree, floor or active speaker changed (the room lays itself out again) */
typedef void (*BridgeUplinkChangedFunc) (BridgeUplink *uplink, gpointer user_data);

/* Checks @signal_url (ws:// or wss://, a path ending in /signal) and @token
 * (a non-empty string); FALSE with BRIDGE_ERROR_INVALID naming the member. */
gboolean bridge_uplink_check_request (const gchar *signal_url, const gchar *token, GError **error);

/* main thread: starts connecting at once. @audio and @video must outlive it.
 * @identity names the room across bridges ("BRIDGE-INSTANCE/ROOM"): a parent
 * whose tree (the "tree" of its state messages, docs/protocol.md §5)
 * already holds it is a loop, and the uplink turns off. */
BridgeUplink *bridge_uplink_new (const BridgeSettings *settings, const gchar *room_id,
                                 const gchar *identity, BridgeAudio *audio, BridgeVideo *video,
                                 const gchar *signal_url, const gchar *token,
                                 BridgeUplinkChangedFunc changed, gpointer user_data);
/* main thread: says bye to the parent and unwires the room. */
void bridge_uplink_free (BridgeUplink *uplink);

BridgeUplinkState bridge_uplink_get_state (BridgeUplink *uplink);

/* The rooms above this one, root first, as the parent last said (NULL
 * before it said it, or when not connected). */
const gchar *bridge_uplink_get_tree (BridgeUplink *uplink);

/* The floor as the parent last said (NULL: none, or not connected): the
 * room of the tree that holds it, and in *@below whether it is in this
 * room's own sub-tree (docs/protocol.md §5). */
const gchar *bridge_uplink_get_floor (BridgeUplink *uplink, gboolean *below);

/* The parent's active speaker, a room's endpoint code, as it last said
 * (NULL: nobody, or not connected). */
const gchar *bridge_uplink_get_speaker (BridgeUplink *uplink);

/* main thread: tells the parent the rooms below the link and the room's
 * own active speaker ({"type":"link_state"}; sent when connected and only
 * when it differs from what was sent last on this connection). @rooms and
 * @names are NULL-terminated, of the same length. */
void bridge_uplink_report (BridgeUplink *uplink, const gchar *speaker, const gchar *const *rooms,
                           const gchar *const *names);

/* {"state":…, "signal_url":…, "attempts":N, "last_error":…, "connected_at":…};
 * @uplink may be NULL (state "off"). */
void bridge_uplink_to_json (BridgeUplink *uplink, JsonBuilder *b);

G_END_DECLS
