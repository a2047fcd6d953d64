/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-cab-app.h"
#include "sigma-app-util.h"
#include "sigma-completed-event.h"
#include "sigma-error.h"
#include "sigma-random.h"
#include "sigma-time.h"

/**
 * SigmaCabApp:
 *
 * A ride-hailing service (ARE's `CabApp`; apps.md §12.1): quotations, booked rides, the ride
 * in progress and its status changes.
 *
 * Quotations are mock computations drawn from the app's random generator in ARE's order
 * (distance, price variation, delay, duration, ride id), so a seed reproduces them.
 *
 * Since: 0.1
 */

#define RIDE_TIME_ERROR "Invalid datetime format for the ride time. Please use YYYY-MM-DD HH:MM:SS"
#define NO_RIDE_ERROR "You have no on-going ride."
#define DEFAULT_CANCEL_MESSAGE "The ride has been cancelled. Sorry for the inconvenience."

/* ARE's default services. The number kinds matter: a delay is an int when the base delay is. */
#define DEFAULT_SERVICE_CONFIG \
  "{\"Default\": {\"nb_seats\": 4, \"price_per_km\": 1.0, \"base_delay_min\": 5, \"max_distance_km\": 25}," \
  " \"Premium\": {\"nb_seats\": 4, \"price_per_km\": 2.0, \"base_delay_min\": 3, \"max_distance_km\": 25}," \
  " \"Van\": {\"nb_seats\": 6, \"price_per_km\": 1.5, \"base_delay_min\": 7, \"max_distance_km\": 25}}"

/* ------------------------------------------------------------------------------------ */
/* JSON helpers                                                                            */

/* Python truthiness of an optional number: None and zero are false. */
static gboolean
number_is_truthy (JsonNode *node)
{
  return sigma_json_is_number (node) && json_node_get_double (node) != 0.0;
}

/* a * b with Python's kinds: int * int is an int, anything else a float. */
static JsonNode *
number_multiply (JsonNode *a,
                 JsonNode *b)
{
  if (sigma_json_is_int (a) && sigma_json_is_int (b))
    return sigma_json_int (json_node_get_int (a) * json_node_get_int (b));
  return sigma_json_double (json_node_get_double (a) * json_node_get_double (b));
}

/* Python's random.uniform(a, b). */
static gdouble
random_uniform (GRand   *rand,
                gdouble  a,
                gdouble  b)
{
  return a + (b - a) * sigma_random_double (rand);
}

/* ------------------------------------------------------------------------------------ */
/* Rides (ARE field order). A ride can be in both histories at once: order_ride books the  */
/* quotation object itself, so rides are reference counted.                                */

typedef struct
{
  char      *ride_id;
  char      *status;           /* nullable */
  char      *service_type;     /* nullable */
  char      *start_location;   /* nullable */
  char      *end_location;     /* nullable */
  JsonNode  *price;            /* number or null */
  JsonNode  *duration;
  JsonNode  *time_stamp;
  JsonNode  *distance_km;
  JsonNode  *delay;
  JsonArray *delay_history;    /* [{"delay", "time_stamp"}] */
} Ride;

static void
ride_clear (gpointer data)
{
  Ride *ride = data;

  g_free (ride->ride_id);
  g_free (ride->status);
  g_free (ride->service_type);
  g_free (ride->start_location);
  g_free (ride->end_location);
  g_clear_pointer (&ride->price, json_node_unref);
  g_clear_pointer (&ride->duration, json_node_unref);
  g_clear_pointer (&ride->time_stamp, json_node_unref);
  g_clear_pointer (&ride->distance_km, json_node_unref);
  g_clear_pointer (&ride->delay, json_node_unref);
  g_clear_pointer (&ride->delay_history, json_array_unref);
}

static Ride *
ride_ref (Ride *ride)
{
  return g_rc_box_acquire (ride);
}

static void
ride_unref (gpointer ride)
{
  g_rc_box_release_full (ride, ride_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ride, ride_unref)

/* A ride with every field at its dataclass default except the id. */
static Ride *
ride_new (char *ride_id)   /* (transfer full) */
{
  Ride *ride = g_rc_box_new0 (Ride);

  ride->ride_id = ride_id;
  ride->price = sigma_json_null ();
  ride->duration = sigma_json_null ();
  ride->time_stamp = sigma_json_null ();
  ride->distance_km = sigma_json_null ();
  ride->delay = sigma_json_null ();
  ride->delay_history = json_array_new ();
  return ride;
}

static void
set_number (JsonNode **field,
            JsonNode  *value)   /* (transfer full) */
{
  json_node_unref (*field);
  *field = value;
}

static void
add_delay_history (Ride *ride)
{
  JsonObject *entry = json_object_new ();

  json_object_set_member (entry, "delay", json_node_copy (ride->delay));
  json_object_set_member (entry, "time_stamp", json_node_copy (ride->time_stamp));
  json_array_add_object_element (ride->delay_history, entry);
}

static JsonNode *
ride_to_json (Ride *ride)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "ride_id", ride->ride_id);
  json_object_set_member (object, "status", sigma_json_string (ride->status));
  json_object_set_member (object, "service_type", sigma_json_string (ride->service_type));
  json_object_set_member (object, "start_location", sigma_json_string (ride->start_location));
  json_object_set_member (object, "end_location", sigma_json_string (ride->end_location));
  json_object_set_member (object, "price", json_node_copy (ride->price));
  json_object_set_member (object, "duration", json_node_copy (ride->duration));
  json_object_set_member (object, "time_stamp", json_node_copy (ride->time_stamp));
  json_object_set_member (object, "distance_km", json_node_copy (ride->distance_km));
  json_object_set_member (object, "delay", json_node_copy (ride->delay));
  json_object_set_array_member (object, "delay_history", sigma_json_array_deep_copy (ride->delay_history));
  return sigma_json_object (object);
}

