/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sigma-file-system-app.h"
#include "sigma-app-util.h"
#include "sigma-error.h"
#include "sigma-file-system.h"

/**
 * SigmaFileSystemApp:
 *
 * A file system confined to a content root (ARE's `SandboxLocalFileSystem`, `Files` and
 * `VirtualFileSystem`; apps.md §12.4).
 *
 * Files live in a directory of the host, #SigmaFileSystemApp:root. By default that is a
 * private temporary directory, made on first use and removed with the app; a configured root
 * is used as it is (so it can hold the contents of the files a scenario lists) and Sigma never
 * deletes anything in it except through the `rm` and `mv` tools.
 *
 * Paths are ARE's: "/" is the root, a leading "/" starts from the root, "~/" is
 * "home/userhome/", and anything else is relative to the root. Nothing outside the root is
 * reachable: a path whose ".." climbs above the root, or that goes through a symbolic link
 * leading outside it, fails with "Operation not allowed outside sandbox: <path>". An absolute
 * path such as "/etc/passwd" names a file inside the root.
 *
 * The app implements #SigmaFileSystem, so the email and messaging apps of the same
 * environment read and write attachments here.
 *
 * Its `app_state` is the directory tree, `{"files": {"name", "type", "children": [...]},
 * "tmpdir"}`, or the Gaia2 form whose nodes also carry `real_path` (files keep an empty
 * `children` list) and which has no `tmpdir`. The form, the order of the children and the
 * `real_path` values of a loaded state are kept, so saving it again gives the same JSON.
 *
 * Since: 0.1
 */

/* What a loaded state said about one node beyond what the disk shows. */
typedef struct
{
  char      *real_path;        /* (nullable) */
  GPtrArray *order;            /* (nullable) (element-type utf8): children, as listed */
  guint      has_real_path : 1;
  guint      has_children  : 1;   /* a file node with a "children" member */
} NodeMeta;

struct _SigmaFileSystemApp
{
  SigmaApp    parent_instance;

  char       *root;            /* (nullable): the configured root */
  char       *private_root;    /* (nullable): our temporary directory, once made */
  char       *root_real;       /* (nullable): the root in use, symbolic links resolved */
  GHashTable *meta;            /* sandbox path → NodeMeta */
  char       *root_name;       /* the root node's name: "" (ARE) or "/" (Gaia2) */
  gboolean    gaia2_style;     /* new nodes get real_path (and files children) members */
  gboolean    emit_tmpdir;
};

static void sigma_file_system_app_iface_init (SigmaFileSystemInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SigmaFileSystemApp, sigma_file_system_app, SIGMA_TYPE_APP,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_FILE_SYSTEM, sigma_file_system_app_iface_init))

enum {
  PROP_0,
  PROP_ROOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Errors                                                                               */

/* The C library's texts, fixed (as Python's in the C locale) so messages do not depend on
 * the host's language. */
static const char *
errno_text (int err)
{
  switch (err)
    {
    case ENOENT: return "No such file or directory";
    case EEXIST: return "File exists";
    case EISDIR: return "Is a directory";
    case ENOTDIR: return "Not a directory";
    case ENOTEMPTY: return "Directory not empty";
    case EACCES: return "Permission denied";
    case EPERM: return "Operation not permitted";
    case EINVAL: return "Invalid argument";
    case EXDEV: return "Invalid cross-device link";
    case ENAMETOOLONG: return "File name too long";
    case ELOOP: return "Too many levels of symbolic links";
    case ENOSPC: return "No space left on device";
    default: return g_strerror (err);
    }
}

/* Python's OSError text, "[Errno 2] No such file or directory: '/a.txt'", naming the sandbox
 * path (ARE names the host path). */
static char *
os_error_text (int         err,
               const char *vpath)
{
  g_autofree char *name = sigma_py_repr_str (vpath);

  return g_strdup_printf ("[Errno %d] %s: %s", err, errno_text (err), name);
}

static void
os_error (GError     **error,
          int          err,
          const char  *vpath)
{
  g_autofree char *text = os_error_text (err, vpath);

  sigma_tool_error (error, "%s", text);
}

static void
outside_error (GError     **error,
               const char  *path,
               const char  *why)
{
  if (why != NULL)
    sigma_tool_error (error, "Operation not allowed outside sandbox: %s (%s)", path, why);
  else
    sigma_tool_error (error, "Operation not allowed outside sandbox: %s", path);
}

/* ------------------------------------------------------------------------------------ */
/* The root                                                                             */

/* Removes a file or a directory tree without following symbolic links. */
static int
remove_tree (const char *host)
{
  GStatBuf st;

  if (g_lstat (host, &st) != 0)
    return errno;
  if (S_ISDIR (st.st_mode))
    {
      GDir *dir = g_dir_open (host, 0, NULL);
      const char *name;
      int err = 0;

      if (dir == NULL)
        return EACCES;
      while ((name = g_dir_read_name (dir)) != NULL && err == 0)
        {
          g_autofree char *child = g_build_filename (host, name, NULL);
          err = remove_tree (child);
        }
      g_dir_close (dir);
      if (err != 0)
        return err;
      return g_rmdir (host) == 0 ? 0 : errno;
    }
  return g_unlink (host) == 0 ? 0 : errno;
}

static void
wipe_contents (const char *host)
{
  GDir *dir = g_dir_open (host, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (host, name, NULL);
      remove_tree (child);
    }
  g_dir_close (dir);
}

static void
drop_private_root (SigmaFileSystemApp *self)
{
  if (self->private_root != NULL)
    {
      remove_tree (self->private_root);
      g_clear_pointer (&self->private_root, g_free);
    }
}

/* The root in use, symbolic links resolved; the private directory is made on first use. */
/* A private root for an app without a configured one: in memory-backed /dev/shm when the
 * system has it (loading a scenario's files is then not disk-bound), else in the temporary
 * directory. Removed with the app. */
static char *
make_private_root (GError **error)
{
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK | X_OK) == 0 &&
      g_getenv ("TMPDIR") == NULL)
    {
      g_autofree char *template = g_build_filename ("/dev/shm", "sigma-files-XXXXXX", NULL);

      if (g_mkdtemp (template) != NULL)
        return g_steal_pointer (&template);
    }
  return g_dir_make_tmp ("sigma-files-XXXXXX", error);
}

static const char *
ensure_root (SigmaFileSystemApp  *self,
             GError             **error)
{
  const char *root;
  char *real;

  if (self->root_real != NULL)
    return self->root_real;

  if (self->root == NULL && self->private_root == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      self->private_root = make_private_root (&local_error);
      if (self->private_root == NULL)
        {
          sigma_tool_error (error, "Cannot create the file system root: %s", local_error->message);
          return NULL;
        }
    }
  root = self->root != NULL ? self->root : self->private_root;
  if (g_mkdir_with_parents (root, 0700) != 0)
    {
      int err = errno;
      sigma_tool_error (error, "Cannot create the file system root %s: %s", root, errno_text (err));
      return NULL;
    }
  real = realpath (root, NULL);
  if (real == NULL)
    {
      int err = errno;
      sigma_tool_error (error, "Cannot use the file system root %s: %s", root, errno_text (err));
      return NULL;
    }
  self->root_real = g_strdup (real);
  free (real);
  return self->root_real;
}

/* ------------------------------------------------------------------------------------ */
/* Paths                                                                                */

typedef struct
{
  char *vpath;   /* the sandbox path: "/" or "/a/b" */
  char *host;    /* the host path inside the root, symbolic links resolved */
} FsPath;

