/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-email-app.h"
#include "sigma-app-util.h"
#include "sigma-completed-event.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-file-system.h"
#include "sigma-random.h"
#include "sigma-time.h"

/**
 * SigmaEmailApp:
 *
 * An email client with folders and attachments (ARE's `EmailClientV2`, `EmailClientApp` and
 * `Mail`; apps.md §5).
 *
 * The app keeps four folders, INBOX, SENT, DRAFT and TRASH, each sorted by timestamp, newest
 * first. Nothing is delivered anywhere: sent emails only land in SENT, and incoming emails
 * are created by the environment tools (`send_email_to_user_only`, `create_and_add_email`,
 * `reply_to_email_from_user`), which also raise "New email received" notifications at
 * %SIGMA_VERBOSITY_MEDIUM and above.
 *
 * Attachments are stored in the emails as base64 text keyed by file name. They are read from
 * and written to the environment's file system (sigma_environment_get_file_system()); the
 * host file system is never used.
 *
 * Its `app_state` is ARE's: `{"user_email", "view_limit", "folders": {"INBOX": {"folder_name",
 * "emails": [...]}, ...}}`.
 *
 * Since: 0.1
 */

typedef enum
{
  FOLDER_INBOX,
  FOLDER_SENT,
  FOLDER_DRAFT,
  FOLDER_TRASH,
  N_FOLDERS
} FolderId;

/* ARE's EmailFolderName: the values equal the names, in declaration order. */
static const char * const folder_names[N_FOLDERS] = { "INBOX", "SENT", "DRAFT", "TRASH" };

#define DEFAULT_USER_EMAIL "user@meta.com"
#define DEFAULT_VIEW_LIMIT 5

typedef struct
{
  char *name;
  char *data;   /* base64 text */
} Attachment;

typedef struct
{
  char      *sender;
  GPtrArray *recipients;    /* (element-type utf8) */
  char      *subject;
  char      *content;
  char      *email_id;
  char      *parent_id;     /* (nullable) */
  GPtrArray *cc;            /* (element-type utf8) */
  GPtrArray *attachments;   /* (element-type Attachment) (nullable): NULL is JSON null */
  gdouble    timestamp;
  gint8      is_read;       /* TRUE, FALSE, or -1 for JSON null (Gaia2 data has nulls) */
  guint      timestamp_is_int : 1;   /* loaded as a JSON integer: saved as one */
  FolderId   folder;
  JsonNode  *json;          /* (nullable): the email as a sealed JSON object, built lazily */
} Email;

/* A list_emails result, shared (sealed) until the folder or one of its emails changes:
 * agents list the same pages again and again, and the log keeps every result. */
typedef struct
{
  JsonNode *result;   /* (nullable) */
  gint64    offset;
  gint64    limit;
} CachedPage;

#define N_CACHED_PAGES 4

typedef struct
{
  GPtrArray  *emails;   /* (element-type Email): newest first */
  gboolean    sorted;   /* timestamps do not increase (load_state keeps the JSON order) */
  CachedPage  pages[N_CACHED_PAGES];
  guint       next_page;   /* the cache slot to replace next */
} Folder;

struct _SigmaEmailApp
{
  SigmaApp   parent_instance;

  char      *user_email;
  gint64     view_limit;
  Folder     folders[N_FOLDERS];
  GHashTable *by_id;            /* email_id → Email, the first email added with that id */
  gboolean   has_duplicate_ids; /* then lookups scan the folder, as ARE does */
};

G_DEFINE_FINAL_TYPE (SigmaEmailApp, sigma_email_app, SIGMA_TYPE_APP)

/* ------------------------------------------------------------------------------------ */
/* Python text helpers                                                                  */

