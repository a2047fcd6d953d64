/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-arg-checkers.h"

/*
 * The hard argument checkers of ARE's Gaia2 judge (validation.md §2.7) and the registries
 * that say which checker applies to which argument of which tool (§2.8, §2.9).
 *
 * ARE works on decoded Python values; Sigma has JSON. The helpers below reproduce what the
 * checkers see in Python: str() and repr() of values, truthiness, == between int, float and
 * bool, set() of a list, os.path.normpath, datetime.strptime with "%Y-%m-%d %H:%M:%S", and
 * the Unicode normalisation of normalize_str. Where the Python code would raise (a wrong
 * type, an unparsable datetime), the checker returns a SIGMA_PY_ERROR, which the judge turns
 * into ARE's "Exception" verdict.
 */

G_DEFINE_QUARK (sigma-py-error-quark, sigma_py_error)

/* ------------------------------------------------------------------------------------ */
/* Checker names                                                                         */

static const char * const checker_names[] = {
  [SIGMA_CHECKER_EQ] = "eq_checker",
  [SIGMA_CHECKER_EQ_STR_STRIP] = "eq_str_strip_checker",
  [SIGMA_CHECKER_UNORDERED_LIST] = "unordered_list_checker",
  [SIGMA_CHECKER_UNORDERED_PATH_LIST] = "unordered_path_list_checker",
  [SIGMA_CHECKER_PATH] = "path_checker",
  [SIGMA_CHECKER_DATETIME] = "datetime_checker",
  [SIGMA_CHECKER_PHONE_NUMBER] = "phone_number_checker",
  [SIGMA_CHECKER_LIST_ATTENDEES] = "list_attendees_checker",
  [SIGMA_CHECKER_CONTAIN_ANY] = "contain_any_checker",
  [SIGMA_CHECKER_CONTAIN_ALL] = "contain_all_checker",
  [SIGMA_CHECKER_LLM] = "llm_checker",
};

static const char * const soft_checker_names[] = {
  [SIGMA_SOFT_CHECKER_CONTENT] = "content_checker",
  [SIGMA_SOFT_CHECKER_SANITY] = "sanity_checker",
  [SIGMA_SOFT_CHECKER_SIGNATURE] = "signature_checker",
  [SIGMA_SOFT_CHECKER_PLACEHOLDER] = "placeholder_checker",
  [SIGMA_SOFT_CHECKER_CAB] = "cab_checker",
  [SIGMA_SOFT_CHECKER_EVENT] = "event_checker",
  [SIGMA_SOFT_CHECKER_MESSAGE] = "message_checker",
  [SIGMA_SOFT_CHECKER_EMAIL] = "email_checker",
  [SIGMA_SOFT_CHECKER_USER_MESSAGE] = "user_message_checker",
  [SIGMA_SOFT_CHECKER_TONE] = "tone_checker",
};

const char *
sigma_checker_type_to_string (SigmaCheckerType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (checker_names), NULL);
  return checker_names[type];
}

gboolean
sigma_checker_type_from_string (const char       *name,
                                SigmaCheckerType *type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (checker_names); i++)
    if (g_str_equal (checker_names[i], name))
      {
        if (type != NULL)
          *type = (SigmaCheckerType) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
sigma_checker_type_is_hard (SigmaCheckerType type)
{
  switch (type)
    {
    case SIGMA_CHECKER_EQ:
    case SIGMA_CHECKER_EQ_STR_STRIP:
    case SIGMA_CHECKER_UNORDERED_LIST:
    case SIGMA_CHECKER_UNORDERED_PATH_LIST:
    case SIGMA_CHECKER_PATH:
    case SIGMA_CHECKER_DATETIME:
    case SIGMA_CHECKER_PHONE_NUMBER:
    case SIGMA_CHECKER_LIST_ATTENDEES:
      return TRUE;
    case SIGMA_CHECKER_CONTAIN_ANY:
    case SIGMA_CHECKER_CONTAIN_ALL:
    case SIGMA_CHECKER_LLM:
    default:
      return FALSE;
    }
}

gboolean
sigma_checker_type_is_scripted (SigmaCheckerType type)
{
  return type == SIGMA_CHECKER_CONTAIN_ANY || type == SIGMA_CHECKER_CONTAIN_ALL;
}

const char *
sigma_soft_checker_type_to_string (SigmaSoftCheckerType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (soft_checker_names), NULL);
  return soft_checker_names[type];
}

/* ------------------------------------------------------------------------------------ */
/* Registries (ARE validation/constants.py)                                              */

#define EQ SIGMA_CHECKER_EQ
#define EQ_STRIP SIGMA_CHECKER_EQ_STR_STRIP
#define ULIST SIGMA_CHECKER_UNORDERED_LIST
#define UPATHS SIGMA_CHECKER_UNORDERED_PATH_LIST
#define PATH SIGMA_CHECKER_PATH
#define DATETIME SIGMA_CHECKER_DATETIME
#define PHONE SIGMA_CHECKER_PHONE_NUMBER
#define ATTENDEES SIGMA_CHECKER_LIST_ATTENDEES
#define LLM SIGMA_CHECKER_LLM

#define MAX_REGISTRY_ARGS 6

typedef struct
{
  const char      *tool_name;
  guint            n_args;
  SigmaArgChecker  args[MAX_REGISTRY_ARGS];
} RegistryEntry;

/* PER_TOOL_ARG_TO_CHERCKER_TYPE, in ARE's order (the order of the arguments is the order the
 * hard checks run in, so it decides which argument a rejection names). */
