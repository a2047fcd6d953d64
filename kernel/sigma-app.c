/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-app-private.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-tool.h"
#include "sigma-random.h"
#include "sigma-utils.h"

/**
 * SigmaApp:
 *
 * The base class of the simulated apps (email, calendar, messaging, …).
 *
 * An app has a name (the instance name scenarios use, such as "Emails"), a set of tools
 * (#SigmaTool), a state that can be saved and loaded as ARE `app_state` JSON, and its own
 * random generator, seeded from the run seed and the app name so that ids are reproducible.
 *
 * Tools are normally called through the environment (sigma_environment_call_tool() or a
 * scheduled #SigmaActionEvent), which logs them. sigma_app_invoke() calls a tool directly,
 * without logging.
 *
 * Subclasses override #SigmaAppClass.get_state, #SigmaAppClass.load_state and
 * #SigmaAppClass.reset, and add their tools in their instance init.
 *
 * Since: 0.1
 */

typedef struct
{
  char             *name;
  SigmaEnvironment *env;          /* not owned: the environment owns its apps */
  GHashTable       *tools;        /* name → SigmaTool */
  GPtrArray        *tool_order;   /* SigmaTool, in the order added */
  GRand            *rand;
  char             *class_name;     /* the ARE class it was created as, or NULL */
  GHashTable       *failure_rands;  /* tool name → GRand, for failure injection */
  gdouble           failure_probability;
  gboolean          lenient;
  guint64           seed;
} SigmaAppPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SigmaApp, sigma_app, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SEED,
  PROP_FAILURE_PROBABILITY,
  PROP_CLASS_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reseed (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);
  guint32 seed32 = sigma_derive_seed (priv->seed, priv->name);

  g_clear_pointer (&priv->rand, g_rand_free);
  /* One-word seed array: the same MT19937 stream as Python's random.Random(seed32). */
  priv->rand = g_rand_new_with_seed_array (&seed32, 1);
  if (priv->failure_rands != NULL)
    g_hash_table_remove_all (priv->failure_rands);
}

static JsonNode *
sigma_app_real_get_state (SigmaApp *self)
{
  return NULL;
}

static gboolean
sigma_app_real_load_state (SigmaApp  *self,
                           JsonNode  *state,
                           GError   **error)
{
  return TRUE;
}

static void
sigma_app_real_reset (SigmaApp *self)
{
}

static JsonNode *
sigma_app_real_run_tool (SigmaApp    *self,
                       SigmaTool   *tool,
                       JsonObject  *args,
                       GError     **error)
{
  return sigma_tool_call_handler (tool, self, args, error);
}

static void
sigma_app_constructed (GObject *object)
{
  SigmaApp *self = SIGMA_APP (object);
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  G_OBJECT_CLASS (sigma_app_parent_class)->constructed (object);

  if (priv->name == NULL)
    priv->name = g_strdup (G_OBJECT_TYPE_NAME (object));
  reseed (self);
}

static void
sigma_app_finalize (GObject *object)
{
  SigmaApp *self = SIGMA_APP (object);
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_clear_pointer (&priv->tools, g_hash_table_unref);
  g_clear_pointer (&priv->tool_order, g_ptr_array_unref);
  g_clear_pointer (&priv->rand, g_rand_free);
  g_clear_pointer (&priv->failure_rands, g_hash_table_unref);
  g_clear_pointer (&priv->class_name, g_free);
  g_clear_pointer (&priv->name, g_free);

  G_OBJECT_CLASS (sigma_app_parent_class)->finalize (object);
}

