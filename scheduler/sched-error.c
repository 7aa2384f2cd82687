/* sched-error.c — SCHED_ERROR and its mapping to HTTP; see sched-error.h. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-error.h"

#include "vc-wire.h"

#include <string.h>

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (sched-error-quark, sched_error)
/* clang-format on */

/* The field is kept in the message as "\x1f" FIELD "\x1f" TEXT so that a
 * plain GError can carry it without a custom boxed type; a reason goes
 * before it as "\x1e" REASON "\x1e". */
#define FIELD_MARK '\x1f'
#define REASON_MARK '\x1e'

static const struct
{
  const gchar *name;
  guint status;
} sched_error_table[] = {
  [SCHED_ERROR_BAD_JSON] = { "bad_json", 400 },
  [SCHED_ERROR_UNAUTHORIZED] = { "unauthorized", 401 },
  [SCHED_ERROR_FORBIDDEN] = { "forbidden", 403 },
  [SCHED_ERROR_NOT_FOUND] = { "not_found", 404 },
  [SCHED_ERROR_CONFLICT] = { "conflict", 409 },
  [SCHED_ERROR_PRECONDITION_FAILED] = { "precondition_failed", 412 },
  [SCHED_ERROR_TOO_LARGE] = { "too_large", 413 },
  [SCHED_ERROR_INVALID] = { "invalid", 422 },
  [SCHED_ERROR_INTERNAL] = { "internal", 500 },
  [SCHED_ERROR_UNAVAILABLE] = { "unavailable", 503 },
  [SCHED_ERROR_BAD_RANGE] = { "bad_range", 400 },
  [SCHED_ERROR_RANGE_NOT_SATISFIABLE] = { "range_not_satisfiable", 416 },
};

guint
sched_error_http_status (const GError *error)
{
  if (error == NULL || error->domain != SCHED_ERROR || error->code < 0
      || (gsize)error->code >= G_N_ELEMENTS (sched_error_table))
    return 500;
  return sched_error_table[error->code].status;
}

const gchar *
sched_error_code_name (const GError *error)
{
  if (error == NULL || error->domain != SCHED_ERROR || error->code < 0
      || (gsize)error->code >= G_N_ELEMENTS (sched_error_table))
    return "internal";
  return sched_error_table[error->code].name;
}

static void
error_set_va (GError **error, SchedError code, const gchar *field, const gchar *reason,
              const gchar *format, va_list ap)
{
  g_autofree gchar *text = g_strdup_vprintf (format, ap);
  g_autofree gchar *reason_part
      = reason ? g_strdup_printf ("%c%s%c", REASON_MARK, reason, REASON_MARK) : g_strdup ("");

  if (field)
    g_set_error (error, SCHED_ERROR, code, "%s%c%s%c%s", reason_part, FIELD_MARK, field, FIELD_MARK,
                 text);
  else
    g_set_error (error, SCHED_ERROR, code, "%s%s", reason_part, text);
}

void
sched_error_set_field (GError **error, SchedError code, const gchar *field, const gchar *format,
                       ...)
{
  va_list ap;

  if (error == NULL)
    return;
  va_start (ap, format);
  error_set_va (error, code, field, NULL, format, ap);
  va_end (ap);
}

void
sched_error_set_reason (GError **error, SchedError code, const gchar *field, const gchar *reason,
                        const gchar *format, ...)
{
  va_list ap;

  if (error == NULL)
    return;
  va_start (ap, format);
  error_set_va (error, code, field, reason, format, ap);
  va_end (ap);
}

/* The message after the reason part, if any. */
static const gchar *
error_after_reason (const GError *error)
{
  const gchar *end;

  if (error->message[0] != REASON_MARK)
    return error->message;
  end = strchr (error->message + 1, REASON_MARK);
  return end ? end + 1 : error->message;
}

gchar *
sched_error_get_reason (const GError *error)
{
  const gchar *end;

  if (error == NULL || error->message[0] != REASON_MARK)
    return NULL;
  end = strchr (error->message + 1, REASON_MARK);
  if (end == NULL)
    return NULL;
  return g_strndup (error->message + 1, end - error->message - 1);
}

gchar *
sched_error_get_field (const GError *error)
{
  const gchar *message, *end;

  if (error == NULL)
    return NULL;
  message = error_after_reason (error);
  if (message[0] != FIELD_MARK)
    return NULL;
  end = strchr (message + 1, FIELD_MARK);
  if (end == NULL)
    return NULL;
  return g_strndup (message + 1, end - message - 1);
}

const gchar *
sched_error_get_text (const GError *error)
{
  const gchar *message, *end;

  if (error == NULL)
    return "";
  message = error_after_reason (error);
  if (message[0] != FIELD_MARK)
    return message;
  end = strchr (message + 1, FIELD_MARK);
  return end ? end + 1 : message;
}

void
sched_error_propagate_wire (GError **error, GError *wire)
{
  SchedError code = SCHED_ERROR_INVALID;

  g_return_if_fail (wire != NULL);
  if (wire->domain != VC_WIRE_ERROR)
    {
      g_propagate_error (error, wire);
      return;
    }
  if (wire->code == VC_WIRE_ERROR_MALFORMED)
    code = SCHED_ERROR_BAD_JSON;
  else if (wire->code == VC_WIRE_ERROR_TOO_LARGE)
    code = SCHED_ERROR_TOO_LARGE;
  sched_error_set_field (error, code, vc_wire_error_get_field (wire), "%s", wire->message);
  g_error_free (wire);
}
