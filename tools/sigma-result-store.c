/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <sqlite3.h>

#include "sigma-result-store.h"
#include "sigma-utils.h"
#include "sigma-batch-stats.h"
#include "sigma-event-log.h"

/**
 * SigmaResultStore:
 *
 * Finished runs in an SQLite database: batches (one agent on scenarios × k runs), their
 * runs (verdict, score, why the run ended, steps, simulated and wall time, tokens and cost)
 * and the trajectory of each run (its event log and free-form extra JSON, such as the
 * drafts a person rejected in the web UI). The `sigma batch`, `sigma run --db` and
 * `sigma results` commands and the HTTP server read and write it; every listing is JSON,
 * ready to be served as is.
 *
 * The database is in WAL mode, so readers (a results browser) never block the writer, with
 * a busy timeout of 10 s for writers of other processes. Its schema has a version
 * (table `schema_version`); opening an older database migrates it in a transaction,
 * opening one from a newer Sigma fails with %SIGMA_RESULT_STORE_ERROR_SCHEMA_TOO_NEW. Each
 * run is written with its trajectory in one transaction, so a process killed half-way
 * through a batch loses no finished run and leaves no half-written one.
 *
 * Threads: a store has one connection, and a mutex serialises every call on it, so one
 * store may be shared by the workers of a batch. SQLite's own work is small next to a run;
 * a thread that needs a second connection opens the file again.
 *
 * Since: 0.1
 */

G_DEFINE_QUARK (sigma-result-store-error-quark, sigma_result_store_error)

#define BUSY_TIMEOUT_MS 10000

enum {
  STMT_ADD_BATCH,
  STMT_SET_BATCH_STATUS,
  STMT_HAS_BATCH,
  STMT_UPSERT_RUN,
  STMT_RUN_ID,
  STMT_PUT_TRAJECTORY,
  STMT_LIST_BATCHES,
  STMT_GET_BATCH,
  STMT_LIST_RUNS,
  STMT_GET_RUN,
  STMT_GET_TRAJECTORY,
  STMT_LIST_TRAJECTORIES,
  N_STMTS
};

#define RUN_COLUMNS \
  "id, batch_id, scenario_id, source, run_index, seed, agent, status, rationale, score, " \
  "end_reason, steps, sim_time, wall_time, prompt_tokens, completion_tokens, requests, cost, created"

static const char * const statement_sql[N_STMTS] = {
  [STMT_ADD_BATCH] =
    "INSERT INTO batches (created, config, agent, model, seed, runs_per_scenario, status) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running')",
  [STMT_SET_BATCH_STATUS] = "UPDATE batches SET status = ?2 WHERE id = ?1",
  [STMT_HAS_BATCH] = "SELECT 1 FROM batches WHERE id = ?1",
  [STMT_UPSERT_RUN] =
    "INSERT INTO runs (batch_id, scenario_id, source, run_index, seed, agent, status, rationale, "
    "score, end_reason, steps, sim_time, wall_time, prompt_tokens, completion_tokens, requests, "
    "cost, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
    "?16, ?17, ?18) "
    "ON CONFLICT (batch_id, source, run_index) DO UPDATE SET scenario_id = excluded.scenario_id, "
    "seed = excluded.seed, agent = excluded.agent, status = excluded.status, "
    "rationale = excluded.rationale, score = excluded.score, end_reason = excluded.end_reason, "
    "steps = excluded.steps, sim_time = excluded.sim_time, wall_time = excluded.wall_time, "
    "prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens, "
    "requests = excluded.requests, cost = excluded.cost, created = excluded.created",
  [STMT_RUN_ID] = "SELECT id FROM runs WHERE batch_id = ?1 AND source = ?2 AND run_index = ?3",
  [STMT_PUT_TRAJECTORY] = "INSERT OR REPLACE INTO trajectories (run_id, log, extra) VALUES (?1, ?2, ?3)",
  [STMT_LIST_BATCHES] =
    "SELECT b.id, b.created, b.agent, b.model, b.seed, b.runs_per_scenario, b.status, "
    "count(r.id), total(r.status = 'passed'), total(r.status = 'failed'), total(r.status = 'error') "
    "FROM batches b LEFT JOIN runs r ON r.batch_id = b.id GROUP BY b.id ORDER BY b.id",
  [STMT_GET_BATCH] =
    "SELECT id, created, config, agent, model, seed, runs_per_scenario, status FROM batches WHERE id = ?1",
  [STMT_LIST_RUNS] = "SELECT " RUN_COLUMNS " FROM runs WHERE batch_id = ?1 ORDER BY source, run_index",
  [STMT_GET_RUN] = "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?1",
  [STMT_GET_TRAJECTORY] = "SELECT log, extra FROM trajectories WHERE run_id = ?1",
  [STMT_LIST_TRAJECTORIES] =
    "SELECT r.id, r.batch_id, r.scenario_id, r.run_index, r.agent, r.status, r.created, "
    "length(t.log), length(t.extra) FROM trajectories t JOIN runs r ON r.id = t.run_id ORDER BY r.id",
};