static void
sigma_app_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SigmaApp *self = SIGMA_APP (object);
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, priv->seed);
      break;
    case PROP_FAILURE_PROBABILITY:
      g_value_set_double (value, priv->failure_probability);
      break;
    case PROP_CLASS_NAME:
      g_value_set_string (value, sigma_app_get_class_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_app_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SigmaApp *self = SIGMA_APP (object);
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (priv->name);
      priv->name = g_value_dup_string (value);
      break;
    case PROP_SEED:
      if (priv->name == NULL)
        priv->seed = g_value_get_uint64 (value);   /* during construction */
      else
        sigma_app_set_seed (self, g_value_get_uint64 (value));
      break;
    case PROP_FAILURE_PROBABILITY:
      sigma_app_set_failure_probability (self, g_value_get_double (value));
      break;
    case PROP_CLASS_NAME:
      g_free (priv->class_name);
      priv->class_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_app_class_init (SigmaAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sigma_app_constructed;
  object_class->finalize = sigma_app_finalize;
  object_class->get_property = sigma_app_get_property;
  object_class->set_property = sigma_app_set_property;

  klass->get_state = sigma_app_real_get_state;
  klass->load_state = sigma_app_real_load_state;
  klass->reset = sigma_app_real_reset;
  klass->run_tool = sigma_app_real_run_tool;

  /**
   * SigmaApp:name:
   *
   * The instance name, as scenarios and agents refer to the app ("Emails", "Calendar").
   * Defaults to the type name.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaApp:seed:
   *
   * The run seed; the app's random generator is seeded from it and the app name.
   */
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaApp:failure-probability:
   *
   * The probability that an agent call of one of the app's agent tools fails with ARE's
   * "Internal error - Retry again later" before doing anything (tool augmentation). The draws
   * come from one generator per tool seeded from the run seed, the app name and the tool
   * name, so failures reproduce.
   */
  properties[PROP_FAILURE_PROBABILITY] =
    g_param_spec_double ("failure-probability", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaApp:class-name:
   *
   * The ARE class the app was created as ("EmailClientV2", "Mail", …): notification texts
   * start with it. Defaults to #SigmaAppClass.app_class_name, or the type name.
   */
  properties[PROP_CLASS_NAME] =
    g_param_spec_string ("class-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_app_init (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  priv->tools = g_hash_table_new (g_str_hash, g_str_equal);
  priv->tool_order = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_tool_unref);
}

/**
 * sigma_app_get_name:
 * @self: a #SigmaApp
 *
 * Returns: the instance name
 */
const char *
sigma_app_get_name (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);

  return priv->name;
}

/**
 * sigma_app_get_class_name:
 * @self: a #SigmaApp
 *
 * The ARE class name of the app: #SigmaApp:class-name, #SigmaAppClass.app_class_name, or the
 * type name.
 *
 * Returns: the class name
 */
const char *
sigma_app_get_class_name (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);

  if (priv->class_name != NULL)
    return priv->class_name;
  if (SIGMA_APP_GET_CLASS (self)->app_class_name != NULL)
    return SIGMA_APP_GET_CLASS (self)->app_class_name;
  return G_OBJECT_TYPE_NAME (self);
}

/**
 * sigma_app_get_lenient:
 * @self: a #SigmaApp
 *
 * Returns: whether sigma_app_load_state() skips malformed entries with a warning
 */
gboolean
sigma_app_get_lenient (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), FALSE);
  return priv->lenient;
}

/**
 * sigma_app_set_lenient:
 * @self: a #SigmaApp
 * @lenient: whether to keep going on malformed state
 *
 * In lenient mode, sigma_app_load_state() skips malformed entries with a warning instead of
 * failing with %SIGMA_ERROR_INVALID_DATA (for the importer's lenient mode).
 */
void
sigma_app_set_lenient (SigmaApp *self,
                       gboolean  lenient)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_if_fail (SIGMA_IS_APP (self));
  priv->lenient = !!lenient;
}

/**
 * sigma_app_get_failure_probability:
 * @self: a #SigmaApp
 *
 * Returns: the probability that an agent tool call fails
 */
gdouble
sigma_app_get_failure_probability (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), 0.0);
  return priv->failure_probability;
}

/**
 * sigma_app_set_failure_probability:
 * @self: a #SigmaApp
 * @probability: between 0 and 1
 *
 * Sets #SigmaApp:failure-probability.
 */
void
sigma_app_set_failure_probability (SigmaApp *self,
                                   gdouble   probability)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_if_fail (SIGMA_IS_APP (self));
  g_return_if_fail (probability >= 0.0 && probability <= 1.0);

  if (priv->failure_probability == probability)
    return;
  priv->failure_probability = probability;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_PROBABILITY]);
}

/**
 * sigma_app_draw_failure:
 * @self: a #SigmaApp
 * @tool: one of its tools
 *
 * Draws whether an agent call of @tool fails, from the tool's own generator (seeded from the
 * run seed, the app name and the tool name). Tools without the agent role never fail.
 *
 * Returns: %TRUE if the call must fail
 */
