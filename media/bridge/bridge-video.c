/* bridge-video.c — compositor, tiles and the single VP8 encoder of a room. */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-video.h"

#include "bridge-label.h"
#include "vc-media.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (bridge_video_debug);
#define GST_CAT_DEFAULT bridge_video_debug

/* A tile's name as its overlaycomposition blends it. Drawn on the main
 * thread (bridge-label.h: Pango is used there only), read by the tile's
 * streaming thread. Reference-counted (g_atomic_rc_box): the element's
 * signal handlers hold references, and the tile's bin stops off the main
 * thread after the tile is gone. */
typedef struct
{
  GMainContext *context; /* where it is drawn */
  gchar *font;           /* main thread */
  gchar *name;           /* main thread */

  GMutex lock;                             /* protects everything below */
  GstVideoOverlayComposition *composition; /* NULL: nothing to blend */
  guint drawn_width, drawn_height;         /* the frame size it was drawn for */
  guint frame_width, frame_height;         /* negotiated ("caps-changed") */
  gboolean redraw_pending;
} TileLabel;

typedef struct
{
  gchar *endpoint;
  GstElement *bin; /* appsrc ! vp8dec ! ... ! queue, ghost "src" */
  GstElement *appsrc;
  GstElement *scale_caps;
  GstPad *decoded; /* vp8dec's output: the size the sender sends */
  TileLabel *label;
  GstPad *comp_pad;
  BridgeTile tile;
  gboolean needs_keyframe; /* lock */
  guint64 frames;          /* lock: frames given to the decoder */
} VideoTile;

typedef struct
{
  GstPad *pad;          /* into the listener's payloader (vc_media_push_pad_new) */
  GstElement *pipeline; /* the listener's: its base time */
  gboolean needs_keyframe;
} VideoOutput;

typedef struct
{
  GstPad *pad;
  GstClockTime pts;
} VideoTarget;

struct _BridgeVideo
{
  gchar *room_id;
  gchar *font;
  GMainContext *context;
  GstElement *pipeline;
  GstElement *compositor;
  GstPad *encoder_src;
  guint bus_watch;
  VcMediaThreadPriority priority; /* given to the compositor and encoder threads */
  GstClock *clock;                /* the system clock, which every peer pipeline uses */
  guint width, height;            /* the composite's */

  GMutex lock;                      /* protects everything below */
  GHashTable *tiles;                /* endpoint -> VideoTile */
  GHashTable *outputs;              /* endpoint -> VideoOutput */
  gint64 keyframe_min_interval_us;  /* the limiter's spacing ([video] keyframe_min_interval_ms) */
  gint64 join_keyframe_interval_us; /* the same for joins ([video] join_keyframe_interval_ms) */
  gint64 last_keyframe_us;
  GSource *keyframe_timer;
  guint64 frames_encoded;
  guint64 keyframes_requested;
  BridgeVideoTap tap; /* the recorder's (bridge-record.h), or NULL */
  gpointer tap_data;
  GMutex tap_lock;                  /* held while the tap runs, so that removing it waits */
  GstVideoOverlayComposition *mark; /* shown while recording, or NULL */
};

/* ---- keyframes ---- */

/* lock held */
static void
video_send_keyframe_request (BridgeVideo *video)
{
  video->last_keyframe_us = g_get_monotonic_time ();
  video->keyframes_requested++;
  gst_pad_send_event (video->encoder_src,
                      gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE,
                                                                   video->keyframes_requested));
}

/* main thread (timer) */
static gboolean
on_keyframe_timer (gpointer data)
{
  BridgeVideo *video = data;
  GSource *self = g_main_current_source ();

  g_mutex_lock (&video->lock);
  if (video->keyframe_timer != self) /* brought forward meanwhile: another one answers */
    {
      g_mutex_unlock (&video->lock);
      return G_SOURCE_REMOVE;
    }
  g_clear_pointer (&video->keyframe_timer, g_source_unref);
  video_send_keyframe_request (video);
  g_mutex_unlock (&video->lock);
  return G_SOURCE_REMOVE;
}

/* At most one keyframe per @interval_us: at once after a quiet interval,
 * otherwise at its end (requests in between merged into that one). A
 * shorter interval (a join) brings a pending keyframe forward. */
