/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

SIGMA_AVAILABLE_IN_ALL
const char *sigma_get_version_string (void);

SIGMA_AVAILABLE_IN_ALL
guint32     sigma_stable_hash        (const char *str);

SIGMA_AVAILABLE_IN_ALL
guint32     sigma_derive_seed        (guint64     seed,
                                      const char *name);

G_END_DECLS
