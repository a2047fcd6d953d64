/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma-error.h"
#include "sigma-json-private.h"
#include "sigma-python-private.h"

/*
 * The text side of ARE's JSON format:
 *
 * - a strict JSON parser (RFC 8259, as Python's json module reads it) that builds json-glib
 *   nodes about twice as fast as JsonParser and reports errors by line and column;
 * - a reader for Python literals (the repr() of lists and dicts that ARE-derived tools write);
 * - ARE's argument decoding by value_type (scenario-json.md §6.3) and encoding (§6.4);
 * - Python's json.dumps() and str(), which ARE's exporter uses for arguments and return
 *   values.
 */

#define MAX_DEPTH 512

/* ------------------------------------------------------------------------------------ */
/* JSON parser                                                                          */

typedef struct
{
  const char          *start;
  const char          *p;
  const char          *end;
  SigmaJsonParseFlags  flags;
  GString             *scratch;
  guint                depth;
  GError             **error;
} Parser;

/* Line and column (1-based, in characters) of @at. */
static void
position_of (const char *start,
             const char *at,
             guint      *line,
             guint      *column)
{
  const char *line_start = start;

  *line = 1;
  for (const char *q = start; q < at; q++)
    if (*q == '\n')
      {
        (*line)++;
        line_start = q + 1;
      }
  *column = 1;
  for (const char *q = line_start; q < at; q++)
    if (((guchar) *q & 0xC0) != 0x80)
      (*column)++;
}

static gboolean parser_fail (Parser *ps, const char *at, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
parser_fail (Parser     *ps,
             const char *at,
             const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;
  guint line, column;

  if (ps->error == NULL || *ps->error != NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  position_of (ps->start, at, &line, &column);
  g_set_error (ps->error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
               "line %u, column %u: %s", line, column, message);
  return FALSE;
}

/* A printable description of the character at @at, for messages. */
static char *
describe_char (Parser     *ps,
               const char *at)
{
  if (at >= ps->end)
    return g_strdup ("the end of the data");
  if ((guchar) *at < 0x20 || (guchar) *at == 0x7f)
    return g_strdup_printf ("the control character U+%04X", (guint) (guchar) *at);
  if ((guchar) *at < 0x80)
    return g_strdup_printf ("'%c'", *at);
  return g_strdup ("a non-ASCII character");
}

static inline void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Parser     *ps,
           const char *q,
           gunichar   *out)
{
  gunichar v = 0;

  if (ps->end - q < 4)
    return parser_fail (ps, q, "incomplete \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (q[i]);

      if (h < 0)
        return parser_fail (ps, q + i, "invalid \\u escape");
      v = v * 16 + (gunichar) h;
    }
  *out = v;
  return TRUE;
}

/* Reads a string at ps->p (the opening quote) into ps->scratch. */
static gboolean
parse_string (Parser *ps)
{
  const char *q = ps->p + 1;

  g_string_truncate (ps->scratch, 0);
  for (;;)
    {
      const char *run = q;

      while (q < ps->end && *q != '"' && *q != '\\' && (guchar) *q >= 0x20)
        q++;
      if (q > run)
        {
          const char *bad;

          if (!g_utf8_validate (run, q - run, &bad))
            return parser_fail (ps, bad, "invalid UTF-8 in a string");
          g_string_append_len (ps->scratch, run, q - run);
        }
      if (q >= ps->end)
        return parser_fail (ps, ps->p, "unterminated string");
      if (*q == '"')
        {
          ps->p = q + 1;
          return TRUE;
        }
      if ((guchar) *q < 0x20)
        return parser_fail (ps, q, "unescaped control character U+%04X in a string", (guint) (guchar) *q);

      /* an escape */
      q++;
      if (q >= ps->end)
        return parser_fail (ps, ps->p, "unterminated string");
      switch (*q)
        {
        case '"': g_string_append_c (ps->scratch, '"'); q++; break;
        case '\\': g_string_append_c (ps->scratch, '\\'); q++; break;
        case '/': g_string_append_c (ps->scratch, '/'); q++; break;
        case 'b': g_string_append_c (ps->scratch, '\b'); q++; break;
        case 'f': g_string_append_c (ps->scratch, '\f'); q++; break;
        case 'n': g_string_append_c (ps->scratch, '\n'); q++; break;
        case 'r': g_string_append_c (ps->scratch, '\r'); q++; break;
        case 't': g_string_append_c (ps->scratch, '\t'); q++; break;
        case 'u':
          {
            gunichar c;

            if (!read_hex4 (ps, q + 1, &c))
              return FALSE;
            q += 5;
            if (c >= 0xD800 && c < 0xDC00)
              {
                gunichar low;

                if (ps->end - q >= 6 && q[0] == '\\' && q[1] == 'u' &&
                    read_hex4 (ps, q + 2, &low) && low >= 0xDC00 && low < 0xE000)
                  {
                    c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                    q += 6;
                  }
                else
                  {
                    if (ps->error != NULL && *ps->error != NULL)
                      return FALSE;
                    c = 0xFFFD;   /* a lone surrogate cannot be UTF-8 */
                  }
              }
            else if (c >= 0xDC00 && c < 0xE000)
              c = 0xFFFD;
            g_string_append_unichar (ps->scratch, c);
            break;
          }
        default:
          {
            g_autofree char *what = describe_char (ps, q);
            return parser_fail (ps, q - 1, "invalid escape '\\' followed by %s", what);
          }
        }
    }
}

static JsonNode *parse_value (Parser *ps);

static gboolean
match_word (Parser     *ps,
            const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (ps->end - ps->p) >= len && memcmp (ps->p, word, len) == 0)
    {
      ps->p += len;
      return TRUE;
    }
  return FALSE;
}

