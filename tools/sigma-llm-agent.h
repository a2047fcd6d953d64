/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-agent.h"
#include "sigma-llm-client.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_LLM_AGENT (sigma_llm_agent_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaLlmAgent, sigma_llm_agent, SIGMA, LLM_AGENT, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaAgent     *sigma_llm_agent_new          (SigmaLlmClient *client) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaLlmClient *sigma_llm_agent_get_client   (SigmaLlmAgent  *self);
SIGMA_AVAILABLE_IN_ALL
JsonArray      *sigma_llm_agent_get_messages (SigmaLlmAgent  *self);
SIGMA_AVAILABLE_IN_ALL
JsonArray      *sigma_llm_agent_get_tools    (SigmaLlmAgent  *self);

G_END_DECLS