/* Dataclass equality, as ARE's `assert on_going_ride == ride_history[-1]`. */
static gboolean
ride_equal (Ride *a,
            Ride *b)
{
  g_autoptr(JsonNode) ja = NULL;
  g_autoptr(JsonNode) jb = NULL;

  if (a == b)
    return TRUE;
  ja = ride_to_json (a);
  jb = ride_to_json (b);
  return json_node_equal (ja, jb);
}

static JsonNode *
rides_to_json (GPtrArray *rides)
{
  JsonArray *array = json_array_sized_new (rides->len);

  for (guint i = 0; i < rides->len; i++)
    json_array_add_element (array, ride_to_json (g_ptr_array_index (rides, i)));
  return sigma_json_array (array);
}

/* ------------------------------------------------------------------------------------ */

struct _SigmaCabApp
{
  SigmaApp parent_instance;

  GPtrArray  *ride_history;        /* Ride, booked rides */
  GPtrArray  *quotation_history;   /* Ride, every quotation (booked ones included) */
  JsonObject *service_config;      /* ARE's d_service_config: {service: {setting: number}} */
  Ride       *ongoing;             /* the ride in progress (also the last of ride_history) */
};

G_DEFINE_FINAL_TYPE (SigmaCabApp, sigma_cab_app, SIGMA_TYPE_APP)

static JsonObject *
default_service_config (void)
{
  g_autoptr(JsonNode) node = json_from_string (DEFAULT_SERVICE_CONFIG, NULL);

  return json_object_ref (json_node_get_object (node));
}

static void
clear_data (SigmaCabApp *self)
{
  g_ptr_array_set_size (self->ride_history, 0);
  g_ptr_array_set_size (self->quotation_history, 0);
  g_clear_pointer (&self->ongoing, ride_unref);
}

/* ------------------------------------------------------------------------------------ */
/* Quotations                                                                              */

/* ARE's `_parse_ride_time`: the given time, or now, as text and as a timestamp. Without a
 * time the text is `now` formatted to whole seconds, so the timestamp drops the fraction. */
static gboolean
parse_ride_time (SigmaCabApp  *self,
                 const char   *ride_time,
                 char        **text,
                 gdouble      *timestamp,
                 GError      **error)
{
  g_autofree char *now = NULL;

  if (ride_time == NULL)
    ride_time = now = sigma_time_format (sigma_app_get_time (SIGMA_APP (self)));
  if (!sigma_time_parse (ride_time, timestamp, NULL))
    {
      sigma_tool_error (error, RIDE_TIME_ERROR);
      return FALSE;
    }
  if (text != NULL)
    *text = g_strdup (ride_time);
  return TRUE;
}

/* A setting of a service, which must be there (ARE raises KeyError). */
static JsonNode *
service_setting (JsonObject  *service,
                 const char  *name,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (service, name);

  if (node == NULL)
    sigma_tool_key_error (error, name);
  return node;
}

/* ARE's `get_distance_from_history`: the first quotation between the same places. */
static JsonNode *
distance_from_history (SigmaCabApp *self,
                       const char  *start,
                       const char  *end)
{
  for (guint i = 0; i < self->quotation_history->len; i++)
    {
      Ride *ride = g_ptr_array_index (self->quotation_history, i);

      if (g_strcmp0 (ride->start_location, start) == 0 && g_strcmp0 (ride->end_location, end) == 0)
        return ride->distance_km;
    }
  return NULL;
}

/* ARE's `get_previous_price`: the first quotation for the same trip and service. */
static Ride *
previous_quotation (SigmaCabApp *self,
                    const char  *start,
                    const char  *end,
                    const char  *service_type)
{
  for (guint i = 0; i < self->quotation_history->len; i++)
    {
      Ride *ride = g_ptr_array_index (self->quotation_history, i);

      if (g_strcmp0 (ride->start_location, start) == 0 && g_strcmp0 (ride->end_location, end) == 0 &&
          g_strcmp0 (ride->service_type, service_type) == 0)
        return ride;
    }
  return NULL;
}

/* ARE's `calculate_price`: an earlier quote of the same trip and service varies by up to
 * ±50 % to ±150 % (1 % per hour since it, bounded); otherwise distance × price per km. */
