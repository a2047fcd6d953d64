/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-city-app.h"
#include "sigma-app-util.h"
#include "sigma-error.h"

/**
 * SigmaCityApp:
 *
 * City information such as crime rates by zip code (ARE's `CityApp`, which Gaia2 scenarios
 * name "City"; apps.md §12.3).
 *
 * get_crime_rate is a rate-limited "free API": after `api_call_limit` calls it refuses every
 * call for 30 simulated minutes. The call count and the cooldown are run-time state, not
 * part of `app_state`.
 *
 * Since: 0.1
 */

#define DEFAULT_API_CALL_LIMIT 100
#define COOLDOWN_SECONDS       1800.0   /* 30 minutes */
#define UNKNOWN_ZIP_MESSAGE    "Zip code does not exist in our database"

typedef struct
{
  char     *zip_code;
  gdouble   violent_crime;
  gdouble   property_crime;
  gboolean  violent_is_int;     /* loaded as a JSON integer, so saved as one (ARE keeps the type) */
  gboolean  property_is_int;
} CrimeDataPoint;

/* ARE's dict of crime data: lookup by zip code, iteration in insertion order. */
typedef struct
{
  GHashTable *index;            /* zip code → GList link of @order */
  GQueue      order;            /* CrimeDataPoint */
} CrimeTable;

struct _SigmaCityApp
{
  SigmaApp    parent_instance;

  CrimeTable  crime_data;
  gint64      api_call_limit;
  gint64      api_call_count;
  gboolean    rate_limited;     /* a cooldown started at rate_limit_time */
  gdouble     rate_limit_time;
};

G_DEFINE_FINAL_TYPE (SigmaCityApp, sigma_city_app, SIGMA_TYPE_APP)

/* ------------------------------------------------------------------------------------ */
/* Crime data                                                                           */

static void
crime_data_point_free (CrimeDataPoint *point)
{
  g_free (point->zip_code);
  g_free (point);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrimeDataPoint, crime_data_point_free)

static JsonNode *
number_node (gdouble  value,
             gboolean is_int)
{
  return is_int ? sigma_json_int ((gint64) value) : sigma_json_double (value);
}

static JsonNode *
crime_data_point_to_json (const CrimeDataPoint *point)
{
  JsonObject *obj = json_object_new ();

  json_object_set_member (obj, "violent_crime", number_node (point->violent_crime, point->violent_is_int));
  json_object_set_member (obj, "property_crime", number_node (point->property_crime, point->property_is_int));
  return sigma_json_object (obj);
}

static void
crime_table_init (CrimeTable *table)
{
  table->index = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&table->order);
}

static void
crime_table_clear (CrimeTable *table)
{
  g_clear_pointer (&table->index, g_hash_table_unref);
  g_queue_clear_full (&table->order, (GDestroyNotify) crime_data_point_free);
}

static CrimeDataPoint *
crime_table_lookup (CrimeTable *table,
                    const char *zip_code)
{
  GList *link = g_hash_table_lookup (table->index, zip_code);

  return link != NULL ? link->data : NULL;
}

