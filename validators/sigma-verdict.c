/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-verdict-private.h"
#include "sigma-utils.h"

/**
 * SigmaVerdict:
 *
 * The result of judging an agent run against an oracle run with #SigmaJudge.
 *
 * A verdict says whether the run passed and, turn by turn, which agent event matched which
 * oracle event. For a failure it keeps ARE's rationale text (sigma_verdict_get_are_rationale(),
 * byte for byte what ARE's judge reports) and Sigma's fuller explanation
 * (sigma_verdict_get_rationale()), which names the oracle event, the agent event and the
 * check or argument that failed. sigma_verdict_to_json() renders all of it.
 *
 * Turns are judged in order and judging stops at the first turn that fails, as ARE's
 * offline judge does; later turns are reported as not judged.
 *
 * Since: 0.1
 */

typedef struct
{
  SigmaVerdictTurnStatus  status;
  char                   *are_rationale;
  char                   *rationale;
  char                   *exception;
  JsonObject             *json;
} VerdictTurn;

struct _SigmaVerdict
{
  GObject      parent_instance;

  char        *soft_judge;
  guint        n_soft_calls;
  GArray      *turns;          /* VerdictTurn */
  GHashTable  *agent_to_oracle;
  GHashTable  *oracle_to_agent;
  GPtrArray   *match_order;    /* agent ids, in match order */
  JsonObject  *config;

  gboolean     passed;
  gint         failed_turn;
  const char  *rationale;      /* borrowed from the failed turn */
  const char  *are_rationale;
  const char  *exception;
};

G_DEFINE_FINAL_TYPE (SigmaVerdict, sigma_verdict, G_TYPE_OBJECT)

static void
verdict_turn_clear (gpointer data)
{
  VerdictTurn *turn = data;

  g_clear_pointer (&turn->are_rationale, g_free);
  g_clear_pointer (&turn->rationale, g_free);
  g_clear_pointer (&turn->exception, g_free);
  g_clear_pointer (&turn->json, json_object_unref);
}

static void
sigma_verdict_finalize (GObject *object)
{
  SigmaVerdict *self = SIGMA_VERDICT (object);

  g_clear_pointer (&self->soft_judge, g_free);
  g_clear_pointer (&self->turns, g_array_unref);
  g_clear_pointer (&self->agent_to_oracle, g_hash_table_unref);
  g_clear_pointer (&self->oracle_to_agent, g_hash_table_unref);
  g_clear_pointer (&self->match_order, g_ptr_array_unref);
  g_clear_pointer (&self->config, json_object_unref);

  G_OBJECT_CLASS (sigma_verdict_parent_class)->finalize (object);
}

static void
sigma_verdict_class_init (SigmaVerdictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_verdict_finalize;
}

static void
sigma_verdict_init (SigmaVerdict *self)
{
  self->turns = g_array_new (FALSE, TRUE, sizeof (VerdictTurn));
  g_array_set_clear_func (self->turns, verdict_turn_clear);
  self->agent_to_oracle = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->oracle_to_agent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->match_order = g_ptr_array_new_with_free_func (g_free);
  self->failed_turn = -1;
  self->are_rationale = "None";
}

/* ------------------------------------------------------------------------------------ */
/* Private construction                                                                  */

SigmaVerdict *
sigma_verdict_new_internal (const char *soft_judge_name,
                            guint       n_turns)
{
  SigmaVerdict *self = g_object_new (SIGMA_TYPE_VERDICT, NULL);

  self->soft_judge = g_strdup (soft_judge_name);
  g_array_set_size (self->turns, n_turns);
  return self;
}

void
sigma_verdict_set_turn (SigmaVerdict           *self,
                        guint                   turn,
                        SigmaVerdictTurnStatus  status,
                        const char             *are_rationale,
                        const char             *details,
                        const char             *exception,
                        JsonObject             *turn_json)
{
  VerdictTurn *t;

  g_return_if_fail (SIGMA_IS_VERDICT (self));
  g_return_if_fail (turn < self->turns->len);

  t = &g_array_index (self->turns, VerdictTurn, turn);
  verdict_turn_clear (t);
  t->status = status;
  t->are_rationale = g_strdup (are_rationale);
  t->exception = g_strdup (exception);
  t->json = turn_json;
  if (are_rationale != NULL && details != NULL && details[0] != '\0')
    t->rationale = g_strdup_printf ("%s\n\nDetails:\n%s", are_rationale, details);
  else
    t->rationale = g_strdup (are_rationale);
}