static JsonNode *
calculate_price (SigmaCabApp  *self,
                 const char   *start,
                 const char   *end,
                 JsonNode     *distance,
                 const char   *service_type,
                 JsonObject   *service,
                 gdouble       timestamp,
                 GError      **error)
{
  Ride *earlier = previous_quotation (self, start, end, service_type);
  JsonNode *price_per_km;

  if (earlier != NULL && number_is_truthy (earlier->price))
    {
      gdouble variance;

      if (!sigma_json_is_number (earlier->time_stamp))
        {
          sigma_tool_error (error, "unsupported operand type(s) for -: 'float' and 'NoneType'");
          return NULL;
        }
      variance = 0.01 * (timestamp - json_node_get_double (earlier->time_stamp)) / 3600;
      variance = MIN (MAX (variance, 0.5), 1.5);
      return sigma_json_double (json_node_get_double (earlier->price) *
                                (1 + random_uniform (sigma_app_get_rand (SIGMA_APP (self)), -variance, variance)));
    }
  price_per_km = service_setting (service, "price_per_km", error);
  return price_per_km != NULL ? number_multiply (distance, price_per_km) : NULL;
}

/*
 * ARE's get_quotation, without its event: list_rides and order_ride call it nested, and ARE
 * logs a nested event for each call; Sigma logs only the outer call
 * (doc/compat/cab-app.md). The random draws come in ARE's order: distance, price
 * variation, delay, duration, ride id. Returns a new reference; the ride is added to the
 * quotation history.
 */
