/* vc-http-guard.h — connection hygiene for a SoupServer: closes keep-alive
 * connections that their client has closed, idle ones after a timeout, and
 * connections whose request headers do not arrive in time.
 *
 * Why it exists: Debian 12's libsoup 3.2 leaves the server's side of a
 * keep-alive connection open (CLOSE-WAIT) for good when the client closes
 * it between two requests, so every `curl URL` costs the server one file
 * descriptor and the process dies at its open-file limit. libsoup also has
 * no header-read timeout, so a client that sends half a request holds a
 * connection as long as it likes. The guard fixes both from outside
 * libsoup, through its public API only; see vc-http-guard.c for how. And
 * where libsoup drops a request with over-long headers without an answer,
 * the guard answers 431 first. And libsoup 3.2's listener keeps one
 * reference too many on every socket it accepts (about 0.5 KiB of memory
 * per connection, for the life of the process); the guard drops it.
 *
 * The guard assumes the server's connections come from soup_server_listen*
 * (not soup_server_accept_iostream()), as in both of ours.
 *
 * Both servers (the scheduler and the bridge) attach one guard to their
 * SoupServer right after creating it. Everything runs on the thread of the
 * server's main context. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  /* From the first byte of a request (or from accept, for a connection's
   * first request) to the end of its headers; 0 disables. */
  guint header_timeout_ms;
  /* A keep-alive connection with no request in progress is closed after
   * this long; 0 keeps idle connections until their client closes them. */
  guint idle_timeout_ms;
  /* The server speaks TLS: the peer's close cannot be seen under the TLS
   * layer, so every response asks the client to close instead
   * (Connection: close). */
  gboolean tls;
  /* Request headers larger than this are answered 431 and the connection
   * closed (plain HTTP; libsoup itself drops headers over 64 KiB without a
   * word); 0 leaves the limit to libsoup. */
  guint max_header_bytes;
} VcHttpGuardLimits;

#define VC_HTTP_GUARD_HEADER_TIMEOUT_MS_DEFAULT 10000
#define VC_HTTP_GUARD_IDLE_TIMEOUT_MS_DEFAULT 60000
#define VC_HTTP_GUARD_MAX_HEADER_BYTES_DEFAULT 32768

typedef struct _VcHttpGuard VcHttpGuard;

typedef struct
{
  guint64 closed_by_peer;      /* idle connections whose client closed them */
  guint64 closed_idle;         /* idle connections closed after idle_timeout_ms */
  guint64 closed_header_slow;  /* requests whose headers came too late (408) */
  guint64 closed_header_large; /* requests whose headers were too large (431) */
  guint64 accept_refs_dropped; /* sockets freed of libsoup 3.2's stray reference */
} VcHttpGuardCounters;

VcHttpGuard *vc_http_guard_new (SoupServer *server, const VcHttpGuardLimits *limits);
void vc_http_guard_free (VcHttpGuard *guard);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcHttpGuard, vc_http_guard_free)

const VcHttpGuardCounters *vc_http_guard_get_counters (VcHttpGuard *guard);

G_END_DECLS
