/* vc-clip.c — clips: IVF load and save, encoding from videotestsrc and a
 * sine. The encoders run a short private pipeline to completion: call them
 * at start-up. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-clip.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <math.h>
#include <string.h>

VcMediaClip *
vc_media_clip_ref (VcMediaClip *clip)
{
  return g_atomic_rc_box_acquire (clip);
}

static void
clip_clear (gpointer data)
{
  VcMediaClip *clip = data;

  g_ptr_array_unref (clip->frames);
}

void
vc_media_clip_unref (VcMediaClip *clip)
{
  if (clip != NULL)
    g_atomic_rc_box_release_full (clip, clip_clear);
}

static VcMediaClip *
clip_new (const gchar *fourcc)
{
  VcMediaClip *clip = g_atomic_rc_box_new0 (VcMediaClip);

  memcpy (clip->fourcc, fourcc, 4);
  clip->frames = g_ptr_array_new_with_free_func ((GDestroyNotify)gst_buffer_unref);
  return clip;
}

static void
clip_finish (VcMediaClip *clip)
{
  /* VP8 frames say whether they are keyframes in their first bit (RFC 6386
   * 9.1: 0 = key frame); IVF files do not keep buffer flags. A sender that
   * resumes after a pause waits for one (vc-client-peer-pipeline.c). */
  for (guint i = 0; memcmp (clip->fourcc, "VP80", 4) == 0 && i < clip->frames->len; i++)
    {
      GstBuffer *buf = g_ptr_array_index (clip->frames, i);
      guint8 first = 0;
      if (gst_buffer_extract (buf, 0, &first, 1) == 1 && (first & 1) == 0)
        GST_BUFFER_FLAG_UNSET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
      else
        GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
    }
  if (clip->frames->len > 0)
    {
      GstBuffer *last = g_ptr_array_index (clip->frames, clip->frames->len - 1);
      clip->duration = GST_BUFFER_PTS (last) + GST_BUFFER_DURATION (last);
    }
}

static guint16
read_le16 (const guint8 *p)
{
  return (guint16)(p[0] | (p[1] << 8));
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static void
write_le16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
write_le32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

VcMediaClip *
vc_media_clip_load (const gchar *path, GError **error)
{
  g_autofree gchar *data = NULL;
  gsize len = 0, off = 32;
  g_autoptr (VcMediaClip) clip = NULL;
  const guint8 *p;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  p = (const guint8 *)data;
  if (len < 32 || memcmp (p, "DKIF", 4) != 0)
    {
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_CLIP, "%s: not an IVF file", path);
      return NULL;
    }
  clip = clip_new ((const gchar *)p + 8);
  clip->width = read_le16 (p + 12);
  clip->height = read_le16 (p + 14);
  clip->rate_num = read_le32 (p + 16);
  clip->rate_den = read_le32 (p + 20);
  clip->click_every = read_le32 (p + 28);
  while (off + 12 <= len)
    {
      guint32 size = read_le32 (p + off);
      guint64 pts = read_le32 (p + off + 4) | ((guint64)read_le32 (p + off + 8) << 32);
      GstBuffer *buf;

      if (off + 12 + size > len)
        break;
      buf = gst_buffer_new_memdup (p + off + 12, size);
      /* IVF timestamps are in 1/rate_num units; we store microseconds there. */
      GST_BUFFER_PTS (buf) = pts * GST_USECOND;
      g_ptr_array_add (clip->frames, buf);
      off += 12 + size;
    }
  for (guint i = 0; i < clip->frames->len; i++)
    {
      GstBuffer *buf = g_ptr_array_index (clip->frames, i);
      GstClockTime next
          = i + 1 < clip->frames->len
                ? GST_BUFFER_PTS ((GstBuffer *)g_ptr_array_index (clip->frames, i + 1))
                : GST_BUFFER_PTS (buf)
                      + gst_util_uint64_scale (GST_SECOND, clip->rate_den, clip->rate_num);
      GST_BUFFER_DURATION (buf) = next - GST_BUFFER_PTS (buf);
    }
  clip_finish (clip);
  return g_steal_pointer (&clip);
}

gboolean
vc_media_clip_save (const VcMediaClip *clip, const gchar *path, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint8 header[32] = { 0 };

  memcpy (header, "DKIF", 4);
  write_le16 (header + 6, 32);
  memcpy (header + 8, clip->fourcc, 4);
  write_le16 (header + 12, clip->width);
  write_le16 (header + 14, clip->height);
  write_le32 (header + 16, clip->rate_num);
  write_le32 (header + 20, clip->rate_den);
  write_le32 (header + 24, clip->frames->len);
  write_le32 (header + 28, clip->click_every);
  g_byte_array_append (out, header, sizeof header);
  for (guint i = 0; i < clip->frames->len; i++)
    {
      GstBuffer *buf = g_ptr_array_index (clip->frames, i);
      guint64 us = GST_BUFFER_PTS (buf) / GST_USECOND;
      guint8 fh[12];
      GstMapInfo map;

      gst_buffer_map (buf, &map, GST_MAP_READ);
      write_le32 (fh, map.size);
      write_le32 (fh + 4, us & 0xffffffff);
      write_le32 (fh + 8, us >> 32);
      g_byte_array_append (out, fh, sizeof fh);
      g_byte_array_append (out, map.data, map.size);
      gst_buffer_unmap (buf, &map);
    }
  return g_file_set_contents (path, (const gchar *)out->data, out->len, error);
}

