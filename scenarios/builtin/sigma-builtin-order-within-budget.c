/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "order_within_budget": a Saturday. At 09:00 the user asks for running shoes in size 43 for
 * at most 100 EUR, once a friend's discount code arrives. At 11:20 Jonas's message brings the
 * code RUNFAST20 (20 % off two models). Only the Trailblazer 2 in size 43 fits the budget
 * with the code (119.00 → 95.20); the cheaper Stride Lite is sold out in 43 and the AeroPro
 * stays over budget even discounted.
 */
#include "config.h"

#include "sigma-builtin-private.h"

#include "sigma-messaging-app.h"
#include "sigma-scenario.h"
#include "sigma-shopping-app.h"
#include "sigma-time.h"

#define START_TIME 1729328400.0   /* Saturday 2024-10-19 09:00:00 UTC */
#define MESSAGE_DELAY 8400.0      /* 11:20 */
#define BUDGET 100.0

G_DECLARE_FINAL_TYPE (SigmaBuiltinOrderBudget, sigma_builtin_order_budget, SIGMA, BUILTIN_ORDER_BUDGET, SigmaScenario)

struct _SigmaBuiltinOrderBudget
{
  SigmaScenario parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaBuiltinOrderBudget, sigma_builtin_order_budget, SIGMA_TYPE_SCENARIO)

static const char *tags[] = { "shopping", "messaging", "budget", "day", NULL };
static const char *hints[] = {
  "Wait for Jonas's message with the discount code before buying anything.",
  "Only running shoes in size 43 that are available; the order total after the discount must "
  "be at most 100 EUR. Place exactly one order and tell the user the total.",
  NULL
};

#define ITEM(id, price, available, size) \
  "\"" id "\": {\"price\": " #price ", \"available\": " #available ", \"item_id\": \"" id "\"," \
  " \"options\": {\"size\": \"" size "\"}}"

static const char shopping_state[] =
  "{\"products\": {"
  "\"p-trail\": {\"name\": \"Trailblazer 2 Running Shoes\", \"product_id\": \"p-trail\", \"variants\": {"
  ITEM ("i-trail-42", 119.0, true, "42") "," ITEM ("i-trail-43", 119.0, true, "43") "}},"
  "\"p-stride\": {\"name\": \"Stride Lite Running Shoes\", \"product_id\": \"p-stride\", \"variants\": {"
  ITEM ("i-stride-43", 89.0, false, "43") "," ITEM ("i-stride-44", 89.0, true, "44") "}},"
  "\"p-aero\": {\"name\": \"AeroPro Carbon Racing Shoes\", \"product_id\": \"p-aero\", \"variants\": {"
  ITEM ("i-aero-43", 189.0, true, "43") "}},"
  "\"p-socks\": {\"name\": \"Merino Running Socks (3 pack)\", \"product_id\": \"p-socks\", \"variants\": {"
  ITEM ("i-socks-m", 24.0, true, "M") "}}},"
  " \"cart\": {},"
  " \"discount_codes\": {\"i-trail-42\": {\"RUNFAST20\": 20}, \"i-trail-43\": {\"RUNFAST20\": 20},"
  " \"i-aero-43\": {\"RUNFAST20\": 20}, \"i-socks-m\": {\"SOCKS5\": 5}},"
  " \"orders\": {}}";

static const char messages_state[] =
  "{\"conversations\": {"
  "\"conv-jonas\": {\"participant_ids\": [\"u-nadia\", \"u-jonas\"], \"messages\": ["
  SIGMA_BUILTIN_MESSAGE ("m-jonas-1", "u-jonas", 1729267200.0,
                         "I'll send you the club's shoe discount code tomorrow morning!") "],"
  " \"title\": \"Jonas Weber\", \"conversation_id\": \"conv-jonas\", \"last_updated\": 1729267200.0}},"
  " \"messages_view_limit\": 10, \"conversation_view_limit\": 5, \"mode\": \"NAME\","
  " \"name_to_id\": {\"Nadia Rahman\": \"u-nadia\", \"Jonas Weber\": \"u-jonas\"},"
  " \"id_to_name\": {\"u-nadia\": \"Nadia Rahman\", \"u-jonas\": \"Jonas Weber\"},"
  " \"current_user_id\": \"u-nadia\", \"current_user_name\": \"Nadia Rahman\"}";

static gboolean
sigma_builtin_order_budget_init_apps (SigmaScenario     *scenario,
                                      SigmaEnvironment  *env,
                                      GError           **error)
{
  return sigma_builtin_add_assistant_apps (env, error) &&
         sigma_builtin_add_app (env, sigma_shopping_app_new ("Shopping"), shopping_state, error) &&
         sigma_builtin_add_app (env, sigma_messaging_app_new ("Messages"), messages_state, error);
}

