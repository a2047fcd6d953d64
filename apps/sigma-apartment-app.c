/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-apartment-app.h"
#include "sigma-app-util.h"
#include "sigma-completed-event.h"
#include "sigma-error.h"
#include "sigma-random.h"

/**
 * SigmaApartmentApp:
 *
 * Apartment listings to search and save (ARE's `ApartmentListingApp` and `RentAFlat`;
 * apps.md §12.2). Listings are keyed by apartment id; the user keeps a list of saved
 * (favourite) listings.
 *
 * Since: 0.1
 */

/* ------------------------------------------------------------------------------------ */
/* Apartments (ARE field order)                                                            */

typedef struct
{
  char      *name;
  char      *location;
  char      *zip_code;
  JsonNode  *price;              /* numbers keep their int or float kind */
  JsonNode  *bedrooms;
  JsonNode  *bathrooms;
  char      *property_type;
  JsonNode  *square_footage;
  char      *furnished_status;   /* this and the next three: "" by default, NULL for None */
  char      *floor_level;
  char      *pet_policy;
  char      *lease_term;
  char      *apartment_id;
  JsonArray *amenities;          /* of strings; NULL for None */
  gboolean   saved;
} Apartment;

static void
apartment_free (gpointer data)
{
  Apartment *apartment = data;

  g_free (apartment->name);
  g_free (apartment->location);
  g_free (apartment->zip_code);
  g_clear_pointer (&apartment->price, json_node_unref);
  g_clear_pointer (&apartment->bedrooms, json_node_unref);
  g_clear_pointer (&apartment->bathrooms, json_node_unref);
  g_free (apartment->property_type);
  g_clear_pointer (&apartment->square_footage, json_node_unref);
  g_free (apartment->furnished_status);
  g_free (apartment->floor_level);
  g_free (apartment->pet_policy);
  g_free (apartment->lease_term);
  g_free (apartment->apartment_id);
  g_clear_pointer (&apartment->amenities, json_array_unref);
  g_free (apartment);
}

static JsonNode *
apartment_to_json (Apartment *apartment)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "name", apartment->name);
  json_object_set_string_member (object, "location", apartment->location);
  json_object_set_string_member (object, "zip_code", apartment->zip_code);
  json_object_set_member (object, "price", json_node_copy (apartment->price));
  json_object_set_member (object, "bedrooms", json_node_copy (apartment->bedrooms));
  json_object_set_member (object, "bathrooms", json_node_copy (apartment->bathrooms));
  json_object_set_string_member (object, "property_type", apartment->property_type);
  json_object_set_member (object, "square_footage", json_node_copy (apartment->square_footage));
  json_object_set_member (object, "furnished_status", sigma_json_string (apartment->furnished_status));
  json_object_set_member (object, "floor_level", sigma_json_string (apartment->floor_level));
  json_object_set_member (object, "pet_policy", sigma_json_string (apartment->pet_policy));
  json_object_set_member (object, "lease_term", sigma_json_string (apartment->lease_term));
  json_object_set_string_member (object, "apartment_id", apartment->apartment_id);
  json_object_set_member (object, "amenities", apartment->amenities != NULL
                                                ? sigma_json_array (sigma_json_array_deep_copy (apartment->amenities))
                                                : sigma_json_null ());
  json_object_set_boolean_member (object, "saved", apartment->saved);
  return sigma_json_object (object);
}

/* ------------------------------------------------------------------------------------ */

struct _SigmaApartmentApp
{
  SigmaApp parent_instance;

  SigmaOrderedMap *apartments;   /* ARE's dict: apartment_id → Apartment, in insertion order */
  GPtrArray       *saved;        /* apartment ids (char *), in the order saved */
};

G_DEFINE_FINAL_TYPE (SigmaApartmentApp, sigma_apartment_app, SIGMA_TYPE_APP)

static void
clear_data (SigmaApartmentApp *self)
{
  sigma_ordered_map_clear (self->apartments);
  g_ptr_array_set_size (self->saved, 0);
}

static Apartment *
lookup_apartment (SigmaApartmentApp  *self,
                  const char         *apartment_id,
                  const char         *message,
                  GError            **error)
{
  Apartment *apartment = sigma_ordered_map_lookup (self->apartments, apartment_id);

  if (apartment == NULL)
    sigma_tool_error (error, "%s", message);
  return apartment;
}

