/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-action-event.h"
#include "sigma-app.h"
#include "sigma-apps.h"
#include "sigma-condition-event.h"
#include "sigma-error.h"
#include "sigma-event-log.h"
#include "sigma-completed-event.h"
#include "sigma-noise.h"
#include "sigma-noise-resources.h"
#include "sigma-random.h"
#include "sigma-utils.h"

/**
 * SigmaNoiseConfig:
 *
 * Seeded noise for a run: background environment events and tool augmentation, as ARE's
 * `EnvEventsConfig` and `ToolAugmentationConfig` (see `doc/noise.md`).
 *
 * The background events replay material the scenario does not load — conversations, inbox
 * emails, products with their variants and discount codes, apartment listings — into the
 * apps of the environment while the scenario runs, at the times of a Poisson process. The
 * material is the config's #SigmaNoiseConfig:augmentation data when set, else the scenario's
 * #SigmaScenario:augmentation, else Sigma's own made-up universe (`data/noise/universe.json`,
 * compiled into the library).
 *
 * Tool augmentation makes agent tool calls fail with a probability and presents tools to
 * agents under other names and descriptions (sigma_environment_rename_tool()).
 *
 * sigma_noise_config_apply() does it all on an environment whose scenario is set up and
 * whose clock has not started. Every random draw comes from the config's seed, so the same
 * seed gives the same events and a byte-identical log.
 *
 * Since: 0.1
 */

#define DEFAULT_RATE 10.0
#define DEFAULT_HORIZON 360.0
#define DEFAULT_MESSAGES_PER_CONVERSATION 4
#define DEFAULT_ITEMS_PER_PRODUCT 2
#define START_CONDITION_ID SIGMA_NOISE_EVENT_PREFIX "start"
#define START_CONDITION_EVERY_TICKS 3
#define UNIVERSE_RESOURCE "/org/sigma/noise/universe.json"

struct _SigmaNoiseConfig
{
  GObject      parent_instance;

  gdouble      rate;
  gdouble      horizon;
  guint64      seed;
  guint        n_messages;
  guint        n_items;
  gdouble      failure_probability;
  GHashTable  *weights;            /* canonical class → gdouble * */
  JsonNode    *augmentation;
  GHashTable  *tool_names;         /* "<app>__<tool>" → agent-facing name */
  GHashTable  *tool_descriptions;  /* "<app>__<tool>" → agent-facing description */
};

G_DEFINE_FINAL_TYPE (SigmaNoiseConfig, sigma_noise_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RATE,
  PROP_HORIZON,
  PROP_SEED,
  PROP_MESSAGES_PER_CONVERSATION,
  PROP_ITEMS_PER_PRODUCT,
  PROP_TOOL_FAILURE_PROBABILITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ARE's weight_per_app_class defaults (noise.md §1). */
static const char * const default_weighted_classes[] = {
  "EmailClientApp", "ApartmentListingApp", "MessagingApp", "MessagingAppV2", "ShoppingApp",
};

typedef enum {
  KIND_NONE,
  KIND_MESSAGING,
  KIND_EMAIL,
  KIND_SHOPPING,
  KIND_APARTMENT,
} MaterialKind;

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
sigma_noise_config_finalize (GObject *object)
{
  SigmaNoiseConfig *self = SIGMA_NOISE_CONFIG (object);

  g_clear_pointer (&self->weights, g_hash_table_unref);
  g_clear_pointer (&self->augmentation, json_node_unref);
  g_clear_pointer (&self->tool_names, g_hash_table_unref);
  g_clear_pointer (&self->tool_descriptions, g_hash_table_unref);

  G_OBJECT_CLASS (sigma_noise_config_parent_class)->finalize (object);
}

static void
sigma_noise_config_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SigmaNoiseConfig *self = SIGMA_NOISE_CONFIG (object);

  switch (prop_id)
    {
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_HORIZON:
      g_value_set_double (value, self->horizon);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_MESSAGES_PER_CONVERSATION:
      g_value_set_uint (value, self->n_messages);
      break;
    case PROP_ITEMS_PER_PRODUCT:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_TOOL_FAILURE_PROBABILITY:
      g_value_set_double (value, self->failure_probability);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_noise_config_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SigmaNoiseConfig *self = SIGMA_NOISE_CONFIG (object);

  switch (prop_id)
    {
    case PROP_RATE:
      sigma_noise_config_set_rate (self, g_value_get_double (value));
      break;
    case PROP_HORIZON:
      sigma_noise_config_set_horizon (self, g_value_get_double (value));
      break;
    case PROP_SEED:
      sigma_noise_config_set_seed (self, g_value_get_uint64 (value));
      break;
    case PROP_MESSAGES_PER_CONVERSATION:
      sigma_noise_config_set_messages_per_conversation (self, g_value_get_uint (value));
      break;
    case PROP_ITEMS_PER_PRODUCT:
      sigma_noise_config_set_items_per_product (self, g_value_get_uint (value));
      break;
    case PROP_TOOL_FAILURE_PROBABILITY:
      sigma_noise_config_set_tool_failure_probability (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_noise_config_class_init (SigmaNoiseConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_noise_config_finalize;
  object_class->get_property = sigma_noise_config_get_property;
  object_class->set_property = sigma_noise_config_set_property;

  /**
   * SigmaNoiseConfig:rate:
   *
   * Background events per simulated minute over the horizon (ARE's
   * `num_env_events_per_minute`); 0 schedules none.
   *
   * Since: 0.1
   */
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, 0.0, G_MAXDOUBLE, DEFAULT_RATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaNoiseConfig:horizon:
   *
   * Seconds after the scenario's start over which background events arrive; 0 (the
   * default) means the scenario's duration, else the environment's, else 360 s.
   *
   * Since: 0.1
   */
  properties[PROP_HORIZON] =
    g_param_spec_double ("horizon", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaNoiseConfig:seed:
   *
   * The seed every random draw of the expander derives from (ARE's `env_events_seed`).
   *
   * Since: 0.1
   */
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaNoiseConfig:messages-per-conversation:
   *
   * At most this many messages replayed per conversation (ARE's
   * `n_message_events_per_conversation`).
   *
   * Since: 0.1
   */
  properties[PROP_MESSAGES_PER_CONVERSATION] =
    g_param_spec_uint ("messages-per-conversation", NULL, NULL, 1, G_MAXUINT, DEFAULT_MESSAGES_PER_CONVERSATION,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaNoiseConfig:items-per-product:
   *
   * At most this many variants added per product (ARE's `n_item_events_per_product`).
   *
   * Since: 0.1
   */
  properties[PROP_ITEMS_PER_PRODUCT] =
    g_param_spec_uint ("items-per-product", NULL, NULL, 1, G_MAXUINT, DEFAULT_ITEMS_PER_PRODUCT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaNoiseConfig:tool-failure-probability:
   *
   * The probability that an agent tool call fails before doing anything (ARE's
   * `tool_failure_probability`). 0, the default, leaves the apps' own setting alone.
   *
   * Since: 0.1
   */
  properties[PROP_TOOL_FAILURE_PROBABILITY] =
    g_param_spec_double ("tool-failure-probability", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_noise_config_init (SigmaNoiseConfig *self)
{
  self->rate = DEFAULT_RATE;
  self->n_messages = DEFAULT_MESSAGES_PER_CONVERSATION;
  self->n_items = DEFAULT_ITEMS_PER_PRODUCT;
  self->weights = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (default_weighted_classes); i++)
    g_hash_table_insert (self->weights, g_strdup (default_weighted_classes[i]), g_memdup2 (&(gdouble) { 1.0 }, sizeof (gdouble)));
  self->tool_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tool_descriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * sigma_noise_config_new:
 *
 * A configuration with ARE's defaults: 10 events per minute over the scenario's duration,
 * seed 0, 4 messages per conversation, 2 items per product, weight 1 for the email,
 * messaging, shopping and apartment apps, no tool failures and no renamed tools.
 *
 * Returns: (transfer full): a new #SigmaNoiseConfig
 *
 * Since: 0.1
 */
SigmaNoiseConfig *
sigma_noise_config_new (void)
{
  return g_object_new (SIGMA_TYPE_NOISE_CONFIG, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Accessors                                                                            */

/**
 * sigma_noise_config_get_rate:
 * @self: a #SigmaNoiseConfig
 *
 * Returns: the #SigmaNoiseConfig:rate, in events per simulated minute
 */
gdouble
sigma_noise_config_get_rate (SigmaNoiseConfig *self)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), 0.0);
  return self->rate;
}

/**
 * sigma_noise_config_set_rate:
 * @self: a #SigmaNoiseConfig
 * @events_per_minute: background events per simulated minute, ≥ 0
 *
 * Sets the #SigmaNoiseConfig:rate.
 */
void
sigma_noise_config_set_rate (SigmaNoiseConfig *self,
                             gdouble           events_per_minute)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (events_per_minute >= 0.0 && isfinite (events_per_minute));

  if (self->rate == events_per_minute)
    return;
  self->rate = events_per_minute;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

/**
 * sigma_noise_config_get_horizon:
 * @self: a #SigmaNoiseConfig
 *
 * Returns: the #SigmaNoiseConfig:horizon in seconds, or 0 for the scenario's duration
 */
gdouble
sigma_noise_config_get_horizon (SigmaNoiseConfig *self)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), 0.0);
  return self->horizon;
}

/**
 * sigma_noise_config_set_horizon:
 * @self: a #SigmaNoiseConfig
 * @horizon: seconds, ≥ 0; 0 for the scenario's duration
 *
 * Sets the #SigmaNoiseConfig:horizon.
 */
void
sigma_noise_config_set_horizon (SigmaNoiseConfig *self,
                                gdouble           horizon)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (horizon >= 0.0 && isfinite (horizon));

  if (self->horizon == horizon)
    return;
  self->horizon = horizon;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HORIZON]);
}

/**
 * sigma_noise_config_get_seed:
 * @self: a #SigmaNoiseConfig
 *
 * Returns: the #SigmaNoiseConfig:seed
 */
guint64
sigma_noise_config_get_seed (SigmaNoiseConfig *self)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), 0);
  return self->seed;
}