static Ride *
quote (SigmaCabApp  *self,
       const char   *start,
       const char   *end,
       const char   *service_type,
       const char   *ride_time,
       GError      **error)
{
  GRand *rand = sigma_app_get_rand (SIGMA_APP (self));
  g_autoptr(JsonNode) distance = NULL;
  g_autoptr(JsonNode) price = NULL;
  JsonNode *known_distance, *max_distance, *base_delay;
  JsonObject *service;
  gdouble timestamp, duration;
  gint64 extra_delay;
  Ride *ride;

  if (!parse_ride_time (self, ride_time, NULL, &timestamp, error))
    return NULL;
  service = sigma_json_get_object_member (self->service_config, service_type);
  if (service == NULL)
    {
      sigma_tool_error (error, "Invalid service type.");
      return NULL;
    }

  known_distance = distance_from_history (self, start, end);
  if (number_is_truthy (known_distance))
    distance = json_node_copy (known_distance);
  else
    distance = sigma_json_double (random_uniform (rand, 5, 20));   /* a mock distance, km */

  max_distance = service_setting (service, "max_distance_km", error);
  if (max_distance == NULL)
    return NULL;
  if (json_node_get_double (distance) > json_node_get_double (max_distance))
    {
      sigma_tool_error (error, "Distance exceeds maximum allowed.");
      return NULL;
    }

  price = calculate_price (self, start, end, distance, service_type, service, timestamp, error);
  if (price == NULL)
    return NULL;
  base_delay = service_setting (service, "base_delay_min", error);
  if (base_delay == NULL)
    return NULL;
  extra_delay = sigma_random_int (rand, 1, 5);
  duration = json_node_get_double (distance) / 50 * 60 + 10 * sigma_random_double (rand);   /* 50 km/h */

  ride = ride_new (sigma_random_uuid_hex (rand));
  sigma_set_string (&ride->service_type, service_type);
  sigma_set_string (&ride->start_location, start);
  sigma_set_string (&ride->end_location, end);
  set_number (&ride->price, g_steal_pointer (&price));
  set_number (&ride->duration, sigma_json_double (duration));
  set_number (&ride->time_stamp, sigma_json_double (timestamp));
  set_number (&ride->distance_km, g_steal_pointer (&distance));
  set_number (&ride->delay, sigma_json_is_int (base_delay)
                              ? sigma_json_int (json_node_get_int (base_delay) + extra_delay)
                              : sigma_json_double (json_node_get_double (base_delay) + extra_delay));
  g_ptr_array_add (self->quotation_history, ride_ref (ride));
  return ride;
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                   */

static JsonNode *
add_new_ride (SigmaApp    *app,
              JsonObject  *args,
              gpointer     user_data,
              GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  Ride *ride = ride_new (sigma_random_uuid_hex (sigma_app_get_rand (app)));

  sigma_set_string (&ride->status, "BOOKED");
  sigma_set_string (&ride->service_type, sigma_args_string (args, "service_type"));
  sigma_set_string (&ride->start_location, sigma_args_string (args, "start_location"));
  sigma_set_string (&ride->end_location, sigma_args_string (args, "end_location"));
  /* Float parameters: kept as floats even when given as integers. */
  set_number (&ride->price, sigma_json_double (sigma_args_double (args, "price")));
  set_number (&ride->duration, sigma_json_double (sigma_args_double (args, "duration")));
  set_number (&ride->time_stamp, sigma_json_double (sigma_args_double (args, "time_stamp")));
  set_number (&ride->distance_km, sigma_json_double (sigma_args_double (args, "distance_km")));
  g_ptr_array_add (self->ride_history, ride_ref (ride));
  g_ptr_array_add (self->quotation_history, ride);
  return sigma_json_string (ride->ride_id);
}

static JsonNode *
get_quotation (SigmaApp    *app,
               JsonObject  *args,
               gpointer     user_data,
               GError     **error)
{
  g_autoptr(Ride) ride = quote (SIGMA_CAB_APP (app),
                                sigma_args_string (args, "start_location"),
                                sigma_args_string (args, "end_location"),
                                sigma_args_string (args, "service_type"),
                                sigma_args_string (args, "ride_time"), error);

  return ride != NULL ? ride_to_json (ride) : NULL;
}

static JsonNode *
list_rides (SigmaApp    *app,
            JsonObject  *args,
            gpointer     user_data,
            GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  g_autofree char *ride_time = NULL;
  g_autoptr(JsonArray) rides = json_array_new ();
  JsonObjectIter iter;
  const char *service_type;
  JsonNode *service;
  gdouble timestamp;

  if (!parse_ride_time (self, sigma_args_string (args, "ride_time"), &ride_time, &timestamp, error))
    return NULL;

  /* One quotation per service, in configuration order; a failure leaves the earlier
   * quotations in the history, as in ARE. */
  json_object_iter_init_ordered (&iter, self->service_config);
  while (json_object_iter_next_ordered (&iter, &service_type, &service))
    {
      g_autoptr(Ride) ride = quote (self, sigma_args_string (args, "start_location"),
                                    sigma_args_string (args, "end_location"), service_type,
                                    ride_time, error);

      if (ride == NULL)
        return NULL;
      json_array_add_element (rides, ride_to_json (ride));
    }
  return sigma_json_array (g_steal_pointer (&rides));
}

static JsonNode *
order_ride (SigmaApp    *app,
            JsonObject  *args,
            gpointer     user_data,
            GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  g_autofree char *ride_time = NULL;
  gdouble timestamp;
  Ride *ride;

  if (self->ongoing != NULL)
    {
      sigma_tool_error (error, "You have an on-going ride.");
      return NULL;
    }
  if (!parse_ride_time (self, sigma_args_string (args, "ride_time"), &ride_time, &timestamp, error))
    return NULL;
  ride = quote (self, sigma_args_string (args, "start_location"), sigma_args_string (args, "end_location"),
                sigma_args_string (args, "service_type"), ride_time, error);
  if (ride == NULL)
    return NULL;

  /* The quotation itself is booked: the same ride is in both histories. */
  sigma_set_string (&ride->status, "BOOKED");
  add_delay_history (ride);
  g_ptr_array_add (self->ride_history, ride_ref (ride));
  self->ongoing = ride;
  return ride_to_json (ride);
}

/* The ride in progress, which must be the last booked one (ARE asserts it). */
static Ride *
ongoing_ride (SigmaCabApp  *self,
              GError      **error)
{
  Ride *last;

  if (self->ongoing == NULL)
    {
      sigma_tool_error (error, NO_RIDE_ERROR);
      return NULL;
    }
  if (self->ride_history->len == 0)
    {
      sigma_tool_error (error, "list index out of range");
      return NULL;
    }
  last = g_ptr_array_index (self->ride_history, self->ride_history->len - 1);
  if (!ride_equal (self->ongoing, last))
    {
      /* A bare `assert`: str(AssertionError()) is empty. */
      sigma_tool_error (error, "%s", "");
      return NULL;
    }
  return self->ongoing;
}

/* Ends the ride in progress with @status. */
static void
finish_ride (SigmaCabApp *self,
             const char  *status)
{
  sigma_set_string (&self->ongoing->status, status);
  g_clear_pointer (&self->ongoing, ride_unref);
}

/* ARE's cancel_ride, which user_cancel_ride calls with events disabled. */
static JsonNode *
cancel (SigmaCabApp  *self,
        const char   *who_cancel,
        const char   *message,
        GError      **error)
{
  if (!g_str_equal (who_cancel, "driver") && !g_str_equal (who_cancel, "user"))
    {
      sigma_tool_error (error, "who_cancel must be either 'driver' or 'user'.");
      return NULL;
    }
  if (ongoing_ride (self, error) == NULL)
    return NULL;
  finish_ride (self, "CANCELLED");
  return sigma_json_string (message != NULL && message[0] != '\0' ? message : DEFAULT_CANCEL_MESSAGE);
}

static JsonNode *
cancel_ride (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  return cancel (SIGMA_CAB_APP (app), sigma_args_string (args, "who_cancel"),
                 sigma_args_string (args, "message"), error);
}

static JsonNode *
user_cancel_ride (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  return cancel (SIGMA_CAB_APP (app), "user", "Ride has been cancelled, sorry to see you go.", error);
}

static JsonNode *
end_ride (SigmaApp    *app,
          JsonObject  *args,
          gpointer     user_data,
          GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);

  if (ongoing_ride (self, error) == NULL)
    return NULL;
  finish_ride (self, "COMPLETED");
  return sigma_json_string ("Ride has been completed.");
}

