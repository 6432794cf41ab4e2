// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * kmod-guard: load kernel modules and firmware only from the directories
 * given with --allow; never from bytes without a file. See README.md.
 */
#include "agent.h"
#include "kmod-guard.skel.h"

static const struct agent_set sets[] = {
	{ "allow", "allowed", KRSI_SET_PATH, "DIR",
	  "load modules and firmware from files under DIR" },
	{ NULL },
};

static const struct agent_spec spec = {
	.name = "kmod-guard",
	.summary =
		"Load kernel modules and firmware only from allowed directories.",
	.elf_bytes = kmod_guard_bpf__elf_bytes,
	.sets = sets,
};

int main(int argc, char **argv)
{
	return agent_main(&spec, argc, argv);
}
