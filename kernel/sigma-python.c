/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma-python-private.h"

/* Whether CPython's repr() prints @c as is (str.isprintable): not a control, format,
 * separator other than the space, surrogate, private-use or unassigned character. */
static gboolean
py_printable (gunichar c)
{
  if (c == ' ')
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return FALSE;
    default:
      return TRUE;
    }
}

void
sigma_py_repr_str_append (GString    *out,
                          const char *text)
{
  gboolean has_single = strchr (text, '\'') != NULL;
  gboolean has_double = strchr (text, '"') != NULL;
  char quote = has_single && !has_double ? '"' : '\'';
  const char *p = text;

  g_string_append_c (out, quote);
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* not UTF-8: one byte, shown as Python shows a surrogate-escaped byte */
          g_string_append_printf (out, "\\udc%02x", (guchar) *p);
          p++;
          continue;
        }
      p = g_utf8_next_char (p);

      if (c == '\\' || c == (gunichar) quote)
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (py_printable (c))
        g_string_append_unichar (out, c);
      else if (c <= 0xff)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c <= 0xffff)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\U%08x", c);
    }
  g_string_append_c (out, quote);
}

char *
sigma_py_repr_str (const char *text)
{
  GString *out = g_string_new (NULL);

  sigma_py_repr_str_append (out, text);
  return g_string_free (out, FALSE);
}

/* The shortest digits that read back as the same double, in fixed notation when the decimal
 * exponent is in [-4, 16), else in exponent notation. */
void
sigma_py_float_repr_append (GString *out,
                            gdouble  value)
{
  char buf[40];
  char digits[24];
  gsize n_digits = 0;
  int exponent;
  char *e;

  if (isnan (value))
    {
      g_string_append (out, "nan");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value < 0 ? "-inf" : "inf");
      return;
    }

  /* the shortest digits that read back as the same double */
  for (int precision = 1; precision <= 17; precision++)
    {
      snprintf (buf, sizeof buf, "%.*e", precision - 1, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  /* buf: [-]d[.ddd]e±XX */
  e = strchr (buf, 'e');
  exponent = atoi (e + 1);
  for (char *q = buf; q < e; q++)
    if (g_ascii_isdigit (*q))
      digits[n_digits++] = *q;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';

  if (buf[0] == '-')
    g_string_append_c (out, '-');
  if (exponent >= -5 + 1 && exponent < 16)
    {
      /* fixed notation */
      if (exponent < 0)
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -exponent - 1; i++)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
        }
      else if ((gsize) exponent + 1 >= n_digits)
        {
          g_string_append (out, digits);
          for (gsize i = n_digits; i < (gsize) exponent + 1; i++)
            g_string_append_c (out, '0');
          g_string_append (out, ".0");
        }
      else
        {
          g_string_append_len (out, digits, exponent + 1);
          g_string_append_c (out, '.');
          g_string_append (out, digits + exponent + 1);
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
}

void
sigma_py_value_append (GString  *out,
                       JsonNode *node,
                       gboolean  str)
{
  if (node == NULL)
    {
      g_string_append (out, "None");
      return;
    }

  switch (json_node_get_node_type (node))
    {
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
            sigma_py_repr_str_append (out, name);
            g_string_append (out, ": ");
            sigma_py_value_append (out, member, FALSE);
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
            sigma_py_value_append (out, json_array_get_element (array, i), FALSE);
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          if (str)
            g_string_append (out, json_node_get_string (node));
          else
            sigma_py_repr_str_append (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "True" : "False");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          sigma_py_float_repr_append (out, json_node_get_double (node));
          break;
        default:
          g_string_append (out, "None");
          break;
        }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "None");
      break;
    }
}
