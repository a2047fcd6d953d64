/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app-test-util.h"

#define T0   1728896400.0   /* Monday, 2024-10-14 09:00:00 UTC */
#define SEED 7

typedef AppTestFixture Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  app_test_fixture_init (f, "Contacts", NULL, T0, SEED);
}

static JsonNode *
call (Fixture     *f,
      const char  *tool,
      const char  *args_json,
      GError     **error)
{
  return app_test_call (f->env, sigma_app_get_name (f->app), SIGMA_EVENT_TYPE_AGENT, tool, args_json, error);
}

static JsonNode *
call_ok (Fixture    *f,
         const char *tool,
         const char *args_json)
{
  return app_test_call_ok (f->env, sigma_app_get_name (f->app), SIGMA_EVENT_TYPE_AGENT, tool, args_json);
}

static void
call_fails (Fixture    *f,
            const char *tool,
            const char *args_json,
            gint        code,
            const char *message)
{
  app_test_call_fails (f->env, sigma_app_get_name (f->app), SIGMA_EVENT_TYPE_AGENT, tool, args_json, code, message);
}

static char *
expected_id (guint index)
{
  return app_test_seeded_id (SEED, "Contacts", index);
}

/* The stored contact under @key, as get_state shows it. */
static JsonNode *
stored (Fixture    *f,
        const char *key)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (f->app);
  JsonObject *contacts = json_object_get_object_member (json_node_get_object (state), "contacts");
  JsonNode *contact = json_object_get_member (contacts, key);

  return contact != NULL ? json_node_copy (contact) : NULL;
}

#define CONTACT(id, first, last, is_user, gender, age, phone, email) \
  "\"" id "\": {\"first_name\": \"" first "\", \"last_name\": \"" last "\", \"contact_id\": \"" id "\"," \
  " \"is_user\": " is_user ", \"gender\": \"" gender "\", \"age\": " age ", \"nationality\": \"British\"," \
  " \"city_living\": \"Cambridge\", \"country\": \"United Kingdom\", \"status\": \"Employed\"," \
  " \"job\": \"Physicist\", \"description\": null, \"phone\": " phone ", \"email\": " email "," \
  " \"address\": \"1 Mill Lane\"}"

static const char sample_state[] =
  "{\"contacts\": {"
  CONTACT ("c1", "Ana", "Lima", "false", "Female", "34", "\"+441223000001\"", "\"ana@example.com\"") ","
  CONTACT ("c2", "Rohini", "Deshpande", "true", "Female", "43", "\"+441223456789\"", "\"rohini@cam.ac.uk\"") ","
  CONTACT ("c3", "Bo", "Chen", "false", "Male", "null", "null", "null") ","
  CONTACT ("c4", "Jean", "Lima", "false", "Other", "61", "\"+33100000000\"", "\"jl@example.fr\"") ","
  CONTACT ("c5", "Zoë", "Ångström", "false", "Unknown", "19", "\"+46700000000\"", "\"zoe@example.se\"")
  "}, \"view_limit\": 2}";

static const char * const contact_c3 =
  "{\"first_name\": \"Bo\", \"last_name\": \"Chen\", \"contact_id\": \"c3\", \"is_user\": false,"
  " \"gender\": \"Male\", \"age\": null, \"nationality\": \"British\", \"city_living\": \"Cambridge\","
  " \"country\": \"United Kingdom\", \"status\": \"Employed\", \"job\": \"Physicist\", \"description\": null,"
  " \"phone\": null, \"email\": null, \"address\": \"1 Mill Lane\"}";

/* ------------------------------------------------------------------------------------ */

static void
test_create (void)
{
  static const char * const classes[] = { "ContactsApp", "Contacts", "InternalContacts" };
  g_autoptr(SigmaApp) named = sigma_contacts_app_new (NULL);

  g_test_summary ("The app is created from each ARE class name, named as ARE names it");

  g_assert_cmpstr (sigma_app_get_name (named), ==, "ContactsApp");
  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SigmaApp) app = sigma_apps_create (classes[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_true (SIGMA_IS_CONTACTS_APP (app));
      g_assert_cmpstr (sigma_app_get_name (app), ==, classes[i]);
      g_assert_cmpstr (sigma_app_get_class_name (app), ==, classes[i]);
    }
}

