/* vc-jwt.c — HS256 JSON Web Tokens (RFC 7519) with GHmac and json-glib.
 *
 * Only what the join tokens need: one algorithm, a fixed set of claims, and
 * verification that refuses anything but HS256 before looking at claims. */
#define G_LOG_DOMAIN "vc-common"

#include "vc-jwt.h"
#include "vc-secret.h"

#include <string.h>

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (vc-jwt-error-quark, vc_jwt_error)
/* clang-format on */

void
vc_jwt_claims_free (VcJwtClaims *claims)
{
  if (claims == NULL)
    return;
  g_free (claims->meeting);
  g_free (claims->endpoint);
  g_free (claims->name);
  g_free (claims->chair);
  g_free (claims);
}

static gchar *
jwt_hmac_b64 (const gchar *secret, const gchar *signing_input)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)secret, strlen (secret));
  guint8 digest[32];
  gsize len = sizeof digest;

  g_hmac_update (hmac, (const guchar *)signing_input, -1);
  g_hmac_get_digest (hmac, digest, &len);
  return vc_base64url_encode (digest, len);
}

static gchar *
jwt_json_b64 (JsonNode *node)
{
  g_autofree gchar *text = json_to_string (node, FALSE);
  return vc_base64url_encode ((const guint8 *)text, strlen (text));
}

gchar *
vc_jwt_sign (const VcJwtClaims *claims, const gchar *secret)
{
  g_autoptr (JsonBuilder) header = json_builder_new ();
  g_autoptr (JsonBuilder) body = json_builder_new ();

  g_return_val_if_fail (claims != NULL && claims->meeting != NULL && claims->endpoint != NULL,
                        NULL);
  g_return_val_if_fail (secret != NULL && *secret != '\0', NULL);

  json_builder_begin_object (header);
  json_builder_set_member_name (header, "alg");
  json_builder_add_string_value (header, "HS256");
  json_builder_set_member_name (header, "typ");
  json_builder_add_string_value (header, "JWT");
  json_builder_end_object (header);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "meeting");
  json_builder_add_string_value (body, claims->meeting);
  json_builder_set_member_name (body, "endpoint");
  json_builder_add_string_value (body, claims->endpoint);
  if (claims->name)
    {
      json_builder_set_member_name (body, "name");
      json_builder_add_string_value (body, claims->name);
    }
  if (claims->chair)
    {
      json_builder_set_member_name (body, "chair");
      json_builder_add_string_value (body, claims->chair);
    }
  if (claims->guest)
    {
      json_builder_set_member_name (body, "guest");
      json_builder_add_boolean_value (body, TRUE);
    }
  if (claims->link)
    {
      json_builder_set_member_name (body, "link");
      json_builder_add_boolean_value (body, TRUE);
    }
  json_builder_set_member_name (body, "exp");
  json_builder_add_int_value (body, claims->exp);
  if (claims->iat)
    {
      json_builder_set_member_name (body, "iat");
      json_builder_add_int_value (body, claims->iat);
    }
  json_builder_end_object (body);

  g_autoptr (JsonNode) hnode = json_builder_get_root (header);
  g_autoptr (JsonNode) bnode = json_builder_get_root (body);
  g_autofree gchar *h = jwt_json_b64 (hnode);
  g_autofree gchar *b = jwt_json_b64 (bnode);
  g_autofree gchar *input = g_strconcat (h, ".", b, NULL);
  g_autofree gchar *sig = jwt_hmac_b64 (secret, input);
  return g_strconcat (input, ".", sig, NULL);
}

static JsonObject *
jwt_decode_part (const gchar *part, JsonParser *parser, GError **error)
{
  gsize len = 0;
  g_autofree guint8 *raw = vc_base64url_decode (part, &len);

  if (raw == NULL || !g_utf8_validate ((const gchar *)raw, len, NULL)
      || !json_parser_load_from_data (parser, (const gchar *)raw, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, VC_JWT_ERROR, VC_JWT_ERROR_MALFORMED, "token part is not a JSON object");
      return NULL;
    }
  return json_node_get_object (json_parser_get_root (parser));
}

