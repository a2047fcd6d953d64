/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "tutorial_contact_email" (ARE's first tutorial: a scenario with apps). The user asks the
 * agent to email a contact that they name; the agent finds her address in Contacts, sends
 * the email and reports back. A near-namesake in the contacts is the trap.
 */
#include "config.h"

#include "sigma-builtin-private.h"

#include "sigma-agent-user-interface.h"
#include "sigma-contacts-app.h"
#include "sigma-email-app.h"
#include "sigma-scenario.h"
#include "sigma-system-app.h"

#define START_TIME 1728896400.0   /* Monday 2024-10-14 09:00:00 UTC */
#define LEA_EMAIL "lea.fontaine@atelier-fontaine.fr"

G_DECLARE_FINAL_TYPE (SigmaBuiltinContactEmail, sigma_builtin_contact_email, SIGMA, BUILTIN_CONTACT_EMAIL,
                      SigmaScenario)

struct _SigmaBuiltinContactEmail
{
  SigmaScenario parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaBuiltinContactEmail, sigma_builtin_contact_email, SIGMA_TYPE_SCENARIO)

static const char *tags[] = { "tutorial", "contacts", "email", NULL };
static const char *hints[] = {
  "Look the person up in Contacts before writing: two contacts have similar names.",
  "Send one email to the person the user named, saying what the user asked, then tell the user it is done.",
  NULL
};

static const char contacts_state[] =
  "{\"contacts\": {"
  SIGMA_BUILTIN_CONTACT ("c-nadia", "Nadia", "Rahman", "Female", 34, "Product manager", "Lisbon",
                         "+351 912 000 101", "nadia.rahman@northwind.example") ","
  SIGMA_BUILTIN_CONTACT ("c-lea", "Léa", "Fontaine", "Female", 31, "Interior designer", "Lisbon",
                         "+351 912 000 202", LEA_EMAIL) ","
  SIGMA_BUILTIN_CONTACT ("c-leo", "Léo", "Fontana", "Male", 45, "Photographer", "Porto",
                         "+351 912 000 303", "leo.fontana@gmail.com") ","
  SIGMA_BUILTIN_CONTACT ("c-marcus", "Marcus", "Chen", "Male", 39, "Finance lead", "Lisbon",
                         "+351 912 000 404", "marcus.chen@northwind.example") ","
  SIGMA_BUILTIN_CONTACT ("c-priya", "Priya", "Natarajan", "Female", 42, "CFO", "London",
                         "+44 7700 900 505", "priya.natarajan@northwind.example")
  "}, \"view_limit\": 10}";

static const char emails_state[] =
  "{\"user_email\": \"nadia.rahman@northwind.example\", \"view_limit\": 5, \"folders\": {"
  "\"INBOX\": {\"folder_name\": \"INBOX\", \"emails\": ["
  SIGMA_BUILTIN_EMAIL ("e-coffee", LEA_EMAIL, "nadia.rahman@northwind.example", "Coffee on Monday?",
                       "Hi Nadia, shall we meet at Café Lisboa at 10:30 on Monday to go through the showroom plans? Léa",
                       1728630000.0) ","
  SIGMA_BUILTIN_EMAIL ("e-invoice", "billing@cloudhost.example", "nadia.rahman@northwind.example",
                       "Your October invoice", "Your invoice of 48.00 EUR is available in your account.",
                       1728543600.0)
  "]}, \"SENT\": {\"folder_name\": \"SENT\", \"emails\": []},"
  " \"DRAFT\": {\"folder_name\": \"DRAFT\", \"emails\": []}, \"TRASH\": {\"folder_name\": \"TRASH\", \"emails\": []}}}";

static gboolean
sigma_builtin_contact_email_init_apps (SigmaScenario     *scenario,
                                       SigmaEnvironment  *env,
                                       GError           **error)
{
  return sigma_builtin_add_app (env, sigma_agent_user_interface_new (SIGMA_BUILTIN_AUI), NULL, error) &&
         sigma_builtin_add_app (env, sigma_system_app_new ("SystemApp"), NULL, error) &&
         sigma_builtin_add_app (env, sigma_contacts_app_new ("Contacts"), contacts_state, error) &&
         sigma_builtin_add_app (env, sigma_email_app_new ("Emails"), emails_state, error);
}

static gboolean
sigma_builtin_contact_email_build_events (SigmaScenario     *scenario,
                                          SigmaEnvironment  *env,
                                          GError           **error)
{
  g_auto(SigmaBuiltinPlan) plan = { NULL, NULL };
  SigmaEvent *task, *search, *send;

  sigma_builtin_plan_init (&plan);
  task = sigma_builtin_plan_user_message (&plan, "user_task",
                                          "Could you email Léa Fontaine and tell her I'm running 15 minutes "
                                          "late for our 10:30 coffee at Café Lisboa? Thanks!", NULL, 0);
  search = sigma_builtin_plan_oracle (&plan, "oracle_search_contact", "Contacts", "search_contacts",
                                      "{\"query\": \"Léa Fontaine\"}", task, 5);
  send = sigma_builtin_plan_oracle (&plan, "oracle_send_email", "Emails", "send_email",
                                    "{\"recipients\": [\"" LEA_EMAIL "\"],"
                                    " \"subject\": \"Running 15 minutes late\","
                                    " \"content\": \"Hi Léa, I'm running 15 minutes late for our 10:30 coffee "
                                    "at Café Lisboa. See you soon! Nadia\"}", search, 10);
  sigma_builtin_plan_reply_to_user (&plan, "oracle_reply", "Done: I emailed Léa Fontaine (" LEA_EMAIL
                                    ") that you are 15 minutes late.", send, 5);
  return sigma_builtin_plan_schedule (&plan, env, error);
}

static gboolean
sigma_builtin_contact_email_validate (SigmaScenario     *scenario,
                                      SigmaEnvironment  *env,
                                      char             **rationale,
                                      GError           **error)
{
  g_autoptr(GPtrArray) sent = sigma_builtin_agent_calls (env, "Emails", NULL);
  g_autoptr(GPtrArray) replies = sigma_builtin_agent_calls (env, SIGMA_BUILTIN_AUI, "send_message_to_user");
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  SigmaCompletedEvent *good = NULL;
  guint n_emails = 0;

  /* every email the agent wrote, to whom */
  for (guint i = 0; i < sent->len; i++)
    {
      SigmaCompletedEvent *event = g_ptr_array_index (sent, i);
      const char *function = sigma_completed_event_get_function (event);
      g_autoptr(GPtrArray) to = NULL;
      g_autofree char *who = NULL;

      if (!g_str_equal (function, "send_email") && !g_str_equal (function, "forward_email") &&
          !g_str_equal (function, "reply_to_email"))
        continue;
      n_emails++;
      to = sigma_builtin_email_addressees (event);
      who = sigma_builtin_join (to);
      g_ptr_array_add (found, g_strdup_printf ("%s to %s", function, who));
      if (g_str_equal (function, "send_email") && to->len == 1 &&
          sigma_builtin_strings_contain (to, LEA_EMAIL))
        good = event;
    }

  if (n_emails != 1 || good == NULL)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (found, NULL);
      list = n_emails > 0 ? g_strjoinv ("; ", (char **) found->pdata) : g_strdup ("no email");
      *rationale = g_strdup_printf ("Expected exactly one email, sent with send_email to Léa Fontaine <"
                                    LEA_EMAIL "> only; the agent sent %s", list);
      return FALSE;
    }
  if (!sigma_builtin_contains_casefold (sigma_builtin_arg_string (good, "content"), "15"))
    {
      *rationale = g_strdup_printf ("The email to Léa Fontaine must say the user is 15 minutes late; its "
                                    "content was \"%s\"", sigma_builtin_arg_string (good, "content"));
      return FALSE;
    }
  if (replies->len == 0)
    {
      *rationale = g_strdup ("The email was sent, but the agent never told the user (no "
                             "AgentUserInterface.send_message_to_user)");
      return FALSE;
    }
  *rationale = g_strdup ("One email to Léa Fontaine <" LEA_EMAIL "> saying 15 minutes late, and the user was told");
  return TRUE;
}

static void
sigma_builtin_contact_email_constructed (GObject *object)
{
  G_OBJECT_CLASS (sigma_builtin_contact_email_parent_class)->constructed (object);
  sigma_builtin_configure (SIGMA_SCENARIO (object), START_TIME, 3600.0, 1, tags, hints);
}

static void
sigma_builtin_contact_email_class_init (SigmaBuiltinContactEmailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  object_class->constructed = sigma_builtin_contact_email_constructed;
  scenario_class->init_apps = sigma_builtin_contact_email_init_apps;
  scenario_class->build_events = sigma_builtin_contact_email_build_events;
  scenario_class->validate = sigma_builtin_contact_email_validate;
}

static void
sigma_builtin_contact_email_init (SigmaBuiltinContactEmail *self)
{
}

gboolean
sigma_builtin_register_tutorial_contact_email (SigmaScenarioRegistry  *registry,
                                               GError                **error)
{
  return sigma_scenario_registry_register_full (registry, "tutorial_contact_email",
                                                "Tutorial 1: email a contact the user names (Contacts, Emails)",
                                                tags, SIGMA_SCENARIO_SOURCE_BUILT_IN, NULL,
                                                sigma_builtin_contact_email_get_type (), error);
}