static void
test_tools (void)
{
  static const struct { const char *name; SigmaToolRole roles; SigmaToolOperation op; } expected[] = {
    { "get_contacts", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
    { "get_contact", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
    { "get_current_user_details", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_READ },
    { "add_new_contact", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE },
    { "edit_contact", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE },
    { "delete_contact", SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_DATA, SIGMA_TOOL_OPERATION_WRITE },
    { "search_contacts", SIGMA_TOOL_ROLE_AGENT, SIGMA_TOOL_OPERATION_READ },
  };
  static const char * const add_params[] = {
    "first_name", "last_name", "gender", "age", "nationality", "city_living", "country", "status",
    "job", "description", "phone", "email", "address",
  };
  g_autoptr(SigmaApp) app = sigma_contacts_app_new ("Contacts");
  g_autoptr(GPtrArray) tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  SigmaTool *tool;

  g_test_summary ("Every ARE contacts tool exists in ARE's order with its roles, operation, "
                  "parameters and defaults");

  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < tools->len; i++)
    {
      tool = g_ptr_array_index (tools, i);
      g_assert_cmpstr (sigma_tool_get_name (tool), ==, expected[i].name);
      g_assert_cmpint (sigma_tool_get_roles (tool), ==, expected[i].roles);
      g_assert_cmpint (sigma_tool_get_operation (tool), ==, expected[i].op);
      g_assert_cmpstr (sigma_tool_get_description (tool), !=, "");
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        g_assert_cmpstr (sigma_tool_get_parameter_description (tool, p), !=, "");
    }

  tool = sigma_app_lookup_tool (app, "add_new_contact");
  g_assert_cmpuint (sigma_tool_get_n_parameters (tool), ==, G_N_ELEMENTS (add_params));
  for (guint p = 0; p < G_N_ELEMENTS (add_params); p++)
    {
      g_assert_cmpstr (sigma_tool_get_parameter_name (tool, p), ==, add_params[p]);
      g_assert_cmpint (sigma_tool_get_parameter_required (tool, p), ==, p < 2);
      if (p >= 2)
        {
          g_assert_true (sigma_tool_get_parameter_nullable (tool, p));
          g_assert_true (JSON_NODE_HOLDS_NULL (sigma_tool_get_parameter_default (tool, p)));
        }
    }
  tool = sigma_app_lookup_tool (app, "get_contacts");
  g_assert_cmpint (json_node_get_int (sigma_tool_get_parameter_default (tool, 0)), ==, 0);
}

static void
test_get_contacts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) page = NULL;
  JsonArray *contacts;

  g_test_summary ("get_contacts pages view_limit contacts at a time in insertion order, with "
                  "ARE's range and total; a negative offset is refused");

  app_test_load_state (f->app, sample_state);
  page = call_ok (f, "get_contacts", NULL);
  contacts = json_object_get_array_member (json_node_get_object (page), "contacts");
  g_assert_cmpuint (json_array_get_length (contacts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 1), "contact_id"), ==, "c2");
  app_test_assert_json (json_object_get_member (json_node_get_object (page), "metadata"), "{\"range\": [0, 2], \"total\": 5}");
  g_clear_pointer (&page, json_node_unref);

  page = call_ok (f, "get_contacts", "{\"offset\": 4}");
  contacts = json_object_get_array_member (json_node_get_object (page), "contacts");
  g_assert_cmpuint (json_array_get_length (contacts), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 0), "first_name"), ==, "Zoë");
  app_test_assert_json (json_object_get_member (json_node_get_object (page), "metadata"), "{\"range\": [4, 5], \"total\": 5}");
  g_clear_pointer (&page, json_node_unref);

  page = call_ok (f, "get_contacts", "{\"offset\": 2}");
  contacts = json_object_get_array_member (json_node_get_object (page), "contacts");
  app_test_assert_json (json_array_get_element (contacts, 0), contact_c3);
  g_clear_pointer (&page, json_node_unref);

  page = call_ok (f, "get_contacts", "{\"offset\": 9}");
  app_test_assert_json (page, "{\"contacts\": [], \"metadata\": {\"range\": [9, 5], \"total\": 5}}");

  call_fails (f, "get_contacts", "{\"offset\": -2}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_contacts': argument 'offset' must be non-negative, got -2");
  call_fails (f, "get_contacts", "{\"offset\": \"2\"}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'get_contacts': argument 'offset' must be an integer, got string");
}

