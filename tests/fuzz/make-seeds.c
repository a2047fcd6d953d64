/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include <sigma.h>

#include "sigma-json-private.h"

/*
 * Seeds for the importer fuzzer, made at test time from the corpus: each file with its app
 * states, completed events and logs cut down to a few entries, so that every seed is a small
 * but complete scenario or trace (the real files are up to 2.6 MB, far too large to mutate).
 */

#define KEEP 3

static void
shrink (JsonNode *node,
        guint     depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      guint i = 0;

      for (GList *l = members; l != NULL; l = l->next, i++)
        {
          if (depth > 0 && i >= KEEP * 2)
            json_object_remove_member (object, l->data);
          else
            shrink (json_object_get_member (object, l->data), depth + 1);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      while (json_array_get_length (array) > KEEP)
        json_array_remove_element (array, json_array_get_length (array) - 1);
      for (guint i = 0; i < json_array_get_length (array); i++)
        shrink (json_array_get_element (array, i), depth + 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (argc < 3)
    {
      fprintf (stderr, "usage: make-seeds OUTDIR FILE...\n");
      return 2;
    }
  for (int i = 2; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *base = g_path_get_basename (argv[i]);
      g_autofree char *out = g_build_filename (argv[1], base, NULL);
      g_autofree char *text = NULL;
      gsize length;
      JsonObject *object;

      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        {
          fprintf (stderr, "make-seeds: %s\n", error->message);
          return 1;
        }
      root = sigma_json_parse (contents, length, SIGMA_JSON_PARSE_DEFAULT, &error);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      object = json_node_get_object (root);
      if (json_object_has_member (object, "apps") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "apps")))
        {
          JsonArray *apps = json_object_get_array_member (object, "apps");

          for (guint a = 0; a < json_array_get_length (apps); a++)
            {
              JsonNode *app = json_array_get_element (apps, a);

              if (JSON_NODE_HOLDS_OBJECT (app) && json_object_has_member (json_node_get_object (app), "app_state"))
                shrink (json_object_get_member (json_node_get_object (app), "app_state"), 1);
            }
        }
      {
        static const char * const lists[] = { "completed_events", "world_logs" };

        for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
          if (json_object_has_member (object, lists[k]) && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, lists[k])))
            {
              JsonArray *array = json_object_get_array_member (object, lists[k]);

              while (json_array_get_length (array) > 12)
                json_array_remove_element (array, json_array_get_length (array) - 1);
            }
      }
      if (json_object_has_member (object, "augmentation"))
        shrink (json_object_get_member (object, "augmentation"), 1);
      text = sigma_json_to_python_string (root);
      if (!g_file_set_contents (out, text, -1, &error))
        {
          fprintf (stderr, "make-seeds: %s\n", error->message);
          return 1;
        }
    }
  return 0;
}