/* Pulls every sample of @sink into @clip until EOS or an error on @pipeline. */
static gboolean
clip_collect (VcMediaClip *clip, GstElement *pipeline, GstElement *sink, GError **error)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  GstSample *sample;

  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstBuffer *buf = gst_buffer_copy_deep (gst_sample_get_buffer (sample));

      GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
      g_ptr_array_add (clip->frames, buf);
      gst_sample_unref (sample);
    }
  g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (msg != NULL)
    {
      g_autoptr (GError) gerr = NULL;
      gst_message_parse_error (msg, &gerr, NULL);
      g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE, "encoding clip: %s",
                   gerr->message);
      return FALSE;
    }
  clip_finish (clip);
  return TRUE;
}

VcMediaClip *
vc_media_clip_encode_video (guint width, guint height, guint fps, guint seconds, GError **error)
{
  /* 400 kbit/s at 640x360, in proportion to the pixels (at least 50) */
  guint bitrate = MAX (50000, (guint)(400000.0 * width * height / (640.0 * 360.0)));
  g_autofree gchar *desc = g_strdup_printf (
      "videotestsrc pattern=smpte horizontal-speed=4 num-buffers=%u ! video/x-raw,format=I420,"
      "width=%u,height=%u,"
      "framerate=%u/1 ! vp8enc deadline=1 cpu-used=8 end-usage=cbr target-bitrate=%u "
      "keyframe-max-dist=%u lag-in-frames=0 ! appsink name=sink sync=false",
      fps * seconds, width, height, fps, bitrate, fps);
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, error);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (VcMediaClip) clip = NULL;

  if (pipeline == NULL)
    return NULL;
  clip = clip_new ("VP80");
  clip->width = width;
  clip->height = height;
  clip->rate_num = fps;
  clip->rate_den = 1;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (!clip_collect (clip, pipeline, sink, error))
    return NULL;
  return g_steal_pointer (&clip);
}

/* Fills @seconds of 48 kHz mono S16 with the sine and periodic clicks. */
static GstBuffer *
clip_audio_pcm (gdouble freq, gdouble volume, guint seconds, guint click_period)
{
  gsize n = 48000 * (gsize)seconds;
  gint16 *pcm = g_new (gint16, n);

  for (gsize i = 0; i < n; i++)
    {
      gdouble v = volume * sin (2.0 * G_PI * freq * (gdouble)i / 48000.0);
      gsize in_period = click_period ? i % (48000 * (gsize)click_period) : n;

      if (click_period && in_period < 240)
        v = (in_period / 24) % 2 ? -0.9 : 0.9; /* 5 ms square burst */
      pcm[i] = (gint16)lrint (CLAMP (v, -1.0, 1.0) * 32767.0);
    }
  return gst_buffer_new_wrapped (pcm, n * sizeof (gint16));
}

VcMediaClip *
vc_media_clip_encode_audio (gdouble freq, gdouble volume, guint seconds, guint click_period,
                            GError **error)
{
  g_autoptr (GstElement) pipeline = gst_parse_launch (
      "appsrc name=src format=time caps=audio/x-raw,format=S16LE,rate=48000,channels=1,"
      "layout=interleaved ! opusenc frame-size=20 bitrate=32000 inband-fec=true "
      "packet-loss-percentage=10 ! appsink name=sink sync=false",
      error);
  g_autoptr (GstElement) src = NULL, sink = NULL;
  g_autoptr (VcMediaClip) clip = NULL;
  g_autoptr (GstBuffer) pcm = NULL;
  gsize frame_bytes = 960 * 2;

  if (pipeline == NULL)
    return NULL;
  clip = clip_new ("OPUS");
  clip->rate_num = 50;
  clip->rate_den = 1;
  clip->click_every = click_period * 50;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  pcm = clip_audio_pcm (freq, volume, seconds, click_period);
  for (gsize off = 0; off + frame_bytes <= gst_buffer_get_size (pcm); off += frame_bytes)
    {
      GstBuffer *frame = gst_buffer_copy_region (pcm, GST_BUFFER_COPY_MEMORY, off, frame_bytes);

      GST_BUFFER_PTS (frame) = gst_util_uint64_scale (off / 2, GST_SECOND, 48000);
      GST_BUFFER_DURATION (frame) = 20 * GST_MSECOND;
      gst_app_src_push_buffer (GST_APP_SRC (src), frame);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  if (!clip_collect (clip, pipeline, sink, error))
    return NULL;
  return g_steal_pointer (&clip);
}
