/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sigma-json-scenario.h"
#include "sigma-oracle-event.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------------------ */
/* JSON text (sigma-json-util.c)                                                         */

typedef enum {
  SIGMA_JSON_PARSE_DEFAULT          = 0,
  /* accept NaN, Infinity and -Infinity, as Python's json.loads() does */
  SIGMA_JSON_PARSE_PYTHON_CONSTANTS = 1 << 0,
} SigmaJsonParseFlags;

/* Strict RFC 8259 parser into json-glib nodes. A syntax error is SIGMA_ERROR_INVALID_DATA
 * with "line L, column C: reason" (1-based, columns in characters). */
JsonNode *sigma_json_parse                 (const char          *data,
                                            gsize                length,
                                            SigmaJsonParseFlags  flags,
                                            GError             **error);
/* Whether @name is one of ARE's CapabilityTag names (sigma-json-scenario.c). */
gboolean sigma_json_is_capability_tag     (const char          *name);

/* The id and tags an ARE file declares (metadata.definition.scenario_id and .tags), found
 * without parsing the rest of the file (sigma-json-scan.c). @tags is NULL when the file
 * declares none or one ARE does not know (ARE then keeps none). */
gboolean sigma_json_scan_definition       (const char          *data,
                                           gsize                length,
                                           char               **scenario_id,
                                           GStrv               *tags,
                                           GError             **error);

/* A Python literal (repr of str, int, float, bool, None, list, tuple, dict, set) as JSON. */
JsonNode *sigma_python_literal_parse       (const char          *text,
                                            GError             **error);

/* Leniencies sigma_json_decode_value() applied (lenient mode only). */
typedef enum {
  SIGMA_DECODE_NONE_TYPE       = 1 << 0,   /* value_type "NoneType" read as null */
  SIGMA_DECODE_PYTHON_LITERAL  = 1 << 1,   /* list/dict in Python repr */
  SIGMA_DECODE_INFERRED_TYPE   = 1 << 2,   /* value_type null with a value: type inferred */
  SIGMA_DECODE_EMPTY_AS_NULL   = 1 << 3,   /* null or "" for a non-nullable type */
  SIGMA_DECODE_KEPT_STRING     = 1 << 4,   /* unsupported type or failed conversion: kept as text */
  SIGMA_DECODE_UNKNOWN_APP     = 1 << 5,   /* a completed event of an app the file does not declare */
  SIGMA_DECODE_NO_OPERATION    = 1 << 6,   /* a completed tool call without operation_type */
} SigmaDecodeLeniency;

/* ARE's Scenario._parse_parameter_value (scenario-json.md §6.3). The error message names no
 * path; the caller adds it. */
JsonNode *sigma_json_decode_value          (const char          *value,
                                            const char          *value_type,
                                            gboolean             lenient,
                                            guint               *leniencies,
                                            GError             **error);
gboolean  sigma_json_type_allows_none      (const char          *value_type);
gboolean  sigma_json_is_placeholder        (const char          *value);

/* ARE's JsonScenarioExporter.convert_action_args (§6.4): value text and Python type name;
 * both NULL for a null value. */
void      sigma_json_encode_value          (JsonNode            *value,
                                            char               **text,
                                            const char         **type_name);
/* Python's json.dumps() with its defaults (", " and ": " separators, ensure_ascii). */
void      sigma_json_dumps_append          (GString             *out,
                                            JsonNode            *node);
char     *sigma_json_dumps                 (JsonNode            *node);
/* Python's str() of a value as ARE exports return values: NULL for a falsy value. */
char     *sigma_python_str                 (JsonNode            *value,
                                            const char         **type_name);

/* ------------------------------------------------------------------------------------ */
/* The imported scenario (sigma-json-scenario.c)                                        */

typedef enum {
  SIGMA_JSON_CONDITION_TURN,       /* wrapped_condition__turn_idx_<k>__scenario_id_<sid> */
  SIGMA_JSON_CONDITION_RECORDED,   /* a Python callback replaced by its recorded firing time */
  SIGMA_JSON_CONDITION_NEVER,      /* a Python callback that never fired in the record */
} SigmaJsonConditionKind;

typedef struct _SigmaJsonEvent SigmaJsonEvent;

