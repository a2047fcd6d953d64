/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-shopping-app.h"
#include "sigma-app-util.h"
#include "sigma-completed-event.h"
#include "sigma-error.h"
#include "sigma-random.h"

/**
 * SigmaShoppingApp:
 *
 * A shop: products, variants, cart, discount codes and orders (ARE's `ShoppingApp`; apps.md).
 *
 * Products are keyed as in the state they were loaded from; each has variants (items) keyed
 * by item id. The cart and the orders hold #CartItem snapshots of items. Discount codes are
 * per item: `{item_id: {code: percent}}`. Ids are drawn from the app's random generator.
 *
 * Since: 0.1
 */

/* ------------------------------------------------------------------------------------ */
/* Python datetimes for order dates                                                        */

static gboolean
parse_digits (const char **p,
              guint        n,
              gint        *out)
{
  gint value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = value;
  return TRUE;
}

/* Fractional seconds: one or more digits, the first six kept (Python 3.11 truncates). */
static gboolean
parse_fraction (const char **p,
                gint        *microseconds)
{
  gint value = 0;
  guint n = 0;

  while (g_ascii_isdigit (**p))
    {
      if (n < 6)
        value = value * 10 + (**p - '0');
      n++;
      (*p)++;
    }
  if (n == 0)
    return FALSE;
  for (; n < 6; n++)
    value *= 10;
  *microseconds = value;
  return TRUE;
}

/* HH[:MM[:SS[.ffffff]]], as in a time or a UTC offset. */
static gboolean
parse_clock (const char **p,
             gint        *hour,
             gint        *minute,
             gint        *second,
             gint        *microsecond)
{
  *minute = *second = *microsecond = 0;
  if (!parse_digits (p, 2, hour))
    return FALSE;
  if (**p != ':')
    return TRUE;
  (*p)++;
  if (!parse_digits (p, 2, minute))
    return FALSE;
  if (**p != ':')
    return TRUE;
  (*p)++;
  if (!parse_digits (p, 2, second))
    return FALSE;
  if (**p == '.' || **p == ',')
    {
      (*p)++;
      return parse_fraction (p, microsecond);
    }
  return TRUE;
}

static void
append_offset (GString *out,
               gint64   offset_us)
{
  gint64 hours, minutes, seconds, micro;

  g_string_append_c (out, offset_us < 0 ? '-' : '+');
  offset_us = ABS (offset_us);
  micro = offset_us % 1000000;
  seconds = offset_us / 1000000;
  hours = seconds / 3600;
  minutes = (seconds / 60) % 60;
  seconds %= 60;
  g_string_append_printf (out, "%02d:%02d", (gint) hours, (gint) minutes);
  if (seconds != 0 || micro != 0)
    g_string_append_printf (out, ":%02d", (gint) seconds);
  if (micro != 0)
    g_string_append_printf (out, ".%06d", (gint) micro);
}

/*
 * ARE loads an order date with `datetime.fromisoformat` and saves it with `isoformat()`.
 * Returns what that round trip gives, or NULL when the text is not an ISO datetime (ARE
 * keeps it unchanged). Accepted: YYYY-MM-DD, then any separator and HH[:MM[:SS[.f…]]], then
 * "Z" or ±HH[:MM[:SS[.f…]]] (Python 3.11's common forms).
 */
static char *
iso_datetime_normalize (const char *text)
{
  static const guint8 days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  const char *p = text;
  gint year, month, day, hour = 0, minute = 0, second = 0, micro = 0;
  gboolean has_offset = FALSE;
  gint64 offset_us = 0;
  gint max_day;
  GString *out;

  if (!parse_digits (&p, 4, &year) || *p++ != '-' || !parse_digits (&p, 2, &month) ||
      *p++ != '-' || !parse_digits (&p, 2, &day))
    return NULL;
  if (year < 1 || month < 1 || month > 12)
    return NULL;
  max_day = days_in_month[month - 1];
  if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
    max_day = 29;
  if (day < 1 || day > max_day)
    return NULL;

  if (*p != '\0')
    {
      p++;   /* any one separator */
      if (!parse_clock (&p, &hour, &minute, &second, &micro))
        return NULL;
      if (hour > 23 || minute > 59 || second > 59)
        return NULL;
      if (*p == 'Z')
        {
          has_offset = TRUE;
          p++;
        }
      else if (*p == '+' || *p == '-')
        {
          gint sign = *p == '-' ? -1 : 1;
          gint oh, om, os, ou;

          p++;
          if (!parse_clock (&p, &oh, &om, &os, &ou) || om > 59 || os > 59)
            return NULL;
          offset_us = sign * (((oh * 60 + om) * 60 + os) * G_GINT64_CONSTANT (1000000) + ou);
          if (ABS (offset_us) >= 24 * 3600 * G_GINT64_CONSTANT (1000000))
            return NULL;
          has_offset = TRUE;
        }
      if (*p != '\0')
        return NULL;
    }

  out = g_string_new (NULL);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second);
  if (micro != 0)
    g_string_append_printf (out, ".%06d", micro);
  if (has_offset)
    append_offset (out, offset_us);
  return g_string_free (out, FALSE);
}

/* `datetime.fromtimestamp(t, tz=timezone.utc).isoformat()`: microseconds rounded half to
 * even, shown only when non-zero. */
static char *
iso_datetime_from_timestamp (gdouble timestamp)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;
  gdouble whole;
  gdouble frac = modf (timestamp, &whole);
  gdouble micro = nearbyint (frac * 1e6);

  if (micro >= 1e6)
    {
      micro -= 1e6;
      whole += 1.0;
    }
  else if (micro < 0)
    {
      micro += 1e6;
      whole -= 1.0;
    }
  dt = g_date_time_new_from_unix_utc ((gint64) whole);
  if (dt == NULL)
    return g_strdup ("invalid time");
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  if (micro != 0)
    return g_strdup_printf ("%s.%06d+00:00", base, (gint) micro);
  return g_strdup_printf ("%s+00:00", base);
}

/* ------------------------------------------------------------------------------------ */
/* Entities (ARE field order)                                                              */

typedef struct
{
  JsonNode   *price;      /* a number, as loaded or given */
  gboolean    available;
  char       *item_id;
  JsonObject *options;
} Item;

typedef struct
{
  char            *name;
  char            *product_id;
  SigmaOrderedMap *variants;   /* key → Item */
} Product;

typedef struct
{
  char       *item_id;
  gint64      quantity;
  JsonNode   *price;
  gboolean    available;
  JsonObject *options;
} CartItem;

