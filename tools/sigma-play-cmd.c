/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigma-cli.h"

/*
 * `sigma play SCENARIO`: a person plays the agent at the terminal, the workflow of the
 * original scenario simulator. A menu on each step: answer the user, call a tool with guided
 * parameter input, list tools, show a tool, show the policy, show the history, wait, finish,
 * quit. The simulated clock moves by the think time of each step; the judge has the last word.
 *
 * Input is read line by line, so a session can be scripted through a pipe (the tests do).
 */

enum {
  EXIT_PASS = 0,
  EXIT_FAIL = 1,
  EXIT_ERROR = 2,
};

typedef struct
{
  SigmaRunner      *runner;
  SigmaEnvironment *env;
  SigmaScenario    *scenario;
  GPtrArray        *tools;      /* SigmaTool, agent-facing */
  GPtrArray        *tool_apps;  /* app name of each tool */
  SigmaCliAgentOptions *opts;   /* --model, --base-url, … for drafting */
  SigmaThinkTime    think_mode;
  gdouble           think_seconds;
  gint64            shown_at;   /* when the step's observation was shown (measured mode) */
  gboolean          color;
  gboolean          eof;
} Play;

/* ------------------------------------------------------------------------------------ */
/* Terminal                                                                             */

static const char *
c (Play       *play,
   const char *code)
{
  return play->color ? code : "";
}

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define BLUE "\033[34m"
#define MAGENTA "\033[35m"
#define CYAN "\033[36m"

/* One line of input without its newline, or NULL at the end of input. */
static char *
read_line (Play       *play,
           const char *prompt)
{
  GString *line = g_string_new (NULL);
  int ch;

  printf ("%s%s%s", c (play, BOLD), prompt, c (play, RESET));
  fflush (stdout);
  while ((ch = getchar ()) != EOF && ch != '\n')
    g_string_append_c (line, (char) ch);
  if (ch == EOF && line->len == 0)
    {
      play->eof = TRUE;
      g_string_free (line, TRUE);
      printf ("\n");
      return NULL;
    }
  if (!isatty (STDIN_FILENO))
    printf ("%s\n", line->str);   /* echo piped input, so a transcript reads as a session */
  return g_strstrip (g_string_free (line, FALSE));
}

static void
rule (Play *play)
{
  g_autofree char *when = sigma_time_format (sigma_environment_get_time (play->env));

  printf ("\n%s━━ %s · %s · step %u ━━%s\n", c (play, BLUE),
          sigma_scenario_get_scenario_id (play->scenario), when,
          sigma_runner_get_n_steps (play->runner), c (play, RESET));
}

static void
print_json (Play       *play,
            const char *label,
            JsonNode   *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    {
      printf ("%s%s%s None\n", c (play, GREEN), label, c (play, RESET));
      return;
    }
  text = sigma_json_to_string (node, TRUE);
  printf ("%s%s%s %s\n", c (play, GREEN), label, c (play, RESET), text);
}

static void
show_observation (Play             *play,
                  SigmaObservation *obs)
{
  GPtrArray *notes = sigma_observation_get_notifications (obs);

  for (guint i = 0; i < notes->len; i++)
    {
      SigmaNotification *n = g_ptr_array_index (notes, i);

      if (sigma_notification_get_message_type (n) == SIGMA_MESSAGE_TYPE_USER_MESSAGE)
        printf ("%s%sUser:%s %s\n", c (play, BOLD), c (play, CYAN), c (play, RESET),
                sigma_notification_get_message (n));
      else
        printf ("%s[notification]%s %s\n", c (play, YELLOW), c (play, RESET),
                sigma_notification_get_message (n));
    }
  if (notes->len == 0)
    printf ("%s(nothing new)%s\n", c (play, DIM), c (play, RESET));
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static void
collect_tools (Play *play)
{
  g_autoptr(GPtrArray) apps = sigma_environment_list_apps (play->env);

  for (guint i = 0; i < apps->len; i++)
    {
      SigmaApp *app = g_ptr_array_index (apps, i);
      g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_AGENT);

      for (guint j = 0; j < tools->len; j++)
        {
          g_ptr_array_add (play->tools, sigma_tool_ref (g_ptr_array_index (tools, j)));
          g_ptr_array_add (play->tool_apps, g_strdup (sigma_app_get_name (app)));
        }
    }
}