void
sigma_verdict_add_match (SigmaVerdict *self,
                         const char   *agent_event_id,
                         const char   *oracle_event_id)
{
  g_return_if_fail (SIGMA_IS_VERDICT (self));

  g_hash_table_replace (self->agent_to_oracle, g_strdup (agent_event_id), g_strdup (oracle_event_id));
  g_hash_table_replace (self->oracle_to_agent, g_strdup (oracle_event_id), g_strdup (agent_event_id));
  g_ptr_array_add (self->match_order, g_strdup (agent_event_id));
}

void
sigma_verdict_set_soft_calls (SigmaVerdict *self,
                              guint         n_calls)
{
  g_return_if_fail (SIGMA_IS_VERDICT (self));
  self->n_soft_calls = n_calls;
}

void
sigma_verdict_set_config (SigmaVerdict *self,
                          JsonObject   *config)
{
  g_return_if_fail (SIGMA_IS_VERDICT (self));
  g_clear_pointer (&self->config, json_object_unref);
  self->config = config;
}

void
sigma_verdict_finish (SigmaVerdict *self)
{
  g_return_if_fail (SIGMA_IS_VERDICT (self));

  self->passed = self->turns->len > 0;
  for (guint i = 0; i < self->turns->len; i++)
    {
      VerdictTurn *t = &g_array_index (self->turns, VerdictTurn, i);

      if (t->status == SIGMA_VERDICT_TURN_PASSED)
        continue;
      self->passed = FALSE;
      if (t->status != SIGMA_VERDICT_TURN_NOT_JUDGED && self->failed_turn < 0)
        {
          self->failed_turn = (gint) i;
          self->rationale = t->rationale;
          self->are_rationale = t->are_rationale;
          self->exception = t->exception;
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                            */

/**
 * sigma_verdict_get_passed:
 * @self: a #SigmaVerdict
 *
 * Returns: whether every turn was judged and matched
 *
 * Since: 0.1
 */
gboolean
sigma_verdict_get_passed (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), FALSE);
  return self->passed;
}

/**
 * sigma_verdict_get_rationale:
 * @self: a #SigmaVerdict
 *
 * Why the run failed: ARE's rationale text (see sigma_verdict_get_are_rationale()) followed
 * by a "Details:" section that names, for each rejected candidate, the oracle event, the
 * agent event and the check or argument that failed.
 *
 * Returns: (nullable): the rationale of the failed turn, or %NULL when the run passed
 *
 * Since: 0.1
 */
const char *
sigma_verdict_get_rationale (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);
  return self->rationale;
}

/**
 * sigma_verdict_get_are_rationale:
 * @self: a #SigmaVerdict
 *
 * The rationale exactly as ARE's `GraphPerEventJudge` words it: a tool-count failure, an
 * unmatched oracle call with the list of matching attempts, an unmatched environment event,
 * or "Exception" when ARE's judge would have raised. On success it is the string "None", as
 * ARE's `str(None)`.
 *
 * Returns: ARE's rationale
 *
 * Since: 0.1
 */
const char *
sigma_verdict_get_are_rationale (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);
  return self->are_rationale;
}

/**
 * sigma_verdict_get_exception:
 * @self: a #SigmaVerdict
 *
 * When the failed turn could not be judged because ARE's judge would raise (a tool missing
 * from the checker registry, an unparsable datetime, a missing argument, a turn the agent
 * never reached), the error message.
 *
 * Returns: (nullable): the message, or %NULL
 *
 * Since: 0.1
 */
const char *
sigma_verdict_get_exception (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);
  return self->exception;
}

/**
 * sigma_verdict_get_failed_turn:
 * @self: a #SigmaVerdict
 *
 * Returns: the index of the turn that failed, or -1
 *
 * Since: 0.1
 */
