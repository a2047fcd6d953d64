/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-app.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_OPAQUE_APP (sigma_opaque_app_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaOpaqueApp, sigma_opaque_app, SIGMA, OPAQUE_APP, SigmaApp)

SIGMA_AVAILABLE_IN_ALL
SigmaApp *sigma_opaque_app_new          (const char          *name,
                                         const char          *class_name) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void      sigma_opaque_app_add_function (SigmaOpaqueApp      *self,
                                         const char          *function,
                                         const char * const  *arg_names,
                                         SigmaToolOperation   operation);

G_END_DECLS
