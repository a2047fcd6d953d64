/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-reminder-app.h"
#include "sigma-app-util.h"
#include "sigma-error.h"
#include "sigma-random.h"
#include "sigma-time.h"

/**
 * SigmaReminderApp:
 *
 * Reminders that notify the agent when due (ARE's `ReminderApp`; apps.md §10).
 *
 * A reminder may repeat every N seconds, minutes, hours, days, weeks or months: adding it
 * also adds up to 100 repetitions, with ids `<id>_rep_1`, `<id>_rep_2`, …, as long as they
 * fall within twelve weeks of the current simulated time. Deleting a reminder deletes its
 * repetitions too.
 *
 * When a reminder falls due, the agent is notified once, at every verbosity, with ARE's
 * text: `"<app name>: New due reminders:\n"` followed by each reminder's three lines.
 *
 * ARE's ReminderApp has no state; Sigma's is
 * `{"reminders": {"<id>": {"reminder_id", "title", "due_datetime", "description",
 * "repetition_unit", "repetition_value", "time_notified"}, …}}` with `due_datetime` written
 * `YYYY-MM-DD HH:MM:SS` (UTC) and `time_notified` in seconds since the epoch or `null`.
 *
 * Since: 0.1
 */

/* ARE's Reminder, in field order, plus the bookkeeping of the app's indexes. */
typedef struct
{
  char          *reminder_id;
  char          *title;
  gint64         due;                  /* seconds since the epoch (whole: parsed from DT) */
  char          *description;
  char          *repetition_unit;      /* (nullable) */
  gint64         repetition_value;     /* meaningful when has_repetition_value */
  gdouble        time_notified;        /* meaningful when has_time_notified */
  guint          has_repetition_value : 1;
  guint          has_time_notified : 1;
  guint          time_notified_is_int : 1;

  guint64        seq;                  /* insertion number: dict order */
  GList         *link;                 /* in SigmaReminderApp.order */
  GSequenceIter *pending;              /* in SigmaReminderApp.pending, until notified */
} Reminder;

struct _SigmaReminderApp
{
  SigmaApp    parent_instance;

  GHashTable *reminders;   /* reminder_id → Reminder (owned) */
  GQueue      order;       /* Reminder, in insertion order (ARE's dict order) */
  GSequence  *pending;     /* Reminder not yet notified, by (due, seq) */
  guint64     next_seq;
};

G_DEFINE_FINAL_TYPE (SigmaReminderApp, sigma_reminder_app, SIGMA_TYPE_APP)

/* ARE: max_reminder_repetitions */
#define MAX_REPETITIONS 100
/* ARE: max_future_datetime = the app's clock + 12 weeks */
#define REPETITION_HORIZON (12 * 7 * 24 * 3600.0)
/* Python datetime's range: 0001-01-01 00:00:00 to 9999-12-31 23:59:59 UTC */
#define MIN_DATETIME G_GINT64_CONSTANT (-62135596800)
#define MAX_DATETIME G_GINT64_CONSTANT (253402300799)

static const struct { const char *unit; gint64 seconds; } repetition_units[] = {
  { "second", 1 },
  { "minute", 60 },
  { "hour", 3600 },
  { "day", 86400 },
  { "week", 604800 },
  { "month", 0 },          /* calendar months: see next_month() */
};

static gboolean
is_repetition_unit (const char *unit)
{
  for (gsize i = 0; i < G_N_ELEMENTS (repetition_units); i++)
    if (g_str_equal (repetition_units[i].unit, unit))
      return TRUE;
  return FALSE;
}

static gint64
unit_seconds (const char *unit)
{
  for (gsize i = 0; i < G_N_ELEMENTS (repetition_units); i++)
    if (g_str_equal (repetition_units[i].unit, unit))
      return repetition_units[i].seconds;
  g_assert_not_reached ();
}

/* ARE repeats only when both a unit and a value are set (`if unit and value`). */
static gboolean
reminder_repeats (const Reminder *reminder)
{
  return reminder->repetition_unit != NULL && reminder->repetition_unit[0] != '\0' &&
         reminder->has_repetition_value && reminder->repetition_value != 0;
}

/* ------------------------------------------------------------------------------------ */
/* Reminders                                                                            */