gint
sigma_verdict_get_failed_turn (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), -1);
  return self->failed_turn;
}

/**
 * sigma_verdict_get_n_turns:
 * @self: a #SigmaVerdict
 *
 * Returns: the number of turns of the oracle
 *
 * Since: 0.1
 */
guint
sigma_verdict_get_n_turns (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), 0);
  return self->turns->len;
}

/**
 * sigma_verdict_get_turn_passed:
 * @self: a #SigmaVerdict
 * @turn: a turn index
 *
 * Returns: whether the turn was judged and every oracle event of it matched
 *
 * Since: 0.1
 */
gboolean
sigma_verdict_get_turn_passed (SigmaVerdict *self,
                               guint         turn)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), FALSE);
  g_return_val_if_fail (turn < self->turns->len, FALSE);

  return g_array_index (self->turns, VerdictTurn, turn).status == SIGMA_VERDICT_TURN_PASSED;
}

/**
 * sigma_verdict_get_turn_judged:
 * @self: a #SigmaVerdict
 * @turn: a turn index
 *
 * Returns: whether the turn was judged; turns after a failed one are not
 *
 * Since: 0.1
 */
gboolean
sigma_verdict_get_turn_judged (SigmaVerdict *self,
                               guint         turn)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), FALSE);
  g_return_val_if_fail (turn < self->turns->len, FALSE);

  return g_array_index (self->turns, VerdictTurn, turn).status != SIGMA_VERDICT_TURN_NOT_JUDGED;
}

/**
 * sigma_verdict_get_turn_rationale:
 * @self: a #SigmaVerdict
 * @turn: a turn index
 *
 * Returns: (nullable): the turn's rationale (see sigma_verdict_get_rationale()), or %NULL
 *   when it passed or was not judged
 *
 * Since: 0.1
 */
const char *
sigma_verdict_get_turn_rationale (SigmaVerdict *self,
                                  guint         turn)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);
  g_return_val_if_fail (turn < self->turns->len, NULL);

  return g_array_index (self->turns, VerdictTurn, turn).rationale;
}

/**
 * sigma_verdict_get_soft_judge:
 * @self: a #SigmaVerdict
 *
 * The name of the #SigmaSoftJudge that compared free-text arguments ("exact" for the
 * deterministic default), whether or not it was needed.
 *
 * Returns: the soft judge's name
 *
 * Since: 0.1
 */
const char *
sigma_verdict_get_soft_judge (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);
  return self->soft_judge;
}

/**
 * sigma_verdict_get_n_soft_calls:
 * @self: a #SigmaVerdict
 *
 * Returns: how many times the soft judge was asked to compare two texts
 *
 * Since: 0.1
 */
guint
sigma_verdict_get_n_soft_calls (SigmaVerdict *self)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), 0);
  return self->n_soft_calls;
}

/**
 * sigma_verdict_lookup_agent_event:
 * @self: a #SigmaVerdict
 * @oracle_event_id: the id of an oracle event (or of an environment or user event)
 *
 * Returns: (nullable): the id of the agent-run event matched to it, or %NULL
 *
 * Since: 0.1
 */
const char *
sigma_verdict_lookup_agent_event (SigmaVerdict *self,
                                  const char   *oracle_event_id)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);
  g_return_val_if_fail (oracle_event_id != NULL, NULL);

  return g_hash_table_lookup (self->oracle_to_agent, oracle_event_id);
}

/**
 * sigma_verdict_lookup_oracle_event:
 * @self: a #SigmaVerdict
 * @agent_event_id: the id of an event of the agent run
 *
 * Returns: (nullable): the id of the oracle event it matched, or %NULL; ARE renames matched
 *   agent events to this id
 *
 * Since: 0.1
 */
const char *
sigma_verdict_lookup_oracle_event (SigmaVerdict *self,
                                   const char   *agent_event_id)
{
  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);
  g_return_val_if_fail (agent_event_id != NULL, NULL);

  return g_hash_table_lookup (self->agent_to_oracle, agent_event_id);
}

