/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "tutorial_find_file" (ARE's fourth tutorial, `scenario_find_image_file`: find a file whose
 * name and place the user does not know). The Files app holds a home directory with photos,
 * documents and downloads; the user asks where the llama photo from the Peru trip is. The
 * agent must look through the files and give the path; a text file about llamas is the trap.
 */
#include "config.h"

#include "sigma-builtin-private.h"

#include "sigma-file-system-app.h"
#include "sigma-scenario.h"

#define START_TIME 1729069200.0   /* Wednesday 2024-10-16 09:00:00 UTC */
#define PHOTO_PATH "Pictures/2023/peru/IMG_2041_llama.jpg"

G_DECLARE_FINAL_TYPE (SigmaBuiltinFindFile, sigma_builtin_find_file, SIGMA, BUILTIN_FIND_FILE, SigmaScenario)

struct _SigmaBuiltinFindFile
{
  SigmaScenario parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaBuiltinFindFile, sigma_builtin_find_file, SIGMA_TYPE_SCENARIO)

static const char *tags[] = { "tutorial", "files", NULL };
static const char *hints[] = {
  "Explore the files (Files.tree, Files.ls) rather than guessing a path.",
  "Answer with the full path of the photo; do not move or delete anything.",
  NULL
};

#define FILE_NODE(name) "{\"name\": \"" name "\", \"type\": \"file\"}"
#define DIR_NODE(name, children) "{\"name\": \"" name "\", \"type\": \"directory\", \"children\": [" children "]}"

static const char files_state[] =
  "{\"files\": " DIR_NODE ("",
    DIR_NODE ("Documents",
      DIR_NODE ("Taxes", FILE_NODE ("2023_tax_return.pdf") "," FILE_NODE ("receipts_2023.xlsx")) ","
      FILE_NODE ("llama-facts.txt") "," FILE_NODE ("meeting-notes-2024-10-14.md") ","
      FILE_NODE ("Peru_itinerary_2023.docx")) ","
    DIR_NODE ("Downloads", FILE_NODE ("boarding-pass-LIS-LIM.pdf") "," FILE_NODE ("invoice_0923.pdf")) ","
    DIR_NODE ("Pictures",
      DIR_NODE ("2023",
        DIR_NODE ("lisbon", FILE_NODE ("tram28.jpg") "," FILE_NODE ("belem_tower.jpg")) ","
        DIR_NODE ("peru", FILE_NODE ("IMG_2038_cusco_market.jpg") "," FILE_NODE ("IMG_2040_machu_picchu.jpg") ","
                  FILE_NODE ("IMG_2041_llama.jpg") "," FILE_NODE ("trip-notes.txt"))) ","
      FILE_NODE ("profile.png"))) ","
  " \"tmpdir\": \"\"}";

static gboolean
sigma_builtin_find_file_init_apps (SigmaScenario     *scenario,
                                   SigmaEnvironment  *env,
                                   GError           **error)
{
  return sigma_builtin_add_assistant_apps (env, error) &&
         sigma_builtin_add_app (env, sigma_file_system_app_new ("Files"), files_state, error);
}

static gboolean
sigma_builtin_find_file_build_events (SigmaScenario     *scenario,
                                      SigmaEnvironment  *env,
                                      GError           **error)
{
  g_auto(SigmaBuiltinPlan) plan = { NULL, NULL };
  SigmaEvent *task, *tree;

  sigma_builtin_plan_init (&plan);
  task = sigma_builtin_plan_user_message (&plan, "user_task",
                                          "I need the photo of the llama I took in Peru last year, but I don't "
                                          "remember where I saved it or what it's called. Can you find it and "
                                          "tell me its full path?", NULL, 0);
  tree = sigma_builtin_plan_oracle (&plan, "oracle_tree", "Files", "tree", "{\"path\": \"/\"}", task, 5);
  sigma_builtin_plan_reply_to_user (&plan, "oracle_reply", "The llama photo is /" PHOTO_PATH, tree, 5);
  return sigma_builtin_plan_schedule (&plan, env, error);
}

static gboolean
sigma_builtin_find_file_validate (SigmaScenario     *scenario,
                                  SigmaEnvironment  *env,
                                  char             **rationale,
                                  GError           **error)
{
  g_autoptr(GPtrArray) looked = sigma_builtin_agent_calls (env, "Files", NULL);
  g_autoptr(GPtrArray) replies = sigma_builtin_replies_since (env, 0);
  g_autofree char *said = NULL;

  for (guint i = 0; i < looked->len; i++)
    {
      const char *function = sigma_completed_event_get_function (g_ptr_array_index (looked, i));

      if (g_str_equal (function, "rm") || g_str_equal (function, "mv"))
        {
          *rationale = g_strdup_printf ("The agent changed the user's files (Files.%s); it was only asked "
                                        "to find a photo", function);
          return FALSE;
        }
    }
  if (looked->len == 0)
    {
      *rationale = g_strdup ("Expected the agent to look through the files (Files.ls, tree, ...); it "
                             "never used the Files app");
      return FALSE;
    }
  if (sigma_builtin_any_contains_casefold (replies, PHOTO_PATH))
    {
      *rationale = g_strdup ("The agent explored the files and told the user /" PHOTO_PATH);
      return TRUE;
    }
  said = sigma_builtin_quote_all (replies);
  *rationale = g_strdup_printf ("Expected a message to the user with the path /" PHOTO_PATH "; the agent "
                                "said %s", said);
  return FALSE;
}

static void
sigma_builtin_find_file_constructed (GObject *object)
{
  G_OBJECT_CLASS (sigma_builtin_find_file_parent_class)->constructed (object);
  sigma_builtin_configure (SIGMA_SCENARIO (object), START_TIME, 1800.0, 4, tags, hints);
}

static void
sigma_builtin_find_file_class_init (SigmaBuiltinFindFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  object_class->constructed = sigma_builtin_find_file_constructed;
  scenario_class->init_apps = sigma_builtin_find_file_init_apps;
  scenario_class->build_events = sigma_builtin_find_file_build_events;
  scenario_class->validate = sigma_builtin_find_file_validate;
}

static void
sigma_builtin_find_file_init (SigmaBuiltinFindFile *self)
{
}

gboolean
sigma_builtin_register_tutorial_find_file (SigmaScenarioRegistry  *registry,
                                           GError                **error)
{
  return sigma_scenario_registry_register_full (registry, "tutorial_find_file",
                                                "Tutorial 4: find a photo whose name and folder the user does "
                                                "not know (Files)",
                                                tags, SIGMA_SCENARIO_SOURCE_BUILT_IN, NULL,
                                                sigma_builtin_find_file_get_type (), error);
}
