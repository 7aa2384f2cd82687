/* fuzz-bridge-signal.c — signalling messages come from any participant: the
 * parser must refuse everything malformed with one of the three error codes,
 * never crash, and whatever it accepts must be well-formed. */
#include "bridge-signal.h"

#include <stdint.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const gchar *code = NULL;
  g_autofree gchar *detail = NULL;
  g_autoptr (BridgeSignalMessage) msg
      = bridge_signal_parse ((const gchar *)data, size, &code, &detail);

  if (msg == NULL)
    {
      g_assert (code != NULL && detail != NULL);
      g_assert (strcmp (code, "malformed") == 0 || strcmp (code, "too_large") == 0
                || strcmp (code, "unexpected") == 0);
      g_autofree gchar *reply = bridge_signal_build_error (code, detail);
      g_assert (reply != NULL);
      return 0;
    }
  switch (msg->type)
    {
      case BRIDGE_SIGNAL_ANSWER:
        g_assert (msg->sdp != NULL && g_str_has_prefix (msg->sdp, "v=0"));
        break;
      case BRIDGE_SIGNAL_ICE:
        g_assert (msg->candidate != NULL && msg->mline <= 1);
        break;
      case BRIDGE_SIGNAL_BYE:
        break;
    }
  return 0;
}