static gboolean
find_saved (SigmaApartmentApp *self,
            const char        *apartment_id,
            guint             *index)
{
  return g_ptr_array_find_with_equal_func (self->saved, apartment_id, g_str_equal, index);
}

/* The saved apartments, {id: Apartment} in saved order. ARE's `delete_apartment` leaves a
 * deleted apartment in the saved list, and reading it then raises KeyError. */
static GPtrArray *
saved_apartments (SigmaApartmentApp  *self,
                  GError            **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->saved->len; i++)
    {
      const char *id = g_ptr_array_index (self->saved, i);
      Apartment *apartment = sigma_ordered_map_lookup (self->apartments, id);

      if (apartment == NULL)
        {
          sigma_tool_key_error (error, id);
          return NULL;
        }
      if (g_hash_table_add (seen, (gpointer) id))
        g_ptr_array_add (result, apartment);
    }
  return g_steal_pointer (&result);
}

/* {apartment_id: Apartment} */
static JsonNode *
apartments_to_json (GPtrArray *apartments)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < apartments->len; i++)
    {
      Apartment *apartment = g_ptr_array_index (apartments, i);
      json_object_set_member (object, apartment->apartment_id, apartment_to_json (apartment));
    }
  return sigma_json_object (object);
}

/* ------------------------------------------------------------------------------------ */
/* Data and environment tools                                                              */

static JsonNode *
add_new_apartment (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (app);
  Apartment *apartment = g_new0 (Apartment, 1);
  JsonArray *amenities = sigma_args_array (args, "amenities");

  apartment->name = g_strdup (sigma_args_string (args, "name"));
  apartment->location = g_strdup (sigma_args_string (args, "location"));
  apartment->zip_code = g_strdup (sigma_args_string (args, "zip_code"));
  /* A float parameter: kept as a float even when given as an integer. */
  apartment->price = sigma_json_double (sigma_args_double (args, "price"));
  apartment->bedrooms = sigma_json_int (sigma_args_int (args, "number_of_bedrooms"));
  apartment->bathrooms = sigma_json_int (sigma_args_int (args, "number_of_bathrooms"));
  apartment->property_type = g_strdup (sigma_args_string (args, "property_type"));
  apartment->square_footage = sigma_json_int (sigma_args_int (args, "square_footage"));
  apartment->furnished_status = g_strdup (sigma_args_string (args, "furnished_status"));
  apartment->floor_level = g_strdup (sigma_args_string (args, "floor_level"));
  apartment->pet_policy = g_strdup (sigma_args_string (args, "pet_policy"));
  apartment->lease_term = g_strdup (sigma_args_string (args, "lease_term"));
  apartment->apartment_id = sigma_random_uuid_hex (sigma_app_get_rand (app));
  /* None becomes [] */
  apartment->amenities = amenities != NULL ? sigma_json_array_deep_copy (amenities) : json_array_new ();

  sigma_ordered_map_insert (self->apartments, apartment->apartment_id, apartment);
  return sigma_json_string (apartment->apartment_id);
}

static JsonNode *
update_apartment (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  const char *apartment_id = sigma_args_string (args, "apartment_id");
  Apartment *apartment = lookup_apartment (SIGMA_APARTMENT_APP (app), apartment_id,
                                           "Apartment does not exist", error);

  if (apartment == NULL)
    return NULL;
  json_node_unref (apartment->price);
  apartment->price = sigma_json_double (sigma_args_double (args, "new_price"));
  return sigma_json_string (apartment_id);
}

