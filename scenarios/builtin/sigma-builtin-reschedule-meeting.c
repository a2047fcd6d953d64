/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "reschedule_cancelled_meeting": a Tuesday morning. At 08:30 the user asks the agent to watch
 * for a cancellation of this afternoon's design review with Sofia. At 10:05 Sofia's email
 * arrives: she cancels and offers two windows tomorrow. Tomorrow's calendar is busy in both
 * at their start (planning until 11:30, dentist 16:00-17:00), so the first free hour she
 * offers is 17:00-18:00. The agent must move the meeting there and tell Sofia on Messages.
 */
#include "config.h"

#include "sigma-builtin-private.h"

#include "sigma-calendar-app.h"
#include "sigma-email-app.h"
#include "sigma-messaging-app.h"
#include "sigma-scenario.h"

#define START_TIME 1728981000.0      /* Tuesday 2024-10-15 08:30:00 UTC */
#define EMAIL_DELAY 5700.0           /* 10:05 */
#define OLD_START 1729000800.0       /* Tuesday 14:00 */
#define NEW_START 1729098000.0       /* Wednesday 2024-10-16 17:00 */
#define NEW_END 1729101600.0         /* Wednesday 18:00 */
#define SOFIA_EMAIL "sofia.marques@northwind.example"

G_DECLARE_FINAL_TYPE (SigmaBuiltinReschedule, sigma_builtin_reschedule, SIGMA, BUILTIN_RESCHEDULE, SigmaScenario)

struct _SigmaBuiltinReschedule
{
  SigmaScenario parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaBuiltinReschedule, sigma_builtin_reschedule, SIGMA_TYPE_SCENARIO)

static const char *tags[] = { "email", "calendar", "messaging", "day", NULL };
static const char *hints[] = {
  "Wait for Sofia's email (SystemApp.wait_for_notification); do nothing to the calendar before it.",
  "Keep the meeting's length (one hour); pick the earliest start within the windows Sofia offers "
  "that does not overlap anything in the user's calendar.",
  "Remove the old slot, add the new one, then message Sofia in Messages and tell the user.",
  NULL
};

static const char calendar_state[] =
  "{\"events\": {"
  SIGMA_BUILTIN_CALENDAR_EVENT ("ev-standup", "Team stand-up", 1728982800.0, 1728983700.0, "Video call",
                                "[\"Nadia Rahman\", \"Marcus Chen\", \"Sofia Marques\"]") ","
  SIGMA_BUILTIN_CALENDAR_EVENT ("ev-design-review", "Design review with Sofia", 1729000800.0, 1729004400.0,
                                "Room Tejo", "[\"Nadia Rahman\", \"Sofia Marques\"]") ","
  SIGMA_BUILTIN_CALENDAR_EVENT ("ev-planning", "Quarterly planning", 1729069200.0, 1729078200.0, "Room Douro",
                                "[\"Nadia Rahman\", \"Priya Natarajan\", \"Marcus Chen\"]") ","
  SIGMA_BUILTIN_CALENDAR_EVENT ("ev-lunch", "Lunch with Marcus", 1729081800.0, 1729085400.0, "Cantina",
                                "[\"Nadia Rahman\", \"Marcus Chen\"]") ","
  SIGMA_BUILTIN_CALENDAR_EVENT ("ev-dentist", "Dentist", 1729094400.0, 1729098000.0, "Clínica Sorriso",
                                "[\"Nadia Rahman\"]")
  "}}";

static const char emails_state[] =
  "{\"user_email\": \"nadia.rahman@northwind.example\", \"view_limit\": 5, \"folders\": {"
  "\"INBOX\": {\"folder_name\": \"INBOX\", \"emails\": ["
  SIGMA_BUILTIN_EMAIL ("e-mockups", SOFIA_EMAIL, "nadia.rahman@northwind.example", "Mock-ups for the review",
                       "Hi Nadia, the new checkout mock-ups are in the shared folder for this afternoon. Sofia",
                       1728975600.0)
  "]}, \"SENT\": {\"folder_name\": \"SENT\", \"emails\": []},"
  " \"DRAFT\": {\"folder_name\": \"DRAFT\", \"emails\": []}, \"TRASH\": {\"folder_name\": \"TRASH\", \"emails\": []}}}";

