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
 * An event is in at most one queue at a time; the queue holds a reference to it. The queue
 * of a #SigmaEnvironment belongs to it: read it, do not push to it.
 *
 * Since: 0.1
 */

/* Three parts, popped as one ordered sequence:
 * - staged: pushed since the last pop or peek, in push order;
 * - run: a sorted array consumed from run_pos — large batches of staged events (all roots at
 *   the start, the successors of a fan-out) are sorted into it instead of sifted one by one
 *   into the heap, which a million events would make a cache miss per level;
 * - heap: a 4-ary min-heap for events pushed a few at a time. */
struct _SigmaEventQueue
{
  GObject          parent_instance;
  SigmaQueueEntry *heap;
  guint            len;
  guint            cap;
  SigmaQueueEntry *run;
  guint            run_pos;
  guint            run_len;
  guint            run_cap;
  SigmaQueueEntry *staged;
  guint            staged_len;
  guint            staged_cap;
  gboolean         borrowed;   /* the owner (an environment) keeps the events alive */
};

/* Fewer staged events than this go to the heap; more are sorted into the run. */
#define BULK_THRESHOLD 64

/* How many pops ahead the run prefetches. */
#ifndef PREFETCH_AHEAD
#define PREFETCH_AHEAD 16
#endif

G_DEFINE_FINAL_TYPE (SigmaEventQueue, sigma_event_queue, G_TYPE_OBJECT)

static const char *
entry_id (const SigmaQueueEntry *entry,
          char                  *buf,
          gsize                  size)
{
  if (entry->number == 0)
    return entry->key;
  sigma_format_generated_id (buf, size, entry->key, entry->number);
  return buf;
}

static __attribute__ ((noinline)) gboolean
id_less (const SigmaQueueEntry *a,
         const SigmaQueueEntry *b)
{
  char abuf[96], bbuf[96];

  /* two generated ids of one prefix: 8-digit numbers sort as strings do */
  if (a->number != 0 && b->number != 0 && a->key == b->key &&
      a->number < 100000000 && b->number < 100000000)
    return a->number < b->number;
  return strcmp (entry_id (a, abuf, sizeof abuf), entry_id (b, bbuf, sizeof bbuf)) < 0;
}

