/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "sigma-types.h"

G_BEGIN_DECLS

SIGMA_AVAILABLE_IN_ALL
const char *sigma_get_version_string (void);

SIGMA_AVAILABLE_IN_ALL
guint32     sigma_stable_hash        (const char *str);

SIGMA_AVAILABLE_IN_ALL
guint32     sigma_derive_seed        (guint64     seed,
                                      const char *name);

SIGMA_AVAILABLE_IN_ALL
char       *sigma_json_to_string     (JsonNode   *node,
                                      gboolean    pretty) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
