/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-calendar-app.h"
#include "sigma-app-util.h"
#include "sigma-completed-event.h"
#include "sigma-error.h"
#include "sigma-random.h"
#include "sigma-time.h"

/**
 * SigmaCalendarApp:
 *
 * A calendar of events with attendees (ARE's `CalendarApp` and `Calendar`; apps.md §6).
 *
 * Events live in a table keyed by the id under which they were stored, in insertion order
 * (ARE's dict). Times are seconds since the Unix epoch; tools take and compare them as
 * `YYYY-MM-DD HH:MM:SS` in UTC, parsed with Python strptime's leniency (sigma_time_parse()).
 *
 * Since: 0.1
 */

/* ARE's texts (are/simulation/apps/calendar.py) */
#define INVALID_DATETIME_MESSAGE "Invalid datetime format. Please use YYYY-MM-DD HH:MM:SS"
#define START_AFTER_END_MESSAGE  "Start time cannot be after end time."
#define DEFAULT_TITLE            "Event"
#define DEFAULT_DURATION         3600.0     /* an event without an end lasts one hour */
#define SECONDS_PER_DAY          86400.0
#define TODAY_LIMIT              10         /* read_today_calendar_events: ARE's default limit */
#define MAX_LIMIT                1000

/* The range of Python datetimes (years 1 to 9999), outside which ARE cannot format a time. */
#define MIN_TIMESTAMP            -62135596800.0
#define MAX_TIMESTAMP            253402300799.0

typedef struct
{
  char      *event_id;
  char      *title;
  gdouble    start;
  gdouble    end;
  gboolean   start_is_int;   /* loaded as a JSON integer, so saved as one (ARE keeps the type) */
  gboolean   end_is_int;
  char      *tag;            /* nullable */
  char      *description;    /* nullable */
  char      *location;       /* nullable */
  GPtrArray *attendees;      /* (element-type utf8) */
} CalendarEvent;

struct _SigmaCalendarApp
{
  SigmaApp         parent_instance;

  /* ARE's dict of events: CalendarEvent by the key under which it was stored (what tools
   * look events up by), in insertion order */
  SigmaOrderedMap *events;
};

G_DEFINE_FINAL_TYPE (SigmaCalendarApp, sigma_calendar_app, SIGMA_TYPE_APP)

/* ------------------------------------------------------------------------------------ */
/* Events                                                                               */

static void
calendar_event_free (CalendarEvent *event)
{
  g_free (event->event_id);
  g_free (event->title);
  g_free (event->tag);
  g_free (event->description);
  g_free (event->location);
  g_ptr_array_unref (event->attendees);
  g_free (event);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CalendarEvent, calendar_event_free)

static CalendarEvent *
calendar_event_new (void)
{
  CalendarEvent *event = g_new0 (CalendarEvent, 1);

  event->attendees = g_ptr_array_new_with_free_func (g_free);
  return event;
}

/* ARE's display format "%A, %Y-%m-%d %H:%M:%S", always recomputed from the timestamp. */
static char *
display_time (gdouble timestamp)
{
  g_autofree char *text = sigma_time_format (timestamp);

  return g_strdup_printf ("%s, %s", sigma_time_weekday_name (timestamp), text);
}

/* The event as ARE serialises a CalendarEvent, fields in declaration order. */
static JsonNode *
calendar_event_to_json (const CalendarEvent *event)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "event_id", event->event_id);
  json_object_set_string_member (obj, "title", event->title);
  json_object_set_member (obj, "start_datetime", sigma_json_number (event->start, event->start_is_int));
  json_object_set_member (obj, "end_datetime", sigma_json_number (event->end, event->end_is_int));
  json_object_set_member (obj, "tag", sigma_json_string (event->tag));
  json_object_set_member (obj, "description", sigma_json_string (event->description));
  json_object_set_member (obj, "location", sigma_json_string (event->location));
  json_object_set_member (obj, "attendees", sigma_json_strings (event->attendees));
  json_object_set_member (obj, "start_strftime", sigma_json_string_take (display_time (event->start)));
  json_object_set_member (obj, "end_strftime", sigma_json_string_take (display_time (event->end)));
  return sigma_json_object (obj);
}

