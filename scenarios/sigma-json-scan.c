/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-error.h"
#include "sigma-json-private.h"

/*
 * A light scan of an ARE file for what a plugin folder lists: the scenario id and tags of
 * metadata.definition. The scan skips every other value without building it (strings,
 * numbers and nested containers are stepped over byte by byte), then parses only the
 * definition object. It does not validate the rest of the file: that happens when the
 * scenario is created.
 */

typedef struct {
  const char *p;
  const char *end;
} Scan;

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* At a '"': steps over the string. */
static gboolean
skip_string (Scan *s)
{
  g_assert (s->p < s->end && *s->p == '"');

  for (s->p++; s->p < s->end; s->p++)
    {
      if (*s->p == '\\')
        {
          /* the escaped character is never the end of the string */
          if (++s->p >= s->end)
            return FALSE;
        }
      else if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }
    }
  return FALSE;
}

/* Steps over one value; containers are matched by depth only. */
static gboolean
skip_value (Scan *s)
{
  guint depth = 0;

  if (s->p >= s->end)
    return FALSE;
  if (*s->p == '"')
    return skip_string (s);
  if (*s->p != '{' && *s->p != '[')
    {
      /* a number or a literal: up to the next delimiter */
      while (s->p < s->end && strchr (",}] \t\r\n", *s->p) == NULL)
        s->p++;
      return TRUE;
    }
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == '"')
        {
          if (!skip_string (s))
            return FALSE;
          continue;
        }
      if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        {
          s->p++;
          return TRUE;
        }
      s->p++;
    }
  return FALSE;
}

/* At a '{': moves to the value of member @key and returns TRUE, or FALSE if the object has
 * no such member (or is malformed). Keys written with escapes never match. */
static gboolean
find_member (Scan       *s,
             const char *key)
{
  gsize key_length = strlen (key);

  if (s->p >= s->end || *s->p != '{')
    return FALSE;
  s->p++;
  for (;;)
    {
      const char *name;
      gsize name_length;

      skip_space (s);
      if (s->p >= s->end || *s->p != '"')
        return FALSE;
      name = s->p + 1;
      if (!skip_string (s))
        return FALSE;
      name_length = (gsize) (s->p - 1 - name);
      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;
      skip_space (s);
      if (name_length == key_length && memcmp (name, key, key_length) == 0)
        return TRUE;
      if (!skip_value (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || *s->p != ',')
        return FALSE;
      s->p++;
    }
}

gboolean
sigma_json_scan_definition (const char  *data,
                            gsize        length,
                            char       **scenario_id,
                            GStrv       *tags,
                            GError     **error)
{
  Scan s = { data, data + length };
  const char *start;
  g_autoptr(JsonNode) definition = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *member;

  g_assert (scenario_id != NULL && tags != NULL);

  /* a UTF-8 byte order mark */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    s.p += 3;
  skip_space (&s);
  if (!find_member (&s, "metadata") || !find_member (&s, "definition"))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "not an ARE scenario: no metadata.definition object found");
      return FALSE;
    }
  start = s.p;
  if (*start != '{' || !skip_value (&s))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "metadata.definition: expected an object");
      return FALSE;
    }
  definition = sigma_json_parse (start, (gsize) (s.p - start), SIGMA_JSON_PARSE_PYTHON_CONSTANTS,
                                 &local_error);
  if (definition == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA, "metadata.definition: %s",
                   local_error->message);
      return FALSE;
    }
  object = json_node_get_object (definition);
  member = json_object_get_member (object, "scenario_id");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "metadata.definition.scenario_id: expected a string");
      return FALSE;
    }

  *tags = NULL;
  member = json_object_get_member (object, "tags");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      gboolean all_known = TRUE;

      for (guint i = 0; i < json_array_get_length (array) && all_known; i++)
        {
          JsonNode *tag = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (tag) || json_node_get_value_type (tag) != G_TYPE_STRING ||
              !sigma_json_is_capability_tag (json_node_get_string (tag)))
            all_known = FALSE;
          else
            g_strv_builder_add (builder, json_node_get_string (tag));
        }
      if (all_known)
        *tags = g_strv_builder_end (builder);
    }
  *scenario_id = g_strdup (json_node_get_string (json_object_get_member (object, "scenario_id")));
  return TRUE;
}
