/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-llm-soft-judge.h"
#include "sigma-llm-private.h"

/**
 * SigmaLlmSoftJudge:
 *
 * A #SigmaSoftJudge that asks a chat-completions model (#SigmaLlmClient) whether the
 * agent's value of a free-text argument carries what the oracle's value carries
 * (validation.md §2.9).
 *
 * One request per comparison: a system prompt that states the rules (compare meaning, not
 * wording; every fact of the reference must be there; extra facts are fine unless they
 * contradict; tone, greetings and formatting do not matter; the user's real address may
 * stand for "Home"; a signature must not be a placeholder), then the tool, the argument,
 * both values and the context the judge passes (the user's tasks, name, address and today's
 * date). The model must end its answer with `[[Success]]` or `[[Failure]]`.
 *
 * The answer is searched case-sensitively, the success token first
 * (sigma_llm_soft_judge_parse_answer()); an answer with neither token abstains, which is an
 * error, and the judge then rejects the candidate, as ARE does. Its name is `llm:MODEL`.
 *
 * Since: 0.1
 */
struct _SigmaLlmSoftJudge
{
  GObject         parent_instance;

  SigmaLlmClient *client;
  char           *name;
  GMutex          lock;
  SigmaUsage      usage;
};

static void sigma_llm_soft_judge_iface_init (SigmaSoftJudgeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SigmaLlmSoftJudge, sigma_llm_soft_judge, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGMA_TYPE_SOFT_JUDGE, sigma_llm_soft_judge_iface_init))

#define SUCCESS_TOKEN "[[Success]]"
#define FAILURE_TOKEN "[[Failure]]"

static const char system_prompt[] =
  "You check the work of an AI assistant that acted for a user through app tools. For one argument "
  "of one tool call you get the value the assistant wrote and a reference value known to be right. "
  "Decide whether the assistant's value is acceptable in place of the reference.\n"
  "Rules:\n"
  "- Compare meaning, not wording. Every fact of the reference (names, places, dates, times, "
  "amounts, items, counts, contact details, file names) must be present in the assistant's value "
  "and must not be contradicted.\n"
  "- Extra information is fine unless it contradicts the reference or the user's task.\n"
  "- Ignore tone, style, length, greetings, formatting and sign-offs, with one exception: a "
  "signature must be the user's name or absent; a placeholder such as [Your Name] or a made-up "
  "name fails.\n"
  "- A placeholder such as 'Home' may be replaced by the user's real address, and the other way "
  "round. Addresses may be formatted differently.\n"
  "- Never question the reference: it is right by definition.\n"
  "Explain your reasoning in one or two sentences, then end with " SUCCESS_TOKEN " if the value is "
  "acceptable or " FAILURE_TOKEN " if it is not.";

/**
 * sigma_llm_soft_judge_parse_answer:
 * @answer: a model's answer
 * @equal: (out): whether it accepts
 *
 * Reads a soft judge's verdict from an answer: `[[Success]]` anywhere accepts, otherwise
 * `[[Failure]]` anywhere rejects (both case-sensitive, as ARE's checkers).
 *
 * Returns: %FALSE when the answer holds neither token (the model abstained)
 *
 * Since: 0.1
 */
gboolean
sigma_llm_soft_judge_parse_answer (const char *answer,
                                   gboolean   *equal)
{
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (equal != NULL, FALSE);

  if (strstr (answer, SUCCESS_TOKEN) != NULL)
    {
      *equal = TRUE;
      return TRUE;
    }
  if (strstr (answer, FAILURE_TOKEN) != NULL)
    {
      *equal = FALSE;
      return TRUE;
    }
  return FALSE;
}

static const char *
sigma_llm_soft_judge_get_name (SigmaSoftJudge *judge)
{
  return SIGMA_LLM_SOFT_JUDGE (judge)->name;
}

