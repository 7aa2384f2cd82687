/* test-janus-message.c — the Janus WebSocket API codec (vc-janus-message.h):
 * what Janus sends is read right or refused with the member named, and what
 * the adapter sends has the members Janus expects. */
#include "vc-janus-message.h"

#include <json-glib/json-glib.h>
#include <string.h>

static VcJanusMessage *
parse (const gchar *text, GError **error)
{
  return vc_janus_message_parse (text, strlen (text), error);
}

static void
test_success (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJanusMessage) m = parse (
      "{\"janus\":\"success\",\"transaction\":\"create\",\"data\":{\"id\":8542967948975971}}",
      &error);

  g_assert_no_error (error);
  g_assert_cmpint (m->kind, ==, VC_JANUS_SUCCESS);
  g_assert_cmpstr (m->transaction, ==, "create");
  g_assert_cmpint (m->id, ==, G_GINT64_CONSTANT (8542967948975971));
  g_assert_null (m->jsep_sdp);
}

static void
test_joined_with_offer (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJanusMessage) m = parse (
      "{\"janus\":\"event\",\"session_id\":1,\"transaction\":\"join-2\",\"sender\":2,"
      "\"plugindata\":{\"plugin\":\"janus.plugin.audiobridge\",\"data\":{\"audiobridge\":"
      "\"joined\",\"room\":1234,\"id\":3,\"participants\":[]}},"
      "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n\"}}",
      &error);

  g_assert_no_error (error);
  g_assert_cmpint (m->kind, ==, VC_JANUS_EVENT);
  g_assert_cmpstr (m->plugin, ==, "janus.plugin.audiobridge");
  g_assert_cmpstr (m->plugin_event, ==, "joined");
  g_assert_cmpint (m->error_code, ==, 0);
  g_assert_cmpstr (m->jsep_type, ==, "offer");
  g_assert_true (g_str_has_prefix (m->jsep_sdp, "v=0\r\nm=audio"));
}

static void
test_refusals (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJanusMessage) plugin_error = parse (
      "{\"janus\":\"event\",\"plugindata\":{\"plugin\":\"janus.plugin.audiobridge\","
      "\"data\":{\"audiobridge\":\"event\",\"error_code\":485,\"error\":\"No such room\"}}}",
      &error);
  g_autoptr (VcJanusMessage) core_error
      = parse ("{\"janus\":\"error\",\"transaction\":\"attach-1\","
               "\"error\":{\"code\":458,\"reason\":\"No such session\"}}",
               NULL);
  g_autoptr (VcJanusMessage) hangup = parse (
      "{\"janus\":\"hangup\",\"session_id\":1,\"sender\":2,\"reason\":\"DTLS alert\"}", NULL);
  g_autoptr (VcJanusMessage) timeout = parse ("{\"janus\":\"timeout\",\"session_id\":1}", NULL);
  g_autoptr (VcJanusMessage) notice = parse ("{\"janus\":\"webrtcup\",\"session_id\":1}", NULL);

  g_assert_no_error (error);
  g_assert_cmpint (plugin_error->kind, ==, VC_JANUS_EVENT);
  g_assert_cmpint (plugin_error->error_code, ==, 485);
  g_assert_cmpstr (plugin_error->reason, ==, "No such room");
  g_assert_cmpint (core_error->kind, ==, VC_JANUS_ERROR_REPLY);
  g_assert_cmpint (core_error->error_code, ==, 458);
  g_assert_cmpstr (core_error->reason, ==, "No such session");
  g_assert_cmpint (hangup->kind, ==, VC_JANUS_HANGUP);
  g_assert_cmpstr (hangup->reason, ==, "DTLS alert");
  g_assert_cmpint (timeout->kind, ==, VC_JANUS_TIMEOUT);
  g_assert_cmpint (notice->kind, ==, VC_JANUS_NOTICE);
  g_assert_cmpstr (notice->janus, ==, "webrtcup");
}

static void
expect_malformed (const gchar *text, const gchar *member)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcJanusMessage) m = parse (text, &error);

  g_assert_null (m);
  g_assert_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_MALFORMED);
  if (member != NULL && strstr (error->message, member) == NULL)
    g_error ("'%s' does not name %s", error->message, member);
}

