// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The first version of the adoption tests' policy (adopt.bpf.h). */
#define ADOPT_ENUM ADOPT_ALLOW = 0, ADOPT_DENY = 1
#define ADOPT_ERRNO EPERM
#include "adopt.bpf.h"
