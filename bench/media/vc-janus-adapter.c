/* vc-janus-adapter.c — our signalling ↔ Janus' WebSocket API (vc-janus-adapter.h). */
#define G_LOG_DOMAIN "vc-janus"

#include "vc-janus-adapter.h"

#include "vc-janus-message.h"
#include "vc-signal.h"

#include <libsoup/soup.h>
#include <string.h>

struct _VcJanusAdapter
{
  gchar *janus_url;
  gint64 room;
  SoupServer *server;
  SoupSession *session; /* to Janus */
  gchar *signal_url;
  GList *links; /* JanusLink, one per client connection */
  guint failures;
};

/* One client, one Janus session with one AudioBridge handle. */
typedef struct
{
  VcJanusAdapter *adapter;
  SoupWebsocketConnection *client; /* our signalling, from the client peer */
  SoupWebsocketConnection *janus;  /* Janus' API */
  GCancellable *cancellable;       /* the connection to Janus */
  gchar *display;
  gint64 session, handle;
  guint keepalive;
  guint transactions;
  GQueue early; /* the client's messages that came before the handle (texts) */
} JanusLink;

static void link_close (JanusLink *link);
static gboolean on_link_release (gpointer data);

/* a fresh transaction id for this link, with what it is for */
static gchar *
link_transaction (JanusLink *link, const gchar *what)
{
  return g_strdup_printf ("%s-%u", what, ++link->transactions);
}

static void
link_send_janus (JanusLink *link, gchar *text)
{
  g_debug ("%s → janus: %s", link->display, text);
  if (link->janus != NULL
      && soup_websocket_connection_get_state (link->janus) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (link->janus, text);
  g_free (text);
}

static void
link_send_client (JanusLink *link, gchar *text)
{
  if (link->client != NULL
      && soup_websocket_connection_get_state (link->client) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (link->client, text);
  g_free (text);
}

/* Ends the link: a bye to the client, the Janus session destroyed, both
 * sockets closed; @why (not NULL: a failure, printed and counted). */
static void
link_end (JanusLink *link, const gchar *why)
{
  VcJanusAdapter *adapter = link->adapter;

  if (why != NULL)
    {
      adapter->failures++;
      g_printerr ("janus adapter: %s: %s\n", link->display, why);
    }
  link_send_client (link, vc_signal_build_bye (why != NULL ? "janus refused" : NULL));
  if (link->session != 0)
    link_send_janus (link, vc_janus_build_destroy ("destroy", link->session));
  adapter->links = g_list_remove (adapter->links, link);
  link_close (link);
  g_idle_add (on_link_release, link);
}

static gboolean
on_keepalive (gpointer data)
{
  JanusLink *link = data;

  link_send_janus (link,
                   vc_janus_build_keepalive (link_transaction (link, "keepalive"), link->session));
  return G_SOURCE_CONTINUE;
}

/* the client's answer, candidates and bye, once Janus has our handle */
static void
link_forward_client (JanusLink *link, const gchar *text, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcSignalMessage) msg = vc_signal_parse (text, len, VC_SIGNAL_FROM_PEER, NULL, &error);
  g_autofree gchar *tx = NULL;

  if (msg == NULL)
    {
      g_printerr ("janus adapter: %s: ignoring a client message: %s\n", link->display,
                  error->message);
      return;
    }
  switch (msg->type)
    {
      case VC_SIGNAL_ANSWER:
        tx = link_transaction (link, "configure");
        link_send_janus (
            link, vc_janus_build_configure_answer (tx, link->session, link->handle, msg->sdp));
        break;
      case VC_SIGNAL_ICE:
        tx = link_transaction (link, "trickle");
        link_send_janus (link, vc_janus_build_trickle (tx, link->session, link->handle,
                                                       msg->candidate, msg->mline));
        break;
      case VC_SIGNAL_BYE:
        link_end (link, NULL);
        break;
      default: /* vc_signal_parse() refuses the others from a peer */
        break;
    }
}

static void
on_client_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  JanusLink *link = data;
  gsize len;
  const gchar *text = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  if (link->handle == 0)
    g_queue_push_tail (&link->early, g_strndup (text, len));
  else
    link_forward_client (link, text, len);
}

static void
on_client_closed (SoupWebsocketConnection *ws, gpointer data)
{
  link_end (data, NULL);
}