typedef struct
{
  char            *order_status;
  JsonNode        *order_date;    /* the isoformat() text, or the loaded value when not a datetime */
  JsonNode        *order_total;
  char            *order_id;
  SigmaOrderedMap *order_items;   /* key → CartItem */
} Order;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_pointer (&item->price, json_node_unref);
  g_clear_pointer (&item->options, json_object_unref);
  g_free (item->item_id);
  g_free (item);
}

static void
product_free (gpointer data)
{
  Product *product = data;

  g_free (product->name);
  g_free (product->product_id);
  sigma_ordered_map_free (product->variants);
  g_free (product);
}

static void
cart_item_free (gpointer data)
{
  CartItem *cart_item = data;

  g_free (cart_item->item_id);
  g_clear_pointer (&cart_item->price, json_node_unref);
  g_clear_pointer (&cart_item->options, json_object_unref);
  g_free (cart_item);
}

static void
order_free (gpointer data)
{
  Order *order = data;

  g_free (order->order_status);
  g_clear_pointer (&order->order_date, json_node_unref);
  g_clear_pointer (&order->order_total, json_node_unref);
  g_free (order->order_id);
  sigma_ordered_map_free (order->order_items);
  g_free (order);
}

static Product *
product_new (const char *name,
             const char *product_id)
{
  Product *product = g_new0 (Product, 1);

  product->name = g_strdup (name);
  product->product_id = g_strdup (product_id);
  product->variants = sigma_ordered_map_new (item_free);
  return product;
}

static Order *
order_new (void)
{
  Order *order = g_new0 (Order, 1);

  order->order_items = sigma_ordered_map_new (cart_item_free);
  return order;
}

static JsonNode *
item_to_json (Item *item)
{
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "price", json_node_copy (item->price));
  json_object_set_boolean_member (object, "available", item->available);
  json_object_set_string_member (object, "item_id", item->item_id);
  json_object_set_object_member (object, "options", sigma_json_object_deep_copy (item->options));
  return sigma_json_object (object);
}

static JsonNode *
product_to_json (Product *product)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "name", product->name);
  json_object_set_string_member (object, "product_id", product->product_id);
  json_object_set_member (object, "variants", sigma_ordered_map_to_json (product->variants, (SigmaToJsonFunc) item_to_json));
  return sigma_json_object (object);
}

static JsonNode *
cart_item_to_json (CartItem *cart_item)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "item_id", cart_item->item_id);
  json_object_set_int_member (object, "quantity", cart_item->quantity);
  json_object_set_member (object, "price", json_node_copy (cart_item->price));
  json_object_set_boolean_member (object, "available", cart_item->available);
  json_object_set_object_member (object, "options", sigma_json_object_deep_copy (cart_item->options));
  return sigma_json_object (object);
}

/* {key: CartItem}: the cart, or an order's items. */
static JsonNode *
cart_items_to_json (SigmaOrderedMap *cart_items)
{
  return sigma_ordered_map_to_json (cart_items, (SigmaToJsonFunc) cart_item_to_json);
}

static JsonNode *
order_to_json (Order *order)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "order_status", order->order_status);
  json_object_set_member (object, "order_date", json_node_copy (order->order_date));
  json_object_set_member (object, "order_total", json_node_copy (order->order_total));
  json_object_set_string_member (object, "order_id", order->order_id);
  json_object_set_member (object, "order_items", cart_items_to_json (order->order_items));
  return sigma_json_object (object);
}

/* ------------------------------------------------------------------------------------ */

struct _SigmaShoppingApp
{
  SigmaApp parent_instance;

  /* ARE's dicts, in insertion order */
  SigmaOrderedMap *products;        /* key → Product */
  GHashTable      *item_products;   /* variant key → the first Product (in order) that has it */
  SigmaOrderedMap *cart;            /* item key → CartItem */
  JsonObject      *discount_codes;  /* item_id → {code: percent} */
  SigmaOrderedMap *orders;          /* key → Order */
};

G_DEFINE_FINAL_TYPE (SigmaShoppingApp, sigma_shopping_app, SIGMA_TYPE_APP)

static void
clear_data (SigmaShoppingApp *self)
{
  g_hash_table_remove_all (self->item_products);
  sigma_ordered_map_clear (self->cart);
  sigma_ordered_map_clear (self->orders);
  sigma_ordered_map_clear (self->products);
  g_clear_pointer (&self->discount_codes, json_object_unref);
  self->discount_codes = json_object_new ();
}

/* Registers the variant keys of a product just added (ARE's `_get_item` takes the first
 * product, in catalogue order, that has the key). */
static void
index_variant (SigmaShoppingApp *self,
               const char       *key,
               Product          *product)
{
  if (!g_hash_table_contains (self->item_products, key))
    g_hash_table_insert (self->item_products, g_strdup (key), product);
}

/* ARE's `_get_item`: the variant with this key in any product, or NULL. */
static Item *
find_item (SigmaShoppingApp *self,
           const char       *item_id)
{
  Product *product = g_hash_table_lookup (self->item_products, item_id);

  return product != NULL ? sigma_ordered_map_lookup (product->variants, item_id) : NULL;
}

static CartItem *
cart_item_from_item (Item   *item,
                     gint64  quantity)
{
  CartItem *cart_item = g_new0 (CartItem, 1);

  cart_item->item_id = g_strdup (item->item_id);
  cart_item->quantity = quantity;
  cart_item->price = json_node_copy (item->price);
  cart_item->available = item->available;
  cart_item->options = sigma_json_object_deep_copy (item->options);
  return cart_item;
}

static Order *
lookup_order (SigmaShoppingApp  *self,
              const char        *order_id,
              GError           **error)
{
  Order *order = sigma_ordered_map_lookup (self->orders, order_id);

  if (order == NULL)
    sigma_tool_error (error, "Order does not exist");
  return order;
}

/* ------------------------------------------------------------------------------------ */
/* Data and environment tools                                                              */

static JsonNode *
add_product (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  g_autofree char *product_id = sigma_random_uuid_hex (sigma_app_get_rand (app));

  if (sigma_ordered_map_lookup (self->products, product_id) != NULL)
    {
      sigma_tool_error (error, "Product already exists");
      return NULL;
    }
  sigma_ordered_map_insert (self->products, product_id, product_new (sigma_args_string (args, "name"), product_id));
  return sigma_json_string (product_id);
}