static void
fs_path_clear (FsPath *p)
{
  g_clear_pointer (&p->vpath, g_free);
  g_clear_pointer (&p->host, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsPath, fs_path_clear)

static gboolean
is_inside (const char *root,
           const char *path)
{
  gsize len = strlen (root);

  if (len == 1)   /* the root is "/" */
    return TRUE;
  return strncmp (path, root, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* ARE's _validate_path, made safe: maps @path into the root and checks that it stays there.
 * A ".." above the root, or a symbolic link (the last component only when @follow_last)
 * that resolves outside the root, is an error. The host path has every followed link
 * resolved, so the operation itself never leaves the root. */
static gboolean
resolve (SigmaFileSystemApp  *self,
         const char          *path,
         gboolean             follow_last,
         FsPath              *out,
         GError             **error)
{
  const char *root = ensure_root (self, error);
  g_autofree char *mapped = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) components = NULL;
  GString *host, *vpath;
  const char *rel;
  gboolean exists = TRUE;

  if (root == NULL)
    return FALSE;

  if (g_str_equal (path, "/"))
    rel = "";
  else if (path[0] == '/')
    rel = path + strspn (path, "/");
  else if (path[0] == '~')
    {
      /* ARE replaces `^~/?` by "home/userhome/" first, so "~bob/x" is "home/userhome/bob/x" */
      mapped = g_strconcat ("home/userhome/", path[1] == '/' ? path + 2 : path + 1, NULL);
      rel = mapped;
    }
  else
    rel = path;

  /* os.path.abspath, which may not climb above the root */
  parts = g_strsplit (rel, "/", -1);
  components = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          if (components->len == 0)
            {
              outside_error (error, path, NULL);
              return FALSE;
            }
          g_ptr_array_remove_index (components, components->len - 1);
          continue;
        }
      g_ptr_array_add (components, parts[i]);
    }

  host = g_string_new (root);
  vpath = g_string_new (NULL);
  for (guint i = 0; i < components->len; i++)
    {
      const char *name = g_ptr_array_index (components, i);
      gboolean last = i + 1 == components->len;
      GStatBuf st;

      g_string_append_c (vpath, '/');
      g_string_append (vpath, name);
      if (host->len > 1 || host->str[0] != '/')
        g_string_append_c (host, '/');
      g_string_append (host, name);

      /* Once something is missing the rest cannot hold links: ".." is already gone. */
      if (!exists || g_lstat (host->str, &st) != 0)
        {
          exists = FALSE;
          continue;
        }
      if (S_ISLNK (st.st_mode) && (!last || follow_last))
        {
          char *real = realpath (host->str, NULL);
          gboolean inside = real != NULL && is_inside (root, real);

          if (!inside)
            {
              outside_error (error, path, real != NULL ? "a symbolic link leads outside the root"
                                                       : "a symbolic link cannot be resolved");
              free (real);
              g_string_free (host, TRUE);
              g_string_free (vpath, TRUE);
              return FALSE;
            }
          g_string_assign (host, real);
          free (real);
        }
    }

  if (vpath->len == 0)
    g_string_append_c (vpath, '/');
  out->host = g_string_free (host, FALSE);
  out->vpath = g_string_free (vpath, FALSE);
  return TRUE;
}

static char *
vpath_child (const char *vpath,
             const char *name)
{
  return g_str_equal (vpath, "/") ? g_strconcat ("/", name, NULL) : g_strconcat (vpath, "/", name, NULL);
}

static const char *
vpath_basename (const char *vpath)
{
  return strrchr (vpath, '/') + 1;
}

/* ------------------------------------------------------------------------------------ */
/* Files on disk                                                                        */

