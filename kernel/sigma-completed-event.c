/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-enum-types.h"
#include "sigma-event-private.h"
#include "sigma-event.h"

/**
 * SigmaCompletedEvent:
 *
 * An immutable record of something that happened in a run: the event id and type, the
 * simulated time, the action (app, function, effective arguments after placeholder
 * resolution and defaults) and its outcome — a JSON return value or an error.
 *
 * The event log is a time-ordered list of completed events; judges read nothing else.
 *
 * Since: 0.1
 */

struct _SigmaCompletedEvent
{
  grefcount       ref_count;
  guint8          type;        /* SigmaEventType */
  gint8           operation;   /* SigmaToolOperation, or -1 when not a tool call */
  gdouble         time;
  GRefString     *id;          /* NULL until asked for when the source has a generated id */
  const char     *app_name;    /* interned */
  const char     *function;    /* interned */
  JsonObject     *args;
  JsonNode       *return_value;
  GError         *error;
  SigmaEvent     *source;      /* the scheduled event this completes, or NULL */
};

G_DEFINE_BOXED_TYPE (SigmaCompletedEvent, sigma_completed_event,
                     sigma_completed_event_ref, sigma_completed_event_unref)

/* Takes ownership of @return_value and @error; references @id and @args. A %NULL @id stands
 * for the generated id of the source given next with sigma_completed_event_set_source(): its
 * text is built when first asked for, as the source's own is (most entries of a large log are
 * never asked for theirs while the run goes on). */
SigmaCompletedEvent *
sigma_completed_event_new (GRefString     *id,
                           SigmaEventType  type,
                           gdouble         time,
                           const char     *app_name,
                           const char     *function,
                           JsonObject     *args,
                           JsonNode       *return_value,
                           GError         *error,
                           gint            operation)
{
  SigmaCompletedEvent *self = g_new (SigmaCompletedEvent, 1);

  g_ref_count_init (&self->ref_count);
  self->type = type;
  self->operation = operation;
  self->time = time;
  self->id = id != NULL ? g_ref_string_acquire (id) : NULL;
  self->app_name = app_name;
  self->function = function;
  self->args = args != NULL ? json_object_ref (args) : NULL;
  self->return_value = return_value;
  self->error = error;
  self->source = NULL;

  return self;
}

void
sigma_completed_event_set_source (SigmaCompletedEvent *self,
                                  SigmaEvent          *source)
{
  g_assert (self->source == NULL);
  g_assert (self->id != NULL || (source != NULL && sigma_event_get_priv (source)->id_number != 0));
  self->source = source != NULL ? g_object_ref (source) : NULL;
}

/**
 * sigma_completed_event_get_source:
 * @self: a #SigmaCompletedEvent
 *
 * The scheduled event that this record completes: its dependencies, delay, comparator and
 * other scheduling data. %NULL for tool calls made directly (agent and user calls through
 * sigma_environment_call_tool()).
 *
 * Returns: (transfer none) (nullable): the source event
 */
SigmaEvent *
sigma_completed_event_get_source (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source;
}

/**
 * sigma_completed_event_ref:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: (transfer full): @self
 */
SigmaCompletedEvent *
sigma_completed_event_ref (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * sigma_completed_event_unref:
 * @self: (transfer full): a #SigmaCompletedEvent
 *
 * Releases a reference.
 */
void
sigma_completed_event_unref (SigmaCompletedEvent *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->id, g_ref_string_release);
  g_clear_pointer (&self->args, json_object_unref);
  g_clear_pointer (&self->return_value, json_node_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->source);
  g_free (self);
}

/**
 * sigma_completed_event_get_event_id:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: the event id
 */
const char *
sigma_completed_event_get_event_id (SigmaCompletedEvent *self)
{
  GRefString *id;

  g_return_val_if_fail (self != NULL, NULL);

  id = g_atomic_pointer_get (&self->id);
  if (G_UNLIKELY (id == NULL))
    {
      /* kind, type and number of a scheduled event never change: any thread may build the
       * text; the first one to store it wins */
      char buf[96];

      sigma_format_generated_id (buf, sizeof buf, sigma_event_id_prefix (self->source),
                                 sigma_event_get_priv (self->source)->id_number);
      id = g_ref_string_new (buf);
      if (!g_atomic_pointer_compare_and_exchange (&self->id, NULL, id))
        {
          g_ref_string_release (id);
          id = g_atomic_pointer_get (&self->id);
        }
    }
  return id;
}

/**
 * sigma_completed_event_get_event_type:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: who caused the event
 */
SigmaEventType
sigma_completed_event_get_event_type (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, SIGMA_EVENT_TYPE_ENV);
  return self->type;
}

