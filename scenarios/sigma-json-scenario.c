/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-apps.h"
#include "sigma-environment.h"
#include "sigma-error.h"
#include "sigma-event-log.h"
#include "sigma-event-private.h"
#include "sigma-judge.h"
#include "sigma-json-private.h"
#include "sigma-opaque-app.h"
#include "sigma-scenarios-enum-types.h"

/**
 * SigmaJsonScenario:
 *
 * A scenario read from ARE's scenario/trace JSON ("ExportedTrace", version
 * `are_simulation_v1`), the format of every Gaia2 scenario.
 *
 * Loading follows ARE's importer (scenario-json.md): the apps with their `app_state`, the
 * event DAG rebuilt in ARE's order with ARE's graph rules (§8.2), arguments decoded by their
 * `value_type` (§6.3), hints, turns and the turn gates of multi-turn scenarios (§8.4).
 * Every malformed input is a #GError naming its JSON path, such as
 * `events[12].action.args[3].value`. sigma_json_scenario_check_file() collects every
 * problem of a file instead of stopping at the first.
 *
 * The scenario runs in three layouts:
 *
 * - an agent run (sigma_scenario_setup() on an environment outside oracle mode): oracle
 *   events are expectations only, and `condition_turn_<k>` gates release turn k once the
 *   agent has sent its k-th message to the user (ARE's online benchmark run);
 * - an oracle run (sigma_json_scenario_run_oracle()): oracle events run as AGENT events at
 *   their times, the same gates move from turn to turn, and each turn's
 *   `send_message_to_user` waits for the turn's other last events (ARE's `--oracle` run);
 * - the reference run the judge compares against (sigma_json_scenario_get_oracle_log()):
 *   the DAG exactly as written, run in oracle mode in a fresh environment (ARE's oracle
 *   pre-run).
 *
 * sigma_scenario_validate() judges a run against the reference with #SigmaJudge, and
 * sigma_json_scenario_export() writes a finished run back as an ExportedTrace that ARE
 * reads.
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (SigmaJsonScenario, sigma_json_scenario, SIGMA_TYPE_SCENARIO)

enum {
  PROP_0,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ARE's Scenario.duration default when the file gives none. */
#define ARE_DEFAULT_DURATION 1000.0
/* The benchmark runner's durations (validation.md §2.13). */
#define ARE_BENCHMARK_DURATION 1800.0
#define ARE_BENCHMARK_TIME_DURATION 420.0

static const char * const capability_tags[] = {
  "Planning", "Memory", "Collaboration", "Exploration", "UnitTest", "PromptInjection",
  "Universe", "Safety", "Adaptability", "Ambiguity", "Execution", "Search", "Time", "Security",
};

gboolean
sigma_json_is_capability_tag (const char *name)
{
  return g_strv_contains (capability_tags, name);
}

/* ------------------------------------------------------------------------------------ */
/* Data                                                                                 */

static void
json_event_free (SigmaJsonEvent *ev)
{
  g_free (ev->id);
  g_clear_pointer (&ev->args, json_object_unref);
  g_clear_pointer (&ev->deps, g_ptr_array_unref);
  g_clear_pointer (&ev->succs, g_ptr_array_unref);
  g_clear_pointer (&ev->json, json_object_unref);
  g_free (ev);
}

static void
json_app_free (SigmaJsonApp *app)
{
  g_free (app->name);
  g_free (app->class_name);
  g_clear_pointer (&app->state, json_node_unref);
  g_clear_pointer (&app->functions, g_ptr_array_unref);
  g_clear_pointer (&app->function_args, g_ptr_array_unref);
  g_clear_pointer (&app->function_ops, g_array_unref);
  g_free (app);
}

static void
placeholder_free (SigmaJsonPlaceholder *ph)
{
  g_free (ph->parent_tool_name);
  g_free (ph->parent_event_id);
  g_free (ph->placeholder_event_id);
  g_free (ph);
}

static const char *
app_class_of (SigmaJsonApp *app)
{
  return app->class_name != NULL ? app->class_name : app->name;
}

static SigmaJsonApp *
find_app (SigmaJsonScenario *self,
          const char        *name)
{
  for (guint i = 0; i < self->apps->len; i++)
    {
      SigmaJsonApp *app = g_ptr_array_index (self->apps, i);

      if (g_str_equal (app->name, name))
        return app;
    }
  return NULL;
}

/* ARE's turn_conditions.is_send_message_to_user for an oracle event. */
static gboolean
is_turn_end_event (SigmaJsonEvent *ev)
{
  return ev->type == SIGMA_EVENT_TYPE_AGENT && ev->app != NULL &&
         g_str_equal (ev->app, "AgentUserInterface") &&
         g_strcmp0 (ev->function, "send_message_to_user") == 0;
}

/* Scenario._is_event_send_message_to_user: any oracle send_message_to_user. */
static gboolean
is_smu_oracle (SigmaJsonEvent *ev)
{
  return ev->type == SIGMA_EVENT_TYPE_AGENT && g_strcmp0 (ev->function, "send_message_to_user") == 0;
}

/* Scenario._is_event_send_message_to_agent: a scheduled (non-oracle) send_message_to_agent. */
static gboolean
is_smta_event (SigmaJsonEvent *ev)
{
  return (ev->type == SIGMA_EVENT_TYPE_ENV || ev->type == SIGMA_EVENT_TYPE_USER) &&
         g_strcmp0 (ev->function, "send_message_to_agent") == 0;
}

/* ------------------------------------------------------------------------------------ */
/* Problems                                                                             */

typedef struct
{
  char  *message;
  guint  count;
} Note;

typedef struct
{
  SigmaJsonScenario *self;
  gboolean           lenient;
  GPtrArray         *problems;      /* GError: collect every problem (check mode) */
  GError           **error;         /* otherwise: the first problem */
  gboolean           failed;
  GHashTable        *notes;         /* category → Note */
  GPtrArray         *note_order;    /* categories */
  GHashTable        *fire_times;    /* condition base id → gdouble*: first true check (lenient) */
  GHashTable        *app_classes;   /* app name → class name, for completed events */
} Loader;

/* In first-error mode a problem stops the load; in check mode it is recorded. */
#define STOP(l) ((l)->failed && (l)->problems == NULL)

static gboolean report (Loader     *l,
                        gint        code,
                        const char *path,
                        const char *format,
                        ...) G_GNUC_PRINTF (4, 5);

/* Records a problem; always returns FALSE ("this item is invalid"). */
static gboolean
report (Loader     *l,
        gint        code,
        const char *path,
        const char *format,
        ...)
{
  va_list args;
  g_autofree char *message = NULL;
  GError *error;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = path != NULL ? g_error_new (SIGMA_ERROR, code, "%s: %s", path, message)
                       : g_error_new_literal (SIGMA_ERROR, code, message);
  l->failed = TRUE;
  if (l->problems != NULL)
    g_ptr_array_add (l->problems, error);
  else if (l->error != NULL && *l->error == NULL)
    *l->error = error;
  else
    g_error_free (error);
  return FALSE;
}

static void note (Loader     *l,
                  const char *category,
                  const char *path,
                  const char *format,
                  ...) G_GNUC_PRINTF (4, 5);

/* Something ARE tolerates or lenient mode accepts: one warning per category at the end. */
static void
note (Loader     *l,
      const char *category,
      const char *path,
      const char *format,
      ...)
{
  Note *n = g_hash_table_lookup (l->notes, category);
  va_list args;
  g_autofree char *message = NULL;

  if (n != NULL)
    {
      n->count++;
      return;
    }
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  n = g_new0 (Note, 1);
  n->message = path != NULL ? g_strdup_printf ("%s: %s", path, message) : g_steal_pointer (&message);
  n->count = 1;
  g_hash_table_insert (l->notes, g_strdup (category), n);
  g_ptr_array_add (l->note_order, g_strdup (category));
}

static gboolean deviate (Loader     *l,
                         const char *category,
                         gint        code,
                         const char *path,
                         const char *format,
                         ...) G_GNUC_PRINTF (5, 6);

/* A deviation from ARE that lenient mode accepts (a note, TRUE) and strict mode rejects. */
static gboolean
deviate (Loader     *l,
         const char *category,
         gint        code,
         const char *path,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (l->lenient)
    {
      note (l, category, path, "%s", message);
      return TRUE;
    }
  return report (l, code, path, "%s", message);
}

static void
note_free (gpointer data)
{
  Note *n = data;

  g_free (n->message);
  g_free (n);
}

static void
loader_init (Loader            *l,
             SigmaJsonScenario *self,
             GPtrArray         *problems,
             GError           **error)
{
  memset (l, 0, sizeof *l);
  l->self = self;
  l->lenient = (self->flags & SIGMA_JSON_LENIENT) != 0;
  l->problems = problems;
  l->error = error;
  l->notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, note_free);
  l->note_order = g_ptr_array_new_with_free_func (g_free);
  l->fire_times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l->app_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
loader_clear (Loader *l)
{
  g_clear_pointer (&l->notes, g_hash_table_unref);
  g_clear_pointer (&l->note_order, g_ptr_array_unref);
  g_clear_pointer (&l->fire_times, g_hash_table_unref);
  g_clear_pointer (&l->app_classes, g_hash_table_unref);
}

/* Turns the notes into the scenario's warnings, logged once each. */
static void
loader_emit_notes (Loader *l)
{
  for (guint i = 0; i < l->note_order->len; i++)
    {
      Note *n = g_hash_table_lookup (l->notes, g_ptr_array_index (l->note_order, i));
      char *text;

      if (n->count > 1)
        text = g_strdup_printf ("%s (and %u more like it)", n->message, n->count - 1);
      else
        text = g_strdup (n->message);
      if (l->problems == NULL)
        g_warning ("%s: %s", sigma_scenario_get_scenario_id (SIGMA_SCENARIO (l->self)) != NULL ?
                             sigma_scenario_get_scenario_id (SIGMA_SCENARIO (l->self)) : "scenario",
                   text);
      g_ptr_array_add (l->self->warnings, text);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Typed members                                                                        */

static const char *
node_type_name (JsonNode *node)
{
  if (node == NULL)
    return "nothing";
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE:
          return "a number";
        default:
          return "a value";
        }
    default:
      return "a value";
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gdouble
node_number (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_INT64 ? (gdouble) json_node_get_int (node)
                                                          : json_node_get_double (node);
}

static char *
member_path (const char *path,
             const char *name)
{
  return path != NULL && *path != '\0' ? g_strdup_printf ("%s.%s", path, name) : g_strdup (name);
}

typedef enum {
  OPTIONAL = 0,
  REQUIRED = 1 << 0,   /* the key must be present */
  NULLABLE = 1 << 1,   /* null is allowed */
} Presence;

/* A string member: TRUE with *out set (NULL for absent or null), FALSE on a problem. */
static gboolean
get_string (Loader      *l,
            JsonObject  *object,
            const char  *path,
            const char  *name,
            Presence     presence,
            const char **out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *p = NULL;

  *out = NULL;
  if (node == NULL)
    {
      if (!(presence & REQUIRED))
        return TRUE;
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "required member is missing");
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (presence & NULLABLE)
        return TRUE;
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "expected a string, found null");
    }
  if (!node_is_string (node))
    {
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "expected a string, found %s", node_type_name (node));
    }
  *out = json_node_get_string (node);
  return TRUE;
}

/* A number member: TRUE with *present and *out, FALSE on a problem. */
static gboolean
get_number (Loader      *l,
            JsonObject  *object,
            const char  *path,
            const char  *name,
            Presence     presence,
            gboolean    *present,
            gdouble     *out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *p = NULL;

  *present = FALSE;
  *out = 0.0;
  if (node == NULL)
    {
      if (!(presence & REQUIRED))
        return TRUE;
      p = member_path (path, name);
      if (l->lenient && (presence & NULLABLE))
        {
          note (l, "missing-nullable", p, "required member is missing; read as null");
          return TRUE;
        }
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "required member is missing");
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (presence & NULLABLE)
        return TRUE;
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "expected a number, found null");
    }
  if (!node_is_number (node))
    {
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "expected a number, found %s", node_type_name (node));
    }
  *present = TRUE;
  *out = node_number (node);
  return TRUE;
}

/* An integer member (42 or 42.0). */
static gboolean
get_integer (Loader      *l,
             JsonObject  *object,
             const char  *path,
             const char  *name,
             Presence     presence,
             gboolean    *present,
             gint64      *out)
{
  gdouble value;
  g_autofree char *p = NULL;

  *out = 0;
  if (!get_number (l, object, path, name, presence, present, &value))
    return FALSE;
  if (!*present)
    return TRUE;
  if (value != floor (value) || fabs (value) > 9007199254740992.0)
    {
      p = member_path (path, name);
      *present = FALSE;
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "expected an integer, found %.17g", value);
    }
  *out = (gint64) value;
  return TRUE;
}

static gboolean
get_bool (Loader      *l,
          JsonObject  *object,
          const char  *path,
          const char  *name,
          gboolean    *out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *p = NULL;

  *out = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "expected a boolean, found %s", node_type_name (node));
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* An object or array member: TRUE with *out (NULL when absent, or null where allowed),
 * FALSE on a problem. */
static gboolean
get_container (Loader        *l,
               JsonObject    *object,
               const char    *path,
               const char    *name,
               Presence       presence,
               JsonNodeType   type,
               JsonNode     **out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *p = NULL;

  *out = NULL;
  if (node == NULL)
    {
      if (!(presence & REQUIRED))
        return TRUE;
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "required member is missing");
    }
  if (JSON_NODE_HOLDS_NULL (node) && (presence & NULLABLE))
    return TRUE;
  if (JSON_NODE_TYPE (node) != type)
    {
      p = member_path (path, name);
      return report (l, SIGMA_ERROR_INVALID_DATA, p, "expected %s, found %s",
                     type == JSON_NODE_OBJECT ? "an object" : "an array", node_type_name (node));
    }
  *out = node;
  return TRUE;
}

static gboolean
get_object (Loader      *l,
            JsonObject  *object,
            const char  *path,
            const char  *name,
            Presence     presence,
            JsonObject **out)
{
  JsonNode *node;
  gboolean ok = get_container (l, object, path, name, presence, JSON_NODE_OBJECT, &node);

  *out = node != NULL ? json_node_get_object (node) : NULL;
  return ok;
}

static gboolean
get_array (Loader      *l,
           JsonObject  *object,
           const char  *path,
           const char  *name,
           Presence     presence,
           JsonArray  **out)
{
  JsonNode *node;
  gboolean ok = get_container (l, object, path, name, presence, JSON_NODE_ARRAY, &node);

  *out = node != NULL ? json_node_get_array (node) : NULL;
  return ok;
}

/* The object member @name, or NULL when absent or not an object. */
static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Unknown members are ignored, as pydantic does. */
static void
debug_unknown_members (JsonObject         *object,
                       const char         *path,
                       const char * const *known)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    if (!g_strv_contains (known, name))
      g_debug ("%s%s%s: unknown member ignored", path != NULL ? path : "", path != NULL ? "." : "", name);
}

/* ------------------------------------------------------------------------------------ */
/* Metadata (§3)                                                                        */

static gboolean
read_hints (Loader     *l,
            JsonObject *definition)
{
  SigmaJsonScenario *self = l->self;
  JsonArray *hints;
  gboolean ok = TRUE;

  if (!get_array (l, definition, "metadata.definition", "hints", OPTIONAL, &hints))
    return FALSE;
  for (guint i = 0; hints != NULL && i < json_array_get_length (hints); i++)
    {
      JsonNode *node = json_array_get_element (hints, i);
      g_autofree char *path = g_strdup_printf ("metadata.definition.hints[%u]", i);
      const char *type, *content, *event_id;
      JsonObject *hint;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "expected an object, found %s", node_type_name (node));
          continue;
        }
      hint = json_node_get_object (node);
      if (!get_string (l, hint, path, "hint_type", REQUIRED, &type) ||
          !get_string (l, hint, path, "content", REQUIRED, &content) ||
          !get_string (l, hint, path, "associated_event_id", REQUIRED, &event_id))
        {
          ok = FALSE;
          continue;
        }
      if (!g_str_equal (type, "TASK_HINT") && !g_str_equal (type, "ENVIRONMENT_HINT"))
        {
          g_autofree char *p = member_path (path, "hint_type");
          ok = report (l, SIGMA_ERROR_INVALID_DATA, p,
                       "unknown hint type '%s' (expected TASK_HINT or ENVIRONMENT_HINT)", type);
          continue;
        }
      g_ptr_array_add (self->hints, json_object_ref (hint));
    }
  return ok;
}

