/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "sigma-llm-client.h"
#include "sigma-utils.h"
#include "sigma-version.h"

/**
 * sigma_llm_error_quark:
 *
 * The quark of the %SIGMA_LLM_ERROR domain.
 *
 * Returns: the error quark
 */
G_DEFINE_QUARK (sigma-llm-error-quark, sigma_llm_error)

/* ------------------------------------------------------------------------------------ */
/* Replies                                                                              */

/**
 * SigmaLlmReply:
 *
 * One answer of a chat-completions endpoint: the assistant message (its text and its tool
 * calls, each with an id, a function name and the arguments as the model wrote them), the
 * finish reason, and what the request cost.
 *
 * Since: 0.1
 */
struct _SigmaLlmReply
{
  grefcount   ref_count;
  JsonObject *message;        /* the assistant message, as history keeps it */
  char       *content;
  char       *finish_reason;
  GPtrArray  *call_ids;       /* char *, one per tool call */
  GPtrArray  *call_names;
  GPtrArray  *call_arguments;
  SigmaUsage  usage;
};

G_DEFINE_BOXED_TYPE (SigmaLlmReply, sigma_llm_reply, sigma_llm_reply_ref, sigma_llm_reply_unref)

/**
 * sigma_llm_reply_ref:
 * @self: a #SigmaLlmReply
 *
 * Returns: (transfer full): @self
 */
SigmaLlmReply *
sigma_llm_reply_ref (SigmaLlmReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * sigma_llm_reply_unref:
 * @self: (transfer full): a #SigmaLlmReply
 */
void
sigma_llm_reply_unref (SigmaLlmReply *self)
{
  g_return_if_fail (self != NULL);
  if (!g_ref_count_dec (&self->ref_count))
    return;
  json_object_unref (self->message);
  g_free (self->content);
  g_free (self->finish_reason);
  g_ptr_array_unref (self->call_ids);
  g_ptr_array_unref (self->call_names);
  g_ptr_array_unref (self->call_arguments);
  g_free (self);
}

/**
 * sigma_llm_reply_get_content:
 * @self: a #SigmaLlmReply
 *
 * Returns: (nullable): the text of the assistant message, or %NULL when it has none
 */
const char *
sigma_llm_reply_get_content (SigmaLlmReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->content;
}

/**
 * sigma_llm_reply_get_finish_reason:
 * @self: a #SigmaLlmReply
 *
 * Returns: (nullable): why the model stopped (`stop`, `tool_calls`, `length`, …)
 */
const char *
sigma_llm_reply_get_finish_reason (SigmaLlmReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->finish_reason;
}

/**
 * sigma_llm_reply_get_message:
 * @self: a #SigmaLlmReply
 *
 * The assistant message to append to a conversation: `role`, `content` and, when the model
 * called tools, `tool_calls` (each with its id; an id the endpoint left out is filled in).
 *
 * Returns: (transfer none): the message; do not modify it
 */
JsonObject *
sigma_llm_reply_get_message (SigmaLlmReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->message;
}

/**
 * sigma_llm_reply_get_n_tool_calls:
 * @self: a #SigmaLlmReply
 *
 * Returns: how many tools the model called, in order
 */
guint
sigma_llm_reply_get_n_tool_calls (SigmaLlmReply *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->call_ids->len;
}

/**
 * sigma_llm_reply_get_tool_call_id:
 * @self: a #SigmaLlmReply
 * @index: a tool call, less than sigma_llm_reply_get_n_tool_calls()
 *
 * Returns: the id of the call, which its tool result message must carry
 */
const char *
sigma_llm_reply_get_tool_call_id (SigmaLlmReply *self,
                                  guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->call_ids->len, NULL);
  return g_ptr_array_index (self->call_ids, index);
}

/**
 * sigma_llm_reply_get_tool_call_name:
 * @self: a #SigmaLlmReply
 * @index: a tool call, less than sigma_llm_reply_get_n_tool_calls()
 *
 * Returns: the function the model called
 */
const char *
sigma_llm_reply_get_tool_call_name (SigmaLlmReply *self,
                                    guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->call_names->len, NULL);
  return g_ptr_array_index (self->call_names, index);
}

/**
 * sigma_llm_reply_get_tool_call_arguments:
 * @self: a #SigmaLlmReply
 * @index: a tool call, less than sigma_llm_reply_get_n_tool_calls()
 *
 * Returns: the arguments of the call as the model wrote them: a JSON string, which may
 *   be malformed
 */
const char *
sigma_llm_reply_get_tool_call_arguments (SigmaLlmReply *self,
                                         guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->call_arguments->len, NULL);
  return g_ptr_array_index (self->call_arguments, index);
}

/**
 * sigma_llm_reply_parse_tool_call_arguments:
 * @self: a #SigmaLlmReply
 * @index: a tool call, less than sigma_llm_reply_get_n_tool_calls()
 * @error: return location for a #GError
 *
 * Parses the arguments of a tool call. An empty string is an empty object.
 *
 * Returns: (transfer full) (nullable): the arguments, or %NULL with @error set
 *   (%SIGMA_LLM_ERROR_BAD_ARGUMENTS) naming the call when they are not a JSON object
 */
