/* vc-atomic.h — 64-bit counters and timestamps shared between threads.
 *
 * GLib's g_atomic_int_* work on 32 bits and g_atomic_pointer_* on the size
 * of a pointer, which is 32 bits on 32-bit builds: casting a gint64 counter
 * to a pointer-sized one there would touch only half of it. These macros use
 * the compiler's __atomic builtins on the 8-byte object itself (GCC and clang
 * inline them, or call libatomic where the CPU has no 8-byte atomics).
 *
 * @atomic is a gint64 * or a guint64 *, naturally aligned (any gint64 member
 * of a heap-allocated struct on the 64-bit targets we build for).
 * vc_atomic_int64_add() returns the value before the addition, like
 * g_atomic_pointer_add(). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define vc_atomic_int64_get(atomic)                                                                \
  (G_STATIC_ASSERT_EXPR (sizeof *(atomic) == 8), __atomic_load_n ((atomic), __ATOMIC_SEQ_CST))

#define vc_atomic_int64_set(atomic, value)                                                         \
  G_STMT_START                                                                                     \
  {                                                                                                \
    G_STATIC_ASSERT (sizeof *(atomic) == 8);                                                       \
    __atomic_store_n ((atomic), (value), __ATOMIC_SEQ_CST);                                        \
  }                                                                                                \
  G_STMT_END

#define vc_atomic_int64_add(atomic, value)                                                         \
  (G_STATIC_ASSERT_EXPR (sizeof *(atomic) == 8),                                                   \
   __atomic_fetch_add ((atomic), (value), __ATOMIC_SEQ_CST))

#define vc_atomic_int64_exchange(atomic, value)                                                    \
  (G_STATIC_ASSERT_EXPR (sizeof *(atomic) == 8),                                                   \
   __atomic_exchange_n ((atomic), (value), __ATOMIC_SEQ_CST))

G_END_DECLS