/* migrations[v] takes the schema from version v to v + 1 */
static const char * const migrations[SIGMA_RESULT_STORE_SCHEMA_VERSION] = {
  "CREATE TABLE batches ("
  "  id INTEGER PRIMARY KEY,"
  "  created TEXT NOT NULL,"
  "  config TEXT NOT NULL,"
  "  agent TEXT,"
  "  model TEXT,"
  "  seed INTEGER,"
  "  runs_per_scenario INTEGER NOT NULL DEFAULT 1,"
  "  status TEXT NOT NULL DEFAULT 'running');"
  "CREATE TABLE runs ("
  "  id INTEGER PRIMARY KEY,"
  "  batch_id INTEGER REFERENCES batches (id) ON DELETE CASCADE,"
  "  scenario_id TEXT NOT NULL,"
  "  source TEXT NOT NULL,"
  "  run_index INTEGER NOT NULL,"
  "  seed INTEGER,"
  "  agent TEXT,"
  "  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error')),"
  "  rationale TEXT,"
  "  score REAL NOT NULL DEFAULT 0,"
  "  end_reason TEXT,"
  "  steps INTEGER NOT NULL DEFAULT 0,"
  "  sim_time REAL NOT NULL DEFAULT 0,"
  "  wall_time REAL NOT NULL DEFAULT 0,"
  "  prompt_tokens INTEGER NOT NULL DEFAULT 0,"
  "  completion_tokens INTEGER NOT NULL DEFAULT 0,"
  "  requests INTEGER NOT NULL DEFAULT 0,"
  "  cost REAL NOT NULL DEFAULT 0,"
  "  created TEXT NOT NULL,"
  "  UNIQUE (batch_id, source, run_index));"
  "CREATE INDEX runs_by_scenario ON runs (scenario_id);"
  "CREATE TABLE trajectories ("
  "  run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,"
  "  log TEXT,"
  "  extra TEXT);",
};

struct _SigmaResultStore
{
  GObject        parent_instance;

  GMutex         lock;
  char          *path;
  sqlite3       *db;
  sqlite3_stmt  *stmts[N_STMTS];
  gint           schema_version;
};

G_DEFINE_FINAL_TYPE (SigmaResultStore, sigma_result_store, G_TYPE_OBJECT)

static void
sigma_result_store_finalize (GObject *object)
{
  SigmaResultStore *self = SIGMA_RESULT_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (self->stmts[i]);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sigma_result_store_parent_class)->finalize (object);
}

static void
sigma_result_store_class_init (SigmaResultStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sigma_result_store_finalize;
}

static void
sigma_result_store_init (SigmaResultStore *self)
{
  g_mutex_init (&self->lock);
}

/* Sets @error from the connection's last error, with what was being done. */
static void
set_sqlite_error (SigmaResultStore  *self,
                  int                rc,
                  GError           **error,
                  const char        *what)
{
  int code = SIGMA_RESULT_STORE_ERROR_FAILED;
  const char *message = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    code = SIGMA_RESULT_STORE_ERROR_CORRUPT;
  g_set_error (error, SIGMA_RESULT_STORE_ERROR, code, "Result store %s: %s: %s",
               self->path, what, message);
}