static gboolean
sigma_builtin_order_budget_build_events (SigmaScenario     *scenario,
                                         SigmaEnvironment  *env,
                                         GError           **error)
{
  g_auto(SigmaBuiltinPlan) plan = { NULL, NULL };
  SigmaEvent *task, *code, *search, *cart, *checkout;

  sigma_builtin_plan_init (&plan);
  task = sigma_builtin_plan_user_message (&plan, "user_task",
                                          "I need new running shoes for next week's half-marathon, size 43, and "
                                          "I can spend at most 100 EUR in total. Jonas will send me a discount "
                                          "code on Messages this morning: wait for it, then order the best pair "
                                          "you can get within budget and tell me the total.", NULL, 0);
  code = sigma_builtin_plan_action (&plan, SIGMA_EVENT_TYPE_ENV, "env_jonas_code", "Messages",
                                    "create_and_add_message",
                                    "{\"conversation_id\": \"conv-jonas\", \"sender_id\": \"u-jonas\","
                                    " \"content\": \"Morning! The code RUNFAST20 gives 20% off the Trailblazer 2 "
                                    "and the AeroPro at the shop, today only.\"}", task, MESSAGE_DELAY);
  search = sigma_builtin_plan_oracle (&plan, "oracle_search", "Shopping", "search_product",
                                      "{\"product_name\": \"Running Shoes\"}", code, 60);
  cart = sigma_builtin_plan_oracle (&plan, "oracle_add_to_cart", "Shopping", "add_to_cart",
                                    "{\"item_id\": \"i-trail-43\", \"quantity\": 1}", search, 10);
  checkout = sigma_builtin_plan_oracle (&plan, "oracle_checkout", "Shopping", "checkout",
                                        "{\"discount_code\": \"RUNFAST20\"}", cart, 10);
  sigma_builtin_plan_reply_to_user (&plan, "oracle_reply", "Ordered the Trailblazer 2 Running Shoes in size 43 "
                                    "with RUNFAST20: 95.20 EUR in total.", checkout, 5);
  return sigma_builtin_plan_schedule (&plan, env, error);
}

static gboolean
sigma_builtin_order_budget_validate (SigmaScenario     *scenario,
                                     SigmaEnvironment  *env,
                                     char             **rationale,
                                     GError           **error)
{
  g_autoptr(JsonObject) orders = sigma_builtin_app_state (env, "Shopping", "orders", error);
  g_autoptr(GList) ids = NULL;
  g_autoptr(GList) items = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  JsonObject *order, *order_items;
  gdouble total, code_time;

  if (orders == NULL)
    return FALSE;
  if (json_object_get_size (orders) != 1)
    {
      *rationale = g_strdup_printf ("Expected exactly one order of running shoes in size 43 for at most "
                                    "%.2f EUR; found %u orders", BUDGET, json_object_get_size (orders));
      return FALSE;
    }
  ids = json_object_get_members (orders);
  order = json_object_get_object_member (orders, ids->data);
  order_items = json_object_get_object_member (order, "order_items");
  items = json_object_get_members (order_items);
  total = json_object_get_double_member_with_default (order, "order_total", 0);
  if (g_list_length (items) != 1 || !g_str_equal (items->data, "i-trail-43") ||
      json_object_get_int_member_with_default (json_object_get_object_member (order_items, items->data),
                                               "quantity", 0) != 1)
    {
      g_autoptr(GString) held = g_string_new (NULL);

      for (GList *l = items; l != NULL; l = l->next)
        g_string_append_printf (held, "%s%s x%" G_GINT64_FORMAT, held->len > 0 ? ", " : "", (char *) l->data,
                                json_object_get_int_member_with_default (
                                  json_object_get_object_member (order_items, l->data), "quantity", 0));
      *rationale = g_strdup_printf ("Expected one pair of i-trail-43 (Trailblazer 2, size 43: the only size-43 "
                                    "shoes within %.2f EUR after RUNFAST20); the order holds %s, %.2f EUR",
                                    BUDGET, held->str, total);
      return FALSE;
    }
  if (total > BUDGET)
    {
      *rationale = g_strdup_printf ("The order total is %.2f EUR, over the budget of %.2f EUR (expected "
                                    "95.20 EUR with the code RUNFAST20)", total, BUDGET);
      return FALSE;
    }
  if (!sigma_builtin_event_time (env, "env_jonas_code", &code_time))
    code_time = G_MAXDOUBLE;
  replies = sigma_builtin_replies_since (env, code_time);
  if (replies->len == 0)
    {
      *rationale = g_strdup_printf ("The order (%.2f EUR) is right, but the agent never told the user the "
                                    "total after Jonas's code arrived", total);
      return FALSE;
    }
  *rationale = g_strdup_printf ("One pair of Trailblazer 2 in size 43 for %.2f EUR, within %.2f EUR; user told",
                                total, BUDGET);
  return TRUE;
}

static void
sigma_builtin_order_budget_constructed (GObject *object)
{
  G_OBJECT_CLASS (sigma_builtin_order_budget_parent_class)->constructed (object);
  sigma_builtin_configure (SIGMA_SCENARIO (object), START_TIME, 6 * 3600.0, 6, tags, hints);
}

static void
sigma_builtin_order_budget_class_init (SigmaBuiltinOrderBudgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaScenarioClass *scenario_class = SIGMA_SCENARIO_CLASS (klass);

  object_class->constructed = sigma_builtin_order_budget_constructed;
  scenario_class->init_apps = sigma_builtin_order_budget_init_apps;
  scenario_class->build_events = sigma_builtin_order_budget_build_events;
  scenario_class->validate = sigma_builtin_order_budget_validate;
}

static void
sigma_builtin_order_budget_init (SigmaBuiltinOrderBudget *self)
{
}

gboolean
sigma_builtin_register_order_within_budget (SigmaScenarioRegistry  *registry,
                                            GError                **error)
{
  return sigma_scenario_registry_register_full (registry, "order_within_budget",
                                                "A discount code arrives at 11:20: order size-43 running shoes "
                                                "for at most 100 EUR (Shopping, Messages)",
                                                tags, SIGMA_SCENARIO_SOURCE_BUILT_IN, NULL,
                                                sigma_builtin_order_budget_get_type (), error);
}
