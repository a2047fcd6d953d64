/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "tutorial_event_flow" (ARE's second tutorial: an event flow with conditions). The user asks
 * the agent to email a colleague a question and report his answer. A condition event watches
 * the Emails app; once the agent has emailed Tomás, it releases Tomás's reply fifteen minutes
 * later. The agent must wait for that reply and pass its content on.
 */
#include "config.h"

#include "sigma-builtin-private.h"

#include "sigma-contacts-app.h"
#include "sigma-email-app.h"
#include "sigma-scenario.h"
#include "sigma-time.h"

#define START_TIME 1728982800.0   /* Tuesday 2024-10-15 09:00:00 UTC */
#define TOMAS_EMAIL "tomas.oliveira@northwind.example"
#define VENUE "Quinta da Regaleira"

G_DECLARE_FINAL_TYPE (SigmaBuiltinEventFlow, sigma_builtin_event_flow, SIGMA, BUILTIN_EVENT_FLOW, SigmaScenario)

struct _SigmaBuiltinEventFlow
{
  SigmaScenario parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaBuiltinEventFlow, sigma_builtin_event_flow, SIGMA_TYPE_SCENARIO)

static const char *tags[] = { "tutorial", "condition", "email", "contacts", NULL };
static const char *hints[] = {
  "Find Tomás Oliveira's address in Contacts and email him the question.",
  "His answer arrives by email some time later: wait for it (SystemApp.wait_for_notification), "
  "read it, and only then tell the user what he said.",
  NULL
};

static const char contacts_state[] =
  "{\"contacts\": {"
  SIGMA_BUILTIN_CONTACT ("c-tomas", "Tomás", "Oliveira", "Male", 37, "Office manager", "Lisbon",
                         "+351 912 000 606", TOMAS_EMAIL) ","
  SIGMA_BUILTIN_CONTACT ("c-tomasz", "Tomasz", "Nowak", "Male", 29, "Sales engineer", "Warsaw",
                         "+48 601 000 707", "tomasz.nowak@northwind.example") ","
  SIGMA_BUILTIN_CONTACT ("c-priya", "Priya", "Natarajan", "Female", 42, "CFO", "London",
                         "+44 7700 900 505", "priya.natarajan@northwind.example")
  "}, \"view_limit\": 10}";

static const char emails_state[] =
  "{\"user_email\": \"nadia.rahman@northwind.example\", \"view_limit\": 5, \"folders\": {"
  "\"INBOX\": {\"folder_name\": \"INBOX\", \"emails\": ["
  SIGMA_BUILTIN_EMAIL ("e-offsite", "priya.natarajan@northwind.example", "nadia.rahman@northwind.example",
                       "Friday offsite", "Hi all, the leadership offsite is this Friday. Tomás is sorting out "
                       "the venue. Agenda to follow. Priya", 1728810000.0)
  "]}, \"SENT\": {\"folder_name\": \"SENT\", \"emails\": []},"
  " \"DRAFT\": {\"folder_name\": \"DRAFT\", \"emails\": []}, \"TRASH\": {\"folder_name\": \"TRASH\", \"emails\": []}}}";

/* The agent has sent an email to Tomás (send_email or forward_email). */
static gboolean
tomas_was_emailed (SigmaEnvironment *env,
                   gpointer          user_data)
{
  g_autoptr(GPtrArray) calls = sigma_builtin_agent_calls (env, "Emails", NULL);

  for (guint i = 0; i < calls->len; i++)
    {
      g_autoptr(GPtrArray) to = sigma_builtin_arg_strings (g_ptr_array_index (calls, i), "recipients");

      if (sigma_builtin_strings_contain (to, TOMAS_EMAIL))
        return TRUE;
    }
  return FALSE;
}

static gboolean
sigma_builtin_event_flow_init_apps (SigmaScenario     *scenario,
                                    SigmaEnvironment  *env,
                                    GError           **error)
{
  return sigma_builtin_add_assistant_apps (env, error) &&
         sigma_builtin_add_app (env, sigma_contacts_app_new ("Contacts"), contacts_state, error) &&
         sigma_builtin_add_app (env, sigma_email_app_new ("Emails"), emails_state, error);
}

static gboolean
sigma_builtin_event_flow_build_events (SigmaScenario     *scenario,
                                       SigmaEnvironment  *env,
                                       GError           **error)
{
  g_auto(SigmaBuiltinPlan) plan = { NULL, NULL };
  SigmaEvent *task, *asked, *reply;

  sigma_builtin_plan_init (&plan);
  task = sigma_builtin_plan_user_message (&plan, "user_task",
                                          "Can you email Tomás Oliveira and ask him whether the venue for "
                                          "Friday's offsite is confirmed? Let me know what he says.", NULL, 0);
  /* the world: Tomás answers 15 minutes after the agent's email, checked every 30 s */
  asked = sigma_builtin_plan_condition (&plan, "condition_tomas_emailed", tomas_was_emailed, NULL, 30, task, 0);
  reply = sigma_builtin_plan_action (&plan, SIGMA_EVENT_TYPE_ENV, "env_tomas_reply", "Emails",
                                     "send_email_to_user_only",
                                     "{\"sender\": \"" TOMAS_EMAIL "\", \"subject\": \"Re: Offsite venue\","
                                     " \"content\": \"Hi Nadia, yes: " VENUE " in Sintra is confirmed for Friday, "
                                     "doors open at 9:00. Tomás\"}", asked, 900);
  /* the oracle */
  sigma_builtin_plan_oracle (&plan, "oracle_ask_tomas", "Emails", "send_email",
                             "{\"recipients\": [\"" TOMAS_EMAIL "\"], \"subject\": \"Offsite venue\","
                             " \"content\": \"Hi Tomás, is the venue for Friday's offsite confirmed? "
                             "Thanks, Nadia\"}", task, 10);
  sigma_builtin_plan_reply_to_user (&plan, "oracle_report", "Tomás says the venue is confirmed: " VENUE
                                    " in Sintra, Friday, doors at 9:00.", reply, 20);
  return sigma_builtin_plan_schedule (&plan, env, error);
}

static gboolean
sigma_builtin_event_flow_validate (SigmaScenario     *scenario,
                                   SigmaEnvironment  *env,
                                   char             **rationale,
                                   GError           **error)
{
  g_autoptr(GPtrArray) replies = NULL;
  g_autofree char *said = NULL;
  g_autofree char *when = NULL;
  gdouble reply_time;

  if (!tomas_was_emailed (env, NULL))
    {
      *rationale = g_strdup ("Expected an email from the agent to Tomás Oliveira <" TOMAS_EMAIL ">; "
                             "the agent sent him none, so his answer never came");
      return FALSE;
    }
  if (!sigma_builtin_event_time (env, "env_tomas_reply", &reply_time))
    {
      *rationale = g_strdup ("The agent emailed Tomás, but the run ended before his answer arrived");
      return FALSE;
    }
  replies = sigma_builtin_replies_since (env, reply_time);
  when = sigma_time_format (reply_time);
  if (sigma_builtin_any_contains_casefold (replies, VENUE))
    {
      *rationale = g_strdup_printf ("The agent asked Tomás and, after his answer at %s, told the user "
                                    "the venue (" VENUE ")", when);
      return TRUE;
    }
  said = sigma_builtin_quote_all (replies);
  *rationale = g_strdup_printf ("Expected a message to the user after Tomás's answer at %s naming the "
                                "venue " VENUE "; after it the agent said %s", when, said);
  return FALSE;
}

static void
sigma_builtin_event_flow_constructed (GObject *object)
{
  G_OBJECT_CLASS (sigma_builtin_event_flow_parent_class)->constructed (object);
  sigma_builtin_configure (SIGMA_SCENARIO (object), START_TIME, 7200.0, 2, tags, hints);
}

static void
sigma_builtin_event_flow_class_init (SigmaBuiltinEventFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  object_class->constructed = sigma_builtin_event_flow_constructed;
  scenario_class->init_apps = sigma_builtin_event_flow_init_apps;
  scenario_class->build_events = sigma_builtin_event_flow_build_events;
  scenario_class->validate = sigma_builtin_event_flow_validate;
}

static void
sigma_builtin_event_flow_init (SigmaBuiltinEventFlow *self)
{
}

gboolean
sigma_builtin_register_tutorial_event_flow (SigmaScenarioRegistry  *registry,
                                            GError                **error)
{
  return sigma_scenario_registry_register_full (registry, "tutorial_event_flow",
                                                "Tutorial 2: a condition releases a colleague's reply once the "
                                                "agent has emailed him (Contacts, Emails)",
                                                tags, SIGMA_SCENARIO_SOURCE_BUILT_IN, NULL,
                                                sigma_builtin_event_flow_get_type (), error);
}