static gboolean
has_attendee (const CalendarEvent *event,
              const char          *name)
{
  for (guint i = 0; i < event->attendees->len; i++)
    if (g_str_equal (g_ptr_array_index (event->attendees, i), name))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Shared parts of the tools                                                            */

static gboolean
parse_datetime (const char  *text,
                gdouble     *timestamp,
                GError     **error)
{
  /* ARE turns every strptime ValueError into this one message. */
  if (!sigma_time_parse (text, timestamp, NULL))
    {
      sigma_tool_error (error, INVALID_DATETIME_MESSAGE);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
strings_from_array (JsonArray *array)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  if (array != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      g_ptr_array_add (strings, g_strdup (json_array_get_string_element (array, i)));
  return strings;
}

static CalendarEvent *
lookup_event (SigmaCalendarApp  *self,
              const char        *event_id,
              GError           **error)
{
  CalendarEvent *event = sigma_ordered_map_lookup (self->events, event_id);

  if (event == NULL)
    sigma_tool_error (error, "Calendar Event with id %s does not exist.", event_id);
  return event;
}

/* What add_calendar_event and add_calendar_event_by_attendee share: default times, the id,
 * parsing and storing. @event carries the title, tag, description, location and attendees.
 * Returns the new id. */
static JsonNode *
add_event (SigmaCalendarApp  *self,
           CalendarEvent     *event,     /* (transfer full) */
           const char        *start_text,
           const char        *end_text,
           GError           **error)
{
  g_autoptr(CalendarEvent) owned = event;
  gdouble now = sigma_app_get_time (SIGMA_APP (self));
  g_autofree char *default_start = NULL;
  g_autofree char *default_end = NULL;

  if (start_text == NULL)
    start_text = default_start = sigma_time_format (now);
  if (end_text == NULL)
    end_text = default_end = sigma_time_format (now + DEFAULT_DURATION);

  /* ARE draws the id before it parses the times: a failed call still advances the rng. */
  owned->event_id = sigma_random_uuid_hex (sigma_app_get_rand (SIGMA_APP (self)));
  if (!parse_datetime (start_text, &owned->start, error) ||
      !parse_datetime (end_text, &owned->end, error))
    return NULL;
  if (owned->start > owned->end)
    {
      sigma_tool_error (error, START_AFTER_END_MESSAGE);
      return NULL;
    }

  /* as in a Python dict, an id stored again keeps its place */
  event = g_steal_pointer (&owned);
  sigma_ordered_map_insert (self->events, event->event_id, event);
  return sigma_json_string (event->event_id);
}

/* The events that overlap [start, end) strictly (an event that only touches a bound is left
 * out), in table order, as ARE's get_calendar_events_from_to returns them. */
static JsonNode *
events_between (SigmaCalendarApp *self,
                gdouble           start,
                gdouble           end,
                gint64            offset,
                gint64            limit)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  JsonObject *result = json_object_new ();
  JsonArray *events = json_array_new ();
  JsonArray *range = json_array_sized_new (2);
  SigmaOrderedMapIter iter;
  CalendarEvent *event;
  gint64 total, stop;

  sigma_ordered_map_iter_init (&iter, self->events);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &event))
    if (event->start < end && event->end > start)
      g_ptr_array_add (matches, event);

  /* Python: events[offset:offset + limit], range (offset, min(offset + limit, total)) */
  total = matches->len;
  stop = offset <= total - limit ? offset + limit : total;
  for (gint64 i = offset; i < stop; i++)
    json_array_add_element (events, calendar_event_to_json (g_ptr_array_index (matches, i)));
  json_array_add_int_element (range, offset);
  json_array_add_int_element (range, stop);

  json_object_set_array_member (result, "events", events);
  json_object_set_array_member (result, "range", range);
  json_object_set_int_member (result, "total", total);
  return sigma_json_object (result);
}

static JsonNode *
events_to_json (GPtrArray *events)
{
  JsonArray *array = json_array_sized_new (events->len);

  for (guint i = 0; i < events->len; i++)
    json_array_add_element (array, calendar_event_to_json (g_ptr_array_index (events, i)));
  return sigma_json_array (array);
}

