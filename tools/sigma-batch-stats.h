/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "sigma-types.h"

G_BEGIN_DECLS

SIGMA_AVAILABLE_IN_ALL
gdouble   sigma_pass_at_k         (guint       n,
                                   guint       c,
                                   guint       k);
SIGMA_AVAILABLE_IN_ALL
gdouble   sigma_pass_hat_k        (guint       n,
                                   guint       c,
                                   guint       k);
SIGMA_AVAILABLE_IN_ALL
JsonNode *sigma_batch_statistics  (JsonArray  *runs,
                                   guint       k,
                                   GError    **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