/**
 * sigma_noise_config_set_seed:
 * @self: a #SigmaNoiseConfig
 * @seed: the seed
 *
 * Sets the #SigmaNoiseConfig:seed.
 */
void
sigma_noise_config_set_seed (SigmaNoiseConfig *self,
                             guint64           seed)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));

  if (self->seed == seed)
    return;
  self->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

/**
 * sigma_noise_config_get_messages_per_conversation:
 * @self: a #SigmaNoiseConfig
 *
 * Returns: the #SigmaNoiseConfig:messages-per-conversation
 */
guint
sigma_noise_config_get_messages_per_conversation (SigmaNoiseConfig *self)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), 0);
  return self->n_messages;
}

/**
 * sigma_noise_config_set_messages_per_conversation:
 * @self: a #SigmaNoiseConfig
 * @n_messages: at least 1
 *
 * Sets the #SigmaNoiseConfig:messages-per-conversation.
 */
void
sigma_noise_config_set_messages_per_conversation (SigmaNoiseConfig *self,
                                                  guint             n_messages)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (n_messages >= 1);

  if (self->n_messages == n_messages)
    return;
  self->n_messages = n_messages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_PER_CONVERSATION]);
}

/**
 * sigma_noise_config_get_items_per_product:
 * @self: a #SigmaNoiseConfig
 *
 * Returns: the #SigmaNoiseConfig:items-per-product
 */
guint
sigma_noise_config_get_items_per_product (SigmaNoiseConfig *self)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), 0);
  return self->n_items;
}

/**
 * sigma_noise_config_set_items_per_product:
 * @self: a #SigmaNoiseConfig
 * @n_items: at least 1
 *
 * Sets the #SigmaNoiseConfig:items-per-product.
 */
void
sigma_noise_config_set_items_per_product (SigmaNoiseConfig *self,
                                          guint             n_items)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (n_items >= 1);

  if (self->n_items == n_items)
    return;
  self->n_items = n_items;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS_PER_PRODUCT]);
}

/**
 * sigma_noise_config_get_tool_failure_probability:
 * @self: a #SigmaNoiseConfig
 *
 * Returns: the #SigmaNoiseConfig:tool-failure-probability
 */
gdouble
sigma_noise_config_get_tool_failure_probability (SigmaNoiseConfig *self)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), 0.0);
  return self->failure_probability;
}

/**
 * sigma_noise_config_set_tool_failure_probability:
 * @self: a #SigmaNoiseConfig
 * @probability: between 0 and 1
 *
 * Sets the #SigmaNoiseConfig:tool-failure-probability.
 */
void
sigma_noise_config_set_tool_failure_probability (SigmaNoiseConfig *self,
                                                 gdouble           probability)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (probability >= 0.0 && probability <= 1.0);

  if (self->failure_probability == probability)
    return;
  self->failure_probability = probability;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_FAILURE_PROBABILITY]);
}

/* The canonical class of an app class or Gaia2 instance name (ARE's alias table), or the
 * name itself when the table does not know it (MessagingApp, which Sigma does not build). */
static const char *
canonical_class (const char *name)
{
  const char *canonical = sigma_apps_get_canonical_name (name);

  return canonical != NULL ? canonical : name;
}

/**
 * sigma_noise_config_get_app_weight:
 * @self: a #SigmaNoiseConfig
 * @app_class: an app class or a Gaia2 app name ("Mail", "EmailClientV2", "Emails", …),
 *   resolved through ARE's alias table
 *
 * Returns: the relative share of background events the apps of that class get; 0 for a
 *   class without a weight
 */
gdouble
sigma_noise_config_get_app_weight (SigmaNoiseConfig *self,
                                   const char       *app_class)
{
  gdouble *weight;

  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), 0.0);
  g_return_val_if_fail (app_class != NULL, 0.0);

  weight = g_hash_table_lookup (self->weights, canonical_class (app_class));
  return weight != NULL ? *weight : 0.0;
}

/**
 * sigma_noise_config_set_app_weight:
 * @self: a #SigmaNoiseConfig
 * @app_class: an app class or a Gaia2 app name, resolved through ARE's alias table
 * @weight: the relative share of events, ≥ 0; 0 gives that class no background events
 *
 * Sets the weight of an app class (ARE's `weight_per_app_class`). Only the email,
 * messaging, shopping and apartment apps have background events.
 */
void
sigma_noise_config_set_app_weight (SigmaNoiseConfig *self,
                                   const char       *app_class,
                                   gdouble           weight)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (app_class != NULL);
  g_return_if_fail (weight >= 0.0 && isfinite (weight));

  g_hash_table_insert (self->weights, g_strdup (canonical_class (app_class)),
                       g_memdup2 (&weight, sizeof weight));
}

/**
 * sigma_noise_config_get_tool_name:
 * @self: a #SigmaNoiseConfig
 * @tool: a tool name, `<app name>__<tool>`
 *
 * Returns: (nullable): the agent-facing name of @tool, or %NULL when it is not renamed
 */
const char *
sigma_noise_config_get_tool_name (SigmaNoiseConfig *self,
                                  const char       *tool)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), NULL);
  g_return_val_if_fail (tool != NULL, NULL);

  return g_hash_table_lookup (self->tool_names, tool);
}

