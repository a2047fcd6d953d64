/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <glib.h>

#include "sigma-version.h"

#ifndef _SIGMA_EXTERN
# define _SIGMA_EXTERN __attribute__((visibility ("default"))) extern
#endif

#define SIGMA_AVAILABLE_IN_ALL _SIGMA_EXTERN
#define SIGMA_AVAILABLE_IN_1_0 _SIGMA_EXTERN
