/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sigma-version-macros.h"

G_BEGIN_DECLS

typedef struct _SigmaApp                  SigmaApp;
typedef struct _SigmaClock                SigmaClock;
typedef struct _SigmaCompletedEvent       SigmaCompletedEvent;
typedef struct _SigmaEnvironment          SigmaEnvironment;
typedef struct _SigmaEvent                SigmaEvent;
typedef struct _SigmaEventLog             SigmaEventLog;
typedef struct _SigmaEventQueue           SigmaEventQueue;
typedef struct _SigmaTool                 SigmaTool;

/**
 * SigmaEventType:
 * @SIGMA_EVENT_TYPE_AGENT: an action taken by the agent (or an oracle action)
 * @SIGMA_EVENT_TYPE_ENV: an action of the simulated world
 * @SIGMA_EVENT_TYPE_USER: an action of the (simulated) user
 * @SIGMA_EVENT_TYPE_CONDITION: a condition check
 * @SIGMA_EVENT_TYPE_VALIDATION: a milestone/minefield check
 * @SIGMA_EVENT_TYPE_STOP: a request to stop the run
 *
 * Who or what caused an event; the same values as ARE's `EventType`.
 */
typedef enum {
  SIGMA_EVENT_TYPE_AGENT,
  SIGMA_EVENT_TYPE_ENV,
  SIGMA_EVENT_TYPE_USER,
  SIGMA_EVENT_TYPE_CONDITION,
  SIGMA_EVENT_TYPE_VALIDATION,
  SIGMA_EVENT_TYPE_STOP,
} SigmaEventType;

/**
 * SigmaToolOperation:
 * @SIGMA_TOOL_OPERATION_READ: the tool only reads state
 * @SIGMA_TOOL_OPERATION_WRITE: the tool changes state
 *
 * Whether a tool modifies app state. The judge only matches WRITE calls.
 */
typedef enum {
  SIGMA_TOOL_OPERATION_READ,
  SIGMA_TOOL_OPERATION_WRITE,
} SigmaToolOperation;

/**
 * SigmaToolRole:
 * @SIGMA_TOOL_ROLE_NONE: no role
 * @SIGMA_TOOL_ROLE_AGENT: callable by the agent
 * @SIGMA_TOOL_ROLE_USER: callable by the user or the user simulator
 * @SIGMA_TOOL_ROLE_ENV: callable by scenario (environment) events
 * @SIGMA_TOOL_ROLE_DATA: used to populate app data
 *
 * Who may call a tool; a tool may carry several roles.
 */
typedef enum /*< flags >*/ {
  SIGMA_TOOL_ROLE_NONE  = 0,
  SIGMA_TOOL_ROLE_AGENT = 1 << 0,
  SIGMA_TOOL_ROLE_USER  = 1 << 1,
  SIGMA_TOOL_ROLE_ENV   = 1 << 2,
  SIGMA_TOOL_ROLE_DATA  = 1 << 3,
} SigmaToolRole;

/**
 * SigmaValueType:
 * @SIGMA_VALUE_TYPE_ANY: any JSON value
 * @SIGMA_VALUE_TYPE_STRING: a JSON string
 * @SIGMA_VALUE_TYPE_INTEGER: a JSON number without a fractional part
 * @SIGMA_VALUE_TYPE_NUMBER: any JSON number
 * @SIGMA_VALUE_TYPE_BOOLEAN: `true` or `false`
 * @SIGMA_VALUE_TYPE_ARRAY: a JSON array
 * @SIGMA_VALUE_TYPE_OBJECT: a JSON object
 *
 * The declared type of a tool parameter.
 */
typedef enum {
  SIGMA_VALUE_TYPE_ANY,
  SIGMA_VALUE_TYPE_STRING,
  SIGMA_VALUE_TYPE_INTEGER,
  SIGMA_VALUE_TYPE_NUMBER,
  SIGMA_VALUE_TYPE_BOOLEAN,
  SIGMA_VALUE_TYPE_ARRAY,
  SIGMA_VALUE_TYPE_OBJECT,
} SigmaValueType;

/**
 * SigmaConditionFunc:
 * @env: the environment
 * @user_data: data passed when the callback was set
 *
 * A predicate over the environment state, used by condition events, milestones and
 * minefields of #SigmaValidationEvent.
 *
 * Returns: whether the condition holds
 */
typedef gboolean (*SigmaConditionFunc) (SigmaEnvironment *env,
                                        gpointer          user_data);

/**
 * SigmaAgentCheckFunc:
 * @env: the environment
 * @event: the AGENT event that was just logged
 * @user_data: data passed when the callback was set
 *
 * A predicate over one agent action, used by #SigmaAgentValidationEvent.
 *
 * Returns: whether the check holds for @event
 */
typedef gboolean (*SigmaAgentCheckFunc) (SigmaEnvironment    *env,
                                         SigmaCompletedEvent *event,
                                         gpointer             user_data);

/**
 * SIGMA_TIMEOUT_NONE:
 *
 * A timeout value meaning "never time out".
 */
#define SIGMA_TIMEOUT_NONE (-1)

/**
 * SIGMA_DURATION_UNLIMITED:
 *
 * A duration value meaning "no simulated time limit".
 */
#define SIGMA_DURATION_UNLIMITED (-1) /* an integer: g-ir-scanner drops the sign of negative float constants */

G_END_DECLS