static inline gboolean
entry_less (const SigmaQueueEntry *a,
            const SigmaQueueEntry *b)
{
  if (a->time != b->time)
    return a->time < b->time;
  return id_less (a, b);
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

static gboolean
is_sorted (const SigmaQueueEntry *entries,
           guint                  len)
{
  for (guint i = 1; i < len; i++)
    if (entry_less (&entries[i], &entries[i - 1]))
      return FALSE;
  return TRUE;
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
sigma_event_queue_finalize (GObject *object)
{
  SigmaEventQueue *self = SIGMA_EVENT_QUEUE (object);

  sigma_event_queue_clear (self);
  g_free (self->heap);
  g_free (self->run);
  g_free (self->staged);

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

/* @order_key breaks ties at equal times and must stay alive while the event is queued; %NULL
 * means the event's id (possibly a generated one not built yet). */
void
sigma_event_queue_push_keyed (SigmaEventQueue *self,
                              SigmaEvent      *event,
                              gdouble          time,
                              const char      *order_key)
{
  SigmaEventPrivate *priv = sigma_event_get_priv (event);
  SigmaQueueEntry entry;

  g_assert (!priv->queued);

  if (self->staged_len == self->staged_cap)
    {
      self->staged_cap = MAX (16, self->staged_cap * 2);
      self->staged = g_renew (SigmaQueueEntry, self->staged, self->staged_cap);
    }

  priv->time = time;
  priv->has_time = TRUE;
  priv->queued = TRUE;
  entry.time = time;
  entry.key = order_key;
  entry.number = 0;
  if (order_key == NULL)
    {
      g_assert (priv->id_number != 0);
      entry.key = sigma_event_id_prefix (event);
      entry.number = priv->id_number;
    }
  entry.event = self->borrowed ? event : g_object_ref (event);
  self->staged[self->staged_len++] = entry;
}

static void
heap_push (SigmaEventQueue *self,
           SigmaQueueEntry  entry)
{
  if (self->len == self->cap)
    {
      self->cap = MAX (16, self->cap * 2);
      self->heap = g_renew (SigmaQueueEntry, self->heap, self->cap);
    }
  self->heap[self->len++] = entry;
  sift_up (self, self->len - 1);
}

static inline guint64
time_bits (gdouble time)
{
  guint64 bits;

  /* queued times are finite and >= 0: their IEEE bits order like unsigned integers */
  memcpy (&bits, &time, sizeof bits);
  return bits;
}

/* Sorts @n entries by (time, id): a stable LSD radix sort on the time bits, then the runs of
 * equal times are ordered by id. Only the bits that differ between the keys are sorted on, in
 * digits of up to RADIX_BITS bits: times of one scenario share their sign and high exponent
 * bits, and integral times leave the low mantissa bits zero, so a million random times take
 * three passes where bytes took five. The sorted entries may end up in a new buffer, which then
 * replaces *@entries (and *@cap). */
#define RADIX_BITS 11

static void
sort_entries (SigmaQueueEntry **entries_inout,
              guint            *cap,
              guint             n)
{
  SigmaQueueEntry *entries = *entries_inout;
  g_autofree guint *counts = NULL;
  SigmaQueueEntry *tmp, *src = entries, *dst;
  guint64 first = time_bits (entries[0].time), differ = 0;
  guint lo, hi, n_digits;

  for (guint i = 1; i < n; i++)
    differ |= time_bits (entries[i].time) ^ first;

  if (differ != 0)
    {
      lo = (guint) __builtin_ctzll (differ);
      hi = 64 - (guint) __builtin_clzll (differ);
      n_digits = (hi - lo + RADIX_BITS - 1) / RADIX_BITS;
      tmp = g_new (SigmaQueueEntry, n);
      counts = g_new0 (guint, (gsize) n_digits << RADIX_BITS);
      dst = tmp;

      for (guint i = 0; i < n; i++)
        {
          guint64 bits = time_bits (entries[i].time) >> lo;
          for (guint d = 0; d < n_digits; d++)
            counts[(d << RADIX_BITS) + ((bits >> (d * RADIX_BITS)) & ((1u << RADIX_BITS) - 1))]++;
        }

      for (guint d = 0; d < n_digits; d++)
        {
          guint *count = &counts[d << RADIX_BITS];
          guint shift = lo + d * RADIX_BITS;
          guint sum = 0;

          for (guint v = 0; v < (1u << RADIX_BITS); v++)
            {
              guint c = count[v];
              count[v] = sum;
              sum += c;
            }
          for (guint i = 0; i < n; i++)
            dst[count[(time_bits (src[i].time) >> shift) & ((1u << RADIX_BITS) - 1)]++] = src[i];
          {
            SigmaQueueEntry *swap = src;
            src = dst;
            dst = swap;
          }
        }
      /* an odd number of passes leaves the result in tmp: keep that buffer, not a copy */
      if (src != entries)
        {
          g_free (entries);
          *entries_inout = entries = src;
          *cap = n;
        }
      else
        g_free (tmp);
    }

  for (guint i = 0; i < n;)
    {
      guint j = i + 1;

      while (j < n && entries[j].time == entries[i].time)
        j++;
      if (j - i > 1 && !is_sorted (entries + i, j - i))
        qsort (entries + i, j - i, sizeof (SigmaQueueEntry), compare_entries);
      i = j;
    }
}

/* Files the staged events: a few into the heap, a batch into the sorted run (merged with
 * what is left of the previous run). */
static void
settle (SigmaEventQueue *self)
{
  guint n = self->staged_len;
  guint left = self->run_len - self->run_pos;

  if (n == 0)
    return;
  self->staged_len = 0;

  if (n < BULK_THRESHOLD)
    {
      for (guint i = 0; i < n; i++)
        heap_push (self, self->staged[i]);
      return;
    }

  if (!is_sorted (self->staged, n))
    sort_entries (&self->staged, &self->staged_cap, n);

  if (left == 0)
    {
      /* the staged buffer becomes the run; the spent run buffer is the next staging buffer */
      SigmaQueueEntry *old = self->run;
      guint old_cap = self->run_cap;

      self->run = self->staged;
      self->run_cap = self->staged_cap;
      self->run_pos = 0;
      self->run_len = n;
      self->staged = old;
      self->staged_cap = old_cap;
      return;
    }

  {
    SigmaQueueEntry *merged = g_new (SigmaQueueEntry, left + n);
    SigmaQueueEntry *a = self->run + self->run_pos;
    SigmaQueueEntry *b = self->staged;
    guint i = 0, j = 0, k = 0;

    while (i < left && j < n)
      merged[k++] = entry_less (&b[j], &a[i]) ? b[j++] : a[i++];
    while (i < left)
      merged[k++] = a[i++];
    while (j < n)
      merged[k++] = b[j++];
    g_free (self->run);
    self->run = merged;
    self->run_pos = 0;
    self->run_len = left + n;
    self->run_cap = left + n;
  }
}

/* The part holding the next event: the heap (TRUE) or the run (FALSE); settles first.
 * Returns FALSE in @found when the queue is empty. */
static gboolean
next_in_heap (SigmaEventQueue *self,
              gboolean        *found)
{
  gboolean have_run;

  settle (self);
  have_run = self->run_pos < self->run_len;
  *found = have_run || self->len > 0;
  if (!have_run)
    return TRUE;
  if (self->len == 0)
    return FALSE;
  return entry_less (&self->heap[0], &self->run[self->run_pos]);
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
  g_return_if_fail (!self->borrowed);
  priv = sigma_event_get_priv (event);
  g_return_if_fail (priv->id != NULL || priv->id_number != 0);
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
  gboolean found, in_heap;

  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), NULL);

  in_heap = next_in_heap (self, &found);
  if (!found)
    return NULL;
  return in_heap ? self->heap[0].event : self->run[self->run_pos].event;
}

gboolean
sigma_event_queue_peek_time (SigmaEventQueue *self,
                             gdouble         *time)
{
  gboolean found, in_heap;

  in_heap = next_in_heap (self, &found);
  if (!found)
    return FALSE;
  *time = in_heap ? self->heap[0].time : self->run[self->run_pos].time;
  return TRUE;
}

/* Floyd's bottom-up deletion: move the hole at @index down to a leaf along the smallest
 * children (no comparison with the moved element on the way), put the last entry there and
 * sift it up, which is rarely more than a step. */
static void
fill_hole (SigmaEventQueue *self,
           guint            index)
{
  SigmaQueueEntry last = self->heap[self->len];

  for (;;)
    {
      guint first = ARITY * index + 1;
      guint end = MIN (first + ARITY, self->len);
      guint best;

      if (first >= self->len)
        break;
      best = first;
      for (guint child = first + 1; child < end; child++)
        if (entry_less (&self->heap[child], &self->heap[best]))
          best = child;
      place (self, index, self->heap[best]);
      index = best;
    }
  place (self, index, last);
  sift_up (self, index);
}

static SigmaEvent *
heap_remove_at (SigmaEventQueue *self,
                guint            index)
{
  SigmaEvent *event = self->heap[index].event;

  self->len--;
  if (index < self->len)
    fill_hole (self, index);
  return event;
}

static SigmaEvent *
run_remove_at (SigmaEventQueue *self,
               guint            index)
{
  SigmaEvent *event = self->run[index].event;

  memmove (&self->run[index], &self->run[index + 1],
           (self->run_len - index - 1) * sizeof (SigmaQueueEntry));
  self->run_len--;
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
  SigmaEvent *event;

  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), NULL);

  event = sigma_event_queue_pop_internal (self);
  if (event != NULL && self->borrowed)
    g_object_ref (event);
  return event;
}

