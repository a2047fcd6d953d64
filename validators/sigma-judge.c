/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-action-event.h"
#include "sigma-utils.h"
#include "sigma-app.h"
#include "sigma-condition-event.h"
#include "sigma-error.h"
#include "sigma-event.h"
#include "sigma-oracle-event.h"
#include "sigma-judge.h"
#include "sigma-arg-checkers.h"
#include "sigma-verdict-private.h"

/**
 * SigmaJudge:
 *
 * Gaia2's graph-per-event judge, as ARE's `GraphPerEventJudge` (validation.md §2): it
 * decides whether an agent run did what an oracle run did.
 *
 * The reference is the log of an **oracle run** (the scenario run with
 * sigma_environment_set_oracle_mode()): its AGENT events carry their #SigmaOracleEvent as
 * source, which gives the dependency graph and the time comparator. The **agent run**'s log
 * is judged against it, turn by turn, exactly as ARE's offline judge does:
 *
 * 1. Both logs are filtered: environment and user events that did not fail, and agent
 *    WRITE calls that did not fail. Reads and failed calls are never judged.
 * 2. The oracle events are split into turns by the scenario graph (a turn ends at each
 *    oracle `AgentUserInterface.send_message_to_user`); the agent events by time, a new
 *    slice starting after each agent `send_message_to_user`.
 * 3. Per turn, the agent must call every tool as many times as the oracle did, except that
 *    it may send one message to the user more.
 * 4. Each oracle event, in topological order, is matched greedily to the first agent event
 *    (of this or an earlier turn) that calls the same tool, at an acceptable time, with
 *    arguments that pass the tool's checkers, and after the agent events matched to the
 *    oracle event's parents.
 *
 * Judging stops at the first turn that fails. Free-text arguments go through the
 * #SigmaSoftJudge (#SigmaExactSoftJudge by default, which is deterministic). See
 * `doc/judge.md` for the rules in full and the choices made where ARE and gaia2-cli
 * disagree.
 *
 * Since: 0.1
 */

#define AUI_CLASS "AgentUserInterface"
#define SMU_FUNCTION "send_message_to_user"
#define SMU_TOOL AUI_CLASS "__" SMU_FUNCTION
#define ENV_EXPANSION_TAG "env_expansion"
#define ARG_LINE_LIMIT 200

typedef struct
{
  char             *arg_name;
  SigmaCheckerType  type;
  JsonObject       *checker_args;
} ScriptedCheck;

struct _SigmaJudge
{
  GObject         parent_instance;

  SigmaSoftJudge *soft_judge;
  gdouble         start_time;
  gdouble         check_time_threshold;
  gdouble         pre_event_tolerance;
  gdouble         post_event_tolerance;
  guint           extra_smu_allowed;
  gboolean        scripted;
  GHashTable     *scripted_checks;   /* oracle id → GPtrArray<ScriptedCheck> */
  GHashTable     *app_classes;       /* app name → class name */
  char           *user_first_name;
  char           *user_last_name;
  char           *user_address;
};

enum {
  PROP_0,
  PROP_SOFT_JUDGE,
  PROP_START_TIME,
  PROP_CHECK_TIME_THRESHOLD,
  PROP_PRE_EVENT_TOLERANCE,
  PROP_POST_EVENT_TOLERANCE,
  PROP_EXTRA_SEND_MESSAGE_TO_USER_ALLOWED,
  PROP_SCRIPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SigmaJudge, sigma_judge, G_TYPE_OBJECT)

static void
scripted_check_free (gpointer data)
{
  ScriptedCheck *check = data;

  g_free (check->arg_name);
  g_clear_pointer (&check->checker_args, json_object_unref);
  g_free (check);
}

static void
sigma_judge_dispose (GObject *object)
{
  SigmaJudge *self = SIGMA_JUDGE (object);

  g_clear_object (&self->soft_judge);

  G_OBJECT_CLASS (sigma_judge_parent_class)->dispose (object);
}

static void
sigma_judge_finalize (GObject *object)
{
  SigmaJudge *self = SIGMA_JUDGE (object);

  g_clear_pointer (&self->scripted_checks, g_hash_table_unref);
  g_clear_pointer (&self->app_classes, g_hash_table_unref);
  g_clear_pointer (&self->user_first_name, g_free);
  g_clear_pointer (&self->user_last_name, g_free);
  g_clear_pointer (&self->user_address, g_free);

  G_OBJECT_CLASS (sigma_judge_parent_class)->finalize (object);
}

