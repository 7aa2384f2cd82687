/* test-label.c — a tile's name drawn into an overlay composition
 * (media/bridge/bridge-label.c): visible white text on a shaded box, at the
 * bottom-left of the frame, Vietnamese included, and nothing for frames too
 * small to hold a name. */
#include "bridge-label.h"

#include <gst/gst.h>

#define FONT "DejaVu Sans Bold"
#define NAME "UBND tỉnh Lạng Sơn"

/* The only rectangle of @composition, checked for its place in a
 * @width x @height frame. */
static GstVideoOverlayRectangle *
label_rectangle (GstVideoOverlayComposition *composition, guint width, guint height)
{
  GstVideoOverlayRectangle *rect;
  gint x, y;
  guint w, h;

  g_assert_nonnull (composition);
  g_assert_cmpuint (gst_video_overlay_composition_n_rectangles (composition), ==, 1);
  rect = gst_video_overlay_composition_get_rectangle (composition, 0);
  g_assert_true (gst_video_overlay_rectangle_get_render_rectangle (rect, &x, &y, &w, &h));
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (x, <, (gint)width / 10);      /* left */
  g_assert_cmpuint (x + w, <=, width);           /* inside */
  g_assert_cmpint (y, >, (gint)height / 2);      /* low */
  g_assert_cmpuint (y + h, <=, height);          /* inside */
  g_assert_cmpuint (y + h, >=, height * 9 / 10); /* at the bottom */
  return rect;
}

/* Opaque white pixels (the text) and half-transparent dark ones (the
 * shading) in the rectangle's unpremultiplied ARGB. */
static void
label_count_pixels (GstVideoOverlayRectangle *rect, guint *white, guint *shaded)
{
  GstBuffer *pixels = gst_video_overlay_rectangle_get_pixels_unscaled_argb (
      rect, GST_VIDEO_OVERLAY_FORMAT_FLAG_NONE);
  GstVideoMeta *meta = gst_buffer_get_video_meta (pixels);
  GstMapInfo map;

  g_assert_nonnull (meta);
  g_assert_cmpint (meta->format, ==, GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB);
  g_assert_true (gst_buffer_map (pixels, &map, GST_MAP_READ));
  *white = *shaded = 0;
  for (guint row = 0; row < meta->height; row++)
    for (guint col = 0; col < meta->width; col++)
      {
        guint32 argb = *(const guint32 *)(map.data + row * meta->stride[0] + col * 4);
        guint a = argb >> 24, r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;
        *white += a > 240 && r > 240 && g > 240 && b > 240;
        *shaded += a > 100 && a < 160 && r < 16 && g < 16 && b < 16;
      }
  gst_buffer_unmap (pixels, &map);
}

static void
test_label_drawn (gconstpointer data)
{
  const guint *size = data;
  guint unknown = G_MAXUINT, white, shaded;
  g_autoptr (GstVideoOverlayComposition) composition
      = bridge_label_render (FONT, NAME, size[0], size[1], &unknown);
  GstVideoOverlayRectangle *rect = label_rectangle (composition, size[0], size[1]);

  g_assert_cmpuint (unknown, ==, 0); /* the font draws every Vietnamese letter */
  label_count_pixels (rect, &white, &shaded);
  g_assert_cmpuint (white, >, 20);
  g_assert_cmpuint (shaded, >, 20);
}

/* A name wider than its tile is cut (ellipsized), never drawn outside. */
static void
test_label_long_name (void)
{
  g_autoptr (GstVideoOverlayComposition) composition = bridge_label_render (
      FONT, NAME " — Sở Thông tin và Truyền thông, phòng họp trực tuyến số 2", 160, 90, NULL);

  label_rectangle (composition, 160, 90);
}

static void
test_label_nothing_to_draw (void)
{
  g_assert_null (bridge_label_render (FONT, "", 640, 360, NULL));
  g_assert_null (bridge_label_render (FONT, NAME, 8, 8, NULL));
}

int
main (int argc, char **argv)
{
  static const guint tile[] = { 320, 180 }, large[] = { 1280, 720 }, small[] = { 96, 54 };

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/bridge/label/tile", tile, test_label_drawn);
  g_test_add_data_func ("/bridge/label/large", large, test_label_drawn);
  g_test_add_data_func ("/bridge/label/small", small, test_label_drawn);
  g_test_add_func ("/bridge/label/long-name", test_label_long_name);
  g_test_add_func ("/bridge/label/nothing-to-draw", test_label_nothing_to_draw);
  return g_test_run ();
}
