/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "sigma-cli.h"

/* `sigma bench`: the kernel workloads on which ARE's Python kernel was measured, run in
 * queue mode against one small app whose write tool inserts a record into a hash table. */

#define BENCH_TYPE_APP (bench_app_get_type ())
G_DECLARE_FINAL_TYPE (BenchApp, bench_app, BENCH, APP, SigmaApp)

struct _BenchApp
{
  SigmaApp    parent_instance;
  GHashTable *records;     /* record id → value */
  gint64      next_id;
};

G_DEFINE_FINAL_TYPE (BenchApp, bench_app, SIGMA_TYPE_APP)

/* The trivial write tool: inserts a record (the current simulated time, or the optional
 * "value") under a new id and returns the id. */
static JsonNode *
bench_insert (SigmaApp    *app,
              JsonObject  *args,
              gpointer     user_data,
              GError     **error)
{
  BenchApp *self = BENCH_APP (app);
  gint64 id = ++self->next_id;
  JsonNode *value = json_object_get_member (args, "value");
  gint64 record = JSON_NODE_HOLDS_NULL (value) ? (gint64) sigma_app_get_time (app)
                                               : json_node_get_int (value);

  g_hash_table_insert (self->records, GSIZE_TO_POINTER ((gsize) id), GSIZE_TO_POINTER ((gsize) record));
  return json_node_init_int (json_node_alloc (), id);
}

static JsonNode *
bench_count (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  return json_node_init_int (json_node_alloc (), g_hash_table_size (BENCH_APP (app)->records));
}

static void
bench_app_finalize (GObject *object)
{
  g_clear_pointer (&BENCH_APP (object)->records, g_hash_table_unref);
  G_OBJECT_CLASS (bench_app_parent_class)->finalize (object);
}

static void
bench_app_class_init (BenchAppClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_app_finalize;
}

static void
bench_app_init (BenchApp *self)
{
  g_autoptr(SigmaTool) insert = NULL;
  g_autoptr(SigmaTool) count = NULL;

  self->records = g_hash_table_new (NULL, NULL);

  insert = sigma_tool_new ("insert", "Insert a record and return its id.",
                           SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV, SIGMA_TOOL_OPERATION_WRITE);
  sigma_tool_add_optional_parameter (insert, "value", SIGMA_VALUE_TYPE_INTEGER,
                                     "The value to store; the current time when null.", NULL);
  sigma_tool_set_handler (insert, bench_insert, NULL, NULL);
  sigma_app_add_tool (SIGMA_APP (self), insert);

  count = sigma_tool_new ("count", "Count the records.",
                          SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ);
  sigma_tool_set_handler (count, bench_count, NULL, NULL);
  sigma_app_add_tool (SIGMA_APP (self), count);
}

/* Each event gets its own {"value": i} when @with_args, none otherwise. */
static gboolean with_args;

static SigmaEvent *
insert_event (gint64 value)
{
  g_autoptr(JsonObject) args = NULL;

  if (with_args)
    {
      args = json_object_new ();
      json_object_set_int_member (args, "value", value);
    }
  return sigma_action_event_new (SIGMA_EVENT_TYPE_ENV, "bench", "insert", args);
}