static void
test_malformed (void)
{
  g_autofree gchar *big = g_strnfill (VC_JANUS_MAX_MESSAGE + 1, ' ');
  g_autoptr (GError) error = NULL;

  expect_malformed ("", NULL);
  expect_malformed ("[1,2]", NULL);
  expect_malformed ("{\"transaction\":\"x\"}", "janus");
  expect_malformed ("{\"janus\":7}", "janus");
  expect_malformed ("{\"janus\":\"success\",\"data\":{\"id\":\"12\"}}", "data.id");
  expect_malformed ("{\"janus\":\"success\",\"data\":[]}", "data");
  expect_malformed ("{\"janus\":\"error\",\"error\":{\"code\":1,\"reason\":5}}", "error.reason");
  expect_malformed ("{\"janus\":\"event\",\"plugindata\":{\"data\":{\"error_code\":\"x\"}}}",
                    "plugindata.data.error_code");
  expect_malformed ("{\"janus\":\"event\",\"jsep\":{\"type\":\"offer\"}}", "jsep");
  expect_malformed ("{\"janus\":\"event\",\"jsep\":{\"type\":\"offer\",\"sdp\":\"hello\"}}",
                    "jsep");
  g_assert_null (vc_janus_message_parse (big, strlen (big), &error));
  g_assert_error (error, VC_JANUS_ERROR, VC_JANUS_ERROR_TOO_LARGE);
}

/* @text as a JSON object (the test's own reading of what was built) */
static JsonObject *
object_of (JsonParser *parser, const gchar *text)
{
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_builders (void)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autofree gchar *join = vc_janus_build_join ("join-2", 11, 22, 1234, "bench-07");
  g_autofree gchar *configure = vc_janus_build_configure_answer ("configure-3", 11, 22, "v=0\r\n");
  g_autofree gchar *trickle
      = vc_janus_build_trickle ("t-4", 11, 22, "candidate:1 1 UDP 1 127.0.0.1 5 typ host", 0);
  g_autofree gchar *done = vc_janus_build_trickle ("t-5", 11, 22, "", 0);
  g_autofree gchar *keepalive = vc_janus_build_keepalive ("k-6", 11);
  JsonObject *o, *body;

  o = object_of (p, join);
  g_assert_cmpstr (json_object_get_string_member (o, "janus"), ==, "message");
  g_assert_cmpint (json_object_get_int_member (o, "session_id"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (o, "handle_id"), ==, 22);
  body = json_object_get_object_member (o, "body");
  g_assert_cmpstr (json_object_get_string_member (body, "request"), ==, "join");
  g_assert_cmpint (json_object_get_int_member (body, "room"), ==, 1234);
  g_assert_cmpstr (json_object_get_string_member (body, "display"), ==, "bench-07");
  g_assert_true (json_object_get_boolean_member (body, "generate_offer"));

  o = object_of (p, configure);
  body = json_object_get_object_member (o, "body");
  g_assert_cmpstr (json_object_get_string_member (body, "request"), ==, "configure");
  body = json_object_get_object_member (o, "jsep");
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "answer");
  g_assert_cmpstr (json_object_get_string_member (body, "sdp"), ==, "v=0\r\n");

  o = object_of (p, trickle);
  g_assert_cmpstr (json_object_get_string_member (o, "janus"), ==, "trickle");
  body = json_object_get_object_member (o, "candidate");
  g_assert_cmpint (json_object_get_int_member (body, "sdpMLineIndex"), ==, 0);
  g_assert_true (
      g_str_has_prefix (json_object_get_string_member (body, "candidate"), "candidate:1"));
  o = object_of (p, done);
  body = json_object_get_object_member (o, "candidate");
  g_assert_true (json_object_get_boolean_member (body, "completed"));
  g_assert_false (json_object_has_member (body, "candidate"));

  o = object_of (p, keepalive);
  g_assert_cmpstr (json_object_get_string_member (o, "janus"), ==, "keepalive");
  g_assert_cmpstr (json_object_get_string_member (o, "transaction"), ==, "k-6");
  g_assert_false (json_object_has_member (o, "handle_id"));
}

static void
test_error_domain_name (void)
{
  g_assert_cmpstr (g_quark_to_string (VC_JANUS_ERROR), ==, "vc-janus-error-quark");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/janus-message/success", test_success);
  g_test_add_func ("/janus-message/joined-with-offer", test_joined_with_offer);
  g_test_add_func ("/janus-message/refusals", test_refusals);
  g_test_add_func ("/janus-message/malformed", test_malformed);
  g_test_add_func ("/janus-message/builders", test_builders);
  g_test_add_func ("/janus-message/error-domain", test_error_domain_name);
  return g_test_run ();
}
