/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-enum-types.h"
#include "sigma-error.h"
#include "sigma-scenario-registry.h"

/**
 * SigmaScenarioInfo:
 *
 * What the registry knows of a scenario before creating it: its id, summary, tags, where it
 * comes from, and how to create it (a #SigmaScenario subtype, or a factory).
 *
 * Since: 0.1
 */

struct _SigmaScenarioInfo
{
  GObject               parent_instance;
  char                 *scenario_id;
  char                 *summary;
  GStrv                 tags;
  char                 *location;
  SigmaScenarioSource   source;
  GType                 type;
  SigmaScenarioFactory  factory;
  gpointer              factory_data;
  GDestroyNotify        factory_destroy;
};

G_DEFINE_FINAL_TYPE (SigmaScenarioInfo, sigma_scenario_info, G_TYPE_OBJECT)

static void
sigma_scenario_info_finalize (GObject *object)
{
  SigmaScenarioInfo *self = SIGMA_SCENARIO_INFO (object);

  if (self->factory_destroy != NULL)
    self->factory_destroy (self->factory_data);
  g_free (self->scenario_id);
  g_free (self->summary);
  g_strfreev (self->tags);
  g_free (self->location);

  G_OBJECT_CLASS (sigma_scenario_info_parent_class)->finalize (object);
}

static void
sigma_scenario_info_class_init (SigmaScenarioInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_scenario_info_finalize;
}

static void
sigma_scenario_info_init (SigmaScenarioInfo *self)
{
}

/**
 * sigma_scenario_info_get_scenario_id:
 * @self: a #SigmaScenarioInfo
 *
 * Returns: the scenario id
 */
const char *
sigma_scenario_info_get_scenario_id (SigmaScenarioInfo *self)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_INFO (self), NULL);
  return self->scenario_id;
}

/**
 * sigma_scenario_info_get_summary:
 * @self: a #SigmaScenarioInfo
 *
 * Returns: a one-line summary
 */
const char *
sigma_scenario_info_get_summary (SigmaScenarioInfo *self)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_INFO (self), NULL);
  return self->summary;
}

/**
 * sigma_scenario_info_get_tags:
 * @self: a #SigmaScenarioInfo
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags
 */
const char * const *
sigma_scenario_info_get_tags (SigmaScenarioInfo *self)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_INFO (self), NULL);
  return (const char * const *) self->tags;
}

/**
 * sigma_scenario_info_get_source:
 * @self: a #SigmaScenarioInfo
 *
 * Returns: where the scenario comes from
 */
SigmaScenarioSource
sigma_scenario_info_get_source (SigmaScenarioInfo *self)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_INFO (self), SIGMA_SCENARIO_SOURCE_APPLICATION);
  return self->source;
}

/**
 * sigma_scenario_info_get_location:
 * @self: a #SigmaScenarioInfo
 *
 * Returns: (nullable): the plugin or file the scenario comes from
 */
const char *
sigma_scenario_info_get_location (SigmaScenarioInfo *self)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_INFO (self), NULL);
  return self->location;
}

/**
 * sigma_scenario_info_get_scenario_type:
 * @self: a #SigmaScenarioInfo
 *
 * Returns: the #SigmaScenario subtype, or %G_TYPE_INVALID for a factory-made scenario
 */
GType
sigma_scenario_info_get_scenario_type (SigmaScenarioInfo *self)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_INFO (self), G_TYPE_INVALID);
  return self->type;
}

/**
 * sigma_scenario_info_create:
 * @self: a #SigmaScenarioInfo
 * @error: return location for a #GError
 *
 * Creates a new instance of the scenario, with its registered id.
 *
 * Returns: (transfer full): the scenario, or %NULL with @error set
 */
SigmaScenario *
sigma_scenario_info_create (SigmaScenarioInfo  *self,
                            GError            **error)
{
  SigmaScenario *scenario;

  g_return_val_if_fail (SIGMA_IS_SCENARIO_INFO (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->factory != NULL)
    {
      scenario = self->factory (self->scenario_id, self->factory_data, error);
      if (scenario == NULL && error != NULL && *error == NULL)
        g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED,
                     "Scenario '%s' could not be created", self->scenario_id);
      return scenario;
    }
  return g_object_new (self->type, "scenario-id", self->scenario_id, NULL);
}

/**
 * SigmaScenarioRegistry:
 *
 * Scenario ids mapped to what creates the scenario, as a #GListModel of #SigmaScenarioInfo
 * in registration order. Registries are explicit objects — there is no global one — so a
 * program and its tests each keep their own.
 *
 * Since: 0.1
 */

