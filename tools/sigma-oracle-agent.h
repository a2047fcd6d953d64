/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-agent.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_ORACLE_AGENT (sigma_oracle_agent_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaOracleAgent, sigma_oracle_agent, SIGMA, ORACLE_AGENT, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaAgent *sigma_oracle_agent_new (void) G_GNUC_WARN_UNUSED_RESULT;

#define SIGMA_TYPE_SCRIPTED_AGENT (sigma_scripted_agent_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaScriptedAgent, sigma_scripted_agent, SIGMA, SCRIPTED_AGENT, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaAgent *sigma_scripted_agent_new           (GPtrArray   *actions) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaAgent *sigma_scripted_agent_new_from_json (JsonNode    *node,
                                                GError     **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaAgent *sigma_scripted_agent_new_from_file (const char  *path,
                                                GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
