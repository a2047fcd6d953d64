/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-event-private.h"

/**
 * SigmaAgentValidationEvent:
 *
 * Milestones and minefields over each agent action. When due, the event installs a
 * validator (nothing is logged) that checks every AGENT event as it is logged, with
 * `count = current tick − tick at installation`:
 *
 * - timed out (`count ≥ timeout`) with milestones open: the run fails;
 * - timed out: the minefields are dropped (they guard `[start, start + timeout)` only);
 * - every open milestone true for the action is achieved;
 * - a minefield true for the action fails the run.
 *
 * At the end of the run, open milestones fail it. The timeout counts ticks and defaults to
 * %SIGMA_TIMEOUT_NONE.
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (SigmaAgentValidationEvent, sigma_agent_validation_event, SIGMA_TYPE_EVENT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sigma_agent_validation_event_finalize (GObject *object)
{
  SigmaAgentValidationEvent *self = SIGMA_AGENT_VALIDATION_EVENT (object);

  g_clear_pointer (&self->milestones, g_array_unref);
  g_clear_pointer (&self->minefields, g_array_unref);
  g_clear_pointer (&self->achieved, g_ptr_array_unref);

  G_OBJECT_CLASS (sigma_agent_validation_event_parent_class)->finalize (object);
}

static void
sigma_agent_validation_event_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  SigmaAgentValidationEvent *self = SIGMA_AGENT_VALIDATION_EVENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_int (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_agent_validation_event_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  SigmaAgentValidationEvent *self = SIGMA_AGENT_VALIDATION_EVENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      sigma_agent_validation_event_set_timeout (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_agent_validation_event_class_init (SigmaAgentValidationEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_agent_validation_event_finalize;
  object_class->get_property = sigma_agent_validation_event_get_property;
  object_class->set_property = sigma_agent_validation_event_set_property;

  /**
   * SigmaAgentValidationEvent:timeout:
   *
   * In ticks after installation, or %SIGMA_TIMEOUT_NONE (the default).
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_int ("timeout", NULL, NULL, -1, G_MAXINT, SIGMA_TIMEOUT_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_agent_validation_event_init (SigmaAgentValidationEvent *self)
{
  sigma_event_set_kind (SIGMA_EVENT (self), SIGMA_EVENT_KIND_AGENT_VALIDATION, SIGMA_EVENT_TYPE_VALIDATION);
  self->milestones = sigma_check_array_new ();
  self->minefields = sigma_check_array_new ();
  self->achieved = g_ptr_array_new_with_free_func (g_free);
  self->timeout = SIGMA_TIMEOUT_NONE;
}

/**
 * sigma_agent_validation_event_new:
 *
 * Creates an agent validation event without milestones or minefields.
 *
 * Returns: (transfer full): a new #SigmaAgentValidationEvent
 */
SigmaEvent *
sigma_agent_validation_event_new (void)
{
  return g_object_new (SIGMA_TYPE_AGENT_VALIDATION_EVENT, NULL);
}

/**
 * sigma_agent_validation_event_add_milestone:
 * @self: a #SigmaAgentValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons; defaults to `milestone[<index>]`
 * @func: (scope notified) (closure user_data) (destroy destroy): the predicate
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Adds a milestone: some agent action must satisfy it before the timeout.
 */
void
sigma_agent_validation_event_add_milestone (SigmaAgentValidationEvent *self,
                                            const char                *name,
                                            SigmaAgentCheckFunc        func,
                                            gpointer                   user_data,
                                            GDestroyNotify             destroy)
{
  g_return_if_fail (SIGMA_IS_AGENT_VALIDATION_EVENT (self));
  g_return_if_fail (func != NULL);

  sigma_check_array_add (self->milestones, "milestone", name, func, user_data, destroy, NULL);
}

/**
 * sigma_agent_validation_event_add_milestone_closure:
 * @self: a #SigmaAgentValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons
 * @closure: a #GClosure taking the #SigmaEnvironment and the #SigmaCompletedEvent and
 *   returning a boolean
 *
 * Adds a milestone given as a closure.
 */
void
sigma_agent_validation_event_add_milestone_closure (SigmaAgentValidationEvent *self,
                                                    const char                *name,
                                                    GClosure                  *closure)
{
  g_return_if_fail (SIGMA_IS_AGENT_VALIDATION_EVENT (self));
  g_return_if_fail (closure != NULL);

  sigma_check_array_add (self->milestones, "milestone", name, NULL, NULL, NULL, closure);
}

/**
 * sigma_agent_validation_event_add_minefield:
 * @self: a #SigmaAgentValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons; defaults to `minefield[<index>]`
 * @func: (scope notified) (closure user_data) (destroy destroy): the predicate
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Adds a minefield: an agent action that satisfies it fails the run.
 */
void
sigma_agent_validation_event_add_minefield (SigmaAgentValidationEvent *self,
                                            const char                *name,
                                            SigmaAgentCheckFunc        func,
                                            gpointer                   user_data,
                                            GDestroyNotify             destroy)
{
  g_return_if_fail (SIGMA_IS_AGENT_VALIDATION_EVENT (self));
  g_return_if_fail (func != NULL);

  sigma_check_array_add (self->minefields, "minefield", name, func, user_data, destroy, NULL);
}

/**
 * sigma_agent_validation_event_add_minefield_closure:
 * @self: a #SigmaAgentValidationEvent that is not scheduled yet
 * @name: (nullable): a name for failure reasons
 * @closure: a #GClosure taking the #SigmaEnvironment and the #SigmaCompletedEvent and
 *   returning a boolean
 *
 * Adds a minefield given as a closure.
 */
void
sigma_agent_validation_event_add_minefield_closure (SigmaAgentValidationEvent *self,
                                                    const char                *name,
                                                    GClosure                  *closure)
{
  g_return_if_fail (SIGMA_IS_AGENT_VALIDATION_EVENT (self));
  g_return_if_fail (closure != NULL);

  sigma_check_array_add (self->minefields, "minefield", name, NULL, NULL, NULL, closure);
}

/**
 * sigma_agent_validation_event_get_timeout:
 * @self: a #SigmaAgentValidationEvent
 *
 * Returns: the timeout in ticks, or %SIGMA_TIMEOUT_NONE
 */
gint
sigma_agent_validation_event_get_timeout (SigmaAgentValidationEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_AGENT_VALIDATION_EVENT (self), SIGMA_TIMEOUT_NONE);
  return self->timeout;
}

/**
 * sigma_agent_validation_event_set_timeout:
 * @self: a #SigmaAgentValidationEvent
 * @timeout: the timeout in ticks, or %SIGMA_TIMEOUT_NONE
 *
 * Sets the timeout.
 */
void
sigma_agent_validation_event_set_timeout (SigmaAgentValidationEvent *self,
                                          gint                       timeout)
{
  g_return_if_fail (SIGMA_IS_AGENT_VALIDATION_EVENT (self));
  g_return_if_fail (timeout >= SIGMA_TIMEOUT_NONE);

  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}