/* search_events: the query, lowercased, in the title, description, location or an attendee. */
static gboolean
event_matches_query (const CalendarEvent *event,
                     const char          *folded_query)
{
  if (sigma_contains_folded (event->title, folded_query) ||
      sigma_contains_folded (event->description, folded_query) ||
      sigma_contains_folded (event->location, folded_query))
    return TRUE;
  for (guint i = 0; i < event->attendees->len; i++)
    if (sigma_contains_folded (g_ptr_array_index (event->attendees, i), folded_query))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static CalendarEvent *
event_from_args (JsonObject *args,
                 const char *title)
{
  CalendarEvent *event = calendar_event_new ();

  g_ptr_array_unref (event->attendees);
  event->attendees = strings_from_array (sigma_args_array (args, "attendees"));
  event->title = g_strdup (title);
  event->tag = g_strdup (sigma_args_string (args, "tag"));
  event->description = g_strdup (sigma_args_string (args, "description"));
  event->location = g_strdup (sigma_args_string (args, "location"));
  return event;
}

static JsonNode *
tool_add_calendar_event (SigmaApp    *app,
                         JsonObject  *args,
                         gpointer     user_data,
                         GError     **error)
{
  CalendarEvent *event = event_from_args (args, sigma_args_string (args, "title"));

  return add_event (SIGMA_CALENDAR_APP (app), event,
                    sigma_args_string (args, "start_datetime"),
                    sigma_args_string (args, "end_datetime"), error);
}

static JsonNode *
tool_add_calendar_event_by_attendee (SigmaApp    *app,
                                     JsonObject  *args,
                                     gpointer     user_data,
                                     GError     **error)
{
  const char *who = sigma_args_string (args, "who_add");
  const char *description = sigma_args_string (args, "description");
  g_autofree char *title = g_strdup_printf ("Event created by %s: %s", who, sigma_args_string (args, "title"));
  CalendarEvent *event = event_from_args (args, title);

  if (!has_attendee (event, who))
    g_ptr_array_add (event->attendees, g_strdup (who));
  g_free (event->description);
  /* An empty description counts as none (Python truthiness). */
  event->description = description != NULL && *description != '\0'
                       ? g_strdup_printf ("Event created by %s: %s", who, description)
                       : g_strdup_printf ("Event created by %s", who);

  return add_event (SIGMA_CALENDAR_APP (app), event,
                    sigma_args_string (args, "start_datetime"),
                    sigma_args_string (args, "end_datetime"), error);
}

static JsonNode *
tool_get_calendar_event (SigmaApp    *app,
                         JsonObject  *args,
                         gpointer     user_data,
                         GError     **error)
{
  CalendarEvent *event = lookup_event (SIGMA_CALENDAR_APP (app), sigma_args_string (args, "event_id"), error);

  return event != NULL ? calendar_event_to_json (event) : NULL;
}

static JsonNode *
tool_delete_calendar_event_by_attendee (SigmaApp    *app,
                                        JsonObject  *args,
                                        gpointer     user_data,
                                        GError     **error)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (app);
  const char *event_id = sigma_args_string (args, "event_id");
  const char *who = sigma_args_string (args, "who_delete");
  CalendarEvent *event = lookup_event (self, event_id, error);

  if (event == NULL)
    return NULL;
  if (!has_attendee (event, who))
    {
      sigma_tool_error (error, "%s is not an attendee of the event.", who);
      return NULL;
    }
  sigma_ordered_map_remove (self->events, event_id);
  return sigma_json_string_printf ("Event %s successfully deleted by %s.", event_id, who);
}

static JsonNode *
tool_delete_calendar_event (SigmaApp    *app,
                            JsonObject  *args,
                            gpointer     user_data,
                            GError     **error)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (app);
  const char *event_id = sigma_args_string (args, "event_id");

  if (lookup_event (self, event_id, error) == NULL)
    return NULL;
  sigma_ordered_map_remove (self->events, event_id);
  return sigma_json_string_printf ("Event %s successfully deleted.", event_id);
}

