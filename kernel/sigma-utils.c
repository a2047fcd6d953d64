/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "sigma-utils.h"
#include "sigma-version.h"

/**
 * sigma_get_version_string:
 *
 * The version of the Sigma library in use at run time.
 *
 * Returns: the version, such as "0.1.0"
 */
const char *
sigma_get_version_string (void)
{
  return SIGMA_VERSION_S;
}

/* SipHash-1-3 with a zero key over @data, as CPython >= 3.11 uses for str hashes. */
#define ROTL64(x, b) (guint64) (((x) << (b)) | ((x) >> (64 - (b))))
#define HALF_ROUND(a, b, c, d, s, t) \
  a += b; c += d;                    \
  b = ROTL64 (b, s) ^ a;             \
  d = ROTL64 (d, t) ^ c;             \
  a = ROTL64 (a, 32);
#define SIP_ROUND(v0, v1, v2, v3)         \
  HALF_ROUND (v0, v1, v2, v3, 13, 16);   \
  HALF_ROUND (v2, v1, v0, v3, 17, 21);

static guint64
siphash13_zero_key (const guint8 *data,
                    gsize         len)
{
  guint64 v0 = 0x736f6d6570736575ULL;
  guint64 v1 = 0x646f72616e646f6dULL;
  guint64 v2 = 0x6c7967656e657261ULL;
  guint64 v3 = 0x7465646279746573ULL;
  guint64 b = ((guint64) len) << 56;
  gsize i;
  guint64 t = 0;

  for (i = 0; i + 8 <= len; i += 8)
    {
      guint64 m = 0;
      for (guint j = 0; j < 8; j++)
        m |= ((guint64) data[i + j]) << (8 * j);
      v3 ^= m;
      SIP_ROUND (v0, v1, v2, v3);
      v0 ^= m;
    }

  for (guint j = 0; i + j < len; j++)
    t |= ((guint64) data[i + j]) << (8 * j);
  b |= t;

  v3 ^= b;
  SIP_ROUND (v0, v1, v2, v3);
  v0 ^= b;
  v2 ^= 0xff;
  SIP_ROUND (v0, v1, v2, v3);
  SIP_ROUND (v0, v1, v2, v3);
  SIP_ROUND (v0, v1, v2, v3);

  return (v0 ^ v1) ^ (v2 ^ v3);
}

/**
 * sigma_stable_hash:
 * @str: a UTF-8 string
 *
 * A hash of @str that is the same in every process and on every machine: Python's
 * `hash(str) % 2**32` with `PYTHONHASHSEED=0` (SipHash-1-3 with a zero key over the string's
 * canonical code units). Sigma uses it to derive per-app random seeds, so that ids drawn with
 * the same seed are the same in every run — unlike ARE, whose ids change per process.
 *
 * Returns: the hash
 */
guint32
sigma_stable_hash (const char *str)
{
  g_autofree guint8 *units = NULL;
  gunichar max_cp = 0;
  glong n_chars = 0;
  guint width;
  gint64 h;
  const char *p;
  gsize i = 0;

  g_return_val_if_fail (str != NULL, 0);

  if (*str == '\0')
    return 0;

  for (p = str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      max_cp = MAX (max_cp, c);
      n_chars++;
    }

  /* CPython stores a str in 1, 2 or 4 bytes per code point, the narrowest that fits, and
   * hashes that buffer (little-endian on the machines we run on). */
  width = max_cp < 0x100 ? 1 : max_cp < 0x10000 ? 2 : 4;
  units = g_malloc ((gsize) n_chars * width);
  for (p = str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      for (guint j = 0; j < width; j++)
        units[i++] = (guint8) (c >> (8 * j));
    }

  h = (gint64) siphash13_zero_key (units, i);
  if (h == -1)
    h = -2;
  /* Python's modulo is never negative. */
  return (guint32) (((h % 4294967296LL) + 4294967296LL) % 4294967296LL);
}

/**
 * sigma_derive_seed:
 * @seed: a run seed
 * @name: the name of the stream (an app name, a tool name)
 *
 * Derives the seed of a named random stream from a run seed, as ARE's
 * `hash(f"{seed}_{name}") % 2**32`, but stable across processes (see sigma_stable_hash()).
 *
 * Returns: the derived 32-bit seed
 */
guint32
sigma_derive_seed (guint64     seed,
                   const char *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (name != NULL, 0);

  key = g_strdup_printf ("%" G_GUINT64_FORMAT "_%s", seed, name);
  return sigma_stable_hash (key);
}

/* Rewrites, outside strings, what json-glib 1.6 writes for doubles it cannot write as JSON:
 * it appends ".0" to every double printed without a decimal point, exponents included
 * (1e+20 becomes `1e+20.0`), and prints infinities and NaN as `inf`, `-inf` and `nan`
 * (plus the ".0"). The first lose their ".0"; the others become null, which JSON has
 * instead. In place: the text only shrinks. */
static void
repair_json_numbers (char *text)
{
  const char *r = text;
  char *w = text;
  gboolean in_string = FALSE;

  while (*r != '\0')
    {
      char c = *r;

      if (in_string)
        {
          *w++ = *r++;
          if (c == '\\' && *r != '\0')
            *w++ = *r++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if ((c == 'e' || c == 'E') && w > text && g_ascii_isdigit (w[-1]))
        {
          *w++ = *r++;
          if (*r == '+' || *r == '-')
            *w++ = *r++;
          while (g_ascii_isdigit (*r))
            *w++ = *r++;
          if (r[0] == '.' && r[1] == '0' && !g_ascii_isdigit (r[2]))
            r += 2;
          continue;
        }
      else if (c == 'i' || c == 'n' || (c == '-' && r[1] == 'i'))
        {
          const char *word = c == '-' ? r + 1 : r;
          gsize len = g_str_has_prefix (word, "inf") || g_str_has_prefix (word, "nan") ? 3 : 0;

          /* bare words outside strings are only true, false and null otherwise */
          if (len > 0)
            {
              r = word + len;
              if (r[0] == '.' && r[1] == '0')
                r += 2;
              memcpy (w, "null", 4);
              w += 4;
              continue;
            }
        }
      *w++ = *r++;
    }
  *w = '\0';
}

/**
 * sigma_json_to_string:
 * @node: a #JsonNode
 * @pretty: whether to indent the text
 *
 * json_to_string() that always gives valid JSON. json-glib 1.6 writes a double without a
 * decimal point followed by ".0", so a large or tiny round number such as 1e+20 comes out as
 * `1e+20.0`, and writes infinities and NaN as bare words; here the first is written `1e+20`
 * and the others `null`. Every JSON text Sigma writes goes through this function.
 *
 * Returns: (transfer full): the JSON text
 */
char *
sigma_json_to_string (JsonNode *node,
                      gboolean  pretty)
{
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  text = json_to_string (node, pretty);
  repair_json_numbers (text);
  return text;
}
