// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * net-guard: deny connect() to the networks given with --block, for every
 * task, or with --cgroup for the tasks of one cgroup. See README.md.
 */
#include "agent.h"
#include "net-guard.skel.h"

/* One option, two sets: each network goes to the set of its family. */
static const struct agent_set sets[] = {
	{ "block", "blocked4", KRSI_SET_IPV4, "CIDR",
	  "deny connecting to the network CIDR (192.0.2.0/24, 2001:db8::/32)" },
	{ .option = "block", .map = "blocked6", .type = KRSI_SET_IPV6 },
	{ NULL },
};

static const struct agent_spec spec = {
	.name = "net-guard",
	.summary = "Deny connect() to blocked IPv4 and IPv6 networks.",
	.elf_bytes = net_guard_bpf__elf_bytes,
	.sets = sets,
	.per_cgroup = true,
};

int main(int argc, char **argv)
{
	return agent_main(&spec, argc, argv);
}
