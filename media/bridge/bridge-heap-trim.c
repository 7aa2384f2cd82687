/* bridge-heap-trim.c — malloc_trim() after a wave of departures. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-heap-trim.h"

#include <malloc.h>

static guint heap_trim_source; /* main thread */

/* main thread, 2 s after the last participant of a wave left: a pipeline
 * frees several MB in many small blocks, which glibc keeps for the process
 * unless asked to give them back (a meeting's 44 leaving at once) */
static gboolean
on_heap_trim (gpointer data)
{
  heap_trim_source = 0;
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}

void
bridge_heap_trim_schedule (void)
{
  if (heap_trim_source != 0)
    g_source_remove (heap_trim_source);
  heap_trim_source = g_timeout_add_seconds (2, on_heap_trim, NULL);
}
