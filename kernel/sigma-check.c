/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-event-private.h"
#include "sigma-environment.h"

/* A SigmaCheck is a named predicate: either a C function with user data and a destroy
 * notify, or a GClosure (which is how Python callables reach us through GI). */

void
sigma_check_init_func (SigmaCheck     *check,
                       const char     *name,
                       gpointer        func,
                       gpointer        user_data,
                       GDestroyNotify  destroy)
{
  g_assert (check != NULL);
  g_assert (func != NULL);

  check->name = g_strdup (name);
  check->func = func;
  check->user_data = user_data;
  check->destroy = destroy;
  check->closure = NULL;
}

void
sigma_check_init_closure (SigmaCheck *check,
                          const char *name,
                          GClosure   *closure)
{
  g_assert (check != NULL);
  g_assert (closure != NULL);

  check->name = g_strdup (name);
  check->func = NULL;
  check->user_data = NULL;
  check->destroy = NULL;
  check->closure = g_closure_ref (closure);
  g_closure_sink (closure);
  if (G_CLOSURE_NEEDS_MARSHAL (closure))
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);
}

void
sigma_check_clear (SigmaCheck *check)
{
  g_clear_pointer (&check->name, g_free);
  if (check->destroy != NULL)
    check->destroy (check->user_data);
  check->destroy = NULL;
  check->user_data = NULL;
  check->func = NULL;
  if (check->closure != NULL)
    {
      g_closure_invalidate (check->closure);
      g_clear_pointer (&check->closure, g_closure_unref);
    }
}

static gboolean
invoke_closure (GClosure     *closure,
                guint         n_params,
                const GValue *params)
{
  GValue ret = G_VALUE_INIT;
  gboolean result;

  g_value_init (&ret, G_TYPE_BOOLEAN);
  g_closure_invoke (closure, &ret, n_params, params, NULL);
  result = g_value_get_boolean (&ret);
  g_value_unset (&ret);

  return result;
}

gboolean
sigma_check_eval_env (SigmaCheck       *check,
                      SigmaEnvironment *env)
{
  if (check->func != NULL)
    return ((SigmaConditionFunc) check->func) (env, check->user_data);
  else
    {
      GValue param = G_VALUE_INIT;
      gboolean result;

      g_value_init (&param, SIGMA_TYPE_ENVIRONMENT);
      g_value_set_object (&param, env);
      result = invoke_closure (check->closure, 1, &param);
      g_value_unset (&param);
      return result;
    }
}

gboolean
sigma_check_eval_agent (SigmaCheck          *check,
                        SigmaEnvironment    *env,
                        SigmaCompletedEvent *event)
{
  if (check->func != NULL)
    return ((SigmaAgentCheckFunc) check->func) (env, event, check->user_data);
  else
    {
      GValue params[2] = { G_VALUE_INIT, G_VALUE_INIT };
      gboolean result;

      g_value_init (&params[0], SIGMA_TYPE_ENVIRONMENT);
      g_value_set_object (&params[0], env);
      g_value_init (&params[1], SIGMA_TYPE_COMPLETED_EVENT);
      g_value_set_boxed (&params[1], event);
      result = invoke_closure (check->closure, 2, params);
      g_value_unset (&params[0]);
      g_value_unset (&params[1]);
      return result;
    }
}

static void
check_array_clear (gpointer data)
{
  sigma_check_clear (data);
}

GArray *
sigma_check_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (SigmaCheck));

  g_array_set_clear_func (array, check_array_clear);
  return array;
}

void
sigma_check_array_add (GArray         *array,
                       const char     *kind,
                       const char     *name,
                       gpointer        func,
                       gpointer        user_data,
                       GDestroyNotify  destroy,
                       GClosure       *closure)
{
  SigmaCheck check;
  g_autofree char *fallback = NULL;

  if (name == NULL)
    name = fallback = g_strdup_printf ("%s[%u]", kind, array->len);
  if (closure != NULL)
    sigma_check_init_closure (&check, name, closure);
  else
    sigma_check_init_func (&check, name, func, user_data, destroy);
  g_array_append_val (array, check);
}