static JsonNode *
add_item_to_product (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  /* ARE draws the id before it checks the product. */
  g_autofree char *item_id = sigma_random_uuid_hex (sigma_app_get_rand (app));
  Product *product = sigma_ordered_map_lookup (self->products, sigma_args_string (args, "product_id"));
  JsonObject *options = sigma_args_object (args, "options");
  Item *item;

  if (product == NULL)
    {
      sigma_tool_error (error, "Product does not exist");
      return NULL;
    }
  item = g_new0 (Item, 1);
  /* A float parameter: the price is kept as a float even when given as an integer. */
  item->price = sigma_json_double (sigma_args_double (args, "price"));
  item->available = sigma_args_bool (args, "available");
  item->item_id = g_strdup (item_id);
  item->options = options != NULL ? sigma_json_object_deep_copy (options) : json_object_new ();
  sigma_ordered_map_insert (product->variants, item_id, item);
  index_variant (self, item_id, product);
  return sigma_json_string (item_id);
}

static JsonNode *
update_item (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  const char *item_id = sigma_args_string (args, "item_id");
  JsonNode *new_price = json_object_get_member (args, "new_price");
  JsonNode *new_availability = json_object_get_member (args, "new_availability");
  Item *item;

  if (JSON_NODE_HOLDS_NULL (new_price) && JSON_NODE_HOLDS_NULL (new_availability))
    {
      sigma_tool_error (error, "No update provided");
      return NULL;
    }
  item = find_item (self, item_id);
  if (item == NULL)
    {
      sigma_tool_error (error, "Item with id %s does not exist", item_id);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_NULL (new_price))
    {
      json_node_unref (item->price);
      item->price = sigma_json_double (json_node_get_double (new_price));
    }
  if (!JSON_NODE_HOLDS_NULL (new_availability))
    item->available = json_node_get_boolean (new_availability);
  return sigma_json_string (item_id);
}

/* Discount codes are a `dict[str, float]`: every value a number (an integer is accepted for
 * a float, as for every float parameter). The first code whose value is not, or NULL. */
static const char *
find_code_without_number (JsonObject *codes)
{
  JsonObjectIter iter;
  const char *code;
  JsonNode *percent;

  json_object_iter_init_ordered (&iter, codes);
  while (json_object_iter_next_ordered (&iter, &code, &percent))
    if (!sigma_json_is_number (percent))
      return code;
  return NULL;
}

static gboolean
check_discount_codes (JsonObject  *codes,
                      GError     **error)
{
  const char *code = find_code_without_number (codes);

  if (code != NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "Tool 'add_discount_code': argument 'discount_code' must map codes to "
                   "numbers, but '%s' is not a number", code);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
add_discount_code (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  const char *item_id = sigma_args_string (args, "item_id");
  JsonObject *codes = sigma_args_object (args, "discount_code");
  JsonObject *item_codes;
  JsonObjectIter iter;
  const char *code;
  JsonNode *percent;

  if (!check_discount_codes (codes, error))
    return NULL;
  if (find_item (self, item_id) == NULL)
    {
      sigma_tool_error (error, "Item %s does not exist in the inventory.", item_id);
      return NULL;
    }
  item_codes = sigma_json_get_object_member (self->discount_codes, item_id);
  if (item_codes == NULL)
    {
      item_codes = json_object_new ();
      json_object_set_object_member (self->discount_codes, item_id, item_codes);
    }
  /* dict.update(): a known code keeps its place with the new percentage. */
  json_object_iter_init_ordered (&iter, codes);
  while (json_object_iter_next_ordered (&iter, &code, &percent))
    json_object_set_double_member (item_codes, code, json_node_get_double (percent));
  return sigma_json_string ("Successfully added the discount code");
}

/*
 * ARE's add_order always fails: it builds the CartItem from `_get_item`'s dict, whose extra
 * keys (name, product_id) make the constructor raise a TypeError. Sigma builds the CartItem
 * from the item's own fields, which is what the code means to do (doc/compat/shopping-app.md).
 */
static JsonNode *
add_order (SigmaApp    *app,
           JsonObject  *args,
           gpointer     user_data,
           GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  const char *order_id = sigma_args_string (args, "order_id");
  const char *item_id = sigma_args_string (args, "item_id");
  Item *item = find_item (self, item_id);
  Order *order;

  if (item == NULL)
    {
      sigma_tool_error (error, "Item does not exist");
      return NULL;
    }
  order = order_new ();
  order->order_status = g_strdup (sigma_args_string (args, "order_status"));
  /* A float timestamp, stored and saved as such (not as a datetime). */
  order->order_date = sigma_json_double (sigma_args_double (args, "order_date"));
  order->order_total = sigma_json_double (sigma_args_double (args, "order_total"));
  order->order_id = g_strdup (order_id);
  sigma_ordered_map_insert (order->order_items, item_id, cart_item_from_item (item, sigma_args_int (args, "quantity")));
  sigma_ordered_map_insert (self->orders, order_id, order);
  return sigma_json_string (order_id);
}

/* ------------------------------------------------------------------------------------ */
/* Catalogue                                                                               */

/* ARE's {name: product_id} over the catalogue: a repeated name keeps the last product's id.
 * @names, if given, receives every distinct name once. */
static GHashTable *
product_ids_by_name (SigmaShoppingApp *self,
                     GPtrArray        *names)
{
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);
  SigmaOrderedMapIter iter;
  Product *product;

  sigma_ordered_map_iter_init (&iter, self->products);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &product))
    {
      if (names != NULL && !g_hash_table_contains (ids, product->name))
        g_ptr_array_add (names, product->name);
      g_hash_table_insert (ids, product->name, product->product_id);
    }
  return ids;
}

static JsonNode *
list_all_products (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  gint64 total = sigma_ordered_map_size (self->products);
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GPtrArray) names = NULL;
  JsonObject *products, *metadata, *result;
  JsonArray *range;

  if (!sigma_check_offset_limit ("list_all_products", offset, limit, 1000, error))
    return NULL;

  names = g_ptr_array_new ();
  ids = product_ids_by_name (self, names);
  /* Code-point order, as Python sorts strings: byte order of UTF-8. */
  g_ptr_array_sort (names, sigma_compare_strings);

  products = json_object_new ();
  for (gint64 i = offset; i < offset + limit && i < (gint64) names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      json_object_set_string_member (products, name, g_hash_table_lookup (ids, name));
    }

  range = json_array_new ();
  json_array_add_int_element (range, offset);
  json_array_add_int_element (range, MIN (offset + limit, total));
  metadata = json_object_new ();
  json_object_set_array_member (metadata, "range", range);
  json_object_set_int_member (metadata, "total", total);
  result = json_object_new ();
  json_object_set_object_member (result, "products", products);
  json_object_set_object_member (result, "metadata", metadata);
  return sigma_json_object (result);
}

static JsonNode *
get_product_details (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  Product *product = sigma_ordered_map_lookup (self->products, sigma_args_string (args, "product_id"));

  if (product == NULL)
    {
      sigma_tool_error (error, "Product does not exist");
      return NULL;
    }
  return product_to_json (product);
}

