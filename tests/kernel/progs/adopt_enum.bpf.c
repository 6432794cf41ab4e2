// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* adopt_v1 with the same code, its map's enum renumbered: a rule stored
 * by one version means something else to the other. */
#define ADOPT_ENUM ADOPT_ALLOW = 0, ADOPT_DENY = 2
#define ADOPT_ERRNO EPERM
#include "adopt.bpf.h"
