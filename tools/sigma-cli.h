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

int sigma_cli_list     (int    argc,
                        char **argv);

extern gboolean sigma_cli_quiet_warnings;

GLogWriterOutput sigma_cli_log_writer (GLogLevelFlags   log_level,
                                       const GLogField *fields,
                                       gsize            n_fields,
                                       gpointer         user_data);

void sigma_cli_print_json (JsonNode *node);

SigmaScenarioRegistry *sigma_cli_load_registry (gboolean          report_errors);
SigmaScenario         *sigma_cli_open_scenario (const char       *file_or_id,
                                                SigmaJsonFlags    flags,
                                                GError          **error);

G_END_DECLS
