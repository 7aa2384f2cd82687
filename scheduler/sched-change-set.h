/* sched-change-set.h — what one commit changed, told to the other parts
 * once: the one notification path of the scheduler.
 *
 * A writer (booking, change, cancel, roster, history import) adds the rooms
 * and meetings its commit touched; after the commit
 * sched_change_set_notify() calls the SchedContext hooks: schedule_changed
 * once per touched room — the rooms added, and every room of every meeting
 * added, each once — then meeting_changed once per meeting (the bridge
 * client). Within a group commit (sched-booking-batch.c) the bookings'
 * sets are merged and told once, after the batch's COMMIT, so a room
 * touched by several bookings of one batch gets one schedule. Main thread. */
#pragma once

#include "sched-context.h"

G_BEGIN_DECLS

typedef struct _SchedChangeSet SchedChangeSet;

SchedChangeSet *sched_change_set_new (void);
void sched_change_set_free (SchedChangeSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedChangeSet, sched_change_set_free)

/* Room @endpoint's schedule changed; NULL: every room's. */
void sched_change_set_add_room (SchedChangeSet *set, const gchar *endpoint);
/* Meeting @meeting_id was created or changed: its bridge room, and the
 * schedule of each of its rooms. */
void sched_change_set_add_meeting (SchedChangeSet *set, gint64 meeting_id);
/* Moves everything of @from into @into (@from is left empty). */
void sched_change_set_merge (SchedChangeSet *into, SchedChangeSet *from);
gboolean sched_change_set_is_empty (const SchedChangeSet *set);

/* After the commit: tells @ctx's hooks, each room once, then each meeting
 * once, and empties @set. */
void sched_change_set_notify (SchedChangeSet *set, SchedContext *ctx);

G_END_DECLS
