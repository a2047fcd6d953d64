/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-app-private.h"
#include "sigma-clock.h"
#include "sigma-enum-types.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-event-log.h"
#include "sigma-event-private.h"
#include "sigma-event-queue.h"
#include "sigma-file-system.h"
#include "sigma-notification-system.h"
#include "sigma-tool.h"

/**
 * SigmaEnvironment:
 *
 * A simulated world: apps, a simulated clock, an event queue and the log of everything
 * that happened.
 *
 * Scenarios add apps (sigma_environment_add_app()) and schedule events
 * (sigma_environment_schedule()). sigma_environment_run() then runs the events in time order
 * until nothing is left, the duration is reached, a stop is requested or a validator fails.
 * Agents and users act through sigma_environment_call_tool(), which runs a tool at the
 * current simulated time, and move time with sigma_environment_advance() and
 * sigma_environment_run_until(), which run every event that falls due on the way.
 *
 * The environment never sleeps and never reads the wall clock, and it numbers the events it
 * names itself from a counter, so the same scenario, seed and agent decisions produce a
 * byte-identical log. doc/kernel.md states every rule.
 *
 * An environment belongs to one thread; its signals are emitted from the calls that cause
 * them.
 *
 * Since: 0.1
 */

#define TICK_EPSILON 1e-9

struct _SigmaEnvironment
{
  GObject                parent_instance;

  SigmaClock            *clock;
  SigmaEventQueue       *queue;
  SigmaEventLog         *log;
  SigmaNotificationSystem *notifications;

  GHashTable            *apps;              /* name → SigmaApp */
  GPtrArray             *app_order;         /* SigmaApp */
  GHashTable            *events;            /* id → SigmaEvent (owned by event_order), lazy */
  guint                  n_indexed;         /* event_order[0 .. n_indexed) are in events */
  GPtrArray             *event_order;       /* SigmaEvent, in scheduling order */
  GPtrArray             *agent_validators;  /* installed SigmaAgentValidationEvent */
  GHashTable            *agent_names;       /* agent-facing name → AgentTool, lazy */
  GHashTable            *agent_tools;       /* "<app>__<tool>" → AgentTool (owned), lazy */

  SigmaCompletedEvent   *last_event;

  /* the tool of the last call: consecutive events usually call the same one */
  const char            *cached_app_name;    /* interned */
  const char            *cached_function;    /* interned */
  SigmaApp              *cached_app;
  SigmaTool             *cached_tool;
  char                  *failure_reason;

  gdouble                time;              /* what the clock shows, once started */
  gdouble                wait_timeout;      /* requested by a tool, or < 0 */
  guint64                id_counter;
  guint64                seed;
  gdouble                start_time;
  gdouble                duration;
  gdouble                time_increment;
  gint64                 tick_count;
  guint                  n_validation_queued;
  guint                  depth;

  SigmaLoopMode          loop_mode;
  SigmaEnvironmentState  state;

  guint                  exit_when_no_events : 1;
  guint                  has_author_ids : 1;    /* generated ids may collide only then */
  guint                  has_timed_notifications : 1;  /* some app collects notifications */
  guint                  oracle_mode : 1;
  guint                  stop_requested : 1;
  guint                  in_loop : 1;
};

G_DEFINE_FINAL_TYPE (SigmaEnvironment, sigma_environment, G_TYPE_OBJECT)

/* How an agent sees one tool (sigma_environment_rename_tool()). */
typedef struct
{
  char *app_name;
  char *tool_name;
  char *agent_name;          /* NULL: the original `<app>__<tool>` */
  char *agent_description;   /* NULL: the tool's own description */
} AgentTool;

static void
agent_tool_free (AgentTool *tool)
{
  g_free (tool->app_name);
  g_free (tool->tool_name);
  g_free (tool->agent_name);
  g_free (tool->agent_description);
  g_free (tool);
}

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_LOG,
  PROP_QUEUE,
  PROP_START_TIME,
  PROP_DURATION,
  PROP_TIME_INCREMENT,
  PROP_LOOP_MODE,
  PROP_EXIT_WHEN_NO_EVENTS,
  PROP_ORACLE_MODE,
  PROP_SEED,
  PROP_STATE,
  PROP_FAILURE_REASON,
  N_PROPS
};

enum {
  SIGNAL_EVENT_COMPLETED,
  SIGNAL_STATE_CHANGED,
  SIGNAL_NOTIFICATION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void release_event  (SigmaEnvironment *self,
                            SigmaEvent       *event);
static void queue_event    (SigmaEnvironment *self,
                            SigmaEvent       *event,
                            gdouble           time);
static void complete_event (SigmaEnvironment *self,
                            SigmaEvent       *event,
                            SigmaEventStatus  status);

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

static gboolean
has_ended (SigmaEnvironment *self)
{
  return self->state == SIGMA_ENVIRONMENT_STATE_STOPPED ||
         self->state == SIGMA_ENVIRONMENT_STATE_FAILED;
}

static void
set_state (SigmaEnvironment      *self,
           SigmaEnvironmentState  state)
{
  SigmaEnvironmentState old = self->state;

  if (old == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, old, state);
}

static void
fail_run (SigmaEnvironment *self,
          char             *reason)   /* (transfer full) */
{
  if (has_ended (self))
    {
      g_free (reason);
      return;
    }
  g_debug ("Run failed: %s", reason);
  g_free (self->failure_reason);
  self->failure_reason = reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_REASON]);
  set_state (self, SIGMA_ENVIRONMENT_STATE_FAILED);
}

/* "<prefix>-<counter, 8 digits at least>" without printf on the hot path. */
static GRefString *
make_id (SigmaEnvironment *self,
         const char       *prefix1,
         const char       *prefix2)
{
  char digits[24];
  char buf[256];
  guint64 n = ++self->id_counter;
  gsize pos = 0, nd = 0, len1 = strlen (prefix1), len2 = prefix2 != NULL ? strlen (prefix2) : 0;

  if (len1 + len2 + 24 >= sizeof buf)
    {
      g_autofree char *s = g_strdup_printf ("%s%s-%08" G_GUINT64_FORMAT, prefix1,
                                            prefix2 != NULL ? prefix2 : "", n);
      return g_ref_string_new (s);
    }

  do
    {
      digits[nd++] = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n > 0);
  while (nd < 8)
    digits[nd++] = '0';

  memcpy (buf, prefix1, len1);
  pos = len1;
  if (len2 > 0)
    {
      memcpy (buf + pos, prefix2, len2);
      pos += len2;
    }
  buf[pos++] = '-';
  while (nd > 0)
    buf[pos++] = digits[--nd];
  buf[pos] = '\0';

  return g_ref_string_new (buf);
}

static GHashTable *event_index (SigmaEnvironment *self);

/* Numbers an event without an id; its id, `<Class>-<TYPE>-<number>`, is only built when
 * somebody asks for it (sigma_event_ensure_id()). */
static guint64
number_event (SigmaEnvironment *self,
              SigmaEvent       *event)
{
  for (;;)
    {
      guint64 number = ++self->id_counter;
      char buf[96];

      if (!self->has_author_ids)
        return number;
      /* an author may have used an id of the generated form */
      sigma_format_generated_id (buf, sizeof buf, sigma_event_id_prefix (event), number);
      if (!g_hash_table_contains (event_index (self), buf))
        return number;
    }
}

/* A readable name for an event in error messages, even before it has an id. */
static char *
describe_event (SigmaEvent *event)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);

  if (priv->id != NULL || priv->id_number != 0)
    return g_strdup_printf ("'%s'", sigma_event_ensure_id (event));

  switch (priv->kind)
    {
    case SIGMA_EVENT_KIND_ACTION:
      {
        SigmaActionEvent *action = SIGMA_ACTION_EVENT (event);
        return g_strdup_printf ("%s event %s.%s (no id)", sigma_event_type_name (priv->type),
                                action->app_name, action->function);
      }
    case SIGMA_EVENT_KIND_ORACLE:
      {
        SigmaOracleEvent *oracle = SIGMA_ORACLE_EVENT (event);
        return g_strdup_printf ("oracle event %s.%s (no id)", oracle->app_name, oracle->function);
      }
    case SIGMA_EVENT_KIND_CONDITION:
      return g_strdup_printf ("condition '%s' (no id)", SIGMA_CONDITION_EVENT (event)->check.name);
    default:
      return g_strdup_printf ("%s event (no id)", sigma_event_id_prefix (event));
    }
}

static gint64
tick_index (SigmaEnvironment *self,
            gdouble           time,
            gboolean          round_up)
{
  gdouble x = (time - self->start_time) / self->time_increment;

  if (x <= 0)
    return 0;
  return round_up ? (gint64) ceil (x - TICK_EPSILON) : (gint64) floor (x + TICK_EPSILON);
}

static gdouble
tick_time (SigmaEnvironment *self,
           gint64            tick)
{
  return self->start_time + (gdouble) tick * self->time_increment;
}

/* The environment is the only one that moves its clock, so it keeps the time it set. */
static inline gdouble
now (SigmaEnvironment *self)
{
  return self->state == SIGMA_ENVIRONMENT_STATE_SETUP ? self->start_time : self->time;
}

static void
move_clock (SigmaEnvironment *self,
            gdouble           time)
{
  if (!sigma_clock_set_time (self->clock, time))
    g_critical ("Sigma: the clock refused to move from %.17g to %.17g",
                sigma_clock_get_time (self->clock), time);
  self->time = sigma_clock_get_time (self->clock);
}

static gdouble
end_time (SigmaEnvironment *self)
{
  return self->duration >= 0 ? self->start_time + self->duration : INFINITY;
}

/* ------------------------------------------------------------------------------------ */
/* Logging and agent validators                                                         */

static char *
fail_reason_prefix (SigmaEvent *event,
                    const char *what)
{
  return g_strdup_printf ("%s '%s'", what, sigma_event_ensure_id (event));
}

static void
run_agent_validators (SigmaEnvironment    *self,
                      SigmaCompletedEvent *completed)
{
  for (guint i = 0; i < self->agent_validators->len && !has_ended (self); i++)
    {
      SigmaAgentValidationEvent *av = g_ptr_array_index (self->agent_validators, i);
      gint64 count = self->tick_count - av->start_tick;
      gboolean timed_out = av->timeout != SIGMA_TIMEOUT_NONE && count >= av->timeout;
      g_autofree char *who = fail_reason_prefix (SIGMA_EVENT (av), "Agent validation event");

      if (timed_out && av->milestones->len > 0)
        {
          SigmaCheck *open = &g_array_index (av->milestones, SigmaCheck, 0);
          fail_run (self, g_strdup_printf ("%s: milestone '%s' not achieved within %d ticks "
                                           "(agent event '%s' at tick %" G_GINT64_FORMAT ")",
                                           who, open->name, av->timeout,
                                           sigma_completed_event_get_event_id (completed),
                                           self->tick_count));
          return;
        }
      if (timed_out && av->minefields->len > 0)
        g_array_set_size (av->minefields, 0);

      for (guint m = 0; m < av->milestones->len;)
        {
          SigmaCheck *check = &g_array_index (av->milestones, SigmaCheck, m);

          if (sigma_check_eval_agent (check, self, completed))
            {
              g_ptr_array_add (av->achieved, g_strdup (check->name));
              g_array_remove_index (av->milestones, m);
            }
          else
            m++;
        }

      for (guint m = 0; m < av->minefields->len; m++)
        {
          SigmaCheck *check = &g_array_index (av->minefields, SigmaCheck, m);

          if (sigma_check_eval_agent (check, self, completed))
            {
              fail_run (self, g_strdup_printf ("%s: minefield '%s' triggered by agent event '%s' at t=%.17g",
                                               who, check->name,
                                               sigma_completed_event_get_event_id (completed),
                                               sigma_completed_event_get_event_time (completed)));
              return;
            }
        }
    }
}

static void
push_notification (SigmaEnvironment  *self,
                   SigmaNotification *notification)
{
  sigma_notification_system_push (self->notifications, notification);
  g_signal_emit (self, signals[SIGNAL_NOTIFICATION], 0, notification);
}