static char *
tool_full_name (Play  *play,
                guint  i)
{
  return g_strconcat (g_ptr_array_index (play->tool_apps, i), "__",
                      sigma_tool_get_name (g_ptr_array_index (play->tools, i)), NULL);
}

static void
list_tools (Play *play)
{
  for (guint i = 0; i < play->tools->len; i++)
    {
      SigmaTool *tool = g_ptr_array_index (play->tools, i);
      g_autofree char *name = tool_full_name (play, i);
      const char *desc = sigma_tool_get_description (tool);
      g_autofree char *first = desc != NULL ? g_strndup (desc, strcspn (desc, "\n")) : g_strdup ("");

      printf ("  %s%3u%s %s%s%s  %s%s%s\n", c (play, DIM), i + 1, c (play, RESET),
              c (play, BOLD), name, c (play, RESET), c (play, DIM), first, c (play, RESET));
    }
}

/* A tool by number or by name (full `App__tool` or the bare tool name when unique). */
static gint
find_tool (Play       *play,
           const char *text)
{
  char *end = NULL;
  guint64 n = g_ascii_strtoull (text, &end, 10);
  gint found = -1;

  if (end != text && *end == '\0')
    return n >= 1 && n <= play->tools->len ? (gint) n - 1 : -1;
  for (guint i = 0; i < play->tools->len; i++)
    {
      g_autofree char *full = tool_full_name (play, i);

      if (g_str_equal (full, text))
        return (gint) i;
      if (g_str_equal (sigma_tool_get_name (g_ptr_array_index (play->tools, i)), text))
        {
          if (found >= 0)
            return -1;
          found = (gint) i;
        }
    }
  return found;
}

static gint
ask_tool (Play *play)
{
  for (;;)
    {
      g_autofree char *answer = read_line (play, "Tool (number or name, l to list, b to go back): ");
      gint i;

      if (answer == NULL || g_str_equal (answer, "b") || *answer == '\0')
        return -1;
      if (g_str_equal (answer, "l"))
        {
          list_tools (play);
          continue;
        }
      i = find_tool (play, answer);
      if (i >= 0)
        return i;
      printf ("%sNo tool '%s'.%s\n", c (play, RED), answer, c (play, RESET));
    }
}

static void
show_tool (Play  *play,
           guint  index)
{
  SigmaTool *tool = g_ptr_array_index (play->tools, index);
  g_autofree char *name = tool_full_name (play, index);

  printf ("%s%s%s\n%s\n", c (play, BOLD), name, c (play, RESET),
          sigma_tool_get_description (tool) != NULL ? sigma_tool_get_description (tool) : "");
  for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
    {
      JsonNode *def = sigma_tool_get_parameter_default (tool, p);
      g_autofree char *def_text = def != NULL ? sigma_json_to_string (def, FALSE) : NULL;

      printf ("  %s%s%s: %s%s%s%s%s — %s\n", c (play, CYAN), sigma_tool_get_parameter_name (tool, p),
              c (play, RESET), sigma_value_type_to_string (sigma_tool_get_parameter_type (tool, p)),
              sigma_tool_get_parameter_required (tool, p) ? " (required)" : "",
              def_text != NULL ? " = " : "", def_text != NULL ? def_text : "",
              sigma_tool_get_parameter_nullable (tool, p) ? " (nullable)" : "",
              sigma_tool_get_parameter_description (tool, p) != NULL ?
              sigma_tool_get_parameter_description (tool, p) : "");
    }
  if (sigma_tool_get_return_description (tool) != NULL)
    printf ("  returns: %s\n", sigma_tool_get_return_description (tool));
}

