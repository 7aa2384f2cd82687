/* vc-wire.c — the error domain, parse and member readers shared by the
 * wire codecs (see vc-wire.h). */
#define G_LOG_DOMAIN "vc-proto"

#include "vc-wire.h"
#include "vc-json-text.h"

#include "vc-time.h"

typedef struct
{
  gchar *field;
} VcWireErrorPrivate;

static void
vc_wire_error_private_init (VcWireErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
vc_wire_error_private_copy (const VcWireErrorPrivate *src, VcWireErrorPrivate *dest)
{
  dest->field = g_strdup (src->field);
}

static void
vc_wire_error_private_clear (VcWireErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (VcWireError, vc_wire_error)

void
vc_wire_set_error (GError **error, VcWireError code, const gchar *field, const gchar *format, ...)
{
  va_list ap;
  GError *e;

  if (error == NULL)
    return;
  va_start (ap, format);
  e = g_error_new_valist (VC_WIRE_ERROR, code, format, ap);
  va_end (ap);
  vc_wire_error_get_private (e)->field = g_strdup (field);
  g_propagate_error (error, e);
}

const gchar *
vc_wire_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != VC_WIRE_ERROR)
    return NULL;
  return vc_wire_error_get_private (error)->field;
}

gchar *
vc_wire_field_name (const gchar *prefix, const gchar *name)
{
  if (prefix == NULL || *prefix == '\0')
    return g_strdup (name);
  return g_strconcat (prefix, ".", name, NULL);
}

JsonObject *
vc_wire_parse_object (const gchar *text, gsize length, gsize max_bytes, JsonNode **root,
                      GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  JsonNode *node;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  *root = NULL;
  if (length > max_bytes)
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_TOO_LARGE, NULL,
                         "the message is %" G_GSIZE_FORMAT " bytes; the limit is %" G_GSIZE_FORMAT,
                         length, max_bytes);
      return NULL;
    }
  if (length == 0)
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_MALFORMED, NULL, "the message is empty");
      return NULL;
    }
  if (!g_utf8_validate_len (text, length, NULL))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_MALFORMED, NULL, "the message is not valid UTF-8");
      return NULL;
    }
  /* Before json-glib, which cuts a string at \u0000 and wraps big
   * integers without a word. */
  if (!vc_json_text_check (text, length, error))
    return NULL;
  if (!json_parser_load_from_data (parser, text, length, &local))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_MALFORMED, NULL, "the message is not JSON: %s",
                         local->message);
      return NULL;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_MALFORMED, NULL, "the message is not a JSON object");
      return NULL;
    }
  *root = json_node_ref (node);
  return json_node_get_object (node);
}

/* The member @name, NULL when absent or null (with an error if required). */
static JsonNode *
wire_member (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
             GError **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        {
          g_autofree gchar *field = vc_wire_field_name (prefix, name);
          vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field, "%s is required", field);
        }
      return NULL;
    }
  return n;
}

/* FALSE with "FIELD must be WHAT" unless @n is a value of @type. */
static gboolean
wire_check_type (JsonNode *n, GType type, const gchar *prefix, const gchar *name, const gchar *what,
                 GError **error)
{
  g_autofree gchar *field = NULL;

  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == type)
    return TRUE;
  field = vc_wire_field_name (prefix, name);
  vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field, "%s must be %s", field, what);
  return FALSE;
}

/* The member @name of @o if it is a value of @type: TRUE with *@out set, or
 * with *@out NULL when it is absent (or null) and not @required; FALSE with
 * "FIELD is required" or "FIELD must be WHAT". */
static gboolean
wire_typed_member (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                   GType type, const gchar *what, JsonNode **out, GError **error)
{
  GError *local = NULL;
  JsonNode *n = wire_member (o, prefix, name, required, &local);

  *out = NULL;
  if (n == NULL)
    {
      if (local)
        g_propagate_error (error, local);
      return local == NULL;
    }
  if (!wire_check_type (n, type, prefix, name, what, error))
    return FALSE;
  *out = n;
  return TRUE;
}

gboolean
vc_wire_get_string (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                    const gchar **out, GError **error)
{
  JsonNode *n;

  if (!wire_typed_member (o, prefix, name, required, G_TYPE_STRING, "a string", &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_string (n);
  return TRUE;
}

gboolean
vc_wire_get_int (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                 gint64 *out, GError **error)
{
  JsonNode *n;

  if (!wire_typed_member (o, prefix, name, required, G_TYPE_INT64, "a whole number", &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_int (n);
  return TRUE;
}

gboolean
vc_wire_get_bool (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                  gboolean *out, GError **error)
{
  JsonNode *n;

  if (!wire_typed_member (o, prefix, name, required, G_TYPE_BOOLEAN, "true or false", &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_boolean (n);
  return TRUE;
}

gboolean
vc_wire_get_time (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                  gint64 *out, GError **error)
{
  const gchar *text = NULL;
  g_autofree gchar *field = NULL;
  gint64 t = 0;

  if (!vc_wire_get_string (o, prefix, name, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  field = vc_wire_field_name (prefix, name);
  if (!vc_time_parse (text, &t))
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field,
                         "%s must be an RFC 3339 time such as 2026-11-21T08:00:00+07:00", field);
      return FALSE;
    }
  if (t < VC_WIRE_TIME_MIN || t >= VC_WIRE_TIME_END)
    {
      vc_wire_set_error (error, VC_WIRE_ERROR_INVALID, field,
                         "%s must lie between 2000-01-01 and 2099-12-31 (UTC)", field);
      return FALSE;
    }
  *out = t;
  return TRUE;
}

void
vc_wire_add_string (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
vc_wire_add_time (JsonBuilder *b, const gchar *name, gint64 unix_seconds)
{
  g_autofree gchar *text = vc_time_format_utc (unix_seconds);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

gchar *
vc_wire_builder_to_text (JsonBuilder *b, gboolean pretty)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);

  return json_to_string (root, pretty);
}