static void
video_request_keyframe_within (BridgeVideo *video, gint64 interval_us)
{
  gint64 since, due_ms;

  g_mutex_lock (&video->lock);
  since = g_get_monotonic_time () - video->last_keyframe_us;
  if (since >= interval_us)
    {
      if (video->keyframe_timer != NULL) /* this one answers it */
        {
          g_source_destroy (video->keyframe_timer);
          g_clear_pointer (&video->keyframe_timer, g_source_unref);
        }
      video_send_keyframe_request (video);
    }
  else
    {
      due_ms = (interval_us - since) / 1000 + 1;
      if (video->keyframe_timer != NULL
          && g_source_get_ready_time (video->keyframe_timer)
                 > g_get_monotonic_time () + due_ms * 1000)
        {
          g_source_destroy (video->keyframe_timer);
          g_clear_pointer (&video->keyframe_timer, g_source_unref);
        }
      if (video->keyframe_timer == NULL)
        {
          video->keyframe_timer = g_timeout_source_new ((guint)due_ms);
          g_source_set_callback (video->keyframe_timer, on_keyframe_timer, video, NULL);
          g_source_attach (video->keyframe_timer, video->context);
        }
    }
  g_mutex_unlock (&video->lock);
}

void
bridge_video_request_keyframe (BridgeVideo *video)
{
  video_request_keyframe_within (video, video->keyframe_min_interval_us);
}

/* ---- distribution (encoder appsink streaming thread) ---- */

static GstFlowReturn
on_encoded_frame (GstAppSink *sink, gpointer data)
{
  BridgeVideo *video = data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *frame;
  gboolean key;
  GHashTableIter iter;
  VideoOutput *out;
  g_autoptr (GArray) targets = g_array_new (FALSE, FALSE, sizeof (VideoTarget));
  GstClockTime now;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* One encoder feeds everybody, like the mixer: a frame it drops because it
   * was starved is lost for the whole room. Raised once, like audio. */
  vc_media_thread_raise (video->priority);
  frame = gst_sample_get_buffer (sample);
  key = !GST_BUFFER_FLAG_IS_SET (frame, GST_BUFFER_FLAG_DELTA_UNIT);
  now = gst_clock_get_time (video->clock);
  g_mutex_lock (&video->lock);
  video->frames_encoded++;
  g_hash_table_iter_init (&iter, video->outputs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&out))
    {
      VideoTarget t = { gst_object_ref (out->pad), vc_media_running_time (out->pipeline, now) };
      if (out->needs_keyframe && !key)
        {
          gst_object_unref (t.pad);
          continue;
        }
      out->needs_keyframe = FALSE;
      g_array_append_val (targets, t);
    }
  g_mutex_unlock (&video->lock);
  g_mutex_lock (&video->tap_lock);
  if (video->tap != NULL)
    video->tap (frame, key, video->tap_data);
  g_mutex_unlock (&video->tap_lock);
  /* payloaded, encrypted and sent on this thread, one listener after the
   * other: no thread of the listener wakes for each frame (FLUSHING while
   * it joins or leaves). Stamped with the listener's running time now. */
  for (guint i = 0; i < targets->len; i++)
    {
      VideoTarget *t = &g_array_index (targets, VideoTarget, i);
      GstBuffer *copy = gst_buffer_copy (frame);
      GST_BUFFER_PTS (copy) = t->pts;
      GST_BUFFER_DTS (copy) = GST_CLOCK_TIME_NONE;
      gst_pad_push (t->pad, copy);
      gst_object_unref (t->pad);
    }
  return GST_FLOW_OK;
}

void
bridge_video_set_tap (BridgeVideo *video, BridgeVideoTap tap, gpointer user_data)
{
  g_mutex_lock (&video->tap_lock);
  video->tap = tap;
  video->tap_data = user_data;
  g_mutex_unlock (&video->tap_lock);
}

/* the compositor's output thread, once per frame: a reference to the mark
 * drawn on the main thread, or nothing */
static GstVideoOverlayComposition *
on_mark_draw (GstElement *overlay, GstSample *sample, gpointer data)
{
  BridgeVideo *video = data;
  GstVideoOverlayComposition *composition = NULL;

  g_mutex_lock (&video->lock);
  if (video->mark != NULL)
    composition = gst_video_overlay_composition_ref (video->mark);
  g_mutex_unlock (&video->lock);
  return composition;
}