/* Reads one parameter value: text is taken as is for strings; other types as JSON. */
static gboolean
parse_value (SigmaValueType   type,
             const char      *text,
             JsonNode       **out)
{
  g_autoptr(JsonParser) parser = NULL;

  if (type == SIGMA_VALUE_TYPE_STRING)
    {
      *out = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (*out, text);
      return TRUE;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    {
      if (type != SIGMA_VALUE_TYPE_ANY)
        return FALSE;
      *out = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (*out, text);
      return TRUE;
    }
  *out = json_node_copy (json_parser_get_root (parser));
  return TRUE;
}

/* Guided input of each parameter. Returns NULL when the person goes back. */
static JsonObject *
ask_args (Play      *play,
          SigmaTool *tool)
{
  g_autoptr(JsonObject) args = json_object_new ();

  if (sigma_tool_get_n_parameters (tool) > 0)
    printf ("%sEnter each parameter; an empty line keeps the default (or leaves an optional one out); "
            "'b' goes back. Lists and objects are JSON.%s\n", c (play, DIM), c (play, RESET));
  for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
    {
      SigmaValueType type = sigma_tool_get_parameter_type (tool, p);
      gboolean required = sigma_tool_get_parameter_required (tool, p);
      const char *name = sigma_tool_get_parameter_name (tool, p);

      for (;;)
        {
          g_autofree char *prompt = g_strdup_printf ("  %s (%s%s): ", name, sigma_value_type_to_string (type),
                                                     required ? ", required" : "");
          g_autofree char *answer = read_line (play, prompt);
          JsonNode *value = NULL;

          if (answer == NULL || g_str_equal (answer, "b"))
            return NULL;
          if (*answer == '\0')
            {
              if (!required)
                break;
              printf ("%s%s is required.%s\n", c (play, RED), name, c (play, RESET));
              continue;
            }
          if (!parse_value (type, answer, &value))
            {
              printf ("%sNot a valid %s: %s%s\n", c (play, RED), sigma_value_type_to_string (type), answer, c (play, RESET));
              continue;
            }
          json_object_set_member (args, name, value);
          break;
        }
    }
  return g_steal_pointer (&args);
}

/* ------------------------------------------------------------------------------------ */
/* History and policy                                                                   */

static const char *
event_type_name (SigmaEventType type)
{
  switch (type)
    {
    case SIGMA_EVENT_TYPE_AGENT:
      return "AGENT";
    case SIGMA_EVENT_TYPE_USER:
      return "USER";
    case SIGMA_EVENT_TYPE_ENV:
      return "ENV";
    default:
      return "OTHER";
    }
}

static void
show_history (Play *play)
{
  SigmaEventLog *log = sigma_environment_get_log (play->env);

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *ev = sigma_event_log_get (log, i);
      SigmaEventType type = sigma_completed_event_get_event_type (ev);
      g_autofree char *when = sigma_time_format (sigma_completed_event_get_event_time (ev));
      const char *color = type == SIGMA_EVENT_TYPE_AGENT ? GREEN : type == SIGMA_EVENT_TYPE_USER ? CYAN : MAGENTA;
      const char *error = sigma_completed_event_get_error_message (ev);

      if (sigma_completed_event_get_app_name (ev) == NULL)
        continue;
      printf ("%s%s%s %s%-5s%s %s.%s", c (play, DIM), when, c (play, RESET), c (play, color),
              event_type_name (type), c (play, RESET),
              sigma_completed_event_get_app_name (ev), sigma_completed_event_get_function (ev));
      if (error != NULL)
        printf (" %s→ error: %s%s", c (play, RED), error, c (play, RESET));
      printf ("\n");
    }
}

static void
show_policy (Play *play)
{
  const char * const *hints = sigma_scenario_get_hints (play->scenario);

  if (hints == NULL || hints[0] == NULL)
    {
      printf ("%sThis scenario gives no policy or hints.%s\n", c (play, DIM), c (play, RESET));
      return;
    }
  for (guint i = 0; hints[i] != NULL; i++)
    printf ("%s•%s %s\n", c (play, YELLOW), c (play, RESET), hints[i]);
}

/* ------------------------------------------------------------------------------------ */
/* The loop                                                                             */

