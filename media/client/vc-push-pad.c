/* vc-push-pad.c — the push pad: events, queries, its stream start. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-push-pad.h"

static gboolean
push_pad_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  gst_event_unref (event); /* upstream: nobody to tell */
  return TRUE;
}

static gboolean
push_pad_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  switch (GST_QUERY_TYPE (query))
    {
      case GST_QUERY_LATENCY:
        gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
        return TRUE;
      case GST_QUERY_CAPS:
        {
          g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
          GstCaps *filter = NULL;
          gst_query_parse_caps (query, &filter);
          if (caps == NULL)
            return FALSE;
          if (filter != NULL)
            {
              g_autoptr (GstCaps) both
                  = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
              gst_query_set_caps_result (query, both);
            }
          else
            gst_query_set_caps_result (query, caps);
          return TRUE;
        }
      default:
        return FALSE;
    }
}

GstPad *
vc_media_push_pad_new (const gchar *stream_id, GstCaps *caps)
{
  GstPad *pad = gst_pad_new (stream_id, GST_PAD_SRC);
  GstSegment segment;

  gst_pad_set_event_function (pad, push_pad_event);
  gst_pad_set_query_function (pad, push_pad_query);
  gst_pad_set_active (pad, TRUE);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  /* sticky: stored now, sent with the first buffer that gets through */
  gst_pad_push_event (pad, gst_event_new_stream_start (stream_id));
  gst_pad_push_event (pad, gst_event_new_caps (caps));
  gst_pad_push_event (pad, gst_event_new_segment (&segment));
  return pad;
}

GstClockTime
vc_media_running_time (GstElement *element, GstClockTime now)
{
  GstClockTime base = gst_element_get_base_time (element);

  if (!GST_CLOCK_TIME_IS_VALID (now) || !GST_CLOCK_TIME_IS_VALID (base) || now < base)
    return GST_CLOCK_TIME_NONE;
  return now - base;
}

void
vc_media_push_pad_start (GstPad *pad)
{
  static const GstEventType types[] = { GST_EVENT_STREAM_START, GST_EVENT_CAPS, GST_EVENT_SEGMENT };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GstEvent *event = gst_pad_get_sticky_event (pad, types[i], 0);
      if (event != NULL)
        gst_pad_push_event (pad, event);
    }
}
