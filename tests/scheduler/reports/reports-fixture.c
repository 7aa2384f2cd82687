/* reports-fixture.c — see reports-fixture.h. */
#include "reports-fixture.h"

#include <glib/gstdio.h>

#define ROOMS(...) ((const gchar *const[]){ __VA_ARGS__, NULL })

static const gchar roster_sql[]
    = "INSERT INTO units (code, name, priority) VALUES"
      " ('ubnd-tinh', 'UBND tỉnh', 100), ('tinh-uy', 'Tỉnh ủy', 90),"
      " ('so-tttt', 'Sở Thông tin và Truyền thông', 50), ('so-tc', 'Sở Tài chính', 40),"
      " ('so-xd', 'Sở \"Xây dựng\", Nghệ An', 10);"
      "INSERT INTO endpoints (code, name, level, unit, parent) VALUES"
      " ('p-ubnd', 'Phòng họp UBND tỉnh', 'province', 'ubnd-tinh', NULL),"
      " ('p-tu', 'Phòng họp Tỉnh ủy', 'province', 'tinh-uy', NULL),"
      " ('d-vinh', 'UBND thành phố Vinh', 'district', NULL, 'p-ubnd'),"
      " ('d-cualo', 'UBND thị xã Cửa Lò', 'district', NULL, 'p-ubnd'),"
      " ('s-tttt', 'Sở Thông tin và Truyền thông', 'department', 'so-tttt', 'p-ubnd'),"
      " ('c-hungdung', 'UBND phường Hưng Dũng', 'commune', NULL, 'd-vinh');";

void
reports_exec (ReportsFixture *f, const gchar *sql)
{
  g_autoptr (GError) error = NULL;
  sched_db_exec (f->db, sql, &error);
  g_assert_no_error (error);
}

void
reports_fixture_set_up (ReportsFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;

  f->dir = g_dir_make_tmp ("vc-reports-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "scheduler.db", NULL);
  f->db = sched_db_open (path, &error);
  g_assert_no_error (error);
  f->tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_assert_nonnull (f->tz);
  reports_exec (f, roster_sql);
}

void
reports_fixture_tear_down (ReportsFixture *f, gconstpointer data)
{
  const gchar *suffixes[] = { "", "-wal", "-shm" };

  g_clear_pointer (&f->db, sched_db_close);
  g_clear_pointer (&f->tz, g_time_zone_unref);
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree gchar *name = g_strconcat ("scheduler.db", suffixes[i], NULL);
      g_autofree gchar *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

gint64
reports_local (ReportsFixture *f, gint year, gint month, gint day, gint hour, gint minute)
{
  g_autoptr (GDateTime) dt = g_date_time_new (f->tz, year, month, day, hour, minute, 0);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

gint64
reports_add_meeting (ReportsFixture *f, const gchar *unit, const gchar *title, gint64 start,
                     gint minutes, const gchar *status, gboolean held, gint64 actual_seconds,
                     gint present, gint invited, const gchar *const *rooms)
{
  sqlite3 *h = sched_db_handle (f->db);
  sqlite3_stmt *stmt = NULL;
  gint64 id;
  gboolean inactive = g_str_equal (status, "cancelled") || g_str_equal (status, "displaced");

  g_assert_cmpint (sqlite3_prepare_v2 (h,
                                       "INSERT INTO meetings (title, unit, chair, start_at, end_at,"
                                       " status, created_at, updated_at, held, actual_seconds,"
                                       " present_count, invited_count)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4, ?4, ?7, ?8, ?9, ?10)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, rooms[0], -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, start);
  sqlite3_bind_int64 (stmt, 5, start + minutes * 60);
  sqlite3_bind_text (stmt, 6, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, held ? 1 : 0);
  sqlite3_bind_int64 (stmt, 8, actual_seconds);
  sqlite3_bind_int (stmt, 9, present);
  sqlite3_bind_int (stmt, 10, invited);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  id = sqlite3_last_insert_rowid (h);

  g_assert_cmpint (sqlite3_prepare_v2 (h,
                                       "INSERT INTO meeting_endpoints (meeting_id, endpoint,"
                                       " start_at, end_at, active) VALUES (?1, ?2, ?3, ?4, ?5)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (gsize i = 0; rooms[i]; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, rooms[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, start);
      sqlite3_bind_int64 (stmt, 4, start + minutes * 60);
      sqlite3_bind_int (stmt, 5, inactive ? 0 : 1);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  return id;
}

gint64
reports_add_held (ReportsFixture *f, const gchar *unit, gint64 start)
{
  static const gchar *const rooms[] = { "p-ubnd", "d-vinh", NULL };
  return reports_add_meeting (f, unit, "Họp giao ban", start, 60, "ended", TRUE, 3000, 2, 2, rooms);
}

/* 12 held meetings in H1 2024 (7, 3, 1, 1) plus some that do not count;
 * 8 held in H1 2023; 10 in H1 2022. */
void
reports_seed_half_years (ReportsFixture *f)
{
  gint i;

  for (i = 0; i < 7; i++)
    reports_add_held (f, "ubnd-tinh", reports_local (f, 2024, 1 + i % 6, 5 + i, 8, 0));
  for (i = 0; i < 2; i++)
    reports_add_held (f, "tinh-uy", reports_local (f, 2024, 2 + i, 12, 14, 0));
  /* the first and the last minute of the half year */
  reports_add_meeting (f, "tinh-uy", "Hội nghị", reports_local (f, 2024, 6, 30, 23, 0), 59, "ended",
                       TRUE, 4800, 2, 2, ROOMS ("p-tu", "d-vinh"));
  reports_add_held (f, "so-tc", reports_local (f, 2024, 1, 1, 0, 0));
  reports_add_held (f, "so-tttt", reports_local (f, 2024, 4, 22, 9, 0));
  /* not held: cancelled, displaced, only one room joined, after the half */
  reports_add_meeting (f, "so-tc", "x", reports_local (f, 2024, 3, 1, 8, 0), 60, "cancelled", FALSE,
                       0, 0, 0, ROOMS ("p-ubnd", "d-vinh"));
  reports_add_meeting (f, "so-xd", "x", reports_local (f, 2024, 3, 2, 8, 0), 60, "displaced", FALSE,
                       0, 0, 0, ROOMS ("p-ubnd", "d-vinh"));
  reports_add_meeting (f, "so-xd", "x", reports_local (f, 2024, 3, 3, 8, 0), 60, "ended", FALSE, 0,
                       1, 2, ROOMS ("p-ubnd", "d-vinh"));
  reports_add_held (f, "so-xd", reports_local (f, 2024, 7, 1, 0, 0));
  reports_add_held (f, "so-xd", reports_local (f, 2023, 12, 31, 23, 59));

  for (i = 0; i < 8; i++)
    reports_add_held (f, i < 5 ? "ubnd-tinh" : "tinh-uy",
                      reports_local (f, 2023, 1 + i % 6, 9, 8, 0));
  for (i = 0; i < 10; i++)
    reports_add_held (f, "ubnd-tinh", reports_local (f, 2022, 1 + i % 6, 9, 8, 0));
}