static Reminder *
reminder_new (const char *reminder_id,
              const char *title,
              gint64      due,
              const char *description,
              const char *repetition_unit,
              gboolean    has_repetition_value,
              gint64      repetition_value)
{
  Reminder *reminder = g_new0 (Reminder, 1);

  reminder->reminder_id = g_strdup (reminder_id);
  reminder->title = g_strdup (title);
  reminder->due = due;
  reminder->description = g_strdup (description);
  reminder->repetition_unit = g_strdup (repetition_unit);
  reminder->has_repetition_value = has_repetition_value;
  reminder->repetition_value = repetition_value;
  return reminder;
}

static void
reminder_free (gpointer data)
{
  Reminder *reminder = data;

  g_free (reminder->reminder_id);
  g_free (reminder->title);
  g_free (reminder->description);
  g_free (reminder->repetition_unit);
  g_free (reminder);
}

/* ARE's `Reminder.__str__`; `str(datetime)` of an aware UTC time ends in "+00:00". */
static void
append_reminder_text (GString        *text,
                      const Reminder *reminder)
{
  g_autofree char *due = sigma_time_format ((gdouble) reminder->due);

  g_string_append_printf (text, "Reminder: %s\nDescription: %s\nDue Date: %s+00:00",
                          reminder->title, reminder->description, due);
}

static char *
reminder_to_string (const Reminder *reminder)
{
  GString *text = g_string_new (NULL);

  append_reminder_text (text, reminder);
  return g_string_free (text, FALSE);
}

static JsonNode *
reminder_to_json (const Reminder *reminder)
{
  JsonObject *obj = json_object_new ();
  g_autofree char *due = sigma_time_format ((gdouble) reminder->due);

  json_object_set_string_member (obj, "reminder_id", reminder->reminder_id);
  json_object_set_string_member (obj, "title", reminder->title);
  json_object_set_string_member (obj, "due_datetime", due);
  json_object_set_string_member (obj, "description", reminder->description);
  json_object_set_member (obj, "repetition_unit", sigma_json_string (reminder->repetition_unit));
  json_object_set_member (obj, "repetition_value",
                          reminder->has_repetition_value ? sigma_json_int (reminder->repetition_value)
                                                         : sigma_json_null ());
  json_object_set_member (obj, "time_notified",
                          reminder->has_time_notified ? sigma_json_number (reminder->time_notified,
                                                                           reminder->time_notified_is_int)
                                                      : sigma_json_null ());
  return sigma_json_object (obj);
}

/* Not yet notified reminders, earliest due first; ties in insertion order. */
static gint
compare_pending (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Reminder *ra = a;
  const Reminder *rb = b;

  if (ra->due != rb->due)
    return ra->due < rb->due ? -1 : 1;
  return (ra->seq > rb->seq) - (ra->seq < rb->seq);
}

static void
remove_reminder (SigmaReminderApp *self,
                 Reminder         *reminder)
{
  if (reminder->pending != NULL)
    g_sequence_remove (reminder->pending);
  g_queue_delete_link (&self->order, reminder->link);
  g_hash_table_remove (self->reminders, reminder->reminder_id);
}

/* `self.reminders[id] = reminder` (an id taken again replaces the old reminder). */
static void
store_reminder (SigmaReminderApp *self,
                Reminder         *reminder)
{
  Reminder *old = g_hash_table_lookup (self->reminders, reminder->reminder_id);

  if (old != NULL)
    remove_reminder (self, old);

  reminder->seq = self->next_seq++;
  g_queue_push_tail (&self->order, reminder);
  reminder->link = self->order.tail;
  if (!reminder->has_time_notified)
    reminder->pending = g_sequence_insert_sorted (self->pending, reminder, compare_pending, NULL);
  g_hash_table_insert (self->reminders, reminder->reminder_id, reminder);
}

static void
clear_reminders (SigmaReminderApp *self)
{
  g_sequence_remove_range (g_sequence_get_begin_iter (self->pending),
                           g_sequence_get_end_iter (self->pending));
  g_queue_clear (&self->order);
  g_hash_table_remove_all (self->reminders);
}

