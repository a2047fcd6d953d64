/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sigma.h>

#define START_TIME 1729000000.5   /* 2024-10-15T13:46:40.500000+00:00 */

typedef struct
{
  SigmaEnvironment *env;
  SigmaApp         *app;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->env = sigma_environment_new ();
  sigma_environment_set_start_time (f->env, START_TIME);
  f->app = sigma_apps_create ("Shopping", NULL, &error);
  g_assert_no_error (error);
  sigma_environment_add_app (f->env, f->app, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->app);
  g_clear_object (&f->env);
}

/* A formatted string freed at the end of the test. */
static const char *fmt (const char *format, ...) G_GNUC_PRINTF (1, 2);

static const char *
fmt (const char *format,
     ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_queue_free (text);
  return text;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json != NULL ? json : "{}", &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
call_as (Fixture         *f,
         SigmaEventType   type,
         const char      *tool,
         const char      *args_json,
         GError         **error)
{
  g_autoptr(JsonObject) args = parse_object (args_json);

  return sigma_environment_call_tool (f->env, "Shopping", tool, args, type, error);
}

static JsonNode *
call_ok (Fixture    *f,
         const char *tool,
         const char *args_json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *result = call_as (f, SIGMA_EVENT_TYPE_AGENT, tool, args_json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static char *
call_ok_string (Fixture    *f,
                const char *tool,
                const char *args_json)
{
  g_autoptr(JsonNode) result = call_ok (f, tool, args_json);

  g_assert_true (JSON_NODE_HOLDS_VALUE (result));
  return g_strdup (json_node_get_string (result));
}

static void
call_fails (Fixture    *f,
            const char *tool,
            const char *args_json,
            gint        code,
            const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = call_as (f, SIGMA_EVENT_TYPE_AGENT, tool, args_json, &error);

  g_assert_null (result);
  g_assert_error (error, SIGMA_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

/* Exact comparison: member order and integer/float kinds included. */
static void
assert_json (JsonNode   *node,
             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) want = json_from_string (expected, &error);
  g_autofree char *got_text = json_to_string (node, FALSE);
  g_autofree char *want_text = NULL;

  g_assert_no_error (error);
  want_text = json_to_string (want, FALSE);
  g_assert_cmpstr (got_text, ==, want_text);
}

static void
assert_state (Fixture    *f,
              const char *expected)
{
  g_autoptr(JsonNode) state = sigma_app_get_state (f->app);

  assert_json (state, expected);
}

static void
load_state (Fixture    *f,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) state = json_from_string (json, &error);

  g_assert_no_error (error);
  sigma_app_load_state (f->app, state, &error);
  g_assert_no_error (error);
}

/* The k-th uuid_hex the app draws under @seed (k from 0). */
static char *
expected_id (SigmaApp *app,
             guint64   seed,
             guint     k)
{
  guint32 seed32 = sigma_derive_seed (seed, sigma_app_get_name (app));
  GRand *rand = g_rand_new_with_seed_array (&seed32, 1);
  char *id = NULL;

  for (guint i = 0; i <= k; i++)
    {
      g_free (id);
      id = sigma_random_uuid_hex (rand);
    }
  g_rand_free (rand);
  return id;
}

/* A catalogue with two products, a cart and discount codes. */
static const char *catalogue_state =
  "{\"products\": {"
  "  \"p1\": {\"name\": \"Trail Shoe\", \"product_id\": \"p1\", \"variants\": {"
  "    \"i1\": {\"price\": 19.99, \"available\": true, \"item_id\": \"i1\", \"options\": {\"size\": \"42\"}},"
  "    \"i2\": {\"price\": 100, \"available\": true, \"item_id\": \"i2\", \"options\": {}},"
  "    \"i3\": {\"price\": 5.5, \"available\": false, \"item_id\": \"i3\", \"options\": {}}}},"
  "  \"p2\": {\"name\": \"anorak\", \"product_id\": \"p2\", \"variants\": {"
  "    \"i4\": {\"price\": 80.0, \"available\": true, \"item_id\": \"i4\", \"options\": {\"color\": \"red\"}}}}},"
  " \"cart\": {},"
  " \"discount_codes\": {\"i1\": {\"SAVE15\": 15, \"HALF\": 50}, \"i2\": {\"SAVE15\": 15}},"
  " \"orders\": {}}";

/* ------------------------------------------------------------------------------------ */

static void
test_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = sigma_apps_create ("ShoppingApp", NULL, &error);
  g_autoptr(SigmaApp) shopping = sigma_apps_create ("Shopping", NULL, &error);
  g_autoptr(GPtrArray) tools = NULL;
  static const char * const names[] = {
    "add_product", "add_item_to_product", "update_item", "add_discount_code", "add_order",
    "list_all_products", "get_product_details", "search_product", "add_to_cart",
    "remove_from_cart", "list_cart", "checkout", "get_discount_code_info",
    "get_all_discount_codes", "list_orders", "get_order_details", "update_order_status",
    "cancel_order",
  };

  g_test_summary ("The app is created from both ARE class names, with ARE's tools in ARE's order");

  g_assert_no_error (error);
  g_assert_cmpstr (sigma_app_get_class_name (app), ==, "ShoppingApp");
  g_assert_cmpstr (sigma_app_get_name (app), ==, "ShoppingApp");
  g_assert_cmpstr (sigma_app_get_class_name (shopping), ==, "Shopping");
  g_assert_cmpstr (sigma_app_get_name (shopping), ==, "Shopping");

  tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < tools->len; i++)
    {
      SigmaTool *tool = g_ptr_array_index (tools, i);

      g_assert_cmpstr (sigma_tool_get_name (tool), ==, names[i]);
      g_assert_nonnull (sigma_tool_get_description (tool));
      for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
        g_assert_nonnull (sigma_tool_get_parameter_description (tool, p));
    }

  g_assert_cmpint (sigma_tool_get_roles (sigma_app_lookup_tool (app, "cancel_order")), ==,
                   SIGMA_TOOL_ROLE_AGENT | SIGMA_TOOL_ROLE_ENV);
  g_assert_cmpint (sigma_tool_get_roles (sigma_app_lookup_tool (app, "update_order_status")), ==,
                   SIGMA_TOOL_ROLE_ENV);
  g_assert_cmpint (sigma_tool_get_roles (sigma_app_lookup_tool (app, "add_order")), ==,
                   SIGMA_TOOL_ROLE_DATA);
  g_assert_cmpint (sigma_tool_get_operation (sigma_app_lookup_tool (app, "checkout")), ==,
                   SIGMA_TOOL_OPERATION_WRITE);
  g_assert_cmpint (sigma_tool_get_operation (sigma_app_lookup_tool (app, "list_cart")), ==,
                   SIGMA_TOOL_OPERATION_READ);
}

static void
test_catalogue (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *pid = NULL;
  g_autofree char *iid = NULL;
  g_autofree char *iid2 = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("add_product, add_item_to_product, update_item and get_product_details, "
                  "with their errors");

  pid = call_ok_string (f, "add_product", "{\"name\": \"Kettle\"}");
  g_assert_cmpuint (strlen (pid), ==, 32);

  /* An integer price is accepted for a float parameter and kept as a float. */
  iid = call_ok_string (f, "add_item_to_product",
                        fmt ("{\"product_id\": \"%s\", \"price\": 30}", pid));
  iid2 = call_ok_string (f, "add_item_to_product",
                         fmt ("{\"product_id\": \"%s\", \"price\": 45.5, "
                                          "\"options\": {\"color\": \"steel\"}, \"available\": false}", pid));
  details = call_ok (f, "get_product_details", fmt ("{\"product_id\": \"%s\"}", pid));
  expected = g_strdup_printf ("{\"name\": \"Kettle\", \"product_id\": \"%s\", \"variants\": {"
                              "\"%s\": {\"price\": 30.0, \"available\": true, \"item_id\": \"%s\", \"options\": {}},"
                              "\"%s\": {\"price\": 45.5, \"available\": false, \"item_id\": \"%s\", "
                              "\"options\": {\"color\": \"steel\"}}}}",
                              pid, iid, iid, iid2, iid2);
  assert_json (details, expected);

  result = call_ok (f, "update_item", fmt ("{\"item_id\": \"%s\", \"new_price\": 12}", iid2));
  assert_json (result, fmt ("\"%s\"", iid2));
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "update_item", fmt ("{\"item_id\": \"%s\", \"new_availability\": true}", iid2));
  g_clear_pointer (&details, json_node_unref);
  details = call_ok (f, "get_product_details", fmt ("{\"product_id\": \"%s\"}", pid));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (details), "variants"), iid2), "price"), ==, 12.0);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (details), "variants"), iid2), "available"));

  call_fails (f, "add_item_to_product", "{\"product_id\": \"nope\", \"price\": 1.0}",
              SIGMA_ERROR_TOOL_FAILED, "Product does not exist");
  call_fails (f, "add_item_to_product", "{\"product_id\": \"nope\", \"price\": \"1.0\"}",
              SIGMA_ERROR_INVALID_ARGUMENT, "Tool 'add_item_to_product': argument 'price' must be a number, got string");
  call_fails (f, "update_item", fmt ("{\"item_id\": \"%s\"}", iid),
              SIGMA_ERROR_TOOL_FAILED, "No update provided");
  call_fails (f, "update_item", "{\"item_id\": \"ghost\", \"new_price\": 3.0}",
              SIGMA_ERROR_TOOL_FAILED, "Item with id ghost does not exist");
  call_fails (f, "get_product_details", "{\"product_id\": \"ghost\"}",
              SIGMA_ERROR_TOOL_FAILED, "Product does not exist");
}

