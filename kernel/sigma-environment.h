/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-event.h"
#include "sigma-notification-system.h"
#include "sigma-file-system.h"

G_BEGIN_DECLS

/**
 * SigmaEnvironmentState:
 * @SIGMA_ENVIRONMENT_STATE_SETUP: apps and events are being added; the clock has not started
 * @SIGMA_ENVIRONMENT_STATE_RUNNING: the simulation is running
 * @SIGMA_ENVIRONMENT_STATE_PAUSED: the simulation is paused; time does not move
 * @SIGMA_ENVIRONMENT_STATE_STOPPED: the run ended normally
 * @SIGMA_ENVIRONMENT_STATE_FAILED: the run ended because a validator failed
 *
 * The life cycle of a #SigmaEnvironment: SETUP → RUNNING ⇄ PAUSED → STOPPED or FAILED.
 */
typedef enum {
  SIGMA_ENVIRONMENT_STATE_SETUP,
  SIGMA_ENVIRONMENT_STATE_RUNNING,
  SIGMA_ENVIRONMENT_STATE_PAUSED,
  SIGMA_ENVIRONMENT_STATE_STOPPED,
  SIGMA_ENVIRONMENT_STATE_FAILED,
} SigmaEnvironmentState;

/**
 * SigmaLoopMode:
 * @SIGMA_LOOP_MODE_QUEUE: jump the clock straight to the next event time
 * @SIGMA_LOOP_MODE_TICK: advance the clock in steps of #SigmaEnvironment:time-increment
 *
 * How sigma_environment_run() moves simulated time.
 */
typedef enum {
  SIGMA_LOOP_MODE_QUEUE,
  SIGMA_LOOP_MODE_TICK,
} SigmaLoopMode;

#define SIGMA_TYPE_ENVIRONMENT (sigma_environment_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaEnvironment, sigma_environment, SIGMA, ENVIRONMENT, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaEnvironment      *sigma_environment_new                   (void) G_GNUC_WARN_UNUSED_RESULT;

SIGMA_AVAILABLE_IN_ALL
SigmaClock            *sigma_environment_get_clock             (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEventLog         *sigma_environment_get_log               (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEventQueue       *sigma_environment_get_queue             (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
gdouble                sigma_environment_get_time              (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
gint64                 sigma_environment_get_tick_count        (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
gdouble                sigma_environment_get_start_time        (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_set_start_time        (SigmaEnvironment  *self,
                                                                gdouble            start_time);
SIGMA_AVAILABLE_IN_ALL
gdouble                sigma_environment_get_duration          (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_set_duration          (SigmaEnvironment  *self,
                                                                gdouble            duration);
SIGMA_AVAILABLE_IN_ALL
gdouble                sigma_environment_get_time_increment    (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_set_time_increment    (SigmaEnvironment  *self,
                                                                gdouble            time_increment);
SIGMA_AVAILABLE_IN_ALL
SigmaLoopMode          sigma_environment_get_loop_mode         (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_set_loop_mode         (SigmaEnvironment  *self,
                                                                SigmaLoopMode      mode);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_get_exit_when_no_events (SigmaEnvironment *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_set_exit_when_no_events (SigmaEnvironment *self,
                                                                  gboolean          exit_when_no_events);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_get_oracle_mode       (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_set_oracle_mode       (SigmaEnvironment  *self,
                                                                gboolean           oracle_mode);
SIGMA_AVAILABLE_IN_ALL
guint64                sigma_environment_get_seed              (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_set_seed              (SigmaEnvironment  *self,
                                                                guint64            seed);
SIGMA_AVAILABLE_IN_ALL
SigmaEnvironmentState  sigma_environment_get_state             (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
const char            *sigma_environment_get_failure_reason    (SigmaEnvironment  *self);

SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_add_app               (SigmaEnvironment  *self,
                                                                SigmaApp          *app,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
SigmaApp              *sigma_environment_get_app               (SigmaEnvironment  *self,
                                                                const char        *name);
SIGMA_AVAILABLE_IN_ALL
GPtrArray             *sigma_environment_list_apps             (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
SigmaFileSystem       *sigma_environment_get_file_system       (SigmaEnvironment  *self);

SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_schedule              (SigmaEnvironment  *self,
                                                                SigmaEvent        *event,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_schedule_events       (SigmaEnvironment  *self,
                                                                GPtrArray         *events,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
SigmaEvent            *sigma_environment_lookup_event          (SigmaEnvironment  *self,
                                                                const char        *event_id);
SIGMA_AVAILABLE_IN_ALL
GPtrArray             *sigma_environment_list_events           (SigmaEnvironment  *self);

SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_start                 (SigmaEnvironment  *self,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_run                   (SigmaEnvironment  *self,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_advance               (SigmaEnvironment  *self,
                                                                gdouble            seconds,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_run_until             (SigmaEnvironment  *self,
                                                                gdouble            time,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_pause                 (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_resume                (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_stop                  (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_fail                  (SigmaEnvironment  *self,
                                                                const char        *reason);

SIGMA_AVAILABLE_IN_ALL
JsonNode              *sigma_environment_call_tool             (SigmaEnvironment  *self,
                                                                const char        *app_name,
                                                                const char        *tool_name,
                                                                JsonObject        *args,
                                                                SigmaEventType     event_type,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
JsonNode              *sigma_environment_call_tool_by_name     (SigmaEnvironment  *self,
                                                                const char        *name,
                                                                JsonObject        *args,
                                                                SigmaEventType     event_type,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
SigmaCompletedEvent   *sigma_environment_get_last_event        (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
SigmaNotificationSystem *sigma_environment_get_notifications   (SigmaEnvironment  *self);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_wait_for_notification (SigmaEnvironment  *self,
                                                                gdouble            timeout,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_environment_request_wait          (SigmaEnvironment  *self,
                                                                gdouble            timeout);

SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_environment_rename_tool           (SigmaEnvironment  *self,
                                                                const char        *name,
                                                                const char        *agent_name,
                                                                const char        *agent_description,
                                                                GError           **error);
SIGMA_AVAILABLE_IN_ALL
JsonNode              *sigma_environment_list_agent_tools      (SigmaEnvironment  *self);

G_END_DECLS
