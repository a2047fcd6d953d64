/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-app.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_APARTMENT_APP (sigma_apartment_app_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaApartmentApp, sigma_apartment_app, SIGMA, APARTMENT_APP, SigmaApp)

SIGMA_AVAILABLE_IN_ALL
SigmaApp *sigma_apartment_app_new (const char *name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