static gboolean
exec_sql (SigmaResultStore  *self,
          const char        *sql,
          const char        *what,
          GError           **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error, what);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (SigmaResultStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Brings the schema to SIGMA_RESULT_STORE_SCHEMA_VERSION, in one transaction. */
static gboolean
migrate (SigmaResultStore  *self,
         GError           **error)
{
  sqlite3_stmt *stmt = NULL;
  gint version = 0;
  gboolean has_row;
  int rc;

  if (!exec_sql (self, "BEGIN IMMEDIATE", "cannot start the schema check", error))
    return FALSE;
  if (!exec_sql (self, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                 "cannot create the schema version table", error))
    goto fail;

  rc = sqlite3_prepare_v2 (self->db, "SELECT version FROM schema_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error, "cannot read the schema version");
      goto fail;
    }
  rc = sqlite3_step (stmt);
  has_row = rc == SQLITE_ROW;
  if (has_row)
    version = sqlite3_column_int (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error, "cannot read the schema version");
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > SIGMA_RESULT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_SCHEMA_TOO_NEW,
                   "Result store %s has schema version %d, newer than the %d this Sigma knows; "
                   "use a newer Sigma or another database", self->path, version,
                   SIGMA_RESULT_STORE_SCHEMA_VERSION);
      goto fail;
    }
  if (version < 0)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_CORRUPT,
                   "Result store %s has an invalid schema version %d", self->path, version);
      goto fail;
    }

  for (gint v = version; v < SIGMA_RESULT_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *what = g_strdup_printf ("cannot migrate the schema from version %d to %d", v, v + 1);

      if (!exec_sql (self, migrations[v], what, error))
        goto fail;
    }
  if (version < SIGMA_RESULT_STORE_SCHEMA_VERSION)
    {
      g_autofree char *sql = has_row
        ? g_strdup_printf ("UPDATE schema_version SET version = %d", SIGMA_RESULT_STORE_SCHEMA_VERSION)
        : g_strdup_printf ("INSERT INTO schema_version (version) VALUES (%d)", SIGMA_RESULT_STORE_SCHEMA_VERSION);

      if (!exec_sql (self, sql, "cannot record the schema version", error))
        goto fail;
    }
  if (!exec_sql (self, "COMMIT", "cannot commit the schema", error))
    goto fail;
  self->schema_version = SIGMA_RESULT_STORE_SCHEMA_VERSION;
  return TRUE;

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  rollback (self);
  return FALSE;
}

static gboolean
open_database (SigmaResultStore  *self,
               GError           **error)
{
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error, "cannot open the database");
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  /* the first statement reads the file: a file that is no database fails here */
  if (!exec_sql (self, "PRAGMA journal_mode = WAL", "cannot switch to WAL mode", error) ||
      !exec_sql (self, "PRAGMA foreign_keys = ON", "cannot enable foreign keys", error) ||
      !exec_sql (self, "PRAGMA synchronous = NORMAL", "cannot set the synchronous mode", error))
    return FALSE;
  if (!migrate (self, error))
    return FALSE;
  for (guint i = 0; i < N_STMTS; i++)
    {
      rc = sqlite3_prepare_v3 (self->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &self->stmts[i], NULL);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (self, rc, error, "cannot prepare a statement (is the schema damaged?)");
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sigma_result_store_open:
 * @path: the database file; created (with its tables) if it does not exist
 * @error: return location for a #GError
 *
 * Opens a result store, creating or migrating its schema.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set naming the file:
 *   %SIGMA_RESULT_STORE_ERROR_CORRUPT when it is not an SQLite database,
 *   %SIGMA_RESULT_STORE_ERROR_SCHEMA_TOO_NEW when a newer Sigma wrote it,
 *   %SIGMA_RESULT_STORE_ERROR_FAILED when it cannot be opened or written
 *
 * Since: 0.1
 */
SigmaResultStore *
sigma_result_store_open (const char  *path,
                         GError     **error)
{
  g_autoptr(SigmaResultStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SIGMA_TYPE_RESULT_STORE, NULL);
  self->path = g_strdup (path);
  if (path[0] == '\0')
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_FAILED,
                   "Result store: the database path is empty");
      return NULL;
    }
  if (!open_database (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sigma_result_store_get_path:
 * @self: a #SigmaResultStore
 *
 * Returns: the database file
 *
 * Since: 0.1
 */
const char *
sigma_result_store_get_path (SigmaResultStore *self)
{
  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), NULL);
  return self->path;
}

/**
 * sigma_result_store_get_schema_version:
 * @self: a #SigmaResultStore
 *
 * Returns: the schema version of the open database (%SIGMA_RESULT_STORE_SCHEMA_VERSION)
 *
 * Since: 0.1
 */
gint
sigma_result_store_get_schema_version (SigmaResultStore *self)
{
  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), 0);
  return self->schema_version;
}

