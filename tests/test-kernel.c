/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Tests of the kernel semantics stated in doc/kernel.md and of ARE's validator reference
 * behaviours (spec/validation.md §1.6). */

#include <math.h>
#include <string.h>

#include <sigma.h>

#include "test-app.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Asserts that @str contains @needle, printing both when it does not. */
#define assert_mentions(str, needle) \
  G_STMT_START { \
    const char *mentions_s_ = (str); \
    const char *mentions_n_ = (needle); \
    if (mentions_s_ == NULL || strstr (mentions_s_, mentions_n_) == NULL) \
      g_assertion_message_cmpstr (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                                  #str " contains " #needle, mentions_s_, "contains", mentions_n_); \
  } G_STMT_END

#define assert_error_mentions(err, code, needle) \
  G_STMT_START { \
    g_assert_error ((err), SIGMA_ERROR, (code)); \
    assert_mentions ((err)->message, (needle)); \
  } G_STMT_END

typedef struct
{
  SigmaEnvironment *env;
  SigmaApp         *app;     /* "notes" */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  fixture->env = sigma_environment_new ();
  fixture->app = sigma_test_app_new ("notes");
  ok = sigma_environment_add_app (fixture->env, fixture->app, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->env);
  g_clear_object (&fixture->app);
}

static SigmaEnvironment *
env_new_with_notes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_test_app_new ("notes");
  SigmaEnvironment *env = sigma_environment_new ();
  gboolean ok;

  ok = sigma_environment_add_app (env, app, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return env;
}

static SigmaTestApp *
notes_of (SigmaEnvironment *env)
{
  SigmaApp *app = sigma_environment_get_app (env, "notes");

  g_assert_nonnull (app);
  return SIGMA_TEST_APP (app);
}

static JsonObject *
args_new (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_dup_object (node);
}

/* An ENV action event on the "notes" app. @id may be NULL (generated id). */
static SigmaEvent *
action_new (const char *id,
            gdouble     delay,
            const char *function,
            const char *args_json)
{
  g_autoptr(JsonObject) args = args_new (args_json != NULL ? args_json : "{}");
  SigmaEvent *event = sigma_action_event_new (SIGMA_EVENT_TYPE_ENV, "notes", function, args);

  if (id != NULL)
    sigma_event_set_event_id (event, id);
  sigma_event_set_delay (event, delay);
  return event;
}

/* An ENV add_note event whose title is its id (or "anonymous"). */
static SigmaEvent *
note_new (const char *id,
          gdouble     delay)
{
  g_autofree char *json = g_strdup_printf ("{\"title\": \"%s\"}", id != NULL ? id : "anonymous");

  return action_new (id, delay, "add_note", json);
}

static void
schedule_ok (SigmaEnvironment *env,
             SigmaEvent       *event)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sigma_environment_schedule (env, event, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
run_ok (SigmaEnvironment *env)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sigma_environment_run (env, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
run_until_ok (SigmaEnvironment *env,
              gdouble           time)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sigma_environment_run_until (env, time, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* "id@time id@time …" of the logged events, optionally only those of one type (-1: all). */
static char *
log_trace (SigmaEnvironment *env,
           gint              event_type)
{
  SigmaEventLog *event_log = sigma_environment_get_log (env);
  GString *trace = g_string_new (NULL);

  for (guint i = 0; i < sigma_event_log_get_length (event_log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (event_log, i);

      if (event_type >= 0 && (gint) sigma_completed_event_get_event_type (event) != event_type)
        continue;

      if (trace->len > 0)
        g_string_append_c (trace, ' ');
      g_string_append_printf (trace, "%s@%.17g",
                              sigma_completed_event_get_event_id (event),
                              sigma_completed_event_get_event_time (event));
    }

  return g_string_free (trace, FALSE);
}

static guint
log_count_type (SigmaEnvironment *env,
                SigmaEventType    event_type)
{
  SigmaEventLog *event_log = sigma_environment_get_log (env);
  guint n = 0;

  for (guint i = 0; i < sigma_event_log_get_length (event_log); i++)
    if (sigma_completed_event_get_event_type (sigma_event_log_get (event_log, i)) == event_type)
      n++;

  return n;
}

/* The log is time-ordered and the clock is never behind the last logged event. */
static void
assert_log_monotonic (SigmaEnvironment *env)
{
  SigmaEventLog *event_log = sigma_environment_get_log (env);
  gdouble last = -G_MAXDOUBLE;

  for (guint i = 0; i < sigma_event_log_get_length (event_log); i++)
    {
      gdouble time = sigma_completed_event_get_event_time (sigma_event_log_get (event_log, i));

      g_assert_cmpfloat (time, >=, last);
      last = time;
    }

  g_assert_cmpfloat (sigma_environment_get_time (env), >=, last);
}

static SigmaCompletedEvent *
lookup_logged (SigmaEnvironment *env,
               const char       *event_id)
{
  return sigma_event_log_lookup (sigma_environment_get_log (env), event_id);
}

static gboolean
ptr_array_has (GPtrArray *array,
               gpointer   item)
{
  return array != NULL && g_ptr_array_find (array, item, NULL);
}

/* Counts emissions of any signal, whatever its signature; optionally pauses or stops the
 * environment (the instance) at the n-th emission, and records the tick count then. */
typedef struct
{
  guint  count;
  guint  pause_at;
  guint  stop_at;
  gint64 last_tick;
  gdouble last_time;
} SignalCounter;

static void
counter_marshal (GClosure     *closure,
                 GValue       *return_value,
                 guint         n_param_values,
                 const GValue *param_values,
                 gpointer      invocation_hint,
                 gpointer      marshal_data)
{
  SignalCounter *counter = closure->data;
  SigmaEnvironment *env = g_value_get_object (&param_values[0]);

  counter->count++;
  counter->last_tick = sigma_environment_get_tick_count (env);
  counter->last_time = sigma_environment_get_time (env);

  if (counter->pause_at != 0 && counter->count == counter->pause_at)
    sigma_environment_pause (env);
  if (counter->stop_at != 0 && counter->count == counter->stop_at)
    sigma_environment_stop (env);
}

static gulong
connect_counter (SigmaEnvironment *env,
                 const char       *signal_name,
                 SignalCounter    *counter)
{
  GClosure *closure = g_closure_new_simple (sizeof (GClosure), counter);

  g_closure_set_marshal (closure, counter_marshal);
  return g_signal_connect_closure (env, signal_name, closure, FALSE);
}

/* Predicates. */

static gboolean
time_at_least (SigmaEnvironment *env,
               gpointer          user_data)
{
  return sigma_environment_get_time (env) >= (gdouble) GPOINTER_TO_UINT (user_data);
}

static gboolean
never (SigmaEnvironment *env,
       gpointer          user_data)
{
  return FALSE;
}

static gboolean
has_note (SigmaEnvironment *env,
          gpointer          user_data)
{
  return sigma_test_app_has_note (notes_of (env), user_data);
}

static gboolean
agent_added_title (SigmaEnvironment    *env,
                   SigmaCompletedEvent *event,
                   gpointer             user_data)
{
  JsonObject *args = sigma_completed_event_get_args (event);

  return g_strcmp0 (sigma_completed_event_get_function (event), "add_note") == 0 &&
         args != NULL && json_object_has_member (args, "title") &&
         g_strcmp0 (json_object_get_string_member (args, "title"), user_data) == 0;
}

static gboolean
agent_called_app (SigmaEnvironment    *env,
                  SigmaCompletedEvent *event,
                  gpointer             user_data)
{
  return g_strcmp0 (sigma_completed_event_get_app_name (event), user_data) == 0;
}

static gboolean
agent_any (SigmaEnvironment    *env,
           SigmaCompletedEvent *event,
           gpointer             user_data)
{
  return TRUE;
}

static JsonNode *
call_ok (SigmaEnvironment *env,
         const char       *app,
         const char       *tool,
         const char       *args_json,
         SigmaEventType    type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = args_new (args_json);
  JsonNode *result = sigma_environment_call_tool (env, app, tool, args, type, &error);

  g_assert_no_error (error);
  return result;
}

/* Calls a tool that must fail with @code and an error naming every string in @needles;
 * checks that the failed call was logged. */
static void
call_fails (SigmaEnvironment  *env,
            const char        *app,
            const char        *tool,
            const char        *args_json,
            gint               code,
            const char *const *needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = args_new (args_json);
  SigmaEventLog *event_log = sigma_environment_get_log (env);
  guint before = sigma_event_log_get_length (event_log);
  g_autoptr(JsonNode) result = NULL;
  SigmaCompletedEvent *logged;
  const GError *logged_error;

  g_test_message ("calling %s.%s (%s)", app, tool, args_json);
  result = sigma_environment_call_tool (env, app, tool, args, SIGMA_EVENT_TYPE_AGENT, &error);
  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, code);
  g_test_message ("error: %s", error->message);
  for (guint i = 0; needles[i] != NULL; i++)
    assert_mentions (error->message, needles[i]);

  g_assert_cmpuint (sigma_event_log_get_length (event_log), ==, before + 1);
  logged = sigma_event_log_get (event_log, before);
  g_assert_true (sigma_completed_event_is_failure (logged));
  g_assert_cmpint (sigma_completed_event_get_event_type (logged), ==, SIGMA_EVENT_TYPE_AGENT);
  logged_error = sigma_completed_event_get_error (logged);
  g_assert_error (logged_error, SIGMA_ERROR, code);
  g_assert_cmpstr (sigma_completed_event_get_app_name (logged), ==, app);
  g_assert_cmpstr (sigma_completed_event_get_function (logged), ==, tool);
}

/* ------------------------------------------------------------------------------------------ */
/* Clock                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void
test_clock (void)
{
  g_autoptr(SigmaClock) clock = sigma_clock_new (100.0);

  g_test_summary ("SigmaClock: set/advance move forward only; pause/resume toggle the state");

  g_assert_cmpfloat (sigma_clock_get_time (clock), ==, 100.0);

  g_assert_true (sigma_clock_set_time (clock, 150.0));
  g_assert_cmpfloat (sigma_clock_get_time (clock), ==, 150.0);

  g_assert_false (sigma_clock_set_time (clock, 120.0));
  g_assert_cmpfloat (sigma_clock_get_time (clock), ==, 150.0);

  g_assert_true (sigma_clock_advance (clock, 10.5));
  g_assert_cmpfloat (sigma_clock_get_time (clock), ==, 160.5);

  g_assert_false (sigma_clock_advance (clock, -1.0));
  g_assert_cmpfloat (sigma_clock_get_time (clock), ==, 160.5);

  g_assert_false (sigma_clock_is_paused (clock));
  sigma_clock_pause (clock);
  g_assert_true (sigma_clock_is_paused (clock));
  g_assert_cmpfloat (sigma_clock_get_time (clock), ==, 160.5);
  sigma_clock_resume (clock);
  g_assert_false (sigma_clock_is_paused (clock));
  g_assert_cmpfloat (sigma_clock_get_time (clock), ==, 160.5);
}

/* ------------------------------------------------------------------------------------------ */
/* Event queue                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* (time, id) of every completed event in log order, checked to be sorted as the queue must
 * sort: time first, then strcmp of the ids. */
static void
assert_log_sorted (SigmaEnvironment *env,
                   guint             expected_length)
{
  SigmaEventLog *log = sigma_environment_get_log (env);

  g_assert_cmpuint (sigma_event_log_get_length (log), ==, expected_length);
  for (guint i = 1; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *prev = sigma_event_log_get (log, i - 1);
      SigmaCompletedEvent *cur = sigma_event_log_get (log, i);
      gdouble tp = sigma_completed_event_get_event_time (prev);
      gdouble tc = sigma_completed_event_get_event_time (cur);

      g_assert_cmpfloat (tp, <=, tc);
      if (tp == tc)
        g_assert_cmpint (strcmp (sigma_completed_event_get_event_id (prev),
                                 sigma_completed_event_get_event_id (cur)), <, 0);
    }
}

static void
test_queue_bulk_order (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SigmaEvent) root = note_new ("bulk-root", 1.0);
  GRand *rand = g_rand_new_with_seed (7);
  const guint n = 600;

  g_test_summary ("Hundreds of events released at once (the sorted-run path of the queue) run in "
                  "(time, strcmp id) order, with ties between author ids and generated ids of "
                  "several prefixes");

  /* Roots queued at the start, with many equal times. Author ids are chosen to sort between
   * generated ones ("Event-ENV-00000100x" lies between ...100 and ...101). */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) args = args_new ("{\"title\": \"x\"}");
      SigmaEventType type = i % 3 == 0 ? SIGMA_EVENT_TYPE_USER : SIGMA_EVENT_TYPE_ENV;
      SigmaEvent *event = sigma_action_event_new (type, "notes", "add_note", args);

      if (i % 5 == 0)
        {
          g_autofree char *id = g_strdup_printf ("Event-ENV-%08ux", i + 1);
          sigma_event_set_event_id (event, id);
        }
      sigma_event_set_delay (event, (gdouble) g_rand_int_range (rand, 0, 20));
      g_ptr_array_add (events, event);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (sigma_environment_schedule_events (fixture->env, events, &error));
    g_assert_no_error (error);
  }

  /* And a fan-out released in the middle of the run: 300 successors of one event, due at
   * times where roots are still queued (a successor never runs before its parent, so none is
   * due at the parent's own time). */
  for (guint i = 0; i < 300; i++)
    {
      SigmaEvent *child = note_new (NULL, (gdouble) (1 + i % 4));
      sigma_event_depends_on (child, root);
      g_ptr_array_add (events, child);
    }
  schedule_ok (fixture->env, root);

  run_ok (fixture->env);
  assert_log_sorted (fixture->env, n + 1 + 300);
  g_rand_free (rand);
}

static void
test_queue_bulk_public (void)
{
  g_autoptr(SigmaEventQueue) queue = sigma_event_queue_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  GRand *rand = g_rand_new_with_seed (11);
  gdouble last_time = -1;
  g_autofree char *last_id = NULL;
  guint popped = 0;

  g_test_summary ("The public queue sorts a bulk push and merges later pushes into it");

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *id = g_strdup_printf ("q%u", g_rand_int_range (rand, 0, 100000));
      SigmaEvent *event = note_new (NULL, 0.0);

      sigma_event_set_event_id (event, id);
      sigma_event_set_event_time (event, (gdouble) g_rand_int_range (rand, 0, 50));
      g_ptr_array_add (events, event);
    }
  /* ids may repeat here: the queue does not care */
  for (guint i = 0; i < 400; i++)
    sigma_event_queue_push (queue, g_ptr_array_index (events, i));
  /* a pop settles the bulk; then more pushes go to the heap and into a merged run */
  {
    g_autoptr(SigmaEvent) first = sigma_event_queue_pop (queue);
    last_time = sigma_event_get_event_time (first);
    last_id = g_strdup (sigma_event_get_event_id (first));
    popped++;
  }
  for (guint i = 400; i < 500; i++)
    {
      SigmaEvent *event = g_ptr_array_index (events, i);
      /* only after what was popped already (an equal time with a smaller id would rightly
       * come out after it) */
      if (sigma_event_get_event_time (event) <= last_time)
        continue;
      sigma_event_queue_push (queue, event);
    }
  while (!sigma_event_queue_is_empty (queue))
    {
      g_autoptr(SigmaEvent) event = sigma_event_queue_pop (queue);
      gdouble t = sigma_event_get_event_time (event);
      const char *id = sigma_event_get_event_id (event);

      g_assert_cmpfloat (t, >=, last_time);
      if (t == last_time)
        g_assert_cmpint (strcmp (id, last_id), >=, 0);
      last_time = t;
      g_free (last_id);
      last_id = g_strdup (id);
      popped++;
    }
  g_assert_cmpuint (popped, >, 400);
  g_rand_free (rand);
}

