/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-file-system-app.h"

/**
 * SigmaFileSystemApp:
 *
 * A file system confined to a content root (ARE's `SandboxLocalFileSystem`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaFileSystemApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaFileSystemApp, sigma_file_system_app, SIGMA_TYPE_APP)

static void
sigma_file_system_app_class_init (SigmaFileSystemAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "SandboxLocalFileSystem";
}

static void
sigma_file_system_app_init (SigmaFileSystemApp *self)
{
}

/**
 * sigma_file_system_app_new:
 * @name: (nullable): the instance name; "SandboxLocalFileSystem" when %NULL
 *
 * Returns: (transfer full): a new #SigmaFileSystemApp
 */
SigmaApp *
sigma_file_system_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_FILE_SYSTEM_APP, "name", name != NULL ? name : "SandboxLocalFileSystem", NULL);
}