JsonObject *
sigma_llm_reply_parse_tool_call_arguments (SigmaLlmReply  *self,
                                           guint           index,
                                           GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *text;
  JsonNode *root;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->call_arguments->len, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_ptr_array_index (self->call_arguments, index);
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return json_object_new ();
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_ARGUMENTS,
                   "The arguments of tool call %s (%s) are not valid JSON: %s",
                   (const char *) g_ptr_array_index (self->call_ids, index),
                   (const char *) g_ptr_array_index (self->call_names, index), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_ARGUMENTS,
                   "The arguments of tool call %s (%s) must be a JSON object, not %s",
                   (const char *) g_ptr_array_index (self->call_ids, index),
                   (const char *) g_ptr_array_index (self->call_names, index),
                   root != NULL ? json_node_type_name (root) : "nothing");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/**
 * sigma_llm_reply_get_usage:
 * @self: a #SigmaLlmReply
 *
 * Returns: (transfer none): the tokens, requests (retries included) and cost of the reply
 */
const SigmaUsage *
sigma_llm_reply_get_usage (SigmaLlmReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->usage;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static guint64
member_count (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return MAX (json_node_get_int (node), 0);
}

/* A chat completion → a reply; NULL with a message in *why when it is not one. */
static SigmaLlmReply *
reply_from_completion (JsonNode  *root,
                       char     **why)
{
  g_autoptr(SigmaLlmReply) reply = NULL;
  JsonObject *object, *choice, *message, *usage;
  JsonNode *choices, *calls;
  JsonArray *out_calls = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *why = g_strdup ("the body is not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  choices = json_object_get_member (object, "choices");
  if (choices == NULL || !JSON_NODE_HOLDS_ARRAY (choices) ||
      json_array_get_length (json_node_get_array (choices)) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (choices), 0)))
    {
      *why = g_strdup ("no choices[0]");
      return NULL;
    }
  choice = json_array_get_object_element (json_node_get_array (choices), 0);
  message = member_object (choice, "message");
  if (message == NULL)
    {
      *why = g_strdup ("choices[0] has no message object");
      return NULL;
    }

  reply = g_new0 (SigmaLlmReply, 1);
  g_ref_count_init (&reply->ref_count);
  reply->call_ids = g_ptr_array_new_with_free_func (g_free);
  reply->call_names = g_ptr_array_new_with_free_func (g_free);
  reply->call_arguments = g_ptr_array_new_with_free_func (g_free);
  reply->message = json_object_new ();
  reply->content = g_strdup (member_string (message, "content"));
  reply->finish_reason = g_strdup (member_string (choice, "finish_reason"));
  json_object_set_string_member (reply->message, "role", "assistant");
  if (reply->content != NULL)
    json_object_set_string_member (reply->message, "content", reply->content);
  else
    json_object_set_null_member (reply->message, "content");

  calls = json_object_get_member (message, "tool_calls");
  if (calls != NULL && !JSON_NODE_HOLDS_NULL (calls) && !JSON_NODE_HOLDS_ARRAY (calls))
    {
      *why = g_strdup ("tool_calls is not an array");
      return NULL;
    }
  for (guint i = 0; calls != NULL && JSON_NODE_HOLDS_ARRAY (calls) &&
       i < json_array_get_length (json_node_get_array (calls)); i++)
    {
      JsonNode *call_node = json_array_get_element (json_node_get_array (calls), i);
      JsonObject *call, *function, *out_call, *out_function;
      const char *id, *name, *arguments;

      call = call_node != NULL && JSON_NODE_HOLDS_OBJECT (call_node) ? json_node_get_object (call_node) : NULL;
      function = member_object (call, "function");
      name = member_string (function, "name");
      if (name == NULL)
        {
          *why = g_strdup_printf ("tool_calls[%u] has no function name", i);
          return NULL;
        }
      id = member_string (call, "id");
      arguments = member_string (function, "arguments");
      g_ptr_array_add (reply->call_ids, id != NULL ? g_strdup (id) : g_strdup_printf ("call_%u", i));
      g_ptr_array_add (reply->call_names, g_strdup (name));
      g_ptr_array_add (reply->call_arguments, g_strdup (arguments != NULL ? arguments : ""));

      if (out_calls == NULL)
        {
          out_calls = json_array_new ();
          json_object_set_array_member (reply->message, "tool_calls", out_calls);
        }
      out_call = json_object_new ();
      out_function = json_object_new ();
      json_object_set_string_member (out_call, "id", g_ptr_array_index (reply->call_ids, i));
      json_object_set_string_member (out_call, "type", "function");
      json_object_set_string_member (out_function, "name", name);
      json_object_set_string_member (out_function, "arguments", g_ptr_array_index (reply->call_arguments, i));
      json_object_set_object_member (out_call, "function", out_function);
      json_array_add_object_element (out_calls, out_call);
    }

  usage = member_object (object, "usage");
  reply->usage.prompt_tokens = member_count (usage, "prompt_tokens");
  reply->usage.completion_tokens = member_count (usage, "completion_tokens");
  return g_steal_pointer (&reply);
}