void
bridge_video_set_recording (BridgeVideo *video, gboolean shown)
{
  GstVideoOverlayComposition *mark = NULL;

  if (shown)
    mark = bridge_label_render_mark (video->font, "REC", video->width, video->height);
  g_mutex_lock (&video->lock);
  g_clear_pointer (&video->mark, gst_video_overlay_composition_unref);
  video->mark = mark;
  g_mutex_unlock (&video->lock);
}

static void
output_free (gpointer data)
{
  VideoOutput *out = data;
  gst_object_unref (out->pad);
  gst_object_unref (out->pipeline);
  g_free (out);
}

void
bridge_video_add_output (BridgeVideo *video, const gchar *endpoint, GstPad *pad,
                         GstElement *pipeline)
{
  VideoOutput *out = g_new0 (VideoOutput, 1);

  out->pad = gst_object_ref (pad);
  out->pipeline = gst_object_ref (pipeline);
  out->needs_keyframe = TRUE;
  g_mutex_lock (&video->lock);
  g_hash_table_replace (video->outputs, g_strdup (endpoint), out);
  g_mutex_unlock (&video->lock);
  /* a newcomer sees nothing until a keyframe: sooner than for a repair */
  video_request_keyframe_within (
      video, MIN (video->join_keyframe_interval_us, video->keyframe_min_interval_us));
}

void
bridge_video_remove_output (BridgeVideo *video, const gchar *endpoint)
{
  g_mutex_lock (&video->lock);
  g_hash_table_remove (video->outputs, endpoint);
  g_mutex_unlock (&video->lock);
}

/* ---- tile names ---- */

static void
tile_label_clear (gpointer data)
{
  TileLabel *label = data;

  g_clear_pointer (&label->composition, gst_video_overlay_composition_unref);
  g_mutex_clear (&label->lock);
  g_main_context_unref (label->context);
  g_free (label->font);
  g_free (label->name);
}

static void
tile_label_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, tile_label_clear);
}

static void
on_label_closure_destroyed (gpointer data, GClosure *closure)
{
  tile_label_unref (data);
}

/* main thread: draws the name for a @width x @height frame and swaps it in */
static void
tile_label_draw (TileLabel *label, guint width, guint height)
{
  guint unknown = 0;
  GstVideoOverlayComposition *composition
      = bridge_label_render (label->font, label->name, width, height, &unknown);

  if (unknown > 0)
    GST_WARNING ("font '%s' cannot draw %u characters of '%s'", label->font, unknown, label->name);
  g_mutex_lock (&label->lock);
  g_clear_pointer (&label->composition, gst_video_overlay_composition_unref);
  label->composition = composition;
  label->drawn_width = width;
  label->drawn_height = height;
  g_mutex_unlock (&label->lock);
}

/* main thread (invoked from on_label_caps_changed) */
static gboolean
on_label_redraw (gpointer data)
{
  TileLabel *label = data;
  guint width, height;

  g_mutex_lock (&label->lock);
  label->redraw_pending = FALSE;
  width = label->frame_width;
  height = label->frame_height;
  g_mutex_unlock (&label->lock);
  tile_label_draw (label, width, height);
  return G_SOURCE_REMOVE;
}

/* the tile's streaming thread: the frame size the name is blended on. The
 * main thread draws for the size it gives the tile's capsfilter, so this
 * only redraws if the two ever differ. */
static void
on_label_caps_changed (GstElement *overlay, GstCaps *caps, guint width, guint height, gpointer data)
{
  TileLabel *label = data;
  gboolean redraw;

  g_mutex_lock (&label->lock);
  label->frame_width = width;
  label->frame_height = height;
  redraw = !label->redraw_pending && (width != label->drawn_width || height != label->drawn_height);
  label->redraw_pending |= redraw;
  g_mutex_unlock (&label->lock);
  if (redraw)
    g_main_context_invoke_full (label->context, G_PRIORITY_DEFAULT, on_label_redraw,
                                g_atomic_rc_box_acquire (label), tile_label_unref);
}

/* the tile's streaming thread, once per frame: no Pango here, only a
 * reference to the picture the main thread drew. A name drawn for another
 * size (the tile is being resized) is left out rather than misplaced. */
