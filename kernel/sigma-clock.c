/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "sigma-clock.h"

/**
 * SigmaClock:
 *
 * Simulated time, in seconds since the Unix epoch.
 *
 * The clock only moves when told to (sigma_clock_set_time(), sigma_clock_advance()), never
 * backwards, and never reads the wall clock. A paused clock refuses to move. The environment
 * owns one clock and sets it to each event's time before running the event.
 *
 * Since: 0.1
 */

typedef struct
{
  gdouble  time;
  gboolean paused;
} SigmaClockPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (SigmaClock, sigma_clock, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gdouble
sigma_clock_real_get_time (SigmaClock *self)
{
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);

  return priv->time;
}

static void
sigma_clock_real_set_time (SigmaClock *self,
                           gdouble     time)
{
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);

  priv->time = time;
}

static void
sigma_clock_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SigmaClock *self = SIGMA_CLOCK (object);
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_double (value, sigma_clock_get_time (self));
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, priv->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_clock_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SigmaClock *self = SIGMA_CLOCK (object);
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TIME:
      /* construct-only: the start of time */
      priv->time = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_clock_class_init (SigmaClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sigma_clock_get_property;
  object_class->set_property = sigma_clock_set_property;

  klass->get_time = sigma_clock_real_get_time;
  klass->set_time = sigma_clock_real_set_time;

  /**
   * SigmaClock:time:
   *
   * The current simulated time in seconds since the Unix epoch. Set at construction; moves
   * with sigma_clock_set_time() and sigma_clock_advance().
   */
  properties[PROP_TIME] =
    g_param_spec_double ("time", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaClock:paused:
   *
   * Whether the clock is paused.
   */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_clock_init (SigmaClock *self)
{
}

/**
 * sigma_clock_new:
 * @start_time: the initial time, in seconds since the Unix epoch
 *
 * Creates a simulated clock.
 *
 * Returns: (transfer full): a new #SigmaClock
 */
SigmaClock *
sigma_clock_new (gdouble start_time)
{
  g_return_val_if_fail (isfinite (start_time) && start_time >= 0.0, NULL);

  return g_object_new (SIGMA_TYPE_CLOCK, "time", start_time, NULL);
}

/**
 * sigma_clock_get_time: (virtual get_time)
 * @self: a #SigmaClock
 *
 * The current simulated time.
 *
 * Returns: seconds since the Unix epoch
 */
gdouble
sigma_clock_get_time (SigmaClock *self)
{
  g_return_val_if_fail (SIGMA_IS_CLOCK (self), 0.0);

  return SIGMA_CLOCK_GET_CLASS (self)->get_time (self);
}

/**
 * sigma_clock_set_time:
 * @self: a #SigmaClock
 * @time: the new time
 *
 * Moves the clock to @time. The clock never moves backwards and does not move while paused.
 *
 * Returns: %TRUE if the clock now shows @time; %FALSE if @time lies in the past, is not
 *   finite, or the clock is paused
 */
gboolean
sigma_clock_set_time (SigmaClock *self,
                      gdouble     time)
{
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);
  gdouble now;

  g_return_val_if_fail (SIGMA_IS_CLOCK (self), FALSE);

  now = sigma_clock_get_time (self);
  if (time == now)
    return TRUE;
  if (priv->paused || !isfinite (time) || time < now)
    return FALSE;

  SIGMA_CLOCK_GET_CLASS (self)->set_time (self, time);
  return TRUE;
}

/**
 * sigma_clock_advance:
 * @self: a #SigmaClock
 * @seconds: how far to move, ≥ 0
 *
 * Moves the clock forward by @seconds.
 *
 * Returns: %TRUE if the clock moved; %FALSE if @seconds is negative or the clock is paused
 */
gboolean
sigma_clock_advance (SigmaClock *self,
                     gdouble     seconds)
{
  g_return_val_if_fail (SIGMA_IS_CLOCK (self), FALSE);

  if (!(seconds >= 0.0))
    return FALSE;

  return sigma_clock_set_time (self, sigma_clock_get_time (self) + seconds);
}

/**
 * sigma_clock_pause:
 * @self: a #SigmaClock
 *
 * Pauses the clock: it refuses to move until sigma_clock_resume().
 */
void
sigma_clock_pause (SigmaClock *self)
{
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);

  g_return_if_fail (SIGMA_IS_CLOCK (self));

  if (priv->paused)
    return;
  priv->paused = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/**
 * sigma_clock_resume:
 * @self: a #SigmaClock
 *
 * Resumes a paused clock.
 */
void
sigma_clock_resume (SigmaClock *self)
{
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);

  g_return_if_fail (SIGMA_IS_CLOCK (self));

  if (!priv->paused)
    return;
  priv->paused = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/**
 * sigma_clock_is_paused:
 * @self: a #SigmaClock
 *
 * Whether the clock is paused.
 *
 * Returns: %TRUE if paused
 */
gboolean
sigma_clock_is_paused (SigmaClock *self)
{
  SigmaClockPrivate *priv = sigma_clock_get_instance_private (self);

  g_return_val_if_fail (SIGMA_IS_CLOCK (self), FALSE);

  return priv->paused;
}
