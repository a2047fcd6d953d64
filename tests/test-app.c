/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A small notes app used by the kernel tests.
 *
 * Tools:
 *   add_note (title: string, body: string = "")   WRITE → {"id": n, "title": title}
 *   get_note (id: integer)                         READ  → {"id", "title", "body"} or TOOL_FAILED
 *   count ()                                       READ  → integer
 *   fail (message: string)                         WRITE → always fails with TOOL_FAILED, message
 *   set_price (price: number)                      WRITE → the price
 *   nested (title: string)                         WRITE → add_note through the environment
 *   set_flags (flags: [string], opts: object|null) WRITE → {"flags": flags, "opts": opts}
 *
 * State: {"notes": [{"id", "title", "body"}, …], "next_id": n}.
 */

#include "test-app.h"

typedef struct
{
  gint64  id;
  char   *title;
  char   *body;
} Note;

struct _SigmaTestApp
{
  SigmaApp   parent_instance;

  GPtrArray *notes;   /* (element-type Note) */
  gint64     next_id;
  gdouble    price;
  JsonNode  *flags;   /* last set_flags result, or NULL */
};

G_DEFINE_FINAL_TYPE (SigmaTestApp, sigma_test_app, SIGMA_TYPE_APP)

static void
note_free (gpointer data)
{
  Note *note = data;

  g_free (note->title);
  g_free (note->body);
  g_free (note);
}

static Note *
note_new (gint64      id,
          const char *title,
          const char *body)
{
  Note *note = g_new0 (Note, 1);

  note->id = id;
  note->title = g_strdup (title);
  note->body = g_strdup (body);
  return note;
}

static JsonObject *
note_to_object (const Note *note)
{
  JsonObject *obj = json_object_new ();

  json_object_set_int_member (obj, "id", note->id);
  json_object_set_string_member (obj, "title", note->title);
  json_object_set_string_member (obj, "body", note->body);
  return obj;
}

static JsonNode *
node_new_object (JsonObject *obj)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, obj);
  return node;
}

/* A deep copy: json_node_copy() shares containers, and the kernel may seal what it logs. */
static JsonNode *
node_deep_copy (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return json_node_init_null (json_node_alloc ());

  text = json_to_string (node, FALSE);
  return json_from_string (text, NULL);
}

static const Note *
find_note (SigmaTestApp *self,
           gint64        id)
{
  for (guint i = 0; i < self->notes->len; i++)
    {
      const Note *note = g_ptr_array_index (self->notes, i);

      if (note->id == id)
        return note;
    }

  return NULL;
}

static JsonNode *
add_note_cb (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);
  const char *title = json_object_get_string_member (args, "title");
  const char *body = json_object_get_string_member_with_default (args, "body", "");
  Note *note = note_new (self->next_id++, title, body);
  JsonObject *result = json_object_new ();

  g_ptr_array_add (self->notes, note);
  json_object_set_int_member (result, "id", note->id);
  json_object_set_string_member (result, "title", note->title);
  return node_new_object (result);
}

static JsonNode *
get_note_cb (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);
  gint64 id = json_object_get_int_member (args, "id");
  const Note *note = find_note (self, id);

  if (note == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED,
                   "Note %" G_GINT64_FORMAT " does not exist", id);
      return NULL;
    }

  return node_new_object (note_to_object (note));
}

static JsonNode *
count_cb (SigmaApp    *app,
          JsonObject  *args,
          gpointer     user_data,
          GError     **error)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, self->notes->len);
  return node;
}

static JsonNode *
fail_cb (SigmaApp    *app,
         JsonObject  *args,
         gpointer     user_data,
         GError     **error)
{
  g_set_error_literal (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED,
                       json_object_get_string_member (args, "message"));
  return NULL;
}

static JsonNode *
set_price_cb (SigmaApp    *app,
              JsonObject  *args,
              gpointer     user_data,
              GError     **error)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  self->price = json_object_get_double_member (args, "price");
  json_node_set_double (node, self->price);
  return node;
}

static JsonNode *
nested_cb (SigmaApp    *app,
           JsonObject  *args,
           gpointer     user_data,
           GError     **error)
{
  SigmaEnvironment *env = sigma_app_get_environment (app);
  g_autoptr(JsonObject) inner = json_object_new ();

  if (env == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_STATE,
                   "App %s is not part of an environment", sigma_app_get_name (app));
      return NULL;
    }

  json_object_set_string_member (inner, "title", json_object_get_string_member (args, "title"));
  return sigma_environment_call_tool (env, sigma_app_get_name (app), "add_note", inner,
                                      SIGMA_EVENT_TYPE_ENV, error);
}

