/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-event-private.h"

/**
 * SigmaStopEvent:
 *
 * Ends the run when it is due: nothing later runs, and the final validation checks decide
 * between STOPPED and FAILED.
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (SigmaStopEvent, sigma_stop_event, SIGMA_TYPE_EVENT)

static void
sigma_stop_event_class_init (SigmaStopEventClass *klass)
{
}

static void
sigma_stop_event_init (SigmaStopEvent *self)
{
  sigma_event_set_kind (SIGMA_EVENT (self), SIGMA_EVENT_KIND_STOP, SIGMA_EVENT_TYPE_STOP);
}

/**
 * sigma_stop_event_new:
 *
 * Creates a stop event.
 *
 * Returns: (transfer full): a new #SigmaStopEvent
 */
SigmaEvent *
sigma_stop_event_new (void)
{
  return g_object_new (SIGMA_TYPE_STOP_EVENT, NULL);
}
