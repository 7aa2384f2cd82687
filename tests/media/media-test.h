/* media-test.h — what the bridge's integration tests share: waiting on the
 * main loop with a deadline, and one HTTP request to a bridge's control
 * API. Readiness is always a condition, never a sleep (media_test_run_for
 * measures progress over a time, it does not wait for anything). */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A timeout callback that only wakes the main loop. */
gboolean media_test_wake (gpointer data);

/* Iterates the main loop until @cond holds or @seconds pass (then fails);
 * the loop wakes every 50 ms, so a condition another thread changes is
 * seen too. */
#define WAIT_UNTIL(cond, seconds)                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gint64 _end = g_get_monotonic_time () + (gint64)(seconds)*G_USEC_PER_SEC;                      \
    guint _wake = g_timeout_add (50, media_test_wake, NULL);                                       \
    while (!(cond) && g_get_monotonic_time () < _end)                                              \
      g_main_context_iteration (NULL, TRUE);                                                       \
    g_source_remove (_wake);                                                                       \
    if (!(cond))                                                                                   \
      g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond);                      \
  }                                                                                                \
  G_STMT_END

/* Keeps the main loop running for @ms. */
void media_test_run_for (guint ms);

/* Sends @msg on @session and waits for the answer (at most 30 s). Returns
 * the status; *@out_body gets the body (empty when there is none) when not
 * NULL. */
guint media_test_send (SoupSession *session, SoupMessage *msg, GBytes **out_body);

/* @method @base@path on @session, with an Authorization header @auth and a
 * Range header @range when not NULL, and @body as JSON when not NULL; waits
 * for the answer (at most 30 s). Returns the status; *@out_body gets the
 * body (empty when there is none) and *@out_headers the response headers,
 * each when not NULL. */
guint media_test_http (SoupSession *session, const gchar *base, const gchar *method,
                       const gchar *path, const gchar *auth, const gchar *body, const gchar *range,
                       GBytes **out_body, SoupMessageHeaders **out_headers);

/* The same, the body as text (NUL-terminated) in *@out_text when not NULL. */
guint media_test_http_text (SoupSession *session, const gchar *base, const gchar *method,
                            const gchar *path, const gchar *auth, const gchar *body,
                            gchar **out_text);

/* A launcher for a vc-bridge process of the test's own (one it kills, say),
 * with @flags: this process's environment without G_DEBUG's
 * fatal-criticals. GStreamer 1.22.0's known rtpsession critical
 * (tests/common/vc-test-upstream.h) would otherwise abort that process in
 * the middle of the test; inside the test process the same critical is
 * tolerated by vc_test_tolerate_upstream_bugs() and every other one stays
 * fatal. */
GSubprocessLauncher *media_test_child_launcher (GSubprocessFlags flags);

/* The participant of a room's JSON (GET /rooms/{id}) with @endpoint, or NULL. */
JsonObject *media_test_find_participant (JsonObject *room, const gchar *endpoint);

G_END_DECLS
