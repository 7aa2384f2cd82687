/* vc-jwt.h — HS256 JSON Web Tokens for joining a bridge room.
 *
 * The scheduler signs join tokens; the bridge verifies them. Claims are in
 * docs/protocol.md §1. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VC_JWT_ERROR (vc_jwt_error_quark ())
GQuark vc_jwt_error_quark (void);

typedef enum
{
  VC_JWT_ERROR_MALFORMED,
  VC_JWT_ERROR_BAD_SIGNATURE,
  VC_JWT_ERROR_EXPIRED,
} VcJwtError;

typedef struct
{
  gchar *meeting;
  gchar *endpoint;
  gchar *name;  /* may be NULL */
  gchar *chair; /* the meeting's chair endpoint, may be NULL (docs/protocol.md §1) */
  gboolean guest;
  gboolean link; /* a bridge-to-bridge link: a child bridge joins as this endpoint (§1) */
  gint64 exp;
  gint64 iat;
} VcJwtClaims;

void vc_jwt_claims_free (VcJwtClaims *claims);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcJwtClaims, vc_jwt_claims_free)

/* Signs @claims with @secret. */
gchar *vc_jwt_sign (const VcJwtClaims *claims, const gchar *secret);

/* Verifies signature, algorithm and expiry against @now (seconds since the
 * epoch). Returns the claims or NULL with @error set. */
VcJwtClaims *vc_jwt_verify (const gchar *token, const gchar *secret, gint64 now, GError **error);

G_END_DECLS
