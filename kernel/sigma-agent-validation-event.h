/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-event.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_AGENT_VALIDATION_EVENT (sigma_agent_validation_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaAgentValidationEvent, sigma_agent_validation_event, SIGMA, AGENT_VALIDATION_EVENT, SigmaEvent)

SIGMA_AVAILABLE_IN_ALL
SigmaEvent *sigma_agent_validation_event_new                   (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void        sigma_agent_validation_event_add_milestone         (SigmaAgentValidationEvent *self,
                                                                const char                *name,
                                                                SigmaAgentCheckFunc        func,
                                                                gpointer                   user_data,
                                                                GDestroyNotify             destroy);
SIGMA_AVAILABLE_IN_ALL
void        sigma_agent_validation_event_add_milestone_closure (SigmaAgentValidationEvent *self,
                                                                const char                *name,
                                                                GClosure                  *closure);
SIGMA_AVAILABLE_IN_ALL
void        sigma_agent_validation_event_add_minefield         (SigmaAgentValidationEvent *self,
                                                                const char                *name,
                                                                SigmaAgentCheckFunc        func,
                                                                gpointer                   user_data,
                                                                GDestroyNotify             destroy);
SIGMA_AVAILABLE_IN_ALL
void        sigma_agent_validation_event_add_minefield_closure (SigmaAgentValidationEvent *self,
                                                                const char                *name,
                                                                GClosure                  *closure);
SIGMA_AVAILABLE_IN_ALL
gint        sigma_agent_validation_event_get_timeout           (SigmaAgentValidationEvent *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_agent_validation_event_set_timeout           (SigmaAgentValidationEvent *self,
                                                                gint                       timeout);

G_END_DECLS