static gboolean
read_execution (Loader     *l,
                JsonObject *metadata)
{
  SigmaJsonScenario *self = l->self;
  JsonObject *execution;
  JsonArray *placeholders;
  JsonNode *conflicts;
  gboolean ok = TRUE;

  if (!get_object (l, metadata, "metadata", "execution", NULLABLE, &execution))
    return FALSE;
  if (execution == NULL)
    return TRUE;
  self->has_execution = TRUE;
  conflicts = json_object_get_member (execution, "has_placeholder_conflicts");
  if (conflicts == NULL || !JSON_NODE_HOLDS_VALUE (conflicts) ||
      json_node_get_value_type (conflicts) != G_TYPE_BOOLEAN)
    ok = report (l, SIGMA_ERROR_INVALID_DATA, "metadata.execution.has_placeholder_conflicts",
                 "expected a boolean, found %s", node_type_name (conflicts));
  else
    self->has_placeholder_conflicts = json_node_get_boolean (conflicts);
  if (!get_array (l, execution, "metadata.execution", "placeholders", REQUIRED, &placeholders))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (placeholders); i++)
    {
      JsonNode *node = json_array_get_element (placeholders, i);
      g_autofree char *path = g_strdup_printf ("metadata.execution.placeholders[%u]", i);
      const char *tool, *parent_id, *ph_id;
      gint64 parent_turn, ph_turn;
      gboolean present;
      JsonObject *object;
      SigmaJsonPlaceholder *ph;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "expected an object, found %s", node_type_name (node));
          continue;
        }
      object = json_node_get_object (node);
      if (!get_string (l, object, path, "parent_tool_name", REQUIRED, &tool) ||
          !get_integer (l, object, path, "parent_turn_idx", REQUIRED, &present, &parent_turn) ||
          !get_string (l, object, path, "parent_event_id", REQUIRED, &parent_id) ||
          !get_integer (l, object, path, "placeholder_turn_idx", REQUIRED, &present, &ph_turn) ||
          !get_string (l, object, path, "placeholder_event_id", REQUIRED, &ph_id))
        {
          ok = FALSE;
          continue;
        }
      ph = g_new0 (SigmaJsonPlaceholder, 1);
      ph->parent_tool_name = g_strdup (tool);
      ph->parent_turn = (guint) CLAMP (parent_turn, 0, G_MAXUINT);
      ph->parent_event_id = g_strdup (parent_id);
      ph->placeholder_turn = (guint) CLAMP (ph_turn, 0, G_MAXUINT);
      ph->placeholder_event_id = g_strdup (ph_id);
      g_ptr_array_add (self->placeholders, ph);
    }
  return ok;
}

static gboolean
read_metadata (Loader     *l,
               JsonObject *root)
{
  static const char * const definition_keys[] = {
    "scenario_id", "seed", "duration", "time_increment_in_seconds", "start_time", "run_number",
    "hints", "config", "has_a2a_augmentation", "has_tool_augmentation",
    "has_env_events_augmentation", "has_exception", "exception_type", "exception_message",
    "tags", "hf_metadata", NULL
  };
  static const char * const metadata_keys[] = {
    "definition", "simulation", "annotation", "execution", "runner_config", NULL
  };
  SigmaJsonScenario *self = l->self;
  JsonObject *metadata, *definition, *object;
  const char *scenario_id, *text;
  gboolean present, flag, ok = TRUE;
  gint64 seed = 0, increment = 1, run_number;
  gdouble start_time = 0.0, duration = ARE_DEFAULT_DURATION, value;
  JsonArray *tags;
  g_auto(GStrv) tag_names = NULL;
  g_autoptr(GPtrArray) hint_texts = NULL;

  if (!get_object (l, root, NULL, "metadata", REQUIRED, &metadata))
    return FALSE;
  if (!get_object (l, metadata, "metadata", "definition", REQUIRED, &definition))
    return FALSE;
  self->metadata = json_object_ref (metadata);
  self->definition = json_object_ref (definition);
  debug_unknown_members (metadata, "metadata", metadata_keys);
  debug_unknown_members (definition, "metadata.definition", definition_keys);

  if (!get_string (l, definition, "metadata.definition", "scenario_id", REQUIRED, &scenario_id))
    ok = FALSE;

  if (!get_integer (l, definition, "metadata.definition", "seed", NULLABLE, &present, &seed))
    ok = FALSE;
  else if (present && seed < 0)
    ok = report (l, SIGMA_ERROR_INVALID_DATA, "metadata.definition.seed",
                 "expected a seed of 0 or more, found %" G_GINT64_FORMAT, seed);

  if (!get_number (l, definition, "metadata.definition", "duration", NULLABLE, &present, &value))
    ok = FALSE;
  else if (present && (value < 0 || !isfinite (value)))
    ok = report (l, SIGMA_ERROR_INVALID_DATA, "metadata.definition.duration",
                 "expected a duration of 0 or more seconds, found %.17g", value);
  else if (present)
    duration = value;

  if (!get_integer (l, definition, "metadata.definition", "time_increment_in_seconds", NULLABLE,
                    &present, &increment))
    ok = FALSE;
  else if (!present)
    increment = 1;
  else if (increment < 1)
    ok = report (l, SIGMA_ERROR_INVALID_DATA, "metadata.definition.time_increment_in_seconds",
                 "expected 1 or more, found %" G_GINT64_FORMAT, increment);

  if (!get_number (l, definition, "metadata.definition", "start_time", NULLABLE, &present, &value))
    ok = FALSE;
  else if (present && (value < 0 || !isfinite (value)))
    ok = report (l, SIGMA_ERROR_INVALID_DATA, "metadata.definition.start_time",
                 "expected a time of 0 or more, found %.17g", value);
  else if (present)
    start_time = value;

  if (!get_integer (l, definition, "metadata.definition", "run_number", NULLABLE, &present, &run_number) ||
      !get_string (l, definition, "metadata.definition", "config", NULLABLE, &text) ||
      !get_bool (l, definition, "metadata.definition", "has_a2a_augmentation", &flag) ||
      !get_bool (l, definition, "metadata.definition", "has_tool_augmentation", &flag) ||
      !get_bool (l, definition, "metadata.definition", "has_env_events_augmentation", &flag) ||
      !get_bool (l, definition, "metadata.definition", "has_exception", &flag) ||
      !get_string (l, definition, "metadata.definition", "exception_type", NULLABLE, &text) ||
      !get_string (l, definition, "metadata.definition", "exception_message", NULLABLE, &text))
    ok = FALSE;

  /* tags: CapabilityTag names; one unknown name and ARE keeps none */
  if (!get_array (l, definition, "metadata.definition", "tags", NULLABLE, &tags))
    ok = FALSE;
  else if (tags != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      gboolean all_known = TRUE;

      for (guint i = 0; i < json_array_get_length (tags); i++)
        {
          JsonNode *node = json_array_get_element (tags, i);
          g_autofree char *path = g_strdup_printf ("metadata.definition.tags[%u]", i);

          if (!node_is_string (node))
            {
              ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "expected a string, found %s",
                           node_type_name (node));
              continue;
            }
          if (!g_strv_contains (capability_tags, json_node_get_string (node)))
            {
              note (l, "unknown-tag", path,
                    "unknown capability tag '%s'; as ARE does, no tags are kept",
                    json_node_get_string (node));
              all_known = FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (node));
        }
      if (all_known)
        tag_names = g_strv_builder_end (builder);
    }
  if (tag_names != NULL)
    self->has_time_tag = g_strv_contains ((const char * const *) tag_names, "Time");

  if (!get_object (l, definition, "metadata.definition", "hf_metadata", NULLABLE, &object))
    ok = FALSE;
  else if (object != NULL &&
           (!get_string (l, object, "metadata.definition.hf_metadata", "dataset", REQUIRED, &text) ||
            !get_string (l, object, "metadata.definition.hf_metadata", "split", REQUIRED, &text) ||
            !get_string (l, object, "metadata.definition.hf_metadata", "revision", NULLABLE, &text)))
    ok = FALSE;

  if (!read_hints (l, definition))
    ok = FALSE;

  if (!get_object (l, metadata, "metadata", "simulation", NULLABLE, &object))
    ok = FALSE;
  else if (object != NULL &&
           (!get_string (l, object, "metadata.simulation", "agent_id", NULLABLE, &text) ||
            !get_string (l, object, "metadata.simulation", "model_id", NULLABLE, &text)))
    ok = FALSE;

  if (!get_object (l, metadata, "metadata", "annotation", NULLABLE, &object))
    ok = FALSE;
  else if (object != NULL &&
           (!get_string (l, object, "metadata.annotation", "annotation_id", NULLABLE, &text) ||
            !get_string (l, object, "metadata.annotation", "annotator", NULLABLE, &text) ||
            !get_string (l, object, "metadata.annotation", "validation_decision", NULLABLE, &text) ||
            !get_string (l, object, "metadata.annotation", "comment", NULLABLE, &text) ||
            !get_number (l, object, "metadata.annotation", "date", OPTIONAL, &present, &value)))
    ok = FALSE;

  if (!read_execution (l, metadata))
    ok = FALSE;

  if (!get_object (l, metadata, "metadata", "runner_config", NULLABLE, &object))
    ok = FALSE;

  if (!ok)
    return FALSE;

  hint_texts = g_ptr_array_new ();
  for (guint i = 0; i < self->hints->len; i++)
    g_ptr_array_add (hint_texts, (gpointer) json_object_get_string_member (g_ptr_array_index (self->hints, i),
                                                                             "content"));
  g_ptr_array_add (hint_texts, NULL);

  self->duration = duration;
  g_object_set (self,
                "scenario-id", scenario_id,
                "seed", (guint64) seed,
                "start-time", start_time,
                "duration", duration,
                "time-increment", (gdouble) increment,
                "tags", tag_names,
                "hints", (char **) hint_texts->pdata,
                NULL);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Apps (§4)                                                                            */

static gboolean
read_apps (Loader     *l,
           JsonObject *root)
{
  static const char * const app_keys[] = { "name", "class_name", "app_state", NULL };
  SigmaJsonScenario *self = l->self;
  JsonArray *apps;
  gboolean ok = TRUE;

  if (!get_array (l, root, NULL, "apps", OPTIONAL, &apps))
    return FALSE;
  for (guint i = 0; apps != NULL && i < json_array_get_length (apps); i++)
    {
      JsonNode *node = json_array_get_element (apps, i);
      g_autofree char *path = g_strdup_printf ("apps[%u]", i);
      const char *name, *class_name;
      JsonObject *object, *state;
      SigmaJsonApp *app;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "expected an object, found %s", node_type_name (node));
          continue;
        }
      object = json_node_get_object (node);
      debug_unknown_members (object, path, app_keys);
      if (!get_string (l, object, path, "name", REQUIRED, &name) ||
          !get_string (l, object, path, "class_name", NULLABLE, &class_name) ||
          !get_object (l, object, path, "app_state", NULLABLE, &state))
        {
          ok = FALSE;
          continue;
        }
      if (find_app (self, name) != NULL)
        {
          g_autofree char *p = member_path (path, "name");
          ok = report (l, SIGMA_ERROR_DUPLICATE_ID, p, "two apps are named '%s'", name);
          continue;
        }

      app = g_new0 (SigmaJsonApp, 1);
      app->index = i;
      app->name = g_strdup (name);
      app->class_name = g_strdup (class_name);
      app->state = state != NULL ? json_node_ref (json_object_get_member (object, "app_state")) : NULL;
      if (sigma_apps_lookup_type (app_class_of (app)) == G_TYPE_INVALID)
        {
          g_autofree char *p = member_path (path, class_name != NULL ? "class_name" : "name");

          if (!deviate (l, "unknown-app-class", SIGMA_ERROR_UNKNOWN_APP, p,
                        "unknown app class '%s'%s", app_class_of (app),
                        l->lenient ? "; kept as an opaque app that only stores its state" : ""))
            ok = FALSE;
          app->opaque = TRUE;
          app->functions = g_ptr_array_new_with_free_func (g_free);
          app->function_args = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
          app->function_ops = g_array_new (FALSE, FALSE, sizeof (SigmaToolOperation));
        }
      g_ptr_array_add (self->apps, app);
      g_hash_table_replace (l->app_classes, g_strdup (name), g_strdup (app_class_of (app)));
    }
  /* ARE's importer knows these two for completed events whatever the file says */
  g_hash_table_replace (l->app_classes, g_strdup ("SystemApp"), g_strdup ("SystemApp"));
  g_hash_table_replace (l->app_classes, g_strdup ("AgentUserInterface"), g_strdup ("AgentUserInterface"));
  return ok;
}

/* Records a function an event calls on an opaque app, so that the app gets a do-nothing
 * tool for it. */
static void
opaque_app_note_function (SigmaJsonApp       *app,
                          const char         *function,
                          JsonObject         *args,
                          SigmaToolOperation  operation,
                          gboolean            operation_known)
{
  GPtrArray *names = NULL;
  guint index;

  for (index = 0; index < app->functions->len; index++)
    if (g_str_equal (g_ptr_array_index (app->functions, index), function))
      {
        names = g_ptr_array_index (app->function_args, index);
        break;
      }
  if (names == NULL)
    {
      SigmaToolOperation op = operation_known ? operation : SIGMA_TOOL_OPERATION_WRITE;

      g_ptr_array_add (app->functions, g_strdup (function));
      names = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (app->function_args, names);
      g_array_append_val (app->function_ops, op);
    }
  else if (operation_known)
    g_array_index (app->function_ops, SigmaToolOperation, index) = operation;

  if (args != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, args);
      while (json_object_iter_next_ordered (&iter, &name, &value))
        {
          gboolean known = FALSE;

          for (guint i = 0; i < names->len && !known; i++)
            known = g_str_equal (g_ptr_array_index (names, i), name);
          if (!known)
            g_ptr_array_add (names, g_strdup (name));
        }
    }
}

static SigmaApp *
create_app (SigmaJsonApp  *japp,
            gboolean       lenient,
            GError       **error)
{
  g_autoptr(SigmaApp) app = NULL;

  if (japp->opaque)
    {
      app = sigma_opaque_app_new (japp->name, app_class_of (japp));
      for (guint i = 0; i < japp->functions->len; i++)
        {
          GPtrArray *names = g_ptr_array_index (japp->function_args, i);
          g_autoptr(GPtrArray) argv = g_ptr_array_new ();

          for (guint j = 0; j < names->len; j++)
            g_ptr_array_add (argv, g_ptr_array_index (names, j));
          g_ptr_array_add (argv, NULL);
          sigma_opaque_app_add_function (SIGMA_OPAQUE_APP (app), g_ptr_array_index (japp->functions, i),
                                         (const char * const *) argv->pdata,
                                         g_array_index (japp->function_ops, SigmaToolOperation, i));
        }
    }
  else
    {
      app = sigma_apps_create (app_class_of (japp), japp->name, error);
      if (app == NULL)
        return NULL;
      sigma_app_set_lenient (app, lenient);
    }
  if (japp->state != NULL && !sigma_app_load_state (app, japp->state, error))
    return NULL;
  return g_steal_pointer (&app);
}

/* ------------------------------------------------------------------------------------ */
/* Events (§5, §6)                                                                      */