static void
test_list_and_search (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) none = NULL;

  g_test_summary ("list_all_products sorts by code point and pages; search_product matches "
                  "without case and resolves repeated names to the last product");

  load_state (f,
    "{\"products\": {"
    " \"b\": {\"name\": \"banana\", \"product_id\": \"b\", \"variants\": {}},"
    " \"a1\": {\"name\": \"Apple\", \"product_id\": \"a1\", \"variants\": {}},"
    " \"a2\": {\"name\": \"Apple\", \"product_id\": \"a2\", \"variants\": {}},"
    " \"c\": {\"name\": \"Cherry pie\", \"product_id\": \"c\", \"variants\": {}}},"
    " \"cart\": {}, \"discount_codes\": {}, \"orders\": {}}");

  listed = call_ok (f, "list_all_products", NULL);
  assert_json (listed, "{\"products\": {\"Apple\": \"a2\", \"Cherry pie\": \"c\", \"banana\": \"b\"},"
                       " \"metadata\": {\"range\": [0, 4], \"total\": 4}}");
  page = call_ok (f, "list_all_products", "{\"offset\": 1, \"limit\": 1}");
  assert_json (page, "{\"products\": {\"Cherry pie\": \"c\"}, \"metadata\": {\"range\": [1, 2], \"total\": 4}}");

  found = call_ok (f, "search_product", "{\"product_name\": \"APP\"}");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (found)), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (found), i),
                                                    "product_id"), ==, "a2");
  none = call_ok (f, "search_product", "{\"product_name\": \"e\", \"offset\": 5}");
  assert_json (none, "[]");

  call_fails (f, "list_all_products", "{\"offset\": -1}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'list_all_products': argument 'offset' must be non-negative, got -1");
  call_fails (f, "list_all_products", "{\"limit\": 100000}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'list_all_products': argument 'limit' must be between 0 and 1000, got 100000");
  call_fails (f, "search_product", "{\"product_name\": \"a\", \"limit\": -2}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'search_product': argument 'limit' must be between 0 and 1000, got -2");
}