static JsonNode *
delete_apartment (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (app);
  const char *apartment_id = sigma_args_string (args, "apartment_id");

  /* "does not exist." with a period here, unlike the other tools. */
  if (lookup_apartment (self, apartment_id, "Apartment does not exist.", error) == NULL)
    return NULL;
  sigma_ordered_map_remove (self->apartments, apartment_id);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Agent tools                                                                             */

static JsonNode *
list_all_apartments (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  g_autoptr(GPtrArray) apartments = sigma_ordered_map_get_values (SIGMA_APARTMENT_APP (app)->apartments);

  return apartments_to_json (apartments);
}

static JsonNode *
get_apartment_details (SigmaApp    *app,
                       JsonObject  *args,
                       gpointer     user_data,
                       GError     **error)
{
  Apartment *apartment = lookup_apartment (SIGMA_APARTMENT_APP (app), sigma_args_string (args, "apartment_id"),
                                           "Apartment does not exist", error);

  return apartment != NULL ? apartment_to_json (apartment) : NULL;
}

/* ARE returns None; the agent is shown "Successfully saved apartment" (doc/compat). */
static JsonNode *
save_apartment (SigmaApp    *app,
                JsonObject  *args,
                gpointer     user_data,
                GError     **error)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (app);
  const char *apartment_id = sigma_args_string (args, "apartment_id");
  Apartment *apartment = lookup_apartment (self, apartment_id, "Apartment does not exist", error);

  if (apartment == NULL)
    return NULL;
  if (!find_saved (self, apartment_id, NULL))
    {
      g_ptr_array_add (self->saved, g_strdup (apartment_id));
      apartment->saved = TRUE;
    }
  return NULL;
}

static JsonNode *
remove_saved_apartment (SigmaApp    *app,
                        JsonObject  *args,
                        gpointer     user_data,
                        GError     **error)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (app);
  const char *apartment_id = sigma_args_string (args, "apartment_id");
  Apartment *apartment;
  guint index;

  if (!find_saved (self, apartment_id, &index))
    {
      sigma_tool_error (error, "Apartment not in saved list");
      return NULL;
    }
  /* The id leaves the list before ARE looks the apartment up (KeyError once deleted). */
  apartment = sigma_ordered_map_lookup (self->apartments, apartment_id);
  if (apartment == NULL)
    sigma_tool_key_error (error, apartment_id);
  else
    apartment->saved = FALSE;
  g_ptr_array_remove_index (self->saved, index);
  return NULL;
}

static JsonNode *
list_saved_apartments (SigmaApp    *app,
                       JsonObject  *args,
                       gpointer     user_data,
                       GError     **error)
{
  g_autoptr(GPtrArray) saved = saved_apartments (SIGMA_APARTMENT_APP (app), error);

  return saved != NULL ? apartments_to_json (saved) : NULL;
}

/* The search criteria, lower-cased where ARE compares without case. Empty strings, empty
 * lists, zero and null all mean "any" (Python truthiness). */
typedef struct
{
  char      *name;
  char      *location;
  const char *zip_code;
  JsonNode  *min_price;
  JsonNode  *max_price;
  JsonNode  *bedrooms;
  JsonNode  *bathrooms;
  char      *property_type;
  JsonNode  *square_footage;
  char      *furnished_status;
  const char *floor_level;
  char      *pet_policy;
  char      *lease_term;
  GPtrArray *amenities;   /* lower-cased, or NULL */
} Search;

static void
search_clear (Search *search)
{
  g_free (search->name);
  g_free (search->location);
  g_free (search->property_type);
  g_free (search->furnished_status);
  g_free (search->pet_policy);
  g_free (search->lease_term);
  g_clear_pointer (&search->amenities, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Search, search_clear)

static gboolean
truthy_string (const char *value)
{
  return value != NULL && value[0] != '\0';
}

static char *
lower_or_null (const char *value)
{
  return truthy_string (value) ? g_utf8_strdown (value, -1) : NULL;
}

/* A numeric filter, or NULL when it is null or zero. */
static JsonNode *
number_filter (JsonObject *args,
               const char *name)
{
  JsonNode *node = json_object_get_member (args, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) && json_node_get_double (node) != 0.0 ? node : NULL;
}

static void
search_init (Search     *search,
             JsonObject *args)
{
  JsonArray *amenities = sigma_args_array (args, "amenities");

  search->name = lower_or_null (sigma_args_string (args, "name"));
  search->location = lower_or_null (sigma_args_string (args, "location"));
  search->zip_code = sigma_args_string (args, "zip_code");
  search->min_price = number_filter (args, "min_price");
  search->max_price = number_filter (args, "max_price");
  search->bedrooms = number_filter (args, "number_of_bedrooms");
  search->bathrooms = number_filter (args, "number_of_bathrooms");
  search->property_type = lower_or_null (sigma_args_string (args, "property_type"));
  search->square_footage = number_filter (args, "square_footage");
  search->furnished_status = lower_or_null (sigma_args_string (args, "furnished_status"));
  search->floor_level = sigma_args_string (args, "floor_level");
  search->pet_policy = lower_or_null (sigma_args_string (args, "pet_policy"));
  search->lease_term = lower_or_null (sigma_args_string (args, "lease_term"));
  if (amenities != NULL && json_array_get_length (amenities) > 0)
    {
      search->amenities = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (amenities); i++)
        g_ptr_array_add (search->amenities, g_utf8_strdown (json_array_get_string_element (amenities, i), -1));
    }
}