gboolean
sigma_app_draw_failure (SigmaApp  *self,
                        SigmaTool *tool)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);
  GRand *rand;

  g_return_val_if_fail (SIGMA_IS_APP (self), FALSE);
  g_return_val_if_fail (tool != NULL, FALSE);

  if (priv->failure_probability <= 0.0 || !(sigma_tool_get_roles (tool) & SIGMA_TOOL_ROLE_AGENT))
    return FALSE;

  if (priv->failure_rands == NULL)
    priv->failure_rands = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_rand_free);
  rand = g_hash_table_lookup (priv->failure_rands, sigma_tool_get_name (tool));
  if (rand == NULL)
    {
      g_autofree char *stream = g_strdup_printf ("%s.%s", priv->name, sigma_tool_get_name (tool));
      guint32 seed32 = sigma_derive_seed (priv->seed, stream);

      rand = g_rand_new_with_seed_array (&seed32, 1);
      g_hash_table_insert (priv->failure_rands, g_strdup (sigma_tool_get_name (tool)), rand);
    }
  return sigma_random_double (rand) < priv->failure_probability;
}

/**
 * sigma_app_get_environment:
 * @self: a #SigmaApp
 *
 * Returns: (transfer none) (nullable): the environment the app was added to
 */
SigmaEnvironment *
sigma_app_get_environment (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);

  return priv->env;
}

void
sigma_app_set_environment (SigmaApp         *self,
                           SigmaEnvironment *env)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  priv->env = env;
}

/**
 * sigma_app_get_time:
 * @self: a #SigmaApp
 *
 * The current simulated time of the app's environment; `0` for an app that is not in an
 * environment (apps never read the wall clock).
 *
 * Returns: seconds since the Unix epoch
 */
gdouble
sigma_app_get_time (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), 0.0);

  return priv->env != NULL ? sigma_environment_get_time (priv->env) : 0.0;
}

/**
 * sigma_app_add_tool:
 * @self: a #SigmaApp
 * @tool: the tool; it is sealed
 *
 * Adds a tool to the app. Tool names are unique within an app.
 */
void
sigma_app_add_tool (SigmaApp  *self,
                    SigmaTool *tool)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_if_fail (SIGMA_IS_APP (self));
  g_return_if_fail (tool != NULL);
  g_return_if_fail (!g_hash_table_contains (priv->tools, sigma_tool_get_name (tool)));

  sigma_tool_seal (tool);
  g_ptr_array_add (priv->tool_order, sigma_tool_ref (tool));
  g_hash_table_insert (priv->tools, (gpointer) sigma_tool_get_name (tool), tool);
}

/**
 * sigma_app_add_tool_specs: (skip)
 * @self: a #SigmaApp
 * @specs: (array length=n_specs): tools declared as static data
 * @n_specs: the number of @specs
 *
 * Adds one tool per spec (see sigma_tool_new_from_spec()), in order.
 */
void
sigma_app_add_tool_specs (SigmaApp            *self,
                          const SigmaToolSpec *specs,
                          gsize                n_specs)
{
  g_return_if_fail (SIGMA_IS_APP (self));
  g_return_if_fail (specs != NULL || n_specs == 0);

  for (gsize i = 0; i < n_specs; i++)
    {
      g_autoptr(SigmaTool) tool = sigma_tool_new_from_spec (&specs[i]);
      sigma_app_add_tool (self, tool);
    }
}

/**
 * sigma_app_lookup_tool:
 * @self: a #SigmaApp
 * @name: a tool name (without the app prefix)
 *
 * Returns: (transfer none) (nullable): the tool, or %NULL
 */
SigmaTool *
sigma_app_lookup_tool (SigmaApp   *self,
                       const char *name)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (priv->tools, name);
}

/**
 * sigma_app_list_tools:
 * @self: a #SigmaApp
 * @roles: keep tools with any of these roles; %SIGMA_TOOL_ROLE_NONE keeps all
 *
 * Returns: (transfer container) (element-type SigmaTool): the tools, in the order added
 */
GPtrArray *
sigma_app_list_tools (SigmaApp      *self,
                      SigmaToolRole  roles)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);
  GPtrArray *result;

  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_tool_unref);
  for (guint i = 0; i < priv->tool_order->len; i++)
    {
      SigmaTool *tool = g_ptr_array_index (priv->tool_order, i);

      if (roles == SIGMA_TOOL_ROLE_NONE || (sigma_tool_get_roles (tool) & roles) != 0)
        g_ptr_array_add (result, sigma_tool_ref (tool));
    }
  return result;
}