static JsonNode *
tool_get_calendar_events_from_to (SigmaApp    *app,
                                  JsonObject  *args,
                                  gpointer     user_data,
                                  GError     **error)
{
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  gdouble start, end;

  if (!sigma_check_offset_limit ("get_calendar_events_from_to", offset, limit, MAX_LIMIT, error))
    return NULL;
  if (!parse_datetime (sigma_args_string (args, "start_datetime"), &start, error) ||
      !parse_datetime (sigma_args_string (args, "end_datetime"), &end, error))
    return NULL;
  if (start > end)
    {
      sigma_tool_error (error, START_AFTER_END_MESSAGE);
      return NULL;
    }
  return events_between (SIGMA_CALENDAR_APP (app), start, end, offset, limit);
}

static JsonNode *
tool_read_today_calendar_events (SigmaApp    *app,
                                 JsonObject  *args,
                                 gpointer     user_data,
                                 GError     **error)
{
  g_autofree char *now_text = sigma_time_format (sigma_app_get_time (app));
  g_autofree char *midnight_text = NULL;
  gdouble midnight;

  /* ARE truncates now to 00:00:00 UTC and calls get_calendar_events_from_to for the day with
   * its default limit. That nested call is ARE's second logged event; here it is a plain
   * function call, so the trajectory has one event (doc/compat/calendar-app.md). */
  midnight_text = g_strdup_printf ("%.10s 00:00:00", now_text);
  if (!parse_datetime (midnight_text, &midnight, error))
    return NULL;
  return events_between (SIGMA_CALENDAR_APP (app), midnight, midnight + SECONDS_PER_DAY, 0, TODAY_LIMIT);
}

static JsonNode *
tool_get_all_tags (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (app);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *tags = json_array_new ();
  SigmaOrderedMapIter iter;
  CalendarEvent *event;

  /* ARE returns a Python set, whose order changes from process to process; Sigma lists the
   * tags in the order they first occur. */
  sigma_ordered_map_iter_init (&iter, self->events);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &event))
    if (event->tag != NULL && *event->tag != '\0' && g_hash_table_add (seen, event->tag))
      json_array_add_string_element (tags, event->tag);
  return sigma_json_array (tags);
}

static JsonNode *
tool_get_calendar_events_by_tag (SigmaApp    *app,
                                 JsonObject  *args,
                                 gpointer     user_data,
                                 GError     **error)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (app);
  const char *tag = sigma_args_string (args, "tag");
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  SigmaOrderedMapIter iter;
  CalendarEvent *event;

  if (*tag == '\0')
    {
      sigma_tool_error (error, "Tag cannot be empty.");
      return NULL;
    }
  sigma_ordered_map_iter_init (&iter, self->events);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &event))
    if (g_strcmp0 (event->tag, tag) == 0)
      g_ptr_array_add (matches, event);
  return events_to_json (matches);
}

static JsonNode *
tool_search_events (SigmaApp    *app,
                    JsonObject  *args,
                    gpointer     user_data,
                    GError     **error)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (app);
  g_autofree char *query = g_utf8_strdown (sigma_args_string (args, "query"), -1);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  SigmaOrderedMapIter iter;
  CalendarEvent *event;

  sigma_ordered_map_iter_init (&iter, self->events);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &event))
    if (event_matches_query (event, query))
      g_ptr_array_add (matches, event);
  return events_to_json (matches);
}

#define AGENT  SIGMA_TOOL_ROLE_AGENT
#define ENV    SIGMA_TOOL_ROLE_ENV
#define DATA   SIGMA_TOOL_ROLE_DATA
#define READ   SIGMA_TOOL_OPERATION_READ
#define WRITE  SIGMA_TOOL_OPERATION_WRITE
#define STRING SIGMA_VALUE_TYPE_STRING
#define INT    SIGMA_VALUE_TYPE_INTEGER
#define ARRAY  SIGMA_VALUE_TYPE_ARRAY