static void
note_leniencies (Loader     *l,
                 guint       leniencies,
                 const char *path)
{
  if (leniencies & SIGMA_DECODE_NONE_TYPE)
    note (l, "none-type", path, "value_type 'NoneType' read as null");
  if (leniencies & SIGMA_DECODE_PYTHON_LITERAL)
    note (l, "python-literal", path, "a Python repr() read as a list or dict");
  if (leniencies & SIGMA_DECODE_INFERRED_TYPE)
    note (l, "inferred-type", path, "a value without value_type; its type was inferred");
  if (leniencies & SIGMA_DECODE_EMPTY_AS_NULL)
    note (l, "empty-as-null", path, "an empty value for a non-optional type was kept");
  if (leniencies & SIGMA_DECODE_KEPT_STRING)
    note (l, "kept-string", path, "a value that does not convert to its value_type was kept as text");
}

/* Decodes an action's `args` into an ordered object; NULL after a problem. */
static JsonObject *
read_args (Loader     *l,
           JsonArray  *args,
           const char *action_path)
{
  static const char * const arg_keys[] = { "name", "value", "value_type", NULL };
  g_autoptr(JsonObject) result = json_object_new ();
  gboolean ok = TRUE;

  for (guint j = 0; args != NULL && j < json_array_get_length (args); j++)
    {
      JsonNode *node = json_array_get_element (args, j);
      g_autofree char *path = g_strdup_printf ("%s.args[%u]", action_path, j);
      const char *name, *value, *value_type;
      JsonObject *arg;
      JsonNode *decoded;
      guint leniencies = 0;
      GError *error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "expected an object, found %s", node_type_name (node));
          continue;
        }
      arg = json_node_get_object (node);
      debug_unknown_members (arg, path, arg_keys);
      if (!get_string (l, arg, path, "name", REQUIRED, &name) ||
          !get_string (l, arg, path, "value", NULLABLE, &value) ||
          !get_string (l, arg, path, "value_type", NULLABLE, &value_type))
        {
          ok = FALSE;
          continue;
        }
      decoded = sigma_json_decode_value (value, value_type, l->lenient, &leniencies, &error);
      if (decoded == NULL)
        {
          g_autofree char *p = g_strdup_printf ("%s.%s", path,
                                                value_type == NULL && value != NULL ? "value_type" : "value");
          ok = report (l, SIGMA_ERROR_INVALID_DATA, p, "%s", error->message);
          g_error_free (error);
          continue;
        }
      note_leniencies (l, leniencies, path);
      json_object_set_member (result, name, decoded);
    }
  if (!ok)
    return NULL;
  json_object_seal (result);
  return g_steal_pointer (&result);
}

static gboolean
parse_event_type (const char     *text,
                  SigmaEventType *type)
{
  static const struct { const char *name; SigmaEventType type; } types[] = {
    { "AGENT", SIGMA_EVENT_TYPE_AGENT },
    { "ENV", SIGMA_EVENT_TYPE_ENV },
    { "USER", SIGMA_EVENT_TYPE_USER },
    { "CONDITION", SIGMA_EVENT_TYPE_CONDITION },
    { "VALIDATION", SIGMA_EVENT_TYPE_VALIDATION },
    { "STOP", SIGMA_EVENT_TYPE_STOP },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (text, types[i].name))
      {
        *type = types[i].type;
        return TRUE;
      }
  return FALSE;
}

/* Reads wrapped_condition__turn_idx_<k>__scenario_id_<sid>; FALSE if @name is not one. */
static gboolean
parse_turn_condition_name (const char *name,
                           guint      *turn)
{
  g_auto(GStrv) parts = g_strsplit (name, "__", -1);
  const char *digits;
  guint64 k;

  if (g_strv_length (parts) != 3 || !g_str_has_prefix (parts[1], "turn_idx_") ||
      !g_str_has_prefix (parts[2], "scenario_id_"))
    return FALSE;
  digits = parts[1] + strlen ("turn_idx_");
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT, &k, NULL))
    return FALSE;
  *turn = (guint) k;
  return TRUE;
}

/* The condition id without a -CHECK_<n> suffix. */
static char *
condition_base_id (const char *id)
{
  const char *suffix = g_strrstr (id, "-CHECK_");

  if (suffix != NULL && suffix[7] != '\0')
    {
      const char *q = suffix + 7;

      while (g_ascii_isdigit (*q))
        q++;
      if (*q == '\0')
        return g_strndup (id, (gsize) (suffix - id));
    }
  return g_strdup (id);
}

static gboolean
read_condition (Loader         *l,
                SigmaJsonEvent *ev,
                const char     *path)
{
  g_autofree char *fpath = g_strdup_printf ("%s.action.function", path);
  const char *function = ev->function != NULL ? ev->function : "";

  if (g_str_has_prefix (function, "wrapped_condition__turn_idx_"))
    {
      if (!parse_turn_condition_name (function, &ev->condition_turn))
        return report (l, SIGMA_ERROR_INVALID_DATA, fpath,
                       "Invalid condition function name format: %s", function);
      if (!l->self->has_execution &&
          !deviate (l, "condition-without-execution", SIGMA_ERROR_INVALID_DATA, fpath,
                    "a turn condition needs metadata.execution (ARE: execution_metadata is required "
                    "for CONDITION events)"))
        return FALSE;
      ev->condition_kind = SIGMA_JSON_CONDITION_TURN;
      return TRUE;
    }

  if (!deviate (l, "python-callback", SIGMA_ERROR_INVALID_DATA, fpath,
                "condition '%s' names a Python callback that a JSON file cannot carry%s", function,
                l->lenient ? "; replaced by its recorded firing time" : ""))
    return FALSE;
  {
    g_autofree char *base = condition_base_id (ev->id);
    gdouble *fire = g_hash_table_lookup (l->fire_times, base);

    if (fire != NULL)
      {
        ev->condition_kind = SIGMA_JSON_CONDITION_RECORDED;
        ev->fire_time = *fire;
      }
    else
      {
        note (l, "condition-never-fired", fpath,
              "condition '%s' never held in the recorded run; it is checked but never holds", function);
        ev->condition_kind = SIGMA_JSON_CONDITION_NEVER;
      }
  }
  return TRUE;
}

static SigmaJsonEvent *
read_event (Loader     *l,
            JsonNode   *node,
            guint       index,
            GStrv      *dep_ids)
{
  static const char * const event_keys[] = {
    "class_name", "event_type", "event_id", "dependencies", "event_time", "event_relative_time",
    "action", "event_time_comparator", "metadata", NULL
  };
  static const char * const action_keys[] = {
    "action_id", "app", "function", "operation_type", "args", NULL
  };
  g_autofree char *path = g_strdup_printf ("events[%u]", index);
  g_autofree char *action_path = g_strdup_printf ("events[%u].action", index);
  SigmaJsonEvent *ev;
  JsonObject *object, *action;
  JsonArray *deps, *args = NULL;
  const char *class_name, *type_text, *event_id, *comparator, *text, *app = NULL, *function = NULL;
  gboolean has_time, has_relative, ok = TRUE;
  gdouble time, relative;
  SigmaEventType type = SIGMA_EVENT_TYPE_ENV;

  *dep_ids = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report (l, SIGMA_ERROR_INVALID_DATA, path, "expected an object, found %s", node_type_name (node));
      return NULL;
    }
  object = json_node_get_object (node);
  debug_unknown_members (object, path, event_keys);

  if (!get_string (l, object, path, "class_name", l->lenient ? OPTIONAL : REQUIRED, &class_name))
    ok = FALSE;
  if (!get_string (l, object, path, "event_type", REQUIRED, &type_text))
    ok = FALSE;
  else if (!parse_event_type (type_text, &type))
    {
      g_autofree char *p = member_path (path, "event_type");
      ok = report (l, SIGMA_ERROR_INVALID_DATA, p,
                   "unknown event type '%s' (expected AGENT, ENV, USER or CONDITION)", type_text);
    }
  else if (type == SIGMA_EVENT_TYPE_VALIDATION || type == SIGMA_EVENT_TYPE_STOP)
    {
      g_autofree char *p = member_path (path, "event_type");
      ok = report (l, SIGMA_ERROR_INVALID_DATA, p,
                   "%s events cannot be imported (event_type must be one of AGENT, ENV, USER, CONDITION)",
                   type_text);
    }
  if (!get_string (l, object, path, "event_id", REQUIRED, &event_id))
    ok = FALSE;

  if (!get_array (l, object, path, "dependencies", l->lenient ? NULLABLE : REQUIRED, &deps))
    ok = FALSE;
  else
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint k = 0; deps != NULL && k < json_array_get_length (deps); k++)
        {
          JsonNode *dep = json_array_get_element (deps, k);

          if (!node_is_string (dep))
            {
              g_autofree char *p = g_strdup_printf ("%s.dependencies[%u]", path, k);
              ok = report (l, SIGMA_ERROR_INVALID_DATA, p, "expected an event id string, found %s",
                           node_type_name (dep));
              continue;
            }
          g_strv_builder_add (builder, json_node_get_string (dep));
        }
      *dep_ids = g_strv_builder_end (builder);
    }

  if (!get_number (l, object, path, "event_time", REQUIRED | NULLABLE, &has_time, &time) ||
      !get_number (l, object, path, "event_relative_time", REQUIRED | NULLABLE, &has_relative, &relative))
    ok = FALSE;
  else if (has_relative && (relative < 0 || !isfinite (relative)))
    {
      g_autofree char *p = member_path (path, "event_relative_time");
      ok = report (l, SIGMA_ERROR_INVALID_EVENT, p, "event_relative_time must be non-negative, found %.17g",
                   relative);
    }
  else if (!has_relative && has_time && (time < 0 || !isfinite (time)))
    {
      g_autofree char *p = member_path (path, "event_time");
      ok = report (l, SIGMA_ERROR_INVALID_EVENT, p, "event_time must be non-negative, found %.17g", time);
    }

  if (!get_object (l, object, path, "action", NULLABLE, &action))
    ok = FALSE;
  else if (action != NULL)
    {
      debug_unknown_members (action, action_path, action_keys);
      if (!get_string (l, action, action_path, "action_id", l->lenient ? NULLABLE : REQUIRED, &text) ||
          !get_string (l, action, action_path, "app", NULLABLE, &app) ||
          !get_string (l, action, action_path, "function", NULLABLE, &function) ||
          !get_string (l, action, action_path, "operation_type", NULLABLE, &text) ||
          !get_array (l, action, action_path, "args", NULLABLE, &args))
        ok = FALSE;
    }
  if (!get_string (l, object, path, "event_time_comparator", NULLABLE, &comparator))
    ok = FALSE;

  if (!ok)
    return NULL;

  ev = g_new0 (SigmaJsonEvent, 1);
  ev->id = g_strdup (event_id);
  ev->index = index;
  ev->type = type;
  ev->json = json_object_ref (object);
  ev->deps = g_ptr_array_new ();
  ev->succs = g_ptr_array_new ();
  if (has_relative)
    {
      ev->has_relative = TRUE;
      ev->relative = relative;
    }
  else if (has_time)
    {
      ev->has_time = TRUE;
      ev->time = time;
    }
  else
    ev->has_relative = TRUE;   /* relative 0 */
  ev->function = function != NULL ? g_intern_string (function) : NULL;
  ev->app = app != NULL ? g_intern_string (app) : NULL;

  if (type == SIGMA_EVENT_TYPE_CONDITION)
    {
      ev->app = NULL;
      if (!read_condition (l, ev, path))
        ok = FALSE;
      ev->args = json_object_new ();
      json_object_seal (ev->args);
    }
  else
    {
      if (action == NULL)
        ok = report (l, SIGMA_ERROR_INVALID_DATA, action_path, "an %s event needs an action", type_text);
      else if (app == NULL)
        {
          g_autofree char *p = member_path (action_path, "app");
          ok = report (l, SIGMA_ERROR_UNKNOWN_APP, p, "an %s event needs an app", type_text);
        }
      else if (function == NULL)
        {
          g_autofree char *p = member_path (action_path, "function");
          ok = report (l, SIGMA_ERROR_UNKNOWN_TOOL, p, "an %s event needs a function", type_text);
        }
      if (action != NULL)
        {
          ev->args = read_args (l, args, action_path);
          if (ev->args == NULL)
            ok = FALSE;
        }
    }

  if (comparator != NULL)
    {
      g_autofree char *p = member_path (path, "event_time_comparator");

      if (type == SIGMA_EVENT_TYPE_ENV || type == SIGMA_EVENT_TYPE_USER)
        {
          if (!deviate (l, "comparator-on-env", SIGMA_ERROR_INVALID_DATA, p,
                        "event_time_comparator is only supported for events of type AGENT"))
            ok = FALSE;
        }
      else if (g_str_equal (comparator, "LESS_THAN"))
        ev->comparator = SIGMA_TIME_COMPARATOR_LESS_THAN;
      else if (g_str_equal (comparator, "GREATER_THAN"))
        ev->comparator = SIGMA_TIME_COMPARATOR_GREATER_THAN;
      else if (g_str_equal (comparator, "EQUAL"))
        ev->comparator = SIGMA_TIME_COMPARATOR_EQUAL;
      else
        note (l, "invalid-comparator", p, "invalid event_time_comparator value '%s'; ignored, as ARE does",
              comparator);
    }

  if (!ok)
    {
      json_event_free (ev);
      return NULL;
    }
  return ev;
}

/* ------------------------------------------------------------------------------------ */
/* The DAG (§8)                                                                         */

/* ARE's build_event_id_to_turn_idx over @events (those linked so far): a BFS from the roots
 * in list order; an event's turn is set when first dequeued, from its dependencies' turns
 * so far (0 when not visited yet), plus one after a send_message_to_user oracle. @dict_order
 * receives the events in the order of ARE's dict (a dependency read before its visit is
 * inserted then). Turns go to @turns, indexed by SigmaJsonEvent.order. */
static void
compute_turns (GPtrArray *events,
               guint     *turns,
               GPtrArray *dict_order)
{
  g_autoptr(GQueue) queue = g_queue_new ();
  g_autofree guint8 *in_dict = g_new0 (guint8, events->len + 1);
  g_autofree guint8 *visited = g_new0 (guint8, events->len + 1);

  for (guint i = 0; i < events->len; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (events, i);

      turns[ev->order] = 0;
      if (ev->deps->len == 0)
        g_queue_push_tail (queue, ev);
    }
  while (!g_queue_is_empty (queue))
    {
      SigmaJsonEvent *ev = g_queue_pop_head (queue);

      if (visited[ev->order])
        continue;
      if (!in_dict[ev->order])
        {
          in_dict[ev->order] = TRUE;
          g_ptr_array_add (dict_order, ev);
        }
      visited[ev->order] = TRUE;
      turns[ev->order] = 0;
      if (ev->deps->len > 0)
        {
          guint turn = 0;
          gboolean after_end = FALSE;

          for (guint d = 0; d < ev->deps->len; d++)
            {
              SigmaJsonEvent *dep = g_ptr_array_index (ev->deps, d);

              if (!in_dict[dep->order])
                {
                  /* defaultdict: reading an unvisited id inserts it with 0 */
                  in_dict[dep->order] = TRUE;
                  turns[dep->order] = 0;
                  g_ptr_array_add (dict_order, dep);
                }
              turn = MAX (turn, turns[dep->order]);
              after_end |= is_turn_end_event (dep);
            }
          turns[ev->order] = turn + (after_end ? 1 : 0);
        }
      for (guint s = 0; s < ev->succs->len; s++)
        {
          SigmaJsonEvent *succ = g_ptr_array_index (ev->succs, s);

          if (!visited[succ->order])
            g_queue_push_tail (queue, succ);
        }
    }
}

typedef struct
{
  Loader    *l;
  GPtrArray *added;   /* SigmaJsonEvent, Kahn order; ev->order is its index */
} Dag;

static gboolean
rule_violation (Loader         *l,
                SigmaJsonEvent *ev,
                const char     *category,
                const char     *format,
                ...) G_GNUC_PRINTF (4, 5);

static gboolean
rule_violation (Loader         *l,
                SigmaJsonEvent *ev,
                const char     *category,
                const char     *format,
                ...)
{
  va_list args;
  g_autofree char *message = NULL;
  g_autofree char *path = g_strdup_printf ("events[%u].dependencies", ev->index);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return deviate (l, category, SIGMA_ERROR_INVALID_EVENT, path, "%s (event '%s')", message, ev->id);
}