static GstVideoOverlayComposition *
on_label_draw (GstElement *overlay, GstSample *sample, gpointer data)
{
  TileLabel *label = data;
  GstVideoOverlayComposition *composition = NULL;

  g_mutex_lock (&label->lock);
  if (label->composition != NULL && label->drawn_width == label->frame_width
      && label->drawn_height == label->frame_height)
    composition = gst_video_overlay_composition_ref (label->composition);
  g_mutex_unlock (&label->lock);
  return composition;
}

/* main thread: @overlay is the tile's overlaycomposition element */
static TileLabel *
tile_label_new (BridgeVideo *video, GstElement *overlay, const gchar *name)
{
  TileLabel *label = g_atomic_rc_box_new0 (TileLabel);

  label->context = g_main_context_ref (video->context);
  label->font = g_strdup (video->font);
  label->name = g_strdup (name);
  g_mutex_init (&label->lock);
  g_signal_connect_data (overlay, "draw", G_CALLBACK (on_label_draw),
                         g_atomic_rc_box_acquire (label), on_label_closure_destroyed, 0);
  g_signal_connect_data (overlay, "caps-changed", G_CALLBACK (on_label_caps_changed),
                         g_atomic_rc_box_acquire (label), on_label_closure_destroyed, 0);
  return label;
}

/* main thread */
static void
tile_label_set_name (TileLabel *label, const gchar *name)
{
  guint width, height;

  if (g_strcmp0 (label->name, name) == 0)
    return;
  g_free (label->name);
  label->name = g_strdup (name);
  g_mutex_lock (&label->lock);
  width = label->drawn_width;
  height = label->drawn_height;
  g_mutex_unlock (&label->lock);
  tile_label_draw (label, width, height);
}

/* ---- tiles ---- */

static void
tile_apply_geometry (BridgeVideo *video, VideoTile *vt, const BridgeTile *t)
{
  g_autoptr (GstCaps) caps = gst_caps_new_simple (
      "video/x-raw", "width", G_TYPE_INT, (gint)t->width, "height", G_TYPE_INT, (gint)t->height,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);

  vt->tile = *t;
  /* the name first: frames of the new size then find it drawn */
  tile_label_draw (vt->label, t->width, t->height);
  g_object_set (vt->scale_caps, "caps", caps, NULL);
  g_object_set (vt->comp_pad, "xpos", t->x, "ypos", t->y, "width", (gint)t->width, "height",
                (gint)t->height, NULL);
}

static const gchar *
tile_spec_name (const BridgeVideoTile *spec)
{
  return spec->name ? spec->name : spec->endpoint;
}

/* main thread */
static VideoTile *
tile_create (BridgeVideo *video, const BridgeVideoTile *spec)
{
  g_autoptr (GError) error = NULL;
  VideoTile *vt = g_new0 (VideoTile, 1);
  g_autoptr (GstPad) src = NULL;
  g_autoptr (GstElement) overlay = NULL;
  GstElement *bin = gst_parse_bin_from_description (
      "appsrc name=in is-live=true do-timestamp=true format=time max-bytes=2000000 "
      "caps=video/x-vp8 ! vp8dec name=dec threads=1 ! videoconvert ! videoscale add-borders=false "
      "! "
      "capsfilter name=size ! overlaycomposition name=label ! queue name=out "
      "max-size-buffers=2 leaky=downstream",
      TRUE, &error);

  g_assert_no_error (error); /* a fixed description: failure is a missing plugin at start */
  /* the only unlinked pad, hence the only ghost ("src"), is the queue's
   * output: overlaycomposition has no text input to ghost by mistake */
  vt->endpoint = g_strdup (spec->endpoint);
  vt->bin = gst_object_ref (bin);
  vt->appsrc = gst_bin_get_by_name (GST_BIN (bin), "in");
  vt->scale_caps = gst_bin_get_by_name (GST_BIN (bin), "size");
  {
    g_autoptr (GstElement) dec = gst_bin_get_by_name (GST_BIN (bin), "dec");
    vt->decoded = gst_element_get_static_pad (dec, "src");
  }
  overlay = gst_bin_get_by_name (GST_BIN (bin), "label");
  vt->label = tile_label_new (video, overlay, tile_spec_name (spec));
  vt->needs_keyframe = TRUE;
  gst_bin_add (GST_BIN (video->pipeline), bin);
  vt->comp_pad = gst_element_request_pad_simple (video->compositor, "sink_%u");
  g_object_set (vt->comp_pad, "zorder", 1u, NULL);
  src = gst_element_get_static_pad (bin, "src");
  gst_pad_link (src, vt->comp_pad);
  tile_apply_geometry (video, vt, &spec->tile);
  gst_element_sync_state_with_parent (bin);
  GST_INFO ("room %s: tile for %s at %d,%d %ux%u", video->room_id, spec->endpoint, spec->tile.x,
            spec->tile.y, spec->tile.width, spec->tile.height);
  return vt;
}