static JsonNode *
parse_number (Parser *ps)
{
  const char *s = ps->p;
  const char *q = s;
  gboolean is_float = FALSE;
  char buf[64];
  g_autofree char *big = NULL;
  char *text;
  gsize len;

  if (q < ps->end && *q == '-')
    q++;
  if ((ps->flags & SIGMA_JSON_PARSE_PYTHON_CONSTANTS) && *s == '-' && q < ps->end && *q == 'I')
    {
      ps->p = q;
      if (match_word (ps, "Infinity"))
        return json_node_init_double (json_node_alloc (), -INFINITY);
      parser_fail (ps, s, "expected a value");
      return NULL;
    }
  if (q >= ps->end || !g_ascii_isdigit (*q))
    {
      parser_fail (ps, q, "expected a digit");
      return NULL;
    }
  if (*q == '0')
    {
      q++;
      if (q < ps->end && g_ascii_isdigit (*q))
        {
          parser_fail (ps, s, "a number cannot start with 0");
          return NULL;
        }
    }
  else
    while (q < ps->end && g_ascii_isdigit (*q))
      q++;
  if (q < ps->end && *q == '.')
    {
      is_float = TRUE;
      q++;
      if (q >= ps->end || !g_ascii_isdigit (*q))
        {
          parser_fail (ps, q, "expected a digit after the decimal point");
          return NULL;
        }
      while (q < ps->end && g_ascii_isdigit (*q))
        q++;
    }
  if (q < ps->end && (*q == 'e' || *q == 'E'))
    {
      is_float = TRUE;
      q++;
      if (q < ps->end && (*q == '+' || *q == '-'))
        q++;
      if (q >= ps->end || !g_ascii_isdigit (*q))
        {
          parser_fail (ps, q, "expected a digit in the exponent");
          return NULL;
        }
      while (q < ps->end && g_ascii_isdigit (*q))
        q++;
    }
  ps->p = q;

  len = (gsize) (q - s);
  if (len < sizeof buf)
    {
      memcpy (buf, s, len);
      buf[len] = '\0';
      text = buf;
    }
  else
    text = big = g_strndup (s, len);

  if (!is_float)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (text, NULL, 10);
      if (errno == 0)
        return json_node_init_int (json_node_alloc (), v);
      /* beyond 64 bits: kept as the nearest double */
    }
  return json_node_init_double (json_node_alloc (), g_ascii_strtod (text, NULL));
}

static JsonNode *
parse_object (Parser *ps)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  ps->p++;   /* { */
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == '}')
    {
      ps->p++;
      goto done;
    }
  for (;;)
    {
      g_autofree char *key = NULL;
      JsonNode *value;

      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != '"')
        {
          g_autofree char *what = describe_char (ps, ps->p);
          parser_fail (ps, ps->p, "expected a member name in double quotes, found %s", what);
          return NULL;
        }
      if (!parse_string (ps))
        return NULL;
      key = g_strndup (ps->scratch->str, ps->scratch->len);
      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        {
          g_autofree char *what = describe_char (ps, ps->p);
          parser_fail (ps, ps->p, "expected ':' after a member name, found %s", what);
          return NULL;
        }
      ps->p++;
      value = parse_value (ps);
      if (value == NULL)
        return NULL;
      json_object_set_member (object, key, value);
      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == '}')
        {
          ps->p++;
          break;
        }
      {
        g_autofree char *what = describe_char (ps, ps->p);
        parser_fail (ps, ps->p, "expected ',' or '}' in an object, found %s", what);
        return NULL;
      }
    }