/* ------------------------------------------------------------------------------------ */
/* Canonical JSON, for the cassette                                                     */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A deep copy of @node with every object's members sorted by name. */
static JsonNode *
canonical_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(JsonObject) copy = json_object_new ();
      GList *members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, l->data);
      g_list_free (members);
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        json_object_set_member (copy, g_ptr_array_index (names, i),
                                canonical_node (json_object_get_member (object, g_ptr_array_index (names, i))));
      return json_node_init_object (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, canonical_node (json_array_get_element (array, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }
  return json_node_copy (node);
}

static char *
node_to_string (JsonNode *node)
{
  return sigma_json_to_string (node, FALSE);
}

/* The path of the first place where two JSON values differ, or NULL when they are equal. */
static char *
first_difference (JsonNode   *a,
                  JsonNode   *b,
                  const char *path)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return g_strdup (*path != '\0' ? path : "(the body)");
  if (JSON_NODE_HOLDS_OBJECT (a))
    {
      JsonObject *oa = json_node_get_object (a), *ob = json_node_get_object (b);
      GList *members = json_object_get_members (oa);
      char *found = NULL;

      for (GList *l = members; l != NULL && found == NULL; l = l->next)
        {
          g_autofree char *sub = *path != '\0' ? g_strdup_printf ("%s.%s", path, (char *) l->data)
                                               : g_strdup (l->data);

          if (!json_object_has_member (ob, l->data))
            found = g_steal_pointer (&sub);
          else
            found = first_difference (json_object_get_member (oa, l->data),
                                      json_object_get_member (ob, l->data), sub);
        }
      g_list_free (members);
      if (found == NULL && json_object_get_size (oa) != json_object_get_size (ob))
        {
          members = json_object_get_members (ob);
          for (GList *l = members; l != NULL && found == NULL; l = l->next)
            if (!json_object_has_member (oa, l->data))
              found = *path != '\0' ? g_strdup_printf ("%s.%s", path, (char *) l->data) : g_strdup (l->data);
          g_list_free (members);
        }
      return found;
    }
  if (JSON_NODE_HOLDS_ARRAY (a))
    {
      JsonArray *aa = json_node_get_array (a), *ab = json_node_get_array (b);
      guint n = MIN (json_array_get_length (aa), json_array_get_length (ab));

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
          char *found = first_difference (json_array_get_element (aa, i), json_array_get_element (ab, i), sub);

          if (found != NULL)
            return found;
        }
      if (json_array_get_length (aa) != json_array_get_length (ab))
        return g_strdup_printf ("%s[%u]", path, n);
      return NULL;
    }
  if (!json_node_equal (a, b))
    return g_strdup (*path != '\0' ? path : "(the body)");
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Prices                                                                               */

typedef struct {
  gdouble prompt;       /* USD per 1M tokens */
  gdouble completion;
} Price;

/* List prices in USD per million tokens as of 2026; they may be stale (doc/agents.md). */
static const struct {
  const char *model;
  Price       price;
} builtin_prices[] = {
  { "gpt-4o", { 2.50, 10.00 } },
  { "gpt-4o-mini", { 0.15, 0.60 } },
  { "gpt-4.1", { 2.00, 8.00 } },
  { "gpt-4.1-mini", { 0.40, 1.60 } },
  { "gpt-4.1-nano", { 0.10, 0.40 } },
  { "gpt-5", { 1.25, 10.00 } },
  { "gpt-5-mini", { 0.25, 2.00 } },
  { "gpt-5-nano", { 0.05, 0.40 } },
  { "o3", { 2.00, 8.00 } },
  { "o4-mini", { 1.10, 4.40 } },
  { "claude-sonnet-4", { 3.00, 15.00 } },
  { "claude-opus-4", { 15.00, 75.00 } },
  { "claude-haiku-4", { 1.00, 5.00 } },
  { "meta-llama/Meta-Llama-3.3-70B-Instruct", { 0.60, 0.60 } },
};

/* ------------------------------------------------------------------------------------ */
/* The client                                                                           */

/**
 * SigmaLlmClient:
 *
 * A client of an OpenAI-compatible chat-completions endpoint (`POST {base-url}/chat/completions`)
 * for agents, user simulators and soft judges.
 *
 * sigma_llm_client_chat() is synchronous and may be called from any thread: each call runs
 * its request on a main context of its own, so it never iterates the caller's. Requests
 * that fail with 429, a 5xx status or a connection error are retried with exponential
 * backoff (jitter from a seeded stream, a `Retry-After` header honoured) up to
 * #SigmaLlmClient:max-retries times; other errors are not retried. Every failure is a
 * %SIGMA_LLM_ERROR naming the endpoint and the status.
 *
 * A client can record every exchange to a cassette (sigma_llm_client_record_to()) and
 * answer from one without any network (sigma_llm_client_replay_from()), so that a run with
 * a model replays exactly. Token usage and its cost (from a per-model price table) add up
 * in the client and in each #SigmaLlmReply.
 *
 * Since: 0.1
 */
struct _SigmaLlmClient
{
  GObject        parent_instance;

  char          *base_url;
  char          *model;
  char          *api_key;
  gdouble        timeout;
  gdouble        connect_timeout;
  guint          max_retries;
  gdouble        retry_base;
  gdouble        retry_max;
  GRand         *rand;
  GHashTable    *prices;          /* model → Price */
  gboolean       warned_price;

  GMutex         lock;            /* cassette, usage, rand */
  char          *record_path;
  GOutputStream *record;
  char          *replay_path;
  GPtrArray     *replay;          /* JsonNode: {request, response} */
  guint          replay_next;
  SigmaUsage     usage;
};

