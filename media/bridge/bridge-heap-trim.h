/* bridge-heap-trim.h — the bridge's memory policy: glibc keeps what a
 * process frees in many small blocks (a participant's pipeline frees several
 * MB that way) unless asked to give it back. 2 s after the last of a wave of
 * participants left (a meeting's 44 leaving at once), the heap is trimmed
 * with malloc_trim(). Process-wide, main thread only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* main thread: (re)starts the 2 s wait before the trim. */
void bridge_heap_trim_schedule (void);

G_END_DECLS
