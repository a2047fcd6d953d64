/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-opaque-app.h"
#include "sigma-tool.h"

/**
 * SigmaOpaqueApp:
 *
 * An app of a class Sigma does not know, kept by the lenient JSON importer
 * (%SIGMA_JSON_LENIENT) so that a trace from an ARE-derived tool (PARE's `Stateful*` apps,
 * `PASAgentUserInterface`, …) still loads and runs.
 *
 * The app stores its `app_state` as given and returns it unchanged from
 * sigma_app_get_state(). Its tools are the functions the scenario calls on it
 * (sigma_opaque_app_add_function()): every argument is optional and untyped, and a call
 * does nothing and returns `null`. Events on an opaque app therefore run at their times
 * without changing any state.
 *
 * Since: 0.1
 */

struct _SigmaOpaqueApp
{
  SigmaApp  parent_instance;
  JsonNode *state;
};

G_DEFINE_FINAL_TYPE (SigmaOpaqueApp, sigma_opaque_app, SIGMA_TYPE_APP)

static JsonNode *
opaque_call (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  return json_node_new (JSON_NODE_NULL);
}

static gboolean
tool_has_parameter (SigmaTool  *tool,
                    const char *name)
{
  for (guint i = 0; i < sigma_tool_get_n_parameters (tool); i++)
    if (g_str_equal (sigma_tool_get_parameter_name (tool, i), name))
      return TRUE;
  return FALSE;
}

static JsonNode *
sigma_opaque_app_get_state (SigmaApp *app)
{
  SigmaOpaqueApp *self = SIGMA_OPAQUE_APP (app);

  return self->state != NULL ? json_node_copy (self->state) : NULL;
}

static gboolean
sigma_opaque_app_load_state (SigmaApp  *app,
                             JsonNode  *state,
                             GError   **error)
{
  SigmaOpaqueApp *self = SIGMA_OPAQUE_APP (app);

  g_clear_pointer (&self->state, json_node_unref);
  self->state = json_node_ref (state);
  return TRUE;
}

static void
sigma_opaque_app_reset (SigmaApp *app)
{
  SigmaOpaqueApp *self = SIGMA_OPAQUE_APP (app);

  g_clear_pointer (&self->state, json_node_unref);
}

static void
sigma_opaque_app_finalize (GObject *object)
{
  SigmaOpaqueApp *self = SIGMA_OPAQUE_APP (object);

  g_clear_pointer (&self->state, json_node_unref);

  G_OBJECT_CLASS (sigma_opaque_app_parent_class)->finalize (object);
}

static void
sigma_opaque_app_class_init (SigmaOpaqueAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_opaque_app_finalize;
  app_class->get_state = sigma_opaque_app_get_state;
  app_class->load_state = sigma_opaque_app_load_state;
  app_class->reset = sigma_opaque_app_reset;
}

static void
sigma_opaque_app_init (SigmaOpaqueApp *self)
{
}

/**
 * sigma_opaque_app_new:
 * @name: the instance name
 * @class_name: the unknown ARE class name, as the file gives it
 *
 * Creates an app without tools that keeps its state as opaque JSON.
 *
 * Returns: (transfer full): the app
 */
SigmaApp *
sigma_opaque_app_new (const char *name,
                      const char *class_name)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (class_name != NULL, NULL);

  return g_object_new (SIGMA_TYPE_OPAQUE_APP,
                       "name", name,
                       "class-name", class_name,
                       NULL);
}

/**
 * sigma_opaque_app_add_function:
 * @self: a #SigmaOpaqueApp
 * @function: the function (tool) name
 * @arg_names: (array zero-terminated=1) (nullable): the argument names it is called with
 * @operation: whether the call counts as a write
 *
 * Adds a tool that accepts the given arguments (all optional, of any type, `null` by
 * default) and does nothing. Adding a function twice keeps the first.
 */
void
sigma_opaque_app_add_function (SigmaOpaqueApp     *self,
                               const char         *function,
                               const char * const *arg_names,
                               SigmaToolOperation  operation)
{
  g_autoptr(SigmaTool) tool = NULL;

  g_return_if_fail (SIGMA_IS_OPAQUE_APP (self));
  g_return_if_fail (function != NULL);

  if (sigma_app_lookup_tool (SIGMA_APP (self), function) != NULL)
    return;

  tool = sigma_tool_new (function, "A function of an app class Sigma does not know; it does nothing",
                         SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_USER | SIGMA_TOOL_ROLE_ENV,
                         operation);
  for (guint i = 0; arg_names != NULL && arg_names[i] != NULL; i++)
    {
      if (!tool_has_parameter (tool, arg_names[i]))
        sigma_tool_add_optional_parameter (tool, arg_names[i], SIGMA_VALUE_TYPE_ANY, "Any value", NULL);
    }
  sigma_tool_set_handler (tool, opaque_call, NULL, NULL);
  sigma_app_add_tool (SIGMA_APP (self), tool);
}
