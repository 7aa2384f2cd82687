/* fuzz-jwt.c — join tokens come from the network (the signalling URL): the
 * verifier must refuse every malformed one without crashing, and accept only
 * what it signed itself. */
#include "vc-jwt.h"

#include <stdint.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree gchar *token = g_strndup ((const gchar *)data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJwtClaims) claims = vc_jwt_verify (token, "fuzz-secret", 1000, &error);

  /* Without the secret, nothing the fuzzer makes up may verify — except a
   * token it copied from the corpus, which was signed with this secret. */
  g_assert ((claims == NULL) == (error != NULL));
  if (claims)
    {
      VcJwtClaims again = *claims;
      g_autofree gchar *resigned = vc_jwt_sign (&again, "fuzz-secret");
      g_autoptr (VcJwtClaims) back = vc_jwt_verify (resigned, "fuzz-secret", 1000, NULL);
      g_assert (back != NULL);
      g_assert (strcmp (back->meeting, claims->meeting) == 0);
    }
  return 0;
}