/* Python's repr() of a list of str. */
static char *
py_repr_list (GPtrArray *strings)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < strings->len; i++)
    {
      g_autofree char *repr = sigma_py_repr_str (g_ptr_array_index (strings, i));

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, repr);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* os.path.basename */
static const char *
py_basename (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

/* ------------------------------------------------------------------------------------ */
/* Emails                                                                               */

static void
attachment_free (gpointer data)
{
  Attachment *attachment = data;

  g_free (attachment->name);
  g_free (attachment->data);
  g_free (attachment);
}

static GPtrArray *
attachments_copy (GPtrArray *attachments)
{
  GPtrArray *copy;

  if (attachments == NULL)
    return NULL;
  copy = g_ptr_array_new_full (attachments->len, attachment_free);
  for (guint i = 0; i < attachments->len; i++)
    {
      Attachment *a = g_ptr_array_index (attachments, i);
      Attachment *b = g_new0 (Attachment, 1);

      b->name = g_strdup (a->name);
      b->data = g_strdup (a->data);
      g_ptr_array_add (copy, b);
    }
  return copy;
}

/* attachments[name] = data: a name already present keeps its place (Python dict). */
static void
email_set_attachment (Email      *email,
                      const char *name,
                      char       *data)   /* (transfer full) */
{
  Attachment *attachment;

  g_clear_pointer (&email->json, json_node_unref);
  if (email->attachments == NULL)
    email->attachments = g_ptr_array_new_with_free_func (attachment_free);
  for (guint i = 0; i < email->attachments->len; i++)
    {
      attachment = g_ptr_array_index (email->attachments, i);
      if (g_str_equal (attachment->name, name))
        {
          g_free (attachment->data);
          attachment->data = data;
          return;
        }
    }
  attachment = g_new0 (Attachment, 1);
  attachment->name = g_strdup (name);
  attachment->data = data;
  g_ptr_array_add (email->attachments, attachment);
}

static void
email_free (gpointer data)
{
  Email *email = data;

  g_free (email->sender);
  g_ptr_array_unref (email->recipients);
  g_free (email->subject);
  g_free (email->content);
  g_free (email->email_id);
  g_free (email->parent_id);
  g_ptr_array_unref (email->cc);
  g_clear_pointer (&email->attachments, g_ptr_array_unref);
  g_clear_pointer (&email->json, json_node_unref);
  g_free (email);
}

static Email *
email_alloc (void)
{
  Email *email = g_new0 (Email, 1);

  email->recipients = g_ptr_array_new_with_free_func (g_free);
  email->cc = g_ptr_array_new_with_free_func (g_free);
  email->attachments = g_ptr_array_new_with_free_func (attachment_free);
  return email;
}

static void
strings_add_json (GPtrArray *strings,
                  JsonArray *array)   /* (nullable): of strings, as the kernel validated */
{
  if (array == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (strings, g_strdup (json_array_get_string_element (array, i)));
}

/* ARE's Email.__post_init__ check: every address must contain "@". */
static gboolean
check_addresses (Email   *email,
                 GError **error)
{
  if (strchr (email->sender, '@') == NULL)
    {
      sigma_tool_error (error, "Invalid email address: %s", email->sender);
      return FALSE;
    }
  for (guint i = 0; i < email->recipients->len; i++)
    if (strchr (g_ptr_array_index (email->recipients, i), '@') == NULL)
      {
        sigma_tool_error (error, "Invalid email address: %s", (char *) g_ptr_array_index (email->recipients, i));
        return FALSE;
      }
  for (guint i = 0; i < email->cc->len; i++)
    if (strchr (g_ptr_array_index (email->cc, i), '@') == NULL)
      {
        sigma_tool_error (error, "Invalid email address: %s", (char *) g_ptr_array_index (email->cc, i));
        return FALSE;
      }
  return TRUE;
}

/* A new email as the tools build it: ARE's `Email(email_id=uuid_hex(rng), ...)`. The id is
 * drawn first, so a call that then fails validation still advanced the generator. Returns
 * NULL with the validation error. */
static Email *
email_new (SigmaEmailApp *self,
           const char    *sender,
           JsonArray     *recipients,
           const char    *single_recipient,
           const char    *subject_prefix,
           const char    *subject,
           const char    *content_prefix,
           const char    *content,
           const char    *parent_id,
           JsonArray     *cc,
           gboolean       is_read,
           gdouble        timestamp,
           GError       **error)
{
  Email *email = email_alloc ();

  email->email_id = sigma_random_uuid_hex (sigma_app_get_rand (SIGMA_APP (self)));
  email->sender = g_strdup (sender);
  strings_add_json (email->recipients, recipients);
  if (single_recipient != NULL)
    g_ptr_array_add (email->recipients, g_strdup (single_recipient));
  email->subject = g_strconcat (subject_prefix, subject, NULL);
  email->content = g_strconcat (content_prefix, content, NULL);
  email->parent_id = g_strdup (parent_id);
  strings_add_json (email->cc, cc);
  email->timestamp = timestamp;
  email->is_read = is_read ? TRUE : FALSE;

  if (!check_addresses (email, error))
    {
      email_free (email);
      return NULL;
    }
  return email;
}

/* The email as ARE serialises it, fields in declaration order. */
static JsonObject *
email_to_object (const Email *email)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "sender", email->sender);
  json_object_set_array_member (obj, "recipients", sigma_json_string_array (email->recipients));
  json_object_set_string_member (obj, "subject", email->subject);
  json_object_set_string_member (obj, "content", email->content);
  json_object_set_string_member (obj, "email_id", email->email_id);
  if (email->parent_id != NULL)
    json_object_set_string_member (obj, "parent_id", email->parent_id);
  else
    json_object_set_null_member (obj, "parent_id");
  json_object_set_array_member (obj, "cc", sigma_json_string_array (email->cc));
  if (email->attachments != NULL)
    {
      JsonObject *attachments = json_object_new ();

      for (guint i = 0; i < email->attachments->len; i++)
        {
          Attachment *attachment = g_ptr_array_index (email->attachments, i);
          json_object_set_string_member (attachments, attachment->name, attachment->data);
        }
      json_object_set_object_member (obj, "attachments", attachments);
    }
  else
    json_object_set_null_member (obj, "attachments");
  if (email->timestamp_is_int)
    json_object_set_int_member (obj, "timestamp", (gint64) email->timestamp);
  else
    json_object_set_double_member (obj, "timestamp", email->timestamp);
  if (email->is_read < 0)
    json_object_set_null_member (obj, "is_read");
  else
    json_object_set_boolean_member (obj, "is_read", email->is_read);
  return obj;
}

/* The email as a tool result: one sealed node per email, shared by every result that shows
 * it until the email changes (only is_read and the attachments ever do), so listing a folder
 * allocates no copies. */
static JsonNode *
email_get_json (Email *email)
{
  if (email->json == NULL)
    {
      email->json = sigma_json_object (email_to_object (email));
      json_node_seal (email->json);
    }
  return json_node_ref (email->json);
}

/* ------------------------------------------------------------------------------------ */
/* Folders                                                                              */

static void
folder_changed (Folder *folder)
{
  for (guint i = 0; i < N_CACHED_PAGES; i++)
    g_clear_pointer (&folder->pages[i].result, json_node_unref);
}

static JsonNode *
folder_lookup_page (Folder *folder,
                    gint64  offset,
                    gint64  limit)
{
  for (guint i = 0; i < N_CACHED_PAGES; i++)
    if (folder->pages[i].result != NULL && folder->pages[i].offset == offset && folder->pages[i].limit == limit)
      return json_node_ref (folder->pages[i].result);
  return NULL;
}

/* Seals and keeps a page (replacing the oldest kept one); returns a new reference. */
static JsonNode *
folder_keep_page (Folder   *folder,
                  gint64    offset,
                  gint64    limit,
                  JsonNode *result)   /* (transfer full) */
{
  CachedPage *page = &folder->pages[folder->next_page];

  folder->next_page = (folder->next_page + 1) % N_CACHED_PAGES;
  g_clear_pointer (&page->result, json_node_unref);
  json_node_seal (result);
  page->result = result;
  page->offset = offset;
  page->limit = limit;
  return json_node_ref (result);
}

static void
email_mark_read (SigmaEmailApp *self,
                 Email         *email)
{
  if (email->is_read != TRUE)
    {
      email->is_read = TRUE;
      g_clear_pointer (&email->json, json_node_unref);
      folder_changed (&self->folders[email->folder]);
    }
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Email *ea = *(Email * const *) a;
  const Email *eb = *(Email * const *) b;

  return (ea->timestamp < eb->timestamp) - (ea->timestamp > eb->timestamp);
}

static gboolean
folder_check_sorted (Folder *folder)
{
  for (guint i = 1; i < folder->emails->len; i++)
    {
      const Email *prev = g_ptr_array_index (folder->emails, i - 1);
      const Email *next = g_ptr_array_index (folder->emails, i);

      if (prev->timestamp < next->timestamp)
        return FALSE;
    }
  return TRUE;
}

/* ARE's EmailFolder.add_email: append, then `sorted(key=timestamp, reverse=True)`, a stable
 * sort that keeps equal timestamps in insertion order. On a sorted folder that is an
 * insertion after every email at least as new; an unsorted one (as loaded) is sorted whole. */
static void
folder_insert (Folder *folder,
               Email  *email)
{
  guint lo = 0, hi = folder->emails->len;

  folder_changed (folder);
  if (!folder->sorted)
    {
      g_ptr_array_add (folder->emails, email);
      g_ptr_array_sort (folder->emails, compare_newest_first);   /* stable */
      folder->sorted = TRUE;
      return;
    }
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const Email *other = g_ptr_array_index (folder->emails, mid);

      if (other->timestamp >= email->timestamp)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_ptr_array_insert (folder->emails, (gint) lo, email);
}

