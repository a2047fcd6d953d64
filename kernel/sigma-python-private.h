/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Python's text forms of values, as ARE prints them into messages, rationales and exports:
 * repr() of a str, repr() of a float, and str()/repr() of JSON values read as Python values
 * (null is None, objects are dicts in insertion order). One implementation for the apps, the
 * judge and the JSON importer/exporter. Private: not installed, not scanned. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* repr() of a str: single quotes unless the text holds a single quote and no double quote,
 * with Python's escapes; bytes that are not UTF-8 are shown as surrogate escapes. */
void   sigma_py_repr_str_append   (GString    *out,
                                   const char *text);
char  *sigma_py_repr_str          (const char *text);

/* repr() of a float (float_repr_style "short"). */
void   sigma_py_float_repr_append (GString    *out,
                                   gdouble     value);

/* str() (@str TRUE) or repr() of @node as a Python value: they differ only for a string at
 * the top, which str() leaves unquoted. A %NULL node is None. */
void   sigma_py_value_append      (GString    *out,
                                   JsonNode   *node,
                                   gboolean    str);

G_END_DECLS
