/* bridge-room.h — one meeting on the bridge.
 *
 * A room holds the invited participants (from the scheduler), the connected
 * peers, the mixer and the compositor. Everything here runs on the main
 * thread; the media objects have their own threads and locks.
 *
 * Room state that the scheduler polls (GET /rooms/{id}) is built by
 * bridge_room_to_json(). */
#pragma once

#include "bridge-config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define BRIDGE_ERROR (bridge_error_quark ())
GQuark bridge_error_quark (void);

/* Each maps to one HTTP status in bridge-server.c. */
typedef enum
{
  BRIDGE_ERROR_INVALID,       /* 400 / 422 */
  BRIDGE_ERROR_NOT_FOUND,     /* 404 */
  BRIDGE_ERROR_CAPACITY,      /* 503 */
  BRIDGE_ERROR_FORBIDDEN,     /* 403 */
  BRIDGE_ERROR_MEDIA,         /* 500 */
  BRIDGE_ERROR_CLOSED,        /* 410: the scheduler closed this room */
  BRIDGE_ERROR_CONFLICT,      /* 409: the room already has an uplink */
  BRIDGE_ERROR_NOT_RECORDING, /* 409: pause/resume of a recording that is not there */
  BRIDGE_ERROR_LOOP,          /* 409: a link from a room that is above this one in the tree */
} BridgeError;

typedef struct _BridgeRoom BridgeRoom;

typedef struct
{
  gchar *endpoint;
  gchar *name;
} BridgeInvitee;

/* Called by the room when it wants to know how many participants the whole
 * bridge has connected (capacity check). */
typedef guint (*BridgeRoomCountFunc) (gpointer user_data);

BridgeRoom *bridge_room_new (const BridgeSettings *settings, const gchar *id, GError **error);
void bridge_room_free (BridgeRoom *room); /* says bye to every peer */

const gchar *bridge_room_get_id (BridgeRoom *room);
guint bridge_room_count_connected (BridgeRoom *room);
guint bridge_room_count_participants (BridgeRoom *room); /* invited + guests */

/* Replaces participants and chair from a POST /rooms body; @layout may be
 * NULL (keep). FALSE with BRIDGE_ERROR_INVALID on a bad body. */
gboolean bridge_room_update (BridgeRoom *room, JsonObject *body, gboolean creating, GError **error);

/* POST /rooms/{id}/control */
gboolean bridge_room_control (BridgeRoom *room, JsonObject *body, GError **error);

/* Is @endpoint invited (or a guest)? */
gboolean bridge_room_admits (BridgeRoom *room, const gchar *endpoint, gboolean guest);

/* A link token (@link) is for a participant invited with "link": true, and
 * such a participant joins only with a link token. FALSE with
 * BRIDGE_ERROR_FORBIDDEN otherwise (docs/protocol.md §1). @link_room, the
 * joining child room's name across bridges (NULL when it did not say), must
 * not be this room or one above it: FALSE with BRIDGE_ERROR_LOOP when it is
 * (the child would be linked under its own descendant). */
gboolean bridge_room_check_link (BridgeRoom *room, const gchar *endpoint, gboolean link,
                                 const gchar *link_room, GError **error);

/* A participant's signalling socket was accepted: start its peer. A peer
 * already there for @endpoint is replaced (rejoin). */
gboolean bridge_room_join (BridgeRoom *room, const gchar *endpoint, const gchar *name,
                           SoupWebsocketConnection *ws, GError **error);

JsonNode *bridge_room_to_json (BridgeRoom *room);

/* Is the room being recorded now (not paused, not failed)? */
gboolean bridge_room_is_recording (BridgeRoom *room);

/* Rooms the bridge opened itself from a join token (bridge-room-open.c).
 * bridge_room_mark_token_opened() records the token's chair claim (may be
 * NULL); the room counts as token-opened until the scheduler's first
 * POST /rooms for it (bridge_room_update), which adopts it. */
void bridge_room_mark_token_opened (BridgeRoom *room, const gchar *chair);
gboolean bridge_room_is_token_opened (BridgeRoom *room);

/* Adds @endpoint (named @name, may be NULL) as an invited participant; TRUE
 * when it is there already. FALSE with BRIDGE_ERROR_INVALID when @endpoint
 * is not an endpoint code. */
gboolean bridge_room_invite (BridgeRoom *room, const gchar *endpoint, const gchar *name,
                             GError **error);

/* POST /rooms/{id}/uplink: links the room, as one participant, into the
 * parent room whose signalling URL is @signal_url, with @token (a link
 * token signed by the parent). BRIDGE_ERROR_INVALID on a bad URL or token,
 * BRIDGE_ERROR_CONFLICT when an uplink is already on (a second parent). */
gboolean bridge_room_set_uplink (BridgeRoom *room, const gchar *signal_url, const gchar *token,
                                 GError **error);
/* DELETE /rooms/{id}/uplink; BRIDGE_ERROR_NOT_FOUND without one. */
gboolean bridge_room_clear_uplink (BridgeRoom *room, GError **error);

G_END_DECLS
