/* sched-http.h — the small HTTP toolkit every scheduler handler uses.
 *
 * Handlers run on the main thread (libsoup dispatches there). A handler
 * typically: sched_http_authenticate() → role check → sched_http_read_json()
 * → work → sched_http_reply_json() or sched_http_reply_error(). Errors are
 * always {"error": CODE, "message": TEXT, "field": NAME?} with the status of
 * sched_error_http_status(). */
#pragma once

#include "sched-auth.h"
#include "sched-context.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Resolves the Authorization header; NULL + SCHED_ERROR_UNAUTHORIZED. */
SchedPrincipal *sched_http_authenticate (SchedContext *ctx, SoupServerMessage *msg, GError **error);

/* Parses the request body: over settings->max_body_bytes → TOO_LARGE,
 * invalid UTF-8 or JSON → BAD_JSON, not an object → BAD_JSON; a string with
 * \u0000 or an unpaired surrogate, or an integer outside gint64 → INVALID
 * naming the member (sched_json_text_check). */
JsonObject *sched_http_read_json_object (SchedContext *ctx, SoupServerMessage *msg,
                                         JsonNode **out_root, GError **error);

void sched_http_reply_json (SoupServerMessage *msg, guint status, JsonNode *node);
/* Takes a JsonBuilder that holds one finished value. */
void sched_http_reply_builder (SoupServerMessage *msg, guint status, JsonBuilder *builder);
void sched_http_reply_error (SoupServerMessage *msg, const GError *error);
/* Replies with an error body that carries extra members (e.g. conflicts,
 * suggestions): @extra is an object whose members are copied in. */
void sched_http_reply_error_with (SoupServerMessage *msg, const GError *error, JsonObject *extra);
/* The error body alone: {"error", "message", "field"?, extra members…}. */
gchar *sched_http_error_json (const GError *error, JsonObject *extra);
void sched_http_reply_text (SoupServerMessage *msg, guint status, const gchar *content_type,
                            const gchar *body, gssize length);

/* Times the API accepts lie in [2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z):
 * GDateTime parses years up to 9999 with any offset, so
 * "9999-12-31T23:30:00-05:00" (year 10000 in UTC) parses, but could not be
 * written back as RFC 3339 or iCalendar. Every time a request carries is
 * checked against this range. */
#define SCHED_TIME_MIN G_GINT64_CONSTANT (946684800)  /* 2000-01-01T00:00:00Z */
#define SCHED_TIME_END G_GINT64_CONSTANT (4102444800) /* 2100-01-01T00:00:00Z */

/* Parses an RFC 3339 time in that range; FALSE with INVALID naming @field
 * when malformed or out of range. */
gboolean sched_http_parse_time (const gchar *text, const gchar *field, gint64 *out, GError **error);
/* The same, or a plain date YYYY-MM-DD taken as local midnight in @tz. */
gboolean sched_http_parse_date_or_time (const gchar *text, const gchar *field, GTimeZone *tz,
                                        gint64 *out, GError **error);

/* The Content-Security-Policy of every response: scripts, styles, images
 * and fonts from this server only (no inline script or style attribute, no
 * eval), no frames around the UI, WebSockets only to this server and the
 * bridge of [bridge] url. @settings may be NULL (then no bridge). */
gchar *sched_http_content_security_policy (const SchedSettings *settings);
/* Adds the CSP, X-Content-Type-Options: nosniff, X-Frame-Options: DENY and
 * Referrer-Policy: no-referrer to @headers (docs/api.md, "Security
 * headers"). */
void sched_http_add_security_headers (SoupMessageHeaders *headers, const SchedSettings *settings);

/* Query parameter helpers (query may be NULL). */
const gchar *sched_http_query (GHashTable *query, const gchar *name);
/* Parses an RFC 3339 time or a plain date YYYY-MM-DD (taken as local
 * midnight in @tz); absent → @fallback, malformed → INVALID naming @name. */
gboolean sched_http_query_time (GHashTable *query, const gchar *name, GTimeZone *tz,
                                gint64 fallback, gint64 *out, GError **error);

/* Splits a path below @prefix into segments: "/api/v1/meetings/4/end" with
 * prefix "/api/v1/meetings" gives {"4", "end"}. */
GStrv sched_http_path_segments (const gchar *path, const gchar *prefix);

/* Typed getters for request members, each naming the field in its error.
 * Missing → INVALID "is required" (unless the _opt variant), wrong type →
 * INVALID. */
const gchar *sched_json_get_string (JsonObject *o, const gchar *field, gboolean required,
                                    GError **error);
gboolean sched_json_get_int (JsonObject *o, const gchar *field, gboolean required, gint64 *out,
                             GError **error);
gboolean sched_json_get_bool (JsonObject *o, const gchar *field, gboolean fallback, gboolean *out,
                              GError **error);
gboolean sched_json_get_time (JsonObject *o, const gchar *field, gboolean required, gint64 *out,
                              GError **error);
/* An array of strings; NULL + error when not one. */
GPtrArray *sched_json_get_string_array (JsonObject *o, const gchar *field, gboolean required,
                                        GError **error);

/* Adds "name": "2026-11-21T08:00:00Z" to a builder inside an object. */
void sched_json_add_time (JsonBuilder *b, const gchar *name, gint64 unix_seconds);

G_END_DECLS
