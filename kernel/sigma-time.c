/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sigma-error.h"
#include "sigma-time.h"

/*
 * Dates as ARE's apps write and read them: "%Y-%m-%d %H:%M:%S" in UTC, parsed with the
 * leniency of Python's strptime (apps.md §1.5), which tool inputs from agents rely on.
 */

static gint64
whole_seconds (gdouble timestamp)
{
  /* datetime.fromtimestamp rounds to microseconds (half to even), strftime drops them */
  gdouble us = nearbyint (timestamp * 1e6);
  return (gint64) floor (us / 1e6);
}

/**
 * sigma_time_format:
 * @timestamp: seconds since the Unix epoch
 *
 * Formats a time as ARE's apps do: `YYYY-MM-DD HH:MM:SS` in UTC.
 *
 * Returns: (transfer full): the text
 */
char *
sigma_time_format (gdouble timestamp)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (whole_seconds (timestamp));

  if (dt == NULL)
    return g_strdup ("invalid time");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

/**
 * sigma_time_weekday_name:
 * @timestamp: seconds since the Unix epoch
 *
 * Returns: the English name of the UTC weekday ("Monday"), as Python's `%A` in the C locale
 */
const char *
sigma_time_weekday_name (gdouble timestamp)
{
  static const char * const names[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (whole_seconds (timestamp));

  if (dt == NULL)
    return "Unknown";
  return names[g_date_time_get_day_of_week (dt) - 1];
}

/* Python strptime: a numeric directive takes 1 to @max digits (%Y exactly 4); %d also takes
 * a space followed by one digit. */
static gboolean
take_number (const char **p,
             guint        min_digits,
             guint        max_digits,
             gboolean     space_digit,
             gint        *out)
{
  const char *s = *p;
  guint n = 0;
  gint value = 0;

  if (space_digit && s[0] == ' ' && g_ascii_isdigit (s[1]) && !g_ascii_isdigit (s[2]))
    {
      *out = s[1] - '0';
      *p = s + 2;
      return TRUE;
    }
  while (n < max_digits && g_ascii_isdigit (s[n]))
    {
      value = value * 10 + (s[n] - '0');
      n++;
    }
  if (n < min_digits)
    return FALSE;
  *out = value;
  *p = s + n;
  return TRUE;
}

/**
 * sigma_time_parse_format:
 * @text: the text to parse
 * @format: a strptime format using only `%Y %m %d %H %M %S %%`, literal characters and spaces
 * @timestamp: (out): seconds since the Unix epoch (UTC)
 * @error: return location for a #GError
 *
 * Parses @text as Python's `datetime.strptime(text, format)` with a UTC time zone: numeric
 * fields take one or two digits (the year exactly four), a space in the format matches one or
 * more white-space characters, and neither missing nor extra characters are allowed.
 *
 * Returns: %TRUE on success; %FALSE with %SIGMA_ERROR_INVALID_ARGUMENT
 */
gboolean
sigma_time_parse_format (const char  *text,
                         const char  *format,
                         gdouble     *timestamp,
                         GError     **error)
{
  gint year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  const char *s = text, *f = format;
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (timestamp != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (*f != '\0')
    {
      gboolean ok = TRUE;

      if (*f == '%' && f[1] != '\0')
        {
          switch (f[1])
            {
            case 'Y': ok = take_number (&s, 4, 4, FALSE, &year); break;
            case 'm': ok = take_number (&s, 1, 2, FALSE, &month); break;
            case 'd': ok = take_number (&s, 1, 2, TRUE, &day); break;
            case 'H': ok = take_number (&s, 1, 2, FALSE, &hour); break;
            case 'M': ok = take_number (&s, 1, 2, FALSE, &minute); break;
            case 'S': ok = take_number (&s, 1, 2, FALSE, &second); break;
            case '%': ok = *s == '%'; s += ok; break;
            default:
              g_critical ("%s: unsupported directive %%%c", G_STRFUNC, f[1]);
              ok = FALSE;
            }
          f += 2;
        }
      else if (g_ascii_isspace (*f))
        {
          if (!g_ascii_isspace (*s))
            ok = FALSE;
          while (g_ascii_isspace (*s))
            s++;
          while (g_ascii_isspace (*f))
            f++;
        }
      else
        {
          ok = *s == *f;
          s += ok;
          f++;
        }

      if (!ok)
        {
          g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                       "time data '%s' does not match format '%s'", text, format);
          return FALSE;
        }
    }

  if (*s != '\0')
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "unconverted data remains: %s", s);
      return FALSE;
    }

  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 61 || day < 1)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "time data '%s' does not match format '%s'", text, format);
      return FALSE;
    }
  if (day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "day is out of range for month");
      return FALSE;
    }

  dt = g_date_time_new_utc (year, month, day, hour, minute, MIN (second, 59));
  if (dt == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_INVALID_ARGUMENT,
                   "time data '%s' is out of range", text);
      return FALSE;
    }
  *timestamp = (gdouble) g_date_time_to_unix (dt);
  return TRUE;
}

/**
 * sigma_time_parse:
 * @text: a time written `YYYY-MM-DD HH:MM:SS`
 * @timestamp: (out): seconds since the Unix epoch (UTC)
 * @error: return location for a #GError
 *
 * sigma_time_parse_format() with ARE's `"%Y-%m-%d %H:%M:%S"`.
 *
 * Returns: %TRUE on success
 */
gboolean
sigma_time_parse (const char  *text,
                  gdouble     *timestamp,
                  GError     **error)
{
  return sigma_time_parse_format (text, "%Y-%m-%d %H:%M:%S", timestamp, error);
}
