/* bridge-server.h — vc-bridge's HTTP control API and WebSocket signalling.
 *
 * One SoupServer on the main thread (docs/protocol.md §2 and §3):
 *   GET /healthz, GET /capacity, GET|POST /rooms, GET|DELETE /rooms/{id},
 *   POST /rooms/{id}/control (Bearer shared secret), and
 *   GET /rooms/{id}/signal?token=JWT upgraded to a WebSocket; the token is
 *   checked before the upgrade. */
#pragma once

#include "bridge-config.h"

#include <glib-object.h>

G_BEGIN_DECLS

#define BRIDGE_TYPE_SERVER (bridge_server_get_type ())
G_DECLARE_FINAL_TYPE (BridgeServer, bridge_server, BRIDGE, SERVER, GObject)

/* @settings must outlive the server. */
BridgeServer *bridge_server_new (const BridgeSettings *settings);

/* Listens on the configured address; FALSE with @error if the address is
 * taken or invalid. */
gboolean bridge_server_listen (BridgeServer *server, GError **error);

/* "http://127.0.0.1:PORT" once listening (the real port when 0 was asked). */
const gchar *bridge_server_get_url (BridgeServer *server);

/* Closes every room (peers get bye) and stops listening. */
void bridge_server_shutdown (BridgeServer *server);

G_END_DECLS
