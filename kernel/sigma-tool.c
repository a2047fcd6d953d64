/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "sigma-error.h"
#include "sigma-tool.h"
#include "sigma-app-private.h"

/**
 * SigmaTool:
 *
 * The description of one tool of an app: its name, a description for the agent, typed
 * parameters with defaults, the roles that may call it (agent, user, environment, data) and
 * whether it reads or writes state. A tool also carries its implementation (a
 * #SigmaToolFunc), unless its app implements #SigmaAppClass.run_tool itself.
 *
 * Tools are built once, then sealed when added to an app; a sealed tool is immutable and may
 * be shared between app instances and threads.
 *
 * Since: 0.1
 */

typedef struct
{
  char           *name;
  char           *description;
  JsonNode       *default_value;
  SigmaValueType  type;
  SigmaValueType  element_type;
  guint           required : 1;
  guint           nullable : 1;
} SigmaToolParam;

struct _SigmaTool
{
  grefcount           ref_count;
  char               *name;
  char               *description;
  char               *return_description;
  GArray             *params;
  SigmaToolFunc       func;
  gpointer            func_data;
  GDestroyNotify      func_destroy;
  SigmaToolRole       roles;
  SigmaToolOperation  operation;
  gboolean            sealed;
  gsize               defaults;   /* (JsonObject *) every parameter at its default, built once */
};

G_DEFINE_BOXED_TYPE (SigmaTool, sigma_tool, sigma_tool_ref, sigma_tool_unref)

static void
param_clear (gpointer data)
{
  SigmaToolParam *param = data;

  g_free (param->name);
  g_free (param->description);
  g_clear_pointer (&param->default_value, json_node_unref);
}

/**
 * sigma_tool_new:
 * @name: the tool name, unique within its app (for instance `send_email`)
 * @description: what the tool does, in one clear sentence for an agent
 * @roles: who may call the tool
 * @operation: whether the tool writes state
 *
 * Creates a tool without parameters.
 *
 * Returns: (transfer full): a new #SigmaTool
 */
SigmaTool *
sigma_tool_new (const char         *name,
                const char         *description,
                SigmaToolRole       roles,
                SigmaToolOperation  operation)
{
  SigmaTool *self;

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);
  g_return_val_if_fail (description != NULL, NULL);

  self = g_new0 (SigmaTool, 1);
  g_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->roles = roles;
  self->operation = operation;
  self->params = g_array_new (FALSE, TRUE, sizeof (SigmaToolParam));
  g_array_set_clear_func (self->params, param_clear);

  return self;
}

/**
 * sigma_tool_new_from_spec: (skip)
 * @spec: a tool declared as static data
 *
 * Creates a tool from a #SigmaToolSpec. A default that is not valid JSON is a programming
 * error.
 *
 * Returns: (transfer full): a new #SigmaTool
 */
SigmaTool *
sigma_tool_new_from_spec (const SigmaToolSpec *spec)
{
  SigmaTool *self;

  g_return_val_if_fail (spec != NULL, NULL);

  self = sigma_tool_new (spec->name, spec->description, spec->roles, spec->operation);
  if (spec->returns != NULL)
    sigma_tool_set_return_description (self, spec->returns);
  sigma_tool_set_handler (self, spec->func, NULL, NULL);

  for (guint i = 0; i < SIGMA_TOOL_MAX_PARAMS && spec->params[i].name != NULL; i++)
    {
      const SigmaToolParamSpec *p = &spec->params[i];

      if (p->default_json == NULL)
        sigma_tool_add_parameter (self, p->name, p->type, p->description);
      else
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) value = json_from_string (p->default_json, &error);

          if (value == NULL)
            {
              g_critical ("Tool '%s': the default of '%s' is not JSON: %s", spec->name, p->name,
                          error != NULL ? error->message : "empty");
              continue;
            }
          sigma_tool_add_optional_parameter (self, p->name, p->type, p->description, value);
        }
      if (p->nullable)
        sigma_tool_set_parameter_nullable (self, p->name, TRUE);
      if (p->type == SIGMA_VALUE_TYPE_ARRAY && p->element_type != SIGMA_VALUE_TYPE_ANY)
        sigma_tool_set_parameter_element_type (self, p->name, p->element_type);
    }
  return self;
}

/**
 * sigma_tool_ref:
 * @self: a #SigmaTool
 *
 * Acquires a reference.
 *
 * Returns: (transfer full): @self
 */