/* Janus took our handle: joins the room, asking for its offer */
static void
link_join (JanusLink *link)
{
  VcJanusAdapter *adapter = link->adapter;
  g_autofree gchar *tx = link_transaction (link, "join");

  link_send_janus (
      link, vc_janus_build_join (tx, link->session, link->handle, adapter->room, link->display));
}

/* every candidate of @sdp is on 127.0.0.1 (and there is one): the
 * benchmark sends nothing off loopback */
static gboolean
offer_is_loopback (const gchar *sdp)
{
  g_auto (GStrv) lines = g_strsplit (sdp, "\n", -1);
  guint candidates = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "a=candidate:"))
      {
        g_auto (GStrv) f = g_strsplit (lines[i], " ", 6); /* foundation comp proto prio addr */
        if (g_strv_length (f) < 6 || strcmp (f[4], "127.0.0.1") != 0)
          return FALSE;
        candidates++;
      }
  return candidates > 0;
}

/* what Janus said; FALSE when the link has ended */
static gboolean
link_handle_janus (JanusLink *link, VcJanusMessage *msg)
{
  g_autofree gchar *why = NULL;

  switch (msg->kind)
    {
      case VC_JANUS_SUCCESS:
        if (g_strcmp0 (msg->transaction, "create") == 0 && msg->id != 0)
          {
            g_autofree gchar *tx = link_transaction (link, "attach");
            link->session = msg->id;
            link->keepalive
                = g_timeout_add_seconds (VC_JANUS_KEEPALIVE_SECONDS, on_keepalive, link);
            link_send_janus (link,
                             vc_janus_build_attach (tx, link->session, "janus.plugin.audiobridge"));
          }
        else if (g_str_has_prefix (msg->transaction ? msg->transaction : "", "attach-")
                 && msg->id != 0)
          {
            link->handle = msg->id;
            link_join (link);
            while (!g_queue_is_empty (&link->early))
              {
                g_autofree gchar *text = g_queue_pop_head (&link->early);
                link_forward_client (link, text, strlen (text));
              }
          }
        return TRUE;
      case VC_JANUS_EVENT:
        if (msg->error_code != 0)
          why = g_strdup_printf ("audiobridge error %" G_GINT64_FORMAT ": %s", msg->error_code,
                                 msg->reason ? msg->reason : "");
        else if (g_strcmp0 (msg->jsep_type, "offer") == 0 && !offer_is_loopback (msg->jsep_sdp))
          why = g_strdup ("Janus offered a candidate off 127.0.0.1 (janus-loopback-shim.c not "
                          "preloaded?)");
        else if (g_strcmp0 (msg->jsep_type, "offer") == 0)
          link_send_client (link, vc_signal_build_offer (msg->jsep_sdp));
        break;
      case VC_JANUS_ERROR_REPLY:
        why = g_strdup_printf ("error %" G_GINT64_FORMAT " (%s): %s", msg->error_code,
                               msg->transaction ? msg->transaction : "", msg->reason);
        break;
      case VC_JANUS_HANGUP:
        why = g_strdup_printf ("hangup: %s", msg->reason ? msg->reason : "");
        break;
      case VC_JANUS_TIMEOUT:
        why = g_strdup ("session timed out");
        break;
      default:
        break;
    }
  if (why == NULL)
    return TRUE;
  link_end (link, why);
  return FALSE;
}

static void
on_janus_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  JanusLink *link = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJanusMessage) msg = NULL;
  gsize len;
  const gchar *text = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  g_debug ("janus → %s: %.*s", link->display, (int)len, text);
  msg = vc_janus_message_parse (text, len, &error);
  if (msg == NULL)
    {
      g_printerr ("janus adapter: %s: ignoring a message from Janus: %s\n", link->display,
                  error->message);
      return;
    }
  link_handle_janus (link, msg);
}

static void
on_janus_closed (SoupWebsocketConnection *ws, gpointer data)
{
  JanusLink *link = data;

  link->session = 0; /* gone with its transport */
  link_end (link, "Janus closed the WebSocket");
}

static void
on_janus_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  JanusLink *link = data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *ws
      = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (ws == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        link_end (link, error->message);
      return;
    }
  link->janus = ws;
  soup_websocket_connection_set_keepalive_interval (ws, 0);
  soup_websocket_connection_set_max_incoming_payload_size (ws, VC_JANUS_MAX_MESSAGE);
  g_signal_connect (ws, "message", G_CALLBACK (on_janus_message), link);
  g_signal_connect (ws, "closed", G_CALLBACK (on_janus_closed), link);
  link_send_janus (link, vc_janus_build_create ("create"));
}