static void
test_search_key_error (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("search_product looks products up by product_id among the catalogue keys, so "
                  "a product stored under another key raises ARE's KeyError");

  load_state (f,
    "{\"products\": {\"prefix_p1\": {\"name\": \"Toy train\", \"product_id\": \"p1\", \"variants\": {}}}}");
  call_fails (f, "search_product", "{\"product_name\": \"train\"}", SIGMA_ERROR_TOOL_FAILED, "'p1'");
}

static void
test_cart (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonNode) cart = NULL;
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("add_to_cart snapshots the item and only grows existing entries; "
                  "remove_from_cart and their errors");

  load_state (f, catalogue_state);

  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i1\", \"quantity\": 2}");
  assert_json (result, "\"i1\"");
  g_clear_pointer (&result, json_node_unref);
  /* A later price change does not reach an item already in the cart. */
  result = call_ok (f, "update_item", "{\"item_id\": \"i1\", \"new_price\": 1.0}");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i1\"}");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i2\", \"quantity\": 1}");
  cart = call_ok (f, "list_cart", NULL);
  assert_json (cart, "{\"i1\": {\"item_id\": \"i1\", \"quantity\": 3, \"price\": 19.99, \"available\": true,"
                     " \"options\": {\"size\": \"42\"}},"
                     " \"i2\": {\"item_id\": \"i2\", \"quantity\": 1, \"price\": 100, \"available\": true,"
                     " \"options\": {}}}");

  call_fails (f, "add_to_cart", "{\"item_id\": \"i1\", \"quantity\": 0}",
              SIGMA_ERROR_TOOL_FAILED, "Quantity cannot be negative or zero");
  call_fails (f, "add_to_cart", "{\"item_id\": \"zz\"}", SIGMA_ERROR_TOOL_FAILED, "Product does not exist");
  call_fails (f, "add_to_cart", "{\"item_id\": \"i3\"}", SIGMA_ERROR_TOOL_FAILED, "Product is not available");
  call_fails (f, "add_to_cart", "{\"item_id\": \"i1\", \"quantity\": 1.5}", SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_to_cart': argument 'quantity' must be an integer, got number");

  call_fails (f, "remove_from_cart", "{\"item_id\": \"i1\", \"quantity\": -1}",
              SIGMA_ERROR_TOOL_FAILED, "Quantity cannot be negative");
  call_fails (f, "remove_from_cart", "{\"item_id\": \"i4\"}", SIGMA_ERROR_TOOL_FAILED, "Product not in cart");
  call_fails (f, "remove_from_cart", "{\"item_id\": \"i1\", \"quantity\": 4}",
              SIGMA_ERROR_TOOL_FAILED, "Quantity exceeds available quantity");

  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "remove_from_cart", "{\"item_id\": \"i1\", \"quantity\": 2}");
  assert_json (result, "\"i1\"");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "remove_from_cart", "{\"item_id\": \"i2\"}");
  g_clear_pointer (&cart, json_node_unref);
  cart = call_ok (f, "list_cart", NULL);
  assert_json (cart, "{\"i1\": {\"item_id\": \"i1\", \"quantity\": 1, \"price\": 19.99, \"available\": true,"
                     " \"options\": {\"size\": \"42\"}}}");
}

static void
test_checkout (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *order_id = NULL;
  g_autofree char *id0 = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) order = NULL;
  g_autoptr(JsonNode) cart = NULL;
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("checkout: discount checks on every item, the float total, the new order "
                  "and the emptied cart");

  load_state (f, catalogue_state);
  call_fails (f, "checkout", NULL, SIGMA_ERROR_TOOL_FAILED, "Cart is empty");

  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i1\", \"quantity\": 3}");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i2\", \"quantity\": 2}");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i4\"}");
  g_clear_pointer (&result, json_node_unref);

  call_fails (f, "checkout", "{\"discount_code\": \"HALF\"}", SIGMA_ERROR_TOOL_FAILED,
              "The provided discount code is not valid for the item with id - i2");
  call_fails (f, "checkout", "{\"discount_code\": \"SAVE15\"}", SIGMA_ERROR_TOOL_FAILED,
              "There is no valid discount codes for the item with id - i4");
  /* A failed checkout changes nothing. */
  result = call_ok (f, "remove_from_cart", "{\"item_id\": \"i4\"}");
  g_clear_pointer (&result, json_node_unref);

  order_id = call_ok_string (f, "checkout", "{\"discount_code\": \"SAVE15\"}");
  /* The order id is the app's first draw: nothing before it used the generator. */
  id0 = expected_id (f->app, 0, 0);
  g_assert_cmpstr (order_id, ==, id0);

  /* 19.99*3*(1-15/100) + 100*2*(1-15/100) in Python floats. */
  order = call_ok (f, "get_order_details", fmt ("{\"order_id\": \"%s\"}", order_id));
  expected = g_strdup_printf ("{\"order_status\": \"processed\", \"order_date\": \"2024-10-15T13:46:40.500000+00:00\","
                              " \"order_total\": 220.9745, \"order_id\": \"%s\", \"order_items\": {"
                              "\"i1\": {\"item_id\": \"i1\", \"quantity\": 3, \"price\": 19.99, \"available\": true,"
                              " \"options\": {\"size\": \"42\"}},"
                              "\"i2\": {\"item_id\": \"i2\", \"quantity\": 2, \"price\": 100, \"available\": true,"
                              " \"options\": {}}}}", order_id);
  assert_json (order, expected);

  cart = call_ok (f, "list_cart", NULL);
  assert_json (cart, "{}");

  /* An empty code means no discount. */
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i1\", \"quantity\": 3}");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i2\", \"quantity\": 2}");
  g_clear_pointer (&result, json_node_unref);
  g_free (order_id);
  order_id = call_ok_string (f, "checkout", "{\"discount_code\": \"\"}");
  g_clear_pointer (&order, json_node_unref);
  order = call_ok (f, "get_order_details", fmt ("{\"order_id\": \"%s\"}", order_id));
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (order), "order_total"), ==, 259.97);
}