static void
test_queue_order (void)
{
  g_autoptr(SigmaEventQueue) queue = sigma_event_queue_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  const struct { const char *id; gdouble time; } items[] = {
    { "e", 5.0 }, { "b", 1.0 }, { "d", 5.0 }, { "a-2", 3.0 }, { "a-10", 3.0 },
    { "c", 0.5 }, { "z", 1.0 }, { "a", 5.0 },
  };
  const char *expected[] = { "c", "b", "z", "a-10", "a-2", "a", "d", "e" };
  SigmaEvent *removed;

  g_test_summary ("SigmaEventQueue pops in (time, strcmp(event id)) order; remove and contains work");

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      SigmaEvent *event = note_new (items[i].id, 0.0);

      sigma_event_set_event_time (event, items[i].time);
      g_ptr_array_add (events, event);
      sigma_event_queue_push (queue, event);
    }

  g_assert_cmpuint (sigma_event_queue_get_length (queue), ==, G_N_ELEMENTS (items));
  g_assert_false (sigma_event_queue_is_empty (queue));

  /* Remove "z" and put it back. */
  removed = g_ptr_array_index (events, 6);
  g_assert_true (sigma_event_queue_contains (queue, removed));
  g_assert_true (sigma_event_queue_remove (queue, removed));
  g_assert_false (sigma_event_queue_contains (queue, removed));
  g_assert_false (sigma_event_queue_remove (queue, removed));
  g_assert_cmpuint (sigma_event_queue_get_length (queue), ==, G_N_ELEMENTS (items) - 1);
  sigma_event_queue_push (queue, removed);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      SigmaEvent *peeked = sigma_event_queue_peek (queue);
      g_autoptr(SigmaEvent) popped = sigma_event_queue_pop (queue);

      g_assert_true (peeked == popped);
      g_assert_cmpstr (sigma_event_get_event_id (popped), ==, expected[i]);
    }

  g_assert_true (sigma_event_queue_is_empty (queue));
  g_assert_null (sigma_event_queue_peek (queue));
}

/* ------------------------------------------------------------------------------------------ */
/* Timing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void
test_timing_root (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SigmaEvent) root = note_new ("root", 5.0);
  g_autoptr(SigmaEvent) late = note_new ("late", 5.0);
  g_autofree char *trace = NULL;

  g_test_summary ("A root event runs at start + delay during SETUP, at now + delay while running");

  sigma_environment_set_start_time (fixture->env, 1000.0);
  schedule_ok (fixture->env, root);
  g_assert_cmpint (sigma_event_get_status (root), ==, SIGMA_EVENT_STATUS_QUEUED);

  run_until_ok (fixture->env, 1010.0);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 1010.0);
  g_assert_cmpint (sigma_event_get_status (root), ==, SIGMA_EVENT_STATUS_DONE);

  schedule_ok (fixture->env, late);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "root@1005 late@1015");
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  assert_log_monotonic (fixture->env);
}

static void
test_timing_dependency (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SigmaEvent) parent = note_new ("parent", 5.0);
  g_autoptr(SigmaEvent) child = note_new ("child", 3.0);
  g_autofree char *trace = NULL;

  g_test_summary ("A dependent event runs at its parent's time + its delay");

  sigma_environment_set_start_time (fixture->env, 1000.0);
  sigma_event_depends_on (child, parent);
  schedule_ok (fixture->env, parent);
  g_assert_cmpint (sigma_event_get_status (child), ==, SIGMA_EVENT_STATUS_WAITING);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "parent@1005 child@1008");
  g_assert_cmpint (sigma_event_get_status (child), ==, SIGMA_EVENT_STATUS_DONE);
}

static void
test_timing_chain (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = note_new ("a", 1.0);
  g_autoptr(SigmaEvent) b = note_new ("b", 2.0);
  g_autoptr(SigmaEvent) c = note_new ("c", 3.0);
  g_autoptr(SigmaEvent) d = note_new ("d", 0.0);
  g_autofree char *trace = NULL;

  g_test_summary ("A chain accumulates the delays");

  sigma_environment_set_start_time (fixture->env, 1000.0);
  sigma_event_followed_by (a, b);
  sigma_event_followed_by (b, c);
  sigma_event_followed_by (c, d);
  schedule_ok (fixture->env, a);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "a@1001 b@1003 c@1006 d@1006");
  g_assert_cmpuint (sigma_test_app_get_n_notes (notes_of (fixture->env)), ==, 4);
}

static void
test_timing_fan_out (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = note_new ("a", 1.0);
  g_autoptr(SigmaEvent) b = note_new ("b", 2.0);
  g_autoptr(SigmaEvent) c = note_new ("c", 1.0);
  g_autoptr(SigmaEvent) d = note_new ("d", 2.0);
  g_autofree char *trace = NULL;

  g_test_summary ("Fan-out: every successor runs at the parent's time + its own delay");

  sigma_environment_set_start_time (fixture->env, 1000.0);
  sigma_event_followed_by (a, b);
  sigma_event_followed_by (a, c);
  sigma_event_followed_by (a, d);
  schedule_ok (fixture->env, a);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "a@1001 c@1002 b@1003 d@1003");
}

static void
test_timing_fan_in (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = note_new ("a", 5.0);
  g_autoptr(SigmaEvent) b = note_new ("b", 10.0);
  g_autoptr(SigmaEvent) c = note_new ("c", 2.0);
  g_autofree char *trace = NULL;

  g_test_summary ("Fan-in: the event runs at max(parent times) + delay");

  sigma_environment_set_start_time (fixture->env, 1000.0);
  sigma_event_depends_on (c, a);
  sigma_event_depends_on (c, b);
  schedule_ok (fixture->env, c);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "a@1005 b@1010 c@1012");
}

static void
test_timing_fan_in_waits (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = note_new ("a", 1.0);
  g_autoptr(SigmaEvent) gate = sigma_condition_event_new ("gate", time_at_least,
                                                          GUINT_TO_POINTER (1020), NULL);
  g_autoptr(SigmaEvent) c = note_new ("c", 1.0);
  g_autofree char *trace = NULL;

  g_test_summary ("Fan-in waits until ALL parents completed (a condition parent counts from "
                  "its successful check), unlike ARE");

  sigma_environment_set_start_time (fixture->env, 1000.0);
  sigma_event_set_event_id (gate, "gate");
  sigma_event_depends_on (c, a);
  sigma_event_depends_on (c, gate);
  schedule_ok (fixture->env, c);

  run_until_ok (fixture->env, 1010.0);
  g_assert_null (lookup_logged (fixture->env, "c"));
  g_assert_cmpint (sigma_event_get_status (c), ==, SIGMA_EVENT_STATUS_WAITING);

  run_ok (fixture->env);
  trace = log_trace (fixture->env, SIGMA_EVENT_TYPE_ENV);
  g_assert_cmpstr (trace, ==, "a@1001 c@1021");
  g_assert_nonnull (lookup_logged (fixture->env, "gate-CHECK_20"));
}

/* Takes (transfer container) arrays. */
static gboolean
ptr_array_take_has (GPtrArray *array,
                    gpointer   item)
{
  g_autoptr(GPtrArray) owned = array;

  return ptr_array_has (owned, item);
}

static guint
ptr_array_take_len (GPtrArray *array)
{
  g_autoptr(GPtrArray) owned = array;

  return owned != NULL ? owned->len : 0;
}

static void
test_links_both_ways (void)
{
  g_autoptr(SigmaEvent) a = note_new ("a", 0.0);
  g_autoptr(SigmaEvent) b = note_new ("b", 0.0);
  g_autoptr(SigmaEvent) c = note_new ("c", 0.0);
  g_autoptr(SigmaEvent) d = note_new ("d", 0.0);

  g_test_summary ("depends_on and followed_by record the same link on both events");

  sigma_event_depends_on (b, a);
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_dependencies (b)), ==, 1);
  g_assert_true (ptr_array_take_has (sigma_event_get_dependencies (b), a));
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_successors (a)), ==, 1);
  g_assert_true (ptr_array_take_has (sigma_event_get_successors (a), b));
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_dependencies (a)), ==, 0);
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_successors (b)), ==, 0);

  sigma_event_followed_by (c, d);
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_dependencies (d)), ==, 1);
  g_assert_true (ptr_array_take_has (sigma_event_get_dependencies (d), c));
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_successors (c)), ==, 1);
  g_assert_true (ptr_array_take_has (sigma_event_get_successors (c), d));
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_dependencies (c)), ==, 0);
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_successors (d)), ==, 0);
}

static void
test_timing_absolute (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SigmaEvent) abs_root = note_new ("abs-root", 7.0);
  g_autoptr(SigmaEvent) parent = note_new ("parent", 10.0);
  g_autoptr(SigmaEvent) early = note_new ("early-child", 0.0);
  g_autoptr(SigmaEvent) later = note_new ("later-child", 3.0);
  g_autofree char *trace = NULL;

  g_test_summary ("An absolute event time is honoured instead of the delay; one before the "
                  "ready moment runs at that moment");

  sigma_environment_set_start_time (fixture->env, 1000.0);

  g_assert_false (sigma_event_has_event_time (abs_root));
  g_assert_false (sigma_event_get_time_is_absolute (abs_root));
  sigma_event_set_event_time (abs_root, 1500.0);
  g_assert_true (sigma_event_has_event_time (abs_root));
  g_assert_true (sigma_event_get_time_is_absolute (abs_root));
  g_assert_cmpfloat (sigma_event_get_event_time (abs_root), ==, 1500.0);

  sigma_event_set_event_time (early, 1005.0);   /* parent completes at 1010 */
  sigma_event_set_event_time (later, 1050.0);
  sigma_event_depends_on (early, parent);
  sigma_event_depends_on (later, parent);

  schedule_ok (fixture->env, abs_root);
  schedule_ok (fixture->env, parent);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "parent@1010 early-child@1010 later-child@1050 abs-root@1500");
  assert_log_monotonic (fixture->env);
}

static void
test_timing_unset_event_time (void)
{
  g_autoptr(SigmaEvent) event = note_new ("e", 2.0);

  g_test_summary ("unset_event_time makes an event relative again");

  sigma_event_set_event_time (event, 42.0);
  g_assert_true (sigma_event_get_time_is_absolute (event));
  sigma_event_unset_event_time (event);
  g_assert_false (sigma_event_get_time_is_absolute (event));
  g_assert_false (sigma_event_has_event_time (event));
  g_assert_cmpfloat (sigma_event_get_delay (event), ==, 2.0);
}

static void
test_timing_dependency_id (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SigmaEvent) p = note_new ("p", 4.0);
  g_autoptr(SigmaEvent) c = note_new ("c", 1.0);
  g_autoptr(SigmaEvent) q = note_new ("q", 2.0);
  g_autoptr(SigmaEvent) d = note_new ("d", 1.0);
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;
  gboolean ok;

  g_test_summary ("add_dependency_id links by id, resolved when the event is scheduled "
                  "(against scheduled events and within the same batch)");

  sigma_environment_set_start_time (fixture->env, 1000.0);

  sigma_event_add_dependency_id (c, "p");
  g_assert_cmpuint (ptr_array_take_len (sigma_event_get_dependencies (c)), ==, 0);
  schedule_ok (fixture->env, p);
  schedule_ok (fixture->env, c);
  g_assert_true (ptr_array_take_has (sigma_event_get_dependencies (c), p));
  g_assert_true (ptr_array_take_has (sigma_event_get_successors (p), c));

  /* Child first in the batch: the id still resolves. */
  sigma_event_add_dependency_id (d, "q");
  g_ptr_array_add (batch, d);
  g_ptr_array_add (batch, q);
  ok = sigma_environment_schedule_events (fixture->env, batch, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  run_ok (fixture->env);
  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "q@1002 d@1003 p@1004 c@1005");
}

static void
test_schedule_closure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = note_new ("a", 1.0);
  g_autoptr(SigmaEvent) b = note_new ("b", 2.0);
  g_autoptr(SigmaEvent) c = note_new ("c", 3.0);
  g_autoptr(SigmaEvent) side = note_new ("side", 1.0);
  g_autofree char *trace = NULL;

  g_test_summary ("Scheduling one event schedules every linked event (parents and successors, "
                  "transitively)");

  sigma_environment_set_start_time (fixture->env, 1000.0);
  sigma_event_followed_by (a, b);
  sigma_event_followed_by (b, c);
  sigma_event_followed_by (side, c);

  schedule_ok (fixture->env, b);

  g_assert_true (sigma_environment_lookup_event (fixture->env, "a") == a);
  g_assert_true (sigma_environment_lookup_event (fixture->env, "b") == b);
  g_assert_true (sigma_environment_lookup_event (fixture->env, "c") == c);
  g_assert_true (sigma_environment_lookup_event (fixture->env, "side") == side);
  g_assert_cmpint (sigma_event_get_status (a), ==, SIGMA_EVENT_STATUS_QUEUED);
  g_assert_cmpint (sigma_event_get_status (side), ==, SIGMA_EVENT_STATUS_QUEUED);
  g_assert_cmpint (sigma_event_get_status (b), ==, SIGMA_EVENT_STATUS_WAITING);
  g_assert_cmpint (sigma_event_get_status (c), ==, SIGMA_EVENT_STATUS_WAITING);
  g_assert_cmpuint (sigma_event_queue_get_length (sigma_environment_get_queue (fixture->env)), ==, 2);

  run_ok (fixture->env);
  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "a@1001 side@1001 b@1003 c@1006");
}