#define P_START    { "start_datetime", STRING, "When the event starts, as YYYY-MM-DD HH:MM:SS in UTC; now when omitted.", "null", 0, TRUE }
#define P_END      { "end_datetime", STRING, "When the event ends, as YYYY-MM-DD HH:MM:SS in UTC; one hour after now when omitted.", "null", 0, TRUE }
#define P_TAG      { "tag", STRING, "An optional tag (category) for the event.", "null", 0, TRUE }
#define P_DESC     { "description", STRING, "An optional description of the event.", "null", 0, TRUE }
#define P_LOCATION { "location", STRING, "An optional place where the event happens.", "null", 0, TRUE }
#define P_EVENT_ID { "event_id", STRING, "The id of the event.", NULL, 0, FALSE }

/* ARE's registration order (source order of calendar.py). */
static const SigmaToolSpec calendar_tools[] = {
  { "add_calendar_event",
    "Creates a calendar event and returns its id; weeks start on Monday unless the task says otherwise.",
    AGENT | DATA, WRITE, tool_add_calendar_event, "The id of the new event.",
    { { "title", STRING, "The title of the event.", "\"" DEFAULT_TITLE "\"", 0, FALSE },
      P_START, P_END, P_TAG, P_DESC, P_LOCATION,
      { "attendees", ARRAY, "The full names of the people attending; none when omitted.", "null", STRING, TRUE },
      { NULL } } },
  { "add_calendar_event_by_attendee",
    "Creates a calendar event on behalf of an attendee, who is added to the attendees and named in the title and description; returns its id.",
    ENV | DATA, WRITE, tool_add_calendar_event_by_attendee, "The id of the new event.",
    { { "who_add", STRING, "The full name of the attendee who creates the event.", NULL, 0, FALSE },
      { "title", STRING, "The title of the event.", "\"" DEFAULT_TITLE "\"", 0, FALSE },
      P_START, P_END, P_TAG, P_DESC, P_LOCATION,
      { "attendees", ARRAY, "The full names of the people attending; the creator is added when missing.", "null", STRING, TRUE },
      { NULL } } },
  { "get_calendar_event",
    "Returns the details of one calendar event.",
    AGENT, READ, tool_get_calendar_event, "The event.",
    { P_EVENT_ID, { NULL } } },
  { "delete_calendar_event_by_attendee",
    "Deletes a calendar event on behalf of one of its attendees.",
    ENV, WRITE, tool_delete_calendar_event_by_attendee, "A confirmation message.",
    { P_EVENT_ID,
      { "who_delete", STRING, "The full name of the attendee who deletes the event; it must be one of its attendees.", NULL, 0, FALSE },
      { NULL } } },
  { "delete_calendar_event",
    "Deletes a calendar event.",
    AGENT | DATA, WRITE, tool_delete_calendar_event, "A confirmation message.",
    { P_EVENT_ID, { NULL } } },
  { "get_calendar_events_from_to",
    "Lists, a page at a time, the events that overlap a time range (events that only touch its bounds are left out); weeks start on Monday unless the task says otherwise.",
    AGENT, READ, tool_get_calendar_events_from_to,
    "The page of events, the range of positions it covers and the total number of matching events.",
    { { "start_datetime", STRING, "The start of the range, as YYYY-MM-DD HH:MM:SS in UTC.", NULL, 0, FALSE },
      { "end_datetime", STRING, "The end of the range, as YYYY-MM-DD HH:MM:SS in UTC.", NULL, 0, FALSE },
      { "offset", INT, "How many matching events to skip.", "0", 0, FALSE },
      { "limit", INT, "The largest number of events to return.", "10", 0, FALSE },
      { NULL } } },
  { "read_today_calendar_events",
    "Lists the first 10 events of the current day (UTC).",
    AGENT, READ, tool_read_today_calendar_events,
    "The events of today, the range of positions returned and the total number of today's events.",
    { { NULL } } },
  { "get_all_tags",
    "Lists every tag used by the calendar events.",
    AGENT, READ, tool_get_all_tags, "The distinct tags.",
    { { NULL } } },
  { "get_calendar_events_by_tag",
    "Lists the calendar events that have exactly the given tag.",
    AGENT, READ, tool_get_calendar_events_by_tag, "The matching events.",
    { { "tag", STRING, "The tag to look for (case-sensitive, not empty).", NULL, 0, FALSE }, { NULL } } },
  { "search_events",
    "Finds the calendar events whose title, description, location or attendees contain the query, ignoring case.",
    AGENT | DATA, READ, tool_search_events, "The matching events.",
    { { "query", STRING, "The text to look for.", NULL, 0, FALSE }, { NULL } } },
};

