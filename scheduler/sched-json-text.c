/* sched-json-text.c — see sched-json-text.h. */
#define G_LOG_DOMAIN "vc-scheduler"

#include "sched-json-text.h"
#include "sched-error.h"

#include "vc-json-text.h"

gboolean
sched_json_text_check (const gchar *text, gsize length, GError **error)
{
  GError *local = NULL;

  if (vc_json_text_check (text, length, &local))
    return TRUE;
  sched_error_propagate_wire (error, local);
  return FALSE;
}
