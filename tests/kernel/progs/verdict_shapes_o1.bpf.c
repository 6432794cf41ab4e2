// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * verdict_shapes.bpf.c, built at -O1 (see the Makefile), without the
 * programs that report events (see there why).
 */
#define SHAPES_NO_EVENTS
#include "verdict_shapes.bpf.c"