static const RegistryEntry hard_registry[] = {
  { "ApartmentListingApp__save_apartment", 1, { { "apartment_id", EQ } } },
  { "ApartmentListingApp__remove_saved_apartment", 1, { { "apartment_id", EQ } } },
  { "CalendarApp__add_calendar_event", 6, { { "attendees", ATTENDEES }, { "end_datetime", DATETIME },
                                            { "start_datetime", DATETIME }, { "title", LLM },
                                            { "description", LLM }, { "location", LLM } } },
  { "CalendarApp__delete_calendar_event", 1, { { "event_id", EQ } } },
  { "ShoppingApp__checkout", 1, { { "discount_code", EQ_STRIP } } },
  { "ShoppingApp__add_to_cart", 2, { { "item_id", EQ }, { "quantity", EQ } } },
  { "ShoppingApp__remove_from_cart", 2, { { "item_id", EQ }, { "quantity", EQ } } },
  { "ShoppingApp__cancel_order", 1, { { "order_id", EQ } } },
  { "ContactsApp__delete_contact", 1, { { "contact_id", EQ } } },
  { "ContactsApp__add_new_contact", 4, { { "first_name", EQ_STRIP }, { "last_name", EQ_STRIP },
                                         { "email", EQ_STRIP }, { "phone", PHONE } } },
  { "ContactsApp__edit_contact", 2, { { "contact_id", EQ }, { "updates", LLM } } },
  { "EmailClientApp__reply_to_email", 3, { { "email_id", EQ }, { "content", LLM },
                                           { "attachment_paths", UPATHS } } },
  { "EmailClientApp__delete_email", 1, { { "email_id", EQ } } },
  { "EmailClientApp__send_email", 5, { { "recipients", ULIST }, { "cc", ULIST },
                                       { "attachment_paths", UPATHS }, { "subject", LLM },
                                       { "content", LLM } } },
  { "EmailClientApp__move_email", 3, { { "email_id", EQ }, { "source_folder_name", PATH },
                                       { "dest_folder_name", PATH } } },
  { "EmailClientApp__forward_email", 3, { { "email_id", EQ }, { "recipients", ULIST },
                                          { "folder_name", EQ } } },
  { "EmailClientApp__download_attachments", 3, { { "email_id", EQ }, { "folder_name", EQ },
                                                 { "path_to_save", PATH } } },
  { "CabApp__order_ride", 4, { { "start_location", LLM }, { "end_location", LLM },
                               { "service_type", EQ }, { "ride_time", DATETIME } } },
  { "CabApp__user_cancel_ride", 0, { { NULL, 0 } } },
  { "MessagingApp__create_conversation", 1, { { "participants", ULIST } } },
  { "MessagingApp__add_participant_to_conversation", 2, { { "conversation_id", EQ }, { "participant", EQ } } },
  { "MessagingApp__remove_participant_from_conversation", 2, { { "conversation_id", EQ }, { "participant", EQ } } },
  { "MessagingApp__send_message", 2, { { "conversation_id", EQ }, { "content", LLM } } },
  { "MessagingAppV2__send_message", 3, { { "user_id", EQ }, { "content", LLM }, { "attachment_path", PATH } } },
  { "MessagingAppV2__send_message_to_group_conversation", 3, { { "conversation_id", EQ }, { "content", LLM },
                                                               { "attachment_path", PATH } } },
  { "MessagingAppV2__create_group_conversation", 2, { { "user_ids", ULIST }, { "title", LLM } } },
  { "MessagingAppV2__add_participant_to_conversation", 2, { { "conversation_id", EQ }, { "user_id", EQ } } },
  { "MessagingAppV2__remove_participant_from_conversation", 2, { { "conversation_id", EQ }, { "user_id", EQ } } },
  { "MessagingAppV2__change_conversation_title", 2, { { "conversation_id", EQ }, { "title", LLM } } },
  { "SandboxLocalFileSystem__mv", 2, { { "path1", PATH }, { "path2", PATH } } },
  { "SandboxLocalFileSystem__open", 2, { { "path", PATH }, { "mode", EQ } } },
  { "SandboxLocalFileSystem__mkdir", 1, { { "path", PATH } } },
  { "SandboxLocalFileSystem__rm", 2, { { "path", PATH }, { "recursive", EQ } } },
  { "SandboxLocalFileSystem__rmdir", 1, { { "path", PATH } } },
  { "AgentUserInterface__send_message_to_user", 1, { { "content", LLM } } },
  { "VirtualFileSystem__open", 2, { { "path", PATH }, { "mode", EQ } } },
  { "VirtualFileSystem__mkdir", 2, { { "path", PATH }, { "create_recursive", EQ } } },
  { "VirtualFileSystem__mv", 2, { { "path1", PATH }, { "path2", PATH } } },
  { "VirtualFileSystem__rm", 2, { { "path", PATH }, { "recursive", EQ } } },
  { "VirtualFileSystem__rmdir", 1, { { "path", PATH } } },
};

/* APP_ALIAS: every entry of the original app is copied for each alias. */
static const struct { const char *alias; const char *original; } app_aliases[] = {
  { "EmailClientV2", "EmailClientApp" },
  { "Mail", "EmailClientApp" },
  { "Emails", "EmailClientApp" },
  { "RentAFlat", "ApartmentListingApp" },
  { "Contacts", "ContactsApp" },
  { "Messages", "MessagingAppV2" },
  { "Chats", "MessagingAppV2" },
  { "Calendar", "CalendarApp" },
  { "Shopping", "ShoppingApp" },
  { "Cabs", "CabApp" },
  { "Files", "SandboxLocalFileSystem" },
};

