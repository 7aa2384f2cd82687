/* vc-signal.h — the bridge's signalling messages (docs/protocol.md §3): one
 * codec for both ends of the WebSocket.
 *
 * The bridge (media/bridge/bridge-peer-signal.c, bridge-room.c,
 * bridge-server.c) and the client (vc-client-peer.c) parse what they receive
 * and build what they send with these functions only; the browser page does
 * the same with web/js/signal.js. Parsing is strict: a message is refused
 * unless every member the contract defines for its type has the right JSON
 * type and range, and the GError names the member. Unknown members are
 * ignored (the contract may grow). Each end accepts only what the other
 * end sends: the bridge an answer, ice, bye or link_state (from a child
 * bridge's uplink); the client an offer, ice, state, bye or error. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest message, in bytes. */
#define VC_SIGNAL_MAX_MESSAGE (64 * 1024)
/* The largest WebSocket frame the bridge reads: a message between the two
 * limits is answered with "too_large" and the channel stays open; a bigger
 * frame is not read, and libsoup closes the connection (1009, message too
 * big). */
#define VC_SIGNAL_MAX_FRAME (4 * VC_SIGNAL_MAX_MESSAGE)

/* Why a message was refused; vc_signal_error_to_code() gives the "code" of
 * the error message the bridge answers with. */
#define VC_SIGNAL_ERROR (vc_signal_error_quark ())
GQuark vc_signal_error_quark (void);

typedef enum
{
  VC_SIGNAL_ERROR_MALFORMED,  /* not a JSON object, a member missing or of the wrong type */
  VC_SIGNAL_ERROR_TOO_LARGE,  /* over VC_SIGNAL_MAX_MESSAGE */
  VC_SIGNAL_ERROR_UNEXPECTED, /* an unknown type, or one this end does not receive */
} VcSignalError;

/* "malformed", "too_large", "unexpected" (static strings). */
const gchar *vc_signal_error_to_code (VcSignalError error);

typedef enum
{
  VC_SIGNAL_OFFER,         /* bridge → peer */
  VC_SIGNAL_ANSWER,        /* peer → bridge */
  VC_SIGNAL_ICE,           /* both ways */
  VC_SIGNAL_STATE,         /* bridge → peer */
  VC_SIGNAL_BYE,           /* both ways */
  VC_SIGNAL_ERROR_MESSAGE, /* bridge → peer: {"type":"error"} */
  VC_SIGNAL_LINK_STATE,    /* peer → bridge: a child bridge's rooms and speaker (§5) */
} VcSignalType;

/* A link_state names at most this many rooms below the link. */
#define VC_SIGNAL_MAX_LINK_ROOMS 1000
/* An endpoint code in a link_state: 1 to this many bytes. */
#define VC_SIGNAL_MAX_ENDPOINT_LEN 64

/* Who sent the bytes being parsed. */
typedef enum
{
  VC_SIGNAL_FROM_PEER,   /* parsed by the bridge */
  VC_SIGNAL_FROM_BRIDGE, /* parsed by the client */
} VcSignalSender;

typedef struct
{
  VcSignalType type;
  gchar *sdp;       /* OFFER, ANSWER: begins with "v=0" */
  gchar *candidate; /* ICE: "" = end of candidates */
  guint mline;      /* ICE: sdpMLineIndex, 0 (video) or 1 (audio) */
  gchar *reason;    /* BYE: may be NULL */
  gchar *code;      /* ERROR_MESSAGE */
  gchar *message;   /* ERROR_MESSAGE: "" when absent */
  /* STATE; members the message leaves out take these defaults */
  gchar *active_speaker; /* NULL: nobody (JSON null or absent) */
  gchar *layout;         /* NULL: absent */
  gboolean muted;        /* FALSE */
  gboolean send_video;   /* TRUE */
  guint video_width;     /* 0: not shown, or not said; at most 65535 */
  guint video_height;
  gchar *tree;        /* to a child bridge's link only: the rooms from the root of the tree down to
                       * the sender's, space-separated (docs/protocol.md §5); NULL: absent */
  gboolean recording; /* FALSE: the bridge records the room (and is not paused) */
  gchar *floor;       /* STATE: the room that holds the floor anywhere in the tree; NULL: nobody */
  gboolean floor_below; /* STATE, to a link only: that room is below the link (FALSE) */
  /* LINK_STATE (active_speaker above too: the child's own, resolved to a room) */
  gchar **rooms;      /* NULL-terminated endpoint codes of every room below the link, never NULL */
  gchar **room_names; /* the same length: their names, "" when not said */
} VcSignalMessage;

void vc_signal_message_free (VcSignalMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcSignalMessage, vc_signal_message_free)

/* Parses one text message (@len bytes, not necessarily NUL-terminated) sent
 * by @from. NULL with @error in VC_SIGNAL_ERROR when it is refused; the
 * error's message names the member ("ice: 'sdpMLineIndex' must be 0 or 1").
 * @type, when not NULL, is set to the message's type as soon as its "type"
 * member names one that this end receives, even if its other members are
 * then refused (a client treats an unusable offer as fatal), and left as it
 * was otherwise. */
VcSignalMessage *vc_signal_parse (const gchar *data, gsize len, VcSignalSender from,
                                  VcSignalType *type, GError **error);

/* Builders: one JSON object on one line, newly allocated. */
gchar *vc_signal_build_offer (const gchar *sdp);
gchar *vc_signal_build_answer (const gchar *sdp);
gchar *vc_signal_build_ice (const gchar *candidate, guint mline);
/* @reason: NULL leaves the member out */
gchar *vc_signal_build_bye (const gchar *reason);
gchar *vc_signal_build_error (VcSignalError code, const gchar *message);
/* @active_speaker: NULL sends null; @recording: the room is being recorded
 * (and not paused), every participant shows an indicator */
gchar *vc_signal_build_state (const gchar *active_speaker, const gchar *layout, gboolean muted,
                              gboolean send_video, guint video_width, guint video_height,
                              gboolean recording);
/* The same, to a child bridge's link: with its "tree" (NULL leaves it out) */
gchar *vc_signal_build_link_state (const gchar *active_speaker, const gchar *layout, gboolean muted,
                                   gboolean send_video, guint video_width, guint video_height,
                                   gboolean recording, const gchar *tree);
/* The same with the floor (@floor: NULL leaves it out; @floor_below only
 * to a link) */
gchar *vc_signal_build_floor_state (const gchar *active_speaker, const gchar *layout,
                                    gboolean muted, gboolean send_video, guint video_width,
                                    guint video_height, gboolean recording, const gchar *tree,
                                    const gchar *floor, gboolean floor_below);
/* A child bridge's uplink to its parent: @rooms (NULL-terminated endpoint
 * codes, each 1 to VC_SIGNAL_MAX_ENDPOINT_LEN bytes, at most
 * VC_SIGNAL_MAX_LINK_ROOMS) and their @names (the same length, "" for none),
 * its active speaker (NULL sends null) */
gchar *vc_signal_build_link_report (const gchar *active_speaker, const gchar *const *rooms,
                                    const gchar *const *names);
/* Builds @msg back into text (the fuzz target checks that it parses to the
 * same message). */
gchar *vc_signal_build (const VcSignalMessage *msg);

G_END_DECLS
