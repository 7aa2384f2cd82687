/* sched-test-process.h — the scheduler's integration tests run the real
 * programs (vc-scheduler, vc-bridge) as processes on 127.0.0.1: these
 * helpers find them in the build tree, start them and wait for the address
 * they print, run the scheduler's CLI to completion and send one HTTP
 * request. Used by test-exec.c, test-sites.c and test-uplink.c. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

/* BUILD_DIR/FOLDER/NAME (VC_BUILD_DIR, else the build tree the test was
 * built in); free with g_free(). */
gchar *sched_test_build_path (const gchar *folder, const gchar *name);

/* Writes @text to @path; the test fails if it cannot. */
void sched_test_write_text (const gchar *path, const gchar *text);

/* Starts @argv with its stdout piped, its stderr to @log_path (NULL:
 * the test's own), dying with the test (PR_SET_PDEATHSIG), and returns once it
 * has printed a line with its http:// address, which goes to @url. A
 * @tolerant program (vc-bridge) runs without G_DEBUG's fatal-criticals:
 * GStreamer 1.22.0's known rtpsession critical (vc-test-upstream.h) would
 * abort a bridge in the middle of a link. */
GSubprocess *sched_test_spawn_listening (const gchar *const *argv, const gchar *log_path,
                                         gboolean tolerant, gchar **url);

/* Runs vc-scheduler with the NULL-terminated arguments to completion;
 * its stdout and stderr go to @out and @err. Returns the exit status. */
gint sched_test_run_cli (gchar **out, gchar **err, const gchar *first, ...) G_GNUC_NULL_TERMINATED;

/* One request with an optional Bearer @token and JSON @body; the reply's
 * body goes to @reply (may be NULL). Returns the HTTP status. */
guint sched_test_http (SoupSession *session, const gchar *method, const gchar *url,
                       const gchar *token, const gchar *body, gchar **reply);