static JsonNode *
update_ride_status (SigmaApp    *app,
                    JsonObject  *args,
                    gpointer     user_data,
                    GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  const char *status = sigma_args_string (args, "status");
  const char *message = sigma_args_string (args, "message");
  g_autofree char *text = NULL;
  Ride *ride;

  if (!g_str_equal (status, "DELAYED") && !g_str_equal (status, "IN_PROGRESS") &&
      !g_str_equal (status, "ARRIVED_AT_PICKUP"))
    {
      sigma_tool_error (error, "status must be one of 'DELAYED', 'IN_PROGRESS', 'ARRIVED_AT_PICKUP'");
      return NULL;
    }
  ride = ongoing_ride (self, error);
  if (ride == NULL)
    return NULL;
  sigma_set_string (&ride->status, status);
  if (message != NULL && message[0] != '\0')
    text = g_strdup_printf ("Ride status has been updated to %s. Message from your driver: %s", status, message);
  else
    text = g_strdup_printf ("Ride status has been updated to %s.", status);
  return sigma_json_string (text);
}

/* ARE's `Ride.update_delay`: the delay shrinks with the time since the ride's time stamp, by
 * a random factor in [-0.5, 2), and never goes above 0 (Python's `min(0, x)`, whose 0 is an
 * int). */
static gboolean
update_delay (SigmaCabApp  *self,
              Ride         *ride,
              GError      **error)
{
  gdouble elapsed, delay;

  if (!sigma_json_is_number (ride->time_stamp) || !sigma_json_is_number (ride->delay))
    {
      sigma_tool_error (error, "time_stamp or delay is not set");
      return FALSE;
    }
  elapsed = sigma_app_get_time (SIGMA_APP (self)) - json_node_get_double (ride->time_stamp);
  delay = json_node_get_double (ride->delay) -
          elapsed * (1 + random_uniform (sigma_app_get_rand (SIGMA_APP (self)), -1.5, 1));
  set_number (&ride->delay, delay < 0 ? sigma_json_double (delay) : sigma_json_int (0));
  add_delay_history (ride);
  return TRUE;
}

static JsonNode *
get_current_ride_status (SigmaApp    *app,
                         JsonObject  *args,
                         gpointer     user_data,
                         GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);

  if (self->ongoing == NULL)
    {
      sigma_tool_error (error, "No ride ordered.");
      return NULL;
    }
  if (!update_delay (self, self->ongoing, error))
    return NULL;
  return ride_to_json (self->ongoing);
}

static JsonNode *
get_ride (SigmaApp    *app,
          JsonObject  *args,
          gpointer     user_data,
          GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  gint64 idx = sigma_args_int (args, "idx");

  if (idx < 0 || idx >= (gint64) self->ride_history->len)
    {
      sigma_tool_error (error, "Ride does not exist.");
      return NULL;
    }
  return ride_to_json (g_ptr_array_index (self->ride_history, idx));
}

static JsonNode *
get_ride_history (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  gint64 total = self->ride_history->len;
  JsonObject *rides, *result;
  JsonArray *range;

  if (!sigma_check_offset_limit ("get_ride_history", offset, limit, 1000, error))
    return NULL;

  /* {index: ride}, the index in the whole history (a JSON key, so a string). */
  rides = json_object_new ();
  for (gint64 i = offset; i < offset + limit && i < total; i++)
    {
      char key[24];

      g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT, i);
      json_object_set_member (rides, key, ride_to_json (g_ptr_array_index (self->ride_history, i)));
    }
  range = json_array_new ();
  json_array_add_int_element (range, offset);
  json_array_add_int_element (range, MIN (offset + limit, total));
  result = json_object_new ();
  json_object_set_object_member (result, "rides", rides);
  json_object_set_array_member (result, "range", range);
  json_object_set_int_member (result, "total", total);
  return sigma_json_object (result);
}

