/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-event.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_STOP_EVENT (sigma_stop_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaStopEvent, sigma_stop_event, SIGMA, STOP_EVENT, SigmaEvent)

SIGMA_AVAILABLE_IN_ALL
SigmaEvent *sigma_stop_event_new (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
