/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-file-system.h"

/**
 * SigmaFileSystem:
 *
 * A store of files that apps share, as ARE's FILE_SYSTEM protocol.
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (SigmaFileSystem, sigma_file_system, G_TYPE_OBJECT)

static void
sigma_file_system_default_init (SigmaFileSystemInterface *iface)
{
}

/**
 * sigma_file_system_read_file: (virtual read_file)
 * @self: a #SigmaFileSystem
 * @path: a file path
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the contents, or %NULL with @error set
 */
GBytes *
sigma_file_system_read_file (SigmaFileSystem  *self,
                             const char       *path,
                             GError          **error)
{
  g_return_val_if_fail (SIGMA_IS_FILE_SYSTEM (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return SIGMA_FILE_SYSTEM_GET_IFACE (self)->read_file (self, path, error);
}

/**
 * sigma_file_system_write_file: (virtual write_file)
 * @self: a #SigmaFileSystem
 * @path: a file path whose directory exists
 * @contents: the contents
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_file_system_write_file (SigmaFileSystem  *self,
                              const char       *path,
                              GBytes           *contents,
                              GError          **error)
{
  g_return_val_if_fail (SIGMA_IS_FILE_SYSTEM (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return SIGMA_FILE_SYSTEM_GET_IFACE (self)->write_file (self, path, contents, error);
}

/**
 * sigma_file_system_exists: (virtual exists)
 * @self: a #SigmaFileSystem
 * @path: a path
 *
 * Returns: whether a file or directory exists at @path
 */
gboolean
sigma_file_system_exists (SigmaFileSystem *self,
                          const char      *path)
{
  g_return_val_if_fail (SIGMA_IS_FILE_SYSTEM (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return SIGMA_FILE_SYSTEM_GET_IFACE (self)->exists (self, path);
}

/**
 * sigma_file_system_is_directory: (virtual is_directory)
 * @self: a #SigmaFileSystem
 * @path: a path
 *
 * Returns: whether @path is a directory
 */
gboolean
sigma_file_system_is_directory (SigmaFileSystem *self,
                                const char      *path)
{
  g_return_val_if_fail (SIGMA_IS_FILE_SYSTEM (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return SIGMA_FILE_SYSTEM_GET_IFACE (self)->is_directory (self, path);
}