/* main thread (and bridge_video_free): the tile's references */
static void
tile_free (VideoTile *vt)
{
  gst_object_unref (vt->comp_pad);
  gst_clear_object (&vt->bin);
  gst_object_unref (vt->appsrc);
  gst_object_unref (vt->scale_caps);
  gst_object_unref (vt->decoded);
  tile_label_unref (vt->label);
  g_free (vt->endpoint);
  g_free (vt);
}

/* main thread */
static void
tile_destroy (BridgeVideo *video, VideoTile *vt)
{
  g_autoptr (GstPad) src = gst_element_get_static_pad (vt->bin, "src");

  gst_pad_unlink (src, vt->comp_pad);
  gst_element_release_request_pad (video->compositor, vt->comp_pad);
  gst_bin_remove (GST_BIN (video->pipeline), vt->bin);
  /* the tile's threads stop off the main thread; the bin's reference goes
   * with them */
  vc_media_pipeline_dispose_async (g_steal_pointer (&vt->bin));
  tile_free (vt);
}

void
bridge_video_set_tiles (BridgeVideo *video, const BridgeVideoTile *tiles, guint n)
{
  g_autoptr (GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
  GHashTableIter iter;
  VideoTile *vt;

  for (guint i = 0; i < n; i++)
    g_hash_table_add (keep, (gpointer)tiles[i].endpoint);
  g_mutex_lock (&video->lock);
  g_hash_table_iter_init (&iter, video->tiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&vt))
    if (!g_hash_table_contains (keep, vt->endpoint))
      {
        g_hash_table_iter_steal (&iter);
        g_ptr_array_add (doomed, vt);
      }
  g_mutex_unlock (&video->lock);
  for (guint i = 0; i < doomed->len; i++)
    tile_destroy (video, g_ptr_array_index (doomed, i));
  for (guint i = 0; i < n; i++)
    {
      g_mutex_lock (&video->lock);
      vt = g_hash_table_lookup (video->tiles, tiles[i].endpoint);
      g_mutex_unlock (&video->lock);
      if (vt != NULL)
        {
          if (memcmp (&vt->tile, &tiles[i].tile, sizeof (BridgeTile)) != 0)
            tile_apply_geometry (video, vt, &tiles[i].tile);
          tile_label_set_name (vt->label, tile_spec_name (&tiles[i]));
          continue;
        }
      vt = tile_create (video, &tiles[i]);
      g_mutex_lock (&video->lock);
      g_hash_table_insert (video->tiles, vt->endpoint, vt);
      g_mutex_unlock (&video->lock);
    }
}

/* The room pipeline's running time now: what a frame entering a tile is
 * stamped with, so that the compositor (live, with latency) places it in the
 * current output frame. appsrc's do-timestamp sets only the DTS, and a tile
 * frame without a PTS is never composited. Any thread. */
static GstClockTime
video_running_time (BridgeVideo *video)
{
  g_autoptr (GstClock) clock = gst_element_get_clock (video->pipeline);

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;
  return vc_media_running_time (video->pipeline, gst_clock_get_time (clock));
}

gboolean
bridge_video_push_frame (BridgeVideo *video, const gchar *endpoint, GstBuffer *frame)
{
  VideoTile *vt;
  GstElement *appsrc = NULL;
  gboolean want_key = FALSE;
  gboolean key = !GST_BUFFER_FLAG_IS_SET (frame, GST_BUFFER_FLAG_DELTA_UNIT);

  g_mutex_lock (&video->lock);
  vt = g_hash_table_lookup (video->tiles, endpoint);
  if (vt != NULL)
    {
      if (vt->needs_keyframe && key)
        vt->needs_keyframe = FALSE;
      want_key = vt->needs_keyframe;
      if (!vt->needs_keyframe)
        {
          appsrc = gst_object_ref (vt->appsrc);
          vt->frames++;
        }
    }
  g_mutex_unlock (&video->lock);
  if (appsrc != NULL)
    {
      GstBuffer *copy = gst_buffer_copy (frame);
      GST_BUFFER_PTS (copy) = GST_BUFFER_DTS (copy) = video_running_time (video);
      gst_app_src_push_buffer (GST_APP_SRC (appsrc), copy);
      gst_object_unref (appsrc);
    }
  return want_key;
}

