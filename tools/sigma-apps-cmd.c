/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "sigma-cli.h"

/* `sigma apps` and `sigma tools APP`: the app classes Sigma can create and their tools. */

int
sigma_cli_apps (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  context = g_option_context_new ("- list the app classes and their aliases");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1)
    {
      fprintf (stderr, "sigma apps: %s\n", error != NULL ? error->message : "unexpected argument");
      return 2;
    }

  names = sigma_apps_list_class_names ();
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; names[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "class_name");
          json_builder_add_string_value (builder, names[i]);
          json_builder_set_member_name (builder, "canonical");
          json_builder_add_string_value (builder, sigma_apps_get_canonical_name (names[i]));
          json_builder_set_member_name (builder, "default_name");
          json_builder_add_string_value (builder, sigma_apps_get_default_name (names[i]));
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, g_type_name (sigma_apps_lookup_type (names[i])));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sigma_cli_print_json (root);
    }
  else
    {
      printf ("%-24s %-22s %s\n", "CLASS", "SAME AS", "DEFAULT NAME");
      for (guint i = 0; names[i] != NULL; i++)
        printf ("%-24s %-22s %s\n", names[i], sigma_apps_get_canonical_name (names[i]),
                sigma_apps_get_default_name (names[i]));
    }
  return 0;
}

static const char *
roles_text (SigmaToolRole roles,
            char         *buf)
{
  char *p = buf;

  if (roles & SIGMA_TOOL_ROLE_AGENT) *p++ = 'A';
  if (roles & SIGMA_TOOL_ROLE_USER) *p++ = 'U';
  if (roles & SIGMA_TOOL_ROLE_ENV) *p++ = 'E';
  if (roles & SIGMA_TOOL_ROLE_DATA) *p++ = 'D';
  *p = '\0';
  return buf;
}

int
sigma_cli_tools (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SigmaApp) app = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  const char *canonical;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  context = g_option_context_new ("APP - show the tools of an app class");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "sigma tools: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "sigma tools: name one app class (see 'sigma apps')\n");
      return 2;
    }
  /* a class name, or an instance name of Gaia2 files ("Emails", "Chats") through the aliases */
  canonical = sigma_apps_get_canonical_name (argv[1]);
  if (sigma_apps_get_default_name (argv[1]) != NULL || canonical == NULL)
    app = sigma_apps_create (argv[1], NULL, &error);
  else
    app = sigma_apps_create (canonical, argv[1], &error);
  if (app == NULL)
    {
      fprintf (stderr, "sigma tools: %s\n", error->message);
      return 2;
    }

  tools = sigma_app_list_tools (app, SIGMA_TOOL_ROLE_NONE);
  if (json)
    {
      JsonArray *array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < tools->len; i++)
        {
          SigmaTool *tool = g_ptr_array_index (tools, i);
          JsonObject *obj = json_object_new ();
          JsonArray *roles = json_array_new ();
          SigmaToolRole r = sigma_tool_get_roles (tool);

          json_object_set_string_member (obj, "name", sigma_tool_get_name (tool));
          if (r & SIGMA_TOOL_ROLE_AGENT) json_array_add_string_element (roles, "agent");
          if (r & SIGMA_TOOL_ROLE_USER) json_array_add_string_element (roles, "user");
          if (r & SIGMA_TOOL_ROLE_ENV) json_array_add_string_element (roles, "env");
          if (r & SIGMA_TOOL_ROLE_DATA) json_array_add_string_element (roles, "data");
          json_object_set_array_member (obj, "roles", roles);
          json_object_set_string_member (obj, "operation",
                                         sigma_tool_get_operation (tool) == SIGMA_TOOL_OPERATION_WRITE ? "write" : "read");
          json_object_set_member (obj, "schema", sigma_tool_to_json_schema (tool, sigma_app_get_name (app)));
          json_array_add_object_element (array, obj);
        }
      json_node_take_array (root, array);
      sigma_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < tools->len; i++)
        {
          SigmaTool *tool = g_ptr_array_index (tools, i);
          char roles[8];

          printf ("%s__%s  [%s, %s]\n  %s\n", sigma_app_get_name (app), sigma_tool_get_name (tool),
                  roles_text (sigma_tool_get_roles (tool), roles),
                  sigma_tool_get_operation (tool) == SIGMA_TOOL_OPERATION_WRITE ? "write" : "read",
                  sigma_tool_get_description (tool));
          for (guint p = 0; p < sigma_tool_get_n_parameters (tool); p++)
            {
              JsonNode *def = sigma_tool_get_parameter_default (tool, p);
              g_autofree char *def_text = def != NULL ? sigma_json_to_string (def, FALSE) : NULL;

              printf ("    %s: %s%s%s%s — %s\n", sigma_tool_get_parameter_name (tool, p),
                      sigma_value_type_to_string (sigma_tool_get_parameter_type (tool, p)),
                      sigma_tool_get_parameter_nullable (tool, p) ? " | null" : "",
                      def_text != NULL ? " = " : "", def_text != NULL ? def_text : "",
                      sigma_tool_get_parameter_description (tool, p));
            }
        }
    }
  return 0;
}