static void
perform (Play             *play,
         SigmaAgentAction *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  gdouble think = play->think_mode == SIGMA_THINK_TIME_MEASURED
                  ? (g_get_monotonic_time () - play->shown_at) / 1e6 : play->think_seconds;

  if (!sigma_runner_perform (play->runner, action, think, &result, &error))
    printf ("%sError:%s %s\n", c (play, RED), c (play, RESET), error->message);
  else if (sigma_agent_action_get_kind (action) == SIGMA_AGENT_ACTION_TOOL_CALL)
    print_json (play, "Result:", result);
}

/* The conversation so far, one line per message, from the log. */
static char *
conversation (Play *play)
{
  SigmaEventLog *log = sigma_environment_get_log (play->env);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < sigma_event_log_get_length (log); i++)
    {
      SigmaCompletedEvent *ev = sigma_event_log_get (log, i);
      const char *function = sigma_completed_event_get_function (ev);
      JsonObject *args = sigma_completed_event_get_args (ev);
      const char *who;

      if (g_strcmp0 (function, "send_message_to_agent") == 0)
        who = "User";
      else if (g_strcmp0 (function, "send_message_to_user") == 0)
        who = "Assistant";
      else
        continue;
      if (args != NULL && json_object_has_member (args, "content"))
        g_string_append_printf (text, "%s: %s\n", who, json_object_get_string_member_with_default (args, "content", ""));
    }
  return g_string_free (text, FALSE);
}

/* Asks the model for a message to the user that says what @description says. */
static char *
draft_reply (Play        *play,
             const char  *description,
             GError     **error)
{
  g_autoptr(SigmaLlmClient) client = sigma_cli_make_llm_client (play->opts, error);
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(SigmaLlmReply) reply = NULL;
  g_autofree char *history = NULL;
  g_autofree char *system = NULL;
  JsonObject *message;

  if (client == NULL)
    return NULL;
  history = conversation (play);
  system = g_strdup_printf ("You write the assistant's next message to the user, in the assistant's voice. "
                            "Write only the message: no preamble, no quotes.\n\nConversation so far:\n%s",
                            history);
  messages = json_array_new ();
  message = json_object_new ();
  json_object_set_string_member (message, "role", "system");
  json_object_set_string_member (message, "content", system);
  json_array_add_object_element (messages, message);
  message = json_object_new ();
  json_object_set_string_member (message, "role", "user");
  json_object_set_string_member (message, "content", description);
  json_array_add_object_element (messages, message);
  reply = sigma_llm_client_chat (client, messages, NULL, NULL, NULL, error);
  if (reply == NULL)
    return NULL;
  if (sigma_llm_reply_get_content (reply) == NULL || *sigma_llm_reply_get_content (reply) == '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_FAILED, "the model returned an empty draft");
      return NULL;
    }
  return g_strstrip (g_strdup (sigma_llm_reply_get_content (reply)));
}

