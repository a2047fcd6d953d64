/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-event-private.h"
#include "sigma-event-queue.h"

/**
 * SigmaEventQueue:
 *
 * The events that are due at a known time, as a min-heap ordered by
 * `(time, event id)`: the earliest first, and events due at the same time in `strcmp` order
 * of their ids, as in ARE. Push and pop are O(log n); contains and remove, which the kernel
 * never needs, are O(n).
 *
 * An event is in at most one queue at a time; the queue holds a reference to it.
 *
 * Since: 0.1
 */

struct _SigmaEventQueue
{
  GObject          parent_instance;
  SigmaQueueEntry *heap;
  guint            len;
  guint            cap;
};

G_DEFINE_FINAL_TYPE (SigmaEventQueue, sigma_event_queue, G_TYPE_OBJECT)

static inline gboolean
entry_less (const SigmaQueueEntry *a,
            const SigmaQueueEntry *b)
{
  if (a->time != b->time)
    return a->time < b->time;
  return strcmp (a->id, b->id) < 0;
}

/* Entries carry their sort key, so moving them never touches the events themselves: a heap
 * of a million events stays in cache-friendly arrays. */
static inline void
place (SigmaEventQueue *self,
       guint            index,
       SigmaQueueEntry  entry)
{
  self->heap[index] = entry;
}

static gint
find_index (SigmaEventQueue *self,
            SigmaEvent      *event)
{
  for (guint i = 0; i < self->len; i++)
    if (self->heap[i].event == event)
      return (gint) i;
  return -1;
}

/* A 4-ary heap: half the depth of a binary heap, and the four children of a node share
 * adjacent cache lines, which matters once the heap outgrows the cache. */
#define ARITY 4

static void
sift_up (SigmaEventQueue *self,
         guint            index)
{
  SigmaQueueEntry entry = self->heap[index];

  while (index > 0)
    {
      guint parent = (index - 1) / ARITY;

      if (!entry_less (&entry, &self->heap[parent]))
        break;
      place (self, index, self->heap[parent]);
      index = parent;
    }
  place (self, index, entry);
}

static void
sift_down (SigmaEventQueue *self,
           guint            index)
{
  SigmaQueueEntry entry = self->heap[index];

  for (;;)
    {
      guint first = ARITY * index + 1;
      guint last = MIN (first + ARITY, self->len);
      guint best;

      if (first >= self->len)
        break;
      best = first;
      for (guint child = first + 1; child < last; child++)
        if (entry_less (&self->heap[child], &self->heap[best]))
          best = child;
      if (!entry_less (&self->heap[best], &entry))
        break;
      place (self, index, self->heap[best]);
      index = best;
    }
  place (self, index, entry);
}

static void
sigma_event_queue_finalize (GObject *object)
{
  SigmaEventQueue *self = SIGMA_EVENT_QUEUE (object);

  sigma_event_queue_clear (self);
  g_free (self->heap);

  G_OBJECT_CLASS (sigma_event_queue_parent_class)->finalize (object);
}

static void
sigma_event_queue_class_init (SigmaEventQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_event_queue_finalize;
}

static void
sigma_event_queue_init (SigmaEventQueue *self)
{
}

/**
 * sigma_event_queue_new:
 *
 * Creates an empty queue.
 *
 * Returns: (transfer full): a new #SigmaEventQueue
 */
SigmaEventQueue *
sigma_event_queue_new (void)
{
  return g_object_new (SIGMA_TYPE_EVENT_QUEUE, NULL);
}

/* @order_key breaks ties at equal times; it must stay alive while the event is queued. */
void
sigma_event_queue_push_keyed (SigmaEventQueue *self,
                              SigmaEvent      *event,
                              gdouble          time,
                              const char      *order_key)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);
  SigmaQueueEntry entry;

  g_assert (!priv->queued);
  g_assert (order_key != NULL);

  if (self->len == self->cap)
    {
      self->cap = MAX (16, self->cap * 2);
      self->heap = g_renew (SigmaQueueEntry, self->heap, self->cap);
    }

  priv->time = time;
  priv->has_time = TRUE;
  priv->queued = TRUE;
  entry.time = time;
  entry.id = order_key;
  entry.event = g_object_ref (event);
  self->heap[self->len++] = entry;
  sift_up (self, self->len - 1);
}

void
sigma_event_queue_push_at (SigmaEventQueue *self,
                           SigmaEvent      *event,
                           gdouble          time)
{
  sigma_event_queue_push_keyed (self, event, time, sigma_event_get_priv (event)->id);
}

/**
 * sigma_event_queue_push:
 * @self: a #SigmaEventQueue
 * @event: an event with an id and a time, not in any queue
 *
 * Adds @event at its time (sigma_event_get_event_time()).
 */
void
sigma_event_queue_push (SigmaEventQueue *self,
                        SigmaEvent      *event)
{
  SigmaEventPrivate *priv;

  g_return_if_fail (SIGMA_IS_EVENT_QUEUE (self));
  g_return_if_fail (SIGMA_IS_EVENT (event));
  priv = sigma_event_get_priv (event);
  g_return_if_fail (priv->id != NULL);
  g_return_if_fail (priv->has_time);
  g_return_if_fail (!priv->queued);

  sigma_event_queue_push_at (self, event, priv->time);
}

