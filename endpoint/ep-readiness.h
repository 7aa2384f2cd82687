/* ep-readiness.h — before each meeting ([timing] readiness_minutes, default
 * 15), checks that the camera and the microphone deliver data and that the
 * bridge answers, and reports ready/not ready with the reason.
 * Main thread only. */
#pragma once

#include "ep-config.h"
#include "ep-schedule.h"

#include <glib-object.h>

G_BEGIN_DECLS

/* One check, as a step machine:
 *   IDLE --due--> CAMERA --buffer/error/timeout--> MICROPHONE --> BRIDGE
 *        --GET /healthz answered or not--> IDLE ("result" emitted) */
typedef enum
{
  EP_READINESS_STEP_IDLE,
  EP_READINESS_STEP_CAMERA,
  EP_READINESS_STEP_MICROPHONE,
  EP_READINESS_STEP_BRIDGE,
} EpReadinessStep;

#define EP_TYPE_READINESS (ep_readiness_get_type ())
G_DECLARE_FINAL_TYPE (EpReadiness, ep_readiness, EP, READINESS, GObject)

/* @config is borrowed. */
EpReadiness *ep_readiness_new (const EpConfig *config);
/* Called every second with the next meeting; starts a check once per
 * meeting when it is within readiness_minutes of its start. */
void ep_readiness_set_next (EpReadiness *readiness, const EpMeeting *next);
/* Runs a check for @meeting now. */
void ep_readiness_check (EpReadiness *readiness, const EpMeeting *meeting);

/* "result" (EpReadiness *, gint64 meeting, gboolean ready, const gchar *reason) */

/* http(s)://HOST:PORT/healthz from a ws(s)://HOST:PORT/… signal URL. */
gchar *ep_readiness_health_url (const gchar *signal_url);

G_END_DECLS