static void
test_get_contact (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) contact = NULL;

  g_test_summary ("get_contact returns the contact; an unknown id is ARE's quoted KeyError text");

  app_test_load_state (f->app, sample_state);
  contact = call_ok (f, "get_contact", "{\"contact_id\": \"c3\"}");
  app_test_assert_json (contact, contact_c3);
  call_fails (f, "get_contact", "{\"contact_id\": \"nope\"}", SIGMA_ERROR_TOOL_FAILED,
              "'Contact nope does not exist.'");
  /* Python's repr switches to double quotes around a single quote */
  call_fails (f, "get_contact", "{\"contact_id\": \"o'neil\"}", SIGMA_ERROR_TOOL_FAILED,
              "\"Contact o'neil does not exist.\"");
}

static void
test_current_user (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) user = NULL;

  g_test_summary ("get_current_user_details returns the first contact marked is_user, else ARE's KeyError");

  call_fails (f, "get_current_user_details", NULL, SIGMA_ERROR_TOOL_FAILED, "'User Contact does not exist.'");
  app_test_load_state (f->app, sample_state);
  user = call_ok (f, "get_current_user_details", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (user), "contact_id"), ==, "c2");
}

static void
test_add_contact (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) id = NULL;
  g_autoptr(JsonNode) minimal = NULL;
  g_autoptr(JsonNode) contact = NULL;
  g_autofree char *want = expected_id (0);
  g_autofree char *expected = NULL;

  g_test_summary ("add_new_contact stores every field under an id from the app rng; gender and "
                  "status default to Unknown");

  id = call_ok (f, "add_new_contact",
                "{\"first_name\": \"Ana\", \"last_name\": \"Lima\", \"gender\": \"Female\", \"age\": 34,"
                " \"nationality\": \"Brazilian\", \"city_living\": \"Porto\", \"country\": \"Portugal\","
                " \"status\": \"Student\", \"job\": \"Chemist\", \"description\": \"Met at a conference\","
                " \"phone\": \"+351900000000\", \"email\": \"ana@example.pt\", \"address\": \"Rua 1\"}");
  g_assert_cmpstr (json_node_get_string (id), ==, want);
  contact = stored (f, want);
  expected = g_strdup_printf ("{\"first_name\": \"Ana\", \"last_name\": \"Lima\", \"contact_id\": \"%s\","
                              " \"is_user\": false, \"gender\": \"Female\", \"age\": 34, \"nationality\": \"Brazilian\","
                              " \"city_living\": \"Porto\", \"country\": \"Portugal\", \"status\": \"Student\","
                              " \"job\": \"Chemist\", \"description\": \"Met at a conference\","
                              " \"phone\": \"+351900000000\", \"email\": \"ana@example.pt\", \"address\": \"Rua 1\"}", want);
  app_test_assert_json (contact, expected);

  minimal = call_ok (f, "add_new_contact", "{\"first_name\": \"Bo\", \"last_name\": \"Chen\"}");
  g_clear_pointer (&contact, json_node_unref);
  contact = stored (f, json_node_get_string (minimal));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (contact), "gender"), ==, "Unknown");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (contact), "status"), ==, "Unknown");
  g_assert_true (json_object_get_null_member (json_node_get_object (contact), "age"));
  g_assert_true (json_object_get_null_member (json_node_get_object (contact), "address"));
}