static const gchar *
jwt_get_string (JsonObject *o, const gchar *name)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

VcJwtClaims *
vc_jwt_verify (const gchar *token, const gchar *secret, gint64 now, GError **error)
{
  g_return_val_if_fail (secret != NULL, NULL);

  if (token == NULL || strlen (token) > 8192)
    {
      g_set_error (error, VC_JWT_ERROR, VC_JWT_ERROR_MALFORMED, "token missing or too long");
      return NULL;
    }
  g_auto (GStrv) parts = g_strsplit (token, ".", 4);
  if (g_strv_length (parts) != 3)
    {
      g_set_error (error, VC_JWT_ERROR, VC_JWT_ERROR_MALFORMED, "token must have three parts");
      return NULL;
    }

  g_autoptr (JsonParser) hparser = json_parser_new ();
  JsonObject *header = jwt_decode_part (parts[0], hparser, error);
  if (header == NULL)
    return NULL;
  if (g_strcmp0 (jwt_get_string (header, "alg"), "HS256") != 0)
    {
      g_set_error (error, VC_JWT_ERROR, VC_JWT_ERROR_MALFORMED, "token algorithm must be HS256");
      return NULL;
    }

  g_autofree gchar *input = g_strconcat (parts[0], ".", parts[1], NULL);
  g_autofree gchar *expected = jwt_hmac_b64 (secret, input);
  if (!vc_secret_equal (expected, parts[2]))
    {
      g_set_error (error, VC_JWT_ERROR, VC_JWT_ERROR_BAD_SIGNATURE, "token signature is invalid");
      return NULL;
    }

  g_autoptr (JsonParser) bparser = json_parser_new ();
  JsonObject *body = jwt_decode_part (parts[1], bparser, error);
  if (body == NULL)
    return NULL;

  const gchar *meeting = jwt_get_string (body, "meeting");
  const gchar *endpoint = jwt_get_string (body, "endpoint");
  JsonNode *exp = json_object_get_member (body, "exp");
  if (meeting == NULL || endpoint == NULL || exp == NULL || !JSON_NODE_HOLDS_VALUE (exp)
      || json_node_get_value_type (exp) != G_TYPE_INT64)
    {
      g_set_error (error, VC_JWT_ERROR, VC_JWT_ERROR_MALFORMED,
                   "token needs string meeting, string endpoint and integer exp");
      return NULL;
    }
  if (json_node_get_int (exp) <= now)
    {
      g_set_error (error, VC_JWT_ERROR, VC_JWT_ERROR_EXPIRED, "token has expired");
      return NULL;
    }

  g_autoptr (VcJwtClaims) claims = g_new0 (VcJwtClaims, 1);
  claims->meeting = g_strdup (meeting);
  claims->endpoint = g_strdup (endpoint);
  claims->name = g_strdup (jwt_get_string (body, "name"));
  claims->chair = g_strdup (jwt_get_string (body, "chair"));
  claims->exp = json_node_get_int (exp);
  JsonNode *guest = json_object_get_member (body, "guest");
  if (guest && JSON_NODE_HOLDS_VALUE (guest) && json_node_get_value_type (guest) == G_TYPE_BOOLEAN)
    claims->guest = json_node_get_boolean (guest);
  JsonNode *link = json_object_get_member (body, "link");
  if (link && JSON_NODE_HOLDS_VALUE (link) && json_node_get_value_type (link) == G_TYPE_BOOLEAN)
    claims->link = json_node_get_boolean (link);
  JsonNode *iat = json_object_get_member (body, "iat");
  if (iat && JSON_NODE_HOLDS_VALUE (iat) && json_node_get_value_type (iat) == G_TYPE_INT64)
    claims->iat = json_node_get_int (iat);
  return g_steal_pointer (&claims);
}