static GBytes *
read_host_file (const char  *host,
                const char  *vpath,
                GError     **error)
{
  g_autoptr(GByteArray) data = NULL;
  GStatBuf st;
  guint8 buffer[65536];
  int fd = g_open (host, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      os_error (error, errno, vpath);
      return NULL;
    }
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_close (fd, NULL);
      os_error (error, EISDIR, vpath);
      return NULL;
    }
  data = g_byte_array_sized_new (st.st_size > 0 ? (guint) MIN (st.st_size, G_MAXINT) : 0);
  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int err = errno;
          g_close (fd, NULL);
          os_error (error, err, vpath);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, (guint) n);
    }
  g_close (fd, NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Opens (and creates or truncates, per @flags) a file; the directory must exist. */
static gboolean
open_host_file (const char  *host,
                const char  *vpath,
                int          flags,
                int         *fd_out,
                GError     **error)
{
  int fd = g_open (host, flags | O_CLOEXEC, 0666);

  if (fd < 0)
    {
      os_error (error, errno, vpath);
      return FALSE;
    }
  if (fd_out != NULL)
    *fd_out = fd;
  else
    g_close (fd, NULL);
  return TRUE;
}

static gboolean
write_host_file (const char  *host,
                 const char  *vpath,
                 GBytes      *contents,
                 GError     **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (contents, &size);
  int fd;

  if (!open_host_file (host, vpath, O_WRONLY | O_CREAT | O_TRUNC, &fd, error))
    return FALSE;
  while (size > 0)
    {
      gssize n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int err = errno;
          g_close (fd, NULL);
          os_error (error, err, vpath);
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  g_close (fd, NULL);
  return TRUE;
}

/* Makes a directory and its missing parents below the root (os.makedirs). */
static gboolean
make_dirs (const char  *root,
           const char  *host,
           const char  *vpath,
           GError     **error)
{
  gsize root_len = strlen (root);
  g_autofree char *prefix = g_strdup (host);

  for (char *p = prefix + root_len; ; p++)
    {
      char saved = *p;

      if (saved != '/' && saved != '\0')
        continue;
      if (p > prefix + root_len)
        {
          *p = '\0';
          if (g_mkdir (prefix, 0777) != 0 && !(errno == EEXIST && g_file_test (prefix, G_FILE_TEST_IS_DIR)))
            {
              os_error (error, errno == EEXIST ? ENOTDIR : errno, vpath);
              return FALSE;
            }
          *p = saved;
        }
      if (saved == '\0')
        break;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Listing                                                                              */

static void
node_meta_free (gpointer data)
{
  NodeMeta *meta = data;

  g_free (meta->real_path);
  g_clear_pointer (&meta->order, g_ptr_array_unref);
  g_free (meta);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in a directory: first those a loaded state listed, in its order, then the others
 * sorted (code-point order), so listings and saved states are deterministic. */
static GPtrArray *
list_names (SigmaFileSystemApp  *self,
            const char          *host,
            const char          *vpath,
            GError             **error)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  NodeMeta *meta = g_hash_table_lookup (self->meta, vpath);
  GDir *dir;
  const char *name;
  GHashTableIter iter;
  gpointer key;

  errno = 0;
  dir = g_dir_open (host, 0, NULL);
  if (dir == NULL)
    {
      int err = errno != 0 ? errno : EACCES;
      os_error (error, err, vpath);
      g_ptr_array_unref (names);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_hash_table_add (present, g_strdup (name));
  g_dir_close (dir);

  for (guint i = 0; meta != NULL && meta->order != NULL && i < meta->order->len; i++)
    {
      char *listed = g_ptr_array_index (meta->order, i);
      gpointer stored;

      if (g_hash_table_steal_extended (present, listed, &stored, NULL))
        g_ptr_array_add (names, stored);
    }
  g_hash_table_iter_init (&iter, present);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (rest, key);
  g_ptr_array_sort (rest, compare_names);
  for (guint i = 0; i < rest->len; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (rest, i)));
  return names;
}

/* What an entry is: symbolic links are shown as what they point to when that is inside the
 * root, otherwise as "other"; recursive walks never follow them. */
static const char *
entry_type (SigmaFileSystemApp *self,
            const char         *host,
            gboolean            follow,
            gint64             *size)
{
  GStatBuf st;

  *size = 0;
  if (g_lstat (host, &st) != 0)
    return NULL;
  if (S_ISLNK (st.st_mode))
    {
      char *real;
      gboolean ok;

      if (!follow)
        return "other";
      real = realpath (host, NULL);
      ok = real != NULL && is_inside (self->root_real, real) && g_stat (real, &st) == 0;
      free (real);
      if (!ok)
        return "other";
    }
  if (S_ISDIR (st.st_mode))
    return "directory";
  *size = st.st_size;
  return S_ISREG (st.st_mode) ? "file" : "other";
}

/* fsspec's info() without the host details: name (sandbox path), size and type. Directory
 * sizes depend on the host's file system, so they are 0. */
static JsonObject *
info_object (SigmaFileSystemApp *self,
             const char         *host,
             const char         *vpath)
{
  JsonObject *obj = json_object_new ();
  gint64 size;
  const char *type = entry_type (self, host, TRUE, &size);

  json_object_set_string_member (obj, "name", vpath);
  json_object_set_int_member (obj, "size", size);
  json_object_set_string_member (obj, "type", type != NULL ? type : "other");
  return obj;
}

static gboolean
check_exists (const char  *host,
              const char  *vpath,
              GError     **error)
{
  GStatBuf st;

  if (g_lstat (host, &st) != 0)
    {
      os_error (error, errno, vpath);
      return FALSE;
    }
  return TRUE;
}

static gboolean
host_is_dir (const char *host)
{
  GStatBuf st;

  return g_lstat (host, &st) == 0 && S_ISDIR (st.st_mode);
}

/* ls: a directory's entries, or the path itself for a file. */
static JsonArray *
list_entries (SigmaFileSystemApp  *self,
              FsPath              *p,
              gboolean             detail,
              GError             **error)
{
  g_autoptr(GPtrArray) names = NULL;
  JsonArray *result;

  if (!check_exists (p->host, p->vpath, error))
    return NULL;
  result = json_array_new ();
  if (!host_is_dir (p->host))
    {
      if (detail)
        json_array_add_object_element (result, info_object (self, p->host, p->vpath));
      else
        json_array_add_string_element (result, p->vpath);
      return result;
    }

  names = list_names (self, p->host, p->vpath, error);
  if (names == NULL)
    {
      json_array_unref (result);
      return NULL;
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *child = vpath_child (p->vpath, name);

      if (detail)
        {
          g_autofree char *host = g_build_filename (p->host, name, NULL);
          json_array_add_object_element (result, info_object (self, host, child));
        }
      else
        json_array_add_string_element (result, child);
    }
  return result;
}

/* ------------------------------------------------------------------------------------ */
/* The loaded state's extra facts                                                       */

/* Forgets what the state said about a path that was removed or moved away. */
static void
meta_forget (SigmaFileSystemApp *self,
             const char         *vpath)
{
  g_autofree char *parent = g_path_get_dirname (vpath);
  NodeMeta *meta = g_hash_table_lookup (self->meta, parent);
  GHashTableIter iter;
  gpointer key;
  gsize len = strlen (vpath);

  g_hash_table_iter_init (&iter, self->meta);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (strncmp (key, vpath, len) == 0 && (((char *) key)[len] == '\0' || ((char *) key)[len] == '/'))
      g_hash_table_iter_remove (&iter);

  if (meta != NULL && meta->order != NULL)
    for (guint i = 0; i < meta->order->len; i++)
      if (g_str_equal (g_ptr_array_index (meta->order, i), vpath_basename (vpath)))
        {
          g_ptr_array_remove_index (meta->order, i);
          break;
        }
}

static void
reset_meta (SigmaFileSystemApp *self)
{
  g_hash_table_remove_all (self->meta);
  g_free (self->root_name);
  self->root_name = g_strdup ("");
  self->gaia2_style = FALSE;
  self->emit_tmpdir = TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static gboolean
refuse_root (FsPath  *p,
             const char *path,
             GError **error)
{
  if (g_str_equal (p->vpath, "/"))
    {
      sigma_tool_error (error, "Operation not allowed on the sandbox root: %s", path);
      return TRUE;
    }
  return FALSE;
}

/* Python's open() modes: one of r, w, a, x, then optionally b or t and +. */
static gboolean
parse_mode (const char  *mode,
            int         *flags,
            GError     **error)
{
  int kind = 0, plus = 0, binary = 0, text = 0;

  for (const char *p = mode; *p != '\0'; p++)
    switch (*p)
      {
      case 'r': case 'w': case 'a': case 'x':
        if (kind != 0)
          goto invalid;
        kind = *p;
        break;
      case '+': plus++; break;
      case 'b': binary++; break;
      case 't': text++; break;
      default: goto invalid;
      }
  if (kind == 0 || plus > 1 || binary > 1 || text > 1 || (binary && text))
    goto invalid;

  switch (kind)
    {
    case 'r': *flags = plus ? O_RDWR : O_RDONLY; break;
    case 'w': *flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC; break;
    case 'a': *flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND; break;
    default: *flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_EXCL; break;
    }
  return TRUE;

invalid:
  sigma_tool_error (error, "invalid mode: '%s'", mode);
  return FALSE;
}

/* open: there is no handle to hand out as JSON, so the call does what opening does at once
 * (checks a file to read, creates or truncates one to write) and describes the handle. */
static JsonNode *
tool_open (SigmaApp    *app,
           JsonObject  *args,
           gpointer     user_data,
           GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  const char *mode = sigma_args_string (args, "mode");
  g_auto(FsPath) p = { NULL, };
  JsonObject *result;
  GStatBuf st;
  int flags;

  if (!resolve (self, sigma_args_string (args, "path"), TRUE, &p, error) ||
      !parse_mode (mode, &flags, error))
    return NULL;
  if ((flags & O_ACCMODE) == O_RDONLY && g_stat (p.host, &st) == 0 && S_ISDIR (st.st_mode))
    {
      os_error (error, EISDIR, p.vpath);
      return NULL;
    }
  if (!open_host_file (p.host, p.vpath, flags, NULL, error))
    return NULL;

  result = json_object_new ();
  json_object_set_string_member (result, "name", p.vpath);
  json_object_set_string_member (result, "mode", mode);
  return sigma_json_object (result);
}

/* File contents as JSON text: UTF-8 as it is, anything else with U+FFFD replacements. */
static JsonNode *
bytes_to_json (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = g_utf8_make_valid (data != NULL ? data : "", (gssize) size);

  return sigma_json_string (text);
}

static void
collect_tree (SigmaFileSystemApp *self,
              const char         *host,
              const char         *vpath,
              GPtrArray          *vpaths)
{
  g_autoptr(GPtrArray) names = NULL;

  g_ptr_array_add (vpaths, g_strdup (vpath));
  if (!host_is_dir (host))
    return;
  names = list_names (self, host, vpath, NULL);
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *child_host = g_build_filename (host, name, NULL);
      g_autofree char *child = vpath_child (vpath, name);

      collect_tree (self, child_host, child, vpaths);
    }
}

static GBytes *
read_vpath (SigmaFileSystemApp  *self,
            const char          *vpath,
            GError             **error)
{
  g_auto(FsPath) p = { NULL, };

  if (!resolve (self, vpath, TRUE, &p, error))
    return NULL;
  return read_host_file (p.host, p.vpath, error);
}

/* cat: a file's contents; with recursive on a directory, fsspec's {path: contents} over the
 * directory and everything below it, in path order. The directories themselves cannot be
 * read, so on_error="raise" (the default) fails on the first one, "omit" skips them and
 * "return" records their error text. */
static JsonNode *
tool_cat (SigmaApp    *app,
          JsonObject  *args,
          gpointer     user_data,
          GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  const char *on_error = sigma_args_string (args, "on_error");
  g_auto(FsPath) p = { NULL, };
  g_autoptr(GPtrArray) vpaths = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *result;

  if (on_error == NULL)
    on_error = "raise";
  if (!resolve (self, sigma_args_string (args, "path"), TRUE, &p, error))
    return NULL;

  if (!sigma_args_bool (args, "recursive") || !host_is_dir (p.host))
    {
      bytes = read_host_file (p.host, p.vpath, error);
      return bytes != NULL ? bytes_to_json (bytes) : NULL;
    }

  vpaths = g_ptr_array_new_with_free_func (g_free);
  collect_tree (self, p.host, p.vpath, vpaths);
  g_ptr_array_sort (vpaths, compare_names);
  result = json_object_new ();
  for (guint i = 0; i < vpaths->len; i++)
    {
      const char *vpath = g_ptr_array_index (vpaths, i);
      g_autoptr(GError) read_error = NULL;
      g_autoptr(GBytes) contents = read_vpath (self, vpath, &read_error);

      if (contents != NULL)
        json_object_set_member (result, vpath, bytes_to_json (contents));
      else if (g_str_equal (on_error, "raise"))
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          json_object_unref (result);
          return NULL;
        }
      else if (g_str_equal (on_error, "return"))
        json_object_set_string_member (result, vpath, read_error->message);
    }
  return sigma_json_object (result);
}

/* mkdir (fsspec): an existing path is an error; otherwise make it, with its parents when
 * asked. */
static gboolean
do_mkdir (SigmaFileSystemApp  *self,
          const char          *path,
          gboolean             create_parents,
          GError             **error)
{
  g_auto(FsPath) p = { NULL, };
  GStatBuf st;

  if (!resolve (self, path, TRUE, &p, error))
    return FALSE;
  if (g_lstat (p.host, &st) == 0)
    {
      os_error (error, EEXIST, p.vpath);
      return FALSE;
    }
  if (create_parents)
    return make_dirs (self->root_real, p.host, p.vpath, error);
  if (g_mkdir (p.host, 0777) != 0)
    {
      os_error (error, errno, p.vpath);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
tool_mkdir (SigmaApp    *app,
            JsonObject  *args,
            gpointer     user_data,
            GError     **error)
{
  do_mkdir (SIGMA_FILE_SYSTEM_APP (app), sigma_args_string (args, "path"),
            sigma_args_bool (args, "create_parents"), error);
  return NULL;
}

static JsonNode *
tool_vfs_mkdir (SigmaApp    *app,
                JsonObject  *args,
                gpointer     user_data,
                GError     **error)
{
  do_mkdir (SIGMA_FILE_SYSTEM_APP (app), sigma_args_string (args, "path"),
            sigma_args_bool (args, "create_recursive"), error);
  return NULL;
}

/* makedirs (os.makedirs): an existing directory is fine only with exist_ok. */
static JsonNode *
tool_makedirs (SigmaApp    *app,
               JsonObject  *args,
               gpointer     user_data,
               GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  g_auto(FsPath) p = { NULL, };
  GStatBuf st;

  if (!resolve (self, sigma_args_string (args, "path"), TRUE, &p, error))
    return NULL;
  if (g_stat (p.host, &st) == 0)
    {
      if (!S_ISDIR (st.st_mode) || !sigma_args_bool (args, "exist_ok"))
        os_error (error, EEXIST, p.vpath);
      return NULL;
    }
  make_dirs (self->root_real, p.host, p.vpath, error);
  return NULL;
}

/* mv (shutil.move): into an existing directory, or onto the destination path. */
static JsonNode *
tool_mv (SigmaApp    *app,
         JsonObject  *args,
         gpointer     user_data,
         GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  const char *path1 = sigma_args_string (args, "path1");
  const char *path2 = sigma_args_string (args, "path2");
  g_auto(FsPath) src = { NULL, };
  g_auto(FsPath) dst = { NULL, };
  g_autofree char *target_host = NULL;
  g_autofree char *target = NULL;
  GStatBuf st;

  if (!resolve (self, path1, FALSE, &src, error) || !resolve (self, path2, TRUE, &dst, error))
    return NULL;
  if (refuse_root (&src, path1, error))
    return NULL;
  if (!check_exists (src.host, src.vpath, error))
    return NULL;

  if (g_stat (dst.host, &st) == 0 && S_ISDIR (st.st_mode) && !g_str_equal (src.vpath, dst.vpath))
    {
      target_host = g_build_filename (dst.host, vpath_basename (src.vpath), NULL);
      target = vpath_child (dst.vpath, vpath_basename (src.vpath));
      if (g_lstat (target_host, &st) == 0)
        {
          sigma_tool_error (error, "Destination path '%s' already exists", target);
          return NULL;
        }
    }
  else
    {
      target_host = g_strdup (dst.host);
      target = g_strdup (dst.vpath);
    }

  if (host_is_dir (src.host) && g_str_has_prefix (target, src.vpath) && target[strlen (src.vpath)] == '/')
    {
      sigma_tool_error (error, "Cannot move a directory '%s' into itself '%s'.", src.vpath, target);
      return NULL;
    }
  if (g_rename (src.host, target_host) != 0)
    {
      os_error (error, errno, target);
      return NULL;
    }
  if (!g_str_equal (src.vpath, target))
    meta_forget (self, src.vpath);
  return NULL;
}

static JsonNode *
tool_ls (SigmaApp    *app,
         JsonObject  *args,
         gpointer     user_data,
         GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  g_auto(FsPath) p = { NULL, };
  JsonArray *entries;

  if (!resolve (self, sigma_args_string (args, "path"), TRUE, &p, error))
    return NULL;
  entries = list_entries (self, &p, sigma_args_bool (args, "detail"), error);
  return entries != NULL ? sigma_json_array (entries) : NULL;
}

/* rm and rmdir remove the entry itself: a symbolic link is removed, not its target. */
static JsonNode *
tool_rm (SigmaApp    *app,
         JsonObject  *args,
         gpointer     user_data,
         GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  const char *path = sigma_args_string (args, "path");
  JsonNode *maxdepth = json_object_get_member (args, "maxdepth");
  g_auto(FsPath) p = { NULL, };
  int err;

  /* fsspec accepts maxdepth and checks it; the local file system removes whole trees */
  if (maxdepth != NULL && !JSON_NODE_HOLDS_NULL (maxdepth) && json_node_get_int (maxdepth) < 1)
    {
      sigma_tool_error (error, "maxdepth must be at least 1");
      return NULL;
    }
  if (!resolve (self, path, FALSE, &p, error) || refuse_root (&p, path, error) ||
      !check_exists (p.host, p.vpath, error))
    return NULL;

  if (host_is_dir (p.host) && !sigma_args_bool (args, "recursive"))
    err = EISDIR;   /* os.remove on a directory */
  else
    err = remove_tree (p.host);
  if (err != 0)
    {
      os_error (error, err, p.vpath);
      return NULL;
    }
  meta_forget (self, p.vpath);
  return NULL;
}

static JsonNode *
tool_rmdir (SigmaApp    *app,
            JsonObject  *args,
            gpointer     user_data,
            GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  const char *path = sigma_args_string (args, "path");
  g_auto(FsPath) p = { NULL, };

  if (!resolve (self, path, FALSE, &p, error) || refuse_root (&p, path, error))
    return NULL;
  if (g_rmdir (p.host) != 0)
    {
      os_error (error, errno, p.vpath);
      return NULL;
    }
  meta_forget (self, p.vpath);
  return NULL;
}

/* exists and display: whether the path names something (the path must still be inside). */
static JsonNode *
tool_exists (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  g_auto(FsPath) p = { NULL, };
  GStatBuf st;

  if (!resolve (SIGMA_FILE_SYSTEM_APP (app), sigma_args_string (args, "path"), TRUE, &p, error))
    return NULL;
  return sigma_json_bool (g_stat (p.host, &st) == 0);
}

static JsonNode *
tool_info (SigmaApp    *app,
           JsonObject  *args,
           gpointer     user_data,
           GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  g_auto(FsPath) p = { NULL, };

  if (!resolve (self, sigma_args_string (args, "path"), TRUE, &p, error) ||
      !check_exists (p.host, p.vpath, error))
    return NULL;
  return sigma_json_object (info_object (self, p.host, p.vpath));
}

/* tree's recursion: ARE sorts every listing (code-point order) and draws "├── "/"└── "
 * with four spaces per level. Symbolic links are not followed, so a link cannot loop. */
static gboolean
append_tree (SigmaFileSystemApp  *self,
             GString             *out,
             const char          *host,
             const char          *vpath,
             guint                level,
             GError             **error)
{
  g_autoptr(GPtrArray) names = list_names (self, host, vpath, error);

  if (names == NULL)
    return FALSE;
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *child_host = g_build_filename (host, name, NULL);
      g_autofree char *child = vpath_child (vpath, name);

      for (guint l = 0; l < level; l++)
        g_string_append (out, "    ");
      g_string_append (out, i + 1 == names->len ? "└── " : "├── ");
      g_string_append (out, name);
      g_string_append_c (out, '\n');
      if (host_is_dir (child_host) && !append_tree (self, out, child_host, child, level + 1, error))
        return FALSE;
    }
  return TRUE;
}

/* tree: the first line is the base name of the path as given ("/" when it has none). A file
 * lists itself, as ls does. */
static JsonNode *
tool_tree (SigmaApp    *app,
           JsonObject  *args,
           gpointer     user_data,
           GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  const char *path = sigma_args_string (args, "path");
  const char *slash = strrchr (path, '/');
  const char *base = slash != NULL ? slash + 1 : path;
  g_auto(FsPath) p = { NULL, };
  g_autofree char *text = NULL;
  GString *out;

  if (!resolve (self, path, TRUE, &p, error) || !check_exists (p.host, p.vpath, error))
    return NULL;

  out = g_string_new (base[0] != '\0' ? base : "/");
  g_string_append_c (out, '\n');
  if (!host_is_dir (p.host))
    g_string_append_printf (out, "└── %s\n", vpath_basename (p.vpath));
  else if (!append_tree (self, out, p.host, p.vpath, 0, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  text = g_string_free (out, FALSE);
  return sigma_json_string (text);
}

/* The first max_lines lines and ARE's truncation note, when the text is longer. */
static char *
truncate_lines (const char *text,
                gint64      max_lines)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);   /* str.split("\n") */
  guint n_lines = g_strv_length (lines);
  GString *out;

  if ((gint64) n_lines <= max_lines)
    return g_strdup (text);
  out = g_string_new (NULL);
  for (gint64 i = 0; i < max_lines; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, lines[i]);
    }
  g_string_append_printf (out, "\n\n[Document truncated. Showing %" G_GINT64_FORMAT " of %u lines]",
                          max_lines, n_lines);
  return g_string_free (out, FALSE);
}

/* read_document: text documents as they are, cut to max_lines; every failure after the path
 * check is ARE's "File not found or could not be read" error. Sigma converts no binary
 * formats (PDF, Office, images). */
static JsonNode *
tool_read_document (SigmaApp    *app,
                    JsonObject  *args,
                    gpointer     user_data,
                    GError     **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  const char *file_path = sigma_args_string (args, "file_path");
  JsonNode *max_node = json_object_get_member (args, "max_lines");
  g_auto(FsPath) p = { NULL, };
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *text = NULL;
  const char *data = NULL;
  gsize size = 0;

  if (!resolve (self, file_path, TRUE, &p, error))
    return NULL;

  bytes = read_host_file (p.host, p.vpath, &read_error);
  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);
  if (bytes == NULL)
    problem = g_strdup (read_error->message);
  else if (size == 0)
    problem = g_strdup_printf ("File is empty: %s", file_path);
  else if (!g_utf8_validate_len (data, size, NULL))
    {
      const char *dot = strrchr (vpath_basename (p.vpath), '.');
      problem = g_strdup_printf ("Cannot convert %s documents to text", dot != NULL ? dot : "binary");
    }
  if (problem != NULL)
    {
      sigma_tool_error (error, "File not found or could not be read: %s. Error: %s", file_path, problem);
      return NULL;
    }

  text = g_strndup (data, size);
  if (max_node != NULL && !JSON_NODE_HOLDS_NULL (max_node) && json_node_get_int (max_node) > 0)
    {
      g_autofree char *cut = truncate_lines (text, json_node_get_int (max_node));
      return sigma_json_string (cut);
    }
  return sigma_json_string (text);
}

#define PATH_DOC "A path in the file system; \"/\" is its root."

/* ARE's SandboxLocalFileSystem (also Files), in registration order. */
static const SigmaToolSpec sandbox_tools[] = {
  {
    "open",
    "Opens a file in a Python mode such as rb or w, creating or emptying it when the mode writes.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_open,
    "A description of the opened file: its name and mode.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "mode", SIGMA_VALUE_TYPE_STRING, "The open mode: r, w, a or x, optionally with b or t and +.", "\"rb\"" },
      { "block_size", SIGMA_VALUE_TYPE_INTEGER, "Accepted for compatibility; has no effect.", "null" },
      { "cache_options", SIGMA_VALUE_TYPE_OBJECT, "Accepted for compatibility; has no effect.", "null" },
      { "compression", SIGMA_VALUE_TYPE_STRING, "Accepted for compatibility; has no effect.", "null" },
      { NULL }
    }
  },
  {
    "cat",
    "Reads the contents of a file, or of every file below a directory when recursive.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_cat,
    "The file's text, or an object mapping each path to its text.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "recursive", SIGMA_VALUE_TYPE_BOOLEAN, "Whether to read everything below a directory.", "false" },
      { "on_error", SIGMA_VALUE_TYPE_STRING, "What a recursive read does with unreadable entries: raise, omit or return.", "\"raise\"" },
      { NULL }
    }
  },
  {
    "mkdir",
    "Creates a directory that does not exist yet.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_mkdir,
    NULL,
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "create_parents", SIGMA_VALUE_TYPE_BOOLEAN, "Whether to create missing parent directories too.", "true" },
      { NULL }
    }
  },
  {
    "makedirs",
    "Creates a directory together with any missing parent directories.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_makedirs,
    NULL,
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "exist_ok", SIGMA_VALUE_TYPE_BOOLEAN, "Whether an existing directory is accepted instead of being an error.", "false" },
      { NULL }
    }
  },
  {
    "mv",
    "Moves or renames a file or directory; moving onto an existing directory puts it inside.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_mv,
    NULL,
    {
      { "path1", SIGMA_VALUE_TYPE_STRING, "The path to move.", NULL },
      { "path2", SIGMA_VALUE_TYPE_STRING, "The new path, or an existing directory to move into.", NULL },
      { "recursive", SIGMA_VALUE_TYPE_BOOLEAN, "Accepted for compatibility; directories always move whole.", "false" },
      { "maxdepth", SIGMA_VALUE_TYPE_INTEGER, "Accepted for compatibility; has no effect.", "null" },
      { NULL }
    }
  },
  {
    "ls",
    "Lists the entries of a directory.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_ls,
    "The paths of the entries, or objects with name, size and type when detail is set.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, "\".\"" },
      { "detail", SIGMA_VALUE_TYPE_BOOLEAN, "Whether to return name, size and type for each entry.", "false" },
      { NULL }
    }
  },
  {
    "rm",
    "Removes a file, or a directory with everything in it when recursive.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_rm,
    NULL,
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "recursive", SIGMA_VALUE_TYPE_BOOLEAN, "Whether to remove a directory and its contents.", "false" },
      { "maxdepth", SIGMA_VALUE_TYPE_INTEGER, "Must be at least 1 when given; the whole directory is removed.", "null" },
      { NULL }
    }
  },
  {
    "exists",
    "Tells whether a file or directory exists.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_exists,
    "true or false.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { NULL }
    }
  },
  {
    "display",
    "Shows a file to the user without adding it to the agent's context.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_exists,
    "true if the file exists, false otherwise.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { NULL }
    }
  },
  {
    "info",
    "Describes a file or directory.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_info,
    "An object with name, size and type (file or directory).",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { NULL }
    }
  },
  {
    "tree",
    "Draws the files and directories below a path as an indented tree.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_tree,
    "The tree as text, one entry per line.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, "The directory to start from; the root by default.", "\".\"" },
      { NULL }
    }
  },
  {
    "read_document",
    "Reads a text document, keeping only its first lines when max_lines is set (recommended for long files).",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_read_document,
    "The document's text.",
    {
      { "file_path", SIGMA_VALUE_TYPE_STRING, "The path of the document.", NULL },
      { "max_lines", SIGMA_VALUE_TYPE_INTEGER, "The most lines to return; null or 0 returns the whole document.", "20", SIGMA_VALUE_TYPE_ANY, TRUE },
      { NULL }
    }
  },
};