static gboolean
sigma_llm_soft_judge_compare (SigmaSoftJudge  *judge,
                              const char      *tool_name,
                              const char      *arg_name,
                              const char      *expected,
                              const char      *actual,
                              const char      *context,
                              gboolean        *equal,
                              char           **explanation,
                              GError         **error)
{
  SigmaLlmSoftJudge *self = SIGMA_LLM_SOFT_JUDGE (judge);
  g_autoptr(JsonArray) messages = sigma_llm_conversation_new (system_prompt);
  g_autoptr(SigmaLlmReply) reply = NULL;
  g_autoptr(GString) prompt = g_string_new (NULL);
  const char *answer;

  g_string_append_printf (prompt, "Tool: %s\nArgument: %s\n\n", tool_name, arg_name);
  if (context != NULL && *context != '\0')
    g_string_append_printf (prompt, "Context (JSON): %s\n\n", context);
  g_string_append_printf (prompt, "Reference value:\n<<<\n%s\n>>>\n\nAssistant's value:\n<<<\n%s\n>>>\n",
                          expected, actual);

  sigma_llm_add_message (messages, "user", prompt->str);

  reply = sigma_llm_client_chat (self->client, messages, NULL, NULL, NULL, error);
  if (reply == NULL)
    return FALSE;
  g_mutex_lock (&self->lock);
  sigma_usage_add (&self->usage, sigma_llm_reply_get_usage (reply));
  g_mutex_unlock (&self->lock);

  answer = sigma_llm_reply_get_content (reply);
  if (answer == NULL || !sigma_llm_soft_judge_parse_answer (answer, equal))
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_RESPONSE,
                   "Soft judge %s abstained on %s.%s: the answer has neither " SUCCESS_TOKEN
                   " nor " FAILURE_TOKEN, self->name, tool_name, arg_name);
      return FALSE;
    }
  if (!*equal)
    *explanation = g_strdup_printf ("%s: %s", self->name, answer);
  return TRUE;
}

static void
sigma_llm_soft_judge_iface_init (SigmaSoftJudgeInterface *iface)
{
  iface->get_name = sigma_llm_soft_judge_get_name;
  iface->compare = sigma_llm_soft_judge_compare;
}

static void
sigma_llm_soft_judge_finalize (GObject *object)
{
  SigmaLlmSoftJudge *self = SIGMA_LLM_SOFT_JUDGE (object);

  g_clear_object (&self->client);
  g_free (self->name);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sigma_llm_soft_judge_parent_class)->finalize (object);
}

static void
sigma_llm_soft_judge_class_init (SigmaLlmSoftJudgeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_llm_soft_judge_finalize;
}

static void
sigma_llm_soft_judge_init (SigmaLlmSoftJudge *self)
{
  g_mutex_init (&self->lock);
}

/**
 * sigma_llm_soft_judge_new:
 * @client: the model client
 *
 * Returns: (transfer full): a new LLM soft judge
 *
 * Since: 0.1
 */
SigmaSoftJudge *
sigma_llm_soft_judge_new (SigmaLlmClient *client)
{
  SigmaLlmSoftJudge *self;

  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (client), NULL);

  self = g_object_new (SIGMA_TYPE_LLM_SOFT_JUDGE, NULL);
  self->client = g_object_ref (client);
  self->name = g_strdup_printf ("llm:%s", sigma_llm_client_get_model (client));
  return SIGMA_SOFT_JUDGE (self);
}

/**
 * sigma_llm_soft_judge_get_usage:
 * @self: a #SigmaLlmSoftJudge
 * @usage: (out caller-allocates): where to add the usage
 *
 * Adds what the judge's comparisons spent to @usage.
 */
void
sigma_llm_soft_judge_get_usage (SigmaLlmSoftJudge *self,
                                SigmaUsage        *usage)
{
  g_return_if_fail (SIGMA_IS_LLM_SOFT_JUDGE (self));
  g_return_if_fail (usage != NULL);
  g_mutex_lock (&self->lock);
  sigma_usage_add (usage, &self->usage);
  g_mutex_unlock (&self->lock);
}
