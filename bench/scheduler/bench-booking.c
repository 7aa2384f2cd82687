/* bench-booking.c — booking throughput and latency of vc-scheduler over
 * HTTP, against a libsoup handler that does nothing, in the same run.
 *
 *   bench-booking --scheduler PATH/vc-scheduler [--stored 100000]
 *                 [--requests 4000] [--concurrency 8] [--rounds 4] [--keep-alive]
 *                 [--dir DIR]
 *
 * 1. Fills a fresh database (in DIR, default a temporary folder) with the
 *    Nghệ An roster and --stored meetings (two rooms each, one hour).
 * 2. Starts the real vc-scheduler on it (127.0.0.1:0) and, as another
 *    process of this program (--noop-server), a SoupServer whose handler
 *    only answers 201 "{}".
 * 3. Drives each with the same client: a SoupSession keeping --concurrency
 *    requests in flight, each POST carrying a booking body of the same
 *    shape; every booking is for free rooms, so every answer must be 201.
 *    Both servers get the same warm-up, then --rounds alternating rounds of
 *    --requests / --rounds requests each (booking, no-op, booking, …), so
 *    that a burst of load from elsewhere on the machine hits both alike.
 *    Like any libsoup client, it opens a new connection for every POST
 *    (libsoup reuses a connection only for requests it may retry) unless
 *    --keep-alive marks the requests idempotent; both servers alike.
 * Prints requests/s, latency percentiles, the server's CPU time per request
 * (utime + stime from /proc) and the connections used for both, and the
 * ratio. */
#define G_LOG_DOMAIN "bench-booking"

#include "sched-booking.h"
#include "sched-roster.h"

#include "common/vc-time.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const gchar *pairs[][2] = {
  { "ubnd-tinh", "ubnd-vinh" },
  { "tinh-uy", "thanh-uy-vinh" },
  { "ubnd-cua-lo", "thi-uy-cua-lo" },
  { "ubnd-thai-hoa", "thi-uy-thai-hoa" },
  { "ubnd-hoang-mai", "thi-uy-hoang-mai" },
  { "ubnd-anh-son", "huyen-uy-anh-son" },
  { "ubnd-con-cuong", "huyen-uy-con-cuong" },
  { "ubnd-dien-chau", "huyen-uy-dien-chau" },
  { "ubnd-do-luong", "huyen-uy-do-luong" },
  { "ubnd-hung-nguyen", "huyen-uy-hung-nguyen" },
  { "ubnd-ky-son", "huyen-uy-ky-son" },
  { "ubnd-nam-dan", "huyen-uy-nam-dan" },
  { "ubnd-nghi-loc", "huyen-uy-nghi-loc" },
  { "ubnd-nghia-dan", "huyen-uy-nghia-dan" },
  { "ubnd-que-phong", "huyen-uy-que-phong" },
  { "ubnd-quy-chau", "huyen-uy-quy-chau" },
  { "ubnd-quy-hop", "huyen-uy-quy-hop" },
  { "ubnd-quynh-luu", "huyen-uy-quynh-luu" },
  { "ubnd-tan-ky", "huyen-uy-tan-ky" },
  { "ubnd-thanh-chuong", "huyen-uy-thanh-chuong" },
  { "ubnd-tuong-duong", "huyen-uy-tuong-duong" },
  { "ubnd-yen-thanh", "huyen-uy-yen-thanh" },
};
#define N_PAIRS G_N_ELEMENTS (pairs)

/* Meeting i of a sequence starting at @base: pair i % 22, hour i / 22. */
static void
bench_slot (gint64 base, guint64 i, const gchar **a, const gchar **b, gint64 *start)
{
  *a = pairs[i % N_PAIRS][0];
  *b = pairs[i % N_PAIRS][1];
  *start = base + (gint64)(i / N_PAIRS) * 3600;
}

