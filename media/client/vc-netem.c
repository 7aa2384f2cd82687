/* vc-netem.c — loss, delay, jitter and outages on the packets of a
 * pipeline's ICE elements (vc-netem.h). Tests and benchmarks only.
 *
 * Pad probes on nicesrc's src pad (incoming) and nicesink's sink pad
 * (outgoing) drop packets, or take them out of the stream and hand them
 * back later from the system clock's thread (gst_clock_id_wait_async):
 * pushed from nicesrc's pad, or chained into nicesink, the way they would
 * have gone. Both pads' peers serialise concurrent calls (the sink pads'
 * stream locks), so the late packets only interleave with the others, as
 * reordered packets do on a network. A packet handed back carries a mark
 * (qdata) so that the probe lets it through. */
#define G_LOG_DOMAIN "vc-media"

#include "vc-netem.h"

#include "vc-atomic.h"

#include "vc-media.h"

#include <stdlib.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (vc_netem_debug);
#define GST_CAT_DEFAULT vc_netem_debug

#define NETEM_IN 1
#define NETEM_OUT 2

struct _VcNetem
{
  gint ref_count;
  gdouble loss; /* 0..1 */
  guint delay_ms, jitter_ms;
  guint directions;    /* NETEM_IN | NETEM_OUT */
  gboolean media_only; /* spare STUN and DTLS (loss and jitter; not outages) */
  gchar *spec;

  GMutex lock; /* protects rand */
  GRand *rand;

  gint64 outage_until_us;          /* atomic, monotonic */
  gint64 passed, dropped, delayed; /* atomic */
  GstClock *clock;
};

static GQuark mark_quark; /* set once, in vc_netem_new */

static GQuark
netem_mark_quark (void)
{
  return mark_quark;
}

static gboolean
parse_number (const gchar *text, gdouble min, gdouble max, gdouble *out)
{
  gchar *end = NULL;
  gdouble v = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !(v >= min && v <= max))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
netem_parse_item (VcNetem *netem, const gchar *key, const gchar *value, guint32 *seed,
                  gboolean *seeded)
{
  gdouble v = 0;

  if (g_str_equal (key, "loss") && parse_number (value, 0, 100, &v))
    netem->loss = v / 100.0;
  else if (g_str_equal (key, "delay") && parse_number (value, 0, 2000, &v))
    netem->delay_ms = (guint)v;
  else if (g_str_equal (key, "jitter") && parse_number (value, 0, 2000, &v))
    netem->jitter_ms = (guint)v;
  else if (g_str_equal (key, "seed") && parse_number (value, 0, G_MAXUINT32, &v))
    {
      *seed = (guint32)v;
      *seeded = TRUE;
    }
  else if (g_str_equal (key, "packets") && g_str_equal (value, "all"))
    netem->media_only = FALSE;
  else if (g_str_equal (key, "packets") && g_str_equal (value, "media"))
    netem->media_only = TRUE;
  else if (g_str_equal (key, "direction") && g_str_equal (value, "both"))
    netem->directions = NETEM_IN | NETEM_OUT;
  else if (g_str_equal (key, "direction") && g_str_equal (value, "in"))
    netem->directions = NETEM_IN;
  else if (g_str_equal (key, "direction") && g_str_equal (value, "out"))
    netem->directions = NETEM_OUT;
  else
    return FALSE;
  return TRUE;
}