/* The notification a completed event raises, if its app describes one. */
static void
notify_for_event (SigmaEnvironment    *self,
                  SigmaCompletedEvent *completed)
{
  const char *app_name = sigma_completed_event_get_app_name (completed);
  SigmaApp *app;
  SigmaAppClass *klass;
  SigmaMessageType type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;
  g_autofree char *message = NULL;
  g_autoptr(SigmaNotification) notification = NULL;

  if (app_name == NULL)
    return;
  app = app_name == self->cached_app_name ? self->cached_app : g_hash_table_lookup (self->apps, app_name);
  if (app == NULL)
    return;
  klass = SIGMA_APP_GET_CLASS (app);
  if (klass->describe_notification == NULL)
    return;
  message = klass->describe_notification (app, completed,
                                          sigma_notification_system_get_verbosity (self->notifications),
                                          &type);
  if (message == NULL)
    return;
  notification = sigma_notification_new (type, message, sigma_completed_event_get_event_time (completed));
  push_notification (self, notification);
}

/* Time-triggered notifications (due reminders, wait timeouts) up to now. */
static void
collect_notifications (SigmaEnvironment *self)
{
  for (guint i = 0; i < self->app_order->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (self->app_order, i);
      SigmaAppClass *klass = SIGMA_APP_GET_CLASS (app);
      g_autoptr(GPtrArray) due = NULL;

      if (klass->collect_notifications == NULL)
        continue;
      due = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_notification_unref);
      klass->collect_notifications (app, now (self), due);
      for (guint n = 0; n < due->len; n++)
        push_notification (self, g_ptr_array_index (due, n));
    }
}

static void
log_event (SigmaEnvironment    *self,
           SigmaCompletedEvent *completed)   /* (transfer full) */
{
  sigma_event_log_append (self->log, completed);
  g_clear_pointer (&self->last_event, sigma_completed_event_unref);
  self->last_event = completed;

  if (sigma_completed_event_get_event_type (completed) == SIGMA_EVENT_TYPE_AGENT)
    run_agent_validators (self, completed);
  if (!sigma_completed_event_is_failure (completed))
    notify_for_event (self, completed);

  g_signal_emit (self, signals[SIGNAL_EVENT_COMPLETED], 0, completed);
}

/* ------------------------------------------------------------------------------------ */
/* Placeholders                                                                         */

/* Returns the text between "{{" and "}}" when the whole (trimmed) value is a placeholder. */
static gboolean
parse_placeholder (const char  *value,
                   const char **inner,
                   gsize       *inner_len)
{
  const char *start = value;
  const char *end;

  while (g_ascii_isspace (*start))
    start++;
  if (start[0] != '{' || start[1] != '{')
    return FALSE;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (end - start < 4 || end[-1] != '}' || end[-2] != '}')
    return FALSE;
  *inner = start + 2;
  *inner_len = (gsize) (end - start) - 4;
  return TRUE;
}

static gboolean
args_have_placeholder (JsonObject *args)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  const char *inner;
  gsize len;

  json_object_iter_init_ordered (&iter, args);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          parse_placeholder (json_node_get_string (node), &inner, &len))
        return TRUE;
    }
  return FALSE;
}

static JsonNode *
resolve_one (SigmaEnvironment  *self,
             const char        *arg_name,
             const char        *raw,
             const char        *inner,
             gsize              inner_len,
             GError           **error)
{
  g_autofree char *text = g_strndup (inner, inner_len);
  g_auto(GStrv) parts = g_strsplit (text, ".", -1);
  SigmaCompletedEvent *source;
  JsonNode *value;

  source = sigma_event_log_lookup (self->log, parts[0]);
  if (source == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_PLACEHOLDER,
                   "Argument '%s': placeholder '%s' refers to event '%s', which has not completed",
                   arg_name, raw, parts[0]);
      return NULL;
    }
  value = sigma_completed_event_get_return_value (source);
  if (value == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_PLACEHOLDER,
                   "Argument '%s': placeholder '%s' refers to event '%s', which failed and has no return value",
                   arg_name, raw, parts[0]);
      return NULL;
    }
  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (value) ||
          !json_object_has_member (json_node_get_object (value), parts[i]))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_PLACEHOLDER,
                       "Argument '%s': placeholder '%s': the return value of event '%s' has no key '%s'",
                       arg_name, raw, parts[0], parts[i]);
          return NULL;
        }
      value = json_object_get_member (json_node_get_object (value), parts[i]);
    }
  return json_node_copy (value);
}

/* Returns the arguments with placeholders replaced (a new object), @args itself when it holds
 * none, or NULL with @error set. */
static JsonObject *
resolve_placeholders (SigmaEnvironment  *self,
                      JsonObject        *args,
                      GError           **error)
{
  g_autoptr(JsonObject) resolved = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (!args_have_placeholder (args))
    return json_object_ref (args);

  resolved = json_object_new ();
  json_object_iter_init_ordered (&iter, args);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      const char *inner;
      gsize len;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          parse_placeholder (json_node_get_string (node), &inner, &len))
        {
          JsonNode *value = resolve_one (self, name, json_node_get_string (node), inner, len, error);

          if (value == NULL)
            return NULL;
          json_object_set_member (resolved, name, value);
        }
      else
        json_object_set_member (resolved, name, json_node_copy (node));
    }
  return g_steal_pointer (&resolved);
}

/* ------------------------------------------------------------------------------------ */
/* Running actions                                                                      */

static SigmaCompletedEvent *
execute_action (SigmaEnvironment  *self,
                GRefString        *id,
                SigmaEventType     type,
                const char        *app_name,   /* interned */
                const char        *function,   /* interned */
                JsonObject        *args,
                gboolean           resolve)
{
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonObject) effective = NULL;
  GError *error = NULL;
  JsonNode *result = NULL;
  gint operation = -1;
  SigmaCompletedEvent *completed;

  resolved = resolve ? resolve_placeholders (self, args, &error) : json_object_ref (args);
  if (resolved != NULL)
    {
      SigmaApp *app;
      SigmaTool *tool;

      if (app_name == self->cached_app_name && function == self->cached_function)
        {
          app = self->cached_app;
          tool = self->cached_tool;
        }
      else
        {
          app = g_hash_table_lookup (self->apps, app_name);
          tool = app != NULL ? sigma_app_lookup_tool (app, function) : NULL;
          if (tool != NULL)
            {
              /* apps and tools are never removed, so the cache cannot go stale */
              self->cached_app_name = app_name;
              self->cached_function = function;
              self->cached_app = app;
              self->cached_tool = tool;
            }
        }

      if (app == NULL)
        g_set_error (&error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP,
                     "No app named '%s' in the environment", app_name);
      else if (tool == NULL)
        g_set_error (&error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_TOOL,
                     "App '%s' has no tool '%s'", app_name, function);
      else
        {
          operation = sigma_tool_get_operation (tool);
          self->depth++;
          result = sigma_app_invoke_tool (app, tool, resolved, &effective, &error);
          self->depth--;
        }
    }

  completed = sigma_completed_event_new (id, type, now (self), app_name, function,
                                         effective != NULL ? effective :
                                         resolved != NULL ? resolved : args,
                                         result, error, operation);
  return completed;
}

static void
run_action_event (SigmaEnvironment *self,
                  SigmaEvent       *event,
                  SigmaEventType    type,
                  const char       *app_name,
                  const char       *function,
                  JsonObject       *args)
{
  SigmaCompletedEvent *completed;
  gboolean failed;

  /* a generated id is left for the log entry to build if asked for */
  completed = execute_action (self, sigma_event_get_priv (event)->id, type, app_name, function, args, TRUE);
  sigma_completed_event_set_source (completed, event);
  failed = sigma_completed_event_is_failure (completed);
  log_event (self, completed);
  complete_event (self, event, failed ? SIGMA_EVENT_STATUS_FAILED : SIGMA_EVENT_STATUS_DONE);
}

/* ------------------------------------------------------------------------------------ */
/* Conditions and validators                                                            */

static GRefString *
strip_check_suffix (const char *id)
{
  const char *suffix = g_strrstr (id, "-CHECK_");

  if (suffix != NULL && suffix[7] != '\0')
    {
      const char *p = suffix + 7;

      while (g_ascii_isdigit (*p))
        p++;
      if (*p == '\0')
        {
          g_autofree char *base = g_strndup (id, (gsize) (suffix - id));
          return g_ref_string_new (base);
        }
    }
  return g_ref_string_new (id);
}

static GRefString *
condition_check_id (SigmaConditionEvent *cond)
{
  g_autofree char *id = g_strdup_printf ("%s-CHECK_%u", cond->base_id, cond->count);

  return g_ref_string_new (id);
}

static void
run_condition (SigmaEnvironment    *self,
               SigmaConditionEvent *cond)
{
  SigmaEvent *event = SIGMA_EVENT (cond);
  SigmaEventPrivate *priv = sigma_event_get_priv (event);
  gboolean ok;

  cond->count++;
  ok = sigma_check_eval_env (&cond->check, self);
  {
    SigmaCompletedEvent *check = sigma_completed_event_new (cond->check_id, SIGMA_EVENT_TYPE_CONDITION, now (self),
                                                            NULL, g_intern_string (cond->check.name), NULL,
                                                            json_node_init_boolean (json_node_alloc (), ok),
                                                            NULL, -1);
    sigma_completed_event_set_source (check, event);
    log_event (self, check);
  }
  if (has_ended (self))
    return;

  if (ok)
    complete_event (self, event, SIGMA_EVENT_STATUS_DONE);
  else if (cond->timeout == SIGMA_TIMEOUT_NONE ||
           (gint64) cond->count * cond->every_ticks <= (gint64) cond->timeout)
    queue_event (self, event, priv->time + cond->every_ticks * self->time_increment);
  else
    {
      g_debug ("Condition '%s' timed out after %u checks", cond->base_id, cond->count);
      priv->status = SIGMA_EVENT_STATUS_DROPPED;
    }
}

static JsonNode *
validation_result (gboolean   success,
                   GPtrArray *achieved)
{
  JsonObject *obj = json_object_new ();
  JsonArray *names = json_array_sized_new (achieved->len);
  JsonNode *node;

  json_object_set_boolean_member (obj, "success", success);
  for (guint i = 0; i < achieved->len; i++)
    json_array_add_string_element (names, g_ptr_array_index (achieved, i));
  json_object_set_array_member (obj, "achieved_milestones", names);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, obj);
  return node;
}

static void
run_validation (SigmaEnvironment     *self,
                SigmaValidationEvent *val)
{
  SigmaEvent *event = SIGMA_EVENT (val);
  SigmaEventPrivate *priv = sigma_event_get_priv (event);
  SigmaCheck *mine = NULL;
  g_autofree char *who = fail_reason_prefix (event, "Validation event");

  val->count++;

  for (guint m = 0; m < val->milestones->len;)
    {
      SigmaCheck *check = &g_array_index (val->milestones, SigmaCheck, m);

      if (sigma_check_eval_env (check, self))
        {
          g_ptr_array_add (val->achieved, g_strdup (check->name));
          g_array_remove_index (val->milestones, m);
        }
      else
        m++;
    }

  for (guint m = 0; m < val->minefields->len && mine == NULL; m++)
    {
      SigmaCheck *check = &g_array_index (val->minefields, SigmaCheck, m);

      if (sigma_check_eval_env (check, self))
        mine = check;
    }

  log_event (self, sigma_completed_event_new (sigma_event_ensure_id (event), SIGMA_EVENT_TYPE_VALIDATION, now (self),
                                              NULL, NULL, NULL,
                                              validation_result (val->milestones->len == 0 && mine == NULL,
                                                                 val->achieved),
                                              NULL, -1));

  if (mine != NULL)
    {
      priv->status = SIGMA_EVENT_STATUS_FAILED;
      fail_run (self, g_strdup_printf ("%s: minefield '%s' triggered at t=%.17g (check %u)",
                                       who, mine->name, now (self), val->count));
      return;
    }
  if (has_ended (self))
    return;

  if (val->milestones->len == 0 && val->minefields->len == 0)
    complete_event (self, event, SIGMA_EVENT_STATUS_DONE);
  else if (val->timeout != SIGMA_TIMEOUT_NONE &&
           (gint64) val->count * val->every_ticks >= (gint64) val->timeout)
    {
      if (val->milestones->len > 0)
        {
          SigmaCheck *open = &g_array_index (val->milestones, SigmaCheck, 0);

          priv->status = SIGMA_EVENT_STATUS_FAILED;
          fail_run (self, g_strdup_printf ("%s: milestone '%s' not achieved within the timeout "
                                           "(%u checks, %d ticks)",
                                           who, open->name, val->count, val->timeout));
        }
      else
        complete_event (self, event, SIGMA_EVENT_STATUS_DONE);
    }
  else
    queue_event (self, event, priv->time + val->every_ticks * self->time_increment);
}