static void
test_discount_codes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("add_discount_code merges codes; get_discount_code_info and "
                  "get_all_discount_codes");

  load_state (f, catalogue_state);

  result = call_ok (f, "add_discount_code", "{\"item_id\": \"i4\", \"discount_code\": {\"SAVE15\": 20, \"X\": 5.5}}");
  assert_json (result, "\"Successfully added the discount code\"");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "add_discount_code", "{\"item_id\": \"i1\", \"discount_code\": {\"SAVE15\": 10}}");

  info = call_ok (f, "get_discount_code_info", "{\"discount_code\": \"SAVE15\"}");
  assert_json (info, "{\"i1\": 10.0, \"i2\": 15, \"i4\": 20.0}");
  all = call_ok (f, "get_all_discount_codes", NULL);
  assert_json (all, "{\"SAVE15\": [\"i1\", \"i2\", \"i4\"], \"HALF\": [\"i1\"], \"X\": [\"i4\"]}");
  g_clear_pointer (&info, json_node_unref);
  info = call_ok (f, "get_discount_code_info", NULL);
  assert_json (info, "{}");

  call_fails (f, "add_discount_code", "{\"item_id\": \"p1\", \"discount_code\": {\"A\": 1}}",
              SIGMA_ERROR_TOOL_FAILED, "Item p1 does not exist in the inventory.");
  call_fails (f, "add_discount_code", "{\"item_id\": \"i1\", \"discount_code\": {\"A\": \"ten\"}}",
              SIGMA_ERROR_INVALID_ARGUMENT,
              "Tool 'add_discount_code': argument 'discount_code' must map codes to numbers, but 'A' is not a number");
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *order_id = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) orders = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("list_orders, get_order_details, update_order_status and cancel_order, "
                  "with their errors");

  load_state (f, catalogue_state);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i4\"}");
  order_id = call_ok_string (f, "checkout", NULL);

  orders = call_ok (f, "list_orders", NULL);
  g_assert_true (json_object_has_member (json_node_get_object (orders), order_id));

  call_fails (f, "get_order_details", "{\"order_id\": \"x\"}", SIGMA_ERROR_TOOL_FAILED, "Order does not exist");
  g_clear_pointer (&result, json_node_unref);
  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "update_order_status", "{\"order_id\": \"x\"}", &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_assert_cmpstr (error->message, ==, "Order does not exist");
  g_clear_error (&error);
  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "update_order_status",
                    fmt ("{\"order_id\": \"%s\", \"status\": \"lost\"}", order_id), &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_assert_cmpstr (error->message, ==, "Invalid status");
  g_clear_error (&error);

  /* The default status is "shipped"; the tool returns None. */
  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "update_order_status",
                    fmt ("{\"order_id\": \"%s\"}", order_id), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (result));
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "get_order_details", fmt ("{\"order_id\": \"%s\"}", order_id));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "order_status"), ==, "shipped");

  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "cancel_order", fmt ("{\"order_id\": \"%s\"}", order_id));
  assert_json (result, fmt ("\"%s\"", order_id));
  call_fails (f, "cancel_order", fmt ("{\"order_id\": \"%s\"}", order_id), SIGMA_ERROR_TOOL_FAILED,
              fmt ("Order %s cannot be cancelled, current status: cancelled", order_id));
  call_fails (f, "cancel_order", "{\"order_id\": \"x\"}", SIGMA_ERROR_TOOL_FAILED, "Order does not exist");

  g_clear_pointer (&result, json_node_unref);
  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "update_order_status",
                    fmt ("{\"order_id\": \"%s\", \"status\": \"delivered\"}", order_id), &error);
  g_assert_no_error (error);
  call_fails (f, "cancel_order", fmt ("{\"order_id\": \"%s\"}", order_id), SIGMA_ERROR_TOOL_FAILED,
              fmt ("Order %s cannot be cancelled, current status: delivered", order_id));
}

