/* sched-model-holiday.h — the holidays table (schema v6): the holidays an
 * administrator enters through the API, merged over the holiday file by
 * sched-holiday-admin.c. Each entry is a local date or an inclusive range
 * "YYYY-MM-DD", a Vietnamese name, an optional English one and whether it
 * is official or provisional. Entries never overlap.
 *
 * Part of the model layer (libvc-sched-base). */
#pragma once

#include "sched-db.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gchar *first_day; /* "YYYY-MM-DD" */
  gchar *last_day;  /* "YYYY-MM-DD", >= first_day */
  gchar *name;
  gchar *name_en; /* NULL: none */
  gboolean official;
  gchar *updated_by;
  gint64 updated_at;
} SchedHolidayEntry;

void sched_holiday_entry_free (SchedHolidayEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedHolidayEntry, sched_holiday_entry_free)

/* The entry as the API shows it: {id, start, end, name, name_en, official,
 * updated_by, updated_at}. */
JsonNode *sched_holiday_entry_to_node (const SchedHolidayEntry *entry);

/* Every entry in date order. */
GPtrArray *sched_holiday_entry_list (SchedDb *db, GError **error);
/* The entries that have a day in [@first_day, @last_day], in date order. */
GPtrArray *sched_holiday_entry_list_between (SchedDb *db, const gchar *first_day,
                                             const gchar *last_day, GError **error);
/* Entry @id; NULL + SCHED_ERROR_NOT_FOUND if none. */
SchedHolidayEntry *sched_holiday_entry_get (SchedDb *db, gint64 id, GError **error);
/* Inserts @entry (its id is ignored) and sets @id. */
gboolean sched_holiday_entry_insert (SchedDb *db, const SchedHolidayEntry *entry, gint64 *id,
                                     GError **error);
/* Replaces every column of entry @entry->id. */
gboolean sched_holiday_entry_update (SchedDb *db, const SchedHolidayEntry *entry, GError **error);
gboolean sched_holiday_entry_delete (SchedDb *db, gint64 id, GError **error);

G_END_DECLS
