/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

/**
 * SIGMA_ERROR:
 *
 * The error domain of Sigma.
 */
#define SIGMA_ERROR (sigma_error_quark ())

/**
 * SigmaError:
 * @SIGMA_ERROR_FAILED: a failure without a more specific code
 * @SIGMA_ERROR_INVALID_EVENT: an event is malformed (for instance a negative delay)
 * @SIGMA_ERROR_DUPLICATE_ID: two events (or apps) share an identifier
 * @SIGMA_ERROR_UNKNOWN_DEPENDENCY: an event depends on an event that is not scheduled
 * @SIGMA_ERROR_CYCLE: the dependencies of some events form a cycle
 * @SIGMA_ERROR_UNKNOWN_APP: no app of that name is registered
 * @SIGMA_ERROR_UNKNOWN_TOOL: the app has no tool of that name
 * @SIGMA_ERROR_INVALID_ARGUMENT: a tool argument is missing, unknown or of the wrong type
 * @SIGMA_ERROR_TOOL_FAILED: a tool raised an error while running
 * @SIGMA_ERROR_PLACEHOLDER: an argument placeholder could not be resolved
 * @SIGMA_ERROR_INVALID_STATE: the operation is not allowed in the current state
 * @SIGMA_ERROR_INVALID_DATA: input data (app state, JSON) is malformed
 *
 * Error codes in the %SIGMA_ERROR domain.
 */
typedef enum {
  SIGMA_ERROR_FAILED,
  SIGMA_ERROR_INVALID_EVENT,
  SIGMA_ERROR_DUPLICATE_ID,
  SIGMA_ERROR_UNKNOWN_DEPENDENCY,
  SIGMA_ERROR_CYCLE,
  SIGMA_ERROR_UNKNOWN_APP,
  SIGMA_ERROR_UNKNOWN_TOOL,
  SIGMA_ERROR_INVALID_ARGUMENT,
  SIGMA_ERROR_TOOL_FAILED,
  SIGMA_ERROR_PLACEHOLDER,
  SIGMA_ERROR_INVALID_STATE,
  SIGMA_ERROR_INVALID_DATA,
} SigmaError;

SIGMA_AVAILABLE_IN_ALL
GQuark sigma_error_quark (void);

G_END_DECLS
