/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

/**
 * SigmaToolFunc:
 * @app: the app the tool belongs to
 * @args: the validated arguments, with defaults filled in
 * @user_data: data passed to sigma_tool_set_handler()
 * @error: return location for a #GError
 *
 * The implementation of a tool.
 *
 * Returns: (transfer full) (nullable): the result; %NULL with @error set on failure. A %NULL
 *   return without an error means "no result" and is logged as JSON `null`.
 */
typedef JsonNode *(*SigmaToolFunc) (SigmaApp    *app,
                                    JsonObject  *args,
                                    gpointer     user_data,
                                    GError     **error);

/**
 * SigmaToolParamSpec:
 * @name: the parameter name; %NULL ends a parameter list
 * @type: its type
 * @description: what it means, for the agent
 * @default_json: (nullable): %NULL for a required parameter, otherwise the default as a JSON
 *   literal (`"10"`, `"\"INBOX\""`, `"null"`)
 * @element_type: for arrays, the type of every element (%SIGMA_VALUE_TYPE_ANY: unchecked)
 * @nullable: whether `null` is accepted (implied by a `"null"` default)
 *
 * One parameter of a #SigmaToolSpec, for declaring tools as static tables in C.
 */
typedef struct
{
  const char     *name;
  SigmaValueType  type;
  const char     *description;
  const char     *default_json;
  SigmaValueType  element_type;
  gboolean        nullable;
} SigmaToolParamSpec;

/**
 * SIGMA_TOOL_MAX_PARAMS:
 *
 * The largest number of parameters a #SigmaToolSpec can declare.
 */
#define SIGMA_TOOL_MAX_PARAMS 16

/**
 * SigmaToolSpec:
 * @name: the tool name
 * @description: what it does, for the agent
 * @roles: who may call it
 * @operation: whether it writes
 * @func: the implementation; it receives the app and the spec's @user_data is unused
 * @returns: (nullable): a description of the result
 * @params: the parameters, ended by an entry whose name is %NULL
 *
 * A tool declared as static data; see sigma_app_add_tool_specs().
 */
typedef struct
{
  const char          *name;
  const char          *description;
  SigmaToolRole        roles;
  SigmaToolOperation   operation;
  SigmaToolFunc        func;
  const char          *returns;
  SigmaToolParamSpec   params[SIGMA_TOOL_MAX_PARAMS + 1];
} SigmaToolSpec;

#define SIGMA_TYPE_TOOL (sigma_tool_get_type ())

SIGMA_AVAILABLE_IN_ALL
GType               sigma_tool_get_type                   (void) G_GNUC_CONST;
SIGMA_AVAILABLE_IN_ALL
SigmaTool          *sigma_tool_new                        (const char         *name,
                                                           const char         *description,
                                                           SigmaToolRole       roles,
                                                           SigmaToolOperation  operation) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaTool          *sigma_tool_new_from_spec              (const SigmaToolSpec *spec) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaTool          *sigma_tool_ref                        (SigmaTool          *self);
SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_unref                      (SigmaTool          *self);

SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_add_parameter              (SigmaTool          *self,
                                                           const char         *name,
                                                           SigmaValueType      type,
                                                           const char         *description);
SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_add_optional_parameter     (SigmaTool          *self,
                                                           const char         *name,
                                                           SigmaValueType      type,
                                                           const char         *description,
                                                           JsonNode           *default_value);
SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_set_parameter_nullable     (SigmaTool          *self,
                                                           const char         *name,
                                                           gboolean            nullable);
SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_set_parameter_element_type (SigmaTool          *self,
                                                           const char         *name,
                                                           SigmaValueType      element_type);
SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_set_return_description     (SigmaTool          *self,
                                                           const char         *description);
SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_set_handler                (SigmaTool          *self,
                                                           SigmaToolFunc       func,
                                                           gpointer            user_data,
                                                           GDestroyNotify      destroy);
SIGMA_AVAILABLE_IN_ALL
void                sigma_tool_seal                       (SigmaTool          *self);

SIGMA_AVAILABLE_IN_ALL
const char         *sigma_tool_get_name                   (SigmaTool          *self);
SIGMA_AVAILABLE_IN_ALL
const char         *sigma_tool_get_description            (SigmaTool          *self);
SIGMA_AVAILABLE_IN_ALL
const char         *sigma_tool_get_return_description     (SigmaTool          *self);
SIGMA_AVAILABLE_IN_ALL
SigmaToolRole       sigma_tool_get_roles                  (SigmaTool          *self);
SIGMA_AVAILABLE_IN_ALL
SigmaToolOperation  sigma_tool_get_operation              (SigmaTool          *self);
SIGMA_AVAILABLE_IN_ALL
gboolean            sigma_tool_has_handler                (SigmaTool          *self);

SIGMA_AVAILABLE_IN_ALL
guint               sigma_tool_get_n_parameters           (SigmaTool          *self);
SIGMA_AVAILABLE_IN_ALL
const char         *sigma_tool_get_parameter_name         (SigmaTool          *self,
                                                           guint               index);
SIGMA_AVAILABLE_IN_ALL
SigmaValueType      sigma_tool_get_parameter_type         (SigmaTool          *self,
                                                           guint               index);
SIGMA_AVAILABLE_IN_ALL
const char         *sigma_tool_get_parameter_description  (SigmaTool          *self,
                                                           guint               index);
SIGMA_AVAILABLE_IN_ALL
gboolean            sigma_tool_get_parameter_required     (SigmaTool          *self,
                                                           guint               index);
SIGMA_AVAILABLE_IN_ALL
gboolean            sigma_tool_get_parameter_nullable     (SigmaTool          *self,
                                                           guint               index);
SIGMA_AVAILABLE_IN_ALL
JsonNode           *sigma_tool_get_parameter_default      (SigmaTool          *self,
                                                           guint               index);

SIGMA_AVAILABLE_IN_ALL
JsonObject         *sigma_tool_validate_args              (SigmaTool          *self,
                                                           JsonObject         *args,
                                                           GError            **error);
SIGMA_AVAILABLE_IN_ALL
JsonNode           *sigma_tool_to_json_schema             (SigmaTool          *self,
                                                           const char         *app_name);

SIGMA_AVAILABLE_IN_ALL
const char         *sigma_value_type_to_string            (SigmaValueType      type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaTool, sigma_tool_unref)

G_END_DECLS