/* Rule 5: all send_message_to_agent and send_message_to_user events lie in one connected
 * branch. Components that contain a CONDITION event are left out (the turn gates of a
 * preprocessed export; scenario-json.md §8.3). */
static gboolean
check_single_branch (Dag            *dag,
                     SigmaJsonEvent *ev)
{
  guint n = dag->added->len;
  g_autofree gint *comp = g_new (gint, n + 1);
  g_autoptr(GArray) comp_has_condition = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autofree guint8 *p_comp = NULL;
  g_autoptr(GQueue) queue = g_queue_new ();
  guint n_comps = 0;

  for (guint i = 0; i < n; i++)
    comp[i] = -1;
  for (guint i = 0; i < n; i++)
    {
      gboolean has_condition = FALSE;

      if (comp[i] >= 0)
        continue;
      comp[i] = (gint) n_comps;
      g_queue_push_tail (queue, g_ptr_array_index (dag->added, i));
      while (!g_queue_is_empty (queue))
        {
          SigmaJsonEvent *e = g_queue_pop_head (queue);
          GPtrArray *lists[2] = { e->deps, e->succs };

          has_condition |= e->type == SIGMA_EVENT_TYPE_CONDITION;
          for (guint k = 0; k < 2; k++)
            for (guint j = 0; j < lists[k]->len; j++)
              {
                SigmaJsonEvent *o = g_ptr_array_index (lists[k], j);

                if (o->order < n && g_ptr_array_index (dag->added, o->order) == o && comp[o->order] < 0)
                  {
                    comp[o->order] = (gint) n_comps;
                    g_queue_push_tail (queue, o);
                  }
              }
        }
      g_array_append_val (comp_has_condition, has_condition);
      n_comps++;
    }

  p_comp = g_new0 (guint8, n_comps + 1);
  for (guint d = 0; d < ev->deps->len; d++)
    {
      SigmaJsonEvent *dep = g_ptr_array_index (ev->deps, d);
      gint c = comp[dep->order];

      if (g_array_index (comp_has_condition, gboolean, c))
        return TRUE;
      p_comp[c] = TRUE;
    }
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *e = g_ptr_array_index (dag->added, i);

      if (p_comp[comp[i]] || g_array_index (comp_has_condition, gboolean, comp[i]))
        continue;
      if (is_smta_event (e) || is_smu_oracle (e))
        return rule_violation (dag->l, ev, "single-branch",
                               "Only one branch of the events graph should contain send_message_to_agent "
                               "or send_message_to_user events; '%s' is on another branch", e->id);
    }
  return TRUE;
}

/* Rule 6: validate_events_dag_message_to_user_time. */
static gboolean
check_turn_times (Dag            *dag,
                  SigmaJsonEvent *ev)
{
  Loader *l = dag->l;
  guint n = dag->added->len;
  g_autofree guint *turns = g_new0 (guint, n + 1);
  g_autofree gdouble *acc = g_new0 (gdouble, n + 1);
  g_autofree guint8 *in_turn = g_new0 (guint8, n + 1);
  g_autoptr(GPtrArray) dict_order = g_ptr_array_new ();
  g_autoptr(GPtrArray) turn_events = g_ptr_array_new ();
  gdouble start = sigma_scenario_get_start_time (SIGMA_SCENARIO (l->self));
  gdouble max_pred = 0, max_all = -G_MAXDOUBLE;
  gdouble new_rel = ev->has_relative ? ev->relative : 0.0;
  gdouble new_time = ev->has_time ? ev->time : 0.0;
  SigmaJsonEvent *smu = NULL;
  gboolean trivial = TRUE;
  guint turn;

  if (ev->deps->len == 0)
    return TRUE;

  compute_turns (dag->added, turns, dict_order);
  turn = turns[((SigmaJsonEvent *) g_ptr_array_index (ev->deps, 0))->order];
  for (guint d = 1; d < ev->deps->len; d++)
    if (turns[((SigmaJsonEvent *) g_ptr_array_index (ev->deps, d))->order] != turn)
      return rule_violation (l, ev, "turn-time", "Predecessor events do not belong to the same turn.");

  for (guint i = 0; i < dict_order->len; i++)
    {
      SigmaJsonEvent *e = g_ptr_array_index (dict_order, i);

      if (turns[e->order] != turn)
        continue;
      g_ptr_array_add (turn_events, e);
      in_turn[e->order] = TRUE;
      if (!(e->has_relative && (e->relative == 0.0 || e->relative == 1.0)))
        trivial = FALSE;
    }
  if (trivial)
    return TRUE;

  for (guint i = 0; i < turn_events->len; i++)
    {
      SigmaJsonEvent *e = g_ptr_array_index (turn_events, i);
      gdouble maxp = e->deps->len == 0 ? start : -G_MAXDOUBLE;

      for (guint d = 0; d < e->deps->len; d++)
        {
          SigmaJsonEvent *dep = g_ptr_array_index (e->deps, d);

          maxp = MAX (maxp, in_turn[dep->order] ? acc[dep->order] : 0.0);
        }
      if (e->has_time)
        {
          if (e->time < maxp)
            return rule_violation (l, ev, "turn-time",
                                   "Event %s has an absolute time of %.17g, which is less than the maximum "
                                   "predecessor time of %.17g.", e->id, e->time, maxp);
          acc[e->order] = e->time;
        }
      else
        acc[e->order] = maxp + e->relative;
      max_all = MAX (max_all, acc[e->order]);
      if (smu == NULL && is_turn_end_event (e))
        smu = e;
    }

  max_pred = -G_MAXDOUBLE;
  for (guint d = 0; d < ev->deps->len; d++)
    {
      SigmaJsonEvent *dep = g_ptr_array_index (ev->deps, d);

      max_pred = MAX (max_pred, in_turn[dep->order] ? acc[dep->order] : 0.0);
    }

  if (g_strcmp0 (ev->function, "send_message_to_user") == 0)
    {
      if (new_rel != 0.0)
        {
          if (max_pred + new_rel < max_all)
            return rule_violation (l, ev, "turn-time",
                                   "send_message_to_user event's time (%.17g) should be the maximum of the "
                                   "turn (%.17g).", max_pred + new_rel, max_all);
        }
      else if (new_time != 0.0 && new_time < max_all)
        return rule_violation (l, ev, "turn-time",
                               "send_message_to_user event's time (%.17g) should be the maximum of the turn "
                               "(%.17g).", new_time, max_all);
    }
  else if (smu != NULL && !g_ptr_array_find (ev->deps, smu, NULL))
    {
      gdouble smu_time = acc[smu->order];

      if (new_rel != 0.0)
        {
          if (smu_time < max_pred + new_rel)
            return rule_violation (l, ev, "turn-time",
                                   "New event's time (%.17g) exceeds send_message_to_user event's time "
                                   "(%.17g).", max_pred + new_rel, smu_time);
        }
      else if (new_time != 0.0 && smu_time < new_time)
        return rule_violation (l, ev, "turn-time",
                               "New event's time (%.17g) exceeds send_message_to_user event's time (%.17g).",
                               new_time, smu_time);
    }
  return TRUE;
}

/* ARE's add_event checks (§8.2) for @ev, whose dependencies are all added. */
static gboolean
check_rules (Dag            *dag,
             SigmaJsonEvent *ev)
{
  Loader *l = dag->l;
  gboolean ok = TRUE;

  if (ev->type == SIGMA_EVENT_TYPE_AGENT && ev->deps->len == 0)
    ok &= rule_violation (l, ev, "oracle-root", "Agent events must have at least one predecessor event.");

  if (ev->type == SIGMA_EVENT_TYPE_ENV)
    {
      if (ev->deps->len != 1)
        ok &= rule_violation (l, ev, ev->deps->len == 0 ? "env-root" : "env-parents",
                              "Env events must have only one predecessor event");
      else
        {
          SigmaJsonEvent *pred = g_ptr_array_index (ev->deps, 0);

          if (!is_smu_oracle (pred) && pred->type != SIGMA_EVENT_TYPE_ENV &&
              pred->type != SIGMA_EVENT_TYPE_USER && pred->type != SIGMA_EVENT_TYPE_CONDITION)
            ok &= rule_violation (l, ev, "env-parent",
                                  "Env events can only have a send_message_to_agent or user/env event as a "
                                  "predecessor event.");
        }
    }

  for (guint d = 0; d < ev->deps->len; d++)
    {
      SigmaJsonEvent *pred = g_ptr_array_index (ev->deps, d);

      if (is_smu_oracle (pred) && !(ev->type == SIGMA_EVENT_TYPE_ENV ||
                                    g_strcmp0 (ev->function, "send_message_to_agent") == 0))
        {
          ok &= rule_violation (l, ev, "after-send-message-to-user",
                                "The %s event is not allowed to link after send_message_to_user, only "
                                "send_message_to_agent or Env event is allowed.",
                                ev->function != NULL ? ev->function : "");
          break;
        }
    }

  if (g_strcmp0 (ev->function, "send_message_to_agent") == 0 ||
      g_strcmp0 (ev->function, "send_message_to_user") == 0)
    ok &= check_single_branch (dag, ev);

  ok &= check_turn_times (dag, ev);
  return ok;
}

/* Finds one cycle among @leftover (events Kahn could not order) and reports it. */
static void
report_cycle (Loader    *l,
              GPtrArray *leftover)
{
  GHashTable *state = g_hash_table_new (NULL, NULL);   /* event → 1 on the stack, 2 done */
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < leftover->len; i++)
    {
      SigmaJsonEvent *root = g_ptr_array_index (leftover, i);
      guint zero = 0;

      if (g_hash_table_contains (state, root))
        continue;
      g_ptr_array_add (stack, root);
      g_array_append_val (next, zero);
      g_hash_table_insert (state, root, GUINT_TO_POINTER (1));
      while (stack->len > 0)
        {
          SigmaJsonEvent *e = g_ptr_array_index (stack, stack->len - 1);
          guint *k = &g_array_index (next, guint, next->len - 1);

          if (*k < e->deps->len)
            {
              SigmaJsonEvent *dep = g_ptr_array_index (e->deps, (*k)++);
              guint s = GPOINTER_TO_UINT (g_hash_table_lookup (state, dep));

              if (!g_ptr_array_find (leftover, dep, NULL))
                continue;
              if (s == 1)
                {
                  /* the cycle is dep … e on the stack */
                  g_autoptr(GString) ids = g_string_new (NULL);
                  guint from = 0;
                  g_autofree char *path = NULL;

                  g_ptr_array_find (stack, dep, &from);
                  for (guint j = from; j < stack->len; j++)
                    g_string_append_printf (ids, "%s'%s'", j > from ? " → " : "",
                                            ((SigmaJsonEvent *) g_ptr_array_index (stack, j))->id);
                  g_string_append_printf (ids, " → '%s'", dep->id);
                  path = g_strdup_printf ("events[%u].dependencies", dep->index);
                  report (l, SIGMA_ERROR_CYCLE, path, "the dependencies form a cycle: %s", ids->str);
                  g_hash_table_unref (state);
                  return;
                }
              if (s == 0)
                {
                  g_ptr_array_add (stack, dep);
                  g_array_append_val (next, zero);
                  g_hash_table_insert (state, dep, GUINT_TO_POINTER (1));
                }
              continue;
            }
          g_hash_table_insert (state, e, GUINT_TO_POINTER (2));
          g_ptr_array_remove_index (stack, stack->len - 1);
          g_array_remove_index (next, next->len - 1);
        }
    }
  g_hash_table_unref (state);
}

/* Resolves dependency ids, orders the events as ARE does (Kahn, FIFO, JSON order) and checks
 * ARE's graph rules on each. @parsed holds the events by JSON index (NULL where invalid). */
static gboolean
build_dag (Loader     *l,
           GPtrArray  *parsed,
           GPtrArray  *dep_ids,
           GHashTable *invalid_ids)
{
  SigmaJsonScenario *self = l->self;
  guint n = parsed->len;
  g_autofree guint *in_degree = g_new0 (guint, n + 1);
  g_autofree guint8 *blocked = g_new0 (guint8, n + 1);
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GQueue) queue = g_queue_new ();
  g_autoptr(GPtrArray) leftover = g_ptr_array_new ();
  Dag dag = { l, self->events };
  gboolean ok = TRUE;

  /* ids */
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (parsed, i);

      g_ptr_array_add (children, g_ptr_array_new ());
      if (ev == NULL)
        continue;
      if (g_hash_table_contains (self->event_index, ev->id))
        {
          g_autofree char *path = g_strdup_printf ("events[%u].event_id", i);

          ok = report (l, SIGMA_ERROR_DUPLICATE_ID, path, "two events have the id '%s'", ev->id);
          blocked[i] = TRUE;
          continue;
        }
      g_hash_table_insert (self->event_index, ev->id, ev);
    }

  /* dependencies */
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (parsed, i);
      GStrv ids = g_ptr_array_index (dep_ids, i);

      if (ev == NULL)
        continue;
      for (guint k = 0; ids != NULL && ids[k] != NULL; k++)
        {
          SigmaJsonEvent *target = g_hash_table_lookup (self->event_index, ids[k]);

          if (target == NULL && g_hash_table_contains (invalid_ids, ids[k]))
            {
              blocked[i] = TRUE;   /* already reported */
              continue;
            }
          if (target == NULL && l->lenient)
            {
              /* PARE: dependents name the check that fired (`<id>-CHECK_<n>`) */
              g_autofree char *base = condition_base_id (ids[k]);

              for (guint j = 0; j < n && target == NULL && !g_str_equal (base, ids[k]); j++)
                {
                  SigmaJsonEvent *c = g_ptr_array_index (parsed, j);
                  g_autofree char *cbase = NULL;

                  if (c == NULL || c->type != SIGMA_EVENT_TYPE_CONDITION)
                    continue;
                  cbase = condition_base_id (c->id);
                  if (g_str_equal (cbase, base))
                    {
                      g_autofree char *path = g_strdup_printf ("events[%u].dependencies[%u]", i, k);

                      target = c;
                      note (l, "condition-check-id", path,
                            "dependency '%s' read as the condition '%s' it is a check of", ids[k], c->id);
                    }
                }
            }
          if (target == NULL)
            {
              g_autofree char *path = g_strdup_printf ("events[%u].dependencies[%u]", i, k);

              ok = report (l, SIGMA_ERROR_UNKNOWN_DEPENDENCY, path,
                           "event '%s' depends on an unknown event id '%s'", ev->id, ids[k]);
              blocked[i] = TRUE;
              continue;
            }
          if (target == ev)
            {
              g_autofree char *path = g_strdup_printf ("events[%u].dependencies[%u]", i, k);

              ok = report (l, SIGMA_ERROR_CYCLE, path, "the dependencies form a cycle: event '%s' depends on itself",
                           ev->id);
              blocked[i] = TRUE;
              continue;
            }
          if (!g_ptr_array_find (ev->deps, target, NULL))
            {
              g_ptr_array_add (ev->deps, target);
              g_ptr_array_add (g_ptr_array_index (children, target->index), ev);
            }
        }
      in_degree[i] = ev->deps->len;
    }
  if (STOP (l))
    return FALSE;

  /* Kahn's algorithm, FIFO, seeded in JSON order */
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (parsed, i);

      if (ev != NULL && !blocked[i] && in_degree[i] == 0)
        g_queue_push_tail (queue, ev);
    }
  while (!g_queue_is_empty (queue))
    {
      SigmaJsonEvent *ev = g_queue_pop_head (queue);
      GPtrArray *kids = g_ptr_array_index (children, ev->index);

      if (!check_rules (&dag, ev))
        {
          ok = FALSE;
          if (STOP (l))
            return FALSE;
        }
      ev->order = self->events->len;
      ev->added = TRUE;
      g_ptr_array_add (self->events, ev);
      for (guint d = 0; d < ev->deps->len; d++)
        g_ptr_array_add (((SigmaJsonEvent *) g_ptr_array_index (ev->deps, d))->succs, ev);
      for (guint c = 0; c < kids->len; c++)
        {
          SigmaJsonEvent *child = g_ptr_array_index (kids, c);

          if (--in_degree[child->index] == 0 && !blocked[child->index])
            g_queue_push_tail (queue, child);
        }
    }

  /* what is left is blocked by a reported problem or on a cycle */
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (parsed, i);

      if (ev != NULL && !g_ptr_array_find (self->events, ev, NULL))
        g_ptr_array_add (leftover, ev);
    }
  if (leftover->len > 0)
    {
      gboolean had_error = l->failed;

      report_cycle (l, leftover);
      if (!had_error && !l->failed)
        report (l, SIGMA_ERROR_CYCLE, "events",
                "%u events could not be ordered (got %u events, expected %u events)",
                leftover->len, self->events->len, n);
      ok = FALSE;
    }
  return ok;
}

