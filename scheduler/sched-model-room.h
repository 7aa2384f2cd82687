/* sched-model-room.h — the endpoints table: the conference rooms (điểm
 * cầu). A deleted room keeps its row (deleted = 1) for the history that
 * names it, and its code is never used again. Since schema v5 a room has
 * the period it is valid for: a room closed by a reorganisation keeps its
 * row (not deleted) with valid_to set and, perhaps, a successor room.
 *
 * Part of the model layer (libvc-sched-base): the roster loader, the
 * endpoint API, the booking rules, tokens, the monitor and vc-stack read
 * and write rooms here. Writes run inside the caller's transaction. */
#pragma once

#include "sched-db.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *code;
  gchar *name;
  gchar *level;      /* central | province | district | department | commune */
  gchar *unit;       /* NULL: none */
  gchar *parent;     /* NULL: none */
  gint64 valid_from; /* 0: since always */
  gint64 valid_to;   /* exclusive; 0: still valid */
  gchar *successor;  /* NULL: none */
} SchedRoom;

void sched_room_free (SchedRoom *room);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedRoom, sched_room_free)

typedef enum
{
  SCHED_ROOM_ORDER_CODE,   /* by code */
  SCHED_ROOM_ORDER_LEVEL,  /* province, department, district, commune; then code */
  SCHED_ROOM_ORDER_ROSTER, /* in the order they were added (the roster's) */
} SchedRoomOrder;

/* Whether @room's period [valid_from, valid_to) holds @at. */
gboolean sched_room_is_valid_at (const SchedRoom *room, gint64 at);

/* SchedRoom* for every room not deleted (closed ones included). */
GPtrArray *sched_room_list (SchedDb *db, SchedRoomOrder order, GError **error);
/* Room @code if not deleted (closed or not); NULL + SCHED_ERROR_NOT_FOUND
 * otherwise. */
SchedRoom *sched_room_get (SchedDb *db, const gchar *code, GError **error);
/* Whether room @code exists (@with_deleted: or existed). */
gboolean sched_room_exists (SchedDb *db, const gchar *code, gboolean with_deleted, gboolean *exists,
                            GError **error);
/* Whether room @code (deleted or not) belongs to @unit. */
gboolean sched_room_in_unit (SchedDb *db, const gchar *code, const gchar *unit, gboolean *in,
                             GError **error);
/* Rows in the table, deleted rooms included. */
gboolean sched_room_count (SchedDb *db, gint64 *count, GError **error);

/* Inserts @room (its parent too, when set). */
gboolean sched_room_insert (SchedDb *db, const SchedRoom *room, GError **error);
/* Changes room @code: a NULL argument keeps the column; an empty @unit or
 * @parent clears it. */
gboolean sched_room_update (SchedDb *db, const gchar *code, const gchar *name, const gchar *level,
                            const gchar *unit, const gchar *parent, GError **error);
gboolean sched_room_set_parent (SchedDb *db, const gchar *code, const gchar *parent,
                                GError **error);
gboolean sched_room_mark_deleted (SchedDb *db, const gchar *code, GError **error);
/* Ends room @code's period at @at; @successor (may be NULL) takes its
 * meetings in the statistics. */
gboolean sched_room_end (SchedDb *db, const gchar *code, gint64 at, const gchar *successor,
                         GError **error);

G_END_DECLS
