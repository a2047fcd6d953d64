/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-event.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_VALIDATION_EVENT (sigma_validation_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaValidationEvent, sigma_validation_event, SIGMA, VALIDATION_EVENT, SigmaEvent)

SIGMA_AVAILABLE_IN_ALL
SigmaEvent *sigma_validation_event_new                  (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void        sigma_validation_event_add_milestone        (SigmaValidationEvent *self,
                                                         const char           *name,
                                                         SigmaConditionFunc    func,
                                                         gpointer              user_data,
                                                         GDestroyNotify        destroy);
SIGMA_AVAILABLE_IN_ALL
void        sigma_validation_event_add_milestone_closure (SigmaValidationEvent *self,
                                                          const char           *name,
                                                          GClosure             *closure);
SIGMA_AVAILABLE_IN_ALL
void        sigma_validation_event_add_minefield        (SigmaValidationEvent *self,
                                                         const char           *name,
                                                         SigmaConditionFunc    func,
                                                         gpointer              user_data,
                                                         GDestroyNotify        destroy);
SIGMA_AVAILABLE_IN_ALL
void        sigma_validation_event_add_minefield_closure (SigmaValidationEvent *self,
                                                          const char           *name,
                                                          GClosure             *closure);
SIGMA_AVAILABLE_IN_ALL
guint       sigma_validation_event_get_every_ticks      (SigmaValidationEvent *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_validation_event_set_every_ticks      (SigmaValidationEvent *self,
                                                         guint                 every_ticks);
SIGMA_AVAILABLE_IN_ALL
gint        sigma_validation_event_get_timeout          (SigmaValidationEvent *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_validation_event_set_timeout          (SigmaValidationEvent *self,
                                                         gint                  timeout);
SIGMA_AVAILABLE_IN_ALL
guint       sigma_validation_event_get_check_count      (SigmaValidationEvent *self);
SIGMA_AVAILABLE_IN_ALL
GStrv       sigma_validation_event_dup_achieved_milestones (SigmaValidationEvent *self);

G_END_DECLS