static void
folder_clear (Folder *folder)
{
  g_ptr_array_set_size (folder->emails, 0);
  folder->sorted = TRUE;
  folder_changed (folder);
}

/* Indexes an email by id; a second email with the same id makes lookups scan folders. */
static void
register_email (SigmaEmailApp *self,
                Email         *email)
{
  if (g_hash_table_contains (self->by_id, email->email_id))
    self->has_duplicate_ids = TRUE;
  else
    g_hash_table_insert (self->by_id, email->email_id, email);
}

/* Adds a new email (owned by the folder from now on). */
static void
add_email (SigmaEmailApp *self,
           Email         *email,
           FolderId       folder)
{
  email->folder = folder;
  folder_insert (&self->folders[folder], email);
  register_email (self, email);
}

/* Moves an email between folders (or to the end of its own ties): ARE adds it to the
 * destination and removes it from the source, which comes to the same order. */
static void
move_email_to (SigmaEmailApp *self,
               Email         *email,
               FolderId       dest)
{
  Folder *source = &self->folders[email->folder];
  guint index;

  if (g_ptr_array_find (source->emails, email, &index))
    g_ptr_array_steal_index (source->emails, index);
  folder_changed (source);
  email->folder = dest;
  folder_insert (&self->folders[dest], email);
}

static void
rebuild_index (SigmaEmailApp *self)
{
  g_hash_table_remove_all (self->by_id);
  self->has_duplicate_ids = FALSE;
  for (guint f = 0; f < N_FOLDERS; f++)
    for (guint i = 0; i < self->folders[f].emails->len; i++)
      register_email (self, g_ptr_array_index (self->folders[f].emails, i));
}

/* ARE's EmailFolder.get_email_by_id: the first email of the folder with that id. */
static Email *
find_in_folder (SigmaEmailApp *self,
                FolderId       folder,
                const char    *email_id)
{
  GPtrArray *emails = self->folders[folder].emails;

  if (!self->has_duplicate_ids)
    {
      Email *email = g_hash_table_lookup (self->by_id, email_id);
      return email != NULL && email->folder == folder ? email : NULL;
    }
  for (guint i = 0; i < emails->len; i++)
    {
      Email *email = g_ptr_array_index (emails, i);
      if (g_str_equal (email->email_id, email_id))
        return email;
    }
  return NULL;
}

static Email *
get_in_folder (SigmaEmailApp  *self,
               FolderId        folder,
               const char     *email_id,
               GError        **error)
{
  Email *email = find_in_folder (self, folder, email_id);

  if (email == NULL)
    sigma_tool_error (error, "Email with id %s does not exist", email_id);
  return email;
}

/* Agent tools: `EmailFolderName[folder_name.upper()]`, so any case works; an unknown name is
 * a KeyError, whose text is the quoted upper-cased name. */
static gboolean
agent_folder (const char  *name,
              FolderId    *out,
              GError     **error)
{
  g_autofree char *upper = NULL;
  gboolean ascii = TRUE;

  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      ascii = FALSE;

  if (!ascii)
    upper = g_utf8_strup (name, -1);   /* full Unicode: "ınbox".upper() is "INBOX" */
  for (guint f = 0; f < N_FOLDERS; f++)
    if (ascii ? g_ascii_strcasecmp (name, folder_names[f]) == 0 : g_str_equal (upper, folder_names[f]))
      {
        *out = f;
        return TRUE;
      }

  if (upper == NULL)
    upper = g_ascii_strup (name, -1);
  sigma_tool_key_error (error, upper);
  return FALSE;
}

/* Environment and data tools: `EmailFolderName(folder_name)`, an exact value lookup. */
static gboolean
env_folder (const char  *name,
            FolderId    *out,
            GError     **error)
{
  g_autofree char *quoted = NULL;

  for (guint f = 0; f < N_FOLDERS; f++)
    if (g_str_equal (name, folder_names[f]))
      {
        *out = f;
        return TRUE;
      }
  quoted = sigma_py_repr_str (name);
  sigma_tool_error (error, "%s is not a valid EmailFolderName", quoted);
  return FALSE;
}

/* The email an agent tool names by id and folder. */
static Email *
lookup_email (SigmaEmailApp  *self,
              JsonObject     *args,
              const char     *folder_arg,
              GError        **error)
{
  FolderId folder;

  if (!agent_folder (sigma_args_string (args, folder_arg), &folder, error))
    return NULL;
  return get_in_folder (self, folder, sigma_args_string (args, "email_id"), error);
}

/* ------------------------------------------------------------------------------------ */
/* Attachments                                                                          */

static SigmaFileSystem *
get_file_system (SigmaEmailApp *self)
{
  SigmaEnvironment *env = sigma_app_get_environment (SIGMA_APP (self));

  return env != NULL ? sigma_environment_get_file_system (env) : NULL;
}

/* EmailClientV2.add_attachment: the file's bytes, base64-encoded, under its base name. */
static gboolean
add_attachment (SigmaEmailApp  *self,
                Email          *email,
                const char     *path,
                GError        **error)
{
  SigmaFileSystem *fs = get_file_system (self);
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const guchar *data;

  /* Without a file system nothing exists: Sigma never reads the host's files. */
  if (fs == NULL || !sigma_file_system_exists (fs, path))
    {
      sigma_tool_error (error, "File does not exist: %s", path);
      return FALSE;
    }
  bytes = sigma_file_system_read_file (fs, path, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  email_set_attachment (email, py_basename (path), g_base64_encode (data, size));
  return TRUE;
}

static gboolean
add_attachments (SigmaEmailApp  *self,
                 Email          *email,
                 JsonArray      *paths,   /* (nullable) */
                 GError        **error)
{
  if (paths == NULL)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (paths); i++)
    if (!add_attachment (self, email, json_array_get_string_element (paths, i), error))
      return FALSE;
  return TRUE;
}

/* Adds a new email once its attachments are read; frees it on failure. */
static JsonNode *
finish_new_email (SigmaEmailApp  *self,
                  Email          *email,
                  JsonArray      *attachment_paths,
                  FolderId        folder,
                  GError        **error)
{
  if (!add_attachments (self, email, attachment_paths, error))
    {
      email_free (email);
      return NULL;
    }
  add_email (self, email, folder);
  return sigma_json_string (email->email_id);
}

/* ------------------------------------------------------------------------------------ */
/* Agent tools                                                                          */

static JsonNode *
tool_send_email (SigmaApp    *app,
                 JsonObject  *args,
                 gpointer     user_data,
                 GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  Email *email;

  email = email_new (self, self->user_email, sigma_args_array (args, "recipients"), NULL,
                     "", sigma_args_string (args, "subject"), "", sigma_args_string (args, "content"),
                     NULL, sigma_args_array (args, "cc"), FALSE, sigma_app_get_time (app), error);
  if (email == NULL)
    return NULL;
  return finish_new_email (self, email, sigma_args_array (args, "attachment_paths"), FOLDER_SENT, error);
}

