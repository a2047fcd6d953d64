/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

SIGMA_AVAILABLE_IN_ALL
guint32  sigma_random_bits     (GRand   *rand,
                                guint    k);
SIGMA_AVAILABLE_IN_ALL
guint64  sigma_random_below    (GRand   *rand,
                                guint64  n);
SIGMA_AVAILABLE_IN_ALL
gint64   sigma_random_int      (GRand   *rand,
                                gint64   a,
                                gint64   b);
SIGMA_AVAILABLE_IN_ALL
gdouble  sigma_random_double   (GRand   *rand);
SIGMA_AVAILABLE_IN_ALL
char    *sigma_random_uuid_hex (GRand   *rand);

G_END_DECLS