/* The hard registry's one tool alias (sic: capital B, so no app alias applies to it). */
#define MAKEDIRS_ALIAS "SandBoxLocalFileSystem__makedirs"
#define MAKEDIRS_ORIGINAL "SandboxLocalFileSystem__mkdir"

#define PLACEHOLDER SIGMA_SOFT_CHECKER_PLACEHOLDER
#define MAX_SOFT_CHECKERS 4

typedef struct
{
  const char           *tool_name;
  guint                 n_checkers;
  SigmaSoftCheckerType  checkers[MAX_SOFT_CHECKERS];
} SoftRegistryEntry;

/* PER_TOOL_TO_SOFT_CHECKER_TYPES */
static const SoftRegistryEntry soft_registry[] = {
  { "CalendarApp__add_calendar_event", 1, { SIGMA_SOFT_CHECKER_EVENT } },
  { "EmailClientApp__send_email", 4, { PLACEHOLDER, SIGMA_SOFT_CHECKER_SIGNATURE,
                                       SIGMA_SOFT_CHECKER_TONE, SIGMA_SOFT_CHECKER_EMAIL } },
  { "EmailClientApp__reply_to_email", 4, { PLACEHOLDER, SIGMA_SOFT_CHECKER_SIGNATURE,
                                           SIGMA_SOFT_CHECKER_TONE, SIGMA_SOFT_CHECKER_EMAIL } },
  { "MessagingApp__send_message", 3, { PLACEHOLDER, SIGMA_SOFT_CHECKER_TONE, SIGMA_SOFT_CHECKER_MESSAGE } },
  { "CabApp__order_ride", 1, { SIGMA_SOFT_CHECKER_CAB } },
  { "AgentUserInterface__send_message_to_user", 2, { SIGMA_SOFT_CHECKER_SANITY,
                                                     SIGMA_SOFT_CHECKER_USER_MESSAGE } },
  { "MessagingApp__create_conversation", 1, { SIGMA_SOFT_CHECKER_CONTENT } },
};

/* TOOL_ALIAS of the soft registry (applied before the app aliases). */
static const struct { const char *alias; const char *original; } soft_tool_aliases[] = {
  { "MessagingAppV2__send_message", "MessagingApp__send_message" },
  { "MessagingAppV2__send_message_to_group_conversation", "MessagingApp__send_message" },
  { "MessagingAppV2__create_group_conversation", "MessagingApp__create_conversation" },
  { "MessagingAppV2__change_conversation_title", "MessagingApp__create_conversation" },
};

/* Replaces an alias app in "App__function" by its original app; returns NULL when the app is
 * no alias. */
static char *
unalias_tool_name (const char *tool_name)
{
  const char *sep = strstr (tool_name, "__");
  g_autofree char *app = NULL;

  if (sep == NULL)
    return NULL;
  app = g_strndup (tool_name, (gsize) (sep - tool_name));
  for (guint i = 0; i < G_N_ELEMENTS (app_aliases); i++)
    if (g_str_equal (app_aliases[i].alias, app))
      return g_strconcat (app_aliases[i].original, sep, NULL);
  return NULL;
}

static const RegistryEntry *
find_hard_entry (const char *tool_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (hard_registry); i++)
    if (g_str_equal (hard_registry[i].tool_name, tool_name))
      return &hard_registry[i];
  return NULL;
}

const SigmaArgChecker *
sigma_checker_registry_lookup (const char *tool_name,
                               guint      *n_args)
{
  const RegistryEntry *entry;

  g_return_val_if_fail (tool_name != NULL, NULL);

  entry = find_hard_entry (tool_name);
  if (entry == NULL && g_str_equal (tool_name, MAKEDIRS_ALIAS))
    entry = find_hard_entry (MAKEDIRS_ORIGINAL);
  if (entry == NULL)
    {
      g_autofree char *original = unalias_tool_name (tool_name);

      if (original != NULL)
        entry = find_hard_entry (original);
    }

  if (n_args != NULL)
    *n_args = entry != NULL ? entry->n_args : 0;
  return entry != NULL ? entry->args : NULL;
}

guint
sigma_checker_registry_get_n_keys (void)
{
  guint n = G_N_ELEMENTS (hard_registry) + 1;   /* + the makedirs tool alias */

  for (guint a = 0; a < G_N_ELEMENTS (app_aliases); a++)
    {
      gsize len = strlen (app_aliases[a].original);

      for (guint i = 0; i < G_N_ELEMENTS (hard_registry); i++)
        if (strncmp (hard_registry[i].tool_name, app_aliases[a].original, len) == 0 &&
            strncmp (hard_registry[i].tool_name + len, "__", 2) == 0)
          n++;
    }
  return n;
}

static const SoftRegistryEntry *
find_soft_entry (const char *tool_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (soft_registry); i++)
    if (g_str_equal (soft_registry[i].tool_name, tool_name))
      return &soft_registry[i];
  for (guint i = 0; i < G_N_ELEMENTS (soft_tool_aliases); i++)
    if (g_str_equal (soft_tool_aliases[i].alias, tool_name))
      return find_soft_entry (soft_tool_aliases[i].original);
  return NULL;
}

