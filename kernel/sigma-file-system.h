/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_FILE_SYSTEM (sigma_file_system_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (SigmaFileSystem, sigma_file_system, SIGMA, FILE_SYSTEM, GObject)

/**
 * SigmaFileSystemInterface:
 * @g_iface: the parent interface
 * @read_file: reads a whole file
 * @write_file: writes a whole file; the directory must exist
 * @exists: whether a file or directory exists
 * @is_directory: whether a path is a directory
 *
 * ARE's FILE_SYSTEM protocol: an app that stores files (the Files app) implements it, and
 * apps that handle attachments (email, messaging) use the environment's first implementation
 * (sigma_environment_get_file_system()). Paths are the app's own, relative to its root.
 */
struct _SigmaFileSystemInterface
{
  GTypeInterface g_iface;

  GBytes *  (*read_file)    (SigmaFileSystem  *self,
                             const char       *path,
                             GError          **error);
  gboolean  (*write_file)   (SigmaFileSystem  *self,
                             const char       *path,
                             GBytes           *contents,
                             GError          **error);
  gboolean  (*exists)       (SigmaFileSystem  *self,
                             const char       *path);
  gboolean  (*is_directory) (SigmaFileSystem  *self,
                             const char       *path);
};

SIGMA_AVAILABLE_IN_ALL
GBytes   *sigma_file_system_read_file    (SigmaFileSystem  *self,
                                          const char       *path,
                                          GError          **error);
SIGMA_AVAILABLE_IN_ALL
gboolean  sigma_file_system_write_file   (SigmaFileSystem  *self,
                                          const char       *path,
                                          GBytes           *contents,
                                          GError          **error);
SIGMA_AVAILABLE_IN_ALL
gboolean  sigma_file_system_exists       (SigmaFileSystem  *self,
                                          const char       *path);
SIGMA_AVAILABLE_IN_ALL
gboolean  sigma_file_system_is_directory (SigmaFileSystem  *self,
                                          const char       *path);

G_END_DECLS
