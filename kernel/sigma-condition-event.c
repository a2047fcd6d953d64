/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-event-private.h"

/**
 * SigmaConditionEvent:
 *
 * A gate in the event graph: a predicate over the environment, checked when the event is
 * due and then every #SigmaConditionEvent:every-ticks ticks until it holds or it times out.
 * Its successors are released from the time of the successful check. Check *k* (from 0) is
 * logged as a CONDITION event with id `<id>-CHECK_<k>`, as ARE does. A condition that times
 * out is dropped; it never fails a run.
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (SigmaConditionEvent, sigma_condition_event, SIGMA_TYPE_EVENT)

enum {
  PROP_0,
  PROP_EVERY_TICKS,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sigma_condition_event_finalize (GObject *object)
{
  SigmaConditionEvent *self = SIGMA_CONDITION_EVENT (object);

  sigma_check_clear (&self->check);
  g_clear_pointer (&self->base_id, g_ref_string_release);
  g_clear_pointer (&self->check_id, g_ref_string_release);

  G_OBJECT_CLASS (sigma_condition_event_parent_class)->finalize (object);
}

static void
sigma_condition_event_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SigmaConditionEvent *self = SIGMA_CONDITION_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVERY_TICKS:
      g_value_set_uint (value, self->every_ticks);
      break;
    case PROP_TIMEOUT:
      g_value_set_int (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_condition_event_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SigmaConditionEvent *self = SIGMA_CONDITION_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVERY_TICKS:
      sigma_condition_event_set_every_ticks (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      sigma_condition_event_set_timeout (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_condition_event_class_init (SigmaConditionEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_condition_event_finalize;
  object_class->get_property = sigma_condition_event_get_property;
  object_class->set_property = sigma_condition_event_set_property;

  /**
   * SigmaConditionEvent:every-ticks:
   *
   * Ticks between two checks.
   */
  properties[PROP_EVERY_TICKS] =
    g_param_spec_uint ("every-ticks", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaConditionEvent:timeout:
   *
   * The last check is the one after which `checks × every-ticks` exceeds this value;
   * %SIGMA_TIMEOUT_NONE (the default) checks forever.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_int ("timeout", NULL, NULL, -1, G_MAXINT, SIGMA_TIMEOUT_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_condition_event_init (SigmaConditionEvent *self)
{
  sigma_event_set_kind (SIGMA_EVENT (self), SIGMA_EVENT_KIND_CONDITION, SIGMA_EVENT_TYPE_CONDITION);
  self->every_ticks = 1;
  self->timeout = SIGMA_TIMEOUT_NONE;
}

/**
 * sigma_condition_event_new:
 * @name: (nullable): the condition's name, logged as the function of each check
 * @func: (scope notified) (closure user_data) (destroy destroy): the predicate
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Creates a condition event from a C callback.
 *
 * Returns: (transfer full): a new #SigmaConditionEvent
 */
SigmaEvent *
sigma_condition_event_new (const char         *name,
                           SigmaConditionFunc  func,
                           gpointer            user_data,
                           GDestroyNotify      destroy)
{
  SigmaConditionEvent *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (SIGMA_TYPE_CONDITION_EVENT, NULL);
  sigma_check_init_func (&self->check, name != NULL ? name : "condition", func, user_data, destroy);

  return SIGMA_EVENT (self);
}

/**
 * sigma_condition_event_new_with_closure:
 * @name: (nullable): the condition's name
 * @closure: a #GClosure taking the #SigmaEnvironment and returning a boolean
 *
 * Creates a condition event from a closure (for instance a Python callable).
 *
 * Returns: (transfer full): a new #SigmaConditionEvent
 */
SigmaEvent *
sigma_condition_event_new_with_closure (const char *name,
                                        GClosure   *closure)
{
  SigmaConditionEvent *self;

  g_return_val_if_fail (closure != NULL, NULL);

  self = g_object_new (SIGMA_TYPE_CONDITION_EVENT, NULL);
  sigma_check_init_closure (&self->check, name != NULL ? name : "condition", closure);

  return SIGMA_EVENT (self);
}

/**
 * sigma_condition_event_get_name:
 * @self: a #SigmaConditionEvent
 *
 * Returns: the condition's name
 */
const char *
sigma_condition_event_get_name (SigmaConditionEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_CONDITION_EVENT (self), NULL);
  return self->check.name;
}

/**
 * sigma_condition_event_get_every_ticks:
 * @self: a #SigmaConditionEvent
 *
 * Returns: ticks between checks
 */
guint
sigma_condition_event_get_every_ticks (SigmaConditionEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_CONDITION_EVENT (self), 1);
  return self->every_ticks;
}

/**
 * sigma_condition_event_set_every_ticks:
 * @self: a #SigmaConditionEvent
 * @every_ticks: ticks between checks, ≥ 1
 *
 * Sets how often the condition is checked.
 */
void
sigma_condition_event_set_every_ticks (SigmaConditionEvent *self,
                                       guint                every_ticks)
{
  g_return_if_fail (SIGMA_IS_CONDITION_EVENT (self));
  g_return_if_fail (every_ticks >= 1);

  if (self->every_ticks == every_ticks)
    return;
  self->every_ticks = every_ticks;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVERY_TICKS]);
}

/**
 * sigma_condition_event_get_timeout:
 * @self: a #SigmaConditionEvent
 *
 * Returns: the timeout in ticks, or %SIGMA_TIMEOUT_NONE
 */
gint
sigma_condition_event_get_timeout (SigmaConditionEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_CONDITION_EVENT (self), SIGMA_TIMEOUT_NONE);
  return self->timeout;
}

/**
 * sigma_condition_event_set_timeout:
 * @self: a #SigmaConditionEvent
 * @timeout: the timeout in ticks, or %SIGMA_TIMEOUT_NONE
 *
 * Sets the timeout.
 */
void
sigma_condition_event_set_timeout (SigmaConditionEvent *self,
                                   gint                 timeout)
{
  g_return_if_fail (SIGMA_IS_CONDITION_EVENT (self));
  g_return_if_fail (timeout >= SIGMA_TIMEOUT_NONE);

  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * sigma_condition_event_get_check_count:
 * @self: a #SigmaConditionEvent
 *
 * Returns: how many times the condition was checked
 */
guint
sigma_condition_event_get_check_count (SigmaConditionEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_CONDITION_EVENT (self), 0);
  return self->count;
}