done:
  node = json_node_alloc ();
  json_node_init_object (node, object);
  return node;
}

static JsonNode *
parse_array (Parser *ps)
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node;

  ps->p++;   /* [ */
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == ']')
    {
      ps->p++;
      goto done;
    }
  for (;;)
    {
      JsonNode *value = parse_value (ps);

      if (value == NULL)
        return NULL;
      json_array_add_element (array, value);
      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == ']')
        {
          ps->p++;
          break;
        }
      {
        g_autofree char *what = describe_char (ps, ps->p);
        parser_fail (ps, ps->p, "expected ',' or ']' in an array, found %s", what);
        return NULL;
      }
    }
done:
  node = json_node_alloc ();
  json_node_init_array (node, array);
  return node;
}

static JsonNode *
parse_value (Parser *ps)
{
  JsonNode *node = NULL;

  skip_ws (ps);
  if (ps->p >= ps->end)
    {
      parser_fail (ps, ps->p, "expected a value, found the end of the data");
      return NULL;
    }
  switch (*ps->p)
    {
    case '{':
    case '[':
      if (++ps->depth > MAX_DEPTH)
        {
          parser_fail (ps, ps->p, "nesting deeper than %d levels", MAX_DEPTH);
          return NULL;
        }
      node = *ps->p == '{' ? parse_object (ps) : parse_array (ps);
      ps->depth--;
      return node;
    case '"':
      if (!parse_string (ps))
        return NULL;
      node = json_node_alloc ();
      json_node_init_string (node, ps->scratch->str);
      return node;
    case 't':
      if (match_word (ps, "true"))
        return json_node_init_boolean (json_node_alloc (), TRUE);
      break;
    case 'f':
      if (match_word (ps, "false"))
        return json_node_init_boolean (json_node_alloc (), FALSE);
      break;
    case 'n':
      if (match_word (ps, "null"))
        return json_node_init_null (json_node_alloc ());
      break;
    case 'N':
      if ((ps->flags & SIGMA_JSON_PARSE_PYTHON_CONSTANTS) && match_word (ps, "NaN"))
        return json_node_init_double (json_node_alloc (), NAN);
      break;
    case 'I':
      if ((ps->flags & SIGMA_JSON_PARSE_PYTHON_CONSTANTS) && match_word (ps, "Infinity"))
        return json_node_init_double (json_node_alloc (), INFINITY);
      break;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (ps);
    default:
      break;
    }
  {
    g_autofree char *what = describe_char (ps, ps->p);
    parser_fail (ps, ps->p, "expected a value, found %s", what);
  }
  return NULL;
}

JsonNode *
sigma_json_parse (const char           *data,
                  gsize                 length,
                  SigmaJsonParseFlags   flags,
                  GError              **error)
{
  Parser ps = { data, data, data + length, flags, NULL, 0, error };
  GError *local_error = NULL;
  JsonNode *root;

  if (error == NULL)
    ps.error = &local_error;
  ps.scratch = g_string_sized_new (256);
  root = parse_value (&ps);
  if (root != NULL)
    {
      skip_ws (&ps);
      if (ps.p < ps.end)
        {
          g_autofree char *what = describe_char (&ps, ps.p);
          parser_fail (&ps, ps.p, "unexpected %s after the JSON value", what);
          g_clear_pointer (&root, json_node_unref);
        }
    }
  g_string_free (ps.scratch, TRUE);
  g_clear_error (&local_error);
  return root;
}

/* ------------------------------------------------------------------------------------ */
/* Python literals                                                                      */

typedef struct
{
  const char *start;
  const char *p;
  guint       depth;
  GError    **error;
} PyParser;

