/* bridge-room-open.h — who may open a room on the bridge, and when a room
 * the bridge opened by itself is closed again.
 *
 * The scheduler opens each meeting's room (POST /rooms) a lead time before
 * its start. When it cannot — it is down at that minute, or the bridge
 * restarted while it was down — the rooms' own join tokens open it, so that
 * a meeting never depends on the scheduler being up at the right minute
 * (docs/protocol.md §3, docs/architecture.md "When the scheduler is away"):
 *
 *   - a room token (not a guest's) that the bridge can verify — the shared
 *     secret, unexpired, for this room — opens the room if the bridge does
 *     not have it, with the token's endpoint and name as its first
 *     participant and the token's `chair` claim as its chair;
 *   - later room tokens for a room opened that way add their endpoint;
 *   - the bridge's limits hold: no room beyond [bridge] max_rooms, no
 *     participant beyond [bridge] capacity (503 "capacity");
 *   - a guest token never opens a room (404: the guest waits);
 *   - a room the scheduler closed (DELETE /rooms/{id}) is not opened again by
 *     a token (410 "closed") for BRIDGE_ROOM_OPEN_CLOSED_MEMORY_S, or until the
 *     scheduler posts it again;
 *   - a room opened by a token that nobody has been connected to for
 *     BRIDGE_ROOM_OPEN_EMPTY_CLOSE_S, or whose tokens have all expired, is
 *     closed by the bridge itself, so that meetings held while the scheduler
 *     stays away do not fill the bridge;
 *   - the scheduler's POST /rooms adopts such a room: from then on it is a
 *     room like any other.
 *
 * Main thread only. The opener borrows the server's table of rooms and
 * removes the rooms it closes from it. */
#pragma once

#include "bridge-config.h"
#include "bridge-room.h"
#include "vc-jwt.h"

G_BEGIN_DECLS

/* How long a room opened by a token stays without anybody connected. */
#define BRIDGE_ROOM_OPEN_EMPTY_CLOSE_S 120
/* How long a room closed by the scheduler stays closed to tokens. */
#define BRIDGE_ROOM_OPEN_CLOSED_MEMORY_S (24 * 3600)

typedef struct _BridgeRoomOpener BridgeRoomOpener;

/* @rooms (id → BridgeRoom, owning) and @settings must outlive the opener.
 * Starts a timer that closes rooms as above. */
BridgeRoomOpener *bridge_room_opener_new (const BridgeSettings *settings, GHashTable *rooms);
void bridge_room_opener_free (BridgeRoomOpener *opener);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BridgeRoomOpener, bridge_room_opener_free)

/* @claims were verified (signature, expiry) and name the room of the
 * request; @upgrade tells whether the request asks for a WebSocket (only
 * one that does may open a room). Returns the room they may join
 * (borrowed), opened for them when they may open it; NULL with
 * BRIDGE_ERROR_NOT_FOUND (a guest and no room), BRIDGE_ERROR_CLOSED,
 * BRIDGE_ERROR_CAPACITY, BRIDGE_ERROR_FORBIDDEN (not invited to a room the
 * scheduler manages), BRIDGE_ERROR_INVALID (not a room id or endpoint code,
 * or no upgrade) or BRIDGE_ERROR_MEDIA. */
BridgeRoom *bridge_room_opener_admit (BridgeRoomOpener *opener, const VcJwtClaims *claims,
                                      gboolean upgrade, GError **error);

/* The scheduler posted room @id (it manages it now). */
void bridge_room_opener_note_posted (BridgeRoomOpener *opener, const gchar *id);
/* The scheduler deleted room @id (whether the bridge had it or not). */
void bridge_room_opener_note_deleted (BridgeRoomOpener *opener, const gchar *id);

/* Closes what is due now (the timer calls it every few seconds; tests call
 * it with their own clocks): @now_s wall clock in seconds, @mono_us
 * monotonic. Returns how many rooms it closed. */
guint bridge_room_opener_sweep (BridgeRoomOpener *opener, gint64 now_s, gint64 mono_us);

G_END_DECLS
