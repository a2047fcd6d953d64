/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "sigma-app-util.h"
#include "sigma-error.h"

void
sigma_tool_error (GError     **error,
                  const char  *format,
                  ...)
{
  va_list args;

  if (error == NULL)
    return;
  va_start (args, format);
  *error = g_error_new_valist (SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED, format, args);
  va_end (args);
}

void
sigma_tool_key_error (GError     **error,
                      const char  *key)
{
  g_autofree char *repr = sigma_py_repr_str (key);

  sigma_tool_error (error, "%s", repr);
}

gboolean
sigma_check_offset_limit (const char  *tool,
                          gint64       offset,
                          gint64       limit,
                          gint64       max_limit,
                          GError     **error)
{
  if (offset < 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Tool '%s': argument 'offset' must be non-negative, got %" G_GINT64_FORMAT,
                   tool, offset);
      return FALSE;
    }
  if (limit < 0 || limit > max_limit)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Tool '%s': argument 'limit' must be between 0 and %" G_GINT64_FORMAT
                   ", got %" G_GINT64_FORMAT, tool, max_limit, limit);
      return FALSE;
    }
  return TRUE;
}

gboolean
sigma_state_problem (SigmaStateReader  *r,
                     GError           **error,
                     const char        *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (r->lenient)
    {
      g_warning ("%s: %s (skipped)", sigma_app_get_name (r->app), message);
      return TRUE;
    }
  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
               "%s: %s", sigma_app_get_name (r->app), message);
  return FALSE;
}

gboolean
sigma_state_missing (SigmaStateReader  *r,
                     GError           **error,
                     const char        *path,
                     const char        *member,
                     const char        *kind)
{
  return sigma_state_problem (r, error, "%s.%s: missing (expected %s)", path, member, kind);
}

JsonObject *
sigma_state_root (SigmaApp  *app,
                  JsonNode  *state,
                  GError   **error)
{
  if (state == NULL || !JSON_NODE_HOLDS_OBJECT (state))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: app_state must be a JSON object", sigma_app_get_name (app));
      return NULL;
    }
  return json_node_get_object (state);
}

/* Looks @member up; FALSE when it is a problem (missing and required, or of the wrong kind). */
static gboolean
get_member (SigmaStateReader  *r,
            JsonObject        *obj,
            const char        *path,
            const char        *member,
            gboolean           required,
            const char        *kind,
            gboolean         (*matches) (JsonNode *),
            JsonNode         **out,
            GError           **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return sigma_state_missing (r, error, path, member, kind);
      return TRUE;
    }
  if (!matches (node))
    return sigma_state_problem (r, error, "%s.%s: expected %s", path, member, kind);
  *out = node;
  return TRUE;
}

static gboolean
is_object (JsonNode *node)
{
  return JSON_NODE_HOLDS_OBJECT (node);
}

static gboolean
is_array (JsonNode *node)
{
  return JSON_NODE_HOLDS_ARRAY (node);
}

static gboolean
is_integral (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return TRUE;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      gdouble d = json_node_get_double (node);
      return d == (gdouble) (gint64) d;
    }
  return FALSE;
}