/**
 * sigma_noise_config_set_tool_name:
 * @self: a #SigmaNoiseConfig
 * @tool: a tool name, `<app name>__<tool>`
 * @agent_name: (nullable): the name agents see, or %NULL to drop the renaming
 *
 * Renames a tool for agents (one entry of Gaia2's `tool_names_mapping`). Renamings given
 * here replace the scenario's.
 */
void
sigma_noise_config_set_tool_name (SigmaNoiseConfig *self,
                                  const char       *tool,
                                  const char       *agent_name)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (tool != NULL);

  if (agent_name == NULL)
    g_hash_table_remove (self->tool_names, tool);
  else
    g_hash_table_insert (self->tool_names, g_strdup (tool), g_strdup (agent_name));
}

/**
 * sigma_noise_config_get_tool_description:
 * @self: a #SigmaNoiseConfig
 * @tool: a tool name, `<app name>__<tool>`
 *
 * Returns: (nullable): the agent-facing description of @tool, or %NULL when it keeps its own
 */
const char *
sigma_noise_config_get_tool_description (SigmaNoiseConfig *self,
                                         const char       *tool)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), NULL);
  g_return_val_if_fail (tool != NULL, NULL);

  return g_hash_table_lookup (self->tool_descriptions, tool);
}

/**
 * sigma_noise_config_set_tool_description:
 * @self: a #SigmaNoiseConfig
 * @tool: a tool name, `<app name>__<tool>`
 * @agent_description: (nullable): the description agents see, or %NULL to keep the tool's
 *
 * Re-describes a tool for agents (one entry of Gaia2's `tool_descriptions_mapping`).
 */
void
sigma_noise_config_set_tool_description (SigmaNoiseConfig *self,
                                         const char       *tool,
                                         const char       *agent_description)
{
  g_return_if_fail (SIGMA_IS_NOISE_CONFIG (self));
  g_return_if_fail (tool != NULL);

  if (agent_description == NULL)
    g_hash_table_remove (self->tool_descriptions, tool);
  else
    g_hash_table_insert (self->tool_descriptions, g_strdup (tool), g_strdup (agent_description));
}

/* ------------------------------------------------------------------------------------ */
/* Material: reading and checking augmentation data                                     */

static gboolean
invalid (GError    **error,
         const char *path,
         const char *member,
         const char *expected)
{
  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "%s%s%s: expected %s",
               path, member != NULL ? "." : "", member != NULL ? member : "", expected);
  return FALSE;
}

/* @node must hold a value of @type (G_TYPE_STRING, G_TYPE_DOUBLE for any number,
 * G_TYPE_BOOLEAN), a JSON object (JSON_TYPE_OBJECT) or an array (JSON_TYPE_ARRAY). */
static gboolean
node_has_type (JsonNode *node,
               GType     type)
{
  if (type == JSON_TYPE_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (node);
  if (type == JSON_TYPE_ARRAY)
    return JSON_NODE_HOLDS_ARRAY (node);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (type == G_TYPE_DOUBLE)
    return json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64;
  if (type == G_TYPE_INT64)
    return json_node_get_value_type (node) == G_TYPE_INT64 ||
           (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
            json_node_get_double (node) == floor (json_node_get_double (node)));
  return json_node_get_value_type (node) == type;
}

static const char *
type_text (GType type)
{
  if (type == JSON_TYPE_OBJECT)
    return "an object";
  if (type == JSON_TYPE_ARRAY)
    return "an array";
  if (type == G_TYPE_STRING)
    return "a string";
  if (type == G_TYPE_BOOLEAN)
    return "a boolean";
  if (type == G_TYPE_INT64)
    return "an integer";
  return "a number";
}

/* Checks member @member of @obj: absent (allowed when @optional, or null when @nullable
 * too) or of @type. *out is the member node or NULL. */
static gboolean
check_member (JsonObject  *obj,
              const char  *path,
              const char  *member,
              GType        type,
              gboolean     optional,
              JsonNode   **out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL || (optional && JSON_NODE_HOLDS_NULL (node)))
    return optional || invalid (error, path, member, type_text (type));
  if (!node_has_type (node, type))
    return invalid (error, path, member, type_text (type));
  *out = node;
  return TRUE;
}

static gboolean
check_string_array (JsonNode    *node,
                    const char  *path,
                    GError     **error)
{
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!node_has_type (json_array_get_element (array, i), G_TYPE_STRING))
      {
        g_autofree char *where = g_strdup_printf ("%s[%u]", path, i);

        return invalid (error, where, NULL, "a string");
      }
  return TRUE;
}

