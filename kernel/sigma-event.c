/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-enum-types.h"
#include "sigma-event-private.h"

/**
 * SigmaEvent:
 *
 * The abstract base of everything that can be scheduled in a #SigmaEnvironment: actions
 * (#SigmaActionEvent), oracle actions (#SigmaOracleEvent), conditions
 * (#SigmaConditionEvent), validators (#SigmaValidationEvent,
 * #SigmaAgentValidationEvent) and stop requests (#SigmaStopEvent).
 *
 * An event has an id, a type, a relative delay and optionally an absolute time, and links
 * to the events it depends on and to its successors. `depends_on` and `followed_by` are the
 * same link seen from either end; both ends record it. An event without dependencies runs at
 * the start of the run plus its delay; an event with dependencies runs when all of them have
 * completed, at the latest of their times plus its delay. See doc/kernel.md for the exact
 * rules.
 *
 * Since: 0.1
 */

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SigmaEvent, sigma_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EVENT_ID,
  PROP_EVENT_TYPE,
  PROP_DELAY,
  PROP_EVENT_TIME,
  PROP_HAS_EVENT_TIME,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gint sigma_event_private_offset;

void
sigma_event_set_kind (SigmaEvent     *self,
                      SigmaEventKind  kind,
                      SigmaEventType  type)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  priv->kind = kind;
  priv->type = type;
}

void
sigma_event_take_id (SigmaEvent *self,
                     GRefString *id)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  g_clear_pointer (&priv->id, g_ref_string_release);
  priv->id = id;
}

const char *
sigma_event_type_name (SigmaEventType type)
{
  switch (type)
    {
    case SIGMA_EVENT_TYPE_AGENT: return "AGENT";
    case SIGMA_EVENT_TYPE_ENV: return "ENV";
    case SIGMA_EVENT_TYPE_USER: return "USER";
    case SIGMA_EVENT_TYPE_CONDITION: return "CONDITION";
    case SIGMA_EVENT_TYPE_VALIDATION: return "VALIDATION";
    case SIGMA_EVENT_TYPE_STOP: return "STOP";
    default: return "UNKNOWN";
    }
}

/* "<Class>-<TYPE>", as ARE names its events, for every kind and type: static strings, so a
 * queue entry can point at them. */
#define PREFIX_ROW(klass) \
  { klass "-AGENT", klass "-ENV", klass "-USER", klass "-CONDITION", klass "-VALIDATION", klass "-STOP" }
static const char * const id_prefixes[][6] = {
  [SIGMA_EVENT_KIND_ACTION] = PREFIX_ROW ("Event"),
  [SIGMA_EVENT_KIND_ORACLE] = PREFIX_ROW ("OracleEvent"),
  [SIGMA_EVENT_KIND_CONDITION] = PREFIX_ROW ("ConditionCheckEvent"),
  [SIGMA_EVENT_KIND_VALIDATION] = PREFIX_ROW ("ValidationEvent"),
  [SIGMA_EVENT_KIND_AGENT_VALIDATION] = PREFIX_ROW ("AgentValidationEvent"),
  [SIGMA_EVENT_KIND_STOP] = PREFIX_ROW ("StopEvent"),
};
#undef PREFIX_ROW

const char *
sigma_event_id_prefix (SigmaEvent *self)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  g_assert (priv->kind < G_N_ELEMENTS (id_prefixes) && priv->type < 6);
  return id_prefixes[priv->kind][priv->type];
}

/* "<prefix>-<number>", the number zero-padded to 8 digits so that ids of one prefix sort as
 * their numbers do. Returns the length. */
gsize
sigma_format_generated_id (char       *buf,
                           gsize       size,
                           const char *prefix,
                           guint64     number)
{
  char digits[24];
  gsize nd = 0, plen = strlen (prefix), pos;

  do
    {
      digits[nd++] = (char) ('0' + number % 10);
      number /= 10;
    }
  while (number > 0);
  while (nd < 8)
    digits[nd++] = '0';

  g_assert (plen + 1 + nd + 1 <= size);
  memcpy (buf, prefix, plen);
  pos = plen;
  buf[pos++] = '-';
  while (nd > 0)
    buf[pos++] = digits[--nd];
  buf[pos] = '\0';
  return pos;
}

/* The id, building a generated one on first use. */
GRefString *
sigma_event_ensure_id (SigmaEvent *self)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  if (priv->id == NULL && priv->id_number != 0)
    {
      char buf[96];

      sigma_format_generated_id (buf, sizeof buf, sigma_event_id_prefix (self), priv->id_number);
      priv->id = g_ref_string_new (buf);
    }
  return priv->id;
}

