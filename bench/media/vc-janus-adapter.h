/* vc-janus-adapter.h — lets the bridge's WebRTC client (vc-client-peer.h)
 * join a Janus AudioBridge room, for the side-by-side benchmark
 * (bench/media/run-janus-compare.sh).
 *
 * The client speaks our signalling (docs/protocol.md §3: the server offers,
 * the client answers and trickles). The adapter listens on 127.0.0.1 for
 * that WebSocket and turns each connection into a Janus session over Janus'
 * WebSocket API (vc-janus-message.h): create, attach
 * janus.plugin.audiobridge, join the room with generate_offer (Janus offers,
 * like our bridge), Janus' offer → {"type":"offer"}, our answer →
 * configure with the answer as jsep, our candidates → trickle, a keepalive
 * every 25 s; a bye, a hangup or either side closing ends the session.
 * Janus gives its own candidates in its offer (no trickle from its side).
 *
 * The client is pointed at vc_janus_adapter_get_signal_url() with its
 * display name as its "token" (Janus' room is open; nothing is verified).
 * Main thread only; the adapter runs on the thread-default main context. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VcJanusAdapter VcJanusAdapter;

/* @janus_url: Janus' WebSocket transport, ws://127.0.0.1:PORT/; @room: an
 * AudioBridge room that exists (janus.plugin.audiobridge.jcfg). Listens on
 * 127.0.0.1:0. NULL with @error when it cannot listen. */
VcJanusAdapter *vc_janus_adapter_new (const gchar *janus_url, gint64 room, GError **error);
void vc_janus_adapter_free (VcJanusAdapter *adapter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcJanusAdapter, vc_janus_adapter_free)

/* ws://127.0.0.1:PORT/rooms/janus/signal, for VcClientPeerSettings.signal_url */
const gchar *vc_janus_adapter_get_signal_url (VcJanusAdapter *adapter);

/* Sessions that Janus refused or ended (an error, a hangup, a timeout)
 * since the adapter started; each is also printed on stderr. */
guint vc_janus_adapter_get_failures (VcJanusAdapter *adapter);

G_END_DECLS
