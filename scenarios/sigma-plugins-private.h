/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sigma-scenario-registry.h"

G_BEGIN_DECLS

#define SIGMA_PYTHON_PLUGIN_SUFFIX ".plugin"

gboolean _sigma_plugins_load_python (SigmaScenarioRegistry  *registry,
                                     const char             *path,
                                     GError                **error);

G_END_DECLS
