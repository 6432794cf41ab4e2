/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* agent-shield: the key of its map of shielded BPF objects, shared by the
 * BPF program and its loader. */
#ifndef AGENT_SHIELD_H
#define AGENT_SHIELD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum shield_kind {
	SHIELD_MAP = 1,
	SHIELD_PROG = 2,
	SHIELD_LINK = 3,
};

/* A BPF object of the agent: its kind and its id. */
struct shield_key {
	__u32 kind; /* enum shield_kind */
	__u32 id;
};

#endif /* AGENT_SHIELD_H */
