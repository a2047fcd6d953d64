/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "sigma-batch-stats.h"
#include "sigma-error.h"

/*
 * The statistics of a batch of runs: scenarios × k runs of one agent.
 *
 * Runs whose status is `error` (infrastructure: the endpoint was down, the scenario could
 * not be loaded) are counted apart and left out of every pass rate and of the mean score:
 * they say nothing about the agent.
 */

/**
 * sigma_pass_at_k:
 * @n: the number of judged runs of a scenario
 * @c: how many of them passed
 * @k: the number of attempts, at most @n
 *
 * The unbiased estimator of pass@k (Chen et al., 2021): the probability that at least one
 * of @k runs drawn without replacement from the @n judged ones passed,
 * `1 − C(n−c, k) / C(n, k)`. It is computed as the product `1 − ∏_{i=n−c+1}^{n} (1 − k/i)`,
 * which never forms the binomial coefficients.
 *
 * Returns: pass@k in [0, 1]
 *
 * Since: 0.1
 */
gdouble
sigma_pass_at_k (guint n,
                 guint c,
                 guint k)
{
  gdouble all_fail = 1.0;

  g_return_val_if_fail (c <= n, 0);
  g_return_val_if_fail (k >= 1 && k <= n, 0);

  if (n - c < k)
    return 1.0;
  for (guint i = n - c + 1; i <= n; i++)
    all_fail *= 1.0 - (gdouble) k / i;
  return 1.0 - all_fail;
}

/**
 * sigma_pass_hat_k:
 * @n: the number of judged runs of a scenario
 * @c: how many of them passed
 * @k: the number of attempts, at most @n
 *
 * The unbiased estimator of pass^k (Yao et al., τ-bench, 2024): the probability that all
 * of @k runs drawn without replacement from the @n judged ones passed, `C(c, k) / C(n, k)`,
 * computed as `∏_{i=0}^{k−1} (c − i) / (n − i)`.
 *
 * Returns: pass^k in [0, 1]
 *
 * Since: 0.1
 */
gdouble
sigma_pass_hat_k (guint n,
                  guint c,
                  guint k)
{
  gdouble all_pass = 1.0;

  g_return_val_if_fail (c <= n, 0);
  g_return_val_if_fail (k >= 1 && k <= n, 0);

  if (c < k)
    return 0.0;
  for (guint i = 0; i < k; i++)
    all_pass *= (gdouble) (c - i) / (n - i);
  return all_pass;
}

typedef struct {
  char  *key;          /* the source, or the scenario id */
  char  *scenario_id;
  guint  runs;
  guint  passed;
  guint  failed;
  guint  errors;
} ScenarioTally;

