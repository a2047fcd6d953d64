/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compact event paths: log entries that build a generated id on first use, and the
 * scheduling passes that were merged (root checks during collection, Kahn's start list,
 * no reset walk after a commit). */
#include <string.h>

#include <sigma.h>

#include "test-app.h"

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

/* count is read-only and takes no arguments: the action adds nothing to the notes */
static SigmaEvent *
count_event (void)
{
  return sigma_action_event_new (SIGMA_EVENT_TYPE_ENV, "notes", "count", NULL);
}

static void
schedule_ok (SigmaEnvironment *env,
             GPtrArray        *events)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = sigma_environment_schedule_events (env, events, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
run_ok (SigmaEnvironment *env)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = sigma_environment_run (env, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

#define N_LAZY 200

static gpointer
read_ids (gpointer data)
{
  SigmaEventLog *log = data;
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    g_ptr_array_add (ids, (gpointer) sigma_completed_event_get_event_id (sigma_event_log_get (log, i)));
  return ids;
}

static void
test_lazy_log_ids (void)
{
  g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids1 = NULL;
  g_autoptr(GPtrArray) ids2 = NULL;
  SigmaEventLog *log;
  GThread *t1, *t2;

  g_test_summary ("A log entry of an event with a generated id gives that id, the same text "
                  "as the event's, the same pointer every time and from every thread");

  for (guint i = 0; i < N_LAZY; i++)
    {
      SigmaEvent *event = count_event ();

      sigma_event_set_event_time (event, 1000.0 + (i * 7919) % N_LAZY);
      if (i == 17)
        sigma_event_set_event_id (event, "named");
      g_ptr_array_add (events, event);
    }
  schedule_ok (env, events);
  run_ok (env);

  log = sigma_environment_get_log (env);
  g_assert_cmpuint (sigma_event_log_get_length (log), ==, N_LAZY);

  /* two threads race to build the texts first */
  t1 = g_thread_new ("ids-1", read_ids, log);
  t2 = g_thread_new ("ids-2", read_ids, log);
  ids1 = g_thread_join (t1);
  ids2 = g_thread_join (t2);

  for (guint i = 0; i < N_LAZY; i++)
    {
      SigmaCompletedEvent *entry = sigma_event_log_get (log, i);
      SigmaEvent *source = sigma_completed_event_get_source (entry);
      const char *id = sigma_completed_event_get_event_id (entry);
      g_autoptr(JsonNode) json = sigma_completed_event_to_json (entry);

      g_assert_nonnull (source);
      g_assert_true (g_ptr_array_index (ids1, i) == id);
      g_assert_true (g_ptr_array_index (ids2, i) == id);
      g_assert_true (sigma_completed_event_get_event_id (entry) == id);
      g_assert_cmpstr (id, ==, sigma_event_get_event_id (source));
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "event_id"), ==, id);
      if (source == g_ptr_array_index (events, 17))
        g_assert_cmpstr (id, ==, "named");
      else
        g_assert_true (g_regex_match_simple ("^Event-ENV-[0-9]{8}$", id, 0, 0));
    }

  /* the log's index by id finds an entry by its generated id */
  g_assert_true (sigma_event_log_lookup (log, sigma_completed_event_get_event_id (sigma_event_log_get (log, 0))) ==
                 sigma_event_log_get (log, 0));
}