static gboolean
equals_lower (const char *text,
              const char *lower_value)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);

  return g_str_equal (lower, lower_value);
}

/* ARE's case-insensitive equality filters that an apartment without a value passes. */
static gboolean
optional_match (const char *value,
                const char *lower_filter)
{
  return lower_filter == NULL || !truthy_string (value) || equals_lower (value, lower_filter);
}

static gboolean
has_amenities (Apartment *apartment,
               GPtrArray *wanted)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; apartment->amenities != NULL && i < json_array_get_length (apartment->amenities); i++)
    g_hash_table_add (present, g_utf8_strdown (json_array_get_string_element (apartment->amenities, i), -1));
  for (guint i = 0; i < wanted->len; i++)
    if (!g_hash_table_contains (present, g_ptr_array_index (wanted, i)))
      return FALSE;
  return TRUE;
}

/* ARE's filters, in ARE's order. */
static gboolean
search_matches (Search    *s,
                Apartment *a)
{
  gdouble price = json_node_get_double (a->price);

  if (s->min_price != NULL && price < json_node_get_double (s->min_price))
    return FALSE;
  if (s->max_price != NULL && price > json_node_get_double (s->max_price))
    return FALSE;
  if (s->bedrooms != NULL && json_node_get_double (a->bedrooms) != json_node_get_double (s->bedrooms))
    return FALSE;
  if (s->bathrooms != NULL && json_node_get_double (a->bathrooms) != json_node_get_double (s->bathrooms))
    return FALSE;
  if (s->square_footage != NULL && json_node_get_double (a->square_footage) < json_node_get_double (s->square_footage))
    return FALSE;
  if (truthy_string (s->zip_code) && !g_str_equal (a->zip_code, s->zip_code))
    return FALSE;
  if (truthy_string (s->floor_level) && g_strcmp0 (a->floor_level, s->floor_level) != 0)
    return FALSE;
  if (s->name != NULL && !sigma_contains_folded (a->name, s->name))
    return FALSE;
  if (s->location != NULL && !sigma_contains_folded (a->location, s->location))
    return FALSE;
  if (s->property_type != NULL && !equals_lower (a->property_type, s->property_type))
    return FALSE;
  if (!optional_match (a->furnished_status, s->furnished_status) ||
      !optional_match (a->pet_policy, s->pet_policy) ||
      !optional_match (a->lease_term, s->lease_term))
    return FALSE;
  if (s->amenities != NULL && !has_amenities (a, s->amenities))
    return FALSE;
  return TRUE;
}