static void
set_double_prop (SigmaJudge *self,
                 gdouble    *field,
                 gdouble     value,
                 guint       prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
sigma_judge_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SigmaJudge *self = SIGMA_JUDGE (object);

  switch (prop_id)
    {
    case PROP_SOFT_JUDGE:
      g_value_set_object (value, self->soft_judge);
      break;
    case PROP_START_TIME:
      g_value_set_double (value, self->start_time);
      break;
    case PROP_CHECK_TIME_THRESHOLD:
      g_value_set_double (value, self->check_time_threshold);
      break;
    case PROP_PRE_EVENT_TOLERANCE:
      g_value_set_double (value, self->pre_event_tolerance);
      break;
    case PROP_POST_EVENT_TOLERANCE:
      g_value_set_double (value, self->post_event_tolerance);
      break;
    case PROP_EXTRA_SEND_MESSAGE_TO_USER_ALLOWED:
      g_value_set_uint (value, self->extra_smu_allowed);
      break;
    case PROP_SCRIPTED:
      g_value_set_boolean (value, self->scripted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_judge_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SigmaJudge *self = SIGMA_JUDGE (object);

  switch (prop_id)
    {
    case PROP_SOFT_JUDGE:
      sigma_judge_set_soft_judge (self, g_value_get_object (value));
      break;
    case PROP_START_TIME:
      sigma_judge_set_start_time (self, g_value_get_double (value));
      break;
    case PROP_CHECK_TIME_THRESHOLD:
      set_double_prop (self, &self->check_time_threshold, g_value_get_double (value), prop_id);
      break;
    case PROP_PRE_EVENT_TOLERANCE:
      set_double_prop (self, &self->pre_event_tolerance, g_value_get_double (value), prop_id);
      break;
    case PROP_POST_EVENT_TOLERANCE:
      set_double_prop (self, &self->post_event_tolerance, g_value_get_double (value), prop_id);
      break;
    case PROP_EXTRA_SEND_MESSAGE_TO_USER_ALLOWED:
      if (self->extra_smu_allowed != g_value_get_uint (value))
        {
          self->extra_smu_allowed = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SCRIPTED:
      sigma_judge_set_scripted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_judge_class_init (SigmaJudgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sigma_judge_dispose;
  object_class->finalize = sigma_judge_finalize;
  object_class->get_property = sigma_judge_get_property;
  object_class->set_property = sigma_judge_set_property;

  /**
   * SigmaJudge:soft-judge:
   *
   * Compares free-text arguments; a #SigmaExactSoftJudge by default.
   *
   * Since: 0.1
   */
  properties[PROP_SOFT_JUDGE] =
    g_param_spec_object ("soft-judge", NULL, NULL, SIGMA_TYPE_SOFT_JUDGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaJudge:start-time:
   *
   * The scenario start time, the reference of oracle events without graph parents. A
   * negative value (the default) means: infer it from the oracle log, as the time of its
   * first root event minus that event's delay.
   *
   * Since: 0.1
   */
  properties[PROP_START_TIME] =
    g_param_spec_double ("start-time", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaJudge:check-time-threshold:
   *
   * An oracle event without comparator is time-checked only when it came more than this many
   * seconds after its latest graph parent (ARE: 1 s).
   *
   * Since: 0.1
   */
  properties[PROP_CHECK_TIME_THRESHOLD] =
    g_param_spec_double ("check-time-threshold", NULL, NULL, 0.0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaJudge:pre-event-tolerance:
   *
   * How many seconds before the oracle's time an agent action may come (ARE: 10 s).
   *
   * Since: 0.1
   */
  properties[PROP_PRE_EVENT_TOLERANCE] =
    g_param_spec_double ("pre-event-tolerance", NULL, NULL, 0.0, G_MAXDOUBLE, 10.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaJudge:post-event-tolerance:
   *
   * How many seconds after the oracle's time an agent action may come (ARE: 25 s).
   *
   * Since: 0.1
   */
  properties[PROP_POST_EVENT_TOLERANCE] =
    g_param_spec_double ("post-event-tolerance", NULL, NULL, 0.0, G_MAXDOUBLE, 25.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaJudge:extra-send-message-to-user-allowed:
   *
   * How many more `send_message_to_user` calls than the oracle's a turn may hold (ARE: 1).
   *
   * Since: 0.1
   */
  properties[PROP_EXTRA_SEND_MESSAGE_TO_USER_ALLOWED] =
    g_param_spec_uint ("extra-send-message-to-user-allowed", NULL, NULL, 0, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaJudge:scripted:
   *
   * ARE's scripted judge: the soft judge is never consulted, and the checks added with
   * sigma_judge_add_scripted_check() run after the registry's hard checks.
   *
   * Since: 0.1
   */
  properties[PROP_SCRIPTED] =
    g_param_spec_boolean ("scripted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_judge_init (SigmaJudge *self)
{
  self->soft_judge = sigma_exact_soft_judge_new ();
  self->start_time = -1.0;
  self->check_time_threshold = 1.0;
  self->pre_event_tolerance = 10.0;
  self->post_event_tolerance = 25.0;
  self->extra_smu_allowed = 1;
  self->scripted_checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_ptr_array_unref);
  self->app_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * sigma_judge_new:
 *
 * Creates a judge with ARE's constants and the deterministic #SigmaExactSoftJudge.
 *
 * Returns: (transfer full): a new #SigmaJudge
 *
 * Since: 0.1
 */
SigmaJudge *
sigma_judge_new (void)
{
  return g_object_new (SIGMA_TYPE_JUDGE, NULL);
}

/**
 * sigma_judge_get_soft_judge:
 * @self: a #SigmaJudge
 *
 * Returns: (transfer none): the soft judge
 *
 * Since: 0.1
 */
SigmaSoftJudge *
sigma_judge_get_soft_judge (SigmaJudge *self)
{
  g_return_val_if_fail (SIGMA_IS_JUDGE (self), NULL);
  return self->soft_judge;
}

/**
 * sigma_judge_set_soft_judge:
 * @self: a #SigmaJudge
 * @soft_judge: (nullable): the soft judge, or %NULL for a new #SigmaExactSoftJudge
 *
 * Sets what compares free-text arguments.
 *
 * Since: 0.1
 */
void
sigma_judge_set_soft_judge (SigmaJudge     *self,
                            SigmaSoftJudge *soft_judge)
{
  g_return_if_fail (SIGMA_IS_JUDGE (self));
  g_return_if_fail (soft_judge == NULL || SIGMA_IS_SOFT_JUDGE (soft_judge));

  if (soft_judge != NULL && soft_judge == self->soft_judge)
    return;
  g_clear_object (&self->soft_judge);
  self->soft_judge = soft_judge != NULL ? g_object_ref (soft_judge) : sigma_exact_soft_judge_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOFT_JUDGE]);
}

/**
 * sigma_judge_get_start_time:
 * @self: a #SigmaJudge
 *
 * Returns: the scenario start time, or a negative number when it is inferred
 *
 * Since: 0.1
 */
gdouble
sigma_judge_get_start_time (SigmaJudge *self)
{
  g_return_val_if_fail (SIGMA_IS_JUDGE (self), -1.0);
  return self->start_time;
}

/**
 * sigma_judge_set_start_time:
 * @self: a #SigmaJudge
 * @start_time: the scenario start time, or a negative number to infer it from the oracle log
 *
 * Sets #SigmaJudge:start-time.
 *
 * Since: 0.1
 */
void
sigma_judge_set_start_time (SigmaJudge *self,
                            gdouble     start_time)
{
  g_return_if_fail (SIGMA_IS_JUDGE (self));
  g_return_if_fail (!isnan (start_time));

  if (start_time < 0)
    start_time = -1.0;
  set_double_prop (self, &self->start_time, start_time, PROP_START_TIME);
}

/**
 * sigma_judge_set_app_class_name:
 * @self: a #SigmaJudge
 * @app_name: an app instance name, as in the logs ("Emails")
 * @class_name: (nullable): its ARE class ("EmailClientV2"), or %NULL to forget it
 *
 * ARE names a tool `<app class>__<function>`. The logs only hold app instance names, so the
 * judge uses the instance name unless told the class here (or by
 * sigma_judge_load_environment()). Gaia2's instance names ("Emails", "Chats", "Contacts",
 * "Calendar", …) are themselves aliases in ARE's checker registry, so this mostly changes
 * how tools are named in rationales.
 *
 * Since: 0.1
 */
void
sigma_judge_set_app_class_name (SigmaJudge *self,
                                const char *app_name,
                                const char *class_name)
{
  g_return_if_fail (SIGMA_IS_JUDGE (self));
  g_return_if_fail (app_name != NULL);

  if (class_name == NULL)
    g_hash_table_remove (self->app_classes, app_name);
  else
    g_hash_table_replace (self->app_classes, g_strdup (app_name), g_strdup (class_name));
}

/**
 * sigma_judge_set_user_details:
 * @self: a #SigmaJudge
 * @first_name: (nullable): the user's first name, or %NULL to forget the user
 * @last_name: (nullable): the user's last name
 * @address: (nullable): the user's address
 *
 * The user contact ARE's judge reads from the Contacts app: "First Last" may be missing from
 * calendar attendee lists, and name and address are part of the soft judge's context.
 *
 * Since: 0.1
 */
void
sigma_judge_set_user_details (SigmaJudge *self,
                              const char *first_name,
                              const char *last_name,
                              const char *address)
{
  g_return_if_fail (SIGMA_IS_JUDGE (self));

  g_clear_pointer (&self->user_first_name, g_free);
  g_clear_pointer (&self->user_last_name, g_free);
  g_clear_pointer (&self->user_address, g_free);
  if (first_name == NULL)
    return;
  self->user_first_name = g_strdup (first_name);
  self->user_last_name = g_strdup (last_name != NULL ? last_name : "None");
  self->user_address = g_strdup (address != NULL ? address : "None");
}

static gboolean
find_user_contact (SigmaJudge  *self,
                   SigmaApp    *app,
                   GError     **error)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (app);
  JsonObject *contacts = NULL;
  JsonObject *user = NULL;
  guint n_users = 0;

  if (state != NULL && JSON_NODE_HOLDS_OBJECT (state))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (state), "contacts");

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        contacts = json_node_get_object (node);
    }

  if (contacts != NULL)
    {
      JsonObjectIter iter;
      const char *id;
      JsonNode *contact;

      json_object_iter_init_ordered (&iter, contacts);
      while (json_object_iter_next_ordered (&iter, &id, &contact))
        {
          JsonNode *is_user;

          if (!JSON_NODE_HOLDS_OBJECT (contact))
            continue;
          is_user = json_object_get_member (json_node_get_object (contact), "is_user");
          if (is_user != NULL && sigma_py_truthy (is_user))
            {
              n_users++;
              if (user == NULL)
                user = json_node_get_object (contact);
            }
        }
    }

  if (n_users != 1)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   n_users == 0 ? "No user contact (is_user) in the app '%s'"
                                : "More than one user contact (is_user) in the app '%s'",
                   sigma_app_get_name (app));
      return FALSE;
    }

  {
    g_autofree char *first = sigma_py_str (json_object_get_member (user, "first_name"));
    g_autofree char *last = sigma_py_str (json_object_get_member (user, "last_name"));
    g_autofree char *address = sigma_py_str (json_object_get_member (user, "address"));

    sigma_judge_set_user_details (self, first, last, address);
  }
  return TRUE;
}

/**
 * sigma_judge_load_environment:
 * @self: a #SigmaJudge
 * @env: the environment of the scenario (the oracle run's)
 * @error: return location for a #GError
 *
 * Reads what ARE's judge takes from the scenario: the start time, the class of every app
 * (see sigma_judge_set_app_class_name()) and the user contact, the unique contact with
 * `is_user` in the app named "Contacts" or "ContactsApp" (see
 * sigma_judge_set_user_details()). A scenario without such an app has no user; one whose
 * contacts app holds no user contact, or several, is an error, as in ARE.
 *
 * Returns: %TRUE on success, %FALSE with @error set otherwise
 *
 * Since: 0.1
 */
gboolean
sigma_judge_load_environment (SigmaJudge        *self,
                              SigmaEnvironment  *env,
                              GError           **error)
{
  g_autoptr(GPtrArray) apps = NULL;
  SigmaApp *contacts = NULL;

  g_return_val_if_fail (SIGMA_IS_JUDGE (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  apps = sigma_environment_list_apps (env);
  for (guint i = 0; i < apps->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (apps, i);
      const char *name = sigma_app_get_name (app);

      sigma_judge_set_app_class_name (self, name, sigma_app_get_class_name (app));
      if (contacts == NULL && (g_str_equal (name, "Contacts") || g_str_equal (name, "ContactsApp")))
        contacts = app;
    }

  sigma_judge_set_start_time (self, sigma_environment_get_start_time (env));

  if (contacts == NULL)
    {
      sigma_judge_set_user_details (self, NULL, NULL, NULL);
      return TRUE;
    }
  return find_user_contact (self, contacts, error);
}

/**
 * sigma_judge_get_scripted:
 * @self: a #SigmaJudge
 *
 * Returns: whether the judge is in scripted mode (see #SigmaJudge:scripted)
 *
 * Since: 0.1
 */
gboolean
sigma_judge_get_scripted (SigmaJudge *self)
{
  g_return_val_if_fail (SIGMA_IS_JUDGE (self), FALSE);
  return self->scripted;
}

/**
 * sigma_judge_set_scripted:
 * @self: a #SigmaJudge
 * @scripted: whether to run as ARE's scripted judge
 *
 * Sets #SigmaJudge:scripted. Adding a scripted check turns it on.
 *
 * Since: 0.1
 */
void
sigma_judge_set_scripted (SigmaJudge *self,
                          gboolean    scripted)
{
  g_return_if_fail (SIGMA_IS_JUDGE (self));

  scripted = !!scripted;
  if (self->scripted == scripted)
    return;
  self->scripted = scripted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCRIPTED]);
}

/**
 * sigma_judge_add_scripted_check:
 * @self: a #SigmaJudge
 * @oracle_event_id: the oracle event the check applies to
 * @arg_name: the argument to check
 * @checker_name: a checker: one of ARE's hard checkers ("eq_checker", "path_checker", …),
 *   compared with the oracle's value, or a scripted one ("contain_any_checker",
 *   "contain_all_checker"), which looks for `targets` in the agent's value
 * @checker_args: (nullable): the checker's arguments: `targets` (an array of strings) for
 *   the scripted checkers, `tolerance_list_str` for "list_attendees_checker"
 * @error: return location for a #GError
 *
 * Adds a check of ARE's `ScriptedGraphPerEventJudge` (validation.md §2.11) and turns on
 * #SigmaJudge:scripted, so that no soft judge is consulted.
 *
 * Returns: %TRUE on success, %FALSE with @error set for an unknown checker
 *
 * Since: 0.1
 */
gboolean
sigma_judge_add_scripted_check (SigmaJudge  *self,
                                const char  *oracle_event_id,
                                const char  *arg_name,
                                const char  *checker_name,
                                JsonObject  *checker_args,
                                GError     **error)
{
  SigmaCheckerType type;
  ScriptedCheck *check;
  GPtrArray *checks;

  g_return_val_if_fail (SIGMA_IS_JUDGE (self), FALSE);
  g_return_val_if_fail (oracle_event_id != NULL, FALSE);
  g_return_val_if_fail (arg_name != NULL, FALSE);
  g_return_val_if_fail (checker_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sigma_checker_type_from_string (checker_name, &type) || type == SIGMA_CHECKER_LLM)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a hard or scripted checker", checker_name);
      return FALSE;
    }

  check = g_new0 (ScriptedCheck, 1);
  check->arg_name = g_strdup (arg_name);
  check->type = type;
  check->checker_args = checker_args != NULL ? json_object_ref (checker_args) : NULL;

  checks = g_hash_table_lookup (self->scripted_checks, oracle_event_id);
  if (checks == NULL)
    {
      checks = g_ptr_array_new_with_free_func (scripted_check_free);
      g_hash_table_insert (self->scripted_checks, g_strdup (oracle_event_id), checks);
    }
  g_ptr_array_add (checks, check);
  sigma_judge_set_scripted (self, TRUE);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* One judging run                                                                       */

typedef struct
{
  SigmaCompletedEvent *event;      /* borrowed from the agent log */
  SigmaEventType       type;       /* after the filter's rewrites */
  char                *tool_name;
  gboolean             is_smu;
  guint                slice;
  gint                 matched;    /* index into Run.oracle, or -1 */
} AgentItem;

typedef struct
{
  SigmaCompletedEvent *event;      /* borrowed from the oracle log */
  SigmaEvent          *source;
  SigmaEventType       type;
  char                *tool_name;
  guint                turn;
  guint                index;      /* in Run.oracle */
  gboolean             has_absolute;
  gdouble              absolute;
  SigmaTimeComparator  comparator;
  GPtrArray           *parents;    /* OracleItem, borrowed, in the turn's graph */
  gint                 matched;    /* index into Run.agent, or -1 */
} OracleItem;

typedef struct
{
  SigmaJudge   *judge;
  gdouble       start_time;
  GPtrArray    *agent;             /* AgentItem, sorted by time */
  guint         agent_counter;
  GPtrArray    *oracle;            /* OracleItem, oracle-log order */
  guint         n_turns;
  GPtrArray    *tasks;             /* char *, one per turn */
  GStrv         tolerance;
  guint         n_soft_calls;
  SigmaVerdict *verdict;
} Run;

/* What a rejected candidate failed: one of ARE's attempt reasons plus Sigma's detail. */
typedef enum {
  REASON_CAUSALITY,
  REASON_ALREADY_MATCHED,
  REASON_TOOL_JUDGE_REJECT,
} Reason;

typedef struct
{
  guint   agent_index;
  Reason  reason;
  char   *check;       /* "event_type", "time", "argument", "placeholder", "soft", "scripted",
                        * "causality", "already_matched" */
  char   *argument;    /* nullable */
  char   *checker;     /* nullable */
  char   *detail;
} Attempt;

static void
attempt_free (gpointer data)
{
  Attempt *attempt = data;

  g_free (attempt->check);
  g_free (attempt->argument);
  g_free (attempt->checker);
  g_free (attempt->detail);
  g_free (attempt);
}

static void
agent_item_free (gpointer data)
{
  AgentItem *item = data;

  g_free (item->tool_name);
  g_free (item);
}

static void
oracle_item_free (gpointer data)
{
  OracleItem *item = data;

  g_free (item->tool_name);
  g_clear_pointer (&item->parents, g_ptr_array_unref);
  g_free (item);
}

static const char *
class_of (SigmaJudge *self,
          const char *app_name)
{
  const char *class_name;

  if (app_name == NULL)
    return "NoApp";
  class_name = g_hash_table_lookup (self->app_classes, app_name);
  return class_name != NULL ? class_name : app_name;
}

static const char *
event_type_name (SigmaEventType type)
{
  switch (type)
    {
    case SIGMA_EVENT_TYPE_AGENT:
      return "AGENT";
    case SIGMA_EVENT_TYPE_ENV:
      return "ENV";
    case SIGMA_EVENT_TYPE_USER:
      return "USER";
    case SIGMA_EVENT_TYPE_CONDITION:
      return "CONDITION";
    case SIGMA_EVENT_TYPE_VALIDATION:
      return "VALIDATION";
    case SIGMA_EVENT_TYPE_STOP:
    default:
      return "STOP";
    }
}

/* EnvAgentEventFilter with its rewrites (validation.md §2.2). Returns whether the event is
 * kept, with its (rewritten) type and tool name. */
static gboolean
filter_event (SigmaJudge          *self,
              SigmaCompletedEvent *event,
              SigmaEventType      *type_out,
              char               **tool_name_out)
{
  SigmaEventType type = sigma_completed_event_get_event_type (event);
  const char *function = sigma_completed_event_get_function (event);
  const char *class_name = class_of (self, sigma_completed_event_get_app_name (event));
  gboolean write = sigma_completed_event_get_operation (event) == SIGMA_TOOL_OPERATION_WRITE &&
                   sigma_completed_event_get_app_name (event) != NULL;
  g_autofree char *tool_name = NULL;
  gboolean keep;

  if (function == NULL)
    function = "NoFunction";
  tool_name = g_strconcat (class_name, "__", function, NULL);

  if (type == SIGMA_EVENT_TYPE_AGENT)
    {
      if (g_str_equal (function, "get_quotation") && g_str_equal (class_name, "CabApp"))
        write = FALSE;
      if (g_str_equal (function, "add_email") &&
          (g_str_equal (class_name, "EmailClientApp") || g_str_equal (class_name, "EmailClientV2")))
        type = SIGMA_EVENT_TYPE_ENV;
      else if (g_str_equal (function, "makedirs") && g_str_equal (class_name, "SandboxLocalFileSystem"))
        {
          g_free (tool_name);
          tool_name = g_strdup ("SandboxLocalFileSystem__mkdir");
        }
    }

  if ((type == SIGMA_EVENT_TYPE_ENV || type == SIGMA_EVENT_TYPE_USER) &&
      strstr (sigma_completed_event_get_event_id (event), ENV_EXPANSION_TAG) == NULL)
    keep = !sigma_completed_event_is_failure (event);
  else
    keep = type == SIGMA_EVENT_TYPE_AGENT && write && !sigma_completed_event_is_failure (event);

  if (keep)
    {
      *type_out = type;
      *tool_name_out = g_steal_pointer (&tool_name);
    }
  return keep;
}

static gboolean
is_smu_oracle_source (SigmaEvent *event)
{
  SigmaOracleEvent *oracle;

  if (!SIGMA_IS_ORACLE_EVENT (event))
    return FALSE;
  oracle = SIGMA_ORACLE_EVENT (event);
  return g_strcmp0 (sigma_oracle_event_get_app_name (oracle), AUI_CLASS) == 0 &&
         g_strcmp0 (sigma_oracle_event_get_function (oracle), SMU_FUNCTION) == 0;
}

/* A turn gate "condition_turn_<k>" (possibly "-CHECK_<n>") opens turn k. */
static gboolean
gate_turn (SigmaEvent *event,
           guint      *turn)
{
  const char *id;
  const char *p;
  guint64 k = 0;

  if (!SIGMA_IS_CONDITION_EVENT (event))
    return FALSE;
  id = sigma_event_get_event_id (event);
  if (id == NULL || !g_str_has_prefix (id, "condition_turn_"))
    return FALSE;
  p = id + strlen ("condition_turn_");
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    k = k * 10 + (guint64) (*p++ - '0');
  if (*p != '\0' && !g_str_has_prefix (p, "-CHECK_"))
    return FALSE;
  *turn = (guint) MIN (k, G_MAXUINT);
  return TRUE;
}

/* ARE's build_event_id_to_turn_idx over the graph of the logged events' sources: BFS from
 * the roots; an event's turn is the largest turn of its dependencies (0 for one not visited
 * yet), plus one if a dependency is an oracle send_message_to_user. */
static GHashTable *
compute_turns (SigmaEventLog *log,
               guint         *n_turns)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);      /* event → discovery order + 1 */
  g_autoptr(GHashTable) visited = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GQueue) queue = g_queue_new ();
  GHashTable *turns = g_hash_table_new (NULL, NULL);             /* event → turn + 1 */
  guint max_turn = 0;

  /* every event linked to a logged one, in the order the log reaches them */
  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaEvent *source = sigma_completed_event_get_source (sigma_event_log_get (log, i));

      if (source == NULL || g_hash_table_contains (seen, source))
        continue;
      g_ptr_array_add (stack, source);
      while (stack->len > 0)
        {
          SigmaEvent *event = g_ptr_array_steal_index (stack, stack->len - 1);
          g_autoptr(GPtrArray) deps = NULL;
          g_autoptr(GPtrArray) succs = NULL;

          if (g_hash_table_contains (seen, event))
            continue;
          g_ptr_array_add (all, event);
          g_hash_table_insert (seen, event, GUINT_TO_POINTER (all->len));

          deps = sigma_event_get_dependencies (event);
          succs = sigma_event_get_successors (event);
          for (guint d = deps->len; d > 0; d--)
            g_ptr_array_add (stack, g_ptr_array_index (deps, d - 1));
          for (guint s = succs->len; s > 0; s--)
            g_ptr_array_add (stack, g_ptr_array_index (succs, s - 1));
        }
    }

  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(GPtrArray) deps = sigma_event_get_dependencies (g_ptr_array_index (all, i));

      if (deps->len == 0)
        g_queue_push_tail (queue, g_ptr_array_index (all, i));
    }

  while (!g_queue_is_empty (queue))
    {
      SigmaEvent *event = g_queue_pop_head (queue);
      g_autoptr(GPtrArray) deps = NULL;
      g_autoptr(GPtrArray) succs = NULL;
      guint turn = 0;
      gboolean after_smu = FALSE;

      if (g_hash_table_contains (visited, event))
        continue;
      g_hash_table_add (visited, event);

      deps = sigma_event_get_dependencies (event);
      for (guint d = 0; d < deps->len; d++)
        {
          SigmaEvent *dep = g_ptr_array_index (deps, d);
          guint dep_turn = GPOINTER_TO_UINT (g_hash_table_lookup (turns, dep));
          guint gate;

          if (dep_turn > 0)
            turn = MAX (turn, dep_turn - 1);
          if (gate_turn (dep, &gate))
            turn = MAX (turn, gate);
          if (is_smu_oracle_source (dep))
            after_smu = TRUE;
        }
      if (after_smu)
        turn++;
      g_hash_table_insert (turns, event, GUINT_TO_POINTER (turn + 1));
      max_turn = MAX (max_turn, turn);

      succs = sigma_event_get_successors (event);
      for (guint s = 0; s < succs->len; s++)
        if (!g_hash_table_contains (visited, g_ptr_array_index (succs, s)))
          g_queue_push_tail (queue, g_ptr_array_index (succs, s));
    }

  *n_turns = max_turn + 1;
  return turns;
}

static guint
turn_of (GHashTable *turns,
         SigmaEvent *source)
{
  guint turn = source != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (turns, source)) : 0;

  return turn > 0 ? turn - 1 : 0;
}

