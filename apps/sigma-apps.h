/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-app.h"

G_BEGIN_DECLS

SIGMA_AVAILABLE_IN_ALL
GType        sigma_apps_lookup_type        (const char  *class_name);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_apps_get_default_name   (const char  *class_name);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_apps_get_canonical_name (const char  *name);
SIGMA_AVAILABLE_IN_ALL
GStrv        sigma_apps_list_class_names   (void);
SIGMA_AVAILABLE_IN_ALL
SigmaApp    *sigma_apps_create             (const char  *class_name,
                                            const char  *name,
                                            GError     **error);

G_END_DECLS