static gboolean py_fail (PyParser *pp, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
py_fail (PyParser   *pp,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  if (pp->error == NULL || *pp->error != NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (pp->error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
               "not a Python literal at offset %u: %s", (guint) (pp->p - pp->start), message);
  return FALSE;
}

static void
py_skip_ws (PyParser *pp)
{
  while (*pp->p == ' ' || *pp->p == '\t' || *pp->p == '\n' || *pp->p == '\r')
    pp->p++;
}

static JsonNode *py_value (PyParser *pp);

static JsonNode *
py_string (PyParser *pp)
{
  char quote = *pp->p;
  gboolean triple = pp->p[1] == quote && pp->p[2] == quote;
  g_autoptr(GString) out = g_string_new (NULL);

  pp->p += triple ? 3 : 1;
  for (;;)
    {
      char c = *pp->p;

      if (c == '\0')
        {
          py_fail (pp, "unterminated string");
          return NULL;
        }
      if (c == quote && (!triple || (pp->p[1] == quote && pp->p[2] == quote)))
        {
          pp->p += triple ? 3 : 1;
          break;
        }
      if (c == '\\')
        {
          char e = pp->p[1];
          gunichar u = 0;
          int digits = 0;

          pp->p += 2;
          switch (e)
            {
            case '\\': g_string_append_c (out, '\\'); break;
            case '\'': g_string_append_c (out, '\''); break;
            case '"': g_string_append_c (out, '"'); break;
            case 'n': g_string_append_c (out, '\n'); break;
            case 'r': g_string_append_c (out, '\r'); break;
            case 't': g_string_append_c (out, '\t'); break;
            case 'b': g_string_append_c (out, '\b'); break;
            case 'f': g_string_append_c (out, '\f'); break;
            case 'v': g_string_append_c (out, '\v'); break;
            case 'a': g_string_append_c (out, '\a'); break;
            case '0': g_string_append_c (out, '\0'); break;
            case '\n': break;
            case 'x': digits = 2; break;
            case 'u': digits = 4; break;
            case 'U': digits = 8; break;
            case '\0':
              py_fail (pp, "unterminated string");
              return NULL;
            default:
              g_string_append_c (out, '\\');
              g_string_append_c (out, e);
              break;
            }
          for (int i = 0; i < digits; i++)
            {
              int h = hex_value (*pp->p);

              if (h < 0)
                {
                  py_fail (pp, "invalid escape");
                  return NULL;
                }
              u = u * 16 + (gunichar) h;
              pp->p++;
            }
          if (digits > 0)
            {
              if (u > 0x10FFFF || (u >= 0xD800 && u < 0xE000))
                u = 0xFFFD;
              g_string_append_unichar (out, u);
            }
          continue;
        }
      g_string_append_c (out, c);
      pp->p++;
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      py_fail (pp, "invalid UTF-8 in a string");
      return NULL;
    }
  {
    JsonNode *node = json_node_alloc ();
    json_node_init_string (node, out->str);
    return node;
  }
}

static JsonNode *
py_number (PyParser *pp)
{
  const char *s = pp->p;
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean is_float = FALSE;

  if (*pp->p == '-' || *pp->p == '+')
    g_string_append_c (digits, *pp->p++);
  if (g_str_has_prefix (pp->p, "inf"))
    {
      pp->p += 3;
      return json_node_init_double (json_node_alloc (), *s == '-' ? -INFINITY : INFINITY);
    }
  while (g_ascii_isdigit (*pp->p) || *pp->p == '_' || *pp->p == '.' || *pp->p == 'e' || *pp->p == 'E' ||
         ((*pp->p == '+' || *pp->p == '-') && (pp->p[-1] == 'e' || pp->p[-1] == 'E')))
    {
      if (*pp->p == '.' || *pp->p == 'e' || *pp->p == 'E')
        is_float = TRUE;
      if (*pp->p != '_')
        g_string_append_c (digits, *pp->p);
      pp->p++;
    }
  if (digits->len == 0 || pp->p == s)
    {
      py_fail (pp, "expected a value");
      return NULL;
    }
  if (!is_float)
    {
      gint64 v;
      char *end;

      errno = 0;
      v = g_ascii_strtoll (digits->str, &end, 10);
      if (errno == 0 && *end == '\0')
        return json_node_init_int (json_node_alloc (), v);
    }
  {
    char *end;
    gdouble d = g_ascii_strtod (digits->str, &end);

    if (*end != '\0')
      {
        py_fail (pp, "invalid number");
        return NULL;
      }
    return json_node_init_double (json_node_alloc (), d);
  }
}

/* A key of a dict as a JSON member name: strings as they are, other values as str(). */
static char *
py_key_string (JsonNode *key)
{
  if (JSON_NODE_HOLDS_VALUE (key) && json_node_get_value_type (key) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (key));
  return sigma_json_dumps (key);
}

static JsonNode *
py_container (PyParser *pp)
{
  char open = *pp->p;
  char close = open == '[' ? ']' : open == '(' ? ')' : '}';
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(JsonObject) object = NULL;
  gboolean is_dict = FALSE;
  gboolean first = TRUE;
  JsonNode *node;

  if (++pp->depth > MAX_DEPTH)
    {
      py_fail (pp, "nesting too deep");
      return NULL;
    }
  pp->p++;
  array = json_array_new ();
  object = json_object_new ();
  for (;;)
    {
      JsonNode *value;

      py_skip_ws (pp);
      if (*pp->p == close)
        {
          pp->p++;
          break;
        }
      if (!first)
        {
          if (*pp->p != ',')
            {
              py_fail (pp, "expected ',' or '%c'", close);
              return NULL;
            }
          pp->p++;
          py_skip_ws (pp);
          if (*pp->p == close)
            {
              pp->p++;
              break;
            }
        }
      value = py_value (pp);
      if (value == NULL)
        return NULL;
      py_skip_ws (pp);
      if (open == '{' && (first || is_dict) && *pp->p == ':')
        {
          g_autoptr(JsonNode) key = value;
          g_autofree char *name = py_key_string (key);
          JsonNode *member;

          is_dict = TRUE;
          pp->p++;
          member = py_value (pp);
          if (member == NULL)
            return NULL;
          json_object_set_member (object, name, member);
        }
      else if (is_dict)
        {
          json_node_unref (value);
          py_fail (pp, "expected ':' in a dict");
          return NULL;
        }
      else
        json_array_add_element (array, value);
      first = FALSE;
    }
  pp->depth--;
  node = json_node_alloc ();
  if (is_dict || (open == '{' && first))
    json_node_init_object (node, object);   /* {} is an empty dict */
  else
    json_node_init_array (node, array);     /* lists, tuples and sets */
  return node;
}

static JsonNode *
py_value (PyParser *pp)
{
  py_skip_ws (pp);
  switch (*pp->p)
    {
    case '\'':
    case '"':
      return py_string (pp);
    case '[':
    case '(':
    case '{':
      return py_container (pp);
    default:
      break;
    }
  if (g_str_has_prefix (pp->p, "True"))
    {
      pp->p += 4;
      return json_node_init_boolean (json_node_alloc (), TRUE);
    }
  if (g_str_has_prefix (pp->p, "False"))
    {
      pp->p += 5;
      return json_node_init_boolean (json_node_alloc (), FALSE);
    }
  if (g_str_has_prefix (pp->p, "None"))
    {
      pp->p += 4;
      return json_node_init_null (json_node_alloc ());
    }
  if (g_str_has_prefix (pp->p, "nan"))
    {
      pp->p += 3;
      return json_node_init_double (json_node_alloc (), NAN);
    }
  if (g_ascii_isdigit (*pp->p) || *pp->p == '-' || *pp->p == '+' || *pp->p == '.' ||
      g_str_has_prefix (pp->p, "inf"))
    return py_number (pp);
  py_fail (pp, "expected a value");
  return NULL;
}

JsonNode *
sigma_python_literal_parse (const char  *text,
                            GError     **error)
{
  PyParser pp = { text, text, 0, error };
  GError *local_error = NULL;
  JsonNode *node;

  if (error == NULL)
    pp.error = &local_error;
  node = py_value (&pp);
  if (node != NULL)
    {
      py_skip_ws (&pp);
      if (*pp.p != '\0')
        {
          py_fail (&pp, "unexpected text after the value");
          g_clear_pointer (&node, json_node_unref);
        }
    }
  g_clear_error (&local_error);
  return node;
}

/* ------------------------------------------------------------------------------------ */
/* Decoding arguments by value_type (§6.3)                                              */

static gboolean
is_py_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Python's str.strip() on ASCII whitespace. */
static char *
py_strip (const char *s)
{
  const char *end = s + strlen (s);

  while (is_py_space (*s))
    s++;
  while (end > s && is_py_space (end[-1]))
    end--;
  return g_strndup (s, end - s);
}

/* Removes the underscores Python allows between digits; FALSE if one is misplaced. */
static gboolean
strip_underscores (const char *s,
                   GString    *out)
{
  for (const char *q = s; *q != '\0'; q++)
    {
      if (*q == '_')
        {
          if (q == s || !g_ascii_isxdigit (q[-1]) || !g_ascii_isxdigit (q[1]))
            return FALSE;
          continue;
        }
      g_string_append_c (out, *q);
    }
  return TRUE;
}

/* Python's int(s). */
static gboolean
python_int (const char  *value,
            gint64      *out,
            GError     **error)
{
  g_autofree char *text = py_strip (value);
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *digits;
  char *end;

  digits = text;
  if (*digits == '+' || *digits == '-')
    digits++;
  if (*digits == '\0' || !g_ascii_isdigit (*digits) || !strip_underscores (text, clean))
    goto invalid;
  for (const char *q = clean->str + (clean->str[0] == '+' || clean->str[0] == '-'); *q != '\0'; q++)
    if (!g_ascii_isdigit (*q))
      goto invalid;
  errno = 0;
  *out = g_ascii_strtoll (clean->str, &end, 10);
  if (errno == ERANGE)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "Error converting value %s to int: it does not fit in 64 bits", value);
      return FALSE;
    }
  if (*end != '\0')
    goto invalid;
  return TRUE;

invalid:
  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
               "Error converting value %s to int: invalid literal for int() with base 10: '%s'",
               value, value);
  return FALSE;
}