static void
bench_fill (const gchar *db_path, gint64 base, guint stored, gchar **token)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedDb) db = sched_db_open (db_path, &error);
  g_autofree gchar *roster = g_build_filename (VC_CONF_DIR, "roster-nghe-an.ini", NULL);
  gboolean loaded = FALSE;
  gint64 now = vc_time_now ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");

  g_assert_no_error (error);
  g_assert_true (sched_roster_load_if_empty (db, roster, tz, NULL, &loaded, &error));
  g_assert_no_error (error);
  g_assert_true (sched_db_exec (db, "PRAGMA synchronous = OFF", &error)); /* filling only */
  g_assert_true (sched_db_begin_immediate (db, &error));
  for (guint i = 0; i < stored; i++)
    {
      g_autoptr (GPtrArray) rooms = g_ptr_array_new ();
      SchedMeetingSpec spec = { .title = (gchar *)"Giao ban định kỳ",
                                .unit = (gchar *)"ubnd-tinh",
                                .endpoints = rooms };
      const gchar *a, *b;
      gint64 start, id;
      bench_slot (base, i, &a, &b, &start);
      g_ptr_array_add (rooms, (gpointer)a);
      g_ptr_array_add (rooms, (gpointer)b);
      spec.chair = (gchar *)a;
      g_assert_true (sched_booking_insert (db, &spec, 0, start, start + 3600, "bench", now, FALSE,
                                           &id, &error));
    }
  g_assert_true (sched_db_commit (db, &error));
  *token = sched_auth_create_token (db, SCHED_ROLE_ADMIN, NULL, NULL, "bench", &error);
  g_assert_no_error (error);
}

/* ---- the no-op server, on its own thread and main context ---- */

static void
on_noop_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

/* `bench-booking --noop-server`: a process like vc-scheduler (one thread,
 * one main loop) whose only handler answers 201 "{}". Prints its URL. */
static int
noop_server_main (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) where = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocket) sock
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  GSList *uris;

  /* Same listening socket as vc-scheduler's (backlog 1024), for fairness. */
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sock, where, TRUE, &error));
  g_socket_set_listen_backlog (sock, 1024);
  g_assert_true (g_socket_listen (sock, &error));
  soup_server_add_handler (server, NULL, on_noop_request, NULL, NULL);
  g_assert_true (soup_server_listen_socket (server, sock, 0, &error));
  uris = soup_server_get_uris (server);
  g_print ("no-op listening on http://127.0.0.1:%d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  g_main_loop_run (loop); /* until SIGTERM */
  return 0;
}

/* Starts @argv and returns the http:// URL from its first line. */
static GSubprocess *
spawn_server (const gchar *const *argv, gchar **url)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree gchar *line = NULL;

  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (line != NULL && strstr (line, "http://") != NULL);
  *url = g_strconcat (strstr (line, "http://"), "/api/v1/meetings", NULL);
  return p;
}

/* ---- the load generator ---- */

typedef struct
{
  SoupSession *session;
  const gchar *url;
  const gchar *token;
  gint64 base;
  guint64 first;       /* slot of the first request (bench_slot) */
  gboolean keep_alive; /* reuse connections (SOUP_MESSAGE_IDEMPOTENT) */
  guint total;
  guint sent;
  guint done;
  guint failed;
  GArray *latencies; /* gdouble ms, appended to */
  GHashTable *conns; /* connection ids seen (soup_message_get_connection_id) */
} Load;

typedef struct
{
  Load *load;
  gint64 t0;
} Pending;

static void load_send_next (Load *load);

static void
on_load_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  Load *load = p->load;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  gdouble ms = (g_get_monotonic_time () - p->t0) / 1000.0;

  if (soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    {
      if (load->failed++ < 3)
        g_printerr ("unexpected %u %s: %.*s\n", soup_message_get_status (msg),
                    error ? error->message : "", body ? (int)g_bytes_get_size (body) : 0,
                    body ? (const char *)g_bytes_get_data (body, NULL) : "");
    }
  g_array_append_val (load->latencies, ms);
  g_hash_table_add (load->conns, GUINT_TO_POINTER ((guint)soup_message_get_connection_id (msg)));
  load->done++;
  g_object_unref (msg);
  g_free (p);
  load_send_next (load);
}

static void
load_send_next (Load *load)
{
  Pending *p;
  SoupMessage *msg;
  const gchar *a, *b;
  gint64 start;
  g_autofree gchar *s = NULL, *e = NULL, *body = NULL, *auth = NULL;

  if (load->sent >= load->total)
    return;
  bench_slot (load->base, load->first + load->sent++, &a, &b, &start);
  s = vc_time_format_utc (start);
  e = vc_time_format_utc (start + 3600);
  body = g_strdup_printf ("{\"title\":\"Đo tải\",\"unit\":\"ubnd-tinh\",\"chair\":\"%s\","
                          "\"endpoints\":[\"%s\",\"%s\"],\"start\":\"%s\",\"end\":\"%s\"}",
                          a, a, b, s, e);
  msg = soup_message_new ("POST", load->url);
  /* libsoup opens a new connection for every non-idempotent request
   * (POST) unless told that it may be retried; --keep-alive tells it so. */
  if (load->keep_alive)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  auth = g_strconcat ("Bearer ", load->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  {
    gsize len = strlen (body);
    g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), len);
    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  }
  p = g_new0 (Pending, 1);
  p->load = load;
  p->t0 = g_get_monotonic_time ();
  soup_session_send_and_read_async (load->session, msg, G_PRIORITY_DEFAULT, NULL, on_load_reply, p);
}