static JsonObject *
raw_args_of (SigmaEvent *source)
{
  if (source != NULL && SIGMA_IS_ORACLE_EVENT (source))
    return sigma_oracle_event_get_args (SIGMA_ORACLE_EVENT (source));
  if (source != NULL && SIGMA_IS_ACTION_EVENT (source))
    return sigma_action_event_get_args (SIGMA_ACTION_EVENT (source));
  return NULL;
}

/* Infers the start time: the first logged root event's time minus its delay. */
static gdouble
infer_start_time (SigmaEventLog *log)
{
  gdouble earliest = G_MAXDOUBLE;

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);
      SigmaEvent *source = sigma_completed_event_get_source (event);

      earliest = MIN (earliest, sigma_completed_event_get_event_time (event));
      if (source != NULL && !sigma_event_get_time_is_absolute (source))
        {
          g_autoptr(GPtrArray) deps = sigma_event_get_dependencies (source);

          if (deps->len == 0)
            return sigma_completed_event_get_event_time (event) - sigma_event_get_delay (source);
        }
    }
  return earliest == G_MAXDOUBLE ? 0.0 : earliest;
}

static gboolean
prepare_oracle (Run            *run,
                SigmaEventLog  *log,
                GError        **error)
{
  g_autoptr(GHashTable) turns = NULL;
  gboolean has_oracle = FALSE;

  /* run_oracle_mode: an oracle run in which anything failed rejects the scenario */
  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);
      SigmaEvent *source = sigma_completed_event_get_source (event);

      if (sigma_completed_event_is_failure (event))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "The oracle run failed: event '%s' (%s.%s): %s",
                       sigma_completed_event_get_event_id (event),
                       sigma_completed_event_get_app_name (event) != NULL ? sigma_completed_event_get_app_name (event) : "-",
                       sigma_completed_event_get_function (event) != NULL ? sigma_completed_event_get_function (event) : "-",
                       sigma_completed_event_get_error_message (event) != NULL ? sigma_completed_event_get_error_message (event) : "");
          return FALSE;
        }
      if (source != NULL && SIGMA_IS_ORACLE_EVENT (source))
        has_oracle = TRUE;
    }
  if (!has_oracle)
    {
      g_set_error_literal (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                           "The oracle log holds no oracle event: there is nothing to judge against");
      return FALSE;
    }

  turns = compute_turns (log, &run->n_turns);
  run->tasks = g_ptr_array_new_with_free_func (g_free);
  for (guint t = 0; t < run->n_turns; t++)
    g_ptr_array_add (run->tasks, g_strdup (""));

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);
      SigmaEvent *source = sigma_completed_event_get_source (event);
      SigmaEventType type;
      char *tool_name = NULL;
      OracleItem *item;

      /* the task text of each turn: every AgentUserInterface.send_message_to_agent */
      if (g_str_equal (class_of (run->judge, sigma_completed_event_get_app_name (event)), AUI_CLASS) &&
          g_strcmp0 (sigma_completed_event_get_function (event), "send_message_to_agent") == 0 &&
          sigma_completed_event_get_args (event) != NULL &&
          json_object_has_member (sigma_completed_event_get_args (event), "content"))
        {
          guint turn = turn_of (turns, source);
          g_autofree char *content = sigma_py_str (json_object_get_member (sigma_completed_event_get_args (event),
                                                                           "content"));
          char *task = g_strconcat (g_ptr_array_index (run->tasks, turn), content, "\n", NULL);

          g_free (g_ptr_array_index (run->tasks, turn));
          g_ptr_array_index (run->tasks, turn) = task;
        }

      if (!filter_event (run->judge, event, &type, &tool_name))
        continue;

      if (source == NULL)
        {
          g_free (tool_name);
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "The oracle log's event '%s' has no source event: it is not the log of an "
                       "oracle run", sigma_completed_event_get_event_id (event));
          return FALSE;
        }

      item = g_new0 (OracleItem, 1);
      item->event = event;
      item->source = source;
      item->type = type;
      item->tool_name = tool_name;
      item->turn = turn_of (turns, source);
      item->index = run->oracle->len;
      item->matched = -1;
      item->parents = g_ptr_array_new ();
      item->has_absolute = sigma_event_get_time_is_absolute (source);
      item->absolute = item->has_absolute ? sigma_event_get_event_time (source) : 0.0;
      item->comparator = SIGMA_IS_ORACLE_EVENT (source) ?
                         sigma_oracle_event_get_comparator (SIGMA_ORACLE_EVENT (source)) :
                         SIGMA_TIME_COMPARATOR_NONE;
      g_ptr_array_add (run->oracle, item);
    }

  /* graph[id] = the direct dependencies that are oracle events of the same turn */
  {
    g_autoptr(GHashTable) by_source = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < run->oracle->len; i++)
      {
        OracleItem *item = g_ptr_array_index (run->oracle, i);
        g_hash_table_insert (by_source, item->source, item);
      }
    for (guint i = 0; i < run->oracle->len; i++)
      {
        OracleItem *item = g_ptr_array_index (run->oracle, i);
        g_autoptr(GPtrArray) deps = sigma_event_get_dependencies (item->source);

        for (guint d = 0; d < deps->len; d++)
          {
            OracleItem *parent = g_hash_table_lookup (by_source, g_ptr_array_index (deps, d));

            if (parent != NULL && parent->turn == item->turn &&
                !g_ptr_array_find (item->parents, parent, NULL))
              g_ptr_array_add (item->parents, parent);
          }
      }
  }

  return TRUE;
}

