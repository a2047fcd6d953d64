/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sigma.h>

G_BEGIN_DECLS

/* Each subcommand: argv[0] is the subcommand name. Returns the process exit status. */
int sigma_cli_bench (int    argc,
                     char **argv);
int sigma_cli_apps  (int    argc,
                     char **argv);
int sigma_cli_tools (int    argc,
                     char **argv);
int sigma_cli_run      (int    argc,
                        char **argv);
int sigma_cli_judge    (int    argc,
                        char **argv);
int sigma_cli_validate (int    argc,
                        char **argv);

int sigma_cli_play     (int    argc,
                        char **argv);
int sigma_cli_list     (int    argc,
                        char **argv);
int sigma_cli_serve    (int    argc,
                        char **argv);

extern gboolean sigma_cli_quiet_warnings;

GLogWriterOutput sigma_cli_log_writer (GLogLevelFlags   log_level,
                                       const GLogField *fields,
                                       gsize            n_fields,
                                       gpointer         user_data);

void sigma_cli_print_json (JsonNode *node);

SigmaScenarioRegistry *sigma_cli_load_registry (gboolean          report_errors);
SigmaScenario         *sigma_cli_open_scenario_in (SigmaScenarioRegistry  *registry,
                                                   GMutex                 *create_lock,
                                                   const char             *file_or_id,
                                                   SigmaJsonFlags          flags,
                                                   GError                **error);
SigmaScenario         *sigma_cli_open_scenario (const char       *file_or_id,
                                                SigmaJsonFlags    flags,
                                                GError          **error);

/* Agent options shared by the commands that run agents (sigma-cli-agents.c). */
typedef struct {
  char     *agent;        /* oracle | scripted:FILE */
  gboolean  oracle;       /* --oracle: the same as --agent oracle */
  char     *user;         /* scripted */
  char     *think_time;   /* fixed:SECONDS | measured */
  gint      max_steps;    /* 0: the runner's default */
  gint64    seed;         /* -1: the scenario's */
  gdouble   noise_rate;   /* background events per minute; < 0: none */
  gdouble   noise_horizon;/* 0: the scenario's duration */
  gdouble   tool_failure; /* probability that an agent tool call fails */
  /* the LLM agent, user simulator and soft judge */
  char     *model;        /* --model */
  char     *base_url;     /* --base-url */
  char     *record;       /* --record FILE */
  char     *replay;       /* --replay FILE */
  char     *prices;       /* --prices FILE */
  char     *soft_judge;   /* exact | llm */
  gdouble   llm_timeout;  /* 0: the client's default */
  gint      llm_retries;  /* -1: the client's default */
  SigmaLlmClient *client; /* made once by sigma_cli_make_runner, shared */
} SigmaCliAgentOptions;

void         sigma_cli_agent_options_init  (SigmaCliAgentOptions  *opts);
void         sigma_cli_agent_options_clear (SigmaCliAgentOptions  *opts);
void         sigma_cli_agent_options_add   (SigmaCliAgentOptions  *opts,
                                            GOptionContext        *context);
gboolean     sigma_cli_agent_options_check (SigmaCliAgentOptions  *opts,
                                            GError               **error);
int          sigma_cli_play_runner         (SigmaRunner           *runner,
                                            SigmaCliAgentOptions  *opts,
                                            gboolean               no_color);
void         sigma_cli_agent_options_get_think_time (SigmaCliAgentOptions *opts,
                                                     gdouble               default_seconds,
                                                     SigmaThinkTime       *mode,
                                                     gdouble              *seconds);
SigmaRunner *sigma_cli_make_runner         (SigmaScenario         *scenario,
                                            SigmaCliAgentOptions  *opts,
                                            GError               **error);
void            sigma_cli_llm_options_add   (SigmaCliAgentOptions  *opts,
                                             GOptionContext        *context);
gboolean        sigma_cli_llm_options_check (SigmaCliAgentOptions  *opts,
                                             GError               **error);
SigmaLlmClient *sigma_cli_make_llm_client   (SigmaCliAgentOptions  *opts,
                                             GError               **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SigmaCliAgentOptions, sigma_cli_agent_options_clear)

/* Batches and the result store (sigma-batch-cmd.c). */
int      sigma_cli_batch     (int              argc,
                              char           **argv);
int      sigma_cli_results   (int              argc,
                              char           **argv);
gboolean sigma_cli_store_run (const char      *db_path,
                              SigmaRunResult  *result,
                              GError         **error);
char    *sigma_cli_resolve_db_path (const char  *option,
                                    GError     **error);

G_END_DECLS