G_DEFINE_FINAL_TYPE (SigmaLlmClient, sigma_llm_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_MODEL,
  PROP_TIMEOUT,
  PROP_MAX_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_BASE_URL "https://api.openai.com/v1"

static void
sigma_llm_client_finalize (GObject *object)
{
  SigmaLlmClient *self = SIGMA_LLM_CLIENT (object);

  g_free (self->base_url);
  g_free (self->model);
  g_free (self->api_key);
  g_rand_free (self->rand);
  g_hash_table_unref (self->prices);
  if (self->record != NULL)
    g_output_stream_close (self->record, NULL, NULL);
  g_clear_object (&self->record);
  g_free (self->record_path);
  g_free (self->replay_path);
  g_clear_pointer (&self->replay, g_ptr_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sigma_llm_client_parent_class)->finalize (object);
}

static void
sigma_llm_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SigmaLlmClient *self = SIGMA_LLM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_TIMEOUT:
      g_value_set_double (value, self->timeout);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_llm_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SigmaLlmClient *self = SIGMA_LLM_CLIENT (object);
  const char *text;

  switch (prop_id)
    {
    case PROP_BASE_URL:
      text = g_value_get_string (value);
      g_free (self->base_url);
      self->base_url = g_strdup (text != NULL ? text : DEFAULT_BASE_URL);
      /* no trailing slash: paths are appended */
      while (g_str_has_suffix (self->base_url, "/") && strlen (self->base_url) > 1)
        self->base_url[strlen (self->base_url) - 1] = '\0';
      break;
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      sigma_llm_client_set_timeout (self, g_value_get_double (value));
      break;
    case PROP_MAX_RETRIES:
      sigma_llm_client_set_max_retries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_llm_client_class_init (SigmaLlmClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_llm_client_finalize;
  object_class->get_property = sigma_llm_client_get_property;
  object_class->set_property = sigma_llm_client_set_property;

  /**
   * SigmaLlmClient:base-url:
   *
   * The endpoint's base URL; requests go to `{base-url}/chat/completions`.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, DEFAULT_BASE_URL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaLlmClient:model:
   *
   * The model every request names.
   */
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, "gpt-4o-mini",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaLlmClient:timeout:
   *
   * The most seconds one request may take, connection included.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_double ("timeout", NULL, NULL, 0.001, G_MAXDOUBLE, 120.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SigmaLlmClient:max-retries:
   *
   * How many times a request that failed with 429, a 5xx status or a connection error is
   * tried again.
   */
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, 100, 3,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_llm_client_init (SigmaLlmClient *self)
{
  self->timeout = 120.0;
  self->connect_timeout = 30.0;
  self->max_retries = 3;
  self->retry_base = 1.0;
  self->retry_max = 60.0;
  self->rand = g_rand_new_with_seed (0);
  self->prices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (builtin_prices); i++)
    g_hash_table_insert (self->prices, g_strdup (builtin_prices[i].model),
                         g_memdup2 (&builtin_prices[i].price, sizeof (Price)));
  g_mutex_init (&self->lock);
}

/**
 * sigma_llm_client_new:
 * @base_url: (nullable): the endpoint, such as `http://127.0.0.1:8000/v1`; %NULL for
 *   `https://api.openai.com/v1`
 * @model: the model name, such as `gpt-4o`
 *
 * Creates a client. It sends no `Authorization` header until sigma_llm_client_set_api_key()
 * gives it a key (the `sigma` command reads `SIGMA_LLM_API_KEY`, then `OPENAI_API_KEY`).
 *
 * Returns: (transfer full): a new client
 *
 * Since: 0.1
 */
SigmaLlmClient *
sigma_llm_client_new (const char *base_url,
                      const char *model)
{
  g_return_val_if_fail (model != NULL && *model != '\0', NULL);

  return g_object_new (SIGMA_TYPE_LLM_CLIENT, "base-url", base_url, "model", model, NULL);
}

/**
 * sigma_llm_client_get_base_url:
 * @self: a #SigmaLlmClient
 *
 * Returns: the base URL, without a trailing slash
 */
const char *
sigma_llm_client_get_base_url (SigmaLlmClient *self)
{
  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * sigma_llm_client_get_model:
 * @self: a #SigmaLlmClient
 *
 * Returns: the model name
 */
const char *
sigma_llm_client_get_model (SigmaLlmClient *self)
{
  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (self), NULL);
  return self->model;
}

/**
 * sigma_llm_client_set_api_key:
 * @self: a #SigmaLlmClient
 * @api_key: (nullable): the key sent as `Authorization: Bearer KEY`, or %NULL for none
 */
void
sigma_llm_client_set_api_key (SigmaLlmClient *self,
                              const char     *api_key)
{
  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_free (self->api_key);
  self->api_key = api_key != NULL && *api_key != '\0' ? g_strdup (api_key) : NULL;
}

/**
 * sigma_llm_client_set_timeout:
 * @self: a #SigmaLlmClient
 * @seconds: the most seconds one request (one try) may take, > 0; default 120
 */
void
sigma_llm_client_set_timeout (SigmaLlmClient *self,
                              gdouble         seconds)
{
  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_return_if_fail (seconds > 0 && isfinite (seconds));
  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * sigma_llm_client_set_connect_timeout:
 * @self: a #SigmaLlmClient
 * @seconds: the most seconds connecting (and each socket operation) may take, ≥ 1;
 *   default 30. The whole request is still bounded by #SigmaLlmClient:timeout.
 */
void
sigma_llm_client_set_connect_timeout (SigmaLlmClient *self,
                                      gdouble         seconds)
{
  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_return_if_fail (seconds >= 1 && isfinite (seconds));
  self->connect_timeout = seconds;
}

/**
 * sigma_llm_client_set_max_retries:
 * @self: a #SigmaLlmClient
 * @max_retries: how many times a retryable failure is tried again (default 3)
 */
void
sigma_llm_client_set_max_retries (SigmaLlmClient *self,
                                  guint           max_retries)
{
  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_return_if_fail (max_retries <= 100);
  if (self->max_retries == max_retries)
    return;
  self->max_retries = max_retries;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRIES]);
}

/**
 * sigma_llm_client_set_retry_delay:
 * @self: a #SigmaLlmClient
 * @base_seconds: the backoff before the first retry, ≥ 0 (default 1); it doubles with each
 *   retry, times a jitter factor in [0.5, 1)
 * @max_seconds: the longest wait before a retry, `Retry-After` included (default 60)
 */
void
sigma_llm_client_set_retry_delay (SigmaLlmClient *self,
                                  gdouble         base_seconds,
                                  gdouble         max_seconds)
{
  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_return_if_fail (base_seconds >= 0 && isfinite (base_seconds));
  g_return_if_fail (max_seconds >= base_seconds && isfinite (max_seconds));
  self->retry_base = base_seconds;
  self->retry_max = max_seconds;
}

/**
 * sigma_llm_client_set_seed:
 * @self: a #SigmaLlmClient
 * @seed: the seed of the backoff jitter stream
 */
void
sigma_llm_client_set_seed (SigmaLlmClient *self,
                           guint64         seed)
{
  guint32 words[2] = { (guint32) seed, (guint32) (seed >> 32) };

  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_mutex_lock (&self->lock);
  g_rand_set_seed_array (self->rand, words, 2);
  g_mutex_unlock (&self->lock);
}

/**
 * sigma_llm_client_set_price:
 * @self: a #SigmaLlmClient
 * @model: a model name; it also prices the dated versions it prefixes (`gpt-4o` prices
 *   `gpt-4o-2024-08-06`, unless a longer name matches)
 * @prompt_per_million: US dollars per million prompt tokens, ≥ 0
 * @completion_per_million: US dollars per million completion tokens, ≥ 0
 *
 * Sets or replaces a price in the client's table, which starts with list prices of a few
 * common models.
 */
void
sigma_llm_client_set_price (SigmaLlmClient *self,
                            const char     *model,
                            gdouble         prompt_per_million,
                            gdouble         completion_per_million)
{
  Price price = { prompt_per_million, completion_per_million };

  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (prompt_per_million >= 0 && completion_per_million >= 0);

  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->prices, g_strdup (model), g_memdup2 (&price, sizeof price));
  self->warned_price = FALSE;
  g_mutex_unlock (&self->lock);
}

static const Price *
lookup_price (SigmaLlmClient *self,
              const char     *model)
{
  const Price *best = g_hash_table_lookup (self->prices, model);
  gsize best_len = 0;
  GHashTableIter iter;
  gpointer key, value;

  if (best != NULL)
    return best;
  g_hash_table_iter_init (&iter, self->prices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gsize len = strlen (key);

      if (len > best_len && g_str_has_prefix (model, key) && model[len] == '-')
        {
          best = value;
          best_len = len;
        }
    }
  return best;
}

/**
 * sigma_llm_client_get_price:
 * @self: a #SigmaLlmClient
 * @model: a model name
 * @prompt_per_million: (out) (optional): US dollars per million prompt tokens
 * @completion_per_million: (out) (optional): US dollars per million completion tokens
 *
 * Returns: whether the table prices @model
 */
gboolean
sigma_llm_client_get_price (SigmaLlmClient *self,
                            const char     *model,
                            gdouble        *prompt_per_million,
                            gdouble        *completion_per_million)
{
  const Price *price;

  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (self), FALSE);
  g_return_val_if_fail (model != NULL, FALSE);

  g_mutex_lock (&self->lock);
  price = lookup_price (self, model);
  if (prompt_per_million != NULL)
    *prompt_per_million = price != NULL ? price->prompt : 0;
  if (completion_per_million != NULL)
    *completion_per_million = price != NULL ? price->completion : 0;
  g_mutex_unlock (&self->lock);
  return price != NULL;
}