gboolean
bridge_video_is_shown (BridgeVideo *video, const gchar *endpoint)
{
  gboolean shown;

  g_mutex_lock (&video->lock);
  shown = g_hash_table_contains (video->tiles, endpoint);
  g_mutex_unlock (&video->lock);
  return shown;
}

void
bridge_video_get_stats (BridgeVideo *video, BridgeVideoStats *stats)
{
  g_mutex_lock (&video->lock);
  stats->frames_encoded = video->frames_encoded;
  stats->keyframes_requested = video->keyframes_requested;
  stats->tiles = g_hash_table_size (video->tiles);
  g_mutex_unlock (&video->lock);
}

gint64
bridge_video_get_tile_frames (BridgeVideo *video, const gchar *endpoint)
{
  VideoTile *vt;
  gint64 frames;

  g_mutex_lock (&video->lock);
  vt = g_hash_table_lookup (video->tiles, endpoint);
  frames = vt ? (gint64)vt->frames : -1;
  g_mutex_unlock (&video->lock);
  return frames;
}

/* ---- pipeline ---- */

static gboolean
on_video_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  BridgeVideo *video = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) err = NULL;
      g_autofree gchar *dbg = NULL;
      gst_message_parse_error (msg, &err, &dbg);
      /* a tile's decoder failing (corrupt input) must not stop the room:
       * the tile keeps its last picture and waits for the next keyframe */
      g_warning ("room %s video: %s: %s (%s)", video->room_id, GST_OBJECT_NAME (msg->src),
                 err->message, dbg ? dbg : "");
    }
  return G_SOURCE_CONTINUE;
}

/* the compositor's thread (its aggregator task): raised once, like the
 * encoder's */
static GstPadProbeReturn
on_composite_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  BridgeVideo *video = data;

  vc_media_thread_raise (video->priority);
  return GST_PAD_PROBE_REMOVE;
}

/* start-time-selection=first: on its way to PLAYING the pipeline hands the
 * compositor its clock before its base time, and GStreamer 1.22's
 * aggregator, live and with a clock, may then time out against base time 0
 * at once, find no frame on any pad, call that end-of-stream and never
 * compose again (a room with sound and no picture; about one room in ten
 * on a loaded machine). Waiting for the first frame, which the live test
 * source only makes in PLAYING, closes that window. */
static gboolean
video_build (BridgeVideo *video, const BridgeSettings *s, GError **error)
{
  g_autofree gchar *desc = g_strdup_printf (
      "videotestsrc is-live=true pattern=black ! video/x-raw,format=I420,width=%u,height=%u,"
      "framerate=%u/1 ! compositor name=comp background=black latency=40000000 "
      "ignore-inactive-pads=true start-time-selection=first ! "
      "video/x-raw,format=I420,width=%u,height=%u,framerate=%u/1 ! "
      "overlaycomposition name=mark ! queue max-size-buffers=2 leaky=downstream ! vp8enc name=enc "
      "deadline=1 cpu-used=%u "
      "end-usage=cbr target-bitrate=%u keyframe-max-dist=%u lag-in-frames=0 threads=1 "
      "static-threshold=100 "
      "error-resilient=default buffer-size=1000 buffer-initial-size=500 buffer-optimal-size=600 "
      "! appsink name=out sync=false async=false max-buffers=4 drop=true",
      s->width, s->height, s->fps, s->width, s->height, s->fps, s->encoder_speed,
      s->video_bitrate_kbps * 1000, s->fps * 10);
  g_autoptr (GstElement) enc = NULL, sink = NULL, mark = NULL;
  g_autoptr (GstPad) comp_src = NULL;
  g_autoptr (GstBus) bus = NULL;
  GstAppSinkCallbacks cb = { .new_sample = on_encoded_frame };

  video->pipeline = gst_parse_launch (desc, error);
  if (video->pipeline == NULL)
    return FALSE;
  video->compositor = gst_bin_get_by_name (GST_BIN (video->pipeline), "comp");
  enc = gst_bin_get_by_name (GST_BIN (video->pipeline), "enc");
  video->encoder_src = gst_element_get_static_pad (enc, "src");
  sink = gst_bin_get_by_name (GST_BIN (video->pipeline), "out");
  mark = gst_bin_get_by_name (GST_BIN (video->pipeline), "mark");
  g_signal_connect (mark, "draw", G_CALLBACK (on_mark_draw), video);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &cb, video, NULL);
  bus = gst_element_get_bus (video->pipeline);
  video->bus_watch = gst_bus_add_watch (bus, on_video_bus, video);
  vc_media_bus_restore_threads (video->pipeline);
  video->priority = s->audio_priority;
  comp_src = gst_element_get_static_pad (video->compositor, "src");
  gst_pad_add_probe (comp_src, GST_PAD_PROBE_TYPE_BUFFER, on_composite_probe, video, NULL);
  return gst_element_set_state (video->pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
}