/* The statement @which, reset and unbound, ready to bind. */
static sqlite3_stmt *
statement (SigmaResultStore *self,
           guint             which)
{
  sqlite3_stmt *stmt = self->stmts[which];

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (SigmaResultStore  *self,
           sqlite3_stmt      *stmt,
           const char        *what,
           GError           **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_batch_unlocked (SigmaResultStore  *self,
                    gint64             batch_id,
                    GError           **error)
{
  sqlite3_stmt *stmt = statement (self, STMT_HAS_BATCH);
  int rc;

  sqlite3_bind_int64 (stmt, 1, batch_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND,
                 "Result store %s has no batch %" G_GINT64_FORMAT, self->path, batch_id);
  else
    set_sqlite_error (self, rc, error, "cannot look the batch up");
  return FALSE;
}

/* A member of @config that must be a string if present. */
static gboolean
config_string (JsonObject   *config,
               const char   *name,
               const char  **value,
               GError      **error)
{
  JsonNode *node = json_object_get_member (config, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_INVALID,
                   "Batch configuration: '%s' must be a string", name);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
config_int (JsonObject  *config,
            const char  *name,
            gboolean    *present,
            gint64      *value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (config, name);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_INVALID,
                   "Batch configuration: '%s' must be an integer", name);
      return FALSE;
    }
  *present = TRUE;
  *value = json_node_get_int (node);
  return TRUE;
}

/**
 * sigma_result_store_add_batch:
 * @self: a #SigmaResultStore
 * @config: the batch's configuration, stored as JSON as it is; its members `agent`,
 *   `model` (strings), `seed` and `runs` (the runs per scenario, the k of pass@k; 1 if
 *   absent) also fill the batch's columns
 * @error: return location for a #GError
 *
 * Adds a batch, in the `running` status.
 *
 * Returns: the new batch's id (1 or more), or 0 with @error set
 *
 * Since: 0.1
 */
gint64
sigma_result_store_add_batch (SigmaResultStore  *self,
                              JsonObject        *config,
                              GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *created = NULL;
  const char *agent, *model;
  gboolean has_seed, has_runs;
  gint64 seed = 0, runs = 1;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), 0);
  g_return_val_if_fail (config != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!config_string (config, "agent", &agent, error) ||
      !config_string (config, "model", &model, error) ||
      !config_int (config, "seed", &has_seed, &seed, error) ||
      !config_int (config, "runs", &has_runs, &runs, error))
    return 0;
  if (!has_runs)
    runs = 1;
  if (runs < 1)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_INVALID,
                   "Batch configuration: 'runs' must be 1 or more, not %" G_GINT64_FORMAT, runs);
      return 0;
    }

  node = json_node_init_object (json_node_alloc (), config);
  config_text = sigma_json_to_string (node, FALSE);
  created = now_iso8601 ();

  locker = g_mutex_locker_new (&self->lock);
  stmt = statement (self, STMT_ADD_BATCH);
  bind_text (stmt, 1, created);
  bind_text (stmt, 2, config_text);
  bind_text (stmt, 3, agent);
  bind_text (stmt, 4, model);
  if (has_seed)
    sqlite3_bind_int64 (stmt, 5, seed);
  sqlite3_bind_int64 (stmt, 6, runs);
  if (!step_done (self, stmt, "cannot add a batch", error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

/**
 * sigma_result_store_set_batch_status:
 * @self: a #SigmaResultStore
 * @batch_id: the batch
 * @status: `running`, `finished` or `interrupted`
 * @error: return location for a #GError
 *
 * Sets the status of a batch (sigma_result_store_add_batch() makes it `running`).
 *
 * Returns: %TRUE, or %FALSE with @error set (%SIGMA_RESULT_STORE_ERROR_NOT_FOUND for an
 *   unknown batch, %SIGMA_RESULT_STORE_ERROR_INVALID for an unknown status)
 *
 * Since: 0.1
 */
gboolean
sigma_result_store_set_batch_status (SigmaResultStore  *self,
                                     gint64             batch_id,
                                     const char        *status,
                                     GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_str_equal (status, "running") && !g_str_equal (status, "finished") &&
      !g_str_equal (status, "interrupted"))
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_INVALID,
                   "Unknown batch status '%s' (expected running, finished or interrupted)", status);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (!has_batch_unlocked (self, batch_id, error))
    return FALSE;
  stmt = statement (self, STMT_SET_BATCH_STATUS);
  sqlite3_bind_int64 (stmt, 1, batch_id);
  bind_text (stmt, 2, status);
  return step_done (self, stmt, "cannot set the batch status", error);
}

/**
 * sigma_result_store_add_run:
 * @self: a #SigmaResultStore
 * @batch_id: the batch the run belongs to, or 0 for none (a single `sigma run`)
 * @run_index: the index k of the run among the runs of its scenario in the batch
 * @result: the finished run; its event log, if it has one, is stored as its trajectory
 * @extra: (nullable): free-form JSON stored with the trajectory (rejected drafts, notes)
 * @error: return location for a #GError
 *
 * Stores a run: sigma_result_store_add_run_full() with the scenario id as the source and
 * the log included.
 *
 * Returns: the run's id (1 or more), or 0 with @error set
 *
 * Since: 0.1
 */
gint64
sigma_result_store_add_run (SigmaResultStore  *self,
                            gint64             batch_id,
                            guint              run_index,
                            SigmaRunResult    *result,
                            JsonNode          *extra,
                            GError           **error)
{
  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), 0);
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (result), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return sigma_result_store_add_run_full (self, batch_id, NULL, run_index, result, TRUE, extra, error);
}

static char *
node_to_text (JsonNode *node)
{
  return node != NULL ? sigma_json_to_string (node, FALSE) : NULL;
}

