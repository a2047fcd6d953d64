/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define SIGMA_INSIDE

#include "sigma-version.h"
#include "sigma-version-macros.h"
#include "sigma-types.h"
#include "sigma-enum-types.h"
#include "sigma-error.h"
#include "sigma-utils.h"
#include "sigma-clock.h"
#include "sigma-tool.h"
#include "sigma-app.h"
#include "sigma-completed-event.h"
#include "sigma-event.h"
#include "sigma-action-event.h"
#include "sigma-oracle-event.h"
#include "sigma-condition-event.h"
#include "sigma-validation-event.h"
#include "sigma-agent-validation-event.h"
#include "sigma-stop-event.h"
#include "sigma-event-queue.h"
#include "sigma-event-log.h"
#include "sigma-environment.h"

#undef SIGMA_INSIDE