static JsonNode *
get_ride_history_length (SigmaApp    *app,
                         JsonObject  *args,
                         gpointer     user_data,
                         GError     **error)
{
  return sigma_json_int (SIGMA_CAB_APP (app)->ride_history->len);
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                   */

/* An optional string or null member of a ride. */
static gboolean
load_ride_string (SigmaStateReader  *strict,
                  JsonObject        *obj,
                  const char        *path,
                  const char        *member,
                  char             **field,
                  GError           **error)
{
  const char *value = NULL;

  if (!sigma_state_get_string (strict, obj, path, member, FALSE, &value, error))
    return FALSE;
  sigma_set_string (field, value);
  return TRUE;
}

/* An optional number or null member of a ride, kept with its kind; null or absent leaves the
 * field at its default, null. */
static gboolean
load_ride_number (SigmaStateReader  *strict,
                  JsonObject        *obj,
                  const char        *path,
                  const char        *member,
                  JsonNode         **field,
                  GError           **error)
{
  JsonNode *node = NULL;

  if (!sigma_state_get_number_node (strict, obj, path, member, FALSE, &node, error))
    return FALSE;
  if (node != NULL)
    set_number (field, node);
  return TRUE;
}

/* `Ride(**d)` once ARE has dropped the "cab_app" and "seed" keys (a SigmaStateEntryFunc that
 * appends to the array of rides @user_data): every field is optional and any other key is an
 * error. A missing or empty id gets a new one. */
static gboolean
ride_load (SigmaStateReader  *strict,
           const char        *key,
           JsonObject        *obj,
           const char        *path,
           gpointer           user_data,
           GError           **error)
{
  static const char * const fields[] = {
    "ride_id", "status", "service_type", "start_location", "end_location", "price", "duration",
    "time_stamp", "distance_km", "delay", "delay_history", "cab_app", "seed", NULL
  };
  GPtrArray *rides = user_data;
  g_autoptr(Ride) ride = ride_new (NULL);
  JsonArray *history = NULL;

  if (!sigma_state_check_members (strict, obj, path, fields, "unexpected field", error) ||
      !load_ride_string (strict, obj, path, "ride_id", &ride->ride_id, error) ||
      !load_ride_string (strict, obj, path, "status", &ride->status, error) ||
      !load_ride_string (strict, obj, path, "service_type", &ride->service_type, error) ||
      !load_ride_string (strict, obj, path, "start_location", &ride->start_location, error) ||
      !load_ride_string (strict, obj, path, "end_location", &ride->end_location, error) ||
      !load_ride_number (strict, obj, path, "price", &ride->price, error) ||
      !load_ride_number (strict, obj, path, "duration", &ride->duration, error) ||
      !load_ride_number (strict, obj, path, "time_stamp", &ride->time_stamp, error) ||
      !load_ride_number (strict, obj, path, "distance_km", &ride->distance_km, error) ||
      !load_ride_number (strict, obj, path, "delay", &ride->delay, error) ||
      !sigma_state_get_array (strict, obj, path, "delay_history", FALSE, &history, error))
    return FALSE;

  if (history != NULL)
    {
      for (guint i = 0; i < json_array_get_length (history); i++)
        if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (history, i)))
          return sigma_state_problem (strict, error, "%s.delay_history[%u]: expected an object", path, i);
      json_array_unref (ride->delay_history);
      ride->delay_history = sigma_json_array_deep_copy (history);
    }
  /* ARE draws an unseeded uuid4 here; Sigma uses the app's generator. */
  if (ride->ride_id == NULL || ride->ride_id[0] == '\0')
    {
      g_free (ride->ride_id);
      ride->ride_id = sigma_random_uuid_hex (sigma_app_get_rand (strict->app));
    }
  g_ptr_array_add (rides, g_steal_pointer (&ride));
  return TRUE;
}

static gboolean
load_rides (SigmaStateReader  *r,
            JsonObject        *root,
            const char        *member,
            GPtrArray         *rides,
            GError           **error)
{
  g_autofree char *path = g_strdup_printf ("app_state.%s", member);
  JsonArray *array = NULL;

  if (!sigma_state_get_array (r, root, "app_state", member, FALSE, &array, error))
    return FALSE;
  return array == NULL || sigma_state_read_elements (r, array, path, ride_load, rides, error);
}

/* A service of the configuration (a SigmaStateEntryFunc). ARE stores it as it is; the settings
 * Sigma reads must be numbers, others are kept untouched. */
static gboolean
service_load (SigmaStateReader  *strict,
              const char        *service,
              JsonObject        *obj,
              const char        *path,
              gpointer           user_data,
              GError           **error)
{
  static const char * const numbers[] = { "nb_seats", "price_per_km", "base_delay_min", "max_distance_km" };
  SigmaCabApp *self = SIGMA_CAB_APP (strict->app);

  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      gdouble value;

      if (!sigma_state_get_double (strict, obj, path, numbers[i], FALSE, &value, error))
        return FALSE;
    }
  json_object_set_object_member (self->service_config, service, sigma_json_object_deep_copy (obj));
  return TRUE;
}

/* {service: {setting: number}} */
static gboolean
load_service_config (SigmaCabApp       *self,
                     SigmaStateReader  *r,
                     JsonObject        *root,
                     GError           **error)
{
  JsonObject *config = NULL;

  if (!sigma_state_get_object (r, root, "app_state", "d_service_config", FALSE, &config, error))
    return FALSE;
  if (config == NULL)
    return TRUE;   /* the default services of a new app */

  g_clear_pointer (&self->service_config, json_object_unref);
  self->service_config = json_object_new ();
  return sigma_state_read_members (r, config, "app_state.d_service_config", service_load, NULL, error);
}

static void
reset_data (SigmaCabApp *self,
            JsonObject  *config)   /* (transfer full) */
{
  clear_data (self);
  g_clear_pointer (&self->service_config, json_object_unref);
  self->service_config = config;
}

/*
 * ARE appends the loaded rides to the current ones; Sigma replaces them, as every Sigma app
 * does, and the ride in progress is forgotten (ARE does not save it). A missing member is
 * read as a new app has it: no rides, the default services.
 */
