/* bridge-label.h — a tile's name, drawn once into an overlay composition.
 *
 * Pango is not safe with many textoverlay elements drawing on many streaming
 * threads at once (Pango 1.50 crashed the bridge under join load in
 * g_type_class_get_private, "attempt to retrieve private data for invalid
 * type 'PangoFont'"). So the bridge uses Pango on the main thread only: a
 * tile's name is drawn here with pango-cairo when the tile is created, is
 * renamed or resized, and the tile's overlaycomposition element just blends
 * the finished picture on its streaming thread. */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

/* main thread (the only thread of the bridge that uses Pango): @text in
 * white on a shaded box, at the bottom-left of a @frame_width x
 * @frame_height frame, in @font ("DejaVu Sans Bold": family and style, the
 * size follows the frame's height). NULL when @text is empty or the frame is
 * too small for a name. @unknown_glyphs (nullable) receives the number of
 * characters @font could not draw. */
GstVideoOverlayComposition *bridge_label_render (const gchar *font, const gchar *text,
                                                 guint frame_width, guint frame_height,
                                                 guint *unknown_glyphs);

/* main thread: the recording mark, a red dot and @text ("REC") in white on
 * a shaded box at the top-right of a @frame_width x @frame_height frame.
 * NULL when the frame is too small. */
GstVideoOverlayComposition *bridge_label_render_mark (const gchar *font, const gchar *text,
                                                      guint frame_width, guint frame_height);

G_END_DECLS
