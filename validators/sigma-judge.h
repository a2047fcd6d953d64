/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-event-log.h"
#include "sigma-environment.h"
#include "sigma-soft-judge.h"
#include "sigma-verdict.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_JUDGE (sigma_judge_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaJudge, sigma_judge, SIGMA, JUDGE, GObject)

/* Gaia2's graph-per-event judge (validation.md §2): the oracle run's log is the reference —
 * its completed AGENT events carry their SigmaOracleEvent as source (dependencies, time
 * comparator) — and the agent run's log is judged against it, turn by turn. */

SIGMA_AVAILABLE_IN_ALL
SigmaJudge     *sigma_judge_new            (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaSoftJudge *sigma_judge_get_soft_judge (SigmaJudge      *self);
SIGMA_AVAILABLE_IN_ALL
void            sigma_judge_set_soft_judge (SigmaJudge      *self,
                                            SigmaSoftJudge  *soft_judge);
SIGMA_AVAILABLE_IN_ALL
SigmaVerdict   *sigma_judge_judge          (SigmaJudge      *self,
                                            SigmaEventLog   *oracle_log,
                                            SigmaEventLog   *agent_log,
                                            GError         **error);

/* The scenario context ARE's judge reads from the scenario: the start time, the app classes
 * (tool names are "<class>__<function>") and the user contact. */
SIGMA_AVAILABLE_IN_ALL
gdouble         sigma_judge_get_start_time     (SigmaJudge       *self);
SIGMA_AVAILABLE_IN_ALL
void            sigma_judge_set_start_time     (SigmaJudge       *self,
                                                gdouble           start_time);
SIGMA_AVAILABLE_IN_ALL
void            sigma_judge_set_app_class_name (SigmaJudge       *self,
                                                const char       *app_name,
                                                const char       *class_name);
SIGMA_AVAILABLE_IN_ALL
void            sigma_judge_set_user_details   (SigmaJudge       *self,
                                                const char       *first_name,
                                                const char       *last_name,
                                                const char       *address);
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_judge_load_environment   (SigmaJudge       *self,
                                                SigmaEnvironment *env,
                                                GError          **error);

/* ARE's scripted judge (validation.md §2.11): extra checks per oracle event, no soft judge. */
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_judge_get_scripted       (SigmaJudge       *self);
SIGMA_AVAILABLE_IN_ALL
void            sigma_judge_set_scripted       (SigmaJudge       *self,
                                                gboolean          scripted);
SIGMA_AVAILABLE_IN_ALL
gboolean        sigma_judge_add_scripted_check (SigmaJudge       *self,
                                                const char       *oracle_event_id,
                                                const char       *arg_name,
                                                const char       *checker_name,
                                                JsonObject       *checker_args,
                                                GError          **error);

G_END_DECLS
