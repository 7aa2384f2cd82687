/* bridge-room-private.h — the room's state, shared by bridge-room.c (its
 * life, peers, layout and requests) and bridge-room-json.c (the room as the
 * control API shows it). Nothing outside these two files includes it. */
#pragma once

#include "bridge-audio.h"
#include "bridge-layout.h"
#include "bridge-record.h"
#include "bridge-room.h"
#include "bridge-tile-pick.h"
#include "bridge-uplink.h"
#include "bridge-video.h"

typedef struct
{
  gchar *endpoint;
  gchar *name;
  gboolean invited; /* FALSE for guests */
  gboolean link;    /* a child bridge's room, joining with a link token (bridge-uplink.h) */
  gboolean muted;
  guint tile_width, tile_height; /* its tile in the composite; 0 = not shown */
  /* a link: what its child bridge said in its last link_state (§5) */
  gchar **below;        /* the rooms below it (endpoint codes), NULL = nothing said */
  gchar **below_names;  /* their names */
  gchar *below_speaker; /* its room's active speaker, resolved to a room */
} Participant;

struct _BridgeRoom
{
  gchar *id;
  const BridgeSettings *settings;
  GPtrArray *participants; /* Participant, roster order then guests */
  gchar *chair;
  gchar *floor;       /* a participant (a local room or a link), or NULL */
  gchar *floor_below; /* when the floor is a link's: the room below it the chair named */
  gchar *active_speaker;
  BridgeLayoutKind layout;
  gboolean token_opened; /* opened by a join token, not yet adopted by the scheduler */
  GHashTable *peers;     /* endpoint -> BridgePeer */
  BridgeAudio *audio;
  BridgeVideo *video;
  BridgeUplink *uplink; /* the link to a parent room on another bridge, or NULL */
  gchar *identity;      /* \"BRIDGE-INSTANCE/ROOM\": this room in a tree of bridges */
  Participant *parent;  /* how the uplink shows in the layout (bridge-uplink.h) */
  BridgeRecord *record; /* bridge-record.h: off unless posted with "record": true */
  BridgeTilePick *pick; /* who the grid shows when N > max_tiles */
  guint pick_timer;     /* a speaker waits for a tile's hold time: lay out again then */
  guint timer;
  guint ticks;
};

/* What the room's layout shows large across a tree of bridges (docs/protocol.md
 * §5): the tile (a local participant, a link, "@parent" or NULL); @code is set
 * to the room the floor names. */
const gchar *bridge_room_floor (BridgeRoom *room, const gchar **code);
/* The active speaker as a room of the tree (through a link, the room below it). */
const gchar *bridge_room_speaker_named (BridgeRoom *room);
/* The rooms from the root of the tree down to this one; free with g_free(). */
gchar *bridge_room_tree (BridgeRoom *room);