static void
menu (Play *play)
{
  static const char * const items[] = {
    "1) Respond to the user (exact text)",
    "2) Describe a response and let the LLM draft it",
    "3) Call a tool",
    "4) List tools",
    "5) Show a tool's details",
    "6) Show the policy and hints",
    "7) Show the history",
    "8) Wait for a notification",
    "9) Finish (done)",
    "q) Quit without finishing",
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    printf ("  %s\n", items[i]);
}

/* One decision of the person; returns FALSE on quit or end of input. */
static gboolean
turn (Play *play)
{
  for (;;)
    {
      g_autofree char *choice = NULL;

      menu (play);
      choice = read_line (play, "> ");
      if (choice == NULL || g_str_equal (choice, "q"))
        return FALSE;

      if (g_str_equal (choice, "1"))
        {
          g_autofree char *text = read_line (play, "Message to the user (empty to go back): ");
          g_autoptr(SigmaAgentAction) action = NULL;

          if (text == NULL)
            return FALSE;
          if (*text == '\0')
            continue;
          action = sigma_agent_action_new_message (text);
          perform (play, action);
          return TRUE;
        }
      else if (g_str_equal (choice, "2"))
        {
          g_autofree char *description = read_line (play, "Describe the reply (empty to go back): ");
          g_autofree char *draft = NULL;
          g_autofree char *answer = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(SigmaAgentAction) action = NULL;

          if (description == NULL)
            return FALSE;
          if (*description == '\0')
            continue;
          draft = draft_reply (play, description, &error);
          if (draft == NULL)
            {
              printf ("%sCould not draft: %s%s\n", c (play, RED), error->message, c (play, RESET));
              continue;
            }
          printf ("%sDraft:%s %s\n", c (play, MAGENTA), c (play, RESET), draft);
          answer = read_line (play, "Send it (y), write your own text instead, or empty to go back: ");
          if (answer == NULL)
            return FALSE;
          if (*answer == '\0')
            continue;
          action = sigma_agent_action_new_message (g_str_equal (answer, "y") ? draft : answer);
          perform (play, action);
          return TRUE;
        }
      else if (g_str_equal (choice, "3"))
        {
          gint index = ask_tool (play);
          g_autoptr(JsonObject) args = NULL;
          g_autoptr(SigmaAgentAction) action = NULL;
          g_autofree char *name = NULL;

          if (play->eof)
            return FALSE;
          if (index < 0)
            continue;
          show_tool (play, (guint) index);
          args = ask_args (play, g_ptr_array_index (play->tools, index));
          if (play->eof)
            return FALSE;
          if (args == NULL)
            continue;
          name = tool_full_name (play, (guint) index);
          action = sigma_agent_action_new_tool_call (name, args);
          perform (play, action);
          return TRUE;
        }
      else if (g_str_equal (choice, "4"))
        list_tools (play);
      else if (g_str_equal (choice, "5"))
        {
          gint index = ask_tool (play);

          if (play->eof)
            return FALSE;
          if (index >= 0)
            show_tool (play, (guint) index);
        }
      else if (g_str_equal (choice, "6"))
        show_policy (play);
      else if (g_str_equal (choice, "7"))
        show_history (play);
      else if (g_str_equal (choice, "8"))
        {
          g_autofree char *text = read_line (play, "Wait at most how many seconds? [60]: ");
          g_autoptr(SigmaAgentAction) action = NULL;
          gdouble timeout = 60;

          if (text == NULL)
            return FALSE;
          if (*text != '\0')
            {
              char *end = NULL;

              timeout = g_ascii_strtod (text, &end);
              if (end == text || *end != '\0' || timeout < 0)
                {
                  printf ("%sNot a number of seconds: %s%s\n", c (play, RED), text, c (play, RESET));
                  continue;
                }
            }
          action = sigma_agent_action_new_wait (timeout);
          perform (play, action);
          return TRUE;
        }
      else if (g_str_equal (choice, "9"))
        {
          g_autoptr(SigmaAgentAction) action = sigma_agent_action_new_done ();

          perform (play, action);
          return TRUE;
        }
      else
        printf ("%sChoose 1–9 or q.%s\n", c (play, RED), c (play, RESET));
    }
}

/* The play loop over a runner made by sigma_cli_make_runner() with the human agent. */
int
sigma_cli_play_runner (SigmaRunner          *runner,
                       SigmaCliAgentOptions *opts,
                       gboolean              no_color)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaRunResult) result = NULL;
  g_autoptr(GPtrArray) tools = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_tool_unref);
  g_autoptr(GPtrArray) tool_apps = g_ptr_array_new_with_free_func (g_free);
  Play play = { 0, };
  SigmaRunStatus status;

  sigma_runner_set_max_steps (runner, opts->max_steps > 0 ? (guint) opts->max_steps : G_MAXUINT);
  if (!sigma_runner_start (runner, &error))
    {
      fprintf (stderr, "sigma play: %s\n", error->message);
      return EXIT_ERROR;
    }

  play.runner = runner;
  play.env = sigma_runner_get_environment (runner);
  play.scenario = sigma_runner_get_scenario (runner);
  play.tools = tools;
  play.tool_apps = tool_apps;
  play.opts = opts;
  sigma_cli_agent_options_get_think_time (opts, 5.0, &play.think_mode, &play.think_seconds);
  play.color = !no_color && isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL;
  collect_tools (&play);

  printf ("%sYou are the agent.%s %u tools; answer the user, use tools, and finish when the task is done.\n",
          c (&play, BOLD), c (&play, RESET), play.tools->len);
  while (!sigma_runner_is_finished (runner))
    {
      g_autoptr(SigmaObservation) obs = sigma_runner_observe (runner);

      rule (&play);
      show_observation (&play, obs);
      play.shown_at = g_get_monotonic_time ();
      if (!turn (&play))
        {
          printf ("Quit: the run is not judged.\n");
          return EXIT_ERROR;
        }
    }

  result = sigma_runner_finish (runner, &error);
  if (result == NULL)
    {
      fprintf (stderr, "sigma play: %s\n", error->message);
      return EXIT_ERROR;
    }
  status = sigma_run_result_get_status (result);
  printf ("\n%s%s%s%s (ended: %s, %u steps, %g s simulated)\n", c (&play, BOLD),
          c (&play, status == SIGMA_RUN_STATUS_PASSED ? GREEN : RED),
          sigma_run_status_to_string (status), c (&play, RESET),
          sigma_end_reason_to_string (sigma_run_result_get_end_reason (result)),
          sigma_run_result_get_steps (result), sigma_run_result_get_sim_time (result));
  if (sigma_run_result_get_rationale (result) != NULL)
    printf ("%s\n", sigma_run_result_get_rationale (result));
  return status == SIGMA_RUN_STATUS_PASSED ? EXIT_PASS : status == SIGMA_RUN_STATUS_FAILED ? EXIT_FAIL : EXIT_ERROR;
}

