/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-event-log.h"
#include "sigma-event-private.h"
#include "sigma-utils.h"

/**
 * SigmaEventLog:
 *
 * The trajectory of a run: an append-only, time-ordered list of #SigmaCompletedEvent.
 * Filters select events by type, app and function; sinks receive each event as it is
 * appended (to stream a run to a file, a socket or a UI).
 *
 * Since: 0.1
 */

typedef struct
{
  guint              id;
  SigmaEventLogSink  func;
  gpointer           user_data;
  GDestroyNotify     destroy;
} Sink;

struct _SigmaEventLog
{
  GObject     parent_instance;
  GPtrArray  *events;
  GHashTable *by_id;      /* built lazily: id → last completed event with that id */
  guint       indexed;    /* events[0 .. indexed) are in by_id */
  GArray     *sinks;
  guint       next_sink_id;
};

G_DEFINE_FINAL_TYPE (SigmaEventLog, sigma_event_log, G_TYPE_OBJECT)

static void
sink_clear (gpointer data)
{
  Sink *sink = data;

  if (sink->destroy != NULL)
    sink->destroy (sink->user_data);
}

static void
sigma_event_log_finalize (GObject *object)
{
  SigmaEventLog *self = SIGMA_EVENT_LOG (object);

  g_clear_pointer (&self->sinks, g_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);

  G_OBJECT_CLASS (sigma_event_log_parent_class)->finalize (object);
}

static void
sigma_event_log_class_init (SigmaEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sigma_event_log_finalize;
}

static void
sigma_event_log_init (SigmaEventLog *self)
{
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_completed_event_unref);
  self->sinks = g_array_new (FALSE, TRUE, sizeof (Sink));
  g_array_set_clear_func (self->sinks, sink_clear);
  self->next_sink_id = 1;
}

/**
 * sigma_event_log_new:
 *
 * Creates an empty log.
 *
 * Returns: (transfer full): a new #SigmaEventLog
 */
SigmaEventLog *
sigma_event_log_new (void)
{
  return g_object_new (SIGMA_TYPE_EVENT_LOG, NULL);
}

void
sigma_event_log_append (SigmaEventLog       *self,
                        SigmaCompletedEvent *event)
{
  g_ptr_array_add (self->events, sigma_completed_event_ref (event));

  for (guint i = 0; i < self->sinks->len; i++)
    {
      Sink *sink = &g_array_index (self->sinks, Sink, i);
      sink->func (self, event, sink->user_data);
    }
}

/**
 * sigma_event_log_get_length:
 * @self: a #SigmaEventLog
 *
 * Returns: the number of events
 */
guint
sigma_event_log_get_length (SigmaEventLog *self)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (self), 0);
  return self->events->len;
}

/**
 * sigma_event_log_get:
 * @self: a #SigmaEventLog
 * @index: a position
 *
 * Returns: (transfer none): the event at @index
 */
SigmaCompletedEvent *
sigma_event_log_get (SigmaEventLog *self,
                     guint          index)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);
  return g_ptr_array_index (self->events, index);
}

/**
 * sigma_event_log_lookup:
 * @self: a #SigmaEventLog
 * @event_id: an event id
 *
 * Finds the completed event with id @event_id (the latest, if several share it).
 *
 * Returns: (transfer none) (nullable): the event, or %NULL
 */
SigmaCompletedEvent *
sigma_event_log_lookup (SigmaEventLog *self,
                        const char    *event_id)
{
  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  /* The index is only built when somebody looks events up (placeholders, judges), so runs
   * that never do pay nothing for it. */
  if (self->by_id == NULL)
    self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (; self->indexed < self->events->len; self->indexed++)
    {
      SigmaCompletedEvent *ev = g_ptr_array_index (self->events, self->indexed);
      g_hash_table_insert (self->by_id, (gpointer) sigma_completed_event_get_event_id (ev), ev);
    }
  return g_hash_table_lookup (self->by_id, event_id);
}

