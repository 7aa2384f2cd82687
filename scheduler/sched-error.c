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
 * plain GError can carry it without a custom boxed type. */
#define FIELD_MARK '\x1f'

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

void
sched_error_set_field (GError **error, SchedError code, const gchar *field, const gchar *format,
                       ...)
{
  va_list ap;

  if (error == NULL)
    return;
  va_start (ap, format);
  g_autofree gchar *text = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (field)
    g_set_error (error, SCHED_ERROR, code, "%c%s%c%s", FIELD_MARK, field, FIELD_MARK, text);
  else
    g_set_error_literal (error, SCHED_ERROR, code, text);
}

gchar *
sched_error_get_field (const GError *error)
{
  const gchar *end;

  if (error == NULL || error->message[0] != FIELD_MARK)
    return NULL;
  end = strchr (error->message + 1, FIELD_MARK);
  if (end == NULL)
    return NULL;
  return g_strndup (error->message + 1, end - error->message - 1);
}

const gchar *
sched_error_get_text (const GError *error)
{
  const gchar *end;

  if (error == NULL)
    return "";
  if (error->message[0] != FIELD_MARK)
    return error->message;
  end = strchr (error->message + 1, FIELD_MARK);
  return end ? end + 1 : error->message;
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