static JsonNode *
reminder_list_to_json (SigmaReminderApp *self,
                       gboolean          due_only,
                       gdouble           now)
{
  JsonArray *array = json_array_new ();

  for (GList *l = self->order.head; l != NULL; l = l->next)
    {
      const Reminder *reminder = l->data;

      if (!due_only || (gdouble) reminder->due <= now)
        json_array_add_element (array, reminder_to_json (reminder));
    }
  return sigma_json_array (array);
}

/* ------------------------------------------------------------------------------------ */
/* Repetitions                                                                          */

/* ARE adds a month with `datetime.replace(year, month)`: the day stays, and a day the target
 * month lacks (31 January + 1 month) is Python's ValueError. */
static gboolean
next_month (gint64    due,
            gint64    months,
            gint64   *next,
            GError  **error)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (due);
  g_autoptr(GDateTime) moved = NULL;
  gint64 year = g_date_time_get_year (dt);
  gint64 month = g_date_time_get_month (dt) + months;
  gint day = g_date_time_get_day_of_month (dt);

  if (months > 12 * 10000)
    {
      sigma_tool_error (error, "date value out of range");
      return FALSE;
    }
  year += (month - 1) / 12;
  month = (month - 1) % 12 + 1;
  if (year > 9999)
    {
      sigma_tool_error (error, "year %" G_GINT64_FORMAT " is out of range", year);
      return FALSE;
    }
  if (day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    {
      sigma_tool_error (error, "day is out of range for month");
      return FALSE;
    }
  moved = g_date_time_new_utc ((gint) year, (gint) month, day, g_date_time_get_hour (dt),
                               g_date_time_get_minute (dt), g_date_time_get_second (dt));
  *next = g_date_time_to_unix (moved);
  return TRUE;
}

static gboolean
next_due (const char  *unit,
          gint64       value,
          gint64       due,
          gint64      *next,
          GError     **error)
{
  gint64 seconds = unit_seconds (unit);

  if (seconds == 0)
    return next_month (due, value, next, error);
  if (value > (MAX_DATETIME - due) / seconds)
    {
      sigma_tool_error (error, "date value out of range");
      return FALSE;
    }
  *next = due + value * seconds;
  return TRUE;
}

/* ARE's add_reminder_repetition loop: each repetition follows the previous one, until 100
 * repetitions or the first that is not before the horizon. Computed before anything is
 * stored, so that an impossible date leaves the app unchanged (ARE keeps what it had added). */
static GArray *
plan_repetitions (const Reminder  *base,
                  gdouble          horizon,
                  GError         **error)
{
  g_autoptr(GArray) dues = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 due = base->due;

  while (dues->len < MAX_REPETITIONS)
    {
      if (!next_due (base->repetition_unit, base->repetition_value, due, &due, error))
        return NULL;
      if (!((gdouble) due < horizon))
        break;
      g_array_append_val (dues, due);
    }
  return g_steal_pointer (&dues);
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static JsonNode *
add_reminder (SigmaApp    *app,
              JsonObject  *args,
              gpointer     user_data,
              GError     **error)
{
  SigmaReminderApp *self = SIGMA_REMINDER_APP (app);
  const char *title = sigma_args_string (args, "title");
  const char *due_text = sigma_args_string (args, "due_datetime");
  const char *description = sigma_args_string (args, "description");
  const char *unit = sigma_args_string (args, "repetition_unit");
  gboolean has_value = !json_object_get_null_member (args, "repetition_value");
  gint64 value = sigma_args_int (args, "repetition_value");
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GArray) dues = NULL;
  g_autofree char *reminder_id = NULL;
  Reminder *base;
  gdouble due;

  /* ARE: `datetime.strptime(due_datetime, DT)`, its ValueError passed through */
  if (!sigma_time_parse (due_text, &due, &parse_error))
    {
      sigma_tool_error (error, "%s", parse_error->message);
      return NULL;
    }
  /* ARE tests the unit only when it is truthy: "" means no repetition */
  if (unit != NULL && unit[0] != '\0' && !is_repetition_unit (unit))
    {
      sigma_tool_error (error, "Invalid repetition interval");
      return NULL;
    }

  reminder_id = sigma_random_uuid_hex (sigma_app_get_rand (app));
  base = reminder_new (reminder_id, title, (gint64) due, description, unit, has_value, value);

  if (unit != NULL && unit[0] != '\0')
    {
      if (!has_value || value == 0)
        {
          /* ARE's assertion in add_reminder_repetition (raised after the base was stored) */
          g_autofree char *text = reminder_to_string (base);

          sigma_tool_error (error, "No repetition for this reminder: %s", text);
          reminder_free (base);
          return NULL;
        }
      if (value < 0)
        {
          /* Sigma: ARE would add 100 repetitions going back in time */
          sigma_tool_error (error, "Repetition value must be positive, got %" G_GINT64_FORMAT, value);
          reminder_free (base);
          return NULL;
        }
      dues = plan_repetitions (base, sigma_app_get_time (app) + REPETITION_HORIZON, error);
      if (dues == NULL)
        {
          reminder_free (base);
          return NULL;
        }
    }

  store_reminder (self, base);
  /* Issue 3: repetition ids count up from the base id (ARE chains "_rep_1_rep_1"). */
  for (guint i = 0; dues != NULL && i < dues->len; i++)
    {
      g_autofree char *rep_id = g_strdup_printf ("%s_rep_%u", reminder_id, i + 1);

      store_reminder (self, reminder_new (rep_id, title, g_array_index (dues, gint64, i), description,
                                          unit, TRUE, value));
    }
  return sigma_json_string (reminder_id);
}

