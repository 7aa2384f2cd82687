/* test-stack-sites.c — vc-stack --sites K without processes: the option's
 * range, the roster copy that homes each room on a site, and the refusal of
 * a state folder made with another K (tools/stack-sites.c). */
#include "stack-config.h"
#include "stack-sites.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static void
test_parse (void)
{
  static const gchar *const good[] = { "1", "2", "3", "16" };
  static const gchar *const bad[] = { "0", "x", "100", "17", "", "3x", "-1", " 3" };
  gint sites = 0;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (stack_sites_parse (good[i], &sites, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sites, ==, atoi (good[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      sites = 7;
      g_assert_false (stack_sites_parse (bad[i], &sites, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "from 1 to 16"));
      g_assert_cmpint (sites, ==, 7);
    }
}

typedef struct
{
  gchar *dir;
  StackPaths paths;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-stack-sites-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *state = g_build_filename (f->dir, "state", NULL);
  g_assert_true (stack_paths_init (&f->paths, state, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const gchar *path)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  stack_paths_clear (&f->paths);
  remove_tree (f->dir);
  g_free (f->dir);
}

static const gchar roster_text[] = "[unit:ubnd-tinh]\nname=UBND tỉnh\n"
                                   "[endpoint:ubnd-tinh]\nname=A\nlevel=province\n"
                                   "[endpoint:so-a]\nname=B\nlevel=department\n"
                                   "[endpoint:tw]\nname=C\nlevel=central\n"
                                   "[endpoint:d1]\nname=D1\nlevel=district\n"
                                   "[endpoint:d2]\nname=D2\nlevel=district\n"
                                   "[endpoint:x3]\nname=X3\nlevel=commune\n"
                                   "[endpoint:d4]\nname=D4\nlevel=district\n";

static void
test_roster (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *source = g_build_filename (f->dir, "roster.ini", NULL);
  g_autoptr (GHashTable) homes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  static const gchar *const expected[][2] = {
    { "ubnd-tinh", "province" }, { "so-a", "province" }, { "tw", "province" }, { "d1", "site-2" },
    { "d2", "site-3" },          { "x3", "site-2" },     { "d4", "site-3" },
  };

  g_assert_true (g_file_set_contents (source, roster_text, -1, &error));
  g_autofree gchar *copy = stack_sites_write_roster (&f->paths, source, 3, homes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_true (g_str_has_prefix (copy, f->paths.state_dir));
  g_assert_true (g_key_file_load_from_file (kf, copy, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree gchar *group = g_strconcat ("endpoint:", expected[i][0], NULL);
      g_autofree gchar *site = g_key_file_get_string (kf, group, "site", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (site, ==, expected[i][1]);
      g_assert_cmpstr (g_hash_table_lookup (homes, expected[i][0]), ==, expected[i][1]);
    }
  /* the rest of the roster is kept, the source untouched */
  g_autofree gchar *name = g_key_file_get_string (kf, "unit:ubnd-tinh", "name", &error);
  g_assert_cmpstr (name, ==, "UBND tỉnh");
  g_autofree gchar *after = NULL;
  g_assert_true (g_file_get_contents (source, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, roster_text);

  /* a missing roster is an error naming it */
  g_autofree gchar *missing = g_build_filename (f->dir, "none.ini", NULL);
  g_clear_error (&error);
  g_assert_null (stack_sites_write_roster (&f->paths, missing, 3, homes, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, missing));
}

static void
test_state (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* no database yet: any K, recorded */
  g_assert_true (stack_sites_check_state (&f->paths, 3, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (f->paths.db_path, "", 0, &error));
  /* the same K again: fine; another: refused, naming both */
  g_assert_true (stack_sites_check_state (&f->paths, 3, &error));
  g_assert_no_error (error);
  g_assert_false (stack_sites_check_state (&f->paths, 2, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "--sites 2"));
  g_assert_nonnull (strstr (error->message, "--sites 3"));
  g_clear_error (&error);

  /* a folder of a vc-stack without --sites counts as one site */
  g_autofree gchar *record = g_build_filename (f->paths.state_dir, "sites", NULL);
  g_assert_cmpint (g_unlink (record), ==, 0);
  g_assert_false (stack_sites_check_state (&f->paths, 3, &error));
  g_assert_nonnull (strstr (error->message, "--sites 1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stack-sites/parse", test_parse);
  g_test_add ("/stack-sites/roster", Fixture, NULL, fixture_set_up, test_roster, fixture_tear_down);
  g_test_add ("/stack-sites/state", Fixture, NULL, fixture_set_up, test_state, fixture_tear_down);
  return g_test_run ();
}