void
sigma_event_set_status (SigmaEvent       *self,
                        SigmaEventStatus  status)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  priv->status = status;
}

static gboolean
ptr_array_contains (SigmaEvent **array,
                    guint        len,
                    SigmaEvent  *event)
{
  for (guint i = 0; i < len; i++)
    if (array[i] == event)
      return TRUE;
  return FALSE;
}

/* Most events have one parent and one successor: a single link lives in @inline_slot, and a
 * heap array doubling in size takes over from the second. A million events must stay well
 * under a KiB each. */
static void
ptr_array_append (SigmaEvent ***array,
                  guint        *len,
                  SigmaEvent  **inline_slot,
                  SigmaEvent   *event)
{
  guint n = *len;

  if (n == 0)
    *array = inline_slot;
  else if (n == 1)
    {
      SigmaEvent **heap = g_new (SigmaEvent *, 2);
      heap[0] = (*array)[0];
      *array = heap;
    }
  else if ((n & (n - 1)) == 0)
    *array = g_renew (SigmaEvent *, *array, n * 2);
  (*array)[n] = event;
  *len = n + 1;
}

static void
ptr_array_free (SigmaEvent ***array,
                guint        *len,
                SigmaEvent  **inline_slot)
{
  if (*array != inline_slot)
    g_free (*array);
  *array = NULL;
  *len = 0;
}

static void
ptr_array_remove (SigmaEvent ***array,
                  guint        *len,
                  SigmaEvent  **inline_slot,
                  SigmaEvent   *event)
{
  SigmaEvent **items = *array;

  for (guint i = 0; i < *len; i++)
    if (items[i] == event)
      {
        memmove (&items[i], &items[i + 1], (*len - i - 1) * sizeof (SigmaEvent *));
        (*len)--;
        break;
      }

  /* back to the inline slot, so that append's invariants hold */
  if (items != inline_slot && *len <= 1)
    {
      *inline_slot = *len == 1 ? items[0] : NULL;
      g_free (items);
      *array = *len == 1 ? inline_slot : NULL;
    }
  else if (*len == 0)
    *array = NULL;
}

void
sigma_event_link_internal (SigmaEvent *parent,
                           SigmaEvent *child)
{
  SigmaEventPrivate *ppriv = sigma_event_get_priv (parent);
  SigmaEventPrivate *cpriv = sigma_event_get_priv (child);

  if (ptr_array_contains (cpriv->deps, cpriv->n_deps, parent))
    return;

  ptr_array_append (&cpriv->deps, &cpriv->n_deps, &cpriv->dep_inline, parent);
  ptr_array_append (&ppriv->succs, &ppriv->n_succs, &ppriv->succ_inline, g_object_ref (child));
}

/* Removes the link parent → child; drops the parent's reference to @child. */
void
sigma_event_unlink_internal (SigmaEvent *parent,
                             SigmaEvent *child)
{
  SigmaEventPrivate *ppriv = sigma_event_get_priv (parent);
  SigmaEventPrivate *cpriv = sigma_event_get_priv (child);

  if (!ptr_array_contains (cpriv->deps, cpriv->n_deps, parent))
    return;
  ptr_array_remove (&cpriv->deps, &cpriv->n_deps, &cpriv->dep_inline, parent);
  ptr_array_remove (&ppriv->succs, &ppriv->n_succs, &ppriv->succ_inline, child);
  g_object_unref (child);
}

void
sigma_event_clear_dep_ids (SigmaEvent *self)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  g_clear_pointer (&priv->dep_ids, g_strfreev);
}

static void
sigma_event_dispose (GObject *object)
{
  SigmaEvent *self = SIGMA_EVENT (object);
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  /* Successors outlive us only if somebody else holds them; they lose this dependency. */
  for (guint i = 0; i < priv->n_succs; i++)
    {
      SigmaEvent *child = priv->succs[i];
      SigmaEventPrivate *cpriv = sigma_event_get_priv (child);

      ptr_array_remove (&cpriv->deps, &cpriv->n_deps, &cpriv->dep_inline, self);
      if (cpriv->status == SIGMA_EVENT_STATUS_NEW)
        cpriv->lost_deps++;
      g_object_unref (child);
    }
  ptr_array_free (&priv->succs, &priv->n_succs, &priv->succ_inline);

  G_OBJECT_CLASS (sigma_event_parent_class)->dispose (object);
}

