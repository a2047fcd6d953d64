/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-error.h"

/**
 * sigma_error_quark:
 *
 * The quark of the %SIGMA_ERROR domain.
 *
 * Returns: the error quark
 */
G_DEFINE_QUARK (sigma-error-quark, sigma_error)