/* Stores @point (transfer full); as in a Python dict, replacing an entry keeps its position. */
static void
crime_table_insert (CrimeTable     *table,
                    CrimeDataPoint *point)
{
  GList *link = g_hash_table_lookup (table->index, point->zip_code);

  if (link != NULL)
    {
      CrimeDataPoint *old = link->data;

      /* the table's key is the old entry's: replace it before freeing that entry */
      link->data = point;
      g_hash_table_replace (table->index, point->zip_code, link);
      crime_data_point_free (old);
    }
  else
    {
      g_queue_push_tail (&table->order, point);
      g_hash_table_insert (table->index, point->zip_code, table->order.tail);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

/* ARE's rate limit: a cooldown that has run its 30 minutes ends; then the call is refused
 * when the count has reached the limit or a cooldown is running. A refusal starts the
 * cooldown (if none runs) and resets the count. */
static gboolean
check_rate_limit (SigmaCityApp  *self,
                  GError       **error)
{
  gdouble now = sigma_app_get_time (SIGMA_APP (self));

  if (self->rate_limited && now - self->rate_limit_time >= COOLDOWN_SECONDS)
    self->rate_limited = FALSE;

  if (self->rate_limited || self->api_call_count >= self->api_call_limit)
    {
      if (!self->rate_limited)
        {
          self->rate_limited = TRUE;
          self->rate_limit_time = now;
        }
      self->api_call_count = 0;
      sigma_tool_error (error, "Free version only supports %" G_GINT64_FORMAT " API calls. "
                        "Please try again after 30 minutes or upgrade to pro-version.",
                        self->api_call_limit);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
tool_add_crime_rate (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  SigmaCityApp *self = SIGMA_CITY_APP (app);
  CrimeDataPoint *point = g_new0 (CrimeDataPoint, 1);

  point->zip_code = g_strdup (sigma_args_string (args, "zip_code"));
  point->violent_crime = sigma_args_double (args, "violent_crime_rate");
  point->property_crime = sigma_args_double (args, "property_crime_rate");
  crime_table_insert (&self->crime_data, point);
  return sigma_json_string ("Added Successfully");
}

static JsonNode *
tool_update_crime_rate (SigmaApp    *app,
                        JsonObject  *args,
                        gpointer     user_data,
                        GError     **error)
{
  SigmaCityApp *self = SIGMA_CITY_APP (app);
  JsonNode *violent = json_object_get_member (args, "new_violent_crime_rate");
  JsonNode *property = json_object_get_member (args, "new_property_crime_rate");
  gboolean has_violent = violent != NULL && !JSON_NODE_HOLDS_NULL (violent);
  gboolean has_property = property != NULL && !JSON_NODE_HOLDS_NULL (property);
  CrimeDataPoint *point;

  if (!has_violent && !has_property)
    {
      sigma_tool_error (error, "No update provided");
      return NULL;
    }
  point = crime_table_lookup (&self->crime_data, sigma_args_string (args, "zip_code"));
  if (point == NULL)
    {
      sigma_tool_error (error, UNKNOWN_ZIP_MESSAGE);
      return NULL;
    }
  if (has_violent)
    {
      point->violent_crime = json_node_get_double (violent);
      point->violent_is_int = FALSE;
    }
  if (has_property)
    {
      point->property_crime = json_node_get_double (property);
      point->property_is_int = FALSE;
    }
  return sigma_json_string ("Updated Successfully");
}

static JsonNode *
tool_get_crime_rate (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  SigmaCityApp *self = SIGMA_CITY_APP (app);
  CrimeDataPoint *point;

  if (!check_rate_limit (self, error))
    return NULL;
  /* ARE counts the call before it looks the zip code up: unknown zip codes cost a call too. */
  self->api_call_count++;
  point = crime_table_lookup (&self->crime_data, sigma_args_string (args, "zip_code"));
  if (point == NULL)
    {
      sigma_tool_error (error, UNKNOWN_ZIP_MESSAGE);
      return NULL;
    }
  return crime_data_point_to_json (point);
}

static JsonNode *
tool_get_api_call_count (SigmaApp    *app,
                         JsonObject  *args,
                         gpointer     user_data,
                         GError     **error)
{
  return sigma_json_int (SIGMA_CITY_APP (app)->api_call_count);
}

static JsonNode *
tool_get_api_call_limit (SigmaApp    *app,
                         JsonObject  *args,
                         gpointer     user_data,
                         GError     **error)
{
  return sigma_json_int (SIGMA_CITY_APP (app)->api_call_limit);
}

#define AGENT   SIGMA_TOOL_ROLE_AGENT
#define ENV     SIGMA_TOOL_ROLE_ENV
#define READ    SIGMA_TOOL_OPERATION_READ
#define WRITE   SIGMA_TOOL_OPERATION_WRITE
#define STRING  SIGMA_VALUE_TYPE_STRING
#define NUMBER  SIGMA_VALUE_TYPE_NUMBER

#define P_ZIP { "zip_code", STRING, "The zip (postal) code of the area.", NULL, 0, FALSE }

/* ARE's registration order (source order of city.py). */
static const SigmaToolSpec city_tools[] = {
  { "add_crime_rate",
    "Records the crime rates of a zip code, replacing any earlier record.",
    ENV, WRITE, tool_add_crime_rate, "A confirmation message.",
    { P_ZIP,
      { "violent_crime_rate", NUMBER, "The violent crime rate.", NULL, 0, FALSE },
      { "property_crime_rate", NUMBER, "The property crime rate.", NULL, 0, FALSE },
      { NULL } } },
  { "update_crime_rate",
    "Changes one or both crime rates of a known zip code.",
    ENV, WRITE, tool_update_crime_rate, "A confirmation message.",
    { P_ZIP,
      { "new_violent_crime_rate", NUMBER, "The new violent crime rate; unchanged when omitted.", "null", 0, TRUE },
      { "new_property_crime_rate", NUMBER, "The new property crime rate; unchanged when omitted.", "null", 0, TRUE },
      { NULL } } },
  { "get_crime_rate",
    "Returns the violent and property crime rates of a zip code; this free API allows a limited number of calls (see get_api_call_limit), then refuses calls for 30 minutes.",
    AGENT, READ, tool_get_crime_rate, "The crime rates of the zip code.",
    { P_ZIP, { NULL } } },
  { "get_api_call_count",
    "Returns how many crime-rate calls have been counted against the limit so far.",
    AGENT, READ, tool_get_api_call_count, "The number of calls.",
    { { NULL } } },
  { "get_api_call_limit",
    "Returns how many crime-rate calls the free API allows before its 30-minute pause.",
    AGENT, READ, tool_get_api_call_limit, "The call limit.",
    { { NULL } } },
};

#undef AGENT
#undef ENV
#undef READ
#undef WRITE
#undef STRING
#undef NUMBER

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

static gboolean
read_rate (SigmaStateReader  *r,
           JsonObject        *obj,
           const char        *path,
           const char        *member,
           gdouble           *value,
           gboolean          *is_int,
           GError           **error)
{
  if (!sigma_state_get_double (r, obj, path, member, TRUE, value, error))
    return FALSE;
  *is_int = json_node_get_value_type (json_object_get_member (obj, member)) == G_TYPE_INT64;
  return TRUE;
}

/* One entry of app_state.crime_data, read strictly (@r is not lenient). ARE builds
 * CrimeDataPoint(**value): both rates are required and nothing else is allowed. */
static CrimeDataPoint *
read_crime_data_point (SigmaStateReader  *r,
                       const char        *zip_code,
                       JsonObject        *obj,
                       const char        *path,
                       GError           **error)
{
  g_autoptr(CrimeDataPoint) point = g_new0 (CrimeDataPoint, 1);
  JsonObjectIter iter;
  const char *member;

  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &member, NULL))
    if (!g_str_equal (member, "violent_crime") && !g_str_equal (member, "property_crime"))
      {
        sigma_state_problem (r, error, "%s.%s: not a field of a crime data point", path, member);
        return NULL;
      }
  if (!read_rate (r, obj, path, "violent_crime", &point->violent_crime, &point->violent_is_int, error) ||
      !read_rate (r, obj, path, "property_crime", &point->property_crime, &point->property_is_int, error))
    return NULL;
  point->zip_code = g_strdup (zip_code);
  return g_steal_pointer (&point);
}

/* A malformed entry, found by a strict read: fatal, or in lenient mode a warning and a skip.
 * The entry error already names the app; sigma_state_problem() adds the name again. */
static gboolean
entry_problem (SigmaStateReader  *r,
               const GError      *entry_error,
               GError           **error)
{
  const char *name = sigma_app_get_name (r->app);
  const char *message = entry_error->message;

  if (g_str_has_prefix (message, name) && g_str_has_prefix (message + strlen (name), ": "))
    message += strlen (name) + 2;
  return sigma_state_problem (r, error, "%s", message);
}

static gboolean
read_crime_data (SigmaStateReader  *r,
                 JsonObject        *crime_data,
                 CrimeTable        *table,
                 GError           **error)
{
  SigmaStateReader strict = { r->app, FALSE };
  JsonObjectIter iter;
  const char *zip_code;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, crime_data);
  while (json_object_iter_next_ordered (&iter, &zip_code, &node))
    {
      g_autofree char *path = g_strdup_printf ("app_state.crime_data.%s", zip_code);
      g_autoptr(GError) entry_error = NULL;
      CrimeDataPoint *point = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        sigma_state_problem (&strict, &entry_error, "%s: expected an object", path);
      else
        point = read_crime_data_point (&strict, zip_code, json_node_get_object (node), path, &entry_error);

      if (point != NULL)
        crime_table_insert (table, point);
      else if (!entry_problem (r, entry_error, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_api_call_limit (SigmaStateReader  *r,
                     JsonObject        *root,
                     gint64            *limit,
                     GError           **error)
{
  gint64 value = *limit;

  if (!sigma_state_get_int (r, root, "app_state", "api_call_limit", TRUE, &value, error))
    return FALSE;
  if (value < 0)
    return sigma_state_problem (r, error, "app_state.api_call_limit: %" G_GINT64_FORMAT " is negative", value);
  *limit = value;
  return TRUE;
}

static JsonNode *
sigma_city_app_get_state (SigmaApp *app)
{
  SigmaCityApp *self = SIGMA_CITY_APP (app);
  JsonObject *root = json_object_new ();
  JsonObject *crime_data = json_object_new ();

  for (GList *l = self->crime_data.order.head; l != NULL; l = l->next)
    {
      CrimeDataPoint *point = l->data;

      json_object_set_member (crime_data, point->zip_code, crime_data_point_to_json (point));
    }
  json_object_set_int_member (root, "api_call_limit", self->api_call_limit);
  json_object_set_object_member (root, "crime_data", crime_data);
  return sigma_json_object (root);
}

/* Replaces the crime data and the call limit. As in ARE, the call count and a running
 * cooldown are left alone (only reset() clears them). */
static gboolean
sigma_city_app_load_state (SigmaApp  *app,
                           JsonNode  *state,
                           GError   **error)
{
  SigmaCityApp *self = SIGMA_CITY_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  JsonObject *root, *crime_data = NULL;
  gint64 limit = DEFAULT_API_CALL_LIMIT;
  CrimeTable table;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  /* ARE reads crime_data first, then api_call_limit */
  if (!sigma_state_get_object (&r, root, "app_state", "crime_data", TRUE, &crime_data, error))
    return FALSE;

  crime_table_init (&table);
  if ((crime_data != NULL && !read_crime_data (&r, crime_data, &table, error)) ||
      !read_api_call_limit (&r, root, &limit, error))
    {
      crime_table_clear (&table);
      return FALSE;
    }
  crime_table_clear (&self->crime_data);
  self->crime_data = table;
  self->api_call_limit = limit;
  return TRUE;
}

static void
sigma_city_app_reset (SigmaApp *app)
{
  SigmaCityApp *self = SIGMA_CITY_APP (app);

  crime_table_clear (&self->crime_data);
  crime_table_init (&self->crime_data);
  self->api_call_limit = DEFAULT_API_CALL_LIMIT;
  self->api_call_count = 0;
  self->rate_limited = FALSE;
  self->rate_limit_time = 0.0;
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_city_app_finalize (GObject *object)
{
  SigmaCityApp *self = SIGMA_CITY_APP (object);

  crime_table_clear (&self->crime_data);

  G_OBJECT_CLASS (sigma_city_app_parent_class)->finalize (object);
}

static void
sigma_city_app_class_init (SigmaCityAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_city_app_finalize;

  app_class->get_state = sigma_city_app_get_state;
  app_class->load_state = sigma_city_app_load_state;
  app_class->reset = sigma_city_app_reset;
  app_class->app_class_name = "CityApp";
}

static void
sigma_city_app_init (SigmaCityApp *self)
{
  crime_table_init (&self->crime_data);
  self->api_call_limit = DEFAULT_API_CALL_LIMIT;
  sigma_app_add_tool_specs (SIGMA_APP (self), city_tools, G_N_ELEMENTS (city_tools));
}

/**
 * sigma_city_app_new:
 * @name: (nullable): the instance name; "CityApp" when %NULL
 *
 * Creates a city app without crime data, allowing 100 calls.
 *
 * Returns: (transfer full): a new #SigmaCityApp
 *
 * Since: 0.1
 */
SigmaApp *
sigma_city_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CITY_APP, "name", name != NULL ? name : "CityApp", NULL);
}
