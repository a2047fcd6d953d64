/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Private to libsigma: how SigmaJudge fills a SigmaVerdict. */

#include "sigma-verdict.h"

G_BEGIN_DECLS

typedef enum {
  SIGMA_VERDICT_TURN_NOT_JUDGED,
  SIGMA_VERDICT_TURN_PASSED,
  SIGMA_VERDICT_TURN_FAILED,
  SIGMA_VERDICT_TURN_EXCEPTION,
} SigmaVerdictTurnStatus;

SigmaVerdict *sigma_verdict_new_internal   (const char              *soft_judge_name,
                                            guint                    n_turns);
/* @details: Sigma's explanation appended to ARE's text, or NULL; takes @turn_json. */
void          sigma_verdict_set_turn       (SigmaVerdict            *self,
                                            guint                    turn,
                                            SigmaVerdictTurnStatus   status,
                                            const char              *are_rationale,
                                            const char              *details,
                                            const char              *exception,
                                            JsonObject              *turn_json);
void          sigma_verdict_add_match      (SigmaVerdict            *self,
                                            const char              *agent_event_id,
                                            const char              *oracle_event_id);
void          sigma_verdict_set_soft_calls (SigmaVerdict            *self,
                                            guint                    n_calls);
void          sigma_verdict_set_config     (SigmaVerdict            *self,
                                            JsonObject              *config);
void          sigma_verdict_finish         (SigmaVerdict            *self);

G_END_DECLS