/**
 * sigma_result_store_add_run_full:
 * @self: a #SigmaResultStore
 * @batch_id: the batch the run belongs to, or 0 for none
 * @source: (nullable): what the batch named the scenario by (a file, a registered id);
 *   %NULL for the scenario id. Runs of a batch are keyed by (source, @run_index)
 * @run_index: the index k of the run among the runs of its scenario in the batch
 * @result: the finished run
 * @with_log: whether to store the run's event log as its trajectory
 * @extra: (nullable): free-form JSON stored with the trajectory; %NULL for the result's own
 *   extra details (sigma_run_result_get_extra())
 * @error: return location for a #GError
 *
 * Stores a run and its trajectory in one transaction. A run of a batch with the same
 * (source, @run_index) as a stored one replaces it and keeps its id: that is how a run in
 * error is retried.
 *
 * Returns: the run's id (1 or more), or 0 with @error set
 *   (%SIGMA_RESULT_STORE_ERROR_NOT_FOUND when @batch_id names no batch)
 *
 * Since: 0.1
 */
gint64
sigma_result_store_add_run_full (SigmaResultStore  *self,
                                 gint64             batch_id,
                                 const char        *source,
                                 guint              run_index,
                                 SigmaRunResult    *result,
                                 gboolean           with_log,
                                 JsonNode          *extra,
                                 GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *created = NULL;
  g_autofree char *log_text = NULL;
  g_autofree char *extra_text = NULL;
  const SigmaUsage *usage;
  SigmaEventLog *log;
  sqlite3_stmt *stmt;
  gint64 run_id = 0;
  int rc;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), 0);
  g_return_val_if_fail (batch_id >= 0, 0);
  g_return_val_if_fail (SIGMA_IS_RUN_RESULT (result), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (source == NULL)
    source = sigma_run_result_get_scenario_id (result);
  log = sigma_run_result_get_log (result);
  if (with_log && log != NULL)
    {
      g_autoptr(JsonNode) log_node = sigma_event_log_to_json (log);

      log_text = node_to_text (log_node);
    }
  extra_text = node_to_text (extra != NULL ? extra : sigma_run_result_get_extra (result));
  usage = sigma_run_result_get_usage (result);
  created = now_iso8601 ();

  locker = g_mutex_locker_new (&self->lock);
  if (!exec_sql (self, "BEGIN IMMEDIATE", "cannot start a transaction", error))
    return 0;
  if (batch_id != 0 && !has_batch_unlocked (self, batch_id, error))
    goto fail;

  stmt = statement (self, STMT_UPSERT_RUN);
  if (batch_id != 0)
    sqlite3_bind_int64 (stmt, 1, batch_id);
  bind_text (stmt, 2, sigma_run_result_get_scenario_id (result));
  bind_text (stmt, 3, source);
  sqlite3_bind_int64 (stmt, 4, run_index);
  sqlite3_bind_int64 (stmt, 5, (gint64) sigma_run_result_get_seed (result));
  bind_text (stmt, 6, sigma_run_result_get_agent_name (result));
  bind_text (stmt, 7, sigma_run_status_to_string (sigma_run_result_get_status (result)));
  bind_text (stmt, 8, sigma_run_result_get_rationale (result));
  sqlite3_bind_double (stmt, 9, sigma_run_result_get_score (result));
  bind_text (stmt, 10, sigma_end_reason_to_string (sigma_run_result_get_end_reason (result)));
  sqlite3_bind_int64 (stmt, 11, sigma_run_result_get_steps (result));
  sqlite3_bind_double (stmt, 12, sigma_run_result_get_sim_time (result));
  sqlite3_bind_double (stmt, 13, sigma_run_result_get_wall_time (result));
  sqlite3_bind_int64 (stmt, 14, (gint64) usage->prompt_tokens);
  sqlite3_bind_int64 (stmt, 15, (gint64) usage->completion_tokens);
  sqlite3_bind_int64 (stmt, 16, usage->n_requests);
  sqlite3_bind_double (stmt, 17, usage->cost);
  bind_text (stmt, 18, created);
  if (!step_done (self, stmt, "cannot store a run", error))
    goto fail;

  if (batch_id == 0)
    run_id = sqlite3_last_insert_rowid (self->db);
  else
    {
      /* an upsert that updated leaves last_insert_rowid alone: look the key up */
      stmt = statement (self, STMT_RUN_ID);
      sqlite3_bind_int64 (stmt, 1, batch_id);
      bind_text (stmt, 2, source);
      sqlite3_bind_int64 (stmt, 3, run_index);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        run_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          set_sqlite_error (self, rc, error, "cannot find the run just stored");
          goto fail;
        }
    }

  stmt = statement (self, STMT_PUT_TRAJECTORY);
  sqlite3_bind_int64 (stmt, 1, run_id);
  bind_text (stmt, 2, log_text);
  bind_text (stmt, 3, extra_text);
  if (!step_done (self, stmt, "cannot store the trajectory", error))
    goto fail;
  if (!exec_sql (self, "COMMIT", "cannot commit the run", error))
    goto fail;
  return run_id;

