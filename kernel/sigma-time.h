/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

SIGMA_AVAILABLE_IN_ALL
char        *sigma_time_format       (gdouble      timestamp);
SIGMA_AVAILABLE_IN_ALL
gboolean     sigma_time_parse        (const char  *text,
                                      gdouble     *timestamp,
                                      GError     **error);
SIGMA_AVAILABLE_IN_ALL
const char  *sigma_time_weekday_name (gdouble      timestamp);
SIGMA_AVAILABLE_IN_ALL
gboolean     sigma_time_parse_format (const char  *text,
                                      const char  *format,
                                      gdouble     *timestamp,
                                      GError     **error);

G_END_DECLS
