/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_COMPLETED_EVENT (sigma_completed_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
GType                sigma_completed_event_get_type          (void) G_GNUC_CONST;
SIGMA_AVAILABLE_IN_ALL
SigmaCompletedEvent *sigma_completed_event_ref               (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
void                 sigma_completed_event_unref             (SigmaCompletedEvent *self);

SIGMA_AVAILABLE_IN_ALL
const char          *sigma_completed_event_get_event_id      (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEventType       sigma_completed_event_get_event_type    (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
gdouble              sigma_completed_event_get_event_time    (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_completed_event_get_app_name      (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_completed_event_get_function      (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
JsonObject          *sigma_completed_event_get_args          (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode            *sigma_completed_event_get_return_value  (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
const GError        *sigma_completed_event_get_error         (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_completed_event_get_error_message (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
gboolean             sigma_completed_event_is_failure        (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
gboolean             sigma_completed_event_is_write          (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
SigmaToolOperation   sigma_completed_event_get_operation     (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEvent          *sigma_completed_event_get_source        (SigmaCompletedEvent *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode            *sigma_completed_event_to_json           (SigmaCompletedEvent *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaCompletedEvent, sigma_completed_event_unref)

G_END_DECLS