/**
 * sigma_completed_event_get_event_time:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: the simulated time at which the event ran
 */
gdouble
sigma_completed_event_get_event_time (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->time;
}

/**
 * sigma_completed_event_get_app_name:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: (nullable): the app of the action, %NULL for condition and validation events
 */
const char *
sigma_completed_event_get_app_name (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->app_name;
}

/**
 * sigma_completed_event_get_function:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: (nullable): the tool name, or the condition name
 */
const char *
sigma_completed_event_get_function (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->function;
}

/**
 * sigma_completed_event_get_args:
 * @self: a #SigmaCompletedEvent
 *
 * The arguments the tool ran with: placeholders resolved and defaults filled in.
 *
 * Returns: (transfer none) (nullable): the arguments
 */
JsonObject *
sigma_completed_event_get_args (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->args;
}

/**
 * sigma_completed_event_get_return_value:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: (transfer none) (nullable): the result, %NULL when the event failed
 */
JsonNode *
sigma_completed_event_get_return_value (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->return_value;
}

/**
 * sigma_completed_event_get_error:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: (transfer none) (nullable): the error of a failed event
 */
const GError *
sigma_completed_event_get_error (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error;
}

/**
 * sigma_completed_event_get_error_message:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: (nullable): the error message of a failed event
 */
const char *
sigma_completed_event_get_error_message (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error != NULL ? self->error->message : NULL;
}

/**
 * sigma_completed_event_is_failure:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: %TRUE if the event failed
 */
gboolean
sigma_completed_event_is_failure (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->error != NULL;
}

/**
 * sigma_completed_event_get_operation:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: whether the tool that ran reads or writes; %SIGMA_TOOL_OPERATION_READ for events
 *   that are not tool calls
 */
SigmaToolOperation
sigma_completed_event_get_operation (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, SIGMA_TOOL_OPERATION_READ);
  return self->operation == SIGMA_TOOL_OPERATION_WRITE ? SIGMA_TOOL_OPERATION_WRITE
                                                       : SIGMA_TOOL_OPERATION_READ;
}

/**
 * sigma_completed_event_is_write:
 * @self: a #SigmaCompletedEvent
 *
 * Returns: %TRUE if the event is a call of a WRITE tool
 */
gboolean
sigma_completed_event_is_write (SigmaCompletedEvent *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->operation == SIGMA_TOOL_OPERATION_WRITE;
}

static const char *
enum_nick (GType type,
           gint  value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *nick = v != NULL ? v->value_nick : "unknown";

  g_type_class_unref (klass);
  return nick;
}

/**
 * sigma_completed_event_to_json:
 * @self: a #SigmaCompletedEvent
 *
 * Serializes the event as `{"event_id", "event_type", "event_time", "app", "function",
 * "operation", "args", "return_value"}`, with `"error": {"domain", "code", "message"}` in
 * place of the return value for a failed event. Event types are upper case as in ARE.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
sigma_completed_event_to_json (SigmaCompletedEvent *self)
{
  JsonObject *obj;
  JsonNode *node;
  g_autofree char *type = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  obj = json_object_new ();
  json_object_set_string_member (obj, "event_id", sigma_completed_event_get_event_id (self));
  type = g_ascii_strup (enum_nick (SIGMA_TYPE_EVENT_TYPE, self->type), -1);
  json_object_set_string_member (obj, "event_type", type);
  json_object_set_double_member (obj, "event_time", self->time);
  if (self->app_name != NULL)
    json_object_set_string_member (obj, "app", self->app_name);
  else
    json_object_set_null_member (obj, "app");
  if (self->function != NULL)
    json_object_set_string_member (obj, "function", self->function);
  else
    json_object_set_null_member (obj, "function");
  if (self->operation >= 0)
    json_object_set_string_member (obj, "operation",
                                   self->operation == SIGMA_TOOL_OPERATION_WRITE ? "WRITE" : "READ");
  if (self->args != NULL)
    {
      JsonNode *args = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (args, self->args);
      json_object_set_member (obj, "args", args);
    }
  if (self->error != NULL)
    {
      JsonObject *err = json_object_new ();
      json_object_set_string_member (err, "domain", g_quark_to_string (self->error->domain));
      json_object_set_int_member (err, "code", self->error->code);
      json_object_set_string_member (err, "message", self->error->message);
      json_object_set_object_member (obj, "error", err);
    }
  else if (self->return_value != NULL)
    json_object_set_member (obj, "return_value", json_node_copy (self->return_value));
  else
    json_object_set_null_member (obj, "return_value");

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, obj);
  return node;
}
