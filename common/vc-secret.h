/* vc-secret.h — random secrets, their hashes and constant-time comparison.
 *
 * Bearer tokens are 256 random bits from getrandom(), shown once in
 * base64url and stored only as a SHA-256 hex digest. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 32 random bytes from getrandom(), base64url without padding (43 chars). */
gchar *vc_secret_new_token (GError **error);

/* Lower-case hex SHA-256 of @text. */
gchar *vc_secret_hash (const gchar *text);

/* Compares two NUL-terminated strings in time that depends only on their
 * lengths. */
gboolean vc_secret_equal (const gchar *a, const gchar *b);

/* base64url (RFC 4648 §5) without padding. */
gchar *vc_base64url_encode (const guint8 *data, gsize len);
guint8 *vc_base64url_decode (const gchar *text, gsize *out_len);

G_END_DECLS