/* Python's float(s). */
static gboolean
python_float (const char  *value,
              gdouble     *out,
              GError     **error)
{
  g_autofree char *text = py_strip (value);
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *s = text;
  const char *q;
  gboolean negative = FALSE;
  gboolean digits_seen = FALSE;
  char *end;

  if (*s == '+' || *s == '-')
    {
      negative = *s == '-';
      s++;
    }
  if (g_ascii_strcasecmp (s, "inf") == 0 || g_ascii_strcasecmp (s, "infinity") == 0)
    {
      *out = negative ? -INFINITY : INFINITY;
      return TRUE;
    }
  if (g_ascii_strcasecmp (s, "nan") == 0)
    {
      *out = NAN;
      return TRUE;
    }
  /* digits [. digits] [e [sign] digits], with single underscores between digits */
  q = s;
  for (; g_ascii_isdigit (*q) || (*q == '_' && q > s && g_ascii_isdigit (q[-1]) && g_ascii_isdigit (q[1])); q++)
    digits_seen |= g_ascii_isdigit (*q);
  if (*q == '.')
    {
      const char *frac = ++q;
      for (; g_ascii_isdigit (*q) || (*q == '_' && q > frac && g_ascii_isdigit (q[-1]) && g_ascii_isdigit (q[1])); q++)
        digits_seen |= g_ascii_isdigit (*q);
    }
  if (!digits_seen)
    goto invalid;
  if (*q == 'e' || *q == 'E')
    {
      const char *exp;

      q++;
      if (*q == '+' || *q == '-')
        q++;
      exp = q;
      if (!g_ascii_isdigit (*q))
        goto invalid;
      for (; g_ascii_isdigit (*q) || (*q == '_' && q > exp && g_ascii_isdigit (q[-1]) && g_ascii_isdigit (q[1])); q++)
        ;
    }
  if (*q != '\0')
    goto invalid;
  if (negative)
    g_string_append_c (clean, '-');
  for (q = s; *q != '\0'; q++)
    if (*q != '_')
      g_string_append_c (clean, *q);
  *out = g_ascii_strtod (clean->str, &end);
  if (*end != '\0')
    goto invalid;
  return TRUE;

invalid:
  g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
               "Error converting value %s to float: could not convert string to float: '%s'",
               value, value);
  return FALSE;
}

