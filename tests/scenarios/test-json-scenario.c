/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sigma.h>

static void
test_placeholder (void)
{
  g_test_summary ("Replaced by the real tests of this area");
  g_assert_true (sigma_get_version_string () != NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/sigma/json-scenario/placeholder", test_placeholder);
  return g_test_run ();
}