SigmaTool *
sigma_tool_ref (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * sigma_tool_unref:
 * @self: (transfer full): a #SigmaTool
 *
 * Releases a reference.
 */
void
sigma_tool_unref (SigmaTool *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;

  if (self->func_destroy != NULL)
    self->func_destroy (self->func_data);
  if (self->defaults > 1)
    json_object_unref ((JsonObject *) self->defaults);
  g_array_unref (self->params);
  g_free (self->name);
  g_free (self->description);
  g_free (self->return_description);
  g_free (self);
}

static SigmaToolParam *
find_param (SigmaTool  *self,
            const char *name,
            guint      *index_out)
{
  for (guint i = 0; i < self->params->len; i++)
    {
      SigmaToolParam *param = &g_array_index (self->params, SigmaToolParam, i);

      if (g_str_equal (param->name, name))
        {
          if (index_out != NULL)
            *index_out = i;
          return param;
        }
    }
  return NULL;
}

static void
add_param (SigmaTool      *self,
           const char     *name,
           SigmaValueType  type,
           const char     *description,
           gboolean        required,
           JsonNode       *default_value)
{
  SigmaToolParam param = { 0, };

  param.name = g_strdup (name);
  param.description = g_strdup (description != NULL ? description : "");
  param.type = type;
  param.element_type = SIGMA_VALUE_TYPE_ANY;
  param.required = required;
  param.nullable = default_value != NULL && JSON_NODE_HOLDS_NULL (default_value);
  param.default_value = default_value != NULL ? json_node_copy (default_value) : NULL;
  if (param.default_value != NULL)
    json_node_seal (param.default_value);
  g_array_append_val (self->params, param);
}

/**
 * sigma_tool_add_parameter:
 * @self: an unsealed #SigmaTool
 * @name: the parameter name
 * @type: its type
 * @description: (nullable): what it means, for the agent
 *
 * Adds a required parameter.
 */
void
sigma_tool_add_parameter (SigmaTool      *self,
                          const char     *name,
                          SigmaValueType  type,
                          const char     *description)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sealed);
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (find_param (self, name, NULL) == NULL);

  add_param (self, name, type, description, TRUE, NULL);
}

/**
 * sigma_tool_add_optional_parameter:
 * @self: an unsealed #SigmaTool
 * @name: the parameter name
 * @type: its type
 * @description: (nullable): what it means, for the agent
 * @default_value: (nullable): the value used when the argument is absent; %NULL or a JSON
 *   `null` node makes the default `null` (and the parameter nullable)
 *
 * Adds an optional parameter with a default value.
 */
void
sigma_tool_add_optional_parameter (SigmaTool      *self,
                                   const char     *name,
                                   SigmaValueType  type,
                                   const char     *description,
                                   JsonNode       *default_value)
{
  g_autoptr(JsonNode) null_node = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sealed);
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (find_param (self, name, NULL) == NULL);

  if (default_value == NULL)
    default_value = null_node = json_node_new (JSON_NODE_NULL);

  add_param (self, name, type, description, FALSE, default_value);
}

/**
 * sigma_tool_set_parameter_nullable:
 * @self: an unsealed #SigmaTool
 * @name: an existing parameter
 * @nullable: whether JSON `null` is accepted
 *
 * Sets whether a parameter accepts `null`.
 */
void
sigma_tool_set_parameter_nullable (SigmaTool  *self,
                                   const char *name,
                                   gboolean    nullable)
{
  SigmaToolParam *param;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sealed);
  g_return_if_fail (name != NULL);

  param = find_param (self, name, NULL);
  g_return_if_fail (param != NULL);
  param->nullable = !!nullable;
}

/**
 * sigma_tool_set_parameter_element_type:
 * @self: an unsealed #SigmaTool
 * @name: an existing parameter of type %SIGMA_VALUE_TYPE_ARRAY
 * @element_type: the type every element must have
 *
 * Declares the element type of an array parameter.
 */
void
sigma_tool_set_parameter_element_type (SigmaTool      *self,
                                       const char     *name,
                                       SigmaValueType  element_type)
{
  SigmaToolParam *param;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sealed);
  g_return_if_fail (name != NULL);

  param = find_param (self, name, NULL);
  g_return_if_fail (param != NULL);
  g_return_if_fail (param->type == SIGMA_VALUE_TYPE_ARRAY);
  param->element_type = element_type;
}

