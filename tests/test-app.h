/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sigma.h>

G_BEGIN_DECLS

#define SIGMA_TYPE_TEST_APP (sigma_test_app_get_type ())

G_DECLARE_FINAL_TYPE (SigmaTestApp, sigma_test_app, SIGMA, TEST_APP, SigmaApp)

SigmaApp *sigma_test_app_new         (const char   *name) G_GNUC_WARN_UNUSED_RESULT;
guint     sigma_test_app_get_n_notes (SigmaTestApp *self);
gboolean  sigma_test_app_has_note    (SigmaTestApp *self,
                                      const char   *title);
gdouble   sigma_test_app_get_price   (SigmaTestApp *self);

G_END_DECLS