static const char *
status_name (SigmaVerdictTurnStatus status)
{
  switch (status)
    {
    case SIGMA_VERDICT_TURN_PASSED:
      return "passed";
    case SIGMA_VERDICT_TURN_FAILED:
      return "failed";
    case SIGMA_VERDICT_TURN_EXCEPTION:
      return "exception";
    case SIGMA_VERDICT_TURN_NOT_JUDGED:
    default:
      return "not_judged";
    }
}

static void
set_nullable_string (JsonObject *obj,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, name, value);
  else
    json_object_set_null_member (obj, name);
}

static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = sigma_json_to_string (node, FALSE);

  return json_from_string (text, NULL);
}

/**
 * sigma_verdict_to_json:
 * @self: a #SigmaVerdict
 *
 * Renders the verdict as a JSON object:
 *
 * - `passed`, `rationale` (null on success), `are_rationale`, `exception`, `failed_turn`;
 * - `soft_judge`: `{"name", "calls"}`;
 * - `config`: the judge's constants (tolerances, threshold, start time, user);
 * - `turns`: per turn `{"turn", "status"` ("passed", "failed", "exception", "not_judged"),
 *   `"rationale", "agent_events", "oracle_events", "failure", "soft_comparisons"}`. Each
 *   oracle event lists its id, tool, type, parents and the agent event it matched. A failure
 *   has a `kind` ("tool_call_counts", "oracle_event_matching", "env_oracle_matching",
 *   "exception") and, for unmatched oracle calls, the matching `attempts` with the agent
 *   event, ARE's reason, the failed `check` and `argument`, and a `detail` sentence;
 * - `matches`: `{agent event id: oracle event id}`.
 *
 * Returns: (transfer full): the JSON object
 *
 * Since: 0.1
 */
JsonNode *
sigma_verdict_to_json (SigmaVerdict *self)
{
  JsonObject *root;
  JsonObject *soft;
  JsonArray *turns;
  JsonObject *matches;
  JsonNode *node;

  g_return_val_if_fail (SIGMA_IS_VERDICT (self), NULL);

  root = json_object_new ();
  json_object_set_boolean_member (root, "passed", self->passed);
  set_nullable_string (root, "rationale", self->rationale);
  json_object_set_string_member (root, "are_rationale", self->are_rationale);
  set_nullable_string (root, "exception", self->exception);
  if (self->failed_turn >= 0)
    json_object_set_int_member (root, "failed_turn", self->failed_turn);
  else
    json_object_set_null_member (root, "failed_turn");
  json_object_set_int_member (root, "n_turns", self->turns->len);

  soft = json_object_new ();
  json_object_set_string_member (soft, "name", self->soft_judge);
  json_object_set_int_member (soft, "calls", self->n_soft_calls);
  json_object_set_object_member (root, "soft_judge", soft);

  if (self->config != NULL)
    {
      JsonNode *config = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (config, self->config);
      json_object_set_member (root, "config", deep_copy (config));
      json_node_unref (config);
    }

  turns = json_array_new ();
  for (guint i = 0; i < self->turns->len; i++)
    {
      VerdictTurn *t = &g_array_index (self->turns, VerdictTurn, i);
      JsonObject *turn;

      if (t->json != NULL)
        {
          JsonNode *src = json_node_new (JSON_NODE_OBJECT);
          JsonNode *copy;

          json_node_set_object (src, t->json);
          copy = deep_copy (src);
          json_node_unref (src);
          turn = json_object_ref (json_node_get_object (copy));
          json_node_unref (copy);
        }
      else
        turn = json_object_new ();

      json_object_set_int_member (turn, "turn", i);
      json_object_set_string_member (turn, "status", status_name (t->status));
      set_nullable_string (turn, "rationale", t->rationale);
      set_nullable_string (turn, "are_rationale", t->are_rationale);
      json_array_add_object_element (turns, turn);
    }
  json_object_set_array_member (root, "turns", turns);

  matches = json_object_new ();
  for (guint i = 0; i < self->match_order->len; i++)
    {
      const char *agent_id = g_ptr_array_index (self->match_order, i);

      json_object_set_string_member (matches, agent_id,
                                     g_hash_table_lookup (self->agent_to_oracle, agent_id));
    }
  json_object_set_object_member (root, "matches", matches);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}