static JsonNode *
tool_download_attachments (SigmaApp    *app,
                           JsonObject  *args,
                           gpointer     user_data,
                           GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  const char *path_to_save = sigma_args_string (args, "path_to_save");
  Email *email = lookup_email (self, args, "folder_name", error);
  g_autoptr(JsonArray) paths = NULL;
  SigmaFileSystem *fs;

  if (email == NULL)
    return NULL;

  paths = json_array_new ();
  fs = get_file_system (self);
  for (guint i = 0; email->attachments != NULL && i < email->attachments->len; i++)
    {
      Attachment *attachment = g_ptr_array_index (email->attachments, i);
      g_autofree char *path = sigma_py_path_join (path_to_save, attachment->name);
      g_autoptr(GBytes) bytes = NULL;
      guchar *data;
      gsize size;

      /* Without a file system there is no directory to save to (Sigma never writes the host). */
      if (fs == NULL)
        {
          sigma_tool_error (error, "[Errno 2] No such file or directory: '%s'", path);
          return NULL;
        }
      data = g_base64_decode (attachment->data, &size);
      bytes = g_bytes_new_take (data, size);
      if (!sigma_file_system_write_file (fs, path, bytes, error))
        return NULL;
      json_array_add_string_element (paths, path);
    }
  return sigma_json_array (g_steal_pointer (&paths));
}

/* The address a reply goes to: the sender of the email, or, while that is the user and the
 * email answers another one, the sender of the parent (looked up in every folder). */
static const char *
reply_recipient (SigmaEmailApp  *self,
                 Email          *email,
                 GError        **error)
{
  guint steps = 0, limit = g_hash_table_size (self->by_id) + 1;

  while (g_str_equal (email->sender, self->user_email) &&
         email->parent_id != NULL && email->parent_id[0] != '\0')
    {
      Email *parent = NULL;

      for (guint f = 0; f < N_FOLDERS && parent == NULL; f++)
        parent = find_in_folder (self, f, email->parent_id);
      if (parent == NULL)
        {
          sigma_tool_error (error, "Email with id %s not found", email->parent_id);
          return NULL;
        }
      /* ARE loops forever on a cycle of the user's own emails. */
      if (++steps > limit)
        {
          sigma_tool_error (error, "The parent emails of email %s form a cycle", email->email_id);
          return NULL;
        }
      email = parent;
    }
  return email->sender;
}

static JsonNode *
tool_reply_to_email (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  Email *replied = lookup_email (self, args, "folder_name", error);
  const char *recipient;
  Email *email;

  if (replied == NULL)
    return NULL;
  recipient = reply_recipient (self, replied, error);
  if (recipient == NULL)
    return NULL;

  email = email_new (self, self->user_email, NULL, recipient,
                     "Re: ", replied->subject, "", sigma_args_string (args, "content"),
                     replied->email_id, NULL, FALSE, sigma_app_get_time (app), error);
  if (email == NULL)
    return NULL;
  return finish_new_email (self, email, sigma_args_array (args, "attachment_paths"), FOLDER_SENT, error);
}

static JsonNode *
tool_list_emails (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  GPtrArray *emails;
  JsonObject *result;
  JsonArray *list, *range;
  JsonNode *cached;
  FolderId folder;
  gint64 count, end;

  if (!agent_folder (sigma_args_string (args, "folder_name"), &folder, error))
    return NULL;
  emails = self->folders[folder].emails;
  count = emails->len;

  if (offset < 0)
    {
      sigma_tool_error (error, "Offset must be non-negative");
      return NULL;
    }
  if (offset > count)
    {
      sigma_tool_error (error, "Offset must be less than the number of emails");
      return NULL;
    }
  /* Sigma also bounds the limit (issue 3; ARE accepts a negative one). */
  if (!sigma_check_offset_limit ("list_emails", offset, limit, 1000, error))
    return NULL;

  cached = folder_lookup_page (&self->folders[folder], offset, limit);
  if (cached != NULL)
    return cached;

  end = MIN (offset + limit, count);
  list = json_array_sized_new ((guint) (end - offset));
  for (gint64 i = offset; i < end; i++)
    json_array_add_element (list, email_get_json (g_ptr_array_index (emails, i)));
  range = json_array_sized_new (2);
  json_array_add_int_element (range, offset);
  json_array_add_int_element (range, end);

  /* ARE's ReturnedEmails */
  result = json_object_new ();
  json_object_set_array_member (result, "emails", list);
  json_object_set_array_member (result, "emails_range", range);
  json_object_set_int_member (result, "total_returned_emails", end - offset);
  json_object_set_int_member (result, "total_emails", count);

  return folder_keep_page (&self->folders[folder], offset, limit, sigma_json_object (result));
}

/* get_email_by_id, also used by forward_email: reading an email marks it read. */
static Email *
read_email_by_id (SigmaEmailApp  *self,
                  JsonObject     *args,
                  GError        **error)
{
  Email *email = lookup_email (self, args, "folder_name", error);

  if (email != NULL)
    email_mark_read (self, email);
  return email;
}

static JsonNode *
tool_get_email_by_id (SigmaApp    *app,
                      JsonObject  *args,
                      gpointer     user_data,
                      GError     **error)
{
  Email *email = read_email_by_id (SIGMA_EMAIL_APP (app), args, error);

  return email != NULL ? email_get_json (email) : NULL;
}

static JsonNode *
tool_get_email_by_index (SigmaApp    *app,
                         JsonObject  *args,
                         gpointer     user_data,
                         GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  gint64 idx = sigma_args_int (args, "idx");
  GPtrArray *emails;
  FolderId folder;
  gint64 count;
  Email *email;

  if (!agent_folder (sigma_args_string (args, "folder_name"), &folder, error))
    return NULL;
  emails = self->folders[folder].emails;
  count = emails->len;

  /* ARE checks `idx > len` only, then indexes the list the Python way. */
  if (idx > count)
    {
      sigma_tool_error (error, "Email with index %" G_GINT64_FORMAT " does not exist", idx);
      return NULL;
    }
  if (idx == count || idx < -count)
    {
      sigma_tool_error (error, "list index out of range");
      return NULL;
    }
  email = g_ptr_array_index (emails, idx < 0 ? count + idx : idx);
  email_mark_read (self, email);
  return email_get_json (email);
}

