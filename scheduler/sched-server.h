/* sched-server.h — the booking service assembled: a SchedContext opened
 * from settings (database, time zone, first roster), and a SoupServer with
 * the booking handlers, listening where the settings say.
 *
 * main.c and the HTTP tests build the same objects; main.c also registers
 * the reports and agents parts on sched_server_get_soup_server(). */
#pragma once

#include "sched-core.h"
#include "sched-settings.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Takes @settings; opens the database (migrating it) and loads the roster
 * into an empty one. */
SchedContext *sched_server_context_new (SchedSettings *settings, GError **error);
void sched_server_context_free (SchedContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedContext, sched_server_context_free)

typedef struct _SchedServer SchedServer;

/* Loads holidays, creates the SoupServer (with TLS when configured) and
 * adds the booking handlers. @ctx must outlive the server. */
SchedServer *sched_server_new (SchedContext *ctx, GError **error);
void sched_server_free (SchedServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedServer, sched_server_free)

SoupServer *sched_server_get_soup_server (SchedServer *server);
SchedCore *sched_server_get_core (SchedServer *server);

/* Listens on settings->listen_host:listen_port (port 0: any free one). */
gboolean sched_server_listen (SchedServer *server, GError **error);
/* "http://127.0.0.1:8080" (https with TLS); NULL before listening. */
gchar *sched_server_get_url (SchedServer *server);
guint16 sched_server_get_port (SchedServer *server);

G_END_DECLS