static void
test_add_contact_errors (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) id = NULL;
  g_autofree char *want = expected_id (1);

  g_test_summary ("add_new_contact: ARE's duplicate-name, enum and age errors; only the age check "
                  "comes after the id is drawn");

  app_test_load_state (f->app, "{\"contacts\": {\"k1\": {\"first_name\": \"Ana\", \"last_name\": \"Lima\", \"contact_id\": \"first\", \"age\": null},"
                               " \"k2\": {\"first_name\": \"ANA\", \"last_name\": \"LIMA\", \"contact_id\": \"second\", \"age\": null}},"
                               " \"view_limit\": 10}");
  call_fails (f, "add_new_contact", "{\"first_name\": \"ana\", \"last_name\": \"lima\"}", SIGMA_ERROR_TOOL_FAILED,
              "Contact already exists with contact id - second.");
  call_fails (f, "add_new_contact", "{\"first_name\": \"Bo\", \"last_name\": \"Chen\", \"gender\": \"male\"}",
              SIGMA_ERROR_TOOL_FAILED, "'male' is not a valid Gender");
  call_fails (f, "add_new_contact", "{\"first_name\": \"Bo\", \"last_name\": \"Chen\", \"status\": \"Gender.MALE\"}",
              SIGMA_ERROR_TOOL_FAILED, "'Gender.MALE' is not a valid Status");
  call_fails (f, "add_new_contact", "{\"first_name\": \"Bo\", \"last_name\": \"Chen\", \"status\": \"it's\"}",
              SIGMA_ERROR_TOOL_FAILED, "\"it's\" is not a valid Status");
  call_fails (f, "add_new_contact", "{\"first_name\": \"Bo\", \"last_name\": \"Chen\", \"age\": 0}",
              SIGMA_ERROR_TOOL_FAILED, "('Invalid age.', 0)");
  call_fails (f, "add_new_contact", "{\"first_name\": \"Bo\", \"last_name\": \"Chen\", \"age\": 101}",
              SIGMA_ERROR_TOOL_FAILED, "('Invalid age.', 101)");
  call_fails (f, "add_new_contact", "{\"first_name\": \"Bo\"}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_new_contact' is missing the required argument 'last_name'");
  g_assert_cmpuint (app_test_state_size (f->app, "contacts"), ==, 2);

  /* the first age failure drew id 0, the second id 1; this call gets id 2 */
  g_free (want);
  want = expected_id (2);
  id = call_ok (f, "add_new_contact", "{\"first_name\": \"Bo\", \"last_name\": \"Chen\", \"age\": 100}");
  g_assert_cmpstr (json_node_get_string (id), ==, want);
}

static void
test_edit_contact (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) contact = NULL;
  JsonObject *obj;

  g_test_summary ("edit_contact applies the updates; gender and status accept ARE's loose forms");

  app_test_load_state (f->app, sample_state);
  result = call_ok (f, "edit_contact",
                    "{\"contact_id\": \"c3\", \"updates\": {\"job\": \"Never Working Again\", \"age\": 50,"
                    " \"gender\": \"gender.FEMALE\", \"status\": \"retired\", \"phone\": \"+1 555\","
                    " \"is_user\": true, \"address\": null, \"first_name\": \"Bob\"}}");
  app_test_assert_json (result, "\"Contact c3 updated successfully.\"");
  contact = stored (f, "c3");
  obj = json_node_get_object (contact);
  g_assert_cmpstr (json_object_get_string_member (obj, "job"), ==, "Never Working Again");
  g_assert_cmpint (json_object_get_int_member (obj, "age"), ==, 50);
  g_assert_cmpstr (json_object_get_string_member (obj, "gender"), ==, "Female");
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "Retired");
  g_assert_cmpstr (json_object_get_string_member (obj, "phone"), ==, "+1 555");
  g_assert_true (json_object_get_boolean_member (obj, "is_user"));
  g_assert_true (json_object_get_null_member (obj, "address"));
  g_assert_cmpstr (json_object_get_string_member (obj, "first_name"), ==, "Bob");
  g_clear_pointer (&result, json_node_unref);
  g_clear_pointer (&contact, json_node_unref);

  /* age back to None, 30.0 is a whole number */
  result = call_ok (f, "edit_contact", "{\"contact_id\": \"c3\", \"updates\": {\"age\": null}}");
  contact = stored (f, "c3");
  g_assert_true (json_object_get_null_member (json_node_get_object (contact), "age"));
  g_clear_pointer (&result, json_node_unref);
  g_clear_pointer (&contact, json_node_unref);
  result = call_ok (f, "edit_contact", "{\"contact_id\": \"c3\", \"updates\": {\"age\": 30.0}}");
  contact = stored (f, "c3");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (contact), "age"), ==, 30);
}

