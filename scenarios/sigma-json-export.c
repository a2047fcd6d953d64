/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-app.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-event-log.h"
#include "sigma-event-private.h"
#include "sigma-json-private.h"
#include "sigma-python-private.h"
#include "sigma-verdict.h"

/*
 * Traces: a finished run written as ARE's ExportedTrace (scenario-json.md §9.4), and a
 * trace's `completed_events` read back into a SigmaEventLog (§9.1) so that it can be judged.
 */

/* ------------------------------------------------------------------------------------ */
/* completed_events → SigmaCompletedEvent                                               */

static const char *
json_type_name (JsonNode *node)
{
  if (node == NULL)
    return "nothing";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

/* A string or null member; FALSE with @error for another type or a missing required one. */
static gboolean
string_member (JsonObject  *object,
               const char  *path,
               const char  *name,
               gboolean     required,
               const char **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.%s: required member is missing", path, name);
      return FALSE;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!is_string (node))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.%s: expected a string, found %s", path, name,
                   json_type_name (node));
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
parse_type (const char     *text,
            SigmaEventType *type)
{
  static const char * const names[] = { "AGENT", "ENV", "USER", "CONDITION", "VALIDATION", "STOP" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *type = (SigmaEventType) i;
        return TRUE;
      }
  return FALSE;
}

