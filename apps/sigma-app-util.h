/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Helpers shared by the apps, one implementation each: tool errors and parameters, reading
 * app_state JSON with errors that name the app and the field (and lenient loads that skip a
 * bad entry), an insertion-ordered map for ARE's dicts, and JSON results and copies. Private:
 * not installed, not scanned. */

#include "sigma-types.h"
#include "sigma-app.h"
#include "sigma-python-private.h"

G_BEGIN_DECLS

/* A tool failure (SIGMA_ERROR_TOOL_FAILED) with ARE's message text. */
void        sigma_tool_error        (GError     **error,
                                     const char  *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* ARE's `str(KeyError(m))`: Python's repr of the message (quoted, escaped). */
void        sigma_tool_key_error    (GError     **error,
                                     const char  *key);

/* Offsets and limits of list tools: negative or absurd (> max) values are errors naming the
 * tool and the argument (ARE leaves them unchecked; doc/are-compatibility.md). */
gboolean    sigma_check_offset_limit (const char  *tool,
                                      gint64       offset,
                                      gint64       limit,
                                      gint64       max_limit,
                                      GError     **error);

/* Reading app_state. Each getter looks up @member in @obj; @path is the JSON path of @obj
 * for messages ("app_state.folders.INBOX"). A missing or mistyped member is
 * SIGMA_ERROR_INVALID_DATA "<app>: <path>.<member>: missing (expected a string)" or
 * "<app>: <path>.<member>: expected a string"; in lenient mode, a warning. Optional getters
 * leave *out unchanged when the member is absent or null. */
typedef struct
{
  SigmaApp   *app;
  gboolean    lenient;
} SigmaStateReader;

gboolean sigma_state_get_object (SigmaStateReader *r, JsonObject *obj, const char *path,
                                 const char *member, gboolean required, JsonObject **out, GError **error);
gboolean sigma_state_get_array  (SigmaStateReader *r, JsonObject *obj, const char *path,
                                 const char *member, gboolean required, JsonArray **out, GError **error);
gboolean sigma_state_get_string (SigmaStateReader *r, JsonObject *obj, const char *path,
                                 const char *member, gboolean required, const char **out, GError **error);
gboolean sigma_state_get_int    (SigmaStateReader *r, JsonObject *obj, const char *path,
                                 const char *member, gboolean required, gint64 *out, GError **error);
gboolean sigma_state_get_double (SigmaStateReader *r, JsonObject *obj, const char *path,
                                 const char *member, gboolean required, gdouble *out, GError **error);
gboolean sigma_state_get_bool   (SigmaStateReader *r, JsonObject *obj, const char *path,
                                 const char *member, gboolean required, gboolean *out, GError **error);

/* A number member and whether the JSON held it as an integer, so that get_state() can write it
 * back as it came. Both outs are left unchanged when the member is absent or null. */
gboolean sigma_state_get_number (SigmaStateReader *r, JsonObject *obj, const char *path,
                                 const char *member, gboolean required, gdouble *out,
                                 gboolean *is_int, GError **error);

/* A number member kept as it came, as a new node (a copy): *out is left unchanged when the
 * member is absent or null, and the caller frees what it held before. */
gboolean sigma_state_get_number_node (SigmaStateReader *r, JsonObject *obj, const char *path,
                                      const char *member, gboolean required, JsonNode **out,
                                      GError **error);

/* Every member of @obj must be one of @members (%NULL-terminated); another one is the problem
 * "<path>.<name>: <problem>", such as "unexpected field". */
gboolean sigma_state_check_members (SigmaStateReader   *r,
                                    JsonObject         *obj,
                                    const char         *path,
                                    const char * const *members,
                                    const char         *problem,
                                    GError            **error);

/* Every element of @array, the member @member of the entry at @path, must be a string:
 * another is the problem "<path>.<member>[<i>]: expected a string". */
gboolean sigma_state_check_strings (SigmaStateReader  *r,
                                    JsonArray         *array,
                                    const char        *path,
                                    const char        *member,
                                    GError           **error);

/* A problem in the state: an error, or in lenient mode a warning and TRUE (skip it). */
gboolean sigma_state_problem    (SigmaStateReader *r, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* The problem of a member that is missing: "<path>.<member>: missing (expected <kind>)". */
gboolean sigma_state_missing    (SigmaStateReader *r, GError **error, const char *path,
                                 const char *member, const char *kind);

/* An entry of a collection (a product, an event, a message …) that a strict reader could not
 * read: @entry_error (taken) is the error, or in lenient mode a warning and TRUE, which skips
 * just that entry. */
gboolean sigma_state_skip_entry (SigmaStateReader *r, GError *entry_error, GError **error);

/* Reads one entry of a collection. @strict is a reader that is never lenient, so that a problem
 * anywhere in the entry fails the whole entry; @key is the entry's member name (%NULL for an
 * array element); @obj the entry, already known to be an object; @path its JSON path. The
 * function stores the entry and returns TRUE, or returns FALSE with @error set. */
typedef gboolean (*SigmaStateEntryFunc) (SigmaStateReader  *strict,
                                         const char        *key,
                                         JsonObject        *obj,
                                         const char        *path,
                                         gpointer           user_data,
                                         GError           **error);

/* Reads the entries of a collection in order: each member of @entries ("<path>.<key>"), or each
 * element ("<path>[<i>]"). An entry that is not an object ("expected an object") or that
 * @read_entry fails is an error, or in lenient mode (@r) skipped with a warning. */
gboolean sigma_state_read_members  (SigmaStateReader     *r,
                                    JsonObject           *entries,
                                    const char           *path,
                                    SigmaStateEntryFunc   read_entry,
                                    gpointer              user_data,
                                    GError              **error);
gboolean sigma_state_read_elements (SigmaStateReader     *r,
                                    JsonArray            *entries,
                                    const char           *path,
                                    SigmaStateEntryFunc   read_entry,
                                    gpointer              user_data,
                                    GError              **error);

/* The root of an app_state node as an object, or an error naming the app. */
JsonObject *sigma_state_root    (SigmaApp *app, JsonNode *state, GError **error);

/* A string-keyed table that iterates in insertion order, as a Python dict: O(1) lookup,
 * insertion and removal; replacing a value keeps its position. The map owns copies of the
 * keys and, through @value_free, the values. */
typedef struct _SigmaOrderedMap SigmaOrderedMap;

typedef struct
{
  GList *link;
} SigmaOrderedMapIter;

SigmaOrderedMap *sigma_ordered_map_new     (GDestroyNotify       value_free);
void             sigma_ordered_map_free    (SigmaOrderedMap     *map);
void             sigma_ordered_map_clear   (SigmaOrderedMap     *map);
guint            sigma_ordered_map_size    (SigmaOrderedMap     *map);
gpointer         sigma_ordered_map_lookup  (SigmaOrderedMap     *map,
                                            const char          *key);
void             sigma_ordered_map_insert  (SigmaOrderedMap     *map,
                                            const char          *key,
                                            gpointer             value);
gboolean         sigma_ordered_map_remove  (SigmaOrderedMap     *map,
                                            const char          *key);
gpointer         sigma_ordered_map_steal   (SigmaOrderedMap     *map,
                                            const char          *key);
void             sigma_ordered_map_iter_init (SigmaOrderedMapIter *iter,
                                              SigmaOrderedMap     *map);
gboolean         sigma_ordered_map_iter_next (SigmaOrderedMapIter *iter,
                                              const char         **key,
                                              gpointer            *value);
/* Iteration from the entry at @position (0 is the first), for pages of a listing: O(position);
 * at or past the end there is nothing to iterate. */
void             sigma_ordered_map_iter_init_at (SigmaOrderedMapIter *iter,
                                                 SigmaOrderedMap     *map,
                                                 guint                position);
/* The values in order, in a new array that does not own them (transfer container): for
 * sorting or indexing a snapshot; it is invalid once the map changes. */
GPtrArray       *sigma_ordered_map_get_values (SigmaOrderedMap     *map);

/* A value as JSON, for sigma_ordered_map_to_json(). */
typedef JsonNode *(*SigmaToJsonFunc) (gconstpointer value);

/* The map as a JSON object {key: @value_to_json (value)}, in order: how get_state() writes a
 * dict of the app. */
JsonNode        *sigma_ordered_map_to_json    (SigmaOrderedMap     *map,
                                               SigmaToJsonFunc      value_to_json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaOrderedMap, sigma_ordered_map_free)

/* Parameters in SigmaToolSpec tables: required; optional with a default (JSON text); nullable
 * with the default null; a nullable array of strings with the default null. */
#define SIGMA_TOOL_PARAM(name, type, description) \
  { name, type, description, NULL, SIGMA_VALUE_TYPE_ANY, FALSE }
#define SIGMA_TOOL_PARAM_OPTIONAL(name, type, description, default_json) \
  { name, type, description, default_json, SIGMA_VALUE_TYPE_ANY, FALSE }
#define SIGMA_TOOL_PARAM_NULLABLE(name, type, description) \
  { name, type, description, "null", SIGMA_VALUE_TYPE_ANY, TRUE }
#define SIGMA_TOOL_PARAM_STRINGS(name, description) \
  { name, SIGMA_VALUE_TYPE_ARRAY, description, "null", SIGMA_VALUE_TYPE_STRING, TRUE }

/* Results. */
JsonNode   *sigma_json_string   (const char *value);
JsonNode   *sigma_json_int      (gint64 value);
JsonNode   *sigma_json_double   (gdouble value);
JsonNode   *sigma_json_bool     (gboolean value);
JsonNode   *sigma_json_null     (void);
JsonNode   *sigma_json_object   (JsonObject *object);   /* takes ownership */
JsonNode   *sigma_json_array    (JsonArray *array);     /* takes ownership */
JsonNode   *sigma_json_string_take   (char *value);     /* takes ownership; NULL gives a JSON null */
JsonNode   *sigma_json_string_printf (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* A number written as it was read: an integer when @is_int (the value cast to gint64), else a
 * float. */
JsonNode   *sigma_json_number   (gdouble value, gboolean is_int);
/* An array of the strings of @strings (element-type utf8), as a node or as the array. */
JsonNode   *sigma_json_strings  (GPtrArray *strings);
JsonArray  *sigma_json_string_array (GPtrArray *strings);

/* Python's `folded_query in text.lower()` (@folded_query already lowercased); a %NULL @text
 * (None) holds nothing. */
gboolean    sigma_contains_folded (const char *text,
                                   const char *folded_query);

/* Python's os.path.join with two parts. */
char       *sigma_py_path_join  (const char *dir,
                                 const char *name);

/* Deep copies: json_node_copy() shares objects and arrays, so state and results would alias
 * the app's data. */
JsonNode   *sigma_json_deep_copy        (JsonNode   *node);
JsonObject *sigma_json_object_deep_copy (JsonObject *object);
JsonArray  *sigma_json_array_deep_copy  (JsonArray  *array);

/* The kind of a JSON value; each is FALSE for %NULL. */
gboolean    sigma_json_is_string (JsonNode *node);
gboolean    sigma_json_is_number (JsonNode *node);   /* an integer or a float */
gboolean    sigma_json_is_int    (JsonNode *node);   /* held as an integer */

/* The object member @name, or %NULL when there is none or it is not an object (json-glib 1.6
 * warns on a miss). */
JsonObject *sigma_json_get_object_member (JsonObject *object, const char *name);

/* Replaces the string *@field with a copy of @value (%NULL allowed), freeing the old one. */
void        sigma_set_string      (char **field, const char *value);

/* strcmp() of two `char *` elements of a #GPtrArray, for g_ptr_array_sort(): on UTF-8 this
 * is Python's code-point order. */
gint        sigma_compare_strings (gconstpointer a, gconstpointer b);

/* Reading tool arguments that validation already typed and defaulted. */
const char *sigma_args_string   (JsonObject *args, const char *name);   /* NULL for null */
gint64      sigma_args_int      (JsonObject *args, const char *name);
gdouble     sigma_args_double   (JsonObject *args, const char *name);
gboolean    sigma_args_bool     (JsonObject *args, const char *name);
JsonArray  *sigma_args_array    (JsonObject *args, const char *name);   /* NULL for null */
JsonObject *sigma_args_object   (JsonObject *args, const char *name);   /* NULL for null */

G_END_DECLS
