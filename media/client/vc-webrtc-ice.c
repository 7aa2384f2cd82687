/* vc-webrtc-ice.c — restricting libnice's addresses, UPnP off. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-webrtc-ice.h"

GST_DEBUG_CATEGORY_STATIC (vc_media_ice_debug);
#define GST_CAT_DEFAULT vc_media_ice_debug

static void
vc_media_ice_debug_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (vc_media_ice_debug, "vc-media-ice", 0, "vc ICE address restriction");
      g_once_init_leave (&once, 1);
    }
}

/* libnice would otherwise look for UPnP gateways (SSDP multicast on every
 * interface) and ask them to open ports: never wanted on a government
 * network, and traffic off loopback in tests. */
static void
ice_disable_upnp (GObject *ice)
{
  g_autoptr (GObject) nice_agent = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent") == NULL)
    return;
  g_object_get (ice, "agent", &nice_agent, NULL);
  if (nice_agent != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (nice_agent), "upnp"))
    g_object_set (nice_agent, "upnp", FALSE, NULL);
}

gboolean
vc_webrtc_restrict_ice (GstElement *webrtcbin, const gchar *const *addresses)
{
  g_autoptr (GObject) agent = NULL;
  gboolean all_ok = TRUE;

  g_return_val_if_fail (GST_IS_ELEMENT (webrtcbin), FALSE);
  vc_media_ice_debug_init ();
  g_object_get (webrtcbin, "ice-agent", &agent, NULL);
  g_return_val_if_fail (agent != NULL, FALSE);
  ice_disable_upnp (agent);
  if (addresses == NULL || addresses[0] == NULL)
    return TRUE;
  for (gsize i = 0; addresses[i] != NULL; i++)
    {
      gboolean ok = FALSE;

      g_signal_emit_by_name (agent, "add-local-ip-address", addresses[i], &ok);
      if (!ok)
        {
          GST_WARNING ("ICE agent refused local address %s", addresses[i]);
          all_ok = FALSE;
        }
    }
  return all_ok;
}
