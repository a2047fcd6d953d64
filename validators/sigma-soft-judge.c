/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-error.h"
#include "sigma-soft-judge.h"
#include "sigma-arg-checkers.h"

/**
 * SigmaSoftJudge:
 *
 * Decides whether two free-text values of a tool argument mean the same thing: an email
 * body, a chat message, the reply to the user, a calendar title, a cab address. ARE asks an
 * LLM these questions (validation.md §2.9); Sigma asks a #SigmaSoftJudge, so a host can plug
 * in an LLM (from C, or from Python by implementing the interface) while the default,
 * #SigmaExactSoftJudge, keeps the verdict deterministic.
 *
 * #SigmaJudge calls the soft judge only after every hard check of a candidate passed, and
 * only for the free-text arguments whose oracle value is not empty and whose normalised
 * texts differ (ARE accepts equal normalised texts without asking the LLM). The @context of
 * sigma_soft_judge_compare() is a JSON object with what ARE's LLM checkers see; see
 * sigma_judge_judge().
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (SigmaSoftJudge, sigma_soft_judge, G_TYPE_OBJECT)

static void
sigma_soft_judge_default_init (SigmaSoftJudgeInterface *iface)
{
}

/**
 * sigma_soft_judge_get_name: (virtual get_name)
 * @self: a #SigmaSoftJudge
 *
 * A short name that verdicts record, such as "exact" or "llm:<model>".
 *
 * Returns: the name; the type name when the implementation gives none
 *
 * Since: 0.1
 */
const char *
sigma_soft_judge_get_name (SigmaSoftJudge *self)
{
  SigmaSoftJudgeInterface *iface;
  const char *name = NULL;

  g_return_val_if_fail (SIGMA_IS_SOFT_JUDGE (self), NULL);

  iface = SIGMA_SOFT_JUDGE_GET_IFACE (self);
  if (iface->get_name != NULL)
    name = iface->get_name (self);
  return name != NULL ? name : G_OBJECT_TYPE_NAME (self);
}

/**
 * sigma_soft_judge_compare: (virtual compare)
 * @self: a #SigmaSoftJudge
 * @tool_name: the tool, as the judge names it ("Emails__send_email")
 * @arg_name: the argument ("content")
 * @expected: the oracle's value, as Python's `str()` renders it
 * @actual: the agent's value, rendered the same way
 * @context: (nullable): a JSON object with the rest of what ARE's LLM checkers see: the
 *   tool's soft checkers, both calls' free-text arguments, the tasks, the user's name and
 *   address, today's date
 * @equal: (out): whether the agent's value is acceptable
 * @explanation: (out) (optional) (nullable) (transfer full): why it is not, when @equal is
 *   %FALSE; may be %NULL
 * @error: return location for a #GError
 *
 * Compares a free-text argument of an agent call with the oracle's.
 *
 * An error (an LLM engine that failed or abstained) makes the judge reject the candidate,
 * as ARE does.
 *
 * Returns: %TRUE if the comparison was made, %FALSE with @error set otherwise
 *
 * Since: 0.1
 */
gboolean
sigma_soft_judge_compare (SigmaSoftJudge  *self,
                          const char      *tool_name,
                          const char      *arg_name,
                          const char      *expected,
                          const char      *actual,
                          const char      *context,
                          gboolean        *equal,
                          char           **explanation,
                          GError         **error)
{
  SigmaSoftJudgeInterface *iface;
  g_autofree char *why = NULL;
  gboolean same = FALSE;

  g_return_val_if_fail (SIGMA_IS_SOFT_JUDGE (self), FALSE);
  g_return_val_if_fail (tool_name != NULL, FALSE);
  g_return_val_if_fail (arg_name != NULL, FALSE);
  g_return_val_if_fail (expected != NULL, FALSE);
  g_return_val_if_fail (actual != NULL, FALSE);
  g_return_val_if_fail (equal != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = SIGMA_SOFT_JUDGE_GET_IFACE (self);
  g_return_val_if_fail (iface->compare != NULL, FALSE);

  if (!iface->compare (self, tool_name, arg_name, expected, actual, context, &same, &why, error))
    return FALSE;

  *equal = same;
  if (explanation != NULL)
    *explanation = same ? NULL : g_steal_pointer (&why);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */

/**
 * SigmaExactSoftJudge:
 *
 * The deterministic #SigmaSoftJudge: both texts are normalised as ARE's `normalize_str`
 * does (lower case; Unicode NFD with the combining marks removed; the 32 ASCII punctuation
 * characters deleted; surrounding white space stripped) and must then be equal.
 *
 * It never consults a model, so a verdict that used it depends on nothing but the two logs:
 * an agent that words a message differently from the oracle fails. Its name is "exact".
 *
 * Since: 0.1
 */
struct _SigmaExactSoftJudge
{
  GObject parent_instance;
};

static void sigma_exact_soft_judge_iface_init (SigmaSoftJudgeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SigmaExactSoftJudge, sigma_exact_soft_judge, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_SOFT_JUDGE,
                                                      sigma_exact_soft_judge_iface_init))

static const char *
sigma_exact_soft_judge_get_name (SigmaSoftJudge *judge)
{
  return "exact";
}

static gboolean
sigma_exact_soft_judge_compare (SigmaSoftJudge  *judge,
                                const char      *tool_name,
                                const char      *arg_name,
                                const char      *expected,
                                const char      *actual,
                                const char      *context,
                                gboolean        *equal,
                                char           **explanation,
                                GError         **error)
{
  g_autofree char *norm_expected = sigma_normalize_str (expected);
  g_autofree char *norm_actual = sigma_normalize_str (actual);

  *equal = g_str_equal (norm_expected, norm_actual);
  if (!*equal)
    {
      g_autofree char *qa = sigma_py_repr_str (norm_actual);
      g_autofree char *qe = sigma_py_repr_str (norm_expected);

      *explanation = g_strdup_printf ("the normalised texts differ: agent %s, oracle %s", qa, qe);
    }
  return TRUE;
}

static void
sigma_exact_soft_judge_iface_init (SigmaSoftJudgeInterface *iface)
{
  iface->get_name = sigma_exact_soft_judge_get_name;
  iface->compare = sigma_exact_soft_judge_compare;
}

static void
sigma_exact_soft_judge_class_init (SigmaExactSoftJudgeClass *klass)
{
}

static void
sigma_exact_soft_judge_init (SigmaExactSoftJudge *self)
{
}

/**
 * sigma_exact_soft_judge_new:
 *
 * Creates the deterministic soft judge: normalised equality.
 *
 * Returns: (transfer full): a new #SigmaExactSoftJudge
 *
 * Since: 0.1
 */
SigmaSoftJudge *
sigma_exact_soft_judge_new (void)
{
  return g_object_new (SIGMA_TYPE_EXACT_SOFT_JUDGE, NULL);
}
