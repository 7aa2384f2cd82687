/* sched-model-uplink.h — the meeting_uplinks table: a meeting's link to a
 * room of a higher-level (central) conference, which its bridge room joins
 * as one participant (docs/central-conference.md). Part of the model layer
 * (libvc-sched-base); the rules are in sched-uplink.c. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 meeting_id;
  gchar *signal_url; /* the parent room's ws:// or wss:// …/signal URL */
  gchar *token;      /* the link token the central site gave */
  gchar *set_by;     /* the audit actor */
  gint64 set_at;
} SchedUplink;

void sched_uplink_free (SchedUplink *uplink);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedUplink, sched_uplink_free)

/* The meeting's link, or NULL: with @error set on a database failure, with
 * no error when the meeting has none. */
SchedUplink *sched_uplink_get (SchedDb *db, gint64 meeting_id, GError **error);
/* Inserts or replaces the meeting's link. */
gboolean sched_uplink_put (SchedDb *db, const SchedUplink *uplink, GError **error);
/* Removes the meeting's link; *@removed says whether there was one. */
gboolean sched_uplink_delete (SchedDb *db, gint64 meeting_id, gboolean *removed, GError **error);

G_END_DECLS
