/* fuzz-replay.c — runs a libFuzzer target over the files given on the
 * command line (or over every file of the folders given), so that the fuzz
 * targets run as ordinary regression tests with gcc. With -Dfuzzing=true and
 * CC=clang the targets link libFuzzer's own main instead.
 *
 * With --mutations=N each file is also replayed N times mutated: a few
 * random byte flips, JSON punctuation, cuts, repeats and the escapes
 * json-glib gets wrong (\u0000, a lone surrogate, an integer past 64 bits).
 * The seed is fixed, so a failure is reproducible; VC_FUZZ_SEED=S explores
 * other mutations, and the seed is printed. VC_FUZZ_LAST=FILE writes each
 * mutated input to FILE before it runs: after a crash, FILE holds it. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint mutations = 0;
static guint32 seed = 20250701;

static void
mutate_once (GRand *rand, GString *bytes)
{
  static const gchar *const tokens[] = { "\"",
                                         "{",
                                         "}",
                                         "[",
                                         "]",
                                         ",",
                                         ":",
                                         "\\",
                                         "null",
                                         "true",
                                         "-1",
                                         "0",
                                         "1e3",
                                         "1.5",
                                         "\\u0000",
                                         "\\ud800",
                                         "99999999999999999999",
                                         "\"\"",
                                         "{}",
                                         "[]",
                                         "\xc3\xa9",
                                         "\xff" };
  gsize len = bytes->len;
  gsize at = len ? (gsize)g_rand_int_range (rand, 0, (gint32)len) : 0;
  gsize run
      = (gsize)g_rand_int_range (rand, 1, 32); /* not inside MIN(): it repeats its arguments */

  switch (g_rand_int_range (rand, 0, 5))
    {
      case 0: /* flip a bit */
        if (len)
          bytes->str[at] ^= (gchar)(1u << g_rand_int_range (rand, 0, 8));
        break;
      case 1: /* insert a token */
        g_string_insert (bytes, (gssize)at,
                         tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))]);
        break;
      case 2: /* cut a run */
        if (len)
          g_string_erase (bytes, (gssize)at, (gssize)MIN (len - at, run));
        break;
      case 3: /* repeat a run */
        if (len)
          {
            gsize n = MIN (len - at, run);
            g_autofree gchar *copy = g_memdup2 (bytes->str + at, n);
            g_string_insert_len (bytes, (gssize)at, copy, (gssize)n);
          }
        break;
      default: /* truncate */
        g_string_truncate (bytes, at);
        break;
    }
}

/* Each file's mutations depend on the seed and its name only, not on the
 * order the folder is read in. */
static void
replay_mutations (const gchar *path, const gchar *data, gsize len)
{
  g_autofree gchar *name = g_path_get_basename (path);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed ^ g_str_hash (name));

  for (guint i = 0; i < mutations; i++)
    {
      g_autoptr (GString) bytes = g_string_new_len (data, (gssize)len);
      guint rounds = (guint)g_rand_int_range (rand, 1, 5);

      for (guint r = 0; r < rounds; r++)
        mutate_once (rand, bytes);
      if (g_getenv ("VC_FUZZ_LAST"))
        g_file_set_contents (g_getenv ("VC_FUZZ_LAST"), bytes->str, (gssize)bytes->len, NULL);
      LLVMFuzzerTestOneInput ((const uint8_t *)bytes->str, bytes->len);
    }
}

static void
replay_file (const gchar *path)
{
  g_autofree gchar *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);
  LLVMFuzzerTestOneInput ((const uint8_t *)data, len);
  replay_mutations (path, data, len);
}

int
main (int argc, char **argv)
{
  guint count = 0;
  const gchar *env_seed = g_getenv ("VC_FUZZ_SEED");

  if (env_seed)
    seed = (guint32)g_ascii_strtoull (env_seed, NULL, 10);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--mutations="))
        mutations = (guint)g_ascii_strtoull (argv[i] + strlen ("--mutations="), NULL, 10);
      else if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
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
  g_print ("replayed %u inputs, each with %u mutations (seed %u)\n", count, mutations, seed);
  return count > 0 ? 0 : 1;
}