static const char messages_state[] =
  "{\"conversations\": {"
  "\"conv-sofia\": {\"participant_ids\": [\"u-nadia\", \"u-sofia\"], \"messages\": ["
  SIGMA_BUILTIN_MESSAGE ("m-sofia-1", "u-sofia", 1728910000.0, "Looking forward to the review tomorrow!") "],"
  " \"title\": \"Sofia Marques\", \"conversation_id\": \"conv-sofia\", \"last_updated\": 1728910000.0},"
  "\"conv-marcus\": {\"participant_ids\": [\"u-nadia\", \"u-marcus\"], \"messages\": ["
  SIGMA_BUILTIN_MESSAGE ("m-marcus-1", "u-marcus", 1728900000.0, "Lunch on Wednesday still on?") "],"
  " \"title\": \"Marcus Chen\", \"conversation_id\": \"conv-marcus\", \"last_updated\": 1728900000.0}},"
  " \"messages_view_limit\": 10, \"conversation_view_limit\": 5, \"mode\": \"NAME\","
  " \"name_to_id\": {\"Nadia Rahman\": \"u-nadia\", \"Sofia Marques\": \"u-sofia\", \"Marcus Chen\": \"u-marcus\"},"
  " \"id_to_name\": {\"u-nadia\": \"Nadia Rahman\", \"u-sofia\": \"Sofia Marques\", \"u-marcus\": \"Marcus Chen\"},"
  " \"current_user_id\": \"u-nadia\", \"current_user_name\": \"Nadia Rahman\"}";

static gboolean
sigma_builtin_reschedule_init_apps (SigmaScenario     *scenario,
                                    SigmaEnvironment  *env,
                                    GError           **error)
{
  return sigma_builtin_add_assistant_apps (env, error) &&
         sigma_builtin_add_app (env, sigma_email_app_new ("Emails"), emails_state, error) &&
         sigma_builtin_add_app (env, sigma_calendar_app_new ("Calendar"), calendar_state, error) &&
         sigma_builtin_add_app (env, sigma_messaging_app_new ("Messages"), messages_state, error);
}

static gboolean
sigma_builtin_reschedule_build_events (SigmaScenario     *scenario,
                                       SigmaEnvironment  *env,
                                       GError           **error)
{
  g_auto(SigmaBuiltinPlan) plan = { NULL, NULL };
  SigmaEvent *task, *cancel, *removed, *added, *told;

  sigma_builtin_plan_init (&plan);
  task = sigma_builtin_plan_user_message (&plan, "user_task",
                                          "Sofia might have to cancel today's 14:00 design review. If she does, "
                                          "move it (same length) to the earliest time she offers that is free "
                                          "in my calendar, remove the old slot, and confirm with her on "
                                          "Messages. Tell me when it's sorted.", NULL, 0);
  cancel = sigma_builtin_plan_action (&plan, SIGMA_EVENT_TYPE_ENV, "env_sofia_cancels", "Emails",
                                      "send_email_to_user_only",
                                      "{\"sender\": \"" SOFIA_EMAIL "\", \"subject\": \"Can't make 14:00 today\","
                                      " \"content\": \"Hi Nadia, a client emergency came up and I have to cancel "
                                      "our design review at 14:00 today, sorry! Could we move it to tomorrow? "
                                      "I'm free 11:00-12:00, and from 16:00 until 18:00. Sofia\"}",
                                      task, EMAIL_DELAY);
  removed = sigma_builtin_plan_oracle (&plan, "oracle_delete_old", "Calendar", "delete_calendar_event",
                                       "{\"event_id\": \"ev-design-review\"}", cancel, 60);
  added = sigma_builtin_plan_oracle (&plan, "oracle_add_new", "Calendar", "add_calendar_event",
                                     "{\"title\": \"Design review with Sofia\","
                                     " \"start_datetime\": \"2024-10-16 17:00:00\","
                                     " \"end_datetime\": \"2024-10-16 18:00:00\", \"location\": \"Room Tejo\","
                                     " \"attendees\": [\"Nadia Rahman\", \"Sofia Marques\"]}", removed, 10);
  told = sigma_builtin_plan_oracle (&plan, "oracle_message_sofia", "Messages", "send_message",
                                    "{\"user_id\": \"u-sofia\", \"content\": \"No problem Sofia! I moved the "
                                    "design review to tomorrow 17:00-18:00 in Room Tejo.\"}", added, 10);
  sigma_builtin_plan_reply_to_user (&plan, "oracle_reply", "Sofia cancelled; the design review is now "
                                    "Wednesday 17:00-18:00 (11:00 clashes with planning, 16:00 with the "
                                    "dentist), and I told her on Messages.", told, 5);
  return sigma_builtin_plan_schedule (&plan, env, error);
}