static JsonNode *
search_product (SigmaApp    *app,
                JsonObject  *args,
                gpointer     user_data,
                GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  gint64 offset = sigma_args_int (args, "offset");
  gint64 limit = sigma_args_int (args, "limit");
  g_autofree char *query = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  SigmaOrderedMapIter iter;
  Product *product;
  JsonArray *result;

  if (!sigma_check_offset_limit ("search_product", offset, limit, 1000, error))
    return NULL;

  ids = product_ids_by_name (self, NULL);

  /* ARE goes through a {name: product_id} map and then looks the id up among the catalogue
   * keys: a repeated name gives its last product each time, and a product whose key is not
   * its id raises KeyError. */
  query = g_utf8_strdown (sigma_args_string (args, "product_name"), -1);
  matches = g_ptr_array_new ();
  sigma_ordered_map_iter_init (&iter, self->products);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &product))
    {
      g_autofree char *name = g_utf8_strdown (product->name, -1);
      const char *product_id;
      Product *found;

      if (strstr (name, query) == NULL)
        continue;
      product_id = g_hash_table_lookup (ids, product->name);
      found = sigma_ordered_map_lookup (self->products, product_id);
      if (found == NULL)
        {
          sigma_tool_key_error (error, product_id);
          return NULL;
        }
      g_ptr_array_add (matches, found);
    }

  result = json_array_new ();
  for (gint64 i = offset; i < offset + limit && i < (gint64) matches->len; i++)
    json_array_add_element (result, product_to_json (g_ptr_array_index (matches, i)));
  return sigma_json_array (result);
}

/* ------------------------------------------------------------------------------------ */
/* Cart and orders                                                                         */

static JsonNode *
add_to_cart (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  const char *item_id = sigma_args_string (args, "item_id");
  gint64 quantity = sigma_args_int (args, "quantity");
  CartItem *cart_item;
  Item *item;

  if (quantity <= 0)
    {
      sigma_tool_error (error, "Quantity cannot be negative or zero");
      return NULL;
    }
  item = find_item (self, item_id);
  if (item == NULL)
    {
      sigma_tool_error (error, "Product does not exist");
      return NULL;
    }
  if (!item->available)
    {
      sigma_tool_error (error, "Product is not available");
      return NULL;
    }

  /* A new entry snapshots the item; an existing one only grows (its price stays). */
  cart_item = sigma_ordered_map_lookup (self->cart, item_id);
  if (cart_item == NULL)
    sigma_ordered_map_insert (self->cart, item_id, cart_item_from_item (item, quantity));
  else
    cart_item->quantity += quantity;
  return sigma_json_string (item_id);
}

static JsonNode *
remove_from_cart (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  const char *item_id = sigma_args_string (args, "item_id");
  gint64 quantity = sigma_args_int (args, "quantity");
  CartItem *cart_item;

  if (quantity < 0)
    {
      sigma_tool_error (error, "Quantity cannot be negative");
      return NULL;
    }
  cart_item = sigma_ordered_map_lookup (self->cart, item_id);
  if (cart_item == NULL)
    {
      sigma_tool_error (error, "Product not in cart");
      return NULL;
    }
  if (quantity > cart_item->quantity)
    {
      sigma_tool_error (error, "Quantity exceeds available quantity");
      return NULL;
    }
  cart_item->quantity -= quantity;
  if (cart_item->quantity == 0)
    sigma_ordered_map_remove (self->cart, item_id);
  return sigma_json_string (item_id);
}

static JsonNode *
list_cart (SigmaApp    *app,
           JsonObject  *args,
           gpointer     user_data,
           GError     **error)
{
  return cart_items_to_json (SIGMA_SHOPPING_APP (app)->cart);
}

/* The discount, in percent, that @code gives on @item_id. */
static gboolean
lookup_discount (SigmaShoppingApp  *self,
                 const char        *item_id,
                 const char        *code,
                 gdouble           *percent,
                 GError           **error)
{
  JsonObject *item_codes = sigma_json_get_object_member (self->discount_codes, item_id);

  if (item_codes == NULL)
    {
      sigma_tool_error (error, "There is no valid discount codes for the item with id - %s", item_id);
      return FALSE;
    }
  if (!json_object_has_member (item_codes, code))
    {
      sigma_tool_error (error, "The provided discount code is not valid for the item with id - %s", item_id);
      return FALSE;
    }
  *percent = json_object_get_double_member (item_codes, code);
  return TRUE;
}

static JsonNode *
checkout (SigmaApp    *app,
          JsonObject  *args,
          gpointer     user_data,
          GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  const char *code = sigma_args_string (args, "discount_code");
  gdouble total = 0.0;
  g_autofree char *order_id = NULL;
  g_autofree char *date = NULL;
  SigmaOrderedMapIter iter;
  const char *item_id;
  CartItem *cart_item;
  Order *order;

  if (sigma_ordered_map_size (self->cart) == 0)
    {
      sigma_tool_error (error, "Cart is empty");
      return NULL;
    }

  /* The code must be valid for every item, or nothing happens. Each line is
   * price * quantity * (1 - percent / 100), in floating point, as in ARE. */
  sigma_ordered_map_iter_init (&iter, self->cart);
  while (sigma_ordered_map_iter_next (&iter, &item_id, (gpointer *) &cart_item))
    {
      gdouble percent = 0.0;

      if (code != NULL && code[0] != '\0' &&
          !lookup_discount (self, item_id, code, &percent, error))
        return NULL;
      total += json_node_get_double (cart_item->price) * (gdouble) cart_item->quantity *
               (1.0 - percent / 100.0);
    }

  order_id = sigma_random_uuid_hex (sigma_app_get_rand (app));
  order = order_new ();
  order->order_status = g_strdup ("processed");
  date = iso_datetime_from_timestamp (sigma_app_get_time (app));
  order->order_date = sigma_json_string (date);
  order->order_total = sigma_json_double (total);
  order->order_id = g_strdup (order_id);
  /* the cart becomes the order's items, and a new cart is empty */
  sigma_ordered_map_free (order->order_items);
  order->order_items = g_steal_pointer (&self->cart);
  self->cart = sigma_ordered_map_new (cart_item_free);
  sigma_ordered_map_insert (self->orders, order_id, order);
  return sigma_json_string (order_id);
}