const SigmaSoftCheckerType *
sigma_soft_checker_registry_lookup (const char *tool_name,
                                    guint      *n_checkers)
{
  const SoftRegistryEntry *entry;

  g_return_val_if_fail (tool_name != NULL, NULL);

  entry = find_soft_entry (tool_name);
  if (entry == NULL)
    {
      g_autofree char *original = unalias_tool_name (tool_name);

      if (original != NULL)
        entry = find_soft_entry (original);
    }

  if (n_checkers != NULL)
    *n_checkers = entry != NULL ? entry->n_checkers : 0;
  return entry != NULL ? entry->checkers : NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Python values                                                                         */

static gboolean
is_none (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

const char *
sigma_py_type_name (JsonNode *node)
{
  if (is_none (node))
    return "NoneType";
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_ARRAY:
      return "list";
    case JSON_NODE_OBJECT:
      return "dict";
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          return "bool";
        if (type == G_TYPE_INT64)
          return "int";
        if (type == G_TYPE_DOUBLE)
          return "float";
        return "str";
      }
    case JSON_NODE_NULL:
    default:
      return "NoneType";
    }
}

gboolean
sigma_py_isspace (gunichar c)
{
  /* str.isspace(): bidirectional class WS, B or S, or category Zs */
  return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
         c == 0x202f || c == 0x205f || c == 0x3000;
}

char *
sigma_py_strip (const char *str)
{
  const char *start = str;
  const char *end = str + strlen (str);

  while (*start != '\0' && sigma_py_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !sigma_py_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, (gsize) (end - start));
}

char *
sigma_py_str (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  sigma_py_value_append (out, node, TRUE);
  return g_string_free (out, FALSE);
}

char *
sigma_py_repr (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  sigma_py_value_append (out, node, FALSE);
  return g_string_free (out, FALSE);
}

gboolean
sigma_py_truthy (JsonNode *node)
{
  if (is_none (node))
    return FALSE;
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (node)) > 0;
    case JSON_NODE_OBJECT:
      return json_object_get_size (json_node_get_object (node)) > 0;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          return json_node_get_boolean (node);
        if (type == G_TYPE_INT64)
          return json_node_get_int (node) != 0;
        if (type == G_TYPE_DOUBLE)
          return json_node_get_double (node) != 0.0;
        return json_node_get_string (node)[0] != '\0';
      }
    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE || type == G_TYPE_BOOLEAN;
}

static gboolean
number_is_int (JsonNode *node,
               gint64   *value)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_BOOLEAN)
    *value = json_node_get_boolean (node) ? 1 : 0;
  else if (type == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else
    return FALSE;
  return TRUE;
}

/* int == float is exact in Python: 2 == 2.0, but 2**53 + 1 != 2.0**53. */
static gboolean
int_equals_double (gint64  i,
                   gdouble d)
{
  if (isnan (d) || isinf (d) || d != floor (d))
    return FALSE;
  if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    return FALSE;
  return (gint64) d == i;
}

gboolean
sigma_py_equal (JsonNode *a,
                JsonNode *b)
{
  if (is_none (a) || is_none (b))
    return is_none (a) && is_none (b);

  if (is_number (a) && is_number (b))
    {
      gint64 ia = 0, ib = 0;
      gboolean a_int = number_is_int (a, &ia);
      gboolean b_int = number_is_int (b, &ib);

      if (a_int && b_int)
        return ia == ib;
      if (a_int)
        return int_equals_double (ia, json_node_get_double (b));
      if (b_int)
        return int_equals_double (ib, json_node_get_double (a));
      return json_node_get_double (a) == json_node_get_double (b);
    }

  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_ARRAY:
      {
        JsonArray *xa = json_node_get_array (a);
        JsonArray *xb = json_node_get_array (b);
        guint n = json_array_get_length (xa);

        if (n != json_array_get_length (xb))
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (!sigma_py_equal (json_array_get_element (xa, i), json_array_get_element (xb, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (json_object_get_size (oa) != json_object_get_size (ob))
          return FALSE;
        json_object_iter_init (&iter, oa);
        while (json_object_iter_next (&iter, &name, &member))
          if (!json_object_has_member (ob, name) ||
              !sigma_py_equal (member, json_object_get_member (ob, name)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return is_string (a) && is_string (b) &&
             g_str_equal (json_node_get_string (a), json_node_get_string (b));
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/* len(x) */
static gboolean
py_len (JsonNode  *node,
        gsize     *len,
        GError   **error)
{
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    *len = json_array_get_length (json_node_get_array (node));
  else if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    *len = json_object_get_size (json_node_get_object (node));
  else if (is_string (node))
    *len = g_utf8_strlen (json_node_get_string (node), -1);
  else
    {
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_TYPE,
                   "TypeError: object of type '%s' has no len()", sigma_py_type_name (node));
      return FALSE;
    }
  return TRUE;
}

/* iter(x): the elements of a list, the characters of a str, the keys of a dict. */
static GPtrArray *
py_iter (JsonNode  *node,
         GError   **error)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (items, json_node_ref (json_array_get_element (array, i)));
    }
  else if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        g_ptr_array_add (items, json_node_init_string (json_node_alloc (), name));
    }
  else if (is_string (node))
    {
      for (const char *p = json_node_get_string (node); *p != '\0'; p = g_utf8_next_char (p))
        {
          char buf[8] = { 0 };

          g_unichar_to_utf8 (g_utf8_get_char (p), buf);
          g_ptr_array_add (items, json_node_init_string (json_node_alloc (), buf));
        }
    }
  else
    {
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_TYPE,
                   "TypeError: '%s' object is not iterable", sigma_py_type_name (node));
      g_ptr_array_unref (items);
      return NULL;
    }
  return items;
}

/* set(x) == set(y), elements compared with Python ==; lists and dicts are unhashable. */
static gboolean
py_set_equal (GPtrArray  *xs,
              GPtrArray  *ys,
              gboolean   *result,
              GError    **error)
{
  GPtrArray *both[2] = { xs, ys };

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < both[s]->len; i++)
      {
        JsonNode *item = g_ptr_array_index (both[s], i);

        if (JSON_NODE_HOLDS_ARRAY (item) || JSON_NODE_HOLDS_OBJECT (item))
          {
            g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_TYPE,
                         "TypeError: unhashable type: '%s'", sigma_py_type_name (item));
            return FALSE;
          }
      }

  *result = TRUE;
  for (guint s = 0; s < 2 && *result; s++)
    {
      GPtrArray *from = both[s];
      GPtrArray *to = both[1 - s];

      for (guint i = 0; i < from->len && *result; i++)
        {
          gboolean found = FALSE;

          for (guint j = 0; j < to->len && !found; j++)
            found = sigma_py_equal (g_ptr_array_index (from, i), g_ptr_array_index (to, j));
          *result = found;
        }
    }
  return TRUE;
}

