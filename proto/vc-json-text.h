/* vc-json-text.h — what json-glib lets through silently, refused.
 *
 * json-glib 1.6 accepts, without a word:
 *   "a\u0000b"    and hands back "a" (the string is cut at the NUL);
 *   "a\ud800b"    a lone UTF-16 surrogate, stored as invalid UTF-8;
 *   1e30 written as 1000000000000000000000000000000, an integer outside
 *                 gint64, which it reads as -1 (or G_MININT64).
 * None of that survives parsing in a form a handler could recognise, so
 * the raw text is checked instead. Every JSON text the scheduler accepts
 * goes through vc_json_text_check(): request bodies
 * (sched_http_read_json_object, through sched_json_text_check), history
 * files, and every message a wire codec parses (vc_wire_parse_object):
 * both ends of the agent channel and of the attendance contract. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checks the text of a JSON document, valid UTF-8, before json-glib parses
 * it (json-glib's own handling of these is erratic: a lone surrogate just
 * before the closing quote swallows the quote, a parse error). Every
 * string (member names too) must be free of \u0000 and of unpaired
 * surrogate escapes, every integer (a number without fraction or exponent)
 * must fit in gint64. FALSE with VC_WIRE_ERROR_INVALID whose field
 * (vc_wire_error_get_field) names the
 * member at fault as the API names fields ("title", "endpoints[1]",
 * "events[0].reason"; none for the document itself). Text that is not
 * JSON at all is scanned to its end without harm; the parse that follows
 * refuses it. */
gboolean vc_json_text_check (const gchar *text, gsize length, GError **error);

G_END_DECLS
