/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-enum-types.h"
#include "sigma-notification-system.h"

/**
 * SigmaNotification:
 *
 * A message for the agent: a user message or a notification that something happened in an
 * app, with the simulated time it was raised. Immutable.
 *
 * Since: 0.1
 */

struct _SigmaNotification
{
  grefcount         ref_count;
  SigmaMessageType  type;
  gdouble           timestamp;
  char             *message;
};

G_DEFINE_BOXED_TYPE (SigmaNotification, sigma_notification, sigma_notification_ref, sigma_notification_unref)

/**
 * sigma_notification_new:
 * @type: the message type
 * @message: the text the agent reads
 * @timestamp: when it was raised
 *
 * Returns: (transfer full): a new #SigmaNotification
 */
SigmaNotification *
sigma_notification_new (SigmaMessageType  type,
                        const char       *message,
                        gdouble           timestamp)
{
  SigmaNotification *self;

  g_return_val_if_fail (message != NULL, NULL);

  self = g_new0 (SigmaNotification, 1);
  g_ref_count_init (&self->ref_count);
  self->type = type;
  self->message = g_strdup (message);
  self->timestamp = timestamp;
  return self;
}

/**
 * sigma_notification_ref:
 * @self: a #SigmaNotification
 *
 * Returns: (transfer full): @self
 */