/* ARE's VirtualFileSystem, in registration order. */
static const SigmaToolSpec virtual_tools[] = {
  {
    "open",
    "Opens a file in a Python mode such as rb or w, creating or emptying it when the mode writes.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_open,
    "A description of the opened file: its name and mode.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "mode", SIGMA_VALUE_TYPE_STRING, "The open mode: r, w, a or x, optionally with b or t and +.", "\"rb\"" },
      { NULL }
    }
  },
  {
    "cat",
    "Reads the contents of a file.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_cat,
    "The file's text.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { NULL }
    }
  },
  {
    "mkdir",
    "Creates a directory that does not exist yet.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_vfs_mkdir,
    NULL,
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "create_recursive", SIGMA_VALUE_TYPE_BOOLEAN, "Whether to create missing parent directories too.", "true" },
      { NULL }
    }
  },
  {
    "mv",
    "Moves or renames a file or directory; moving onto an existing directory puts it inside.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_mv,
    NULL,
    {
      { "path1", SIGMA_VALUE_TYPE_STRING, "The path to move.", NULL },
      { "path2", SIGMA_VALUE_TYPE_STRING, "The new path, or an existing directory to move into.", NULL },
      { NULL }
    }
  },
  {
    "ls",
    "Lists the entries of a directory.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_ls,
    "The paths of the entries, or objects with name, size and type when detail is set.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, "\".\"" },
      { "detail", SIGMA_VALUE_TYPE_BOOLEAN, "Whether to return name, size and type for each entry.", "false" },
      { NULL }
    }
  },
  {
    "rm",
    "Removes a file, or a directory with everything in it when recursive.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_rm,
    NULL,
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { "recursive", SIGMA_VALUE_TYPE_BOOLEAN, "Whether to remove a directory and its contents.", "false" },
      { NULL }
    }
  },
  {
    "rmdir",
    "Removes an empty directory.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_rmdir,
    NULL,
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { NULL }
    }
  },
  {
    "exists",
    "Tells whether a file or directory exists.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_exists,
    "true or false.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { NULL }
    }
  },
  {
    "info",
    "Describes a file or directory.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_info,
    "An object with name, size and type (file or directory).",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, PATH_DOC, NULL },
      { NULL }
    }
  },
  {
    "tree",
    "Draws the files and directories below a path as an indented tree.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_tree,
    "The tree as text, one entry per line.",
    {
      { "path", SIGMA_VALUE_TYPE_STRING, "The directory to start from; the root by default.", "\".\"" },
      { NULL }
    }
  },
};

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static JsonObject *
node_to_object (SigmaFileSystemApp *self,
                const char         *host,
                const char         *vpath,
                const char         *name)
{
  JsonObject *obj = json_object_new ();
  NodeMeta *meta = g_hash_table_lookup (self->meta, vpath);
  gboolean has_real_path = meta != NULL ? meta->has_real_path : self->gaia2_style;
  gint64 size;
  /* links are not followed: they are saved as files */
  gboolean is_dir = g_strcmp0 (entry_type (self, host, FALSE, &size), "directory") == 0;

  json_object_set_string_member (obj, "name", name);
  json_object_set_string_member (obj, "type", is_dir ? "directory" : "file");
  if (has_real_path)
    {
      if (meta != NULL && meta->real_path != NULL)
        json_object_set_string_member (obj, "real_path", meta->real_path);
      else
        json_object_set_null_member (obj, "real_path");
    }
  if (is_dir)
    {
      JsonArray *children = json_array_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) names = list_names (self, host, vpath, &error);

      if (names == NULL)
        g_warning ("%s: cannot list %s: %s", sigma_app_get_name (SIGMA_APP (self)), vpath, error->message);
      for (guint i = 0; names != NULL && i < names->len; i++)
        {
          const char *child = g_ptr_array_index (names, i);
          g_autofree char *child_host = g_build_filename (host, child, NULL);
          g_autofree char *child_vpath = vpath_child (vpath, child);

          json_array_add_object_element (children, node_to_object (self, child_host, child_vpath, child));
        }
      json_object_set_array_member (obj, "children", children);
    }
  else if (meta != NULL ? meta->has_children : self->gaia2_style)
    json_object_set_array_member (obj, "children", json_array_new ());
  return obj;
}

