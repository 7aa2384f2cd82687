/* bridge-signal.h — the JSON messages of docs/protocol.md §3.
 *
 * Parsing is strict and separate from the peer so that it can be tested (and
 * fuzzed) alone: anything but a well-formed answer, ice or bye is refused with
 * the error code the bridge sends back ("malformed", "too_large",
 * "unexpected"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BRIDGE_SIGNAL_MAX_MESSAGE (64 * 1024)
/* The largest WebSocket frame the bridge reads: a message between the two
 * limits is answered with "too_large" and the channel stays open; a bigger
 * frame is not read, and libsoup closes the connection (1009, message too
 * big). */
#define BRIDGE_SIGNAL_MAX_FRAME (4 * BRIDGE_SIGNAL_MAX_MESSAGE)

typedef enum
{
  BRIDGE_SIGNAL_ANSWER,
  BRIDGE_SIGNAL_ICE,
  BRIDGE_SIGNAL_BYE,
} BridgeSignalType;

typedef struct
{
  BridgeSignalType type;
  gchar *sdp;       /* ANSWER */
  gchar *candidate; /* ICE; "" = end of candidates */
  guint mline;      /* ICE */
  gchar *reason;    /* BYE, may be NULL */
} BridgeSignalMessage;

void bridge_signal_message_free (BridgeSignalMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BridgeSignalMessage, bridge_signal_message_free)

/* Parses one message from a participant. On failure returns NULL and sets
 * @code to a static error code and @detail to a readable message. */
BridgeSignalMessage *bridge_signal_parse (const gchar *data, gsize len, const gchar **code,
                                          gchar **detail);

gchar *bridge_signal_build_offer (const gchar *sdp);
gchar *bridge_signal_build_ice (const gchar *candidate, guint mline);
gchar *bridge_signal_build_bye (const gchar *reason);
gchar *bridge_signal_build_error (const gchar *code, const gchar *message);

G_END_DECLS
