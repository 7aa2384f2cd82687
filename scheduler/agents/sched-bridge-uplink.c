/* sched-bridge-uplink.c — keeps each open room's uplink as its meeting's
 * stored link says; see the header.
 *
 * After every poll of an open room the stored link (meeting_uplinks) is
 * compared with the room's "uplink" as the bridge shows it and with what
 * was last posted (a digest of URL and token, never the token itself):
 *
 *   link stored, posted the same, bridge has one      nothing (connecting,
 *                                                     connected, retrying, or
 *                                                     refused by the parent:
 *                                                     off with last_error)
 *   link stored, posted the same, bridge has none     POST (the room was
 *                                                     opened again: restart)
 *   link stored, nothing posted yet by this run,      adopt it (this scheduler
 *     bridge has the same URL and it is not off       restarted)
 *   link stored, other than posted                    DELETE (if the bridge's
 *                                                     is not off), then POST
 *   no link stored, bridge's not off                  DELETE
 *
 * Reading the table at each poll makes the CLI's changes, written by
 * another process, reach the bridge within a poll (2 s) too. One request
 * per room at a time; each answer asks for a poll at once, so that the next
 * step follows without waiting. A meeting whose room closes loses its uplink
 * with the room (DELETE /rooms ends it; the parent gets bye). */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-bridge-uplink.h"
#include "sched-agent-schedule.h"
#include "sched-uplink.h"

#include <string.h>

typedef struct
{
  gchar *posted; /* digest of the URL and token last posted, "" for "post again", NULL: none */
  gchar *error;  /* why the bridge refused the last POST */
  gboolean busy;
} UplinkEntry;

struct _SchedBridgeUplinks
{
  SchedContext *ctx;
  SchedBridge *bridge;
  GCancellable *cancellable;
  GHashTable *entries; /* gint64* meeting id → UplinkEntry* */
};

typedef enum
{
  UPLINK_POST,
  UPLINK_DELETE,
} UplinkRequestKind;

typedef struct
{
  SchedBridgeUplinks *uplinks; /* valid while @cancellable is not cancelled */
  GCancellable *cancellable;
  gint64 id;
  UplinkRequestKind kind;
  gchar *digest; /* POST: what was posted */
} UplinkRequest;

static void
entry_free (UplinkEntry *entry)
{
  g_free (entry->posted);
  g_free (entry->error);
  g_free (entry);
}

static UplinkEntry *
uplinks_entry (SchedBridgeUplinks *uplinks, gint64 id)
{
  UplinkEntry *entry = g_hash_table_lookup (uplinks->entries, &id);

  if (entry == NULL)
    {
      entry = g_new0 (UplinkEntry, 1);
      g_hash_table_insert (uplinks->entries, g_memdup2 (&id, sizeof id), entry);
    }
  return entry;
}

static gchar *
uplink_digest (const SchedUplink *uplink)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, (const guchar *)uplink->signal_url, (gssize)strlen (uplink->signal_url));
  g_checksum_update (sum, (const guchar *)"\n", 1);
  g_checksum_update (sum, (const guchar *)uplink->token, (gssize)strlen (uplink->token));
  return g_strdup (g_checksum_get_string (sum));
}

/* The bridge's error message in @body, or the status. */
static gchar *
uplink_reply_error (guint status, GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const gchar *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (data && json_parser_load_from_data (parser, data, (gssize)len, NULL)
      && sched_agent_json_root_is_object (parser))
    {
      const gchar *message = json_object_get_string_member_with_default (
          json_node_get_object (json_parser_get_root (parser)), "message", NULL);
      if (message)
        return g_strdup_printf ("the bridge refused the link (%u): %s", status, message);
    }
  return g_strdup_printf ("the bridge refused the link (%u)", status);
}

static void
on_uplink_reply (guint status, GBytes *body, const GError *error, gpointer user_data)
{
  UplinkRequest *req = user_data;
  SchedBridgeUplinks *uplinks = req->uplinks;
  UplinkEntry *entry;

  if (g_cancellable_is_cancelled (req->cancellable))
    goto done;
  entry = uplinks_entry (uplinks, req->id);
  entry->busy = FALSE;
  if (status == 0)
    goto done; /* not reached: the next poll tries again */
  if (req->kind == UPLINK_DELETE)
    {
      if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_FOUND)
        {
          g_message ("bridge: room %" G_GINT64_FORMAT " left its central conference", req->id);
          g_clear_pointer (&entry->posted, g_free);
        }
    }
  else if (status == SOUP_STATUS_ACCEPTED || status == SOUP_STATUS_OK)
    {
      g_message ("bridge: room %" G_GINT64_FORMAT " links to its central conference", req->id);
      g_free (entry->posted);
      entry->posted = g_steal_pointer (&req->digest);
      g_clear_pointer (&entry->error, g_free);
    }
  else if (status == SOUP_STATUS_CONFLICT)
    g_clear_pointer (&entry->posted, g_free); /* it has another: the next poll deletes it */
  else if (status == SOUP_STATUS_NOT_FOUND || status >= 500)
    ; /* the room is gone (the poll reopens it) or the bridge failed: tried again */
  else
    {
      /* Refused for good (422: a URL or token it does not take): not
       * posted again until the link changes. */
      g_free (entry->error);
      entry->error = uplink_reply_error (status, body);
      g_warning ("bridge: room %" G_GINT64_FORMAT ": %s", req->id, entry->error);
      g_free (entry->posted);
      entry->posted = g_steal_pointer (&req->digest);
    }
  sched_bridge_poll_now (uplinks->bridge, req->id);

