// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * ima-exec: run only the programs whose SHA-256, as IMA computes it, is
 * given with --allow; report the others with their hash. See README.md.
 */
#include "agent.h"
#include "ima-exec.skel.h"

static const struct agent_set sets[] = {
	{ "allow", "allowed", KRSI_SET_HASH, "SHA256",
	  "let programs whose content has this SHA-256 (hex) run" },
	{ NULL },
};

static const struct agent_spec spec = {
	.name = "ima-exec",
	.summary =
		"Run only programs on an allow-list of SHA-256 hashes (IMA).",
	.elf_bytes = ima_exec_bpf__elf_bytes,
	.sets = sets,
};

int main(int argc, char **argv)
{
	return agent_main(&spec, argc, argv);
}