VcNetem *
vc_netem_new (const gchar *spec, GError **error)
{
  static gsize once = 0, warned = 0;
  g_auto (GStrv) items = NULL;
  VcNetem *netem;
  guint32 seed = 0;
  gboolean seeded = FALSE;

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (vc_netem_debug, "vc-netem", 0, "test loss and jitter");
      mark_quark = g_quark_from_static_string ("vc-netem-late");
      g_once_init_leave (&once, 1);
    }
  if (spec == NULL || *spec == '\0')
    return NULL;
  netem = g_new0 (VcNetem, 1);
  netem->ref_count = 1;
  netem->directions = NETEM_IN | NETEM_OUT;
  netem->spec = g_strdup (spec);
  g_mutex_init (&netem->lock);
  netem->clock = gst_system_clock_obtain ();
  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (g_strstrip (items[i]), "=", 2);
      if (kv[0] == NULL || kv[1] == NULL
          || !netem_parse_item (netem, g_strstrip (kv[0]), g_strstrip (kv[1]), &seed, &seeded))
        {
          g_set_error (error, VC_MEDIA_ERROR, VC_MEDIA_ERROR_PIPELINE,
                       "netem '%s': cannot read '%s' (loss=0..100, delay=MS, jitter=MS, "
                       "direction=both|in|out, packets=all|media, seed=N)",
                       spec, items[i]);
          vc_netem_unref (netem);
          return NULL;
        }
    }
  netem->rand = seeded ? g_rand_new_with_seed (seed) : g_rand_new ();
  if (g_once_init_enter (&warned))
    {
      g_message ("test network emulation on: %s (never use this in production)", spec);
      g_once_init_leave (&warned, 1);
    }
  return netem;
}

const gchar *
vc_netem_spec_from_env (void)
{
  const gchar *spec = g_getenv ("VC_TEST_NETEM");

  return spec != NULL && *spec != '\0' ? spec : NULL;
}

VcNetem *
vc_netem_ref (VcNetem *netem)
{
  g_atomic_int_inc (&netem->ref_count);
  return netem;
}

void
vc_netem_unref (VcNetem *netem)
{
  if (netem == NULL || !g_atomic_int_dec_and_test (&netem->ref_count))
    return;
  if (netem->rand != NULL)
    g_rand_free (netem->rand);
  gst_object_unref (netem->clock);
  g_mutex_clear (&netem->lock);
  g_free (netem->spec);
  g_free (netem);
}

void
vc_netem_set_outage (VcNetem *netem, guint ms)
{
  vc_atomic_int64_set (&netem->outage_until_us,
                       ms ? g_get_monotonic_time () + (gint64)ms * 1000 : 0);
}

void
vc_netem_get_stats (VcNetem *netem, VcNetemStats *stats)
{
  stats->passed = vc_atomic_int64_get (&netem->passed);
  stats->dropped = vc_atomic_int64_get (&netem->dropped);
  stats->delayed = vc_atomic_int64_get (&netem->delayed);
}

/* ---- packets handed back later (system clock thread) ---- */

typedef struct
{
  GstPad *pad;
  GstBuffer *buf;
  gboolean outgoing;
} LatePacket;

static void
late_packet_free (gpointer data)
{
  LatePacket *late = data;

  gst_clear_buffer (&late->buf);
  gst_object_unref (late->pad);
  g_free (late);
}

static gboolean
on_late_packet (GstClock *clock, GstClockTime time, GstClockID id, gpointer data)
{
  LatePacket *late = data;
  GstBuffer *buf = g_steal_pointer (&late->buf);

  gst_mini_object_set_qdata (GST_MINI_OBJECT (buf), netem_mark_quark (), GINT_TO_POINTER (1), NULL);
  /* FLUSHING or NOT_LINKED once the pipeline stops: the packet is gone, as
   * it would be */
  if (late->outgoing)
    gst_pad_chain (late->pad, buf);
  else
    gst_pad_push (late->pad, buf);
  return TRUE;
}