static gboolean
is_bool (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

gboolean
sigma_json_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
sigma_json_is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

gboolean
sigma_json_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

gboolean
sigma_state_get_object (SigmaStateReader *r, JsonObject *obj, const char *path,
                        const char *member, gboolean required, JsonObject **out, GError **error)
{
  JsonNode *node;

  if (!get_member (r, obj, path, member, required, "an object", is_object, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_object (node);
  return TRUE;
}

gboolean
sigma_state_get_array (SigmaStateReader *r, JsonObject *obj, const char *path,
                       const char *member, gboolean required, JsonArray **out, GError **error)
{
  JsonNode *node;

  if (!get_member (r, obj, path, member, required, "an array", is_array, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_array (node);
  return TRUE;
}

gboolean
sigma_state_get_string (SigmaStateReader *r, JsonObject *obj, const char *path,
                        const char *member, gboolean required, const char **out, GError **error)
{
  JsonNode *node;

  if (!get_member (r, obj, path, member, required, "a string", sigma_json_is_string, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_string (node);
  return TRUE;
}

gboolean
sigma_state_get_int (SigmaStateReader *r, JsonObject *obj, const char *path,
                     const char *member, gboolean required, gint64 *out, GError **error)
{
  JsonNode *node;

  if (!get_member (r, obj, path, member, required, "an integer", is_integral, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node)
                                                            : (gint64) json_node_get_double (node);
  return TRUE;
}

gboolean
sigma_state_get_double (SigmaStateReader *r, JsonObject *obj, const char *path,
                        const char *member, gboolean required, gdouble *out, GError **error)
{
  gboolean is_int;

  return sigma_state_get_number (r, obj, path, member, required, out, &is_int, error);
}

gboolean
sigma_state_get_bool (SigmaStateReader *r, JsonObject *obj, const char *path,
                      const char *member, gboolean required, gboolean *out, GError **error)
{
  JsonNode *node;

  if (!get_member (r, obj, path, member, required, "a boolean", is_bool, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
sigma_state_get_number (SigmaStateReader *r, JsonObject *obj, const char *path,
                        const char *member, gboolean required, gdouble *out,
                        gboolean *is_int, GError **error)
{
  JsonNode *node;

  if (!get_member (r, obj, path, member, required, "a number", sigma_json_is_number, &node, error))
    return FALSE;
  if (node != NULL)
    {
      *out = json_node_get_double (node);
      *is_int = sigma_json_is_int (node);
    }
  return TRUE;
}

gboolean
sigma_state_get_number_node (SigmaStateReader *r, JsonObject *obj, const char *path,
                             const char *member, gboolean required, JsonNode **out,
                             GError **error)
{
  JsonNode *node;

  if (!get_member (r, obj, path, member, required, "a number", sigma_json_is_number, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_copy (node);
  return TRUE;
}

gboolean
sigma_state_check_members (SigmaStateReader   *r,
                           JsonObject         *obj,
                           const char         *path,
                           const char * const *members,
                           const char         *problem,
                           GError            **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, NULL))
    if (!g_strv_contains (members, name) &&
        !sigma_state_problem (r, error, "%s.%s: %s", path, name, problem))
      return FALSE;
  return TRUE;
}

gboolean
sigma_state_check_strings (SigmaStateReader  *r,
                           JsonArray         *array,
                           const char        *path,
                           const char        *member,
                           GError           **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!sigma_json_is_string (json_array_get_element (array, i)) &&
        !sigma_state_problem (r, error, "%s.%s[%u]: expected a string", path, member, i))
      return FALSE;
  return TRUE;
}

gboolean
sigma_state_skip_entry (SigmaStateReader  *r,
                        GError            *entry_error,
                        GError           **error)
{
  if (r->lenient)
    {
      /* the entry error names the app already */
      g_warning ("%s (skipped)", entry_error->message);
      g_error_free (entry_error);
      return TRUE;
    }
  g_propagate_error (error, entry_error);
  return FALSE;
}

/* One entry of a collection, read strictly; FALSE unless it was read or skipped. */
static gboolean
read_entry (SigmaStateReader     *r,
            const char           *key,
            JsonNode             *node,
            const char           *path,
            SigmaStateEntryFunc   func,
            gpointer              user_data,
            GError              **error)
{
  SigmaStateReader strict = { r->app, FALSE };
  GError *entry_error = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    sigma_state_problem (&strict, &entry_error, "%s: expected an object", path);
  else if (func (&strict, key, json_node_get_object (node), path, user_data, &entry_error))
    return TRUE;
  return sigma_state_skip_entry (r, entry_error, error);
}

gboolean
sigma_state_read_members (SigmaStateReader     *r,
                          JsonObject           *entries,
                          const char           *path,
                          SigmaStateEntryFunc   read_entry_func,
                          gpointer              user_data,
                          GError              **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, entries);
  while (json_object_iter_next_ordered (&iter, &key, &node))
    {
      g_autofree char *entry_path = g_strdup_printf ("%s.%s", path, key);

      if (!read_entry (r, key, node, entry_path, read_entry_func, user_data, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sigma_state_read_elements (SigmaStateReader     *r,
                           JsonArray            *entries,
                           const char           *path,
                           SigmaStateEntryFunc   read_entry_func,
                           gpointer              user_data,
                           GError              **error)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      g_autofree char *entry_path = g_strdup_printf ("%s[%u]", path, i);

      if (!read_entry (r, NULL, json_array_get_element (entries, i), entry_path, read_entry_func,
                       user_data, error))
        return FALSE;
    }
  return TRUE;
}

JsonNode *
sigma_json_string (const char *value)
{
  if (value == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_init_string (json_node_alloc (), value);
}

JsonNode *
sigma_json_int (gint64 value)
{
  return json_node_init_int (json_node_alloc (), value);
}

JsonNode *
sigma_json_double (gdouble value)
{
  return json_node_init_double (json_node_alloc (), value);
}

JsonNode *
sigma_json_bool (gboolean value)
{
  return json_node_init_boolean (json_node_alloc (), value);
}

JsonNode *
sigma_json_null (void)
{
  return json_node_new (JSON_NODE_NULL);
}

JsonNode *
sigma_json_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
sigma_json_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

JsonNode *
sigma_json_string_take (char *value)
{
  JsonNode *node = sigma_json_string (value);

  g_free (value);
  return node;
}

JsonNode *
sigma_json_string_printf (const char *format,
                          ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return sigma_json_string_take (text);
}

JsonNode *
sigma_json_number (gdouble  value,
                   gboolean is_int)
{
  return is_int ? sigma_json_int ((gint64) value) : sigma_json_double (value);
}

JsonArray *
sigma_json_string_array (GPtrArray *strings)
{
  JsonArray *array = json_array_sized_new (strings->len);

  for (guint i = 0; i < strings->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (strings, i));
  return array;
}

JsonNode *
sigma_json_strings (GPtrArray *strings)
{
  return sigma_json_array (sigma_json_string_array (strings));
}

gboolean
sigma_contains_folded (const char *text,
                       const char *folded_query)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_strdown (text, -1);
  return strstr (folded, folded_query) != NULL;
}

char *
sigma_py_path_join (const char *dir,
                    const char *name)
{
  if (name[0] == '/' || dir[0] == '\0')
    return g_strdup (name);
  if (g_str_has_suffix (dir, "/"))
    return g_strconcat (dir, name, NULL);
  return g_strconcat (dir, "/", name, NULL);
}

JsonArray *
sigma_json_array_deep_copy (JsonArray *array)
{
  JsonArray *copy = json_array_sized_new (json_array_get_length (array));

  for (guint i = 0; i < json_array_get_length (array); i++)
    json_array_add_element (copy, sigma_json_deep_copy (json_array_get_element (array, i)));
  return copy;
}

JsonObject *
sigma_json_object_deep_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, sigma_json_deep_copy (member));
  return copy;
}

JsonNode *
sigma_json_deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return sigma_json_object (sigma_json_object_deep_copy (json_node_get_object (node)));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return sigma_json_array (sigma_json_array_deep_copy (json_node_get_array (node)));
  return json_node_copy (node);
}

JsonObject *
sigma_json_get_object_member (JsonObject *object,
                              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

void
sigma_set_string (char       **field,
                  const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

gint
sigma_compare_strings (gconstpointer a,
                       gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static JsonNode *
arg (JsonObject *args,
     const char *name)
{
  JsonNode *node = json_object_get_member (args, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

const char *
sigma_args_string (JsonObject *args,
                   const char *name)
{
  JsonNode *node = arg (args, name);
  return node != NULL ? json_node_get_string (node) : NULL;
}

gint64
sigma_args_int (JsonObject *args,
                const char *name)
{
  JsonNode *node = arg (args, name);
  return node != NULL ? json_node_get_int (node) : 0;
}

gdouble
sigma_args_double (JsonObject *args,
                   const char *name)
{
  JsonNode *node = arg (args, name);
  return node != NULL ? json_node_get_double (node) : 0.0;
}

gboolean
sigma_args_bool (JsonObject *args,
                 const char *name)
{
  JsonNode *node = arg (args, name);
  return node != NULL ? json_node_get_boolean (node) : FALSE;
}

JsonArray *
sigma_args_array (JsonObject *args,
                  const char *name)
{
  JsonNode *node = arg (args, name);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
sigma_args_object (JsonObject *args,
                   const char *name)
{
  JsonNode *node = arg (args, name);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

typedef struct
{
  char     *key;
  gpointer  value;
} MapEntry;

struct _SigmaOrderedMap
{
  GHashTable     *index;   /* key → GList link of order */
  GQueue          order;   /* MapEntry */
  GDestroyNotify  value_free;
};

static void
map_entry_free (SigmaOrderedMap *map,
                MapEntry        *entry)
{
  if (map->value_free != NULL && entry->value != NULL)
    map->value_free (entry->value);
  g_free (entry->key);
  g_free (entry);
}

SigmaOrderedMap *
sigma_ordered_map_new (GDestroyNotify value_free)
{
  SigmaOrderedMap *map = g_new0 (SigmaOrderedMap, 1);

  map->index = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&map->order);
  map->value_free = value_free;
  return map;
}

void
sigma_ordered_map_clear (SigmaOrderedMap *map)
{
  MapEntry *entry;

  g_hash_table_remove_all (map->index);
  while ((entry = g_queue_pop_head (&map->order)) != NULL)
    map_entry_free (map, entry);
}

void
sigma_ordered_map_free (SigmaOrderedMap *map)
{
  if (map == NULL)
    return;
  sigma_ordered_map_clear (map);
  g_hash_table_unref (map->index);
  g_free (map);
}

guint
sigma_ordered_map_size (SigmaOrderedMap *map)
{
  return map->order.length;
}

gpointer
sigma_ordered_map_lookup (SigmaOrderedMap *map,
                          const char      *key)
{
  GList *link = g_hash_table_lookup (map->index, key);

  return link != NULL ? ((MapEntry *) link->data)->value : NULL;
}

void
sigma_ordered_map_insert (SigmaOrderedMap *map,
                          const char      *key,
                          gpointer         value)
{
  GList *link = g_hash_table_lookup (map->index, key);
  MapEntry *entry;

  if (link != NULL)
    {
      /* as a Python dict: the key keeps its position */
      entry = link->data;
      if (map->value_free != NULL && entry->value != NULL && entry->value != value)
        map->value_free (entry->value);
      entry->value = value;
      return;
    }
  entry = g_new (MapEntry, 1);
  entry->key = g_strdup (key);
  entry->value = value;
  g_queue_push_tail (&map->order, entry);
  g_hash_table_insert (map->index, entry->key, map->order.tail);
}

gpointer
sigma_ordered_map_steal (SigmaOrderedMap *map,
                         const char      *key)
{
  GList *link = g_hash_table_lookup (map->index, key);
  MapEntry *entry;
  gpointer value;

  if (link == NULL)
    return NULL;
  entry = link->data;
  g_hash_table_remove (map->index, entry->key);
  g_queue_delete_link (&map->order, link);
  value = entry->value;
  g_free (entry->key);
  g_free (entry);
  return value;
}

gboolean
sigma_ordered_map_remove (SigmaOrderedMap *map,
                          const char      *key)
{
  GList *link = g_hash_table_lookup (map->index, key);

  if (link == NULL)
    return FALSE;
  g_hash_table_remove (map->index, key);
  map_entry_free (map, link->data);
  g_queue_delete_link (&map->order, link);
  return TRUE;
}

void
sigma_ordered_map_iter_init (SigmaOrderedMapIter *iter,
                             SigmaOrderedMap     *map)
{
  iter->link = map->order.head;
}

gboolean
sigma_ordered_map_iter_next (SigmaOrderedMapIter  *iter,
                             const char          **key,
                             gpointer             *value)
{
  MapEntry *entry;

  if (iter->link == NULL)
    return FALSE;
  entry = iter->link->data;
  iter->link = iter->link->next;
  if (key != NULL)
    *key = entry->key;
  if (value != NULL)
    *value = entry->value;
  return TRUE;
}

void
sigma_ordered_map_iter_init_at (SigmaOrderedMapIter *iter,
                                SigmaOrderedMap     *map,
                                guint                position)
{
  iter->link = g_queue_peek_nth_link (&map->order, position);   /* NULL past the end */
}

GPtrArray *
sigma_ordered_map_get_values (SigmaOrderedMap *map)
{
  GPtrArray *values = g_ptr_array_sized_new (map->order.length);

  for (GList *l = map->order.head; l != NULL; l = l->next)
    g_ptr_array_add (values, ((MapEntry *) l->data)->value);
  return values;
}

JsonNode *
sigma_ordered_map_to_json (SigmaOrderedMap *map,
                           SigmaToJsonFunc  value_to_json)
{
  JsonObject *object = json_object_new ();

  for (GList *l = map->order.head; l != NULL; l = l->next)
    {
      MapEntry *entry = l->data;

      json_object_set_member (object, entry->key, value_to_json (entry->value));
    }
  return sigma_json_object (object);
}
