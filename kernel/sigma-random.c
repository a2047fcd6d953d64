/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-random.h"

/*
 * Python's `random.Random` on GLib's GRand. `g_rand_new_with_seed_array (&seed32, 1)` runs the
 * same MT19937 as `random.Random(seed32)`, so these functions draw exactly what CPython's
 * `getrandbits`, `_randbelow`, `randint`, `random` and `choice` draw, and an app seeded like an
 * ARE app generates the same ids.
 */

/**
 * sigma_random_bits:
 * @rand: a #GRand
 * @k: how many bits, 1 to 32
 *
 * Python's `getrandbits(k)` for k ≤ 32.
 *
 * Returns: a number below 2^k
 */
guint32
sigma_random_bits (GRand *rand,
                   guint  k)
{
  g_return_val_if_fail (rand != NULL, 0);
  g_return_val_if_fail (k >= 1 && k <= 32, 0);

  return g_rand_int (rand) >> (32 - k);
}

static guint
bit_length (guint64 n)
{
  guint k = 0;

  while (n != 0)
    {
      k++;
      n >>= 1;
    }
  return k;
}

/**
 * sigma_random_below:
 * @rand: a #GRand
 * @n: the bound, > 0
 *
 * Python's `_randbelow(n)` (rejection sampling on `getrandbits(n.bit_length())`).
 *
 * Returns: a uniform number in [0, n)
 */
guint64
sigma_random_below (GRand   *rand,
                    guint64  n)
{
  guint k;
  guint64 r;

  g_return_val_if_fail (rand != NULL, 0);
  g_return_val_if_fail (n > 0, 0);

  k = bit_length (n);
  do
    {
      if (k <= 32)
        r = sigma_random_bits (rand, k);
      else
        {
          /* getrandbits for k > 32 fills 32-bit words from the least significant end */
          guint64 low = g_rand_int (rand);
          guint64 high = g_rand_int (rand) >> (64 - k);
          r = (high << 32) | low;
        }
    }
  while (r >= n);
  return r;
}

/**
 * sigma_random_int:
 * @rand: a #GRand
 * @a: the lowest value
 * @b: the highest value, ≥ @a
 *
 * Python's `randint(a, b)`.
 *
 * Returns: a uniform number in [a, b]
 */
gint64
sigma_random_int (GRand  *rand,
                  gint64  a,
                  gint64  b)
{
  g_return_val_if_fail (rand != NULL, a);
  g_return_val_if_fail (b >= a, a);

  return a + (gint64) sigma_random_below (rand, (guint64) (b - a) + 1);
}

/**
 * sigma_random_double:
 * @rand: a #GRand
 *
 * Python's `random()`: 53 random bits from two draws.
 *
 * Returns: a uniform number in [0, 1)
 */
gdouble
sigma_random_double (GRand *rand)
{
  guint32 a, b;

  g_return_val_if_fail (rand != NULL, 0.0);

  a = g_rand_int (rand) >> 5;
  b = g_rand_int (rand) >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

/**
 * sigma_random_uuid_hex:
 * @rand: a #GRand
 *
 * ARE's `uuid_hex(rng)`: 32 characters, each `rng.choice("0123456789abcdef")`.
 *
 * Returns: (transfer full): the id
 */
char *
sigma_random_uuid_hex (GRand *rand)
{
  static const char hex[] = "0123456789abcdef";
  char *id;

  g_return_val_if_fail (rand != NULL, NULL);

  id = g_new (char, 33);
  for (guint i = 0; i < 32; i++)
    id[i] = hex[sigma_random_below (rand, 16)];
  id[32] = '\0';
  return id;
}
