// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * file-guard: protect paths, and everything under them, from being
 * written, created, unlinked, renamed or truncated. See README.md.
 */
#include "agent.h"
#include "file-guard.skel.h"

static const struct agent_set sets[] = {
	{ "protect", "protected", KRSI_SET_PATH, "PATH",
	  "protect PATH and everything under it" },
	{ NULL },
};

static const struct agent_spec spec = {
	.name = "file-guard",
	.summary = "Protect paths, and all under them, from changes.",
	.elf_bytes = file_guard_bpf__elf_bytes,
	.sets = sets,
};

int main(int argc, char **argv)
{
	return agent_main(&spec, argc, argv);
}