/**
 * sigma_tool_set_return_description:
 * @self: an unsealed #SigmaTool
 * @description: (nullable): what the tool returns
 *
 * Describes the return value for the agent.
 */
void
sigma_tool_set_return_description (SigmaTool  *self,
                                   const char *description)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sealed);

  g_free (self->return_description);
  self->return_description = g_strdup (description);
}

/**
 * sigma_tool_set_handler:
 * @self: an unsealed #SigmaTool
 * @func: (scope notified) (closure user_data) (destroy destroy): the implementation
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets the function that implements the tool.
 */
void
sigma_tool_set_handler (SigmaTool      *self,
                        SigmaToolFunc   func,
                        gpointer        user_data,
                        GDestroyNotify  destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sealed);

  if (self->func_destroy != NULL)
    self->func_destroy (self->func_data);
  self->func = func;
  self->func_data = user_data;
  self->func_destroy = destroy;
}

/**
 * sigma_tool_seal:
 * @self: a #SigmaTool
 *
 * Makes the tool immutable. sigma_app_add_tool() seals the tools it receives.
 */
void
sigma_tool_seal (SigmaTool *self)
{
  g_return_if_fail (self != NULL);

  self->sealed = TRUE;
}

/**
 * sigma_tool_get_name:
 * @self: a #SigmaTool
 *
 * Returns: the tool name
 */
const char *
sigma_tool_get_name (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/**
 * sigma_tool_get_description:
 * @self: a #SigmaTool
 *
 * Returns: the description
 */
const char *
sigma_tool_get_description (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->description;
}

/**
 * sigma_tool_get_return_description:
 * @self: a #SigmaTool
 *
 * Returns: (nullable): the description of the return value
 */
const char *
sigma_tool_get_return_description (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->return_description;
}

/**
 * sigma_tool_get_roles:
 * @self: a #SigmaTool
 *
 * Returns: who may call the tool
 */
SigmaToolRole
sigma_tool_get_roles (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, SIGMA_TOOL_ROLE_NONE);
  return self->roles;
}

/**
 * sigma_tool_get_operation:
 * @self: a #SigmaTool
 *
 * Returns: whether the tool reads or writes
 */
SigmaToolOperation
sigma_tool_get_operation (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, SIGMA_TOOL_OPERATION_READ);
  return self->operation;
}

/**
 * sigma_tool_has_handler:
 * @self: a #SigmaTool
 *
 * Returns: whether a handler was set with sigma_tool_set_handler()
 */
gboolean
sigma_tool_has_handler (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->func != NULL;
}

/* Internal (sigma-app-private.h): run the handler. */
JsonNode *
sigma_tool_call_handler (SigmaTool   *self,
                         SigmaApp    *app,
                         JsonObject  *args,
                         GError     **error)
{
  if (self->func == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_TOOL,
                   "Tool '%s' has no implementation", self->name);
      return NULL;
    }
  return self->func (app, args, self->func_data, error);
}

/**
 * sigma_tool_get_n_parameters:
 * @self: a #SigmaTool
 *
 * Returns: the number of parameters
 */
guint
sigma_tool_get_n_parameters (SigmaTool *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->params->len;
}

#define PARAM_AT(self, index) (&g_array_index ((self)->params, SigmaToolParam, (index)))

/**
 * sigma_tool_get_parameter_name:
 * @self: a #SigmaTool
 * @index: a parameter index
 *
 * Returns: the parameter's name
 */
const char *
sigma_tool_get_parameter_name (SigmaTool *self,
                               guint      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->params->len, NULL);
  return PARAM_AT (self, index)->name;
}

/**
 * sigma_tool_get_parameter_type:
 * @self: a #SigmaTool
 * @index: a parameter index
 *
 * Returns: the parameter's type
 */
SigmaValueType
sigma_tool_get_parameter_type (SigmaTool *self,
                               guint      index)
{
  g_return_val_if_fail (self != NULL, SIGMA_VALUE_TYPE_ANY);
  g_return_val_if_fail (index < self->params->len, SIGMA_VALUE_TYPE_ANY);
  return PARAM_AT (self, index)->type;
}

/**
 * sigma_tool_get_parameter_description:
 * @self: a #SigmaTool
 * @index: a parameter index
 *
 * Returns: the parameter's description
 */