struct _SigmaJsonEvent
{
  char                   *id;
  guint                   index;          /* position in the JSON `events` array */
  guint                   order;          /* position in ARE's event list (Kahn order) */
  gboolean                added;          /* in the DAG */
  SigmaEventType          type;
  const char             *app;            /* interned; NULL for conditions */
  const char             *function;       /* interned */
  JsonObject             *args;           /* decoded (§6.3), sealed */
  gboolean                has_relative;
  gdouble                 relative;
  gboolean                has_time;       /* absolute time used: only when relative is null */
  gdouble                 time;
  SigmaTimeComparator     comparator;
  GPtrArray              *deps;           /* SigmaJsonEvent, unowned, distinct, JSON order */
  GPtrArray              *succs;          /* SigmaJsonEvent, unowned */
  guint                   turn;
  gboolean                is_turn_end;    /* oracle AgentUserInterface.send_message_to_user */
  SigmaJsonConditionKind  condition_kind;
  guint                   condition_turn;
  gdouble                 fire_time;
  JsonObject             *json;           /* the event as read */
};

typedef struct
{
  char     *parent_tool_name;   /* <app name>__<function> */
  guint     parent_turn;
  char     *parent_event_id;
  guint     placeholder_turn;
  char     *placeholder_event_id;
} SigmaJsonPlaceholder;

typedef struct
{
  guint      index;          /* position in the JSON `apps` array */
  char      *name;
  char      *class_name;     /* as given (NULL: the name) */
  JsonNode  *state;          /* app_state, or NULL */
  gboolean   opaque;         /* unknown class, kept as SigmaOpaqueApp */
  GPtrArray *functions;      /* opaque apps: char* function names called on it */
  GPtrArray *function_args;  /* opaque apps: GPtrArray of char* per function */
  GArray    *function_ops;   /* opaque apps: SigmaToolOperation per function */
} SigmaJsonApp;

/* How build_events lays out the DAG. */
typedef enum {
  SIGMA_JSON_BUILD_AGENT,       /* turn gates (ARE's online benchmark run) */
  SIGMA_JSON_BUILD_ORACLE,      /* turn gates, send_message_to_user last in its turn (sigma run --oracle) */
  SIGMA_JSON_BUILD_REFERENCE,   /* the DAG as written: ARE's oracle pre-run for the judge */
} SigmaJsonBuildMode;

struct _SigmaJsonScenario
{
  SigmaScenario       parent_instance;

  SigmaJsonFlags      flags;
  JsonNode           *root;
  JsonObject         *metadata;        /* the `metadata` object */
  JsonObject         *definition;      /* metadata.definition */
  JsonNode           *augmentation;
  GPtrArray          *apps;            /* SigmaJsonApp, file order */
  GPtrArray          *events;          /* SigmaJsonEvent, Kahn order */
  GHashTable         *event_index;     /* id → SigmaJsonEvent */
  GPtrArray          *hints;           /* JsonObject: given hints, then ARE's generated ones */
  guint               n_oracle_events;
  guint               n_turns;
  GPtrArray          *turn_ends;       /* SigmaJsonEvent per turn, or NULL; n_turns entries */
  GPtrArray          *tasks;           /* char* per turn */
  GPtrArray          *bfs_order;       /* SigmaJsonEvent in ARE's turn-BFS visit order */
  GPtrArray          *placeholders;    /* SigmaJsonPlaceholder */
  gboolean            has_placeholder_conflicts;
  gboolean            has_execution;   /* metadata.execution present */
  JsonArray          *completed;       /* completed_events, or NULL */
  GPtrArray          *warnings;        /* char*, NULL-terminated view */
  GPtrArray          *preloaded;       /* SigmaApp with their state, for the first environment */
  gboolean            preloaded_taken;
  gboolean            uses_system_app; /* events call a SystemApp the file does not declare */
  SigmaEventLog      *oracle_log;      /* the reference oracle run, cached */
  gboolean            oracle_log_failed;
  SigmaSoftJudge     *soft_judge;      /* nullable: the judge's default */
  gdouble             duration;        /* definition duration, or ARE's default 1000 */
  gboolean            has_time_tag;
};

/* The trace log (sigma-json-export.c). */
SigmaEventLog *sigma_json_scenario_build_trace_log   (SigmaJsonScenario  *self,
                                                      GError            **error);

/* One completed event of a trace, read by the importer: NULL and @error when malformed. */
SigmaCompletedEvent *sigma_json_completed_event_from_json (JsonObject     *object,
                                                           GHashTable     *app_classes,
                                                           gboolean        lenient,
                                                           const char     *path,
                                                           guint          *leniencies,
                                                           GError        **error);

/* The verdict a validate() stored on an environment. */
#define SIGMA_JSON_VERDICT_KEY "sigma-json-verdict"

G_END_DECLS