SigmaNotification *
sigma_notification_ref (SigmaNotification *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * sigma_notification_unref:
 * @self: (transfer full): a #SigmaNotification
 *
 * Releases a reference.
 */
void
sigma_notification_unref (SigmaNotification *self)
{
  g_return_if_fail (self != NULL);
  if (!g_ref_count_dec (&self->ref_count))
    return;
  g_free (self->message);
  g_free (self);
}

/**
 * sigma_notification_get_message_type:
 * @self: a #SigmaNotification
 *
 * Returns: the message type
 */
SigmaMessageType
sigma_notification_get_message_type (SigmaNotification *self)
{
  g_return_val_if_fail (self != NULL, SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION);
  return self->type;
}

/**
 * sigma_notification_get_message:
 * @self: a #SigmaNotification
 *
 * Returns: the text
 */
const char *
sigma_notification_get_message (SigmaNotification *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->message;
}

/**
 * sigma_notification_get_timestamp:
 * @self: a #SigmaNotification
 *
 * Returns: when it was raised
 */
gdouble
sigma_notification_get_timestamp (SigmaNotification *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->timestamp;
}

/**
 * SigmaNotificationSystem:
 *
 * The messages waiting for the agent, ordered by time (and by arrival among equal times),
 * and the verbosity that decides which completed events raise one. The environment asks the
 * app of every completed event for its notification text
 * (#SigmaAppClass.describe_notification) and collects time-triggered ones (due reminders).
 *
 * Since: 0.1
 */

struct _SigmaNotificationSystem
{
  GObject         parent_instance;
  GPtrArray      *pending;     /* SigmaNotification, sorted by timestamp, stable */
  SigmaVerbosity  verbosity;
};

G_DEFINE_FINAL_TYPE (SigmaNotificationSystem, sigma_notification_system, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VERBOSITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sigma_notification_system_finalize (GObject *object)
{
  SigmaNotificationSystem *self = SIGMA_NOTIFICATION_SYSTEM (object);

  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (sigma_notification_system_parent_class)->finalize (object);
}

static void
sigma_notification_system_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  SigmaNotificationSystem *self = SIGMA_NOTIFICATION_SYSTEM (object);

  switch (prop_id)
    {
    case PROP_VERBOSITY:
      g_value_set_enum (value, self->verbosity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_notification_system_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  SigmaNotificationSystem *self = SIGMA_NOTIFICATION_SYSTEM (object);

  switch (prop_id)
    {
    case PROP_VERBOSITY:
      sigma_notification_system_set_verbosity (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_notification_system_class_init (SigmaNotificationSystemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_notification_system_finalize;
  object_class->get_property = sigma_notification_system_get_property;
  object_class->set_property = sigma_notification_system_set_property;

  /**
   * SigmaNotificationSystem:verbosity:
   *
   * Which completed events notify the agent. MEDIUM by default, as ARE's scenario runs.
   */
  properties[PROP_VERBOSITY] =
    g_param_spec_enum ("verbosity", NULL, NULL, SIGMA_TYPE_VERBOSITY, SIGMA_VERBOSITY_MEDIUM,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_notification_system_init (SigmaNotificationSystem *self)
{
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_notification_unref);
  self->verbosity = SIGMA_VERBOSITY_MEDIUM;
}

/**
 * sigma_notification_system_new:
 *
 * Returns: (transfer full): a new #SigmaNotificationSystem at MEDIUM verbosity
 */
SigmaNotificationSystem *
sigma_notification_system_new (void)
{
  return g_object_new (SIGMA_TYPE_NOTIFICATION_SYSTEM, NULL);
}

/**
 * sigma_notification_system_get_verbosity:
 * @self: a #SigmaNotificationSystem
 *
 * Returns: the verbosity
 */
SigmaVerbosity
sigma_notification_system_get_verbosity (SigmaNotificationSystem *self)
{
  g_return_val_if_fail (SIGMA_IS_NOTIFICATION_SYSTEM (self), SIGMA_VERBOSITY_MEDIUM);
  return self->verbosity;
}

/**
 * sigma_notification_system_set_verbosity:
 * @self: a #SigmaNotificationSystem
 * @verbosity: the verbosity
 *
 * Sets which completed events notify the agent.
 */
void
sigma_notification_system_set_verbosity (SigmaNotificationSystem *self,
                                         SigmaVerbosity           verbosity)
{
  g_return_if_fail (SIGMA_IS_NOTIFICATION_SYSTEM (self));

  if (self->verbosity == verbosity)
    return;
  self->verbosity = verbosity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERBOSITY]);
}

/**
 * sigma_notification_system_push:
 * @self: a #SigmaNotificationSystem
 * @notification: a notification
 *
 * Queues a notification, after every pending one of the same or an earlier time.
 */
void
sigma_notification_system_push (SigmaNotificationSystem *self,
                                SigmaNotification       *notification)
{
  guint pos;

  g_return_if_fail (SIGMA_IS_NOTIFICATION_SYSTEM (self));
  g_return_if_fail (notification != NULL);

  pos = self->pending->len;
  while (pos > 0 &&
         ((SigmaNotification *) g_ptr_array_index (self->pending, pos - 1))->timestamp > notification->timestamp)
    pos--;
  g_ptr_array_insert (self->pending, (gint) pos, sigma_notification_ref (notification));
}

/**
 * sigma_notification_system_has_pending:
 * @self: a #SigmaNotificationSystem
 * @until: a time
 *
 * Returns: whether a notification raised at or before @until is waiting
 */
gboolean
sigma_notification_system_has_pending (SigmaNotificationSystem *self,
                                       gdouble                  until)
{
  g_return_val_if_fail (SIGMA_IS_NOTIFICATION_SYSTEM (self), FALSE);

  return self->pending->len > 0 &&
         ((SigmaNotification *) g_ptr_array_index (self->pending, 0))->timestamp <= until;
}

/**
 * sigma_notification_system_take_pending:
 * @self: a #SigmaNotificationSystem
 * @until: a time
 *
 * Removes and returns the notifications raised at or before @until, oldest first.
 *
 * Returns: (transfer container) (element-type SigmaNotification): the notifications
 */
GPtrArray *
sigma_notification_system_take_pending (SigmaNotificationSystem *self,
                                        gdouble                  until)
{
  GPtrArray *result;
  guint n = 0;

  g_return_val_if_fail (SIGMA_IS_NOTIFICATION_SYSTEM (self), NULL);

  while (n < self->pending->len &&
         ((SigmaNotification *) g_ptr_array_index (self->pending, n))->timestamp <= until)
    n++;
  result = g_ptr_array_new_full (n, (GDestroyNotify) sigma_notification_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (result, sigma_notification_ref (g_ptr_array_index (self->pending, i)));
  if (n > 0)
    g_ptr_array_remove_range (self->pending, 0, n);
  return result;
}

/**
 * sigma_notification_system_list_pending:
 * @self: a #SigmaNotificationSystem
 *
 * Returns: (transfer container) (element-type SigmaNotification): every pending notification,
 *   oldest first
 */
GPtrArray *
sigma_notification_system_list_pending (SigmaNotificationSystem *self)
{
  GPtrArray *result;

  g_return_val_if_fail (SIGMA_IS_NOTIFICATION_SYSTEM (self), NULL);

  result = g_ptr_array_new_full (self->pending->len, (GDestroyNotify) sigma_notification_unref);
  for (guint i = 0; i < self->pending->len; i++)
    g_ptr_array_add (result, sigma_notification_ref (g_ptr_array_index (self->pending, i)));
  return result;
}

/**
 * sigma_notification_system_get_n_pending:
 * @self: a #SigmaNotificationSystem
 *
 * Returns: how many notifications are waiting
 */
guint
sigma_notification_system_get_n_pending (SigmaNotificationSystem *self)
{
  g_return_val_if_fail (SIGMA_IS_NOTIFICATION_SYSTEM (self), 0);
  return self->pending->len;
}