/* ------------------------------------------------------------------------------------------ */
/* Schedule-time errors                                                                       */
/* ------------------------------------------------------------------------------------------ */

static guint
queue_length (SigmaEnvironment *env)
{
  return sigma_event_queue_get_length (sigma_environment_get_queue (env));
}

static void
assert_schedule_fails (SigmaEnvironment *env,
                       SigmaEvent       *event,
                       gint              code,
                       const char       *needle1,
                       const char       *needle2)
{
  g_autoptr(GError) error = NULL;
  guint before = queue_length (env);
  gboolean ok = sigma_environment_schedule (env, event, &error);

  g_assert_false (ok);
  g_assert_error (error, SIGMA_ERROR, code);
  g_test_message ("error: %s", error->message);
  if (needle1 != NULL)
    assert_mentions (error->message, needle1);
  if (needle2 != NULL)
    assert_mentions (error->message, needle2);
  g_assert_cmpuint (queue_length (env), ==, before);
  g_assert_cmpint (sigma_event_get_status (event), ==, SIGMA_EVENT_STATUS_NEW);
}

static void
test_error_bad_times (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SigmaEvent) negative = note_new ("negative-delay", 0.0);
  g_autoptr(SigmaEvent) nan_delay = note_new ("nan-delay", 0.0);
  g_autoptr(SigmaEvent) inf_delay = note_new ("inf-delay", 0.0);
  g_autoptr(SigmaEvent) past = note_new ("negative-time", 0.0);
  g_autoptr(SigmaEvent) nan_time = note_new ("nan-time", 0.0);

  g_test_summary ("Negative, NaN or infinite delays and event times are INVALID_EVENT, naming "
                  "the event");

  sigma_event_set_delay (negative, -1.0);
  sigma_event_set_delay (nan_delay, NAN);
  sigma_event_set_delay (inf_delay, INFINITY);
  sigma_event_set_event_time (past, -5.0);
  sigma_event_set_event_time (nan_time, NAN);

  assert_schedule_fails (fixture->env, negative, SIGMA_ERROR_INVALID_EVENT, "negative-delay", NULL);
  assert_schedule_fails (fixture->env, nan_delay, SIGMA_ERROR_INVALID_EVENT, "nan-delay", NULL);
  assert_schedule_fails (fixture->env, inf_delay, SIGMA_ERROR_INVALID_EVENT, "inf-delay", NULL);
  assert_schedule_fails (fixture->env, past, SIGMA_ERROR_INVALID_EVENT, "negative-time", NULL);
  assert_schedule_fails (fixture->env, nan_time, SIGMA_ERROR_INVALID_EVENT, "nan-time", NULL);
  g_assert_null (sigma_environment_lookup_event (fixture->env, "negative-delay"));
  g_assert_cmpuint (queue_length (fixture->env), ==, 0);
}

static void
test_error_unknown_dependency (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SigmaEvent) orphan = note_new ("orphan", 1.0);

  g_test_summary ("A dependency id naming no event is UNKNOWN_DEPENDENCY, naming both ids");

  sigma_event_add_dependency_id (orphan, "ghost");
  assert_schedule_fails (fixture->env, orphan, SIGMA_ERROR_UNKNOWN_DEPENDENCY, "orphan", "ghost");
  g_assert_null (sigma_environment_lookup_event (fixture->env, "orphan"));
}

static void
test_error_duplicate_id (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SigmaEvent) first = note_new ("twin", 1.0);
  g_autoptr(SigmaEvent) second = note_new ("twin", 2.0);
  g_autoptr(SigmaEvent) scheduled = note_new ("single", 1.0);
  g_autoptr(SigmaEvent) again = note_new ("single", 3.0);
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_test_summary ("Two events with one id are DUPLICATE_ID, within a batch and against a "
                  "scheduled event");

  g_ptr_array_add (batch, first);
  g_ptr_array_add (batch, second);
  ok = sigma_environment_schedule_events (fixture->env, batch, &error);
  g_assert_false (ok);
  assert_error_mentions (error, SIGMA_ERROR_DUPLICATE_ID, "twin");
  g_assert_cmpuint (queue_length (fixture->env), ==, 0);
  g_assert_null (sigma_environment_lookup_event (fixture->env, "twin"));
  g_assert_cmpint (sigma_event_get_status (first), ==, SIGMA_EVENT_STATUS_NEW);

  /* Linked twins are found through the closure as well. */
  sigma_event_followed_by (first, second);
  assert_schedule_fails (fixture->env, first, SIGMA_ERROR_DUPLICATE_ID, "twin", NULL);

  schedule_ok (fixture->env, scheduled);
  assert_schedule_fails (fixture->env, again, SIGMA_ERROR_DUPLICATE_ID, "single", NULL);
  g_assert_true (sigma_environment_lookup_event (fixture->env, "single") == scheduled);
  g_assert_cmpuint (queue_length (fixture->env), ==, 1);
}

static void
test_error_cycle (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = note_new ("cyc-a", 1.0);
  g_autoptr(SigmaEvent) b = note_new ("cyc-b", 1.0);
  g_autoptr(SigmaEvent) c = note_new ("cyc-c", 1.0);
  g_autoptr(SigmaEvent) root = note_new ("root", 1.0);
  g_autoptr(SigmaEvent) tail = note_new ("tail", 1.0);
  g_autoptr(GPtrArray) deps = NULL;

  g_test_summary ("A dependency cycle is CYCLE, naming the events on the cycle; the cycle's links are removed");

  sigma_event_depends_on (a, root);
  sigma_event_depends_on (b, a);
  sigma_event_depends_on (c, b);
  sigma_event_depends_on (a, c);
  sigma_event_depends_on (tail, c);

  assert_schedule_fails (fixture->env, tail, SIGMA_ERROR_CYCLE, "cyc-a", "cyc-b");
  g_assert_cmpint (sigma_event_get_status (a), ==, SIGMA_EVENT_STATUS_NEW);
  g_assert_null (sigma_environment_lookup_event (fixture->env, "root"));

  /* The links inside the cycle were removed (so the events can be freed); the others stay. */
  deps = sigma_event_get_dependencies (a);
  g_assert_cmpuint (deps->len, ==, 1);
  g_assert_true (g_ptr_array_index (deps, 0) == root);
  g_clear_pointer (&deps, g_ptr_array_unref);
  deps = sigma_event_get_dependencies (b);
  g_assert_cmpuint (deps->len, ==, 0);
  g_clear_pointer (&deps, g_ptr_array_unref);
  deps = sigma_event_get_dependencies (tail);
  g_assert_cmpuint (deps->len, ==, 1);
  g_assert_true (g_ptr_array_index (deps, 0) == c);

  /* What is left is a valid graph again: root → a, and c → tail. */
  schedule_ok (fixture->env, root);
  schedule_ok (fixture->env, tail);
  run_ok (fixture->env);
  g_assert_nonnull (lookup_logged (fixture->env, "cyc-a"));
  g_assert_nonnull (lookup_logged (fixture->env, "tail"));
}

static void
test_error_cycle_by_id (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = note_new ("loop-a", 1.0);
  g_autoptr(SigmaEvent) b = note_new ("loop-b", 1.0);
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_test_summary ("A cycle made of dependency ids within one batch is CYCLE");

  sigma_event_add_dependency_id (a, "loop-b");
  sigma_event_add_dependency_id (b, "loop-a");
  g_ptr_array_add (batch, a);
  g_ptr_array_add (batch, b);
  ok = sigma_environment_schedule_events (fixture->env, batch, &error);
  g_assert_false (ok);
  assert_error_mentions (error, SIGMA_ERROR_CYCLE, "loop-a");
  assert_mentions (error->message, "loop-b");
  g_assert_cmpuint (queue_length (fixture->env), ==, 0);
}

static void
test_error_batch_atomic (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SigmaEvent) ok1 = note_new ("ok-1", 1.0);
  g_autoptr(SigmaEvent) ok2 = note_new ("ok-2", 1.0);
  g_autoptr(SigmaEvent) bad = note_new ("bad", 1.0);
  g_autoptr(SigmaEvent) ok3 = note_new ("ok-3", 1.0);
  g_autoptr(SigmaEvent) bad_child = note_new ("bad-child", 1.0);
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;
  gboolean ok;

  g_test_summary ("A batch with one invalid event schedules nothing");

  schedule_ok (fixture->env, ok1);
  g_assert_cmpuint (queue_length (fixture->env), ==, 1);

  sigma_event_set_delay (bad, -3.0);
  g_ptr_array_add (batch, ok2);
  g_ptr_array_add (batch, bad);
  ok = sigma_environment_schedule_events (fixture->env, batch, &error);
  g_assert_false (ok);
  assert_error_mentions (error, SIGMA_ERROR_INVALID_EVENT, "bad");
  g_assert_cmpuint (queue_length (fixture->env), ==, 1);
  g_assert_null (sigma_environment_lookup_event (fixture->env, "ok-2"));
  g_assert_null (sigma_environment_lookup_event (fixture->env, "bad"));
  g_assert_cmpint (sigma_event_get_status (ok2), ==, SIGMA_EVENT_STATUS_NEW);

  /* Through the linked closure. */
  sigma_event_set_delay (bad_child, NAN);
  sigma_event_followed_by (ok3, bad_child);
  assert_schedule_fails (fixture->env, ok3, SIGMA_ERROR_INVALID_EVENT, "bad-child", NULL);
  g_assert_null (sigma_environment_lookup_event (fixture->env, "ok-3"));

  run_ok (fixture->env);
  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "ok-1@1");
}

static void
test_schedule_child_of_scheduled (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(SigmaEvent) old = note_new ("old-event", 5.0);
  g_autoptr(SigmaEvent) fresh = note_new ("fresh-event", 2.0);
  g_autofree char *trace = NULL;

  g_test_summary ("A new event may depend on an already scheduled event");

  schedule_ok (fixture->env, old);
  sigma_event_depends_on (fresh, old);
  schedule_ok (fixture->env, fresh);
  g_assert_cmpint (sigma_event_get_status (fresh), ==, SIGMA_EVENT_STATUS_WAITING);
  g_assert_cmpuint (queue_length (fixture->env), ==, 1);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "old-event@5 fresh-event@7");
}

/* ------------------------------------------------------------------------------------------ */
/* Ordering and ids                                                                           */
/* ------------------------------------------------------------------------------------------ */

static void
test_order_equal_time (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *ids[] = { "c", "a-2", "b", "a-10", "a" };
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *trace = NULL;

  g_test_summary ("Events due at one time run in strcmp order of their ids, whatever the "
                  "scheduling order");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      SigmaEvent *event = note_new (ids[i], 5.0);

      g_ptr_array_add (events, event);
      schedule_ok (fixture->env, event);
    }

  run_ok (fixture->env);
  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "a@5 a-10@5 a-2@5 b@5 c@5");
}

static void
test_order_released_same_time (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SigmaEvent) x = note_new ("x", 5.0);
  g_autoptr(SigmaEvent) y = note_new ("0-y", 0.0);
  g_autoptr(SigmaEvent) z = note_new ("z", 5.0);
  g_autofree char *trace = NULL;

  g_test_summary ("An event released at the current time runs in the same pass, in id order");

  sigma_event_followed_by (x, y);
  schedule_ok (fixture->env, x);
  schedule_ok (fixture->env, z);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "x@5 0-y@5 z@5");
}

static void
build_anonymous (SigmaEnvironment *env)
{
  g_autoptr(SigmaEvent) a = note_new (NULL, 1.0);
  g_autoptr(SigmaEvent) b = note_new (NULL, 1.0);
  g_autoptr(SigmaEvent) c = action_new (NULL, 2.0, "count", NULL);
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new ("gate", time_at_least,
                                                          GUINT_TO_POINTER (4), NULL);
  g_autoptr(SigmaEvent) d = note_new (NULL, 0.0);

  sigma_event_followed_by (a, c);
  sigma_event_followed_by (cond, d);
  schedule_ok (env, a);
  schedule_ok (env, b);
  schedule_ok (env, cond);
  run_ok (env);
}

static void
test_ids_generated (void)
{
  g_autoptr(SigmaEnvironment) env1 = env_new_with_notes ();
  g_autoptr(SigmaEnvironment) env2 = env_new_with_notes ();
  g_autofree char *log1 = NULL;
  g_autofree char *log2 = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  SigmaEventLog *event_log;
  guint n_env = 0;
  guint n_checks = 0;

  g_test_summary ("Generated ids are deterministic and of the form <Class>-<TYPE>-<8 digits>");

  build_anonymous (env1);
  build_anonymous (env2);

  log1 = sigma_event_log_to_string (sigma_environment_get_log (env1));
  log2 = sigma_event_log_to_string (sigma_environment_get_log (env2));
  g_assert_nonnull (log1);
  g_assert_cmpstr (log1, ==, log2);

  event_log = sigma_environment_get_log (env1);
  g_assert_cmpuint (sigma_event_log_get_length (event_log), >, 0);
  for (guint i = 0; i < sigma_event_log_get_length (event_log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (event_log, i);
      const char *id = sigma_completed_event_get_event_id (event);

      g_test_message ("logged id %s", id);
      g_assert_nonnull (id);
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);

      switch (sigma_completed_event_get_event_type (event))
        {
        case SIGMA_EVENT_TYPE_ENV:
          g_assert_true (g_regex_match_simple ("^Event-ENV-[0-9]{8}$", id, 0, 0));
          n_env++;
          break;
        case SIGMA_EVENT_TYPE_CONDITION:
          g_assert_true (g_regex_match_simple ("^ConditionCheckEvent-CONDITION-[0-9]{8}-CHECK_[0-9]+$",
                                               id, 0, 0));
          n_checks++;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  g_assert_cmpuint (n_env, ==, 4);
  g_assert_cmpuint (n_checks, ==, 5);   /* checks at t = 0 … 4 */
}

static void
test_ids_call_tool (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  SigmaCompletedEvent *last;

  g_test_summary ("call_tool events are logged as <TYPE>-<app>.<tool>-<n>");

  r1 = call_ok (fixture->env, "notes", "count", "{}", SIGMA_EVENT_TYPE_AGENT);
  last = sigma_environment_get_last_event (fixture->env);
  g_assert_nonnull (last);
  g_test_message ("id %s", sigma_completed_event_get_event_id (last));
  g_assert_true (g_regex_match_simple ("^AGENT-notes\\.count-[0-9]{8}$",
                                       sigma_completed_event_get_event_id (last), 0, 0));
  g_assert_cmpint (sigma_completed_event_get_event_type (last), ==, SIGMA_EVENT_TYPE_AGENT);

  r2 = call_ok (fixture->env, "notes", "add_note", "{\"title\": \"u\"}", SIGMA_EVENT_TYPE_USER);
  last = sigma_environment_get_last_event (fixture->env);
  g_test_message ("id %s", sigma_completed_event_get_event_id (last));
  g_assert_true (g_regex_match_simple ("^USER-notes\\.add_note-[0-9]{8}$",
                                       sigma_completed_event_get_event_id (last), 0, 0));
  g_assert_cmpint (sigma_completed_event_get_event_type (last), ==, SIGMA_EVENT_TYPE_USER);
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (fixture->env)), ==, 2);
}

