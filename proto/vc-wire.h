/* vc-wire.h — what the wire codecs of proto/ share.
 *
 * Each contract between two programs has one codec module here, linked by
 * both ends: vc-agent-wire (the agent channel, docs/protocol.md §4) and
 * vc-attendance-wire (POST /api/v1/attendance). This file holds what they
 * have in common: the VC_WIRE_ERROR domain, whose errors carry the name of
 * the member at fault as the HTTP API names it ("events[1].meeting",
 * "meetings[0].start"), the range of times every contract accepts, the
 * parse of a text into its root object (size, UTF-8, the raw-text checks
 * of vc-json-text.h, then json-glib) and strict readers of one member each.
 *
 * A reader checks a member's JSON type before it reads it: json-glib's
 * getters raise a critical (fatal in the tests) on a member of the wrong
 * type. An absent member and a null one are the same. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  VC_WIRE_ERROR_MALFORMED,    /* not UTF-8, not JSON, not an object */
  VC_WIRE_ERROR_INVALID,      /* a member missing, of the wrong type or out of range */
  VC_WIRE_ERROR_UNKNOWN_TYPE, /* a "type" the contract does not have */
  VC_WIRE_ERROR_TOO_LARGE,    /* more bytes than the contract allows */
} VcWireError;

/* An extended error domain (GLib's G_DEFINE_EXTENDED_ERROR): each error
 * carries its field, read with vc_wire_error_get_field(). GLib names such a
 * domain after its type: "VcWireError". */
#define VC_WIRE_ERROR (vc_wire_error_quark ())
GQuark vc_wire_error_quark (void);

/* Every time on the wire lies in [VC_WIRE_TIME_MIN, VC_WIRE_TIME_END):
 * 2000-01-01T00:00:00Z to 2099-12-31T23:59:59Z (docs/api.md). */
#define VC_WIRE_TIME_MIN G_GINT64_CONSTANT (946684800)
#define VC_WIRE_TIME_END G_GINT64_CONSTANT (4102444800)

/* Sets @error in VC_WIRE_ERROR with @field (NULL: the message as a whole)
 * and a message that should name the field too. */
void vc_wire_set_error (GError **error, VcWireError code, const gchar *field, const gchar *format,
                        ...) G_GNUC_PRINTF (4, 5);
/* The field of a VC_WIRE_ERROR error, or NULL. */
const gchar *vc_wire_error_get_field (const GError *error);

/* "events[3].id" from "events[3]" and "id"; just @name without @prefix. */
gchar *vc_wire_field_name (const gchar *prefix, const gchar *name);

/* Parses @text (@length bytes) into its root object, refusing more than
 * @max_bytes (TOO_LARGE), text that is not UTF-8, what vc_json_text_check()
 * refuses (INVALID, the member named), text that is not JSON or whose root
 * is not an object (MALFORMED). The object belongs to *@root. */
JsonObject *vc_wire_parse_object (const gchar *text, gsize length, gsize max_bytes, JsonNode **root,
                                  GError **error);

/* The readers. @prefix names the object @o in errors ("events[3]"; NULL at
 * the top). Each returns FALSE with INVALID when the member is required and
 * absent, or present with another type; an absent optional member leaves
 * *@out alone and returns TRUE. */
gboolean vc_wire_get_string (JsonObject *o, const gchar *prefix, const gchar *name,
                             gboolean required, const gchar **out, GError **error);
/* A whole number (an integer in gint64 without fraction or exponent). */
gboolean vc_wire_get_int (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                          gint64 *out, GError **error);
gboolean vc_wire_get_bool (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                           gboolean *out, GError **error);
/* An RFC 3339 time (vc_time_parse) in [VC_WIRE_TIME_MIN, VC_WIRE_TIME_END). */
gboolean vc_wire_get_time (JsonObject *o, const gchar *prefix, const gchar *name, gboolean required,
                           gint64 *out, GError **error);

/* Builder helpers: a string member, or null for NULL; a time as
 * "2026-11-21T08:00:00Z". */
void vc_wire_add_string (JsonBuilder *b, const gchar *name, const gchar *value);
void vc_wire_add_time (JsonBuilder *b, const gchar *name, gint64 unix_seconds);
/* The builder's root as compact JSON text. */
gchar *vc_wire_builder_to_text (JsonBuilder *b, gboolean pretty);

G_END_DECLS
