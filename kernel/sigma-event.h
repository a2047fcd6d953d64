/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

/**
 * SigmaEventStatus:
 * @SIGMA_EVENT_STATUS_NEW: not scheduled yet
 * @SIGMA_EVENT_STATUS_WAITING: scheduled, waiting for its dependencies to complete
 * @SIGMA_EVENT_STATUS_QUEUED: in the event queue with a known time
 * @SIGMA_EVENT_STATUS_DONE: ran (or its check succeeded)
 * @SIGMA_EVENT_STATUS_FAILED: ran and failed (tool error, failed validation)
 * @SIGMA_EVENT_STATUS_DROPPED: will never run (a condition that timed out, an oracle
 *   event outside oracle mode)
 *
 * Where an event is in its life cycle.
 */
typedef enum {
  SIGMA_EVENT_STATUS_NEW,
  SIGMA_EVENT_STATUS_WAITING,
  SIGMA_EVENT_STATUS_QUEUED,
  SIGMA_EVENT_STATUS_DONE,
  SIGMA_EVENT_STATUS_FAILED,
  SIGMA_EVENT_STATUS_DROPPED,
} SigmaEventStatus;

#define SIGMA_TYPE_EVENT (sigma_event_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (SigmaEvent, sigma_event, SIGMA, EVENT, GObject)

/**
 * SigmaEventClass:
 * @parent_class: the parent class
 *
 * The class structure of #SigmaEvent. The kinds of events are the final subclasses
 * provided by Sigma; the environment knows how to run each of them.
 */
struct _SigmaEventClass
{
  GObjectClass parent_class;

  /*< private >*/
  gpointer padding[12];
};

SIGMA_AVAILABLE_IN_ALL
const char       *sigma_event_get_event_id        (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_event_set_event_id        (SigmaEvent  *self,
                                                   const char  *event_id);
SIGMA_AVAILABLE_IN_ALL
SigmaEventType    sigma_event_get_event_type      (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_event_get_delay           (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_event_set_delay           (SigmaEvent  *self,
                                                   gdouble      delay);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_event_has_event_time      (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_event_get_event_time      (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_event_set_event_time      (SigmaEvent  *self,
                                                   gdouble      event_time);
SIGMA_AVAILABLE_IN_ALL
void              sigma_event_unset_event_time    (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_event_get_time_is_absolute (SigmaEvent *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEventStatus  sigma_event_get_status          (SigmaEvent  *self);

SIGMA_AVAILABLE_IN_ALL
SigmaEvent       *sigma_event_depends_on          (SigmaEvent  *self,
                                                   SigmaEvent  *parent);
SIGMA_AVAILABLE_IN_ALL
SigmaEvent       *sigma_event_followed_by         (SigmaEvent  *self,
                                                   SigmaEvent  *child);
SIGMA_AVAILABLE_IN_ALL
void              sigma_event_add_dependency_id   (SigmaEvent  *self,
                                                   const char  *event_id);
SIGMA_AVAILABLE_IN_ALL
GPtrArray        *sigma_event_get_dependencies    (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
GPtrArray        *sigma_event_get_successors      (SigmaEvent  *self);
SIGMA_AVAILABLE_IN_ALL
GStrv             sigma_event_dup_dependency_ids  (SigmaEvent  *self);

G_END_DECLS