static gint
compare_agent_items (gconstpointer a,
                     gconstpointer b)
{
  const AgentItem *x = *(const AgentItem * const *) a;
  const AgentItem *y = *(const AgentItem * const *) b;
  gdouble tx = sigma_completed_event_get_event_time (x->event);
  gdouble ty = sigma_completed_event_get_event_time (y->event);

  if (tx != ty)
    return tx < ty ? -1 : 1;
  return x->slice < y->slice ? -1 : x->slice > y->slice ? 1 : 0;   /* slice holds the log index here */
}

static void
prepare_agent (Run           *run,
               SigmaEventLog *log)
{
  guint counter = 0;

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, i);
      SigmaEventType type;
      char *tool_name = NULL;
      AgentItem *item;

      if (!filter_event (run->judge, event, &type, &tool_name))
        continue;
      item = g_new0 (AgentItem, 1);
      item->event = event;
      item->type = type;
      item->tool_name = tool_name;
      item->slice = i;
      item->matched = -1;
      item->is_smu = type == SIGMA_EVENT_TYPE_AGENT &&
                     g_str_equal (class_of (run->judge, sigma_completed_event_get_app_name (event)), AUI_CLASS) &&
                     g_strcmp0 (sigma_completed_event_get_function (event), SMU_FUNCTION) == 0;
      g_ptr_array_add (run->agent, item);
    }

  /* stable sort by time (the log index breaks ties) */
  g_ptr_array_sort (run->agent, compare_agent_items);

  for (guint i = 0; i < run->agent->len; i++)
    {
      AgentItem *item = g_ptr_array_index (run->agent, i);

      item->slice = counter;
      if (item->is_smu)
        counter++;
    }
  run->agent_counter = counter;
}

/* Kahn's algorithm, seeded in oracle-log order; FALSE on a cycle. */
static GPtrArray *
topological_order (Run  *run,
                   guint turn)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GHashTable) in_degree = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GQueue) queue = g_queue_new ();
  GPtrArray *order = g_ptr_array_new ();

  for (guint i = 0; i < run->oracle->len; i++)
    {
      OracleItem *item = g_ptr_array_index (run->oracle, i);

      if (item->turn == turn)
        g_ptr_array_add (nodes, item);
    }

  for (guint i = 0; i < nodes->len; i++)
    {
      OracleItem *item = g_ptr_array_index (nodes, i);

      for (guint p = 0; p < item->parents->len; p++)
        {
          OracleItem *parent = g_ptr_array_index (item->parents, p);
          GPtrArray *kids = g_hash_table_lookup (children, parent);

          if (kids == NULL)
            {
              kids = g_ptr_array_new ();
              g_hash_table_insert (children, parent, kids);
            }
          g_ptr_array_add (kids, item);
          g_hash_table_insert (in_degree, item,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (in_degree, item)) + 1));
        }
    }

  for (guint i = 0; i < nodes->len; i++)
    if (GPOINTER_TO_UINT (g_hash_table_lookup (in_degree, g_ptr_array_index (nodes, i))) == 0)
      g_queue_push_tail (queue, g_ptr_array_index (nodes, i));

  while (!g_queue_is_empty (queue))
    {
      OracleItem *item = g_queue_pop_head (queue);
      GPtrArray *kids = g_hash_table_lookup (children, item);

      g_ptr_array_add (order, item);
      for (guint k = 0; kids != NULL && k < kids->len; k++)
        {
          OracleItem *kid = g_ptr_array_index (kids, k);
          guint degree = GPOINTER_TO_UINT (g_hash_table_lookup (in_degree, kid)) - 1;

          g_hash_table_insert (in_degree, kid, GUINT_TO_POINTER (degree));
          if (degree == 0)
            g_queue_push_tail (queue, kid);
        }
    }

  if (order->len != nodes->len)
    g_clear_pointer (&order, g_ptr_array_unref);
  return order;
}

/* ------------------------------------------------------------------------------------ */
/* Turn state and reporting                                                              */

typedef struct
{
  Run          *run;
  guint         turn;
  guint         judged_end;     /* agent events [0, judged_end) are judged so far */
  GPtrArray    *slice;          /* AgentItem of this turn */
  GPtrArray    *order;          /* OracleItem of this turn, topological */
  JsonArray    *soft_comparisons;
  GString      *details;
  char         *are_rationale;
  JsonObject   *failure;
} Turn;

static char *
format_time (gdouble t)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f", t));
}

static char *
short_repr (JsonNode *node)
{
  g_autofree char *text = sigma_py_repr (node);

  if (g_utf8_strlen (text, -1) > ARG_LINE_LIMIT)
    {
      g_autofree char *head = g_utf8_substring (text, 0, ARG_LINE_LIMIT);
      return g_strconcat (head, "...", NULL);
    }
  return g_steal_pointer (&text);
}

static JsonObject *
resolved_oracle_args (Run        *run,
                      OracleItem *o)
{
  JsonObject *args = json_object_new ();
  JsonObject *effective = sigma_completed_event_get_args (o->event);
  JsonObject *raw = raw_args_of (o->source);

  if (effective != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, effective);
      while (json_object_iter_next_ordered (&iter, &name, &value))
        json_object_set_member (args, name, json_node_copy (value));
    }

  /* resolve_arg_placeholders: a raw value that is exactly "{{<matched oracle id>}}" takes the
   * return value of the agent event matched to that oracle event */
  if (raw != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, raw);
      while (json_object_iter_next_ordered (&iter, &name, &value))
        {
          const char *text;
          gsize len;

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            continue;
          text = json_node_get_string (value);
          len = strlen (text);
          if (len < 5 || !g_str_has_prefix (text, "{{") || !g_str_has_suffix (text, "}}"))
            continue;

          for (guint i = 0; i < run->oracle->len; i++)
            {
              OracleItem *target = g_ptr_array_index (run->oracle, i);
              const char *id = sigma_completed_event_get_event_id (target->event);

              if (target->matched >= 0 && strlen (id) == len - 4 && strncmp (text + 2, id, len - 4) == 0)
                {
                  AgentItem *agent = g_ptr_array_index (run->agent, target->matched);
                  JsonNode *ret = sigma_completed_event_get_return_value (agent->event);

                  json_object_set_member (args, name, ret != NULL ? json_node_copy (ret)
                                                                  : json_node_init_null (json_node_alloc ()));
                  break;
                }
            }
        }
    }
  return args;
}

static gboolean
missing_key (const char  *arg_name,
             GError     **error)
{
  g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_KEY, "KeyError: '%s'", arg_name);
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Comparing one agent event with one oracle event                                       */

typedef struct
{
  const char *check;
  char       *argument;
  const char *checker;
  char       *detail;
} Rejection;

static void
rejection_clear (Rejection *r)
{
  g_clear_pointer (&r->argument, g_free);
  g_clear_pointer (&r->detail, g_free);
}

static gboolean
time_window (gdouble              x,
             gdouble              ref,
             gdouble              pre,
             gdouble              post,
             SigmaTimeComparator  cmp)
{
  switch (cmp)
    {
    case SIGMA_TIME_COMPARATOR_LESS_THAN:
      return x <= ref + post;
    case SIGMA_TIME_COMPARATOR_GREATER_THAN:
      return x >= ref - pre;
    case SIGMA_TIME_COMPARATOR_EQUAL:
    case SIGMA_TIME_COMPARATOR_NONE:
    default:
      return x <= ref + post && x >= ref - pre;
    }
}

static const char *
comparator_name (SigmaTimeComparator cmp)
{
  switch (cmp)
    {
    case SIGMA_TIME_COMPARATOR_LESS_THAN:
      return "LESS_THAN";
    case SIGMA_TIME_COMPARATOR_GREATER_THAN:
      return "GREATER_THAN";
    case SIGMA_TIME_COMPARATOR_EQUAL:
      return "EQUAL";
    case SIGMA_TIME_COMPARATOR_NONE:
    default:
      return "None";
    }
}

static char *
window_text (gdouble              ref,
             gdouble              pre,
             gdouble              post,
             SigmaTimeComparator  cmp)
{
  g_autofree char *lo = format_time (ref - pre);
  g_autofree char *hi = format_time (ref + post);

  switch (cmp)
    {
    case SIGMA_TIME_COMPARATOR_LESS_THAN:
      return g_strdup_printf ("at most %s", hi);
    case SIGMA_TIME_COMPARATOR_GREATER_THAN:
      return g_strdup_printf ("at least %s", lo);
    case SIGMA_TIME_COMPARATOR_EQUAL:
    case SIGMA_TIME_COMPARATOR_NONE:
    default:
      return g_strdup_printf ("within [%s, %s]", lo, hi);
    }
}

