/* bridge-label.c — draws a tile's name with pango-cairo into a premultiplied
 * ARGB GstVideoOverlayRectangle (see bridge-label.h for why here and not in
 * textoverlay). */
#define G_LOG_DOMAIN "vc-bridge"

#include "bridge-label.h"

#include <pango/pangocairo.h>

GST_DEBUG_CATEGORY_STATIC (bridge_label_debug);
#define GST_CAT_DEFAULT bridge_label_debug

/* Text height in pixels for a frame: the size the tiles' textoverlay used
 * (height / 16 points, 6 to 24, at Pango's 96 dpi). */
static gint
label_font_pixels (guint frame_height)
{
  return CLAMP (frame_height / 16, 6u, 24u) * 96 / 72;
}

/* A layout for @text on a scratch cairo context: measuring and drawing must
 * use the same font options, so it is made on the surface it is shown on. */
static PangoLayout *
label_layout_new (cairo_t *cr, const gchar *font, const gchar *text, gint px, gint max_width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_font_description_set_absolute_size (desc, (double)px * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, max_width * PANGO_SCALE);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* The drawn box as a raw overlay rectangle: cairo's ARGB32 is premultiplied
 * native-endian ARGB, which is GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB
 * (BGRA in memory on little-endian machines). */
static GstVideoOverlayRectangle *
label_rectangle_new (cairo_surface_t *surface, gint x, gint y)
{
  gint width = cairo_image_surface_get_width (surface);
  gint height = cairo_image_surface_get_height (surface);
  gint stride = cairo_image_surface_get_stride (surface);
  gsize offset[GST_VIDEO_MAX_PLANES] = { 0 };
  gint strides[GST_VIDEO_MAX_PLANES] = { stride };
  GstBuffer *pixels;
  GstVideoOverlayRectangle *rect;

  cairo_surface_flush (surface);
  pixels = gst_buffer_new_memdup (cairo_image_surface_get_data (surface), (gsize)stride * height);
  gst_buffer_add_video_meta_full (pixels, GST_VIDEO_FRAME_FLAG_NONE,
                                  GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, width, height, 1,
                                  offset, strides);
  rect = gst_video_overlay_rectangle_new_raw (pixels, x, y, width, height,
                                              GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);
  gst_buffer_unref (pixels);
  return rect;
}

static void
label_init_debug (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GST_DEBUG_CATEGORY_INIT (bridge_label_debug, "bridge-label", 0, "vc-bridge tile names");
      g_once_init_leave (&once, 1);
    }
}

GstVideoOverlayComposition *
bridge_label_render (const gchar *font, const gchar *text, guint frame_width, guint frame_height,
                     guint *unknown_glyphs)
{
  gint px = label_font_pixels (frame_height);
  gint pad = MAX (px / 4, 1), margin = MAX (px / 2, 2);
  cairo_surface_t *scratch, *surface;
  cairo_t *cr;
  PangoLayout *layout;
  PangoRectangle ink, logical;
  gint box_width, box_height;
  GstVideoOverlayRectangle *rect;
  GstVideoOverlayComposition *composition;

  g_return_val_if_fail (font != NULL, NULL);
  label_init_debug ();
  if (unknown_glyphs != NULL)
    *unknown_glyphs = 0;
  if (text == NULL || *text == '\0' || (gint)frame_width < 2 * (margin + pad) + px
      || (gint)frame_height < 2 * (margin + pad) + px)
    return NULL;
  scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (scratch);
  layout = label_layout_new (cr, font, text, px, frame_width - 2 * (margin + pad));
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  if (unknown_glyphs != NULL)
    *unknown_glyphs = pango_layout_get_unknown_glyphs_count (layout);
  cairo_destroy (cr);
  box_width = logical.width + 2 * pad;
  box_height = logical.height + 2 * pad;
  if (box_height + 2 * margin > (gint)frame_height)
    {
      g_object_unref (layout);
      cairo_surface_destroy (scratch);
      return NULL;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, box_width, box_height);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.5); /* the shaded background */
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, pad - logical.x, pad - logical.y);
  pango_cairo_update_layout (cr, layout);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
  rect = label_rectangle_new (surface, margin, (gint)frame_height - margin - box_height);
  composition = gst_video_overlay_composition_new (rect);
  gst_video_overlay_rectangle_unref (rect);
  cairo_surface_destroy (surface);
  cairo_surface_destroy (scratch);
  g_object_unref (layout);
  GST_DEBUG ("'%s' for %ux%u: %dx%d", text, frame_width, frame_height, box_width, box_height);
  return composition;
}

GstVideoOverlayComposition *
bridge_label_render_mark (const gchar *font, const gchar *text, guint frame_width,
                          guint frame_height)
{
  gint px = label_font_pixels (frame_height);
  gint pad = MAX (px / 4, 1), margin = MAX (px / 2, 2), dot = px * 3 / 4;
  cairo_surface_t *scratch, *surface;
  cairo_t *cr;
  PangoLayout *layout;
  PangoRectangle ink, logical;
  gint box_width, box_height;
  GstVideoOverlayRectangle *rect;
  GstVideoOverlayComposition *composition;

  g_return_val_if_fail (font != NULL && text != NULL, NULL);
  label_init_debug ();
  if ((gint)frame_width < 8 * px || (gint)frame_height < 4 * px)
    return NULL;
  scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (scratch);
  layout = label_layout_new (cr, font, text, px, frame_width / 2);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  cairo_destroy (cr);
  box_width = 3 * pad + dot + logical.width + pad;
  box_height = MAX (logical.height, dot) + 2 * pad;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, box_width, box_height);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.9, 0.1, 0.1); /* the red dot */
  cairo_arc (cr, 2 * pad + dot / 2.0, box_height / 2.0, dot / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, 3 * pad + dot - logical.x, (box_height - logical.height) / 2 - logical.y);
  pango_cairo_update_layout (cr, layout);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
  rect = label_rectangle_new (surface, (gint)frame_width - margin - box_width, margin);
  composition = gst_video_overlay_composition_new (rect);
  gst_video_overlay_rectangle_unref (rect);
  cairo_surface_destroy (surface);
  cairo_surface_destroy (scratch);
  g_object_unref (layout);
  return composition;
}
