/* sched-model-join-link.h — the join_links table: a record of each guest
 * join link handed out (the link itself is a join token, never stored).
 *
 * Part of the model layer (libvc-sched-base). */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

gboolean sched_join_link_insert (SchedDb *db, gint64 meeting_id, const gchar *name,
                                 const gchar *created_by, gint64 created_at, gint64 expires_at,
                                 GError **error);

G_END_DECLS
