/* ep-media-session.h — the media process of one meeting (the child side of
 * ep-media-protocol.h).
 *
 * `vc-endpoint --config FILE media-session` runs this: it reads the join
 * line on stdin, joins the bridge room with VcClientPeer
 * (media/client/vc-client-peer.h) from the configured camera and microphone, shows
 * and plays the bridge's composite, reports its events as JSON lines, and
 * exits when the agent says leave, closes stdin, or the media ends. The
 * agent (ep-media-child.c) starts one per join attempt, so the WebRTC stack
 * and its memory go away with the process after every meeting. */
#pragma once

#include "ep-config.h"

G_BEGIN_DECLS

/* The subcommand that runs a media session. */
#define EP_MEDIA_SESSION_COMMAND "media-session"

/* Runs the session to its end on the calling (main) thread; returns the exit
 * status (0, or 1 when the join line never came or was malformed). Calls
 * gst_init(). */
int ep_media_session_run (const EpConfig *config);

/* Checks that the GStreamer elements a session with @config needs are
 * installed (the agent calls it at start, before any meeting); the error
 * names each missing element and its Debian package. Looks at the registry
 * only: no plugin is loaded. */
gboolean ep_media_check (const EpConfig *config, GError **error);

G_END_DECLS
