/* ep-media-protocol.h — the lines the agent and its media process exchange.
 *
 * Each meeting's media runs in a child process (`vc-endpoint --config FILE
 * media-session`, ep-media-session.c) so that the agent itself never loads
 * the WebRTC, VP8, Opus, DTLS and ICE code (ep-media-child.c). They talk in
 * JSON objects, one per line, each with a "type":
 *
 *   agent → child (the child's stdin)
 *     {"type":"join","meeting":42,"start":1795000010,
 *      "signal_url":"ws://…/rooms/42/signal","token":"…"}     first line, once
 *     {"type":"leave"}                    send bye and exit; EOF means the same
 *   child → agent (the child's stdout; its logs go to stderr)
 *     {"type":"state","state":"negotiating"}   every VcClientPeer state
 *     {"type":"connected"}                     once, media flows both ways
 *     {"type":"first-frame","real_us":…,"mono_us":…}  first decoded frame
 *     {"type":"stats","video_frames":…,"audio_buffers":…}  every 10 s
 *     {"type":"error","message":"…"}           the bridge complained; goes on
 *     {"type":"ended","reason":"…"}            the media is over; exits next
 *
 * The token travels on stdin, never on the command line (/proc/PID/cmdline
 * is world-readable). Times are µs: real_us since the epoch, mono_us on
 * CLOCK_MONOTONIC, which both processes share. Unknown types are ignored by
 * both sides, so either can grow a message. */
#pragma once

#include "ep-schedule.h"

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  EP_MEDIA_MESSAGE_JOIN,
  EP_MEDIA_MESSAGE_LEAVE,
  EP_MEDIA_MESSAGE_STATE,
  EP_MEDIA_MESSAGE_CONNECTED,
  EP_MEDIA_MESSAGE_FIRST_FRAME,
  EP_MEDIA_MESSAGE_STATS,
  EP_MEDIA_MESSAGE_ERROR,
  EP_MEDIA_MESSAGE_ENDED,
} EpMediaMessageType;

typedef struct
{
  EpMediaMessageType type;
  /* join */
  gint64 meeting;
  gint64 start; /* scheduled start, seconds since the epoch */
  gchar *signal_url;
  gchar *token;
  /* state (the state's name), error (message), ended (reason) */
  gchar *text;
  /* first-frame */
  gint64 real_us, mono_us;
  /* stats */
  gint64 video_frames, audio_buffers;
} EpMediaMessage;

void ep_media_message_clear (EpMediaMessage *message);

/* One line, '\n' included. */
gchar *ep_media_message_to_line (const EpMediaMessage *message);

/* The object @builder holds, as one JSON line ('\n' included): the framing
 * of every pipe between the agent and its child processes. */
gchar *ep_json_line (JsonBuilder *builder);

/* The join line for @meeting. */
gchar *ep_media_join_line (const EpMeeting *meeting);

/* Parses one line (without or with its '\n'). FALSE with a message in @error
 * for anything malformed or of an unknown type; @message is then cleared. */
gboolean ep_media_message_parse (const gchar *line, EpMediaMessage *message, GError **error);

G_END_DECLS