static void
test_schedule_error_unmarks (void)
{
  g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
  g_autoptr(SigmaEnvironment) other = env_new_with_notes ();
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) elsewhere = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaEvent) a = count_event ();
  g_autoptr(SigmaEvent) b = count_event ();
  g_autoptr(SigmaEvent) foreign = count_event ();

  g_test_summary ("A batch refused for a bad item leaves its valid events unscheduled and "
                  "schedulable, whatever the bad item's position");

  sigma_event_depends_on (b, a);
  g_ptr_array_add (elsewhere, g_object_ref (foreign));
  schedule_ok (other, elsewhere);

  /* a (and b through the link) collected, then an item that is not an event */
  g_ptr_array_add (batch, g_object_ref (a));
  g_ptr_array_add (batch, g_object_new (G_TYPE_OBJECT, NULL));
  g_assert_false (sigma_environment_schedule_events (env, batch, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT);
  g_assert_nonnull (strstr (error->message, "Item 1 "));
  g_clear_error (&error);
  g_assert_cmpint (sigma_event_get_status (a), ==, SIGMA_EVENT_STATUS_NEW);
  g_assert_cmpint (sigma_event_get_status (b), ==, SIGMA_EVENT_STATUS_NEW);

  /* then an event that another environment runs */
  g_ptr_array_remove_index (batch, 1);
  g_ptr_array_add (batch, g_object_ref (foreign));
  g_assert_false (sigma_environment_schedule_events (env, batch, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT);
  g_assert_nonnull (strstr (error->message, "another environment"));
  g_clear_error (&error);
  g_assert_cmpint (sigma_event_get_status (a), ==, SIGMA_EVENT_STATUS_NEW);

  /* a and b were unmarked: scheduled again, both are collected and run in order */
  g_ptr_array_remove_index (batch, 1);
  schedule_ok (env, batch);
  run_ok (env);
  g_assert_cmpint (sigma_event_get_status (a), ==, SIGMA_EVENT_STATUS_DONE);
  g_assert_cmpint (sigma_event_get_status (b), ==, SIGMA_EVENT_STATUS_DONE);
  g_assert_cmpuint (sigma_event_log_get_length (sigma_environment_get_log (env)), ==, 2);
  g_assert_true (sigma_completed_event_get_source (sigma_event_log_get (sigma_environment_get_log (env), 1)) == b);
}

static void
test_kahn_start (void)
{
  g_autoptr(SigmaEnvironment) env = env_new_with_notes ();
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) independent = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cyclic = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) by_id = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaEvent) root = count_event ();
  SigmaEvent *x, *y, *p, *q, *r;
  SigmaEventLog *log;

  g_test_summary ("Batches without inner dependencies skip Kahn's algorithm; cycles through "
                  "links and through dependency ids are still found; id links order the run");

  sigma_event_set_event_id (root, "root");
  g_ptr_array_add (first, g_object_ref (root));
  schedule_ok (env, first);

  /* depends on an event of an earlier batch only: no inner dependency */
  for (guint i = 0; i < 3; i++)
    {
      SigmaEvent *event = count_event ();

      sigma_event_set_delay (event, 1.0 + i);
      if (i == 1)
        sigma_event_depends_on (event, root);
      if (i == 2)
        sigma_event_add_dependency_id (event, "root");
      g_ptr_array_add (independent, event);
    }
  schedule_ok (env, independent);

  /* roots without inner dependencies plus a two-event cycle */
  x = count_event ();
  y = count_event ();
  sigma_event_depends_on (y, x);
  sigma_event_depends_on (x, y);
  g_ptr_array_add (cyclic, count_event ());
  g_ptr_array_add (cyclic, g_object_ref (x));
  g_ptr_array_add (cyclic, g_object_ref (y));
  g_assert_false (sigma_environment_schedule_events (env, cyclic, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_CYCLE);
  g_clear_error (&error);
  g_object_unref (x);
  g_object_unref (y);

  /* a cycle through ids only */
  p = count_event ();
  q = count_event ();
  sigma_event_set_event_id (p, "p");
  sigma_event_set_event_id (q, "q");
  sigma_event_add_dependency_id (p, "q");
  sigma_event_add_dependency_id (q, "p");
  g_ptr_array_add (by_id, p);
  g_ptr_array_add (by_id, q);
  g_assert_false (sigma_environment_schedule_events (env, by_id, &error));
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_CYCLE);
  g_clear_error (&error);
  g_ptr_array_set_size (by_id, 0);

  /* an id link inside a batch: r waits for p2, which the batch lists after it */
  r = count_event ();
  p = count_event ();
  sigma_event_set_event_id (r, "r");
  sigma_event_set_event_id (p, "p2");
  sigma_event_add_dependency_id (r, "p2");
  sigma_event_set_delay (p, 10.0);
  g_ptr_array_add (by_id, r);
  g_ptr_array_add (by_id, p);
  schedule_ok (env, by_id);

  run_ok (env);
  log = sigma_environment_get_log (env);
  /* root, the three independent ones, p2, r; the refused batches left nothing behind */
  g_assert_cmpuint (sigma_event_log_get_length (log), ==, 6);
  g_assert_cmpstr (sigma_completed_event_get_event_id (sigma_event_log_get (log, 4)), ==, "p2");
  g_assert_cmpstr (sigma_completed_event_get_event_id (sigma_event_log_get (log, 5)), ==, "r");
  for (guint i = 0; i < independent->len; i++)
    g_assert_cmpint (sigma_event_get_status (g_ptr_array_index (independent, i)), ==, SIGMA_EVENT_STATUS_DONE);
}

