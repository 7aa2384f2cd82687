/* bridge-memory.c — the malloc arenas, and malloc_trim() after a wave of
 * departures. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-memory.h"

#include <malloc.h>

/* Every participant brings GStreamer streaming threads, so a bridge that
 * saw many joins and leaves kept growing (58 to 101 MB over 15 rounds of
 * 10 joins in bench/media/run-join-leave.sh) where two arenas keep it flat
 * (53 to 56 MB), with the heap trim after each teardown. */
#define BRIDGE_MALLOC_ARENAS 2

/* Blocks from this size up are mapped for themselves and unmapped when
 * freed (glibc's initial threshold). glibc otherwise raises the threshold
 * each time such a block is freed (up to 32 MB), so that video frames then
 * come from the heap: it grew to 141 MB for 10 MB in use over 14 rounds of 6
 * joins, and the pages that long-lived blocks pinned between them stayed
 * resident after the trim (RSS +2.8 MB over 72 joins, against +0.5 MB with
 * a fixed threshold and a 22 MB heap; docs/benchmarks.md, Soak). Frames
 * come from buffer pools, which keep them for the life of a pipeline. */
#define BRIDGE_MMAP_THRESHOLD (128 * 1024)

static guint heap_trim_source; /* main thread */

void
bridge_memory_limit_arenas (void)
{
  if (g_getenv ("MALLOC_ARENA_MAX") == NULL)
    mallopt (M_ARENA_MAX, BRIDGE_MALLOC_ARENAS);
  if (g_getenv ("MALLOC_MMAP_THRESHOLD_") == NULL)
    mallopt (M_MMAP_THRESHOLD, BRIDGE_MMAP_THRESHOLD);
}

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
bridge_memory_schedule_trim (void)
{
  if (heap_trim_source != 0)
    g_source_remove (heap_trim_source);
  heap_trim_source = g_timeout_add_seconds (2, on_heap_trim, NULL);
}