/**
 * sigma_event_queue_peek:
 * @self: a #SigmaEventQueue
 *
 * Returns: (transfer none) (nullable): the next event, or %NULL when empty
 */
SigmaEvent *
sigma_event_queue_peek (SigmaEventQueue *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), NULL);

  return self->len > 0 ? self->heap[0].event : NULL;
}

gboolean
sigma_event_queue_peek_time (SigmaEventQueue *self,
                             gdouble         *time)
{
  if (self->len == 0)
    return FALSE;
  *time = self->heap[0].time;
  return TRUE;
}

static SigmaEvent *
remove_at (SigmaEventQueue *self,
           guint            index)
{
  SigmaEvent *event = self->heap[index].event;

  sigma_event_get_priv (event)->queued = FALSE;
  self->len--;
  if (index < self->len)
    {
      SigmaQueueEntry last = self->heap[self->len];

      place (self, index, last);
      if (index > 0 && entry_less (&self->heap[index], &self->heap[(index - 1) / ARITY]))
        sift_up (self, index);
      else
        sift_down (self, index);
    }
  return event;
}

/**
 * sigma_event_queue_pop:
 * @self: a #SigmaEventQueue
 *
 * Removes the next event.
 *
 * Returns: (transfer full) (nullable): the next event, or %NULL when empty
 */
SigmaEvent *
sigma_event_queue_pop (SigmaEventQueue *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), NULL);

  if (self->len == 0)
    return NULL;
  return remove_at (self, 0);
}

/**
 * sigma_event_queue_contains:
 * @self: a #SigmaEventQueue
 * @event: a #SigmaEvent
 *
 * Returns: whether @event is in @self
 */
gboolean
sigma_event_queue_contains (SigmaEventQueue *self,
                            SigmaEvent      *event)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_EVENT (event), FALSE);

  return sigma_event_get_priv (event)->queued && find_index (self, event) >= 0;
}

/**
 * sigma_event_queue_remove:
 * @self: a #SigmaEventQueue
 * @event: a #SigmaEvent
 *
 * Removes @event from the queue.
 *
 * Returns: %TRUE if @event was in the queue
 */
gboolean
sigma_event_queue_remove (SigmaEventQueue *self,
                          SigmaEvent      *event)
{
  gint index;

  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_EVENT (event), FALSE);

  index = sigma_event_get_priv (event)->queued ? find_index (self, event) : -1;
  if (index < 0)
    return FALSE;
  g_object_unref (remove_at (self, (guint) index));
  return TRUE;
}

/**
 * sigma_event_queue_get_length:
 * @self: a #SigmaEventQueue
 *
 * Returns: the number of queued events
 */
guint
sigma_event_queue_get_length (SigmaEventQueue *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), 0);
  return self->len;
}

/**
 * sigma_event_queue_is_empty:
 * @self: a #SigmaEventQueue
 *
 * Returns: %TRUE when no event is queued
 */
gboolean
sigma_event_queue_is_empty (SigmaEventQueue *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), TRUE);
  return self->len == 0;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SigmaQueueEntry *ea = a;
  const SigmaQueueEntry *eb = b;

  if (entry_less (ea, eb))
    return -1;
  if (entry_less (eb, ea))
    return 1;
  return 0;
}

/**
 * sigma_event_queue_to_array:
 * @self: a #SigmaEventQueue
 *
 * Returns: (transfer container) (element-type SigmaEvent): the queued events in the order
 *   they will run
 */
GPtrArray *
sigma_event_queue_to_array (SigmaEventQueue *self)
{
  g_autofree SigmaQueueEntry *sorted = NULL;
  GPtrArray *result;

  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), NULL);

  sorted = g_memdup2 (self->heap, sizeof (SigmaQueueEntry) * self->len);
  if (self->len > 0)
    qsort (sorted, self->len, sizeof (SigmaQueueEntry), compare_entries);
  result = g_ptr_array_new_full (self->len, g_object_unref);
  for (guint i = 0; i < self->len; i++)
    g_ptr_array_add (result, g_object_ref (sorted[i].event));
  return result;
}

/* Before a run starts: moves every queued event that has no absolute time by @delta and
 * restores the heap order. */
void
sigma_event_queue_shift_relative (SigmaEventQueue *self,
                                  gdouble          delta)
{
  for (guint i = 0; i < self->len; i++)
    {
      SigmaEventPrivate *priv = sigma_event_get_priv (self->heap[i].event);

      if (priv->time_absolute)
        continue;
      priv->time += delta;
      self->heap[i].time = priv->time;
    }
  for (guint i = self->len; i > 0; i--)
    sift_down (self, i - 1);
}

/**
 * sigma_event_queue_clear:
 * @self: a #SigmaEventQueue
 *
 * Removes every event.
 */
void
sigma_event_queue_clear (SigmaEventQueue *self)
{
  g_return_if_fail (SIGMA_IS_EVENT_QUEUE (self));

  for (guint i = 0; i < self->len; i++)
    {
      sigma_event_get_priv (self->heap[i].event)->queued = FALSE;
      g_object_unref (self->heap[i].event);
    }
  self->len = 0;
}