static void
test_ids_author (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SigmaEvent) event = note_new ("my-own-id", 1.0);
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new ("c", time_at_least,
                                                          GUINT_TO_POINTER (0), NULL);

  g_test_summary ("Ids given by the author are kept");

  sigma_event_set_event_id (cond, "my-cond");
  schedule_ok (fixture->env, event);
  schedule_ok (fixture->env, cond);
  g_assert_cmpstr (sigma_event_get_event_id (event), ==, "my-own-id");
  run_ok (fixture->env);

  g_assert_nonnull (lookup_logged (fixture->env, "my-own-id"));
  g_assert_nonnull (lookup_logged (fixture->env, "my-cond-CHECK_0"));
  g_assert_true (sigma_environment_lookup_event (fixture->env, "my-own-id") == event);
}

/* ------------------------------------------------------------------------------------------ */
/* Loop modes                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* On-grid scenario for time increment 10: actions, a condition and a validation. */
static char *
run_grid_scenario (SigmaLoopMode mode)
{
  g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
  g_autoptr(SigmaEvent) a = note_new ("a", 0.0);
  g_autoptr(SigmaEvent) b = note_new ("b", 10.0);
  g_autoptr(SigmaEvent) c = note_new ("c", 10.0);
  g_autoptr(SigmaEvent) d = note_new ("d", 20.0);
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new ("cond", time_at_least,
                                                          GUINT_TO_POINTER (160), NULL);
  g_autoptr(SigmaEvent) after = note_new ("after-cond", 30.0);
  g_autoptr(SigmaEvent) val = sigma_validation_event_new ();
  char *text;

  sigma_environment_set_loop_mode (env, mode);
  sigma_environment_set_time_increment (env, 10.0);
  sigma_environment_set_start_time (env, 100.0);

  sigma_event_set_event_id (cond, "cond");
  sigma_event_set_delay (cond, 20.0);
  sigma_event_followed_by (b, d);
  sigma_event_followed_by (cond, after);

  sigma_event_set_event_id (val, "val");
  sigma_event_set_delay (val, 10.0);
  sigma_validation_event_set_timeout (SIGMA_VALIDATION_EVENT (val), 20);
  sigma_validation_event_add_milestone (SIGMA_VALIDATION_EVENT (val), "has-d", has_note, (gpointer) "d", NULL);

  schedule_ok (env, a);
  schedule_ok (env, b);
  schedule_ok (env, c);
  schedule_ok (env, cond);
  schedule_ok (env, val);
  run_ok (env);

  g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_nonnull (lookup_logged (env, "after-cond"));
  assert_log_monotonic (env);

  text = sigma_event_log_to_string (sigma_environment_get_log (env));
  g_assert_nonnull (text);
  return text;
}

static void
test_loop_queue_vs_tick (void)
{
  g_autofree char *queue_log = NULL;
  g_autofree char *tick_log = NULL;

  g_test_summary ("Queue and tick modes produce the same log when every time is on the tick grid");

  queue_log = run_grid_scenario (SIGMA_LOOP_MODE_QUEUE);
  tick_log = run_grid_scenario (SIGMA_LOOP_MODE_TICK);
  g_assert_cmpstr (queue_log, ==, tick_log);
}

static void
test_loop_tick_off_grid (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SigmaEvent) off = note_new ("off", 2.5);
  g_autoptr(SigmaEvent) child = note_new ("child", 1.0);
  g_autoptr(SigmaEvent) on = note_new ("on", 5.0);
  g_autofree char *trace = NULL;

  g_test_summary ("Tick mode runs an off-grid event at the next tick and logs it there; its "
                  "successor counts from the scheduled time");

  sigma_environment_set_loop_mode (fixture->env, SIGMA_LOOP_MODE_TICK);
  sigma_event_followed_by (off, child);   /* due at 3.5 → tick 4 */
  schedule_ok (fixture->env, off);
  schedule_ok (fixture->env, on);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "off@3 child@4 on@5");
}

typedef struct
{
  SigmaLoopMode mode;
  gdouble       increment;
} LoopConfig;

static const LoopConfig loop_configs[] = {
  { SIGMA_LOOP_MODE_QUEUE, 1.0 },
  { SIGMA_LOOP_MODE_TICK, 1.0 },
  { SIGMA_LOOP_MODE_TICK, 5.0 },
};

static void
test_loop_duration_inclusive (void)
{
  g_test_summary ("The duration boundary is inclusive; nothing later runs and the clock never "
                  "passes start + duration");

  for (guint i = 0; i < G_N_ELEMENTS (loop_configs); i++)
    {
      g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
      g_autoptr(SigmaEvent) at_end = note_new ("at-end", 10.0);
      g_autoptr(SigmaEvent) after_end = note_new ("after-end", 11.0);
      g_autofree char *trace = NULL;

      g_test_message ("mode %d, increment %g", loop_configs[i].mode, loop_configs[i].increment);
      sigma_environment_set_loop_mode (env, loop_configs[i].mode);
      sigma_environment_set_time_increment (env, loop_configs[i].increment);
      sigma_environment_set_start_time (env, 100.0);
      sigma_environment_set_duration (env, 10.0);
      schedule_ok (env, at_end);
      schedule_ok (env, after_end);
      run_ok (env);

      trace = log_trace (env, -1);
      g_assert_cmpstr (trace, ==, "at-end@110");
      g_assert_cmpfloat (sigma_environment_get_time (env), ==, 110.0);
      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
    }
}

static void
test_loop_duration_without_exit (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SigmaEvent) early = note_new ("early", 5.0);
  g_autofree char *trace = NULL;

  g_test_summary ("With exit-when-no-events off the run lasts until the duration");

  sigma_environment_set_exit_when_no_events (fixture->env, FALSE);
  sigma_environment_set_duration (fixture->env, 100.0);
  schedule_ok (fixture->env, early);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "early@5");
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 100.0);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
}

static void
test_loop_tick_unbounded (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SigmaEvent) event = note_new ("e", 1.0);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_test_summary ("Tick mode without a duration and without exit-when-no-events is refused");

  sigma_environment_set_loop_mode (fixture->env, SIGMA_LOOP_MODE_TICK);
  sigma_environment_set_exit_when_no_events (fixture->env, FALSE);
  g_assert_cmpfloat (sigma_environment_get_duration (fixture->env), ==, SIGMA_DURATION_UNLIMITED);
  schedule_ok (fixture->env, event);

  ok = sigma_environment_run (fixture->env, &error);
  g_assert_false (ok);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE);
  g_test_message ("error: %s", error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (lookup_logged (fixture->env, "e"));
}

static void
schedule_four (SigmaEnvironment *env)
{
  const char *ids[] = { "a", "b", "c", "d" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(SigmaEvent) event = note_new (ids[i], i + 1);

      schedule_ok (env, event);
    }
}

static void
test_loop_pause_resume (void)
{
  g_autoptr(SigmaEnvironment) reference = env_new_with_notes ();
  g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
  SignalCounter counter = { .pause_at = 2 };
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *trace = NULL;

  g_test_summary ("pause() from an event-completed handler makes run() return PAUSED; resume() "
                  "and run() finish with the same log as an uninterrupted run");

  schedule_four (reference);
  run_ok (reference);
  expected = sigma_event_log_to_string (sigma_environment_get_log (reference));

  schedule_four (env);
  connect_counter (env, "event-completed", &counter);
  run_ok (env);
  g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_PAUSED);
  trace = log_trace (env, -1);
  g_assert_cmpstr (trace, ==, "a@1 b@2");
  g_assert_cmpfloat (sigma_environment_get_time (env), ==, 2.0);

  sigma_environment_resume (env);
  g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);
  run_ok (env);
  g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);

  actual = sigma_event_log_to_string (sigma_environment_get_log (env));
  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpuint (counter.count, ==, 4);
}

static void
test_loop_stop (void)
{
  g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
  SignalCounter counter = { .stop_at = 2 };
  g_autofree char *trace = NULL;

  g_test_summary ("stop() from a handler ends the run as STOPPED; later events do not run");

  schedule_four (env);
  connect_counter (env, "event-completed", &counter);
  run_ok (env);
  g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  trace = log_trace (env, -1);
  g_assert_cmpstr (trace, ==, "a@1 b@2");
}

static void
test_loop_stop_event (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SigmaEvent) before = note_new ("before", 1.0);
  g_autoptr(SigmaEvent) stop = sigma_stop_event_new ();
  g_autoptr(SigmaEvent) after = note_new ("after", 5.0);

  g_test_summary ("A SigmaStopEvent ends the run; later events do not run");

  sigma_event_set_event_id (stop, "stop");
  sigma_event_set_delay (stop, 3.0);
  g_assert_cmpint (sigma_event_get_event_type (stop), ==, SIGMA_EVENT_TYPE_STOP);
  schedule_ok (fixture->env, before);
  schedule_ok (fixture->env, stop);
  schedule_ok (fixture->env, after);
  run_ok (fixture->env);

  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_nonnull (lookup_logged (fixture->env, "before"));
  g_assert_null (lookup_logged (fixture->env, "after"));
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 3.0);
  g_assert_cmpuint (sigma_test_app_get_n_notes (notes_of (fixture->env)), ==, 1);
}

static void
test_loop_exit_when_no_events (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SigmaEnvironment) empty = env_new_with_notes ();
  g_autoptr(SigmaEvent) last = note_new ("last", 7.0);

  g_test_summary ("With exit-when-no-events (the default) run() ends when nothing is left");

  g_assert_true (sigma_environment_get_exit_when_no_events (empty));
  sigma_environment_set_start_time (empty, 50.0);
  run_ok (empty);
  g_assert_cmpint (sigma_environment_get_state (empty), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_cmpfloat (sigma_environment_get_time (empty), ==, 50.0);
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (empty)), ==, 0);

  schedule_ok (fixture->env, last);
  run_ok (fixture->env);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 7.0);
}

static void
test_loop_minefield_watch_exit (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SigmaEvent) event = note_new ("harmless", 5.0);
  g_autoptr(SigmaEvent) watch = sigma_validation_event_new ();

  g_test_summary ("A run ends when only minefield watches are left, and an untriggered watch "
                  "passes the final checks");

  sigma_event_set_event_id (watch, "watch");
  sigma_validation_event_set_timeout (SIGMA_VALIDATION_EVENT (watch), SIGMA_TIMEOUT_NONE);
  sigma_validation_event_add_minefield (SIGMA_VALIDATION_EVENT (watch), "boom-note", has_note,
                                        (gpointer) "boom", NULL);
  schedule_ok (fixture->env, event);
  schedule_ok (fixture->env, watch);
  run_ok (fixture->env);

  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_null (sigma_environment_get_failure_reason (fixture->env));
  g_assert_nonnull (lookup_logged (fixture->env, "harmless"));
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), >=, 5.0);
}

static void
test_advance_and_run_until (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SigmaEvent) e5 = note_new ("e5", 5.0);
  g_autoptr(SigmaEvent) e10 = note_new ("e10", 10.0);
  g_autoptr(SigmaEvent) e30 = note_new ("e30", 30.0);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;
  gboolean ok;

  g_test_summary ("advance() and run_until() run due events at their own times; reaching the "
                  "duration ends the run");

  sigma_environment_set_duration (fixture->env, 20.0);
  schedule_ok (fixture->env, e5);
  schedule_ok (fixture->env, e10);
  schedule_ok (fixture->env, e30);

  ok = sigma_environment_advance (fixture->env, 7.0, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 7.0);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);

  result = call_ok (fixture->env, "notes", "count", "{}", SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpint (json_node_get_int (result), ==, 1);
  g_assert_cmpfloat (sigma_completed_event_get_event_time (sigma_environment_get_last_event (fixture->env)),
                     ==, 7.0);

  run_until_ok (fixture->env, 12.0);
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 12.0);
  g_assert_nonnull (lookup_logged (fixture->env, "e10"));

  run_until_ok (fixture->env, 40.0);
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 20.0);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_null (lookup_logged (fixture->env, "e30"));

  trace = log_trace (fixture->env, SIGMA_EVENT_TYPE_ENV);
  g_assert_cmpstr (trace, ==, "e5@5 e10@10");
}

static void
test_tick_count (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SigmaEvent) event = note_new ("e", 25.0);
  SignalCounter counter = { 0, };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_test_summary ("The tick count is ceil((now - start) / increment) when an event runs and "
                  "floor after advance/run_until stop between ticks");

  sigma_environment_set_time_increment (fixture->env, 10.0);
  sigma_environment_set_start_time (fixture->env, 1000.0);
  schedule_ok (fixture->env, event);
  connect_counter (fixture->env, "event-completed", &counter);

  run_until_ok (fixture->env, 1047.0);
  g_assert_cmpuint (counter.count, ==, 1);
  g_assert_cmpfloat (counter.last_time, ==, 1025.0);
  g_assert_cmpint (counter.last_tick, ==, 3);
  g_assert_cmpint (sigma_environment_get_tick_count (fixture->env), ==, 4);

  ok = sigma_environment_advance (fixture->env, 5.0, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (sigma_environment_get_tick_count (fixture->env), ==, 5);
}