/* ------------------------------------------------------------------------------------ */
/* Turns, tasks, hints and placeholders (§3.1, §8.4)                                    */

static gboolean
has_hint_for (SigmaJsonScenario *self,
              const char        *event_id)
{
  for (guint i = 0; i < self->hints->len; i++)
    if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (self->hints, i), "associated_event_id"),
                   event_id) == 0)
      return TRUE;
  return FALSE;
}

static void
add_generated_hint (SigmaJsonScenario *self,
                    const char        *type,
                    const char        *event_id)
{
  JsonObject *hint;

  if (has_hint_for (self, event_id))
    return;
  hint = json_object_new ();
  json_object_set_string_member (hint, "hint_type", type);
  json_object_set_string_member (hint, "content", "");
  json_object_set_string_member (hint, "associated_event_id", event_id);
  g_ptr_array_add (self->hints, hint);
}

static gboolean
is_aui_app (SigmaJsonScenario *self,
            const char        *name)
{
  SigmaJsonApp *app;

  if (name == NULL)
    return FALSE;
  if (g_str_equal (name, "AgentUserInterface"))
    return TRUE;
  app = find_app (self, name);
  return app != NULL && g_str_equal (app_class_of (app), "AgentUserInterface");
}

/* ARE's extract_placeholders: placeholders in USER and ENV arguments that name an oracle. */
static void
extract_placeholders (SigmaJsonScenario *self)
{
  for (guint i = 0; i < self->events->len; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      if (ev->type != SIGMA_EVENT_TYPE_USER && ev->type != SIGMA_EVENT_TYPE_ENV)
        continue;
      json_object_iter_init_ordered (&iter, ev->args);
      while (json_object_iter_next_ordered (&iter, &name, &value))
        {
          const char *text;
          g_autofree char *inner = NULL;
          g_auto(GStrv) parts = NULL;
          SigmaJsonEvent *parent;
          SigmaJsonPlaceholder *ph;

          if (!node_is_string (value) || !sigma_json_is_placeholder (json_node_get_string (value)))
            continue;
          text = json_node_get_string (value);
          inner = g_strndup (text + 2, strlen (text) - 4 - (text[strlen (text) - 1] == '\n'));
          parts = g_strsplit (inner, ".", 2);
          parent = g_hash_table_lookup (self->event_index, parts[0]);
          if (parent == NULL || parent->type != SIGMA_EVENT_TYPE_AGENT)
            continue;
          ph = g_new0 (SigmaJsonPlaceholder, 1);
          ph->parent_tool_name = g_strdup_printf ("%s__%s", parent->app, parent->function);
          ph->parent_turn = parent->turn;
          ph->parent_event_id = g_strdup (parent->id);
          ph->placeholder_turn = ev->turn;
          ph->placeholder_event_id = g_strdup (ev->id);
          g_ptr_array_add (self->placeholders, ph);

          for (guint j = 0; j < self->events->len; j++)
            {
              SigmaJsonEvent *o = g_ptr_array_index (self->events, j);

              if (o != parent && o->type == SIGMA_EVENT_TYPE_AGENT && o->turn == parent->turn &&
                  o->function == parent->function && o->app == parent->app)
                self->has_placeholder_conflicts = TRUE;
            }
        }
    }
}

/* Can the turn gates be built (BenchmarkScenarioImportedFromJson.build_turn_trigger)? */
static gboolean
check_turn_gates (Loader *l)
{
  SigmaJsonScenario *self = l->self;
  gboolean ok = TRUE;

  for (guint k = 1; k < self->n_turns; k++)
    {
      SigmaJsonEvent *end = g_ptr_array_index (self->turn_ends, k - 1);

      if (end == NULL)
        {
          ok = report (l, SIGMA_ERROR_INVALID_EVENT, "events",
                       "turn %u has no send_message_to_user oracle event to end it, yet turn %u exists",
                       k - 1, k);
          continue;
        }
      for (guint s = 0; s < end->succs->len; s++)
        {
          SigmaJsonEvent *succ = g_ptr_array_index (end->succs, s);

          if (succ->type == SIGMA_EVENT_TYPE_AGENT)
            ok &= rule_violation (l, succ, "oracle-after-turn-end",
                                  "the oracle event '%s' ending turn %u has an oracle successor", end->id, k - 1);
        }
    }

  for (guint i = 0; i < self->events->len; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);
      gboolean gated = FALSE;

      if (ev->type == SIGMA_EVENT_TYPE_AGENT)
        continue;
      for (guint d = 0; d < ev->deps->len; d++)
        {
          SigmaJsonEvent *dep = g_ptr_array_index (ev->deps, d);

          if (dep->turn + 1 < self->n_turns && g_ptr_array_index (self->turn_ends, dep->turn) == dep)
            gated = TRUE;
        }
      for (guint d = 0; d < ev->deps->len; d++)
        {
          SigmaJsonEvent *dep = g_ptr_array_index (ev->deps, d);

          if (gated && dep->is_turn_end)
            continue;
          if (dep->type == SIGMA_EVENT_TYPE_AGENT)
            {
              ok &= rule_violation (l, ev, "depends-on-oracle",
                                    "Event %s depends on an oracle event ('%s'). This is not expected.",
                                    ev->id, dep->id);
              break;
            }
        }
    }
  return ok;
}

static void
free_gstring (gpointer data)
{
  g_string_free (data, TRUE);
}

static gboolean
analyse_dag (Loader *l)
{
  SigmaJsonScenario *self = l->self;
  guint n = self->events->len;
  g_autofree guint *turns = g_new0 (guint, n + 1);
  g_autoptr(GPtrArray) task_texts = g_ptr_array_new_with_free_func (free_gstring);
  gboolean ok = TRUE;

  compute_turns (self->events, turns, self->bfs_order);
  self->n_turns = 1;
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);

      ev->turn = turns[ev->order];
      ev->is_turn_end = is_turn_end_event (ev);
      self->n_turns = MAX (self->n_turns, ev->turn + 1);
      if (ev->type == SIGMA_EVENT_TYPE_AGENT)
        self->n_oracle_events++;
    }

  g_ptr_array_set_size (self->turn_ends, self->n_turns);
  for (guint t = 0; t < self->n_turns; t++)
    g_ptr_array_add (task_texts, g_string_new (NULL));
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);

      if (ev->is_turn_end)
        g_ptr_array_index (self->turn_ends, ev->turn) = ev;
      if (ev->type != SIGMA_EVENT_TYPE_AGENT && g_strcmp0 (ev->function, "send_message_to_agent") == 0 &&
          is_aui_app (self, ev->app))
        {
          JsonNode *content = json_object_get_member (ev->args, "content");

          if (content != NULL && node_is_string (content))
            g_string_append_printf (g_ptr_array_index (task_texts, ev->turn), "%s\n",
                                    json_node_get_string (content));
        }
      /* ARE's add_event adds an empty hint for each task message and ENV event */
      if (g_strcmp0 (ev->function, "send_message_to_agent") == 0)
        add_generated_hint (self, "TASK_HINT", ev->id);
      if (ev->type == SIGMA_EVENT_TYPE_ENV)
        add_generated_hint (self, "ENVIRONMENT_HINT", ev->id);
    }
  for (guint t = 0; t < self->n_turns; t++)
    g_ptr_array_add (self->tasks, g_strdup (((GString *) g_ptr_array_index (task_texts, t))->str));

  if (self->n_oracle_events > 0)
    ok = check_turn_gates (l);
  if (!self->has_execution)
    extract_placeholders (self);
  return ok;
}

/* ------------------------------------------------------------------------------------ */
/* Completed events, apps and tools                                                      */

static void
note_completed_leniencies (Loader     *l,
                           guint       leniencies,
                           const char *path)
{
  note_leniencies (l, leniencies, path);
  if (leniencies & SIGMA_DECODE_UNKNOWN_APP)
    note (l, "completed-unknown-app", path, "a completed event of an app the file does not declare");
  if (leniencies & SIGMA_DECODE_NO_OPERATION)
    note (l, "completed-no-operation", path, "a completed tool call without operation_type");
}

static gboolean
read_completed (Loader     *l,
                JsonObject *root)
{
  SigmaJsonScenario *self = l->self;
  JsonArray *completed;
  gboolean ok = TRUE;

  if (!get_array (l, root, NULL, "completed_events", l->lenient ? NULLABLE : OPTIONAL, &completed))
    return FALSE;
  if (completed == NULL)
    return TRUE;
  self->completed = json_array_ref (completed);
  for (guint i = 0; i < json_array_get_length (completed); i++)
    {
      JsonNode *node = json_array_get_element (completed, i);
      g_autofree char *path = g_strdup_printf ("completed_events[%u]", i);
      g_autoptr(SigmaCompletedEvent) event = NULL;
      g_autoptr(GError) error = NULL;
      guint leniencies = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "expected an object, found %s", node_type_name (node));
          if (STOP (l))
            return FALSE;
          continue;
        }
      event = sigma_json_completed_event_from_json (json_node_get_object (node), l->app_classes, l->lenient,
                                                    path, &leniencies, &error);
      if (event == NULL)
        {
          ok = report (l, error->code, NULL, "%s", error->message);
          if (STOP (l))
            return FALSE;
          continue;
        }
      note_completed_leniencies (l, leniencies, path);

      /* the first check of each condition that held: its firing time */
      if (sigma_completed_event_get_event_type (event) == SIGMA_EVENT_TYPE_CONDITION)
        {
          JsonNode *rv = sigma_completed_event_get_return_value (event);

          if (rv != NULL && JSON_NODE_HOLDS_VALUE (rv) && json_node_get_value_type (rv) == G_TYPE_BOOLEAN &&
              json_node_get_boolean (rv))
            {
              char *base = condition_base_id (sigma_completed_event_get_event_id (event));
              gdouble *fire = g_hash_table_lookup (l->fire_times, base);
              gdouble t = sigma_completed_event_get_event_time (event);

              if (fire == NULL)
                {
                  fire = g_new (gdouble, 1);
                  *fire = t;
                  g_hash_table_insert (l->fire_times, base, fire);
                }
              else
                {
                  *fire = MIN (*fire, t);
                  g_free (base);
                }
            }
        }
    }
  return ok;
}

static SigmaToolOperation
parse_operation (const char *text,
                 gboolean   *known)
{
  *known = text != NULL && (g_ascii_strcasecmp (text, "READ") == 0 || g_ascii_strcasecmp (text, "WRITE") == 0);
  return text != NULL && g_ascii_strcasecmp (text, "WRITE") == 0 ? SIGMA_TOOL_OPERATION_WRITE
                                                                  : SIGMA_TOOL_OPERATION_READ;
}

/* The functions called on opaque apps, from the events and the recorded run. */
static void
note_opaque_functions (SigmaJsonScenario *self)
{
  for (guint i = 0; i < self->events->len; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);
      SigmaJsonApp *app = ev->app != NULL ? find_app (self, ev->app) : NULL;
      JsonObject *action;
      const char *op = NULL;
      gboolean known = FALSE;
      SigmaToolOperation operation;

      if (app == NULL || !app->opaque || ev->function == NULL)
        continue;
      action = member_object (ev->json, "action");
      if (action != NULL && json_object_has_member (action, "operation_type") &&
          node_is_string (json_object_get_member (action, "operation_type")))
        op = json_object_get_string_member (action, "operation_type");
      operation = parse_operation (op, &known);
      opaque_app_note_function (app, ev->function, ev->args, operation, known && ev->type != SIGMA_EVENT_TYPE_AGENT);
    }
  for (guint i = 0; self->completed != NULL && i < json_array_get_length (self->completed); i++)
    {
      JsonNode *element = json_array_get_element (self->completed, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *action_node = object != NULL ? json_object_get_member (object, "action") : NULL;
      JsonObject *action = action_node != NULL && JSON_NODE_HOLDS_OBJECT (action_node)
                           ? json_node_get_object (action_node) : NULL;
      JsonNode *app_node, *fn_node, *op_node, *args_node;
      SigmaJsonApp *app;
      g_autoptr(JsonObject) names = NULL;
      gboolean known;
      SigmaToolOperation operation;

      if (action == NULL)
        continue;
      app_node = json_object_get_member (action, "app");
      fn_node = json_object_get_member (action, "function");
      op_node = json_object_get_member (action, "operation_type");
      args_node = json_object_get_member (action, "args");
      if (!node_is_string (app_node) || !node_is_string (fn_node))
        continue;
      app = find_app (self, json_node_get_string (app_node));
      if (app == NULL || !app->opaque)
        continue;
      names = json_object_new ();
      if (args_node != NULL && JSON_NODE_HOLDS_ARRAY (args_node))
        {
          JsonArray *args = json_node_get_array (args_node);

          for (guint j = 0; j < json_array_get_length (args); j++)
            {
              JsonNode *arg = json_array_get_element (args, j);

              if (JSON_NODE_HOLDS_OBJECT (arg) &&
                  node_is_string (json_object_get_member (json_node_get_object (arg), "name")))
                json_object_set_null_member (names, json_object_get_string_member (json_node_get_object (arg),
                                                                                   "name"));
            }
        }
      operation = parse_operation (node_is_string (op_node) ? json_node_get_string (op_node) : NULL, &known);
      opaque_app_note_function (app, json_node_get_string (fn_node), names, operation, known);
    }
}

static void
make_opaque (SigmaJsonApp *app)
{
  app->opaque = TRUE;
  if (app->functions == NULL)
    {
      app->functions = g_ptr_array_new_with_free_func (g_free);
      app->function_args = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      app->function_ops = g_array_new (FALSE, FALSE, sizeof (SigmaToolOperation));
    }
}

/* Creates every app with its state once (the first environment takes them), then checks that
 * the events' apps and tools exist. */
static gboolean
load_apps (Loader *l)
{
  SigmaJsonScenario *self = l->self;
  g_autoptr(SigmaApp) system_app = NULL;
  gboolean ok = TRUE;

  g_ptr_array_set_size (self->preloaded, self->apps->len);
  for (guint i = 0; i < self->apps->len; i++)
    {
      SigmaJsonApp *japp = g_ptr_array_index (self->apps, i);
      g_autoptr(GError) error = NULL;
      SigmaApp *app;

      if (japp->opaque)
        continue;
      app = create_app (japp, l->lenient, &error);
      if (app == NULL)
        {
          g_autofree char *path = g_strdup_printf ("apps[%u].app_state", japp->index);

          if (l->lenient)
            {
              note (l, "app-state", path, "the state of app '%s' does not load (%s); kept as an opaque app",
                    japp->name, error->message);
              make_opaque (japp);
            }
          else
            {
              ok = report (l, error->domain == SIGMA_ERROR ? error->code : SIGMA_ERROR_INVALID_DATA, path,
                           "%s", error->message);
              if (STOP (l))
                return FALSE;
            }
          continue;
        }
      g_ptr_array_index (self->preloaded, i) = app;
    }

  note_opaque_functions (self);
  for (guint i = 0; i < self->apps->len; i++)
    {
      SigmaJsonApp *japp = g_ptr_array_index (self->apps, i);

      if (japp->opaque)
        g_ptr_array_index (self->preloaded, i) = create_app (japp, TRUE, NULL);
    }

  /* the events' apps and tools */
  for (guint i = 0; i < self->events->len; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);
      SigmaApp *app = NULL;
      SigmaJsonApp *japp;

      if (ev->type == SIGMA_EVENT_TYPE_CONDITION)
        continue;
      japp = find_app (self, ev->app);
      if (japp != NULL)
        {
          guint index;

          g_ptr_array_find (self->apps, japp, &index);
          app = g_ptr_array_index (self->preloaded, index);
        }
      else if (g_str_equal (ev->app, "SystemApp"))
        {
          self->uses_system_app = TRUE;
          /* the benchmark adds a SystemApp when the file has none */
          if (system_app == NULL)
            system_app = sigma_apps_create ("SystemApp", "SystemApp", NULL);
          app = system_app;
        }
      else
        {
          g_autofree char *path = g_strdup_printf ("events[%u].action.app", ev->index);

          if (!deviate (l, "unknown-app", SIGMA_ERROR_UNKNOWN_APP, path, "App %s not found", ev->app))
            {
              ok = FALSE;
              if (STOP (l))
                return FALSE;
            }
          continue;
        }
      if (app == NULL || SIGMA_IS_OPAQUE_APP (app))
        continue;
      if (sigma_app_lookup_tool (app, ev->function) == NULL)
        {
          g_autofree char *path = g_strdup_printf ("events[%u].action.function", ev->index);

          if (!deviate (l, "unknown-tool", SIGMA_ERROR_UNKNOWN_TOOL, path,
                        "Function '%s' not found in app '%s' (%s)", ev->function, ev->app,
                        sigma_app_get_class_name (app) != NULL ? sigma_app_get_class_name (app)
                                                                : G_OBJECT_TYPE_NAME (app)))
            {
              ok = FALSE;
              if (STOP (l))
                return FALSE;
            }
        }
    }
  return ok;
}