static void
sigma_event_finalize (GObject *object)
{
  SigmaEvent *self = SIGMA_EVENT (object);
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  g_clear_pointer (&priv->id, g_ref_string_release);
  ptr_array_free (&priv->deps, &priv->n_deps, &priv->dep_inline);
  sigma_event_clear_dep_ids (self);

  G_OBJECT_CLASS (sigma_event_parent_class)->finalize (object);
}

static void
sigma_event_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SigmaEvent *self = SIGMA_EVENT (object);
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  switch (prop_id)
    {
    case PROP_EVENT_ID:
      g_value_set_string (value, sigma_event_ensure_id (self));
      break;
    case PROP_EVENT_TYPE:
      g_value_set_enum (value, priv->type);
      break;
    case PROP_DELAY:
      g_value_set_double (value, priv->delay);
      break;
    case PROP_EVENT_TIME:
      g_value_set_double (value, priv->has_time ? priv->time : 0.0);
      break;
    case PROP_HAS_EVENT_TIME:
      g_value_set_boolean (value, priv->has_time);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, priv->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_event_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SigmaEvent *self = SIGMA_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVENT_ID:
      sigma_event_set_event_id (self, g_value_get_string (value));
      break;
    case PROP_DELAY:
      sigma_event_set_delay (self, g_value_get_double (value));
      break;
    case PROP_EVENT_TIME:
      sigma_event_set_event_time (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sigma_event_class_init (SigmaEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  sigma_event_private_offset = SigmaEvent_private_offset;

  object_class->dispose = sigma_event_dispose;
  object_class->finalize = sigma_event_finalize;
  object_class->get_property = sigma_event_get_property;
  object_class->set_property = sigma_event_set_property;

  /**
   * SigmaEvent:event-id:
   *
   * The event id. An event scheduled without an id gets a deterministic one.
   */
  properties[PROP_EVENT_ID] =
    g_param_spec_string ("event-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEvent:event-type:
   *
   * Who causes the event.
   */
  properties[PROP_EVENT_TYPE] =
    g_param_spec_enum ("event-type", NULL, NULL,
                       SIGMA_TYPE_EVENT_TYPE, SIGMA_EVENT_TYPE_ENV,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEvent:delay:
   *
   * Seconds after the latest dependency (after the start for a root event). Must be ≥ 0;
   * a negative value is refused when the event is scheduled.
   */
  properties[PROP_DELAY] =
    g_param_spec_double ("delay", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEvent:event-time:
   *
   * The absolute time of the event, when set (see #SigmaEvent:has-event-time). Once the
   * event is released it holds the time it is (or was) due.
   */
  properties[PROP_EVENT_TIME] =
    g_param_spec_double ("event-time", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEvent:has-event-time:
   *
   * Whether #SigmaEvent:event-time holds a time.
   */
  properties[PROP_HAS_EVENT_TIME] =
    g_param_spec_boolean ("has-event-time", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SigmaEvent:status:
   *
   * Where the event is in its life cycle.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       SIGMA_TYPE_EVENT_STATUS, SIGMA_EVENT_STATUS_NEW,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sigma_event_init (SigmaEvent *self)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (self);

  priv->type = SIGMA_EVENT_TYPE_ENV;
  priv->status = SIGMA_EVENT_STATUS_NEW;
}

/**
 * sigma_event_get_event_id:
 * @self: a #SigmaEvent
 *
 * Returns: (nullable): the id, %NULL until one is set or the event is scheduled
 */
const char *
sigma_event_get_event_id (SigmaEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), NULL);

  return sigma_event_ensure_id (self);
}

/**
 * sigma_event_set_event_id:
 * @self: a #SigmaEvent that is not scheduled yet
 * @event_id: (nullable): the id
 *
 * Sets the id. Ids are unique within an environment.
 */
void
sigma_event_set_event_id (SigmaEvent *self,
                          const char *event_id)
{
  SigmaEventPrivate *priv;

  g_return_if_fail (SIGMA_IS_EVENT (self));
  priv = sigma_event_get_priv (self);
  g_return_if_fail (priv->status == SIGMA_EVENT_STATUS_NEW);

  if (g_strcmp0 (priv->id, event_id) == 0)
    return;
  sigma_event_take_id (self, event_id != NULL ? g_ref_string_new (event_id) : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_ID]);
}

/**
 * sigma_event_get_event_type:
 * @self: a #SigmaEvent
 *
 * Returns: who causes the event
 */
SigmaEventType
sigma_event_get_event_type (SigmaEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), SIGMA_EVENT_TYPE_ENV);

  return sigma_event_get_priv (self)->type;
}

/**
 * sigma_event_get_delay:
 * @self: a #SigmaEvent
 *
 * Returns: the delay in seconds
 */
gdouble
sigma_event_get_delay (SigmaEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), 0.0);

  return sigma_event_get_priv (self)->delay;
}

/**
 * sigma_event_set_delay:
 * @self: a #SigmaEvent that is not scheduled yet
 * @delay: seconds after the latest dependency (or the start), ≥ 0
 *
 * Sets the relative delay. A negative delay is refused when the event is scheduled.
 */
void
sigma_event_set_delay (SigmaEvent *self,
                       gdouble     delay)
{
  SigmaEventPrivate *priv;

  g_return_if_fail (SIGMA_IS_EVENT (self));
  priv = sigma_event_get_priv (self);
  g_return_if_fail (priv->status == SIGMA_EVENT_STATUS_NEW);

  if (priv->delay == delay)
    return;
  priv->delay = delay;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
}

/**
 * sigma_event_has_event_time:
 * @self: a #SigmaEvent
 *
 * Returns: whether the event has an absolute time, given or computed
 */
gboolean
sigma_event_has_event_time (SigmaEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), FALSE);

  return sigma_event_get_priv (self)->has_time;
}