/* ARE's get_state walks the sandbox: {"files": tree, "tmpdir": root}. A loaded Gaia2 tree
 * comes back in its own form (real_path members, no tmpdir). */
static JsonNode *
sigma_file_system_app_get_state (SigmaApp *app)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  g_autoptr(GError) error = NULL;
  const char *root = ensure_root (self, &error);
  JsonObject *state = json_object_new ();

  if (root == NULL)
    {
      g_warning ("%s: %s", sigma_app_get_name (app), error->message);
      json_object_unref (state);
      return NULL;
    }
  json_object_set_object_member (state, "files", node_to_object (self, root, "/", self->root_name));
  if (self->emit_tmpdir)
    json_object_set_string_member (state, "tmpdir", self->root != NULL ? self->root : self->private_root);
  return sigma_json_object (state);
}

/* One node of a state tree to recreate. */
typedef struct
{
  char     *vpath;
  gboolean  is_dir;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->vpath);
  g_free (entry);
}

typedef struct
{
  SigmaFileSystemApp *self;
  SigmaStateReader    reader;     /* strict: the lenient importer skips whole nodes */
  gboolean            lenient;
  GPtrArray          *entries;    /* (element-type Entry), parents first */
  GHashTable         *meta;       /* sandbox path → NodeMeta */
} StateLoader;