static gboolean
read_world_logs (Loader     *l,
                 JsonObject *root)
{
  JsonArray *logs;
  gboolean ok = TRUE;

  if (!get_array (l, root, NULL, "world_logs", l->lenient ? NULLABLE : OPTIONAL, &logs))
    return FALSE;
  for (guint i = 0; logs != NULL && i < json_array_get_length (logs); i++)
    {
      JsonNode *node = json_array_get_element (logs, i);
      g_autofree char *path = g_strdup_printf ("world_logs[%u]", i);
      g_autoptr(JsonNode) record = NULL;
      g_autoptr(GError) error = NULL;
      const char *text;

      if (!node_is_string (node))
        {
          ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "expected a string holding a JSON log record, found %s",
                       node_type_name (node));
          continue;
        }
      if (l->lenient)
        continue;
      text = json_node_get_string (node);
      record = sigma_json_parse (text, strlen (text), SIGMA_JSON_PARSE_PYTHON_CONSTANTS, &error);
      if (record == NULL)
        ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "not a JSON log record: %s", error->message);
      else if (!JSON_NODE_HOLDS_OBJECT (record) ||
               !node_is_string (json_object_get_member (json_node_get_object (record), "log_type")))
        ok = report (l, SIGMA_ERROR_INVALID_DATA, path, "a log record needs a string log_type");
    }
  return ok;
}

/* ------------------------------------------------------------------------------------ */
/* Loading                                                                              */

static gboolean
load_root (SigmaJsonScenario  *self,
           JsonNode           *root,
           GPtrArray          *problems,
           GError            **error)
{
  static const char * const top_keys[] = {
    "version", "metadata", "apps", "events", "completed_events", "world_logs", "context",
    "augmentation", NULL
  };
  Loader l;
  JsonObject *object;
  JsonArray *events;
  const char *version, *context;
  JsonObject *augmentation;
  g_autoptr(GPtrArray) parsed = g_ptr_array_new ();
  g_autoptr(GPtrArray) dep_ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GHashTable) invalid_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok;

  loader_init (&l, self, problems, error);
  self->root = json_node_ref (root);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      report (&l, SIGMA_ERROR_INVALID_DATA, NULL, "expected a JSON object at the top level, found %s",
              node_type_name (root));
      goto out;
    }
  object = json_node_get_object (root);
  debug_unknown_members (object, NULL, top_keys);

  if (get_string (&l, object, NULL, "version", REQUIRED, &version) &&
      !g_str_equal (version, SIGMA_JSON_TRACE_VERSION))
    report (&l, SIGMA_ERROR_INVALID_DATA, "version", "Unsupported version: '%s' (the only version is '%s')",
            version, SIGMA_JSON_TRACE_VERSION);
  if (STOP (&l))
    goto out;

  read_metadata (&l, object);
  if (STOP (&l))
    goto out;
  read_apps (&l, object);
  if (STOP (&l))
    goto out;
  read_completed (&l, object);
  if (STOP (&l))
    goto out;

  if (!get_array (&l, object, NULL, "events", OPTIONAL, &events))
    goto out;
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      GStrv ids = NULL;
      SigmaJsonEvent *ev = read_event (&l, node, i, &ids);

      g_ptr_array_add (parsed, ev);
      g_ptr_array_add (dep_ids, ids);
      if (ev == NULL)
        {
          JsonObject *eo = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (eo != NULL && node_is_string (json_object_get_member (eo, "event_id")))
            g_hash_table_add (invalid_ids, g_strdup (json_object_get_string_member (eo, "event_id")));
          if (STOP (&l))
            goto out;
        }
    }
  if (!build_dag (&l, parsed, dep_ids, invalid_ids) && STOP (&l))
    goto out;
  if (!analyse_dag (&l) && STOP (&l))
    goto out;
  if (!load_apps (&l) && STOP (&l))
    goto out;

  read_world_logs (&l, object);
  get_string (&l, object, NULL, "context", NULLABLE, &context);
  if (get_object (&l, object, NULL, "augmentation", NULLABLE, &augmentation) && augmentation != NULL)
    {
      self->augmentation = json_node_ref (json_object_get_member (object, "augmentation"));
      g_object_set (self, "augmentation", self->augmentation, NULL);
    }

out:
  /* events that did not make it into the DAG */
  for (guint i = 0; i < parsed->len; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (parsed, i);

      if (ev == NULL || ev->added)
        continue;
      if (g_hash_table_lookup (self->event_index, ev->id) == ev)
        g_hash_table_remove (self->event_index, ev->id);
      json_event_free (ev);
    }
  ok = !l.failed;
  if (ok || problems != NULL)
    loader_emit_notes (&l);
  loader_clear (&l);
  return ok;
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
clear_app (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
sigma_json_scenario_finalize (GObject *object)
{
  SigmaJsonScenario *self = SIGMA_JSON_SCENARIO (object);

  g_clear_pointer (&self->event_index, g_hash_table_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->apps, g_ptr_array_unref);
  g_clear_pointer (&self->hints, g_ptr_array_unref);
  g_clear_pointer (&self->turn_ends, g_ptr_array_unref);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->bfs_order, g_ptr_array_unref);
  g_clear_pointer (&self->placeholders, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->preloaded, g_ptr_array_unref);
  g_clear_pointer (&self->completed, json_array_unref);
  g_clear_pointer (&self->augmentation, json_node_unref);
  g_clear_pointer (&self->definition, json_object_unref);
  g_clear_pointer (&self->metadata, json_object_unref);
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_object (&self->oracle_log);
  g_clear_object (&self->soft_judge);

  G_OBJECT_CLASS (sigma_json_scenario_parent_class)->finalize (object);
}

static void
sigma_json_scenario_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SigmaJsonScenario *self = SIGMA_JSON_SCENARIO (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      g_value_set_flags (value, self->flags);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_json_scenario_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SigmaJsonScenario *self = SIGMA_JSON_SCENARIO (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      self->flags = g_value_get_flags (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean sigma_json_scenario_init_apps    (SigmaScenario     *scenario,
                                                  SigmaEnvironment  *env,
                                                  GError           **error);
static gboolean sigma_json_scenario_build_events (SigmaScenario     *scenario,
                                                  SigmaEnvironment  *env,
                                                  GError           **error);
static gboolean sigma_json_scenario_validate     (SigmaScenario     *scenario,
                                                  SigmaEnvironment  *env,
                                                  char             **rationale,
                                                  GError           **error);

static void
sigma_json_scenario_class_init (SigmaJsonScenarioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  object_class->finalize = sigma_json_scenario_finalize;
  object_class->get_property = sigma_json_scenario_get_property;
  object_class->set_property = sigma_json_scenario_set_property;

  scenario_class->init_apps = sigma_json_scenario_init_apps;
  scenario_class->build_events = sigma_json_scenario_build_events;
  scenario_class->validate = sigma_json_scenario_validate;

  /**
   * SigmaJsonScenario:flags:
   *
   * How strictly the file was read.
   */
  properties[PROP_FLAGS] =
    g_param_spec_flags ("flags", NULL, NULL, SIGMA_TYPE_JSON_FLAGS, SIGMA_JSON_STRICT,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_json_scenario_init (SigmaJsonScenario *self)
{
  self->apps = g_ptr_array_new_with_free_func ((GDestroyNotify) json_app_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_event_free);
  self->event_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->hints = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->turn_ends = g_ptr_array_new ();
  self->tasks = g_ptr_array_new_with_free_func (g_free);
  self->bfs_order = g_ptr_array_new ();
  self->placeholders = g_ptr_array_new_with_free_func ((GDestroyNotify) placeholder_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->preloaded = g_ptr_array_new_with_free_func (clear_app);
  self->duration = ARE_DEFAULT_DURATION;
  self->n_turns = 1;
}

static SigmaJsonScenario *
scenario_new (SigmaJsonFlags flags)
{
  return g_object_new (SIGMA_TYPE_JSON_SCENARIO, "flags", flags, NULL);
}

/**
 * sigma_json_scenario_new_from_node:
 * @root: the parsed JSON document
 * @flags: how strictly to read it
 * @error: return location for a #GError
 *
 * Reads an ARE scenario or trace from a parsed document. The scenario keeps a reference to
 * @root; do not change it afterwards.
 *
 * Returns: (transfer full): the scenario, or %NULL with @error set; the error names the JSON
 *   path of the first problem
 */
SigmaJsonScenario *
sigma_json_scenario_new_from_node (JsonNode        *root,
                                   SigmaJsonFlags   flags,
                                   GError         **error)
{
  g_autoptr(SigmaJsonScenario) self = NULL;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = scenario_new (flags);
  if (!load_root (self, root, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

static JsonNode *
parse_document (const char  *data,
                gsize        length,
                const char  *source,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root = sigma_json_parse (data, length, SIGMA_JSON_PARSE_DEFAULT, &local_error);

  if (root == NULL)
    g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s%snot valid JSON: %s",
                 source != NULL ? source : "", source != NULL ? ": " : "", local_error->message);
  return root;
}

static SigmaJsonScenario *
scenario_new_from_text (const char      *data,
                        gsize            length,
                        const char      *source,
                        SigmaJsonFlags   flags,
                        GError         **error)
{
  g_autoptr(SigmaJsonScenario) self = scenario_new (flags);
  g_autoptr(JsonNode) root = parse_document (data, length, source, error);

  if (root == NULL || !load_root (self, root, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sigma_json_scenario_new_from_data:
 * @data: (array length=length) (element-type guint8): the JSON text
 * @length: the length of @data, or -1 when it is nul-terminated
 * @flags: how strictly to read it
 * @error: return location for a #GError
 *
 * Reads an ARE scenario or trace from JSON text. Text that is not JSON is
 * %SIGMA_ERROR_INVALID_DATA with the line and column of the problem.
 *
 * Returns: (transfer full): the scenario, or %NULL with @error set
 */
SigmaJsonScenario *
sigma_json_scenario_new_from_data (const char      *data,
                                   gssize           length,
                                   SigmaJsonFlags   flags,
                                   GError         **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (data);
  return scenario_new_from_text (data, (gsize) length, NULL, flags, error);
}

/**
 * sigma_json_scenario_new_from_file:
 * @path: (type filename): a JSON file
 * @flags: how strictly to read it
 * @error: return location for a #GError
 *
 * Reads an ARE scenario or trace file, such as a Gaia2 scenario.
 *
 * Returns: (transfer full): the scenario, or %NULL with @error set
 */
SigmaJsonScenario *
sigma_json_scenario_new_from_file (const char      *path,
                                   SigmaJsonFlags   flags,
                                   GError         **error)
{
  g_autoptr(GMappedFile) file = NULL;
  const char *contents;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  length = g_mapped_file_get_length (file);
  contents = length > 0 ? g_mapped_file_get_contents (file) : "";
  return scenario_new_from_text (contents, length, path, flags, error);
}

/**
 * sigma_json_scenario_check_data:
 * @data: (array length=length) (element-type guint8): the JSON text
 * @length: the length of @data, or -1 when it is nul-terminated
 * @flags: how strictly to read it
 *
 * Checks JSON text as sigma_json_scenario_new_from_data() reads it, but collects every
 * problem it can find instead of stopping at the first.
 *
 * Returns: (transfer full) (element-type GLib.Error): the problems, empty when the data loads
 */
GPtrArray *
sigma_json_scenario_check_data (const char     *data,
                                gssize          length,
                                SigmaJsonFlags  flags)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SigmaJsonScenario) self = NULL;
  GError *error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, problems);

  if (length < 0)
    length = (gssize) strlen (data);
  root = parse_document (data, (gsize) length, NULL, &error);
  if (root == NULL)
    {
      g_ptr_array_add (problems, error);
      return problems;
    }
  self = scenario_new (flags);
  load_root (self, root, problems, NULL);
  return problems;
}

/**
 * sigma_json_scenario_check_file:
 * @path: (type filename): a JSON file
 * @flags: how strictly to read it
 *
 * Checks a file as sigma_json_scenario_new_from_file() reads it, collecting every problem.
 * A file that cannot be read is one problem.
 *
 * Returns: (transfer full) (element-type GLib.Error): the problems, empty when the file loads
 */
GPtrArray *
sigma_json_scenario_check_file (const char     *path,
                                SigmaJsonFlags  flags)
{
  g_autoptr(GMappedFile) file = NULL;
  GError *error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    {
      GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

      g_ptr_array_add (problems, error);
      return problems;
    }
  return sigma_json_scenario_check_data (g_mapped_file_get_length (file) > 0 ? g_mapped_file_get_contents (file) : "",
                                         (gssize) g_mapped_file_get_length (file), flags);
}

/* ------------------------------------------------------------------------------------ */
/* Conditions at run time                                                               */

typedef struct
{
  guint scanned;
  guint count;
} TurnCounter;

static GQuark
turn_counter_quark (void)
{
  return g_quark_from_static_string ("sigma-json-turn-counter");
}

/* ARE's is_send_message_to_user on a completed event: an AGENT call of
 * AgentUserInterface.send_message_to_user (by the app's class). */
static gboolean
is_agent_message_to_user (SigmaEnvironment    *env,
                          SigmaCompletedEvent *event)
{
  const char *app_name;
  SigmaApp *app;
  const char *class_name;

  if (sigma_completed_event_get_event_type (event) != SIGMA_EVENT_TYPE_AGENT ||
      g_strcmp0 (sigma_completed_event_get_function (event), "send_message_to_user") != 0)
    return FALSE;
  app_name = sigma_completed_event_get_app_name (event);
  if (app_name == NULL)
    return FALSE;
  app = sigma_environment_get_app (env, app_name);
  class_name = app != NULL ? sigma_app_get_class_name (app) : NULL;
  return g_strcmp0 (class_name != NULL ? class_name : app_name, "AgentUserInterface") == 0;
}

static guint
count_messages_to_user (SigmaEnvironment *env)
{
  TurnCounter *counter = g_object_get_qdata (G_OBJECT (env), turn_counter_quark ());
  SigmaEventLog *log = sigma_environment_get_log (env);
  guint n = sigma_event_log_get_length (log);

  if (counter == NULL)
    {
      counter = g_new0 (TurnCounter, 1);
      g_object_set_qdata_full (G_OBJECT (env), turn_counter_quark (), counter, g_free);
    }
  for (; counter->scanned < n; counter->scanned++)
    if (is_agent_message_to_user (env, sigma_event_log_get (log, counter->scanned)))
      counter->count++;
  return counter->count;
}

/* Resolves `{{id.key…}}` against @event's return value; NULL when a key is missing. */
static JsonNode *
resolve_placeholder_value (SigmaCompletedEvent  *event,
                           char                **parts)
{
  JsonNode *value = sigma_completed_event_get_return_value (event);

  if (value == NULL)
    return NULL;
  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (value) || !json_object_has_member (json_node_get_object (value), parts[i]))
        return NULL;
      value = json_object_get_member (json_node_get_object (value), parts[i]);
    }
  return json_node_copy (value);
}

/* ARE's basic_placeholder_mapper, applied when a turn gate opens in an agent run: the
 * agent's calls that match a placeholder's parent oracle (same app, function and turn) stand
 * in for it, so USER and ENV events of later turns get their return values. ARE renames the
 * agent events to the oracle ids; Sigma's log is immutable, so the waiting events' arguments
 * get the resolved values instead. */
static void
map_placeholders (SigmaJsonScenario *self,
                  SigmaEnvironment  *env)
{
  SigmaEventLog *log = sigma_environment_get_log (env);
  g_autoptr(GHashTable) parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) stand_ins = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) events = NULL;
  guint turn = 0;

  if (self->placeholders->len == 0)
    return;
  for (guint i = 0; i < self->placeholders->len; i++)
    {
      SigmaJsonPlaceholder *ph = g_ptr_array_index (self->placeholders, i);

      g_hash_table_replace (parents, g_strdup_printf ("%s\x1f%u", ph->parent_tool_name, ph->parent_turn),
                            ph->parent_event_id);
    }
  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);

      if (sigma_completed_event_get_event_type (event) == SIGMA_EVENT_TYPE_AGENT &&
          sigma_completed_event_get_app_name (event) != NULL && !sigma_completed_event_is_failure (event))
        {
          g_autofree char *key = g_strdup_printf ("%s__%s\x1f%u", sigma_completed_event_get_app_name (event),
                                                  sigma_completed_event_get_function (event), turn);
          const char *parent = g_hash_table_lookup (parents, key);

          if (parent != NULL && !g_hash_table_contains (stand_ins, parent))
            g_hash_table_insert (stand_ins, (gpointer) parent, event);
        }
      if (is_agent_message_to_user (env, event))
        turn++;
    }
  if (g_hash_table_size (stand_ins) == 0)
    return;

  events = sigma_environment_list_events (env);
  for (guint i = 0; i < events->len; i++)
    {
      SigmaEvent *event = g_ptr_array_index (events, i);
      SigmaActionEvent *action;
      g_autoptr(JsonObject) args = NULL;
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;
      gboolean changed = FALSE;

      if (!SIGMA_IS_ACTION_EVENT (event))
        continue;
      if (sigma_event_get_status (event) != SIGMA_EVENT_STATUS_NEW &&
          sigma_event_get_status (event) != SIGMA_EVENT_STATUS_WAITING &&
          sigma_event_get_status (event) != SIGMA_EVENT_STATUS_QUEUED)
        continue;
      action = SIGMA_ACTION_EVENT (event);
      args = json_object_new ();
      json_object_iter_init_ordered (&iter, action->args);
      while (json_object_iter_next_ordered (&iter, &name, &value))
        {
          JsonNode *replacement = NULL;

          if (node_is_string (value))
            {
              g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (value)));

              if (sigma_json_is_placeholder (text))
                {
                  g_autofree char *inner = g_strndup (text + 2, strlen (text) - 4);
                  g_auto(GStrv) parts = g_strsplit (inner, ".", -1);
                  SigmaCompletedEvent *stand_in = g_hash_table_lookup (stand_ins, parts[0]);

                  if (stand_in != NULL)
                    replacement = resolve_placeholder_value (stand_in, parts);
                }
            }
          if (replacement != NULL)
            {
              json_object_set_member (args, name, replacement);
              changed = TRUE;
            }
          else
            json_object_set_member (args, name, json_node_copy (value));
        }
      if (changed)
        {
          json_object_seal (args);
          json_object_unref (action->args);
          action->args = g_steal_pointer (&args);
        }
    }
}

