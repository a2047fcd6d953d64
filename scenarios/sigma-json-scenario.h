/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-scenario.h"
#include "sigma-event-log.h"
#include "sigma-verdict.h"
#include "sigma-soft-judge.h"

G_BEGIN_DECLS

/**
 * SigmaJsonFlags:
 * @SIGMA_JSON_STRICT: follow ARE's importer and DAG rules; every deviation is an error
 * @SIGMA_JSON_LENIENT: also accept what ARE-derived tools write: root ENV events, `NoneType`
 *   values, Python-repr lists and dicts, unknown app classes (kept as #SigmaOpaqueApp), DAG
 *   rule violations and Python condition callbacks (replaced by their recorded firing time).
 *   Each accepted deviation is logged with g_warning() and listed by
 *   sigma_json_scenario_get_warnings()
 *
 * How strictly an ARE scenario or trace file is read.
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
  SIGMA_JSON_STRICT  = 0,
  SIGMA_JSON_LENIENT = 1 << 0,
} SigmaJsonFlags;

/**
 * SIGMA_JSON_TRACE_VERSION:
 *
 * The only version string of ARE's scenario/trace format ("ExportedTrace").
 */
#define SIGMA_JSON_TRACE_VERSION "are_simulation_v1"

#define SIGMA_TYPE_JSON_SCENARIO (sigma_json_scenario_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaJsonScenario, sigma_json_scenario, SIGMA, JSON_SCENARIO, SigmaScenario)

SIGMA_AVAILABLE_IN_ALL
SigmaJsonScenario *sigma_json_scenario_new_from_file    (const char         *path,
                                                         SigmaJsonFlags      flags,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaJsonScenario *sigma_json_scenario_new_from_data    (const char         *data,
                                                         gssize              length,
                                                         SigmaJsonFlags      flags,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaJsonScenario *sigma_json_scenario_new_from_node    (JsonNode           *root,
                                                         SigmaJsonFlags      flags,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;

SIGMA_AVAILABLE_IN_ALL
GPtrArray         *sigma_json_scenario_check_file       (const char         *path,
                                                         SigmaJsonFlags      flags) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
GPtrArray         *sigma_json_scenario_check_data       (const char         *data,
                                                         gssize              length,
                                                         SigmaJsonFlags      flags) G_GNUC_WARN_UNUSED_RESULT;

SIGMA_AVAILABLE_IN_ALL
SigmaJsonFlags     sigma_json_scenario_get_flags        (SigmaJsonScenario  *self);
SIGMA_AVAILABLE_IN_ALL
const char * const *sigma_json_scenario_get_warnings    (SigmaJsonScenario  *self);
SIGMA_AVAILABLE_IN_ALL
guint              sigma_json_scenario_get_n_apps       (SigmaJsonScenario  *self);
SIGMA_AVAILABLE_IN_ALL
guint              sigma_json_scenario_get_n_events     (SigmaJsonScenario  *self);
SIGMA_AVAILABLE_IN_ALL
guint              sigma_json_scenario_get_n_oracle_events (SigmaJsonScenario *self);
SIGMA_AVAILABLE_IN_ALL
guint              sigma_json_scenario_get_n_turns      (SigmaJsonScenario  *self);
SIGMA_AVAILABLE_IN_ALL
const char        *sigma_json_scenario_get_task         (SigmaJsonScenario  *self,
                                                         guint               turn);
SIGMA_AVAILABLE_IN_ALL
gint               sigma_json_scenario_get_event_turn   (SigmaJsonScenario  *self,
                                                         const char         *event_id);
SIGMA_AVAILABLE_IN_ALL
JsonNode          *sigma_json_scenario_get_augmentation (SigmaJsonScenario  *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode          *sigma_json_scenario_get_metadata     (SigmaJsonScenario  *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode          *sigma_json_scenario_get_app_state    (SigmaJsonScenario  *self,
                                                         const char         *app_name);
SIGMA_AVAILABLE_IN_ALL
guint              sigma_json_scenario_get_n_completed_events (SigmaJsonScenario *self);

SIGMA_AVAILABLE_IN_ALL
gboolean           sigma_json_scenario_run_oracle       (SigmaJsonScenario  *self,
                                                         SigmaEnvironment   *env,
                                                         GError            **error);
SIGMA_AVAILABLE_IN_ALL
SigmaEventLog     *sigma_json_scenario_get_oracle_log   (SigmaJsonScenario  *self,
                                                         GError            **error);
SIGMA_AVAILABLE_IN_ALL
SigmaEventLog     *sigma_json_scenario_load_trace_log   (SigmaJsonScenario  *self,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaVerdict      *sigma_json_scenario_judge_log        (SigmaJsonScenario  *self,
                                                         SigmaEventLog      *log,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
void               sigma_json_scenario_set_soft_judge   (SigmaJsonScenario  *self,
                                                         SigmaSoftJudge     *soft_judge);
SIGMA_AVAILABLE_IN_ALL
SigmaVerdict      *sigma_json_scenario_get_verdict      (SigmaJsonScenario  *self,
                                                         SigmaEnvironment   *env);

SIGMA_AVAILABLE_IN_ALL
JsonNode          *sigma_json_scenario_export           (SigmaJsonScenario  *self,
                                                         SigmaEnvironment   *env,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
char              *sigma_json_scenario_export_to_data   (SigmaJsonScenario  *self,
                                                         SigmaEnvironment   *env,
                                                         gsize              *length,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
gboolean           sigma_json_scenario_export_to_file   (SigmaJsonScenario  *self,
                                                         SigmaEnvironment   *env,
                                                         const char         *path,
                                                         GError            **error);

SIGMA_AVAILABLE_IN_ALL
char              *sigma_json_to_python_string          (JsonNode           *node) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