static guint64
splitmix64_next (guint64 *state)
{
  guint64 z;

  *state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  z = *state;
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

typedef struct
{
  guint64 checks;
  guint64 false_for;
} ConditionState;

static gboolean
bench_condition (SigmaEnvironment *env,
                 gpointer          user_data)
{
  ConditionState *state = user_data;

  return state->checks++ >= state->false_for;
}

/* Builds the workload's events; returns them in a (transfer container) array. */
static GPtrArray *
build_workload (const char     *workload,
                guint64         n,
                ConditionState *cond_state)
{
  GPtrArray *events = g_ptr_array_new_full ((guint) MIN (n + 1, G_MAXUINT), g_object_unref);

  if (g_str_equal (workload, "chain"))
    {
      SigmaEvent *prev = NULL;

      for (guint64 i = 0; i < n; i++)
        {
          SigmaEvent *event = insert_event ((gint64) i);

          if (prev != NULL)
            {
              sigma_event_depends_on (event, prev);
              sigma_event_set_delay (event, 1.0);
            }
          g_ptr_array_add (events, event);
          prev = event;
        }
    }
  else if (g_str_equal (workload, "fanout"))
    {
      SigmaEvent *root = insert_event (0);

      g_ptr_array_add (events, root);
      for (guint64 i = 0; i < n; i++)
        {
          SigmaEvent *event = insert_event ((gint64) i + 1);

          sigma_event_depends_on (event, root);
          sigma_event_set_delay (event, 1.0);
          g_ptr_array_add (events, event);
        }
    }
  else if (g_str_equal (workload, "random"))
    {
      guint64 state = 12345;

      for (guint64 i = 0; i < n; i++)
        {
          guint64 z = splitmix64_next (&state);
          SigmaEvent *event = insert_event ((gint64) i);

          sigma_event_set_event_time (event, (gdouble) (1 + z % (10 * n)));
          g_ptr_array_add (events, event);
        }
    }
  else if (g_str_equal (workload, "condition"))
    {
      SigmaEvent *cond, *after;

      cond_state->checks = 0;
      cond_state->false_for = n;
      cond = sigma_condition_event_new ("bench_condition", bench_condition, cond_state, NULL);
      after = insert_event (1);
      sigma_event_depends_on (after, cond);
      sigma_event_set_delay (after, 1.0);
      g_ptr_array_add (events, cond);
      g_ptr_array_add (events, after);
    }
  else
    g_clear_pointer (&events, g_ptr_array_unref);

  return events;
}

/* `tool-call N`: an email app with a 20-email inbox, and N calls of list_emails through the
 * environment (logged as AGENT events, validated, notified), as an agent makes them. */
static JsonNode *
inbox_state (guint n_emails)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user_email");
  json_builder_add_string_value (b, "user@meta.com");
  json_builder_set_member_name (b, "view_limit");
  json_builder_add_int_value (b, 5);
  json_builder_set_member_name (b, "folders");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "INBOX");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "folder_name");
  json_builder_add_string_value (b, "INBOX");
  json_builder_set_member_name (b, "emails");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_emails; i++)
    {
      g_autofree char *sender = g_strdup_printf ("friend%u@example.com", i);
      g_autofree char *subject = g_strdup_printf ("Message number %u", i);
      g_autofree char *id = g_strdup_printf ("%032x", i + 1);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sender");
      json_builder_add_string_value (b, sender);
      json_builder_set_member_name (b, "recipients");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "user@meta.com");
      json_builder_end_array (b);
      json_builder_set_member_name (b, "subject");
      json_builder_add_string_value (b, subject);
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, "Hello, this is a short email body with a few words in it.");
      json_builder_set_member_name (b, "email_id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "parent_id");
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "cc");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "attachments");
      json_builder_begin_object (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "timestamp");
      json_builder_add_double_value (b, 1728975600.0 - i * 60.0);
      json_builder_set_member_name (b, "is_read");
      json_builder_add_boolean_value (b, FALSE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
run_tool_calls (SigmaEnvironment  *env,
                guint64            n,
                GError           **error)
{
  g_autoptr(SigmaApp) app = sigma_apps_create ("EmailClientV2", "Emails", error);
  g_autoptr(JsonNode) state = inbox_state (20);
  JsonObject *pages[8];
  gboolean ok = TRUE;

  if (app == NULL || !sigma_environment_add_app (env, app, error) ||
      !sigma_app_load_state (app, state, error))
    return FALSE;

  /* Eight different pages in turn: more than the email app caches, so every call builds its
   * result, as an agent paging through a folder makes it do. */
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      pages[p] = json_object_new ();
      json_object_set_string_member (pages[p], "folder_name", "INBOX");
      json_object_set_int_member (pages[p], "offset", p);
      json_object_set_int_member (pages[p], "limit", 12);
    }
  for (guint64 i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) result = sigma_environment_call_tool (env, "Emails", "list_emails",
                                                                pages[i % G_N_ELEMENTS (pages)],
                                                                SIGMA_EVENT_TYPE_AGENT, error);
      if (result == NULL)
        {
          ok = FALSE;
          break;
        }
    }
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    json_object_unref (pages[p]);
  return ok;
}