/* ------------------------------------------------------------------------------------------ */
/* Conditions                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void
test_condition_checks (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new ("after-310", time_at_least,
                                                          GUINT_TO_POINTER (310), NULL);
  g_autoptr(SigmaEvent) succ = note_new ("succ", 0.0);
  SigmaEventLog *event_log = sigma_environment_get_log (fixture->env);
  SigmaCompletedEvent *check;
  JsonNode *value;
  guint n_checks = 0;

  g_test_summary ("A condition is checked every tick from its time; check k is <id>-CHECK_<k> "
                  "with a boolean value; successors run from the successful check's time");

  sigma_event_set_event_id (cond, "cond");
  sigma_event_set_delay (cond, 10.0);
  g_assert_cmpint (sigma_event_get_event_type (cond), ==, SIGMA_EVENT_TYPE_CONDITION);
  g_assert_cmpstr (sigma_condition_event_get_name (SIGMA_CONDITION_EVENT (cond)), ==, "after-310");
  g_assert_cmpuint (sigma_condition_event_get_every_ticks (SIGMA_CONDITION_EVENT (cond)), ==, 1);
  g_assert_cmpint (sigma_condition_event_get_timeout (SIGMA_CONDITION_EVENT (cond)), ==, SIGMA_TIMEOUT_NONE);
  sigma_event_followed_by (cond, succ);
  schedule_ok (fixture->env, cond);
  run_ok (fixture->env);

  for (guint i = 0; i < sigma_event_log_get_length (event_log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (event_log, i);
      g_autofree char *expected_id = NULL;

      if (sigma_completed_event_get_event_type (event) != SIGMA_EVENT_TYPE_CONDITION)
        continue;

      expected_id = g_strdup_printf ("cond-CHECK_%u", n_checks);
      g_assert_cmpstr (sigma_completed_event_get_event_id (event), ==, expected_id);
      g_assert_cmpfloat (sigma_completed_event_get_event_time (event), ==, 10.0 + n_checks);
      value = sigma_completed_event_get_return_value (event);
      g_assert_nonnull (value);
      g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_BOOLEAN);
      g_assert_cmpint (json_node_get_boolean (value), ==, n_checks == 300);
      n_checks++;
    }

  g_assert_cmpuint (n_checks, ==, 301);
  check = lookup_logged (fixture->env, "cond-CHECK_300");
  g_assert_nonnull (check);
  g_assert_cmpfloat (sigma_completed_event_get_event_time (check), ==, 310.0);
  g_assert_true (json_node_get_boolean (sigma_completed_event_get_return_value (check)));
  g_assert_cmpfloat (sigma_completed_event_get_event_time (lookup_logged (fixture->env, "succ")), ==, 310.0);
  g_assert_cmpuint (sigma_condition_event_get_check_count (SIGMA_CONDITION_EVENT (cond)), ==, 301);
  g_assert_cmpint (sigma_event_get_status (cond), ==, SIGMA_EVENT_STATUS_DONE);
}

static void
test_condition_every_ticks (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new ("after-400", time_at_least,
                                                          GUINT_TO_POINTER (400), NULL);
  g_autoptr(SigmaEvent) succ = note_new ("succ", 5.0);
  g_autofree char *trace = NULL;

  g_test_summary ("every_ticks × time_increment seconds between condition checks");

  sigma_environment_set_time_increment (fixture->env, 60.0);
  sigma_event_set_event_id (cond, "cond");
  sigma_condition_event_set_every_ticks (SIGMA_CONDITION_EVENT (cond), 3);
  sigma_event_followed_by (cond, succ);
  schedule_ok (fixture->env, cond);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "cond-CHECK_0@0 cond-CHECK_1@180 cond-CHECK_2@360 "
                              "cond-CHECK_3@540 succ@545");
}

static void
test_condition_timeout (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new ("never", never, NULL, NULL);
  g_autoptr(SigmaEvent) succ = note_new ("succ", 0.0);
  g_autoptr(SigmaEvent) other = note_new ("other", 20.0);
  g_autofree char *trace = NULL;

  g_test_summary ("A condition that times out is dropped silently: no failure, no successors");

  sigma_event_set_event_id (cond, "cond");
  sigma_event_set_delay (cond, 1.0);
  sigma_condition_event_set_timeout (SIGMA_CONDITION_EVENT (cond), 3);
  sigma_event_followed_by (cond, succ);
  schedule_ok (fixture->env, cond);
  schedule_ok (fixture->env, other);
  run_ok (fixture->env);

  /* count × every ≤ timeout re-checks: counts 1, 2, 3 re-check, count 4 drops. */
  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "cond-CHECK_0@1 cond-CHECK_1@2 cond-CHECK_2@3 cond-CHECK_3@4 other@20");
  g_assert_cmpint (sigma_event_get_status (cond), ==, SIGMA_EVENT_STATUS_DROPPED);
  g_assert_cmpint (sigma_event_get_status (succ), !=, SIGMA_EVENT_STATUS_DONE);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_null (sigma_environment_get_failure_reason (fixture->env));
}

/* ------------------------------------------------------------------------------------------ */
/* Validation events (spec/validation.md §1.6)                                                */
/* ------------------------------------------------------------------------------------------ */

/* §1.6 rows 1 and 2: a ValidationEvent depending on a t=1 event, every 1, two milestones that
 * become true at t=7 and t=9 (notes added by ENV events at those times). */
static SigmaEvent *
setup_milestones_7_9 (SigmaEnvironment *env,
                      gint              timeout)
{
  g_autoptr(SigmaEvent) parent = action_new ("e1-count", 1.0, "count", NULL);
  g_autoptr(SigmaEvent) seven = note_new ("e7", 7.0);
  g_autoptr(SigmaEvent) nine = note_new ("e9", 9.0);
  SigmaEvent *val = sigma_validation_event_new ();

  sigma_event_set_event_id (val, "val-7-9");
  sigma_validation_event_set_every_ticks (SIGMA_VALIDATION_EVENT (val), 1);
  sigma_validation_event_set_timeout (SIGMA_VALIDATION_EVENT (val), timeout);
  sigma_validation_event_add_milestone (SIGMA_VALIDATION_EVENT (val), "m7", has_note, (gpointer) "e7", NULL);
  sigma_validation_event_add_milestone (SIGMA_VALIDATION_EVENT (val), "m9", has_note, (gpointer) "e9", NULL);
  sigma_event_depends_on (val, parent);
  g_assert_cmpint (sigma_event_get_event_type (val), ==, SIGMA_EVENT_TYPE_VALIDATION);

  schedule_ok (env, val);
  schedule_ok (env, seven);
  schedule_ok (env, nine);
  return val;
}

static gboolean
json_array_has_string (JsonArray  *array,
                       const char *str)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), str) == 0)
      return TRUE;
  return FALSE;
}

static void
test_validation_milestones (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SigmaEvent) val = setup_milestones_7_9 (fixture->env, 10);
  g_autofree char *trace = NULL;
  g_auto(GStrv) achieved = NULL;
  SigmaEventLog *event_log = sigma_environment_get_log (fixture->env);
  SigmaCompletedEvent *last_check = NULL;
  JsonObject *value;
  guint n = 0;

  g_test_summary ("§1.6 row 1: milestones true at t=7 and t=9 with timeout 10: checks at "
                  "t=1…9, then success");

  run_ok (fixture->env);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  g_assert_null (sigma_environment_get_failure_reason (fixture->env));

  for (guint i = 0; i < sigma_event_log_get_length (event_log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (event_log, i);
      JsonNode *node;
      gboolean success;

      if (sigma_completed_event_get_event_type (event) != SIGMA_EVENT_TYPE_VALIDATION)
        continue;

      n++;
      g_assert_cmpfloat (sigma_completed_event_get_event_time (event), ==, (gdouble) n);
      node = sigma_completed_event_get_return_value (event);
      g_assert_nonnull (node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      value = json_node_get_object (node);
      g_assert_true (json_object_has_member (value, "success"));
      g_assert_true (json_object_has_member (value, "achieved_milestones"));
      success = json_object_get_boolean_member (value, "success");
      g_assert_cmpint (success, ==, n == 9);
      if (n == 7)
        g_assert_true (json_array_has_string (json_object_get_array_member (value, "achieved_milestones"), "m7"));
      if (n < 7)
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (value, "achieved_milestones")), ==, 0);
      last_check = event;
    }

  g_assert_cmpuint (n, ==, 9);
  g_assert_nonnull (last_check);
  value = json_node_get_object (sigma_completed_event_get_return_value (last_check));
  g_assert_true (json_array_has_string (json_object_get_array_member (value, "achieved_milestones"), "m7"));
  g_assert_true (json_array_has_string (json_object_get_array_member (value, "achieved_milestones"), "m9"));

  g_assert_cmpuint (sigma_validation_event_get_check_count (SIGMA_VALIDATION_EVENT (val)), ==, 9);
  achieved = sigma_validation_event_dup_achieved_milestones (SIGMA_VALIDATION_EVENT (val));
  g_assert_nonnull (achieved);
  g_assert_cmpuint (g_strv_length (achieved), ==, 2);
  g_assert_cmpstr (achieved[0], ==, "m7");
  g_assert_cmpstr (achieved[1], ==, "m9");
  g_assert_cmpint (sigma_event_get_status (val), ==, SIGMA_EVENT_STATUS_DONE);

  trace = log_trace (fixture->env, SIGMA_EVENT_TYPE_ENV);
  g_assert_cmpstr (trace, ==, "e1-count@1 e7@7 e9@9");
}

static void
test_validation_timeout (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SigmaEvent) val = setup_milestones_7_9 (fixture->env, 7);
  const char *reason;

  g_test_summary ("§1.6 row 2: the same with timeout 7 fails at t=7 with a milestone open");

  run_ok (fixture->env);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
  reason = sigma_environment_get_failure_reason (fixture->env);
  g_test_message ("failure reason: %s", reason);
  assert_mentions (reason, "val-7-9");
  assert_mentions (reason, "m9");

  g_assert_cmpuint (log_count_type (fixture->env, SIGMA_EVENT_TYPE_VALIDATION), ==, 7);
  g_assert_cmpuint (sigma_validation_event_get_check_count (SIGMA_VALIDATION_EVENT (val)), ==, 7);
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 7.0);
  g_assert_null (lookup_logged (fixture->env, "e9"));
  g_assert_cmpint (sigma_event_get_status (val), ==, SIGMA_EVENT_STATUS_FAILED);
}

static void
test_validation_minefield (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SigmaEvent) boom = note_new ("boom", 3.0);
  g_autoptr(SigmaEvent) later = note_new ("later", 5.0);
  g_autoptr(SigmaEvent) val = sigma_validation_event_new ();
  const char *reason;

  g_test_summary ("A true minefield fails the run; the reason names the validation event and "
                  "the minefield");

  sigma_event_set_event_id (val, "guard");
  sigma_validation_event_set_timeout (SIGMA_VALIDATION_EVENT (val), 10);
  sigma_validation_event_add_milestone (SIGMA_VALIDATION_EVENT (val), "has-later", has_note, (gpointer) "later", NULL);
  sigma_validation_event_add_minefield (SIGMA_VALIDATION_EVENT (val), "no-boom", has_note, (gpointer) "boom", NULL);
  schedule_ok (fixture->env, boom);
  schedule_ok (fixture->env, later);
  schedule_ok (fixture->env, val);
  run_ok (fixture->env);

  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
  reason = sigma_environment_get_failure_reason (fixture->env);
  g_test_message ("failure reason: %s", reason);
  assert_mentions (reason, "guard");
  assert_mentions (reason, "no-boom");
  g_assert_cmpfloat (sigma_environment_get_time (fixture->env), ==, 3.0);
  g_assert_null (lookup_logged (fixture->env, "later"));
}

static void
test_validation_default_timeout (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SigmaEvent) val = sigma_validation_event_new ();
  g_autoptr(SigmaEvent) later = note_new ("later", 5.0);

  g_test_summary ("The default validation timeout is 1: a single check");

  g_assert_cmpint (sigma_validation_event_get_timeout (SIGMA_VALIDATION_EVENT (val)), ==, 1);
  g_assert_cmpuint (sigma_validation_event_get_every_ticks (SIGMA_VALIDATION_EVENT (val)), ==, 1);

  sigma_event_set_event_id (val, "single-check");
  sigma_event_set_delay (val, 2.0);
  sigma_validation_event_add_milestone (SIGMA_VALIDATION_EVENT (val), "has-later", has_note, (gpointer) "later", NULL);
  schedule_ok (fixture->env, val);
  schedule_ok (fixture->env, later);
  run_ok (fixture->env);

  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
  assert_mentions (sigma_environment_get_failure_reason (fixture->env), "single-check");
  assert_mentions (sigma_environment_get_failure_reason (fixture->env), "has-later");
  g_assert_cmpuint (log_count_type (fixture->env, SIGMA_EVENT_TYPE_VALIDATION), ==, 1);
  g_assert_cmpuint (sigma_validation_event_get_check_count (SIGMA_VALIDATION_EVENT (val)), ==, 1);
  g_assert_null (lookup_logged (fixture->env, "later"));
}

static void
test_validation_successors (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SigmaEvent) val = sigma_validation_event_new ();
  g_autoptr(SigmaEvent) succ = note_new ("succ", 3.0);
  g_autofree char *trace = NULL;

  g_test_summary ("A validation event releases its successors when its milestones are achieved");

  sigma_event_set_event_id (val, "val");
  sigma_event_set_delay (val, 1.0);
  sigma_validation_event_set_timeout (SIGMA_VALIDATION_EVENT (val), SIGMA_TIMEOUT_NONE);
  sigma_validation_event_add_milestone (SIGMA_VALIDATION_EVENT (val), "t4", time_at_least,
                                        GUINT_TO_POINTER (4), NULL);
  sigma_event_followed_by (val, succ);
  schedule_ok (fixture->env, val);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, SIGMA_EVENT_TYPE_ENV);
  g_assert_cmpstr (trace, ==, "succ@7");
  g_assert_cmpuint (log_count_type (fixture->env, SIGMA_EVENT_TYPE_VALIDATION), ==, 4);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
}

/* ------------------------------------------------------------------------------------------ */
/* Agent validation events (spec/validation.md §1.6)                                          */
/* ------------------------------------------------------------------------------------------ */

static SigmaEvent *
agent_validation_new (const char *id,
                      gdouble     delay,
                      gint        timeout)
{
  SigmaEvent *ave = sigma_agent_validation_event_new ();

  sigma_event_set_event_id (ave, id);
  sigma_event_set_delay (ave, delay);
  sigma_agent_validation_event_set_timeout (SIGMA_AGENT_VALIDATION_EVENT (ave), timeout);
  return ave;
}

static void
agent_add_note (SigmaEnvironment *env,
                const char       *title)
{
  g_autofree char *json = g_strdup_printf ("{\"title\": \"%s\"}", title);
  g_autoptr(JsonObject) args = args_new (json);
  g_autoptr(JsonNode) result = NULL;

  /* The call itself succeeds; a validator failure shows in the environment state. */
  result = sigma_environment_call_tool (env, "notes", "add_note", args, SIGMA_EVENT_TYPE_AGENT, NULL);
}

