/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-event.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_EVENT_QUEUE (sigma_event_queue_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaEventQueue, sigma_event_queue, SIGMA, EVENT_QUEUE, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaEventQueue *sigma_event_queue_new        (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void             sigma_event_queue_push       (SigmaEventQueue *self,
                                               SigmaEvent      *event);
SIGMA_AVAILABLE_IN_ALL
SigmaEvent      *sigma_event_queue_peek       (SigmaEventQueue *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEvent      *sigma_event_queue_pop        (SigmaEventQueue *self);
SIGMA_AVAILABLE_IN_ALL
gboolean         sigma_event_queue_remove     (SigmaEventQueue *self,
                                               SigmaEvent      *event);
SIGMA_AVAILABLE_IN_ALL
gboolean         sigma_event_queue_contains   (SigmaEventQueue *self,
                                               SigmaEvent      *event);
SIGMA_AVAILABLE_IN_ALL
guint            sigma_event_queue_get_length (SigmaEventQueue *self);
SIGMA_AVAILABLE_IN_ALL
gboolean         sigma_event_queue_is_empty   (SigmaEventQueue *self);
SIGMA_AVAILABLE_IN_ALL
GPtrArray       *sigma_event_queue_to_array   (SigmaEventQueue *self);
SIGMA_AVAILABLE_IN_ALL
void             sigma_event_queue_clear      (SigmaEventQueue *self);

G_END_DECLS