fail:
  rollback (self);
  return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Reading                                                                              */

typedef enum {
  COLUMN_INT,
  COLUMN_TEXT,
  COLUMN_DOUBLE,
  COLUMN_COUNT,   /* an integer that SQLite's total() returns as a double */
} ColumnKind;

typedef struct {
  const char *name;
  ColumnKind  kind;
} Column;

/* Adds @n_columns members named after @columns from the columns of @stmt that start at
 * @first; a NULL column is a JSON null. */
static void
add_columns (JsonBuilder  *builder,
             sqlite3_stmt *stmt,
             int           first,
             const Column *columns,
             guint         n_columns)
{
  for (guint i = 0; i < n_columns; i++)
    {
      int column = first + (int) i;

      json_builder_set_member_name (builder, columns[i].name);
      if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
        {
          json_builder_add_null_value (builder);
          continue;
        }
      switch (columns[i].kind)
        {
        case COLUMN_INT:
          json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, column));
          break;
        case COLUMN_TEXT:
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, column));
          break;
        case COLUMN_DOUBLE:
          json_builder_add_double_value (builder, sqlite3_column_double (stmt, column));
          break;
        case COLUMN_COUNT:
          json_builder_add_int_value (builder, (gint64) sqlite3_column_double (stmt, column));
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* One row of RUN_COLUMNS as a JSON object. */
static void
add_run_row (JsonBuilder  *builder,
             sqlite3_stmt *stmt)
{
  static const Column run[] = {
    { "id", COLUMN_INT }, { "batch_id", COLUMN_INT }, { "scenario_id", COLUMN_TEXT },
    { "source", COLUMN_TEXT }, { "run_index", COLUMN_INT }, { "seed", COLUMN_INT },
    { "agent", COLUMN_TEXT }, { "status", COLUMN_TEXT }, { "rationale", COLUMN_TEXT },
    { "score", COLUMN_DOUBLE }, { "end_reason", COLUMN_TEXT }, { "steps", COLUMN_INT },
    { "sim_time", COLUMN_DOUBLE }, { "wall_time", COLUMN_DOUBLE },
  };
  static const Column usage[] = {
    { "prompt_tokens", COLUMN_INT }, { "completion_tokens", COLUMN_INT },
    { "requests", COLUMN_INT }, { "cost", COLUMN_DOUBLE },
  };
  static const Column created[] = { { "created", COLUMN_TEXT } };

  json_builder_begin_object (builder);
  add_columns (builder, stmt, 0, run, G_N_ELEMENTS (run));
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  add_columns (builder, stmt, 14, usage, G_N_ELEMENTS (usage));
  json_builder_end_object (builder);
  add_columns (builder, stmt, 18, created, G_N_ELEMENTS (created));
  json_builder_end_object (builder);
}

/* One row of STMT_LIST_BATCHES as a JSON object. */
static void
add_batch_row (JsonBuilder  *builder,
               sqlite3_stmt *stmt)
{
  static const Column batch[] = {
    { "id", COLUMN_INT }, { "created", COLUMN_TEXT }, { "agent", COLUMN_TEXT },
    { "model", COLUMN_TEXT }, { "seed", COLUMN_INT }, { "runs_per_scenario", COLUMN_INT },
    { "status", COLUMN_TEXT }, { "runs", COLUMN_INT }, { "passed", COLUMN_COUNT },
    { "failed", COLUMN_COUNT }, { "errors", COLUMN_COUNT },
  };

  json_builder_begin_object (builder);
  add_columns (builder, stmt, 0, batch, G_N_ELEMENTS (batch));
  json_builder_end_object (builder);
}

/* One row of STMT_LIST_TRAJECTORIES as a JSON object. */
static void
add_trajectory_row (JsonBuilder  *builder,
                    sqlite3_stmt *stmt)
{
  static const Column trajectory[] = {
    { "run_id", COLUMN_INT }, { "batch_id", COLUMN_INT }, { "scenario_id", COLUMN_TEXT },
    { "run_index", COLUMN_INT }, { "agent", COLUMN_TEXT }, { "status", COLUMN_TEXT },
    { "created", COLUMN_TEXT }, { "log_bytes", COLUMN_INT }, { "extra_bytes", COLUMN_INT },
  };

  json_builder_begin_object (builder);
  add_columns (builder, stmt, 0, trajectory, G_N_ELEMENTS (trajectory));
  json_builder_end_object (builder);
}