struct _SigmaScenarioRegistry
{
  GObject     parent_instance;
  GPtrArray  *infos;     /* SigmaScenarioInfo */
  GHashTable *by_id;     /* id → SigmaScenarioInfo */
};

static void sigma_scenario_registry_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SigmaScenarioRegistry, sigma_scenario_registry, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sigma_scenario_registry_list_model_init))

static GType
registry_get_item_type (GListModel *model)
{
  return SIGMA_TYPE_SCENARIO_INFO;
}

static guint
registry_get_n_items (GListModel *model)
{
  return SIGMA_SCENARIO_REGISTRY (model)->infos->len;
}

static gpointer
registry_get_item (GListModel *model,
                   guint       position)
{
  SigmaScenarioRegistry *self = SIGMA_SCENARIO_REGISTRY (model);

  if (position >= self->infos->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->infos, position));
}

static void
sigma_scenario_registry_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = registry_get_item_type;
  iface->get_n_items = registry_get_n_items;
  iface->get_item = registry_get_item;
}

static void
sigma_scenario_registry_finalize (GObject *object)
{
  SigmaScenarioRegistry *self = SIGMA_SCENARIO_REGISTRY (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);

  G_OBJECT_CLASS (sigma_scenario_registry_parent_class)->finalize (object);
}

static void
sigma_scenario_registry_class_init (SigmaScenarioRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_scenario_registry_finalize;
}

static void
sigma_scenario_registry_init (SigmaScenarioRegistry *self)
{
  self->infos = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * sigma_scenario_registry_new:
 *
 * Returns: (transfer full): an empty registry
 */
SigmaScenarioRegistry *
sigma_scenario_registry_new (void)
{
  return g_object_new (SIGMA_TYPE_SCENARIO_REGISTRY, NULL);
}

static gboolean
check_id (SigmaScenarioRegistry  *self,
          const char             *scenario_id,
          GError                **error)
{
  if (scenario_id == NULL || *scenario_id == '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT, "A scenario id must not be empty");
      return FALSE;
    }
  if (g_hash_table_contains (self->by_id, scenario_id))
    {
      SigmaScenarioInfo *other = g_hash_table_lookup (self->by_id, scenario_id);
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_DUPLICATE_ID,
                   "A scenario with id '%s' is already registered (from %s)", scenario_id,
                   other->location != NULL ? other->location : "the program");
      return FALSE;
    }
  return TRUE;
}

static void
add_info (SigmaScenarioRegistry *self,
          SigmaScenarioInfo     *info)
{
  guint position = self->infos->len;

  g_ptr_array_add (self->infos, info);
  g_hash_table_insert (self->by_id, info->scenario_id, info);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static SigmaScenarioInfo *
info_new (const char          *scenario_id,
          const char          *summary,
          const char * const  *tags,
          SigmaScenarioSource  source,
          const char          *location)
{
  SigmaScenarioInfo *info = g_object_new (SIGMA_TYPE_SCENARIO_INFO, NULL);

  info->scenario_id = g_strdup (scenario_id);
  info->summary = g_strdup (summary != NULL ? summary : "");
  info->tags = tags != NULL ? g_strdupv ((char **) tags) : g_new0 (char *, 1);
  info->source = source;
  info->location = g_strdup (location);
  return info;
}

/**
 * sigma_scenario_registry_register_full:
 * @self: a #SigmaScenarioRegistry
 * @scenario_id: a unique id
 * @summary: (nullable): a one-line summary
 * @tags: (nullable) (array zero-terminated=1): tags
 * @source: where the scenario comes from
 * @location: (nullable): the plugin or file it comes from
 * @type: an instantiable #SigmaScenario subtype
 * @error: return location for a #GError
 *
 * Registers a scenario type.
 *
 * Returns: %TRUE on success; %FALSE with %SIGMA_ERROR_DUPLICATE_ID for an id already taken,
 *   or %SIGMA_ERROR_INVALID_ARGUMENT for a type that is not an instantiable scenario
 */
gboolean
sigma_scenario_registry_register_full (SigmaScenarioRegistry  *self,
                                       const char             *scenario_id,
                                       const char             *summary,
                                       const char * const     *tags,
                                       SigmaScenarioSource     source,
                                       const char             *location,
                                       GType                   type,
                                       GError                **error)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_type_is_a (type, SIGMA_TYPE_SCENARIO))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Cannot register scenario '%s': type '%s' is not a SigmaScenario",
                   scenario_id != NULL ? scenario_id : "(null)", g_type_name (type) != NULL ? g_type_name (type) : "invalid");
      return FALSE;
    }
  if (G_TYPE_IS_ABSTRACT (type))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Cannot register scenario '%s': type '%s' is abstract",
                   scenario_id != NULL ? scenario_id : "(null)", g_type_name (type));
      return FALSE;
    }
  if (!check_id (self, scenario_id, error))
    return FALSE;

  {
    SigmaScenarioInfo *info = info_new (scenario_id, summary, tags, source, location);
    info->type = type;
    add_info (self, info);
  }
  return TRUE;
}