gboolean
sigma_json_is_placeholder (const char *value)
{
  gsize len;

  /* re.match(r"^\{\{.*\}\}$"): "." does not match a newline */
  if (value == NULL || !g_str_has_prefix (value, "{{"))
    return FALSE;
  len = strlen (value);
  if (len >= 5 && value[len - 1] == '\n' && value[len - 2] == '}' && value[len - 3] == '}' &&
      strchr (value, '\n') == value + len - 1)
    return TRUE;   /* "$" also matches before a final newline */
  if (len < 4 || value[len - 1] != '}' || value[len - 2] != '}')
    return FALSE;
  return strchr (value, '\n') == NULL;
}

/* ARE's _type_allows_none: Optional[...] as a whole, or a top-level "|" part that is None.
 * A "|" is top level unless the text after it reaches a closing bracket before any other
 * bracket (the regex (?![^\[\]\(\)\<\>]*[\]\)\>\]])\|). */
gboolean
sigma_json_type_allows_none (const char *type)
{
  gsize len;
  const char *part_start;
  guint n_parts = 0;
  gboolean none_part = FALSE;

  if (type == NULL)
    return FALSE;
  len = strlen (type);
  if (g_str_has_prefix (type, "Optional[") && len > 9 && type[len - 1] == ']')
    return TRUE;

  part_start = type;
  for (const char *q = type;; q++)
    {
      gboolean split = FALSE;

      if (*q == '|')
        {
          const char *r = q + 1;

          while (*r != '\0' && strchr ("[]()<>", *r) == NULL)
            r++;
          split = !(*r == ']' || *r == ')' || *r == '>');
        }
      if (split || *q == '\0')
        {
          g_autofree char *part = g_strndup (part_start, q - part_start);
          g_autofree char *stripped = py_strip (part);

          n_parts++;
          if (g_str_equal (stripped, "None"))
            none_part = TRUE;
          part_start = q + 1;
        }
      if (*q == '\0')
        break;
    }
  return n_parts > 1 && none_part;
}

