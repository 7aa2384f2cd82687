/* sched-change-set.c — see sched-change-set.h.
 *
 * Before this set, a booking pushed every room's schedule itself and the
 * meeting_changed hook pushed the same schedules again (2 × 44 schedule
 * messages for a 44-room meeting). Rooms are kept in the order they were
 * added, each once; the rooms of the meetings are read (the model's room
 * list, active or not: a room taken off or a cancelled meeting must hear
 * of it too) only when someone listens to schedule changes. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-change-set.h"

#include "sched-model-meeting-room.h"

struct _SchedChangeSet
{
  GPtrArray *rooms;     /* gchar*, in the order added, each once */
  GHashTable *room_set; /* gchar* (owned by @rooms) */
  gboolean all_rooms;   /* every room's schedule changed */
  GArray *meetings;     /* gint64, in the order added, each once */
};

SchedChangeSet *
sched_change_set_new (void)
{
  SchedChangeSet *set = g_new0 (SchedChangeSet, 1);

  set->rooms = g_ptr_array_new_with_free_func (g_free);
  set->room_set = g_hash_table_new (g_str_hash, g_str_equal);
  set->meetings = g_array_new (FALSE, FALSE, sizeof (gint64));
  return set;
}

void
sched_change_set_free (SchedChangeSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_destroy (set->room_set);
  g_ptr_array_unref (set->rooms);
  g_array_unref (set->meetings);
  g_free (set);
}

void
sched_change_set_add_room (SchedChangeSet *set, const gchar *endpoint)
{
  gchar *copy;

  if (endpoint == NULL)
    {
      set->all_rooms = TRUE;
      return;
    }
  if (g_hash_table_contains (set->room_set, endpoint))
    return;
  copy = g_strdup (endpoint);
  g_ptr_array_add (set->rooms, copy);
  g_hash_table_add (set->room_set, copy);
}

void
sched_change_set_add_meeting (SchedChangeSet *set, gint64 meeting_id)
{
  for (guint i = 0; i < set->meetings->len; i++)
    if (g_array_index (set->meetings, gint64, i) == meeting_id)
      return;
  g_array_append_val (set->meetings, meeting_id);
}

static void
change_set_clear (SchedChangeSet *set)
{
  g_hash_table_remove_all (set->room_set);
  g_ptr_array_set_size (set->rooms, 0);
  g_array_set_size (set->meetings, 0);
  set->all_rooms = FALSE;
}

void
sched_change_set_merge (SchedChangeSet *into, SchedChangeSet *from)
{
  for (guint i = 0; i < from->rooms->len; i++)
    sched_change_set_add_room (into, g_ptr_array_index (from->rooms, i));
  for (guint i = 0; i < from->meetings->len; i++)
    sched_change_set_add_meeting (into, g_array_index (from->meetings, gint64, i));
  into->all_rooms = into->all_rooms || from->all_rooms;
  change_set_clear (from);
}

gboolean
sched_change_set_is_empty (const SchedChangeSet *set)
{
  return !set->all_rooms && set->rooms->len == 0 && set->meetings->len == 0;
}

/* Adds every room of every meeting of @set. */
static void
change_set_add_meeting_rooms (SchedChangeSet *set, SchedDb *db)
{
  g_autoptr (GPtrArray) rooms = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < set->meetings->len; i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 id = g_array_index (set->meetings, gint64, i);

      g_ptr_array_set_size (rooms, 0);
      if (!sched_meeting_room_list (db, id, NULL, rooms, &error))
        {
          g_warning ("meeting %" G_GINT64_FORMAT ": %s", id, error->message);
          continue;
        }
      for (guint k = 0; k < rooms->len; k++)
        sched_change_set_add_room (set, g_ptr_array_index (rooms, k));
    }
}

void
sched_change_set_notify (SchedChangeSet *set, SchedContext *ctx)
{
  if (ctx->schedule_changed && set->all_rooms)
    ctx->schedule_changed (ctx, NULL);
  else if (ctx->schedule_changed)
    {
      change_set_add_meeting_rooms (set, ctx->db);
      for (guint i = 0; i < set->rooms->len; i++)
        ctx->schedule_changed (ctx, g_ptr_array_index (set->rooms, i));
    }
  if (ctx->meeting_changed)
    for (guint i = 0; i < set->meetings->len; i++)
      ctx->meeting_changed (ctx, g_array_index (set->meetings, gint64, i));
  change_set_clear (set);
}