static void
install_agent_validator (SigmaEnvironment          *self,
                         SigmaAgentValidationEvent *av)
{
  av->start_tick = self->tick_count;
  av->installed = TRUE;
  g_ptr_array_add (self->agent_validators, g_object_ref (av));
  complete_event (self, SIGMA_EVENT (av), SIGMA_EVENT_STATUS_DONE);
}

/* ------------------------------------------------------------------------------------ */
/* Dispatch                                                                             */

static void
dispatch (SigmaEnvironment *self,
          SigmaEvent       *event)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);

  switch ((SigmaEventKind) priv->kind)
    {
    case SIGMA_EVENT_KIND_ACTION:
      {
        SigmaActionEvent *action = (SigmaActionEvent *) event;
        run_action_event (self, event, priv->type, action->app_name, action->function, action->args);
        break;
      }
    case SIGMA_EVENT_KIND_ORACLE:
      {
        SigmaOracleEvent *oracle = (SigmaOracleEvent *) event;

        if (self->oracle_mode)
          run_action_event (self, event, SIGMA_EVENT_TYPE_AGENT, oracle->app_name, oracle->function, oracle->args);
        else
          priv->status = SIGMA_EVENT_STATUS_DROPPED;
        break;
      }
    case SIGMA_EVENT_KIND_CONDITION:
      run_condition (self, (SigmaConditionEvent *) event);
      break;
    case SIGMA_EVENT_KIND_VALIDATION:
      run_validation (self, (SigmaValidationEvent *) event);
      break;
    case SIGMA_EVENT_KIND_AGENT_VALIDATION:
      install_agent_validator (self, (SigmaAgentValidationEvent *) event);
      break;
    case SIGMA_EVENT_KIND_STOP:
      log_event (self, sigma_completed_event_new (sigma_event_ensure_id (event), SIGMA_EVENT_TYPE_STOP, now (self),
                                                  NULL, NULL, NULL, json_node_new (JSON_NODE_NULL),
                                                  NULL, -1));
      priv->status = SIGMA_EVENT_STATUS_DONE;
      self->stop_requested = TRUE;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Releases @event's successors whose parents have now all completed. */
static void
complete_event (SigmaEnvironment *self,
                SigmaEvent       *event,
                SigmaEventStatus  status)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);

  priv->status = status;
  for (guint i = 0; i < priv->n_succs; i++)
    {
      SigmaEvent *child = priv->succs[i];
      SigmaEventPrivate *cpriv = sigma_event_get_priv (child);

      if (cpriv->env != self || cpriv->status != SIGMA_EVENT_STATUS_WAITING)
        continue;
      cpriv->ready_time = MAX (cpriv->ready_time, priv->time);
      g_assert (cpriv->pending > 0);
      if (--cpriv->pending == 0)
        release_event (self, child);
    }
}

/* Puts @event in the queue at @time. A condition is ordered by the id its next check will be
 * logged under (`<id>-CHECK_<k>`), as ARE orders it. */
static void
queue_event (SigmaEnvironment *self,
             SigmaEvent       *event,
             gdouble           time)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);

  priv->status = SIGMA_EVENT_STATUS_QUEUED;
  if (priv->kind == SIGMA_EVENT_KIND_CONDITION)
    {
      SigmaConditionEvent *cond = (SigmaConditionEvent *) event;

      if (cond->base_id == NULL)
        cond->base_id = strip_check_suffix (sigma_event_ensure_id (event));
      g_clear_pointer (&cond->check_id, g_ref_string_release);
      cond->check_id = condition_check_id (cond);
      sigma_event_queue_push_keyed (self->queue, event, time, cond->check_id);
      return;
    }
  if (priv->kind == SIGMA_EVENT_KIND_VALIDATION)
    self->n_validation_queued++;
  sigma_event_queue_push_at (self->queue, event, time);
}

/* Gives a ready event its time and queues it. */
static void
release_event (SigmaEnvironment *self,
               SigmaEvent       *event)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);
  gdouble floor_time, time;

  /* Before the start, now() is the start time (see set_start_time for changes). */
  floor_time = now (self);
  if (priv->time_absolute)
    time = priv->time;
  else if (priv->n_deps == 0)
    time = floor_time + priv->delay;
  else
    time = priv->ready_time + priv->delay;
  if (time < floor_time)
    time = floor_time;

  queue_event (self, event, time);
}

/* Run every queued event due at or before @time; the clock already shows @time. */
static void
process_due (SigmaEnvironment *self,
             gdouble           time)
{
  gdouble t;

  while (self->state == SIGMA_ENVIRONMENT_STATE_RUNNING && !self->stop_requested &&
         sigma_event_queue_peek_time (self->queue, &t) && t <= time)
    {
      /* borrowed: event_order keeps it alive */
      SigmaEvent *event = sigma_event_queue_pop_internal (self->queue);

      if (sigma_event_get_priv (event)->kind == SIGMA_EVENT_KIND_VALIDATION)
        self->n_validation_queued--;
      dispatch (self, event);
    }
}

/* Only minefield watches (validation events without open milestones, checked at least once)
 * are queued: nothing left can succeed or release anything. */
static gboolean
only_watches_left (SigmaEnvironment *self)
{
  g_autoptr(GPtrArray) queued = NULL;

  if (sigma_event_queue_get_length (self->queue) != self->n_validation_queued)
    return FALSE;
  queued = sigma_event_queue_to_array (self->queue);
  for (guint i = 0; i < queued->len; i++)
    {
      SigmaValidationEvent *val = g_ptr_array_index (queued, i);
      if (val->milestones->len > 0 || val->count == 0)
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Scheduling                                                                           */

/* Events are indexed by id lazily: a run that never looks an event up by id (no author ids,
 * no dependency ids, no lookup_event) never pays for a million hash insertions. */
static GHashTable *
event_index (SigmaEnvironment *self)
{
  for (; self->n_indexed < self->event_order->len; self->n_indexed++)
    {
      SigmaEvent *event = g_ptr_array_index (self->event_order, self->n_indexed);
      g_hash_table_insert (self->events, sigma_event_ensure_id (event), event);
    }
  return self->events;
}

static gboolean
check_event (SigmaEvent  *event,
             GError     **error)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);
  g_autofree char *name = NULL;

  if (!isfinite (priv->delay) || priv->delay < 0)
    {
      name = describe_event (event);
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                   "Event %s has an invalid delay %g: delays must be finite and >= 0",
                   name, priv->delay);
      return FALSE;
    }
  if (priv->time_absolute && (!isfinite (priv->time) || priv->time < 0))
    {
      name = describe_event (event);
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                   "Event %s has an invalid event time %g: times must be finite and >= 0",
                   name, priv->time);
      return FALSE;
    }
  if (priv->lost_deps > 0)
    {
      name = describe_event (event);
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_DEPENDENCY,
                   "Event %s depends on an event that was destroyed before it was scheduled",
                   name);
      return FALSE;
    }
  if (priv->kind == SIGMA_EVENT_KIND_CONDITION &&
      ((SigmaConditionEvent *) event)->check.func == NULL &&
      ((SigmaConditionEvent *) event)->check.closure == NULL)
    {
      name = describe_event (event);
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                   "Condition event %s has no condition", name);
      return FALSE;
    }
  if ((priv->kind == SIGMA_EVENT_KIND_ACTION && ((SigmaActionEvent *) event)->app_name == NULL) ||
      (priv->kind == SIGMA_EVENT_KIND_ORACLE && ((SigmaOracleEvent *) event)->app_name == NULL))
    {
      name = describe_event (event);
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                   "Event %s names no app or function", name);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  SigmaEvent *parent;
  SigmaEvent *child;
} Link;

typedef struct
{
  GPtrArray  *events;     /* the batch: the given events and everything linked to them */
  GArray     *id_links;   /* Link: dependencies given by id, resolved */
  GHashTable *children;   /* parent → GPtrArray of children through id_links, when any */
} Batch;

static void
batch_clear (Batch *batch)
{
  for (guint i = 0; batch->events != NULL && i < batch->events->len; i++)
    {
      SigmaEventPrivate *priv = sigma_event_get_priv (g_ptr_array_index (batch->events, i));
      priv->mark = FALSE;
      priv->scratch = 0;
    }
  g_clear_pointer (&batch->events, g_ptr_array_unref);
  g_clear_pointer (&batch->id_links, g_array_unref);
  g_clear_pointer (&batch->children, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Batch, batch_clear)

/* Pass 1: the roots, after checking that each is an event not scheduled elsewhere; marks
 * them. On failure the caller unmarks what is in @out. */
static gboolean
collect_batch (SigmaEnvironment  *self,
               GPtrArray         *roots,
               GPtrArray         *out,
               GError           **error)
{
  for (guint i = 0; i < roots->len; i++)
    {
      SigmaEvent *root = g_ptr_array_index (roots, i);
      SigmaEventPrivate *rpriv;

      if (!SIGMA_IS_EVENT (root))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                       "Item %u of the events to schedule is not a SigmaEvent", i);
          return FALSE;
        }
      rpriv = sigma_event_get_priv (root);
      if (rpriv->status != SIGMA_EVENT_STATUS_NEW && rpriv->env != self)
        {
          g_autofree char *name = describe_event (root);
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                       "Event %s is already scheduled in another environment", name);
          return FALSE;
        }

      /* already scheduled here (for instance with an event linked to it): nothing to do */
      if (rpriv->mark || rpriv->status != SIGMA_EVENT_STATUS_NEW)
        continue;
      rpriv->mark = TRUE;
      g_ptr_array_add (out, root);
    }
  return TRUE;
}

/* Appends (and marks) the new events linked to @priv's event in either direction that are
 * not collected yet. Called on every collected event in order, this is the breadth-first
 * search that completes the batch. */
static inline void
collect_linked (SigmaEventPrivate *priv,
                GPtrArray         *out)
{
  for (guint d = 0; d < priv->n_deps + priv->n_succs; d++)
    {
      SigmaEvent *other = d < priv->n_deps ? priv->deps[d] : priv->succs[d - priv->n_deps];
      SigmaEventPrivate *opriv = sigma_event_get_priv (other);

      if (opriv->status != SIGMA_EVENT_STATUS_NEW || opriv->mark)
        continue;
      opriv->mark = TRUE;
      g_ptr_array_add (out, other);
    }
}
static GPtrArray *
id_children (Batch      *batch,
             SigmaEvent *parent)
{
  return batch->children != NULL ? g_hash_table_lookup (batch->children, parent) : NULL;
}

