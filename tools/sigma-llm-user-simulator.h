/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-agent.h"
#include "sigma-llm-client.h"

G_BEGIN_DECLS

/**
 * SIGMA_LLM_USER_STOP_MARKER:
 *
 * The text with which the simulated user ends the conversation.
 */
#define SIGMA_LLM_USER_STOP_MARKER "###STOP###"

#define SIGMA_TYPE_LLM_USER_SIMULATOR (sigma_llm_user_simulator_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaLlmUserSimulator, sigma_llm_user_simulator, SIGMA, LLM_USER_SIMULATOR, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaUserSimulator *sigma_llm_user_simulator_new          (SigmaLlmClient        *client) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void                sigma_llm_user_simulator_set_instructions (SigmaLlmUserSimulator *self,
                                                               const char            *instructions);
SIGMA_AVAILABLE_IN_ALL
JsonArray          *sigma_llm_user_simulator_get_messages (SigmaLlmUserSimulator *self);

G_END_DECLS