static gboolean
sigma_cab_app_load_state (SigmaApp  *app,
                          JsonNode  *state,
                          GError   **error)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  JsonObject *root;

  reset_data (self, default_service_config ());
  root = sigma_state_root (app, state, error);
  if (root == NULL ||
      !load_rides (&r, root, "ride_history", self->ride_history, error) ||
      !load_rides (&r, root, "quotation_history", self->quotation_history, error) ||
      !load_service_config (self, &r, root, error))
    {
      reset_data (self, default_service_config ());
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
sigma_cab_app_get_state (SigmaApp *app)
{
  SigmaCabApp *self = SIGMA_CAB_APP (app);
  JsonObject *state = json_object_new ();

  json_object_set_member (state, "ride_history", rides_to_json (self->ride_history));
  json_object_set_member (state, "quotation_history", rides_to_json (self->quotation_history));
  json_object_set_object_member (state, "d_service_config", sigma_json_object_deep_copy (self->service_config));
  return sigma_json_object (state);
}

/* ARE's reset leaves no services at all (not the defaults). */
static void
sigma_cab_app_reset (SigmaApp *app)
{
  reset_data (SIGMA_CAB_APP (app), json_object_new ());
}

/* ------------------------------------------------------------------------------------ */
/* Notifications (ARE's notification_system.py)                                           */

static char *
sigma_cab_app_describe_notification (SigmaApp            *app,
                                     SigmaCompletedEvent *event,
                                     SigmaVerbosity       verbosity,
                                     SigmaMessageType    *type)
{
  const char *function = sigma_completed_event_get_function (event);
  const char *class_name = sigma_app_get_class_name (app);
  SigmaEventType event_type = sigma_completed_event_get_event_type (event);

  if (verbosity < SIGMA_VERBOSITY_MEDIUM)
    return NULL;
  *type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;

  /* The agent cancelling its own ride is not news to the agent. */
  if (g_str_equal (function, "cancel_ride") || g_str_equal (function, "user_cancel_ride"))
    {
      if (event_type != SIGMA_EVENT_TYPE_USER && event_type != SIGMA_EVENT_TYPE_ENV)
        return NULL;
      return g_strdup_printf ("%s: ride cancelled", class_name);
    }
  if (g_str_equal (function, "end_ride"))
    return g_strdup_printf ("%s: ride completed", class_name);
  if (verbosity >= SIGMA_VERBOSITY_HIGH && g_str_equal (function, "update_ride_status"))
    return g_strdup_printf ("%s: ride status updated", class_name);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Tools, in ARE's registration order (source order of cab.py)                             */


#define AGENT SIGMA_TOOL_ROLE_AGENT
#define ENV   SIGMA_TOOL_ROLE_ENV
#define DATA  SIGMA_TOOL_ROLE_DATA
#define READ  SIGMA_TOOL_OPERATION_READ
#define WRITE SIGMA_TOOL_OPERATION_WRITE

#define START_PARAM SIGMA_TOOL_PARAM ("start_location", SIGMA_VALUE_TYPE_STRING, "Where the ride starts.")
#define END_PARAM SIGMA_TOOL_PARAM ("end_location", SIGMA_VALUE_TYPE_STRING, "Where the ride ends.")
#define SERVICE_PARAM SIGMA_TOOL_PARAM ("service_type", SIGMA_VALUE_TYPE_STRING, \
                                        "The kind of car: Default, Premium or Van.")
#define RIDE_TIME_PARAM SIGMA_TOOL_PARAM_NULLABLE ("ride_time", SIGMA_VALUE_TYPE_STRING, \
                                                   "When to be picked up, as YYYY-MM-DD HH:MM:SS; null for now.")