static void
test_edit_contact_id (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) contact = NULL;
  g_autofree char *want = expected_id (0);

  g_test_summary ("An edit that empties contact_id gets a new id from the app rng; the contact "
                  "stays under its key");

  app_test_load_state (f->app, sample_state);
  result = call_ok (f, "edit_contact", "{\"contact_id\": \"c1\", \"updates\": {\"contact_id\": \"\"}}");
  contact = stored (f, "c1");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (contact), "contact_id"), ==, want);
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "get_contact", "{\"contact_id\": \"c1\"}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "contact_id"), ==, want);
}

static void
test_edit_contact_errors (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *updates; const char *message; } cases[] = {
    { "{\"job\": \"x\", \"nickname\": \"Bobby\"}", "nickname is not a valid attribute of Contact." },
    { "{\"summary\": \"x\"}", "summary is not a valid attribute of Contact." },
    { "{\"first_name\": null}", "Invalid first name." },
    { "{\"last_name\": null, \"age\": 500}", "Invalid last name." },
    { "{\"age\": 500, \"job\": \"x\"}", "('Invalid age.', 500)" },
    { "{\"age\": 0}", "('Invalid age.', 0)" },
    { "{\"age\": 30.5}", "('Invalid age.', 30.5)" },
    { "{\"age\": true}", "('Invalid age.', True)" },
    { "{\"age\": \"30\"}", "'<=' not supported between instances of 'int' and 'str'" },
    { "{\"age\": [30]}", "'<=' not supported between instances of 'int' and 'list'" },
    { "{\"gender\": \"Gender.FOO\"}", "'FOO' is not a valid Gender" },
    { "{\"gender\": 5}", "5 is not a valid Gender" },
    { "{\"gender\": 1.5}", "1.5 is not a valid Gender" },
    { "{\"gender\": 0.0001}", "0.0001 is not a valid Gender" },
    { "{\"gender\": 1e22}", "1e+22 is not a valid Gender" },
    { "{\"gender\": {\"a\": [false]}}", "{'a': [False]} is not a valid Gender" },
    { "{\"status\": null}", "None is not a valid Status" },
    { "{\"status\": \"\"}", "'' is not a valid Status" },
    { "{\"is_user\": \"yes\"}", "is_user must be true or false." },
    { "{\"first_name\": 3}", "first_name must be a string." },
    { "{\"job\": 3}", "job must be a string or null." },
  };

  g_test_summary ("edit_contact errors carry ARE's texts (Python reprs included) and change nothing");

  app_test_load_state (f->app, sample_state);
  call_fails (f, "edit_contact", "{\"contact_id\": \"zz\", \"updates\": {}}", SIGMA_ERROR_TOOL_FAILED,
              "'Contact does not exist.'");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *args = g_strdup_printf ("{\"contact_id\": \"c3\", \"updates\": %s}", cases[i].updates);
      g_autoptr(JsonNode) after = NULL;

      call_fails (f, "edit_contact", args, SIGMA_ERROR_TOOL_FAILED, cases[i].message);
      after = stored (f, "c3");
      app_test_assert_json (after, contact_c3);
    }
  call_fails (f, "edit_contact", "{\"contact_id\": \"c3\", \"updates\": []}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'edit_contact': argument 'updates' must be an object, got array");
}

