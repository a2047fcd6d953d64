/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The conversations the LLM agent, user simulator and soft judge send to their model. */
JsonArray *sigma_llm_conversation_new (const char          *system_prompt);
void       sigma_llm_add_message      (JsonArray           *messages,
                                       const char          *role,
                                       const char          *content);
void       sigma_llm_append_hints     (GString             *prompt,
                                       const char          *heading,
                                       const char * const  *hints);

G_END_DECLS