JsonNode *
sigma_app_invoke_tool (SigmaApp    *self,
                       SigmaTool   *tool,
                       JsonObject  *args,
                       JsonObject **effective_args,
                       GError     **error)
{
  g_autoptr(JsonObject) effective = NULL;
  GError *local_error = NULL;
  JsonNode *result;

  effective = sigma_tool_validate_args (tool, args, error);
  if (effective == NULL)
    return NULL;

  result = SIGMA_APP_GET_CLASS (self)->run_tool (self, tool, effective, &local_error);
  if (local_error != NULL)
    {
      g_clear_pointer (&result, json_node_unref);
      g_propagate_error (error, local_error);
    }
  else if (result == NULL)
    result = json_node_new (JSON_NODE_NULL);

  if (effective_args != NULL)
    *effective_args = g_steal_pointer (&effective);
  return result;
}

/**
 * sigma_app_invoke:
 * @self: a #SigmaApp
 * @tool_name: a tool name (without the app prefix)
 * @args: (nullable): the arguments
 * @error: return location for a #GError
 *
 * Calls a tool directly, after validating @args (see sigma_tool_validate_args()). Nothing is
 * logged: use sigma_environment_call_tool() for calls that belong in the trajectory.
 *
 * Returns: (transfer full): the result (a JSON `null` node for a tool without result), or
 *   %NULL with @error set
 */
JsonNode *
sigma_app_invoke (SigmaApp    *self,
                  const char  *tool_name,
                  JsonObject  *args,
                  GError     **error)
{
  SigmaTool *tool;

  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);
  g_return_val_if_fail (tool_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tool = sigma_app_lookup_tool (self, tool_name);
  if (tool == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_TOOL,
                   "App '%s' has no tool '%s'", sigma_app_get_name (self), tool_name);
      return NULL;
    }

  return sigma_app_invoke_tool (self, tool, args, NULL, error);
}

/**
 * sigma_app_get_state: (virtual get_state)
 * @self: a #SigmaApp
 *
 * Saves the app state as ARE `app_state` JSON.
 *
 * Returns: (transfer full) (nullable): the state, or %NULL for a stateless app
 */
JsonNode *
sigma_app_get_state (SigmaApp *self)
{
  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);

  return SIGMA_APP_GET_CLASS (self)->get_state (self);
}

/**
 * sigma_app_load_state: (virtual load_state)
 * @self: a #SigmaApp
 * @state: ARE `app_state` JSON
 * @error: return location for a #GError
 *
 * Replaces the app state. A malformed state is %SIGMA_ERROR_INVALID_DATA naming the field.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_app_load_state (SigmaApp  *self,
                      JsonNode  *state,
                      GError   **error)
{
  gboolean ret;

  g_return_val_if_fail (SIGMA_IS_APP (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ret = SIGMA_APP_GET_CLASS (self)->load_state (self, state, error);
  g_return_val_if_fail (ret == (error == NULL || *error == NULL), FALSE);
  return ret;
}

/**
 * sigma_app_reset: (virtual reset)
 * @self: a #SigmaApp
 *
 * Clears the app state and restarts its random generator from its seed.
 */
void
sigma_app_reset (SigmaApp *self)
{
  g_return_if_fail (SIGMA_IS_APP (self));

  SIGMA_APP_GET_CLASS (self)->reset (self);
  reseed (self);
}

/**
 * sigma_app_set_seed:
 * @self: a #SigmaApp
 * @seed: the run seed
 *
 * Reseeds the app's random generator from @seed and the app name (see sigma_derive_seed()).
 */
void
sigma_app_set_seed (SigmaApp *self,
                    guint64   seed)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_if_fail (SIGMA_IS_APP (self));

  priv->seed = seed;
  reseed (self);
  if (SIGMA_APP_GET_CLASS (self)->seed_changed != NULL)
    SIGMA_APP_GET_CLASS (self)->seed_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

/**
 * sigma_app_get_seed:
 * @self: a #SigmaApp
 *
 * Returns: the run seed last set
 */
guint64
sigma_app_get_seed (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), 0);

  return priv->seed;
}

/**
 * sigma_app_get_rand:
 * @self: a #SigmaApp
 *
 * The app's random generator: the same seed and name give the same stream in every process.
 *
 * Returns: (transfer none): the generator
 */
GRand *
sigma_app_get_rand (SigmaApp *self)
{
  SigmaAppPrivate *priv = sigma_app_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_APP (self), NULL);

  return priv->rand;
}
