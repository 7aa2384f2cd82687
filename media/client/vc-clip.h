/* vc-clip.h — the clip format: pre-encoded VP8 or Opus frames in memory,
 * read from and written to IVF-framed files, and encoded from test media
 * (the load generator's participants and the tests send clips). */
#pragma once

#include "vc-media-error.h"

#include <gst/gst.h>

G_BEGIN_DECLS

/* A clip: pre-encoded frames of one stream, each a GstBuffer whose PTS/duration
 * are relative to the clip start. Immutable once loaded; share it with a ref
 * (a g_atomic_rc_box). */
typedef struct
{
  gchar fourcc[5];     /* "VP80" or "OPUS" */
  guint width, height; /* video only */
  guint rate_num, rate_den;
  GPtrArray *frames; /* GstBuffer, in order */
  guint click_every; /* audio: frame i carries a click when i % click_every == 0; 0 = none */
  GstClockTime duration;
} VcMediaClip;

VcMediaClip *vc_media_clip_ref (VcMediaClip *clip);
void vc_media_clip_unref (VcMediaClip *clip);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VcMediaClip, vc_media_clip_unref)

/* IVF framing (32-byte header, 12-byte frame headers), fourcc VP80 or OPUS. */
VcMediaClip *vc_media_clip_load (const gchar *path, GError **error);
gboolean vc_media_clip_save (const VcMediaClip *clip, const gchar *path, GError **error);

/* Encodes @seconds of test media with GStreamer into a clip: video is
 * videotestsrc (scrolling SMPTE bars, which keeps a CBR encoder at its
 * target, like a camera) VP8 at @width x @height, @fps; audio is a sine of @freq Hz
 * at @volume (0..1), Opus 20 ms frames, with a full-scale 5 ms click every
 * @click_period seconds when @click_period > 0. Blocks: call at start-up. */
VcMediaClip *vc_media_clip_encode_video (guint width, guint height, guint fps, guint seconds,
                                         GError **error);
VcMediaClip *vc_media_clip_encode_audio (gdouble freq, gdouble volume, guint seconds,
                                         guint click_period, GError **error);

G_END_DECLS
