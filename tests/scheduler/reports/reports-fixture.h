/* reports-fixture.h — a temporary scheduler database with a small roster,
 * and helpers to insert meetings with SQL, for the reports tests. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *dir;
  SchedDb *db;
  GTimeZone *tz;
} ReportsFixture;

/* Opens a fresh database in a new temporary folder and loads the roster:
 * units ubnd-tinh, tinh-uy, so-tttt, so-tc, so-xd (a name with a comma and
 * quotes); rooms p-ubnd, p-tu (province), d-vinh, d-cualo (district),
 * s-tttt (department), c-hungdung (commune). */
void reports_fixture_set_up (ReportsFixture *f, gconstpointer data);
void reports_fixture_tear_down (ReportsFixture *f, gconstpointer data);

/* Unix time of a local (Asia/Ho_Chi_Minh) time. */
gint64 reports_local (ReportsFixture *f, gint year, gint month, gint day, gint hour, gint minute);

/* Inserts a meeting and its rooms (NULL-terminated; the first is the chair).
 * Rooms are active unless the status is cancelled or displaced. */
gint64 reports_add_meeting (ReportsFixture *f, const gchar *unit, const gchar *title, gint64 start,
                            gint minutes, const gchar *status, gboolean held, gint64 actual_seconds,
                            gint present, gint invited, const gchar *const *rooms);

/* A held, ended meeting of @unit with two rooms, 60 minutes planned and
 * 3000 s actual, 2 of 2 rooms present. */
gint64 reports_add_held (ReportsFixture *f, const gchar *unit, gint64 start);

void reports_exec (ReportsFixture *f, const gchar *sql);

/* The seed of the H1 2024 report (test-report-text.c, test-reorg-stats.c):
 * 12 held meetings in H1 2024 (UBND tỉnh 7, Tỉnh ủy 3, Sở TT&TT 1, Sở Tài
 * chính 1) plus some that do not count; 8 held in H1 2023; 10 in H1 2022. */
void reports_seed_half_years (ReportsFixture *f);

G_END_DECLS