const char *
sigma_tool_get_parameter_description (SigmaTool *self,
                                      guint      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->params->len, NULL);
  return PARAM_AT (self, index)->description;
}

/**
 * sigma_tool_get_parameter_required:
 * @self: a #SigmaTool
 * @index: a parameter index
 *
 * Returns: %TRUE if the parameter has no default
 */
gboolean
sigma_tool_get_parameter_required (SigmaTool *self,
                                   guint      index)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->params->len, FALSE);
  return PARAM_AT (self, index)->required;
}

/**
 * sigma_tool_get_parameter_nullable:
 * @self: a #SigmaTool
 * @index: a parameter index
 *
 * Returns: %TRUE if the parameter accepts `null`
 */
gboolean
sigma_tool_get_parameter_nullable (SigmaTool *self,
                                   guint      index)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->params->len, FALSE);
  return PARAM_AT (self, index)->nullable;
}

/**
 * sigma_tool_get_parameter_default:
 * @self: a #SigmaTool
 * @index: a parameter index
 *
 * Returns: (transfer none) (nullable): the default value of an optional parameter
 */
JsonNode *
sigma_tool_get_parameter_default (SigmaTool *self,
                                  guint      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->params->len, NULL);
  return PARAM_AT (self, index)->default_value;
}

/**
 * sigma_value_type_to_string:
 * @type: a #SigmaValueType
 *
 * The JSON-schema name of a type ("string", "integer", …; "any" for %SIGMA_VALUE_TYPE_ANY).
 *
 * Returns: the name
 */
const char *
sigma_value_type_to_string (SigmaValueType type)
{
  switch (type)
    {
    case SIGMA_VALUE_TYPE_STRING: return "string";
    case SIGMA_VALUE_TYPE_INTEGER: return "integer";
    case SIGMA_VALUE_TYPE_NUMBER: return "number";
    case SIGMA_VALUE_TYPE_BOOLEAN: return "boolean";
    case SIGMA_VALUE_TYPE_ARRAY: return "array";
    case SIGMA_VALUE_TYPE_OBJECT: return "object";
    case SIGMA_VALUE_TYPE_ANY:
    default:
      return "any";
    }
}

static const char *
json_kind_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_OBJECT: return "object";
    case JSON_NODE_ARRAY: return "array";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64: return "integer";
        case G_TYPE_DOUBLE: return "number";
        case G_TYPE_BOOLEAN: return "boolean";
        case G_TYPE_STRING: return "string";
        default: return "value";
        }
    }
}

typedef enum {
  MATCH_NO,
  MATCH_YES,
  MATCH_CONVERT,   /* an integral double for an integer: replace by an int node */
} Match;

static Match
match_type (JsonNode       *node,
            SigmaValueType  type,
            gboolean        nullable)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return nullable || type == SIGMA_VALUE_TYPE_ANY ? MATCH_YES : MATCH_NO;

  switch (type)
    {
    case SIGMA_VALUE_TYPE_ANY:
      return MATCH_YES;
    case SIGMA_VALUE_TYPE_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node) ? MATCH_YES : MATCH_NO;
    case SIGMA_VALUE_TYPE_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node) ? MATCH_YES : MATCH_NO;
    default:
      break;
    }

  if (!JSON_NODE_HOLDS_VALUE (node))
    return MATCH_NO;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return type == SIGMA_VALUE_TYPE_STRING ? MATCH_YES : MATCH_NO;
    case G_TYPE_BOOLEAN:
      return type == SIGMA_VALUE_TYPE_BOOLEAN ? MATCH_YES : MATCH_NO;
    case G_TYPE_INT64:
      return type == SIGMA_VALUE_TYPE_INTEGER || type == SIGMA_VALUE_TYPE_NUMBER ? MATCH_YES : MATCH_NO;
    case G_TYPE_DOUBLE:
      if (type == SIGMA_VALUE_TYPE_NUMBER)
        return MATCH_YES;
      if (type == SIGMA_VALUE_TYPE_INTEGER)
        {
          gdouble d = json_node_get_double (node);
          if (isfinite (d) && d == floor (d) && fabs (d) <= 9007199254740992.0)
            return MATCH_CONVERT;
        }
      return MATCH_NO;
    default:
      return MATCH_NO;
    }
}