static gboolean
sigma_builtin_reschedule_validate (SigmaScenario     *scenario,
                                   SigmaEnvironment  *env,
                                   char             **rationale,
                                   GError           **error)
{
  g_autoptr(JsonObject) events = sigma_builtin_calendar_events (env, error);
  g_autoptr(GString) found = g_string_new (NULL);
  g_autoptr(GList) ids = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  guint n_reviews = 0;
  gboolean old_kept = FALSE, new_ok = FALSE;
  gdouble cancel_time;

  if (events == NULL)
    return FALSE;
  if (!sigma_builtin_event_time (env, "env_sofia_cancels", &cancel_time))
    {
      *rationale = g_strdup ("The run ended before Sofia's cancellation email (due 10:05)");
      return FALSE;
    }
  ids = json_object_get_members (events);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonObject *event = json_object_get_object_member (events, l->data);
      const char *title = json_object_get_string_member_with_default (event, "title", "");
      gdouble start = json_object_get_double_member_with_default (event, "start_datetime", 0);
      gdouble end = json_object_get_double_member_with_default (event, "end_datetime", 0);

      if (!sigma_builtin_contains_casefold (title, "design review"))
        continue;
      n_reviews++;
      sigma_builtin_describe_event (found, event);
      if (start == OLD_START)
        old_kept = TRUE;
      else if (start == NEW_START && end == NEW_END)
        new_ok = TRUE;
    }

  if (old_kept || !new_ok || n_reviews != 1)
    {
      *rationale = g_strdup_printf ("Expected exactly one design review, on Wednesday 2024-10-16 17:00:00 to "
                                    "18:00:00 (the earliest free hour Sofia offered; 11:00 overlaps the "
                                    "planning, 16:00 the dentist) and none left on Tuesday 14:00; found: %s",
                                    n_reviews > 0 ? found->str : "no design review");
      return FALSE;
    }
  if (!sigma_builtin_user_posted (env, "Messages", NULL, "u-sofia", cancel_time, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      *rationale = g_strdup ("The meeting was moved, but the agent sent Sofia no message in Messages after "
                             "her email");
      return FALSE;
    }
  replies = sigma_builtin_replies_since (env, cancel_time);
  if (replies->len == 0)
    {
      *rationale = g_strdup ("The meeting was moved and Sofia told, but the agent never told the user");
      return FALSE;
    }
  *rationale = g_strdup ("The design review moved to Wednesday 17:00-18:00, Sofia was messaged and the user told");
  return TRUE;
}

static void
sigma_builtin_reschedule_constructed (GObject *object)
{
  G_OBJECT_CLASS (sigma_builtin_reschedule_parent_class)->constructed (object);
  sigma_builtin_configure (SIGMA_SCENARIO (object), START_TIME, 6 * 3600.0, 5, tags, hints);
}

static void
sigma_builtin_reschedule_class_init (SigmaBuiltinRescheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  object_class->constructed = sigma_builtin_reschedule_constructed;
  scenario_class->init_apps = sigma_builtin_reschedule_init_apps;
  scenario_class->build_events = sigma_builtin_reschedule_build_events;
  scenario_class->validate = sigma_builtin_reschedule_validate;
}

static void
sigma_builtin_reschedule_init (SigmaBuiltinReschedule *self)
{
}

gboolean
sigma_builtin_register_reschedule_meeting (SigmaScenarioRegistry  *registry,
                                           GError                **error)
{
  return sigma_scenario_registry_register_full (registry, "reschedule_cancelled_meeting",
                                                "A cancellation email at 10:05: move the meeting to the first "
                                                "free slot offered and tell Sofia (Emails, Calendar, Messages)",
                                                tags, SIGMA_SCENARIO_SOURCE_BUILT_IN, NULL,
                                                sigma_builtin_reschedule_get_type (), error);
}
