/* vc-media-error.h — libvc-media's error domain, VC_MEDIA_ERROR: what the helpers and the
 * WebRTC client report at run time (docs/hacking.md, "Errors"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VC_MEDIA_ERROR (vc_media_error_quark ())
GQuark vc_media_error_quark (void);

typedef enum
{
  VC_MEDIA_ERROR_MISSING_PLUGIN, /* an element is not installed */
  VC_MEDIA_ERROR_PIPELINE,       /* building or running a pipeline failed */
  VC_MEDIA_ERROR_SIGNALLING,     /* the signalling peer misbehaved */
  VC_MEDIA_ERROR_CLIP,           /* a clip file is unreadable */
} VcMediaError;

G_END_DECLS
