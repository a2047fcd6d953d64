/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-enum-types.h"
#include "sigma-event-private.h"

/**
 * SigmaOracleEvent:
 *
 * An action the agent is expected to take. In oracle mode (see
 * #SigmaEnvironment:oracle-mode) it runs as an AGENT event under its own id, which proves
 * that a scenario can be solved; otherwise it is the judge's reference and is dropped when
 * due, releasing nothing.
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (SigmaOracleEvent, sigma_oracle_event, SIGMA_TYPE_EVENT)

enum {
  PROP_0,
  PROP_COMPARATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sigma_oracle_event_finalize (GObject *object)
{
  SigmaOracleEvent *self = SIGMA_ORACLE_EVENT (object);

  g_clear_pointer (&self->args, json_object_unref);

  G_OBJECT_CLASS (sigma_oracle_event_parent_class)->finalize (object);
}

static void
sigma_oracle_event_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SigmaOracleEvent *self = SIGMA_ORACLE_EVENT (object);

  switch (prop_id)
    {
    case PROP_COMPARATOR:
      g_value_set_enum (value, self->comparator);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_oracle_event_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SigmaOracleEvent *self = SIGMA_ORACLE_EVENT (object);

  switch (prop_id)
    {
    case PROP_COMPARATOR:
      sigma_oracle_event_set_comparator (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_oracle_event_class_init (SigmaOracleEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_oracle_event_finalize;
  object_class->get_property = sigma_oracle_event_get_property;
  object_class->set_property = sigma_oracle_event_set_property;

  /**
   * SigmaOracleEvent:comparator:
   *
   * How the judge compares the agent's time with the oracle's.
   */
  properties[PROP_COMPARATOR] =
    g_param_spec_enum ("comparator", NULL, NULL,
                       SIGMA_TYPE_TIME_COMPARATOR, SIGMA_TIME_COMPARATOR_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_oracle_event_init (SigmaOracleEvent *self)
{
  sigma_event_set_kind (SIGMA_EVENT (self), SIGMA_EVENT_KIND_ORACLE, SIGMA_EVENT_TYPE_AGENT);
}

/**
 * sigma_oracle_event_new:
 * @app_name: the app instance name
 * @function: the tool name
 * @args: (nullable): the expected arguments; referenced, not copied
 *
 * Creates an oracle event.
 *
 * Returns: (transfer full): a new #SigmaOracleEvent
 */
SigmaEvent *
sigma_oracle_event_new (const char *app_name,
                        const char *function,
                        JsonObject *args)
{
  SigmaOracleEvent *self;

  g_return_val_if_fail (app_name != NULL, NULL);
  g_return_val_if_fail (function != NULL, NULL);

  self = g_object_new (SIGMA_TYPE_ORACLE_EVENT, NULL);
  self->app_name = g_intern_string (app_name);
  self->function = g_intern_string (function);
  self->args = args != NULL ? json_object_ref (args) : sigma_empty_args ();

  return SIGMA_EVENT (self);
}

/**
 * sigma_oracle_event_get_app_name:
 * @self: a #SigmaOracleEvent
 *
 * Returns: the app instance name
 */
const char *
sigma_oracle_event_get_app_name (SigmaOracleEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_ORACLE_EVENT (self), NULL);
  return self->app_name;
}

/**
 * sigma_oracle_event_get_function:
 * @self: a #SigmaOracleEvent
 *
 * Returns: the tool name
 */
const char *
sigma_oracle_event_get_function (SigmaOracleEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_ORACLE_EVENT (self), NULL);
  return self->function;
}

/**
 * sigma_oracle_event_get_args:
 * @self: a #SigmaOracleEvent
 *
 * Returns: (transfer none): the expected arguments
 */
JsonObject *
sigma_oracle_event_get_args (SigmaOracleEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_ORACLE_EVENT (self), NULL);
  return self->args;
}

/**
 * sigma_oracle_event_get_comparator:
 * @self: a #SigmaOracleEvent
 *
 * Returns: the time comparator
 */
SigmaTimeComparator
sigma_oracle_event_get_comparator (SigmaOracleEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_ORACLE_EVENT (self), SIGMA_TIME_COMPARATOR_NONE);
  return self->comparator;
}

/**
 * sigma_oracle_event_set_comparator:
 * @self: a #SigmaOracleEvent
 * @comparator: the time comparator
 *
 * Sets how the judge compares times.
 */
void
sigma_oracle_event_set_comparator (SigmaOracleEvent    *self,
                                   SigmaTimeComparator  comparator)
{
  g_return_if_fail (SIGMA_IS_ORACLE_EVENT (self));

  if (self->comparator == comparator)
    return;
  self->comparator = comparator;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARATOR]);
}