static JsonNode *
tool_forward_email (SigmaApp    *app,
                    JsonObject  *args,
                    gpointer     user_data,
                    GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  Email *original, *email;

  /* ARE calls its event-registered get_email_by_id here, which logs a nested event; Sigma
   * logs one event per call, so the lookup (which still marks the original read) is part
   * of this one. */
  original = read_email_by_id (self, args, error);
  if (original == NULL)
    return NULL;

  /* "> " prefixes the first line only, as in ARE. */
  email = email_new (self, self->user_email, sigma_args_array (args, "recipients"), NULL,
                     "FWD: ", original->subject, "> ", original->content,
                     original->email_id, NULL, FALSE, sigma_app_get_time (app), error);
  if (email == NULL)
    return NULL;
  g_clear_pointer (&email->attachments, g_ptr_array_unref);
  email->attachments = attachments_copy (original->attachments);
  return finish_new_email (self, email, NULL, FOLDER_SENT, error);
}

static JsonNode *
tool_move_email (SigmaApp    *app,
                 JsonObject  *args,
                 gpointer     user_data,
                 GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  FolderId source, dest;
  Email *email;

  if (!agent_folder (sigma_args_string (args, "source_folder_name"), &source, error) ||
      !agent_folder (sigma_args_string (args, "dest_folder_name"), &dest, error))
    return NULL;
  email = get_in_folder (self, source, sigma_args_string (args, "email_id"), error);
  if (email == NULL)
    return NULL;
  move_email_to (self, email, dest);
  return sigma_json_string (email->email_id);
}

static JsonNode *
tool_delete_email (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  Email *email = lookup_email (self, args, "folder_name", error);

  if (email == NULL)
    return NULL;
  /* Deleting moves the email to TRASH; nothing is ever destroyed. */
  move_email_to (self, email, FOLDER_TRASH);
  return sigma_json_string (email->email_id);
}

static gboolean
email_matches (const Email *email,
               const char  *folded_query)
{
  if (sigma_contains_folded (email->sender, folded_query))
    return TRUE;
  for (guint i = 0; i < email->recipients->len; i++)
    if (sigma_contains_folded (g_ptr_array_index (email->recipients, i), folded_query))
      return TRUE;
  /* cc is not searched */
  return sigma_contains_folded (email->subject, folded_query) ||
         sigma_contains_folded (email->content, folded_query);
}

static JsonNode *
tool_search_emails (SigmaApp    *app,
                    JsonObject  *args,
                    gpointer     user_data,
                    GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  g_autofree char *query = g_utf8_strdown (sigma_args_string (args, "query"), -1);
  GPtrArray *emails;
  JsonArray *results;
  FolderId folder;

  if (!agent_folder (sigma_args_string (args, "folder_name"), &folder, error))
    return NULL;

  emails = self->folders[folder].emails;
  results = json_array_new ();
  for (guint i = 0; i < emails->len; i++)
    {
      Email *email = g_ptr_array_index (emails, i);

      if (email_matches (email, query))
        json_array_add_element (results, email_get_json (email));
    }
  return sigma_json_array (results);
}

/* ------------------------------------------------------------------------------------ */
/* Environment and data tools                                                           */

static JsonNode *
tool_send_email_to_user_only (SigmaApp    *app,
                              JsonObject  *args,
                              gpointer     user_data,
                              GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  Email *email;

  email = email_new (self, sigma_args_string (args, "sender"), NULL, self->user_email,
                     "", sigma_args_string (args, "subject"), "", sigma_args_string (args, "content"),
                     NULL, NULL, FALSE, sigma_app_get_time (app), error);
  if (email == NULL)
    return NULL;
  return finish_new_email (self, email, NULL, FOLDER_INBOX, error);
}

static JsonNode *
tool_reply_to_email_from_user (SigmaApp    *app,
                               JsonObject  *args,
                               gpointer     user_data,
                               GError     **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  const char *sender = sigma_args_string (args, "sender");
  Email *replied, *email;
  gboolean is_recipient = FALSE;

  replied = get_in_folder (self, FOLDER_SENT, sigma_args_string (args, "email_id"), error);
  if (replied == NULL)
    return NULL;
  for (guint i = 0; i < replied->recipients->len && !is_recipient; i++)
    is_recipient = g_str_equal (g_ptr_array_index (replied->recipients, i), sender);
  if (!is_recipient)
    {
      g_autofree char *recipients = py_repr_list (replied->recipients);

      sigma_tool_error (error, "Sender %s is not a recipient of the email, the recipients are %s",
                        sender, recipients);
      return NULL;
    }

  email = email_new (self, sender, NULL, self->user_email,
                     "Re: ", replied->subject, "", sigma_args_string (args, "content"),
                     replied->email_id, NULL, FALSE, sigma_app_get_time (app), error);
  if (email == NULL)
    return NULL;
  return finish_new_email (self, email, sigma_args_array (args, "attachment_paths"), FOLDER_INBOX, error);
}

/* create_and_add_email and create_and_add_email_with_time: the id is drawn and the addresses
 * checked before the folder name is. */
static JsonNode *
create_email (SigmaEmailApp  *self,
              JsonObject     *args,
              gdouble         timestamp,
              gboolean        is_read,
              GError        **error)
{
  Email *email;
  FolderId folder;

  email = email_new (self, sigma_args_string (args, "sender"), sigma_args_array (args, "recipients"), NULL,
                     "", sigma_args_string (args, "subject"), "", sigma_args_string (args, "content"),
                     NULL, NULL, is_read, timestamp, error);
  if (email == NULL)
    return NULL;
  if (!env_folder (sigma_args_string (args, "folder_name"), &folder, error))
    {
      email_free (email);
      return NULL;
    }
  return finish_new_email (self, email, NULL, folder, error);
}

static JsonNode *
tool_create_and_add_email (SigmaApp    *app,
                           JsonObject  *args,
                           gpointer     user_data,
                           GError     **error)
{
  return create_email (SIGMA_EMAIL_APP (app), args, sigma_app_get_time (app), FALSE, error);
}

static JsonNode *
tool_create_and_add_email_with_time (SigmaApp    *app,
                                     JsonObject  *args,
                                     gpointer     user_data,
                                     GError     **error)
{
  const char *email_time = sigma_args_string (args, "email_time");
  gdouble timestamp = sigma_app_get_time (app);

  /* ARE's default is the wall-clock time when the module was imported; Sigma's (null) is the
   * current simulated time. */
  if (email_time != NULL && !sigma_time_parse (email_time, &timestamp, NULL))
    {
      sigma_tool_error (error, "Invalid datetime format for the email time. Please use YYYY-MM-DD HH:MM:SS");
      return NULL;
    }
  return create_email (SIGMA_EMAIL_APP (app), args, timestamp, TRUE, error);
}

