// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * wx-guard: deny memory that is writable and executable at once, except to
 * the programs given with --allow, for every task or with --cgroup for the
 * tasks of one cgroup. See README.md.
 */
#include "agent.h"
#include "wx-guard.skel.h"

static const struct agent_set sets[] = {
	{ "allow", "allowed", KRSI_SET_FILE, "PROGRAM",
	  "let PROGRAM map memory W+X (some JITs need it)" },
	{ NULL },
};

static const struct agent_spec spec = {
	.name = "wx-guard",
	.summary = "Deny memory that is writable and executable at once (W^X).",
	.elf_bytes = wx_guard_bpf__elf_bytes,
	.sets = sets,
	.per_cgroup = true,
};

int main(int argc, char **argv)
{
	return agent_main(&spec, argc, argv);
}
