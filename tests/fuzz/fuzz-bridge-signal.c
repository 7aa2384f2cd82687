/* fuzz-bridge-signal.c — the bridge's signalling messages (media/client/
 * vc-signal.h) come from any participant, and the client reads the
 * bridge's: parsed as either end would, every input must be refused with
 * one of the three error codes or accepted well-formed, never crash, and
 * what is accepted must build back into text that parses to the same
 * message. Corpus: tests/fuzz/corpus/bridge-signal, every message type. */
#include "vc-signal.h"

#include <stdint.h>
#include <string.h>

static void
assert_same (const VcSignalMessage *a, const VcSignalMessage *b)
{
  g_assert (a->type == b->type);
  g_assert (g_strcmp0 (a->sdp, b->sdp) == 0);
  g_assert (g_strcmp0 (a->candidate, b->candidate) == 0);
  g_assert (a->mline == b->mline);
  g_assert (g_strcmp0 (a->reason, b->reason) == 0);
  g_assert (g_strcmp0 (a->code, b->code) == 0);
  g_assert (g_strcmp0 (a->message, b->message) == 0);
  g_assert (g_strcmp0 (a->active_speaker, b->active_speaker) == 0);
  g_assert (g_strcmp0 (a->layout, b->layout) == 0);
  g_assert (a->muted == b->muted && a->send_video == b->send_video);
  g_assert (a->video_width == b->video_width && a->video_height == b->video_height);
  g_assert (a->recording == b->recording);
  g_assert (g_strcmp0 (a->tree, b->tree) == 0);
  g_assert (g_strcmp0 (a->floor, b->floor) == 0 && a->floor_below == b->floor_below);
  g_assert ((a->rooms == NULL) == (b->rooms == NULL));
  if (a->rooms != NULL)
    g_assert (
        g_strv_equal ((const gchar *const *)a->rooms, (const gchar *const *)b->rooms)
        && g_strv_equal ((const gchar *const *)a->room_names, (const gchar *const *)b->room_names));
}

static void
check (const uint8_t *data, size_t size, VcSignalSender from)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VcSignalMessage) msg = vc_signal_parse ((const gchar *)data, size, from, NULL, &error);
  g_autoptr (VcSignalMessage) again = NULL;
  g_autofree gchar *text = NULL;

  if (msg == NULL)
    {
      g_autofree gchar *reply = NULL;
      g_assert (error != NULL && error->domain == VC_SIGNAL_ERROR);
      g_assert (error->code == VC_SIGNAL_ERROR_MALFORMED || error->code == VC_SIGNAL_ERROR_TOO_LARGE
                || error->code == VC_SIGNAL_ERROR_UNEXPECTED);
      reply = vc_signal_build_error (error->code, error->message);
      g_assert (reply != NULL);
      return;
    }
  g_assert (error == NULL);
  switch (msg->type)
    {
      case VC_SIGNAL_OFFER:
      case VC_SIGNAL_ANSWER:
        g_assert (msg->sdp != NULL && g_str_has_prefix (msg->sdp, "v=0"));
        g_assert ((msg->type == VC_SIGNAL_ANSWER) == (from == VC_SIGNAL_FROM_PEER));
        break;
      case VC_SIGNAL_ICE:
        g_assert (msg->candidate != NULL && msg->mline <= 1);
        break;
      case VC_SIGNAL_STATE:
        g_assert (from == VC_SIGNAL_FROM_BRIDGE);
        g_assert (msg->video_width <= G_MAXUINT16 && msg->video_height <= G_MAXUINT16);
        break;
      case VC_SIGNAL_ERROR_MESSAGE:
        g_assert (from == VC_SIGNAL_FROM_BRIDGE && msg->code != NULL && msg->message != NULL);
        break;
      case VC_SIGNAL_BYE:
        break;
      case VC_SIGNAL_LINK_STATE:
        g_assert (from == VC_SIGNAL_FROM_PEER && msg->rooms != NULL && msg->room_names != NULL);
        g_assert (g_strv_length (msg->rooms) <= VC_SIGNAL_MAX_LINK_ROOMS);
        g_assert (g_strv_length (msg->rooms) == g_strv_length (msg->room_names));
        break;
    }
  text = vc_signal_build (msg);
  again = vc_signal_parse (text, strlen (text), from, NULL, NULL);
  g_assert (again != NULL);
  assert_same (msg, again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  check (data, size, VC_SIGNAL_FROM_PEER);
  check (data, size, VC_SIGNAL_FROM_BRIDGE);
  return 0;
}