/* Steps the bound @stmt to its end and returns its rows as a JSON array, each row made
 * by @add_row; a failed step is an error that says it could not @what. */
static JsonNode *
list_rows (SigmaResultStore  *self,
           sqlite3_stmt      *stmt,
           void             (*add_row) (JsonBuilder  *builder,
                                        sqlite3_stmt *stmt),
           const char        *what,
           GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int rc;

  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_row (builder, stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error, what);
      return NULL;
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* Parses stored JSON text; damaged text is a CORRUPT error naming what it was. */
static JsonNode *
parse_stored (SigmaResultStore  *self,
              const char        *text,
              const char        *what,
              gint64             id,
              GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_CORRUPT,
                   "Result store %s: the %s of %" G_GINT64_FORMAT " is not valid JSON: %s",
                   self->path, what, id, local_error->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/**
 * sigma_result_store_list_batches:
 * @self: a #SigmaResultStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a JSON array of the batches, oldest first:
 *   `[{"id", "created", "agent", "model", "seed", "runs_per_scenario", "status", "runs",
 *   "passed", "failed", "errors"}, …]`, or %NULL with @error set
 *
 * Since: 0.1
 */
JsonNode *
sigma_result_store_list_batches (SigmaResultStore  *self,
                                 GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return list_rows (self, statement (self, STMT_LIST_BATCHES), add_batch_row,
                    "cannot list the batches", error);
}

static JsonNode *
list_runs_unlocked (SigmaResultStore  *self,
                    gint64             batch_id,
                    GError           **error)
{
  sqlite3_stmt *stmt;

  if (!has_batch_unlocked (self, batch_id, error))
    return NULL;
  stmt = statement (self, STMT_LIST_RUNS);
  sqlite3_bind_int64 (stmt, 1, batch_id);
  return list_rows (self, stmt, add_run_row, "cannot list the runs", error);
}

/**
 * sigma_result_store_list_runs:
 * @self: a #SigmaResultStore
 * @batch_id: a batch
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a JSON array of the batch's runs ordered by source
 *   and run index: `[{"id", "batch_id", "scenario_id", "source", "run_index", "seed",
 *   "agent", "status", "rationale", "score", "end_reason", "steps", "sim_time",
 *   "wall_time", "usage": {"prompt_tokens", "completion_tokens", "requests", "cost"},
 *   "created"}, …]`, or %NULL with @error set (%SIGMA_RESULT_STORE_ERROR_NOT_FOUND for an
 *   unknown batch)
 *
 * Since: 0.1
 */
JsonNode *
sigma_result_store_list_runs (SigmaResultStore  *self,
                              gint64             batch_id,
                              GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return list_runs_unlocked (self, batch_id, error);
}

/**
 * sigma_result_store_get_batch:
 * @self: a #SigmaResultStore
 * @batch_id: a batch
 * @error: return location for a #GError
 *
 * The summary of a batch: its configuration and the statistics of its runs as
 * sigma_batch_statistics() computes them, with k the batch's runs per scenario.
 *
 * Returns: (transfer full) (nullable): `{"id", "created", "agent", "model", "seed",
 *   "runs_per_scenario", "status", "config": {…}, "statistics": {…}}`, or %NULL with
 *   @error set (%SIGMA_RESULT_STORE_ERROR_NOT_FOUND for an unknown batch)
 *
 * Since: 0.1
 */
JsonNode *
sigma_result_store_get_batch (SigmaResultStore  *self,
                              gint64             batch_id,
                              GError           **error)
{
  static const Column head[] = { { "id", COLUMN_INT }, { "created", COLUMN_TEXT } };
  static const Column tail[] = {
    { "agent", COLUMN_TEXT }, { "model", COLUMN_TEXT }, { "seed", COLUMN_INT },
    { "runs_per_scenario", COLUMN_INT }, { "status", COLUMN_TEXT },
  };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(JsonNode) statistics = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 k;
  int rc;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  runs = list_runs_unlocked (self, batch_id, error);
  if (runs == NULL)
    return NULL;

  stmt = statement (self, STMT_GET_BATCH);
  sqlite3_bind_int64 (stmt, 1, batch_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      set_sqlite_error (self, rc, error, "cannot read the batch");
      return NULL;
    }
  config = parse_stored (self, (const char *) sqlite3_column_text (stmt, 2), "configuration of batch",
                         batch_id, error);
  if (config == NULL)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  k = sqlite3_column_int64 (stmt, 6);
  json_builder_begin_object (builder);
  add_columns (builder, stmt, 0, head, G_N_ELEMENTS (head));
  add_columns (builder, stmt, 3, tail, G_N_ELEMENTS (tail));
  sqlite3_reset (stmt);

  if (k < 1 || k > G_MAXUINT)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_CORRUPT,
                   "Result store %s: batch %" G_GINT64_FORMAT " has %" G_GINT64_FORMAT " runs per scenario",
                   self->path, batch_id, k);
      return NULL;
    }
  statistics = sigma_batch_statistics (json_node_get_array (runs), (guint) k, &local_error);
  if (statistics == NULL)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_CORRUPT,
                   "Result store %s: batch %" G_GINT64_FORMAT ": %s", self->path, batch_id,
                   local_error->message);
      return NULL;
    }
  json_builder_set_member_name (builder, "config");
  json_builder_add_value (builder, g_steal_pointer (&config));
  json_builder_set_member_name (builder, "statistics");
  json_builder_add_value (builder, g_steal_pointer (&statistics));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
