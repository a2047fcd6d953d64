/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sigma-types.h"
#include "sigma-app.h"
#include "sigma-completed-event.h"
#include "sigma-environment.h"
#include "sigma-event.h"
#include "sigma-scenario-registry.h"

G_BEGIN_DECLS

/*
 * Shared by the built-in scenarios (scenarios/builtin/): building their apps and events,
 * and reading a finished run's log and app state in their validate().
 */

/* App state literals. Every member the importers read is given, as an ARE export writes it. */
#define SIGMA_BUILTIN_CONTACT(id, first, last, gender, age, job, city, phone, email) \
  "\"" id "\": {\"first_name\": \"" first "\", \"last_name\": \"" last "\", \"contact_id\": \"" id "\"," \
  " \"is_user\": false, \"gender\": \"" gender "\", \"age\": " #age ", \"nationality\": null," \
  " \"city_living\": \"" city "\", \"country\": null, \"status\": \"Employed\", \"job\": \"" job "\"," \
  " \"description\": null, \"phone\": \"" phone "\", \"email\": \"" email "\", \"address\": null}"

#define SIGMA_BUILTIN_EMAIL(id, sender, recipient, subject, content, timestamp) \
  "{\"sender\": \"" sender "\", \"recipients\": [\"" recipient "\"], \"subject\": \"" subject "\"," \
  " \"content\": \"" content "\", \"email_id\": \"" id "\", \"parent_id\": null, \"cc\": []," \
  " \"attachments\": {}, \"timestamp\": " #timestamp ", \"is_read\": true}"

#define SIGMA_BUILTIN_CALENDAR_EVENT(id, title, start, end, location, attendees) \
  "\"" id "\": {\"event_id\": \"" id "\", \"title\": \"" title "\", \"start_datetime\": " #start "," \
  " \"end_datetime\": " #end ", \"tag\": null, \"description\": null, \"location\": \"" location "\"," \
  " \"attendees\": " attendees ", \"start_strftime\": null, \"end_strftime\": null}"

#define SIGMA_BUILTIN_MESSAGE(id, sender, timestamp, content) \
  "{\"sender_id\": \"" sender "\", \"message_id\": \"" id "\", \"timestamp\": " #timestamp ", \"content\": \"" content "\"}"

/* The name of the user–agent app, as ARE scenarios spell it. */
#define SIGMA_BUILTIN_AUI "AgentUserInterface"

void        sigma_builtin_configure          (SigmaScenario     *scenario,
                                              gdouble            start_time,
                                              gdouble            duration,
                                              guint64            seed,
                                              const char * const *tags,
                                              const char * const *hints);
gboolean    sigma_builtin_add_app            (SigmaEnvironment  *env,
                                              SigmaApp          *app,
                                              const char        *state_json,
                                              GError           **error);

/*
 * A plan collects a scenario's events and the first error made while building them, so
 * build_events reads as the timeline it describes. Every function does nothing and returns
 * NULL once an error is set; sigma_builtin_plan_schedule() reports it.
 */
typedef struct
{
  GPtrArray *events;   /* (element-type SigmaEvent) (owned) */
  GError    *error;    /* (nullable) (owned): the first failure */
} SigmaBuiltinPlan;

void        sigma_builtin_plan_init          (SigmaBuiltinPlan  *plan);
void        sigma_builtin_plan_clear         (SigmaBuiltinPlan  *plan);
SigmaEvent *sigma_builtin_plan_add           (SigmaBuiltinPlan  *plan,
                                              SigmaEvent        *event,
                                              const char        *event_id,
                                              SigmaEvent        *after,
                                              gdouble            delay);
SigmaEvent *sigma_builtin_plan_action        (SigmaBuiltinPlan  *plan,
                                              SigmaEventType     event_type,
                                              const char        *event_id,
                                              const char        *app_name,
                                              const char        *function,
                                              const char        *args_json,
                                              SigmaEvent        *after,
                                              gdouble            delay);
SigmaEvent *sigma_builtin_plan_oracle        (SigmaBuiltinPlan  *plan,
                                              const char        *event_id,
                                              const char        *app_name,
                                              const char        *function,
                                              const char        *args_json,
                                              SigmaEvent        *after,
                                              gdouble            delay);