/* Checks member @member of @obj: an array of strings, or absent or null when @optional. */
static gboolean
check_string_array_member (JsonObject  *obj,
                           const char  *path,
                           const char  *member,
                           gboolean     optional,
                           GError     **error)
{
  g_autofree char *where = NULL;
  JsonNode *node;

  if (!check_member (obj, path, member, JSON_TYPE_ARRAY, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  where = g_strdup_printf ("%s.%s", path, member);
  return check_string_array (node, where, error);
}

static MaterialKind
kind_of_class (const char *canonical)
{
  if (g_str_equal (canonical, "MessagingAppV2") || g_str_equal (canonical, "MessagingApp"))
    return KIND_MESSAGING;
  if (g_str_equal (canonical, "EmailClientApp"))
    return KIND_EMAIL;
  if (g_str_equal (canonical, "ShoppingApp"))
    return KIND_SHOPPING;
  if (g_str_equal (canonical, "ApartmentListingApp"))
    return KIND_APARTMENT;
  return KIND_NONE;
}

/* One app of the material, checked. Lists hold borrowed objects of the augmentation node. */
typedef struct
{
  const char   *name;
  const char   *canonical;
  MaterialKind  kind;
  GPtrArray    *keys;       /* const char *: conversation, product or apartment keys */
  GPtrArray    *items;      /* JsonObject *: conversations, emails, products, apartments */
  JsonObject   *discount_codes;   /* shopping: item id → {code: percent}, or NULL */
} MaterialApp;

static void
material_app_free (MaterialApp *app)
{
  g_clear_pointer (&app->keys, g_ptr_array_unref);
  g_clear_pointer (&app->items, g_ptr_array_unref);
  g_free (app);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaterialApp, material_app_free)

/* The members of the keyed collection (an object of objects) in member @member of @state,
 * in order; an absent or null @member is an empty collection. */
static gboolean
read_collection (MaterialApp  *app,
                 JsonObject   *state,
                 const char   *state_path,
                 const char   *member,
                 gboolean    (*check) (JsonObject *item, const char *path, GError **error),
                 GError      **error)
{
  g_autofree char *path = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (!check_member (state, state_path, member, JSON_TYPE_OBJECT, TRUE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  path = g_strdup_printf ("%s.%s", state_path, member);
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &node))
    {
      g_autofree char *where = g_strdup_printf ("%s.%s", path, key);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, where, NULL, "an object");
      if (!check (json_node_get_object (node), where, error))
        return FALSE;
      g_ptr_array_add (app->keys, (gpointer) key);
      g_ptr_array_add (app->items, json_node_get_object (node));
    }
  return TRUE;
}

static gboolean
check_conversation (JsonObject  *conversation,
                    const char  *path,
                    GError     **error)
{
  JsonNode *member, *messages;
  JsonArray *array;

  /* the participants' type is checked before the other members, their elements after */
  if (!check_member (conversation, path, "participant_ids", JSON_TYPE_ARRAY, FALSE, &member, error) ||
      !check_member (conversation, path, "messages", JSON_TYPE_ARRAY, FALSE, &messages, error) ||
      !check_member (conversation, path, "title", G_TYPE_STRING, TRUE, &member, error) ||
      !check_string_array_member (conversation, path, "participant_ids", FALSE, error))
    return FALSE;
  array = json_node_get_array (messages);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s.messages[%u]", path, i);
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, where, NULL, "an object");
      if (!check_member (json_node_get_object (element), where, "sender_id", G_TYPE_STRING, FALSE, &member, error) ||
          !check_member (json_node_get_object (element), where, "content", G_TYPE_STRING, FALSE, &member, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_email (JsonObject  *email,
             const char  *path,
             GError     **error)
{
  JsonNode *member;

  if (!check_member (email, path, "sender", G_TYPE_STRING, FALSE, &member, error) ||
      !check_member (email, path, "subject", G_TYPE_STRING, TRUE, &member, error) ||
      !check_member (email, path, "content", G_TYPE_STRING, TRUE, &member, error) ||
      !check_string_array_member (email, path, "recipients", TRUE, error))
    return FALSE;
  return TRUE;
}

static gboolean
check_variant (JsonObject  *variant,
               const char  *path,
               GError     **error)
{
  JsonNode *member;

  return check_member (variant, path, "price", G_TYPE_DOUBLE, FALSE, &member, error) &&
         check_member (variant, path, "options", JSON_TYPE_OBJECT, TRUE, &member, error) &&
         check_member (variant, path, "available", G_TYPE_BOOLEAN, TRUE, &member, error);
}

static gboolean
check_product (JsonObject  *product,
               const char  *path,
               GError     **error)
{
  JsonNode *member, *variants;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (!check_member (product, path, "name", G_TYPE_STRING, FALSE, &member, error) ||
      !check_member (product, path, "variants", JSON_TYPE_OBJECT, TRUE, &variants, error))
    return FALSE;
  if (variants == NULL)
    return TRUE;
  json_object_iter_init_ordered (&iter, json_node_get_object (variants));
  while (json_object_iter_next_ordered (&iter, &key, &node))
    {
      g_autofree char *where = g_strdup_printf ("%s.variants.%s", path, key);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, where, NULL, "an object");
      if (!check_variant (json_node_get_object (node), where, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_apartment (JsonObject  *apartment,
                 const char  *path,
                 GError     **error)
{
  static const char * const strings[] = {
    "property_type", "furnished_status", "floor_level", "pet_policy", "lease_term",
  };
  JsonNode *member;

  if (!check_member (apartment, path, "name", G_TYPE_STRING, FALSE, &member, error) ||
      !check_member (apartment, path, "location", G_TYPE_STRING, FALSE, &member, error) ||
      !check_member (apartment, path, "zip_code", G_TYPE_STRING, FALSE, &member, error) ||
      !check_member (apartment, path, "price", G_TYPE_DOUBLE, FALSE, &member, error) ||
      !check_member (apartment, path, "bedrooms", G_TYPE_INT64, FALSE, &member, error) ||
      !check_member (apartment, path, "bathrooms", G_TYPE_INT64, FALSE, &member, error) ||
      !check_member (apartment, path, "square_footage", G_TYPE_INT64, FALSE, &member, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    if (!check_member (apartment, path, strings[i], G_TYPE_STRING, TRUE, &member, error))
      return FALSE;
  return check_string_array_member (apartment, path, "amenities", TRUE, error);
}

static gboolean
read_app_material (MaterialApp  *app,
                   JsonObject   *state,
                   const char   *path,
                   GError      **error)
{
  JsonNode *member;

  switch (app->kind)
    {
    case KIND_MESSAGING:
      return read_collection (app, state, path, "conversations", check_conversation, error);

    case KIND_EMAIL:
      {
        g_autofree char *folders_path = g_strdup_printf ("%s.folders", path);
        g_autofree char *inbox_path = g_strdup_printf ("%s.folders.INBOX", path);
        g_autofree char *emails_path = g_strdup_printf ("%s.folders.INBOX.emails", path);
        JsonNode *inbox, *emails;
        JsonArray *array;

        if (!check_member (state, path, "folders", JSON_TYPE_OBJECT, TRUE, &member, error))
          return FALSE;
        if (member == NULL)
          return TRUE;
        if (!check_member (json_node_get_object (member), folders_path, "INBOX", JSON_TYPE_OBJECT, TRUE, &inbox, error))
          return FALSE;
        if (inbox == NULL)
          return TRUE;
        if (!check_member (json_node_get_object (inbox), inbox_path, "emails", JSON_TYPE_ARRAY, TRUE, &emails, error))
          return FALSE;
        if (emails == NULL)
          return TRUE;
        array = json_node_get_array (emails);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            g_autofree char *where = g_strdup_printf ("%s[%u]", emails_path, i);
            JsonNode *element = json_array_get_element (array, i);

            if (!JSON_NODE_HOLDS_OBJECT (element))
              return invalid (error, where, NULL, "an object");
            if (!check_email (json_node_get_object (element), where, error))
              return FALSE;
            g_ptr_array_add (app->keys, NULL);
            g_ptr_array_add (app->items, json_node_get_object (element));
          }
        return TRUE;
      }

    case KIND_SHOPPING:
      {
        if (!check_member (state, path, "discount_codes", JSON_TYPE_OBJECT, TRUE, &member, error))
          return FALSE;
        if (member != NULL)
          {
            JsonObjectIter iter;
            const char *key;
            JsonNode *node;

            app->discount_codes = json_node_get_object (member);
            json_object_iter_init_ordered (&iter, app->discount_codes);
            while (json_object_iter_next_ordered (&iter, &key, &node))
              {
                g_autofree char *where = g_strdup_printf ("%s.discount_codes.%s", path, key);
                JsonObjectIter codes;
                const char *code;
                JsonNode *percent;

                if (!JSON_NODE_HOLDS_OBJECT (node))
                  return invalid (error, where, NULL, "an object of codes");
                json_object_iter_init_ordered (&codes, json_node_get_object (node));
                while (json_object_iter_next_ordered (&codes, &code, &percent))
                  if (!node_has_type (percent, G_TYPE_DOUBLE))
                    return invalid (error, where, code, "a number");
              }
          }
        return read_collection (app, state, path, "products", check_product, error);
      }

    case KIND_APARTMENT:
      return read_collection (app, state, path, "apartments", check_apartment, error);

    case KIND_NONE:
    default:
      return TRUE;
    }
}

/* Reads the `apps` of augmentation data (@origin names it in errors). Apps of classes
 * without background events are skipped. Returns the apps (element-type MaterialApp), or
 * NULL with @error set. */
static GPtrArray *
read_material (JsonNode    *augmentation,
               const char  *origin,
               GError     **error)
{
  g_autoptr(GPtrArray) apps = g_ptr_array_new_with_free_func ((GDestroyNotify) material_app_free);
  JsonNode *apps_node;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_OBJECT (augmentation))
    {
      invalid (error, origin, NULL, "an object");
      return NULL;
    }
  if (!check_member (json_node_get_object (augmentation), origin, "apps", JSON_TYPE_ARRAY, TRUE, &apps_node, error))
    return NULL;
  if (apps_node == NULL)
    return g_steal_pointer (&apps);

  array = json_node_get_array (apps_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.apps[%u]", origin, i);
      g_autofree char *state_path = NULL;
      g_autoptr(MaterialApp) app = NULL;
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *name, *class_name, *state;
      JsonObject *obj;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          invalid (error, path, NULL, "an object with name and app_state");
          return NULL;
        }
      obj = json_node_get_object (element);
      if (!check_member (obj, path, "name", G_TYPE_STRING, FALSE, &name, error) ||
          !check_member (obj, path, "class_name", G_TYPE_STRING, TRUE, &class_name, error) ||
          !check_member (obj, path, "app_state", JSON_TYPE_OBJECT, FALSE, &state, error))
        return NULL;

      app = g_new0 (MaterialApp, 1);
      app->name = json_node_get_string (name);
      app->canonical = canonical_class (class_name != NULL ? json_node_get_string (class_name) : app->name);
      app->kind = kind_of_class (app->canonical);
      if (app->kind == KIND_NONE)
        continue;
      app->keys = g_ptr_array_new ();
      app->items = g_ptr_array_new ();
      state_path = g_strdup_printf ("%s.app_state", path);
      if (!read_app_material (app, json_node_get_object (state), state_path, error))
        return NULL;
      g_ptr_array_add (apps, g_steal_pointer (&app));
    }
  return g_steal_pointer (&apps);
}

/* Reads one of the mappings of augmentation data into @table. */
static gboolean
read_mapping (JsonObject  *augmentation,
              const char  *origin,
              const char  *member,
              GHashTable  *table,
              GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s.%s", origin, member);
  JsonObjectIter iter;
  const char *key;
  JsonNode *node, *mapping;

  if (!check_member (augmentation, origin, member, JSON_TYPE_OBJECT, TRUE, &mapping, error))
    return FALSE;
  if (mapping == NULL)
    return TRUE;
  json_object_iter_init_ordered (&iter, json_node_get_object (mapping));
  while (json_object_iter_next_ordered (&iter, &key, &node))
    {
      if (!node_has_type (node, G_TYPE_STRING))
        return invalid (error, path, key, "a string");
      if (table != NULL)
        g_hash_table_insert (table, g_strdup (key), g_strdup (json_node_get_string (node)));
    }
  return TRUE;
}

/**
 * sigma_noise_config_get_augmentation:
 * @self: a #SigmaNoiseConfig
 *
 * Returns: (transfer none) (nullable): the augmentation data set with
 *   sigma_noise_config_set_augmentation(), or %NULL
 */
JsonNode *
sigma_noise_config_get_augmentation (SigmaNoiseConfig *self)
{
  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), NULL);
  return self->augmentation;
}

/**
 * sigma_noise_config_set_augmentation:
 * @self: a #SigmaNoiseConfig
 * @augmentation: (nullable): augmentation data, or %NULL to use the scenario's or Sigma's own
 * @error: return location for a #GError
 *
 * Sets the material of the background events: a JSON object `{"apps": [{"name",
 * "class_name" (optional), "app_state"}, …]}` as ARE's `augmentation_data` and the
 * `augmentation` object of Gaia2 files. The apps' classes are resolved through ARE's alias
 * table (from `class_name`, else from `name`); the states of messaging apps
 * (`conversations`), email apps (`folders.INBOX.emails`), shopping apps (`products` and
 * `discount_codes`) and apartment apps (`apartments`) are used, the others are ignored.
 * Optional `tool_names_mapping` and `tool_descriptions_mapping` objects (`"<app>__<tool>":
 * text`) are added to the config's tool renamings.
 *
 * The data is checked completely here: anything malformed is %SIGMA_ERROR_INVALID_DATA
 * naming the member, such as `augmentation.apps[2].app_state.products.p1.variants.i1.price:
 * expected a number`, and leaves the config unchanged.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_noise_config_set_augmentation (SigmaNoiseConfig  *self,
                                     JsonNode          *augmentation,
                                     GError           **error)
{
  g_autoptr(GPtrArray) material = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) descriptions = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (augmentation == NULL)
    {
      g_clear_pointer (&self->augmentation, json_node_unref);
      return TRUE;
    }
  material = read_material (augmentation, "augmentation", error);
  if (material == NULL)
    return FALSE;
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  descriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!read_mapping (json_node_get_object (augmentation), "augmentation", "tool_names_mapping", names, error) ||
      !read_mapping (json_node_get_object (augmentation), "augmentation", "tool_descriptions_mapping", descriptions, error))
    return FALSE;

  g_clear_pointer (&self->augmentation, json_node_unref);
  self->augmentation = json_node_ref (augmentation);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_insert (self->tool_names, key, value);
      g_hash_table_iter_steal (&iter);
    }
  g_hash_table_iter_init (&iter, descriptions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_insert (self->tool_descriptions, key, value);
      g_hash_table_iter_steal (&iter);
    }
  return TRUE;
}

/* Sigma's default material, compiled into the library. */
static JsonNode *
load_default_universe (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gsize size;
  const char *data;

  bytes = g_resource_lookup_data (sigma_noise_get_resource (), UNIVERSE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    {
      g_prefix_error (error, "resource://%s: ", UNIVERSE_RESOURCE);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* ------------------------------------------------------------------------------------ */
/* The expander                                                                         */

typedef struct
{
  SigmaEnvironment *env;
  GPtrArray        *events;      /* SigmaEvent, to schedule */
  const char       *anchor_id;
  gdouble           horizon;
  guint             n_messages;
  guint             n_items;
} Expansion;

/* An exponential draw of mean @mean (inverse transform of a uniform draw). */
static gdouble
draw_exponential (GRand   *rand,
                  gdouble  mean)
{
  if (mean <= 0.0)
    return 0.0;
  return -mean * log1p (-sigma_random_double (rand));
}

/* @n arrival times of a Poisson process of rate n / horizon: cumulated exponential gaps. */
static GArray *
poisson_times (GRand   *rand,
               gdouble  horizon,
               guint    n)
{
  GArray *times = g_array_sized_new (FALSE, FALSE, sizeof (gdouble), n);
  gdouble t = 0.0;

  for (guint i = 0; i < n; i++)
    {
      t += draw_exponential (rand, horizon / n);
      g_array_append_val (times, t);
    }
  return times;
}

/* Shuffles @order (indices) in place (Fisher–Yates). */
static void
shuffle (GRand  *rand,
         GArray *order)
{
  for (guint i = order->len; i > 1; i--)
    {
      guint j = (guint) sigma_random_below (rand, i);
      guint tmp = g_array_index (order, guint, i - 1);

      g_array_index (order, guint, i - 1) = g_array_index (order, guint, j);
      g_array_index (order, guint, j) = tmp;
    }
}

static GArray *
shuffled_indices (GRand *rand,
                  guint  n)
{
  GArray *order = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  for (guint i = 0; i < n; i++)
    g_array_append_val (order, i);
  shuffle (rand, order);
  return order;
}

/* An event id `env_expansion_<app>_<part>[_<key>]`, with the key reduced to letters, digits,
 * '-' and '_' so that it is safe in `{{id}}` placeholders. */
static char *
make_id (const char *app_name,
         const char *part,
         const char *key)
{
  g_autofree char *raw = key != NULL ? g_strdup_printf ("%s_%s_%s", app_name, part, key)
                                     : g_strdup_printf ("%s_%s", app_name, part);

  g_strcanon (raw, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", '_');
  return g_strconcat (SIGMA_NOISE_EVENT_PREFIX, raw, NULL);
}

/* Adds an ENV event calling @function of @app_name; it runs @delay after @parent, or after
 * the anchor when @parent is NULL. Takes @args. */
static SigmaEvent *
add_event (Expansion  *x,
           const char *app_name,
           const char *function,
           JsonObject *args,
           const char *id,
           SigmaEvent *parent,
           gdouble     delay)
{
  SigmaEvent *event = sigma_action_event_new (SIGMA_EVENT_TYPE_ENV, app_name, function, args);

  json_object_unref (args);
  sigma_event_set_event_id (event, id);
  sigma_event_set_delay (event, delay);
  if (parent != NULL)
    sigma_event_depends_on (event, parent);
  else
    sigma_event_add_dependency_id (event, x->anchor_id);
  g_ptr_array_add (x->events, event);
  return event;
}

/* The object member @member of @obj, or NULL when it is missing or not an object. */
static JsonObject *
object_member (JsonObject *obj,
               const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonNode *
copy_member (JsonObject *obj,
             const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  return node != NULL ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
}

/* The empty conversations the replayed messages go into: ARE's create_and_add_message
 * needs the conversation to exist. */
static gboolean
add_conversation_shells (SigmaApp     *app,
                         MaterialApp  *material,
                         GArray       *order,
                         guint         n,
                         gdouble       start,
                         GError      **error)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (app);
  JsonObject *conversations;

  if (state == NULL || !JSON_NODE_HOLDS_OBJECT (state))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "App '%s' has no state to add background conversations to", sigma_app_get_name (app));
      return FALSE;
    }
  conversations = object_member (json_node_get_object (state), "conversations");
  if (conversations == NULL)
    {
      conversations = json_object_new ();
      json_object_set_object_member (json_node_get_object (state), "conversations", conversations);
    }
  for (guint i = 0; i < n; i++)
    {
      guint index = g_array_index (order, guint, i);
      const char *key = g_ptr_array_index (material->keys, index);
      JsonObject *source = g_ptr_array_index (material->items, index);
      JsonObject *shell;

      if (json_object_has_member (conversations, key))
        continue;
      shell = json_object_new ();
      json_object_set_string_member (shell, "conversation_id", key);
      json_object_set_member (shell, "participant_ids", copy_member (source, "participant_ids"));
      json_object_set_array_member (shell, "messages", json_array_new ());
      json_object_set_member (shell, "title", copy_member (source, "title"));
      json_object_set_double_member (shell, "last_updated", start);
      json_object_set_object_member (conversations, key, shell);
    }
  if (!sigma_app_load_state (app, state, error))
    {
      g_prefix_error (error, "Adding background conversations to app '%s': ", sigma_app_get_name (app));
      return FALSE;
    }
  return TRUE;
}

static gboolean
expand_messaging (Expansion    *x,
                  SigmaApp     *app,
                  MaterialApp  *material,
                  guint         n_app,
                  GRand        *sample,
                  GRand        *timing,
                  GError      **error)
{
  const char *app_name = sigma_app_get_name (app);
  guint n_conversations = material->items->len;
  guint k = MIN (MAX (n_app / x->n_messages, n_conversations), n_conversations);
  g_autoptr(GArray) order = shuffled_indices (sample, n_conversations);
  g_autoptr(GArray) starts = poisson_times (timing, x->horizon, k);
  guint n_kept = 0;

  while (n_kept < k && g_array_index (starts, gdouble, n_kept) <= x->horizon)
    n_kept++;
  if (n_kept == 0)
    return TRUE;
  if (!add_conversation_shells (app, material, order, n_kept,
                                sigma_environment_get_start_time (x->env), error))
    return FALSE;

  for (guint i = 0; i < n_kept; i++)
    {
      guint index = g_array_index (order, guint, i);
      const char *key = g_ptr_array_index (material->keys, index);
      JsonArray *messages = json_object_get_array_member (g_ptr_array_index (material->items, index), "messages");
      guint n = MIN (json_array_get_length (messages), x->n_messages);
      gdouble start = g_array_index (starts, gdouble, i);
      gdouble t = start;
      SigmaEvent *previous = NULL;

      for (guint j = 0; j < n; j++)
        {
          JsonObject *message = json_array_get_object_element (messages, j);
          gdouble gap = j == 0 ? start : draw_exponential (timing, (x->horizon - start) / n);
          g_autofree char *part = g_strdup_printf ("%u", j);
          g_autofree char *conversation_key = g_strdup_printf ("%s_%s", key, part);
          g_autofree char *id = make_id (app_name, "message", conversation_key);
          JsonObject *args;

          t += j == 0 ? 0.0 : gap;
          if (t > x->horizon)
            break;
          args = json_object_new ();
          json_object_set_string_member (args, "conversation_id", key);
          json_object_set_string_member (args, "sender_id", json_object_get_string_member (message, "sender_id"));
          json_object_set_string_member (args, "content", json_object_get_string_member (message, "content"));
          previous = add_event (x, app_name, "create_and_add_message", args, id, previous, gap);
        }
    }
  return TRUE;
}

/* The arguments of ARE's create_and_add_email for one email of the material. */
static JsonObject *
email_args (JsonObject *email)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "sender", json_object_get_string_member (email, "sender"));
  json_object_set_member (args, "recipients", copy_member (email, "recipients"));
  json_object_set_string_member (args, "subject", json_object_get_string_member_with_default (email, "subject", ""));
  json_object_set_string_member (args, "content", json_object_get_string_member_with_default (email, "content", ""));
  json_object_set_string_member (args, "folder_name", "INBOX");
  return args;
}

/* The arguments of ARE's add_new_apartment for one apartment of the material. */
static JsonObject *
apartment_args (JsonObject *apartment)
{
  static const char * const copied[] = {
    "name", "location", "zip_code", "property_type", "furnished_status", "floor_level",
    "pet_policy", "lease_term", "amenities",
  };
  JsonObject *args = json_object_new ();

  for (gsize c = 0; c < G_N_ELEMENTS (copied); c++)
    if (json_object_has_member (apartment, copied[c]) && !json_object_get_null_member (apartment, copied[c]))
      json_object_set_member (args, copied[c], json_node_copy (json_object_get_member (apartment, copied[c])));
  /* ARE renames the counts, drops the id and makes the price a float */
  json_object_set_double_member (args, "price", json_object_get_double_member (apartment, "price"));
  json_object_set_int_member (args, "number_of_bedrooms",
                              (gint64) json_object_get_double_member (apartment, "bedrooms"));
  json_object_set_int_member (args, "number_of_bathrooms",
                              (gint64) json_object_get_double_member (apartment, "bathrooms"));
  json_object_set_int_member (args, "square_footage",
                              (gint64) json_object_get_double_member (apartment, "square_footage"));
  return args;
}

/* One event calling @function per item, for up to @n_app items of @material drawn in a
 * random order at Poisson times; @make_args builds the arguments of an item. The event id
 * is made of @part and the item's key, or its index when it has none. */
static void
expand_items (Expansion   *x,
              SigmaApp    *app,
              MaterialApp *material,
              guint        n_app,
              GRand       *sample,
              GRand       *timing,
              const char  *part,
              const char  *function,
              JsonObject *(*make_args) (JsonObject *item))
{
  const char *app_name = sigma_app_get_name (app);
  guint m = MIN (material->items->len, n_app);
  g_autoptr(GArray) order = shuffled_indices (sample, material->items->len);
  g_autoptr(GArray) times = poisson_times (timing, x->horizon, m);

  for (guint i = 0; i < m; i++)
    {
      guint index = g_array_index (order, guint, i);
      const char *key = g_ptr_array_index (material->keys, index);
      gdouble t = g_array_index (times, gdouble, i);
      g_autofree char *index_key = key == NULL ? g_strdup_printf ("%u", index) : NULL;
      g_autofree char *id = make_id (app_name, part, key != NULL ? key : index_key);

      if (t > x->horizon)
        break;
      add_event (x, app_name, function, make_args (g_ptr_array_index (material->items, index)), id, NULL, t);
    }
}

static void
expand_shopping (Expansion   *x,
                 SigmaApp    *app,
                 MaterialApp *material,
                 guint        n_app,
                 GRand       *sample,
                 GRand       *timing)
{
  const char *app_name = sigma_app_get_name (app);
  guint m = MIN (material->items->len, n_app / x->n_items);
  g_autoptr(GArray) order = shuffled_indices (sample, material->items->len);
  g_autoptr(GArray) times = poisson_times (timing, x->horizon, m);
  gdouble discount_mean = floor (x->horizon / 2.0);

  for (guint i = 0; i < m; i++)
    {
      guint index = g_array_index (order, guint, i);
      const char *product_key = g_ptr_array_index (material->keys, index);
      JsonObject *product = g_ptr_array_index (material->items, index);
      JsonObject *variants = object_member (product, "variants");
      gdouble start = g_array_index (times, gdouble, i);
      g_autofree char *product_id = make_id (app_name, "product", product_key);
      g_autofree char *placeholder = g_strdup_printf ("{{%s}}", product_id);
      SigmaEvent *previous;
      JsonObjectIter iter;
      const char *item_key;
      JsonNode *node;
      JsonObject *args;
      guint n, j = 0;
      gdouble t = start;

      if (start > x->horizon)
        continue;
      args = json_object_new ();
      json_object_set_string_member (args, "name", json_object_get_string_member (product, "name"));
      previous = add_event (x, app_name, "add_product", args, product_id, NULL, start);
      if (variants == NULL)
        continue;

      n = MIN (json_object_get_size (variants), x->n_items);
      json_object_iter_init_ordered (&iter, variants);
      while (j < n && json_object_iter_next_ordered (&iter, &item_key, &node))
        {
          JsonObject *variant = json_node_get_object (node);
          gdouble gap = draw_exponential (timing, (x->horizon - start) / n);
          g_autofree char *item_id = make_id (app_name, "item", item_key);
          JsonObject *codes;
          SigmaEvent *item;

          j++;
          t += gap;
          if (t > x->horizon)
            break;
          args = json_object_new ();
          json_object_set_string_member (args, "product_id", placeholder);
          json_object_set_double_member (args, "price", json_object_get_double_member (variant, "price"));
          json_object_set_member (args, "options", json_object_has_member (variant, "options") &&
                                                   !json_object_get_null_member (variant, "options")
                                                   ? json_node_copy (json_object_get_member (variant, "options"))
                                                   : json_node_init_object (json_node_alloc (), json_object_new ()));
          json_object_set_boolean_member (args, "available",
                                          json_object_get_boolean_member_with_default (variant, "available", TRUE));
          item = add_event (x, app_name, "add_item_to_product", args, item_id, previous, gap);
          previous = item;

          codes = material->discount_codes != NULL
                  ? object_member (material->discount_codes, item_key) : NULL;
          if (codes != NULL && json_object_get_size (codes) > 0)
            {
              g_autofree char *discount_id = make_id (app_name, "discount", item_key);
              g_autofree char *item_placeholder = g_strdup_printf ("{{%s}}", item_id);
              JsonObjectIter code_iter;
              const char *code;
              JsonNode *percent;
              JsonObject *copy = json_object_new ();

              json_object_iter_init_ordered (&code_iter, codes);
              while (json_object_iter_next_ordered (&code_iter, &code, &percent))
                json_object_set_double_member (copy, code, json_node_get_double (percent));
              args = json_object_new ();
              json_object_set_string_member (args, "item_id", item_placeholder);
              json_object_set_object_member (args, "discount_code", copy);
              add_event (x, app_name, "add_discount_code", args, discount_id, item,
                         draw_exponential (timing, discount_mean));
            }
        }
    }
}

/* The start condition when the scenario has no events: true once the user has sent the
 * agent a first message. It reads the log from where it stopped last time. */
static gboolean
user_has_spoken (SigmaEnvironment *env,
                 gpointer          user_data)
{
  guint *scanned = user_data;
  SigmaEventLog *log = sigma_environment_get_log (env);
  guint length = sigma_event_log_get_length (log);

  for (; *scanned < length; (*scanned)++)
    {
      SigmaCompletedEvent *event = sigma_event_log_get (log, *scanned);

      if (g_strcmp0 (sigma_completed_event_get_function (event), "send_message_to_agent") == 0 &&
          !sigma_completed_event_is_failure (event))
        return TRUE;
    }
  return FALSE;
}

/* The scenario's first event without dependencies that runs in this environment. */
static SigmaEvent *
find_anchor (SigmaEnvironment *env)
{
  g_autoptr(GPtrArray) events = sigma_environment_list_events (env);

  for (guint i = 0; i < events->len; i++)
    {
      SigmaEvent *event = g_ptr_array_index (events, i);
      g_auto(GStrv) deps = sigma_event_dup_dependency_ids (event);
      SigmaEventType type = sigma_event_get_event_type (event);

      if (deps != NULL && deps[0] != NULL)
        continue;
      if (type == SIGMA_EVENT_TYPE_ENV || type == SIGMA_EVENT_TYPE_USER || type == SIGMA_EVENT_TYPE_CONDITION ||
          (type == SIGMA_EVENT_TYPE_AGENT && sigma_environment_get_oracle_mode (env)))
        return event;
    }
  return NULL;
}

static gdouble
horizon_for (SigmaNoiseConfig *self,
             SigmaEnvironment *env,
             SigmaScenario    *scenario)
{
  if (self->horizon > 0.0)
    return self->horizon;
  if (scenario != NULL && sigma_scenario_get_duration (scenario) > 0.0)
    return sigma_scenario_get_duration (scenario);
  if (sigma_environment_get_duration (env) > 0.0)
    return sigma_environment_get_duration (env);
  return DEFAULT_HORIZON;
}

static gboolean
apply_tool_names (SigmaNoiseConfig  *self,
                  SigmaEnvironment  *env,
                  JsonNode          *scenario_augmentation,
                  GError           **error)
{
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) descriptions = NULL;
  g_autoptr(GList) keys = NULL;

  if (g_hash_table_size (self->tool_names) > 0 || g_hash_table_size (self->tool_descriptions) > 0 ||
      scenario_augmentation == NULL)
    {
      names = g_hash_table_ref (self->tool_names);
      descriptions = g_hash_table_ref (self->tool_descriptions);
    }
  else
    {
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      descriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (!read_mapping (json_node_get_object (scenario_augmentation), "scenario augmentation",
                         "tool_names_mapping", names, error) ||
          !read_mapping (json_node_get_object (scenario_augmentation), "scenario augmentation",
                         "tool_descriptions_mapping", descriptions, error))
        return FALSE;
    }

  /* sorted, so that a clash is reported the same way every time */
  keys = g_list_sort (g_list_concat (g_hash_table_get_keys (names), g_hash_table_get_keys (descriptions)),
                      (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *tool = l->data;
      const char *sep = strstr (tool, "__");
      g_autofree char *app_name = sep != NULL ? g_strndup (tool, (gsize) (sep - tool)) : NULL;
      SigmaApp *app = app_name != NULL ? sigma_environment_get_app (env, app_name) : NULL;

      /* mappings cover the whole universe: tools of apps this scenario lacks are skipped */
      if (app == NULL || sigma_app_lookup_tool (app, sep + 2) == NULL)
        continue;
      if (!sigma_environment_rename_tool (env, tool, g_hash_table_lookup (names, tool),
                                          g_hash_table_lookup (descriptions, tool), error))
        return FALSE;
    }
  return TRUE;
}

/**
 * sigma_noise_config_apply:
 * @self: a #SigmaNoiseConfig
 * @env: an environment whose scenario is set up (apps added, events scheduled) and whose
 *   clock has not started
 * @scenario: (nullable): the scenario, for its duration and its #SigmaScenario:augmentation
 * @error: return location for a #GError
 *
 * Adds the noise to @env, as ARE's scenario expander and tool augmentation do (see
 * `doc/noise.md`):
 *
 * - background ENV events, `N = rate × horizon / 60` of them shared among the email,
 *   messaging, shopping and apartment apps of @env in proportion to their weights, at the
 *   times of a Poisson process over the horizon, each with an id starting with
 *   %SIGMA_NOISE_EVENT_PREFIX. They hang off the scenario's first event without
 *   dependencies, or, when @env has no events, off a condition that becomes true once the
 *   user has sent a first `send_message_to_agent`. Messaging apps get the sampled
 *   conversations as empty conversations at once, their messages later;
 * - the tool failure probability, on every app of @env (agent calls only);
 * - the agent-facing tool names and descriptions: the config's, else the scenario's
 *   `tool_names_mapping` and `tool_descriptions_mapping`, for the tools @env has.
 *
 * Apps of @env that the material has nothing for get no events. Two calls with the same
 * seed on the same setup schedule the same events.
 *
 * Returns: %TRUE on success; %FALSE with @error set to %SIGMA_ERROR_INVALID_STATE when the
 *   environment has started, %SIGMA_ERROR_INVALID_DATA when the scenario's augmentation
 *   data is malformed (naming the member), or a scheduling or renaming error
 */
gboolean
sigma_noise_config_apply (SigmaNoiseConfig  *self,
                          SigmaEnvironment  *env,
                          SigmaScenario     *scenario,
                          GError           **error)
{
  g_autoptr(JsonNode) universe = NULL;
  g_autoptr(GPtrArray) material = NULL;
  g_autoptr(GPtrArray) apps = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) pairs_app = NULL;
  g_autoptr(GPtrArray) pairs_material = NULL;
  g_autofree char *anchor_id = NULL;
  JsonNode *scenario_augmentation = NULL;
  SigmaEvent *anchor;
  Expansion x = { 0 };
  gdouble total_weight = 0.0;
  guint64 n_total;

  g_return_val_if_fail (SIGMA_IS_NOISE_CONFIG (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_ENVIRONMENT (env), FALSE);
  g_return_val_if_fail (scenario == NULL || SIGMA_IS_SCENARIO (scenario), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (sigma_environment_get_state (env) != SIGMA_ENVIRONMENT_STATE_SETUP)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "Cannot add noise to an environment that has started");
      return FALSE;
    }
  if (scenario != NULL)
    {
      scenario_augmentation = sigma_scenario_get_augmentation (scenario);
      if (scenario_augmentation != NULL && !JSON_NODE_HOLDS_OBJECT (scenario_augmentation))
        return invalid (error, "scenario augmentation", NULL, "an object");
    }

  /* the material */
  if (self->augmentation != NULL)
    material = read_material (self->augmentation, "augmentation", error);
  else if (scenario_augmentation != NULL &&
           json_object_has_member (json_node_get_object (scenario_augmentation), "apps"))
    material = read_material (scenario_augmentation, "scenario augmentation", error);
  else
    {
      universe = load_default_universe (error);
      if (universe != NULL)
        material = read_material (universe, "resource://" UNIVERSE_RESOURCE, error);
    }
  if (material == NULL)
    return FALSE;

  /* tool augmentation */
  if (!apply_tool_names (self, env, scenario_augmentation, error))
    return FALSE;
  apps = sigma_environment_list_apps (env);
  if (self->failure_probability > 0.0)
    for (guint i = 0; i < apps->len; i++)
      sigma_app_set_failure_probability (g_ptr_array_index (apps, i), self->failure_probability);

  /* which app gets what: the material app of the same name, else the first of its class */
  pairs_app = g_ptr_array_new ();
  pairs_material = g_ptr_array_new ();
  for (guint i = 0; i < apps->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (apps, i);
      const char *class_name = sigma_app_get_class_name (app);
      const char *canonical = canonical_class (class_name != NULL ? class_name : sigma_app_get_name (app));
      MaterialApp *match = NULL;

      if (kind_of_class (canonical) == KIND_NONE || sigma_noise_config_get_app_weight (self, canonical) <= 0.0)
        continue;
      for (guint j = 0; j < material->len && match == NULL; j++)
        {
          MaterialApp *candidate = g_ptr_array_index (material, j);

          if (g_str_equal (candidate->name, sigma_app_get_name (app)) &&
              candidate->kind == kind_of_class (canonical))
            match = candidate;
        }
      for (guint j = 0; j < material->len && match == NULL; j++)
        {
          MaterialApp *candidate = g_ptr_array_index (material, j);

          if (candidate->kind == kind_of_class (canonical))
            match = candidate;
        }
      if (match == NULL || match->items->len == 0)
        continue;
      g_ptr_array_add (pairs_app, app);
      g_ptr_array_add (pairs_material, match);
      total_weight += sigma_noise_config_get_app_weight (self, canonical);
    }

  x.env = env;
  x.horizon = horizon_for (self, env, scenario);
  x.n_messages = self->n_messages;
  x.n_items = self->n_items;
  n_total = (guint64) (self->rate * x.horizon / 60.0);
  if (n_total == 0 || pairs_app->len == 0)
    return TRUE;
  if (n_total > G_MAXUINT)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Noise rate %g per minute over %g s asks for %" G_GUINT64_FORMAT " events, too many",
                   self->rate, x.horizon, n_total);
      return FALSE;
    }

  events = g_ptr_array_new_with_free_func (g_object_unref);
  anchor = find_anchor (env);
  if (anchor != NULL)
    anchor_id = g_strdup (sigma_event_get_event_id (anchor));
  else
    {
      SigmaEvent *start = sigma_condition_event_new ("user_has_spoken", user_has_spoken,
                                                     g_new0 (guint, 1), g_free);

      sigma_event_set_event_id (start, START_CONDITION_ID);
      sigma_condition_event_set_every_ticks (SIGMA_CONDITION_EVENT (start), START_CONDITION_EVERY_TICKS);
      g_ptr_array_add (events, start);
      anchor_id = g_strdup (START_CONDITION_ID);
    }
  if (anchor_id == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_EVENT,
                   "The scenario's first event has no id to hang background events on");
      return FALSE;
    }
  x.anchor_id = anchor_id;
  x.events = events;

  for (guint i = 0; i < pairs_app->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (pairs_app, i);
      MaterialApp *mat = g_ptr_array_index (pairs_material, i);
      const char *canonical = canonical_class (sigma_app_get_class_name (app) != NULL ? sigma_app_get_class_name (app)
                                                                                     : sigma_app_get_name (app));
      guint n_app = (guint) (sigma_noise_config_get_app_weight (self, canonical) / total_weight * (gdouble) n_total);
      g_autofree char *sample_stream = g_strdup_printf ("noise.%s.sample", sigma_app_get_name (app));
      g_autofree char *timing_stream = g_strdup_printf ("noise.%s.timing", sigma_app_get_name (app));
      guint32 sample_seed = sigma_derive_seed (self->seed, sample_stream);
      guint32 timing_seed = sigma_derive_seed (self->seed, timing_stream);
      g_autoptr(GRand) sample = g_rand_new_with_seed_array (&sample_seed, 1);
      g_autoptr(GRand) timing = g_rand_new_with_seed_array (&timing_seed, 1);

      switch (mat->kind)
        {
        case KIND_MESSAGING:
          if (!expand_messaging (&x, app, mat, n_app, sample, timing, error))
            return FALSE;
          break;
        case KIND_EMAIL:
          expand_items (&x, app, mat, n_app, sample, timing, "email", "create_and_add_email", email_args);
          break;
        case KIND_SHOPPING:
          expand_shopping (&x, app, mat, n_app, sample, timing);
          break;
        case KIND_APARTMENT:
          expand_items (&x, app, mat, n_app, sample, timing, "apartment", "add_new_apartment",
                        apartment_args);
          break;
        case KIND_NONE:
        default:
          g_assert_not_reached ();
        }
    }

  return sigma_environment_schedule_events (env, events, error);
}