static const char * const node_fields[] = { "name", "type", "real_path", "children" };

static gboolean load_node (StateLoader *loader, JsonNode *node, const char *path,
                           const char *vpath, gboolean is_root, char **name_out, GError **error);

static gboolean
valid_name (const char *name)
{
  return name[0] != '\0' && !g_str_equal (name, ".") && !g_str_equal (name, "..") &&
         strchr (name, '/') == NULL;
}

/* Forgets the entries (and their facts) added since @mark: a child the lenient importer
 * skips leaves nothing behind. */
static void
loader_rewind (StateLoader *loader,
               guint        mark)
{
  for (guint i = mark; i < loader->entries->len; i++)
    g_hash_table_remove (loader->meta, ((Entry *) g_ptr_array_index (loader->entries, i))->vpath);
  g_ptr_array_set_size (loader->entries, mark);
}

/* The children of a directory node; the lenient importer skips a bad child. */
static gboolean
load_children (StateLoader  *loader,
               JsonArray    *children,   /* (nullable) */
               const char   *path,
               const char   *vpath,
               NodeMeta     *meta,
               GError      **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = children != NULL ? json_array_get_length (children) : 0;

  meta->order = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *child_path = g_strdup_printf ("%s.children[%u]", path, i);
      g_autoptr(GError) local_error = NULL;
      guint mark = loader->entries->len;
      char *name = NULL;

      JsonNode *child = json_array_get_element (children, i);
      JsonNode *name_node = JSON_NODE_HOLDS_OBJECT (child) ? json_object_get_member (json_node_get_object (child), "name") : NULL;
      const char *peek = name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
                         json_node_get_value_type (name_node) == G_TYPE_STRING ? json_node_get_string (name_node) : NULL;

      /* checked first, so that a skipped duplicate cannot touch its namesake */
      if (peek != NULL && g_hash_table_contains (seen, peek))
        sigma_state_problem (&loader->reader, &local_error, "%s.name: duplicate name '%s'", child_path, peek);
      else
        load_node (loader, child, child_path, vpath, FALSE, &name, &local_error);
      if (local_error != NULL)
        {
          if (!loader->lenient)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_warning ("%s (skipped)", local_error->message);
          loader_rewind (loader, mark);
          continue;
        }
      g_ptr_array_add (meta->order, name);
      g_hash_table_add (seen, name);
    }
  return TRUE;
}