SigmaCompletedEvent *
sigma_json_completed_event_from_json (JsonObject  *object,
                                      GHashTable  *app_classes,
                                      gboolean     lenient,
                                      const char  *path,
                                      guint       *leniencies,
                                      GError     **error)
{
  g_autofree char *action_path = g_strdup_printf ("%s.action", path);
  const char *class_name, *type_text, *event_id, *app = NULL, *function = NULL, *op_text = NULL, *text;
  const char *return_text = NULL, *exception = NULL;
  SigmaEventType type;
  JsonNode *node;
  JsonObject *action = NULL, *metadata = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GRefString) id = NULL;
  JsonNode *return_value;
  GError *failure = NULL;
  gdouble time;
  gint operation = -1;

  if (!string_member (object, path, "class_name", !lenient, &class_name, error) ||
      !string_member (object, path, "event_type", TRUE, &type_text, error) ||
      !string_member (object, path, "event_id", TRUE, &event_id, error))
    return NULL;
  if (type_text == NULL || !parse_type (type_text, &type))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.event_type: unknown event type '%s'", path,
                   type_text != NULL ? type_text : "null");
      return NULL;
    }
  if (event_id == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.event_id: expected a string, found null", path);
      return NULL;
    }
  node = json_object_get_member (object, "event_time");
  if (!is_number (node))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.event_time: expected a number, found %s", path,
                   json_type_name (node));
      return NULL;
    }
  time = json_node_get_value_type (node) == G_TYPE_INT64 ? (gdouble) json_node_get_int (node)
                                                          : json_node_get_double (node);
  node = json_object_get_member (object, "dependencies");
  if ((node == NULL && !lenient) || (node != NULL && !JSON_NODE_HOLDS_ARRAY (node) &&
                                     !(lenient && JSON_NODE_HOLDS_NULL (node))))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.dependencies: expected an array, found %s",
                   path, json_type_name (node));
      return NULL;
    }
  node = json_object_get_member (object, "event_relative_time");
  if ((node == NULL && !lenient) || (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !is_number (node)))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s.event_relative_time: expected a number or null, found %s", path, json_type_name (node));
      return NULL;
    }

  node = json_object_get_member (object, "action");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonNode *args_node;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s: expected an object, found %s", action_path,
                       json_type_name (node));
          return NULL;
        }
      action = json_node_get_object (node);
      if (!string_member (action, action_path, "action_id", !lenient, &text, error) ||
          !string_member (action, action_path, "app", FALSE, &app, error) ||
          !string_member (action, action_path, "function", FALSE, &function, error) ||
          !string_member (action, action_path, "operation_type", FALSE, &op_text, error))
        return NULL;

      if (app != NULL && app_classes != NULL && !g_hash_table_contains (app_classes, app))
        {
          if (!lenient)
            {
              g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP, "%s.app: no app named '%s' in apps",
                           action_path, app);
              return NULL;
            }
          *leniencies |= SIGMA_DECODE_UNKNOWN_APP;
        }
      if (op_text != NULL && g_ascii_strcasecmp (op_text, "READ") == 0)
        operation = SIGMA_TOOL_OPERATION_READ;
      else if (op_text != NULL && g_ascii_strcasecmp (op_text, "WRITE") == 0)
        operation = SIGMA_TOOL_OPERATION_WRITE;
      else if (op_text != NULL)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "%s.operation_type: unknown operation type '%s' (expected READ or WRITE)", action_path, op_text);
          return NULL;
        }
      else if (app != NULL && type != SIGMA_EVENT_TYPE_CONDITION)
        {
          if (!lenient)
            {
              g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                           "%s.operation_type: a tool call needs an operation type (ARE fails on null)",
                           action_path);
              return NULL;
            }
          *leniencies |= SIGMA_DECODE_NO_OPERATION;
        }

      args_node = json_object_get_member (action, "args");
      if (args_node != NULL && !JSON_NODE_HOLDS_NULL (args_node))
        {
          JsonArray *array;

          if (!JSON_NODE_HOLDS_ARRAY (args_node))
            {
              g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.args: expected an array, found %s",
                           action_path, json_type_name (args_node));
              return NULL;
            }
          array = json_node_get_array (args_node);
          args = json_object_new ();
          for (guint j = 0; j < json_array_get_length (array); j++)
            {
              JsonNode *arg_node = json_array_get_element (array, j);
              g_autofree char *arg_path = g_strdup_printf ("%s.args[%u]", action_path, j);
              const char *name, *value, *value_type;
              GError *local_error = NULL;
              JsonObject *arg;
              JsonNode *decoded;

              if (!JSON_NODE_HOLDS_OBJECT (arg_node))
                {
                  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s: expected an object, found %s",
                               arg_path, json_type_name (arg_node));
                  return NULL;
                }
              arg = json_node_get_object (arg_node);
              if (!string_member (arg, arg_path, "name", TRUE, &name, error) ||
                  !string_member (arg, arg_path, "value", FALSE, &value, error) ||
                  !string_member (arg, arg_path, "value_type", FALSE, &value_type, error))
                return NULL;
              if (name == NULL)
                {
                  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.name: expected a string, found null",
                               arg_path);
                  return NULL;
                }
              decoded = sigma_json_decode_value (value, value_type, lenient, leniencies, &local_error);
              if (decoded == NULL)
                {
                  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s.%s: %s", arg_path,
                               value_type == NULL && value != NULL ? "value_type" : "value", local_error->message);
                  g_error_free (local_error);
                  return NULL;
                }
              json_object_set_member (args, name, decoded);
            }
          json_object_seal (args);
        }
    }

  node = json_object_get_member (object, "metadata");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autofree char *meta_path = g_strdup_printf ("%s.metadata", path);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s: expected an object, found %s", meta_path,
                       json_type_name (node));
          return NULL;
        }
      metadata = json_node_get_object (node);
      if (!string_member (metadata, meta_path, "return_value", FALSE, &return_text, error) ||
          !string_member (metadata, meta_path, "return_value_type", FALSE, &text, error) ||
          !string_member (metadata, meta_path, "exception", FALSE, &exception, error) ||
          !string_member (metadata, meta_path, "exception_stack_trace", FALSE, &text, error))
        return NULL;
    }

  if (exception != NULL)
    {
      failure = g_error_new_literal (SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED, exception);
      return_value = NULL;
    }
  else if (type == SIGMA_EVENT_TYPE_CONDITION)
    /* str(True) when the check held; a falsy value is exported as null */
    return_value = json_node_init_boolean (json_node_alloc (), return_text != NULL && g_strcmp0 (return_text, "False") != 0);
  else if (return_text != NULL)
    {
      return_value = json_node_alloc ();
      json_node_init_string (return_value, return_text);
    }
  else
    return_value = json_node_init_null (json_node_alloc ());

  id = g_ref_string_new (event_id);
  return sigma_completed_event_new (id, type, time,
                                    app != NULL ? g_intern_string (app) : NULL,
                                    function != NULL ? g_intern_string (function) : NULL,
                                    args, return_value, failure, operation);
}

