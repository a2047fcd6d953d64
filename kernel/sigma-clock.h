/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_CLOCK (sigma_clock_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (SigmaClock, sigma_clock, SIGMA, CLOCK, GObject)

/**
 * SigmaClockClass:
 * @parent_class: the parent class
 * @get_time: returns the current simulated time
 * @set_time: moves the simulated time (never backwards)
 *
 * The class structure of #SigmaClock. Subclasses may map the simulated time onto another
 * time source (for instance a paced wall clock) by overriding both vfuncs.
 */
struct _SigmaClockClass
{
  GObjectClass parent_class;

  gdouble  (*get_time) (SigmaClock *self);
  void     (*set_time) (SigmaClock *self,
                        gdouble     time);

  /*< private >*/
  gpointer padding[12];
};

SIGMA_AVAILABLE_IN_ALL
SigmaClock *sigma_clock_new       (gdouble     start_time) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
gdouble     sigma_clock_get_time  (SigmaClock *self);
SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_clock_set_time  (SigmaClock *self,
                                   gdouble     time);
SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_clock_advance   (SigmaClock *self,
                                   gdouble     seconds);
SIGMA_AVAILABLE_IN_ALL
void        sigma_clock_pause     (SigmaClock *self);
SIGMA_AVAILABLE_IN_ALL
void        sigma_clock_resume    (SigmaClock *self);
SIGMA_AVAILABLE_IN_ALL
gboolean    sigma_clock_is_paused (SigmaClock *self);

G_END_DECLS