static void
test_add_order (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) order = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("add_order records an order of one item (ARE's always raises a TypeError)");

  load_state (f, catalogue_state);
  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "add_order",
                    "{\"order_id\": \"o1\", \"order_status\": \"delivered\", \"order_date\": 1728000000,"
                    " \"order_total\": 39.98, \"item_id\": \"i1\", \"quantity\": 2}", &error);
  g_assert_no_error (error);
  assert_json (result, "\"o1\"");

  order = call_ok (f, "get_order_details", "{\"order_id\": \"o1\"}");
  assert_json (order, "{\"order_status\": \"delivered\", \"order_date\": 1728000000.0, \"order_total\": 39.98,"
                      " \"order_id\": \"o1\", \"order_items\": {\"i1\": {\"item_id\": \"i1\", \"quantity\": 2,"
                      " \"price\": 19.99, \"available\": true, \"options\": {\"size\": \"42\"}}}}");

  g_clear_pointer (&result, json_node_unref);
  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "add_order",
                    "{\"order_id\": \"o2\", \"order_status\": \"delivered\", \"order_date\": 1.0,"
                    " \"order_total\": 1.0, \"item_id\": \"nope\", \"quantity\": 1}", &error);
  g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_TOOL_FAILED);
  g_assert_cmpstr (error->message, ==, "Item does not exist");
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  SigmaEventLog *log = sigma_environment_get_log (f->env);
  g_autoptr(JsonNode) result = NULL;
  SigmaCompletedEvent *event;
  guint n;

  g_test_summary ("Calls through the environment are logged with their arguments, result or error");

  load_state (f, catalogue_state);
  n = sigma_event_log_get_length (log);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i1\"}");
  call_fails (f, "add_to_cart", "{\"item_id\": \"zz\"}", SIGMA_ERROR_TOOL_FAILED, "Product does not exist");

  g_assert_cmpuint (sigma_event_log_get_length (log), ==, n + 2);
  event = sigma_event_log_get (log, n);
  g_assert_cmpstr (sigma_completed_event_get_app_name (event), ==, "Shopping");
  g_assert_cmpstr (sigma_completed_event_get_function (event), ==, "add_to_cart");
  g_assert_cmpint (sigma_completed_event_get_event_type (event), ==, SIGMA_EVENT_TYPE_AGENT);
  g_assert_true (sigma_completed_event_is_write (event));
  assert_json (sigma_completed_event_get_return_value (event), "\"i1\"");
  g_assert_cmpint (json_object_get_int_member (sigma_completed_event_get_args (event), "quantity"), ==, 1);

  event = sigma_event_log_get (log, n + 1);
  g_assert_true (sigma_completed_event_is_failure (event));
  g_assert_cmpstr (sigma_completed_event_get_error_message (event), ==, "Product does not exist");
}

static guint
n_notifications (Fixture *f)
{
  return sigma_notification_system_get_n_pending (sigma_environment_get_notifications (f->env));
}

static const char *
last_notification (Fixture *f)
{
  g_autoptr(GPtrArray) pending = sigma_notification_system_list_pending (sigma_environment_get_notifications (f->env));

  g_assert_cmpuint (pending->len, >, 0);
  return sigma_notification_get_message (g_ptr_array_index (pending, pending->len - 1));
}

/* Runs the notifying calls at @verbosity; returns how many notifications they raised. */
static guint
notify_round (Fixture        *f,
              SigmaVerbosity  verbosity)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *order_id = NULL;
  g_autofree char *pid = NULL;
  guint before = n_notifications (f);
  JsonNode *result;

  sigma_notification_system_set_verbosity (sigma_environment_get_notifications (f->env), verbosity);

  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "add_product", "{\"name\": \"Lamp\"}", &error);
  g_assert_no_error (error);
  pid = g_strdup (json_node_get_string (result));
  json_node_unref (result);
  if (verbosity == SIGMA_VERBOSITY_HIGH)
    g_assert_cmpstr (last_notification (f), ==, "Shopping: New product added: Lamp");

  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "add_item_to_product",
                    fmt ("{\"product_id\": \"%s\", \"price\": 9.5}", pid), &error);
  g_assert_no_error (error);
  json_node_unref (result);
  if (verbosity == SIGMA_VERBOSITY_HIGH)
    g_assert_cmpstr (last_notification (f), ==,
                     fmt ("Shopping: New item added to product with Id %s", pid));

  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "add_discount_code",
                    "{\"item_id\": \"i1\", \"discount_code\": {\"NEW\": 5}}", &error);
  g_assert_no_error (error);
  json_node_unref (result);
  if (verbosity == SIGMA_VERBOSITY_HIGH)
    g_assert_cmpstr (last_notification (f), ==, "Shopping: New discount code for item with Id i1");

  json_node_unref (call_ok (f, "add_to_cart", "{\"item_id\": \"i1\"}"));
  order_id = call_ok_string (f, "checkout", NULL);
  result = call_as (f, SIGMA_EVENT_TYPE_ENV, "update_order_status",
                    fmt ("{\"order_id\": \"%s\"}", order_id), &error);
  g_assert_no_error (error);
  if (result != NULL)
    json_node_unref (result);
  if (verbosity >= SIGMA_VERBOSITY_MEDIUM)
    g_assert_cmpstr (last_notification (f), ==, fmt ("Shopping: Updated order with Id %s", order_id));

  /* The agent's own cancellation does not notify; the user's or the world's does. */
  json_node_unref (call_ok (f, "cancel_order", fmt ("{\"order_id\": \"%s\"}", order_id)));
  json_node_unref (call_ok (f, "add_to_cart", "{\"item_id\": \"i1\"}"));
  g_free (order_id);
  order_id = call_ok_string (f, "checkout", NULL);
  result = call_as (f, SIGMA_EVENT_TYPE_USER, "cancel_order",
                    fmt ("{\"order_id\": \"%s\"}", order_id), &error);
  g_assert_no_error (error);
  json_node_unref (result);
  if (verbosity >= SIGMA_VERBOSITY_MEDIUM)
    g_assert_cmpstr (last_notification (f), ==, fmt ("Shopping: Order cancelled with Id %s", order_id));

  return n_notifications (f) - before;
}