SigmaEventLog *
sigma_json_scenario_build_trace_log (SigmaJsonScenario  *self,
                                     GError            **error)
{
  g_autoptr(SigmaEventLog) log = sigma_event_log_new ();
  g_autoptr(GHashTable) app_classes = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean lenient = (self->flags & SIGMA_JSON_LENIENT) != 0;

  for (guint i = 0; i < self->apps->len; i++)
    {
      SigmaJsonApp *app = g_ptr_array_index (self->apps, i);

      g_hash_table_insert (app_classes, app->name, app->class_name != NULL ? app->class_name : app->name);
    }
  g_hash_table_insert (app_classes, (gpointer) "SystemApp", (gpointer) "SystemApp");
  g_hash_table_insert (app_classes, (gpointer) "AgentUserInterface", (gpointer) "AgentUserInterface");

  for (guint i = 0; self->completed != NULL && i < json_array_get_length (self->completed); i++)
    {
      JsonNode *node = json_array_get_element (self->completed, i);
      g_autofree char *path = g_strdup_printf ("completed_events[%u]", i);
      g_autoptr(SigmaCompletedEvent) event = NULL;
      guint leniencies = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s: expected an object", path);
          return NULL;
        }
      event = sigma_json_completed_event_from_json (json_node_get_object (node), app_classes, lenient, path,
                                                    &leniencies, error);
      if (event == NULL)
        return NULL;
      /* ENV and USER records are completions of the scenario's own events */
      sigma_event_log_append (log, event);
    }
  return g_steal_pointer (&log);
}

/**
 * sigma_json_scenario_load_trace_log:
 * @self: a #SigmaJsonScenario
 * @error: return location for a #GError
 *
 * Reads the trace's `completed_events` (scenario-json.md §9.1) into an event log, in file
 * order, so that a recorded run can be judged (sigma_json_scenario_judge_log()). Arguments
 * are decoded by their `value_type`; return values stay the exported text (Python `str()`),
 * and a check of a condition is %TRUE when its exported return value is. A non-null
 * `exception` makes the event a failure.
 *
 * Returns: (transfer full): the log (empty for a pristine scenario), or %NULL with @error set
 */
SigmaEventLog *
sigma_json_scenario_load_trace_log (SigmaJsonScenario  *self,
                                    GError            **error)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return sigma_json_scenario_build_trace_log (self, error);
}

/* ------------------------------------------------------------------------------------ */
/* Writing                                                                              */

typedef struct
{
  GString *out;
} Writer;

static void
w_key (Writer     *w,
       gboolean   *first,
       const char *key)
{
  JsonNode *name;

  if (!*first)
    g_string_append (w->out, ", ");
  *first = FALSE;
  name = json_node_alloc ();
  json_node_init_string (name, key);
  sigma_json_dumps_append (w->out, name);
  json_node_unref (name);
  g_string_append (w->out, ": ");
}

static void
w_string (Writer     *w,
          const char *value)
{
  if (value == NULL)
    g_string_append (w->out, "null");
  else
    {
      JsonNode *node = json_node_alloc ();

      json_node_init_string (node, value);
      sigma_json_dumps_append (w->out, node);
      json_node_unref (node);
    }
}

static void
w_double (Writer  *w,
          gdouble  value)
{
  sigma_py_float_repr_append (w->out, value);
}

static void
w_node (Writer   *w,
        JsonNode *node)
{
  if (node == NULL)
    g_string_append (w->out, "null");
  else
    sigma_json_dumps_append (w->out, node);
}

static void
w_member_node (Writer     *w,
               gboolean   *first,
               JsonObject *object,
               const char *name)
{
  w_key (w, first, name);
  w_node (w, object != NULL ? json_object_get_member (object, name) : NULL);
}

static const char *
type_name (SigmaEventType type)
{
  static const char * const names[] = { "AGENT", "ENV", "USER", "CONDITION", "VALIDATION", "STOP" };

  return (guint) type < G_N_ELEMENTS (names) ? names[type] : "ENV";
}

