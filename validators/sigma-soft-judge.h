/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_SOFT_JUDGE (sigma_soft_judge_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (SigmaSoftJudge, sigma_soft_judge, SIGMA, SOFT_JUDGE, GObject)

/**
 * SigmaSoftJudgeInterface:
 * @g_iface: the parent interface
 * @get_name: a short name for verdicts ("deterministic", "llm:<model>")
 * @compare: whether two free-text values of a tool argument mean the same; sets
 *   @explanation when they do not
 *
 * Compares free-text tool arguments (email bodies, messages) that the hard checkers leave to
 * judgement (validation.md §2.9). The default implementation, #SigmaExactSoftJudge,
 * normalises both texts and compares them for equality; an LLM implementation comes with the
 * LLM client.
 */
struct _SigmaSoftJudgeInterface
{
  GTypeInterface g_iface;

  const char * (*get_name) (SigmaSoftJudge  *self);
  gboolean     (*compare)  (SigmaSoftJudge  *self,
                            const char      *tool_name,
                            const char      *arg_name,
                            const char      *expected,
                            const char      *actual,
                            const char      *context,
                            gboolean        *equal,
                            char           **explanation,
                            GError         **error);
};

SIGMA_AVAILABLE_IN_ALL
const char *sigma_soft_judge_get_name (SigmaSoftJudge  *self);
SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_soft_judge_compare  (SigmaSoftJudge  *self,
                                       const char      *tool_name,
                                       const char      *arg_name,
                                       const char      *expected,
                                       const char      *actual,
                                       const char      *context,
                                       gboolean        *equal,
                                       char           **explanation,
                                       GError         **error);

#define SIGMA_TYPE_EXACT_SOFT_JUDGE (sigma_exact_soft_judge_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaExactSoftJudge, sigma_exact_soft_judge, SIGMA, EXACT_SOFT_JUDGE, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaSoftJudge *sigma_exact_soft_judge_new (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