/* Finds one cycle among the events left with unprocessed dependencies, and names it. */
static char *
describe_cycle (Batch *batch)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  SigmaEvent *cur = NULL;
  GString *out = g_string_new ("");
  guint first;

  for (guint i = 0; i < batch->events->len && cur == NULL; i++)
    if (sigma_event_get_priv (g_ptr_array_index (batch->events, i))->scratch > 0)
      cur = g_ptr_array_index (batch->events, i);
  g_assert (cur != NULL);

  /* Walk back along unprocessed dependencies until an event repeats. */
  while (!g_ptr_array_find (path, cur, &first))
    {
      SigmaEventPrivate *priv = sigma_event_get_priv (cur);
      SigmaEvent *next = NULL;

      g_ptr_array_add (path, cur);
      for (guint d = 0; d < priv->n_deps && next == NULL; d++)
        if (sigma_event_get_priv (priv->deps[d])->scratch > 0)
          next = priv->deps[d];
      for (guint l = 0; l < batch->id_links->len && next == NULL; l++)
        {
          Link *link = &g_array_index (batch->id_links, Link, l);
          if (link->child == cur && sigma_event_get_priv (link->parent)->scratch > 0)
            next = link->parent;
        }
      g_assert (next != NULL);
      cur = next;
    }

  /* path[first..] is the cycle from child to parent; print it from parent to child. */
  for (guint i = path->len; i > first; i--)
    {
      g_autofree char *name = describe_event (g_ptr_array_index (path, i - 1));
      g_string_append_printf (out, "%s -> ", name);
    }
  {
    g_autofree char *name = describe_event (g_ptr_array_index (path, path->len - 1));
    g_string_append (out, name);
  }
  return g_string_free (out, FALSE);
}

typedef struct
{
  gint  index;
  gint  low;
  guint next_child;
  guint scc;
  guint on_stack : 1;
} TarjanInfo;

/* Events linked into a cycle own each other (a parent holds its successors), so they could
 * never be freed. After a CYCLE error this removes the links inside every strongly connected
 * component of the events left over by Kahn's algorithm — links that can never be scheduled —
 * and nothing else. Iterative Tarjan, so a long cycle cannot overflow the stack. */
static void
unlink_cycles (GPtrArray *leftover)
{
  g_autoptr(GHashTable) info = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GPtrArray) calls = g_ptr_array_new ();
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (Link));
  gint next_index = 0;
  guint next_scc = 1;

  for (guint i = 0; i < leftover->len; i++)
    g_hash_table_insert (info, g_ptr_array_index (leftover, i), g_new0 (TarjanInfo, 1));

  for (guint i = 0; i < leftover->len; i++)
    {
      SigmaEvent *root = g_ptr_array_index (leftover, i);
      TarjanInfo *rinfo = g_hash_table_lookup (info, root);

      if (rinfo->scc != 0 || rinfo->on_stack)
        continue;

      rinfo->index = rinfo->low = ++next_index;
      rinfo->on_stack = TRUE;
      g_ptr_array_add (stack, root);
      g_ptr_array_add (calls, root);

      while (calls->len > 0)
        {
          SigmaEvent *v = g_ptr_array_index (calls, calls->len - 1);
          SigmaEventPrivate *vpriv = sigma_event_get_priv (v);
          TarjanInfo *vinfo = g_hash_table_lookup (info, v);
          gboolean descended = FALSE;

          while (vinfo->next_child < vpriv->n_succs && !descended)
            {
              SigmaEvent *w = vpriv->succs[vinfo->next_child++];
              TarjanInfo *winfo = g_hash_table_lookup (info, w);

              if (winfo == NULL)
                continue;
              if (winfo->index == 0)
                {
                  winfo->index = winfo->low = ++next_index;
                  winfo->on_stack = TRUE;
                  g_ptr_array_add (stack, w);
                  g_ptr_array_add (calls, w);
                  descended = TRUE;
                }
              else if (winfo->on_stack)
                vinfo->low = MIN (vinfo->low, winfo->index);
            }
          if (descended)
            continue;

          if (vinfo->low == vinfo->index)
            {
              SigmaEvent *w;
              do
                {
                  TarjanInfo *winfo;

                  w = g_ptr_array_steal_index (stack, stack->len - 1);
                  winfo = g_hash_table_lookup (info, w);
                  winfo->on_stack = FALSE;
                  winfo->scc = next_scc;
                }
              while (w != v);
              next_scc++;
            }
          g_ptr_array_set_size (calls, calls->len - 1);
          if (calls->len > 0)
            {
              TarjanInfo *uinfo = g_hash_table_lookup (info, g_ptr_array_index (calls, calls->len - 1));
              uinfo->low = MIN (uinfo->low, vinfo->low);
            }
        }
    }

  for (guint i = 0; i < leftover->len; i++)
    {
      SigmaEvent *u = g_ptr_array_index (leftover, i);
      SigmaEventPrivate *upriv = sigma_event_get_priv (u);
      TarjanInfo *uinfo = g_hash_table_lookup (info, u);

      for (guint c = 0; c < upriv->n_succs; c++)
        {
          TarjanInfo *winfo = g_hash_table_lookup (info, upriv->succs[c]);

          if (winfo != NULL && winfo->scc == uinfo->scc)
            {
              Link link = { u, upriv->succs[c] };
              g_array_append_val (doomed, link);
            }
        }
    }

  for (guint l = 0; l < doomed->len; l++)
    {
      Link *link = &g_array_index (doomed, Link, l);
      sigma_event_unlink_internal (link->parent, link->child);
    }
}

static gboolean
schedule_batch (SigmaEnvironment  *self,
                GPtrArray         *roots,
                GError           **error)
{
  g_auto(Batch) batch = { NULL, };
  g_autoptr(GHashTable) batch_ids = NULL;
  g_autoptr(GPtrArray) ready = NULL;
  gboolean needs_index = FALSE;
  guint done;

  /* Pass 1: check the roots and collect them (marked). */
  batch.events = g_ptr_array_sized_new (roots->len);
  batch.id_links = g_array_new (FALSE, FALSE, sizeof (Link));
  if (!collect_batch (self, roots, batch.events, error))
    return FALSE;
  ready = g_ptr_array_sized_new (batch.events->len);

  /* Pass 2: collect the events linked to each event of the batch (the batch grows as this
   * goes, breadth-first so the order, and so the generated ids, is deterministic); then check
   * the event, count its dependencies inside the batch (scratch, for the cycle check: every
   * new dependency is collected by now) and the ones that have not completed (pending).
   * Events without dependencies in the batch are where Kahn's algorithm starts (those with
   * ids to resolve are added once resolved). */
  for (guint i = 0; i < batch.events->len; i++)
    {
      SigmaEvent *event = g_ptr_array_index (batch.events, i);
      SigmaEventPrivate *priv = sigma_event_get_priv (event);

      collect_linked (priv, batch.events);
      if (!check_event (event, error))
        return FALSE;

      priv->pending = 0;
      priv->ready_time = -INFINITY;
      for (guint d = 0; d < priv->n_deps; d++)
        {
          SigmaEventPrivate *ppriv = sigma_event_get_priv (priv->deps[d]);

          if (ppriv->mark)
            priv->scratch++;
          if (ppriv->status == SIGMA_EVENT_STATUS_DONE || ppriv->status == SIGMA_EVENT_STATUS_FAILED)
            priv->ready_time = MAX (priv->ready_time, ppriv->time);
          else
            priv->pending++;
        }

      if (priv->id != NULL || priv->dep_ids != NULL)
        needs_index = TRUE;
      if (priv->scratch == 0 && priv->dep_ids == NULL)
        g_ptr_array_add (ready, event);
    }

  /* Author ids must be unique; dependency ids must name an event. */
  if (needs_index)
    {
      GHashTable *index = event_index (self);

      batch_ids = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < batch.events->len; i++)
        {
          SigmaEvent *event = g_ptr_array_index (batch.events, i);
          SigmaEventPrivate *priv = sigma_event_get_priv (event);

          if (priv->id == NULL)
            continue;
          if (g_hash_table_contains (index, priv->id) ||
              !g_hash_table_insert (batch_ids, priv->id, event))
            {
              g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID,
                           "Duplicate event id '%s'", priv->id);
              return FALSE;
            }
        }

      for (guint i = 0; i < batch.events->len; i++)
        {
          SigmaEvent *event = g_ptr_array_index (batch.events, i);
          SigmaEventPrivate *priv = sigma_event_get_priv (event);

          for (guint d = 0; priv->dep_ids != NULL && priv->dep_ids[d] != NULL; d++)
            {
              const char *dep_id = priv->dep_ids[d];
              SigmaEvent *parent = g_hash_table_lookup (batch_ids, dep_id);
              SigmaEventPrivate *ppriv;
              GPtrArray *children;
              Link link;

              if (parent == NULL)
                parent = g_hash_table_lookup (index, dep_id);
              if (parent == NULL)
                {
                  g_autofree char *name = describe_event (event);
                  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_DEPENDENCY,
                               "Event %s depends on unknown event '%s'", name, dep_id);
                  return FALSE;
                }
              if (parent == event)
                {
                  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_CYCLE,
                               "Dependency cycle: '%s' depends on itself", dep_id);
                  return FALSE;
                }
              ppriv = sigma_event_get_priv (parent);
              if (ppriv->mark)
                priv->scratch++;
              if (ppriv->status == SIGMA_EVENT_STATUS_DONE || ppriv->status == SIGMA_EVENT_STATUS_FAILED)
                priv->ready_time = MAX (priv->ready_time, ppriv->time);
              else
                priv->pending++;

              link.parent = parent;
              link.child = event;
              g_array_append_val (batch.id_links, link);
              if (batch.children == NULL)
                batch.children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
              children = g_hash_table_lookup (batch.children, parent);
              if (children == NULL)
                g_hash_table_insert (batch.children, parent, children = g_ptr_array_new ());
              g_ptr_array_add (children, event);
            }
          if (priv->dep_ids != NULL && priv->scratch == 0)
            g_ptr_array_add (ready, event);
        }
    }

  /* Pass 3: Kahn's algorithm over the batch; what is left over lies on a cycle. When no
   * event depends on another of the batch, there is nothing to do. */
  if (ready->len < batch.events->len)
    {
      for (done = 0; done < ready->len; done++)
        {
          SigmaEvent *event = g_ptr_array_index (ready, done);
          SigmaEventPrivate *priv = sigma_event_get_priv (event);
          GPtrArray *children = id_children (&batch, event);

          for (guint c = 0; c < priv->n_succs; c++)
            {
              SigmaEventPrivate *cpriv = sigma_event_get_priv (priv->succs[c]);
              if (cpriv->mark && --cpriv->scratch == 0)
                g_ptr_array_add (ready, priv->succs[c]);
            }
          for (guint c = 0; children != NULL && c < children->len; c++)
            if (--sigma_event_get_priv (g_ptr_array_index (children, c))->scratch == 0)
              g_ptr_array_add (ready, g_ptr_array_index (children, c));
        }
    }
  if (ready->len < batch.events->len)
    {
      g_autofree char *cycle = describe_cycle (&batch);
      g_autoptr(GPtrArray) leftover = g_ptr_array_new_with_free_func (g_object_unref);

      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_CYCLE,
                   "Dependency cycle: %s (the links of the cycle were removed)", cycle);

      /* hold every event of the cycles while their links go, then let the batch go first */
      for (guint i = 0; i < batch.events->len; i++)
        if (sigma_event_get_priv (g_ptr_array_index (batch.events, i))->scratch > 0)
          g_ptr_array_add (leftover, g_object_ref (g_ptr_array_index (batch.events, i)));
      batch_clear (&batch);
      unlink_cycles (leftover);
      return FALSE;
    }

  /* Pass 4: everything is valid; commit. */
  if (batch_ids != NULL && g_hash_table_size (batch_ids) > 0)
    self->has_author_ids = TRUE;
  for (guint l = 0; l < batch.id_links->len; l++)
    {
      Link *link = &g_array_index (batch.id_links, Link, l);
      sigma_event_link_internal (link->parent, link->child);
    }
  for (guint i = 0; i < batch.events->len; i++)
    {
      SigmaEvent *event = g_ptr_array_index (batch.events, i);
      SigmaEventPrivate *priv = sigma_event_get_priv (event);

      priv->mark = FALSE;
      if (priv->dep_ids != NULL)
        sigma_event_clear_dep_ids (event);
      if (priv->id == NULL)
        priv->id_number = number_event (self, event);
      priv->env = self;
      priv->status = SIGMA_EVENT_STATUS_WAITING;
      g_ptr_array_add (self->event_order, g_object_ref (event));
      if (priv->pending == 0)
        release_event (self, event);
    }
  /* every mark is cleared and every scratch count is back to 0: the batch has nothing left
   * to reset */
  g_clear_pointer (&batch.events, g_ptr_array_unref);

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* End of run                                                                           */

