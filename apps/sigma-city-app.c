/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

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
  gdouble   violent_crime;
  gdouble   property_crime;
  gboolean  violent_is_int;     /* loaded as a JSON integer, so saved as one (ARE keeps the type) */
  gboolean  property_is_int;
} CrimeDataPoint;

struct _SigmaCityApp
{
  SigmaApp         parent_instance;

  SigmaOrderedMap *crime_data;        /* ARE's dict: CrimeDataPoint by zip code, in insertion order */
  gint64           api_call_limit;
  gint64           api_call_count;
  gboolean         rate_limited;      /* a cooldown started at rate_limit_time */
  gdouble          rate_limit_time;
};

G_DEFINE_FINAL_TYPE (SigmaCityApp, sigma_city_app, SIGMA_TYPE_APP)

/* ------------------------------------------------------------------------------------ */
/* Crime data                                                                           */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrimeDataPoint, g_free)

static JsonNode *
crime_data_point_to_json (const CrimeDataPoint *point)
{
  JsonObject *obj = json_object_new ();

  json_object_set_member (obj, "violent_crime", sigma_json_number (point->violent_crime, point->violent_is_int));
  json_object_set_member (obj, "property_crime", sigma_json_number (point->property_crime, point->property_is_int));
  return sigma_json_object (obj);
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

  point->violent_crime = sigma_args_double (args, "violent_crime_rate");
  point->property_crime = sigma_args_double (args, "property_crime_rate");
  /* as in a Python dict, a zip code recorded again keeps its place */
  sigma_ordered_map_insert (self->crime_data, sigma_args_string (args, "zip_code"), point);
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
  point = sigma_ordered_map_lookup (self->crime_data, sigma_args_string (args, "zip_code"));
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
  point = sigma_ordered_map_lookup (self->crime_data, sigma_args_string (args, "zip_code"));
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

/* One entry of app_state.crime_data (a SigmaStateEntryFunc), stored in the map @user_data
 * under its zip code. ARE builds CrimeDataPoint(**value): both rates are required and nothing
 * else is allowed. */
static gboolean
read_crime_data_point (SigmaStateReader  *r,
                       const char        *zip_code,
                       JsonObject        *obj,
                       const char        *path,
                       gpointer           user_data,
                       GError           **error)
{
  static const char * const members[] = { "violent_crime", "property_crime", NULL };
  SigmaOrderedMap *crime_data = user_data;
  g_autoptr(CrimeDataPoint) point = g_new0 (CrimeDataPoint, 1);

  if (!sigma_state_check_members (r, obj, path, members, "not a field of a crime data point", error) ||
      !sigma_state_get_number (r, obj, path, "violent_crime", TRUE, &point->violent_crime,
                               &point->violent_is_int, error) ||
      !sigma_state_get_number (r, obj, path, "property_crime", TRUE, &point->property_crime,
                               &point->property_is_int, error))
    return FALSE;
  sigma_ordered_map_insert (crime_data, zip_code, g_steal_pointer (&point));
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

  json_object_set_int_member (root, "api_call_limit", self->api_call_limit);
  json_object_set_member (root, "crime_data",
                          sigma_ordered_map_to_json (self->crime_data, (SigmaToJsonFunc) crime_data_point_to_json));
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
  g_autoptr(SigmaOrderedMap) table = NULL;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  /* ARE reads crime_data first, then api_call_limit */
  if (!sigma_state_get_object (&r, root, "app_state", "crime_data", TRUE, &crime_data, error))
    return FALSE;

  table = sigma_ordered_map_new (g_free);
  if ((crime_data != NULL &&
       !sigma_state_read_members (&r, crime_data, "app_state.crime_data", read_crime_data_point, table, error)) ||
      !read_api_call_limit (&r, root, &limit, error))
    return FALSE;
  sigma_ordered_map_free (self->crime_data);
  self->crime_data = g_steal_pointer (&table);
  self->api_call_limit = limit;
  return TRUE;
}

static void
sigma_city_app_reset (SigmaApp *app)
{
  SigmaCityApp *self = SIGMA_CITY_APP (app);

  sigma_ordered_map_clear (self->crime_data);
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

  g_clear_pointer (&self->crime_data, sigma_ordered_map_free);

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
  self->crime_data = sigma_ordered_map_new (g_free);
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
