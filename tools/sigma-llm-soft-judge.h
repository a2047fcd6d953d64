/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-soft-judge.h"
#include "sigma-llm-client.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_LLM_SOFT_JUDGE (sigma_llm_soft_judge_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaLlmSoftJudge, sigma_llm_soft_judge, SIGMA, LLM_SOFT_JUDGE, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaSoftJudge *sigma_llm_soft_judge_new       (SigmaLlmClient    *client) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_soft_judge_get_usage (SigmaLlmSoftJudge *self,
                                                SigmaUsage        *usage);
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_llm_soft_judge_parse_answer (const char     *answer,
                                                   gboolean       *equal);

G_END_DECLS