static gboolean
load_node (StateLoader  *loader,
           JsonNode     *node,
           const char   *path,
           const char   *parent_vpath,
           gboolean      is_root,
           char        **name_out,
           GError      **error)
{
  SigmaStateReader *r = &loader->reader;
  g_autofree char *vpath = NULL;
  const char *name = NULL, *type = NULL, *real_path = NULL;
  JsonArray *children = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  JsonObject *obj;
  NodeMeta *meta;
  Entry *entry;
  gboolean is_dir;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return sigma_state_problem (r, error, "%s: expected an object", path);
  obj = json_node_get_object (node);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &member, &value))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (node_fields) && !known; i++)
        known = g_str_equal (member, node_fields[i]);
      if (!known)
        return sigma_state_problem (r, error, "%s: unknown field '%s'", path, member);
    }
  if (!sigma_state_get_string (r, obj, path, "name", TRUE, &name, error) ||
      !sigma_state_get_string (r, obj, path, "type", TRUE, &type, error) ||
      !sigma_state_get_string (r, obj, path, "real_path", FALSE, &real_path, error) ||
      !sigma_state_get_array (r, obj, path, "children", FALSE, &children, error))
    return FALSE;
  if (!g_str_equal (type, "directory") && !g_str_equal (type, "file"))
    return sigma_state_problem (r, error, "%s.type: expected \"file\" or \"directory\", got '%s'", path, type);
  is_dir = g_str_equal (type, "directory");
  if (is_root && !is_dir)
    return sigma_state_problem (r, error, "%s.type: the root must be a directory", path);
  if (!is_root && !valid_name (name))
    return sigma_state_problem (r, error, "%s.name: invalid file name '%s'", path, name);
  if (!is_dir && children != NULL && json_array_get_length (children) > 0)
    return sigma_state_problem (r, error, "%s.children: a file cannot have children", path);

  vpath = is_root ? g_strdup ("/") : vpath_child (parent_vpath, name);
  meta = g_new0 (NodeMeta, 1);
  meta->has_real_path = json_object_has_member (obj, "real_path");
  meta->real_path = g_strdup (real_path);
  meta->has_children = !is_dir && json_object_has_member (obj, "children");
  g_hash_table_replace (loader->meta, g_strdup (vpath), meta);

  if (!is_root)
    {
      entry = g_new0 (Entry, 1);
      entry->vpath = g_strdup (vpath);
      entry->is_dir = is_dir;
      g_ptr_array_add (loader->entries, entry);
    }
  if (is_dir && !load_children (loader, children, path, vpath, meta, error))
    return FALSE;
  *name_out = g_strdup (name);
  return TRUE;
}

/* Recreates the tree in the root: missing directories, and empty files where nothing is
 * there yet (ARE makes empty placeholders too; their contents come from the root). */
static gboolean
materialize (SigmaFileSystemApp  *self,
             GPtrArray           *entries,
             GError             **error)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) local_error = NULL;
      g_auto(FsPath) p = { NULL, };
      GStatBuf st;
      gboolean ok;

      ok = resolve (self, entry->vpath, TRUE, &p, &local_error);
      if (ok && g_stat (p.host, &st) == 0)
        {
          if (S_ISDIR (st.st_mode) != entry->is_dir)
            {
              os_error (&local_error, entry->is_dir ? ENOTDIR : EISDIR, p.vpath);
              ok = FALSE;
            }
        }
      else if (ok && entry->is_dir)
        ok = make_dirs (self->root_real, p.host, p.vpath, &local_error);
      else if (ok)
        ok = open_host_file (p.host, p.vpath, O_WRONLY | O_CREAT, NULL, &local_error);
      if (!ok)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED, "%s: cannot recreate %s: %s",
                       sigma_app_get_name (SIGMA_APP (self)), entry->vpath, local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
