/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sigma.h>

static void
test_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("ShoppingApp", NULL, &error);

  g_test_summary ("The app is created from its ARE class name");

  g_assert_no_error (error);
  g_assert_nonnull (app);
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "ShoppingApp");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/apps/shopping/create", test_create);

  return g_test_run ();
}