#define FOLDER_DOC "The folder: INBOX, SENT, DRAFT or TRASH (any letter case)."
#define EMAIL_ID_DOC "The id of the email, as shown in its email_id field."
#define ATTACHMENTS_DOC "Paths of files to attach, in the file system app."
#define STRINGS SIGMA_VALUE_TYPE_ARRAY

/* ARE's registration order for EmailClientV2: its overrides first, then the base class. */
static const SigmaToolSpec email_tools[] = {
  {
    "send_email",
    "Sends a new email from the user; a copy is kept in the SENT folder.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_send_email,
    "The id of the new email.",
    {
      { "recipients", STRINGS, "The addresses to send the email to.", "null", SIGMA_VALUE_TYPE_STRING },
      { "subject", SIGMA_VALUE_TYPE_STRING, "The subject line.", "\"\"" },
      { "content", SIGMA_VALUE_TYPE_STRING, "The body text.", "\"\"" },
      { "cc", STRINGS, "The addresses to send a copy to.", "null", SIGMA_VALUE_TYPE_STRING },
      { "attachment_paths", STRINGS, ATTACHMENTS_DOC, "null", SIGMA_VALUE_TYPE_STRING },
      { NULL }
    }
  },
  {
    "download_attachments",
    "Saves the attachments of an email as files in a directory of the file system app.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_download_attachments,
    "The paths of the saved files; empty when the email has no attachments.",
    {
      { "email_id", SIGMA_VALUE_TYPE_STRING, EMAIL_ID_DOC, NULL },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { "path_to_save", SIGMA_VALUE_TYPE_STRING, "The existing directory to save the files in.", "\"Downloads/\"" },
      { NULL }
    }
  },
  {
    "reply_to_email",
    "Replies to the sender of an email (for the user's own emails, to the person they answered); the reply is kept in SENT.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_reply_to_email,
    "The id of the reply.",
    {
      { "email_id", SIGMA_VALUE_TYPE_STRING, EMAIL_ID_DOC, NULL },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { "content", SIGMA_VALUE_TYPE_STRING, "The body text of the reply.", "\"\"" },
      { "attachment_paths", STRINGS, ATTACHMENTS_DOC, "null", SIGMA_VALUE_TYPE_STRING },
      { NULL }
    }
  },
  {
    "list_emails",
    "Lists the emails of a folder, newest first, one page at a time.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_list_emails,
    "An object with the emails, emails_range ([first, end) indices), total_returned_emails and total_emails.",
    {
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { "offset", SIGMA_VALUE_TYPE_INTEGER, "The index of the first email to return.", "0" },
      { "limit", SIGMA_VALUE_TYPE_INTEGER, "The largest number of emails to return.", "10" },
      { NULL }
    }
  },
  {
    "get_email_by_id",
    "Reads one email of a folder by its id and marks it as read.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_get_email_by_id,
    "The email.",
    {
      { "email_id", SIGMA_VALUE_TYPE_STRING, EMAIL_ID_DOC, NULL },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { NULL }
    }
  },
  {
    "get_email_by_index",
    "Reads the email at a position of a folder (0 is the newest) and marks it as read.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_get_email_by_index,
    "The email.",
    {
      { "idx", SIGMA_VALUE_TYPE_INTEGER, "The position of the email in the folder.", NULL },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { NULL }
    }
  },
  {
    "forward_email",
    "Forwards an email with its attachments to new recipients; the copy is kept in SENT.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_forward_email,
    "The id of the forwarded email.",
    {
      { "email_id", SIGMA_VALUE_TYPE_STRING, EMAIL_ID_DOC, NULL },
      { "recipients", STRINGS, "The addresses to forward the email to.", "null", SIGMA_VALUE_TYPE_STRING },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { NULL }
    }
  },
  {
    "move_email",
    "Moves an email from one folder to another.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_move_email,
    "The id of the moved email.",
    {
      { "email_id", SIGMA_VALUE_TYPE_STRING, EMAIL_ID_DOC, NULL },
      { "source_folder_name", SIGMA_VALUE_TYPE_STRING, "The folder the email is in: INBOX, SENT, DRAFT or TRASH.", "\"INBOX\"" },
      { "dest_folder_name", SIGMA_VALUE_TYPE_STRING, "The folder to move it to: INBOX, SENT, DRAFT or TRASH.", "\"DRAFT\"" },
      { NULL }
    }
  },
  {
    "delete_email",
    "Deletes an email by moving it to the TRASH folder.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE, tool_delete_email,
    "The id of the deleted email.",
    {
      { "email_id", SIGMA_VALUE_TYPE_STRING, EMAIL_ID_DOC, NULL },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { NULL }
    }
  },
  {
    "search_emails",
    "Finds the emails of one folder whose sender, recipients, subject or content contain the query, ignoring letter case.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ, tool_search_emails,
    "The matching emails, newest first.",
    {
      { "query", SIGMA_VALUE_TYPE_STRING, "The text to look for.", NULL },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, FOLDER_DOC, "\"INBOX\"" },
      { NULL }
    }
  },
  {
    "send_email_to_user_only",
    "Delivers a new email from someone to the user's INBOX.",
    SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_send_email_to_user_only,
    "The id of the new email.",
    {
      { "sender", SIGMA_VALUE_TYPE_STRING, "The address of the sender.", NULL },
      { "subject", SIGMA_VALUE_TYPE_STRING, "The subject line.", "\"\"" },
      { "content", SIGMA_VALUE_TYPE_STRING, "The body text.", "\"\"" },
      { NULL }
    }
  },
  {
    "reply_to_email_from_user",
    "Delivers to the user's INBOX a reply from one of the recipients of an email in SENT.",
    SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_reply_to_email_from_user,
    "The id of the reply.",
    {
      { "sender", SIGMA_VALUE_TYPE_STRING, "The address of the person replying; one of the recipients.", NULL },
      { "email_id", SIGMA_VALUE_TYPE_STRING, "The id of the user's email in SENT that is answered.", NULL },
      { "content", SIGMA_VALUE_TYPE_STRING, "The body text of the reply.", "\"\"" },
      { "attachment_paths", STRINGS, ATTACHMENTS_DOC, "null", SIGMA_VALUE_TYPE_STRING },
      { NULL }
    }
  },
  {
    "create_and_add_email",
    "Puts a new email, stamped with the current time, into a folder.",
    SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE, tool_create_and_add_email,
    "The id of the new email.",
    {
      { "sender", SIGMA_VALUE_TYPE_STRING, "The address of the sender.", NULL },
      { "recipients", STRINGS, "The addresses of the recipients.", "null", SIGMA_VALUE_TYPE_STRING },
      { "subject", SIGMA_VALUE_TYPE_STRING, "The subject line.", "\"\"" },
      { "content", SIGMA_VALUE_TYPE_STRING, "The body text.", "\"\"" },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, "The folder, exactly INBOX, SENT, DRAFT or TRASH.", "\"INBOX\"" },
      { NULL }
    }
  },
  {
    "create_and_add_email_with_time",
    "Puts a new, already read email with a given date into a folder.",
    SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE, tool_create_and_add_email_with_time,
    "The id of the new email.",
    {
      { "sender", SIGMA_VALUE_TYPE_STRING, "The address of the sender.", NULL },
      { "recipients", STRINGS, "The addresses of the recipients.", "null", SIGMA_VALUE_TYPE_STRING },
      { "subject", SIGMA_VALUE_TYPE_STRING, "The subject line.", "\"\"" },
      { "content", SIGMA_VALUE_TYPE_STRING, "The body text.", "\"\"" },
      { "email_time", SIGMA_VALUE_TYPE_STRING, "When the email was sent, as YYYY-MM-DD HH:MM:SS in UTC; the current time when null.", "null" },
      { "folder_name", SIGMA_VALUE_TYPE_STRING, "The folder, exactly INBOX, SENT, DRAFT or TRASH.", "\"INBOX\"" },
      { NULL }
    }
  },
};

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static JsonNode *
sigma_email_app_get_state (SigmaApp *app)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  JsonObject *root = json_object_new ();
  JsonObject *folders = json_object_new ();

  json_object_set_string_member (root, "user_email", self->user_email);
  json_object_set_int_member (root, "view_limit", self->view_limit);
  for (guint f = 0; f < N_FOLDERS; f++)
    {
      GPtrArray *emails = self->folders[f].emails;
      JsonObject *folder = json_object_new ();
      JsonArray *array = json_array_sized_new (emails->len);

      for (guint i = 0; i < emails->len; i++)
        json_array_add_object_element (array, email_to_object (g_ptr_array_index (emails, i)));
      json_object_set_string_member (folder, "folder_name", folder_names[f]);
      json_object_set_array_member (folder, "emails", array);
      json_object_set_object_member (folders, folder_names[f], folder);
    }
  json_object_set_object_member (root, "folders", folders);
  return sigma_json_object (root);
}