/* Pops the next event: a reference the caller owns, or, in a borrowing queue, the
 * owner's. */
SigmaEvent *
sigma_event_queue_pop_internal (SigmaEventQueue *self)
{
  gboolean found, in_heap;
  SigmaEvent *event;

  in_heap = next_in_heap (self, &found);
  if (!found)
    return NULL;
  if (in_heap)
    event = heap_remove_at (self, 0);
  else
    {
      event = self->run[self->run_pos++].event;
      /* The run knows which events come next, and they are scattered in memory: fetch an
       * event, its private data and its id a few pops ahead. */
      if (self->run_pos + PREFETCH_AHEAD < self->run_len)
        {
          const SigmaQueueEntry *ahead = &self->run[self->run_pos + PREFETCH_AHEAD];

          const char *hot = (const char *) sigma_event_get_priv (ahead->event) +
                            SIGMA_EVENT_PRIVATE_HOT_OFFSET;

          /* the private fields a run touches, then the instance up to an action's arguments:
           * 96 bytes, on two or three cache lines */
          __builtin_prefetch (hot, 1);
          __builtin_prefetch (hot + 64, 1);
          __builtin_prefetch (hot + (sizeof (SigmaEventPrivate) - SIGMA_EVENT_PRIVATE_HOT_OFFSET) +
                              sizeof (SigmaActionEvent) - 1, 1);
          if (ahead->number == 0)
            __builtin_prefetch (ahead->key - 16, 1);   /* GRefString keeps its count before the text */
        }
    }
  sigma_event_get_priv (event)->queued = FALSE;
  return event;
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

  if (!sigma_event_get_priv (event)->queued)
    return FALSE;
  settle (self);
  if (find_index (self, event) >= 0)
    return TRUE;
  for (guint i = self->run_pos; i < self->run_len; i++)
    if (self->run[i].event == event)
      return TRUE;
  return FALSE;
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
  SigmaEvent *removed = NULL;
  gint index;

  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), FALSE);
  g_return_val_if_fail (SIGMA_IS_EVENT (event), FALSE);

  if (!sigma_event_get_priv (event)->queued)
    return FALSE;
  settle (self);
  index = find_index (self, event);
  if (index >= 0)
    removed = heap_remove_at (self, (guint) index);
  for (guint i = self->run_pos; removed == NULL && i < self->run_len; i++)
    if (self->run[i].event == event)
      removed = run_remove_at (self, i);
  if (removed == NULL)
    return FALSE;
  sigma_event_get_priv (removed)->queued = FALSE;
  if (!self->borrowed)
    g_object_unref (removed);
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
  return self->len + (self->run_len - self->run_pos) + self->staged_len;
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
  return sigma_event_queue_get_length (self) == 0;
}

