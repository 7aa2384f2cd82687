/* bridge-wire-meter.h — counts the audio packets that leave (or enter) a
 * participant's pipeline more than 100 ms after the previous one: the
 * bridge's own contribution to audio gaps, where the mix enters the
 * pipeline and at the socket (docs/bridge.md).
 *
 * A meter is shared by its participant and the pad probe that feeds it
 * (a g_atomic_rc_box: the probe may outlive the participant while the
 * pipeline is torn down). The counts are atomics; only the thread that
 * carries the audio feeds a meter. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define BRIDGE_WIRE_METER_GAP_US (100 * G_TIME_SPAN_MILLISECOND)

typedef struct _BridgeWireMeter BridgeWireMeter;

/* @rtp: the meter sees RTP packets of every stream (at the ICE sink) and
 * counts only the audio ones; else every buffer is audio (the mix). */
BridgeWireMeter *bridge_wire_meter_new (gboolean rtp);
BridgeWireMeter *bridge_wire_meter_ref (BridgeWireMeter *meter);
void bridge_wire_meter_unref (BridgeWireMeter *meter);

/* Adds a buffer / buffer-list probe on @pad that feeds @meter (holding a
 * reference to it for as long as the probe stays). */
void bridge_wire_meter_watch (BridgeWireMeter *meter, GstPad *pad);

/* any thread */
guint64 bridge_wire_meter_get_gaps (BridgeWireMeter *meter);
gdouble bridge_wire_meter_get_max_ms (BridgeWireMeter *meter);

G_END_DECLS