static const char *
app_class_for (SigmaEnvironment *env,
               const char       *app_name)
{
  SigmaApp *app = env != NULL && app_name != NULL ? sigma_environment_get_app (env, app_name) : NULL;

  if (app == NULL)
    return app_name;
  return sigma_app_get_class_name (app) != NULL ? sigma_app_get_class_name (app) : app_name;
}

static void
write_completed_event (Writer              *w,
                       SigmaCompletedEvent *event,
                       SigmaEnvironment    *env)
{
  SigmaEventType type = sigma_completed_event_get_event_type (event);
  const char *app = sigma_completed_event_get_app_name (event);
  const char *function = sigma_completed_event_get_function (event);
  const char *id = sigma_completed_event_get_event_id (event);
  gboolean first = TRUE;
  gboolean afirst = TRUE;
  gboolean mfirst = TRUE;
  const char *rv_type = NULL;
  g_autofree char *rv = NULL;
  g_autofree char *action_id = NULL;

  g_string_append_c (w->out, '{');
  w_key (w, &first, "class_name");
  w_string (w, "CompletedEvent");
  w_key (w, &first, "event_type");
  w_string (w, type_name (type));
  w_key (w, &first, "event_time");
  w_double (w, sigma_completed_event_get_event_time (event));
  w_key (w, &first, "event_id");
  w_string (w, id);
  w_key (w, &first, "dependencies");
  g_string_append (w->out, "[]");
  w_key (w, &first, "event_relative_time");
  g_string_append (w->out, "null");

  w_key (w, &first, "action");
  if (type == SIGMA_EVENT_TYPE_CONDITION)
    {
      action_id = g_strdup_printf ("ConditionCheckAction.%s-%s", function != NULL ? function : "", id);
      g_string_append_c (w->out, '{');
      w_key (w, &afirst, "action_id");
      w_string (w, action_id);
      w_key (w, &afirst, "app");
      g_string_append (w->out, "null");
      w_key (w, &afirst, "function");
      w_string (w, function);
      w_key (w, &afirst, "operation_type");
      g_string_append (w->out, "null");
      w_key (w, &afirst, "args");
      g_string_append (w->out, "null");
      g_string_append_c (w->out, '}');
    }
  else if (app != NULL || function != NULL)
    {
      JsonObject *args = sigma_completed_event_get_args (event);
      gboolean argfirst = TRUE;

      action_id = g_strdup_printf ("%s.%s-%s", app_class_for (env, app), function != NULL ? function : "", id);
      g_string_append_c (w->out, '{');
      w_key (w, &afirst, "action_id");
      w_string (w, action_id);
      w_key (w, &afirst, "app");
      w_string (w, app);
      w_key (w, &afirst, "function");
      w_string (w, function);
      w_key (w, &afirst, "operation_type");
      w_string (w, sigma_completed_event_is_write (event) ? "WRITE" : "READ");
      w_key (w, &afirst, "args");
      g_string_append_c (w->out, '[');
      if (args != NULL)
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init_ordered (&iter, args);
          while (json_object_iter_next_ordered (&iter, &name, &value))
            {
              g_autofree char *text = NULL;
              const char *value_type = NULL;
              gboolean vfirst = TRUE;

              if (g_str_equal (name, "self"))
                continue;
              sigma_json_encode_value (value, &text, &value_type);
              if (!argfirst)
                g_string_append (w->out, ", ");
              argfirst = FALSE;
              g_string_append_c (w->out, '{');
              w_key (w, &vfirst, "name");
              w_string (w, name);
              w_key (w, &vfirst, "value");
              w_string (w, text);
              w_key (w, &vfirst, "value_type");
              w_string (w, value_type);
              g_string_append_c (w->out, '}');
            }
        }
      g_string_append (w->out, "]}");
    }
  else
    g_string_append (w->out, "null");

  if (!sigma_completed_event_is_failure (event))
    rv = sigma_python_str (sigma_completed_event_get_return_value (event), &rv_type);
  w_key (w, &first, "metadata");
  g_string_append_c (w->out, '{');
  w_key (w, &mfirst, "return_value");
  w_string (w, rv);
  w_key (w, &mfirst, "return_value_type");
  w_string (w, rv != NULL ? rv_type : NULL);
  w_key (w, &mfirst, "exception");
  w_string (w, sigma_completed_event_is_failure (event) ? sigma_completed_event_get_error_message (event) : NULL);
  w_key (w, &mfirst, "exception_stack_trace");
  g_string_append (w->out, "null");
  g_string_append (w->out, "}}");
}