static gboolean
price_member (JsonObject *entry,
              const char *name,
              gdouble    *out)
{
  JsonNode *node = json_object_get_member (entry, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return *out >= 0 && isfinite (*out);
}

/**
 * sigma_llm_client_load_prices:
 * @self: a #SigmaLlmClient
 * @path: (type filename): a JSON file: `{"MODEL": {"prompt": USD, "completion": USD}, …}`,
 *   in US dollars per million tokens
 * @error: return location for a #GError
 *
 * Adds the prices of a file to the table, replacing those of the same models.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%SIGMA_LLM_ERROR_FAILED) naming the
 *   file and the entry when it cannot be read, and then the table is unchanged
 */
gboolean
sigma_llm_client_load_prices (SigmaLlmClient  *self,
                              const char      *path,
                              GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *root;
  JsonObject *object;

  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_FAILED,
                   "Cannot read prices %s: %s", path, local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_FAILED,
                   "Prices %s: expected a JSON object of models", path);
      return FALSE;
    }
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *entry = json_object_get_member (object, l->data);
      gdouble prompt, completion;

      if (!JSON_NODE_HOLDS_OBJECT (entry) ||
          !price_member (json_node_get_object (entry), "prompt", &prompt) ||
          !price_member (json_node_get_object (entry), "completion", &completion))
        {
          g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_FAILED,
                       "Prices %s: model '%s' needs numbers \"prompt\" and \"completion\" ≥ 0 "
                       "(US dollars per million tokens)", path, (const char *) l->data);
          return FALSE;
        }
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *entry = json_object_get_object_member (object, l->data);

      sigma_llm_client_set_price (self, l->data, json_object_get_double_member (entry, "prompt"),
                                  json_object_get_double_member (entry, "completion"));
    }
  return TRUE;
}