static gint
compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
  return x < y ? -1 : x > y;
}

/* One server's figures, summed over its rounds. */
typedef struct
{
  const gchar *url;
  GSubprocess *process;
  GArray *latencies; /* gdouble ms */
  gdouble seconds;   /* wall time spent on this server */
  gdouble cpu;       /* its utime + stime over the same rounds, seconds */
  guint requests;
  guint failed;
  guint connections; /* TCP connections the client opened */
} Server;

/* utime + stime of a running child, in seconds (Linux /proc). */
static gdouble
server_cpu_seconds (GSubprocess *process)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree gchar *text = NULL;
  g_auto (GStrv) fields = NULL;
  const gchar *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(after = strrchr (text, ')')))
    return 0;
  fields = g_strsplit (after + 2, " ", 0); /* fields[0] is field 3 (state) */
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
}

/* What every round shares. */
typedef struct
{
  const gchar *token;
  gint64 base; /* bench_slot() origin */
  guint concurrency;
  gboolean keep_alive;
} Plan;

/* Sends @total requests (slots @first …) to @server, plan->concurrency at
 * a time, on a fresh session, the same way for both servers. Adds to the
 * server's figures unless @warmup. */
static void
run_round (Server *server, const Plan *plan, guint64 first, guint total, gboolean warmup)
{
  Load load = { .url = server->url,
                .token = plan->token,
                .base = plan->base,
                .first = first,
                .total = total,
                .keep_alive = plan->keep_alive };
  guint max_conns = plan->concurrency + 4;
  g_autoptr (SoupSession) session = soup_session_new_with_options (
      "max-conns", max_conns, "max-conns-per-host", max_conns, "timeout", 60, NULL);
  g_autoptr (GArray) scratch = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GHashTable) conns = g_hash_table_new (NULL, NULL);
  gdouble cpu0 = server_cpu_seconds (server->process);
  gint64 t0;

  load.session = session;
  load.conns = conns;
  load.latencies = warmup ? scratch : server->latencies;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < plan->concurrency; i++)
    load_send_next (&load);
  while (load.done < total)
    g_main_context_iteration (NULL, TRUE);
  if (warmup)
    return;
  server->seconds += (g_get_monotonic_time () - t0) / 1e6;
  server->cpu += server_cpu_seconds (server->process) - cpu0;
  server->requests += total;
  server->failed += load.failed;
  server->connections += g_hash_table_size (conns);
}

static void
server_print (const gchar *label, Server *server)
{
  GArray *l = server->latencies;

  g_array_sort (l, compare_double);
  g_print ("%s: %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  server CPU %5.3f "
           "ms/req  connections %u  (non-201: %u)\n",
           label, server->requests / server->seconds, g_array_index (l, gdouble, l->len / 2),
           g_array_index (l, gdouble, (guint)(l->len * 0.99)),
           g_array_index (l, gdouble, l->len - 1), 1000 * server->cpu / server->requests,
           server->connections, server->failed);
}

static gdouble
server_p99 (Server *server)
{
  return g_array_index (server->latencies, gdouble, (guint)(server->latencies->len * 0.99));
}

#define WARMUP_REQUESTS 500

/* Warms both servers up alike, then alternates @rounds rounds of each;
 * bookings go after the stored ones (slot numbers past @stored). */
static void
bench_measure (Server *sched, Server *noop, const Plan *plan, guint stored, guint requests,
               guint rounds)
{
  guint64 slot = stored + 48 * N_PAIRS; /* two free days after the stored meetings */

  run_round (noop, plan, slot, WARMUP_REQUESTS, TRUE);
  run_round (sched, plan, slot, WARMUP_REQUESTS, TRUE);
  slot += WARMUP_REQUESTS;
  for (guint r = 0; r < rounds; r++)
    {
      guint n = requests / rounds + (r < requests % rounds ? 1 : 0);
      run_round (sched, plan, slot, n, FALSE);
      run_round (noop, plan, slot, n, FALSE);
      slot += n;
    }
}