static const char *
default_class_name (SigmaJsonEvent *ev)
{
  switch (ev->type)
    {
    case SIGMA_EVENT_TYPE_AGENT:
      return "OracleEvent";
    case SIGMA_EVENT_TYPE_CONDITION:
      return "ConditionCheckEvent";
    default:
      return "Event";
    }
}

static void
write_event (Writer         *w,
             SigmaJsonEvent *ev)
{
  JsonNode *class_node = json_object_get_member (ev->json, "class_name");
  JsonNode *action = json_object_get_member (ev->json, "action");
  gboolean first = TRUE;

  g_string_append_c (w->out, '{');
  w_key (w, &first, "class_name");
  w_string (w, is_string (class_node) ? json_node_get_string (class_node) : default_class_name (ev));
  w_key (w, &first, "event_type");
  w_string (w, type_name (ev->type));
  w_key (w, &first, "event_time");
  if (ev->has_time)
    w_double (w, ev->time);
  else
    g_string_append (w->out, "null");
  w_key (w, &first, "event_id");
  w_string (w, ev->id);
  w_key (w, &first, "dependencies");
  g_string_append_c (w->out, '[');
  for (guint d = 0; d < ev->deps->len; d++)
    {
      if (d > 0)
        g_string_append (w->out, ", ");
      w_string (w, ((SigmaJsonEvent *) g_ptr_array_index (ev->deps, d))->id);
    }
  g_string_append_c (w->out, ']');
  w_key (w, &first, "event_relative_time");
  if (ev->has_time)
    g_string_append (w->out, "null");
  else
    w_double (w, ev->relative);
  w_key (w, &first, "action");
  w_node (w, action);
  if (ev->type == SIGMA_EVENT_TYPE_AGENT)
    {
      static const char * const comparators[] = { NULL, "LESS_THAN", "GREATER_THAN", "EQUAL" };

      w_key (w, &first, "event_time_comparator");
      w_string (w, comparators[ev->comparator]);
    }
  g_string_append_c (w->out, '}');
}

static void
write_definition (Writer            *w,
                  SigmaJsonScenario *self,
                  SigmaEnvironment  *env)
{
  SigmaScenario *scenario = SIGMA_SCENARIO (self);
  JsonObject *def = self->definition;
  gboolean first = TRUE;
  gdouble duration = sigma_environment_get_duration (env);

  g_string_append_c (w->out, '{');
  w_key (w, &first, "scenario_id");
  w_string (w, sigma_scenario_get_scenario_id (scenario));
  w_key (w, &first, "seed");
  g_string_append_printf (w->out, "%" G_GUINT64_FORMAT, sigma_scenario_get_seed (scenario));
  w_key (w, &first, "duration");
  if (duration >= 0)
    w_double (w, duration);
  else
    g_string_append (w->out, "null");
  w_key (w, &first, "time_increment_in_seconds");
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, (gint64) sigma_scenario_get_time_increment (scenario));
  w_key (w, &first, "start_time");
  w_double (w, sigma_scenario_get_start_time (scenario));
  w_member_node (w, &first, def, "run_number");
  w_key (w, &first, "hints");
  g_string_append_c (w->out, '[');
  for (guint i = 0; i < self->hints->len; i++)
    {
      JsonObject *hint = g_ptr_array_index (self->hints, i);
      gboolean hfirst = TRUE;

      if (i > 0)
        g_string_append (w->out, ", ");
      g_string_append_c (w->out, '{');
      w_member_node (w, &hfirst, hint, "hint_type");
      w_member_node (w, &hfirst, hint, "content");
      w_member_node (w, &hfirst, hint, "associated_event_id");
      g_string_append_c (w->out, '}');
    }
  g_string_append_c (w->out, ']');
  w_member_node (w, &first, def, "config");
  {
    static const char * const flags[] = {
      "has_a2a_augmentation", "has_tool_augmentation", "has_env_events_augmentation"
    };

    for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
      {
        JsonNode *node = json_object_get_member (def, flags[i]);

        w_key (w, &first, flags[i]);
        if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
          w_node (w, node);
        else
          g_string_append (w->out, "false");
      }
  }
  w_key (w, &first, "has_exception");
  g_string_append (w->out, "false");
  w_key (w, &first, "exception_type");
  g_string_append (w->out, "null");
  w_key (w, &first, "exception_message");
  g_string_append (w->out, "null");
  w_member_node (w, &first, def, "tags");
  w_member_node (w, &first, def, "hf_metadata");
  g_string_append_c (w->out, '}');
}