/**
 * sigma_llm_client_record_to:
 * @self: a #SigmaLlmClient
 * @path: (type filename): the cassette to write (replaced)
 * @error: return location for a #GError
 *
 * Records every successful exchange to @path as NDJSON, one line per request:
 * `{"request": {"method", "path", "body"}, "response": {"status", "body"}}`, with the
 * members of every JSON object sorted by name. sigma_llm_client_replay_from() reads it.
 *
 * Returns: %TRUE on success, %FALSE with @error set (%SIGMA_LLM_ERROR_CASSETTE)
 */
gboolean
sigma_llm_client_record_to (SigmaLlmClient  *self,
                            const char      *path,
                            GError         **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_file_new_for_path (path);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CASSETTE,
                   "Cannot write the cassette %s: %s", path, local_error->message);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  if (self->record != NULL)
    g_output_stream_close (self->record, NULL, NULL);
  g_set_object (&self->record, G_OUTPUT_STREAM (stream));
  g_free (self->record_path);
  self->record_path = g_strdup (path);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * sigma_llm_client_replay_from:
 * @self: a #SigmaLlmClient
 * @path: (type filename): a cassette sigma_llm_client_record_to() wrote
 * @error: return location for a #GError
 *
 * From now on the client answers from @path and never touches the network: the n-th
 * request must equal the n-th recorded one (method, path and body; the base URL's host
 * may differ), or sigma_llm_client_chat() fails with %SIGMA_LLM_ERROR_REPLAY_MISMATCH
 * naming the request and the first place where its body diverges.
 *
 * Returns: %TRUE on success, %FALSE with @error set (%SIGMA_LLM_ERROR_CASSETTE) naming the
 *   file and line when it cannot be read
 */
gboolean
sigma_llm_client_replay_from (SigmaLlmClient  *self,
                              const char      *path,
                              GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CASSETTE,
                   "Cannot read the cassette %s: %s", path, local_error->message);
      return FALSE;
    }
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = NULL;
      JsonNode *root;
      JsonObject *entry;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, lines[i], -1, &local_error))
        {
          g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CASSETTE,
                       "Cassette %s, line %u: %s", path, i + 1, local_error->message);
          return FALSE;
        }
      root = json_parser_get_root (parser);
      entry = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      if (member_object (entry, "request") == NULL || member_object (entry, "response") == NULL ||
          member_string (member_object (entry, "request"), "path") == NULL ||
          json_object_get_member (member_object (entry, "request"), "body") == NULL ||
          json_object_get_member (member_object (entry, "response"), "body") == NULL)
        {
          g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CASSETTE,
                       "Cassette %s, line %u: expected {\"request\": {\"method\", \"path\", \"body\"}, "
                       "\"response\": {\"status\", \"body\"}}", path, i + 1);
          return FALSE;
        }
      g_ptr_array_add (entries, json_node_ref (root));
    }

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->replay, g_ptr_array_unref);
  self->replay = g_steal_pointer (&entries);
  self->replay_next = 0;
  g_free (self->replay_path);
  self->replay_path = g_strdup (path);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * sigma_llm_client_get_usage:
 * @self: a #SigmaLlmClient
 * @usage: (out caller-allocates): where to add the usage
 *
 * Adds what every request of this client (from every agent, simulator and judge that
 * shares it) spent to @usage.
 */
void
sigma_llm_client_get_usage (SigmaLlmClient *self,
                            SigmaUsage     *usage)
{
  g_return_if_fail (SIGMA_IS_LLM_CLIENT (self));
  g_return_if_fail (usage != NULL);
  g_mutex_lock (&self->lock);
  sigma_usage_add (usage, &self->usage);
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------------------------ */
/* One HTTP exchange                                                                    */

typedef struct {
  GBytes       *body;
  GError       *error;
  gboolean      done;
  gboolean      timed_out;
  GCancellable *cancellable;
} Exchange;

static void
exchange_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Exchange *ex = user_data;

  ex->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &ex->error);
  ex->done = TRUE;
}

static gboolean
exchange_timed_out (gpointer user_data)
{
  Exchange *ex = user_data;

  ex->timed_out = TRUE;
  g_cancellable_cancel (ex->cancellable);
  return G_SOURCE_REMOVE;
}

static void
exchange_cancelled (GCancellable *outer,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Sends @msg on @context (the thread-default one) and waits, at most the timeout. */
static GBytes *
send_message (SigmaLlmClient  *self,
              SoupSession     *session,
              SoupMessage     *msg,
              GMainContext    *context,
              GCancellable    *cancellable,
              gboolean        *timed_out,
              GError         **error)
{
  Exchange ex = { 0, };
  GSource *timer;
  gulong handler = 0;

  ex.cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (exchange_cancelled),
                                     g_object_ref (ex.cancellable), g_object_unref);
  timer = g_timeout_source_new ((guint) MAX (1, ceil (self->timeout * 1000)));
  g_source_set_callback (timer, exchange_timed_out, &ex, NULL);
  g_source_attach (timer, context);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, ex.cancellable, exchange_sent, &ex);
  while (!ex.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timer);
  g_source_unref (timer);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  g_object_unref (ex.cancellable);
  *timed_out = ex.timed_out;
  if (ex.error != NULL)
    g_propagate_error (error, ex.error);
  return ex.body;
}

/* Sleeps @seconds, unless @cancellable fires. */
static void
backoff_sleep (gdouble       seconds,
               GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until && !g_cancellable_is_cancelled (cancellable))
    g_usleep (MIN (until - g_get_monotonic_time (), 50000));
}

static gdouble
retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  char *end = NULL;
  gdouble seconds;

  if (value == NULL)
    return -1;
  seconds = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (seconds) || seconds < 0)
    return -1;   /* an HTTP date: the backoff decides */
  return seconds;
}