static void
finish_run (SigmaEnvironment *self)
{
  self->stop_requested = FALSE;
  if (has_ended (self))
    return;

  for (guint i = 0; i < self->agent_validators->len; i++)
    {
      SigmaAgentValidationEvent *av = g_ptr_array_index (self->agent_validators, i);

      if (av->milestones->len > 0)
        {
          g_autofree char *who = fail_reason_prefix (SIGMA_EVENT (av), "Agent validation event");
          fail_run (self, g_strdup_printf ("%s: milestone '%s' was never achieved",
                                           who, g_array_index (av->milestones, SigmaCheck, 0).name));
          return;
        }
    }

  if (self->n_validation_queued > 0)
    {
      g_autoptr(GPtrArray) queued = sigma_event_queue_to_array (self->queue);

      for (guint i = 0; i < queued->len; i++)
        {
          SigmaEvent *event = g_ptr_array_index (queued, i);
          SigmaValidationEvent *val;

          if (!SIGMA_IS_VALIDATION_EVENT (event))
            continue;
          val = SIGMA_VALIDATION_EVENT (event);
          if (val->milestones->len > 0)
            {
              g_autofree char *who = fail_reason_prefix (event, "Validation event");
              fail_run (self, g_strdup_printf ("%s: milestone '%s' was still open when the run ended",
                                               who, g_array_index (val->milestones, SigmaCheck, 0).name));
              return;
            }
        }
    }

  set_state (self, SIGMA_ENVIRONMENT_STATE_STOPPED);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
sigma_environment_constructed (GObject *object)
{
  SigmaEnvironment *self = SIGMA_ENVIRONMENT (object);

  G_OBJECT_CLASS (sigma_environment_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = sigma_clock_new (0.0);
}

static void
sigma_environment_dispose (GObject *object)
{
  SigmaEnvironment *self = SIGMA_ENVIRONMENT (object);

  if (self->app_order != NULL)
    for (guint i = 0; i < self->app_order->len; i++)
      sigma_app_set_environment (g_ptr_array_index (self->app_order, i), NULL);
  if (self->event_order != NULL)
    for (guint i = 0; i < self->event_order->len; i++)
      sigma_event_get_priv (g_ptr_array_index (self->event_order, i))->env = NULL;

  if (self->queue != NULL)
    sigma_event_queue_clear (self->queue);
  g_clear_pointer (&self->agent_validators, g_ptr_array_unref);
  g_clear_pointer (&self->agent_names, g_hash_table_unref);
  g_clear_pointer (&self->agent_tools, g_hash_table_unref);
  g_clear_pointer (&self->events, g_hash_table_unref);
  g_clear_pointer (&self->event_order, g_ptr_array_unref);
  g_clear_pointer (&self->apps, g_hash_table_unref);
  g_clear_pointer (&self->app_order, g_ptr_array_unref);
  g_clear_pointer (&self->last_event, sigma_completed_event_unref);
  g_clear_object (&self->queue);
  g_clear_object (&self->log);
  g_clear_object (&self->notifications);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (sigma_environment_parent_class)->dispose (object);
}

static void
sigma_environment_finalize (GObject *object)
{
  SigmaEnvironment *self = SIGMA_ENVIRONMENT (object);

  g_free (self->failure_reason);

  G_OBJECT_CLASS (sigma_environment_parent_class)->finalize (object);
}

static void
sigma_environment_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SigmaEnvironment *self = SIGMA_ENVIRONMENT (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_QUEUE:
      g_value_set_object (value, self->queue);
      break;
    case PROP_START_TIME:
      g_value_set_double (value, self->start_time);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_TIME_INCREMENT:
      g_value_set_double (value, self->time_increment);
      break;
    case PROP_LOOP_MODE:
      g_value_set_enum (value, self->loop_mode);
      break;
    case PROP_EXIT_WHEN_NO_EVENTS:
      g_value_set_boolean (value, self->exit_when_no_events);
      break;
    case PROP_ORACLE_MODE:
      g_value_set_boolean (value, self->oracle_mode);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FAILURE_REASON:
      g_value_set_string (value, self->failure_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_environment_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SigmaEnvironment *self = SIGMA_ENVIRONMENT (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;
    case PROP_START_TIME:
      sigma_environment_set_start_time (self, g_value_get_double (value));
      break;
    case PROP_DURATION:
      sigma_environment_set_duration (self, g_value_get_double (value));
      break;
    case PROP_TIME_INCREMENT:
      sigma_environment_set_time_increment (self, g_value_get_double (value));
      break;
    case PROP_LOOP_MODE:
      sigma_environment_set_loop_mode (self, g_value_get_enum (value));
      break;
    case PROP_EXIT_WHEN_NO_EVENTS:
      sigma_environment_set_exit_when_no_events (self, g_value_get_boolean (value));
      break;
    case PROP_ORACLE_MODE:
      sigma_environment_set_oracle_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SEED:
      sigma_environment_set_seed (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_environment_class_init (SigmaEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sigma_environment_constructed;
  object_class->dispose = sigma_environment_dispose;
  object_class->finalize = sigma_environment_finalize;
  object_class->get_property = sigma_environment_get_property;
  object_class->set_property = sigma_environment_set_property;

  /**
   * SigmaEnvironment:clock:
   *
   * The simulated clock. A plain #SigmaClock unless one is given at construction.
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, SIGMA_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:log:
   *
   * The log of completed events.
   */
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SIGMA_TYPE_EVENT_LOG,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:queue:
   *
   * The events due at a known time.
   */
  properties[PROP_QUEUE] =
    g_param_spec_object ("queue", NULL, NULL, SIGMA_TYPE_EVENT_QUEUE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:start-time:
   *
   * Where the clock starts, in seconds since the Unix epoch. Settable until the run starts.
   */
  properties[PROP_START_TIME] =
    g_param_spec_double ("start-time", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:duration:
   *
   * The simulated time limit in seconds, inclusive: events due at exactly
   * `start + duration` still run. %SIGMA_DURATION_UNLIMITED (any negative value) means no
   * limit.
   */
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, -1.0, G_MAXDOUBLE, SIGMA_DURATION_UNLIMITED,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:time-increment:
   *
   * The length of a tick in seconds (≥ 1). Conditions and validators are checked every
   * `every-ticks` ticks; tick mode advances the clock by this much.
   */
  properties[PROP_TIME_INCREMENT] =
    g_param_spec_double ("time-increment", NULL, NULL, 1.0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:loop-mode:
   *
   * How sigma_environment_run() moves time.
   */
  properties[PROP_LOOP_MODE] =
    g_param_spec_enum ("loop-mode", NULL, NULL, SIGMA_TYPE_LOOP_MODE, SIGMA_LOOP_MODE_QUEUE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:exit-when-no-events:
   *
   * Whether sigma_environment_run() ends as soon as nothing is left that could run.
   */
  properties[PROP_EXIT_WHEN_NO_EVENTS] =
    g_param_spec_boolean ("exit-when-no-events", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:oracle-mode:
   *
   * Whether oracle events run (as AGENT events) instead of being dropped.
   */
  properties[PROP_ORACLE_MODE] =
    g_param_spec_boolean ("oracle-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:seed:
   *
   * The run seed, passed on to every app.
   */
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:state:
   *
   * Where the run is in its life cycle.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SIGMA_TYPE_ENVIRONMENT_STATE,
                       SIGMA_ENVIRONMENT_STATE_SETUP,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEnvironment:failure-reason:
   *
   * Why the run failed, naming the validator; %NULL unless the state is FAILED.
   */
  properties[PROP_FAILURE_REASON] =
    g_param_spec_string ("failure-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SigmaEnvironment::event-completed:
   * @self: the environment
   * @event: the completed event, just appended to the log
   *
   * Emitted for every event appended to the log, in order. A handler may call
   * sigma_environment_pause() or sigma_environment_stop().
   */
  signals[SIGNAL_EVENT_COMPLETED] =
    g_signal_new ("event-completed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  SIGMA_TYPE_COMPLETED_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * SigmaEnvironment::notification:
   * @self: the environment
   * @notification: the notification, just queued for the agent
   *
   * Emitted when a completed event or the passing of time raises a notification.
   */
  signals[SIGNAL_NOTIFICATION] =
    g_signal_new ("notification",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  SIGMA_TYPE_NOTIFICATION | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * SigmaEnvironment::state-changed:
   * @self: the environment
   * @old_state: the previous state
   * @new_state: the new state
   *
   * Emitted when #SigmaEnvironment:state changes.
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  SIGMA_TYPE_ENVIRONMENT_STATE,
                  SIGMA_TYPE_ENVIRONMENT_STATE);
}

static void
sigma_environment_init (SigmaEnvironment *self)
{
  self->queue = sigma_event_queue_new ();
  sigma_event_queue_set_borrowed (self->queue);
  self->log = sigma_event_log_new ();
  self->notifications = sigma_notification_system_new ();
  self->wait_timeout = -1;
  self->apps = g_hash_table_new (g_str_hash, g_str_equal);
  self->app_order = g_ptr_array_new_with_free_func (g_object_unref);
  self->events = g_hash_table_new (g_str_hash, g_str_equal);
  self->event_order = g_ptr_array_new_with_free_func (g_object_unref);
  self->agent_validators = g_ptr_array_new_with_free_func (g_object_unref);
  self->duration = SIGMA_DURATION_UNLIMITED;
  self->time_increment = 1.0;
  self->loop_mode = SIGMA_LOOP_MODE_QUEUE;
  self->exit_when_no_events = TRUE;
  self->state = SIGMA_ENVIRONMENT_STATE_SETUP;
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                           */

/**
 * sigma_environment_new:
 *
 * Creates an environment with a simulated clock starting at 0.
 *
 * Returns: (transfer full): a new #SigmaEnvironment
 */
SigmaEnvironment *
sigma_environment_new (void)
{
  return g_object_new (SIGMA_TYPE_ENVIRONMENT, NULL);
}

/**
 * sigma_environment_get_clock:
 * @self: a #SigmaEnvironment
 *
 * Returns: (transfer none): the simulated clock
 */
SigmaClock *
sigma_environment_get_clock (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  return self->clock;
}

/**
 * sigma_environment_get_log:
 * @self: a #SigmaEnvironment
 *
 * Returns: (transfer none): the log of completed events
 */
SigmaEventLog *
sigma_environment_get_log (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  return self->log;
}

/**
 * sigma_environment_get_queue:
 * @self: a #SigmaEnvironment
 *
 * The queue of events due at a known time. Read it; do not push or pop.
 *
 * Returns: (transfer none): the queue
 */
SigmaEventQueue *
sigma_environment_get_queue (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  return self->queue;
}

/**
 * sigma_environment_get_time:
 * @self: a #SigmaEnvironment
 *
 * The current simulated time (the start time before the run starts).
 *
 * Returns: seconds since the Unix epoch
 */
gdouble
sigma_environment_get_time (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), 0.0);
  return now (self);
}

/**
 * sigma_environment_get_tick_count:
 * @self: a #SigmaEnvironment
 *
 * The current tick: `ceil((t − start) / increment)` for the event being run, or
 * `floor(...)` after the clock stopped between ticks.
 *
 * Returns: the tick count
 */
gint64
sigma_environment_get_tick_count (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), 0);
  return self->tick_count;
}

/**
 * sigma_environment_get_start_time:
 * @self: a #SigmaEnvironment
 *
 * Returns: the start time
 */
gdouble
sigma_environment_get_start_time (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), 0.0);
  return self->start_time;
}

/**
 * sigma_environment_set_start_time:
 * @self: a #SigmaEnvironment in the SETUP state
 * @start_time: seconds since the Unix epoch, ≥ 0
 *
 * Sets where the clock starts.
 */
void
sigma_environment_set_start_time (SigmaEnvironment *self,
                                  gdouble           start_time)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));
  g_return_if_fail (self->state == SIGMA_ENVIRONMENT_STATE_SETUP);
  g_return_if_fail (isfinite (start_time) && start_time >= 0);

  if (self->start_time == start_time)
    return;
  /* Events already queued were timed from the old start: move the relative ones. */
  sigma_event_queue_shift_relative (self->queue, start_time - self->start_time);
  self->start_time = start_time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_TIME]);
}

/**
 * sigma_environment_get_duration:
 * @self: a #SigmaEnvironment
 *
 * Returns: the duration, or %SIGMA_DURATION_UNLIMITED
 */
gdouble
sigma_environment_get_duration (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), SIGMA_DURATION_UNLIMITED);
  return self->duration;
}

/**
 * sigma_environment_set_duration:
 * @self: a #SigmaEnvironment
 * @duration: seconds of simulated time, or %SIGMA_DURATION_UNLIMITED
 *
 * Limits the run to `[start, start + duration]` (inclusive).
 */
void
sigma_environment_set_duration (SigmaEnvironment *self,
                                gdouble           duration)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));
  g_return_if_fail (!isnan (duration));

  if (duration < 0)
    duration = SIGMA_DURATION_UNLIMITED;
  if (self->duration == duration)
    return;
  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