BridgeVideo *
bridge_video_new (const BridgeSettings *s, const gchar *room_id, GError **error)
{
  static gsize once = 0;
  BridgeVideo *video = g_new0 (BridgeVideo, 1);

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (bridge_video_debug, "bridge-video", 0, "vc-bridge composite");
      g_once_init_leave (&once, 1);
    }
  video->room_id = g_strdup (room_id);
  video->font = g_strdup (s->font);
  video->width = s->width;
  video->height = s->height;
  g_mutex_init (&video->tap_lock);
  video->keyframe_min_interval_us = (gint64)s->keyframe_min_interval_ms * G_TIME_SPAN_MILLISECOND;
  video->join_keyframe_interval_us = (gint64)s->join_keyframe_interval_ms * G_TIME_SPAN_MILLISECOND;
  video->context = g_main_context_ref_thread_default ();
  g_mutex_init (&video->lock);
  video->tiles = g_hash_table_new (g_str_hash, g_str_equal);
  video->outputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, output_free);
  video->clock = gst_system_clock_obtain ();
  if (!video_build (video, s, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                     "room video pipeline refused to start");
      bridge_video_free (video);
      return NULL;
    }
  return video;
}

void
bridge_video_free (BridgeVideo *video)
{
  GHashTableIter iter;
  VideoTile *vt;

  if (video == NULL)
    return;
  if (video->pipeline != NULL)
    gst_element_set_state (video->pipeline, GST_STATE_NULL);
  g_clear_handle_id (&video->bus_watch, g_source_remove);
  if (video->keyframe_timer != NULL)
    {
      g_source_destroy (video->keyframe_timer);
      g_source_unref (video->keyframe_timer);
    }
  g_hash_table_iter_init (&iter, video->tiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&vt))
    tile_free (vt);
  g_hash_table_unref (video->tiles);
  g_hash_table_unref (video->outputs);
  g_clear_pointer (&video->mark, gst_video_overlay_composition_unref);
  g_mutex_clear (&video->tap_lock);
  gst_clear_object (&video->clock);
  gst_clear_object (&video->encoder_src);
  gst_clear_object (&video->compositor);
  gst_clear_object (&video->pipeline);
  g_mutex_clear (&video->lock);
  g_main_context_unref (video->context);
  g_free (video->font);
  g_free (video->room_id);
  g_free (video);
}

gboolean
bridge_video_get_tile_input (BridgeVideo *video, const gchar *endpoint, guint *width, guint *height)
{
  VideoTile *vt;
  GstCaps *caps = NULL;
  gint w = 0, h = 0;

  g_mutex_lock (&video->lock);
  vt = g_hash_table_lookup (video->tiles, endpoint);
  if (vt != NULL)
    caps = gst_pad_get_current_caps (vt->decoded);
  g_mutex_unlock (&video->lock);
  if (caps != NULL)
    {
      GstStructure *st = gst_caps_get_structure (caps, 0);
      gst_structure_get_int (st, "width", &w);
      gst_structure_get_int (st, "height", &h);
      gst_caps_unref (caps);
    }
  *width = (guint)MAX (w, 0);
  *height = (guint)MAX (h, 0);
  return w > 0 && h > 0;
}
