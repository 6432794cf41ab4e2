// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* adopt_v1 with other code (it denies with EACCES), the same maps. */
#define ADOPT_ENUM ADOPT_ALLOW = 0, ADOPT_DENY = 1
#define ADOPT_ERRNO EACCES
#include "adopt.bpf.h"