static void
server_stop (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

/* The database of a temporary folder, and the folder (--dir is kept). */
static void
bench_remove_db (const gchar *dir, const gchar *db)
{
  for (const gchar *const *ext = (const gchar *const[]){ "", "-wal", "-shm", NULL }; *ext; ext++)
    {
      g_autofree gchar *path = g_strconcat (db, *ext, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Starts both servers, measures them, stops them. */
static void
bench_run_servers (const gchar *scheduler, const gchar *config, const gchar *self, const gchar *db,
                   Server *sched, Server *noop, const Plan *plan, guint stored, guint requests,
                   guint rounds)
{
  /* --config last: without it the scheduler runs on its embedded defaults. */
  const gchar *sched_argv[] = { scheduler,  "--db",        db,
                                "--listen", "127.0.0.1:0", config ? "--config" : NULL,
                                config,     NULL };
  const gchar *noop_argv[] = { self, "--noop-server", NULL };
  g_autofree gchar *url = NULL, *noop_url = NULL;
  g_autoptr (GSubprocess) sched_process = spawn_server (sched_argv, &url);
  g_autoptr (GSubprocess) noop_process = spawn_server (noop_argv, &noop_url);

  sched->url = url;
  sched->process = sched_process;
  noop->url = noop_url;
  noop->process = noop_process;
  bench_measure (sched, noop, plan, stored, requests, rounds);
  server_stop (sched_process);
  server_stop (noop_process);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *scheduler = NULL, *dir = NULL, *config = NULL;
  gint stored = 100000, requests = 4000, concurrency = 8, rounds = 4;
  gboolean noop_mode = FALSE, keep_alive = FALSE, made_dir = FALSE;
  GOptionEntry entries[] = {
    { "scheduler", 0, 0, G_OPTION_ARG_FILENAME, &scheduler, "vc-scheduler executable", "PATH" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config,
      "vc-scheduler --config (default: its embedded defaults)", "FILE" },
    { "stored", 0, 0, G_OPTION_ARG_INT, &stored, "meetings stored before measuring", "N" },
    { "requests", 0, 0, G_OPTION_ARG_INT, &requests, "requests timed per server", "N" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "requests in flight", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "alternating rounds per server", "N" },
    { "keep-alive", 0, 0, G_OPTION_ARG_NONE, &keep_alive,
      "reuse connections (default: a new one per POST, libsoup's default)", NULL },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      "folder for the database (default: a temporary one)", "DIR" },
    { "noop-server", 0, 0, G_OPTION_ARG_NONE, &noop_mode, "run only the no-op server", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("— booking benchmark");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *db = NULL, *token = NULL;
  g_autoptr (GArray) sched_latencies = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) noop_latencies = g_array_new (FALSE, FALSE, sizeof (gdouble));
  Server sched = { .latencies = sched_latencies }, noop = { .latencies = noop_latencies };
  Plan plan
      = { .base = (vc_time_now () / 86400 + 2) * 86400 }; /* stored from the day after tomorrow */

  g_option_context_add_main_entries (options, entries, NULL);
  if (g_option_context_parse (options, &argc, &argv, &error) && noop_mode)
    return noop_server_main ();
  if (error != NULL || scheduler == NULL || requests < 1 || rounds < 1 || concurrency < 1)
    {
      g_printerr ("bench-booking: %s\n", error ? error->message : "see --help");
      return 64;
    }
  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("bench-booking-XXXXXX", &error);
      made_dir = TRUE;
    }
  g_assert_no_error (error);
  db = g_build_filename (dir, "bench.db", NULL);
  g_unlink (db);
  g_printerr ("filling %s with %d meetings…\n", db, stored);
  bench_fill (db, plan.base, (guint)stored, &token);
  plan.token = token;
  plan.concurrency = (guint)concurrency;
  plan.keep_alive = keep_alive;
  bench_run_servers (scheduler, config, argv[0], db, &sched, &noop, &plan, (guint)stored,
                     (guint)requests, (guint)rounds);
  g_print ("stored meetings: %d, requests: %d per server in %d rounds, in flight: %d, %s\n", stored,
           requests, rounds, concurrency,
           keep_alive ? "connections kept alive" : "a new connection per request");
  server_print ("no-op handler ", &noop);
  server_print ("booking       ", &sched);
  g_print ("ratio booking/no-op: %.2f (target >= 0.5); p99 %s 10 ms\n",
           (sched.requests / sched.seconds) / (noop.requests / noop.seconds),
           server_p99 (&sched) < 10 ? "<" : ">=");
  if (made_dir)
    bench_remove_db (dir, db);
  return sched.failed ? 1 : 0;
}