static gint
compare_time_id (gconstpointer a,
                 gconstpointer b)
{
  SigmaEvent *ea = *(SigmaEvent * const *) a;
  SigmaEvent *eb = *(SigmaEvent * const *) b;
  gdouble ta = sigma_event_get_event_time (ea), tb = sigma_event_get_event_time (eb);

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return strcmp (sigma_event_get_event_id (ea), sigma_event_get_event_id (eb));
}

/* Pushes 3000 events at once (one sorted run) and checks the pop order. @wide spreads the
 * times over every bit of the double (six radix digits); otherwise they are integers below
 * 2 000 000, as the random benchmark's (three digits: an odd count ends in the other buffer). */
static void
check_bulk_order (gboolean wide)
{
  g_autoptr(SigmaEventQueue) queue = sigma_event_queue_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();   /* borrows from events */
  g_autoptr(GRand) rand = g_rand_new_with_seed (wide ? 7 : 8);

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%05u", g_rand_int_range (rand, 0, 100000));
      SigmaEvent *event = count_event ();
      gdouble time;

      switch (wide ? i % 5 : 5)
        {
        case 0: time = g_rand_int_range (rand, 0, 10000000); break;
        case 1: time = g_rand_int_range (rand, 0, 1000) * 0.001; break;
        case 2: time = 1728975600.0 + g_rand_double (rand) * 86400.0; break;
        case 3: time = g_rand_int_range (rand, 0, 4); break;   /* ties, and zero */
        case 4: time = g_rand_double_range (rand, 0.0, 1e300); break;
        default: time = 1 + g_rand_int_range (rand, 0, 2000000); break;
        }
      sigma_event_set_event_id (event, id);
      sigma_event_set_event_time (event, time);
      g_ptr_array_add (events, event);
      g_ptr_array_add (expected, event);
      sigma_event_queue_push (queue, event);
    }

  g_ptr_array_sort (expected, compare_time_id);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(SigmaEvent) event = sigma_event_queue_pop (queue);

      g_assert_nonnull (event);
      g_assert_cmpfloat (sigma_event_get_event_time (event), ==,
                         sigma_event_get_event_time (g_ptr_array_index (expected, i)));
      g_assert_cmpstr (sigma_event_get_event_id (event), ==,
                       sigma_event_get_event_id (g_ptr_array_index (expected, i)));
    }
  g_assert_true (sigma_event_queue_is_empty (queue));
}

static void
test_queue_bulk_times (void)
{
  g_test_summary ("A bulk push pops in (time, id) order, with times spread over every bit of "
                  "the double (zero, fractions, epoch times, ties) or over a few");

  check_bulk_order (TRUE);
  check_bulk_order (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigma/kernel/compact/lazy-log-ids", test_lazy_log_ids);
  g_test_add_func ("/sigma/kernel/compact/schedule-error-unmarks", test_schedule_error_unmarks);
  g_test_add_func ("/sigma/kernel/compact/kahn-start", test_kahn_start);
  g_test_add_func ("/sigma/kernel/compact/queue-bulk-times", test_queue_bulk_times);

  return g_test_run ();
}