int
sigma_cli_play (int    argc,
                char **argv)
{
  gboolean lenient = FALSE, no_color = FALSE;
  GOptionEntry entries[] = {
    { "lenient", 0, 0, G_OPTION_ARG_NONE, &lenient, "Accept what ARE-derived tools write", NULL },
    { "no-color", 0, 0, G_OPTION_ARG_NONE, &no_color, "Plain text output", NULL },
    { NULL }
  };
  g_auto(SigmaCliAgentOptions) opts;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaScenario) scenario = NULL;
  g_autoptr(SigmaRunner) runner = NULL;

  sigma_cli_agent_options_init (&opts);
  context = g_option_context_new ("FILE|ID - play the agent of a scenario at the terminal "
                                  "(--think-time fixed:S sets what each step costs, default fixed:5)");
  g_option_context_add_main_entries (context, entries, NULL);
  sigma_cli_agent_options_add (&opts, context);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "sigma play: %s\n", error->message);
      return EXIT_ERROR;
    }
  if (argc != 2)
    {
      fprintf (stderr, "sigma play: name one scenario file or registered scenario id\n");
      return EXIT_ERROR;
    }
  if (opts.agent != NULL && !g_str_equal (opts.agent, "human"))
    {
      fprintf (stderr, "sigma play: you are the agent here; use `sigma run --agent %s` for another\n", opts.agent);
      return EXIT_ERROR;
    }
  g_free (opts.agent);
  opts.agent = g_strdup ("human");
  if (!sigma_cli_agent_options_check (&opts, &error))
    {
      fprintf (stderr, "sigma play: %s\n", error->message);
      return EXIT_ERROR;
    }
  scenario = sigma_cli_open_scenario (argv[1], lenient ? SIGMA_JSON_LENIENT : SIGMA_JSON_STRICT, &error);
  if (scenario == NULL)
    {
      fprintf (stderr, "sigma play: %s\n", error->message);
      return EXIT_ERROR;
    }
  runner = sigma_cli_make_runner (scenario, &opts, &error);
  if (runner == NULL)
    {
      fprintf (stderr, "sigma play: %s\n", error->message);
      return EXIT_ERROR;
    }
  return sigma_cli_play_runner (runner, &opts, no_color);
}