static JsonNode *
get_discount_code_info (SigmaApp    *app,
                        JsonObject  *args,
                        gpointer     user_data,
                        GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  const char *code = sigma_args_string (args, "discount_code");
  JsonObject *result = json_object_new ();
  JsonObjectIter iter;
  const char *item_id;
  JsonNode *codes;

  json_object_iter_init_ordered (&iter, self->discount_codes);
  while (json_object_iter_next_ordered (&iter, &item_id, &codes))
    {
      JsonNode *percent = json_object_get_member (json_node_get_object (codes), code);

      if (percent != NULL)
        json_object_set_member (result, item_id, json_node_copy (percent));
    }
  return sigma_json_object (result);
}

static JsonNode *
get_all_discount_codes (SigmaApp    *app,
                        JsonObject  *args,
                        gpointer     user_data,
                        GError     **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  JsonObject *result = json_object_new ();
  JsonObjectIter iter;
  const char *item_id;
  JsonNode *codes;

  json_object_iter_init_ordered (&iter, self->discount_codes);
  while (json_object_iter_next_ordered (&iter, &item_id, &codes))
    {
      JsonObjectIter code_iter;
      const char *code;
      JsonNode *percent;

      json_object_iter_init_ordered (&code_iter, json_node_get_object (codes));
      while (json_object_iter_next_ordered (&code_iter, &code, &percent))
        {
          JsonNode *items_node = json_object_get_member (result, code);
          JsonArray *items = items_node != NULL ? json_node_get_array (items_node) : NULL;

          if (items == NULL)
            {
              items = json_array_new ();
              json_object_set_array_member (result, code, items);
            }
          json_array_add_string_element (items, item_id);
        }
    }
  return sigma_json_object (result);
}

static JsonNode *
list_orders (SigmaApp    *app,
             JsonObject  *args,
             gpointer     user_data,
             GError     **error)
{
  return sigma_ordered_map_to_json (SIGMA_SHOPPING_APP (app)->orders, (SigmaToJsonFunc) order_to_json);
}

static JsonNode *
get_order_details (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  Order *order = lookup_order (SIGMA_SHOPPING_APP (app), sigma_args_string (args, "order_id"), error);

  return order != NULL ? order_to_json (order) : NULL;
}

static gboolean
is_order_status (const char *status)
{
  return g_str_equal (status, "processed") || g_str_equal (status, "shipped") ||
         g_str_equal (status, "delivered") || g_str_equal (status, "cancelled");
}

static JsonNode *
update_order_status (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  const char *status = sigma_args_string (args, "status");
  Order *order = lookup_order (SIGMA_SHOPPING_APP (app), sigma_args_string (args, "order_id"), error);

  if (order == NULL)
    return NULL;
  if (!is_order_status (status))
    {
      sigma_tool_error (error, "Invalid status");
      return NULL;
    }
  sigma_set_string (&order->order_status, status);
  return NULL;
}

static JsonNode *
cancel_order (SigmaApp    *app,
              JsonObject  *args,
              gpointer     user_data,
              GError     **error)
{
  const char *order_id = sigma_args_string (args, "order_id");
  Order *order = lookup_order (SIGMA_SHOPPING_APP (app), order_id, error);

  if (order == NULL)
    return NULL;
  if (!g_str_equal (order->order_status, "processed") && !g_str_equal (order->order_status, "shipped"))
    {
      sigma_tool_error (error, "Order %s cannot be cancelled, current status: %s",
                        order_id, order->order_status);
      return NULL;
    }
  /* ARE calls update_order_status with events disabled: one event, no nested log. */
  sigma_set_string (&order->order_status, "cancelled");
  return sigma_json_string (order_id);
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                   */

/* A variant of a product (a SigmaStateEntryFunc), stored in the map @user_data. */
static gboolean
item_load (SigmaStateReader  *strict,
           const char        *key,
           JsonObject        *obj,
           const char        *path,
           gpointer           user_data,
           GError           **error)
{
  SigmaOrderedMap *variants = user_data;
  g_autoptr(JsonNode) price = NULL;
  gboolean available;
  const char *item_id;
  JsonObject *options;
  Item *item;

  if (!sigma_state_get_number_node (strict, obj, path, "price", TRUE, &price, error) ||
      !sigma_state_get_bool (strict, obj, path, "available", TRUE, &available, error) ||
      !sigma_state_get_string (strict, obj, path, "item_id", TRUE, &item_id, error) ||
      !sigma_state_get_object (strict, obj, path, "options", TRUE, &options, error))
    return FALSE;

  item = g_new0 (Item, 1);
  item->price = g_steal_pointer (&price);
  item->available = available;
  item->item_id = g_strdup (item_id);
  item->options = sigma_json_object_deep_copy (options);
  sigma_ordered_map_insert (variants, key, item);
  return TRUE;
}

/* A product (a SigmaStateEntryFunc). @user_data is the reader of the whole state, whose
 * leniency applies to each variant on its own. */
static gboolean
product_load (SigmaStateReader  *strict,
              const char        *key,
              JsonObject        *obj,
              const char        *path,
              gpointer           user_data,
              GError           **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (strict->app);
  SigmaStateReader *r = user_data;
  const char *name, *product_id;
  JsonObject *variants;
  g_autofree char *variants_path = g_strdup_printf ("%s.variants", path);
  SigmaOrderedMapIter iter;
  const char *item_key;
  Product *product;

  if (!sigma_state_get_string (strict, obj, path, "name", TRUE, &name, error) ||
      !sigma_state_get_string (strict, obj, path, "product_id", TRUE, &product_id, error) ||
      !sigma_state_get_object (strict, obj, path, "variants", TRUE, &variants, error))
    return FALSE;

  product = product_new (name, product_id);
  if (!sigma_state_read_members (r, variants, variants_path, item_load, product->variants, error))
    {
      product_free (product);
      return FALSE;
    }
  sigma_ordered_map_insert (self->products, key, product);
  sigma_ordered_map_iter_init (&iter, product->variants);
  while (sigma_ordered_map_iter_next (&iter, &item_key, NULL))
    index_variant (self, item_key, product);
  return TRUE;
}

/* An entry of the cart or of an order's items (a SigmaStateEntryFunc), stored in the map
 * @user_data. */
static gboolean
cart_item_load (SigmaStateReader  *strict,
                const char        *key,
                JsonObject        *obj,
                const char        *path,
                gpointer           user_data,
                GError           **error)
{
  /* keyword construction (`CartItem(**d)`) rejects unknown fields */
  static const char * const fields[] = { "item_id", "quantity", "price", "available", "options", NULL };
  SigmaOrderedMap *cart_items = user_data;
  const char *item_id;
  gint64 quantity;
  g_autoptr(JsonNode) price = NULL;
  gboolean available = TRUE;
  JsonObject *options = NULL;
  CartItem *cart_item;

  if (!sigma_state_check_members (strict, obj, path, fields, "unexpected field", error) ||
      !sigma_state_get_string (strict, obj, path, "item_id", TRUE, &item_id, error) ||
      !sigma_state_get_int (strict, obj, path, "quantity", TRUE, &quantity, error) ||
      !sigma_state_get_number_node (strict, obj, path, "price", TRUE, &price, error) ||
      !sigma_state_get_bool (strict, obj, path, "available", FALSE, &available, error) ||
      !sigma_state_get_object (strict, obj, path, "options", FALSE, &options, error))
    return FALSE;

  cart_item = g_new0 (CartItem, 1);
  cart_item->item_id = g_strdup (item_id);
  cart_item->quantity = quantity;
  cart_item->price = g_steal_pointer (&price);
  cart_item->available = available;
  cart_item->options = options != NULL ? sigma_json_object_deep_copy (options) : json_object_new ();
  sigma_ordered_map_insert (cart_items, key, cart_item);
  return TRUE;
}

/* An order date string goes through `fromisoformat`/`isoformat`; anything else that is not a
 * datetime is kept as it is. */
static JsonNode *
order_date_load (SigmaStateReader  *strict,
                 JsonObject        *obj,
                 const char        *path,
                 GError           **error)
{
  JsonNode *node = json_object_get_member (obj, "order_date");
  g_autofree char *normalized = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      sigma_state_missing (strict, error, path, "order_date", "a string or a number");
      return NULL;
    }
  if (sigma_json_is_string (node))
    {
      normalized = iso_datetime_normalize (json_node_get_string (node));
      return normalized != NULL ? sigma_json_string (normalized) : json_node_copy (node);
    }
  if (sigma_json_is_number (node))
    return json_node_copy (node);
  sigma_state_problem (strict, error, "%s.order_date: expected a string or a number", path);
  return NULL;
}