done:
  g_object_unref (req->cancellable);
  g_free (req->digest);
  g_free (req);
}

static void
uplinks_send (SchedBridgeUplinks *uplinks, UplinkEntry *entry, gint64 id, UplinkRequestKind kind,
              const SchedUplink *link)
{
  g_autofree gchar *path = g_strdup_printf ("/rooms/%" G_GINT64_FORMAT "/uplink", id);
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonNode) body = NULL;
  UplinkRequest *req = g_new0 (UplinkRequest, 1);

  req->uplinks = uplinks;
  req->cancellable = g_object_ref (uplinks->cancellable);
  req->id = id;
  req->kind = kind;
  if (kind == UPLINK_POST)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "signal_url");
      json_builder_add_string_value (b, link->signal_url);
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, link->token);
      json_builder_end_object (b);
      body = json_builder_get_root (b);
      req->digest = uplink_digest (link);
    }
  entry->busy = TRUE;
  sched_bridge_request (uplinks->bridge, kind == UPLINK_POST ? "POST" : "DELETE", path, body,
                        uplinks->cancellable, on_uplink_reply, req);
}

void
sched_bridge_uplinks_room_polled (SchedBridgeUplinks *uplinks, gint64 meeting_id, JsonNode *room)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedUplink) link = NULL;
  g_autofree gchar *digest = NULL;
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (room) ? json_node_get_object (room) : NULL;
  JsonNode *member = o ? json_object_get_member (o, "uplink") : NULL;
  JsonObject *up = member && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
  const gchar *state, *url;
  gboolean has_one;
  UplinkEntry *entry;

  if (up == NULL)
    return; /* a bridge without cascading */
  entry = uplinks_entry (uplinks, meeting_id);
  if (entry->busy)
    return;
  link = sched_uplink_get (uplinks->ctx->db, meeting_id, &error);
  if (error)
    {
      g_warning ("bridge: %s", error->message);
      return;
    }
  state = json_object_get_string_member_with_default (up, "state", "off");
  url = json_object_get_string_member_with_default (up, "signal_url", NULL);
  has_one = g_strcmp0 (state, "off") != 0;
  if (link == NULL)
    {
      if (has_one)
        uplinks_send (uplinks, entry, meeting_id, UPLINK_DELETE, NULL);
      else
        g_clear_pointer (&entry->posted, g_free);
      return;
    }
  digest = uplink_digest (link);
  if (entry->posted == NULL && has_one && g_strcmp0 (url, link->signal_url) == 0)
    {
      entry->posted = g_steal_pointer (&digest); /* posted by an earlier run */
      return;
    }
  if (g_strcmp0 (entry->posted, digest) == 0)
    {
      if (url == NULL)
        uplinks_send (uplinks, entry, meeting_id, UPLINK_POST, link);
      return;
    }
  uplinks_send (uplinks, entry, meeting_id, has_one ? UPLINK_DELETE : UPLINK_POST, link);
}

void
sched_bridge_uplinks_room_gone (SchedBridgeUplinks *uplinks, gint64 meeting_id)
{
  UplinkEntry *entry = g_hash_table_lookup (uplinks->entries, &meeting_id);

  if (entry && !entry->busy)
    g_hash_table_remove (uplinks->entries, &meeting_id);
  else if (entry)
    g_clear_pointer (&entry->posted, g_free);
}

void
sched_bridge_uplinks_changed (SchedBridgeUplinks *uplinks, gint64 meeting_id)
{
  UplinkEntry *entry = uplinks_entry (uplinks, meeting_id);

  g_free (entry->posted);
  entry->posted = g_strdup (""); /* matches no digest, and is not adopted */
  g_clear_pointer (&entry->error, g_free);
  sched_bridge_poll_now (uplinks->bridge, meeting_id);
}

const gchar *
sched_bridge_uplinks_get_error (SchedBridgeUplinks *uplinks, gint64 meeting_id)
{
  UplinkEntry *entry = g_hash_table_lookup (uplinks->entries, &meeting_id);

  return entry ? entry->error : NULL;
}

SchedBridgeUplinks *
sched_bridge_uplinks_new (SchedContext *ctx, SchedBridge *bridge)
{
  SchedBridgeUplinks *uplinks = g_new0 (SchedBridgeUplinks, 1);

  uplinks->ctx = ctx;
  uplinks->bridge = bridge;
  uplinks->cancellable = g_cancellable_new ();
  uplinks->entries
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)entry_free);
  return uplinks;
}

void
sched_bridge_uplinks_free (SchedBridgeUplinks *uplinks)
{
  if (uplinks == NULL)
    return;
  g_cancellable_cancel (uplinks->cancellable);
  g_clear_object (&uplinks->cancellable);
  g_clear_pointer (&uplinks->entries, g_hash_table_destroy);
  g_free (uplinks);
}