SigmaEvent *sigma_builtin_plan_user_message  (SigmaBuiltinPlan  *plan,
                                              const char        *event_id,
                                              const char        *content,
                                              SigmaEvent        *after,
                                              gdouble            delay);
SigmaEvent *sigma_builtin_plan_reply_to_user (SigmaBuiltinPlan  *plan,
                                              const char        *event_id,
                                              const char        *content,
                                              SigmaEvent        *after,
                                              gdouble            delay);
SigmaEvent *sigma_builtin_plan_condition     (SigmaBuiltinPlan  *plan,
                                              const char        *event_id,
                                              SigmaConditionFunc func,
                                              gpointer           user_data,
                                              guint              every_ticks,
                                              SigmaEvent        *after,
                                              gdouble            delay);
void        sigma_builtin_plan_also_after    (SigmaBuiltinPlan  *plan,
                                              SigmaEvent        *event,
                                              SigmaEvent        *parent);
gboolean    sigma_builtin_plan_schedule      (SigmaBuiltinPlan  *plan,
                                              SigmaEnvironment  *env,
                                              GError           **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SigmaBuiltinPlan, sigma_builtin_plan_clear)

gboolean    sigma_builtin_add_assistant_apps (SigmaEnvironment  *env,
                                              GError           **error);

/* Reading a run */
gboolean    sigma_builtin_event_time         (SigmaEnvironment  *env,
                                              const char        *event_id,
                                              gdouble           *time);
GPtrArray  *sigma_builtin_replies_since      (SigmaEnvironment  *env,
                                              gdouble            since);
gboolean    sigma_builtin_user_posted        (SigmaEnvironment  *env,
                                              const char        *app_name,
                                              const char        *conversation_id,
                                              const char        *participant_id,
                                              gdouble            since,
                                              GError           **error);
JsonObject *sigma_builtin_calendar_events    (SigmaEnvironment  *env,
                                              GError           **error);
char       *sigma_builtin_quote_all          (GPtrArray         *strings);
GPtrArray  *sigma_builtin_agent_calls        (SigmaEnvironment  *env,
                                              const char        *app_name,
                                              const char        *function);
GPtrArray  *sigma_builtin_agent_writes       (SigmaEnvironment  *env);
guint       sigma_builtin_count_agent_calls  (SigmaEnvironment  *env,
                                              const char        *app_name,
                                              const char        *function);
const char *sigma_builtin_arg_string         (SigmaCompletedEvent *event,
                                              const char        *name);
GPtrArray  *sigma_builtin_arg_strings        (SigmaCompletedEvent *event,
                                              const char        *name);
gboolean    sigma_builtin_strings_contain    (GPtrArray         *strings,
                                              const char        *value);
gboolean    sigma_builtin_any_contains_casefold (GPtrArray      *strings,
                                              const char        *needle);
GPtrArray  *sigma_builtin_email_addressees   (SigmaCompletedEvent *event);
void        sigma_builtin_describe_event     (GString           *found,
                                              JsonObject        *event);
char       *sigma_builtin_join               (GPtrArray         *strings);
gboolean    sigma_builtin_contains_casefold  (const char        *haystack,
                                              const char        *needle);
JsonObject *sigma_builtin_app_state          (SigmaEnvironment  *env,
                                              const char        *app_name,
                                              const char        *member,
                                              GError           **error);

/* The registration functions, one per scenario file. */
gboolean    sigma_builtin_register_tutorial_contact_email (SigmaScenarioRegistry *registry, GError **error);
gboolean    sigma_builtin_register_tutorial_event_flow    (SigmaScenarioRegistry *registry, GError **error);
gboolean    sigma_builtin_register_tutorial_milestones    (SigmaScenarioRegistry *registry, GError **error);
gboolean    sigma_builtin_register_tutorial_find_file     (SigmaScenarioRegistry *registry, GError **error);
gboolean    sigma_builtin_register_reschedule_meeting     (SigmaScenarioRegistry *registry, GError **error);
gboolean    sigma_builtin_register_order_within_budget    (SigmaScenarioRegistry *registry, GError **error);
gboolean    sigma_builtin_register_group_climbing_plan    (SigmaScenarioRegistry *registry, GError **error);

G_END_DECLS
