/* vc-json-text.c — the raw-text checks of vc-json-text.h.
 *
 * A small scanner over text json-glib has already accepted: it keeps a
 * stack of the containers it is in (the member or element being read) so
 * that an error can name its field, decodes every \u escape of every
 * string, and reads every integer again. It allocates nothing but the
 * stack and the member names, and only builds the field name on error. */
#define G_LOG_DOMAIN "vc-proto"

#include "vc-json-text.h"
#include "vc-wire.h"

#include <string.h>

typedef struct
{
  gboolean array;
  guint index;       /* array: the element being read */
  gchar *key;        /* object: the member being read, NULL before the first */
  gboolean want_key; /* object: the next string is a member name */
} JsonTextFrame;

static void
json_text_frame_clear (gpointer data)
{
  g_free (((JsonTextFrame *)data)->key);
}

/* "events[0].reason", or NULL for the document itself. */
static gchar *
json_text_path (GArray *frames)
{
  g_autoptr (GString) path = g_string_new (NULL);

  for (guint i = 0; i < frames->len; i++)
    {
      const JsonTextFrame *f = &g_array_index (frames, JsonTextFrame, i);

      if (f->array)
        g_string_append_printf (path, "[%u]", f->index);
      else if (f->key && !f->want_key)
        g_string_append_printf (path, "%s%s", path->len ? "." : "", f->key);
    }
  return path->len ? g_string_free (g_steal_pointer (&path), FALSE) : NULL;
}

static gint
json_text_hex4 (const gchar *p)
{
  gint v = 0;

  for (gint k = 0; k < 4; k++)
    {
      gint d = g_ascii_xdigit_value (p[k]);
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

typedef enum
{
  JSON_TEXT_OK,
  JSON_TEXT_NUL,
  JSON_TEXT_SURROGATE,
  JSON_TEXT_RANGE,
  JSON_TEXT_ESCAPE,
} JsonTextProblem;

/* Reads the string literal starting at text[*at] (the opening quote) and
 * leaves *at after its closing quote. Decodes it into @out when given.
 * *@unit: the offending escape's code unit. */
static JsonTextProblem
json_text_string (const gchar *text, gsize length, gsize *at, GString *out, gint *unit)
{
  gsize p = *at + 1;

  while (p < length && text[p] != '"')
    {
      if (text[p] != '\\' || p + 1 >= length)
        {
          if (out)
            g_string_append_c (out, text[p]);
          p++;
          continue;
        }
      if (text[p + 1] != 'u' || p + 5 >= length)
        {
          if (out)
            g_string_append_c (out, text[p + 1]); /* \n stays "n": enough for a name */
          p += 2;
          continue;
        }
      gint cp = json_text_hex4 (text + p + 2);
      /* json-glib reads "\up0" as "p0" and goes on; this scanner would
       * lose its step there and miss a lone surrogate after it. */
      if (cp < 0)
        return JSON_TEXT_ESCAPE;
      p += 6;
      *unit = cp;
      if (cp == 0)
        return JSON_TEXT_NUL;
      if (cp >= 0xDC00 && cp <= 0xDFFF)
        return JSON_TEXT_SURROGATE;
      if (cp >= 0xD800 && cp <= 0xDBFF)
        {
          gint low = p + 5 < length && text[p] == '\\' && text[p + 1] == 'u'
                         ? json_text_hex4 (text + p + 2)
                         : -1;
          if (low < 0xDC00 || low > 0xDFFF)
            return JSON_TEXT_SURROGATE;
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
      if (out && cp > 0)
        g_string_append_unichar (out, (gunichar)cp);
    }
  *at = p + 1;
  return JSON_TEXT_OK;
}

/* Reads the number at text[*at]; RANGE when it is an integer outside
 * gint64 (json-glib would wrap it). */
static JsonTextProblem
json_text_number (const gchar *text, gsize length, gsize *at)
{
  gsize start = *at, p = *at;
  gboolean integer = TRUE;

  while (p < length && text[p] != '\0' && strchr ("+-0123456789.eE", text[p]))
    {
      if (text[p] == '.' || text[p] == 'e' || text[p] == 'E')
        integer = FALSE;
      p++;
    }
  *at = p;
  if (!integer)
    return JSON_TEXT_OK;
  g_autofree gchar *digits = g_strndup (text + start, p - start);
  return g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, NULL, NULL)
             ? JSON_TEXT_OK
             : JSON_TEXT_RANGE;
}

static gboolean
json_text_fail (GArray *frames, gboolean in_name, JsonTextProblem problem, gint unit,
                GError **error)
{
  g_autofree gchar *path = json_text_path (frames);
  g_autofree gchar *subject
      = in_name ? g_strdup_printf ("a member name%s%s", path ? " in " : "", path ? path : "")
                : g_strdup (path ? path : "the body");

  switch (problem)
    {
      case JSON_TEXT_NUL:
        vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, path,
                           "%s must not contain \\u0000 (a NUL character)", subject);
        break;
      case JSON_TEXT_SURROGATE:
        vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, path,
                           "%s must be valid Unicode: \\u%04X is an unpaired surrogate", subject,
                           (guint)unit);
        break;
      case JSON_TEXT_ESCAPE:
        vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, path,
                           "%s has a \\u escape without four hexadecimal digits", subject);
        break;
      case JSON_TEXT_RANGE:
      default:
        vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, path,
                           "%s is a whole number outside the 64-bit range", subject);
        break;
    }
  return FALSE;
}

gboolean
vc_json_text_check (const gchar *text, gsize length, GError **error)
{
  g_autoptr (GArray) frames = g_array_new (FALSE, TRUE, sizeof (JsonTextFrame));
  gsize at = 0;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_array_set_clear_func (frames, json_text_frame_clear);
  while (at < length)
    {
      JsonTextFrame *top
          = frames->len ? &g_array_index (frames, JsonTextFrame, frames->len - 1) : NULL;
      gchar c = text[at];
      JsonTextProblem problem;
      gint unit = 0;

      if (c == '{' || c == '[')
        {
          JsonTextFrame frame = { .array = c == '[', .want_key = c == '{' };
          g_array_append_val (frames, frame);
          at++;
        }
      else if ((c == '}' || c == ']') && top)
        {
          g_array_set_size (frames, frames->len - 1);
          at++;
        }
      else if (c == ',' && top)
        {
          if (top->array)
            top->index++;
          else
            top->want_key = TRUE;
          at++;
        }
      else if (c == ':' && top)
        {
          top->want_key = FALSE;
          at++;
        }
      else if (c == '"')
        {
          gboolean in_name = top && !top->array && top->want_key;
          g_autoptr (GString) name = in_name ? g_string_new (NULL) : NULL;

          problem = json_text_string (text, length, &at, name, &unit);
          if (problem != JSON_TEXT_OK)
            return json_text_fail (frames, in_name, problem, unit, error);
          if (in_name)
            {
              g_free (top->key);
              top->key = g_string_free (g_steal_pointer (&name), FALSE);
            }
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          problem = json_text_number (text, length, &at);
          if (problem != JSON_TEXT_OK)
            return json_text_fail (frames, FALSE, problem, 0, error);
        }
      else
        at++; /* white space, true, false, null */
    }
  return TRUE;
}