static void
test_delete_contact (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("delete_contact removes the contact; an unknown id is ARE's quoted KeyError");

  app_test_load_state (f->app, sample_state);
  result = call_ok (f, "delete_contact", "{\"contact_id\": \"c2\"}");
  app_test_assert_json (result, "\"Contact c2 successfully deleted.\"");
  g_assert_cmpuint (app_test_state_size (f->app, "contacts"), ==, 4);
  call_fails (f, "delete_contact", "{\"contact_id\": \"c2\"}", SIGMA_ERROR_TOOL_FAILED, "'Contact does not exist.'");
  call_fails (f, "get_current_user_details", NULL, SIGMA_ERROR_TOOL_FAILED, "'User Contact does not exist.'");
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *query; const char *ids; } cases[] = {
    { "lima", "c1 c4" },              /* last name, any case */
    { "ROHINI", "c2" },               /* first name */
    { "ana lima", "c1" },             /* first last */
    { "lima ana", "c1" },             /* last first */
    { "+4412234", "c2" },             /* phone */
    { "CAM.AC", "c2" },               /* email */
    { "cambridge", "" },              /* not the city */
    { "ångström", "c5" },             /* Unicode lowercase */
    { "ZOË", "c5" },
    { "", "c1 c2 c3 c4 c5" },
  };

  g_test_summary ("search_contacts matches names, both full-name orders, phone and email, ignoring case");

  app_test_load_state (f->app, sample_state);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *args = g_strdup_printf ("{\"query\": \"%s\"}", cases[i].query);
      g_autoptr(JsonNode) result = call_ok (f, "search_contacts", args);
      g_autofree char *ids = app_test_array_members (result, "contact_id");

      g_assert_cmpstr (ids, ==, cases[i].ids);
    }
}

static void
test_state_round_trip (void)
{
  g_autoptr(SigmaApp) app = sigma_contacts_app_new ("Contacts");
  g_autoptr(SigmaApp) copy = sigma_contacts_app_new ("Contacts");

  g_test_summary ("get_state reproduces a loaded state exactly, and load_state(get_state()) is a fixed point");

  app_test_assert_state_round_trip (app, copy, sample_state);
}

static void
test_state_defaults (void)
{
  g_autoptr(SigmaApp) app = sigma_contacts_app_new ("Contacts");
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *id = app_test_seeded_id (0, "Contacts", 0);
  g_autofree char *expected = NULL;

  g_test_summary ("Loading fills ARE's .get() defaults (\"\" for absent text, Unknown enums, "
                  "false is_user), ignores unknown members and keeps the dict key");

  app_test_load_state (app, "{\"contacts\": {\"k\": {\"age\": null, \"nickname\": \"x\"}}, \"view_limit\": 3}");
  state = sigma_app_get_state (app);
  expected = g_strdup_printf ("{\"contacts\": {\"k\": {\"first_name\": \"\", \"last_name\": \"\", \"contact_id\": \"%s\","
                              " \"is_user\": false, \"gender\": \"Unknown\", \"age\": null, \"nationality\": \"\","
                              " \"city_living\": \"\", \"country\": \"\", \"status\": \"Unknown\", \"job\": \"\","
                              " \"description\": \"\", \"phone\": \"\", \"email\": \"\", \"address\": \"\"}},"
                              " \"view_limit\": 3}", id);
  app_test_assert_json (state, expected);
}

static void
test_load_replaces (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) state = NULL;

  g_test_summary ("load_state replaces the contacts; reset empties them and restores view_limit 10");

  app_test_load_state (f->app, sample_state);
  app_test_load_state (f->app, "{\"contacts\": {\"x\": {\"first_name\": \"A\", \"last_name\": \"B\", \"age\": null}}, \"view_limit\": 4}");
  g_assert_cmpuint (app_test_state_size (f->app, "contacts"), ==, 1);
  sigma_app_reset (f->app);
  state = sigma_app_get_state (f->app);
  app_test_assert_json (state, "{\"contacts\": {}, \"view_limit\": 10}");
}

