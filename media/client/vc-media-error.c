/* vc-media-error.c — the VC_MEDIA_ERROR domain. */
#include "vc-media-error.h"

/* The quark's name is one dashed word, not a subtraction. */
/* clang-format off */
G_DEFINE_QUARK (vc-media-error-quark, vc_media_error)
/* clang-format on */
