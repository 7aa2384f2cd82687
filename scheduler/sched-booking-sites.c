/* sched-booking-sites.c — the capacity of each bridge site at booking
 * (sched-booking.h, sched-sites.h).
 *
 * With more than the default site, a meeting needs a room on every site of
 * its tree, and each site's bridge carries the rooms homed there plus one
 * participant per child site's link (sched_sites_meeting_share()). For
 * every site the new meeting touches, the meetings overlapping it that
 * touch the same site are swept in time order as the single-bridge check
 * does (sched-booking-check.c): the peak of rooms against the site's
 * max_rooms (from its GET /capacity, unchecked until it answers) and of
 * participants against its max_participants (or [bridge:CODE] capacity).
 * The refusal names the site. The default site's bridge is also held to
 * the single-bridge check over all rooms, which is stricter. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-booking.h"
#include "sched-core.h"
#include "sched-model-meeting-room.h"
#include "sched-model-meeting.h"
#include "sched-sites.h"

typedef struct
{
  gint64 at;
  gint rooms;
  gint participants;
} SiteEdge;

static gint
site_edge_compare (gconstpointer a, gconstpointer b)
{
  const SiteEdge *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return x->rooms - y->rooms; /* half-open: a leave before a join at the same second */
}

static gboolean
site_freed (GArray *freed, gint64 id)
{
  for (guint i = 0; freed != NULL && i < freed->len; i++)
    if (g_array_index (freed, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* The share of meeting @id (site → participants), NULL on error. */
static GHashTable *
site_share_of_meeting (SchedCore *core, gint64 id, GError **error)
{
  SchedDb *db = core->ctx->db;
  g_autoptr (SchedMeeting) meeting = sched_meeting_load (db, id, error);
  g_autoptr (GPtrArray) participants = NULL;
  g_autoptr (GPtrArray) codes = g_ptr_array_new ();
  GHashTable *share = NULL;

  if (meeting == NULL)
    return NULL;
  participants = sched_meeting_room_list_participants (db, id, error);
  if (participants == NULL)
    return NULL;
  for (guint i = 0; i < participants->len; i++)
    g_ptr_array_add (codes, ((SchedParticipant *)g_ptr_array_index (participants, i))->code);
  if (!sched_sites_meeting_share (db, core->ctx->settings, meeting->chair, codes, &share, error))
    return NULL;
  return share;
}

/* One site's sweep: @edges of the other meetings on it, the new one's
 * @participants from @start. */
static void
site_sweep (const SchedSite *site, gint max_rooms, gint max_participants, GArray *edges,
            gint participants, gint64 start, SchedCapacity *out)
{
  gint rooms = 1, peak_rooms = 1, peak_participants = participants;
  gint64 rooms_at = G_MAXINT64,
         participants_at = participants > max_participants ? start : G_MAXINT64;

  g_array_sort (edges, site_edge_compare);
  for (guint i = 0; i < edges->len; i++)
    {
      const SiteEdge *e = &g_array_index (edges, SiteEdge, i);

      rooms += e->rooms;
      participants += e->participants;
      peak_rooms = MAX (peak_rooms, rooms);
      peak_participants = MAX (peak_participants, participants);
      if (max_rooms > 0 && rooms > max_rooms && rooms_at == G_MAXINT64)
        rooms_at = e->at;
      if (participants > max_participants && participants_at == G_MAXINT64)
        participants_at = e->at;
    }
  if (rooms_at != G_MAXINT64)
    *out = (SchedCapacity){ FALSE, "rooms", max_rooms, peak_rooms, rooms_at, site->code };
  else if (participants_at != G_MAXINT64)
    *out = (SchedCapacity){ FALSE,           "participants", max_participants, peak_participants,
                            participants_at, site->code };
}

gboolean
sched_booking_check_site_capacity (SchedCore *core, GPtrArray *endpoints, const gchar *chair,
                                   gint64 start, gint64 end, gint64 exclude_id, GArray *freed,
                                   SchedCapacity *out, GError **error)
{
  SchedSettings *s = core->ctx->settings;
  g_autoptr (GHashTable) share = NULL;
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GPtrArray) shares = NULL;
  GHashTableIter iter;
  gpointer key, value;

  *out = (SchedCapacity){ .ok = TRUE };
  if (!sched_sites_is_multi (s))
    return TRUE;
  if (!sched_sites_meeting_share (core->ctx->db, s, chair, endpoints, &share, error))
    return FALSE;
  spans = g_array_new (FALSE, FALSE, sizeof (SchedMeetingSpan));
  if (!sched_meeting_room_list_spans (core->ctx->db, start, end, exclude_id, spans, error))
    return FALSE;
  shares = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);
  for (guint i = 0; i < spans->len; i++)
    {
      const SchedMeetingSpan *span = &g_array_index (spans, SchedMeetingSpan, i);
      GHashTable *other = NULL;

      if (!site_freed (freed, span->meeting_id))
        {
          other = site_share_of_meeting (core, span->meeting_id, error);
          if (other == NULL)
            return FALSE;
        }
      g_ptr_array_add (shares, other ? other : g_hash_table_new (g_str_hash, g_str_equal));
    }
  g_hash_table_iter_init (&iter, share);
  while (out->ok && g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr (GArray) edges = g_array_new (FALSE, FALSE, sizeof (SiteEdge));
      SchedSite site;
      gint max_rooms, max_participants;

      if (!sched_sites_lookup (s, key, &site))
        continue;
      if (site.parent == NULL)
        {
          max_rooms = core->ctx->bridge_max_rooms;
          max_participants = core->ctx->bridge_max_participants;
        }
      else
        {
          max_rooms = site.max_rooms;
          max_participants = site.max_participants;
        }
      if (max_participants <= 0)
        max_participants = site.capacity;
      for (guint i = 0; i < spans->len; i++)
        {
          const SchedMeetingSpan *span = &g_array_index (spans, SchedMeetingSpan, i);
          gpointer n = NULL;

          if (!g_hash_table_lookup_extended (g_ptr_array_index (shares, i), key, NULL, &n))
            continue;
          SiteEdge in = { MAX (span->start, start), +1, GPOINTER_TO_INT (n) };
          SiteEdge leave = { MIN (span->end, end), -1, -GPOINTER_TO_INT (n) };
          g_array_append_val (edges, in);
          g_array_append_val (edges, leave);
        }
      site_sweep (&site, max_rooms, max_participants, edges, GPOINTER_TO_INT (value), start, out);
    }
  return TRUE;
}
