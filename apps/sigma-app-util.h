/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Helpers shared by the apps: reading app_state JSON with errors that name the app and the
 * field, tool errors, and JSON results. Private: not installed, not scanned. */

#include "sigma-types.h"
#include "sigma-app.h"

G_BEGIN_DECLS

/* A tool failure (SIGMA_ERROR_TOOL_FAILED) with ARE's message text. */
void        sigma_tool_error        (GError     **error,
                                     const char  *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* ARE's `str(KeyError(m))`: Python's repr of the message (quoted, escaped). */
void        sigma_tool_key_error    (GError     **error,
                                     const char  *key);

/* Python's repr() of a str: single quotes unless the text holds a single quote and no double
 * quote, with Python's escapes. */
char       *sigma_py_repr_str       (const char  *text);

/* Offsets and limits of list tools: negative or absurd (> max) values are errors naming the
 * tool and the argument (ARE leaves them unchecked; doc/are-compatibility.md). */
gboolean    sigma_check_offset_limit (const char  *tool,
                                      gint64       offset,
                                      gint64       limit,
                                      gint64       max_limit,
                                      GError     **error);

/* Reading app_state. Each getter looks up @member in @obj; @path is the JSON path of @obj
 * for messages ("app_state.folders.INBOX"). A missing or mistyped member is
 * SIGMA_ERROR_INVALID_DATA "<app>: app_state...<member>: <problem>". Optional getters leave
 * *out unchanged when the member is absent or null. */
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

/* A problem in the state: an error, or in lenient mode a warning and TRUE (skip it). */
gboolean sigma_state_problem    (SigmaStateReader *r, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaOrderedMap, sigma_ordered_map_free)

/* Results. */
JsonNode   *sigma_json_string   (const char *value);
JsonNode   *sigma_json_int      (gint64 value);
JsonNode   *sigma_json_double   (gdouble value);
JsonNode   *sigma_json_bool     (gboolean value);
JsonNode   *sigma_json_null     (void);
JsonNode   *sigma_json_object   (JsonObject *object);   /* takes ownership */
JsonNode   *sigma_json_array    (JsonArray *array);     /* takes ownership */

/* Reading tool arguments that validation already typed and defaulted. */
const char *sigma_args_string   (JsonObject *args, const char *name);   /* NULL for null */
gint64      sigma_args_int      (JsonObject *args, const char *name);
gdouble     sigma_args_double   (JsonObject *args, const char *name);
gboolean    sigma_args_bool     (JsonObject *args, const char *name);
JsonArray  *sigma_args_array    (JsonObject *args, const char *name);   /* NULL for null */
JsonObject *sigma_args_object   (JsonObject *args, const char *name);   /* NULL for null */

G_END_DECLS