/* What to do with one packet: 0 pass, 1 drop, 2 delayed (taken). */
static gint
netem_take (VcNetem *netem, GstPad *pad, GstBuffer *buf, gboolean outgoing, gint64 now)
{
  gdouble draw;
  guint extra = 0;
  LatePacket *late;
  GstClockID id;

  if (gst_mini_object_get_qdata (GST_MINI_OBJECT (buf), netem_mark_quark ()) != NULL)
    {
      gst_mini_object_set_qdata (GST_MINI_OBJECT (buf), netem_mark_quark (), NULL, NULL);
      return 0; /* handed back after its delay */
    }
  if (now < vc_atomic_int64_get (&netem->outage_until_us))
    {
      vc_atomic_int64_add (&netem->dropped, 1);
      return 1;
    }
  if (!(netem->directions & (outgoing ? NETEM_OUT : NETEM_IN))
      || (netem->media_only && vc_media_packet_kind (buf, NULL, NULL) == VC_PACKET_OTHER))
    return 0;
  g_mutex_lock (&netem->lock);
  draw = g_rand_double (netem->rand);
  if (netem->jitter_ms > 0)
    extra = g_rand_int_range (netem->rand, 0, (gint32)netem->jitter_ms * 1000 + 1);
  g_mutex_unlock (&netem->lock);
  if (draw < netem->loss)
    {
      vc_atomic_int64_add (&netem->dropped, 1);
      return 1;
    }
  if (netem->delay_ms == 0 && extra == 0)
    {
      vc_atomic_int64_add (&netem->passed, 1);
      return 0;
    }
  late = g_new0 (LatePacket, 1);
  late->pad = gst_object_ref (pad);
  late->buf = gst_buffer_ref (buf);
  late->outgoing = outgoing;
  id = gst_clock_new_single_shot_id (netem->clock,
                                     gst_clock_get_time (netem->clock)
                                         + (netem->delay_ms * 1000 + extra) * GST_USECOND);
  gst_clock_id_wait_async (id, on_late_packet, late, late_packet_free);
  gst_clock_id_unref (id);
  vc_atomic_int64_add (&netem->delayed, 1);
  return 2;
}

typedef struct
{
  VcNetem *netem;
  GstPad *pad;
  gboolean outgoing;
} ListFilter;

static gboolean
on_list_item (GstBuffer **buf, guint idx, gpointer data)
{
  ListFilter *f = data;

  if (netem_take (f->netem, f->pad, *buf, f->outgoing, g_get_monotonic_time ()) != 0)
    gst_clear_buffer (buf); /* removed from the list */
  return TRUE;
}

/* nicesrc's streaming thread (in), or whichever thread sends (out) */
static GstPadProbeReturn
netem_probe (GstPad *pad, GstPadProbeInfo *info, VcNetem *netem, gboolean outgoing)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return netem_take (netem, pad, GST_PAD_PROBE_INFO_BUFFER (info), outgoing,
                       g_get_monotonic_time ())
               ? GST_PAD_PROBE_DROP
               : GST_PAD_PROBE_OK;
  else
    {
      GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
      ListFilter f = { netem, pad, outgoing };

      list = gst_buffer_list_make_writable (list);
      gst_buffer_list_foreach (list, on_list_item, &f);
      GST_PAD_PROBE_INFO_DATA (info) = list;
      return gst_buffer_list_length (list) > 0 ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
    }
}

static GstPadProbeReturn
on_incoming (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  return netem_probe (pad, info, data, FALSE);
}

static GstPadProbeReturn
on_outgoing (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  return netem_probe (pad, info, data, TRUE);
}

/* any thread that adds an element somewhere inside the pipeline */
static void
on_element_added (GstBin *bin, GstBin *sub_bin, GstElement *element, gpointer data)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const gchar *name = factory ? gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)) : NULL;
  gboolean in = g_strcmp0 (name, "nicesrc") == 0, out = g_strcmp0 (name, "nicesink") == 0;
  g_autoptr (GstPad) pad = NULL;

  if (!in && !out)
    return;
  pad = gst_element_get_static_pad (element, in ? "src" : "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     in ? on_incoming : on_outgoing, vc_netem_ref (data),
                     (GDestroyNotify)vc_netem_unref);
}

void
vc_netem_attach (VcNetem *netem, GstElement *pipeline)
{
  g_return_if_fail (netem != NULL && GST_IS_BIN (pipeline));
  GST_INFO ("emulating '%s' on %" GST_PTR_FORMAT, netem->spec, pipeline);
  g_signal_connect_data (pipeline, "deep-element-added", G_CALLBACK (on_element_added),
                         vc_netem_ref (netem), (GClosureNotify)(void (*) (void))vc_netem_unref, 0);
}