/* The `error.message` of an OpenAI-style error body, or the start of the body. */
static char *
error_detail (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  JsonNode *root;

  if (data == NULL || size == 0)
    return g_strdup ("");
  if (json_parser_load_from_data (parser, data, size, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *err = member_object (json_node_get_object (root), "error");
      const char *text = member_string (err, "message");

      if (text == NULL)
        text = member_string (json_node_get_object (root), "error");
      if (text != NULL)
        return g_strdup_printf (": %s", text);
    }
  return g_strdup_printf (": %.*s", (int) MIN (size, 200), data);
}

/* One request with its retries; the response body as JSON, or NULL with @error set. */
static JsonNode *
post_with_retries (SigmaLlmClient  *self,
                   const char      *url,
                   const char      *body,
                   GCancellable    *cancellable,
                   guint           *n_requests,
                   GError         **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
  JsonNode *result = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", (guint) ceil (self->connect_timeout),
                                           "idle-timeout", 0,
                                           "user-agent", "sigma/" SIGMA_VERSION_S " ",
                                           NULL);
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) response = NULL;
      g_autofree char *reason = NULL;
      gboolean retryable = FALSE, timed_out = FALSE;
      gdouble hint = -1;
      guint status;
      int code = SIGMA_LLM_ERROR_HTTP;

      if (msg == NULL)
        {
          g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CONNECTION,
                       "POST %s: not a valid URL (check --base-url)", url);
          break;
        }
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
      if (self->api_key != NULL)
        {
          g_autofree char *auth = g_strdup_printf ("Bearer %s", self->api_key);

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
        }
      (*n_requests)++;
      response = send_message (self, session, msg, context, cancellable, &timed_out, &local_error);
      status = soup_message_get_status (msg);

      if (response == NULL)
        {
          if (timed_out)
            {
              g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_TIMEOUT,
                           "POST %s: no answer within %g s", url, self->timeout);
              break;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "POST %s: ", url);
              break;
            }
          reason = g_strdup_printf ("cannot connect: %s", local_error->message);
          code = SIGMA_LLM_ERROR_CONNECTION;
          retryable = TRUE;
        }
      else if (status >= 200 && status < 300)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          gsize size;
          const char *data = g_bytes_get_data (response, &size);

          if (data == NULL || !json_parser_load_from_data (parser, data, size, &local_error))
            {
              g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_RESPONSE,
                           "POST %s: HTTP %u with a body that is not JSON: %s", url, status,
                           local_error != NULL ? local_error->message : "empty");
              break;
            }
          if (json_parser_get_root (parser) == NULL)
            {
              g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_RESPONSE,
                           "POST %s: HTTP %u with an empty body", url, status);
              break;
            }
          result = json_node_ref (json_parser_get_root (parser));
          break;
        }
      else
        {
          g_autofree char *detail = error_detail (response);

          reason = g_strdup_printf ("HTTP %u %s%s", status,
                                    soup_message_get_reason_phrase (msg) != NULL ?
                                    soup_message_get_reason_phrase (msg) : "", detail);
          if (status == 429)
            {
              retryable = TRUE;
              code = SIGMA_LLM_ERROR_RATE_LIMITED;
              hint = retry_after (msg);
            }
          else if (status >= 500)
            {
              retryable = TRUE;
              hint = retry_after (msg);
            }
        }

      if (!retryable || attempt >= self->max_retries)
        {
          if (retryable && attempt > 0)
            g_set_error (error, SIGMA_LLM_ERROR, code, "POST %s: %s (gave up after %u retries)",
                         url, reason, attempt);
          else
            g_set_error (error, SIGMA_LLM_ERROR, code, "POST %s: %s", url, reason);
          break;
        }
      else
        {
          gdouble delay, jitter;

          g_mutex_lock (&self->lock);
          jitter = 0.5 + 0.5 * g_rand_double (self->rand);
          g_mutex_unlock (&self->lock);
          delay = self->retry_base * ldexp (1.0, (int) MIN (attempt, 30)) * jitter;
          if (hint >= 0)
            delay = MAX (delay, hint);
          delay = MIN (delay, self->retry_max);
          g_debug ("POST %s: %s; retry %u of %u in %.2f s", url, reason, attempt + 1,
                   self->max_retries, delay);
          backoff_sleep (delay, cancellable);
        }
    }
  /* the session goes while its context is still the thread's default */
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return result;
}

/* ------------------------------------------------------------------------------------ */
/* Cassette                                                                             */

static JsonNode *
cassette_request (const char *path,
                  JsonNode   *body)
{
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "method", "POST");
  json_object_set_string_member (request, "path", path);
  json_object_set_member (request, "body", canonical_node (body));
  return json_node_init_object (json_node_alloc (), request);
}

static gboolean
record_exchange (SigmaLlmClient  *self,
                 JsonNode        *request,
                 JsonNode        *response,
                 GError         **error)
{
  g_autoptr(JsonObject) entry = json_object_new ();
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  json_object_set_member (entry, "request", json_node_ref (request));
  json_object_set_int_member (answer, "status", 200);
  json_object_set_member (answer, "body", canonical_node (response));
  json_object_set_object_member (entry, "response", g_steal_pointer (&answer));
  root = json_node_init_object (json_node_alloc (), entry);
  text = node_to_string (root);
  line = g_strconcat (text, "\n", NULL);

  g_mutex_lock (&self->lock);
  ok = g_output_stream_write_all (self->record, line, strlen (line), NULL, NULL, &local_error) &&
       g_output_stream_flush (self->record, NULL, &local_error);
  g_mutex_unlock (&self->lock);
  if (!ok)
    g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_CASSETTE,
                 "Cannot write the cassette %s: %s", self->record_path, local_error->message);
  return ok;
}