/* AgentEventJudge.check_time with the references of get_judge_kwargs. */
static gboolean
check_time (Run        *run,
            AgentItem  *a,
            OracleItem *o,
            Rejection  *rej)
{
  SigmaJudge *judge = run->judge;
  gdouble t_agent = sigma_completed_event_get_event_time (a->event);
  gdouble t_oracle = sigma_completed_event_get_event_time (o->event);
  gdouble max_o = run->start_time;
  gdouble max_a;
  gdouble rel_o, rel_a;

  if (o->has_absolute)
    {
      if (time_window (t_agent, o->absolute, judge->pre_event_tolerance, judge->post_event_tolerance,
                       o->comparator))
        return TRUE;
      {
        g_autofree char *window = window_text (o->absolute, judge->pre_event_tolerance,
                                               judge->post_event_tolerance, o->comparator);
        g_autofree char *ta = format_time (t_agent);
        g_autofree char *tabs = format_time (o->absolute);

        rej->check = "time";
        rej->detail = g_strdup_printf ("time: the agent acted at %s, not %s around the oracle's "
                                       "absolute time %s (comparator %s)",
                                       ta, window, tabs, comparator_name (o->comparator));
      }
      return FALSE;
    }

  for (guint p = 0; p < o->parents->len; p++)
    max_o = MAX (max_o, sigma_completed_event_get_event_time (((OracleItem *) g_ptr_array_index (o->parents, p))->event));

  /* the agent reference: the latest agent time among the parents whose oracle time is the
   * latest (the start time counts as a parent of every event) */
  max_a = -G_MAXDOUBLE;
  if (run->start_time >= max_o)
    max_a = run->start_time;
  for (guint p = 0; p < o->parents->len; p++)
    {
      OracleItem *parent = g_ptr_array_index (o->parents, p);

      if (sigma_completed_event_get_event_time (parent->event) >= max_o)
        {
          AgentItem *matched = g_ptr_array_index (run->agent, parent->matched);
          max_a = MAX (max_a, sigma_completed_event_get_event_time (matched->event));
        }
    }

  rel_o = t_oracle - max_o;
  rel_a = t_agent - max_a;
  if (rel_o > judge->check_time_threshold || o->comparator != SIGMA_TIME_COMPARATOR_NONE)
    {
      if (time_window (rel_a, rel_o, judge->pre_event_tolerance, judge->post_event_tolerance,
                       o->comparator))
        return TRUE;
      {
        g_autofree char *window = window_text (rel_o, judge->pre_event_tolerance,
                                               judge->post_event_tolerance, o->comparator);
        g_autofree char *ra = format_time (rel_a);
        g_autofree char *ro = format_time (rel_o);

        rej->check = "time";
        rej->detail = g_strdup_printf ("time: the agent acted %s s after its reference, not %s "
                                       "(the oracle acted %s s after its parents or the start; "
                                       "comparator %s)",
                                       ra, window, ro, comparator_name (o->comparator));
      }
      return FALSE;
    }
  return TRUE;
}

static char *
checker_detail (const char *arg_name,
                const char *checker,
                JsonNode   *agent,
                JsonNode   *oracle)
{
  g_autofree char *ra = short_repr (agent);
  g_autofree char *ro = short_repr (oracle);

  return g_strdup_printf ("argument '%s' (%s): agent %s, oracle %s", arg_name, checker, ra, ro);
}

static gboolean
run_scripted_checks (Run         *run,
                     OracleItem  *o,
                     JsonObject  *agent_args,
                     JsonObject  *oracle_args,
                     gboolean    *ok,
                     Rejection   *rej,
                     GError     **error)
{
  GPtrArray *checks = g_hash_table_lookup (run->judge->scripted_checks,
                                           sigma_completed_event_get_event_id (o->event));

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      ScriptedCheck *check = g_ptr_array_index (checks, i);
      g_auto(GStrv) tolerance = NULL;
      g_auto(GStrv) targets = NULL;
      JsonNode *agent_value;
      JsonNode *oracle_value = NULL;
      gboolean result = FALSE;

      if (check->checker_args != NULL)
        {
          const char *names[2] = { "tolerance_list_str", "targets" };
          GStrv *outs[2] = { &tolerance, &targets };

          for (guint n = 0; n < 2; n++)
            {
              JsonNode *list = json_object_get_member (check->checker_args, names[n]);
              g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

              if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
                continue;
              for (guint e = 0; e < json_array_get_length (json_node_get_array (list)); e++)
                {
                  g_autofree char *text = sigma_py_str (json_array_get_element (json_node_get_array (list), e));
                  g_strv_builder_add (builder, text);
                }
              *outs[n] = g_strv_builder_end (builder);
            }
        }

      if (!json_object_has_member (agent_args, check->arg_name))
        return missing_key (check->arg_name, error);
      agent_value = json_object_get_member (agent_args, check->arg_name);
      if (sigma_checker_type_is_hard (check->type))
        {
          if (!json_object_has_member (oracle_args, check->arg_name))
            return missing_key (check->arg_name, error);
          oracle_value = json_object_get_member (oracle_args, check->arg_name);
        }

      if (!sigma_arg_checker_run (check->type, agent_value, oracle_value,
                                  (const char * const *) tolerance, (const char * const *) targets,
                                  &result, error))
        return FALSE;
      if (!result)
        {
          rej->check = "scripted";
          rej->argument = g_strdup (check->arg_name);
          rej->checker = sigma_checker_type_to_string (check->type);
          if (oracle_value != NULL)
            rej->detail = checker_detail (check->arg_name, rej->checker, agent_value, oracle_value);
          else
            {
              g_autofree char *ra = short_repr (agent_value);
              g_autofree char *joined = targets != NULL ? g_strjoinv ("', '", targets) : g_strdup ("");

              rej->detail = g_strdup_printf ("argument '%s' (%s): agent %s, targets ['%s']",
                                             check->arg_name, rej->checker, ra, joined);
            }
          *ok = FALSE;
          return TRUE;
        }
    }
  *ok = TRUE;
  return TRUE;
}

static char *
today_date (gdouble t)
{
  static const char * const weekdays[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) floor (t));

  if (dt == NULL)
    return g_strdup ("");
  return g_strdup_printf ("%04d-%02d-%02d %s", g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          weekdays[g_date_time_get_day_of_week (dt) - 1]);
}

/* The JSON context handed to the soft judge: what ARE's LLM checkers see. */
static char *
soft_context (Run                        *run,
              AgentItem                  *a,
              OracleItem                 *o,
              const SigmaSoftCheckerType *checkers,
              guint                       n_checkers,
              JsonObject                 *agent_kept,
              JsonObject                 *oracle_kept)
{
  SigmaJudge *judge = run->judge;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *today = today_date (sigma_completed_event_get_event_time (o->event));
  g_autoptr(GString) previous = g_string_new (NULL);
  JsonNode *node;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tool_name");
  json_builder_add_string_value (builder, o->tool_name);
  json_builder_set_member_name (builder, "oracle_event_id");
  json_builder_add_string_value (builder, sigma_completed_event_get_event_id (o->event));
  json_builder_set_member_name (builder, "agent_event_id");
  json_builder_add_string_value (builder, sigma_completed_event_get_event_id (a->event));

  json_builder_set_member_name (builder, "soft_checkers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_checkers; i++)
    if (checkers[i] != SIGMA_SOFT_CHECKER_PLACEHOLDER)
      json_builder_add_string_value (builder, sigma_soft_checker_type_to_string (checkers[i]));
  json_builder_end_array (builder);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, agent_kept);
  json_builder_set_member_name (builder, "agent_args");
  json_builder_add_value (builder, json_node_copy (node));
  json_node_set_object (node, oracle_kept);
  json_builder_set_member_name (builder, "oracle_args");
  json_builder_add_value (builder, json_node_copy (node));
  json_node_unref (node);

  json_builder_set_member_name (builder, "tasks");
  json_builder_begin_array (builder);
  for (guint t = 0; t <= o->turn && t < run->tasks->len; t++)
    {
      json_builder_add_string_value (builder, g_ptr_array_index (run->tasks, t));
      if (t > 0 && t < o->turn)
        g_string_append (previous, "/n");
      if (t < o->turn)
        g_string_append (previous, g_ptr_array_index (run->tasks, t));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "task");
  json_builder_add_string_value (builder, o->turn < run->tasks->len ? g_ptr_array_index (run->tasks, o->turn) : "");
  json_builder_set_member_name (builder, "previous_task");
  json_builder_add_string_value (builder, previous->str);

  json_builder_set_member_name (builder, "today_date");
  json_builder_add_string_value (builder, today);
  json_builder_set_member_name (builder, "user_name");
  if (judge->user_first_name != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", judge->user_first_name, judge->user_last_name);
      json_builder_add_string_value (builder, name);
    }
  else
    json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "user_address");
  json_builder_add_string_value (builder, judge->user_address != NULL ? judge->user_address : "");
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return sigma_json_to_string (root, FALSE);
}

static void
record_soft_comparison (Turn        *turn,
                        AgentItem   *a,
                        OracleItem  *o,
                        const char  *arg_name,
                        const char  *expected,
                        const char  *actual,
                        gboolean     equal,
                        const char  *explanation,
                        const GError *error)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "oracle_event_id", sigma_completed_event_get_event_id (o->event));
  json_object_set_string_member (entry, "agent_event_id", sigma_completed_event_get_event_id (a->event));
  json_object_set_string_member (entry, "tool_name", o->tool_name);
  json_object_set_string_member (entry, "argument", arg_name);
  json_object_set_string_member (entry, "expected", expected);
  json_object_set_string_member (entry, "actual", actual);
  if (error != NULL)
    {
      json_object_set_null_member (entry, "equal");
      json_object_set_string_member (entry, "error", error->message);
    }
  else
    json_object_set_boolean_member (entry, "equal", equal);
  if (explanation != NULL)
    json_object_set_string_member (entry, "explanation", explanation);
  json_array_add_object_element (turn->soft_comparisons, entry);
}