/**
 * sigma_event_get_event_time:
 * @self: a #SigmaEvent
 *
 * The absolute time given with sigma_event_set_event_time(), or the time computed when the
 * event was released.
 *
 * Returns: the time, or 0 when the event has none (see sigma_event_has_event_time())
 */
gdouble
sigma_event_get_event_time (SigmaEvent *self)
{
  SigmaEventPrivate *priv;

  g_return_val_if_fail (SIGMA_IS_EVENT (self), 0.0);
  priv = sigma_event_get_priv (self);

  return priv->has_time ? priv->time : 0.0;
}

/**
 * sigma_event_set_event_time:
 * @self: a #SigmaEvent that is not scheduled yet
 * @event_time: seconds since the Unix epoch
 *
 * Gives the event an absolute time, used instead of its delay.
 */
void
sigma_event_set_event_time (SigmaEvent *self,
                            gdouble     event_time)
{
  SigmaEventPrivate *priv;

  g_return_if_fail (SIGMA_IS_EVENT (self));
  priv = sigma_event_get_priv (self);
  g_return_if_fail (priv->status == SIGMA_EVENT_STATUS_NEW);

  priv->time = event_time;
  priv->has_time = TRUE;
  priv->time_absolute = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_TIME]);
}

/**
 * sigma_event_unset_event_time:
 * @self: a #SigmaEvent that is not scheduled yet
 *
 * Removes an absolute time set with sigma_event_set_event_time().
 */
void
sigma_event_unset_event_time (SigmaEvent *self)
{
  SigmaEventPrivate *priv;

  g_return_if_fail (SIGMA_IS_EVENT (self));
  priv = sigma_event_get_priv (self);
  g_return_if_fail (priv->status == SIGMA_EVENT_STATUS_NEW);

  if (!priv->has_time)
    return;
  priv->has_time = FALSE;
  priv->time_absolute = FALSE;
  priv->time = 0.0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_TIME]);
}

/**
 * sigma_event_get_time_is_absolute:
 * @self: a #SigmaEvent
 *
 * Returns: whether the event's time was given as an absolute time
 */
gboolean
sigma_event_get_time_is_absolute (SigmaEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), FALSE);

  return sigma_event_get_priv (self)->time_absolute;
}

/**
 * sigma_event_get_status:
 * @self: a #SigmaEvent
 *
 * Returns: where the event is in its life cycle
 */
SigmaEventStatus
sigma_event_get_status (SigmaEvent *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), SIGMA_EVENT_STATUS_NEW);

  return sigma_event_get_priv (self)->status;
}

/**
 * sigma_event_depends_on:
 * @self: a #SigmaEvent that is not scheduled yet
 * @parent: the event @self waits for
 *
 * Makes @self run after @parent (and after all its other dependencies), @self's delay
 * later. The link is recorded on both events; linking twice is harmless.
 *
 * Returns: (transfer none): @self, for chaining
 */