static gboolean
py_str_set_equal (GPtrArray *xs,
                  GPtrArray *ys)
{
  for (guint i = 0; i < xs->len; i++)
    if (!g_ptr_array_find_with_equal_func (ys, g_ptr_array_index (xs, i), g_str_equal, NULL))
      return FALSE;
  for (guint i = 0; i < ys->len; i++)
    if (!g_ptr_array_find_with_equal_func (xs, g_ptr_array_index (ys, i), g_str_equal, NULL))
      return FALSE;
  return TRUE;
}

/* os.path.normpath (posixpath): collapses separators and ".", resolves ".." lexically, keeps
 * exactly two leading slashes, never returns "". */
char *
sigma_py_normpath (const char *path)
{
  g_auto(GStrv) comps = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  guint initial_slashes = 0;
  GString *out;

  if (path[0] == '\0')
    return g_strdup (".");

  if (path[0] == '/')
    initial_slashes = (path[1] == '/' && path[2] != '/') ? 2 : 1;

  comps = g_strsplit (path, "/", -1);
  for (guint i = 0; comps[i] != NULL; i++)
    {
      const char *comp = comps[i];

      if (comp[0] == '\0' || g_str_equal (comp, "."))
        continue;
      if (!g_str_equal (comp, "..") ||
          (initial_slashes == 0 && kept->len == 0) ||
          (kept->len > 0 && g_str_equal (g_ptr_array_index (kept, kept->len - 1), "..")))
        g_ptr_array_add (kept, (gpointer) comp);
      else if (kept->len > 0)
        g_ptr_array_set_size (kept, kept->len - 1);
    }

  out = g_string_new (NULL);
  for (guint i = 0; i < initial_slashes; i++)
    g_string_append_c (out, '/');
  for (guint i = 0; i < kept->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, g_ptr_array_index (kept, i));
    }
  if (out->len == 0)
    g_string_append_c (out, '.');
  return g_string_free (out, FALSE);
}

/* normpath(p).lstrip("/") */
static gboolean
normalized_path (JsonNode  *node,
                 char     **result,
                 GError   **error)
{
  g_autofree char *norm = NULL;
  const char *p;

  if (!is_string (node))
    {
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_TYPE,
                   "TypeError: expected str, bytes or os.PathLike object, not %s",
                   sigma_py_type_name (node));
      return FALSE;
    }
  norm = sigma_py_normpath (json_node_get_string (node));
  for (p = norm; *p == '/'; p++)
    ;
  *result = g_strdup (p);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* datetime.strptime (text, "%Y-%m-%d %H:%M:%S")                                        */

/* One token of a _strptime field pattern: an ASCII range, \d (any Unicode decimal digit), or
 * a literal space. */
typedef struct { char lo; char hi; } Tok;
#define DIGIT { 0, 0 }
#define SPACE { ' ', ' ' }
#define R(a, b) { a, b }

typedef struct
{
  guint n_tokens;
  Tok   tokens[2];
} Alternative;

typedef struct
{
  guint       n_alternatives;
  Alternative alternatives[5];
} FieldPattern;

/* Python's _strptime regexes for %Y, %m, %d, %H, %M, %S, in alternation order. */
static const FieldPattern field_patterns[6] = {
  /* Y: \d\d\d\d, matched as two pairs */
  { 1, { { 2, { DIGIT, DIGIT } } } },
  /* m: 1[0-2]|0[1-9]|[1-9] */
  { 3, { { 2, { R ('1', '1'), R ('0', '2') } }, { 2, { R ('0', '0'), R ('1', '9') } },
         { 1, { R ('1', '9') } } } },
  /* d: 3[01]|[12]\d|0[1-9]|[1-9]| [1-9] */
  { 5, { { 2, { R ('3', '3'), R ('0', '1') } }, { 2, { R ('1', '2'), DIGIT } },
         { 2, { R ('0', '0'), R ('1', '9') } }, { 1, { R ('1', '9') } },
         { 2, { SPACE, R ('1', '9') } } } },
  /* H: 2[0-3]|[0-1]\d|\d */
  { 3, { { 2, { R ('2', '2'), R ('0', '3') } }, { 2, { R ('0', '1'), DIGIT } },
         { 1, { DIGIT } } } },
  /* M: [0-5]\d|\d */
  { 2, { { 2, { R ('0', '5'), DIGIT } }, { 1, { DIGIT } } } },
  /* S: 6[0-1]|[0-5]\d|\d */
  { 3, { { 2, { R ('6', '6'), R ('0', '1') } }, { 2, { R ('0', '5'), DIGIT } },
         { 1, { DIGIT } } } },
};