static JsonNode *
search_apartments (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (app);
  g_auto(Search) search = { 0 };
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  if (sigma_args_bool (args, "saved_only"))
    candidates = saved_apartments (self, error);
  else
    candidates = sigma_ordered_map_get_values (self->apartments);
  if (candidates == NULL)
    return NULL;

  search_init (&search, args);
  for (guint i = 0; i < candidates->len; i++)
    if (search_matches (&search, g_ptr_array_index (candidates, i)))
      g_ptr_array_add (found, g_ptr_array_index (candidates, i));
  return apartments_to_json (found);
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                   */

static gboolean
load_string (SigmaStateReader  *strict,
             JsonObject        *obj,
             const char        *path,
             const char        *member,
             gboolean           required,
             char             **field,
             GError           **error)
{
  const char *value = NULL;

  if (!sigma_state_get_string (strict, obj, path, member, required, &value, error))
    return FALSE;
  *field = g_strdup (value);
  return TRUE;
}

/* `str | None = ""`: absent is "", null is None. */
static gboolean
load_optional_string (SigmaStateReader  *strict,
                      JsonObject        *obj,
                      const char        *path,
                      const char        *member,
                      char             **field,
                      GError           **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    {
      *field = g_strdup ("");
      return TRUE;
    }
  return load_string (strict, obj, path, member, FALSE, field, error);
}

/* `list[str] | None = []`: absent is [], null is None. */
static gboolean
load_amenities (SigmaStateReader  *strict,
                JsonObject        *obj,
                const char        *path,
                JsonArray        **field,
                GError           **error)
{
  JsonNode *node = json_object_get_member (obj, "amenities");
  JsonArray *amenities = NULL;

  if (node == NULL)
    {
      *field = json_array_new ();
      return TRUE;
    }
  if (!sigma_state_get_array (strict, obj, path, "amenities", FALSE, &amenities, error))
    return FALSE;
  if (amenities == NULL)
    return TRUE;
  if (!sigma_state_check_strings (strict, amenities, path, "amenities", error))
    return FALSE;
  *field = sigma_json_array_deep_copy (amenities);
  return TRUE;
}

/* `Apartment(**d)` with the id taken from the key (a SigmaStateEntryFunc): the first eight
 * fields are required and any unknown key is an error. */
static gboolean
apartment_load (SigmaStateReader  *strict,
                const char        *key,
                JsonObject        *obj,
                const char        *path,
                gpointer           user_data,
                GError           **error)
{
  static const char * const fields[] = {
    "name", "location", "zip_code", "price", "bedrooms", "bathrooms", "property_type",
    "square_footage", "furnished_status", "floor_level", "pet_policy", "lease_term",
    "apartment_id", "amenities", "saved", NULL
  };
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (strict->app);
  Apartment *apartment = g_new0 (Apartment, 1);

  if (!sigma_state_check_members (strict, obj, path, fields, "unexpected field", error) ||
      !load_string (strict, obj, path, "name", TRUE, &apartment->name, error) ||
      !load_string (strict, obj, path, "location", TRUE, &apartment->location, error) ||
      !load_string (strict, obj, path, "zip_code", TRUE, &apartment->zip_code, error) ||
      !sigma_state_get_number_node (strict, obj, path, "price", TRUE, &apartment->price, error) ||
      !sigma_state_get_number_node (strict, obj, path, "bedrooms", TRUE, &apartment->bedrooms, error) ||
      !sigma_state_get_number_node (strict, obj, path, "bathrooms", TRUE, &apartment->bathrooms, error) ||
      !load_string (strict, obj, path, "property_type", TRUE, &apartment->property_type, error) ||
      !sigma_state_get_number_node (strict, obj, path, "square_footage", TRUE, &apartment->square_footage, error) ||
      !load_optional_string (strict, obj, path, "furnished_status", &apartment->furnished_status, error) ||
      !load_optional_string (strict, obj, path, "floor_level", &apartment->floor_level, error) ||
      !load_optional_string (strict, obj, path, "pet_policy", &apartment->pet_policy, error) ||
      !load_optional_string (strict, obj, path, "lease_term", &apartment->lease_term, error) ||
      !load_amenities (strict, obj, path, &apartment->amenities, error) ||
      !sigma_state_get_bool (strict, obj, path, "saved", FALSE, &apartment->saved, error))
    {
      apartment_free (apartment);
      return FALSE;
    }
  /* ARE overwrites the id with the key. */
  apartment->apartment_id = g_strdup (key);
  sigma_ordered_map_insert (self->apartments, key, apartment);
  return TRUE;
}

/*
 * The saved ids mark their apartments as saved. ARE raises KeyError for an id without an
 * apartment; Sigma keeps it, since its own tools produce such states (delete_apartment leaves
 * the id in the list) and get_state must load back (doc/compat/apartment-app.md).
 */
static gboolean
load_saved (SigmaApartmentApp  *self,
            SigmaStateReader   *r,
            JsonArray          *saved,
            GError            **error)
{
  SigmaStateReader strict = { r->app, FALSE };

  for (guint i = 0; i < json_array_get_length (saved); i++)
    {
      JsonNode *node = json_array_get_element (saved, i);
      GError *id_error = NULL;
      Apartment *apartment;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          sigma_state_problem (&strict, &id_error, "app_state.saved_apartments[%u]: expected a string", i);
          if (!sigma_state_skip_entry (r, id_error, error))
            return FALSE;
          continue;
        }
      g_ptr_array_add (self->saved, g_strdup (json_node_get_string (node)));
      apartment = sigma_ordered_map_lookup (self->apartments, json_node_get_string (node));
      if (apartment != NULL)
        apartment->saved = TRUE;
    }
  return TRUE;
}

