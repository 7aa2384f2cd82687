/* sched-error.h — the scheduler's error domain and its one mapping to HTTP.
 *
 * Every run-time failure in the scheduler is a GError in SCHED_ERROR; the
 * HTTP layer turns it into
 * {"error": CODE, "message": TEXT, "field": NAME?, "reason": REASON?}
 * with the status from sched_error_http_status(). Keep the two in step. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCHED_ERROR (sched_error_quark ())
GQuark sched_error_quark (void);

typedef enum
{
  SCHED_ERROR_BAD_JSON,              /* 400 bad_json */
  SCHED_ERROR_UNAUTHORIZED,          /* 401 unauthorized */
  SCHED_ERROR_FORBIDDEN,             /* 403 forbidden */
  SCHED_ERROR_NOT_FOUND,             /* 404 not_found */
  SCHED_ERROR_CONFLICT,              /* 409 conflict */
  SCHED_ERROR_PRECONDITION_FAILED,   /* 412 precondition_failed */
  SCHED_ERROR_TOO_LARGE,             /* 413 too_large */
  SCHED_ERROR_INVALID,               /* 422 invalid */
  SCHED_ERROR_INTERNAL,              /* 500 internal (database failure and the like) */
  SCHED_ERROR_UNAVAILABLE,           /* 503 unavailable (bridge unreachable) */
  SCHED_ERROR_BAD_RANGE,             /* 400 bad_range (a malformed Range header) */
  SCHED_ERROR_RANGE_NOT_SATISFIABLE, /* 416 range_not_satisfiable (past the end) */
} SchedError;

guint sched_error_http_status (const GError *error);
/* "bad_json", "unauthorized", …; "internal" for errors of other domains. */
const gchar *sched_error_code_name (const GError *error);

/* Sets a SCHED_ERROR_INVALID (or other code) error that names the offending
 * request field; the field is carried in the message prefix "field: " and
 * recovered by sched_error_get_field(). */
void sched_error_set_field (GError **error, SchedError code, const gchar *field,
                            const gchar *format, ...) G_GNUC_PRINTF (4, 5);
/* As sched_error_set_field(), with a stable machine-readable @reason
 * ("in_past", "too_long", …: docs/api.md, "Error reasons") that the web UI
 * translates; the message stays English for logs and API users. @field may
 * be NULL. */
void sched_error_set_reason (GError **error, SchedError code, const gchar *field,
                             const gchar *reason, const gchar *format, ...) G_GNUC_PRINTF (5, 6);
/* The reason given to sched_error_set_reason(), or NULL. Caller frees. */
gchar *sched_error_get_reason (const GError *error);
/* The field named by sched_error_set_field(), or NULL. Caller frees. */
gchar *sched_error_get_field (const GError *error);
/* The message without the field prefix. */
const gchar *sched_error_get_text (const GError *error);

/* Takes @wire, an error of a wire codec (VC_WIRE_ERROR, proto/vc-wire.h),
 * into @error with the same field and message: MALFORMED → BAD_JSON,
 * TOO_LARGE → TOO_LARGE, INVALID and UNKNOWN_TYPE → INVALID. An error of
 * another domain is propagated as it is. */
void sched_error_propagate_wire (GError **error, GError *wire);

G_END_DECLS