/**
 * sigma_scenario_registry_register:
 * @self: a #SigmaScenarioRegistry
 * @scenario_id: a unique id
 * @summary: (nullable): a one-line summary
 * @type: an instantiable #SigmaScenario subtype
 * @error: return location for a #GError
 *
 * Registers a scenario type of the program itself.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_scenario_registry_register (SigmaScenarioRegistry  *self,
                                  const char             *scenario_id,
                                  const char             *summary,
                                  GType                   type,
                                  GError                **error)
{
  return sigma_scenario_registry_register_full (self, scenario_id, summary, NULL,
                                                SIGMA_SCENARIO_SOURCE_APPLICATION, NULL, type, error);
}

/**
 * sigma_scenario_registry_register_factory:
 * @self: a #SigmaScenarioRegistry
 * @scenario_id: a unique id
 * @summary: (nullable): a one-line summary
 * @tags: (nullable) (array zero-terminated=1): tags
 * @source: where the scenario comes from
 * @location: (nullable): the plugin or file it comes from
 * @factory: (scope notified) (closure user_data) (destroy destroy): creates the scenario
 * @user_data: data for @factory
 * @destroy: (nullable): frees @user_data
 * @error: return location for a #GError
 *
 * Registers a scenario made by a factory (for instance one read from a JSON file).
 *
 * Returns: %TRUE on success; %FALSE with %SIGMA_ERROR_DUPLICATE_ID for an id already taken
 */
gboolean
sigma_scenario_registry_register_factory (SigmaScenarioRegistry  *self,
                                          const char             *scenario_id,
                                          const char             *summary,
                                          const char * const     *tags,
                                          SigmaScenarioSource     source,
                                          const char             *location,
                                          SigmaScenarioFactory    factory,
                                          gpointer                user_data,
                                          GDestroyNotify          destroy,
                                          GError                **error)
{
  SigmaScenarioInfo *info;

  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (self), FALSE);
  g_return_val_if_fail (factory != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (self, scenario_id, error))
    {
      if (destroy != NULL)
        destroy (user_data);
      return FALSE;
    }

  info = info_new (scenario_id, summary, tags, source, location);
  info->type = G_TYPE_INVALID;
  info->factory = factory;
  info->factory_data = user_data;
  info->factory_destroy = destroy;
  add_info (self, info);
  return TRUE;
}

/**
 * sigma_scenario_registry_lookup:
 * @self: a #SigmaScenarioRegistry
 * @scenario_id: a scenario id
 *
 * Returns: (transfer none) (nullable): the scenario's info, or %NULL
 */
SigmaScenarioInfo *
sigma_scenario_registry_lookup (SigmaScenarioRegistry *self,
                                const char            *scenario_id)
{
  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (self), NULL);
  g_return_val_if_fail (scenario_id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, scenario_id);
}

/**
 * sigma_scenario_registry_create:
 * @self: a #SigmaScenarioRegistry
 * @scenario_id: a scenario id
 * @error: return location for a #GError
 *
 * Creates a registered scenario.
 *
 * Returns: (transfer full): the scenario, or %NULL with %SIGMA_ERROR_INVALID_ARGUMENT for an
 *   unknown id, or the factory's error
 */
SigmaScenario *
sigma_scenario_registry_create (SigmaScenarioRegistry  *self,
                                const char             *scenario_id,
                                GError                **error)
{
  SigmaScenarioInfo *info;

  g_return_val_if_fail (SIGMA_IS_SCENARIO_REGISTRY (self), NULL);
  g_return_val_if_fail (scenario_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = sigma_scenario_registry_lookup (self, scenario_id);
  if (info == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "No scenario with id '%s' is registered", scenario_id);
      return NULL;
    }
  return sigma_scenario_info_create (info, error);
}