/* ARE requires both members; Sigma reads a missing one as empty, so that the empty state of
 * PARE's augmentation data loads. ARE merges the apartments into the current ones; Sigma
 * replaces them, as every Sigma app does. */
static gboolean
sigma_apartment_app_load_state (SigmaApp  *app,
                                JsonNode  *state,
                                GError   **error)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  JsonObject *root, *apartments = NULL;
  JsonArray *saved = NULL;

  clear_data (self);
  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  if (!sigma_state_get_object (&r, root, "app_state", "apartments", FALSE, &apartments, error) ||
      (apartments != NULL &&
       !sigma_state_read_members (&r, apartments, "app_state.apartments", apartment_load, NULL, error)) ||
      !sigma_state_get_array (&r, root, "app_state", "saved_apartments", FALSE, &saved, error) ||
      (saved != NULL && !load_saved (self, &r, saved, error)))
    {
      clear_data (self);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
sigma_apartment_app_get_state (SigmaApp *app)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (app);
  JsonObject *state = json_object_new ();
  JsonArray *saved = json_array_sized_new (self->saved->len);
  g_autoptr(GPtrArray) apartments = sigma_ordered_map_get_values (self->apartments);

  for (guint i = 0; i < self->saved->len; i++)
    json_array_add_string_element (saved, g_ptr_array_index (self->saved, i));
  json_object_set_member (state, "apartments", apartments_to_json (apartments));
  json_object_set_array_member (state, "saved_apartments", saved);
  return sigma_json_object (state);
}

static void
sigma_apartment_app_reset (SigmaApp *app)
{
  clear_data (SIGMA_APARTMENT_APP (app));
}

/* ------------------------------------------------------------------------------------ */
/* Notifications (ARE's notification_system.py)                                           */

static char *
sigma_apartment_app_describe_notification (SigmaApp            *app,
                                           SigmaCompletedEvent *event,
                                           SigmaVerbosity       verbosity,
                                           SigmaMessageType    *type)
{
  JsonObject *args = sigma_completed_event_get_args (event);

  if (verbosity < SIGMA_VERBOSITY_HIGH || args == NULL ||
      !g_str_equal (sigma_completed_event_get_function (event), "add_new_apartment"))
    return NULL;
  *type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;
  return g_strdup_printf ("%s: New apartment available with name %s", sigma_app_get_class_name (app),
                          sigma_args_string (args, "name"));
}

/* ------------------------------------------------------------------------------------ */
/* Tools, in ARE's registration order (source order of apartment_listing.py)              */


#define AGENT SIGMA_TOOL_ROLE_AGENT
#define ENV   SIGMA_TOOL_ROLE_ENV
#define DATA  SIGMA_TOOL_ROLE_DATA
#define READ  SIGMA_TOOL_OPERATION_READ
#define WRITE SIGMA_TOOL_OPERATION_WRITE

#define ID_PARAM(d) SIGMA_TOOL_PARAM ("apartment_id", SIGMA_VALUE_TYPE_STRING, d)