static JsonNode *
set_flags_cb (SigmaApp    *app,
              JsonObject  *args,
              gpointer     user_data,
              GError     **error)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);
  JsonObject *result = json_object_new ();

  json_object_set_member (result, "flags", node_deep_copy (json_object_get_member (args, "flags")));
  json_object_set_member (result, "opts", node_deep_copy (json_object_get_member (args, "opts")));

  g_clear_pointer (&self->flags, json_node_unref);
  self->flags = node_new_object (json_object_ref (result));
  return node_new_object (result);
}

static JsonNode *
sigma_test_app_get_state (SigmaApp *app)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);
  JsonObject *state = json_object_new ();
  JsonArray *notes = json_array_new ();

  for (guint i = 0; i < self->notes->len; i++)
    json_array_add_object_element (notes, note_to_object (g_ptr_array_index (self->notes, i)));

  json_object_set_array_member (state, "notes", notes);
  json_object_set_int_member (state, "next_id", self->next_id);
  return node_new_object (state);
}

static gboolean
sigma_test_app_load_state (SigmaApp  *app,
                           JsonNode  *state,
                           GError   **error)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);
  g_autoptr(GPtrArray) notes = NULL;
  JsonObject *obj;
  JsonNode *notes_node;
  JsonNode *next_id_node;
  JsonArray *array;

  if (state == NULL || !JSON_NODE_HOLDS_OBJECT (state))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: the state is not an object", sigma_app_get_name (app));
      return FALSE;
    }

  obj = json_node_get_object (state);
  notes_node = json_object_get_member (obj, "notes");
  next_id_node = json_object_get_member (obj, "next_id");

  if (notes_node == NULL || !JSON_NODE_HOLDS_ARRAY (notes_node))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: \"notes\" is not an array", sigma_app_get_name (app));
      return FALSE;
    }

  if (next_id_node == NULL || json_node_get_value_type (next_id_node) != G_TYPE_INT64)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "%s: \"next_id\" is not an integer", sigma_app_get_name (app));
      return FALSE;
    }

  array = json_node_get_array (notes_node);
  notes = g_ptr_array_new_with_free_func (note_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *note;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "%s: note %u is not an object", sigma_app_get_name (app), i);
          return FALSE;
        }

      note = json_node_get_object (element);
      g_ptr_array_add (notes, note_new (json_object_get_int_member_with_default (note, "id", 0),
                                        json_object_get_string_member_with_default (note, "title", ""),
                                        json_object_get_string_member_with_default (note, "body", "")));
    }

  g_clear_pointer (&self->notes, g_ptr_array_unref);
  self->notes = g_steal_pointer (&notes);
  self->next_id = json_node_get_int (next_id_node);
  return TRUE;
}

static void
sigma_test_app_reset (SigmaApp *app)
{
  SigmaTestApp *self = SIGMA_TEST_APP (app);

  if (SIGMA_APP_CLASS (sigma_test_app_parent_class)->reset != NULL)
    SIGMA_APP_CLASS (sigma_test_app_parent_class)->reset (app);

  g_ptr_array_set_size (self->notes, 0);
  self->next_id = 1;
  self->price = 0.0;
  g_clear_pointer (&self->flags, json_node_unref);
}

static void
sigma_test_app_finalize (GObject *object)
{
  SigmaTestApp *self = SIGMA_TEST_APP (object);

  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->flags, json_node_unref);

  G_OBJECT_CLASS (sigma_test_app_parent_class)->finalize (object);
}

static void
sigma_test_app_class_init (SigmaTestAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_test_app_finalize;

  app_class->get_state = sigma_test_app_get_state;
  app_class->load_state = sigma_test_app_load_state;
  app_class->reset = sigma_test_app_reset;
}

static void
add_tool (SigmaApp  *app,
          SigmaTool *tool)
{
  sigma_app_add_tool (app, tool);
  sigma_tool_unref (tool);
}