static gint64
read_status_kib (const char *field)
{
  g_autofree char *contents = NULL;
  const char *line;
  gsize field_len = strlen (field);

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  for (line = contents; line != NULL && *line != '\0';)
    {
      if (strncmp (line, field, field_len) == 0 && line[field_len] == ':')
        return g_ascii_strtoll (line + field_len + 1, NULL, 10);
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  return -1;
}

int
sigma_cli_bench (int    argc,
                 char **argv)
{
  g_autofree char *workload = NULL;
  gint64 n_events = 100000;
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaEnvironment) env = NULL;
  g_autoptr(SigmaApp) app = NULL;
  g_autoptr(GPtrArray) events = NULL;
  ConditionState cond_state = { 0, };
  gint64 rss_before, peak_rss, t0, t_built, t_scheduled, t_end;
  guint log_entries;
  gdouble seconds;
  GOptionEntry entries[] = {
    { "workload", 'w', 0, G_OPTION_ARG_STRING, &workload, "chain, fanout, random, condition or tool-call", "NAME" },
    { "events", 'n', 0, G_OPTION_ARG_INT64, &n_events, "Number of events (checks for 'condition')", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { "args", 0, 0, G_OPTION_ARG_NONE, &with_args, "Give every event its own argument object", NULL },
    { NULL }
  };

  context = g_option_context_new ("- run a kernel benchmark workload");
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "sigma bench: %s\n", error->message);
      return 2;
    }
  if (workload == NULL)
    workload = g_strdup ("chain");
  if (n_events < 1 || n_events > G_MAXINT32)
    {
      fprintf (stderr, "sigma bench: --events must be between 1 and %d\n", G_MAXINT32);
      return 2;
    }

  rss_before = read_status_kib ("VmRSS");
  t0 = g_get_monotonic_time ();

  env = sigma_environment_new ();
  app = g_object_new (BENCH_TYPE_APP, "name", "bench", NULL);
  if (!sigma_environment_add_app (env, app, &error))
    {
      fprintf (stderr, "sigma bench: %s\n", error->message);
      return 2;
    }

  if (g_str_equal (workload, "tool-call"))
    {
      t_built = t_scheduled = g_get_monotonic_time ();
      if (!run_tool_calls (env, (guint64) n_events, &error))
        {
          fprintf (stderr, "sigma bench: %s\n", error->message);
          return 2;
        }
      goto measured;
    }

  events = build_workload (workload, (guint64) n_events, &cond_state);
  if (events == NULL)
    {
      fprintf (stderr, "sigma bench: unknown workload '%s' (chain, fanout, random, condition, tool-call)\n", workload);
      return 2;
    }
  t_built = g_get_monotonic_time ();
  if (!sigma_environment_schedule_events (env, events, &error))
    {
      fprintf (stderr, "sigma bench: %s\n", error->message);
      return 2;
    }
  t_scheduled = g_get_monotonic_time ();

  if (!sigma_environment_run (env, &error))
    {
      fprintf (stderr, "sigma bench: %s\n", error->message);
      return 2;
    }
measured:
  t_end = g_get_monotonic_time ();
  peak_rss = read_status_kib ("VmHWM");

  log_entries = sigma_event_log_get_length (sigma_environment_get_log (env));
  /* The kernel's work: scheduling the event graph and running it. Building the event objects
   * (the scenario author's or importer's side) is reported apart. */
  seconds = (t_end - t_built) / 1e6;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "workload");
      json_builder_add_string_value (builder, workload);
      json_builder_set_member_name (builder, "events");
      json_builder_add_int_value (builder, n_events);
      json_builder_set_member_name (builder, "log_entries");
      json_builder_add_int_value (builder, log_entries);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, seconds);
      json_builder_set_member_name (builder, "events_per_second");
      json_builder_add_double_value (builder, log_entries / seconds);
      json_builder_set_member_name (builder, "peak_rss_kib");
      json_builder_add_int_value (builder, peak_rss);
      json_builder_set_member_name (builder, "bytes_per_logged_event");
      json_builder_add_double_value (builder, log_entries > 0 ? (peak_rss - rss_before) * 1024.0 / log_entries : 0.0);
      json_builder_set_member_name (builder, "build_seconds");
      json_builder_add_double_value (builder, (t_built - t0) / 1e6);
      json_builder_set_member_name (builder, "schedule_seconds");
      json_builder_add_double_value (builder, (t_scheduled - t_built) / 1e6);
      json_builder_set_member_name (builder, "run_seconds");
      json_builder_add_double_value (builder, (t_end - t_scheduled) / 1e6);
      json_builder_set_member_name (builder, "total_seconds");
      json_builder_add_double_value (builder, (t_end - t0) / 1e6);
      json_builder_set_member_name (builder, "with_args");
      json_builder_add_boolean_value (builder, with_args);
      json_builder_set_member_name (builder, "microseconds_per_event");
      json_builder_add_double_value (builder, log_entries > 0 ? seconds * 1e6 / log_entries : 0.0);
      json_builder_set_member_name (builder, "sim_seconds");
      json_builder_add_double_value (builder, sigma_environment_get_time (env));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = sigma_json_to_string (root, FALSE);
      printf ("%s\n", text);
    }
  else
    {
      printf ("workload           %s\n", workload);
      printf ("events             %" G_GINT64_FORMAT "\n", n_events);
      printf ("log entries        %u\n", log_entries);
      printf ("seconds            %.6f (schedule %.6f + run %.6f; build %.6f, total %.6f)\n", seconds,
              (t_scheduled - t_built) / 1e6, (t_end - t_scheduled) / 1e6,
              (t_built - t0) / 1e6, (t_end - t0) / 1e6);
      printf ("events per second  %.0f\n", log_entries / seconds);
      printf ("peak RSS           %" G_GINT64_FORMAT " KiB\n", peak_rss);
      printf ("bytes per event    %.0f\n", log_entries > 0 ? (peak_rss - rss_before) * 1024.0 / log_entries : 0.0);
    }

  return 0;
}