static const char * const email_fields[] = {
  "sender", "recipients", "subject", "content", "email_id", "parent_id", "cc", "attachments",
  "timestamp", "is_read",
};

/* A list of addresses; each must be a string containing "@". */
static gboolean
load_addresses (SigmaStateReader  *r,
                JsonObject        *obj,
                const char        *path,
                const char        *member,
                GPtrArray         *out,
                GError           **error)
{
  JsonArray *array = NULL;

  if (!sigma_state_get_array (r, obj, path, member, FALSE, &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *address;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return sigma_state_problem (r, error, "%s.%s[%u]: expected a string", path, member, i);
      address = json_node_get_string (node);
      if (strchr (address, '@') == NULL)
        return sigma_state_problem (r, error, "%s.%s[%u]: Invalid email address: %s", path, member, i, address);
      g_ptr_array_add (out, g_strdup (address));
    }
  return TRUE;
}

static gboolean
load_attachments (SigmaStateReader  *r,
                  JsonObject        *obj,
                  const char        *path,
                  Email             *email,
                  GError           **error)
{
  JsonNode *node = json_object_get_member (obj, "attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL)
    return TRUE;   /* the default: {} */
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (&email->attachments, g_ptr_array_unref);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return sigma_state_problem (r, error, "%s.attachments: expected an object or null", path);
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return sigma_state_problem (r, error, "%s.attachments.%s: expected a string (base64 text)", path, name);
      email_set_attachment (email, name, g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

/* ARE's `Email(**e)`: unknown fields are an error, missing ones take the dataclass defaults,
 * except email_id and timestamp, whose ARE defaults are random (uuid4) and the wall clock. */
static Email *
load_email (SigmaEmailApp  *self,
            JsonNode       *node,
            const char     *path,
            GError        **error)
{
  SigmaStateReader r = { SIGMA_APP (self), FALSE };
  JsonObject *obj;
  Email *email;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  const char *sender = DEFAULT_USER_EMAIL, *subject = "", *content = "", *email_id = NULL, *parent_id = NULL;
  gboolean is_read = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sigma_state_problem (&r, error, "%s: expected an object", path);
      return NULL;
    }
  obj = json_node_get_object (node);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &member, &value))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (email_fields) && !known; i++)
        known = g_str_equal (member, email_fields[i]);
      if (!known)
        {
          sigma_state_problem (&r, error, "%s: unknown field '%s'", path, member);
          return NULL;
        }
    }

  email = email_alloc ();
  if (!sigma_state_get_string (&r, obj, path, "sender", FALSE, &sender, error) ||
      !sigma_state_get_string (&r, obj, path, "subject", FALSE, &subject, error) ||
      !sigma_state_get_string (&r, obj, path, "content", FALSE, &content, error) ||
      !sigma_state_get_string (&r, obj, path, "email_id", TRUE, &email_id, error) ||
      !sigma_state_get_string (&r, obj, path, "parent_id", FALSE, &parent_id, error) ||
      !sigma_state_get_double (&r, obj, path, "timestamp", TRUE, &email->timestamp, error) ||
      !sigma_state_get_bool (&r, obj, path, "is_read", FALSE, &is_read, error) ||
      !load_addresses (&r, obj, path, "recipients", email->recipients, error) ||
      !load_addresses (&r, obj, path, "cc", email->cc, error) ||
      !load_attachments (&r, obj, path, email, error))
    goto fail;
  if (strchr (sender, '@') == NULL)
    {
      sigma_state_problem (&r, error, "%s.sender: Invalid email address: %s", path, sender);
      goto fail;
    }
  if (email_id[0] == '\0')
    {
      sigma_state_problem (&r, error, "%s.email_id: must not be empty", path);
      goto fail;
    }

  email->sender = g_strdup (sender);
  email->subject = g_strdup (subject);
  email->content = g_strdup (content);
  email->email_id = g_strdup (email_id);
  email->parent_id = g_strdup (parent_id);
  email->timestamp_is_int = json_node_get_value_type (json_object_get_member (obj, "timestamp")) == G_TYPE_INT64;
  value = json_object_get_member (obj, "is_read");
  email->is_read = value != NULL && JSON_NODE_HOLDS_NULL (value) ? -1 : (is_read ? TRUE : FALSE);
  return email;

fail:
  email_free (email);
  return NULL;
}