#undef AGENT
#undef ENV
#undef DATA
#undef READ
#undef WRITE
#undef STRING
#undef INT
#undef ARRAY

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

/* The members of ARE's CalendarEvent: any other member is a TypeError in ARE. */
static const char * const event_members[] = {
  "event_id", "title", "start_datetime", "end_datetime", "tag", "description", "location",
  "attendees", "start_strftime", "end_strftime", NULL
};

/* A member that is present with a JSON null, where ARE would keep a None that breaks the app. */
static gboolean
reject_null (SigmaStateReader  *r,
             JsonObject        *obj,
             const char        *path,
             const char        *member,
             const char        *kind,
             GError           **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return sigma_state_problem (r, error, "%s.%s: expected %s", path, member, kind);
  return TRUE;
}

static gboolean
read_time (SigmaStateReader  *r,
           JsonObject        *obj,
           const char        *path,
           const char        *member,
           gdouble           *value,
           gboolean          *is_int,
           GError           **error)
{
  if (!sigma_state_get_number (r, obj, path, member, TRUE, value, is_int, error))
    return FALSE;
  if (*value < MIN_TIMESTAMP || *value > MAX_TIMESTAMP)
    return sigma_state_problem (r, error, "%s.%s: %g is not a time between the years 1 and 9999",
                                path, member, *value);
  return TRUE;
}