/* §1.6 rows 3 and 4, with time increments 1 and 3600 (timeouts count ticks). */
static void
test_agent_validation_milestones (gconstpointer data)
{
  const gdouble inc = GPOINTER_TO_UINT (data);
  const gint timeouts[] = { 10, 6 };

  g_test_summary ("§1.6 rows 3-4: agent validator from t=1, actions at t=7 and t=9: success "
                  "with timeout 10, FAILED with timeout 6");

  for (guint i = 0; i < G_N_ELEMENTS (timeouts); i++)
    {
      g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
      g_autoptr(SigmaEvent) ave = agent_validation_new ("agent-check", 1 * inc, timeouts[i]);

      g_test_message ("increment %g, timeout %d", inc, timeouts[i]);
      sigma_environment_set_time_increment (env, inc);
      sigma_agent_validation_event_add_milestone (SIGMA_AGENT_VALIDATION_EVENT (ave), "m-first",
                                                  agent_added_title, (gpointer) "first", NULL);
      sigma_agent_validation_event_add_milestone (SIGMA_AGENT_VALIDATION_EVENT (ave), "m-second",
                                                  agent_added_title, (gpointer) "second", NULL);
      schedule_ok (env, ave);

      run_until_ok (env, 7 * inc);
      g_assert_cmpint (sigma_environment_get_tick_count (env), ==, 7);
      agent_add_note (env, "first");

      if (timeouts[i] == 6)
        {
          /* count 6 ≥ 6 with milestones open. */
          const char *reason = sigma_environment_get_failure_reason (env);

          g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
          g_test_message ("failure reason: %s", reason);
          assert_mentions (reason, "agent-check");
          assert_mentions (reason, "m-first");
          continue;
        }

      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);
      run_until_ok (env, 9 * inc);
      agent_add_note (env, "second");
      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);

      run_ok (env);
      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
      g_assert_null (sigma_environment_get_failure_reason (env));
      /* The validator logs nothing. */
      g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (env)), ==, 2);
    }
}

/* §1.6 row 5. */
static void
test_agent_validation_window (void)
{
  const struct { gdouble at; SigmaEnvironmentState state; } cases[] = {
    { 4.0, SIGMA_ENVIRONMENT_STATE_STOPPED },
    { 10.0, SIGMA_ENVIRONMENT_STATE_FAILED },
  };

  g_test_summary ("§1.6 row 5: validator from t=2 with timeout 5: an action at t=4 passes, at "
                  "t=10 fails");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
      g_autoptr(SigmaEvent) ave = agent_validation_new ("window", 2.0, 5);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      sigma_agent_validation_event_add_milestone (SIGMA_AGENT_VALIDATION_EVENT (ave), "did-it",
                                                  agent_added_title, (gpointer) "it", NULL);
      schedule_ok (env, ave);
      /* Driven with advance() here, run_until() elsewhere. */
      ok = sigma_environment_advance (env, cases[i].at, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpfloat (sigma_environment_get_time (env), ==, cases[i].at);
      agent_add_note (env, "it");

      if (cases[i].state == SIGMA_ENVIRONMENT_STATE_FAILED)
        {
          g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
          assert_mentions (sigma_environment_get_failure_reason (env), "window");
          assert_mentions (sigma_environment_get_failure_reason (env), "did-it");
          continue;
        }

      run_ok (env);
      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
    }
}

/* §1.6 row 6. */
static void
test_agent_validation_minefield (void)
{
  const struct { gdouble at; SigmaEnvironmentState state; } cases[] = {
    { 1.0, SIGMA_ENVIRONMENT_STATE_FAILED },
    { 6.0, SIGMA_ENVIRONMENT_STATE_STOPPED },
  };

  g_test_summary ("§1.6 row 6: minefield \"any system call\" from t=0 with timeout 5: a call at "
                  "t=1 fails, a call at t=6 passes");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
      g_autoptr(SigmaApp) system = sigma_test_app_new ("system");
      g_autoptr(SigmaEvent) ave = agent_validation_new ("no-system", 0.0, 5);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(JsonObject) args = json_object_new ();
      gboolean ok;

      ok = sigma_environment_add_app (env, system, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      sigma_agent_validation_event_add_minefield (SIGMA_AGENT_VALIDATION_EVENT (ave), "system-call",
                                                  agent_called_app, (gpointer) "system", NULL);
      schedule_ok (env, ave);
      run_until_ok (env, cases[i].at);
      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);
      result = sigma_environment_call_tool (env, "system", "count", args, SIGMA_EVENT_TYPE_AGENT, NULL);
      g_assert_nonnull (lookup_logged (env, sigma_completed_event_get_event_id (sigma_environment_get_last_event (env))));

      if (cases[i].state == SIGMA_ENVIRONMENT_STATE_FAILED)
        {
          g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
          assert_mentions (sigma_environment_get_failure_reason (env), "no-system");
          assert_mentions (sigma_environment_get_failure_reason (env), "system-call");
          continue;
        }

      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);
      run_ok (env);
      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
    }
}

static void
test_agent_validation_final (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SigmaEvent) ave = agent_validation_new ("pending", 1.0, SIGMA_TIMEOUT_NONE);
  const char *reason;

  g_test_summary ("An agent validator with open milestones fails the run when it stops");

  sigma_agent_validation_event_add_milestone (SIGMA_AGENT_VALIDATION_EVENT (ave), "never-done",
                                              agent_added_title, (gpointer) "never", NULL);
  schedule_ok (fixture->env, ave);
  run_until_ok (fixture->env, 5.0);
  agent_add_note (fixture->env, "something else");
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);

  sigma_environment_stop (fixture->env);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
  reason = sigma_environment_get_failure_reason (fixture->env);
  g_test_message ("failure reason: %s", reason);
  assert_mentions (reason, "pending");
  assert_mentions (reason, "never-done");
}

static void
test_agent_validation_only_agent (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(SigmaEvent) ave = agent_validation_new ("strict", 0.0, SIGMA_TIMEOUT_NONE);
  g_autoptr(SigmaEvent) env_event = note_new ("env-note", 2.0);
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("Agent validators see AGENT events only (not USER or ENV)");

  sigma_agent_validation_event_add_minefield (SIGMA_AGENT_VALIDATION_EVENT (ave), "anything",
                                              agent_any, NULL, NULL);
  schedule_ok (fixture->env, ave);
  schedule_ok (fixture->env, env_event);
  run_until_ok (fixture->env, 3.0);
  result = call_ok (fixture->env, "notes", "count", "{}", SIGMA_EVENT_TYPE_USER);
  g_assert_nonnull (lookup_logged (fixture->env, "env-note"));
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);

  agent_add_note (fixture->env, "x");
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
  assert_mentions (sigma_environment_get_failure_reason (fixture->env), "strict");
  assert_mentions (sigma_environment_get_failure_reason (fixture->env), "anything");
}

static void
test_agent_validation_successors (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(SigmaEvent) ave = agent_validation_new ("installed", 2.0, 10);
  g_autoptr(SigmaEvent) succ = note_new ("succ", 1.0);
  g_autofree char *trace = NULL;

  g_test_summary ("An agent validation event releases its successors once installed (unlike ARE)");

  sigma_agent_validation_event_add_minefield (SIGMA_AGENT_VALIDATION_EVENT (ave), "anything",
                                              agent_any, NULL, NULL);
  sigma_event_followed_by (ave, succ);
  schedule_ok (fixture->env, ave);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "succ@3");
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
}

/* ------------------------------------------------------------------------------------------ */
/* Placeholders                                                                               */
/* ------------------------------------------------------------------------------------------ */

static void
test_placeholders (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SigmaEvent) a = action_new ("a", 1.0, "add_note", "{\"title\": \"first\"}");
  g_autoptr(SigmaEvent) s = action_new ("s", 1.0, "set_flags",
                                        "{\"flags\": [\"x\"], \"opts\": {\"meta\": {\"label\": \"L\"}}}");
  g_autoptr(SigmaEvent) b = action_new ("b", 1.0, "get_note", "{\"id\": \"{{a.id}}\"}");
  g_autoptr(SigmaEvent) c = action_new ("c", 1.0, "add_note",
                                        "{\"title\": \"{{s.opts.meta.label}}\", \"body\": \" {{a.title}} \"}");
  g_autoptr(SigmaEvent) d = action_new ("d", 1.0, "add_note", "{\"title\": \"Hi {{a.title}}\"}");
  g_autoptr(SigmaEvent) e = action_new ("e", 1.0, "add_note", "{\"title\": \"{{ghost}}\"}");
  g_autoptr(SigmaEvent) f = action_new ("f", 1.0, "add_note", "{\"title\": \"{{a.nokey}}\"}");
  g_autoptr(SigmaEvent) g = action_new ("g", 5.0, "add_note", "{\"title\": \"after\"}");
  SigmaCompletedEvent *done;
  JsonObject *args;
  const GError *error;

  g_test_summary ("{{id}} and {{id.key.sub}} arguments resolve from earlier return values; an "
                  "unknown id or key is the event's PLACEHOLDER error and the run goes on");

  sigma_event_depends_on (b, a);
  sigma_event_depends_on (c, a);
  sigma_event_depends_on (c, s);
  sigma_event_depends_on (d, a);
  sigma_event_depends_on (e, a);
  sigma_event_depends_on (f, a);
  schedule_ok (fixture->env, a);
  schedule_ok (fixture->env, s);
  schedule_ok (fixture->env, g);
  run_ok (fixture->env);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);

  done = lookup_logged (fixture->env, "b");
  g_assert_nonnull (done);
  g_assert_false (sigma_completed_event_is_failure (done));
  args = sigma_completed_event_get_args (done);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (args, "id")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (args, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sigma_completed_event_get_return_value (done)),
                                                  "title"), ==, "first");

  done = lookup_logged (fixture->env, "c");
  g_assert_nonnull (done);
  g_assert_false (sigma_completed_event_is_failure (done));
  args = sigma_completed_event_get_args (done);
  g_assert_cmpstr (json_object_get_string_member (args, "title"), ==, "L");
  g_assert_cmpstr (json_object_get_string_member (args, "body"), ==, "first");

  done = lookup_logged (fixture->env, "d");
  g_assert_nonnull (done);
  g_assert_false (sigma_completed_event_is_failure (done));
  args = sigma_completed_event_get_args (done);
  g_assert_cmpstr (json_object_get_string_member (args, "title"), ==, "Hi {{a.title}}");

  done = lookup_logged (fixture->env, "e");
  g_assert_nonnull (done);
  g_assert_true (sigma_completed_event_is_failure (done));
  error = sigma_completed_event_get_error (done);
  assert_error_mentions (error, SIGMA_ERROR_PLACEHOLDER, "ghost");

  done = lookup_logged (fixture->env, "f");
  g_assert_nonnull (done);
  g_assert_true (sigma_completed_event_is_failure (done));
  error = sigma_completed_event_get_error (done);
  assert_error_mentions (error, SIGMA_ERROR_PLACEHOLDER, "nokey");

  g_assert_nonnull (lookup_logged (fixture->env, "g"));
  /* first, L, "Hi {{a.title}}", after: the failed events never called the tool. */
  g_assert_cmpuint (sigma_test_app_get_n_notes (notes_of (fixture->env)), ==, 4);
  g_assert_false (sigma_test_app_has_note (notes_of (fixture->env), "{{ghost}}"));
}

