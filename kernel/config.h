/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Common prologue of every library source file. */
#pragma once

#ifndef SIGMA_COMPILATION
# define SIGMA_COMPILATION
#endif

#include <glib.h>
