/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(SIGMA_INSIDE) && !defined(SIGMA_COMPILATION)
#error "Only <sigma.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "sigma-types.h"
#include "sigma-run-result.h"

G_BEGIN_DECLS

/**
 * SIGMA_RESULT_STORE_ERROR:
 *
 * The error domain of #SigmaResultStore.
 *
 * Since: 0.1
 */
#define SIGMA_RESULT_STORE_ERROR (sigma_result_store_error_quark ())

/**
 * SigmaResultStoreError:
 * @SIGMA_RESULT_STORE_ERROR_FAILED: the database could not be opened, read or written
 * @SIGMA_RESULT_STORE_ERROR_NOT_FOUND: no batch or run has that id
 * @SIGMA_RESULT_STORE_ERROR_SCHEMA_TOO_NEW: the database was written by a newer Sigma,
 *   whose schema this one does not know
 * @SIGMA_RESULT_STORE_ERROR_CORRUPT: the file is not an SQLite database, or its content is
 *   damaged
 * @SIGMA_RESULT_STORE_ERROR_INVALID: an argument (a batch configuration, a status) is invalid
 *
 * Error codes in the %SIGMA_RESULT_STORE_ERROR domain.
 *
 * Since: 0.1
 */
typedef enum {
  SIGMA_RESULT_STORE_ERROR_FAILED,
  SIGMA_RESULT_STORE_ERROR_NOT_FOUND,
  SIGMA_RESULT_STORE_ERROR_SCHEMA_TOO_NEW,
  SIGMA_RESULT_STORE_ERROR_CORRUPT,
  SIGMA_RESULT_STORE_ERROR_INVALID,
} SigmaResultStoreError;

SIGMA_AVAILABLE_IN_ALL
GQuark sigma_result_store_error_quark (void);

/**
 * SIGMA_RESULT_STORE_SCHEMA_VERSION:
 *
 * The schema version this Sigma writes; a database with a higher one is refused.
 *
 * Since: 0.1
 */
#define SIGMA_RESULT_STORE_SCHEMA_VERSION 1

#define SIGMA_TYPE_RESULT_STORE (sigma_result_store_get_type ())

SIGMA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SigmaResultStore, sigma_result_store, SIGMA, RESULT_STORE, GObject)

SIGMA_AVAILABLE_IN_ALL
SigmaResultStore *sigma_result_store_open               (const char        *path,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
const char       *sigma_result_store_get_path           (SigmaResultStore  *self);
SIGMA_AVAILABLE_IN_ALL
gint              sigma_result_store_get_schema_version (SigmaResultStore  *self);

SIGMA_AVAILABLE_IN_ALL
gint64            sigma_result_store_add_batch          (SigmaResultStore  *self,
                                                         JsonObject        *config,
                                                         GError           **error);
SIGMA_AVAILABLE_IN_ALL
gboolean          sigma_result_store_set_batch_status   (SigmaResultStore  *self,
                                                         gint64             batch_id,
                                                         const char        *status,
                                                         GError           **error);
SIGMA_AVAILABLE_IN_ALL
gint64            sigma_result_store_add_run            (SigmaResultStore  *self,
                                                         gint64             batch_id,
                                                         guint              run_index,
                                                         SigmaRunResult    *result,
                                                         JsonNode          *extra,
                                                         GError           **error);
SIGMA_AVAILABLE_IN_ALL
gint64            sigma_result_store_add_run_full       (SigmaResultStore  *self,
                                                         gint64             batch_id,
                                                         const char        *source,
                                                         guint              run_index,
                                                         SigmaRunResult    *result,
                                                         gboolean           with_log,
                                                         JsonNode          *extra,
                                                         GError           **error);

SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_result_store_list_batches       (SigmaResultStore  *self,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_result_store_get_batch          (SigmaResultStore  *self,
                                                         gint64             batch_id,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_result_store_list_runs          (SigmaResultStore  *self,
                                                         gint64             batch_id,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_result_store_get_run            (SigmaResultStore  *self,
                                                         gint64             run_id,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_result_store_list_trajectories  (SigmaResultStore  *self,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;
SIGMA_AVAILABLE_IN_ALL
JsonNode         *sigma_result_store_get_trajectory     (SigmaResultStore  *self,
                                                         gint64             run_id,
                                                         GError           **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
