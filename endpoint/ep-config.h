/* ep-config.h — the room agent's settings (conf/endpoint.ini), loaded and
 * validated once at start. Errors name the file, group and key and are in
 * VC_CONFIG_ERROR (exit 78). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  EP_OUTPUT_AUTO, /* the room's screen and speakers */
  EP_OUTPUT_NONE, /* headless: decode and drop (tests, servers) */
} EpOutput;

typedef struct
{
  gchar *path; /* the file loaded, absolute; NULL for the defaults alone */
  /* [scheduler] */
  gchar *scheduler_url; /* http://HOST:PORT */
  /* [endpoint] */
  gchar *code;
  gchar *token;
  gchar *name; /* shown on the idle screen; defaults to the code */
  /* [journal] */
  gchar *journal_path;
  gchar *schedule_cache_path; /* default: journal path + ".schedule.json" */
  gint64 heartbeat_seconds;
  /* [media] */
  gchar *video_source; /* test | v4l2:/dev/videoN */
  gchar *audio_source; /* test | pulse | alsa:DEVICE */
  EpOutput output;
  gint64 width, height, fps;
  /* [ice] */
  gchar **ice_addresses;
  /* [timing] */
  gint64 join_lead_seconds;
  gint64 connect_ahead_seconds;
  gint64 readiness_minutes;
  gint64 retry_max_seconds;
  gint64 join_timeout_seconds;
} EpConfig;

void ep_config_free (EpConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpConfig, ep_config_free)

/* Loads the embedded defaults, then @path. NULL with a VC_CONFIG_ERROR. */
EpConfig *ep_config_load (const gchar *path, GError **error);

/* The defaults as key-file text (conf/endpoint.ini documents them). */
const gchar *ep_config_defaults (void);

G_END_DECLS