/* Every queued entry, in no particular order. */
static SigmaQueueEntry *
collect_entries (SigmaEventQueue *self,
                 guint           *n_out)
{
  guint n = sigma_event_queue_get_length (self), k = 0;
  SigmaQueueEntry *all = g_new (SigmaQueueEntry, MAX (n, 1));

  for (guint i = 0; i < self->len; i++)
    all[k++] = self->heap[i];
  for (guint i = self->run_pos; i < self->run_len; i++)
    all[k++] = self->run[i];
  for (guint i = 0; i < self->staged_len; i++)
    all[k++] = self->staged[i];
  *n_out = n;
  return all;
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
  guint n;

  g_return_val_if_fail (SIGMA_IS_EVENT_QUEUE (self), NULL);

  sorted = collect_entries (self, &n);
  qsort (sorted, n, sizeof (SigmaQueueEntry), compare_entries);
  result = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (result, g_object_ref (sorted[i].event));
  return result;
}

/* The environment's queue: it keeps every event alive itself, so entries hold no reference
 * (two atomic operations per event saved). Public pushes are refused then. */
void
sigma_event_queue_set_borrowed (SigmaEventQueue *self)
{
  g_assert (sigma_event_queue_get_length (self) == 0);
  self->borrowed = TRUE;
}

/* Before a run starts: moves every queued event that has no absolute time by @delta and
 * restores the order. */
void
sigma_event_queue_shift_relative (SigmaEventQueue *self,
                                  gdouble          delta)
{
  g_autofree SigmaQueueEntry *all = NULL;
  guint n;

  all = collect_entries (self, &n);
  self->len = 0;
  self->run_pos = self->run_len = 0;
  self->staged_len = 0;
  for (guint i = 0; i < n; i++)
    {
      SigmaEventPrivate *priv = sigma_event_get_priv (all[i].event);

      if (!priv->time_absolute)
        priv->time += delta;
      all[i].time = priv->time;
      heap_push (self, all[i]);
    }
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
  g_autofree SigmaQueueEntry *all = NULL;
  guint n;

  g_return_if_fail (SIGMA_IS_EVENT_QUEUE (self));

  all = collect_entries (self, &n);
  self->len = 0;
  self->run_pos = self->run_len = 0;
  self->staged_len = 0;
  for (guint i = 0; i < n; i++)
    {
      sigma_event_get_priv (all[i].event)->queued = FALSE;
      if (!self->borrowed)
        g_object_unref (all[i].event);
    }
}