static JsonNode *
delete_reminder (SigmaApp    *app,
                 JsonObject  *args,
                 gpointer     user_data,
                 GError     **error)
{
  SigmaReminderApp *self = SIGMA_REMINDER_APP (app);
  const char *reminder_id = sigma_args_string (args, "reminder_id");
  Reminder *reminder = g_hash_table_lookup (self->reminders, reminder_id);
  gboolean repeats;

  if (reminder == NULL)
    {
      sigma_tool_error (error, "Reminder %s not found.", reminder_id);
      return NULL;
    }

  repeats = reminder_repeats (reminder);
  remove_reminder (self, reminder);
  /* The whole series: <id>_rep_1 … <id>_rep_100 (issue 3: these are the ids add_reminder
   * gives, so unlike ARE nothing is left behind). */
  for (guint i = 1; repeats && i <= MAX_REPETITIONS; i++)
    {
      g_autofree char *rep_id = g_strdup_printf ("%s_rep_%u", reminder_id, i);
      Reminder *rep = g_hash_table_lookup (self->reminders, rep_id);

      if (rep != NULL)
        remove_reminder (self, rep);
    }
  return NULL;
}

static JsonNode *
delete_all_reminders (SigmaApp    *app,
                      JsonObject  *args,
                      gpointer     user_data,
                      GError     **error)
{
  clear_reminders (SIGMA_REMINDER_APP (app));
  return NULL;
}

static JsonNode *
get_due_reminders (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  return reminder_list_to_json (SIGMA_REMINDER_APP (app), TRUE, sigma_app_get_time (app));
}

static JsonNode *
get_all_reminders (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  return reminder_list_to_json (SIGMA_REMINDER_APP (app), FALSE, 0);
}

static const SigmaToolSpec reminder_tools[] = {
  {
    "add_reminder",
    "Adds a reminder that notifies the agent when it falls due; a repeating reminder also gets its upcoming repetitions (at most 100, within twelve weeks).",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE,
    add_reminder,
    "The id of the new reminder.",
    {
      { "title", SIGMA_VALUE_TYPE_STRING, "A short title for the reminder." },
      { "due_datetime", SIGMA_VALUE_TYPE_STRING, "When the reminder falls due, written YYYY-MM-DD HH:MM:SS (UTC)." },
      { "description", SIGMA_VALUE_TYPE_STRING, "The text shown when the reminder falls due." },
      { "repetition_unit", SIGMA_VALUE_TYPE_STRING,
        "How the reminder repeats: second, minute, hour, day, week or month; null for a one-off reminder.",
        "null", SIGMA_VALUE_TYPE_ANY, TRUE },
      { "repetition_value", SIGMA_VALUE_TYPE_INTEGER,
        "How many units lie between two repetitions (2 with week: every other week).",
        "1", SIGMA_VALUE_TYPE_ANY, TRUE },
      { NULL }
    }
  },
  {
    "delete_reminder",
    "Deletes a reminder; deleting a repeating reminder also deletes all its repetitions.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE,
    delete_reminder,
    NULL,
    {
      { "reminder_id", SIGMA_VALUE_TYPE_STRING, "The id of the reminder to delete." },
      { NULL }
    }
  },
  {
    "delete_all_reminders",
    "Deletes every reminder.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_WRITE,
    delete_all_reminders,
    NULL,
    { { NULL } }
  },
  {
    "get_due_reminders",
    "Returns the reminders whose due time has come, notified or not.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ,
    get_due_reminders,
    "The due reminders, in the order they were added.",
    { { NULL } }
  },
  {
    "get_all_reminders",
    "Returns every reminder, due or not.",
    SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ,
    get_all_reminders,
    "All reminders, in the order they were added.",
    { { NULL } }
  },
};

