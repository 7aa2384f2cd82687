/* vc-janus-message.h — the few messages of Janus' WebSocket API (subprotocol
 * "janus-protocol") that the benchmark's Janus adapter exchanges with a
 * Janus AudioBridge (bench/media/vc-janus-adapter.h, run-janus-compare.sh).
 *
 * Janus is not part of the product: it is the reference the bridge is
 * measured against. This is still the one place where its messages are
 * parsed and built (docs/hacking.md, "One codec per wire contract"), with
 * json-glib: the adapter never reads a member itself.
 *
 * What the adapter sends, in order: create (a session), attach
 * (janus.plugin.audiobridge), message {"request":"join","room":R,
 * "display":D,"generate_offer":true} (Janus then offers, as our bridge does,
 * so the client stays the answerer), message {"request":"configure"} with
 * the answer as jsep, trickle (our candidates, then "completed"), keepalive
 * every VC_JANUS_KEEPALIVE_SECONDS, destroy. What it receives: success (with
 * data.id), ack, event (plugindata.data.audiobridge, and the offer as jsep),
 * error, and the session's notices (webrtcup, media, hangup, timeout, ...). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Janus ends a session that stays silent for 60 s (janus.jcfg
 * session_timeout); a keepalive goes well before that. */
#define VC_JANUS_KEEPALIVE_SECONDS 25
/* The largest message the adapter reads (an SDP offer is about 1.5 KB). */
#define VC_JANUS_MAX_MESSAGE (64 * 1024)

#define VC_JANUS_ERROR (vc_janus_error_quark ())
GQuark vc_janus_error_quark (void);

typedef enum
{
  VC_JANUS_ERROR_MALFORMED, /* not a JSON object, or a member of the wrong type */
  VC_JANUS_ERROR_TOO_LARGE, /* over VC_JANUS_MAX_MESSAGE */
} VcJanusError;

typedef enum
{
  VC_JANUS_SUCCESS,     /* "success": the answer to create/attach (id) or a synchronous request */
  VC_JANUS_ACK,         /* "ack": an asynchronous request was taken */
  VC_JANUS_EVENT,       /* "event": from the plugin (plugin_event, maybe an offer) */
  VC_JANUS_ERROR_REPLY, /* "error": a request was refused (error_code, reason) */
  VC_JANUS_HANGUP,      /* "hangup": the PeerConnection was closed (reason) */
  VC_JANUS_TIMEOUT,     /* "timeout": the session expired */
  VC_JANUS_NOTICE,      /* anything else (webrtcup, media, slowlink, detached, trickle ...) */
} VcJanusKind;

typedef struct
{
  VcJanusKind kind;
  gchar *janus;        /* the "janus" member as sent */
  gchar *transaction;  /* NULL: absent (notices) */
  gint64 id;           /* SUCCESS: data.id (the new session or handle), 0 when absent */
  gchar *plugin;       /* EVENT: plugindata.plugin */
  gchar *plugin_event; /* EVENT: plugindata.data.audiobridge ("joined", "event", ...), or NULL */
  gint64 error_code;   /* ERROR_REPLY: error.code; EVENT: plugindata.data.error_code; else 0 */
  gchar *reason;       /* ERROR_REPLY: error.reason; EVENT: plugindata.data.error;
                        * HANGUP: reason; else NULL */
  gchar *jsep_type;    /* "offer" / "answer", or NULL without jsep */
  gchar *jsep_sdp;     /* with jsep: begins with "v=0" */
} VcJanusMessage;

void vc_janus_message_free (VcJanusMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcJanusMessage, vc_janus_message_free)

/* Parses one text message from Janus (@len bytes). NULL with @error in
 * VC_JANUS_ERROR when it is not a JSON object with a string "janus", or a
 * member the kind needs has the wrong type (the message names it). */
VcJanusMessage *vc_janus_message_parse (const gchar *data, gsize len, GError **error);

/* Builders: one JSON object on one line, newly allocated. */
gchar *vc_janus_build_create (const gchar *transaction);
gchar *vc_janus_build_attach (const gchar *transaction, gint64 session, const gchar *plugin);
/* {"request":"join","room":@room,"display":@display,"generate_offer":true} */
gchar *vc_janus_build_join (const gchar *transaction, gint64 session, gint64 handle, gint64 room,
                            const gchar *display);
/* {"request":"configure"} with {"type":"answer","sdp":@sdp} as jsep */
gchar *vc_janus_build_configure_answer (const gchar *transaction, gint64 session, gint64 handle,
                                        const gchar *sdp);
/* @candidate "" (our end of candidates): {"completed":true} */
gchar *vc_janus_build_trickle (const gchar *transaction, gint64 session, gint64 handle,
                               const gchar *candidate, guint mline);
gchar *vc_janus_build_keepalive (const gchar *transaction, gint64 session);
gchar *vc_janus_build_destroy (const gchar *transaction, gint64 session);

G_END_DECLS
