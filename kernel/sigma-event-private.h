/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sigma-types.h"
#include "sigma-event.h"
#include "sigma-action-event.h"
#include "sigma-oracle-event.h"
#include "sigma-condition-event.h"
#include "sigma-validation-event.h"
#include "sigma-agent-validation-event.h"
#include "sigma-stop-event.h"
#include "sigma-completed-event.h"

G_BEGIN_DECLS

typedef enum {
  SIGMA_EVENT_KIND_ACTION,
  SIGMA_EVENT_KIND_ORACLE,
  SIGMA_EVENT_KIND_CONDITION,
  SIGMA_EVENT_KIND_VALIDATION,
  SIGMA_EVENT_KIND_AGENT_VALIDATION,
  SIGMA_EVENT_KIND_STOP,
} SigmaEventKind;

/* A predicate: a C callback with user data, or a GClosure. */
typedef struct
{
  char           *name;
  gpointer        func;
  gpointer        user_data;
  GDestroyNotify  destroy;
  GClosure       *closure;
} SigmaCheck;

void     sigma_check_init_func    (SigmaCheck          *check,
                                   const char          *name,
                                   gpointer             func,
                                   gpointer             user_data,
                                   GDestroyNotify       destroy);
void     sigma_check_init_closure (SigmaCheck          *check,
                                   const char          *name,
                                   GClosure            *closure);
void     sigma_check_clear        (SigmaCheck          *check);
gboolean sigma_check_eval_env     (SigmaCheck          *check,
                                   SigmaEnvironment    *env);
gboolean sigma_check_eval_agent   (SigmaCheck          *check,
                                   SigmaEnvironment    *env,
                                   SigmaCompletedEvent *event);
GArray  *sigma_check_array_new    (void);
void     sigma_check_array_add    (GArray              *array,
                                   const char          *kind,
                                   const char          *name,
                                   gpointer             func,
                                   gpointer             user_data,
                                   GDestroyNotify       destroy,
                                   GClosure            *closure);

/* What every event carries; the environment reads and writes it directly.
 *
 * GLib puts the private data just before the instance, so the fields that running an event
 * touches (id, time, successors, status) come last: with the instance that follows (the
 * GObject header and an action's app, function and arguments) they span two cache lines, or
 * three, instead of four. The size is a multiple of 16 (see the static assertion below) so
 * that no padding falls between them and the instance. Events are run in time order, which
 * is random memory order in a large scenario: cache lines per event are what it costs. */
typedef struct
{
  /* set up before scheduling, read while scheduling */
  SigmaEvent       **deps;           /* parents, not owned (they own us through succs) */
  SigmaEvent        *dep_inline;     /* storage for deps while there is one */
  char             **dep_ids;        /* links by id (NULL-terminated), resolved at schedule time */
  SigmaEnvironment  *env;            /* not owned; set while scheduled */
  gdouble            delay;
  gdouble            ready_time;     /* max of the completed parents' times */
  guint              n_deps;
  guint              pending;        /* parents not completed yet */
  guint              lost_deps;      /* parents finalized before scheduling */
  guint              scratch;

  /* touched for every event run */
  SigmaEvent        *succ_inline;    /* storage for succs while there is one */
  SigmaEvent       **succs;          /* successors, owned */
  GRefString        *id;             /* given, or built from id_number on first use */
  guint64            id_number;      /* a generated id not built yet: <prefix>-<number> */
  gdouble            time;           /* absolute time given, or the time computed at release */
  guint              n_succs;
  guint8             kind;           /* SigmaEventKind */
  guint8             type;           /* SigmaEventType */
  guint8             status;         /* SigmaEventStatus */
  guint8             has_time : 1;
  guint8             time_absolute : 1;
  guint8             mark : 1;
  guint8             queued : 1;     /* in a SigmaEventQueue */
} SigmaEventPrivate;

G_STATIC_ASSERT (sizeof (SigmaEventPrivate) % 16 == 0);

/* Where the fields touched for every event run begin. */
#define SIGMA_EVENT_PRIVATE_HOT_OFFSET (G_STRUCT_OFFSET (SigmaEventPrivate, succ_inline))

/* The private data of every event, without a function call: the kernel touches it a dozen
 * times per event. */
extern gint sigma_event_private_offset;