static const SigmaToolSpec cab_tools[] = {
  {
    .name = "add_new_ride",
    .description = "Records a booked ride in the ride history, with the given figures.",
    .roles = DATA, .operation = WRITE, .func = add_new_ride,
    .returns = "the id of the ride",
    .params = {
      SERVICE_PARAM,
      START_PARAM,
      END_PARAM,
      SIGMA_TOOL_PARAM ("price", SIGMA_VALUE_TYPE_NUMBER, "What the ride costs."),
      SIGMA_TOOL_PARAM_OPTIONAL ("duration", SIGMA_VALUE_TYPE_NUMBER, "How long the ride takes, in minutes.", "0.0"),
      SIGMA_TOOL_PARAM_OPTIONAL ("time_stamp", SIGMA_VALUE_TYPE_NUMBER,
                                 "When the ride takes place, in seconds since the epoch.", "0.0"),
      SIGMA_TOOL_PARAM_OPTIONAL ("distance_km", SIGMA_VALUE_TYPE_NUMBER,
                                 "How far the ride goes, in kilometres.", "0.0"),
    },
  },
  {
    .name = "get_quotation",
    .description = "Quotes a ride between two places for one kind of car: price, distance, "
                   "duration and the expected wait for pickup.",
    .roles = AGENT, .operation = READ, .func = get_quotation,
    .returns = "the quoted ride",
    .params = { START_PARAM, END_PARAM, SERVICE_PARAM, RIDE_TIME_PARAM },
  },
  {
    .name = "list_rides",
    .description = "Quotes a ride between two places for every kind of car offered.",
    .roles = AGENT | DATA, .operation = READ, .func = list_rides,
    .returns = "the quoted rides, one per kind of car",
    .params = { START_PARAM, END_PARAM, RIDE_TIME_PARAM },
  },
  {
    .name = "order_ride",
    .description = "Books a ride between two places; only one ride can be in progress at a time.",
    .roles = AGENT | DATA, .operation = WRITE, .func = order_ride,
    .returns = "the booked ride",
    .params = { START_PARAM, END_PARAM, SERVICE_PARAM, RIDE_TIME_PARAM },
  },
  {
    .name = "cancel_ride",
    .description = "Cancels the ride in progress on behalf of the driver or the user.",
    .roles = DATA | ENV, .operation = WRITE, .func = cancel_ride,
    .returns = "the message shown to the user",
    .params = {
      SIGMA_TOOL_PARAM_OPTIONAL ("who_cancel", SIGMA_VALUE_TYPE_STRING,
                                 "Who cancels: 'driver' or 'user'.", "\"driver\""),
      SIGMA_TOOL_PARAM_NULLABLE ("message", SIGMA_VALUE_TYPE_STRING,
                                 "A message for the user; null for the standard apology."),
    },
  },
  {
    .name = "user_cancel_ride",
    .description = "Cancels the ride in progress.",
    .roles = AGENT, .operation = WRITE, .func = user_cancel_ride,
    .returns = "a confirmation message",
    .params = { },
  },
  {
    .name = "end_ride",
    .description = "Marks the ride in progress as completed.",
    .roles = ENV, .operation = WRITE, .func = end_ride,
    .returns = "a confirmation message",
    .params = { },
  },
  {
    .name = "update_ride_status",
    .description = "Changes the status of the ride in progress, optionally with a message from the driver.",
    .roles = ENV, .operation = WRITE, .func = update_ride_status,
    .returns = "a message giving the new status",
    .params = {
      SIGMA_TOOL_PARAM ("status", SIGMA_VALUE_TYPE_STRING,
                        "The new status: DELAYED, IN_PROGRESS or ARRIVED_AT_PICKUP."),
      SIGMA_TOOL_PARAM_NULLABLE ("message", SIGMA_VALUE_TYPE_STRING, "A message from the driver, or null."),
    },
  },
  {
    .name = "get_current_ride_status",
    .description = "Shows the ride in progress with its current status and updated pickup delay.",
    .roles = AGENT, .operation = READ, .func = get_current_ride_status,
    .returns = "the ride in progress",
    .params = { },
  },
  {
    .name = "get_ride",
    .description = "Shows one ride of the ride history by its position.",
    .roles = AGENT | DATA, .operation = READ, .func = get_ride,
    .returns = "the ride",
    .params = {
      SIGMA_TOOL_PARAM ("idx", SIGMA_VALUE_TYPE_INTEGER, "The position of the ride in the history, from 0."),
    },
  },
  {
    .name = "get_ride_history",
    .description = "Lists booked rides from the ride history, one page at a time.",
    .roles = AGENT | DATA, .operation = READ, .func = get_ride_history,
    .returns = "{\"rides\": {index: ride}, \"range\": [start, end], \"total\": n}",
    .params = {
      SIGMA_TOOL_PARAM_OPTIONAL ("offset", SIGMA_VALUE_TYPE_INTEGER, "How many rides to skip.", "0"),
      SIGMA_TOOL_PARAM_OPTIONAL ("limit", SIGMA_VALUE_TYPE_INTEGER, "The most rides to return.", "10"),
    },
  },
  {
    .name = "get_ride_history_length",
    .description = "Tells how many rides the ride history holds.",
    .roles = AGENT | DATA, .operation = READ, .func = get_ride_history_length,
    .returns = "the number of rides",
    .params = { },
  },
};

/* ------------------------------------------------------------------------------------ */

static void
sigma_cab_app_finalize (GObject *object)
{
  SigmaCabApp *self = SIGMA_CAB_APP (object);

  g_clear_pointer (&self->ongoing, ride_unref);
  g_clear_pointer (&self->ride_history, g_ptr_array_unref);
  g_clear_pointer (&self->quotation_history, g_ptr_array_unref);
  g_clear_pointer (&self->service_config, json_object_unref);

  G_OBJECT_CLASS (sigma_cab_app_parent_class)->finalize (object);
}

static void
sigma_cab_app_class_init (SigmaCabAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_cab_app_finalize;

  app_class->get_state = sigma_cab_app_get_state;
  app_class->load_state = sigma_cab_app_load_state;
  app_class->reset = sigma_cab_app_reset;
  app_class->describe_notification = sigma_cab_app_describe_notification;
  app_class->app_class_name = "CabApp";
}

static void
sigma_cab_app_init (SigmaCabApp *self)
{
  self->ride_history = g_ptr_array_new_with_free_func (ride_unref);
  self->quotation_history = g_ptr_array_new_with_free_func (ride_unref);
  self->service_config = default_service_config ();

  sigma_app_add_tool_specs (SIGMA_APP (self), cab_tools, G_N_ELEMENTS (cab_tools));
}

/**
 * sigma_cab_app_new:
 * @name: (nullable): the instance name; "CabApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaCabApp
 */
SigmaApp *
sigma_cab_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CAB_APP, "name", name != NULL ? name : "CabApp", NULL);
}
