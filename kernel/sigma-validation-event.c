/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-event-private.h"

/**
 * SigmaValidationEvent:
 *
 * Milestones (predicates that must become true) and minefields (predicates that must never
 * be true) over the environment state, checked when due and then every
 * #SigmaValidationEvent:every-ticks ticks. A true minefield fails the run at once; milestones
 * still open when `checks × every-ticks ≥ timeout` fail it too. The failure reason names the
 * event and the milestone or minefield. Each check is logged as a VALIDATION event.
 *
 * The default timeout is 1 — a single check — as in ARE.
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (SigmaValidationEvent, sigma_validation_event, SIGMA_TYPE_EVENT)

enum {
  PROP_0,
  PROP_EVERY_TICKS,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sigma_validation_event_finalize (GObject *object)
{
  SigmaValidationEvent *self = SIGMA_VALIDATION_EVENT (object);

  g_clear_pointer (&self->milestones, g_array_unref);
  g_clear_pointer (&self->minefields, g_array_unref);
  g_clear_pointer (&self->achieved, g_ptr_array_unref);
  g_clear_pointer (&self->base_id, g_ref_string_release);

  G_OBJECT_CLASS (sigma_validation_event_parent_class)->finalize (object);
}

static void
sigma_validation_event_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SigmaValidationEvent *self = SIGMA_VALIDATION_EVENT (object);

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
sigma_validation_event_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SigmaValidationEvent *self = SIGMA_VALIDATION_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVERY_TICKS:
      sigma_validation_event_set_every_ticks (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      sigma_validation_event_set_timeout (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_validation_event_class_init (SigmaValidationEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_validation_event_finalize;
  object_class->get_property = sigma_validation_event_get_property;
  object_class->set_property = sigma_validation_event_set_property;

  /**
   * SigmaValidationEvent:every-ticks:
   *
   * Ticks between two checks.
   */
  properties[PROP_EVERY_TICKS] =
    g_param_spec_uint ("every-ticks", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaValidationEvent:timeout:
   *
   * In ticks: checking stops once `checks × every-ticks ≥ timeout`. The default, 1, means a
   * single check; %SIGMA_TIMEOUT_NONE means never.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_int ("timeout", NULL, NULL, -1, G_MAXINT, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_validation_event_init (SigmaValidationEvent *self)
{
  sigma_event_set_kind (SIGMA_EVENT (self), SIGMA_EVENT_KIND_VALIDATION, SIGMA_EVENT_TYPE_VALIDATION);
  self->milestones = sigma_check_array_new ();
  self->minefields = sigma_check_array_new ();
  self->achieved = g_ptr_array_new_with_free_func (g_free);
  self->every_ticks = 1;
  self->timeout = 1;
}

/**
 * sigma_validation_event_new:
 *
 * Creates a validation event without milestones or minefields.
 *
 * Returns: (transfer full): a new #SigmaValidationEvent
 */
SigmaEvent *
sigma_validation_event_new (void)
{
  return g_object_new (SIGMA_TYPE_VALIDATION_EVENT, NULL);
}

/**
 * sigma_validation_event_add_milestone:
 * @self: a #SigmaValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons; defaults to `milestone[<index>]`
 * @func: (scope notified) (closure user_data) (destroy destroy): the predicate
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Adds a milestone: a predicate that must become true before the timeout.
 */
void
sigma_validation_event_add_milestone (SigmaValidationEvent *self,
                                      const char           *name,
                                      SigmaConditionFunc    func,
                                      gpointer              user_data,
                                      GDestroyNotify        destroy)
{
  g_return_if_fail (SIGMA_IS_VALIDATION_EVENT (self));
  g_return_if_fail (func != NULL);

  sigma_check_array_add (self->milestones, "milestone", name, func, user_data, destroy, NULL);
}

/**
 * sigma_validation_event_add_milestone_closure:
 * @self: a #SigmaValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons
 * @closure: a #GClosure taking the #SigmaEnvironment and returning a boolean
 *
 * Adds a milestone given as a closure.
 */
void
sigma_validation_event_add_milestone_closure (SigmaValidationEvent *self,
                                              const char           *name,
                                              GClosure             *closure)
{
  g_return_if_fail (SIGMA_IS_VALIDATION_EVENT (self));
  g_return_if_fail (closure != NULL);

  sigma_check_array_add (self->milestones, "milestone", name, NULL, NULL, NULL, closure);
}

/**
 * sigma_validation_event_add_minefield:
 * @self: a #SigmaValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons; defaults to `minefield[<index>]`
 * @func: (scope notified) (closure user_data) (destroy destroy): the predicate
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Adds a minefield: a predicate that fails the run as soon as a check finds it true.
 */
void
sigma_validation_event_add_minefield (SigmaValidationEvent *self,
                                      const char           *name,
                                      SigmaConditionFunc    func,
                                      gpointer              user_data,
                                      GDestroyNotify        destroy)
{
  g_return_if_fail (SIGMA_IS_VALIDATION_EVENT (self));
  g_return_if_fail (func != NULL);

  sigma_check_array_add (self->minefields, "minefield", name, func, user_data, destroy, NULL);
}

/**
 * sigma_validation_event_add_minefield_closure:
 * @self: a #SigmaValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons
 * @closure: a #GClosure taking the #SigmaEnvironment and returning a boolean
 *
 * Adds a minefield given as a closure.
 */
void
sigma_validation_event_add_minefield_closure (SigmaValidationEvent *self,
                                              const char           *name,
                                              GClosure             *closure)
{
  g_return_if_fail (SIGMA_IS_VALIDATION_EVENT (self));
  g_return_if_fail (closure != NULL);

  sigma_check_array_add (self->minefields, "minefield", name, NULL, NULL, NULL, closure);
}

/**
 * sigma_validation_event_get_every_ticks:
 * @self: a #SigmaValidationEvent
 *
 * Returns: ticks between checks
 */
guint
sigma_validation_event_get_every_ticks (SigmaValidationEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_VALIDATION_EVENT (self), 1);
  return self->every_ticks;
}

/**
 * sigma_validation_event_set_every_ticks:
 * @self: a #SigmaValidationEvent
 * @every_ticks: ticks between checks, ≥ 1
 *
 * Sets how often the validators are checked.
 */
void
sigma_validation_event_set_every_ticks (SigmaValidationEvent *self,
                                        guint                 every_ticks)
{
  g_return_if_fail (SIGMA_IS_VALIDATION_EVENT (self));
  g_return_if_fail (every_ticks >= 1);

  if (self->every_ticks == every_ticks)
    return;
  self->every_ticks = every_ticks;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVERY_TICKS]);
}