/* SoftToolJudge.compare, with the soft judge in place of the LLM checkers. */
static gboolean
soft_stage (Turn                  *turn,
            AgentItem             *a,
            OracleItem            *o,
            const SigmaArgChecker *entry,
            guint                  n_entry,
            JsonObject            *agent_args,
            JsonObject            *oracle_args,
            gboolean              *ok,
            Rejection             *rej,
            GError               **error)
{
  Run *run = turn->run;
  static const SigmaSoftCheckerType default_checkers[] = { SIGMA_SOFT_CHECKER_CONTENT };
  const SigmaSoftCheckerType *checkers;
  guint n_checkers = 0;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autoptr(JsonObject) agent_kept = json_object_new ();
  g_autoptr(JsonObject) oracle_kept = json_object_new ();
  g_autofree char *context = NULL;
  gboolean all_equal = TRUE;

  *ok = TRUE;
  if (run->judge->scripted)
    return TRUE;

  /* the LLM arguments whose oracle value is truthy */
  for (guint i = 0; i < n_entry; i++)
    {
      const char *name = entry[i].arg_name;

      if (entry[i].type != SIGMA_CHECKER_LLM)
        continue;
      if (!json_object_has_member (oracle_args, name))
        return missing_key (name, error);
      if (sigma_py_truthy (json_object_get_member (oracle_args, name)))
        g_ptr_array_add (kept, (gpointer) name);
    }

  for (guint i = 0; i < kept->len; i++)
    {
      const char *name = g_ptr_array_index (kept, i);

      json_object_set_member (oracle_kept, name, json_node_copy (json_object_get_member (oracle_args, name)));
      if (json_object_has_member (agent_args, name))
        json_object_set_member (agent_kept, name, json_node_copy (json_object_get_member (agent_args, name)));
    }

  /* the normalised-equality shortcut: no soft judge needed */
  for (guint i = 0; i < kept->len; i++)
    {
      const char *name = g_ptr_array_index (kept, i);
      g_autofree char *na = NULL;
      g_autofree char *no = NULL;

      if (!json_object_has_member (agent_kept, name))
        return missing_key (name, error);
      na = sigma_normalize_arg (json_object_get_member (agent_kept, name));
      no = sigma_normalize_arg (json_object_get_member (oracle_kept, name));
      if (!g_str_equal (na, no))
        all_equal = FALSE;
    }
  if (all_equal)
    return TRUE;

  checkers = sigma_soft_checker_registry_lookup (o->tool_name, &n_checkers);
  if (checkers == NULL || n_checkers == 0)
    {
      checkers = default_checkers;
      n_checkers = G_N_ELEMENTS (default_checkers);
    }

  /* placeholder_checker: deterministic, and first in every list that has it */
  for (guint c = 0; c < n_checkers; c++)
    {
      g_autoptr(GString) joined = NULL;
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;
      const char *found = NULL;
      guint n = 0;

      if (checkers[c] != SIGMA_SOFT_CHECKER_PLACEHOLDER)
        continue;
      joined = g_string_new (NULL);
      json_object_iter_init_ordered (&iter, agent_kept);
      while (json_object_iter_next_ordered (&iter, &name, &value))
        {
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_TYPE,
                           "TypeError: sequence item %u: expected str instance, %s found",
                           n, sigma_py_type_name (value));
              return FALSE;
            }
          if (n++ > 0)
            g_string_append_c (joined, ' ');
          g_string_append (joined, json_node_get_string (value));
        }
      if (sigma_text_has_placeholder (joined->str, &found))
        {
          g_autofree char *quoted = sigma_py_repr_str (found);

          rej->check = "placeholder";
          rej->checker = "placeholder_checker";
          rej->detail = g_strdup_printf ("placeholder_checker: the agent's text contains the template "
                                         "placeholder %s", quoted);
          *ok = FALSE;
          return TRUE;
        }
    }

  context = soft_context (run, a, o, checkers, n_checkers, agent_kept, oracle_kept);

  for (guint i = 0; i < kept->len; i++)
    {
      const char *name = g_ptr_array_index (kept, i);
      JsonNode *av = json_object_get_member (agent_kept, name);
      JsonNode *ov = json_object_get_member (oracle_kept, name);
      g_autofree char *na = sigma_normalize_arg (av);
      g_autofree char *no = sigma_normalize_arg (ov);
      g_autofree char *actual = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *explanation = NULL;
      g_autoptr(GError) soft_error = NULL;
      gboolean equal = FALSE;

      if (g_str_equal (na, no))
        continue;

      actual = sigma_py_str (av);
      expected = sigma_py_str (ov);
      run->n_soft_calls++;
      if (!sigma_soft_judge_compare (run->judge->soft_judge, o->tool_name, name, expected, actual,
                                     context, &equal, &explanation, &soft_error))
        {
          record_soft_comparison (turn, a, o, name, expected, actual, FALSE, NULL, soft_error);
          rej->check = "soft";
          rej->argument = g_strdup (name);
          rej->checker = "llm_checker";
          rej->detail = g_strdup_printf ("argument '%s' (soft judge '%s'): no answer, which rejects: %s",
                                         name, sigma_soft_judge_get_name (run->judge->soft_judge),
                                         soft_error->message);
          *ok = FALSE;
          return TRUE;
        }
      record_soft_comparison (turn, a, o, name, expected, actual, equal, explanation, NULL);
      if (!equal)
        {
          rej->check = "soft";
          rej->argument = g_strdup (name);
          rej->checker = "llm_checker";
          rej->detail = g_strdup_printf ("argument '%s' (soft judge '%s'): %s", name,
                                         sigma_soft_judge_get_name (run->judge->soft_judge),
                                         explanation != NULL ? explanation : "the texts do not match");
          *ok = FALSE;
          return TRUE;
        }
    }
  return TRUE;
}

/* EventJudge + AgentEventJudge + MildToolJudge: whether agent event @a matches oracle event
 * @o. Returns FALSE with @error set where ARE raises. */
static gboolean
compare_events (Turn                  *turn,
                AgentItem             *a,
                OracleItem            *o,
                const SigmaArgChecker *entry,
                guint                  n_entry,
                JsonObject            *oracle_args,
                gboolean              *ok,
                Rejection             *rej,
                GError               **error)
{
  Run *run = turn->run;
  JsonObject *agent_args = sigma_completed_event_get_args (a->event);
  g_autoptr(JsonObject) empty = NULL;

  *ok = FALSE;

  /* get_judge_kwargs reads the agent match of every parent (topological order guarantees
   * them; ARE would raise a KeyError otherwise) */
  for (guint p = 0; p < o->parents->len; p++)
    {
      OracleItem *parent = g_ptr_array_index (o->parents, p);

      if (parent->matched < 0)
        return missing_key (sigma_completed_event_get_event_id (parent->event), error);
    }

  if (!g_str_equal (a->tool_name, o->tool_name))
    return TRUE;

  if (a->type != o->type)
    {
      rej->check = "event_type";
      rej->detail = g_strdup_printf ("event type: the agent event is %s, the oracle event %s",
                                     event_type_name (a->type), event_type_name (o->type));
      return TRUE;
    }

  if (!check_time (run, a, o, rej))
    return TRUE;

  if (agent_args == NULL)
    agent_args = empty = json_object_new ();

  /* hard checks, in the registry's order */
  for (guint i = 0; i < n_entry; i++)
    {
      const char *name = entry[i].arg_name;
      JsonNode *av, *ov;
      gboolean result = FALSE;

      if (!sigma_checker_type_is_hard (entry[i].type))
        continue;
      if (!json_object_has_member (agent_args, name) || !json_object_has_member (oracle_args, name))
        return missing_key (name, error);
      av = json_object_get_member (agent_args, name);
      ov = json_object_get_member (oracle_args, name);
      if (!sigma_arg_checker_run (entry[i].type, av, ov, (const char * const *) run->tolerance, NULL,
                                  &result, error))
        return FALSE;
      if (!result)
        {
          rej->check = "argument";
          rej->argument = g_strdup (name);
          rej->checker = sigma_checker_type_to_string (entry[i].type);
          rej->detail = checker_detail (name, rej->checker, av, ov);
          return TRUE;
        }
    }

  if (run->judge->scripted)
    {
      if (!run_scripted_checks (run, o, agent_args, oracle_args, ok, rej, error))
        return FALSE;
      if (!*ok)
        return TRUE;
    }

  return soft_stage (turn, a, o, entry, n_entry, agent_args, oracle_args, ok, rej, error);
}

/* ------------------------------------------------------------------------------------ */
/* One turn                                                                              */

static void
count_tools (GPtrArray  *names,         /* tool names, in order */
             GPtrArray  *order,         /* out: distinct names in first-seen order (borrowed) */
             GHashTable *counts,        /* out: name → count */
             guint      *smu)
{
  *smu = 0;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (g_str_equal (name, SMU_TOOL))
        {
          (*smu)++;
          continue;
        }
      if (!g_hash_table_contains (counts, name))
        g_ptr_array_add (order, (gpointer) name);
      g_hash_table_insert (counts, (gpointer) name,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
    }
}

static void
append_ids (GString    *out,
            GPtrArray  *items,
            gboolean    oracle,
            const char *tool_name)
{
  gboolean first = TRUE;

  for (guint i = 0; i < items->len; i++)
    {
      const char *name = oracle ? ((OracleItem *) g_ptr_array_index (items, i))->tool_name
                                : ((AgentItem *) g_ptr_array_index (items, i))->tool_name;
      SigmaCompletedEvent *event = oracle ? ((OracleItem *) g_ptr_array_index (items, i))->event
                                          : ((AgentItem *) g_ptr_array_index (items, i))->event;

      if (!g_str_equal (name, tool_name))
        continue;
      g_string_append (out, first ? "" : ", ");
      g_string_append (out, sigma_completed_event_get_event_id (event));
      first = FALSE;
    }
  if (first)
    g_string_append (out, "none");
}

static JsonObject *
counts_to_json (GPtrArray  *order,
                GHashTable *counts)
{
  JsonObject *obj = json_object_new ();

  for (guint i = 0; i < order->len; i++)
    json_object_set_int_member (obj, g_ptr_array_index (order, i),
                                GPOINTER_TO_UINT (g_hash_table_lookup (counts, g_ptr_array_index (order, i))));
  return obj;
}

/* GraphPerEventJudge.preliminary_checks; returns FALSE and fills the turn's failure when the
 * counts do not match. */
