// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * exec-audit: report every program execution (who, which binary, its
 * arguments, its parent, its cgroup), and deny the binaries given with
 * --deny. See README.md.
 */
#include "agent.h"
#include "exec-audit.skel.h"

static const struct agent_set sets[] = {
	{ "deny", "denied", KRSI_SET_FILE, "PROGRAM",
	  "deny executing PROGRAM (the file, by device and inode)" },
	{ NULL },
};

static const struct agent_spec spec = {
	.name = "exec-audit",
	.summary = "Report every program execution; deny those on a deny list.",
	.elf_bytes = exec_audit_bpf__elf_bytes,
	.sets = sets,
};

int main(int argc, char **argv)
{
	return agent_main(&spec, argc, argv);
}
