/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-scenario-registry.h"

G_BEGIN_DECLS

SIGMA_AVAILABLE_IN_ALL
gboolean sigma_builtin_scenarios_register (SigmaScenarioRegistry  *registry,
                                           GError                **error);

G_END_DECLS