/* The whole pattern: Y - m - d \s+ H : M : S. Negative entries are separators. */
enum { SEP_DASH = -1, SEP_SPACES = -2, SEP_COLON = -3 };
static const gint strptime_program[] = { 0, SEP_DASH, 1, SEP_DASH, 2, SEP_SPACES, 3, SEP_COLON, 4, SEP_COLON, 5 };

typedef struct
{
  const gunichar *text;
  glong           len;
  glong           start[6];
  glong           end[6];
} StrptimeMatch;

static gboolean
token_matches (const Tok *tok,
               gunichar   c)
{
  if (tok->lo == 0)
    return g_unichar_isdigit (c);
  return c >= (gunichar) tok->lo && c <= (gunichar) tok->hi;
}

static gboolean
match_from (StrptimeMatch *m,
            guint          step,
            glong          pos,
            glong         *end);

static gboolean
match_field (StrptimeMatch *m,
             guint          step,
             gint           field,
             glong          pos,
             glong         *end)
{
  const FieldPattern *pattern = &field_patterns[field];
  guint repeat = field == 0 ? 2 : 1;   /* %Y is \d\d\d\d */

  for (guint a = 0; a < pattern->n_alternatives; a++)
    {
      const Alternative *alt = &pattern->alternatives[a];
      glong p = pos;
      gboolean ok = TRUE;

      for (guint r = 0; r < repeat && ok; r++)
        for (guint t = 0; t < alt->n_tokens && ok; t++)
          {
            ok = p < m->len && token_matches (&alt->tokens[t], m->text[p]);
            p++;
          }
      if (!ok)
        continue;
      m->start[field] = pos;
      m->end[field] = p;
      if (match_from (m, step + 1, p, end))
        return TRUE;
    }
  return FALSE;
}

static gboolean
match_from (StrptimeMatch *m,
            guint          step,
            glong          pos,
            glong         *end)
{
  gint op;

  if (step == G_N_ELEMENTS (strptime_program))
    {
      *end = pos;
      return TRUE;
    }

  op = strptime_program[step];
  if (op >= 0)
    return match_field (m, step, op, pos, end);
  if (op == SEP_DASH || op == SEP_COLON)
    return pos < m->len && m->text[pos] == (op == SEP_DASH ? '-' : ':') &&
           match_from (m, step + 1, pos + 1, end);

  /* \s+, greedy with backtracking */
  {
    glong n = 0;

    while (pos + n < m->len && sigma_py_isspace (m->text[pos + n]))
      n++;
    for (; n >= 1; n--)
      if (match_from (m, step + 1, pos + n, end))
        return TRUE;
    return FALSE;
  }
}

static gint
field_value (const StrptimeMatch *m,
             gint                 field)
{
  gint value = 0;

  for (glong p = m->start[field]; p < m->end[field]; p++)
    if (m->text[p] != ' ')
      value = value * 10 + g_unichar_digit_value (m->text[p]);
  return value;
}

static gint
days_in_month (gint year,
               gint month)
{
  static const gint days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

gboolean
sigma_py_strptime (const char  *text,
                   gint         fields[6],
                   GError     **error)
{
  g_autofree gunichar *chars = NULL;
  StrptimeMatch m = { 0 };
  glong len = 0;
  glong end = 0;

  chars = g_utf8_to_ucs4_fast (text, -1, &len);
  m.text = chars;
  m.len = len;

  if (!match_from (&m, 0, 0, &end))
    {
      g_autofree char *quoted = sigma_py_repr_str (text);
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                   "ValueError: time data %s does not match format '%%Y-%%m-%%d %%H:%%M:%%S'",
                   quoted);
      return FALSE;
    }
  if (end != len)
    {
      g_autofree char *rest = g_ucs4_to_utf8 (chars + end, len - end, NULL, NULL, NULL);
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                   "ValueError: unconverted data remains: %s", rest);
      return FALSE;
    }

  for (gint f = 0; f < 6; f++)
    fields[f] = field_value (&m, f);

  if (fields[0] < 1)
    {
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                   "ValueError: year %d is out of range", fields[0]);
      return FALSE;
    }
  if (fields[2] > days_in_month (fields[0], fields[1]))
    {
      g_set_error_literal (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                           "ValueError: day is out of range for month");
      return FALSE;
    }
  if (fields[5] > 59)
    {
      g_set_error_literal (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                           "ValueError: second must be in 0..59");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Normalisation                                                                         */

#define PY_PUNCTUATION "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

char *
sigma_normalize_str (const char *str)
{
  g_autofree char *lower = NULL;
  g_autofree char *decomposed = NULL;
  GString *kept;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (str != NULL, NULL);

  lower = g_utf8_strdown (str, -1);
  decomposed = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)   /* not UTF-8: normalise what we have */
    decomposed = g_strdup (lower);

  kept = g_string_new (NULL);
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c < 0x80 && c != 0 && strchr (PY_PUNCTUATION, (int) c) != NULL)
        continue;
      g_string_append_unichar (kept, c);
    }
  joined = g_string_free (kept, FALSE);
  return sigma_py_strip (joined);
}

char *
sigma_normalize_arg (JsonNode *node)
{
  g_autofree char *text = sigma_py_str (node);

  return sigma_normalize_str (text);
}