static void
test_notifications (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("Notifications: none at LOW; order changes at MEDIUM (agent cancellations "
                  "excluded); catalogue changes too at HIGH");

  load_state (f, catalogue_state);
  g_assert_cmpuint (notify_round (f, SIGMA_VERBOSITY_LOW), ==, 0);
  g_assert_cmpuint (notify_round (f, SIGMA_VERBOSITY_MEDIUM), ==, 2);
  g_assert_cmpuint (notify_round (f, SIGMA_VERBOSITY_HIGH), ==, 5);
}

static void
test_notification_class_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
  g_autoptr(SigmaApp) app = sigma_apps_create ("ShoppingApp", "Store", &error);
  g_autoptr(JsonObject) args = parse_object ("{\"name\": \"Desk\"}");
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) pending = NULL;

  g_test_summary ("Notification texts start with the ARE class name, not the instance name");

  sigma_environment_add_app (env, app, &error);
  g_assert_no_error (error);
  sigma_notification_system_set_verbosity (sigma_environment_get_notifications (env), SIGMA_VERBOSITY_HIGH);
  result = sigma_environment_call_tool (env, "Store", "add_product", args, SIGMA_EVENT_TYPE_ENV, &error);
  g_assert_no_error (error);
  pending = sigma_notification_system_list_pending (sigma_environment_get_notifications (env));
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (sigma_notification_get_message (g_ptr_array_index (pending, 0)), ==,
                   "ShoppingApp: New product added: Desk");
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again_text = NULL;
  g_autoptr(JsonNode) result = NULL;

  g_test_summary ("get_state is ARE's app_state, and load_state(get_state()) reproduces it exactly");

  load_state (f, catalogue_state);
  /* ARE's key order: products, cart, discount_codes, orders. */
  assert_state (f,
    "{\"products\": {"
    "  \"p1\": {\"name\": \"Trail Shoe\", \"product_id\": \"p1\", \"variants\": {"
    "    \"i1\": {\"price\": 19.99, \"available\": true, \"item_id\": \"i1\", \"options\": {\"size\": \"42\"}},"
    "    \"i2\": {\"price\": 100, \"available\": true, \"item_id\": \"i2\", \"options\": {}},"
    "    \"i3\": {\"price\": 5.5, \"available\": false, \"item_id\": \"i3\", \"options\": {}}}},"
    "  \"p2\": {\"name\": \"anorak\", \"product_id\": \"p2\", \"variants\": {"
    "    \"i4\": {\"price\": 80.0, \"available\": true, \"item_id\": \"i4\", \"options\": {\"color\": \"red\"}}}}},"
    " \"cart\": {},"
    " \"discount_codes\": {\"i1\": {\"SAVE15\": 15, \"HALF\": 50}, \"i2\": {\"SAVE15\": 15}},"
    " \"orders\": {}}");

  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i1\"}");
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "checkout", NULL);
  g_clear_pointer (&result, json_node_unref);
  result = call_ok (f, "add_to_cart", "{\"item_id\": \"i4\", \"quantity\": 2}");

  state = sigma_app_get_state (f->app);
  text = json_to_string (state, FALSE);
  sigma_app_load_state (f->app, state, &error);
  g_assert_no_error (error);
  again = sigma_app_get_state (f->app);
  again_text = json_to_string (again, FALSE);
  g_assert_cmpstr (again_text, ==, text);

  sigma_app_reset (f->app);
  assert_state (f, "{\"products\": {}, \"cart\": {}, \"discount_codes\": {}, \"orders\": {}}");
}

static void
test_order_dates (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "\"2024-10-15T10:00:00+00:00\"", "\"2024-10-15T10:00:00+00:00\"" },
    { "\"2024-10-15\"", "\"2024-10-15T00:00:00\"" },
    { "\"2024-10-15 10:00\"", "\"2024-10-15T10:00:00\"" },
    { "\"2024-10-15T10:00:00.5Z\"", "\"2024-10-15T10:00:00.500000+00:00\"" },
    { "\"2024-10-15T10:00:00-05:30\"", "\"2024-10-15T10:00:00-05:30\"" },
    { "\"2024-10-15T10:00:00.123456+01:00:30\"", "\"2024-10-15T10:00:00.123456+01:00:30\"" },
    { "\"2024-02-30T10:00:00\"", "\"2024-02-30T10:00:00\"" },   /* not a date: kept */
    { "\"yesterday\"", "\"yesterday\"" },
    { "1728000000", "1728000000" },
    { "1728000000.25", "1728000000.25" },
  };

  g_test_summary ("Order dates go through Python's fromisoformat/isoformat; other values are kept");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *state = g_strdup_printf (
        "{\"products\": {}, \"cart\": {}, \"discount_codes\": {}, \"orders\": {\"o\": {"
        "\"order_status\": \"delivered\", \"order_date\": %s, \"order_total\": 3, \"order_id\": \"o\","
        " \"order_items\": {}}}}", cases[i].in);
      g_autofree char *expected = g_strdup_printf (
        "{\"products\": {}, \"cart\": {}, \"discount_codes\": {}, \"orders\": {\"o\": {"
        "\"order_status\": \"delivered\", \"order_date\": %s, \"order_total\": 3, \"order_id\": \"o\","
        " \"order_items\": {}}}}", cases[i].out);

      load_state (f, state);
      assert_state (f, expected);
    }
}

