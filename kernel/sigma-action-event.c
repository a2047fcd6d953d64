/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-event-private.h"

/**
 * SigmaActionEvent:
 *
 * A scheduled call of an app tool: what the world (ENV), the user (USER) or, in a replay,
 * the agent (AGENT) does at a given time. The arguments may hold `{{event_id.key}}`
 * placeholders, resolved against earlier return values when the event runs.
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (SigmaActionEvent, sigma_action_event, SIGMA_TYPE_EVENT)

JsonObject *
sigma_empty_args (void)
{
  static gsize empty;   /* a constant: created once, immutable, never freed */

  if (g_once_init_enter (&empty))
    {
      JsonObject *object = json_object_new ();

      json_object_seal (object);
      g_once_init_leave (&empty, (gsize) object);
    }
  return json_object_ref ((JsonObject *) empty);
}

static void
sigma_action_event_finalize (GObject *object)
{
  SigmaActionEvent *self = SIGMA_ACTION_EVENT (object);

  g_clear_pointer (&self->args, json_object_unref);

  G_OBJECT_CLASS (sigma_action_event_parent_class)->finalize (object);
}

static void
sigma_action_event_class_init (SigmaActionEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_action_event_finalize;
}

static void
sigma_action_event_init (SigmaActionEvent *self)
{
  sigma_event_set_kind (SIGMA_EVENT (self), SIGMA_EVENT_KIND_ACTION, SIGMA_EVENT_TYPE_ENV);
}

/**
 * sigma_action_event_new:
 * @event_type: %SIGMA_EVENT_TYPE_ENV, %SIGMA_EVENT_TYPE_USER or %SIGMA_EVENT_TYPE_AGENT
 * @app_name: the app instance name
 * @function: the tool name
 * @args: (nullable): the arguments; referenced, not copied, so do not change it afterwards.
 *   %NULL means no arguments.
 *
 * Creates an action event.
 *
 * Returns: (transfer full): a new #SigmaActionEvent
 */
SigmaEvent *
sigma_action_event_new (SigmaEventType  event_type,
                        const char     *app_name,
                        const char     *function,
                        JsonObject     *args)
{
  SigmaActionEvent *self;

  g_return_val_if_fail (event_type == SIGMA_EVENT_TYPE_ENV ||
                        event_type == SIGMA_EVENT_TYPE_USER ||
                        event_type == SIGMA_EVENT_TYPE_AGENT, NULL);
  g_return_val_if_fail (app_name != NULL, NULL);
  g_return_val_if_fail (function != NULL, NULL);

  self = g_object_new (SIGMA_TYPE_ACTION_EVENT, NULL);
  sigma_event_set_kind (SIGMA_EVENT (self), SIGMA_EVENT_KIND_ACTION, event_type);
  self->app_name = g_intern_string (app_name);
  self->function = g_intern_string (function);
  self->args = args != NULL ? json_object_ref (args) : sigma_empty_args ();

  return SIGMA_EVENT (self);
}

/**
 * sigma_action_event_get_app_name:
 * @self: a #SigmaActionEvent
 *
 * Returns: the app instance name
 */
const char *
sigma_action_event_get_app_name (SigmaActionEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_ACTION_EVENT (self), NULL);
  return self->app_name;
}

/**
 * sigma_action_event_get_function:
 * @self: a #SigmaActionEvent
 *
 * Returns: the tool name
 */
const char *
sigma_action_event_get_function (SigmaActionEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_ACTION_EVENT (self), NULL);
  return self->function;
}

/**
 * sigma_action_event_get_args:
 * @self: a #SigmaActionEvent
 *
 * Returns: (transfer none): the arguments as given (placeholders unresolved)
 */
JsonObject *
sigma_action_event_get_args (SigmaActionEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_ACTION_EVENT (self), NULL);
  return self->args;
}