gboolean
sigma_text_has_placeholder (const char  *text,
                            const char **found)
{
  static const char * const placeholders[] = {
    "[User's Name]", "[User Name]", "[User]", "[Your Name]", "[My Name]",
    "Best regards,\nYour Name", "Best,\nYour Name",
  };
  g_autofree char *lower = g_utf8_strdown (text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    {
      g_autofree char *needle = g_utf8_strdown (placeholders[i], -1);

      if (strstr (lower, needle) != NULL)
        {
          if (found != NULL)
            *found = placeholders[i];
          return TRUE;
        }
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* The checkers                                                                          */

static gboolean
require_str (JsonNode    *node,
             const char  *method,
             GError     **error)
{
  if (is_string (node))
    return TRUE;
  g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_ATTRIBUTE,
               "AttributeError: '%s' object has no attribute '%s'", sigma_py_type_name (node), method);
  return FALSE;
}

/* str.isdigit(): decimal digits plus the characters whose Numeric_Type is Digit
 * (superscripts, circled and parenthesised digits, …). */
static gboolean
py_isdigit (gunichar c)
{
  static const gunichar ranges[][2] = {
    { 0x00b2, 0x00b3 }, { 0x00b9, 0x00b9 }, { 0x1369, 0x1371 }, { 0x19da, 0x19da },
    { 0x2070, 0x2070 }, { 0x2074, 0x2079 }, { 0x2080, 0x2089 }, { 0x2460, 0x2468 },
    { 0x2474, 0x247c }, { 0x2488, 0x2490 }, { 0x24ea, 0x24ea }, { 0x24f5, 0x24fd },
    { 0x24ff, 0x24ff }, { 0x2776, 0x277e }, { 0x2780, 0x2788 }, { 0x278a, 0x2792 },
    { 0x10a40, 0x10a43 }, { 0x10e60, 0x10e68 }, { 0x11052, 0x1105a }, { 0x1f100, 0x1f10a },
  };

  if (g_unichar_isdigit (c))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    if (c >= ranges[i][0] && c <= ranges[i][1])
      return TRUE;
  return FALSE;
}

static gboolean
str_isdigit (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s = g_utf8_next_char (s))
    if (!py_isdigit (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}

/* "".join(char for char in x if char.isdigit()) */
static gboolean
phone_digits (JsonNode  *node,
              char     **digits,
              GError   **error)
{
  g_autoptr(GPtrArray) items = py_iter (node, error);
  GString *out;

  if (items == NULL)
    return FALSE;
  out = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode *item = g_ptr_array_index (items, i);

      if (!require_str (item, "isdigit", error))
        {
          g_string_free (out, TRUE);
          return FALSE;
        }
      if (str_isdigit (json_node_get_string (item)))
        g_string_append (out, json_node_get_string (item));
    }
  *digits = g_string_free (out, FALSE);
  return TRUE;
}

/* [normalize_str(x) for x in xs] */
static GPtrArray *
normalized_strings (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(GPtrArray) items = py_iter (node, error);
  g_autoptr(GPtrArray) out = NULL;

  if (items == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode *item = g_ptr_array_index (items, i);

      if (!require_str (item, "lower", error))
        return NULL;
      g_ptr_array_add (out, sigma_normalize_str (json_node_get_string (item)));
    }
  return g_steal_pointer (&out);
}

static void
remove_tolerated (GPtrArray *names,
                  GPtrArray *tolerance)
{
  for (guint i = 0; i < names->len;)
    if (g_ptr_array_find_with_equal_func (tolerance, g_ptr_array_index (names, i), g_str_equal, NULL))
      g_ptr_array_remove_index (names, i);
    else
      i++;
}

static gboolean
list_attendees_checker (JsonNode            *agent,
                        JsonNode            *oracle,
                        const char * const  *tolerance,
                        gboolean            *result,
                        GError             **error)
{
  g_autoptr(GPtrArray) tol = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) oracle_names = NULL;
  g_autoptr(GPtrArray) agent_names = NULL;
  gsize len = 0;
  gboolean all_tolerated = TRUE;

  for (guint i = 0; tolerance != NULL && tolerance[i] != NULL; i++)
    g_ptr_array_add (tol, sigma_normalize_str (tolerance[i]));

  if (is_none (oracle))
    {
      *result = TRUE;
      return TRUE;
    }
  if (!py_len (oracle, &len, error))
    return FALSE;
  if (len == 0)
    {
      *result = TRUE;
      return TRUE;
    }

  oracle_names = normalized_strings (oracle, error);
  if (oracle_names == NULL)
    return FALSE;
  for (guint i = 0; i < oracle_names->len && all_tolerated; i++)
    all_tolerated = g_ptr_array_find_with_equal_func (tol, g_ptr_array_index (oracle_names, i),
                                                      g_str_equal, NULL);
  if (all_tolerated)
    {
      *result = TRUE;
      return TRUE;
    }

  if (is_none (agent))
    agent_names = g_ptr_array_new_with_free_func (g_free);
  else
    agent_names = normalized_strings (agent, error);
  if (agent_names == NULL)
    return FALSE;

  remove_tolerated (agent_names, tol);
  remove_tolerated (oracle_names, tol);
  *result = py_str_set_equal (agent_names, oracle_names);
  return TRUE;
}

/* The None rule of the unordered list checkers. Returns TRUE when it decided @result. */
static gboolean
list_none_rule (JsonNode  *agent,
                JsonNode  *oracle,
                gboolean  *decided,
                gboolean  *result,
                GError   **error)
{
  gsize len = 0;

  *decided = FALSE;
  if (is_none (agent))
    {
      *decided = TRUE;
      if (is_none (oracle))
        *result = TRUE;
      else if (!py_len (oracle, &len, error))
        return FALSE;
      else
        *result = len == 0;
    }
  else if (is_none (oracle))
    {
      *decided = TRUE;
      if (!py_len (agent, &len, error))
        return FALSE;
      *result = len == 0;
    }
  return TRUE;
}

static gboolean
unordered_list_checker (JsonNode  *agent,
                        JsonNode  *oracle,
                        gboolean   paths,
                        gboolean  *result,
                        GError   **error)
{
  g_autoptr(GPtrArray) xs = NULL;
  g_autoptr(GPtrArray) ys = NULL;
  gboolean decided;

  if (!list_none_rule (agent, oracle, &decided, result, error))
    return FALSE;
  if (decided)
    return TRUE;

  xs = py_iter (agent, error);
  if (xs == NULL)
    return FALSE;
  ys = py_iter (oracle, error);
  if (ys == NULL)
    return FALSE;

  if (!paths)
    return py_set_equal (xs, ys, result, error);

  {
    g_autoptr(GPtrArray) px = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) py = g_ptr_array_new_with_free_func (g_free);
    GPtrArray *src[2] = { xs, ys };
    GPtrArray *dst[2] = { px, py };

    for (guint s = 0; s < 2; s++)
      for (guint i = 0; i < src[s]->len; i++)
        {
          char *norm = NULL;

          if (!normalized_path (g_ptr_array_index (src[s], i), &norm, error))
            return FALSE;
          g_ptr_array_add (dst[s], norm);
        }
    *result = py_str_set_equal (px, py);
    return TRUE;
  }
}

