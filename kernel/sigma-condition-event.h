/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-event.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_CONDITION_EVENT (sigma_condition_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaConditionEvent, sigma_condition_event, SIGMA, CONDITION_EVENT, SigmaEvent)

SIGMA_AVAILABLE_IN_ALL
SigmaEvent *sigma_condition_event_new              (const char          *name,
                                                    SigmaConditionFunc   func,
                                                    gpointer             user_data,
                                                    GDestroyNotify       destroy) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaEvent *sigma_condition_event_new_with_closure (const char          *name,
                                                    GClosure            *closure) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const char *sigma_condition_event_get_name         (SigmaConditionEvent *self);
SIGMA_AVAILABLE_IN_ALL
guint       sigma_condition_event_get_every_ticks  (SigmaConditionEvent *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_condition_event_set_every_ticks  (SigmaConditionEvent *self,
                                                    guint                every_ticks);
SIGMA_AVAILABLE_IN_ALL
gint        sigma_condition_event_get_timeout      (SigmaConditionEvent *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_condition_event_set_timeout      (SigmaConditionEvent *self,
                                                    gint                 timeout);
SIGMA_AVAILABLE_IN_ALL
guint       sigma_condition_event_get_check_count  (SigmaConditionEvent *self);

G_END_DECLS
