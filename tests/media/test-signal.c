/* test-signal.c — the signalling codec (media/client/vc-signal.h): every
 * message type parsed in the direction it travels and refused in the other,
 * every member checked (the error names it), the three error codes, the
 * builders' exact text, and build → parse round trips. */
#include "vc-signal.h"

#include <string.h>

static VcSignalMessage *
parse (const gchar *text, VcSignalSender from)
{
  g_autoptr (GError) error = NULL;
  VcSignalMessage *msg = vc_signal_parse (text, strlen (text), from, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (msg);
  return msg;
}

/* Refused with @code, and the error's message contains @names (a member, or
 * NULL). */
static void
assert_refused_len (const gchar *text, gsize len, VcSignalSender from, VcSignalError code,
                    const gchar *names)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (vc_signal_parse (text, len, from, NULL, &error));
  g_assert_error (error, VC_SIGNAL_ERROR, (gint)code);
  if (names != NULL && strstr (error->message, names) == NULL)
    g_error ("'%s' refused with \"%s\", which does not name %s", text, error->message, names);
}

static void
assert_refused (const gchar *text, VcSignalSender from, VcSignalError code, const gchar *names)
{
  assert_refused_len (text, strlen (text), from, code, names);
}

/* What the bridge used to refuse (bridge-signal.c), with the same codes. */
static void
test_signal_refused (void)
{
  g_autofree gchar *big = g_strnfill (70 * 1024, ' ');

  assert_refused ("nope", VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "JSON");
  assert_refused ("[1,2]", VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "JSON object");
  assert_refused ("{\"type\":3}", VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "'type'");
  assert_refused ("{\"type\":\"answer\"}", VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED,
                  "answer: 'sdp'");
  assert_refused ("{\"type\":\"answer\",\"sdp\":\"x=1\"}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'sdp'");
  assert_refused ("{\"type\":\"ice\",\"candidate\":\"x\",\"sdpMLineIndex\":7}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'sdpMLineIndex'");
  assert_refused ("{\"type\":\"ice\",\"candidate\":\"x\",\"sdpMLineIndex\":-1}",
                  VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "'sdpMLineIndex'");
  assert_refused ("{\"type\":\"ice\",\"candidate\":\"x\",\"sdpMLineIndex\":0.5}",
                  VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "'sdpMLineIndex'");
  assert_refused ("{\"type\":\"ice\",\"candidate\":\"x\"}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'sdpMLineIndex'");
  assert_refused ("{\"type\":\"ice\",\"candidate\":5,\"sdpMLineIndex\":0}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'candidate'");
  assert_refused ("{\"type\":\"bye\",\"reason\":[]}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'reason'");
  assert_refused ("{\"type\":\"offer\",\"sdp\":\"v=0\"}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_UNEXPECTED, "offer");
  assert_refused ("{\"type\":\"hello\"}", VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_UNEXPECTED, NULL);
  assert_refused (big, VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_TOO_LARGE, "64 KiB");
  assert_refused_len ("{\"type\":\"bye\"\xff}", 14, VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED,
                      NULL);
  /* a NUL inside the length is not text */
  assert_refused_len ("{\"type\":\"bye\"}\0x", 16, VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED,
                      NULL);
  g_assert_cmpstr (vc_signal_error_to_code (VC_SIGNAL_ERROR_MALFORMED), ==, "malformed");
  g_assert_cmpstr (vc_signal_error_to_code (VC_SIGNAL_ERROR_TOO_LARGE), ==, "too_large");
  g_assert_cmpstr (vc_signal_error_to_code (VC_SIGNAL_ERROR_UNEXPECTED), ==, "unexpected");
}

/* Each end accepts exactly what the other sends. */
static void
test_signal_directions (void)
{
  static const struct
  {
    const gchar *text;
    VcSignalType type;
    gboolean from_peer, from_bridge;
  } cases[] = {
    { "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}", VC_SIGNAL_OFFER, FALSE, TRUE },
    { "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}", VC_SIGNAL_ANSWER, TRUE, FALSE },
    { "{\"type\":\"ice\",\"candidate\":\"\",\"sdpMLineIndex\":0}", VC_SIGNAL_ICE, TRUE, TRUE },
    { "{\"type\":\"state\"}", VC_SIGNAL_STATE, FALSE, TRUE },
    { "{\"type\":\"bye\"}", VC_SIGNAL_BYE, TRUE, TRUE },
    { "{\"type\":\"error\",\"code\":\"malformed\"}", VC_SIGNAL_ERROR_MESSAGE, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint from = VC_SIGNAL_FROM_PEER; from <= VC_SIGNAL_FROM_BRIDGE; from++)
      {
        gboolean accepted = from == VC_SIGNAL_FROM_PEER ? cases[i].from_peer : cases[i].from_bridge;
        g_autoptr (GError) error = NULL;
        VcSignalType type = (VcSignalType)-1;
        g_autoptr (VcSignalMessage) msg = vc_signal_parse (cases[i].text, strlen (cases[i].text),
                                                           (VcSignalSender)from, &type, &error);

        if (accepted)
          {
            g_assert_no_error (error);
            g_assert_cmpint (msg->type, ==, cases[i].type);
            g_assert_cmpint (type, ==, cases[i].type);
          }
        else
          {
            g_assert_null (msg);
            g_assert_error (error, VC_SIGNAL_ERROR, VC_SIGNAL_ERROR_UNEXPECTED);
            g_assert_cmpint (type, ==, (VcSignalType)-1); /* refused before the members */
          }
      }
}

static void
test_signal_members (void)
{
  g_autoptr (VcSignalMessage) ice
      = parse ("{\"type\":\"ice\",\"candidate\":\"candidate:1 1 UDP 1 127.0.0.1 5 typ host\","
               "\"sdpMLineIndex\":1,\"usernameFragment\":\"ignored\"}",
               VC_SIGNAL_FROM_PEER);
  g_autoptr (VcSignalMessage) state
      = parse ("{\"type\":\"state\",\"active_speaker\":\"A\",\"layout\":\"grid\",\"muted\":true,"
               "\"send_video\":false,\"video_width\":320,\"video_height\":180,\"recording\":true}",
               VC_SIGNAL_FROM_BRIDGE);
  g_autoptr (VcSignalMessage) defaults
      = parse ("{\"type\":\"state\",\"active_speaker\":null}", VC_SIGNAL_FROM_BRIDGE);
  g_autoptr (VcSignalMessage) error
      = parse ("{\"type\":\"error\",\"code\":\"too_large\"}", VC_SIGNAL_FROM_BRIDGE);
  g_autoptr (VcSignalMessage) bye
      = parse ("{\"type\":\"bye\",\"reason\":\"replaced\"}", VC_SIGNAL_FROM_BRIDGE);
  VcSignalType type = VC_SIGNAL_BYE;

  g_assert_cmpstr (ice->candidate, ==, "candidate:1 1 UDP 1 127.0.0.1 5 typ host");
  g_assert_cmpuint (ice->mline, ==, 1);
  g_assert_cmpstr (state->active_speaker, ==, "A");
  g_assert_cmpstr (state->layout, ==, "grid");
  g_assert_true (state->muted);
  g_assert_false (state->send_video);
  g_assert_cmpuint (state->video_width, ==, 320);
  g_assert_cmpuint (state->video_height, ==, 180);
  g_assert_true (state->recording);
  g_assert_null (defaults->active_speaker);
  g_assert_null (defaults->layout);
  g_assert_false (defaults->muted);
  g_assert_true (defaults->send_video);
  g_assert_cmpuint (defaults->video_width, ==, 0);
  g_assert_false (defaults->recording);
  g_assert_cmpstr (error->code, ==, "too_large");
  g_assert_cmpstr (error->message, ==, "");
  g_assert_cmpstr (bye->reason, ==, "replaced");

  assert_refused ("{\"type\":\"state\",\"send_video\":1}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'send_video'");
  assert_refused ("{\"type\":\"state\",\"muted\":\"no\"}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'muted'");
  assert_refused ("{\"type\":\"state\",\"recording\":1}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'recording'");
  assert_refused ("{\"type\":\"state\",\"video_width\":70000}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'video_width'");
  /* a link's tree of rooms (docs/protocol.md §5): a string */
  assert_refused ("{\"type\":\"state\",\"tree\":[\"b1/10\"]}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'tree'");
  {
    g_autoptr (VcSignalMessage) linked
        = parse ("{\"type\":\"state\",\"tree\":\"b1/10 b2/20\"}", VC_SIGNAL_FROM_BRIDGE);
    g_autofree gchar *text
        = vc_signal_build_link_state (NULL, "grid", FALSE, TRUE, 0, 0, FALSE, "b1/10");
    g_autoptr (VcSignalMessage) back = parse (text, VC_SIGNAL_FROM_BRIDGE);
    g_assert_cmpstr (linked->tree, ==, "b1/10 b2/20");
    g_assert_cmpstr (back->tree, ==, "b1/10");
    g_assert_nonnull (strstr (text, "\"tree\":\"b1/10\""));
  }
  assert_refused ("{\"type\":\"state\",\"video_height\":-2}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'video_height'");
  assert_refused ("{\"type\":\"state\",\"active_speaker\":4}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'active_speaker'");
  assert_refused ("{\"type\":\"state\",\"layout\":false}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'layout'");
  assert_refused ("{\"type\":\"error\",\"message\":\"x\"}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'code'");
  assert_refused ("{\"type\":\"error\",\"code\":\"x\",\"message\":1}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'message'");
  assert_refused ("{\"type\":\"offer\",\"sdp\":null}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "offer: 'sdp'");
  /* the type is told even when the members are refused */
  g_assert_null (vc_signal_parse ("{\"type\":\"offer\"}", 16, VC_SIGNAL_FROM_BRIDGE, &type, NULL));
  g_assert_cmpint (type, ==, VC_SIGNAL_OFFER);
}

static void
test_signal_build (void)
{
  g_autofree gchar *err = vc_signal_build_error (VC_SIGNAL_ERROR_MALFORMED, "bad \"quote\"");
  g_autofree gchar *offer = vc_signal_build_offer ("v=0\r\n");
  g_autofree gchar *answer = vc_signal_build_answer ("v=0\r\n");
  g_autofree gchar *ice = vc_signal_build_ice ("candidate:1", 1);
  g_autofree gchar *bye = vc_signal_build_bye ("leaving");
  g_autofree gchar *bye_bare = vc_signal_build_bye (NULL);
  g_autofree gchar *state = vc_signal_build_state (NULL, "speaker", FALSE, TRUE, 640, 360, FALSE);

  g_assert_cmpstr (err, ==,
                   "{\"type\":\"error\",\"code\":\"malformed\",\"message\":\"bad \\\"quote\\\"\"}");
  g_assert_cmpstr (offer, ==, "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}");
  g_assert_cmpstr (answer, ==, "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}");
  g_assert_cmpstr (ice, ==, "{\"type\":\"ice\",\"candidate\":\"candidate:1\",\"sdpMLineIndex\":1}");
  g_assert_cmpstr (bye, ==, "{\"type\":\"bye\",\"reason\":\"leaving\"}");
  g_assert_cmpstr (bye_bare, ==, "{\"type\":\"bye\"}");
  g_assert_cmpstr (state, ==,
                   "{\"type\":\"state\",\"active_speaker\":null,\"layout\":\"speaker\","
                   "\"muted\":false,\"send_video\":true,\"video_width\":640,\"video_height\":360,"
                   "\"recording\":false}");
}

/* A tree of bridges (docs/protocol.md §5): the floor in state, the child's
 * link_state up, each refused in the wrong direction and member by member. */
static void
test_signal_tree (void)
{
  static const gchar *const rooms[] = { "a1", "xa-c", "a2", NULL };
  static const gchar *const names[] = { "UBND huyện A", "Xã C", "", NULL };
  g_autofree gchar *floor_text
      = vc_signal_build_floor_state ("b1", "speaker", FALSE, TRUE, 0, 0, FALSE, "i/10", "b1", TRUE);
  g_autofree gchar *plain_text
      = vc_signal_build_floor_state (NULL, "grid", FALSE, TRUE, 0, 0, FALSE, NULL, "b1", FALSE);
  g_autofree gchar *report_text = vc_signal_build_link_report ("xa-c", rooms, names);
  g_autofree gchar *empty_text = vc_signal_build_link_report (NULL, rooms + 3, names + 3);
  g_autoptr (VcSignalMessage) floor = parse (floor_text, VC_SIGNAL_FROM_BRIDGE);
  g_autoptr (VcSignalMessage) plain = parse (plain_text, VC_SIGNAL_FROM_BRIDGE);
  g_autoptr (VcSignalMessage) report = parse (report_text, VC_SIGNAL_FROM_PEER);
  g_autoptr (VcSignalMessage) empty = parse (empty_text, VC_SIGNAL_FROM_PEER);
  g_autoptr (VcSignalMessage) unnamed = parse (
      "{\"type\":\"link_state\",\"rooms\":[{\"endpoint\":\"x\"}],\"more\":1}", VC_SIGNAL_FROM_PEER);
  g_autofree gchar *again = vc_signal_build (report);
  g_autofree gchar *long_code = g_strnfill (VC_SIGNAL_MAX_ENDPOINT_LEN + 1, 'x');
  g_autofree gchar *too_long
      = g_strdup_printf ("{\"type\":\"link_state\",\"rooms\":[{\"endpoint\":\"%s\"}]}", long_code);
  g_autoptr (GString) too_many = g_string_new ("{\"type\":\"link_state\",\"rooms\":[");

  g_assert_cmpstr (floor->floor, ==, "b1");
  g_assert_true (floor->floor_below);
  g_assert_cmpstr (floor->active_speaker, ==, "b1");
  g_assert_nonnull (strstr (floor_text, "\"floor\":\"b1\",\"floor_below\":true"));
  g_assert_cmpstr (plain->floor, ==, "b1");
  g_assert_false (plain->floor_below);
  g_assert_null (strstr (plain_text, "floor_below")); /* only said when true */
  g_assert_cmpstr (report_text, ==,
                   "{\"type\":\"link_state\",\"active_speaker\":\"xa-c\",\"rooms\":["
                   "{\"endpoint\":\"a1\",\"name\":\"UBND huyện A\"},"
                   "{\"endpoint\":\"xa-c\",\"name\":\"Xã C\"},"
                   "{\"endpoint\":\"a2\",\"name\":\"\"}]}");
  g_assert_cmpstr (report->active_speaker, ==, "xa-c");
  g_assert_true (g_strv_equal ((const gchar *const *)report->rooms, rooms));
  g_assert_true (g_strv_equal ((const gchar *const *)report->room_names, names));
  g_assert_cmpstr (again, ==, report_text);
  g_assert_nonnull (empty->rooms);
  g_assert_cmpuint (g_strv_length (empty->rooms), ==, 0);
  g_assert_null (empty->active_speaker);
  g_assert_cmpstr (unnamed->room_names[0], ==, "");
  /* each way only */
  assert_refused (report_text, VC_SIGNAL_FROM_BRIDGE, VC_SIGNAL_ERROR_UNEXPECTED, "link_state");
  /* members */
  assert_refused ("{\"type\":\"state\",\"floor\":1}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'floor'");
  assert_refused ("{\"type\":\"state\",\"floor_below\":\"yes\"}", VC_SIGNAL_FROM_BRIDGE,
                  VC_SIGNAL_ERROR_MALFORMED, "'floor_below'");
  assert_refused ("{\"type\":\"link_state\"}", VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED,
                  "link_state: 'rooms'");
  assert_refused ("{\"type\":\"link_state\",\"rooms\":{}}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'rooms'");
  assert_refused ("{\"type\":\"link_state\",\"rooms\":[\"a1\"]}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'rooms'");
  assert_refused ("{\"type\":\"link_state\",\"rooms\":[{\"endpoint\":\"\"}]}", VC_SIGNAL_FROM_PEER,
                  VC_SIGNAL_ERROR_MALFORMED, "'rooms'");
  assert_refused ("{\"type\":\"link_state\",\"rooms\":[{\"endpoint\":\"a\",\"name\":2}]}",
                  VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "'rooms'");
  assert_refused ("{\"type\":\"link_state\",\"rooms\":[],\"active_speaker\":3}",
                  VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "'active_speaker'");
  assert_refused (too_long, VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "'rooms'");
  for (guint i = 0; i <= VC_SIGNAL_MAX_LINK_ROOMS; i++)
    g_string_append_printf (too_many, "%s{\"endpoint\":\"r%u\"}", i ? "," : "", i);
  g_string_append (too_many, "]}");
  assert_refused (too_many->str, VC_SIGNAL_FROM_PEER, VC_SIGNAL_ERROR_MALFORMED, "'rooms'");
}

/* What one end builds, the other parses back to the same values. */
static void
test_signal_round_trip (void)
{
  g_autofree gchar *state_text
      = vc_signal_build_state ("QN-01", "grid", TRUE, FALSE, 160, 90, TRUE);
  g_autofree gchar *ice_text = vc_signal_build_ice ("candidate:2 1 UDP 9 127.0.0.1 7 typ host", 0);
  g_autofree gchar *answer_text = vc_signal_build_answer ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n");
  g_autoptr (VcSignalMessage) state = parse (state_text, VC_SIGNAL_FROM_BRIDGE);
  g_autoptr (VcSignalMessage) ice = parse (ice_text, VC_SIGNAL_FROM_BRIDGE);
  g_autoptr (VcSignalMessage) answer = parse (answer_text, VC_SIGNAL_FROM_PEER);
  g_autofree gchar *again = vc_signal_build (state);

  g_assert_cmpstr (state->active_speaker, ==, "QN-01");
  g_assert_true (state->muted);
  g_assert_false (state->send_video);
  g_assert_cmpuint (state->video_height, ==, 90);
  g_assert_true (state->recording);
  g_assert_cmpuint (ice->mline, ==, 0);
  g_assert_cmpstr (answer->sdp, ==, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n");
  g_assert_cmpstr (again, ==, state_text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signal/refused", test_signal_refused);
  g_test_add_func ("/signal/directions", test_signal_directions);
  g_test_add_func ("/signal/members", test_signal_members);
  g_test_add_func ("/signal/build", test_signal_build);
  g_test_add_func ("/signal/round-trip", test_signal_round_trip);
  g_test_add_func ("/signal/tree", test_signal_tree);
  return g_test_run ();
}