static void
write_trace (Writer            *w,
             SigmaJsonScenario *self,
             SigmaEnvironment  *env)
{
  SigmaEventLog *log = sigma_environment_get_log (env);
  SigmaVerdict *verdict = g_object_get_data (G_OBJECT (env), SIGMA_JSON_VERDICT_KEY);
  gboolean first = TRUE;
  gboolean item_first;
  gboolean meta_first = TRUE;

  g_string_append_c (w->out, '{');
  w_key (w, &first, "world_logs");
  g_string_append (w->out, "[]");

  /* the initial app states, as the file gives them */
  w_key (w, &first, "apps");
  g_string_append_c (w->out, '[');
  item_first = TRUE;
  for (guint i = 0; i < self->apps->len; i++)
    {
      SigmaJsonApp *app = g_ptr_array_index (self->apps, i);
      gboolean afirst = TRUE;

      if (!item_first)
        g_string_append (w->out, ", ");
      item_first = FALSE;
      g_string_append_c (w->out, '{');
      w_key (w, &afirst, "name");
      w_string (w, app->name);
      w_key (w, &afirst, "class_name");
      w_string (w, app->class_name != NULL ? app->class_name : app->name);
      w_key (w, &afirst, "app_state");
      w_node (w, app->state);
      g_string_append_c (w->out, '}');
    }
  {
    g_autoptr(GPtrArray) apps = sigma_environment_list_apps (env);

    for (guint i = 0; i < apps->len; i++)
      {
        SigmaApp *app = g_ptr_array_index (apps, i);
        gboolean declared = FALSE;
        gboolean afirst = TRUE;

        for (guint j = 0; j < self->apps->len && !declared; j++)
          declared = g_str_equal (((SigmaJsonApp *) g_ptr_array_index (self->apps, j))->name,
                                  sigma_app_get_name (app));
        if (declared)
          continue;
        if (!item_first)
          g_string_append (w->out, ", ");
        item_first = FALSE;
        g_string_append_c (w->out, '{');
        w_key (w, &afirst, "name");
        w_string (w, sigma_app_get_name (app));
        w_key (w, &afirst, "class_name");
        w_string (w, sigma_app_get_class_name (app) != NULL ? sigma_app_get_class_name (app)
                                                             : sigma_app_get_name (app));
        w_key (w, &afirst, "app_state");
        g_string_append (w->out, "{}");
        g_string_append_c (w->out, '}');
      }
  }
  g_string_append_c (w->out, ']');

  /* the scenario DAG as written, in ARE's order */
  w_key (w, &first, "events");
  g_string_append_c (w->out, '[');
  for (guint i = 0; i < self->events->len; i++)
    {
      if (i > 0)
        g_string_append (w->out, ", ");
      write_event (w, g_ptr_array_index (self->events, i));
    }
  g_string_append_c (w->out, ']');

  w_key (w, &first, "completed_events");
  g_string_append_c (w->out, '[');
  item_first = TRUE;
  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);
      SigmaEventType type = sigma_completed_event_get_event_type (event);

      if (type == SIGMA_EVENT_TYPE_VALIDATION || type == SIGMA_EVENT_TYPE_STOP)
        continue;
      if (!item_first)
        g_string_append (w->out, ", ");
      item_first = FALSE;
      write_completed_event (w, event, env);
    }
  g_string_append_c (w->out, ']');

  w_key (w, &first, "version");
  w_string (w, SIGMA_JSON_TRACE_VERSION);
  w_key (w, &first, "context");
  g_string_append (w->out, "null");
  w_key (w, &first, "augmentation");
  g_string_append (w->out, "null");

  w_key (w, &first, "metadata");
  g_string_append_c (w->out, '{');
  w_key (w, &meta_first, "definition");
  write_definition (w, self, env);
  w_member_node (w, &meta_first, self->metadata, "simulation");
  w_key (w, &meta_first, "annotation");
  if (verdict != NULL)
    {
      gboolean afirst = TRUE;

      g_string_append_c (w->out, '{');
      w_key (w, &afirst, "annotation_id");
      g_string_append (w->out, "null");
      w_key (w, &afirst, "annotator");
      g_string_append (w->out, "null");
      w_key (w, &afirst, "validation_decision");
      w_string (w, sigma_verdict_get_passed (verdict) ? "Valid" : "Invalid");
      w_key (w, &afirst, "comment");
      g_string_append (w->out, "null");
      w_key (w, &afirst, "date");
      g_string_append (w->out, "0.0");
      g_string_append_c (w->out, '}');
    }
  else
    w_node (w, json_object_get_member (self->metadata, "annotation"));
  w_member_node (w, &meta_first, self->metadata, "execution");
  w_member_node (w, &meta_first, self->metadata, "runner_config");
  g_string_append (w->out, "}}");
}

