/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "group_climbing_plan": two user turns over a Wednesday. Turn 1 (09:00): ask the "Climbing
 * crew" group chat whether Thursday 19:00 at Boulder Hall works. Once the agent has posted
 * there (a condition), the friends answer over twenty minutes: Ben cannot do Thursday, all
 * can do Friday 19:00. Once the agent has reported back to the user (a second condition,
 * ARE's turn condition), turn 2 comes: book the session for the time that suits everyone,
 * with the three as attendees, and confirm it in the group.
 */
#include "config.h"

#include "sigma-builtin-private.h"

#include "sigma-calendar-app.h"
#include "sigma-contacts-app.h"
#include "sigma-messaging-app.h"
#include "sigma-scenario.h"

#define START_TIME 1729069200.0   /* Wednesday 2024-10-16 09:00:00 UTC */
#define FRIDAY_19 1729278000.0    /* Friday 2024-10-18 19:00 */
#define CREW "conv-crew"

G_DECLARE_FINAL_TYPE (SigmaBuiltinClimbing, sigma_builtin_climbing, SIGMA, BUILTIN_CLIMBING, SigmaScenario)

struct _SigmaBuiltinClimbing
{
  SigmaScenario parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaBuiltinClimbing, sigma_builtin_climbing, SIGMA_TYPE_SCENARIO)

static const char *tags[] = { "messaging", "calendar", "contacts", "multi-turn", "day", NULL };
static const char *hints[] = {
  "Post in the existing \"Climbing crew\" group conversation, then tell the user you asked.",
  "In the second turn, read the group's answers: book the time every one of the three can make, "
  "2 hours at Boulder Hall, with Aisha Khan, Ben Okafor and Chloé Martin as attendees, and "
  "confirm it in the group.",
  NULL
};

static const char contacts_state[] =
  "{\"contacts\": {"
  SIGMA_BUILTIN_CONTACT ("c-aisha", "Aisha", "Khan", "Female", 30, "Architect", "Lisbon",
                         "+351 913 000 111", "aisha.khan@example.com") ","
  SIGMA_BUILTIN_CONTACT ("c-ben", "Ben", "Okafor", "Male", 33, "Nurse", "Lisbon",
                         "+351 913 000 222", "ben.okafor@example.com") ","
  SIGMA_BUILTIN_CONTACT ("c-chloe", "Chloé", "Martin", "Female", 28, "Teacher", "Lisbon",
                         "+351 913 000 333", "chloe.martin@example.com")
  "}, \"view_limit\": 10}";

static const char calendar_state[] =
  "{\"events\": {"
  SIGMA_BUILTIN_CALENDAR_EVENT ("ev-physio", "Physio", 1729184400.0, 1729187100.0, "Clínica Alvalade",
                                "[\"Nadia Rahman\"]") ","
  SIGMA_BUILTIN_CALENDAR_EVENT ("ev-yoga", "Morning yoga", 1729234800.0, 1729238400.0, "Studio Luz",
                                "[\"Nadia Rahman\"]")
  "}}";

static const char messages_state[] =
  "{\"conversations\": {"
  "\"" CREW "\": {\"participant_ids\": [\"u-nadia\", \"u-aisha\", \"u-ben\", \"u-chloe\"], \"messages\": ["
  SIGMA_BUILTIN_MESSAGE ("m-crew-1", "u-aisha", 1728756000.0, "Great session yesterday, my arms are dead") ","
  SIGMA_BUILTIN_MESSAGE ("m-crew-2", "u-chloe", 1728759600.0, "Same again next week?") "],"
  " \"title\": \"Climbing crew\", \"conversation_id\": \"" CREW "\", \"last_updated\": 1728759600.0}},"
  " \"messages_view_limit\": 10, \"conversation_view_limit\": 5, \"mode\": \"NAME\","
  " \"name_to_id\": {\"Nadia Rahman\": \"u-nadia\", \"Aisha Khan\": \"u-aisha\", \"Ben Okafor\": \"u-ben\","
  " \"Chloé Martin\": \"u-chloe\"},"
  " \"id_to_name\": {\"u-nadia\": \"Nadia Rahman\", \"u-aisha\": \"Aisha Khan\", \"u-ben\": \"Ben Okafor\","
  " \"u-chloe\": \"Chloé Martin\"},"
  " \"current_user_id\": \"u-nadia\", \"current_user_name\": \"Nadia Rahman\"}";

/* Turn 1 done by the world's measure: the agent posted in the group during the run. */
static gboolean
crew_was_asked (SigmaEnvironment *env,
                gpointer          user_data)
{
  return sigma_builtin_user_posted (env, "Messages", CREW, NULL, sigma_environment_get_start_time (env), NULL);
}

/* ARE's turn condition: the agent has answered the user at least once. */
static gboolean
agent_reported (SigmaEnvironment *env,
                gpointer          user_data)
{
  return sigma_builtin_count_agent_calls (env, SIGMA_BUILTIN_AUI, "send_message_to_user") >= 1;
}

static gboolean
sigma_builtin_climbing_init_apps (SigmaScenario     *scenario,
                                  SigmaEnvironment  *env,
                                  GError           **error)
{
  return sigma_builtin_add_assistant_apps (env, error) &&
         sigma_builtin_add_app (env, sigma_contacts_app_new ("Contacts"), contacts_state, error) &&
         sigma_builtin_add_app (env, sigma_calendar_app_new ("Calendar"), calendar_state, error) &&
         sigma_builtin_add_app (env, sigma_messaging_app_new ("Messages"), messages_state, error);
}

#define CREW_MESSAGE(sender, text) \
  "{\"conversation_id\": \"" CREW "\", \"sender_id\": \"" sender "\", \"content\": \"" text "\"}"

static gboolean
sigma_builtin_climbing_build_events (SigmaScenario     *scenario,
                                     SigmaEnvironment  *env,
                                     GError           **error)
{
  g_auto(SigmaBuiltinPlan) plan = { NULL, NULL };
  SigmaEvent *turn1, *asked, *post, *r1, *r2, *r3, *r4, *reported, *turn2, *read, *booked, *confirmed;

  sigma_builtin_plan_init (&plan);
  turn1 = sigma_builtin_plan_user_message (&plan, "user_turn_1",
                                           "Can you ask the Climbing crew group chat whether Thursday at 19:00 at "
                                           "Boulder Hall works for everyone? Let me know once you've asked.",
                                           NULL, 0);
  /* the world */
  asked = sigma_builtin_plan_condition (&plan, "condition_crew_asked", crew_was_asked, NULL, 30, turn1, 0);
  r1 = sigma_builtin_plan_action (&plan, SIGMA_EVENT_TYPE_ENV, "env_reply_aisha", "Messages", "create_and_add_message",
                                  CREW_MESSAGE ("u-aisha", "Thursday 19:00 works for me!"), asked, 600);
  r2 = sigma_builtin_plan_action (&plan, SIGMA_EVENT_TYPE_ENV, "env_reply_ben", "Messages", "create_and_add_message",
                                  CREW_MESSAGE ("u-ben", "Can't do Thursday, I'm on a late shift. Friday 19:00 instead?"),
                                  r1, 420);
  r3 = sigma_builtin_plan_action (&plan, SIGMA_EVENT_TYPE_ENV, "env_reply_chloe", "Messages", "create_and_add_message",
                                  CREW_MESSAGE ("u-chloe", "Friday 19:00 is perfect for me, Thursday was tight anyway."),
                                  r2, 300);
  r4 = sigma_builtin_plan_action (&plan, SIGMA_EVENT_TYPE_ENV, "env_reply_aisha_2", "Messages", "create_and_add_message",
                                  CREW_MESSAGE ("u-aisha", "Friday works for me too!"), r3, 240);
  reported = sigma_builtin_plan_condition (&plan, "condition_turn_1_done", agent_reported, NULL, 30, r4, 0);
  turn2 = sigma_builtin_plan_user_message (&plan, "user_turn_2",
                                           "Everyone has answered now, I think. Put the climbing session in my "
                                           "calendar at the time that works for all three (2 hours at Boulder "
                                           "Hall, with the three of them as attendees) and confirm it in the "
                                           "group chat.", reported, 600);
  /* the oracle: turn 1 */
  post = sigma_builtin_plan_oracle (&plan, "oracle_ask_crew", "Messages", "send_message_to_group_conversation",
                                    "{\"conversation_id\": \"" CREW "\", \"content\": \"Hi all! Does Thursday "
                                    "19:00 at Boulder Hall work for everyone?\"}", turn1, 10);
  sigma_builtin_plan_reply_to_user (&plan, "oracle_reply_1", "I asked the Climbing crew about Thursday 19:00 at "
                                    "Boulder Hall.", post, 5);
  /* the oracle: turn 2 */
  read = sigma_builtin_plan_oracle (&plan, "oracle_read_crew", "Messages", "read_conversation",
                                    "{\"conversation_id\": \"" CREW "\"}", turn2, 10);
  booked = sigma_builtin_plan_oracle (&plan, "oracle_book", "Calendar", "add_calendar_event",
                                      "{\"title\": \"Climbing at Boulder Hall\","
                                      " \"start_datetime\": \"2024-10-18 19:00:00\","
                                      " \"end_datetime\": \"2024-10-18 21:00:00\", \"location\": \"Boulder Hall\","
                                      " \"attendees\": [\"Aisha Khan\", \"Ben Okafor\", \"Chloé Martin\"]}", read, 15);
  confirmed = sigma_builtin_plan_oracle (&plan, "oracle_confirm", "Messages", "send_message_to_group_conversation",
                                         "{\"conversation_id\": \"" CREW "\", \"content\": \"Booked: Friday "
                                         "19:00-21:00 at Boulder Hall. See you there!\"}", booked, 10);
  sigma_builtin_plan_reply_to_user (&plan, "oracle_reply_2", "Ben can't do Thursday, so it's Friday 19:00-21:00 "
                                    "at Boulder Hall: in your calendar and confirmed in the group.", confirmed, 5);
  return sigma_builtin_plan_schedule (&plan, env, error);
}

static gboolean
sigma_builtin_climbing_validate (SigmaScenario     *scenario,
                                 SigmaEnvironment  *env,
                                 char             **rationale,
                                 GError           **error)
{
  static const char *friends[] = { "Aisha Khan", "Ben Okafor", "Chloé Martin" };
  g_autoptr(JsonObject) events = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  g_autoptr(GList) ids = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  guint n_sessions = 0, n_right = 0;
  gdouble turn2_time;

  if (!crew_was_asked (env, NULL))
    {
      *rationale = g_strdup ("Expected the agent to ask in the Climbing crew group conversation (" CREW
                             "); it posted nothing there, so nobody answered");
      return FALSE;
    }
  if (!sigma_builtin_event_time (env, "user_turn_2", &turn2_time))
    {
      *rationale = g_strdup ("The agent asked the group but never reported back to the user, so the "
                             "user's second turn never came");
      return FALSE;
    }
  events = sigma_builtin_calendar_events (env, error);
  if (events == NULL)
    return FALSE;
  ids = json_object_get_members (events);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonObject *event = json_object_get_object_member (events, l->data);
      gdouble start = json_object_get_double_member_with_default (event, "start_datetime", 0);
      gdouble end = json_object_get_double_member_with_default (event, "end_datetime", 0);
      JsonArray *attendees = json_object_get_array_member (event, "attendees");
      guint n_friends = 0;

      if (g_str_equal (l->data, "ev-physio") || g_str_equal (l->data, "ev-yoga"))
        continue;
      n_sessions++;
      for (guint f = 0; f < G_N_ELEMENTS (friends); f++)
        for (guint a = 0; attendees != NULL && a < json_array_get_length (attendees); a++)
          if (sigma_builtin_contains_casefold (json_array_get_string_element (attendees, a), friends[f]))
            {
              n_friends++;
              break;
            }
      sigma_builtin_describe_event (found, event);
      g_string_append_printf (found, " with %u of the three", n_friends);
      if (start == FRIDAY_19 && end == FRIDAY_19 + 7200 && n_friends == G_N_ELEMENTS (friends))
        n_right++;
    }
  if (n_sessions != 1 || n_right != 1)
    {
      *rationale = g_strdup_printf ("Expected one new calendar event on Friday 2024-10-18 19:00:00 to 21:00:00 "
                                    "(Ben cannot do Thursday) with Aisha Khan, Ben Okafor and Chloé Martin as "
                                    "attendees; found: %s", n_sessions > 0 ? found->str : "no new event");
      return FALSE;
    }
  if (!sigma_builtin_user_posted (env, "Messages", CREW, NULL, turn2_time, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      *rationale = g_strdup ("The session was booked, but the agent did not confirm it in the Climbing crew "
                             "group after the user's second request");
      return FALSE;
    }
  replies = sigma_builtin_replies_since (env, turn2_time);
  if (replies->len == 0)
    {
      *rationale = g_strdup ("The session was booked and confirmed, but the agent never answered the user's "
                             "second request");
      return FALSE;
    }
  *rationale = g_strdup ("Both turns done: the group was asked, Friday 19:00-21:00 booked with all three, "
                         "confirmed in the group, the user told");
  return TRUE;
}

static void
sigma_builtin_climbing_constructed (GObject *object)
{
  G_OBJECT_CLASS (sigma_builtin_climbing_parent_class)->constructed (object);
  sigma_builtin_configure (SIGMA_SCENARIO (object), START_TIME, 8 * 3600.0, 7, tags, hints);
}

static void
sigma_builtin_climbing_class_init (SigmaBuiltinClimbingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  object_class->constructed = sigma_builtin_climbing_constructed;
  scenario_class->init_apps = sigma_builtin_climbing_init_apps;
  scenario_class->build_events = sigma_builtin_climbing_build_events;
  scenario_class->validate = sigma_builtin_climbing_validate;
}

static void
sigma_builtin_climbing_init (SigmaBuiltinClimbing *self)
{
}

gboolean
sigma_builtin_register_group_climbing_plan (SigmaScenarioRegistry  *registry,
                                            GError                **error)
{
  return sigma_scenario_registry_register_full (registry, "group_climbing_plan",
                                                "Two turns: poll a group chat, then book the time all three "
                                                "friends can make (Messages, Calendar, Contacts)",
                                                tags, SIGMA_SCENARIO_SOURCE_BUILT_IN, NULL,
                                                sigma_builtin_climbing_get_type (), error);
}