/* ------------------------------------------------------------------------------------------ */
/* Tools                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void
test_tool_failure (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SigmaEvent) broken = action_new ("broken", 1.0, "fail", "{\"message\": \"kaput\"}");
  g_autoptr(SigmaEvent) succ = note_new ("succ", 1.0);
  g_autoptr(SigmaEvent) missing = action_new ("missing", 3.0, "get_note", "{\"id\": 42}");
  SigmaCompletedEvent *done;
  const GError *error;
  g_autofree char *trace = NULL;

  g_test_summary ("A failing tool logs its error; successors still run and the run goes on");

  sigma_event_followed_by (broken, succ);
  schedule_ok (fixture->env, broken);
  schedule_ok (fixture->env, missing);
  run_ok (fixture->env);

  trace = log_trace (fixture->env, -1);
  g_assert_cmpstr (trace, ==, "broken@1 succ@2 missing@3");
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);

  done = lookup_logged (fixture->env, "broken");
  g_assert_true (sigma_completed_event_is_failure (done));
  error = sigma_completed_event_get_error (done);
  assert_error_mentions (error, SIGMA_ERROR_TOOL_FAILED, "kaput");
  assert_mentions (sigma_completed_event_get_error_message (done), "kaput");
  g_assert_cmpint (sigma_event_get_status (broken), ==, SIGMA_EVENT_STATUS_FAILED);

  done = lookup_logged (fixture->env, "succ");
  g_assert_false (sigma_completed_event_is_failure (done));
  g_assert_null (sigma_completed_event_get_error (done));

  done = lookup_logged (fixture->env, "missing");
  error = sigma_completed_event_get_error (done);
  assert_error_mentions (error, SIGMA_ERROR_TOOL_FAILED, "Note 42 does not exist");
}

static void
test_tool_nested (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(SigmaEvent) scheduled = action_new ("sched-nested", 1.0, "nested", "{\"title\": \"inner-2\"}");
  SigmaEventLog *event_log = sigma_environment_get_log (fixture->env);
  SigmaCompletedEvent *last;

  g_test_summary ("A tool calling another tool through the environment is logged once");

  result = call_ok (fixture->env, "notes", "nested", "{\"title\": \"inner\"}", SIGMA_EVENT_TYPE_AGENT);
  g_assert_nonnull (result);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (result));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "title"), ==, "inner");
  g_assert_cmpuint (sigma_event_log_get_length (event_log), ==, 1);
  last = sigma_environment_get_last_event (fixture->env);
  g_assert_cmpstr (sigma_completed_event_get_function (last), ==, "nested");
  g_assert_true (sigma_completed_event_is_write (last));
  g_assert_true (sigma_test_app_has_note (notes_of (fixture->env), "inner"));

  schedule_ok (fixture->env, scheduled);
  run_ok (fixture->env);
  g_assert_cmpuint (sigma_event_log_get_length (event_log), ==, 2);
  g_assert_cmpstr (sigma_completed_event_get_function (sigma_event_log_get (event_log, 1)), ==, "nested");
  g_assert_cmpuint (sigma_test_app_get_n_notes (notes_of (fixture->env)), ==, 2);
}

static void
test_call_tool_errors (Fixture       *fixture,
                       gconstpointer  data)
{
  g_test_summary ("call_tool errors: unknown app/tool, missing/unknown/mistyped arguments; "
                  "each is logged as a failed event");

  call_fails (fixture->env, "nope", "count", "{}", SIGMA_ERROR_UNKNOWN_APP,
              (const char *[]) { "nope", NULL });
  call_fails (fixture->env, "notes", "frobnicate", "{}", SIGMA_ERROR_UNKNOWN_TOOL,
              (const char *[]) { "frobnicate", NULL });
  call_fails (fixture->env, "notes", "add_note", "{}", SIGMA_ERROR_INVALID_ARGUMENT,
              (const char *[]) { "add_note", "title", NULL });
  call_fails (fixture->env, "notes", "add_note", "{\"title\": \"x\", \"colour\": \"red\"}",
              SIGMA_ERROR_INVALID_ARGUMENT, (const char *[]) { "add_note", "colour", NULL });
  call_fails (fixture->env, "notes", "add_note", "{\"title\": 5}", SIGMA_ERROR_INVALID_ARGUMENT,
              (const char *[]) { "add_note", "title", NULL });
  call_fails (fixture->env, "notes", "get_note", "{\"id\": 42}", SIGMA_ERROR_TOOL_FAILED,
              (const char *[]) { "Note 42 does not exist", NULL });

  g_assert_cmpuint (sigma_test_app_get_n_notes (notes_of (fixture->env)), ==, 0);
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (fixture->env)), ==, 6);
}

static void
test_tool_argument_types (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) price = NULL;
  g_autoptr(JsonNode) flags = NULL;

  g_test_summary ("Argument types: integer accepted for number; 3.5 rejected for integer; "
                  "\"5\" rejected for number; null only for nullable parameters");

  price = call_ok (fixture->env, "notes", "set_price", "{\"price\": 5}", SIGMA_EVENT_TYPE_AGENT);
  g_assert_nonnull (price);
  g_assert_cmpfloat (sigma_test_app_get_price (notes_of (fixture->env)), ==, 5.0);

  call_fails (fixture->env, "notes", "get_note", "{\"id\": 3.5}", SIGMA_ERROR_INVALID_ARGUMENT,
              (const char *[]) { "get_note", "id", NULL });
  call_fails (fixture->env, "notes", "set_price", "{\"price\": \"5\"}", SIGMA_ERROR_INVALID_ARGUMENT,
              (const char *[]) { "set_price", "price", NULL });
  /* an overflowing literal parses as an infinity, which JSON cannot carry back */
  call_fails (fixture->env, "notes", "set_price", "{\"price\": 1e400}", SIGMA_ERROR_INVALID_ARGUMENT,
              (const char *[]) { "set_price", "price", "finite", NULL });
  call_fails (fixture->env, "notes", "add_note", "{\"title\": null}", SIGMA_ERROR_INVALID_ARGUMENT,
              (const char *[]) { "add_note", "title", NULL });
  call_fails (fixture->env, "notes", "set_flags", "{\"flags\": null, \"opts\": null}",
              SIGMA_ERROR_INVALID_ARGUMENT, (const char *[]) { "set_flags", "flags", NULL });
  call_fails (fixture->env, "notes", "set_flags", "{\"flags\": [\"a\", 2], \"opts\": null}",
              SIGMA_ERROR_INVALID_ARGUMENT, (const char *[]) { "set_flags", "flags", NULL });
  call_fails (fixture->env, "notes", "set_flags", "{\"flags\": [], \"opts\": [1]}",
              SIGMA_ERROR_INVALID_ARGUMENT, (const char *[]) { "set_flags", "opts", NULL });
  g_assert_cmpfloat (sigma_test_app_get_price (notes_of (fixture->env)), ==, 5.0);

  flags = call_ok (fixture->env, "notes", "set_flags", "{\"flags\": [\"a\", \"b\"], \"opts\": null}",
                   SIGMA_EVENT_TYPE_AGENT);
  g_assert_nonnull (flags);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (flags), "opts")));
}

static void
test_tool_defaults (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonObject) args = args_new ("{\"title\": \"t\"}");
  g_autoptr(JsonObject) validated = NULL;
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *last;
  SigmaTool *tool;

  g_test_summary ("Defaults of optional parameters are filled into the logged arguments");

  result = call_ok (fixture->env, "notes", "add_note", "{\"title\": \"t\"}", SIGMA_EVENT_TYPE_AGENT);
  last = sigma_environment_get_last_event (fixture->env);
  g_assert_true (json_object_has_member (sigma_completed_event_get_args (last), "body"));
  g_assert_cmpstr (json_object_get_string_member (sigma_completed_event_get_args (last), "body"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (sigma_completed_event_get_args (last), "title"), ==, "t");
  g_assert_true (sigma_completed_event_is_write (last));
  g_assert_cmpint (sigma_completed_event_get_operation (last), ==, SIGMA_TOOL_OPERATION_WRITE);

  tool = sigma_app_lookup_tool (fixture->app, "add_note");
  g_assert_nonnull (tool);
  validated = sigma_tool_validate_args (tool, args, &error);
  g_assert_no_error (error);
  g_assert_nonnull (validated);
  g_assert_cmpstr (json_object_get_string_member (validated, "body"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (validated, "title"), ==, "t");
}

static void
test_tool_schema (Fixture       *fixture,
                  gconstpointer  data)
{
  SigmaTool *tool = sigma_app_lookup_tool (fixture->app, "add_note");
  g_autoptr(JsonNode) schema = NULL;
  JsonObject *root;
  JsonObject *function;
  JsonObject *parameters;
  JsonObject *properties;
  JsonObject *title;
  JsonArray *required;

  g_test_summary ("sigma_tool_to_json_schema renders an OpenAI function schema");

  g_assert_nonnull (tool);
  g_assert_cmpstr (sigma_tool_get_name (tool), ==, "add_note");
  g_assert_cmpint (sigma_tool_get_operation (tool), ==, SIGMA_TOOL_OPERATION_WRITE);
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, 2);
  g_assert_cmpstr (sigma_tool_get_parameter_name (tool, 0), ==, "title");
  g_assert_true (sigma_tool_get_parameter_required (tool, 0));
  g_assert_false (sigma_tool_get_parameter_required (tool, 1));
  g_assert_cmpint (sigma_tool_get_parameter_type (tool, 1), ==, SIGMA_VALUE_TYPE_STRING);

  schema = sigma_tool_to_json_schema (tool, "notes");
  g_assert_nonnull (schema);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (schema));
  root = json_node_get_object (schema);
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "function");

  function = json_object_get_object_member (root, "function");
  g_assert_nonnull (function);
  g_assert_cmpstr (json_object_get_string_member (function, "name"), ==, "notes__add_note");
  assert_mentions (json_object_get_string_member (function, "description"), "Adds a note.");

  parameters = json_object_get_object_member (function, "parameters");
  g_assert_nonnull (parameters);
  g_assert_cmpstr (json_object_get_string_member (parameters, "type"), ==, "object");

  properties = json_object_get_object_member (parameters, "properties");
  g_assert_nonnull (properties);
  g_assert_cmpuint (json_object_get_size (properties), ==, 2);
  title = json_object_get_object_member (properties, "title");
  g_assert_nonnull (title);
  g_assert_cmpstr (json_object_get_string_member (title, "type"), ==, "string");
  assert_mentions (json_object_get_string_member (title, "description"), "The title of the note.");
  g_assert_true (json_object_has_member (properties, "body"));

  required = json_object_get_array_member (parameters, "required");
  g_assert_nonnull (required);
  g_assert_cmpuint (json_array_get_length (required), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (required, 0), ==, "title");

  /* Other types. */
  g_clear_pointer (&schema, json_node_unref);
  schema = sigma_tool_to_json_schema (sigma_app_lookup_tool (fixture->app, "get_note"), "notes");
  properties = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (
                 json_node_get_object (schema), "function"), "parameters"), "properties");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (properties, "id"), "type"),
                   ==, "integer");

  g_clear_pointer (&schema, json_node_unref);
  schema = sigma_tool_to_json_schema (sigma_app_lookup_tool (fixture->app, "set_price"), "notes");
  properties = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (
                 json_node_get_object (schema), "function"), "parameters"), "properties");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (properties, "price"), "type"),
                   ==, "number");

  g_clear_pointer (&schema, json_node_unref);
  schema = sigma_tool_to_json_schema (sigma_app_lookup_tool (fixture->app, "count"), "notes");
  parameters = json_object_get_object_member (json_object_get_object_member (json_node_get_object (schema),
                                                                             "function"), "parameters");
  g_assert_cmpstr (json_object_get_string_member (parameters, "type"), ==, "object");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (parameters, "properties")), ==, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Oracle events                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void
test_oracle (void)
{
  const gboolean modes[] = { FALSE, TRUE };

  g_test_summary ("Oracle events are dropped outside oracle mode (successors not released) and "
                  "run as AGENT events under the oracle id in oracle mode");

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
      g_autoptr(JsonObject) args = args_new ("{\"title\": \"by-oracle\"}");
      g_autoptr(SigmaEvent) oracle = sigma_oracle_event_new ("notes", "add_note", args);
      g_autoptr(SigmaEvent) succ = action_new ("after-oracle", 1.0, "count", NULL);
      g_autoptr(SigmaEvent) other = note_new ("other", 5.0);
      SigmaCompletedEvent *done;

      g_test_message ("oracle mode %d", modes[i]);
      sigma_environment_set_oracle_mode (env, modes[i]);
      sigma_event_set_event_id (oracle, "o1");
      sigma_event_set_delay (oracle, 1.0);
      sigma_event_followed_by (oracle, succ);
      schedule_ok (env, oracle);
      schedule_ok (env, other);
      run_ok (env);

      g_assert_cmpint (sigma_environment_get_state (env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
      g_assert_nonnull (lookup_logged (env, "other"));

      if (!modes[i])
        {
          g_autofree char *trace = log_trace (env, -1);

          g_assert_cmpstr (trace, ==, "other@5");
          g_assert_cmpint (sigma_event_get_status (oracle), ==, SIGMA_EVENT_STATUS_DROPPED);
          g_assert_cmpint (sigma_event_get_status (succ), !=, SIGMA_EVENT_STATUS_DONE);
          g_assert_false (sigma_test_app_has_note (notes_of (env), "by-oracle"));
          continue;
        }

      done = lookup_logged (env, "o1");
      g_assert_nonnull (done);
      g_assert_cmpint (sigma_completed_event_get_event_type (done), ==, SIGMA_EVENT_TYPE_AGENT);
      g_assert_cmpfloat (sigma_completed_event_get_event_time (done), ==, 1.0);
      g_assert_cmpstr (sigma_completed_event_get_app_name (done), ==, "notes");
      g_assert_cmpstr (sigma_completed_event_get_function (done), ==, "add_note");
      g_assert_true (sigma_test_app_has_note (notes_of (env), "by-oracle"));
      done = lookup_logged (env, "after-oracle");
      g_assert_nonnull (done);
      g_assert_cmpfloat (sigma_completed_event_get_event_time (done), ==, 2.0);
      g_assert_cmpint (sigma_event_get_status (oracle), ==, SIGMA_EVENT_STATUS_DONE);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* GClosure predicates                                                                        */
/* ------------------------------------------------------------------------------------------ */

static gboolean
closure_time_at_least (SigmaEnvironment *env,
                       gpointer          user_data)
{
  return sigma_environment_get_time (env) >= (gdouble) GPOINTER_TO_UINT (user_data);
}

static gboolean
closure_agent_title (SigmaEnvironment    *env,
                     SigmaCompletedEvent *event,
                     gpointer             user_data)
{
  return agent_added_title (env, event, user_data);
}

static void
test_closures (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new_with_closure (
    "t5", g_cclosure_new (G_CALLBACK (closure_time_at_least), GUINT_TO_POINTER (5), NULL));
  g_autoptr(SigmaEvent) after_cond = note_new ("after-cond", 0.0);
  g_autoptr(SigmaEvent) val = sigma_validation_event_new ();
  g_autoptr(SigmaEvent) ave = agent_validation_new ("ave", 0.0, SIGMA_TIMEOUT_NONE);
  g_autoptr(SigmaEnvironment) mined = env_new_with_notes ();
  g_autoptr(SigmaEvent) mine = sigma_validation_event_new ();
  g_auto(GStrv) achieved = NULL;
  SigmaCompletedEvent *check;

  g_test_summary ("Conditions, milestones and minefields given as GClosures work like callbacks");

  sigma_event_set_event_id (cond, "cond");
  sigma_event_followed_by (cond, after_cond);

  sigma_event_set_event_id (val, "val");
  sigma_validation_event_set_timeout (SIGMA_VALIDATION_EVENT (val), 20);
  sigma_validation_event_add_milestone_closure (SIGMA_VALIDATION_EVENT (val), "t3",
    g_cclosure_new (G_CALLBACK (closure_time_at_least), GUINT_TO_POINTER (3), NULL));
  sigma_validation_event_add_minefield_closure (SIGMA_VALIDATION_EVENT (val), "t100",
    g_cclosure_new (G_CALLBACK (closure_time_at_least), GUINT_TO_POINTER (100), NULL));

  sigma_agent_validation_event_add_milestone_closure (SIGMA_AGENT_VALIDATION_EVENT (ave), "agent-wrote",
    g_cclosure_new (G_CALLBACK (closure_agent_title), (gpointer) "agent", NULL));

  schedule_ok (fixture->env, cond);
  schedule_ok (fixture->env, val);
  schedule_ok (fixture->env, ave);
  run_until_ok (fixture->env, 6.0);
  agent_add_note (fixture->env, "agent");
  run_ok (fixture->env);

  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_STOPPED);
  check = lookup_logged (fixture->env, "cond-CHECK_5");
  g_assert_nonnull (check);
  g_assert_true (json_node_get_boolean (sigma_completed_event_get_return_value (check)));
  g_assert_null (lookup_logged (fixture->env, "cond-CHECK_6"));
  g_assert_cmpfloat (sigma_completed_event_get_event_time (lookup_logged (fixture->env, "after-cond")), ==, 5.0);
  achieved = sigma_validation_event_dup_achieved_milestones (SIGMA_VALIDATION_EVENT (val));
  g_assert_nonnull (achieved);
  g_assert_cmpuint (g_strv_length (achieved), ==, 1);
  g_assert_cmpstr (achieved[0], ==, "t3");
  check = lookup_logged (fixture->env, "after-cond");
  g_assert_nonnull (check);

  /* A minefield closure that holds fails the run. */
  sigma_event_set_event_id (mine, "closure-watch");
  sigma_event_set_delay (mine, 2.0);
  sigma_validation_event_add_minefield_closure (SIGMA_VALIDATION_EVENT (mine), "past-one",
    g_cclosure_new (G_CALLBACK (closure_time_at_least), GUINT_TO_POINTER (1), NULL));
  schedule_ok (mined, mine);
  run_ok (mined);
  g_assert_cmpint (sigma_environment_get_state (mined), ==, SIGMA_ENVIRONMENT_STATE_FAILED);
  g_test_message ("failure reason: %s", sigma_environment_get_failure_reason (mined));
  assert_mentions (sigma_environment_get_failure_reason (mined), "closure-watch");
  assert_mentions (sigma_environment_get_failure_reason (mined), "past-one");
}

/* ------------------------------------------------------------------------------------------ */
/* Signals                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
test_signals (Fixture       *fixture,
              gconstpointer  data)
{
  SignalCounter completed = { 0, };
  SignalCounter state = { 0, };
  g_autoptr(SigmaEvent) a = note_new ("a", 1.0);
  g_autoptr(SigmaEvent) b = note_new ("b", 2.0);
  g_autoptr(SigmaEvent) cond = sigma_condition_event_new ("t3", time_at_least,
                                                          GUINT_TO_POINTER (3), NULL);
  guint log_length;

  g_test_summary ("event-completed is emitted once per logged event, state-changed once per "
                  "state change");

  connect_counter (fixture->env, "event-completed", &completed);
  connect_counter (fixture->env, "state-changed", &state);

  schedule_ok (fixture->env, a);
  schedule_ok (fixture->env, b);
  schedule_ok (fixture->env, cond);
  g_assert_cmpuint (state.count, ==, 0);
  run_ok (fixture->env);

  log_length = sigma_event_log_get_length (sigma_environment_get_log (fixture->env));
  g_assert_cmpuint (log_length, ==, 6);   /* a, b, 4 checks */
  g_assert_cmpuint (completed.count, ==, log_length);
  g_assert_cmpuint (state.count, ==, 2);  /* SETUP → RUNNING → STOPPED */
}

static void
test_signals_call_tool (Fixture       *fixture,
                        gconstpointer  data)
{
  SignalCounter completed = { 0, };
  SignalCounter state = { 0, };
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("call_tool leaves SETUP and emits event-completed, also for a failed call");

  connect_counter (fixture->env, "event-completed", &completed);
  connect_counter (fixture->env, "state-changed", &state);

  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_SETUP);
  result = call_ok (fixture->env, "notes", "count", "{}", SIGMA_EVENT_TYPE_AGENT);
  g_assert_cmpint (sigma_environment_get_state (fixture->env), ==, SIGMA_ENVIRONMENT_STATE_RUNNING);
  g_assert_cmpuint (state.count, ==, 1);
  g_assert_cmpuint (completed.count, ==, 1);

  call_fails (fixture->env, "notes", "fail", "{\"message\": \"nope\"}", SIGMA_ERROR_TOOL_FAILED,
              (const char *[]) { "nope", NULL });
  g_assert_cmpuint (completed.count, ==, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* Apps                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void
test_app_duplicate (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SigmaApp) twin = sigma_test_app_new ("notes");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_test_summary ("Adding a second app with the same name is DUPLICATE_ID, naming the app");

  g_assert_cmpstr (sigma_app_get_name (fixture->app), ==, "notes");
  g_assert_true (sigma_app_get_environment (fixture->app) == fixture->env);
  ok = sigma_environment_add_app (fixture->env, twin, &error);
  g_assert_false (ok);
  assert_error_mentions (error, SIGMA_ERROR_DUPLICATE_ID, "notes");
  g_assert_true (sigma_environment_get_app (fixture->env, "notes") == fixture->app);
  g_assert_null (sigma_app_get_environment (twin));
  g_assert_null (sigma_environment_get_app (fixture->env, "absent"));
}

static JsonNode *
invoke_ok (SigmaApp   *app,
           const char *tool,
           const char *args_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) args = args_new (args_json);
  JsonNode *result = sigma_app_invoke (app, tool, args, &error);

  g_assert_no_error (error);
  return result;
}