sigma_file_system_app_load_state (SigmaApp  *app,
                                  JsonNode  *state,
                                  GError   **error)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);
  StateLoader loader = { self, { app, FALSE }, sigma_app_get_lenient (app), NULL, NULL };
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, node_meta_free);
  g_autofree char *root_name = NULL;
  SigmaStateReader r = { app, loader.lenient };
  JsonObject *root, *files = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  NodeMeta *root_meta;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  /* ARE's own environment state dumps (Environment.get_state) add the instance name as
   * `app_name`; like `tmpdir`, it is accepted and ignored */
  json_object_iter_init (&iter, root);
  while (json_object_iter_next (&iter, &member, &value))
    if (!g_str_equal (member, "files") && !g_str_equal (member, "tmpdir") &&
        !g_str_equal (member, "app_name") &&
        !sigma_state_problem (&r, error, "app_state: unknown field '%s'", member))
      return FALSE;
  if (!sigma_state_get_object (&r, root, "app_state", "files", FALSE, &files, error))
    return FALSE;

  loader.entries = entries;
  loader.meta = meta;
  if (files != NULL && !load_node (&loader, json_object_get_member (root, "files"), "app_state.files",
                                   "/", TRUE, &root_name, error))
    return FALSE;
  if (ensure_root (self, error) == NULL)
    return FALSE;

  /* ARE empties its sandbox first; a configured root is never emptied (it is the user's) */
  if (self->root == NULL)
    wipe_contents (self->root_real);
  if (!materialize (self, entries, error))
    return FALSE;

  root_meta = g_hash_table_lookup (meta, "/");
  g_hash_table_unref (self->meta);
  self->meta = g_steal_pointer (&meta);
  g_free (self->root_name);
  self->root_name = root_name != NULL ? g_steal_pointer (&root_name) : g_strdup ("");
  self->gaia2_style = root_meta != NULL && root_meta->has_real_path;
  self->emit_tmpdir = files == NULL || json_object_has_member (root, "tmpdir");
  return TRUE;
}

/* ARE's reset gives a fresh, empty sandbox; a configured root keeps its files. */
static void
sigma_file_system_app_reset (SigmaApp *app)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (app);

  if (self->root == NULL && self->root_real != NULL)
    wipe_contents (self->root_real);
  reset_meta (self);
}

/* ------------------------------------------------------------------------------------ */
/* SigmaFileSystem: attachments of the email and messaging apps                          */

static GBytes *
fs_read_file (SigmaFileSystem  *fs,
              const char       *path,
              GError          **error)
{
  return read_vpath (SIGMA_FILE_SYSTEM_APP (fs), path, error);
}

static gboolean
fs_write_file (SigmaFileSystem  *fs,
               const char       *path,
               GBytes           *contents,
               GError          **error)
{
  g_auto(FsPath) p = { NULL, };

  if (!resolve (SIGMA_FILE_SYSTEM_APP (fs), path, TRUE, &p, error))
    return FALSE;
  return write_host_file (p.host, p.vpath, contents, error);
}

/* A path outside the root does not exist. */
static gboolean
fs_exists (SigmaFileSystem *fs,
           const char      *path)
{
  g_auto(FsPath) p = { NULL, };
  GStatBuf st;

  return resolve (SIGMA_FILE_SYSTEM_APP (fs), path, TRUE, &p, NULL) && g_stat (p.host, &st) == 0;
}

static gboolean
fs_is_directory (SigmaFileSystem *fs,
                 const char      *path)
{
  g_auto(FsPath) p = { NULL, };
  GStatBuf st;

  return resolve (SIGMA_FILE_SYSTEM_APP (fs), path, TRUE, &p, NULL) &&
         g_stat (p.host, &st) == 0 && S_ISDIR (st.st_mode);
}

static void
sigma_file_system_app_iface_init (SigmaFileSystemInterface *iface)
{
  iface->read_file = fs_read_file;
  iface->write_file = fs_write_file;
  iface->exists = fs_exists;
  iface->is_directory = fs_is_directory;
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_file_system_app_constructed (GObject *object)
{
  SigmaApp *app = SIGMA_APP (object);

  G_OBJECT_CLASS (sigma_file_system_app_parent_class)->constructed (object);

  /* The tools depend on the ARE class the app was created as, known only now. */
  if (g_strcmp0 (sigma_app_get_class_name (app), "VirtualFileSystem") == 0)
    sigma_app_add_tool_specs (app, virtual_tools, G_N_ELEMENTS (virtual_tools));
  else
    sigma_app_add_tool_specs (app, sandbox_tools, G_N_ELEMENTS (sandbox_tools));
}

static void
sigma_file_system_app_finalize (GObject *object)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (object);

  drop_private_root (self);
  g_clear_pointer (&self->root, g_free);
  g_clear_pointer (&self->root_real, g_free);
  g_clear_pointer (&self->meta, g_hash_table_unref);
  g_clear_pointer (&self->root_name, g_free);

  G_OBJECT_CLASS (sigma_file_system_app_parent_class)->finalize (object);
}

static void
sigma_file_system_app_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      g_value_set_string (value, sigma_file_system_app_get_root (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_file_system_app_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SigmaFileSystemApp *self = SIGMA_FILE_SYSTEM_APP (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      sigma_file_system_app_set_root (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_file_system_app_class_init (SigmaFileSystemAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->constructed = sigma_file_system_app_constructed;
  object_class->finalize = sigma_file_system_app_finalize;
  object_class->get_property = sigma_file_system_app_get_property;
  object_class->set_property = sigma_file_system_app_set_property;

  app_class->get_state = sigma_file_system_app_get_state;
  app_class->load_state = sigma_file_system_app_load_state;
  app_class->reset = sigma_file_system_app_reset;
  app_class->app_class_name = "SandboxLocalFileSystem";

  /**
   * SigmaFileSystemApp:root:
   *
   * The host directory that holds the files (the content root); it is created when missing.
   * When %NULL, the app uses a private temporary directory, made on first use and removed
   * with the app. Reading the property makes that directory.
   */
  properties[PROP_ROOT] =
    g_param_spec_string ("root", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_file_system_app_init (SigmaFileSystemApp *self)
{
  self->meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, node_meta_free);
  self->root_name = g_strdup ("");
  self->emit_tmpdir = TRUE;
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

/**
 * sigma_file_system_app_get_root:
 * @self: a #SigmaFileSystemApp
 *
 * The directory that holds the files. Without a configured root this makes the private
 * temporary directory if it does not exist yet.
 *
 * Returns: (nullable): the root, or %NULL if the private directory cannot be made
 *
 * Since: 0.1
 */
const char *
sigma_file_system_app_get_root (SigmaFileSystemApp *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SIGMA_IS_FILE_SYSTEM_APP (self), NULL);

  if (self->root != NULL)
    return self->root;
  if (ensure_root (self, &error) == NULL)
    {
      g_warning ("%s: %s", sigma_app_get_name (SIGMA_APP (self)), error->message);
      return NULL;
    }
  return self->private_root;
}

/**
 * sigma_file_system_app_set_root:
 * @self: a #SigmaFileSystemApp
 * @root: (nullable) (type filename): a host directory, or %NULL for a private temporary one
 *
 * Sets #SigmaFileSystemApp:root. The files of the previous root are no longer visible; a
 * previous private directory is removed. What a loaded state said about the tree (order,
 * `real_path`) is forgotten.
 *
 * Since: 0.1
 */
void
sigma_file_system_app_set_root (SigmaFileSystemApp *self,
                                const char         *root)
{
  g_return_if_fail (SIGMA_IS_FILE_SYSTEM_APP (self));

  if (g_strcmp0 (self->root, root) == 0)
    return;
  drop_private_root (self);
  g_free (self->root);
  self->root = g_strdup (root);
  g_clear_pointer (&self->root_real, g_free);
  reset_meta (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
}
