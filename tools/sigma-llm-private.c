/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-llm-private.h"

/* A conversation that starts with the system message @system_prompt.
 * Returns: (transfer full) */
JsonArray *
sigma_llm_conversation_new (const char *system_prompt)
{
  JsonArray *messages = json_array_new ();

  g_assert (system_prompt != NULL);

  sigma_llm_add_message (messages, "system", system_prompt);
  return messages;
}

/* Appends a chat message `{"role", "content"}` to @messages. */
void
sigma_llm_add_message (JsonArray  *messages,
                       const char *role,
                       const char *content)
{
  JsonObject *message = json_object_new ();

  g_assert (messages != NULL);
  g_assert (role != NULL);

  json_object_set_string_member (message, "role", role);
  json_object_set_string_member (message, "content", content);
  json_array_add_object_element (messages, message);
}

/* Appends the scenario's @hints (nullable) to @prompt as a list under @heading, on a line
 * of its own after a blank one; nothing when there are none. */
void
sigma_llm_append_hints (GString            *prompt,
                        const char         *heading,
                        const char * const *hints)
{
  g_assert (prompt != NULL);
  g_assert (heading != NULL);

  if (hints == NULL || hints[0] == NULL)
    return;
  g_string_append_printf (prompt, "\n%s\n", heading);
  for (guint i = 0; hints[i] != NULL; i++)
    g_string_append_printf (prompt, "- %s\n", hints[i]);
}
