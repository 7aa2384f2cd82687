/* bridge-memory.h — the bridge's memory policy, process-wide, both against
 * glibc keeping what the participants' pipelines free:
 *
 * - two malloc arenas: glibc gives threads that allocate at the same time
 *   arenas of their own, and memory freed in an arena mostly stays with it;
 * - a fixed mmap threshold (128 KiB): large blocks (video frames) are
 *   mapped and unmapped on their own instead of growing the heap, where the
 *   long-lived small blocks made between them pin pages;
 * - a heap trim (malloc_trim()) 2 s after the last of a wave of participants
 *   left (a meeting's 44 leaving at once): a pipeline frees several MB in
 *   many small blocks, which glibc keeps unless asked to give them back. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At start, before any thread: at most two malloc arenas and a fixed mmap
 * threshold, unless the environment's MALLOC_ARENA_MAX or
 * MALLOC_MMAP_THRESHOLD_ says otherwise. */
void bridge_memory_limit_arenas (void);

/* main thread: (re)starts the 2 s wait before the trim. */
void bridge_memory_schedule_trim (void);

G_END_DECLS
