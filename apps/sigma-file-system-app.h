/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-app.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_FILE_SYSTEM_APP (sigma_file_system_app_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaFileSystemApp, sigma_file_system_app, SIGMA, FILE_SYSTEM_APP, SigmaApp)

SIGMA_AVAILABLE_IN_ALL
SigmaApp   *sigma_file_system_app_new      (const char         *name) G_GNUC_WARN_UNUSED_RESULT;

SIGMA_AVAILABLE_IN_ALL
const char *sigma_file_system_app_get_root (SigmaFileSystemApp *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_file_system_app_set_root (SigmaFileSystemApp *self,
                                            const char         *root);

G_END_DECLS