get_run_unlocked (SigmaResultStore  *self,
                  gint64             run_id,
                  GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  sqlite3_stmt *stmt = statement (self, STMT_GET_RUN);
  int rc;

  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    add_run_row (builder, stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SIGMA_RESULT_STORE_ERROR, SIGMA_RESULT_STORE_ERROR_NOT_FOUND,
                   "Result store %s has no run %" G_GINT64_FORMAT, self->path, run_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error, "cannot read the run");
      return NULL;
    }
  return json_builder_get_root (builder);
}

/**
 * sigma_result_store_get_run:
 * @self: a #SigmaResultStore
 * @run_id: a run
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the run as sigma_result_store_list_runs() lists it,
 *   or %NULL with @error set (%SIGMA_RESULT_STORE_ERROR_NOT_FOUND for an unknown run)
 *
 * Since: 0.1
 */
JsonNode *
sigma_result_store_get_run (SigmaResultStore  *self,
                            gint64             run_id,
                            GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return get_run_unlocked (self, run_id, error);
}

/**
 * sigma_result_store_get_trajectory:
 * @self: a #SigmaResultStore
 * @run_id: a run
 * @error: return location for a #GError
 *
 * A run with its trajectory.
 *
 * Returns: (transfer full) (nullable): `{"run": {…}, "log": […] or null, "extra": … or
 *   null}`, the run as sigma_result_store_get_run() gives it and the log as
 *   sigma_event_log_to_json() wrote it; or %NULL with @error set
 *   (%SIGMA_RESULT_STORE_ERROR_NOT_FOUND for an unknown run)
 *
 * Since: 0.1
 */
JsonNode *
sigma_result_store_get_trajectory (SigmaResultStore  *self,
                                   gint64             run_id,
                                   GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonNode) run = NULL;
  g_autoptr(JsonNode) log = NULL;
  g_autoptr(JsonNode) extra = NULL;
  g_autofree char *log_text = NULL;
  g_autofree char *extra_text = NULL;
  sqlite3_stmt *stmt;
  JsonObject *object;
  JsonNode *root;
  int rc;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  run = get_run_unlocked (self, run_id, error);
  if (run == NULL)
    return NULL;

  stmt = statement (self, STMT_GET_TRAJECTORY);
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      log_text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      extra_text = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error, "cannot read the trajectory");
      return NULL;
    }
  if (log_text != NULL)
    {
      log = parse_stored (self, log_text, "log of run", run_id, error);
      if (log == NULL)
        return NULL;
    }
  if (extra_text != NULL)
    {
      extra = parse_stored (self, extra_text, "extra JSON of run", run_id, error);
      if (extra == NULL)
        return NULL;
    }

  object = json_object_new ();
  json_object_set_member (object, "run", g_steal_pointer (&run));
  json_object_set_member (object, "log", log != NULL ? g_steal_pointer (&log) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (object, "extra", extra != NULL ? g_steal_pointer (&extra) : json_node_new (JSON_NODE_NULL));
  root = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return root;
}

/**
 * sigma_result_store_list_trajectories:
 * @self: a #SigmaResultStore
 * @error: return location for a #GError
 *
 * The stored trajectories, without their content (sigma_result_store_get_trajectory()
 * reads one).
 *
 * Returns: (transfer full) (nullable): `[{"run_id", "batch_id", "scenario_id", "run_index",
 *   "agent", "status", "created", "log_bytes", "extra_bytes"}, …]` oldest first, or %NULL
 *   with @error set
 *
 * Since: 0.1
 */
JsonNode *
sigma_result_store_list_trajectories (SigmaResultStore  *self,
                                      GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SIGMA_IS_RESULT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return list_rows (self, statement (self, STMT_LIST_TRAJECTORIES), add_trajectory_row,
                    "cannot list the trajectories", error);
}
