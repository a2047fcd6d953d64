/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-completed-event.h"

G_BEGIN_DECLS

/**
 * SigmaEventLogSink:
 * @log: the log
 * @event: the event that was just appended
 * @user_data: data passed to sigma_event_log_add_sink()
 *
 * Receives every event appended to a #SigmaEventLog, in order.
 */
typedef void (*SigmaEventLogSink) (SigmaEventLog       *log,
                                   SigmaCompletedEvent *event,
                                   gpointer             user_data);

#define SIGMA_TYPE_EVENT_LOG (sigma_event_log_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaEventLog, sigma_event_log, SIGMA, EVENT_LOG, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaEventLog       *sigma_event_log_new          (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
guint                sigma_event_log_get_length   (SigmaEventLog     *self);
SIGMA_AVAILABLE_IN_ALL
SigmaCompletedEvent *sigma_event_log_get          (SigmaEventLog     *self,
                                                   guint              index);
SIGMA_AVAILABLE_IN_ALL
SigmaCompletedEvent *sigma_event_log_lookup       (SigmaEventLog     *self,
                                                   const char        *event_id);
SIGMA_AVAILABLE_IN_ALL
GPtrArray           *sigma_event_log_filter       (SigmaEventLog     *self,
                                                   gint               event_type,
                                                   const char        *app_name,
                                                   const char        *function);
SIGMA_AVAILABLE_IN_ALL
guint                sigma_event_log_add_sink     (SigmaEventLog     *self,
                                                   SigmaEventLogSink  sink,
                                                   gpointer           user_data,
                                                   GDestroyNotify     destroy);
SIGMA_AVAILABLE_IN_ALL
void                 sigma_event_log_remove_sink  (SigmaEventLog     *self,
                                                   guint              sink_id);
SIGMA_AVAILABLE_IN_ALL
JsonNode            *sigma_event_log_to_json      (SigmaEventLog     *self);
SIGMA_AVAILABLE_IN_ALL
char                *sigma_event_log_to_string    (SigmaEventLog     *self);

G_END_DECLS