/* stops the link's traffic and timers; link_free() releases it */
static void
link_close (JanusLink *link)
{
  g_clear_handle_id (&link->keepalive, g_source_remove);
  g_cancellable_cancel (link->cancellable);
  if (link->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (link->client, link);
      if (soup_websocket_connection_get_state (link->client) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (link->client, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  if (link->janus != NULL)
    {
      g_signal_handlers_disconnect_by_data (link->janus, link);
      if (soup_websocket_connection_get_state (link->janus) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (link->janus, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
}

static void
link_free (JanusLink *link)
{
  g_clear_object (&link->cancellable);
  g_clear_object (&link->client);
  g_clear_object (&link->janus);
  g_queue_clear_full (&link->early, g_free);
  g_free (link->display);
  g_free (link);
}

/* the sockets are let go from an idle: link_free() may run inside one of
 * their own signal emissions */
static gboolean
on_link_release (gpointer data)
{
  link_free (data);
  return G_SOURCE_REMOVE;
}

/* a client opened its signalling WebSocket: ?token= is its display name */
static void
on_client_websocket (SoupServer *server, SoupServerMessage *message, const char *path,
                     SoupWebsocketConnection *connection, gpointer data)
{
  static const gchar *protocols[] = { "janus-protocol", NULL };
  VcJanusAdapter *adapter = data;
  GUri *uri = soup_server_message_get_uri (message);
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, adapter->janus_url);
  JanusLink *link = g_new0 (JanusLink, 1);
  const gchar *display = NULL;

  if (g_uri_get_query (uri) != NULL)
    params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    display = g_hash_table_lookup (params, "token");
  link->adapter = adapter;
  link->display = g_strdup (display != NULL ? display : "participant");
  link->client = g_object_ref (connection);
  link->cancellable = g_cancellable_new ();
  g_queue_init (&link->early);
  adapter->links = g_list_prepend (adapter->links, link);
  soup_websocket_connection_set_keepalive_interval (connection, 0);
  g_signal_connect (connection, "message", G_CALLBACK (on_client_message), link);
  g_signal_connect (connection, "closed", G_CALLBACK (on_client_closed), link);
  soup_session_websocket_connect_async (adapter->session, msg, NULL, (char **)protocols,
                                        G_PRIORITY_DEFAULT, link->cancellable, on_janus_connected,
                                        link);
}

VcJanusAdapter *
vc_janus_adapter_new (const gchar *janus_url, gint64 room, GError **error)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  VcJanusAdapter *adapter;
  GSList *uris;

  g_return_val_if_fail (janus_url != NULL, NULL);
  adapter = g_new0 (VcJanusAdapter, 1);
  adapter->janus_url = g_strdup (janus_url);
  adapter->room = room;
  adapter->session = soup_session_new ();
  adapter->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (adapter->server, "/rooms/janus/signal", NULL, NULL,
                                     on_client_websocket, adapter, NULL);
  if (!soup_server_listen (adapter->server, address, 0, error))
    {
      vc_janus_adapter_free (adapter);
      return NULL;
    }
  uris = soup_server_get_uris (adapter->server);
  adapter->signal_url
      = g_strdup_printf ("ws://127.0.0.1:%d/rooms/janus/signal", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return adapter;
}

void
vc_janus_adapter_free (VcJanusAdapter *adapter)
{
  if (adapter == NULL)
    return;
  while (adapter->links != NULL)
    {
      JanusLink *link = adapter->links->data;
      adapter->links = g_list_delete_link (adapter->links, adapter->links);
      link_close (link);
      link_free (link);
    }
  if (adapter->server != NULL)
    soup_server_disconnect (adapter->server);
  g_clear_object (&adapter->server);
  g_clear_object (&adapter->session);
  g_free (adapter->signal_url);
  g_free (adapter->janus_url);
  g_free (adapter);
}

const gchar *
vc_janus_adapter_get_signal_url (VcJanusAdapter *adapter)
{
  return adapter->signal_url;
}

guint
vc_janus_adapter_get_failures (VcJanusAdapter *adapter)
{
  return adapter->failures;
}