/* ------------------------------------------------------------------------------------ */
/* State (Sigma's own: ARE's ReminderApp has none)                                      */

/* One reminder (a SigmaStateEntryFunc that appends to the array of reminders @user_data). */
static gboolean
parse_reminder (SigmaStateReader  *r,
                const char        *key,
                JsonObject        *obj,
                const char        *path,
                gpointer           user_data,
                GError           **error)
{
  GPtrArray *loaded = user_data;
  const char *reminder_id = NULL;
  const char *title = NULL;
  const char *due_text = NULL;
  const char *description = NULL;
  const char *unit = NULL;
  gint64 value = 1;
  gdouble time_notified = 0;
  gboolean time_notified_is_int = FALSE;
  gdouble due;
  g_autoptr(GError) parse_error = NULL;
  Reminder *reminder;

  if (!sigma_state_get_string (r, obj, path, "reminder_id", TRUE, &reminder_id, error) ||
      !sigma_state_get_string (r, obj, path, "title", TRUE, &title, error) ||
      !sigma_state_get_string (r, obj, path, "due_datetime", TRUE, &due_text, error) ||
      !sigma_state_get_string (r, obj, path, "description", TRUE, &description, error) ||
      !sigma_state_get_string (r, obj, path, "repetition_unit", FALSE, &unit, error) ||
      !sigma_state_get_int (r, obj, path, "repetition_value", FALSE, &value, error) ||
      !sigma_state_get_number (r, obj, path, "time_notified", FALSE, &time_notified, &time_notified_is_int, error))
    return FALSE;

  if (!g_str_equal (reminder_id, key))
    return sigma_state_problem (r, error, "%s.reminder_id: expected the key \"%s\", got \"%s\"",
                                path, key, reminder_id);
  if (!sigma_time_parse (due_text, &due, &parse_error))
    return sigma_state_problem (r, error, "%s.due_datetime: %s", path, parse_error->message);
  if (unit != NULL && unit[0] != '\0' && !is_repetition_unit (unit))
    return sigma_state_problem (r, error,
                                "%s.repetition_unit: expected second, minute, hour, day, week or month, got \"%s\"",
                                path, unit);

  /* An absent repetition_value is ARE's default 1; an explicit null stays null. */
  reminder = reminder_new (reminder_id, title, (gint64) due, description, unit,
                           !(json_object_has_member (obj, "repetition_value") &&
                             json_object_get_null_member (obj, "repetition_value")),
                           value);
  if (json_object_has_member (obj, "time_notified") && !json_object_get_null_member (obj, "time_notified"))
    {
      reminder->has_time_notified = TRUE;
      reminder->time_notified = time_notified;
      reminder->time_notified_is_int = time_notified_is_int;
    }
  g_ptr_array_add (loaded, reminder);
  return TRUE;
}

static gboolean
sigma_reminder_app_load_state (SigmaApp  *app,
                               JsonNode  *state,
                               GError   **error)
{
  SigmaReminderApp *self = SIGMA_REMINDER_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (reminder_free);
  JsonObject *root;
  JsonObject *reminders = NULL;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  if (!sigma_state_get_object (&r, root, "app_state", "reminders", TRUE, &reminders, error))
    return FALSE;

  /* in the file's order, which is the app's order */
  if (reminders != NULL &&
      !sigma_state_read_members (&r, reminders, "app_state.reminders", parse_reminder, loaded, error))
    return FALSE;

  clear_reminders (self);
  for (guint i = 0; i < loaded->len; i++)
    store_reminder (self, g_ptr_array_index (loaded, i));
  g_ptr_array_set_free_func (loaded, NULL);
  return TRUE;
}