SigmaEvent *
sigma_event_depends_on (SigmaEvent *self,
                        SigmaEvent *parent)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), NULL);
  g_return_val_if_fail (SIGMA_IS_EVENT (parent), self);
  g_return_val_if_fail (self != parent, self);
  g_return_val_if_fail (sigma_event_get_priv (self)->status == SIGMA_EVENT_STATUS_NEW, self);

  sigma_event_link_internal (parent, self);
  return self;
}

/**
 * sigma_event_followed_by:
 * @self: a #SigmaEvent
 * @child: a #SigmaEvent that is not scheduled yet, to run after @self
 *
 * The same link as sigma_event_depends_on() (@child, @self).
 *
 * Returns: (transfer none): @self, for chaining
 */
SigmaEvent *
sigma_event_followed_by (SigmaEvent *self,
                         SigmaEvent *child)
{
  g_return_val_if_fail (SIGMA_IS_EVENT (self), NULL);
  g_return_val_if_fail (SIGMA_IS_EVENT (child), self);

  sigma_event_depends_on (child, self);
  return self;
}

/**
 * sigma_event_add_dependency_id:
 * @self: a #SigmaEvent that is not scheduled yet
 * @event_id: the id of an event @self depends on
 *
 * Makes @self depend on the event with id @event_id. The id is resolved when @self is
 * scheduled, against the events scheduled with it and before it; an unknown id is a
 * %SIGMA_ERROR_UNKNOWN_DEPENDENCY then.
 */
void
sigma_event_add_dependency_id (SigmaEvent *self,
                               const char *event_id)
{
  SigmaEventPrivate *priv;
  guint n;

  g_return_if_fail (SIGMA_IS_EVENT (self));
  g_return_if_fail (event_id != NULL);
  priv = sigma_event_get_priv (self);
  g_return_if_fail (priv->status == SIGMA_EVENT_STATUS_NEW);

  n = priv->dep_ids != NULL ? g_strv_length (priv->dep_ids) : 0;
  priv->dep_ids = g_renew (char *, priv->dep_ids, n + 2);
  priv->dep_ids[n] = g_strdup (event_id);
  priv->dep_ids[n + 1] = NULL;
}

static GPtrArray *
to_ptr_array (SigmaEvent **events,
              guint        len)
{
  GPtrArray *result = g_ptr_array_new_full (len, g_object_unref);

  for (guint i = 0; i < len; i++)
    g_ptr_array_add (result, g_object_ref (events[i]));
  return result;
}

/**
 * sigma_event_get_dependencies:
 * @self: a #SigmaEvent
 *
 * Returns: (transfer container) (element-type SigmaEvent): the events @self depends on
 */
GPtrArray *
sigma_event_get_dependencies (SigmaEvent *self)
{
  SigmaEventPrivate *priv;

  g_return_val_if_fail (SIGMA_IS_EVENT (self), NULL);
  priv = sigma_event_get_priv (self);

  return to_ptr_array (priv->deps, priv->n_deps);
}

/**
 * sigma_event_get_successors:
 * @self: a #SigmaEvent
 *
 * Returns: (transfer container) (element-type SigmaEvent): the events that depend on @self
 */
GPtrArray *
sigma_event_get_successors (SigmaEvent *self)
{
  SigmaEventPrivate *priv;

  g_return_val_if_fail (SIGMA_IS_EVENT (self), NULL);
  priv = sigma_event_get_priv (self);

  return to_ptr_array (priv->succs, priv->n_succs);
}

/**
 * sigma_event_dup_dependency_ids:
 * @self: a #SigmaEvent
 *
 * The ids of the events @self depends on: linked events that have an id, then the ids
 * added with sigma_event_add_dependency_id() that are not resolved yet.
 *
 * Returns: (transfer full): the ids
 */
GStrv
sigma_event_dup_dependency_ids (SigmaEvent *self)
{
  SigmaEventPrivate *priv;
  GStrvBuilder *builder;
  GStrv result;

  g_return_val_if_fail (SIGMA_IS_EVENT (self), NULL);
  priv = sigma_event_get_priv (self);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < priv->n_deps; i++)
    {
      const char *id = sigma_event_ensure_id (priv->deps[i]);
      if (id != NULL)
        g_strv_builder_add (builder, id);
    }
  for (guint i = 0; priv->dep_ids != NULL && priv->dep_ids[i] != NULL; i++)
    g_strv_builder_add (builder, priv->dep_ids[i]);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return result;
}