static gboolean
check_param (SigmaTool       *self,
             SigmaToolParam  *param,
             JsonNode        *node,
             JsonNode       **converted,
             GError         **error)
{
  Match m = match_type (node, param->type, param->nullable);

  *converted = NULL;
  /* JSON has no infinity or NaN; a parser turns an overflowing literal such as 1e400 into one */
  if (m == MATCH_YES && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE &&
      !isfinite (json_node_get_double (node)))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Tool '%s': argument '%s' must be a finite number", self->name, param->name);
      return FALSE;
    }
  if (m == MATCH_NO)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Tool '%s': argument '%s' must be %s%s, got %s",
                   self->name, param->name,
                   param->type == SIGMA_VALUE_TYPE_INTEGER || param->type == SIGMA_VALUE_TYPE_ARRAY ||
                   param->type == SIGMA_VALUE_TYPE_OBJECT || param->type == SIGMA_VALUE_TYPE_ANY ? "an " : "a ",
                   sigma_value_type_to_string (param->type),
                   json_kind_name (node));
      return FALSE;
    }
  if (m == MATCH_CONVERT)
    *converted = json_node_init_int (json_node_alloc (), (gint64) json_node_get_double (node));

  if (param->type == SIGMA_VALUE_TYPE_ARRAY &&
      param->element_type != SIGMA_VALUE_TYPE_ANY &&
      JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint len = json_array_get_length (array);

      for (guint i = 0; i < len; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (match_type (element, param->element_type, FALSE) != MATCH_YES)
            {
              g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                           "Tool '%s': argument '%s' must be an array of %s, element %u is %s",
                           self->name, param->name,
                           sigma_value_type_to_string (param->element_type), i,
                           json_kind_name (element));
              return FALSE;
            }
        }
    }

  return TRUE;
}

/* Sets @error if @args has a member that is not a parameter; unknown arguments are reported
 * before any other problem, so the message is the same whatever the parameter order. */
static gboolean
report_unknown_arg (SigmaTool   *self,
                    JsonObject  *args,
                    GError     **error)
{
  JsonObjectIter iter;
  const char *member_name;
  JsonNode *member_node;

  if (args == NULL)
    return FALSE;
  json_object_iter_init_ordered (&iter, args);
  while (json_object_iter_next_ordered (&iter, &member_name, &member_node))
    {
      if (find_param (self, member_name, NULL) == NULL)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                       "Tool '%s' got an unknown argument '%s'", self->name, member_name);
          return TRUE;
        }
    }
  return FALSE;
}

/* The arguments of a call that passes none, or NULL if some parameter is required. */
static JsonObject *
shared_defaults (SigmaTool *self)
{
  if (g_once_init_enter (&self->defaults))
    {
      JsonObject *defaults = json_object_new ();

      for (guint i = 0; i < self->params->len; i++)
        {
          SigmaToolParam *param = PARAM_AT (self, i);

          if (param->required)
            {
              g_clear_pointer (&defaults, json_object_unref);
              break;
            }
          json_object_set_member (defaults, param->name, json_node_copy (param->default_value));
        }
      if (defaults != NULL)
        json_object_seal (defaults);
      g_once_init_leave (&self->defaults, defaults != NULL ? (gsize) defaults : 1);
    }
  return self->defaults > 1 ? json_object_ref ((JsonObject *) self->defaults) : NULL;
}

/**
 * sigma_tool_validate_args:
 * @self: a #SigmaTool
 * @args: (nullable): the arguments of a call
 * @error: return location for a #GError
 *
 * Checks @args against the declared parameters: every argument must be declared, every
 * required parameter present, and every value of the declared type (a JSON integer is
 * accepted for a number, a number without fractional part for an integer; a string is never
 * a number). Missing optional arguments get their defaults.
 *
 * Returns: (transfer full): the effective arguments (@args itself when nothing had to be
 *   added or converted), or %NULL with %SIGMA_ERROR_INVALID_ARGUMENT naming the tool and the
 *   argument
 */