typedef struct
{
  SigmaJsonScenario *self;
  guint              turn;
} Gate;

static void
gate_free (gpointer data)
{
  Gate *gate = data;

  g_object_unref (gate->self);
  g_free (gate);
}

/* condition_turn_<k>: holds once the log has exactly k agent messages to the user. */
static gboolean
turn_gate_holds (SigmaEnvironment *env,
                 gpointer          user_data)
{
  Gate *gate = user_data;

  if (count_messages_to_user (env) != gate->turn)
    return FALSE;
  if (!sigma_environment_get_oracle_mode (env))
    map_placeholders (gate->self, env);
  return TRUE;
}

static SigmaEvent *
turn_gate_new (SigmaJsonScenario *self,
               guint              turn,
               const char        *name)
{
  Gate *gate = g_new0 (Gate, 1);

  gate->self = g_object_ref (self);
  gate->turn = turn;
  return sigma_condition_event_new (name, turn_gate_holds, gate, gate_free);
}

/* A Python callback replaced by its recorded firing time (lenient mode). */
static gboolean
recorded_condition_holds (SigmaEnvironment *env,
                          gpointer          user_data)
{
  return sigma_environment_get_time (env) >= *(gdouble *) user_data;
}

static gboolean
never_holds (SigmaEnvironment *env,
             gpointer          user_data)
{
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Building the events                                                                  */

static SigmaEvent *
make_event (SigmaJsonScenario *self,
            SigmaJsonEvent    *ev)
{
  SigmaEvent *event = NULL;

  switch (ev->type)
    {
    case SIGMA_EVENT_TYPE_AGENT:
      event = sigma_oracle_event_new (ev->app, ev->function, ev->args);
      sigma_oracle_event_set_comparator (SIGMA_ORACLE_EVENT (event), ev->comparator);
      break;
    case SIGMA_EVENT_TYPE_ENV:
    case SIGMA_EVENT_TYPE_USER:
      event = sigma_action_event_new (ev->type, ev->app, ev->function, ev->args);
      break;
    case SIGMA_EVENT_TYPE_CONDITION:
      switch (ev->condition_kind)
        {
        case SIGMA_JSON_CONDITION_TURN:
          event = turn_gate_new (self, ev->condition_turn, ev->function);
          break;
        case SIGMA_JSON_CONDITION_RECORDED:
          {
            gdouble *fire = g_new (gdouble, 1);

            *fire = ev->fire_time;
            event = sigma_condition_event_new (ev->function, recorded_condition_holds, fire, g_free);
            break;
          }
        case SIGMA_JSON_CONDITION_NEVER:
        default:
          event = sigma_condition_event_new (ev->function, never_holds, NULL, NULL);
          break;
        }
      sigma_condition_event_set_every_ticks (SIGMA_CONDITION_EVENT (event), 1);
      sigma_condition_event_set_timeout (SIGMA_CONDITION_EVENT (event), SIGMA_TIMEOUT_NONE);
      break;
    case SIGMA_EVENT_TYPE_VALIDATION:
    case SIGMA_EVENT_TYPE_STOP:
    default:
      g_assert_not_reached ();
    }
  sigma_event_set_event_id (event, ev->id);
  if (ev->has_time)
    sigma_event_set_event_time (event, ev->time);
  else
    sigma_event_set_delay (event, ev->relative);
  return event;
}

static gboolean
is_descendant (SigmaJsonEvent *ancestor,
               SigmaJsonEvent *ev)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_ptr_array_add (stack, ancestor);
  while (stack->len > 0)
    {
      SigmaJsonEvent *e = g_ptr_array_steal_index (stack, stack->len - 1);

      for (guint s = 0; s < e->succs->len; s++)
        {
          SigmaJsonEvent *succ = g_ptr_array_index (e->succs, s);

          if (succ == ev)
            return TRUE;
          if (g_hash_table_add (seen, succ))
            g_ptr_array_add (stack, succ);
        }
    }
  return FALSE;
}

static void
free_ptr_array (gpointer data)
{
  if (data != NULL)
    g_ptr_array_unref (data);
}

/* ARE's patch_oracle_user_message_order (the --oracle run): each turn's first
 * send_message_to_user also waits for the turn's other events with the latest accumulated
 * time. Returns, per event order, the extra dependencies (NULL entries when none). */
static GPtrArray *
compute_patch (SigmaJsonScenario *self,
               gboolean          *any)
{
  guint n = self->events->len;
  g_autofree gdouble *acc = g_new0 (gdouble, n + 1);
  GPtrArray *extra = g_ptr_array_new_with_free_func (free_ptr_array);
  gdouble start = sigma_scenario_get_start_time (SIGMA_SCENARIO (self));

  *any = FALSE;
  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);
      gdouble maxp = ev->deps->len == 0 ? start : -G_MAXDOUBLE;

      for (guint d = 0; d < ev->deps->len; d++)
        maxp = MAX (maxp, acc[((SigmaJsonEvent *) g_ptr_array_index (ev->deps, d))->order]);
      acc[ev->order] = ev->has_time ? ev->time : maxp + ev->relative;
    }
  g_ptr_array_set_size (extra, n);

  for (guint turn = 0; turn < self->n_turns; turn++)
    {
      SigmaJsonEvent *smu = NULL;
      gdouble max_time = -G_MAXDOUBLE;

      for (guint i = 0; i < self->bfs_order->len; i++)
        {
          SigmaJsonEvent *e = g_ptr_array_index (self->bfs_order, i);

          if (e->turn != turn)
            continue;
          max_time = MAX (max_time, acc[e->order]);
          if (smu == NULL && e->is_turn_end)
            smu = e;
        }
      if (smu == NULL)
        continue;
      for (guint i = 0; i < self->bfs_order->len; i++)
        {
          SigmaJsonEvent *e = g_ptr_array_index (self->bfs_order, i);
          GPtrArray *deps;

          if (e->turn != turn || e == smu || acc[e->order] != max_time ||
              g_ptr_array_find (smu->deps, e, NULL) || is_descendant (smu, e))
            continue;
          deps = g_ptr_array_index (extra, smu->order);
          if (deps == NULL)
            deps = g_ptr_array_index (extra, smu->order) = g_ptr_array_new ();
          if (!g_ptr_array_find (deps, e, NULL))
            {
              g_ptr_array_add (deps, e);
              *any = TRUE;
            }
        }
    }
  return extra;
}

static gboolean
uses_turn_gates (SigmaJsonScenario  *self,
                 SigmaJsonBuildMode  mode)
{
  return mode != SIGMA_JSON_BUILD_REFERENCE && self->n_oracle_events > 0 && self->n_turns > 1;
}

/* Whether an oracle run lays out the DAG exactly as the reference run does. */
static gboolean
oracle_layout_is_reference (SigmaJsonScenario *self)
{
  g_autoptr(GPtrArray) extra = NULL;
  gboolean any;

  if (uses_turn_gates (self, SIGMA_JSON_BUILD_ORACLE))
    return FALSE;
  extra = compute_patch (self, &any);
  return !any;
}

static gboolean
build_into (SigmaJsonScenario   *self,
            SigmaEnvironment    *env,
            SigmaJsonBuildMode   mode,
            GError             **error)
{
  guint n = self->events->len;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_full (n + self->n_turns, g_object_unref);
  g_autoptr(GPtrArray) extra = NULL;
  gboolean gated = uses_turn_gates (self, mode);
  gboolean any;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects, make_event (self, g_ptr_array_index (self->events, i)));
  if (mode == SIGMA_JSON_BUILD_ORACLE)
    extra = compute_patch (self, &any);

  for (guint i = 0; i < n; i++)
    {
      SigmaJsonEvent *ev = g_ptr_array_index (self->events, i);
      SigmaEvent *child = g_ptr_array_index (objects, ev->order);
      gboolean gate_child = FALSE;
      GPtrArray *more;

      if (gated)
        for (guint d = 0; d < ev->deps->len; d++)
          {
            SigmaJsonEvent *dep = g_ptr_array_index (ev->deps, d);

            if (dep->turn + 1 < self->n_turns && g_ptr_array_index (self->turn_ends, dep->turn) == dep)
              gate_child = TRUE;
          }
      for (guint d = 0; d < ev->deps->len; d++)
        {
          SigmaJsonEvent *dep = g_ptr_array_index (ev->deps, d);

          if (gate_child && dep->is_turn_end)
            continue;
          sigma_event_depends_on (child, g_ptr_array_index (objects, dep->order));
        }
      more = extra != NULL ? g_ptr_array_index (extra, ev->order) : NULL;
      for (guint d = 0; more != NULL && d < more->len; d++)
        sigma_event_depends_on (child, g_ptr_array_index (objects, ((SigmaJsonEvent *) g_ptr_array_index (more, d))->order));
    }

  if (gated)
    {
      SigmaEvent *previous = NULL;

      for (guint k = 1; k < self->n_turns; k++)
        {
          SigmaJsonEvent *end = g_ptr_array_index (self->turn_ends, k - 1);
          g_autofree char *name = g_strdup_printf ("wrapped_condition__turn_idx_%u__scenario_id_%s", k,
                                                   sigma_scenario_get_scenario_id (SIGMA_SCENARIO (self)));
          g_autofree char *id = g_strdup_printf ("condition_turn_%u", k);
          SigmaEvent *gate = turn_gate_new (self, k, name);

          sigma_event_set_event_id (gate, id);
          if (previous != NULL)
            sigma_event_depends_on (gate, previous);
          for (guint s = 0; end != NULL && s < end->succs->len; s++)
            {
              SigmaJsonEvent *succ = g_ptr_array_index (end->succs, s);

              sigma_event_depends_on (g_ptr_array_index (objects, succ->order), gate);
            }
          g_ptr_array_add (objects, gate);
          previous = gate;
        }
    }

  return sigma_environment_schedule_events (env, objects, error);
}