/**
 * sigma_validation_event_get_timeout:
 * @self: a #SigmaValidationEvent
 *
 * Returns: the timeout in ticks, or %SIGMA_TIMEOUT_NONE
 */
gint
sigma_validation_event_get_timeout (SigmaValidationEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_VALIDATION_EVENT (self), 1);
  return self->timeout;
}

/**
 * sigma_validation_event_set_timeout:
 * @self: a #SigmaValidationEvent
 * @timeout: the timeout in ticks, or %SIGMA_TIMEOUT_NONE
 *
 * Sets the timeout.
 */
void
sigma_validation_event_set_timeout (SigmaValidationEvent *self,
                                    gint                  timeout)
{
  g_return_if_fail (SIGMA_IS_VALIDATION_EVENT (self));
  g_return_if_fail (timeout >= SIGMA_TIMEOUT_NONE);

  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * sigma_validation_event_get_check_count:
 * @self: a #SigmaValidationEvent
 *
 * Returns: how many checks were made
 */
guint
sigma_validation_event_get_check_count (SigmaValidationEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_VALIDATION_EVENT (self), 0);
  return self->count;
}

/**
 * sigma_validation_event_dup_achieved_milestones:
 * @self: a #SigmaValidationEvent
 *
 * Returns: (transfer full): the names of the milestones achieved so far, in order
 */
GStrv
sigma_validation_event_dup_achieved_milestones (SigmaValidationEvent *self)
{
  GStrvBuilder *builder;
  GStrv result;

  g_return_val_if_fail (SIGMA_IS_VALIDATION_EVENT (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->achieved->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->achieved, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}