/**
 * sigma_environment_get_time_increment:
 * @self: a #SigmaEnvironment
 *
 * Returns: the tick length in seconds
 */
gdouble
sigma_environment_get_time_increment (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), 1.0);
  return self->time_increment;
}

/**
 * sigma_environment_set_time_increment:
 * @self: a #SigmaEnvironment in the SETUP state
 * @time_increment: the tick length in seconds, ≥ 1
 *
 * Sets the tick length.
 */
void
sigma_environment_set_time_increment (SigmaEnvironment *self,
                                      gdouble           time_increment)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));
  g_return_if_fail (self->state == SIGMA_ENVIRONMENT_STATE_SETUP);
  g_return_if_fail (isfinite (time_increment) && time_increment >= 1.0);

  if (self->time_increment == time_increment)
    return;
  self->time_increment = time_increment;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_INCREMENT]);
}

/**
 * sigma_environment_get_loop_mode:
 * @self: a #SigmaEnvironment
 *
 * Returns: the loop mode
 */
SigmaLoopMode
sigma_environment_get_loop_mode (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), SIGMA_LOOP_MODE_QUEUE);
  return self->loop_mode;
}

/**
 * sigma_environment_set_loop_mode:
 * @self: a #SigmaEnvironment
 * @mode: the loop mode
 *
 * Sets how sigma_environment_run() moves time.
 */
void
sigma_environment_set_loop_mode (SigmaEnvironment *self,
                                 SigmaLoopMode     mode)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));
  g_return_if_fail (!self->in_loop);

  if (self->loop_mode == mode)
    return;
  self->loop_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP_MODE]);
}

/**
 * sigma_environment_get_exit_when_no_events:
 * @self: a #SigmaEnvironment
 *
 * Returns: whether the run ends when nothing is left to run
 */
gboolean
sigma_environment_get_exit_when_no_events (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), TRUE);
  return self->exit_when_no_events;
}

/**
 * sigma_environment_set_exit_when_no_events:
 * @self: a #SigmaEnvironment
 * @exit_when_no_events: whether the run ends when nothing is left to run
 *
 * %FALSE makes sigma_environment_run() go on until the duration is reached, idling when
 * nothing is due; such a run needs a duration.
 */
void
sigma_environment_set_exit_when_no_events (SigmaEnvironment *self,
                                           gboolean          exit_when_no_events)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));

  exit_when_no_events = !!exit_when_no_events;
  if (self->exit_when_no_events == (guint) exit_when_no_events)
    return;
  self->exit_when_no_events = exit_when_no_events;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_WHEN_NO_EVENTS]);
}

/**
 * sigma_environment_get_oracle_mode:
 * @self: a #SigmaEnvironment
 *
 * Returns: whether oracle events run
 */
gboolean
sigma_environment_get_oracle_mode (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  return self->oracle_mode;
}

/**
 * sigma_environment_set_oracle_mode:
 * @self: a #SigmaEnvironment
 * @oracle_mode: whether oracle events run
 *
 * In oracle mode, oracle events run as AGENT events under their own ids.
 */
void
sigma_environment_set_oracle_mode (SigmaEnvironment *self,
                                   gboolean          oracle_mode)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));

  oracle_mode = !!oracle_mode;
  if (self->oracle_mode == (guint) oracle_mode)
    return;
  self->oracle_mode = oracle_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORACLE_MODE]);
}

/**
 * sigma_environment_get_seed:
 * @self: a #SigmaEnvironment
 *
 * Returns: the run seed
 */
guint64
sigma_environment_get_seed (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), 0);
  return self->seed;
}

/**
 * sigma_environment_set_seed:
 * @self: a #SigmaEnvironment
 * @seed: the run seed
 *
 * Sets the run seed and reseeds every app (see sigma_app_set_seed()).
 */
void
sigma_environment_set_seed (SigmaEnvironment *self,
                            guint64           seed)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));

  self->seed = seed;
  for (guint i = 0; i < self->app_order->len; i++)
    sigma_app_set_seed (g_ptr_array_index (self->app_order, i), seed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

/**
 * sigma_environment_get_state:
 * @self: a #SigmaEnvironment
 *
 * Returns: the state
 */
SigmaEnvironmentState
sigma_environment_get_state (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), SIGMA_ENVIRONMENT_STATE_SETUP);
  return self->state;
}

/**
 * sigma_environment_get_failure_reason:
 * @self: a #SigmaEnvironment
 *
 * Returns: (nullable): why the run failed, naming the validator
 */
const char *
sigma_environment_get_failure_reason (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  return self->failure_reason;
}

/**
 * sigma_environment_add_app:
 * @self: a #SigmaEnvironment
 * @app: an app not in any environment
 * @error: return location for a #GError
 *
 * Adds an app under its name and seeds it with the run seed.
 *
 * Returns: %TRUE on success; %FALSE with %SIGMA_ERROR_DUPLICATE_ID if an app of that name
 *   is already present
 */
gboolean
sigma_environment_add_app (SigmaEnvironment  *self,
                           SigmaApp          *app,
                           GError           **error)
{
  const char *name;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_APP (app), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (sigma_app_get_environment (app) == NULL, FALSE);

  name = sigma_app_get_name (app);
  if (g_hash_table_contains (self->apps, name))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID,
                   "An app named '%s' is already in the environment", name);
      return FALSE;
    }

  g_ptr_array_add (self->app_order, g_object_ref (app));
  g_hash_table_insert (self->apps, (gpointer) g_intern_string (name), app);
  if (SIGMA_APP_GET_CLASS (app)->collect_notifications != NULL)
    self->has_timed_notifications = TRUE;
  sigma_app_set_environment (app, self);
  sigma_app_set_seed (app, self->seed);
  return TRUE;
}

/**
 * sigma_environment_get_app:
 * @self: a #SigmaEnvironment
 * @name: an app name
 *
 * Returns: (transfer none) (nullable): the app, or %NULL
 */
SigmaApp *
sigma_environment_get_app (SigmaEnvironment *self,
                           const char       *name)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (self->apps, name);
}

/**
 * sigma_environment_list_apps:
 * @self: a #SigmaEnvironment
 *
 * Returns: (transfer container) (element-type SigmaApp): the apps, in the order added
 */
GPtrArray *
sigma_environment_list_apps (SigmaEnvironment *self)
{
  GPtrArray *result;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);

  result = g_ptr_array_new_full (self->app_order->len, g_object_unref);
  for (guint i = 0; i < self->app_order->len; i++)
    g_ptr_array_add (result, g_object_ref (g_ptr_array_index (self->app_order, i)));
  return result;
}

/**
 * sigma_environment_get_file_system:
 * @self: a #SigmaEnvironment
 *
 * The file system apps share for attachments: the first app added that implements
 * #SigmaFileSystem, as ARE connects the first FILE_SYSTEM provider.
 *
 * Returns: (transfer none) (nullable): the file system
 */
SigmaFileSystem *
sigma_environment_get_file_system (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);

  for (guint i = 0; i < self->app_order->len; i++)
    if (SIGMA_IS_FILE_SYSTEM (g_ptr_array_index (self->app_order, i)))
      return SIGMA_FILE_SYSTEM (g_ptr_array_index (self->app_order, i));
  return NULL;
}

/**
 * sigma_environment_schedule:
 * @self: a #SigmaEnvironment
 * @event: an event that is not scheduled yet
 * @error: return location for a #GError
 *
 * Schedules @event together with every not-yet-scheduled event linked to it (see
 * sigma_environment_schedule_events()).
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_environment_schedule (SigmaEnvironment  *self,
                            SigmaEvent        *event,
                            GError           **error)
{
  g_autoptr(GPtrArray) one = NULL;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_EVENT (event), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  one = g_ptr_array_new ();
  g_ptr_array_add (one, event);
  return sigma_environment_schedule_events (self, one, error);
}

/**
 * sigma_environment_schedule_events:
 * @self: a #SigmaEnvironment
 * @events: (element-type SigmaEvent): events that are not scheduled yet
 * @error: return location for a #GError
 *
 * Schedules @events and every not-yet-scheduled event linked to them, transitively (events
 * already scheduled in @self are skipped, so linked events may be scheduled one by one). The
 * whole batch is checked first and nothing is scheduled unless all of it is valid:
 * %SIGMA_ERROR_INVALID_EVENT for a negative or non-finite delay or time,
 * %SIGMA_ERROR_DUPLICATE_ID for an id used twice, %SIGMA_ERROR_UNKNOWN_DEPENDENCY for a
 * dependency id that names no event, %SIGMA_ERROR_CYCLE for a dependency cycle; each
 * message names the events concerned. After a cycle error the links that form the cycle are
 * removed (events in a cycle would otherwise keep each other alive); nothing else changes.
 * Events without an id get one.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_environment_schedule_events (SigmaEnvironment  *self,
                                   GPtrArray         *events,
                                   GError           **error)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (events != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (has_ended (self))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Cannot schedule events: the run has ended");
      return FALSE;
    }
  return schedule_batch (self, events, error);
}

/**
 * sigma_environment_lookup_event:
 * @self: a #SigmaEnvironment
 * @event_id: an event id
 *
 * Returns: (transfer none) (nullable): the scheduled event with that id
 */
SigmaEvent *
sigma_environment_lookup_event (SigmaEnvironment *self,
                                const char       *event_id)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);
  return g_hash_table_lookup (event_index (self), event_id);
}

/**
 * sigma_environment_list_events:
 * @self: a #SigmaEnvironment
 *
 * Returns: (transfer container) (element-type SigmaEvent): every scheduled event, in the
 *   order they were scheduled
 */
GPtrArray *
sigma_environment_list_events (SigmaEnvironment *self)
{
  GPtrArray *result;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);

  result = g_ptr_array_new_full (self->event_order->len, g_object_unref);
  for (guint i = 0; i < self->event_order->len; i++)
    g_ptr_array_add (result, g_object_ref (g_ptr_array_index (self->event_order, i)));
  return result;
}

static gboolean
check_can_move (SigmaEnvironment  *self,
                const char        *what,
                GError           **error)
{
  if (self->in_loop)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Cannot %s from inside the run loop (a signal handler or sink)", what);
      return FALSE;
    }
  if (self->state == SIGMA_ENVIRONMENT_STATE_SETUP && !sigma_environment_start (self, error))
    return FALSE;
  if (self->state == SIGMA_ENVIRONMENT_STATE_PAUSED)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Cannot %s: the environment is paused (resume it first)", what);
      return FALSE;
    }
  if (has_ended (self))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Cannot %s: the run has ended", what);
      return FALSE;
    }
  return TRUE;
}