static const SigmaToolSpec apartment_tools[] = {
  {
    .name = "add_new_apartment",
    .description = "Publishes a new apartment listing.",
    .roles = DATA | ENV, .operation = WRITE, .func = add_new_apartment,
    .returns = "the id of the new listing",
    .params = {
      SIGMA_TOOL_PARAM ("name", SIGMA_VALUE_TYPE_STRING, "The name of the listing."),
      SIGMA_TOOL_PARAM ("location", SIGMA_VALUE_TYPE_STRING, "The address or area of the apartment."),
      SIGMA_TOOL_PARAM ("zip_code", SIGMA_VALUE_TYPE_STRING, "The postal code of the apartment."),
      SIGMA_TOOL_PARAM ("price", SIGMA_VALUE_TYPE_NUMBER, "The rent."),
      SIGMA_TOOL_PARAM ("number_of_bedrooms", SIGMA_VALUE_TYPE_INTEGER, "How many bedrooms it has."),
      SIGMA_TOOL_PARAM ("number_of_bathrooms", SIGMA_VALUE_TYPE_INTEGER, "How many bathrooms it has."),
      SIGMA_TOOL_PARAM ("square_footage", SIGMA_VALUE_TYPE_INTEGER, "Its floor area in square feet."),
      SIGMA_TOOL_PARAM_OPTIONAL ("property_type", SIGMA_VALUE_TYPE_STRING,
                                 "The kind of home, such as Apartment, Condo or Home.", "\"\""),
      SIGMA_TOOL_PARAM_OPTIONAL ("furnished_status", SIGMA_VALUE_TYPE_STRING,
                                 "Furnished, Unfurnished or Semi-furnished.", "\"\""),
      SIGMA_TOOL_PARAM_OPTIONAL ("floor_level", SIGMA_VALUE_TYPE_STRING,
                                 "The floor, such as Ground floor, Upper floors, Penthouse or Basement.", "\"\""),
      SIGMA_TOOL_PARAM_OPTIONAL ("pet_policy", SIGMA_VALUE_TYPE_STRING,
                                 "Pets allowed, No pets, Cats allowed or Dogs allowed.", "\"\""),
      SIGMA_TOOL_PARAM_OPTIONAL ("lease_term", SIGMA_VALUE_TYPE_STRING,
                                 "Month-to-month, 6 months, 1 year or Long term lease.", "\"\""),
      SIGMA_TOOL_PARAM_STRINGS ("amenities", "The amenities offered, such as Gym or Parking; null for none."),
    },
  },
  {
    .name = "update_apartment",
    .description = "Changes the rent of a listing.",
    .roles = DATA | ENV, .operation = WRITE, .func = update_apartment,
    .returns = "the id of the listing",
    .params = {
      ID_PARAM ("The listing to change."),
      SIGMA_TOOL_PARAM ("new_price", SIGMA_VALUE_TYPE_NUMBER, "The new rent."),
    },
  },
  {
    .name = "delete_apartment",
    .description = "Takes a listing down.",
    .roles = DATA | ENV, .operation = WRITE, .func = delete_apartment,
    .returns = NULL,
    .params = {
      ID_PARAM ("The listing to remove."),
    },
  },
  {
    .name = "list_all_apartments",
    .description = "Lists every apartment listing with all its details.",
    .roles = AGENT | DATA, .operation = READ, .func = list_all_apartments,
    .returns = "{apartment_id: apartment}",
    .params = { },
  },
  {
    .name = "get_apartment_details",
    .description = "Shows all the details of one apartment listing.",
    .roles = AGENT | DATA, .operation = READ, .func = get_apartment_details,
    .returns = "the apartment",
    .params = {
      ID_PARAM ("The listing to show."),
    },
  },
  {
    .name = "save_apartment",
    .description = "Adds a listing to the user's saved apartments; saving it again changes nothing.",
    .roles = AGENT | DATA, .operation = WRITE, .func = save_apartment,
    .returns = NULL,
    .params = {
      ID_PARAM ("The listing to save."),
    },
  },
  {
    .name = "remove_saved_apartment",
    .description = "Removes a listing from the user's saved apartments.",
    .roles = AGENT | DATA, .operation = WRITE, .func = remove_saved_apartment,
    .returns = NULL,
    .params = {
      ID_PARAM ("The saved listing to remove."),
    },
  },
  {
    .name = "list_saved_apartments",
    .description = "Lists the apartments the user has saved, in the order they were saved.",
    .roles = AGENT | DATA, .operation = READ, .func = list_saved_apartments,
    .returns = "{apartment_id: apartment}",
    .params = { },
  },
  {
    .name = "search_apartments",
    .description = "Finds the listings that meet every criterion given; text criteria ignore case, "
                   "and a criterion left out, empty or zero is ignored.",
    .roles = AGENT | DATA, .operation = READ, .func = search_apartments,
    .returns = "{apartment_id: apartment}",
    .params = {
      SIGMA_TOOL_PARAM_NULLABLE ("name", SIGMA_VALUE_TYPE_STRING, "Text the listing's name must contain."),
      SIGMA_TOOL_PARAM_NULLABLE ("location", SIGMA_VALUE_TYPE_STRING, "Text the location must contain."),
      SIGMA_TOOL_PARAM_NULLABLE ("zip_code", SIGMA_VALUE_TYPE_STRING, "The exact postal code."),
      SIGMA_TOOL_PARAM_NULLABLE ("min_price", SIGMA_VALUE_TYPE_NUMBER, "The lowest rent."),
      SIGMA_TOOL_PARAM_NULLABLE ("max_price", SIGMA_VALUE_TYPE_NUMBER, "The highest rent."),
      SIGMA_TOOL_PARAM_NULLABLE ("number_of_bedrooms", SIGMA_VALUE_TYPE_INTEGER, "The exact number of bedrooms."),
      SIGMA_TOOL_PARAM_NULLABLE ("number_of_bathrooms", SIGMA_VALUE_TYPE_INTEGER, "The exact number of bathrooms."),
      SIGMA_TOOL_PARAM_NULLABLE ("property_type", SIGMA_VALUE_TYPE_STRING,
                                 "The kind of home, such as Apartment or Condo."),
      SIGMA_TOOL_PARAM_NULLABLE ("square_footage", SIGMA_VALUE_TYPE_INTEGER, "The smallest floor area in square feet."),
      SIGMA_TOOL_PARAM_NULLABLE ("furnished_status", SIGMA_VALUE_TYPE_STRING,
                                 "Furnished, Unfurnished or Semi-furnished."),
      SIGMA_TOOL_PARAM_NULLABLE ("floor_level", SIGMA_VALUE_TYPE_STRING,
                                 "The exact floor, such as Ground floor or Penthouse."),
      SIGMA_TOOL_PARAM_NULLABLE ("pet_policy", SIGMA_VALUE_TYPE_STRING,
                                 "Pets allowed, No pets, Cats allowed or Dogs allowed."),
      SIGMA_TOOL_PARAM_NULLABLE ("lease_term", SIGMA_VALUE_TYPE_STRING,
                                 "Month-to-month, 6 months, 1 year or Long term lease."),
      SIGMA_TOOL_PARAM_STRINGS ("amenities", "Amenities the listing must all offer."),
      SIGMA_TOOL_PARAM_OPTIONAL ("saved_only", SIGMA_VALUE_TYPE_BOOLEAN,
                                 "Whether to search only the saved apartments.", "false"),
    },
  },
};