static void
sigma_test_app_init (SigmaTestApp *self)
{
  SigmaApp *app = SIGMA_APP (self);
  const SigmaToolRole roles = SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_USER | SIGMA_TOOL_ROLE_ENV;
  g_autoptr(JsonNode) empty_body = json_node_init_string (json_node_alloc (), "");
  SigmaTool *tool;

  self->notes = g_ptr_array_new_with_free_func (note_free);
  self->next_id = 1;

  tool = sigma_tool_new ("add_note", "Adds a note.", roles, SIGMA_TOOL_OPERATION_WRITE);
  sigma_tool_add_parameter (tool, "title", SIGMA_VALUE_TYPE_STRING, "The title of the note.");
  sigma_tool_add_optional_parameter (tool, "body", SIGMA_VALUE_TYPE_STRING, "The body of the note.",
                                     empty_body);
  sigma_tool_set_return_description (tool, "The id and title of the new note.");
  sigma_tool_set_handler (tool, add_note_cb, NULL, NULL);
  add_tool (app, tool);

  tool = sigma_tool_new ("get_note", "Returns a note.", roles, SIGMA_TOOL_OPERATION_READ);
  sigma_tool_add_parameter (tool, "id", SIGMA_VALUE_TYPE_INTEGER, "The id of the note.");
  sigma_tool_set_handler (tool, get_note_cb, NULL, NULL);
  add_tool (app, tool);

  tool = sigma_tool_new ("count", "Counts the notes.", roles, SIGMA_TOOL_OPERATION_READ);
  sigma_tool_set_handler (tool, count_cb, NULL, NULL);
  add_tool (app, tool);

  tool = sigma_tool_new ("fail", "Always fails.", roles, SIGMA_TOOL_OPERATION_WRITE);
  sigma_tool_add_parameter (tool, "message", SIGMA_VALUE_TYPE_STRING, "The error message.");
  sigma_tool_set_handler (tool, fail_cb, NULL, NULL);
  add_tool (app, tool);

  tool = sigma_tool_new ("set_price", "Sets the price.", roles, SIGMA_TOOL_OPERATION_WRITE);
  sigma_tool_add_parameter (tool, "price", SIGMA_VALUE_TYPE_NUMBER, "The new price.");
  sigma_tool_set_handler (tool, set_price_cb, NULL, NULL);
  add_tool (app, tool);

  tool = sigma_tool_new ("nested", "Adds a note through the environment.", roles,
                         SIGMA_TOOL_OPERATION_WRITE);
  sigma_tool_add_parameter (tool, "title", SIGMA_VALUE_TYPE_STRING, "The title of the note.");
  sigma_tool_set_handler (tool, nested_cb, NULL, NULL);
  add_tool (app, tool);

  tool = sigma_tool_new ("set_flags", "Sets flags and options.", roles, SIGMA_TOOL_OPERATION_WRITE);
  sigma_tool_add_parameter (tool, "flags", SIGMA_VALUE_TYPE_ARRAY, "The flags.");
  sigma_tool_set_parameter_element_type (tool, "flags", SIGMA_VALUE_TYPE_STRING);
  sigma_tool_add_parameter (tool, "opts", SIGMA_VALUE_TYPE_OBJECT, "Options, or null.");
  sigma_tool_set_parameter_nullable (tool, "opts", TRUE);
  sigma_tool_set_handler (tool, set_flags_cb, NULL, NULL);
  add_tool (app, tool);
}

/**
 * sigma_test_app_new:
 * @name: the app name
 *
 * Returns: (transfer full): a new notes app
 */
SigmaApp *
sigma_test_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_TEST_APP, "name", name, NULL);
}

guint
sigma_test_app_get_n_notes (SigmaTestApp *self)
{
  g_return_val_if_fail (SIGMA_IS_TEST_APP (self), 0);

  return self->notes->len;
}

gboolean
sigma_test_app_has_note (SigmaTestApp *self,
                         const char   *title)
{
  g_return_val_if_fail (SIGMA_IS_TEST_APP (self), FALSE);

  for (guint i = 0; i < self->notes->len; i++)
    {
      const Note *note = g_ptr_array_index (self->notes, i);

      if (g_strcmp0 (note->title, title) == 0)
        return TRUE;
    }

  return FALSE;
}

gdouble
sigma_test_app_get_price (SigmaTestApp *self)
{
  g_return_val_if_fail (SIGMA_IS_TEST_APP (self), 0.0);

  return self->price;
}
