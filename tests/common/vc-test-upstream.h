/* vc-test-upstream.h — known bugs of Debian 12's libraries that a media
 * test must survive, each named and counted, never a bug of ours.
 *
 * The tests run with G_DEBUG=fatal-criticals, so any GLib critical aborts
 * them. One critical comes from GStreamer 1.22.0 itself (Debian 12's
 * version): rtpsession may release its lock inside a walk over its
 * sources while it builds an RTCP packet, and an RTCP packet arriving at
 * that moment adds a source, so GLib reports
 *   g_hash_table_foreach: assertion 'version == hash_table->version' failed
 * Upstream fixed it in 1.22.3 (commits 943a53cc and b9f7ab60, "race
 * conditions leading to critical warnings"). In production it is one
 * warning and one incomplete RTCP report. Under packet loss, when NACKs
 * make RTCP frequent, a test may meet it; it is then reported on stderr and
 * counted, and the test goes on. Every other critical still aborts.
 * docs/bridge.md, "Known limits", says the same. */
#pragma once

#include <glib.h>
#include <string.h>

static gint vc_test_upstream_rtpsession_races;

static gboolean
vc_test_is_upstream_race (const gchar *log_domain, const gchar *message)
{
  return g_strcmp0 (log_domain, "GLib") == 0 && message != NULL
         && strstr (message, "g_hash_table_foreach: assertion 'version == hash_table->version'")
                != NULL;
}

static gboolean
vc_test_on_fatal_log (const gchar *log_domain, GLogLevelFlags log_level, const gchar *message,
                      gpointer user_data)
{
  if (vc_test_is_upstream_race (log_domain, message))
    {
      g_atomic_int_inc (&vc_test_upstream_rtpsession_races);
      g_printerr ("# known GStreamer 1.22.0 rtpsession race (fixed in 1.22.3), not fatal: %s\n",
                  message);
      return FALSE;
    }
  return TRUE;
}

/* GLib's default handler aborts on any fatal message before the fatal
 * handler is asked; GLib's own messages therefore go through this one,
 * which lets the known race through and hands the rest to the default. */
static void
vc_test_on_glib_log (const gchar *log_domain, GLogLevelFlags log_level, const gchar *message,
                     gpointer user_data)
{
  if (vc_test_is_upstream_race (log_domain, message))
    return; /* reported by vc_test_on_fatal_log */
  g_log_default_handler (log_domain, log_level, message, user_data);
}

/* Call at the start of each test case: GTest clears the fatal handler
 * before every test. */
static inline void
vc_test_tolerate_upstream_bugs (void)
{
  g_log_set_handler ("GLib", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                     vc_test_on_glib_log, NULL);
  g_test_log_set_fatal_handler (vc_test_on_fatal_log, NULL);
}