JsonObject *
sigma_tool_validate_args (SigmaTool   *self,
                          JsonObject  *args,
                          GError     **error)
{
  g_autoptr(GPtrArray) converted = NULL;
  g_autoptr(GError) type_error = NULL;
  gboolean needs_copy = FALSE;
  guint n_present = 0;
  JsonObject *result;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A call without arguments of a tool without required parameters: every call shares one
   * immutable object of defaults (list_emails(), get_current_time(), …). */
  if ((args == NULL || json_object_get_size (args) == 0) && self->sealed)
    {
      JsonObject *defaults = shared_defaults (self);
      if (defaults != NULL)
        return defaults;
    }

  for (guint i = 0; i < self->params->len; i++)
    {
      SigmaToolParam *param = PARAM_AT (self, i);
      JsonNode *node = args != NULL ? json_object_get_member (args, param->name) : NULL;
      JsonNode *conv = NULL;

      if (node == NULL)
        {
          if (param->required)
            {
              if (report_unknown_arg (self, args, error))
                return NULL;
              g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                           "Tool '%s' is missing the required argument '%s'",
                           self->name, param->name);
              return NULL;
            }
          needs_copy = TRUE;
          continue;
        }

      n_present++;
      if (!check_param (self, param, node, &conv, &type_error))
        {
          if (!report_unknown_arg (self, args, error))
            g_propagate_error (error, g_steal_pointer (&type_error));
          return NULL;
        }

      if (conv != NULL)
        {
          if (converted == NULL)
            converted = g_ptr_array_new_full (self->params->len, (GDestroyNotify) json_node_unref);
          g_ptr_array_set_size (converted, self->params->len);
          g_ptr_array_index (converted, i) = conv;
          needs_copy = TRUE;
        }
    }

  /* Every member matched a parameter unless there are more members than matches. */
  if (args != NULL && json_object_get_size (args) != n_present &&
      report_unknown_arg (self, args, error))
    return NULL;

  if (!needs_copy)
    return args != NULL ? json_object_ref (args) : json_object_new ();

  /* Build the effective arguments in declaration order: given, converted or default. */
  result = json_object_new ();
  for (guint i = 0; i < self->params->len; i++)
    {
      SigmaToolParam *param = PARAM_AT (self, i);
      JsonNode *node = args != NULL ? json_object_get_member (args, param->name) : NULL;
      JsonNode *conv = converted != NULL ? g_ptr_array_index (converted, i) : NULL;

      if (conv != NULL)
        json_object_set_member (result, param->name, json_node_copy (conv));
      else if (node != NULL)
        json_object_set_member (result, param->name, json_node_copy (node));
      else
        json_object_set_member (result, param->name, json_node_copy (param->default_value));
    }

  return result;
}

static void
add_type_member (JsonBuilder    *builder,
                 SigmaValueType  type,
                 gboolean        nullable)
{
  if (type == SIGMA_VALUE_TYPE_ANY)
    return;

  json_builder_set_member_name (builder, "type");
  if (nullable)
    {
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, sigma_value_type_to_string (type));
      json_builder_add_string_value (builder, "null");
      json_builder_end_array (builder);
    }
  else
    json_builder_add_string_value (builder, sigma_value_type_to_string (type));
}

/**
 * sigma_tool_to_json_schema:
 * @self: a #SigmaTool
 * @app_name: (nullable): the app instance name; when given the function is named
 *   `<app_name>__<tool>` as agents see it
 *
 * Renders the tool as an OpenAI function-calling schema:
 * `{"type": "function", "function": {"name", "description", "parameters": {"type": "object",
 * "properties": {…}, "required": […]}}}`. Optional parameters carry their `default`.
 *
 * Returns: (transfer full): the schema
 */
JsonNode *
sigma_tool_to_json_schema (SigmaTool  *self,
                           const char *app_name)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *full_name = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  full_name = app_name != NULL ? g_strdup_printf ("%s__%s", app_name, self->name)
                               : g_strdup (self->name);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "function");
  json_builder_set_member_name (builder, "function");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, full_name);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, self->description);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "object");
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->params->len; i++)
    {
      SigmaToolParam *param = PARAM_AT (self, i);

      json_builder_set_member_name (builder, param->name);
      json_builder_begin_object (builder);
      add_type_member (builder, param->type, param->nullable);
      if (param->type == SIGMA_VALUE_TYPE_ARRAY && param->element_type != SIGMA_VALUE_TYPE_ANY)
        {
          json_builder_set_member_name (builder, "items");
          json_builder_begin_object (builder);
          add_type_member (builder, param->element_type, FALSE);
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, param->description);
      if (!param->required)
        {
          json_builder_set_member_name (builder, "default");
          json_builder_add_value (builder, json_node_copy (param->default_value));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "required");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->params->len; i++)
    {
      SigmaToolParam *param = PARAM_AT (self, i);

      if (param->required)
        json_builder_add_string_value (builder, param->name);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
