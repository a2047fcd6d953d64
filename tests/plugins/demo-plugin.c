/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A C plugin as a user would write one: built against the installed libsigma-1 only (no
 * internal headers), loaded at run time from a folder named by SIGMA_PLUGIN_PATH.
 *
 * "plugin_add_contact": the agent must add Ada Lovelace to the contacts. Its oracle does.
 * "plugin_add_contact_wrong": the same scenario whose oracle adds someone else, so that its
 * oracle run fails validation with a rationale.
 */
#include <sigma.h>

#define DEMO_TYPE_SCENARIO (demo_scenario_get_type ())
G_DECLARE_DERIVABLE_TYPE (DemoScenario, demo_scenario, DEMO, SCENARIO, SigmaScenario)

struct _DemoScenarioClass
{
  SigmaScenarioClass parent_class;
  const char *oracle_last_name;
};

G_DEFINE_TYPE (DemoScenario, demo_scenario, SIGMA_TYPE_SCENARIO)

static gboolean
demo_scenario_init_apps (SigmaScenario     *scenario,
                         SigmaEnvironment  *env,
                         GError           **error)
{
  g_autoptr(SigmaApp) contacts = sigma_contacts_app_new ("ContactsApp");

  return sigma_environment_add_app (env, contacts, error);
}

static gboolean
demo_scenario_build_events (SigmaScenario     *scenario,
                            SigmaEnvironment  *env,
                            GError           **error)
{
  DemoScenarioClass *klass = DEMO_SCENARIO_GET_CLASS (scenario);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(SigmaEvent) oracle = NULL;

  json_object_set_string_member (args, "first_name", "Ada");
  json_object_set_string_member (args, "last_name", klass->oracle_last_name);
  json_object_set_string_member (args, "email", "ada@example.org");
  oracle = sigma_oracle_event_new ("ContactsApp", "add_new_contact", args);
  sigma_event_set_delay (oracle, 30.0);
  return sigma_environment_schedule (env, oracle, error);
}

static gboolean
demo_scenario_validate (SigmaScenario     *scenario,
                        SigmaEnvironment  *env,
                        char             **rationale,
                        GError           **error)
{
  SigmaApp *contacts = sigma_environment_get_app (env, "ContactsApp");
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) found = NULL;

  json_object_set_string_member (args, "query", "Ada Lovelace");
  found = sigma_app_invoke (contacts, "search_contacts", args, error);
  if (found == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (found) || json_array_get_length (json_node_get_array (found)) != 1)
    {
      *rationale = g_strdup ("The contacts do not hold exactly one Ada Lovelace");
      return FALSE;
    }
  return TRUE;
}

static void
demo_scenario_class_init (DemoScenarioClass *klass)
{
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  scenario_class->init_apps = demo_scenario_init_apps;
  scenario_class->build_events = demo_scenario_build_events;
  scenario_class->validate = demo_scenario_validate;
  klass->oracle_last_name = "Lovelace";
}

static void
demo_scenario_init (DemoScenario *self)
{
}

typedef struct { DemoScenario parent_instance; } DemoWrongScenario;
typedef struct { DemoScenarioClass parent_class; } DemoWrongScenarioClass;

GType demo_wrong_scenario_get_type (void);
G_DEFINE_TYPE (DemoWrongScenario, demo_wrong_scenario, DEMO_TYPE_SCENARIO)

static void
demo_wrong_scenario_class_init (DemoWrongScenarioClass *klass)
{
  DEMO_SCENARIO_CLASS (klass)->oracle_last_name = "Byron";
}

static void
demo_wrong_scenario_init (DemoWrongScenario *self)
{
}

G_MODULE_EXPORT gboolean sigma_plugin_register (SigmaScenarioRegistry  *registry,
                                                const char             *location,
                                                GError                **error);

G_MODULE_EXPORT gboolean
sigma_plugin_register (SigmaScenarioRegistry  *registry,
                       const char             *location,
                       GError                **error)
{
  const char *tags[] = { "demo", "contacts", NULL };

  return sigma_scenario_registry_register_full (registry, "plugin_add_contact",
                                                "Add Ada Lovelace to the contacts (C plugin)",
                                                tags, SIGMA_SCENARIO_SOURCE_C_PLUGIN, location,
                                                DEMO_TYPE_SCENARIO, error) &&
         sigma_scenario_registry_register_full (registry, "plugin_add_contact_wrong",
                                                "The same, with an oracle that adds the wrong person",
                                                tags, SIGMA_SCENARIO_SOURCE_C_PLUGIN, location,
                                                demo_wrong_scenario_get_type (), error);
}