/* An order (a SigmaStateEntryFunc). @user_data is the reader of the whole state, whose
 * leniency applies to each of the order's items on its own. */
static gboolean
order_load (SigmaStateReader  *strict,
            const char        *key,
            JsonObject        *obj,
            const char        *path,
            gpointer           user_data,
            GError           **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (strict->app);
  SigmaStateReader *r = user_data;
  const char *status, *order_id;
  g_autoptr(JsonNode) total = NULL;
  JsonObject *items;
  g_autofree char *items_path = g_strdup_printf ("%s.order_items", path);
  g_autoptr(JsonNode) date = NULL;
  Order *order;

  if (!sigma_state_get_string (strict, obj, path, "order_status", TRUE, &status, error))
    return FALSE;
  date = order_date_load (strict, obj, path, error);
  if (date == NULL ||
      !sigma_state_get_number_node (strict, obj, path, "order_total", TRUE, &total, error) ||
      !sigma_state_get_string (strict, obj, path, "order_id", TRUE, &order_id, error) ||
      !sigma_state_get_object (strict, obj, path, "order_items", TRUE, &items, error))
    return FALSE;

  order = order_new ();
  order->order_status = g_strdup (status);
  order->order_date = g_steal_pointer (&date);
  order->order_total = g_steal_pointer (&total);
  order->order_id = g_strdup (order_id);
  if (!sigma_state_read_members (r, items, items_path, cart_item_load, order->order_items, error))
    {
      order_free (order);
      return FALSE;
    }
  sigma_ordered_map_insert (self->orders, key, order);
  return TRUE;
}

/* The discount codes of an item (a SigmaStateEntryFunc): `dict[str, float]`. */
static gboolean
discount_codes_load (SigmaStateReader  *strict,
                     const char        *item_id,
                     JsonObject        *codes,
                     const char        *path,
                     gpointer           user_data,
                     GError           **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (strict->app);
  const char *code = find_code_without_number (codes);

  if (code != NULL)
    return sigma_state_problem (strict, error, "%s.%s: expected a number", path, code);
  json_object_set_object_member (self->discount_codes, item_id, sigma_json_object_deep_copy (codes));
  return TRUE;
}

/*
 * ARE requires the four collections; Sigma reads a missing one as empty, so that the partial
 * states of augmentation data load (doc/compat/shopping-app.md). ARE merges into the current
 * data; Sigma replaces it, as every Sigma app does.
 */
static gboolean
sigma_shopping_app_load_state (SigmaApp  *app,
                               JsonNode  *state,
                               GError   **error)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  JsonObject *root;
  JsonObject *products = NULL, *cart = NULL, *codes = NULL, *orders = NULL;

  clear_data (self);
  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  /* ARE's order: products, discount codes, cart, orders. */
  if (!sigma_state_get_object (&r, root, "app_state", "products", FALSE, &products, error) ||
      (products != NULL &&
       !sigma_state_read_members (&r, products, "app_state.products", product_load, &r, error)) ||
      !sigma_state_get_object (&r, root, "app_state", "discount_codes", FALSE, &codes, error) ||
      (codes != NULL &&
       !sigma_state_read_members (&r, codes, "app_state.discount_codes", discount_codes_load, NULL, error)) ||
      !sigma_state_get_object (&r, root, "app_state", "cart", FALSE, &cart, error) ||
      (cart != NULL &&
       !sigma_state_read_members (&r, cart, "app_state.cart", cart_item_load, self->cart, error)) ||
      !sigma_state_get_object (&r, root, "app_state", "orders", FALSE, &orders, error) ||
      (orders != NULL &&
       !sigma_state_read_members (&r, orders, "app_state.orders", order_load, &r, error)))
    {
      clear_data (self);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
sigma_shopping_app_get_state (SigmaApp *app)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (app);
  JsonObject *state = json_object_new ();

  json_object_set_member (state, "products", sigma_ordered_map_to_json (self->products, (SigmaToJsonFunc) product_to_json));
  json_object_set_member (state, "cart", cart_items_to_json (self->cart));
  json_object_set_object_member (state, "discount_codes", sigma_json_object_deep_copy (self->discount_codes));
  json_object_set_member (state, "orders", sigma_ordered_map_to_json (self->orders, (SigmaToJsonFunc) order_to_json));
  return sigma_json_object (state);
}

static void
sigma_shopping_app_reset (SigmaApp *app)
{
  clear_data (SIGMA_SHOPPING_APP (app));
}

/* ------------------------------------------------------------------------------------ */
/* Notifications (ARE's notification_system.py)                                           */