/* re.match(r"Optional\[(.*)\]|\b(\w+)\b", type): the base type, or NULL. */
static char *
base_type (const char *type)
{
  if (g_str_has_prefix (type, "Optional["))
    {
      const char *close = strrchr (type, ']');

      if (close != NULL && close >= type + 9 && !strchr (type + 9, '\n'))
        return g_strndup (type + 9, close - (type + 9));
    }
  if (g_ascii_isalnum (*type) || *type == '_' || (guchar) *type >= 0x80)
    {
      const char *q = type;

      while (g_ascii_isalnum (*q) || *q == '_')
        q++;
      if (q == type)
        return NULL;
      return g_strndup (type, q - type);
    }
  return NULL;
}

static JsonNode *
string_node (const char *value)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_string (node, value);
  return node;
}

JsonNode *
sigma_json_decode_value (const char  *value,
                         const char  *value_type,
                         gboolean     lenient,
                         guint       *leniencies,
                         GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *inferred = NULL;
  GError *local_error = NULL;
  guint dummy;

  if (leniencies == NULL)
    leniencies = &dummy;

  /* 1. */
  if (value_type == NULL && value == NULL)
    return json_node_init_null (json_node_alloc ());

  if (value_type == NULL)
    {
      if (!lenient)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                       "a value needs a value_type (ARE fails with a TypeError on a null value_type)");
          return NULL;
        }
      /* gaia2-cli's inference */
      *leniencies |= SIGMA_DECODE_INFERRED_TYPE;
      value_type = inferred = g_strdup (value[0] == '[' ? "list" : value[0] == '{' ? "dict" : "str");
      if (value[0] == '\0')
        return string_node ("");
    }

  /* lenient: Python's type(None).__name__ */
  if (lenient && g_str_equal (value_type, "NoneType"))
    {
      *leniencies |= SIGMA_DECODE_NONE_TYPE;
      return json_node_init_null (json_node_alloc ());
    }

  /* 2. */
  if (value == NULL || value[0] == '\0')
    {
      if (sigma_json_type_allows_none (value_type))
        return json_node_init_null (json_node_alloc ());
      if (lenient)
        {
          *leniencies |= SIGMA_DECODE_EMPTY_AS_NULL;
          return value == NULL ? json_node_init_null (json_node_alloc ()) : string_node ("");
        }
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "Non-optional type %s cannot be None or empty", value_type);
      return NULL;
    }

  /* 3. */
  if (sigma_json_is_placeholder (value))
    return string_node (value);

  /* 4. */
  base = base_type (value_type);
  if (base == NULL)
    {
      if (lenient)
        {
          *leniencies |= SIGMA_DECODE_KEPT_STRING;
          return string_node (value);
        }
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "Invalid type format: %s", value_type);
      return NULL;
    }

  /* 5. */
  if (g_str_equal (base, "str"))
    return string_node (value);
  if (g_str_equal (base, "int"))
    {
      gint64 v;

      if (python_int (value, &v, &local_error))
        return json_node_init_int (json_node_alloc (), v);
    }
  else if (g_str_equal (base, "float"))
    {
      gdouble v;

      if (python_float (value, &v, &local_error))
        return json_node_init_double (json_node_alloc (), v);
    }
  else if (g_str_equal (base, "bool"))
    {
      g_autofree char *lower = g_ascii_strdown (value, -1);

      return json_node_init_boolean (json_node_alloc (),
                                     g_str_equal (lower, "true") || g_str_equal (lower, "1") ||
                                     g_str_equal (lower, "t") || g_str_equal (lower, "y") ||
                                     g_str_equal (lower, "yes"));
    }
  else if (g_str_equal (base, "list") || g_str_equal (base, "dict"))
    {
      g_autoptr(GError) json_error = NULL;
      JsonNode *node = sigma_json_parse (value, strlen (value), SIGMA_JSON_PARSE_PYTHON_CONSTANTS,
                                         &json_error);

      if (node != NULL)
        return node;
      if (lenient)
        {
          node = sigma_python_literal_parse (value, NULL);
          if (node != NULL)
            {
              *leniencies |= SIGMA_DECODE_PYTHON_LITERAL;
              return node;
            }
        }
      g_set_error (&local_error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "Error converting to JSON value %s to %s: %s", value, base, json_error->message);
    }
  else
    {
      if (lenient)
        {
          JsonNode *node = sigma_python_literal_parse (value, NULL);

          *leniencies |= SIGMA_DECODE_KEPT_STRING;
          if (node != NULL && (JSON_NODE_HOLDS_ARRAY (node) || JSON_NODE_HOLDS_OBJECT (node)))
            return node;
          g_clear_pointer (&node, json_node_unref);
          return string_node (value);
        }
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_DATA,
                   "Unsupported type %s", base);
      return NULL;
    }

  /* a conversion error */
  if (lenient)
    {
      g_clear_error (&local_error);
      *leniencies |= SIGMA_DECODE_KEPT_STRING;
      return string_node (value);
    }
  g_propagate_error (error, local_error);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Python text: float repr, json.dumps, str                                             */

