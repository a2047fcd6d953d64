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

G_END_DECLS
