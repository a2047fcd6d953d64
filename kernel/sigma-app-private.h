/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sigma-app.h"

G_BEGIN_DECLS

void      sigma_app_set_environment (SigmaApp         *self,
                                     SigmaEnvironment *env);
JsonNode *sigma_app_invoke_tool     (SigmaApp         *self,
                                     SigmaTool        *tool,
                                     JsonObject       *args,
                                     JsonObject      **effective_args,
                                     GError          **error);
JsonNode *sigma_tool_call_handler   (SigmaTool        *self,
                                     SigmaApp         *app,
                                     JsonObject       *args,
                                     GError          **error);

G_END_DECLS
