/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"

G_BEGIN_DECLS

/**
 * SigmaVerbosity:
 * @SIGMA_VERBOSITY_LOW: only user messages, due reminders and wait timeouts
 * @SIGMA_VERBOSITY_MEDIUM: also incoming emails, messages, order and ride changes, calendar
 *   changes by attendees (ARE's scenario runs)
 * @SIGMA_VERBOSITY_HIGH: also catalogue and listing changes
 *
 * Which completed events notify the agent, as ARE's notification verbosity.
 */
typedef enum {
  SIGMA_VERBOSITY_LOW,
  SIGMA_VERBOSITY_MEDIUM,
  SIGMA_VERBOSITY_HIGH,
} SigmaVerbosity;

/**
 * SigmaMessageType:
 * @SIGMA_MESSAGE_TYPE_USER_MESSAGE: a message from the user
 * @SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION: something happened in an app
 *
 * The kind of a #SigmaNotification.
 */
typedef enum {
  SIGMA_MESSAGE_TYPE_USER_MESSAGE,
  SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION,
} SigmaMessageType;

typedef struct _SigmaNotification SigmaNotification;

#define SIGMA_TYPE_NOTIFICATION (sigma_notification_get_type ())

SIGMA_AVAILABLE_IN_ALL
GType               sigma_notification_get_type      (void) G_GNUC_CONST;
SIGMA_AVAILABLE_IN_ALL
SigmaNotification  *sigma_notification_new           (SigmaMessageType   type,
                                                      const char        *message,
                                                      gdouble            timestamp) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaNotification  *sigma_notification_ref           (SigmaNotification *self);
SIGMA_AVAILABLE_IN_ALL
void                sigma_notification_unref         (SigmaNotification *self);
SIGMA_AVAILABLE_IN_ALL
SigmaMessageType    sigma_notification_get_message_type (SigmaNotification *self);
SIGMA_AVAILABLE_IN_ALL
const char         *sigma_notification_get_message   (SigmaNotification *self);
SIGMA_AVAILABLE_IN_ALL
gdouble             sigma_notification_get_timestamp (SigmaNotification *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SigmaNotification, sigma_notification_unref)

#define SIGMA_TYPE_NOTIFICATION_SYSTEM (sigma_notification_system_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaNotificationSystem, sigma_notification_system, SIGMA, NOTIFICATION_SYSTEM, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaNotificationSystem *sigma_notification_system_new           (void) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaVerbosity           sigma_notification_system_get_verbosity (SigmaNotificationSystem *self);
SIGMA_AVAILABLE_IN_ALL
void                     sigma_notification_system_set_verbosity (SigmaNotificationSystem *self,
                                                                  SigmaVerbosity           verbosity);
SIGMA_AVAILABLE_IN_ALL
void                     sigma_notification_system_push          (SigmaNotificationSystem *self,
                                                                  SigmaNotification       *notification);
SIGMA_AVAILABLE_IN_ALL
gboolean                 sigma_notification_system_has_pending   (SigmaNotificationSystem *self,
                                                                  gdouble                  until);
SIGMA_AVAILABLE_IN_ALL
GPtrArray               *sigma_notification_system_take_pending  (SigmaNotificationSystem *self,
                                                                  gdouble                  until);
SIGMA_AVAILABLE_IN_ALL
GPtrArray               *sigma_notification_system_list_pending  (SigmaNotificationSystem *self);
SIGMA_AVAILABLE_IN_ALL
guint                    sigma_notification_system_get_n_pending (SigmaNotificationSystem *self);

G_END_DECLS
