/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-environment.h"
#include "sigma-scenario.h"

/**
 * SigmaScenario:
 *
 * A scenario: apps with their state, a graph of timed events, and a way to judge a run.
 *
 * Subclasses implement #SigmaScenarioClass.init_apps and #SigmaScenarioClass.build_events,
 * and may override #SigmaScenarioClass.validate. Every setting is a property, so a scenario
 * can be created from JSON values (json_gobject_deserialize()) or Python keyword arguments.
 * sigma_scenario_setup() applies the settings to an environment and builds the scenario in
 * it.
 *
 * Since: 0.1
 */

typedef struct
{
  char    *scenario_id;
  GStrv    tags;
  GStrv    hints;
  guint64  seed;
  gdouble  start_time;
  gdouble  duration;
  gdouble  time_increment;
  JsonNode *augmentation;
} SigmaScenarioPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SigmaScenario, sigma_scenario, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCENARIO_ID,
  PROP_SEED,
  PROP_START_TIME,
  PROP_DURATION,
  PROP_TIME_INCREMENT,
  PROP_TAGS,
  PROP_HINTS,
  PROP_AUGMENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
sigma_scenario_real_validate (SigmaScenario     *self,
                              SigmaEnvironment  *env,
                              char             **rationale,
                              GError           **error)
{
  gboolean passed = sigma_environment_get_state (env) != SIGMA_ENVIRONMENT_STATE_FAILED;

  if (rationale != NULL)
    *rationale = g_strdup (passed ? "The run ended without a validation failure"
                                  : sigma_environment_get_failure_reason (env));
  return passed;
}

static void
sigma_scenario_finalize (GObject *object)
{
  SigmaScenario *self = SIGMA_SCENARIO (object);
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_clear_pointer (&priv->scenario_id, g_free);
  g_clear_pointer (&priv->tags, g_strfreev);
  g_clear_pointer (&priv->hints, g_strfreev);
  g_clear_pointer (&priv->augmentation, json_node_unref);

  G_OBJECT_CLASS (sigma_scenario_parent_class)->finalize (object);
}

static void
sigma_scenario_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SigmaScenario *self = SIGMA_SCENARIO (object);
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SCENARIO_ID:
      g_value_set_string (value, priv->scenario_id);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, priv->seed);
      break;
    case PROP_START_TIME:
      g_value_set_double (value, priv->start_time);
      break;
    case PROP_DURATION:
      g_value_set_double (value, priv->duration);
      break;
    case PROP_TIME_INCREMENT:
      g_value_set_double (value, priv->time_increment);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, priv->tags);
      break;
    case PROP_HINTS:
      g_value_set_boxed (value, priv->hints);
      break;
    case PROP_AUGMENTATION:
      g_value_set_boxed (value, priv->augmentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_scenario_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SigmaScenario *self = SIGMA_SCENARIO (object);
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SCENARIO_ID:
      g_free (priv->scenario_id);
      priv->scenario_id = g_value_dup_string (value);
      break;
    case PROP_SEED:
      priv->seed = g_value_get_uint64 (value);
      break;
    case PROP_START_TIME:
      priv->start_time = g_value_get_double (value);
      break;
    case PROP_DURATION:
      priv->duration = g_value_get_double (value);
      break;
    case PROP_TIME_INCREMENT:
      priv->time_increment = g_value_get_double (value);
      break;
    case PROP_TAGS:
      g_strfreev (priv->tags);
      priv->tags = g_value_dup_boxed (value);
      break;
    case PROP_HINTS:
      g_strfreev (priv->hints);
      priv->hints = g_value_dup_boxed (value);
      break;
    case PROP_AUGMENTATION:
      g_clear_pointer (&priv->augmentation, json_node_unref);
      priv->augmentation = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_scenario_class_init (SigmaScenarioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_scenario_finalize;
  object_class->get_property = sigma_scenario_get_property;
  object_class->set_property = sigma_scenario_set_property;

  klass->validate = sigma_scenario_real_validate;

  /**
   * SigmaScenario:scenario-id:
   *
   * The scenario's unique id.
   */
  properties[PROP_SCENARIO_ID] =
    g_param_spec_string ("scenario-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaScenario:seed:
   *
   * The run seed: every random stream of the run derives from it.
   */
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaScenario:start-time:
   *
   * The simulated start, in seconds since the Unix epoch.
   */
  properties[PROP_START_TIME] =
    g_param_spec_double ("start-time", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaScenario:duration:
   *
   * The simulated time limit in seconds, or %SIGMA_DURATION_UNLIMITED.
   */
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, -1.0, G_MAXDOUBLE, SIGMA_DURATION_UNLIMITED,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaScenario:time-increment:
   *
   * The tick length in seconds.
   */
  properties[PROP_TIME_INCREMENT] =
    g_param_spec_double ("time-increment", NULL, NULL, 1.0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaScenario:tags:
   *
   * Free-form tags ("email", "multi-turn").
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaScenario:hints:
   *
   * Hints or policy text shown to the agent or to a human player.
   */
  properties[PROP_HINTS] =
    g_param_spec_boxed ("hints", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaScenario:augmentation:
   *
   * App states of the scenario's universe that the scenario does not load, as ARE's
   * `augmentation_data`: a JSON object `{"apps": [{"name", "app_state"}, …]}`, possibly with
   * `tool_names_mapping` and `tool_descriptions_mapping`. sigma_noise_config_apply() draws
   * background events and agent-facing tool names from it. ARE JSON scenarios set it from the
   * file's `augmentation` object.
   *
   * Since: 0.1
   */
  properties[PROP_AUGMENTATION] =
    g_param_spec_boxed ("augmentation", NULL, NULL, JSON_TYPE_NODE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_scenario_init (SigmaScenario *self)
{
}

/**
 * sigma_scenario_get_scenario_id:
 * @self: a #SigmaScenario
 *
 * Returns: (nullable): the id
 */
const char *
sigma_scenario_get_scenario_id (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), NULL);
  return priv->scenario_id;
}

/**
 * sigma_scenario_get_seed:
 * @self: a #SigmaScenario
 *
 * Returns: the seed
 */
guint64
sigma_scenario_get_seed (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), 0);
  return priv->seed;
}

/**
 * sigma_scenario_get_start_time:
 * @self: a #SigmaScenario
 *
 * Returns: the start time
 */
gdouble
sigma_scenario_get_start_time (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), 0.0);
  return priv->start_time;
}

/**
 * sigma_scenario_get_duration:
 * @self: a #SigmaScenario
 *
 * Returns: the duration, or %SIGMA_DURATION_UNLIMITED
 */
gdouble
sigma_scenario_get_duration (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), SIGMA_DURATION_UNLIMITED);
  return priv->duration;
}