static void
test_app_state (void)
{
  g_autoptr(SigmaApp) app = sigma_test_app_new ("notes");
  g_autoptr(SigmaApp) copy = sigma_test_app_new ("copy");
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autoptr(JsonNode) r3 = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) copied = NULL;
  g_autoptr(JsonNode) after_reset = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_text = NULL;
  g_autofree char *copied_text = NULL;
  g_autofree char *reset_text = NULL;
  g_autoptr(JsonObject) empty = json_object_new ();
  gboolean ok;

  g_test_summary ("get_state/load_state round-trip; reset clears; bad state is INVALID_DATA; "
                  "invoke reports an unknown tool");

  r1 = invoke_ok (app, "add_note", "{\"title\": \"one\", \"body\": \"b1\"}");
  r2 = invoke_ok (app, "add_note", "{\"title\": \"two\"}");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (r2), "id"), ==, 2);

  state = sigma_app_get_state (app);
  g_assert_nonnull (state);
  ok = sigma_app_load_state (copy, state, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  copied = sigma_app_get_state (copy);
  state_text = json_to_string (state, FALSE);
  copied_text = json_to_string (copied, FALSE);
  g_assert_cmpstr (copied_text, ==, state_text);
  g_assert_true (json_node_equal (copied, state));
  g_assert_cmpuint (sigma_test_app_get_n_notes (SIGMA_TEST_APP (copy)), ==, 2);
  g_assert_true (sigma_test_app_has_note (SIGMA_TEST_APP (copy), "two"));

  r3 = invoke_ok (copy, "add_note", "{\"title\": \"three\"}");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (r3), "id"), ==, 3);

  sigma_app_reset (copy);
  g_assert_cmpuint (sigma_test_app_get_n_notes (SIGMA_TEST_APP (copy)), ==, 0);
  after_reset = sigma_app_get_state (copy);
  reset_text = json_to_string (after_reset, FALSE);
  g_assert_cmpstr (reset_text, ==, "{\"notes\":[],\"next_id\":1}");

  bad = json_from_string ("{\"notes\": 5, \"next_id\": 1}", NULL);
  ok = sigma_app_load_state (copy, bad, &error);
  g_assert_false (ok);
  assert_error_mentions (error, SIGMA_ERROR_INVALID_DATA, "notes");
  g_clear_error (&error);

  g_assert_null (sigma_app_invoke (app, "frobnicate", empty, &error));
  assert_error_mentions (error, SIGMA_ERROR_UNKNOWN_TOOL, "frobnicate");
}

static void
test_app_seed (void)
{
  g_autoptr(SigmaApp) app = sigma_test_app_new ("notes");
  g_autoptr(SigmaApp) same_name = sigma_test_app_new ("notes");
  g_autoptr(SigmaApp) other = sigma_test_app_new ("other");
  guint32 first[8];
  gboolean differs = FALSE;

  g_test_summary ("sigma_app_set_seed makes the app's GRand deterministic: the same seed and "
                  "name give the same stream, another seed or name another stream");

  sigma_app_set_seed (app, 42);
  g_assert_cmpuint (sigma_app_get_seed (app), ==, 42);
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    first[i] = g_rand_int (sigma_app_get_rand (app));

  sigma_app_set_seed (app, 42);
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    g_assert_cmpuint (g_rand_int (sigma_app_get_rand (app)), ==, first[i]);

  sigma_app_set_seed (same_name, 42);
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    g_assert_cmpuint (g_rand_int (sigma_app_get_rand (same_name)), ==, first[i]);

  sigma_app_set_seed (same_name, 43);
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    differs |= g_rand_int (sigma_app_get_rand (same_name)) != first[i];
  g_assert_true (differs);

  differs = FALSE;
  sigma_app_set_seed (other, 42);
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    differs |= g_rand_int (sigma_app_get_rand (other)) != first[i];
  g_assert_true (differs);
}

static void
test_derive_seed (void)
{
  g_test_summary ("sigma_derive_seed equals Python's hash(f\"{seed}_{name}\") % 2**32 with "
                  "PYTHONHASHSEED=0");

  g_assert_cmpuint (sigma_derive_seed (0, "Emails"), ==, 1583853181u);
  g_assert_cmpuint (sigma_derive_seed (42, "Calendar"), ==, 386552686u);
  g_assert_cmpuint (sigma_derive_seed (42, "Calendar"), ==, sigma_derive_seed (42, "Calendar"));
  g_assert_cmpuint (sigma_derive_seed (42, "Calendar"), !=, sigma_derive_seed (43, "Calendar"));
}

/* ------------------------------------------------------------------------------------------ */

#define ADD_FIXTURE_TEST(path, func) \
  g_test_add ("/sigma/kernel/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/kernel/clock", test_clock);
  g_test_add_func ("/sigma/kernel/queue-order", test_queue_order);
  g_test_add_func ("/sigma/kernel/queue-bulk-public", test_queue_bulk_public);
  ADD_FIXTURE_TEST ("queue-bulk-order", test_queue_bulk_order);

  ADD_FIXTURE_TEST ("timing-root", test_timing_root);
  ADD_FIXTURE_TEST ("timing-dependency", test_timing_dependency);
  ADD_FIXTURE_TEST ("timing-chain", test_timing_chain);
  ADD_FIXTURE_TEST ("timing-fan-out", test_timing_fan_out);
  ADD_FIXTURE_TEST ("timing-fan-in", test_timing_fan_in);
  ADD_FIXTURE_TEST ("timing-fan-in-waits", test_timing_fan_in_waits);
  g_test_add_func ("/sigma/kernel/links-both-ways", test_links_both_ways);
  ADD_FIXTURE_TEST ("timing-absolute", test_timing_absolute);
  g_test_add_func ("/sigma/kernel/timing-unset-event-time", test_timing_unset_event_time);
  ADD_FIXTURE_TEST ("timing-dependency-id", test_timing_dependency_id);
  ADD_FIXTURE_TEST ("schedule-closure", test_schedule_closure);

  ADD_FIXTURE_TEST ("error-bad-times", test_error_bad_times);
  ADD_FIXTURE_TEST ("error-unknown-dependency", test_error_unknown_dependency);
  ADD_FIXTURE_TEST ("error-duplicate-id", test_error_duplicate_id);
  ADD_FIXTURE_TEST ("error-cycle", test_error_cycle);
  ADD_FIXTURE_TEST ("error-cycle-by-id", test_error_cycle_by_id);
  ADD_FIXTURE_TEST ("error-batch-atomic", test_error_batch_atomic);
  ADD_FIXTURE_TEST ("schedule-child-of-scheduled", test_schedule_child_of_scheduled);

  ADD_FIXTURE_TEST ("order-equal-time", test_order_equal_time);
  ADD_FIXTURE_TEST ("order-released-same-time", test_order_released_same_time);
  g_test_add_func ("/sigma/kernel/ids-generated", test_ids_generated);
  ADD_FIXTURE_TEST ("ids-call-tool", test_ids_call_tool);
  ADD_FIXTURE_TEST ("ids-author", test_ids_author);

  g_test_add_func ("/sigma/kernel/loop-queue-vs-tick", test_loop_queue_vs_tick);
  ADD_FIXTURE_TEST ("loop-tick-off-grid", test_loop_tick_off_grid);
  g_test_add_func ("/sigma/kernel/loop-duration-inclusive", test_loop_duration_inclusive);
  ADD_FIXTURE_TEST ("loop-duration-without-exit", test_loop_duration_without_exit);
  ADD_FIXTURE_TEST ("loop-tick-unbounded", test_loop_tick_unbounded);
  g_test_add_func ("/sigma/kernel/loop-pause-resume", test_loop_pause_resume);
  g_test_add_func ("/sigma/kernel/loop-stop", test_loop_stop);
  ADD_FIXTURE_TEST ("loop-stop-event", test_loop_stop_event);
  ADD_FIXTURE_TEST ("loop-exit-when-no-events", test_loop_exit_when_no_events);
  ADD_FIXTURE_TEST ("loop-minefield-watch-exit", test_loop_minefield_watch_exit);
  ADD_FIXTURE_TEST ("advance-and-run-until", test_advance_and_run_until);
  ADD_FIXTURE_TEST ("tick-count", test_tick_count);

  ADD_FIXTURE_TEST ("condition-checks", test_condition_checks);
  ADD_FIXTURE_TEST ("condition-every-ticks", test_condition_every_ticks);
  ADD_FIXTURE_TEST ("condition-timeout", test_condition_timeout);

  ADD_FIXTURE_TEST ("validation-milestones", test_validation_milestones);
  ADD_FIXTURE_TEST ("validation-timeout", test_validation_timeout);
  ADD_FIXTURE_TEST ("validation-minefield", test_validation_minefield);
  ADD_FIXTURE_TEST ("validation-default-timeout", test_validation_default_timeout);
  ADD_FIXTURE_TEST ("validation-successors", test_validation_successors);

  g_test_add_data_func ("/sigma/kernel/agent-validation-milestones/increment-1", GUINT_TO_POINTER (1),
                        test_agent_validation_milestones);
  g_test_add_data_func ("/sigma/kernel/agent-validation-milestones/increment-3600",
                        GUINT_TO_POINTER (3600), test_agent_validation_milestones);
  g_test_add_func ("/sigma/kernel/agent-validation-window", test_agent_validation_window);
  g_test_add_func ("/sigma/kernel/agent-validation-minefield", test_agent_validation_minefield);
  ADD_FIXTURE_TEST ("agent-validation-final", test_agent_validation_final);
  ADD_FIXTURE_TEST ("agent-validation-only-agent", test_agent_validation_only_agent);
  ADD_FIXTURE_TEST ("agent-validation-successors", test_agent_validation_successors);

  ADD_FIXTURE_TEST ("placeholders", test_placeholders);

  ADD_FIXTURE_TEST ("tool-failure", test_tool_failure);
  ADD_FIXTURE_TEST ("tool-nested", test_tool_nested);
  ADD_FIXTURE_TEST ("call-tool-errors", test_call_tool_errors);
  ADD_FIXTURE_TEST ("tool-argument-types", test_tool_argument_types);
  ADD_FIXTURE_TEST ("tool-defaults", test_tool_defaults);
  ADD_FIXTURE_TEST ("tool-schema", test_tool_schema);

  g_test_add_func ("/sigma/kernel/oracle", test_oracle);
  ADD_FIXTURE_TEST ("closures", test_closures);
  ADD_FIXTURE_TEST ("signals", test_signals);
  ADD_FIXTURE_TEST ("signals-call-tool", test_signals_call_tool);

  ADD_FIXTURE_TEST ("app-duplicate", test_app_duplicate);
  g_test_add_func ("/sigma/kernel/app-state", test_app_state);
  g_test_add_func ("/sigma/kernel/app-seed", test_app_seed);
  g_test_add_func ("/sigma/kernel/derive-seed", test_derive_seed);

  return g_test_run ();
}