/**
 * sigma_json_scenario_export_to_data:
 * @self: a #SigmaJsonScenario
 * @env: an environment this scenario ran in
 * @length: (out) (optional): the length of the text
 * @error: return location for a #GError
 *
 * Writes the run of @env as an ARE ExportedTrace (version `are_simulation_v1`,
 * scenario-json.md §9.4), in the text form ARE writes (Python's `json.dumps()`):
 *
 * - `apps`: the initial app states, as the file gave them;
 * - `events`: the scenario DAG as written, in ARE's order (ARE's importer rebuilds the turn
 *   gates of a multi-turn scenario itself, and it cannot re-import them);
 * - `completed_events`: the whole log (agent, ENV, USER and CONDITION events, failed calls
 *   with their `exception`), arguments as Python writes them (§6.4), return values as
 *   Python's `str()`;
 * - `metadata.annotation.validation_decision`: "Valid" or "Invalid" when @env was judged by
 *   sigma_scenario_validate() (the date is 0, so that exports are reproducible).
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
sigma_json_scenario_export_to_data (SigmaJsonScenario  *self,
                                    SigmaEnvironment   *env,
                                    gsize              *length,
                                    GError            **error)
{
  Writer w;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  w.out = g_string_sized_new (self->root != NULL ? 1 << 20 : 4096);
  write_trace (&w, self, env);
  if (length != NULL)
    *length = w.out->len;
  return g_string_free (w.out, FALSE);
}

/**
 * sigma_json_scenario_export:
 * @self: a #SigmaJsonScenario
 * @env: an environment this scenario ran in
 * @error: return location for a #GError
 *
 * The run of @env as an ARE ExportedTrace document; see
 * sigma_json_scenario_export_to_data().
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
JsonNode *
sigma_json_scenario_export (SigmaJsonScenario  *self,
                            SigmaEnvironment   *env,
                            GError            **error)
{
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = sigma_json_scenario_export_to_data (self, env, &length, error);
  if (text == NULL)
    return NULL;
  return sigma_json_parse (text, length, SIGMA_JSON_PARSE_PYTHON_CONSTANTS, error);
}

/**
 * sigma_json_scenario_export_to_file:
 * @self: a #SigmaJsonScenario
 * @env: an environment this scenario ran in
 * @path: (type filename): the file to write
 * @error: return location for a #GError
 *
 * Writes the run of @env to @path as an ARE ExportedTrace; see
 * sigma_json_scenario_export_to_data().
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_json_scenario_export_to_file (SigmaJsonScenario  *self,
                                    SigmaEnvironment   *env,
                                    const char         *path,
                                    GError            **error)
{
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = sigma_json_scenario_export_to_data (self, env, &length, error);
  if (text == NULL)
    return FALSE;
  return g_file_set_contents (path, text, (gssize) length, error);
}