/* ------------------------------------------------------------------------------------ */

static void
sigma_apartment_app_finalize (GObject *object)
{
  SigmaApartmentApp *self = SIGMA_APARTMENT_APP (object);

  g_clear_pointer (&self->apartments, sigma_ordered_map_free);
  g_clear_pointer (&self->saved, g_ptr_array_unref);

  G_OBJECT_CLASS (sigma_apartment_app_parent_class)->finalize (object);
}

static void
sigma_apartment_app_class_init (SigmaApartmentAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_apartment_app_finalize;

  app_class->get_state = sigma_apartment_app_get_state;
  app_class->load_state = sigma_apartment_app_load_state;
  app_class->reset = sigma_apartment_app_reset;
  app_class->describe_notification = sigma_apartment_app_describe_notification;
  app_class->app_class_name = "ApartmentListingApp";
}

static void
sigma_apartment_app_init (SigmaApartmentApp *self)
{
  self->apartments = sigma_ordered_map_new (apartment_free);
  self->saved = g_ptr_array_new_with_free_func (g_free);
  sigma_app_add_tool_specs (SIGMA_APP (self), apartment_tools, G_N_ELEMENTS (apartment_tools));
}

/**
 * sigma_apartment_app_new:
 * @name: (nullable): the instance name; "ApartmentListingApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaApartmentApp
 */
SigmaApp *
sigma_apartment_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_APARTMENT_APP, "name", name != NULL ? name : "ApartmentListingApp", NULL);
}