/* The folder an app_state entry fills: its folder_name (which ARE reads) or else its key. */
static gboolean
load_folder (SigmaEmailApp     *self,
             SigmaStateReader  *r,
             const char        *key,
             JsonNode          *node,
             FolderId          *folder_out,
             GPtrArray        **emails_out,
             GError           **error)
{
  g_autofree char *path = g_strdup_printf ("app_state.folders.%s", key);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (email_free);
  const char *name = key;
  JsonObject *obj;
  JsonArray *array = NULL;
  gboolean found = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return sigma_state_problem (r, error, "%s: expected an object", path);
  obj = json_node_get_object (node);
  if (!sigma_state_get_string (r, obj, path, "folder_name", FALSE, &name, error) ||
      !sigma_state_get_array (r, obj, path, "emails", TRUE, &array, error))
    return FALSE;
  if (array == NULL)   /* lenient mode skipped a bad list */
    return TRUE;
  for (guint f = 0; f < N_FOLDERS && !found; f++)
    if (g_str_equal (name, folder_names[f]))
      {
        *folder_out = f;
        found = TRUE;
      }
  if (!found)
    return sigma_state_problem (r, error, "%s.folder_name: unknown folder '%s'", path, name);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *email_path = g_strdup_printf ("%s.emails[%u]", path, i);
      g_autoptr(GError) local_error = NULL;
      Email *email = load_email (self, json_array_get_element (array, i), email_path, &local_error);

      if (email == NULL)
        {
          /* The lenient importer skips the bad email and keeps the others. */
          if (!r->lenient)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_warning ("%s (skipped)", local_error->message);
          continue;
        }
      email->folder = *folder_out;
      g_ptr_array_add (emails, email);
    }
  *emails_out = g_steal_pointer (&emails);
  return TRUE;
}

/* ARE's load_state, except that user_email and view_limit may be absent (the Gaia2
 * augmentation data has only "folders"): the current values are then kept. Folders the state
 * does not list keep their emails. Nothing changes unless the whole state is valid. */
static gboolean
sigma_email_app_load_state (SigmaApp  *app,
                            JsonNode  *state,
                            GError   **error)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  GPtrArray *loaded[N_FOLDERS] = { NULL, };
  const char *user_email = self->user_email;
  gint64 view_limit = self->view_limit;
  JsonObject *root, *folders = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  gboolean ok = FALSE;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  if (!sigma_state_get_string (&r, root, "app_state", "user_email", FALSE, &user_email, error) ||
      !sigma_state_get_int (&r, root, "app_state", "view_limit", FALSE, &view_limit, error) ||
      !sigma_state_get_object (&r, root, "app_state", "folders", TRUE, &folders, error))
    return FALSE;

  if (folders != NULL)
    {
      json_object_iter_init (&iter, folders);
      while (json_object_iter_next (&iter, &key, &node))
        {
          GPtrArray *emails = NULL;
          FolderId folder = FOLDER_INBOX;

          if (!load_folder (self, &r, key, node, &folder, &emails, error))
            goto out;
          if (emails == NULL)
            continue;
          g_clear_pointer (&loaded[folder], g_ptr_array_unref);   /* the last entry wins */
          loaded[folder] = emails;
        }
    }

  if (user_email != self->user_email)
    {
      char *copy = g_strdup (user_email);
      g_free (self->user_email);
      self->user_email = copy;
    }
  self->view_limit = view_limit;
  for (guint f = 0; f < N_FOLDERS; f++)
    if (loaded[f] != NULL)
      {
        g_ptr_array_unref (self->folders[f].emails);
        self->folders[f].emails = g_steal_pointer (&loaded[f]);
        folder_changed (&self->folders[f]);
        self->folders[f].sorted = folder_check_sorted (&self->folders[f]);
      }
  rebuild_index (self);
  ok = TRUE;

out:
  for (guint f = 0; f < N_FOLDERS; f++)
    g_clear_pointer (&loaded[f], g_ptr_array_unref);
  return ok;
}

static void
sigma_email_app_reset (SigmaApp *app)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (app);

  /* ARE's reset re-runs the constructor: default user_email and view_limit, empty folders */
  g_free (self->user_email);
  self->user_email = g_strdup (DEFAULT_USER_EMAIL);
  self->view_limit = DEFAULT_VIEW_LIMIT;
  g_hash_table_remove_all (self->by_id);
  self->has_duplicate_ids = FALSE;
  for (guint f = 0; f < N_FOLDERS; f++)
    folder_clear (&self->folders[f]);
}

/* ------------------------------------------------------------------------------------ */
/* Notifications                                                                        */

static char *
sigma_email_app_describe_notification (SigmaApp            *app,
                                       SigmaCompletedEvent *event,
                                       SigmaVerbosity       verbosity,
                                       SigmaMessageType    *type)
{
  const char *function = sigma_completed_event_get_function (event);
  const char *class_name = sigma_app_get_class_name (app);

  if (verbosity < SIGMA_VERBOSITY_MEDIUM || function == NULL)
    return NULL;

  *type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;
  if (g_str_equal (function, "create_and_add_email") || g_str_equal (function, "send_email_to_user_only"))
    {
      JsonObject *args = sigma_completed_event_get_args (event);
      const char *sender = args != NULL ? json_object_get_string_member_with_default (args, "sender", "") : "";

      return g_strdup_printf ("%s: New email received from %s", class_name, sender);
    }
  if (g_str_equal (function, "reply_to_email_from_user"))
    return g_strdup_printf ("%s: New email received", class_name);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_email_app_finalize (GObject *object)
{
  SigmaEmailApp *self = SIGMA_EMAIL_APP (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  for (guint f = 0; f < N_FOLDERS; f++)
    {
      g_clear_pointer (&self->folders[f].emails, g_ptr_array_unref);
      folder_changed (&self->folders[f]);
    }
  g_clear_pointer (&self->user_email, g_free);

  G_OBJECT_CLASS (sigma_email_app_parent_class)->finalize (object);
}

static void
sigma_email_app_class_init (SigmaEmailAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_email_app_finalize;

  app_class->get_state = sigma_email_app_get_state;
  app_class->load_state = sigma_email_app_load_state;
  app_class->reset = sigma_email_app_reset;
  app_class->describe_notification = sigma_email_app_describe_notification;
  app_class->app_class_name = "EmailClientV2";
}

static void
sigma_email_app_init (SigmaEmailApp *self)
{
  self->user_email = g_strdup (DEFAULT_USER_EMAIL);
  self->view_limit = DEFAULT_VIEW_LIMIT;
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint f = 0; f < N_FOLDERS; f++)
    {
      self->folders[f].emails = g_ptr_array_new_with_free_func (email_free);
      self->folders[f].sorted = TRUE;
    }
  sigma_app_add_tool_specs (SIGMA_APP (self), email_tools, G_N_ELEMENTS (email_tools));
}

/**
 * sigma_email_app_new:
 * @name: (nullable): the instance name; "EmailClientV2" when %NULL
 *
 * Returns: (transfer full): a new #SigmaEmailApp
 */
SigmaApp *
sigma_email_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_EMAIL_APP, "name", name != NULL ? name : "EmailClientV2", NULL);
}
