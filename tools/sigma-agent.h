/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "sigma-types.h"
#include "sigma-environment.h"
#include "sigma-notification-system.h"
#include "sigma-scenario.h"

G_BEGIN_DECLS

/**
 * SigmaAgentActionKind:
 * @SIGMA_AGENT_ACTION_TOOL_CALL: call an app tool, by its agent-facing name (`App__tool`)
 * @SIGMA_AGENT_ACTION_MESSAGE: send a message to the user (`send_message_to_user`)
 * @SIGMA_AGENT_ACTION_WAIT: wait for the next notification, at most a timeout
 * @SIGMA_AGENT_ACTION_DONE: the agent has finished
 *
 * What an agent chose to do next.
 *
 * Since: 0.1
 */
typedef enum {
  SIGMA_AGENT_ACTION_TOOL_CALL,
  SIGMA_AGENT_ACTION_MESSAGE,
  SIGMA_AGENT_ACTION_WAIT,
  SIGMA_AGENT_ACTION_DONE,
} SigmaAgentActionKind;

typedef struct _SigmaAgentAction SigmaAgentAction;

#define SIGMA_TYPE_AGENT_ACTION (sigma_agent_action_get_type ())

SIGMA_AVAILABLE_IN_ALL
GType                sigma_agent_action_get_type        (void) G_GNUC_CONST;
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction    *sigma_agent_action_new_tool_call   (const char        *tool_name,
                                                         JsonObject        *args) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction    *sigma_agent_action_new_message     (const char        *text) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction    *sigma_agent_action_new_wait        (gdouble            timeout) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction    *sigma_agent_action_new_done        (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction    *sigma_agent_action_new_from_json   (JsonNode          *node,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction    *sigma_agent_action_ref             (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
void                 sigma_agent_action_unref           (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
SigmaAgentActionKind sigma_agent_action_get_kind        (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_agent_action_get_tool_name   (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
JsonObject          *sigma_agent_action_get_args        (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_agent_action_get_message     (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
gdouble              sigma_agent_action_get_timeout     (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
const char          *sigma_agent_action_get_call_id     (SigmaAgentAction  *self);
SIGMA_AVAILABLE_IN_ALL
void                 sigma_agent_action_set_call_id     (SigmaAgentAction  *self,
                                                         const char        *call_id);
SIGMA_AVAILABLE_IN_ALL
JsonNode            *sigma_agent_action_to_json         (SigmaAgentAction  *self) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
char                *sigma_agent_action_describe        (SigmaAgentAction  *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaAgentAction, sigma_agent_action_unref)

typedef struct _SigmaObservation SigmaObservation;

#define SIGMA_TYPE_OBSERVATION (sigma_observation_get_type ())

SIGMA_AVAILABLE_IN_ALL
GType              sigma_observation_get_type          (void) G_GNUC_CONST;
SIGMA_AVAILABLE_IN_ALL
SigmaObservation  *sigma_observation_new               (gdouble            time,
                                                        guint              step) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaObservation  *sigma_observation_ref               (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
void               sigma_observation_unref             (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
gdouble            sigma_observation_get_time          (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
guint              sigma_observation_get_step          (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
void               sigma_observation_add_notification  (SigmaObservation  *self,
                                                        SigmaNotification *notification);
SIGMA_AVAILABLE_IN_ALL
GPtrArray         *sigma_observation_get_notifications (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
void               sigma_observation_set_last_action   (SigmaObservation  *self,
                                                        SigmaAgentAction  *action,
                                                        JsonNode          *result,
                                                        const char        *error_message);
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction  *sigma_observation_get_last_action   (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode          *sigma_observation_get_last_result   (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
const char        *sigma_observation_get_last_error    (SigmaObservation  *self);
SIGMA_AVAILABLE_IN_ALL
JsonNode          *sigma_observation_to_json           (SigmaObservation  *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaObservation, sigma_observation_unref)

/**
 * SigmaUsage:
 * @prompt_tokens: tokens sent to the model
 * @completion_tokens: tokens the model produced
 * @n_requests: requests made (retries included)
 * @cost: the cost in US dollars, from the price table
 *
 * What an agent (or a user simulator, or a soft judge) spent on a model.
 *
 * Since: 0.1
 */
typedef struct {
  guint64 prompt_tokens;
  guint64 completion_tokens;
  guint   n_requests;
  gdouble cost;
} SigmaUsage;

#define SIGMA_TYPE_USAGE (sigma_usage_get_type ())

SIGMA_AVAILABLE_IN_ALL
GType       sigma_usage_get_type (void) G_GNUC_CONST;
SIGMA_AVAILABLE_IN_ALL
SigmaUsage *sigma_usage_copy     (const SigmaUsage *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_usage_free     (SigmaUsage       *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_usage_add      (SigmaUsage       *self,
                                  const SigmaUsage *other);

#define SIGMA_TYPE_AGENT (sigma_agent_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (SigmaAgent, sigma_agent, SIGMA, AGENT, GObject)

/**
 * SigmaAgentInterface:
 * @g_iface: the parent interface
 * @start: called once before the first step, with the scenario and its environment (set up
 *   and started); an agent reads the tools, hints and apps it needs here
 * @step: given what happened since the last step, choose the next action
 * @get_usage: add what the agent spent on models so far to the given #SigmaUsage
 *
 * An agent plays a scenario one action at a time: the #SigmaRunner gives it an observation
 * (new user messages and notifications, the result of its last action, the simulated time)
 * and runs the action it returns.
 *
 * Since: 0.1
 */
struct _SigmaAgentInterface
{
  GTypeInterface g_iface;

  gboolean          (*start)     (SigmaAgent        *self,
                                  SigmaScenario     *scenario,
                                  SigmaEnvironment  *env,
                                  GError           **error);
  SigmaAgentAction *(*step)      (SigmaAgent        *self,
                                  SigmaObservation  *observation,
                                  GError           **error);
  void              (*get_usage) (SigmaAgent        *self,
                                  SigmaUsage        *usage);

  /*< private >*/
  gpointer padding[8];
};

SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_agent_start     (SigmaAgent        *self,
                                         SigmaScenario     *scenario,
                                         SigmaEnvironment  *env,
                                         GError           **error);
SIGMA_AVAILABLE_IN_ALL
SigmaAgentAction *sigma_agent_step      (SigmaAgent        *self,
                                         SigmaObservation  *observation,
                                         GError           **error);
SIGMA_AVAILABLE_IN_ALL
void              sigma_agent_get_usage (SigmaAgent        *self,
                                         SigmaUsage        *usage);

#define SIGMA_TYPE_USER_SIMULATOR (sigma_user_simulator_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (SigmaUserSimulator, sigma_user_simulator, SIGMA, USER_SIMULATOR, GObject)

/**
 * SigmaUserSimulatorInterface:
 * @g_iface: the parent interface
 * @start: called once before the run, with the scenario and its environment
 * @reply: the agent sent a message to the user: return the user's reply, or %NULL when
 *   the user has nothing to say (the scenario's own events carry the next turn); set
 *   *@finished when the conversation is over
 * @get_usage: add what the simulator spent on models so far
 *
 * Plays the user. The scripted user is no simulator at all: the scenario's USER events
 * carry its turns.
 *
 * Since: 0.1
 */
struct _SigmaUserSimulatorInterface
{
  GTypeInterface g_iface;

  gboolean (*start)     (SigmaUserSimulator  *self,
                         SigmaScenario       *scenario,
                         SigmaEnvironment    *env,
                         GError             **error);
  char    *(*reply)     (SigmaUserSimulator  *self,
                         const char          *message,
                         gboolean            *finished,
                         GError             **error);
  void     (*get_usage) (SigmaUserSimulator  *self,
                         SigmaUsage          *usage);

  /*< private >*/
  gpointer padding[8];
};

SIGMA_AVAILABLE_IN_ALL
gboolean sigma_user_simulator_start     (SigmaUserSimulator  *self,
                                         SigmaScenario       *scenario,
                                         SigmaEnvironment    *env,
                                         GError             **error);
SIGMA_AVAILABLE_IN_ALL
char    *sigma_user_simulator_reply     (SigmaUserSimulator  *self,
                                         const char          *message,
                                         gboolean            *finished,
                                         GError             **error);
SIGMA_AVAILABLE_IN_ALL
void     sigma_user_simulator_get_usage (SigmaUserSimulator  *self,
                                         SigmaUsage          *usage);

G_END_DECLS