static void
test_malformed_state (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *state; const char *message; } cases[] = {
    { "[]", "Shopping: app_state must be a JSON object" },
    { "{\"products\": []}", "Shopping: app_state.products: expected an object" },
    { "{\"products\": {\"p\": 3}}", "Shopping: app_state.products.p: expected an object" },
    { "{\"products\": {\"p\": {\"name\": 3, \"product_id\": \"p\", \"variants\": {}}}}",
      "Shopping: app_state.products.p.name: expected a string" },
    { "{\"products\": {\"p\": {\"name\": \"n\", \"product_id\": \"p\"}}}",
      "Shopping: app_state.products.p.variants: missing required an object" },
    { "{\"products\": {\"p\": {\"name\": \"n\", \"product_id\": \"p\", \"variants\": {\"i\": "
      "{\"price\": \"1\", \"available\": true, \"item_id\": \"i\", \"options\": {}}}}}}",
      "Shopping: app_state.products.p.variants.i.price: expected a number" },
    { "{\"cart\": {\"i\": {\"item_id\": \"i\", \"quantity\": 1.5, \"price\": 1}}}",
      "Shopping: app_state.cart.i.quantity: expected an integer" },
    { "{\"cart\": {\"i\": {\"item_id\": \"i\", \"quantity\": 1, \"price\": 1, \"name\": \"x\"}}}",
      "Shopping: app_state.cart.i.name: unexpected field" },
    { "{\"discount_codes\": {\"i\": {\"A\": \"10\"}}}",
      "Shopping: app_state.discount_codes.i.A: expected a number" },
    { "{\"orders\": {\"o\": {\"order_status\": \"processed\", \"order_date\": true, \"order_total\": 1,"
      " \"order_id\": \"o\", \"order_items\": {}}}}",
      "Shopping: app_state.orders.o.order_date: expected a string or a number" },
    { "{\"orders\": {\"o\": {\"order_status\": \"processed\", \"order_date\": 1, \"order_total\": 1,"
      " \"order_id\": \"o\", \"order_items\": {\"i\": {\"quantity\": 1, \"price\": 1}}}}}",
      "Shopping: app_state.orders.o.order_items.i.item_id: missing required a string" },
  };

  g_test_summary ("A malformed state is INVALID_DATA naming the app and the JSON path; the app "
                  "is left empty");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) state = json_from_string (cases[i].state, &error);

      g_assert_no_error (error);
      load_state (f, catalogue_state);
      g_assert_false (sigma_app_load_state (f->app, state, &error));
      g_assert_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      assert_state (f, "{\"products\": {}, \"cart\": {}, \"discount_codes\": {}, \"orders\": {}}");
    }
}

static void
test_lenient (Fixture       *f,
              gconstpointer  data)
{
  g_test_summary ("In lenient mode a malformed entry is skipped with a warning");

  /* Warnings are fatal in tests and g_test_expect_message() does not see structured
   * logging: check them in a subprocess that lets warnings through. */
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) state = json_from_string (
        "{\"products\": {"
        " \"good\": {\"name\": \"ok\", \"product_id\": \"good\", \"variants\": {"
        "   \"i1\": {\"price\": 1, \"available\": true, \"item_id\": \"i1\", \"options\": {}},"
        "   \"bad\": {\"price\": 1, \"available\": \"yes\", \"item_id\": \"bad\", \"options\": {}}}},"
        " \"broken\": {\"name\": 4}},"
        " \"cart\": {}, \"discount_codes\": {}, \"orders\": {}}", NULL);

      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      sigma_app_set_lenient (f->app, TRUE);
      sigma_app_load_state (f->app, state, &error);
      g_assert_no_error (error);
      assert_state (f,
        "{\"products\": {\"good\": {\"name\": \"ok\", \"product_id\": \"good\", \"variants\": {"
        " \"i1\": {\"price\": 1, \"available\": true, \"item_id\": \"i1\", \"options\": {}}}}},"
        " \"cart\": {}, \"discount_codes\": {}, \"orders\": {}}");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Shopping: app_state.products.good.variants.bad.available: expected a boolean (skipped)*"
                             "Shopping: app_state.products.broken.name: expected a string (skipped)*");
}

static void
test_determinism (void)
{
  char *ids[3] = { NULL, NULL, NULL };
  guint64 seeds[3] = { 7, 7, 8 };

  g_test_summary ("The same seed gives the same product, item and order ids; another seed "
                  "gives others");

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SigmaEnvironment) env = sigma_environment_new ();
      g_autoptr(SigmaApp) app = sigma_apps_create ("Shopping", NULL, &error);
      g_autoptr(JsonObject) product_args = parse_object ("{\"name\": \"Mug\"}");
      g_autoptr(JsonNode) pid = NULL;
      g_autoptr(JsonObject) item_args = NULL;
      g_autoptr(JsonNode) iid = NULL;
      g_autoptr(JsonNode) cart = NULL;
      g_autoptr(JsonNode) oid = NULL;
      g_autoptr(JsonObject) cart_args = NULL;
      g_autofree char *first = NULL;

      sigma_environment_set_seed (env, seeds[run]);
      sigma_environment_add_app (env, app, &error);
      g_assert_no_error (error);
      pid = sigma_environment_call_tool (env, "Shopping", "add_product", product_args, SIGMA_EVENT_TYPE_ENV, &error);
      g_assert_no_error (error);
      first = expected_id (app, seeds[run], 0);
      g_assert_cmpstr (json_node_get_string (pid), ==, first);

      item_args = parse_object (fmt ("{\"product_id\": \"%s\", \"price\": 3.0}", json_node_get_string (pid)));
      iid = sigma_environment_call_tool (env, "Shopping", "add_item_to_product", item_args, SIGMA_EVENT_TYPE_ENV, &error);
      g_assert_no_error (error);
      cart_args = parse_object (fmt ("{\"item_id\": \"%s\"}", json_node_get_string (iid)));
      cart = sigma_environment_call_tool (env, "Shopping", "add_to_cart", cart_args, SIGMA_EVENT_TYPE_AGENT, &error);
      g_assert_no_error (error);
      oid = sigma_environment_call_tool (env, "Shopping", "checkout", NULL, SIGMA_EVENT_TYPE_AGENT, &error);
      g_assert_no_error (error);
      ids[run] = g_strdup_printf ("%s %s %s", json_node_get_string (pid), json_node_get_string (iid),
                                  json_node_get_string (oid));
    }
  g_assert_cmpstr (ids[0], ==, ids[1]);
  g_assert_cmpstr (ids[0], !=, ids[2]);
  for (guint run = 0; run < 3; run++)
    g_free (ids[run]);
}

