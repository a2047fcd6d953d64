/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Private to libsigma: the per-argument checkers of the Gaia2 judge (validation.md §2.7),
 * the checker registries (§2.8, §2.9) and the Python value semantics they rely on. Never
 * installed, never scanned for GIR; the tests include it directly. */

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sigma-python-private.h"

G_BEGIN_DECLS

/* ARE's CheckerType, plus the scripted checkers. */
typedef enum {
  SIGMA_CHECKER_EQ,
  SIGMA_CHECKER_EQ_STR_STRIP,
  SIGMA_CHECKER_UNORDERED_LIST,
  SIGMA_CHECKER_UNORDERED_PATH_LIST,
  SIGMA_CHECKER_PATH,
  SIGMA_CHECKER_DATETIME,
  SIGMA_CHECKER_PHONE_NUMBER,
  SIGMA_CHECKER_LIST_ATTENDEES,
  SIGMA_CHECKER_CONTAIN_ANY,
  SIGMA_CHECKER_CONTAIN_ALL,
  SIGMA_CHECKER_LLM,
} SigmaCheckerType;

/* ARE's SoftCheckerType. */
typedef enum {
  SIGMA_SOFT_CHECKER_CONTENT,
  SIGMA_SOFT_CHECKER_SANITY,
  SIGMA_SOFT_CHECKER_SIGNATURE,
  SIGMA_SOFT_CHECKER_PLACEHOLDER,
  SIGMA_SOFT_CHECKER_CAB,
  SIGMA_SOFT_CHECKER_EVENT,
  SIGMA_SOFT_CHECKER_MESSAGE,
  SIGMA_SOFT_CHECKER_EMAIL,
  SIGMA_SOFT_CHECKER_USER_MESSAGE,
  SIGMA_SOFT_CHECKER_TONE,
} SigmaSoftCheckerType;

typedef struct
{
  const char       *arg_name;
  SigmaCheckerType  type;
} SigmaArgChecker;

/* A Python exception raised by a checker: the judge turns it into the "Exception" verdict. */
#define SIGMA_PY_ERROR (sigma_py_error_quark ())
typedef enum {
  SIGMA_PY_ERROR_VALUE,
  SIGMA_PY_ERROR_TYPE,
  SIGMA_PY_ERROR_KEY,
  SIGMA_PY_ERROR_ATTRIBUTE,
} SigmaPyError;

GQuark       sigma_py_error_quark              (void);

const char  *sigma_checker_type_to_string      (SigmaCheckerType       type);
gboolean     sigma_checker_type_from_string    (const char            *name,
                                                SigmaCheckerType      *type);
gboolean     sigma_checker_type_is_hard        (SigmaCheckerType       type);
gboolean     sigma_checker_type_is_scripted    (SigmaCheckerType       type);
const char  *sigma_soft_checker_type_to_string (SigmaSoftCheckerType   type);

/* The registries, with ARE's app and tool aliases applied (89 hard keys). */
const SigmaArgChecker      *sigma_checker_registry_lookup      (const char *tool_name,
                                                                guint      *n_args);
const SigmaSoftCheckerType *sigma_soft_checker_registry_lookup (const char *tool_name,
                                                                guint      *n_checkers);
guint                       sigma_checker_registry_get_n_keys  (void);

/* Runs one checker on an agent value and an oracle value (NULL or a JSON null is Python
 * None). @tolerance is the list_attendees tolerance list (the user's "First Last"); @targets
 * the scripted checkers' target strings. Returns FALSE with @error set when ARE would raise;
 * otherwise stores the outcome in @result. */
gboolean     sigma_arg_checker_run             (SigmaCheckerType       type,
                                                JsonNode              *agent,
                                                JsonNode              *oracle,
                                                const char * const    *tolerance,
                                                const char * const    *targets,
                                                gboolean              *result,
                                                GError               **error);

/* Python semantics over decoded JSON values. */
char        *sigma_py_str                      (JsonNode              *node);
char        *sigma_py_repr                     (JsonNode              *node);
const char  *sigma_py_type_name                (JsonNode              *node);
gboolean     sigma_py_truthy                   (JsonNode              *node);
gboolean     sigma_py_equal                    (JsonNode              *a,
                                                JsonNode              *b);
gboolean     sigma_py_isspace                  (gunichar               c);
char        *sigma_py_strip                    (const char            *str);
char        *sigma_py_normpath                 (const char            *path);
gboolean     sigma_py_strptime                 (const char            *text,
                                                gint                   fields[6],
                                                GError               **error);

/* ARE's normalize_str and normalize_arg (validation.md §2.7). */
char        *sigma_normalize_str               (const char            *str);
char        *sigma_normalize_arg               (JsonNode              *node);

/* ARE's soft placeholder_checker: whether @text contains a template placeholder; stores the
 * first one found in @found. */
gboolean     sigma_text_has_placeholder        (const char            *text,
                                                const char           **found);

G_END_DECLS