/**
 * sigma_scenario_get_augmentation:
 * @self: a #SigmaScenario
 *
 * Returns: (transfer none) (nullable): the #SigmaScenario:augmentation data, or %NULL
 *
 * Since: 0.1
 */
JsonNode *
sigma_scenario_get_augmentation (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), NULL);
  return priv->augmentation;
}

/**
 * sigma_scenario_get_time_increment:
 * @self: a #SigmaScenario
 *
 * Returns: the tick length
 */
gdouble
sigma_scenario_get_time_increment (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), 1.0);
  return priv->time_increment;
}

/**
 * sigma_scenario_get_tags:
 * @self: a #SigmaScenario
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the tags
 */
const char * const *
sigma_scenario_get_tags (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), NULL);
  return (const char * const *) priv->tags;
}

/**
 * sigma_scenario_get_hints:
 * @self: a #SigmaScenario
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the hints
 */
const char * const *
sigma_scenario_get_hints (SigmaScenario *self)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), NULL);
  return (const char * const *) priv->hints;
}

/**
 * sigma_scenario_init_apps: (virtual init_apps)
 * @self: a #SigmaScenario
 * @env: an environment in the SETUP state
 * @error: return location for a #GError
 *
 * Adds the scenario's apps to @env.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_scenario_init_apps (SigmaScenario     *self,
                          SigmaEnvironment  *env,
                          GError           **error)
{
  SigmaScenarioClass *klass;

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = SIGMA_SCENARIO_GET_CLASS (self);
  if (klass->init_apps == NULL)
    return TRUE;
  return klass->init_apps (self, env, error);
}

/**
 * sigma_scenario_build_events: (virtual build_events)
 * @self: a #SigmaScenario
 * @env: an environment in the SETUP state
 * @error: return location for a #GError
 *
 * Schedules the scenario's events in @env.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_scenario_build_events (SigmaScenario     *self,
                             SigmaEnvironment  *env,
                             GError           **error)
{
  SigmaScenarioClass *klass;

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = SIGMA_SCENARIO_GET_CLASS (self);
  if (klass->build_events == NULL)
    return TRUE;
  return klass->build_events (self, env, error);
}

/**
 * sigma_scenario_validate: (virtual validate)
 * @self: a #SigmaScenario
 * @env: the environment of a finished run
 * @rationale: (out) (optional) (transfer full): why the run passed or failed
 * @error: return location for a #GError
 *
 * Judges a run. An error means the judging itself could not be done; a failed run is a
 * %FALSE return with a rationale and no error.
 *
 * Returns: whether the run passed
 */
gboolean
sigma_scenario_validate (SigmaScenario     *self,
                         SigmaEnvironment  *env,
                         char             **rationale,
                         GError           **error)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (rationale != NULL)
    *rationale = NULL;
  return SIGMA_SCENARIO_GET_CLASS (self)->validate (self, env, rationale, error);
}

/**
 * sigma_scenario_setup:
 * @self: a #SigmaScenario
 * @env: a new environment
 * @error: return location for a #GError
 *
 * Applies the scenario's seed, start time, duration and tick length to @env, then adds its
 * apps and schedules its events.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_scenario_setup (SigmaScenario     *self,
                      SigmaEnvironment  *env,
                      GError           **error)
{
  SigmaScenarioPrivate *priv = sigma_scenario_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (sigma_environment_get_state (env) == SIGMA_ENVIRONMENT_STATE_SETUP, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sigma_environment_set_seed (env, priv->seed);
  sigma_environment_set_start_time (env, priv->start_time);
  sigma_environment_set_duration (env, priv->duration);
  sigma_environment_set_time_increment (env, priv->time_increment);

  return sigma_scenario_init_apps (self, env, error) &&
         sigma_scenario_build_events (self, env, error);
}