/**
 * sigma_event_log_filter:
 * @self: a #SigmaEventLog
 * @event_type: a #SigmaEventType, or -1 for any
 * @app_name: (nullable): keep only events of this app
 * @function: (nullable): keep only events of this function
 *
 * Returns: (transfer container) (element-type SigmaCompletedEvent): the matching events, in
 *   log order
 */
GPtrArray *
sigma_event_log_filter (SigmaEventLog *self,
                        gint           event_type,
                        const char    *app_name,
                        const char    *function)
{
  GPtrArray *result;

  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (self), NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) sigma_completed_event_unref);
  for (guint i = 0; i < self->events->len; i++)
    {
      SigmaCompletedEvent *ev = g_ptr_array_index (self->events, i);

      if (event_type >= 0 && (gint) sigma_completed_event_get_event_type (ev) != event_type)
        continue;
      if (app_name != NULL && g_strcmp0 (sigma_completed_event_get_app_name (ev), app_name) != 0)
        continue;
      if (function != NULL && g_strcmp0 (sigma_completed_event_get_function (ev), function) != 0)
        continue;
      g_ptr_array_add (result, sigma_completed_event_ref (ev));
    }
  return result;
}

/**
 * sigma_event_log_add_sink:
 * @self: a #SigmaEventLog
 * @sink: (scope notified) (closure user_data) (destroy destroy): receives each new event
 * @user_data: data for @sink
 * @destroy: (nullable): frees @user_data
 *
 * Streams every event appended from now on to @sink.
 *
 * Returns: an id for sigma_event_log_remove_sink()
 */
guint
sigma_event_log_add_sink (SigmaEventLog     *self,
                          SigmaEventLogSink  sink,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  Sink s;

  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (self), 0);
  g_return_val_if_fail (sink != NULL, 0);

  s.id = self->next_sink_id++;
  s.func = sink;
  s.user_data = user_data;
  s.destroy = destroy;
  g_array_append_val (self->sinks, s);
  return s.id;
}

/**
 * sigma_event_log_remove_sink:
 * @self: a #SigmaEventLog
 * @sink_id: an id from sigma_event_log_add_sink()
 *
 * Stops streaming to a sink.
 */
void
sigma_event_log_remove_sink (SigmaEventLog *self,
                             guint          sink_id)
{
  g_return_if_fail (SIGMA_IS_EVENT_LOG (self));

  for (guint i = 0; i < self->sinks->len; i++)
    if (g_array_index (self->sinks, Sink, i).id == sink_id)
      {
        g_array_remove_index (self->sinks, i);
        return;
      }
  g_critical ("%s: no sink with id %u", G_STRFUNC, sink_id);
}

/**
 * sigma_event_log_to_json:
 * @self: a #SigmaEventLog
 *
 * Returns: (transfer full): a JSON array of sigma_completed_event_to_json() objects
 */
JsonNode *
sigma_event_log_to_json (SigmaEventLog *self)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (self), NULL);

  array = json_array_sized_new (self->events->len);
  for (guint i = 0; i < self->events->len; i++)
    json_array_add_element (array, sigma_completed_event_to_json (g_ptr_array_index (self->events, i)));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/**
 * sigma_event_log_to_string:
 * @self: a #SigmaEventLog
 *
 * The log as NDJSON: one compact JSON object per line. Two runs with the same inputs give
 * byte-identical strings.
 *
 * Returns: (transfer full): the text
 */
char *
sigma_event_log_to_string (SigmaEventLog *self)
{
  GString *out;

  g_return_val_if_fail (SIGMA_IS_EVENT_LOG (self), NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->events->len; i++)
    {
      g_autoptr(JsonNode) node = sigma_completed_event_to_json (g_ptr_array_index (self->events, i));
      g_autofree char *line = sigma_json_to_string (node, FALSE);

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