/* ------------------------------------------------------------------------------------ */
/* Corpus: every Shopping app_state of the real data loads, and get_state gives it back.     */

static JsonNode *
read_corpus (const char *relative)
{
  const char *dir = g_getenv ("SIGMA_CORPUS_DIR");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, relative, NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* What ARE's own export gives for a state: the collections a partial state lacks come back
 * empty. Everything else must come back as it is (json_node_equal ignores member order, which
 * Gaia2 files do not keep: they put "orders" before "discount_codes"). */
static JsonNode *
expected_export (JsonObject *state)
{
  static const char * const keys[] = { "products", "cart", "discount_codes", "orders" };
  JsonObject *expected = json_object_new ();
  JsonNode *node;

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *member = json_object_get_member (state, keys[i]);
      if (member != NULL)
        json_object_set_member (expected, keys[i], json_node_copy (member));
      else
        json_object_set_object_member (expected, keys[i], json_object_new ());
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, expected);
  return node;
}

static guint
check_corpus_apps (JsonArray *apps)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *entry = json_array_get_object_element (apps, i);
      const char *name = json_object_get_string_member (entry, "name");
      const char *class_name = json_object_get_string_member_with_default (entry, "class_name", NULL);
      const char *cls = class_name != NULL ? class_name : name;
      g_autoptr(GError) error = NULL;
      g_autoptr(SigmaApp) app = NULL;
      g_autoptr(JsonNode) expected = NULL;
      g_autoptr(JsonNode) state = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autofree char *state_text = NULL;
      g_autofree char *again_text = NULL;

      if (!g_str_equal (cls, "Shopping") && !g_str_equal (cls, "ShoppingApp"))
        continue;
      app = sigma_apps_create (cls, name, &error);
      g_assert_no_error (error);
      sigma_app_load_state (app, json_object_get_member (entry, "app_state"), &error);
      g_assert_no_error (error);

      state = sigma_app_get_state (app);
      expected = expected_export (json_object_get_object_member (entry, "app_state"));
      g_assert_true (json_node_equal (state, expected));

      /* And Sigma's export is a fixed point, member order and number kinds included. */
      state_text = json_to_string (state, FALSE);
      sigma_app_load_state (app, state, &error);
      g_assert_no_error (error);
      again = sigma_app_get_state (app);
      again_text = json_to_string (again, FALSE);
      g_assert_cmpstr (again_text, ==, state_text);
      n++;
    }
  return n;
}

static void
test_corpus (void)
{
  g_autoptr(JsonNode) gaia2 = read_corpus ("gaia2/scenario_universe_30_997a5b.json");
  g_autoptr(JsonNode) pare = NULL;
  JsonObject *root;

  g_test_summary ("Every Shopping app_state of the Gaia2 and PARE data loads and round-trips");

  if (gaia2 == NULL)
    {
      g_test_skip ("SIGMA_CORPUS_DIR is not set");
      return;
    }
  root = json_node_get_object (gaia2);
  g_assert_cmpuint (check_corpus_apps (json_object_get_array_member (root, "apps")), ==, 1);
  g_assert_cmpuint (check_corpus_apps (json_object_get_array_member (
      json_object_get_object_member (root, "augmentation"), "apps")), ==, 1);

  /* PARE's augmentation data: products only, under keys that are not the product ids. */
  pare = read_corpus ("are-scenarios/gaia2_universe21_env-augmentation-apps_via-pare.json");
  g_assert_cmpuint (check_corpus_apps (json_object_get_array_member (json_node_get_object (pare), "apps")), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sigma/apps/shopping/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/sigma/apps/shopping/create", test_create);
  ADD ("catalogue", test_catalogue);
  ADD ("list-and-search", test_list_and_search);
  ADD ("search-key-error", test_search_key_error);
  ADD ("cart", test_cart);
  ADD ("checkout", test_checkout);
  ADD ("discount-codes", test_discount_codes);
  ADD ("orders", test_orders);
  ADD ("add-order", test_add_order);
  ADD ("log", test_log);
  ADD ("notifications", test_notifications);
  g_test_add_func ("/sigma/apps/shopping/notification-class-name", test_notification_class_name);
  ADD ("round-trip", test_round_trip);
  ADD ("order-dates", test_order_dates);
  ADD ("malformed-state", test_malformed_state);
  ADD ("lenient", test_lenient);
  g_test_add_func ("/sigma/apps/shopping/determinism", test_determinism);
  g_test_add_func ("/sigma/apps/shopping/corpus", test_corpus);

#undef ADD

  return g_test_run ();
}
