/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sigma-types.h"
#include "sigma-scenario-registry.h"
#include "sigma-llm-client.h"
#include "sigma-result-store.h"

G_BEGIN_DECLS

/**
 * SIGMA_SERVER_MAX_BODY:
 *
 * The largest request body the server reads, in bytes (1 MiB); larger bodies are answered
 * 413. Creating a session with a posted scenario may send up to %SIGMA_SERVER_MAX_SCENARIO_BODY.
 *
 * Since: 0.1
 */
#define SIGMA_SERVER_MAX_BODY (1024 * 1024)

/**
 * SIGMA_SERVER_MAX_SCENARIO_BODY:
 *
 * The largest body of `POST /sessions` (which may carry a whole ARE scenario), in bytes
 * (8 MiB).
 *
 * Since: 0.1
 */
#define SIGMA_SERVER_MAX_SCENARIO_BODY (8 * 1024 * 1024)

/**
 * SIGMA_SERVER_DEFAULT_MAX_SESSIONS:
 *
 * The default of #SigmaServer:max-sessions: how many sessions (each with a thread of its
 * own) a server holds at once.
 *
 * Since: 0.1
 */
#define SIGMA_SERVER_DEFAULT_MAX_SESSIONS 256

#define SIGMA_TYPE_SERVER (sigma_server_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaServer, sigma_server, SIGMA, SERVER, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaServer           *sigma_server_new              (SigmaScenarioRegistry  *registry) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
SigmaScenarioRegistry *sigma_server_get_registry     (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
const char            *sigma_server_get_token        (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_server_set_token        (SigmaServer            *self,
                                                      const char             *token);
SIGMA_AVAILABLE_IN_ALL
gdouble                sigma_server_get_idle_timeout (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_server_set_idle_timeout (SigmaServer            *self,
                                                      gdouble                 seconds);
SIGMA_AVAILABLE_IN_ALL
guint                  sigma_server_get_max_sessions (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_server_set_max_sessions (SigmaServer            *self,
                                                      guint                   max_sessions);
SIGMA_AVAILABLE_IN_ALL
const char            *sigma_server_get_db_path      (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_server_set_db_path      (SigmaServer            *self,
                                                      const char             *path);
SIGMA_AVAILABLE_IN_ALL
SigmaResultStore      *sigma_server_get_result_store (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_server_set_result_store (SigmaServer            *self,
                                                      SigmaResultStore       *store);
SIGMA_AVAILABLE_IN_ALL
SigmaLlmClient        *sigma_server_get_llm_client   (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_server_set_llm_client   (SigmaServer            *self,
                                                      SigmaLlmClient         *client);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_server_listen           (SigmaServer            *self,
                                                      const char             *host,
                                                      guint                   port,
                                                      GError                **error);
SIGMA_AVAILABLE_IN_ALL
guint                  sigma_server_get_port         (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
char                  *sigma_server_get_url          (SigmaServer            *self) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
guint                  sigma_server_get_n_sessions   (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
gboolean               sigma_server_is_idle          (SigmaServer            *self);
SIGMA_AVAILABLE_IN_ALL
void                   sigma_server_shutdown         (SigmaServer            *self);

G_END_DECLS