static gboolean
contain_checker (JsonNode            *agent,
                 const char * const  *targets,
                 gboolean             all,
                 gboolean            *result,
                 GError             **error)
{
  g_autofree char *haystack = NULL;

  if (!require_str (agent, "lower", error))
    return FALSE;
  haystack = g_utf8_strdown (json_node_get_string (agent), -1);

  *result = all;
  for (guint i = 0; targets != NULL && targets[i] != NULL; i++)
    {
      g_autofree char *needle = g_utf8_strdown (targets[i], -1);
      gboolean found = strstr (haystack, needle) != NULL;

      if (all && !found)
        {
          *result = FALSE;
          break;
        }
      if (!all && found)
        {
          *result = TRUE;
          break;
        }
    }
  return TRUE;
}

gboolean
sigma_arg_checker_run (SigmaCheckerType     type,
                       JsonNode            *agent,
                       JsonNode            *oracle,
                       const char * const  *tolerance,
                       const char * const  *targets,
                       gboolean            *result,
                       GError             **error)
{
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *result = FALSE;

  switch (type)
    {
    case SIGMA_CHECKER_EQ:
      *result = sigma_py_equal (agent, oracle);
      return TRUE;

    case SIGMA_CHECKER_EQ_STR_STRIP:
      {
        g_autofree char *a = NULL;
        g_autofree char *o = NULL;

        if (sigma_py_truthy (agent) && !require_str (agent, "strip", error))
          return FALSE;
        if (sigma_py_truthy (oracle) && !require_str (oracle, "strip", error))
          return FALSE;
        a = sigma_py_truthy (agent) ? sigma_py_strip (json_node_get_string (agent)) : g_strdup ("");
        o = sigma_py_truthy (oracle) ? sigma_py_strip (json_node_get_string (oracle)) : g_strdup ("");
        *result = g_str_equal (a, o);
        return TRUE;
      }

    case SIGMA_CHECKER_UNORDERED_LIST:
      return unordered_list_checker (agent, oracle, FALSE, result, error);

    case SIGMA_CHECKER_UNORDERED_PATH_LIST:
      return unordered_list_checker (agent, oracle, TRUE, result, error);

    case SIGMA_CHECKER_PATH:
      {
        g_autofree char *a = NULL;
        g_autofree char *o = NULL;

        if (is_none (agent) || is_none (oracle))
          {
            *result = sigma_py_equal (agent, oracle);
            return TRUE;
          }
        if (!normalized_path (agent, &a, error) || !normalized_path (oracle, &o, error))
          return FALSE;
        *result = g_str_equal (a, o);
        return TRUE;
      }

    case SIGMA_CHECKER_DATETIME:
      {
        gint a[6], o[6];
        JsonNode *sides[2] = { agent, oracle };

        if (is_none (agent) || is_none (oracle))
          {
            *result = sigma_py_equal (agent, oracle);
            return TRUE;
          }
        for (guint s = 0; s < 2; s++)
          if (!is_string (sides[s]))
            {
              g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_TYPE,
                           "TypeError: strptime() argument 1 must be str, not %s",
                           sigma_py_type_name (sides[s]));
              return FALSE;
            }
        if (!sigma_py_strptime (json_node_get_string (agent), a, error) ||
            !sigma_py_strptime (json_node_get_string (oracle), o, error))
          return FALSE;
        *result = memcmp (a, o, sizeof a) == 0;
        return TRUE;
      }

    case SIGMA_CHECKER_PHONE_NUMBER:
      {
        g_autofree char *a = NULL;
        g_autofree char *o = NULL;

        if (is_none (agent) || is_none (oracle))
          {
            *result = is_none (agent) && is_none (oracle);
            return TRUE;
          }
        if (!phone_digits (agent, &a, error) || !phone_digits (oracle, &o, error))
          return FALSE;
        *result = g_str_equal (a, o);
        return TRUE;
      }

    case SIGMA_CHECKER_LIST_ATTENDEES:
      return list_attendees_checker (agent, oracle, tolerance, result, error);

    case SIGMA_CHECKER_CONTAIN_ANY:
      return contain_checker (agent, targets, FALSE, result, error);

    case SIGMA_CHECKER_CONTAIN_ALL:
      return contain_checker (agent, targets, TRUE, result, error);

    case SIGMA_CHECKER_LLM:
    default:
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                   "ValueError: %s is not a hard checker", sigma_checker_type_to_string (type));
      return FALSE;
    }
}
