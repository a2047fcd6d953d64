/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include "sigma-types.h"
#include "sigma-tool.h"
#include "sigma-notification-system.h"

G_BEGIN_DECLS

#define SIGMA_TYPE_APP (sigma_app_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (SigmaApp, sigma_app, SIGMA, APP, GObject)

/**
 * SigmaAppClass:
 * @parent_class: the parent class
 * @get_state: returns the app state as ARE `app_state` JSON, or %NULL for a stateless app
 * @load_state: replaces the app state with the given ARE `app_state` JSON
 * @reset: clears the app state
 * @run_tool: runs one tool with validated arguments; the default calls the tool's handler
 * @seed_changed: called after the app's random generator was reseeded
 * @describe_notification: the notification text, if any, that a completed event of this app
 *   raises at the given verbosity (for instance "EmailClientV2: New email received from x");
 *   sets the message type
 * @collect_notifications: adds the time-triggered notifications due at @now (due reminders)
 * @get_next_notification_time: when the next time-triggered notification is due, or a
 *   negative number
 * @app_class_name: the ARE class name (such as "EmailClientV2"), which notification texts
 *   start with; the type name when %NULL
 *
 * The class structure of #SigmaApp.
 */
struct _SigmaAppClass
{
  GObjectClass parent_class;

  JsonNode * (*get_state)    (SigmaApp    *self);
  gboolean   (*load_state)   (SigmaApp    *self,
                              JsonNode    *state,
                              GError     **error);
  void       (*reset)        (SigmaApp    *self);
  JsonNode * (*run_tool)     (SigmaApp    *self,
                              SigmaTool   *tool,
                              JsonObject  *args,
                              GError     **error);
  void       (*seed_changed) (SigmaApp    *self);
  char *     (*describe_notification) (SigmaApp            *self,
                                       SigmaCompletedEvent *event,
                                       SigmaVerbosity       verbosity,
                                       SigmaMessageType    *type);
  void       (*collect_notifications) (SigmaApp    *self,
                                       gdouble      now,
                                       GPtrArray   *notifications);
  gdouble    (*get_next_notification_time) (SigmaApp *self);

  const char *app_class_name;

  /*< private >*/
  gpointer padding[8];
};

SIGMA_AVAILABLE_IN_ALL
const char       *sigma_app_get_name        (SigmaApp    *self);
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_app_get_class_name  (SigmaApp    *self);
SIGMA_AVAILABLE_IN_ALL
SigmaEnvironment *sigma_app_get_environment (SigmaApp    *self);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_app_get_lenient     (SigmaApp    *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_app_set_lenient     (SigmaApp    *self,
                                             gboolean     lenient);
SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_app_get_failure_probability (SigmaApp *self);
SIGMA_AVAILABLE_IN_ALL
void              sigma_app_set_failure_probability (SigmaApp *self,
                                                     gdouble   probability);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_app_draw_failure    (SigmaApp    *self,
                                             SigmaTool   *tool);
SIGMA_AVAILABLE_IN_ALL
gdouble           sigma_app_get_time        (SigmaApp    *self);

SIGMA_AVAILABLE_IN_ALL
void              sigma_app_add_tool        (SigmaApp    *self,
                                             SigmaTool   *tool);
SIGMA_AVAILABLE_IN_ALL
void              sigma_app_add_tool_specs  (SigmaApp            *self,
                                             const SigmaToolSpec *specs,
                                             gsize                n_specs);
SIGMA_AVAILABLE_IN_ALL
SigmaTool        *sigma_app_lookup_tool     (SigmaApp    *self,
                                             const char  *name);
SIGMA_AVAILABLE_IN_ALL
GPtrArray        *sigma_app_list_tools      (SigmaApp    *self,
                                             SigmaToolRole roles);

SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_app_invoke          (SigmaApp    *self,
                                             const char  *tool_name,
                                             JsonObject  *args,
                                             GError     **error);

SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_app_get_state       (SigmaApp    *self);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_app_load_state      (SigmaApp    *self,
                                             JsonNode    *state,
                                             GError     **error);
SIGMA_AVAILABLE_IN_ALL
void              sigma_app_reset           (SigmaApp    *self);

SIGMA_AVAILABLE_IN_ALL
void              sigma_app_set_seed        (SigmaApp    *self,
                                             guint64      seed);
SIGMA_AVAILABLE_IN_ALL
guint64           sigma_app_get_seed        (SigmaApp    *self);
SIGMA_AVAILABLE_IN_ALL
GRand            *sigma_app_get_rand        (SigmaApp    *self);

G_END_DECLS