/* json.dumps's string encoding with ensure_ascii. */
static void
dumps_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const char *q = s; *q != '\0';)
    {
      guchar c = (guchar) *q;

      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
        {
          const char *run = q;

          while ((guchar) *q >= 0x20 && (guchar) *q < 0x7f && *q != '"' && *q != '\\')
            q++;
          g_string_append_len (out, run, q - run);
          continue;
        }
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); q++; continue;
        case '\\': g_string_append (out, "\\\\"); q++; continue;
        case '\n': g_string_append (out, "\\n"); q++; continue;
        case '\r': g_string_append (out, "\\r"); q++; continue;
        case '\t': g_string_append (out, "\\t"); q++; continue;
        case '\b': g_string_append (out, "\\b"); q++; continue;
        case '\f': g_string_append (out, "\\f"); q++; continue;
        default:
          break;
        }
      {
        gunichar u = g_utf8_get_char_validated (q, -1);

        if (u == (gunichar) -1 || u == (gunichar) -2)
          {
            u = 0xFFFD;
            q++;
          }
        else
          q = g_utf8_next_char (q);
        if (u >= 0x10000)
          {
            gunichar v = u - 0x10000;
            g_string_append_printf (out, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
          }
        else
          g_string_append_printf (out, "\\u%04x", u);
      }
    }
  g_string_append_c (out, '"');
}

void
sigma_json_dumps_append (GString  *out,
                         JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append (out, ", ");
            first = FALSE;
            dumps_string (out, name);
            g_string_append (out, ": ");
            sigma_json_dumps_append (out, member);
          }
        g_string_append_c (out, '}');
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            sigma_json_dumps_append (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          dumps_string (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            gdouble d = json_node_get_double (node);

            if (isnan (d))
              g_string_append (out, "NaN");
            else if (isinf (d))
              g_string_append (out, d < 0 ? "-Infinity" : "Infinity");
            else
              sigma_py_float_repr_append (out, d);
            break;
          }
        default:
          g_string_append (out, "null");
          break;
        }
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
sigma_json_dumps (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  sigma_json_dumps_append (out, node);
  return g_string_free (out, FALSE);
}

static const char *
py_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "dict";
    case JSON_NODE_ARRAY:
      return "list";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "str";
        case G_TYPE_BOOLEAN:
          return "bool";
        case G_TYPE_INT64:
          return "int";
        case G_TYPE_DOUBLE:
          return "float";
        default:
          return NULL;
        }
    default:
      return NULL;
    }
}

static gboolean
py_truthy (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return json_object_get_size (json_node_get_object (node)) > 0;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (node)) > 0;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return json_node_get_string (node)[0] != '\0';
        case G_TYPE_BOOLEAN:
          return json_node_get_boolean (node);
        case G_TYPE_INT64:
          return json_node_get_int (node) != 0;
        case G_TYPE_DOUBLE:
          return json_node_get_double (node) != 0.0;
        default:
          return FALSE;
        }
    default:
      return FALSE;
    }
}

char *
sigma_python_str (JsonNode    *value,
                  const char **type_name)
{
  GString *out;

  if (type_name != NULL)
    *type_name = NULL;
  if (value == NULL || !py_truthy (value))
    return NULL;
  if (type_name != NULL)
    *type_name = py_type_name (value);
  out = g_string_new (NULL);
  sigma_py_value_append (out, value, TRUE);
  return g_string_free (out, FALSE);
}

void
sigma_json_encode_value (JsonNode    *value,
                         char       **text,
                         const char **type_name)
{
  *text = NULL;
  *type_name = NULL;
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return;
  *type_name = py_type_name (value);
  if (JSON_NODE_HOLDS_ARRAY (value) || JSON_NODE_HOLDS_OBJECT (value))
    *text = sigma_json_dumps (value);
  else
    {
      GString *out = g_string_new (NULL);

      sigma_py_value_append (out, value, TRUE);
      *text = g_string_free (out, FALSE);
    }
}

/**
 * sigma_json_to_python_string:
 * @node: a JSON node
 *
 * Serialises @node as Python's `json.dumps()` does with its defaults: `", "` and `": "`
 * separators, non-ASCII characters escaped as `\uXXXX`, floats in their shortest `repr()`.
 * This is the form of every ARE export and of the list and dict argument values inside it.
 *
 * Returns: (transfer full): the JSON text
 */
char *
sigma_json_to_python_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return sigma_json_dumps (node);
}
