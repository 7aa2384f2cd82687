/* ep-schedule.c — keep, cache and query the room's schedule; the codec
 * (proto/vc-agent-wire.c) reads and writes it. */
#define G_LOG_DOMAIN "vc-endpoint"

#include "ep-schedule.h"
#include "vc-time.h"

#include <gio/gio.h>
#include <string.h>

EpSchedule *
ep_schedule_new (const gchar *endpoint)
{
  EpSchedule *s = g_atomic_rc_box_new0 (EpSchedule);

  s->endpoint = g_strdup (endpoint);
  s->meetings = g_ptr_array_new_with_free_func ((GDestroyNotify)vc_agent_wire_meeting_free);
  return s;
}

EpSchedule *
ep_schedule_ref (EpSchedule *s)
{
  return g_atomic_rc_box_acquire (s);
}

static void
schedule_clear (gpointer data)
{
  EpSchedule *s = data;

  g_free (s->endpoint);
  g_ptr_array_unref (s->meetings);
}

void
ep_schedule_unref (EpSchedule *s)
{
  if (s != NULL)
    g_atomic_rc_box_release_full (s, schedule_clear);
}

static gint
compare_start (gconstpointer a, gconstpointer b)
{
  const EpMeeting *x = *(EpMeeting **)a, *y = *(EpMeeting **)b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

EpSchedule *
ep_schedule_new_from_wire (VcAgentWireSchedule *wire)
{
  EpSchedule *s = g_atomic_rc_box_new0 (EpSchedule);

  s->endpoint = g_steal_pointer (&wire->endpoint);
  s->generated_at = wire->generated_at;
  s->meetings = g_steal_pointer (&wire->meetings);
  g_ptr_array_sort (s->meetings, compare_start);
  vc_agent_wire_schedule_free (wire);
  return s;
}

EpSchedule *
ep_schedule_parse (const gchar *text, gssize length, GError **error)
{
  VcAgentWireSchedule *wire
      = vc_agent_wire_schedule_parse (text, length < 0 ? strlen (text) : (gsize)length, error);

  return wire ? ep_schedule_new_from_wire (wire) : NULL;
}

gboolean
ep_schedule_save (EpSchedule *s, const gchar *path, GError **error)
{
  /* A view of the schedule: the codec only reads it. */
  const VcAgentWireSchedule wire = {
    .endpoint = s->endpoint,
    .generated_at = s->generated_at,
    .meetings = s->meetings,
  };
  g_autofree gchar *text = vc_agent_wire_schedule_build (&wire, TRUE);

  /* g_file_set_contents writes a temporary file, fsyncs and renames. */
  return g_file_set_contents_full (
      path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error);
}

EpSchedule *
ep_schedule_load (const gchar *path, GError **error)
{
  g_autofree gchar *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  return ep_schedule_parse (text, length, error);
}

const EpMeeting *
ep_schedule_find (EpSchedule *s, gint64 id)
{
  for (guint i = 0; s && i < s->meetings->len; i++)
    {
      const EpMeeting *m = s->meetings->pdata[i];

      if (m->id == id)
        return m;
    }
  return NULL;
}

const EpMeeting *
ep_schedule_current (EpSchedule *s, gint64 now, gint64 lead)
{
  for (guint i = 0; s && i < s->meetings->len; i++)
    {
      const EpMeeting *m = s->meetings->pdata[i];

      if (g_strcmp0 (m->status, "scheduled") == 0 && m->join_token && m->signal_url
          && m->start - lead <= now && now < m->end)
        return m;
    }
  return NULL;
}

const EpMeeting *
ep_schedule_next (EpSchedule *s, gint64 now)
{
  for (guint i = 0; s && i < s->meetings->len; i++)
    {
      const EpMeeting *m = s->meetings->pdata[i];

      if (g_strcmp0 (m->status, "scheduled") == 0 && m->start > now)
        return m;
    }
  return NULL;
}
