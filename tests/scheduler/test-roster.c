/* test-roster.c — the roster file (sched-roster.c): units with a level, a
 * parent (which may come later in the file), a period and a successor;
 * the shipped Nghệ An roster loads with its unit levels; each bad key is
 * refused naming the file, group and key, and leaves the database empty. */
#include "sched-roster.h"

#include "common/vc-config.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  gchar *dir;
  SchedDb *db;
  GTimeZone *tz;
} RosterFixture;

static void
setup (RosterFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;

  f->dir = g_dir_make_tmp ("sched-roster-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "scheduler.db", NULL);
  f->db = sched_db_open (path, &error);
  g_assert_no_error (error);
  f->tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
}

static void
teardown (RosterFixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const gchar *name;

  g_clear_pointer (&f->db, sched_db_close);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_time_zone_unref (f->tz);
}

static gboolean
load (RosterFixture *f, const gchar *text, GError **error)
{
  g_autofree gchar *path = g_build_filename (f->dir, "roster.ini", NULL);
  gboolean loaded = FALSE, ok;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  ok = sched_roster_load_if_empty (f->db, path, f->tz, NULL, &loaded, error);
  g_assert_true (ok == loaded);
  return ok;
}

static gchar *
text_of (RosterFixture *f, const gchar *sql)
{
  sqlite3_stmt *st = NULL;
  gchar *out = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (sched_db_handle (f->db), sql, -1, &st, NULL), ==, SQLITE_OK);
  if (sqlite3_step (st) == SQLITE_ROW)
    out = g_strdup ((const gchar *)sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return out;
}

static const gchar units_file[]
    = "[unit:ubnd-tinh]\nname=UBND tỉnh\npriority=90\nlevel=province\n\n"
      "[unit:ubnd-vinh]\nname=UBND thành phố Vinh\npriority=10\nlevel=district\n"
      "parent=ubnd-tinh\nvalid_from=2008-08-01\nvalid_to=2025-07-01\nsuccessor=xa-vinh\n\n"
      "[unit:xa-vinh]\nname=UBND xã Vinh\nlevel=commune\nparent=ubnd-tinh\n"
      "valid_from=2025-07-01\n\n"
      "[endpoint:ubnd-tinh]\nname=Điểm cầu UBND tỉnh\nlevel=province\nunit=ubnd-tinh\n";

static void
test_unit_levels (RosterFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *vinh = NULL, *xa = NULL, *tinh = NULL;

  g_assert_true (load (f, units_file, &error));
  g_assert_no_error (error);
  vinh = text_of (f, "SELECT level || ' ' || parent || ' ' || valid_from || ' ' || valid_to"
                     " || ' ' || successor FROM units WHERE code = 'ubnd-vinh'");
  /* 01/08/2008 and 01/07/2025 00:00 in UTC+7 */
  g_assert_cmpstr (vinh, ==, "district ubnd-tinh 1217523600 1751302800 xa-vinh");
  xa = text_of (f, "SELECT level || ' ' || parent || ' ' || valid_from || ' '"
                   " || coalesce(valid_to, '-') FROM units WHERE code = 'xa-vinh'");
  g_assert_cmpstr (xa, ==, "commune ubnd-tinh 1751302800 -");
  tinh = text_of (f, "SELECT level || ' ' || coalesce(parent, '-') || ' ' || priority"
                     " FROM units WHERE code = 'ubnd-tinh'");
  g_assert_cmpstr (tinh, ==, "province - 90");
}

/* The shipped roster: 44 rooms as before, and its units' levels. */
static void
test_shipped_roster (RosterFixture *f, gconstpointer data)
{
  g_autofree gchar *path
      = g_build_filename (VC_TEST_SOURCE_DIR, "conf", "roster-nghe-an.ini", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *rooms = NULL, *levels = NULL, *parents = NULL;
  gboolean loaded = FALSE;

  g_assert_true (sched_roster_load_if_empty (f->db, path, f->tz, NULL, &loaded, &error));
  g_assert_no_error (error);
  g_assert_true (loaded);
  rooms = text_of (f, "SELECT count(*) FROM endpoints");
  g_assert_cmpstr (rooms, ==, "44");
  levels = text_of (f, "SELECT group_concat(level || '=' || n) FROM (SELECT level, count(*) AS n"
                       " FROM units GROUP BY level ORDER BY level)");
  g_assert_cmpstr (levels, ==, "department=2,district=42,province=3");
  parents = text_of (f, "SELECT count(*) FROM units WHERE parent IN ('tinh-uy', 'ubnd-tinh')");
  g_assert_cmpstr (parents, ==, "44");
}

static void
expect_refused (RosterFixture *f, const gchar *unit_keys, const gchar *key)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text
      = g_strdup_printf ("[unit:ubnd-tinh]\nname=UBND tỉnh\n\n[unit:x]\nname=X\n%s\n", unit_keys);
  g_autofree gchar *wanted = g_strdup_printf ("[unit:x] %s:", key);
  g_autofree gchar *count = NULL;

  g_assert_false (load (f, text, &error));
  g_assert_error (error, VC_CONFIG_ERROR, VC_CONFIG_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, wanted));
  count = text_of (f, "SELECT count(*) FROM units");
  g_assert_cmpstr (count, ==, "0");
}

static void
test_bad_keys (RosterFixture *f, gconstpointer data)
{
  expect_refused (f, "level=huyen", "level");
  expect_refused (f, "parent=khong-co", "parent");
  expect_refused (f, "parent=x", "parent");
  expect_refused (f, "valid_from=01/07/2025", "valid_from");
  expect_refused (f, "valid_to=2025-02-30\nsuccessor=ubnd-tinh", "valid_to");
  expect_refused (f, "valid_to=2025-07-01", "successor");
  expect_refused (f, "successor=ubnd-tinh", "valid_to");
  expect_refused (f, "valid_to=2025-07-01\nsuccessor=khong-co", "successor");
  expect_refused (f, "valid_from=2025-07-01\nvalid_to=2025-07-01\nsuccessor=ubnd-tinh", "valid_to");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sched-roster/unit-levels", RosterFixture, NULL, setup, test_unit_levels, teardown);
  g_test_add ("/sched-roster/shipped-roster", RosterFixture, NULL, setup, test_shipped_roster,
              teardown);
  g_test_add ("/sched-roster/bad-keys", RosterFixture, NULL, setup, test_bad_keys, teardown);
  return g_test_run ();
}
