/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* The event of progs/verdict_shapes.bpf.c. */
#ifndef VERDICT_SHAPES_H
#define VERDICT_SHAPES_H

/* __u32-style types: vmlinux.h in BPF programs, <linux/types.h> in C. */
#ifndef __bpf__
#include <linux/types.h>
#endif

struct shape_event {
	__s32 verdict; /* what the program returned */
	__u32 pad;
};
_Static_assert(sizeof(struct shape_event) == 8, "wire format");

#endif /* VERDICT_SHAPES_H */
