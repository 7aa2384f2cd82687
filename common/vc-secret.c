/* vc-secret.c — random secrets, their hashes and constant-time comparison.
 *
 * Shared by the scheduler (API tokens) and the JWT code. The randomness comes
 * from getrandom(2); hashing from GChecksum. */
#define G_LOG_DOMAIN "vc-common"

#include "vc-secret.h"

#include <gio/gio.h>

#include <errno.h>
#include <string.h>
#include <sys/random.h>

gchar *
vc_base64url_encode (const guint8 *data, gsize len)
{
  g_autofree gchar *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i++)
    {
      if (b64[i] == '+')
        b64[i] = '-';
      else if (b64[i] == '/')
        b64[i] = '_';
    }
  while (n > 0 && b64[n - 1] == '=')
    b64[--n] = '\0';
  return g_steal_pointer (&b64);
}

guint8 *
vc_base64url_decode (const gchar *text, gsize *out_len)
{
  gsize n = strlen (text);
  GString *s = g_string_sized_new (n + 4);

  g_return_val_if_fail (out_len != NULL, NULL);

  for (gsize i = 0; i < n; i++)
    {
      gchar c = text[i];
      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!(g_ascii_isalnum (c)))
        {
          g_string_free (s, TRUE);
          return NULL;
        }
      g_string_append_c (s, c);
    }
  if (s->len % 4 == 1)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  while (s->len % 4 != 0)
    g_string_append_c (s, '=');

  g_autofree gchar *padded = g_string_free (s, FALSE);
  return g_base64_decode (padded, out_len);
}

gchar *
vc_secret_new_token (GError **error)
{
  guint8 bytes[32];
  gsize got = 0;

  while (got < sizeof bytes)
    {
      ssize_t r = getrandom (bytes + got, sizeof bytes - got, 0);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "getrandom: %s",
                       g_strerror (errno));
          return NULL;
        }
      got += (gsize)r;
    }
  gchar *token = vc_base64url_encode (bytes, sizeof bytes);
  memset (bytes, 0, sizeof bytes);
  return token;
}

gchar *
vc_secret_hash (const gchar *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

gboolean
vc_secret_equal (const gchar *a, const gchar *b)
{
  gsize la, lb;
  guint8 diff;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  la = strlen (a);
  lb = strlen (b);
  diff = la != lb;
  for (gsize i = 0; i < la; i++)
    diff |= (guint8)a[i] ^ (guint8)b[i % (lb ? lb : 1)];
  return diff == 0;
}