static void
test_malformed_state (void)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "3", "Contacts: app_state must be a JSON object" },
    { "{\"view_limit\": 10}", "Contacts: app_state.contacts: missing (expected an object)" },
    { "{\"contacts\": {}}", "Contacts: app_state.view_limit: missing (expected an integer)" },
    { "{\"contacts\": {}, \"view_limit\": 0}", "Contacts: app_state.view_limit: 0 is not between 1 and 1000" },
    { "{\"contacts\": {}, \"view_limit\": \"10\"}", "Contacts: app_state.view_limit: expected an integer" },
    { "{\"contacts\": {\"a\": []}, \"view_limit\": 10}", "Contacts: app_state.contacts.a: expected an object" },
    { "{\"contacts\": {\"a\": {\"first_name\": null, \"age\": null}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.first_name: expected a string" },
    { "{\"contacts\": {\"a\": {\"last_name\": 4, \"age\": null}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.last_name: expected a string" },
    { "{\"contacts\": {\"a\": {\"contact_id\": 4, \"age\": null}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.contact_id: expected a string" },
    { "{\"contacts\": {\"a\": {\"is_user\": \"yes\", \"age\": null}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.is_user: expected a boolean" },
    { "{\"contacts\": {\"a\": {\"gender\": \"male\", \"age\": null}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.gender: expected one of \"Female\", \"Male\", \"Other\", \"Unknown\"" },
    { "{\"contacts\": {\"a\": {\"status\": null, \"age\": null}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.status: expected one of \"Student\", \"Employed\", \"Unemployed\", \"Retired\", \"Unknown\"" },
    { "{\"contacts\": {\"a\": {\"first_name\": \"A\"}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.age: missing (expected an integer or null)" },
    { "{\"contacts\": {\"a\": {\"age\": 0}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.age: 0 is not an age from 1 to 100" },
    { "{\"contacts\": {\"a\": {\"age\": \"40\"}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.age: expected an integer" },
    { "{\"contacts\": {\"a\": {\"age\": 3, \"email\": [\"x\"]}}, \"view_limit\": 10}",
      "Contacts: app_state.contacts.a.email: expected a string" },
  };

  g_test_summary ("A malformed state is SIGMA_ERROR_INVALID_DATA naming the app and the field, "
                  "and leaves the app unchanged");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SigmaApp) app = sigma_apps_create ("Contacts", NULL, NULL);
      g_autoptr(JsonNode) after = NULL;
      g_autoptr(JsonNode) before = NULL;

      app_test_load_state (app, sample_state);
      before = sigma_app_get_state (app);
      app_test_assert_load_fails (app, cases[i].state, cases[i].message);
      after = sigma_app_get_state (app);
      g_assert_true (json_node_equal (after, before));
    }
}

static void
test_lenient_state (void)
{
  g_test_summary ("In lenient mode a malformed contact or view_limit is skipped with a warning");

  if (app_test_lenient_subprocess ("*Contacts: app_state.contacts.b.age: 300 is not an age from 1 to 100 (skipped)*"
                                   "Contacts: app_state.view_limit: -1 is not between 1 and 1000 (skipped)*"))
    {
      g_autoptr(SigmaApp) app = sigma_contacts_app_new ("Contacts");
      g_autoptr(JsonNode) state = NULL;
      JsonObject *root;

      app_test_load_lenient (app, "{\"contacts\": {\"a\": {\"age\": 3}, \"b\": {\"age\": 300}, \"c\": {\"age\": null}},"
                                  " \"view_limit\": -1}");
      state = sigma_app_get_state (app);
      root = json_node_get_object (state);
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (root, "contacts")), ==, 2);
      g_assert_false (json_object_has_member (json_object_get_object_member (root, "contacts"), "b"));
      g_assert_cmpint (json_object_get_int_member (root, "view_limit"), ==, 10);
    }
}

static void
test_determinism (void)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);

  g_test_summary ("The same seed gives the same contact ids; another seed gives others");

  for (guint run = 0; run < 3; run++)
    {
      Fixture fixture = { NULL, NULL }, *f = &fixture;

      fixture_set_up (f, NULL);
      if (run == 2)
        sigma_environment_set_seed (f->env, SEED + 1);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *args = g_strdup_printf ("{\"first_name\": \"A\", \"last_name\": \"N%u\"}", i);
          g_autoptr(JsonNode) id = call_ok (f, "add_new_contact", args);

          if (run == 0)
            g_ptr_array_add (first, g_strdup (json_node_get_string (id)));
          else if (run == 1)
            g_assert_cmpstr (json_node_get_string (id), ==, g_ptr_array_index (first, i));
          else
            g_assert_cmpstr (json_node_get_string (id), !=, g_ptr_array_index (first, i));
        }
      app_test_fixture_clear (f);
    }
}