/* The recorded response to the next request, checked against @request. */
static JsonNode *
replay_exchange (SigmaLlmClient  *self,
                 JsonNode        *request,
                 GError         **error)
{
  JsonObject *entry, *recorded;
  g_autofree char *where = NULL;
  guint index;

  g_mutex_lock (&self->lock);
  index = self->replay_next;
  if (index < self->replay->len)
    self->replay_next++;
  g_mutex_unlock (&self->lock);

  if (index >= self->replay->len)
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_REPLAY_MISMATCH,
                   "Replay %s: request %u was never recorded (the cassette holds %u)",
                   self->replay_path, index + 1, self->replay->len);
      return NULL;
    }
  entry = json_node_get_object (g_ptr_array_index (self->replay, index));
  recorded = json_object_get_object_member (entry, "request");
  if (!g_str_equal (member_string (recorded, "path"),
                    member_string (json_node_get_object (request), "path")))
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_REPLAY_MISMATCH,
                   "Replay %s: request %u goes to %s, the recording to %s", self->replay_path,
                   index + 1, member_string (json_node_get_object (request), "path"),
                   member_string (recorded, "path"));
      return NULL;
    }
  where = first_difference (json_object_get_member (json_node_get_object (request), "body"),
                            json_object_get_member (recorded, "body"), "");
  if (where != NULL)
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_REPLAY_MISMATCH,
                   "Replay %s: request %u diverges from the recording at %s",
                   self->replay_path, index + 1, where);
      return NULL;
    }
  return json_node_ref (json_object_get_member (json_object_get_object_member (entry, "response"), "body"));
}

/* ------------------------------------------------------------------------------------ */

static void
price_usage (SigmaLlmClient *self,
             SigmaUsage     *usage)
{
  const Price *price;
  gboolean warn = FALSE;

  g_mutex_lock (&self->lock);
  price = lookup_price (self, self->model);
  if (price != NULL)
    usage->cost = (usage->prompt_tokens * price->prompt + usage->completion_tokens * price->completion) / 1e6;
  else
    {
      usage->cost = 0;
      warn = !self->warned_price;
      self->warned_price = TRUE;
    }
  sigma_usage_add (&self->usage, usage);
  g_mutex_unlock (&self->lock);
  if (warn)
    g_warning ("No price for model '%s': its cost counts as 0 (give one with --prices)", self->model);
}

/**
 * sigma_llm_client_chat:
 * @self: a #SigmaLlmClient
 * @messages: (transfer none): the conversation: objects with `role` and `content`, the
 *   assistant's `tool_calls` and the tools' `tool_call_id`, as the chat-completions API
 *   takes them
 * @tools: (transfer none) (nullable): the function schemas the model may call
 *   (sigma_tool_to_json_schema()), or %NULL
 * @tool_choice: (nullable): `auto`, `none`, `required`, or %NULL to leave it to the endpoint
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks the model for the next assistant message: one request, retried as
 * #SigmaLlmClient:max-retries says, or one answer from the replay cassette.
 *
 * Returns: (transfer full) (nullable): the reply, or %NULL with @error set in the
 *   %SIGMA_LLM_ERROR domain naming the endpoint and the status
 */
SigmaLlmReply *
sigma_llm_client_chat (SigmaLlmClient  *self,
                       JsonArray       *messages,
                       JsonArray       *tools,
                       const char      *tool_choice,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;
  SigmaLlmReply *reply;
  guint n_requests = 0;

  g_return_val_if_fail (SIGMA_IS_LLM_CLIENT (self), NULL);
  g_return_val_if_fail (messages != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  url = g_strconcat (self->base_url, "/chat/completions", NULL);
  json_object_set_string_member (body, "model", self->model);
  json_object_set_array_member (body, "messages", json_array_ref (messages));
  if (tools != NULL && json_array_get_length (tools) > 0)
    {
      json_object_set_array_member (body, "tools", json_array_ref (tools));
      if (tool_choice != NULL)
        json_object_set_string_member (body, "tool_choice", tool_choice);
    }
  body_node = json_node_init_object (json_node_alloc (), body);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  request = cassette_request (uri != NULL ? g_uri_get_path (uri) : url, body_node);

  if (self->replay != NULL)
    {
      response = replay_exchange (self, request, error);
      if (response == NULL)
        return NULL;
      n_requests = 1;
    }
  else
    {
      text = node_to_string (json_object_get_member (json_node_get_object (request), "body"));
      response = post_with_retries (self, url, text, cancellable, &n_requests, error);
      if (response == NULL)
        {
          SigmaUsage spent = { 0, 0, n_requests, 0 };

          g_mutex_lock (&self->lock);
          sigma_usage_add (&self->usage, &spent);
          g_mutex_unlock (&self->lock);
          return NULL;
        }
    }

  reply = reply_from_completion (response, &why);
  if (reply == NULL)
    {
      g_set_error (error, SIGMA_LLM_ERROR, SIGMA_LLM_ERROR_BAD_RESPONSE,
                   "POST %s: the answer is not a chat completion: %s", url, why);
      return NULL;
    }
  if (self->record != NULL && self->replay == NULL && !record_exchange (self, request, response, error))
    {
      sigma_llm_reply_unref (reply);
      return NULL;
    }
  reply->usage.n_requests = n_requests;
  price_usage (self, &reply->usage);
  return reply;
}
