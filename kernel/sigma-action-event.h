/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-event.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_ACTION_EVENT (sigma_action_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaActionEvent, sigma_action_event, SIGMA, ACTION_EVENT, SigmaEvent)

SIGMA_AVAILABLE_IN_ALL
SigmaEvent *sigma_action_event_new          (SigmaEventType    event_type,
                                             const char       *app_name,
                                             const char       *function,
                                             JsonObject       *args) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const char *sigma_action_event_get_app_name (SigmaActionEvent *self);
SIGMA_AVAILABLE_IN_ALL
const char *sigma_action_event_get_function (SigmaActionEvent *self);
SIGMA_AVAILABLE_IN_ALL
JsonObject *sigma_action_event_get_args     (SigmaActionEvent *self);

G_END_DECLS