static inline SigmaEventPrivate *
sigma_event_get_priv (SigmaEvent *self)
{
  return (SigmaEventPrivate *) G_STRUCT_MEMBER_P (self, sigma_event_private_offset);
}

void               sigma_event_set_kind       (SigmaEvent     *self,
                                               SigmaEventKind  kind,
                                               SigmaEventType  type);
void               sigma_event_take_id        (SigmaEvent *self,
                                               GRefString *id);
GRefString        *sigma_event_ensure_id      (SigmaEvent *self);
const char        *sigma_event_id_prefix      (SigmaEvent *self);
const char        *sigma_event_type_name      (SigmaEventType type);
gsize              sigma_format_generated_id  (char       *buf,
                                               gsize       size,
                                               const char *prefix,
                                               guint64     number);
void               sigma_event_set_status     (SigmaEvent       *self,
                                               SigmaEventStatus  status);
void               sigma_event_link_internal  (SigmaEvent *parent,
                                               SigmaEvent *child);
void               sigma_event_unlink_internal (SigmaEvent *parent,
                                                SigmaEvent *child);
void               sigma_event_clear_dep_ids  (SigmaEvent *self);

struct _SigmaActionEvent
{
  SigmaEvent  parent_instance;
  const char *app_name;   /* interned */
  const char *function;   /* interned */
  JsonObject *args;
};

struct _SigmaOracleEvent
{
  SigmaEvent           parent_instance;
  const char          *app_name;   /* interned */
  const char          *function;   /* interned */
  JsonObject          *args;
  SigmaTimeComparator  comparator;
};

struct _SigmaConditionEvent
{
  SigmaEvent  parent_instance;
  SigmaCheck  check;
  GRefString *base_id;       /* the id without -CHECK_<k>, set when first queued */
  GRefString *check_id;      /* the id of the next check: <base_id>-CHECK_<count> */
  guint       every_ticks;
  gint        timeout;
  guint       count;
};

struct _SigmaValidationEvent
{
  SigmaEvent  parent_instance;
  GArray     *milestones;   /* SigmaCheck, open ones */
  GArray     *minefields;   /* SigmaCheck */
  GPtrArray  *achieved;     /* names */
  GRefString *base_id;
  guint       every_ticks;
  gint        timeout;
  guint       count;
};

struct _SigmaAgentValidationEvent
{
  SigmaEvent  parent_instance;
  GArray     *milestones;   /* SigmaCheck, open ones */
  GArray     *minefields;   /* SigmaCheck */
  GPtrArray  *achieved;
  gint        timeout;
  gint64      start_tick;
  gboolean    installed;
};

struct _SigmaStopEvent
{
  SigmaEvent parent_instance;
};

/* One immutable empty argument object shared by every action without arguments. */
JsonObject *sigma_empty_args (void);

/* Completed events: built by the environment only. */
SigmaCompletedEvent *sigma_completed_event_new (GRefString         *id,
                                                SigmaEventType      type,
                                                gdouble             time,
                                                const char         *app_name,
                                                const char         *function,
                                                JsonObject         *args,
                                                JsonNode           *return_value,
                                                GError             *error,
                                                gint                operation);

void sigma_completed_event_set_source (SigmaCompletedEvent *self,
                                       SigmaEvent          *source);

/* Queue internals used by the environment. */
/* The sort key of an entry is (time, id); a generated id not built yet is (key = its prefix,
 * number), a built one (key = the id, number = 0). */
typedef struct
{
  gdouble     time;
  const char *key;
  guint64     number;
  SigmaEvent *event;
} SigmaQueueEntry;

void        sigma_event_queue_push_at  (SigmaEventQueue *self,
                                        SigmaEvent      *event,
                                        gdouble          time);
void        sigma_event_queue_push_keyed (SigmaEventQueue *self,
                                          SigmaEvent      *event,
                                          gdouble          time,
                                          const char      *order_key);
gboolean    sigma_event_queue_peek_time (SigmaEventQueue *self,
                                         gdouble         *time);
void        sigma_event_queue_shift_relative (SigmaEventQueue *self,
                                              gdouble          delta);
void        sigma_event_queue_set_borrowed   (SigmaEventQueue *self);
SigmaEvent *sigma_event_queue_pop_internal   (SigmaEventQueue *self);

/* Log internals. */
void        sigma_event_log_append     (SigmaEventLog       *self,
                                        SigmaCompletedEvent *event);

G_END_DECLS