static void
scenario_tally_free (ScenarioTally *tally)
{
  g_free (tally->key);
  g_free (tally->scenario_id);
  g_free (tally);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
number_member (JsonObject *object,
               const char *name,
               gdouble    *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static void
add_rate (JsonBuilder *builder,
          const char  *name,
          gdouble      sum,
          guint        count)
{
  json_builder_set_member_name (builder, name);
  if (count > 0)
    json_builder_add_double_value (builder, sum / count);
  else
    json_builder_add_null_value (builder);
}

/**
 * sigma_batch_statistics:
 * @runs: the runs of a batch (a JSON array), as objects with at least `status`
 *   (`passed`, `failed` or `error`) and `scenario_id`; `source` (what the batch named the
 *   scenario by: a file or an id) groups runs when present; `score`, `wall_time` and
 *   `usage` (`prompt_tokens`, `completion_tokens`, `requests`, `cost`) are summed when present
 * @k: the k of pass@k and pass^k (the runs per scenario of the batch), 1 or more
 * @error: return location for a #GError
 *
 * Computes the statistics of a batch. Per scenario, with n judged (non-error) runs of which
 * c passed: pass@1 = c/n, pass@k = sigma_pass_at_k(), pass^k = sigma_pass_hat_k(). Each
 * is averaged over the scenarios where it is defined (n ≥ 1 for pass@1, n ≥ k for the
 * others); `scenarios_at_k` says how many that is. The mean score is over judged runs, with
 * its standard error s/√N (s the sample standard deviation; %NULL below two runs).
 * Errors are counted apart and left out of every rate.
 *
 * Returns: (transfer full) (nullable): `{"k", "runs", "passed", "failed", "errors",
 *   "scenarios", "scenarios_at_k", "pass_at_1", "pass_at_k", "pass_hat_k", "mean_score",
 *   "score_stderr", "wall_time", "usage": {…}, "per_scenario": [{"scenario_id", "source",
 *   "runs", "passed", "failed", "errors", "pass_rate", "verdict"}, …]}`, or %NULL with
 *   @error set (%SIGMA_ERROR_INVALID_DATA) naming the run that is malformed
 *
 * Since: 0.1
 */
JsonNode *
sigma_batch_statistics (JsonArray  *runs,
                        guint       k,
                        GError    **error)
{
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GPtrArray) tallies = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  guint n_runs, passed = 0, failed = 0, errors = 0, n_scores = 0;
  guint n_at_1 = 0, n_at_k = 0;
  gdouble score_sum = 0, score_sq = 0, wall = 0;
  gdouble sum_at_1 = 0, sum_at_k = 0, sum_hat_k = 0;
  gdouble prompt = 0, completion = 0, requests = 0, cost = 0;

  g_return_val_if_fail (runs != NULL, NULL);
  g_return_val_if_fail (k >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  by_key = g_hash_table_new (g_str_hash, g_str_equal);
  tallies = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_tally_free);
  n_runs = json_array_get_length (runs);
  for (guint i = 0; i < n_runs; i++)
    {
      JsonNode *node = json_array_get_element (runs, i);
      JsonObject *run, *usage;
      const char *status, *scenario_id, *key;
      ScenarioTally *tally;
      gdouble value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Run %u of the batch is not a JSON object", i);
          return NULL;
        }
      run = json_node_get_object (node);
      status = string_member (run, "status");
      scenario_id = string_member (run, "scenario_id");
      if (scenario_id == NULL)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Run %u of the batch has no scenario_id", i);
          return NULL;
        }
      if (status == NULL ||
          (!g_str_equal (status, "passed") && !g_str_equal (status, "failed") && !g_str_equal (status, "error")))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "Run %u of the batch (scenario %s) has status %s%s%s, not passed, failed or error",
                       i, scenario_id, status != NULL ? "'" : "", status != NULL ? status : "none",
                       status != NULL ? "'" : "");
          return NULL;
        }
      key = string_member (run, "source");
      if (key == NULL)
        key = scenario_id;
      tally = g_hash_table_lookup (by_key, key);
      if (tally == NULL)
        {
          tally = g_new0 (ScenarioTally, 1);
          tally->key = g_strdup (key);
          tally->scenario_id = g_strdup (scenario_id);
          g_ptr_array_add (tallies, tally);
          g_hash_table_insert (by_key, tally->key, tally);
        }
      tally->runs++;
      if (g_str_equal (status, "error"))
        {
          tally->errors++;
          errors++;
        }
      else
        {
          if (g_str_equal (status, "passed"))
            {
              tally->passed++;
              passed++;
            }
          else
            {
              tally->failed++;
              failed++;
            }
          if (number_member (run, "score", &value))
            {
              score_sum += value;
              score_sq += value * value;
              n_scores++;
            }
        }
      if (number_member (run, "wall_time", &value))
        wall += value;
      usage = json_object_get_member (run, "usage") != NULL &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (run, "usage"))
              ? json_object_get_object_member (run, "usage") : NULL;
      if (number_member (usage, "prompt_tokens", &value))
        prompt += value;
      if (number_member (usage, "completion_tokens", &value))
        completion += value;
      if (number_member (usage, "requests", &value))
        requests += value;
      if (number_member (usage, "cost", &value))
        cost += value;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "per_scenario");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tallies->len; i++)
    {
      ScenarioTally *tally = g_ptr_array_index (tallies, i);
      guint n = tally->passed + tally->failed;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scenario_id");
      json_builder_add_string_value (builder, tally->scenario_id);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, tally->key);
      json_builder_set_member_name (builder, "runs");
      json_builder_add_int_value (builder, tally->runs);
      json_builder_set_member_name (builder, "passed");
      json_builder_add_int_value (builder, tally->passed);
      json_builder_set_member_name (builder, "failed");
      json_builder_add_int_value (builder, tally->failed);
      json_builder_set_member_name (builder, "errors");
      json_builder_add_int_value (builder, tally->errors);
      add_rate (builder, "pass_rate", tally->passed, n);
      json_builder_set_member_name (builder, "verdict");
      json_builder_add_string_value (builder, n == 0 ? "error" :
                                              tally->passed == n ? "passed" :
                                              tally->passed == 0 ? "failed" : "mixed");
      json_builder_end_object (builder);

      if (n >= 1)
        {
          sum_at_1 += (gdouble) tally->passed / n;
          n_at_1++;
        }
      if (n >= k)
        {
          sum_at_k += sigma_pass_at_k (n, tally->passed, k);
          sum_hat_k += sigma_pass_hat_k (n, tally->passed, k);
          n_at_k++;
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "k");
  json_builder_add_int_value (builder, k);
  json_builder_set_member_name (builder, "runs");
  json_builder_add_int_value (builder, n_runs);
  json_builder_set_member_name (builder, "passed");
  json_builder_add_int_value (builder, passed);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, failed);
  json_builder_set_member_name (builder, "errors");
  json_builder_add_int_value (builder, errors);
  json_builder_set_member_name (builder, "scenarios");
  json_builder_add_int_value (builder, tallies->len);
  json_builder_set_member_name (builder, "scenarios_at_k");
  json_builder_add_int_value (builder, n_at_k);
  add_rate (builder, "pass_at_1", sum_at_1, n_at_1);
  add_rate (builder, "pass_at_k", sum_at_k, n_at_k);
  add_rate (builder, "pass_hat_k", sum_hat_k, n_at_k);
  add_rate (builder, "mean_score", score_sum, n_scores);
  json_builder_set_member_name (builder, "score_stderr");
  if (n_scores >= 2)
    {
      gdouble mean = score_sum / n_scores;
      gdouble var = MAX (0.0, (score_sq - n_scores * mean * mean) / (n_scores - 1));

      json_builder_add_double_value (builder, sqrt (var / n_scores));
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "wall_time");
  json_builder_add_double_value (builder, wall);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, (gint64) prompt);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, (gint64) completion);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, (gint64) requests);
  json_builder_set_member_name (builder, "cost");
  json_builder_add_double_value (builder, cost);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
