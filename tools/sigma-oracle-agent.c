/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-oracle-agent.h"
#include "sigma-error.h"

/**
 * SigmaOracleAgent:
 *
 * The agent that replays the scenario's oracle events: the #SigmaRunner sets the
 * environment in oracle mode and the oracle events run as AGENT events at their times, as
 * ARE's `--oracle` run does. It checks that a scenario can be solved.
 *
 * Since: 0.1
 */
struct _SigmaOracleAgent
{
  GObject parent_instance;
};

static void sigma_oracle_agent_iface_init (SigmaAgentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SigmaOracleAgent, sigma_oracle_agent, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_AGENT, sigma_oracle_agent_iface_init))

/* The runner plays the whole oracle run when it starts; a step only ever says "done". */
static SigmaAgentAction *
sigma_oracle_agent_step (SigmaAgent        *agent,
                         SigmaObservation  *observation,
                         GError           **error)
{
  return sigma_agent_action_new_done ();
}

static void
sigma_oracle_agent_iface_init (SigmaAgentInterface *iface)
{
  iface->step = sigma_oracle_agent_step;
}

static void
sigma_oracle_agent_class_init (SigmaOracleAgentClass *klass)
{
}

static void
sigma_oracle_agent_init (SigmaOracleAgent *self)
{
}

/**
 * sigma_oracle_agent_new:
 *
 * Returns: (transfer full): the oracle agent
 */
SigmaAgent *
sigma_oracle_agent_new (void)
{
  return g_object_new (SIGMA_TYPE_ORACLE_AGENT, NULL);
}

/**
 * SigmaScriptedAgent:
 *
 * An agent that plays a fixed list of actions, then says it is done: for tests, for
 * replaying a trajectory, and for checking what a validator makes of a given behaviour.
 * In a file, the list is a JSON array of actions as sigma_agent_action_new_from_json()
 * reads them: `[{"tool": "Contacts__add_new_contact", "args": {…}}, {"wait": 60},
 * {"message": "Done."}]`.
 *
 * Since: 0.1
 */
struct _SigmaScriptedAgent
{
  GObject    parent_instance;
  GPtrArray *actions;
  guint      next;
};

static void sigma_scripted_agent_iface_init (SigmaAgentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SigmaScriptedAgent, sigma_scripted_agent, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_AGENT, sigma_scripted_agent_iface_init))

static SigmaAgentAction *
sigma_scripted_agent_step (SigmaAgent        *agent,
                           SigmaObservation  *observation,
                           GError           **error)
{
  SigmaScriptedAgent *self = SIGMA_SCRIPTED_AGENT (agent);

  if (self->next >= self->actions->len)
    return sigma_agent_action_new_done ();
  return sigma_agent_action_ref (g_ptr_array_index (self->actions, self->next++));
}

static void
sigma_scripted_agent_iface_init (SigmaAgentInterface *iface)
{
  iface->step = sigma_scripted_agent_step;
}

static void
sigma_scripted_agent_finalize (GObject *object)
{
  SigmaScriptedAgent *self = SIGMA_SCRIPTED_AGENT (object);

  g_ptr_array_unref (self->actions);
  G_OBJECT_CLASS (sigma_scripted_agent_parent_class)->finalize (object);
}

static void
sigma_scripted_agent_class_init (SigmaScriptedAgentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_scripted_agent_finalize;
}

static void
sigma_scripted_agent_init (SigmaScriptedAgent *self)
{
  self->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_agent_action_unref);
}

/**
 * sigma_scripted_agent_new:
 * @actions: (element-type SigmaAgentAction): the actions, in order
 *
 * Returns: (transfer full): a new scripted agent
 */
SigmaAgent *
sigma_scripted_agent_new (GPtrArray *actions)
{
  SigmaScriptedAgent *self;

  g_return_val_if_fail (actions != NULL, NULL);

  self = g_object_new (SIGMA_TYPE_SCRIPTED_AGENT, NULL);
  for (guint i = 0; i < actions->len; i++)
    g_ptr_array_add (self->actions, sigma_agent_action_ref (g_ptr_array_index (actions, i)));
  return SIGMA_AGENT (self);
}

/**
 * sigma_scripted_agent_new_from_json:
 * @node: a JSON array of actions
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a new scripted agent, or %NULL with @error set
 *   naming the action that is malformed
 */
SigmaAgent *
sigma_scripted_agent_new_from_json (JsonNode  *node,
                                    GError   **error)
{
  g_autoptr(GPtrArray) actions = NULL;
  JsonArray *array;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "A script must be a JSON array of actions, not %s", json_node_type_name (node));
      return NULL;
    }
  array = json_node_get_array (node);
  actions = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_agent_action_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) local_error = NULL;
      SigmaAgentAction *action;

      action = sigma_agent_action_new_from_json (json_array_get_element (array, i), &local_error);
      if (action == NULL)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Script action %u: %s", i, local_error->message);
          return NULL;
        }
      g_ptr_array_add (actions, action);
    }
  return sigma_scripted_agent_new (actions);
}

/**
 * sigma_scripted_agent_new_from_file:
 * @path: (type filename): a JSON file holding an array of actions
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a new scripted agent, or %NULL with @error set
 *   naming the file
 */
SigmaAgent *
sigma_scripted_agent_new_from_file (const char  *path,
                                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  SigmaAgent *agent;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "Cannot read script %s: %s", path, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "Script %s is empty", path);
      return NULL;
    }
  agent = sigma_scripted_agent_new_from_json (json_parser_get_root (parser), &local_error);
  if (agent == NULL)
    g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s: %s", path, local_error->message);
  return agent;
}