static void
test_no_notifications (Fixture       *f,
                       gconstpointer  data)
{
  SigmaNotificationSystem *notifications = sigma_environment_get_notifications (f->env);
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) e = NULL;
  g_autoptr(JsonNode) d = NULL;

  g_test_summary ("The app raises no notifications, even at HIGH verbosity (apps.md §11)");

  sigma_notification_system_set_verbosity (notifications, SIGMA_VERBOSITY_HIGH);
  app_test_load_state (f->app, sample_state);
  a = call_ok (f, "add_new_contact", "{\"first_name\": \"A\", \"last_name\": \"B\"}");
  e = call_ok (f, "edit_contact", "{\"contact_id\": \"c1\", \"updates\": {\"job\": \"x\"}}");
  d = call_ok (f, "delete_contact", "{\"contact_id\": \"c1\"}");
  pending = sigma_notification_system_list_pending (notifications);
  g_assert_cmpuint (pending->len, ==, 0);
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  SigmaEventLog *log = sigma_environment_get_log (f->env);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  SigmaCompletedEvent *event;

  g_test_summary ("Calls are logged with their operation, effective arguments and result or error");

  app_test_load_state (f->app, sample_state);
  result = call_ok (f, "edit_contact", "{\"contact_id\": \"c2\", \"updates\": {\"job\": \"Never Working Again\"}}");
  g_clear_pointer (&result, json_node_unref);
  result = call (f, "delete_contact", "{\"contact_id\": \"zz\"}", &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);

  g_assert_cmpuint (sigma_event_log_get_length (log), ==, 2);
  event = sigma_event_log_get (log, 0);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, "Contacts");
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "edit_contact");
  g_assert_cmpint (sigma_completed_event_get_operation (event), ==, SIGMA_TOOL_OPERATION_WRITE);
  g_assert_cmpstr (json_node_get_string (sigma_completed_event_get_return_value (event)), ==,
                   "Contact c2 updated successfully.");
  event = sigma_event_log_get (log, 1);
  g_assert_true (sigma_completed_event_is_failure (event));
  g_assert_cmpstr (sigma_completed_event_get_error_message (event), ==, "'Contact does not exist.'");
}

/* Every ContactsApp/Contacts/InternalContacts app_state of the Gaia2 scenario round-trips. */
static void
test_corpus (void)
{
  static const char * const classes[] = { "ContactsApp", "Contacts", "InternalContacts", NULL };

  g_test_summary ("Every contacts app_state of the Gaia2 universe scenario (apps and augmentation) "
                  "loads and round-trips exactly");

  /* Contacts and InternalContacts */
  app_test_corpus_check_round_trips (classes, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sigma/apps/contacts/" path, Fixture, NULL, fixture_set_up, func, app_test_fixture_tear_down)

  g_test_add_func ("/sigma/apps/contacts/create", test_create);
  g_test_add_func ("/sigma/apps/contacts/tools", test_tools);
  ADD ("get-contacts", test_get_contacts);
  ADD ("get-contact", test_get_contact);
  ADD ("current-user", test_current_user);
  ADD ("add-contact", test_add_contact);
  ADD ("add-contact-errors", test_add_contact_errors);
  ADD ("edit-contact", test_edit_contact);
  ADD ("edit-contact-id", test_edit_contact_id);
  ADD ("edit-contact-errors", test_edit_contact_errors);
  ADD ("delete-contact", test_delete_contact);
  ADD ("search", test_search);
  ADD ("load-replaces", test_load_replaces);
  ADD ("no-notifications", test_no_notifications);
  ADD ("log", test_log);
  g_test_add_func ("/sigma/apps/contacts/state-round-trip", test_state_round_trip);
  g_test_add_func ("/sigma/apps/contacts/state-defaults", test_state_defaults);
  g_test_add_func ("/sigma/apps/contacts/malformed-state", test_malformed_state);
  g_test_add_func ("/sigma/apps/contacts/lenient-state", test_lenient_state);
  g_test_add_func ("/sigma/apps/contacts/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/contacts/corpus", test_corpus);

#undef ADD

  return g_test_run ();
}