static gboolean
check_counts (Turn *turn)
{
  Run *run = turn->run;
  g_autoptr(GPtrArray) agent_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) oracle_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) agent_order = g_ptr_array_new ();
  g_autoptr(GPtrArray) oracle_order = g_ptr_array_new ();
  g_autoptr(GHashTable) agent_counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) oracle_counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) diff = g_ptr_array_new ();
  g_autoptr(GString) text = NULL;
  guint agent_smu, oracle_smu;
  gboolean counts_equal = TRUE;
  gboolean smu_ok;

  for (guint i = 0; i < turn->slice->len; i++)
    g_ptr_array_add (agent_names, ((AgentItem *) g_ptr_array_index (turn->slice, i))->tool_name);
  for (guint i = 0; i < turn->order->len; i++)
    g_ptr_array_add (oracle_names, ((OracleItem *) g_ptr_array_index (turn->order, i))->tool_name);
  count_tools (agent_names, agent_order, agent_counts, &agent_smu);
  count_tools (oracle_names, oracle_order, oracle_counts, &oracle_smu);

  /* Counter(agent) - Counter(oracle), then Counter(oracle) - Counter(agent) */
  for (guint i = 0; i < agent_order->len; i++)
    {
      const char *name = g_ptr_array_index (agent_order, i);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (agent_counts, name)) >
          GPOINTER_TO_UINT (g_hash_table_lookup (oracle_counts, name)))
        g_ptr_array_add (diff, (gpointer) name);
    }
  for (guint i = 0; i < oracle_order->len; i++)
    {
      const char *name = g_ptr_array_index (oracle_order, i);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (oracle_counts, name)) >
          GPOINTER_TO_UINT (g_hash_table_lookup (agent_counts, name)))
        g_ptr_array_add (diff, (gpointer) name);
    }
  counts_equal = diff->len == 0;
  smu_ok = oracle_smu <= agent_smu && agent_smu <= oracle_smu + run->judge->extra_smu_allowed;
  if (counts_equal && smu_ok)
    return TRUE;

  /* ToolCallCountsFailure.__str__ */
  text = g_string_new ("Failure: \n");
  {
    g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);

    if (!counts_equal)
      {
        GString *m = g_string_new ("Agent and oracle counters do not match for the following tools:\n");

        for (guint i = 0; i < diff->len; i++)
          {
            const char *name = g_ptr_array_index (diff, i);

            g_string_append_printf (m, "%s- Tool '%s': Agent count %u, Oracle count %u", i > 0 ? "\n" : "",
                                    name, GPOINTER_TO_UINT (g_hash_table_lookup (agent_counts, name)),
                                    GPOINTER_TO_UINT (g_hash_table_lookup (oracle_counts, name)));
          }
        g_ptr_array_add (messages, g_string_free (m, FALSE));
      }
    if (oracle_smu > agent_smu)
      g_ptr_array_add (messages, g_strdup_printf ("Oracle sent %u more message(s) than agent.",
                                                  oracle_smu - agent_smu));
    if (agent_smu > oracle_smu + run->judge->extra_smu_allowed)
      g_ptr_array_add (messages, g_strdup_printf ("Agent message to user count exceeds oracle AUI count "
                                                  "by more than %u.", run->judge->extra_smu_allowed));
    for (guint i = 0; i < messages->len; i++)
      {
        if (i > 0)
          g_string_append_c (text, '\n');
        g_string_append (text, g_ptr_array_index (messages, i));
      }
  }
  turn->are_rationale = g_string_free (g_steal_pointer (&text), FALSE);

  for (guint i = 0; i < diff->len; i++)
    {
      const char *name = g_ptr_array_index (diff, i);

      g_string_append_printf (turn->details, "- tool '%s': oracle events ", name);
      append_ids (turn->details, turn->order, TRUE, name);
      g_string_append (turn->details, "; agent events ");
      append_ids (turn->details, turn->slice, FALSE, name);
      g_string_append_c (turn->details, '\n');
    }
  if (!smu_ok)
    {
      g_string_append_printf (turn->details, "- tool '%s' (%u allowed beyond the oracle's): oracle events ",
                              SMU_TOOL, run->judge->extra_smu_allowed);
      append_ids (turn->details, turn->order, TRUE, SMU_TOOL);
      g_string_append (turn->details, "; agent events ");
      append_ids (turn->details, turn->slice, FALSE, SMU_TOOL);
      g_string_append_c (turn->details, '\n');
    }

  turn->failure = json_object_new ();
  json_object_set_string_member (turn->failure, "kind", "tool_call_counts");
  json_object_set_object_member (turn->failure, "agent_counts", counts_to_json (agent_order, agent_counts));
  json_object_set_object_member (turn->failure, "oracle_counts", counts_to_json (oracle_order, oracle_counts));
  json_object_set_int_member (turn->failure, "agent_send_message_to_user", agent_smu);
  json_object_set_int_member (turn->failure, "oracle_send_message_to_user", oracle_smu);
  json_object_set_int_member (turn->failure, "extra_send_message_to_user_allowed",
                              run->judge->extra_smu_allowed);
  return FALSE;
}

static void
record_match (Turn       *turn,
              OracleItem *o,
              guint       agent_index)
{
  AgentItem *a = g_ptr_array_index (turn->run->agent, agent_index);

  o->matched = (gint) agent_index;
  a->matched = (gint) o->index;
  sigma_verdict_add_match (turn->run->verdict, sigma_completed_event_get_event_id (a->event),
                           sigma_completed_event_get_event_id (o->event));
}

static gboolean
match_env_event (Turn       *turn,
                 OracleItem *o)
{
  const char *id = sigma_completed_event_get_event_id (o->event);

  for (guint i = 0; i < turn->slice->len; i++)
    {
      AgentItem *a = g_ptr_array_index (turn->slice, i);

      if (g_str_equal (a->tool_name, o->tool_name) && a->type == o->type &&
          g_str_equal (sigma_completed_event_get_event_id (a->event), id))
        {
          guint index = 0;

          g_ptr_array_find (turn->run->agent, a, &index);
          record_match (turn, o, index);
          return TRUE;
        }
    }

  turn->are_rationale = g_strdup_printf ("Failure: Oracle env/user event %s could not be matched. "
                                         "This is likely a bug !", id);
  g_string_append_printf (turn->details,
                          "- oracle %s event %s (%s): the agent run logged no successful %s event with "
                          "this id and tool in this turn\n",
                          event_type_name (o->type), id, o->tool_name, event_type_name (o->type));
  turn->failure = json_object_new ();
  json_object_set_string_member (turn->failure, "kind", "env_oracle_matching");
  json_object_set_string_member (turn->failure, "oracle_event_id", id);
  json_object_set_string_member (turn->failure, "tool_name", o->tool_name);
  return FALSE;
}

static const char *
reason_name (Reason reason)
{
  switch (reason)
    {
    case REASON_CAUSALITY:
      return "causality";
    case REASON_ALREADY_MATCHED:
      return "already matched";
    case REASON_TOOL_JUDGE_REJECT:
    default:
      return "tool judge reject";
    }
}

static void
add_attempt (GPtrArray  *attempts,
             guint       agent_index,
             Reason      reason,
             const char *check,
             const char *argument,
             const char *checker,
             char       *detail)       /* takes */
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->agent_index = agent_index;
  attempt->reason = reason;
  attempt->check = g_strdup (check);
  attempt->argument = g_strdup (argument);
  attempt->checker = g_strdup (checker);
  attempt->detail = detail;
  g_ptr_array_add (attempts, attempt);
}

static void
report_unmatched (Turn       *turn,
                  OracleItem *o,
                  JsonObject *oracle_args,
                  GPtrArray  *attempts)
{
  Run *run = turn->run;
  const char *oid = sigma_completed_event_get_event_id (o->event);
  g_autoptr(GString) text = g_string_new ("Failure: Agent did not perform the following oracle tool call:");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  JsonObject *args_json = json_object_new ();
  JsonArray *attempts_json = json_array_new ();
  gboolean first = TRUE;

  /* OracleEventMatchingFailure.__str__ */
  g_string_append_printf (text, "\ntool name: %s\ntool args:\n", o->tool_name);
  json_object_iter_init_ordered (&iter, oracle_args);
  while (json_object_iter_next_ordered (&iter, &name, &value))
    {
      g_autofree char *v = sigma_py_str (value);
      g_autofree char *line = NULL;

      if (g_str_equal (name, "self"))
        continue;
      json_object_set_string_member (args_json, name, v);
      line = g_strdup_printf ("-%s: %s", name, v);
      if (!first)
        g_string_append_c (text, '\n');
      first = FALSE;
      if (g_utf8_strlen (line, -1) > ARG_LINE_LIMIT)
        {
          g_autofree char *head = g_utf8_substring (line, 0, ARG_LINE_LIMIT);
          g_string_append (text, head);
          g_string_append (text, "...");
        }
      else
        g_string_append (text, line);
    }
  g_string_append (text, "\n\nList of matching attempts:\n");

  g_string_append_printf (turn->details, "- oracle event %s (%s) was not matched by any agent event\n",
                          oid, o->tool_name);
  for (guint i = 0; i < attempts->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (attempts, i);
      AgentItem *a = g_ptr_array_index (run->agent, attempt->agent_index);
      const char *aid = sigma_completed_event_get_event_id (a->event);
      JsonObject *entry = json_object_new ();

      g_string_append_printf (text, "%s-Failure matching agent event (ID: %s) with oracle event (ID: %s), reason: %s",
                              i > 0 ? "\n" : "", aid, oid, reason_name (attempt->reason));
      g_string_append_printf (turn->details, "- agent event %s (%s) vs oracle event %s: %s\n",
                              aid, a->tool_name, oid, attempt->detail);

      json_object_set_string_member (entry, "agent_event_id", aid);
      json_object_set_string_member (entry, "agent_tool_name", a->tool_name);
      json_object_set_string_member (entry, "reason", reason_name (attempt->reason));
      json_object_set_string_member (entry, "check", attempt->check);
      if (attempt->argument != NULL)
        json_object_set_string_member (entry, "argument", attempt->argument);
      else
        json_object_set_null_member (entry, "argument");
      if (attempt->checker != NULL)
        json_object_set_string_member (entry, "checker", attempt->checker);
      else
        json_object_set_null_member (entry, "checker");
      json_object_set_string_member (entry, "detail", attempt->detail);
      json_array_add_object_element (attempts_json, entry);
    }
  if (attempts->len == 0)
    g_string_append_printf (turn->details, "- no agent event of the judged turns calls %s\n", o->tool_name);

  turn->are_rationale = g_string_free (g_steal_pointer (&text), FALSE);
  turn->failure = json_object_new ();
  json_object_set_string_member (turn->failure, "kind", "oracle_event_matching");
  json_object_set_string_member (turn->failure, "oracle_event_id", oid);
  json_object_set_string_member (turn->failure, "tool_name", o->tool_name);
  json_object_set_object_member (turn->failure, "args", args_json);
  json_object_set_array_member (turn->failure, "attempts", attempts_json);
}

/* GraphPerEventJudge._match_agent_oracle_event. Returns FALSE with @error set where ARE
 * raises; otherwise sets @matched. */
static gboolean
match_agent_event (Turn        *turn,
                   OracleItem  *o,
                   gboolean    *matched,
                   GError     **error)
{
  Run *run = turn->run;
  const SigmaArgChecker *entry;
  guint n_entry = 0;
  g_autoptr(JsonObject) oracle_args = NULL;
  g_autoptr(GPtrArray) attempts = g_ptr_array_new_with_free_func (attempt_free);

  *matched = FALSE;
  entry = sigma_checker_registry_lookup (o->tool_name, &n_entry);
  if (entry == NULL)
    {
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                   "ValueError: Tool %s not supported (it is not in the checker registry)", o->tool_name);
      return FALSE;
    }

  oracle_args = resolved_oracle_args (run, o);

  for (guint i = 0; i < turn->judged_end; i++)
    {
      AgentItem *a = g_ptr_array_index (run->agent, i);
      Rejection rej = { NULL, NULL, NULL, NULL };
      gboolean ok = FALSE;

      if (a->matched >= 0)
        {
          OracleItem *other = g_ptr_array_index (run->oracle, a->matched);

          add_attempt (attempts, i, REASON_ALREADY_MATCHED, "already_matched", NULL, NULL,
                       g_strdup_printf ("already matched to oracle event %s",
                                        sigma_completed_event_get_event_id (other->event)));
          continue;
        }

      if (!compare_events (turn, a, o, entry, n_entry, oracle_args, &ok, &rej, error))
        {
          rejection_clear (&rej);
          return FALSE;
        }
      if (!ok && g_str_equal (a->tool_name, o->tool_name))
        add_attempt (attempts, i, REASON_TOOL_JUDGE_REJECT, rej.check, rej.argument, rej.checker,
                     g_steal_pointer (&rej.detail));
      rejection_clear (&rej);

      if (ok)
        for (guint p = 0; p < o->parents->len; p++)
          {
            OracleItem *parent = g_ptr_array_index (o->parents, p);
            const char *pid = sigma_completed_event_get_event_id (parent->event);
            char *detail;

            if (parent->matched >= 0 && (guint) parent->matched < i)
              continue;
            if (parent->matched < 0)
              detail = g_strdup_printf ("causality: the parent oracle event %s is not matched", pid);
            else
              detail = g_strdup_printf ("causality: the parent oracle event %s is matched to agent event "
                                        "%s, which does not come before this one", pid,
                                        sigma_completed_event_get_event_id (((AgentItem *) g_ptr_array_index (run->agent, parent->matched))->event));
            add_attempt (attempts, i, REASON_CAUSALITY, "causality", NULL, NULL, detail);
            ok = FALSE;
          }

      if (ok)
        {
          record_match (turn, o, i);
          *matched = TRUE;
          return TRUE;
        }
    }

  report_unmatched (turn, o, oracle_args, attempts);
  return TRUE;
}