/**
 * sigma_environment_start:
 * @self: a #SigmaEnvironment in the SETUP state
 * @error: return location for a #GError
 *
 * Starts the run: the clock moves to the start time and the state becomes RUNNING.
 * sigma_environment_run(), advance, run_until and call_tool start the run themselves when
 * needed.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_environment_start (SigmaEnvironment  *self,
                         GError           **error)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state != SIGMA_ENVIRONMENT_STATE_SETUP)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "The run has already started");
      return FALSE;
    }
  if (sigma_clock_get_time (self->clock) > self->start_time)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "The clock (%.17g) is already past the start time (%.17g)",
                   sigma_clock_get_time (self->clock), self->start_time);
      return FALSE;
    }

  move_clock (self, self->start_time);
  self->tick_count = 0;
  set_state (self, SIGMA_ENVIRONMENT_STATE_RUNNING);

  return TRUE;
}

/* Where the next step of the loop goes, or FALSE when nothing is due before @limit. */
/* The earliest time-triggered notification an app announces after now, or +inf. */
static gdouble
next_notification_time (SigmaEnvironment *self)
{
  gdouble next = INFINITY;

  for (guint i = 0; i < self->app_order->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (self->app_order, i);
      SigmaAppClass *klass = SIGMA_APP_GET_CLASS (app);
      gdouble due;

      if (klass->get_next_notification_time == NULL)
        continue;
      due = klass->get_next_notification_time (app);
      /* a due time already reached is collected at every step: only later ones are stops */
      if (due > now (self) && due < next)
        next = due;
    }
  return next;
}

/* Where the next step of the loop goes — the next event, or the next time-triggered
 * notification, so that it is raised at its own time — or FALSE when nothing is due before
 * @limit. */
static gboolean
next_step (SigmaEnvironment *self,
           gdouble           limit,
           gdouble          *step_time)
{
  gdouble t = INFINITY;

  if (sigma_event_queue_peek_time (self->queue, &t))
    {
      if (self->loop_mode == SIGMA_LOOP_MODE_TICK)
        t = tick_time (self, tick_index (self, t, TRUE));
      t = MAX (t, now (self));
    }
  if (self->has_timed_notifications)
    t = MIN (t, next_notification_time (self));
  if (!(t <= limit))
    return FALSE;
  *step_time = t;
  return TRUE;
}

static void
step_to (SigmaEnvironment *self,
         gdouble           time)
{
  move_clock (self, time);
  self->tick_count = tick_index (self, time, TRUE);
  process_due (self, time);
  if (self->has_timed_notifications)
    collect_notifications (self);
}

/**
 * sigma_environment_run:
 * @self: a #SigmaEnvironment
 * @error: return location for a #GError
 *
 * Runs events in time order until the run ends — the duration is reached, a stop is
 * requested, a validator fails, or (with #SigmaEnvironment:exit-when-no-events) nothing is
 * left to run — or until sigma_environment_pause() is called. The final validation checks
 * then set the state to STOPPED or FAILED. A failed validation is not an error: read
 * sigma_environment_get_state().
 *
 * Returns: %TRUE on success; %FALSE with %SIGMA_ERROR_INVALID_STATE if the environment is
 *   paused, has ended, or could never end (no duration and no exit-when-no-events)
 */
gboolean
sigma_environment_run (SigmaEnvironment  *self,
                       GError           **error)
{
  gdouble limit, t;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->duration < 0 && !self->exit_when_no_events)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "This run could never end: without exit-when-no-events it needs a duration");
      return FALSE;
    }
  if (!check_can_move (self, "run", error))
    return FALSE;

  limit = end_time (self);
  self->in_loop = TRUE;
  while (self->state == SIGMA_ENVIRONMENT_STATE_RUNNING && !self->stop_requested)
    {
      if (self->exit_when_no_events &&
          (sigma_event_queue_is_empty (self->queue) ||
           (self->n_validation_queued > 0 && only_watches_left (self))))
        break;
      if (!next_step (self, limit, &t))
        {
          /* Without exit-when-no-events the world idles until the end of the duration (in
           * tick mode, the last tick within it). */
          if (!self->exit_when_no_events)
            {
              gdouble last = self->loop_mode == SIGMA_LOOP_MODE_TICK
                             ? tick_time (self, tick_index (self, limit, FALSE)) : limit;
              if (last > now (self))
                {
                  move_clock (self, last);
                  self->tick_count = tick_index (self, last, FALSE);
                }
            }
          break;
        }
      step_to (self, t);
    }
  self->in_loop = FALSE;

  if (self->state == SIGMA_ENVIRONMENT_STATE_RUNNING)
    finish_run (self);
  else if (self->stop_requested)
    finish_run (self);
  return TRUE;
}

/**
 * sigma_environment_run_until:
 * @self: a #SigmaEnvironment
 * @time: the time to move to
 * @error: return location for a #GError
 *
 * Moves the clock to @time, running every event that falls due on the way, in order, each
 * at its own time. If the duration ends before @time the run ends there. If a handler pauses
 * or stops the environment, the clock stays where that happened.
 *
 * Returns: %TRUE on success; %FALSE with %SIGMA_ERROR_INVALID_STATE if the environment is
 *   paused or has ended, or %SIGMA_ERROR_INVALID_ARGUMENT if @time lies in the past
 */
gboolean
sigma_environment_run_until (SigmaEnvironment  *self,
                             gdouble            time,
                             GError           **error)
{
  gdouble limit, stop_at, t;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_can_move (self, "move the clock", error))
    return FALSE;
  if (!isfinite (time) || time < now (self))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Cannot move the clock to %.17g: the current time is %.17g",
                   time, now (self));
      return FALSE;
    }

  limit = end_time (self);
  stop_at = MIN (time, limit);
  self->in_loop = TRUE;
  while (self->state == SIGMA_ENVIRONMENT_STATE_RUNNING && !self->stop_requested &&
         next_step (self, stop_at, &t))
    step_to (self, t);
  self->in_loop = FALSE;

  if (self->state == SIGMA_ENVIRONMENT_STATE_RUNNING && !self->stop_requested)
    {
      move_clock (self, stop_at);
      self->tick_count = tick_index (self, stop_at, FALSE);
      if (self->has_timed_notifications)
        collect_notifications (self);
      if (time >= limit)
        finish_run (self);
    }
  else if (self->stop_requested)
    finish_run (self);
  return TRUE;
}

/**
 * sigma_environment_advance:
 * @self: a #SigmaEnvironment
 * @seconds: how far to move the clock, ≥ 0
 * @error: return location for a #GError
 *
 * sigma_environment_run_until() the current time plus @seconds.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_environment_advance (SigmaEnvironment  *self,
                           gdouble            seconds,
                           GError           **error)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!isfinite (seconds) || seconds < 0)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Cannot advance the clock by %g seconds", seconds);
      return FALSE;
    }
  if (self->state == SIGMA_ENVIRONMENT_STATE_SETUP && !sigma_environment_start (self, error))
    return FALSE;
  return sigma_environment_run_until (self, now (self) + seconds, error);
}

/**
 * sigma_environment_pause:
 * @self: a #SigmaEnvironment
 *
 * Pauses a running environment: the clock stops and a running sigma_environment_run()
 * returns after the current event. Tools can still be called while paused.
 */
void
sigma_environment_pause (SigmaEnvironment *self)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));

  if (self->state != SIGMA_ENVIRONMENT_STATE_RUNNING)
    return;
  sigma_clock_pause (self->clock);
  set_state (self, SIGMA_ENVIRONMENT_STATE_PAUSED);
}

/**
 * sigma_environment_resume:
 * @self: a #SigmaEnvironment
 *
 * Resumes a paused environment; call sigma_environment_run() (or advance) to go on.
 */
void
sigma_environment_resume (SigmaEnvironment *self)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));

  if (self->state != SIGMA_ENVIRONMENT_STATE_PAUSED)
    return;
  sigma_clock_resume (self->clock);
  set_state (self, SIGMA_ENVIRONMENT_STATE_RUNNING);
}

/**
 * sigma_environment_stop:
 * @self: a #SigmaEnvironment
 *
 * Ends the run: at once, or after the current event when called from inside the loop. The
 * final validation checks decide between STOPPED and FAILED.
 */
void
sigma_environment_stop (SigmaEnvironment *self)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));

  if (has_ended (self))
    return;
  if (self->in_loop)
    {
      self->stop_requested = TRUE;
      return;
    }
  if (self->state == SIGMA_ENVIRONMENT_STATE_PAUSED)
    sigma_clock_resume (self->clock);
  finish_run (self);
}

/**
 * sigma_environment_fail:
 * @self: a #SigmaEnvironment
 * @reason: why the run failed
 *
 * Ends the run as FAILED with @reason (for judges and runners that detect a failure
 * outside the validators). Does nothing if the run has already ended.
 */
void
sigma_environment_fail (SigmaEnvironment *self,
                        const char       *reason)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));
  g_return_if_fail (reason != NULL);

  fail_run (self, g_strdup (reason));
}

/* Tool augmentation: an agent call fails before doing anything, as ARE's tool wrapper fails,
 * with the app's seeded per-tool draw. */
static SigmaCompletedEvent *
maybe_fail (SigmaEnvironment *self,
            GRefString       *id,
            const char       *app_name,
            const char       *tool_name,
            JsonObject       *args)
{
  SigmaApp *app = g_hash_table_lookup (self->apps, app_name);
  SigmaTool *tool = app != NULL ? sigma_app_lookup_tool (app, tool_name) : NULL;
  GError *error;

  if (tool == NULL || !sigma_app_draw_failure (app, tool))
    return NULL;
  error = g_error_new (SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED,
                       "Calling %s__%s failed with error: Internal error - Retry again later",
                       app_name, tool_name);
  return sigma_completed_event_new (id, SIGMA_EVENT_TYPE_AGENT, now (self), g_intern_string (app_name),
                                    g_intern_string (tool_name), args, NULL, error,
                                    sigma_tool_get_operation (tool));
}

/* After a tool asked for it (sigma_environment_request_wait()): move the clock to the next
 * event or time-triggered notification, until a notification is pending or the timeout
 * passes. */
static void
wait_for_notification (SigmaEnvironment *self)
{
  gdouble deadline = MIN (now (self) + self->wait_timeout, end_time (self));
  gdouble t;

  self->wait_timeout = -1;
  self->in_loop = TRUE;
  while (self->state == SIGMA_ENVIRONMENT_STATE_RUNNING && !self->stop_requested &&
         !sigma_notification_system_has_pending (self->notifications, now (self)))
    {
      gdouble before = now (self);
      guint logged = sigma_event_log_get_length (self->log);
      gdouble next = deadline;

      if (next_step (self, deadline, &t))
        next = t;
      step_to (self, next);
      if (next >= deadline)
        break;
      /* an app announcing a due time that raises nothing must not stall the wait */
      if (now (self) == before && sigma_event_log_get_length (self->log) == logged &&
          !sigma_notification_system_has_pending (self->notifications, now (self)) &&
          !next_step (self, before, &t))
        {
          step_to (self, deadline);
          break;
        }
    }
  self->in_loop = FALSE;
  if (self->stop_requested)
    finish_run (self);
  else if (self->state == SIGMA_ENVIRONMENT_STATE_RUNNING && now (self) >= end_time (self))
    finish_run (self);
}

/**
 * sigma_environment_request_wait:
 * @self: a #SigmaEnvironment
 * @timeout: the longest simulated wait in seconds, ≥ 0
 *
 * For a tool such as SystemApp's `wait_for_notification`: once the current tool call is
 * logged, the environment moves the clock, running due events, until a notification is
 * pending or @timeout seconds have passed. Apps whose time-triggered notifications include the
 * timeout (the system app) raise it from #SigmaAppClass.collect_notifications.
 */
void
sigma_environment_request_wait (SigmaEnvironment *self,
                                gdouble           timeout)
{
  g_return_if_fail (SIGMA_IS_ENVIRONMENT (self));
  g_return_if_fail (timeout >= 0);

  self->wait_timeout = timeout;
}