static char *
sigma_shopping_app_describe_notification (SigmaApp            *app,
                                          SigmaCompletedEvent *event,
                                          SigmaVerbosity       verbosity,
                                          SigmaMessageType    *type)
{
  const char *function = sigma_completed_event_get_function (event);
  JsonObject *args = sigma_completed_event_get_args (event);
  const char *class_name = sigma_app_get_class_name (app);
  SigmaEventType event_type = sigma_completed_event_get_event_type (event);

  if (verbosity < SIGMA_VERBOSITY_MEDIUM || args == NULL)
    return NULL;
  *type = SIGMA_MESSAGE_TYPE_ENVIRONMENT_NOTIFICATION;

  /* The agent cancelling an order is not news to the agent. */
  if (g_str_equal (function, "cancel_order"))
    {
      if (event_type != SIGMA_EVENT_TYPE_USER && event_type != SIGMA_EVENT_TYPE_ENV)
        return NULL;
      return g_strdup_printf ("%s: Order cancelled with Id %s", class_name,
                              sigma_args_string (args, "order_id"));
    }
  if (g_str_equal (function, "update_order_status"))
    return g_strdup_printf ("%s: Updated order with Id %s", class_name,
                            sigma_args_string (args, "order_id"));

  if (verbosity < SIGMA_VERBOSITY_HIGH)
    return NULL;
  if (g_str_equal (function, "add_product"))
    return g_strdup_printf ("%s: New product added: %s", class_name, sigma_args_string (args, "name"));
  if (g_str_equal (function, "add_item_to_product"))
    return g_strdup_printf ("%s: New item added to product with Id %s", class_name,
                            sigma_args_string (args, "product_id"));
  if (g_str_equal (function, "add_discount_code"))
    return g_strdup_printf ("%s: New discount code for item with Id %s", class_name,
                            sigma_args_string (args, "item_id"));
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Tools, in ARE's registration order (source order of shopping.py)                        */


#define AGENT SIGMA_TOOL_ROLE_AGENT
#define ENV   SIGMA_TOOL_ROLE_ENV
#define DATA  SIGMA_TOOL_ROLE_DATA
#define READ  SIGMA_TOOL_OPERATION_READ
#define WRITE SIGMA_TOOL_OPERATION_WRITE

static const SigmaToolSpec shopping_tools[] = {
  {
    .name = "add_product",
    .description = "Adds a product with the given name to the catalogue; it has no items until "
                   "items are added to it with add_item_to_product.",
    .roles = DATA | ENV, .operation = WRITE, .func = add_product,
    .returns = "the id of the new product",
    .params = {
      SIGMA_TOOL_PARAM ("name", SIGMA_VALUE_TYPE_STRING, "The product name shown to shoppers."),
    },
  },
  {
    .name = "add_item_to_product",
    .description = "Adds a purchasable item (a variant such as a colour or a size) to a product.",
    .roles = DATA | ENV, .operation = WRITE, .func = add_item_to_product,
    .returns = "the id of the new item",
    .params = {
      SIGMA_TOOL_PARAM ("product_id", SIGMA_VALUE_TYPE_STRING, "The product that gets the item."),
      SIGMA_TOOL_PARAM ("price", SIGMA_VALUE_TYPE_NUMBER, "The unit price of the item."),
      SIGMA_TOOL_PARAM_OPTIONAL ("options", SIGMA_VALUE_TYPE_OBJECT,
                                 "The item's characteristics, for example {\"color\": \"red\", \"size\": \"L\"}.", "{}"),
      SIGMA_TOOL_PARAM_OPTIONAL ("available", SIGMA_VALUE_TYPE_BOOLEAN, "Whether the item can be bought.", "true"),
    },
  },
  {
    .name = "update_item",
    .description = "Changes the price, the availability, or both, of an item in the catalogue.",
    .roles = DATA | ENV, .operation = WRITE, .func = update_item,
    .returns = "the id of the updated item",
    .params = {
      SIGMA_TOOL_PARAM ("item_id", SIGMA_VALUE_TYPE_STRING, "The item to change."),
      SIGMA_TOOL_PARAM_NULLABLE ("new_price", SIGMA_VALUE_TYPE_NUMBER,
                                 "The new unit price, or null to keep the price."),
      SIGMA_TOOL_PARAM_NULLABLE ("new_availability", SIGMA_VALUE_TYPE_BOOLEAN,
                                 "The new availability, or null to keep it."),
    },
  },
  {
    .name = "add_discount_code",
    .description = "Makes discount codes valid for one item of the catalogue.",
    .roles = DATA | ENV, .operation = WRITE, .func = add_discount_code,
    .returns = "a confirmation message",
    .params = {
      SIGMA_TOOL_PARAM ("item_id", SIGMA_VALUE_TYPE_STRING, "The item the codes apply to."),
      SIGMA_TOOL_PARAM ("discount_code", SIGMA_VALUE_TYPE_OBJECT,
                        "The codes, each mapped to its discount in percent, for example {\"SAVE10\": 10}."),
    },
  },
  {
    .name = "add_order",
    .description = "Records a past order of one item directly, without going through the cart.",
    .roles = DATA, .operation = WRITE, .func = add_order,
    .returns = "the id of the order",
    .params = {
      SIGMA_TOOL_PARAM ("order_id", SIGMA_VALUE_TYPE_STRING, "The id to give the order."),
      SIGMA_TOOL_PARAM ("order_status", SIGMA_VALUE_TYPE_STRING,
                        "The status: processed, shipped, delivered or cancelled."),
      SIGMA_TOOL_PARAM ("order_date", SIGMA_VALUE_TYPE_NUMBER,
                        "When the order was placed, in seconds since the epoch."),
      SIGMA_TOOL_PARAM ("order_total", SIGMA_VALUE_TYPE_NUMBER, "The amount paid for the order."),
      SIGMA_TOOL_PARAM ("item_id", SIGMA_VALUE_TYPE_STRING, "The item ordered."),
      SIGMA_TOOL_PARAM ("quantity", SIGMA_VALUE_TYPE_INTEGER, "How many units were ordered."),
    },
  },
  {
    .name = "list_all_products",
    .description = "Lists the products of the catalogue by name, in alphabetical order, one page "
                   "at a time.",
    .roles = AGENT | DATA, .operation = READ, .func = list_all_products,
    .returns = "{\"products\": {name: product_id}, \"metadata\": {\"range\": [start, end], \"total\": n}}",
    .params = {
      SIGMA_TOOL_PARAM_OPTIONAL ("offset", SIGMA_VALUE_TYPE_INTEGER, "How many products to skip.", "0"),
      SIGMA_TOOL_PARAM_OPTIONAL ("limit", SIGMA_VALUE_TYPE_INTEGER, "The most products to return.", "10"),
    },
  },
  {
    .name = "get_product_details",
    .description = "Shows a product with all its items, their prices, availability and options.",
    .roles = AGENT | DATA, .operation = READ, .func = get_product_details,
    .returns = "the product",
    .params = {
      SIGMA_TOOL_PARAM ("product_id", SIGMA_VALUE_TYPE_STRING, "The product to show."),
    },
  },
  {
    .name = "search_product",
    .description = "Finds the products whose name contains the given text, ignoring case.",
    .roles = AGENT | DATA, .operation = READ, .func = search_product,
    .returns = "the matching products",
    .params = {
      SIGMA_TOOL_PARAM ("product_name", SIGMA_VALUE_TYPE_STRING, "The text to look for in product names."),
      SIGMA_TOOL_PARAM_OPTIONAL ("offset", SIGMA_VALUE_TYPE_INTEGER, "How many matches to skip.", "0"),
      SIGMA_TOOL_PARAM_OPTIONAL ("limit", SIGMA_VALUE_TYPE_INTEGER, "The most matches to return.", "10"),
    },
  },
  {
    .name = "add_to_cart",
    .description = "Puts units of an available item in the cart.",
    .roles = AGENT, .operation = WRITE, .func = add_to_cart,
    .returns = "the id of the item",
    .params = {
      SIGMA_TOOL_PARAM ("item_id", SIGMA_VALUE_TYPE_STRING, "The item to add (an item id, not a product id)."),
      SIGMA_TOOL_PARAM_OPTIONAL ("quantity", SIGMA_VALUE_TYPE_INTEGER, "How many units to add; at least 1.", "1"),
    },
  },
  {
    .name = "remove_from_cart",
    .description = "Takes units of an item out of the cart; the item leaves the cart when none are left.",
    .roles = AGENT, .operation = WRITE, .func = remove_from_cart,
    .returns = "the id of the item",
    .params = {
      SIGMA_TOOL_PARAM ("item_id", SIGMA_VALUE_TYPE_STRING, "The item to remove."),
      SIGMA_TOOL_PARAM_OPTIONAL ("quantity", SIGMA_VALUE_TYPE_INTEGER, "How many units to remove.", "1"),
    },
  },
  {
    .name = "list_cart",
    .description = "Shows what is in the cart: each item with its quantity and unit price.",
    .roles = AGENT, .operation = READ, .func = list_cart,
    .returns = "{item_id: cart item}",
    .params = { },
  },
  {
    .name = "checkout",
    .description = "Orders everything in the cart and empties it; a discount code, if given, must "
                   "be valid for every item in the cart, otherwise nothing is ordered.",
    .roles = AGENT, .operation = WRITE, .func = checkout,
    .returns = "the id of the new order",
    .params = {
      SIGMA_TOOL_PARAM_NULLABLE ("discount_code", SIGMA_VALUE_TYPE_STRING,
                                 "A discount code to apply to the whole order, or null for none."),
    },
  },
  {
    .name = "get_discount_code_info",
    .description = "Tells which items a discount code applies to, and the discount on each.",
    .roles = AGENT, .operation = READ, .func = get_discount_code_info,
    .returns = "{item_id: percent}",
    .params = {
      SIGMA_TOOL_PARAM_OPTIONAL ("discount_code", SIGMA_VALUE_TYPE_STRING, "The code to look up.", "\"\""),
    },
  },
  {
    .name = "get_all_discount_codes",
    .description = "Lists every discount code with the items it applies to.",
    .roles = AGENT | DATA, .operation = READ, .func = get_all_discount_codes,
    .returns = "{code: [item_id]}",
    .params = { },
  },
  {
    .name = "list_orders",
    .description = "Lists all orders placed, with their status, date, total and items.",
    .roles = AGENT, .operation = READ, .func = list_orders,
    .returns = "{order_id: order}",
    .params = { },
  },
  {
    .name = "get_order_details",
    .description = "Shows one order: its status, date, total and items.",
    .roles = AGENT, .operation = READ, .func = get_order_details,
    .returns = "the order",
    .params = {
      SIGMA_TOOL_PARAM ("order_id", SIGMA_VALUE_TYPE_STRING, "The order to show."),
    },
  },
  {
    .name = "update_order_status",
    .description = "Moves an order to a new status, as the shop does when it ships or delivers it.",
    .roles = ENV, .operation = WRITE, .func = update_order_status,
    .returns = NULL,
    .params = {
      SIGMA_TOOL_PARAM ("order_id", SIGMA_VALUE_TYPE_STRING, "The order to update."),
      SIGMA_TOOL_PARAM_OPTIONAL ("status", SIGMA_VALUE_TYPE_STRING,
                                 "The new status: processed, shipped, delivered or cancelled.", "\"shipped\""),
    },
  },
  {
    .name = "cancel_order",
    .description = "Cancels an order that has not been delivered yet (its status is processed or shipped).",
    .roles = AGENT | ENV, .operation = WRITE, .func = cancel_order,
    .returns = "the id of the cancelled order",
    .params = {
      SIGMA_TOOL_PARAM ("order_id", SIGMA_VALUE_TYPE_STRING, "The order to cancel."),
    },
  },
};

/* ------------------------------------------------------------------------------------ */

static void
sigma_shopping_app_finalize (GObject *object)
{
  SigmaShoppingApp *self = SIGMA_SHOPPING_APP (object);

  g_clear_pointer (&self->cart, sigma_ordered_map_free);
  g_clear_pointer (&self->orders, sigma_ordered_map_free);
  g_clear_pointer (&self->products, sigma_ordered_map_free);
  g_clear_pointer (&self->item_products, g_hash_table_unref);
  g_clear_pointer (&self->discount_codes, json_object_unref);

  G_OBJECT_CLASS (sigma_shopping_app_parent_class)->finalize (object);
}

static void
sigma_shopping_app_class_init (SigmaShoppingAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_shopping_app_finalize;

  app_class->get_state = sigma_shopping_app_get_state;
  app_class->load_state = sigma_shopping_app_load_state;
  app_class->reset = sigma_shopping_app_reset;
  app_class->describe_notification = sigma_shopping_app_describe_notification;
  app_class->app_class_name = "ShoppingApp";
}

static void
sigma_shopping_app_init (SigmaShoppingApp *self)
{
  self->products = sigma_ordered_map_new (product_free);
  self->cart = sigma_ordered_map_new (cart_item_free);
  self->orders = sigma_ordered_map_new (order_free);
  self->item_products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->discount_codes = json_object_new ();

  sigma_app_add_tool_specs (SIGMA_APP (self), shopping_tools, G_N_ELEMENTS (shopping_tools));
}

/**
 * sigma_shopping_app_new:
 * @name: (nullable): the instance name; "ShoppingApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaShoppingApp
 */
SigmaApp *
sigma_shopping_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_SHOPPING_APP, "name", name != NULL ? name : "ShoppingApp", NULL);
}