static JsonObject *
turn_json (Turn *turn)
{
  Run *run = turn->run;
  JsonObject *obj = json_object_new ();
  JsonArray *agent = json_array_new ();
  JsonArray *oracle = json_array_new ();

  for (guint i = 0; turn->slice != NULL && i < turn->slice->len; i++)
    {
      AgentItem *a = g_ptr_array_index (turn->slice, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "event_id", sigma_completed_event_get_event_id (a->event));
      json_object_set_string_member (entry, "tool_name", a->tool_name);
      json_object_set_string_member (entry, "event_type", event_type_name (a->type));
      json_object_set_double_member (entry, "time", sigma_completed_event_get_event_time (a->event));
      if (a->matched >= 0)
        json_object_set_string_member (entry, "matched_oracle_event_id",
                                       sigma_completed_event_get_event_id (((OracleItem *) g_ptr_array_index (run->oracle, a->matched))->event));
      else
        json_object_set_null_member (entry, "matched_oracle_event_id");
      json_array_add_object_element (agent, entry);
    }

  for (guint i = 0; turn->order != NULL && i < turn->order->len; i++)
    {
      OracleItem *o = g_ptr_array_index (turn->order, i);
      JsonObject *entry = json_object_new ();
      JsonArray *parents = json_array_new ();

      json_object_set_string_member (entry, "event_id", sigma_completed_event_get_event_id (o->event));
      json_object_set_string_member (entry, "tool_name", o->tool_name);
      json_object_set_string_member (entry, "event_type", event_type_name (o->type));
      json_object_set_double_member (entry, "time", sigma_completed_event_get_event_time (o->event));
      json_object_set_string_member (entry, "time_comparator", comparator_name (o->comparator));
      for (guint p = 0; p < o->parents->len; p++)
        json_array_add_string_element (parents, sigma_completed_event_get_event_id (((OracleItem *) g_ptr_array_index (o->parents, p))->event));
      json_object_set_array_member (entry, "parents", parents);
      if (o->matched >= 0)
        json_object_set_string_member (entry, "matched_agent_event_id",
                                       sigma_completed_event_get_event_id (((AgentItem *) g_ptr_array_index (run->agent, o->matched))->event));
      else
        json_object_set_null_member (entry, "matched_agent_event_id");
      json_array_add_object_element (oracle, entry);
    }

  json_object_set_string_member (obj, "task", turn->turn < run->tasks->len ? g_ptr_array_index (run->tasks, turn->turn) : "");
  json_object_set_array_member (obj, "agent_events", agent);
  json_object_set_array_member (obj, "oracle_events", oracle);
  if (turn->failure != NULL)
    json_object_set_object_member (obj, "failure", json_object_ref (turn->failure));
  else
    json_object_set_null_member (obj, "failure");
  json_object_set_array_member (obj, "soft_comparisons", json_array_ref (turn->soft_comparisons));
  return obj;
}

static SigmaVerdictTurnStatus
judge_turn (Turn    *turn,
            GError **error)
{
  Run *run = turn->run;

  /* extract_agent_events: the slice of this turn; "ALL agent events judged so far" are the
   * slices up to this one */
  if (turn->turn > run->agent_counter)
    {
      g_set_error (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE,
                   "AssertionError: Invalid turn index %u (max %u): the agent sent only %u "
                   "message(s) to the user", turn->turn, run->agent_counter, run->agent_counter);
      return SIGMA_VERDICT_TURN_EXCEPTION;
    }
  turn->slice = g_ptr_array_new ();
  turn->judged_end = 0;
  for (guint i = 0; i < run->agent->len; i++)
    {
      AgentItem *a = g_ptr_array_index (run->agent, i);

      if (a->slice > turn->turn)
        break;
      turn->judged_end = i + 1;
      if (a->slice == turn->turn)
        g_ptr_array_add (turn->slice, a);
    }

  turn->order = topological_order (run, turn->turn);
  if (turn->order == NULL)
    {
      g_set_error_literal (error, SIGMA_PY_ERROR, SIGMA_PY_ERROR_VALUE, "ValueError: Graph contains a cycle");
      return SIGMA_VERDICT_TURN_EXCEPTION;
    }

  if (!check_counts (turn))
    return SIGMA_VERDICT_TURN_FAILED;

  for (guint i = 0; i < turn->order->len; i++)
    {
      OracleItem *o = g_ptr_array_index (turn->order, i);
      gboolean matched = FALSE;

      if (o->type == SIGMA_EVENT_TYPE_ENV || o->type == SIGMA_EVENT_TYPE_USER)
        matched = match_env_event (turn, o);
      else if (!match_agent_event (turn, o, &matched, error))
        return SIGMA_VERDICT_TURN_EXCEPTION;
      if (!matched)
        return SIGMA_VERDICT_TURN_FAILED;
    }
  return SIGMA_VERDICT_TURN_PASSED;
}

static JsonObject *
config_json (Run *run)
{
  SigmaJudge *judge = run->judge;
  JsonObject *config = json_object_new ();

  json_object_set_double_member (config, "start_time", run->start_time);
  json_object_set_double_member (config, "check_time_threshold_seconds", judge->check_time_threshold);
  json_object_set_double_member (config, "pre_event_tolerance_seconds", judge->pre_event_tolerance);
  json_object_set_double_member (config, "post_event_tolerance_seconds", judge->post_event_tolerance);
  json_object_set_int_member (config, "extra_send_message_to_user_allowed", judge->extra_smu_allowed);
  json_object_set_boolean_member (config, "scripted", judge->scripted);
  if (judge->user_first_name != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", judge->user_first_name, judge->user_last_name);
      json_object_set_string_member (config, "user_name", name);
    }
  else
    json_object_set_null_member (config, "user_name");
  return config;
}

/**
 * sigma_judge_judge:
 * @self: a #SigmaJudge
 * @oracle_log: the log of the scenario's oracle run
 * @agent_log: the log of the agent's run of the same scenario
 * @error: return location for a #GError
 *
 * Judges @agent_log against @oracle_log, every turn in order, stopping at the first turn
 * that fails (ARE's offline judge).
 *
 * A failure to judge that ARE reports as the verdict "Exception" (an oracle tool missing
 * from the checker registry, an unparsable datetime argument, a missing argument, a turn the
 * agent never reached because it sent too few messages to the user) gives a verdict that
 * failed, with sigma_verdict_get_exception() set. @error is only for logs that cannot be
 * judged at all, %SIGMA_ERROR_INVALID_DATA: an oracle log whose events carry no source
 * events (not an oracle run), that holds no oracle event (ARE does not judge such a
 * scenario), or in which an event failed (ARE rejects the scenario).
 *
 * Free-text arguments whose normalised texts differ go to the #SigmaJudge:soft-judge. Its
 * `context` argument is a JSON object with `tool_name`, `oracle_event_id`,
 * `agent_event_id`, `soft_checkers` (ARE's checkers for the tool, such as
 * "signature_checker", "tone_checker", "email_checker"), `agent_args` and `oracle_args` (the
 * free-text arguments), `tasks`, `task`, `previous_task`, `today_date`, `user_name` and
 * `user_address`.
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set
 *
 * Since: 0.1
 */
SigmaVerdict *
sigma_judge_judge (SigmaJudge     *self,
                   SigmaEventLog  *oracle_log,
                   SigmaEventLog  *agent_log,
                   GError        **error)
{
  Run run = { 0 };
  SigmaVerdict *verdict = NULL;
  gboolean stop = FALSE;

  g_return_val_if_fail (SIGMA_IS_JUDGE (self), NULL);
  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (oracle_log), NULL);
  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (agent_log), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  run.judge = self;
  run.agent = g_ptr_array_new_with_free_func (agent_item_free);
  run.oracle = g_ptr_array_new_with_free_func (oracle_item_free);
  run.start_time = self->start_time >= 0 ? self->start_time : infer_start_time (oracle_log);
  if (self->user_first_name != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", self->user_first_name, self->user_last_name);
      char *list[2] = { name, NULL };

      run.tolerance = g_strdupv (list);
    }
  else
    run.tolerance = g_new0 (char *, 1);

  if (!prepare_oracle (&run, oracle_log, error))
    goto out;
  prepare_agent (&run, agent_log);

  run.verdict = sigma_verdict_new_internal (sigma_soft_judge_get_name (self->soft_judge), run.n_turns);
  sigma_verdict_set_config (run.verdict, config_json (&run));

  for (guint t = 0; t < run.n_turns; t++)
    {
      Turn turn = { 0 };
      g_autoptr(GError) exception = NULL;
      SigmaVerdictTurnStatus status;

      if (stop)
        {
          turn.run = &run;
          turn.turn = t;
          turn.soft_comparisons = json_array_new ();
          sigma_verdict_set_turn (run.verdict, t, SIGMA_VERDICT_TURN_NOT_JUDGED, NULL, NULL, NULL,
                                  turn_json (&turn));
          json_array_unref (turn.soft_comparisons);
          continue;
        }

      turn.run = &run;
      turn.turn = t;
      turn.soft_comparisons = json_array_new ();
      turn.details = g_string_new (NULL);

      status = judge_turn (&turn, &exception);
      if (status == SIGMA_VERDICT_TURN_EXCEPTION)
        {
          g_clear_pointer (&turn.are_rationale, g_free);
          turn.are_rationale = g_strdup ("Exception");
          g_string_assign (turn.details, exception->message);
          g_clear_pointer (&turn.failure, json_object_unref);
          turn.failure = json_object_new ();
          json_object_set_string_member (turn.failure, "kind", "exception");
          json_object_set_string_member (turn.failure, "message", exception->message);
        }
      if (turn.details->len > 0 && turn.details->str[turn.details->len - 1] == '\n')
        g_string_truncate (turn.details, turn.details->len - 1);

      sigma_verdict_set_turn (run.verdict, t, status,
                              status == SIGMA_VERDICT_TURN_PASSED ? NULL : turn.are_rationale,
                              turn.details->str,
                              exception != NULL ? exception->message : NULL,
                              turn_json (&turn));
      stop = status != SIGMA_VERDICT_TURN_PASSED;

      g_clear_pointer (&turn.slice, g_ptr_array_unref);
      g_clear_pointer (&turn.order, g_ptr_array_unref);
      g_clear_pointer (&turn.soft_comparisons, json_array_unref);
      g_string_free (turn.details, TRUE);
      g_free (turn.are_rationale);
      g_clear_pointer (&turn.failure, json_object_unref);
    }

  sigma_verdict_set_soft_calls (run.verdict, run.n_soft_calls);
  sigma_verdict_finish (run.verdict);
  verdict = g_steal_pointer (&run.verdict);

out:
  g_clear_object (&run.verdict);
  g_ptr_array_unref (run.agent);
  g_ptr_array_unref (run.oracle);
  g_clear_pointer (&run.tasks, g_ptr_array_unref);
  g_strfreev (run.tolerance);
  return verdict;
}