/**
 * sigma_environment_wait_for_notification:
 * @self: a running #SigmaEnvironment
 * @timeout: the longest simulated wait in seconds, ≥ 0
 * @error: return location for a #GError
 *
 * Moves the clock, running every event that falls due, until a notification is pending for
 * the agent, @timeout seconds have passed, or the run ends — what an agent's wait does
 * when it is not made through a tool (see sigma_environment_request_wait() for the tool).
 * Returns at once when a notification is already pending.
 *
 * Returns: %TRUE when the clock could move (whether or not a notification came)
 */
gboolean
sigma_environment_wait_for_notification (SigmaEnvironment  *self,
                                         gdouble            timeout,
                                         GError           **error)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (timeout >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_can_move (self, "wait for a notification", error))
    return FALSE;
  self->wait_timeout = timeout;
  wait_for_notification (self);
  return TRUE;
}

/**
 * sigma_environment_get_notifications:
 * @self: a #SigmaEnvironment
 *
 * Returns: (transfer none): the notifications waiting for the agent
 */
SigmaNotificationSystem *
sigma_environment_get_notifications (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  return self->notifications;
}

/**
 * sigma_environment_call_tool_by_name:
 * @self: a #SigmaEnvironment
 * @name: the agent-facing tool name, `<app name>__<tool>` (such as `Emails__send_email`)
 * @args: (nullable): the arguments
 * @event_type: %SIGMA_EVENT_TYPE_AGENT, %SIGMA_EVENT_TYPE_USER or %SIGMA_EVENT_TYPE_ENV
 * @error: return location for a #GError
 *
 * sigma_environment_call_tool() with the app and tool taken from @name. @name may also be
 * an agent-facing name given with sigma_environment_rename_tool(); the log records the
 * original app and tool either way. A name without `__` is %SIGMA_ERROR_UNKNOWN_TOOL.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
JsonNode *
sigma_environment_call_tool_by_name (SigmaEnvironment  *self,
                                     const char        *name,
                                     JsonObject        *args,
                                     SigmaEventType     event_type,
                                     GError           **error)
{
  const char *sep;
  g_autofree char *app_name = NULL;
  AgentTool *renamed;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  renamed = self->agent_names != NULL ? g_hash_table_lookup (self->agent_names, name) : NULL;
  if (renamed != NULL)
    return sigma_environment_call_tool (self, renamed->app_name, renamed->tool_name, args, event_type, error);

  sep = strstr (name, "__");
  if (sep == NULL || sep == name || sep[2] == '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_TOOL,
                   "'%s' is not a tool name of the form <app>__<tool>", name);
      return NULL;
    }
  app_name = g_strndup (name, (gsize) (sep - name));
  return sigma_environment_call_tool (self, app_name, sep + 2, args, event_type, error);
}

/**
 * sigma_environment_call_tool:
 * @self: a #SigmaEnvironment
 * @app_name: the app instance name
 * @tool_name: the tool name (without the app prefix)
 * @args: (nullable): the arguments
 * @event_type: %SIGMA_EVENT_TYPE_AGENT, %SIGMA_EVENT_TYPE_USER or %SIGMA_EVENT_TYPE_ENV
 * @error: return location for a #GError
 *
 * Runs a tool now, at the current simulated time, as an event of @event_type: it is logged
 * (successful or not), checked by the agent validators when it is an AGENT event, and
 * emitted with #SigmaEnvironment::event-completed. Arguments are used as given (no
 * placeholder resolution). A tool that calls this function while it runs makes a nested call,
 * which is not logged.
 *
 * Returns: (transfer full): the tool's result (shared with the log: do not modify it), or
 *   %NULL with @error set: %SIGMA_ERROR_UNKNOWN_APP, %SIGMA_ERROR_UNKNOWN_TOOL,
 *   %SIGMA_ERROR_INVALID_ARGUMENT, the tool's own error, or %SIGMA_ERROR_INVALID_STATE when
 *   the run has ended
 */
JsonNode *
sigma_environment_call_tool (SigmaEnvironment  *self,
                             const char        *app_name,
                             const char        *tool_name,
                             JsonObject        *args,
                             SigmaEventType     event_type,
                             GError           **error)
{
  g_autoptr(JsonObject) empty = NULL;
  g_autoptr(GRefString) id = NULL;
  SigmaCompletedEvent *completed;
  const GError *call_error;
  JsonNode *result;
  char prefix[256];

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  g_return_val_if_fail (app_name != NULL, NULL);
  g_return_val_if_fail (tool_name != NULL, NULL);
  g_return_val_if_fail (event_type == SIGMA_EVENT_TYPE_AGENT ||
                        event_type == SIGMA_EVENT_TYPE_USER ||
                        event_type == SIGMA_EVENT_TYPE_ENV, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (args == NULL)
    args = empty = json_object_new ();

  if (self->depth > 0)
    {
      /* A tool calling a tool: part of the outer event, not logged on its own. */
      SigmaApp *app = g_hash_table_lookup (self->apps, app_name);

      if (app == NULL)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP,
                       "No app named '%s' in the environment", app_name);
          return NULL;
        }
      return sigma_app_invoke (app, tool_name, args, error);
    }

  if (self->state == SIGMA_ENVIRONMENT_STATE_SETUP && !sigma_environment_start (self, error))
    return NULL;
  if (has_ended (self))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Cannot call %s.%s: the run has ended", app_name, tool_name);
      return NULL;
    }

  g_snprintf (prefix, sizeof prefix, "%s-%s.%s", sigma_event_type_name (event_type), app_name, tool_name);
  id = make_id (self, prefix, NULL);
  completed = NULL;
  self->wait_timeout = -1;
  if (event_type == SIGMA_EVENT_TYPE_AGENT)
    completed = maybe_fail (self, id, app_name, tool_name, args);
  if (completed == NULL)
    completed = execute_action (self, id, event_type, g_intern_string (app_name),
                                g_intern_string (tool_name), args, FALSE);
  sigma_completed_event_ref (completed);
  log_event (self, completed);
  if (self->wait_timeout >= 0 && !sigma_completed_event_is_failure (completed))
    wait_for_notification (self);

  call_error = sigma_completed_event_get_error (completed);
  if (call_error != NULL)
    {
      g_propagate_error (error, g_error_copy (call_error));
      result = NULL;
    }
  else
    result = json_node_ref (sigma_completed_event_get_return_value (completed));
  sigma_completed_event_unref (completed);
  return result;
}

/**
 * sigma_environment_get_last_event:
 * @self: a #SigmaEnvironment
 *
 * Returns: (transfer none) (nullable): the event most recently appended to the log
 */
SigmaCompletedEvent *
sigma_environment_get_last_event (SigmaEnvironment *self)
{
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);
  return self->last_event;
}

/* ------------------------------------------------------------------------------------ */
/* Agent-facing tool names and descriptions (tool augmentation)                         */

/**
 * sigma_environment_rename_tool:
 * @self: a #SigmaEnvironment
 * @name: the tool's own name, `<app name>__<tool>`
 * @agent_name: (nullable): the name agents see and call it by, or %NULL to keep @name
 * @agent_description: (nullable): the description agents see, or %NULL to keep the tool's
 * @error: return location for a #GError
 *
 * Presents a tool to agents under another name and description, as ARE's tool augmentation
 * does (Gaia2's `tool_names_mapping` and `tool_descriptions_mapping`).
 * sigma_environment_list_agent_tools() shows the new name and description and
 * sigma_environment_call_tool_by_name() accepts the new name (and still the original one);
 * the log records the original app and tool, so judges compare runs as usual. Renaming a
 * tool again replaces its earlier agent-facing name.
 *
 * Returns: %TRUE on success; %FALSE with @error set to %SIGMA_ERROR_UNKNOWN_TOOL or
 *   %SIGMA_ERROR_UNKNOWN_APP when @name names no tool of the environment, or to
 *   %SIGMA_ERROR_DUPLICATE_ID when another tool already has @agent_name
 *
 * Since: 0.1
 */
gboolean
sigma_environment_rename_tool (SigmaEnvironment  *self,
                               const char        *name,
                               const char        *agent_name,
                               const char        *agent_description,
                               GError           **error)
{
  g_autofree char *app_name = NULL;
  const char *sep;
  SigmaApp *app;
  AgentTool *tool, *other;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sep = strstr (name, "__");
  if (sep == NULL || sep == name || sep[2] == '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_TOOL,
                   "Cannot rename '%s': not a tool name of the form <app>__<tool>", name);
      return FALSE;
    }
  app_name = g_strndup (name, (gsize) (sep - name));
  app = g_hash_table_lookup (self->apps, app_name);
  if (app == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP,
                   "Cannot rename '%s': no app named '%s' in the environment", name, app_name);
      return FALSE;
    }
  if (sigma_app_lookup_tool (app, sep + 2) == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_TOOL,
                   "Cannot rename '%s': app '%s' has no tool '%s'", name, app_name, sep + 2);
      return FALSE;
    }
  if (agent_name != NULL && *agent_name == '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Cannot rename '%s' to an empty name", name);
      return FALSE;
    }

  if (self->agent_tools == NULL)
    {
      self->agent_tools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) agent_tool_free);
      self->agent_names = g_hash_table_new (g_str_hash, g_str_equal);
    }
  if (agent_name != NULL)
    {
      other = g_hash_table_lookup (self->agent_names, agent_name);
      if (other != NULL && !(g_str_equal (other->app_name, app_name) && g_str_equal (other->tool_name, sep + 2)))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID,
                       "Cannot rename '%s' to '%s': %s__%s already has that name",
                       name, agent_name, other->app_name, other->tool_name);
          return FALSE;
        }
    }

  tool = g_hash_table_lookup (self->agent_tools, name);
  if (tool == NULL)
    {
      tool = g_new0 (AgentTool, 1);
      tool->app_name = g_strdup (app_name);
      tool->tool_name = g_strdup (sep + 2);
      g_hash_table_insert (self->agent_tools, g_strdup (name), tool);
    }
  if (tool->agent_name != NULL)
    g_hash_table_remove (self->agent_names, tool->agent_name);
  g_free (tool->agent_name);
  tool->agent_name = g_strdup (agent_name);
  if (agent_name != NULL)
    g_hash_table_insert (self->agent_names, tool->agent_name, tool);
  if (agent_description != NULL)
    {
      g_free (tool->agent_description);
      tool->agent_description = g_strdup (agent_description);
    }
  return TRUE;
}

/**
 * sigma_environment_list_agent_tools:
 * @self: a #SigmaEnvironment
 *
 * The tools an agent may call, as an agent (an LLM, a human UI) is shown them: every tool
 * with the agent role, app by app in the order the apps were added, each rendered as an
 * OpenAI function-calling schema (sigma_tool_to_json_schema()) under its agent-facing name and
 * description (sigma_environment_rename_tool()), or `<app name>__<tool>` and its own
 * description when it was not renamed.
 *
 * Returns: (transfer full): a JSON array of `{"type": "function", "function": {"name",
 *   "description", "parameters"}}` objects
 *
 * Since: 0.1
 */
JsonNode *
sigma_environment_list_agent_tools (SigmaEnvironment *self)
{
  g_autoptr(JsonArray) array = NULL;

  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (self), NULL);

  array = json_array_new ();
  for (guint i = 0; i < self->app_order->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (self->app_order, i);
      const char *app_name = sigma_app_get_name (app);
      g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT);

      for (guint j = 0; j < tools->len; j++)
        {
          SigmaTool *tool = g_ptr_array_index (tools, j);
          JsonNode *schema = sigma_tool_to_json_schema (tool, app_name);
          AgentTool *renamed = NULL;

          if (self->agent_tools != NULL)
            {
              g_autofree char *name = g_strconcat (app_name, "__", sigma_tool_get_name (tool), NULL);

              renamed = g_hash_table_lookup (self->agent_tools, name);
            }
          if (renamed != NULL)
            {
              JsonObject *function = json_object_get_object_member (json_node_get_object (schema), "function");

              if (renamed->agent_name != NULL)
                json_object_set_string_member (function, "name", renamed->agent_name);
              if (renamed->agent_description != NULL)
                json_object_set_string_member (function, "description", renamed->agent_description);
            }
          json_array_add_element (array, schema);
        }
    }
  return json_node_init_array (json_node_alloc (), array);
}
