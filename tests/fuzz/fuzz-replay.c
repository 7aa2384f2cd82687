/* fuzz-replay.c — runs a libFuzzer target over the files given on the
 * command line (or over every file of the folders given), so that the fuzz
 * targets run as ordinary regression tests with gcc. With -Dfuzzing=true and
 * CC=clang the targets link libFuzzer's own main instead. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
replay_file (const gchar *path)
{
  g_autofree gchar *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);
  LLVMFuzzerTestOneInput ((const uint8_t *)data, len);
}

int
main (int argc, char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
          const gchar *name;
          while (dir && (name = g_dir_read_name (dir)))
            {
              g_autofree gchar *path = g_build_filename (argv[i], name, NULL);
              replay_file (path);
              count++;
            }
        }
      else
        {
          replay_file (argv[i]);
          count++;
        }
    }
  /* Also a few inputs that every parser must survive. */
  static const gchar *const extra[] = { "", "\0", "{", "[[[[[[[[", "\xff\xfe", "a.b.c", "=\n[" };
  for (gsize i = 0; i < G_N_ELEMENTS (extra); i++)
    LLVMFuzzerTestOneInput ((const uint8_t *)extra[i], strlen (extra[i]));
  g_print ("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