static JsonNode *
sigma_reminder_app_get_state (SigmaApp *app)
{
  SigmaReminderApp *self = SIGMA_REMINDER_APP (app);
  JsonObject *reminders = json_object_new ();
  JsonObject *state = json_object_new ();

  for (GList *l = self->order.head; l != NULL; l = l->next)
    {
      const Reminder *reminder = l->data;

      json_object_set_member (reminders, reminder->reminder_id, reminder_to_json (reminder));
    }
  json_object_set_object_member (state, "reminders", reminders);
  return sigma_json_object (state);
}

static void
sigma_reminder_app_reset (SigmaApp *app)
{
  clear_reminders (SIGMA_REMINDER_APP (app));
}

/* ------------------------------------------------------------------------------------ */
/* Notifications                                                                        */

static gint
compare_insertion (gconstpointer a,
                   gconstpointer b)
{
  const Reminder *ra = *(const Reminder * const *) a;
  const Reminder *rb = *(const Reminder * const *) b;

  return (ra->seq > rb->seq) - (ra->seq < rb->seq);
}

/* ARE's handle_time_based_notifications: the due reminders not yet notified, in the app's
 * order, in one notification; each is marked notified now. Like ARE, the text names the
 * instance, not the class. */
static void
sigma_reminder_app_collect_notifications (SigmaApp  *app,
                                          gdouble    now,
                                          GPtrArray *notifications)
{
  SigmaReminderApp *self = SIGMA_REMINDER_APP (app);
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  GString *text;

  while (!g_sequence_is_empty (self->pending))
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->pending);
      Reminder *reminder = g_sequence_get (first);

      if ((gdouble) reminder->due > now)
        break;
      g_sequence_remove (first);
      reminder->pending = NULL;
      reminder->has_time_notified = TRUE;
      reminder->time_notified = now;
      reminder->time_notified_is_int = FALSE;
      g_ptr_array_add (due, reminder);
    }
  if (due->len == 0)
    return;

  g_ptr_array_sort (due, compare_insertion);
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s: New due reminders:\n", sigma_app_get_name (app));
  for (guint i = 0; i < due->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      append_reminder_text (text, g_ptr_array_index (due, i));
    }
  g_ptr_array_add (notifications,
                   sigma_notification_new (SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION, text->str, now));
  g_string_free (text, TRUE);
}

static gdouble
sigma_reminder_app_get_next_notification_time (SigmaApp *app)
{
  SigmaReminderApp *self = SIGMA_REMINDER_APP (app);
  const Reminder *first;

  if (g_sequence_is_empty (self->pending))
    return -1;
  first = g_sequence_get (g_sequence_get_begin_iter (self->pending));
  return (gdouble) first->due;
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_reminder_app_finalize (GObject *object)
{
  SigmaReminderApp *self = SIGMA_REMINDER_APP (object);

  g_clear_pointer (&self->pending, g_sequence_free);
  g_queue_clear (&self->order);
  g_clear_pointer (&self->reminders, g_hash_table_unref);

  G_OBJECT_CLASS (sigma_reminder_app_parent_class)->finalize (object);
}

static void
sigma_reminder_app_class_init (SigmaReminderAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_reminder_app_finalize;

  app_class->get_state = sigma_reminder_app_get_state;
  app_class->load_state = sigma_reminder_app_load_state;
  app_class->reset = sigma_reminder_app_reset;
  app_class->collect_notifications = sigma_reminder_app_collect_notifications;
  app_class->get_next_notification_time = sigma_reminder_app_get_next_notification_time;
  app_class->app_class_name = "ReminderApp";
}

static void
sigma_reminder_app_init (SigmaReminderApp *self)
{
  self->reminders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, reminder_free);
  g_queue_init (&self->order);
  self->pending = g_sequence_new (NULL);
  sigma_app_add_tool_specs (SIGMA_APP (self), reminder_tools, G_N_ELEMENTS (reminder_tools));
}

/**
 * sigma_reminder_app_new:
 * @name: (nullable): the instance name; "ReminderApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaReminderApp
 */
SigmaApp *
sigma_reminder_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_REMINDER_APP, "name", name != NULL ? name : "ReminderApp", NULL);
}