static gboolean
read_attendees (SigmaStateReader  *r,
                JsonObject        *obj,
                const char        *path,
                GPtrArray         *attendees,
                GError           **error)
{
  JsonArray *array = NULL;

  if (!reject_null (r, obj, path, "attendees", "an array", error) ||
      !sigma_state_get_array (r, obj, path, "attendees", FALSE, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (!sigma_state_check_strings (r, array, path, "attendees", error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (attendees, g_strdup (json_array_get_string_element (array, i)));
  return TRUE;
}

/* One entry of app_state.events (a SigmaStateEntryFunc), stored in the map @user_data. */
static gboolean
read_event (SigmaStateReader  *r,
            const char        *key,
            JsonObject        *obj,
            const char        *path,
            gpointer           user_data,
            GError           **error)
{
  SigmaOrderedMap *events = user_data;
  g_autoptr(CalendarEvent) event = calendar_event_new ();
  const char *event_id = NULL, *title = DEFAULT_TITLE, *ignored = NULL;
  const char *tag = NULL, *description = NULL, *location = NULL;

  if (!sigma_state_check_members (r, obj, path, event_members, "not a field of a calendar event", error) ||
      !sigma_state_get_string (r, obj, path, "event_id", FALSE, &event_id, error) ||
      !reject_null (r, obj, path, "title", "a string", error) ||
      !sigma_state_get_string (r, obj, path, "title", FALSE, &title, error) ||
      !read_time (r, obj, path, "start_datetime", &event->start, &event->start_is_int, error) ||
      !read_time (r, obj, path, "end_datetime", &event->end, &event->end_is_int, error) ||
      !sigma_state_get_string (r, obj, path, "tag", FALSE, &tag, error) ||
      !sigma_state_get_string (r, obj, path, "description", FALSE, &description, error) ||
      !sigma_state_get_string (r, obj, path, "location", FALSE, &location, error) ||
      !read_attendees (r, obj, path, event->attendees, error) ||
      /* ARE recomputes the display strings; they only have to be strings. */
      !sigma_state_get_string (r, obj, path, "start_strftime", FALSE, &ignored, error) ||
      !sigma_state_get_string (r, obj, path, "end_strftime", FALSE, &ignored, error))
    return FALSE;

  if (event->start > event->end)
    return sigma_state_problem (r, error, "%s.start_datetime: " START_AFTER_END_MESSAGE, path);

  /* ARE gives an event without an id a fresh uuid4; Sigma draws it from the app rng. */
  event->event_id = event_id != NULL && *event_id != '\0'
                    ? g_strdup (event_id)
                    : sigma_random_uuid_hex (sigma_app_get_rand (r->app));
  event->title = g_strdup (title);
  event->tag = g_strdup (tag);
  event->description = g_strdup (description);
  event->location = g_strdup (location);
  sigma_ordered_map_insert (events, key, g_steal_pointer (&event));
  return TRUE;
}

static JsonNode *
sigma_calendar_app_get_state (SigmaApp *app)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (app);
  JsonObject *root = json_object_new ();

  json_object_set_member (root, "events",
                          sigma_ordered_map_to_json (self->events, (SigmaToJsonFunc) calendar_event_to_json));
  return sigma_json_object (root);
}

/* Replaces every event. ARE logs and swallows the error of a malformed event, keeping the
 * events before it and losing the rest; Sigma fails (or, lenient, skips just that event). */
static gboolean
sigma_calendar_app_load_state (SigmaApp  *app,
                               JsonNode  *state,
                               GError   **error)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  JsonObject *root, *events = NULL;
  g_autoptr(SigmaOrderedMap) table = NULL;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  if (!sigma_state_get_object (&r, root, "app_state", "events", TRUE, &events, error))
    return FALSE;

  table = sigma_ordered_map_new ((GDestroyNotify) calendar_event_free);
  if (events != NULL &&
      !sigma_state_read_members (&r, events, "app_state.events", read_event, table, error))
    return FALSE;
  sigma_ordered_map_free (self->events);
  self->events = g_steal_pointer (&table);
  return TRUE;
}

static void
sigma_calendar_app_reset (SigmaApp *app)
{
  sigma_ordered_map_clear (SIGMA_CALENDAR_APP (app)->events);
}

/* ------------------------------------------------------------------------------------ */
/* Notifications                                                                        */

/* apps.md §11: attendees adding or deleting events notify at MEDIUM and HIGH verbosity. */
static char *
sigma_calendar_app_describe_notification (SigmaApp            *app,
                                          SigmaCompletedEvent *event,
                                          SigmaVerbosity       verbosity,
                                          SigmaMessageType    *type)
{
  const char *function = sigma_completed_event_get_function (event);
  JsonObject *args = sigma_completed_event_get_args (event);
  const char *who;

  if (verbosity < SIGMA_VERBOSITY_MEDIUM || function == NULL || args == NULL)
    return NULL;

  *type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;
  if (g_str_equal (function, "add_calendar_event_by_attendee") &&
      (who = sigma_args_string (args, "who_add")) != NULL)
    return g_strdup_printf ("%s: New calendar event added by %s", sigma_app_get_class_name (app), who);
  if (g_str_equal (function, "delete_calendar_event_by_attendee") &&
      (who = sigma_args_string (args, "who_delete")) != NULL)
    return g_strdup_printf ("%s: Calendar event deleted by %s", sigma_app_get_class_name (app), who);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_calendar_app_finalize (GObject *object)
{
  SigmaCalendarApp *self = SIGMA_CALENDAR_APP (object);

  g_clear_pointer (&self->events, sigma_ordered_map_free);

  G_OBJECT_CLASS (sigma_calendar_app_parent_class)->finalize (object);
}

static void
sigma_calendar_app_class_init (SigmaCalendarAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_calendar_app_finalize;

  app_class->get_state = sigma_calendar_app_get_state;
  app_class->load_state = sigma_calendar_app_load_state;
  app_class->reset = sigma_calendar_app_reset;
  app_class->describe_notification = sigma_calendar_app_describe_notification;
  app_class->app_class_name = "CalendarApp";
}

static void
sigma_calendar_app_init (SigmaCalendarApp *self)
{
  self->events = sigma_ordered_map_new ((GDestroyNotify) calendar_event_free);
  sigma_app_add_tool_specs (SIGMA_APP (self), calendar_tools, G_N_ELEMENTS (calendar_tools));
}

/**
 * sigma_calendar_app_new:
 * @name: (nullable): the instance name; "CalendarApp" when %NULL
 *
 * Creates an empty calendar.
 *
 * Returns: (transfer full): a new #SigmaCalendarApp
 *
 * Since: 0.1
 */
SigmaApp *
sigma_calendar_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CALENDAR_APP, "name", name != NULL ? name : "CalendarApp", NULL);
}