static gboolean
add_apps (SigmaJsonScenario  *self,
          SigmaEnvironment   *env,
          GError            **error)
{
  gboolean take = !self->preloaded_taken && self->preloaded->len == self->apps->len;
  gboolean lenient = (self->flags & SIGMA_JSON_LENIENT) != 0;

  self->preloaded_taken = TRUE;
  for (guint i = 0; i < self->apps->len; i++)
    {
      SigmaJsonApp *japp = g_ptr_array_index (self->apps, i);
      g_autoptr(SigmaApp) app = NULL;

      if (take && g_ptr_array_index (self->preloaded, i) != NULL)
        app = g_steal_pointer (&g_ptr_array_index (self->preloaded, i));
      else
        {
          GError *local_error = NULL;

          app = create_app (japp, lenient, &local_error);
          if (app == NULL)
            {
              g_propagate_prefixed_error (error, local_error, "apps[%u].app_state: ", japp->index);
              return FALSE;
            }
        }
      if (!sigma_environment_add_app (env, app, error))
        return FALSE;
    }
  if (find_app (self, "SystemApp") == NULL &&
      (self->uses_system_app || !sigma_environment_get_oracle_mode (env)))
    {
      g_autoptr(SigmaApp) app = sigma_apps_create ("SystemApp", "SystemApp", error);

      if (app == NULL || !sigma_environment_add_app (env, app, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sigma_json_scenario_init_apps (SigmaScenario     *scenario,
                               SigmaEnvironment  *env,
                               GError           **error)
{
  SigmaJsonScenario *self = SIGMA_JSON_SCENARIO (scenario);

  if (!add_apps (self, env, error))
    return FALSE;
  /* the benchmark runner's duration for agent runs (validation.md §2.1) */
  if (!sigma_environment_get_oracle_mode (env) && self->n_oracle_events > 0)
    sigma_environment_set_duration (env, self->has_time_tag ? ARE_BENCHMARK_TIME_DURATION
                                                            : ARE_BENCHMARK_DURATION);
  return TRUE;
}

static gboolean
sigma_json_scenario_build_events (SigmaScenario     *scenario,
                                  SigmaEnvironment  *env,
                                  GError           **error)
{
  SigmaJsonScenario *self = SIGMA_JSON_SCENARIO (scenario);

  return build_into (self, env,
                     sigma_environment_get_oracle_mode (env) ? SIGMA_JSON_BUILD_ORACLE : SIGMA_JSON_BUILD_AGENT,
                     error);
}

/* ------------------------------------------------------------------------------------ */
/* Runs and judging                                                                     */

static gboolean set_judge_context (SigmaJsonScenario  *self,
                                   SigmaJudge         *judge,
                                   GError            **error);

static gboolean
setup_reference (SigmaJsonScenario  *self,
                 SigmaEnvironment   *env,
                 GError            **error)
{
  SigmaScenario *scenario = SIGMA_SCENARIO (self);

  sigma_environment_set_oracle_mode (env, TRUE);
  sigma_environment_set_seed (env, sigma_scenario_get_seed (scenario));
  sigma_environment_set_start_time (env, sigma_scenario_get_start_time (scenario));
  sigma_environment_set_duration (env, sigma_scenario_get_duration (scenario));
  sigma_environment_set_time_increment (env, sigma_scenario_get_time_increment (scenario));
  return add_apps (self, env, error) && build_into (self, env, SIGMA_JSON_BUILD_REFERENCE, error);
}

/* ARE rejects a scenario whose oracle run has a failed event. */
static gboolean
check_clean_run (SigmaEventLog  *log,
                 GError        **error)
{
  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);

      if (sigma_completed_event_is_failure (event))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                       "Oracle run failed: event '%s' (%s.%s) at t=%.17g: %s",
                       sigma_completed_event_get_event_id (event),
                       sigma_completed_event_get_app_name (event) != NULL
                         ? sigma_completed_event_get_app_name (event) : "",
                       sigma_completed_event_get_function (event) != NULL
                         ? sigma_completed_event_get_function (event) : "",
                       sigma_completed_event_get_event_time (event),
                       sigma_completed_event_get_error_message (event));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sigma_json_scenario_run_oracle:
 * @self: a #SigmaJsonScenario
 * @env: a new environment (in the SETUP state)
 * @error: return location for a #GError
 *
 * Sets the scenario up in @env in oracle mode and runs it to the end, as ARE's `--oracle`
 * run does: every oracle event runs as an AGENT event at its time, under its own id. Turn by
 * turn, a turn ends with the oracle's `send_message_to_user`, which waits for the turn's
 * other latest events; the `condition_turn_<k>` gates then release the next user message as
 * the DAG says.
 *
 * The log of @env is the run's record; judge it with sigma_scenario_validate().
 *
 * Returns: %TRUE when the run went through (whether or not each event succeeded)
 */
gboolean
sigma_json_scenario_run_oracle (SigmaJsonScenario  *self,
                                SigmaEnvironment   *env,
                                GError            **error)
{
  SigmaScenario *scenario;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (sigma_environment_get_state (env) == SIGMA_ENVIRONMENT_STATE_SETUP, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  scenario = SIGMA_SCENARIO (self);
  sigma_environment_set_oracle_mode (env, TRUE);
  if (!sigma_scenario_setup (scenario, env, error) || !sigma_environment_run (env, error))
    return FALSE;

  /* When the oracle run is laid out as the reference run and ran under the same settings,
   * it is the reference run: keep its log rather than running the scenario again. */
  if (self->oracle_log == NULL && oracle_layout_is_reference (self) &&
      sigma_environment_get_seed (env) == sigma_scenario_get_seed (scenario) &&
      sigma_environment_get_start_time (env) == sigma_scenario_get_start_time (scenario) &&
      sigma_environment_get_duration (env) == sigma_scenario_get_duration (scenario) &&
      sigma_environment_get_time_increment (env) == sigma_scenario_get_time_increment (scenario) &&
      check_clean_run (sigma_environment_get_log (env), NULL))
    self->oracle_log = g_object_ref (sigma_environment_get_log (env));
  return TRUE;
}

/**
 * sigma_json_scenario_get_oracle_log:
 * @self: a #SigmaJsonScenario
 * @error: return location for a #GError
 *
 * The log of the scenario's reference oracle run, which the judge compares runs against:
 * the DAG exactly as written, run in oracle mode in a fresh environment (ARE runs it once
 * before judging). Its completed AGENT events carry their #SigmaOracleEvent as source.
 * The run is made on first use and kept.
 *
 * An oracle run with a failed event is an error, as in ARE.
 *
 * Returns: (transfer none): the log, or %NULL with @error set
 */
SigmaEventLog *
sigma_json_scenario_get_oracle_log (SigmaJsonScenario  *self,
                                    GError            **error)
{
  g_autoptr(SigmaEnvironment) env = NULL;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->oracle_log != NULL)
    return self->oracle_log;

  env = sigma_environment_new ();
  if (!setup_reference (self, env, error) || !sigma_environment_run (env, error))
    return NULL;
  if (!check_clean_run (sigma_environment_get_log (env), error))
    return NULL;
  self->oracle_log = g_object_ref (sigma_environment_get_log (env));
  return self->oracle_log;
}

/**
 * sigma_json_scenario_judge_log:
 * @self: a #SigmaJsonScenario
 * @log: the log of a run of this scenario, or a trace's log (sigma_json_scenario_load_trace_log())
 * @error: return location for a #GError
 *
 * Judges @log against the reference oracle run with Gaia2's judge (#SigmaJudge).
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set when judging itself failed
 */
SigmaVerdict *
sigma_json_scenario_judge_log (SigmaJsonScenario  *self,
                               SigmaEventLog      *log,
                               GError            **error)
{
  g_autoptr(SigmaJudge) judge = NULL;
  SigmaEventLog *oracle_log;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (log), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  oracle_log = sigma_json_scenario_get_oracle_log (self, error);
  if (oracle_log == NULL)
    return NULL;
  judge = sigma_judge_new ();
  if (self->soft_judge != NULL)
    sigma_judge_set_soft_judge (judge, self->soft_judge);
  if (!set_judge_context (self, judge, error))
    return NULL;
  return sigma_judge_judge (judge, oracle_log, log, error);
}

/**
 * sigma_json_scenario_set_soft_judge:
 * @self: a #SigmaJsonScenario
 * @soft_judge: (nullable): the soft judge for free-text arguments, or %NULL for the
 *   judge's default (#SigmaExactSoftJudge)
 *
 * Sets the #SigmaSoftJudge that sigma_json_scenario_judge_log() and
 * sigma_scenario_validate() hand to their #SigmaJudge, such as an LLM soft judge.
 *
 * Since: 0.1
 */
void
sigma_json_scenario_set_soft_judge (SigmaJsonScenario *self,
                                    SigmaSoftJudge    *soft_judge)
{
  g_return_if_fail (SIGMA_IS_JSON_SCENARIO (self));
  g_return_if_fail (soft_judge == NULL || SIGMA_IS_SOFT_JUDGE (soft_judge));
  g_set_object (&self->soft_judge, soft_judge);
}

static gboolean
sigma_json_scenario_validate (SigmaScenario     *scenario,
                              SigmaEnvironment  *env,
                              char             **rationale,
                              GError           **error)
{
  SigmaJsonScenario *self = SIGMA_JSON_SCENARIO (scenario);
  SigmaVerdict *verdict;
  gboolean passed;

  verdict = sigma_json_scenario_judge_log (self, sigma_environment_get_log (env), error);
  if (verdict == NULL)
    return FALSE;
  passed = sigma_verdict_get_passed (verdict);
  if (rationale != NULL)
    *rationale = g_strdup (sigma_verdict_get_rationale (verdict));
  g_object_set_data_full (G_OBJECT (env), SIGMA_JSON_VERDICT_KEY, verdict, g_object_unref);
  return passed;
}

/**
 * sigma_json_scenario_get_verdict:
 * @self: a #SigmaJsonScenario
 * @env: an environment sigma_scenario_validate() judged
 *
 * Returns: (transfer none) (nullable): the verdict of the last validation of @env
 */
SigmaVerdict *
sigma_json_scenario_get_verdict (SigmaJsonScenario *self,
                                 SigmaEnvironment  *env)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), NULL);

  return g_object_get_data (G_OBJECT (env), SIGMA_JSON_VERDICT_KEY);
}

/* ------------------------------------------------------------------------------------ */
/* Accessors                                                                            */

/**
 * sigma_json_scenario_get_flags:
 * @self: a #SigmaJsonScenario
 *
 * Returns: how the file was read
 */
SigmaJsonFlags
sigma_json_scenario_get_flags (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), SIGMA_JSON_STRICT);
  return self->flags;
}

/**
 * sigma_json_scenario_get_warnings:
 * @self: a #SigmaJsonScenario
 *
 * What the import accepted without failing: deviations lenient mode let through, and
 * inputs ARE itself only warns about (an invalid time comparator, an unknown tag). Each
 * was also logged with g_warning().
 *
 * Returns: (transfer none) (array zero-terminated=1): the warnings, one per kind
 */
const char * const *
sigma_json_scenario_get_warnings (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);

  if (self->warnings->len == 0 || g_ptr_array_index (self->warnings, self->warnings->len - 1) != NULL)
    g_ptr_array_add (self->warnings, NULL);
  return (const char * const *) self->warnings->pdata;
}

/**
 * sigma_json_scenario_get_n_apps:
 * @self: a #SigmaJsonScenario
 *
 * Returns: the number of apps the file declares
 */
guint
sigma_json_scenario_get_n_apps (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), 0);
  return self->apps->len;
}

/**
 * sigma_json_scenario_get_n_events:
 * @self: a #SigmaJsonScenario
 *
 * Returns: the number of events of the scenario DAG (without generated turn gates)
 */
guint
sigma_json_scenario_get_n_events (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), 0);
  return self->events->len;
}

/**
 * sigma_json_scenario_get_n_oracle_events:
 * @self: a #SigmaJsonScenario
 *
 * Returns: the number of oracle (AGENT) events
 */
guint
sigma_json_scenario_get_n_oracle_events (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), 0);
  return self->n_oracle_events;
}

/**
 * sigma_json_scenario_get_n_turns:
 * @self: a #SigmaJsonScenario
 *
 * The number of turns: one more than the largest number of oracle
 * `AgentUserInterface.send_message_to_user` events among an event's ancestors (ARE's
 * `build_event_id_to_turn_idx`).
 *
 * Returns: the number of turns, at least 1
 */
guint
sigma_json_scenario_get_n_turns (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), 1);
  return self->n_turns;
}

/**
 * sigma_json_scenario_get_task:
 * @self: a #SigmaJsonScenario
 * @turn: a turn index, less than sigma_json_scenario_get_n_turns()
 *
 * The user's task in a turn, as the judge reads it: the `content` of every
 * `AgentUserInterface.send_message_to_agent` event of the turn, each followed by a newline.
 *
 * Returns: (nullable): the task text, or %NULL for a turn out of range
 */
const char *
sigma_json_scenario_get_task (SigmaJsonScenario *self,
                              guint              turn)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);

  if (turn >= self->tasks->len)
    return NULL;
  return g_ptr_array_index (self->tasks, turn);
}

/**
 * sigma_json_scenario_get_event_turn:
 * @self: a #SigmaJsonScenario
 * @event_id: an event id of the scenario
 *
 * Returns: the turn of the event, or -1 for an unknown id
 */
gint
sigma_json_scenario_get_event_turn (SigmaJsonScenario *self,
                                    const char        *event_id)
{
  SigmaJsonEvent *ev;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), -1);
  g_return_val_if_fail (event_id != NULL, -1);

  ev = g_hash_table_lookup (self->event_index, event_id);
  return ev != NULL ? (gint) ev->turn : -1;
}

/**
 * sigma_json_scenario_get_augmentation:
 * @self: a #SigmaJsonScenario
 *
 * The file's `augmentation` object as read (Gaia2 files carry distractor app states and
 * tool-name and description mappings there), for the noise and augmentation features.
 *
 * Returns: (transfer none) (nullable): the augmentation object, or %NULL
 */
JsonNode *
sigma_json_scenario_get_augmentation (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  return self->augmentation;
}

/**
 * sigma_json_scenario_get_metadata:
 * @self: a #SigmaJsonScenario
 *
 * Returns: (transfer none): the file's `metadata` object as read
 */
JsonNode *
sigma_json_scenario_get_metadata (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  return json_object_get_member (json_node_get_object (self->root), "metadata");
}

/**
 * sigma_json_scenario_get_app_state:
 * @self: a #SigmaJsonScenario
 * @app_name: an app name
 *
 * Returns: (transfer none) (nullable): the app's initial `app_state` as the file gives it
 */
JsonNode *
sigma_json_scenario_get_app_state (SigmaJsonScenario *self,
                                   const char        *app_name)
{
  SigmaJsonApp *app;

  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), NULL);
  g_return_val_if_fail (app_name != NULL, NULL);

  app = find_app (self, app_name);
  return app != NULL ? app->state : NULL;
}

/**
 * sigma_json_scenario_get_n_completed_events:
 * @self: a #SigmaJsonScenario
 *
 * Returns: the number of `completed_events` of a trace (0 for a pristine scenario)
 */
guint
sigma_json_scenario_get_n_completed_events (SigmaJsonScenario *self)
{
  g_return_val_if_fail (SIGMA_IS_JSON_SCENARIO (self), 0);
  return self->completed != NULL ? json_array_get_length (self->completed) : 0;
}

/* ------------------------------------------------------------------------------------ */
/* Judge context                                                                        */

/* Python's str() of a contact field. */
static char *
py_str_field (JsonNode *node)
{
  char *text = NULL;
  const char *type_name;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("None");
  if (node_is_string (node))
    return g_strdup (json_node_get_string (node));
  sigma_json_encode_value (node, &text, &type_name);
  return text != NULL ? text : g_strdup ("None");
}

static gboolean
py_truthy (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return node != NULL && !JSON_NODE_HOLDS_NULL (node);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);
    case G_TYPE_INT64:
      return json_node_get_int (node) != 0;
    case G_TYPE_DOUBLE:
      return json_node_get_double (node) != 0.0;
    case G_TYPE_STRING:
      return json_node_get_string (node)[0] != '\0';
    default:
      return FALSE;
    }
}

/* What ARE's judge reads from the scenario before the run: the start time, the app classes
 * and the user contact of the initial Contacts state. */
static gboolean
set_judge_context (SigmaJsonScenario  *self,
                   SigmaJudge         *judge,
                   GError            **error)
{
  SigmaJsonApp *contacts = NULL;
  JsonObject *user = NULL;
  guint n_users = 0;

  sigma_judge_set_start_time (judge, sigma_scenario_get_start_time (SIGMA_SCENARIO (self)));
  sigma_judge_set_app_class_name (judge, "SystemApp", "SystemApp");
  sigma_judge_set_app_class_name (judge, "AgentUserInterface", "AgentUserInterface");
  for (guint i = 0; i < self->apps->len; i++)
    {
      SigmaJsonApp *app = g_ptr_array_index (self->apps, i);

      sigma_judge_set_app_class_name (judge, app->name, app_class_of (app));
      if (contacts == NULL && (g_str_equal (app->name, "Contacts") || g_str_equal (app->name, "ContactsApp")))
        contacts = app;
    }
  if (contacts == NULL)
    return TRUE;

  if (contacts->state != NULL && JSON_NODE_HOLDS_OBJECT (contacts->state))
    {
      JsonObject *all = member_object (json_node_get_object (contacts->state), "contacts");
      JsonObjectIter iter;
      const char *id;
      JsonNode *contact;

      if (all != NULL)
        {
          json_object_iter_init_ordered (&iter, all);
          while (json_object_iter_next_ordered (&iter, &id, &contact))
            if (JSON_NODE_HOLDS_OBJECT (contact) &&
                py_truthy (json_object_get_member (json_node_get_object (contact), "is_user")))
              {
                if (n_users++ == 0)
                  user = json_node_get_object (contact);
              }
        }
    }
  if (n_users != 1)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   n_users == 0 ? "apps[%u].app_state: no user contact (is_user) in the app '%s'"
                                : "apps[%u].app_state: more than one user contact (is_user) in the app '%s'",
                   contacts->index, contacts->name);
      return FALSE;
    }
  {
    g_autofree char *first = py_str_field (json_object_get_member (user, "first_name"));
    g_autofree char *last = py_str_field (json_object_get_member (user, "last_name"));
    g_autofree char *address = py_str_field (json_object_get_member (user, "address"));

    sigma_judge_set_user_details (judge, first, last, address);
  }
  return TRUE;
}
