/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sigma-types.h"
#include "sigma-agent.h"

G_BEGIN_DECLS

/**
 * SIGMA_LLM_ERROR:
 *
 * The error domain of the LLM client. Errors of this domain are infrastructure errors: a
 * run that meets one ends with the status %SIGMA_RUN_STATUS_ERROR, not as a failure.
 */
#define SIGMA_LLM_ERROR (sigma_llm_error_quark ())

/**
 * SigmaLlmError:
 * @SIGMA_LLM_ERROR_FAILED: a failure without a more specific code
 * @SIGMA_LLM_ERROR_HTTP: the endpoint answered with an HTTP error status
 * @SIGMA_LLM_ERROR_TIMEOUT: the request took longer than the timeout
 * @SIGMA_LLM_ERROR_CONNECTION: the endpoint could not be reached
 * @SIGMA_LLM_ERROR_BAD_RESPONSE: the endpoint's answer is not a chat completion
 * @SIGMA_LLM_ERROR_RATE_LIMITED: the endpoint kept answering 429 until the retries ran out
 * @SIGMA_LLM_ERROR_BAD_ARGUMENTS: the arguments of a tool call are not a JSON object
 * @SIGMA_LLM_ERROR_CASSETTE: a record or replay file cannot be read or written
 * @SIGMA_LLM_ERROR_REPLAY_MISMATCH: a request differs from the recorded one, or was never
 *   recorded
 *
 * Error codes in the %SIGMA_LLM_ERROR domain.
 *
 * Since: 0.1
 */
typedef enum {
  SIGMA_LLM_ERROR_FAILED,
  SIGMA_LLM_ERROR_HTTP,
  SIGMA_LLM_ERROR_TIMEOUT,
  SIGMA_LLM_ERROR_CONNECTION,
  SIGMA_LLM_ERROR_BAD_RESPONSE,
  SIGMA_LLM_ERROR_RATE_LIMITED,
  SIGMA_LLM_ERROR_BAD_ARGUMENTS,
  SIGMA_LLM_ERROR_CASSETTE,
  SIGMA_LLM_ERROR_REPLAY_MISMATCH,
} SigmaLlmError;

SIGMA_AVAILABLE_IN_ALL
GQuark sigma_llm_error_quark (void);

typedef struct _SigmaLlmReply SigmaLlmReply;

#define SIGMA_TYPE_LLM_REPLY (sigma_llm_reply_get_type ())

SIGMA_AVAILABLE_IN_ALL
GType             sigma_llm_reply_get_type                (void) G_GNUC_CONST;
SIGMA_AVAILABLE_IN_ALL
SigmaLlmReply    *sigma_llm_reply_ref                     (SigmaLlmReply  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_llm_reply_unref                   (SigmaLlmReply  *self);
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_llm_reply_get_content             (SigmaLlmReply  *self);
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_llm_reply_get_finish_reason       (SigmaLlmReply  *self);
SIGMA_AVAILABLE_IN_ALL
JsonObject       *sigma_llm_reply_get_message             (SigmaLlmReply  *self);
SIGMA_AVAILABLE_IN_ALL
guint             sigma_llm_reply_get_n_tool_calls        (SigmaLlmReply  *self);
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_llm_reply_get_tool_call_id        (SigmaLlmReply  *self,
                                                           guint           index);
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_llm_reply_get_tool_call_name      (SigmaLlmReply  *self,
                                                           guint           index);
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_llm_reply_get_tool_call_arguments (SigmaLlmReply  *self,
                                                           guint           index);
SIGMA_AVAILABLE_IN_ALL
JsonObject       *sigma_llm_reply_parse_tool_call_arguments (SigmaLlmReply  *self,
                                                             guint           index,
                                                             GError        **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const SigmaUsage *sigma_llm_reply_get_usage               (SigmaLlmReply  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaLlmReply, sigma_llm_reply_unref)

#define SIGMA_TYPE_LLM_CLIENT (sigma_llm_client_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaLlmClient, sigma_llm_client, SIGMA, LLM_CLIENT, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaLlmClient *sigma_llm_client_new                 (const char      *base_url,
                                                      const char      *model) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const char     *sigma_llm_client_get_base_url        (SigmaLlmClient  *self);
SIGMA_AVAILABLE_IN_ALL
const char     *sigma_llm_client_get_model           (SigmaLlmClient  *self);
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_set_api_key         (SigmaLlmClient  *self,
                                                      const char      *api_key);
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_set_timeout         (SigmaLlmClient  *self,
                                                      gdouble          seconds);
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_set_connect_timeout (SigmaLlmClient  *self,
                                                      gdouble          seconds);
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_set_max_retries     (SigmaLlmClient  *self,
                                                      guint            max_retries);
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_set_retry_delay     (SigmaLlmClient  *self,
                                                      gdouble          base_seconds,
                                                      gdouble          max_seconds);
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_set_seed            (SigmaLlmClient  *self,
                                                      guint64          seed);
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_set_price           (SigmaLlmClient  *self,
                                                      const char      *model,
                                                      gdouble          prompt_per_million,
                                                      gdouble          completion_per_million);
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_llm_client_get_price           (SigmaLlmClient  *self,
                                                      const char      *model,
                                                      gdouble         *prompt_per_million,
                                                      gdouble         *completion_per_million);
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_llm_client_load_prices         (SigmaLlmClient  *self,
                                                      const char      *path,
                                                      GError         **error);
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_llm_client_record_to           (SigmaLlmClient  *self,
                                                      const char      *path,
                                                      GError         **error);
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_llm_client_replay_from         (SigmaLlmClient  *self,
                                                      const char      *path,
                                                      GError         **error);
SIGMA_AVAILABLE_IN_ALL
SigmaLlmReply  *sigma_llm_client_chat                (SigmaLlmClient  *self,
                                                      JsonArray       *messages,
                                                      JsonArray       *tools,
                                                      const char      *tool_choice,
                                                      GCancellable    *cancellable,
                                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void            sigma_llm_client_get_usage           (SigmaLlmClient  *self,
                                                      SigmaUsage      *usage);

G_END_DECLS
