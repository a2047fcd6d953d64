/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The TCP side of SigmaServer: binds, accepts and hands each connection to a SoupServer.
 * Private to the library (not introspected). */
typedef struct _SigmaHttpListener SigmaHttpListener;

SigmaHttpListener *sigma_http_listener_new             (SoupServer          *soup,
                                                        GSocketAddress      *address,
                                                        guint                max_connections,
                                                        GError             **error);
guint              sigma_http_listener_get_port        (SigmaHttpListener   *self);
void               sigma_http_listener_free            (SigmaHttpListener   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaHttpListener, sigma_http_listener_free)

G_END_DECLS
