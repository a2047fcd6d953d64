/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-event.h"

G_BEGIN_DECLS

/**
 * SigmaTimeComparator:
 * @SIGMA_TIME_COMPARATOR_NONE: no time check
 * @SIGMA_TIME_COMPARATOR_LESS_THAN: the agent must act no later than the oracle time
 * @SIGMA_TIME_COMPARATOR_GREATER_THAN: the agent must act no earlier than the oracle time
 * @SIGMA_TIME_COMPARATOR_EQUAL: the agent must act within the tolerance of the oracle time
 *
 * How the judge compares an agent action's time with its oracle event.
 */
typedef enum {
  SIGMA_TIME_COMPARATOR_NONE,
  SIGMA_TIME_COMPARATOR_LESS_THAN,
  SIGMA_TIME_COMPARATOR_GREATER_THAN,
  SIGMA_TIME_COMPARATOR_EQUAL,
} SigmaTimeComparator;

#define SIGMA_TYPE_ORACLE_EVENT (sigma_oracle_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaOracleEvent, sigma_oracle_event, SIGMA, ORACLE_EVENT, SigmaEvent)

SIGMA_AVAILABLE_IN_ALL
SigmaEvent          *sigma_oracle_event_new            (const char          *app_name,
                                                        const char          *function,
                                                        JsonObject          *args) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_oracle_event_get_app_name   (SigmaOracleEvent    *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_oracle_event_get_function   (SigmaOracleEvent    *self);
SIGMA_AVAILABLE_IN_ALL
JsonObject          *sigma_oracle_event_get_args       (SigmaOracleEvent    *self);
SIGMA_AVAILABLE_IN_ALL
SigmaTimeComparator  sigma_oracle_event_get_comparator (SigmaOracleEvent    *self);
SIGMA_AVAILABLE_IN_ALL
void                 sigma_oracle_event_set_comparator (SigmaOracleEvent    *self,
                                                        SigmaTimeComparator  comparator);

G_END_DECLS
