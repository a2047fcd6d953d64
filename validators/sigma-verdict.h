/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_VERDICT (sigma_verdict_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaVerdict, sigma_verdict, SIGMA, VERDICT, GObject)

/* The structured result of judging a run: pass/fail, a rationale, and per turn the matches of
 * oracle events to agent events and, for a failure, which oracle event, agent event and
 * argument or check failed. */

SIGMA_AVAILABLE_IN_ALL
gboolean     sigma_verdict_get_passed     (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_verdict_get_rationale  (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
guint        sigma_verdict_get_n_turns    (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
gboolean     sigma_verdict_get_turn_passed (SigmaVerdict *self,
                                            guint         turn);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_verdict_get_soft_judge (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode    *sigma_verdict_to_json        (SigmaVerdict *self);

SIGMA_AVAILABLE_IN_ALL
const char  *sigma_verdict_get_are_rationale    (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_verdict_get_exception        (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
gint         sigma_verdict_get_failed_turn      (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
gboolean     sigma_verdict_get_turn_judged      (SigmaVerdict *self,
                                                 guint         turn);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_verdict_get_turn_rationale   (SigmaVerdict *self,
                                                 guint         turn);
SIGMA_AVAILABLE_IN_ALL
guint        sigma_verdict_get_n_soft_calls     (SigmaVerdict *self);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_verdict_lookup_agent_event   (SigmaVerdict *self,
                                                 const char   *oracle_event_id);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_verdict_lookup_oracle_event  (SigmaVerdict *self,
                                                 const char   *agent_event_id);

G_END_DECLS
