/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What every example's loader shares: one small security agent built on
 * libkrsi. An example describes its BPF object and its policy sets:
 *
 *	static const struct agent_set sets[] = {
 *		{ "protect", "protected", KRSI_SET_PATH, "PATH",
 *		  "protect PATH and everything under it" },
 *		{ NULL },
 *	};
 *	static const struct agent_spec spec = {
 *		.name = "file-guard",
 *		.summary = "...",
 *		.elf_bytes = file_guard_bpf__elf_bytes,	// from its skeleton
 *		.sets = sets,
 *	};
 *
 *	int main(int argc, char **argv)
 *	{
 *		return agent_main(&spec, argc, argv);
 *	}
 *
 * An example with steps of its own calls the parts: agent_new(),
 * agent_start() with the object it opened, agent_run(), agent_free().
 *
 * The command line, the same for every example:
 *
 *	--mode monitor|enforce	deny, or only report what would be denied
 *				(default: monitor)
 *	--format json|text	the audit stream on standard output
 *	--pin NAME		install as the policy NAME (<krsi/policy_pin.h>),
 *				replacing one of that name; it stays installed
 *				and enforcing after the agent exits
 *	--config FILE		more rules, one "OPTION VALUE" per line (and
 *				"mode monitor|enforce"), read again on SIGHUP
 *	--cgroup DIR		(examples with lsm_cgroup/ programs) judge only
 *				the tasks of cgroup DIR
 *	--OPTION VALUE		a rule of one of the example's sets
 *
 * Rules fill the sets in one generation (<krsi/policy.h>): a SIGHUP builds
 * the next one from the command line and the re-read file and publishes it
 * whole, and applies the file's mode, while the programs stay attached.
 * Each rule's number (from 1, command line first) is its krsi_rule id, so
 * an event can say which rule matched.
 *
 * Messages go to standard error, prefixed with the example's name: a line
 * "NAME: running: ..." once attached, "NAME: reloaded ..." after each
 * SIGHUP, "NAME: stopped: ..." at the end; every failure says what failed
 * and why (libkrsi adds its own reasons) and makes the agent exit with 1
 * (2 for a bad command line). SIGINT and SIGTERM stop it cleanly.
 */
#ifndef EXAMPLES_AGENT_H
#define EXAMPLES_AGENT_H

#include <stdbool.h>
#include <krsi/krsi.h>

/* A policy set of the example, filled from one of its options. */
struct agent_set {
	/* --OPTION VALUE on the command line, "OPTION VALUE" in --config. */
	const char *option;
	/* The set's map in the BPF object. */
	const char *map;
	/*
	 * What VALUE is: KRSI_SET_PATH a path (made canonical with realpath()
	 * when it exists; it covers everything under it), KRSI_SET_FILE a
	 * file (by device and inode), KRSI_SET_HASH a SHA-256 in hex,
	 * KRSI_SET_CGROUP a cgroup v2 directory, KRSI_SET_ID a number,
	 * KRSI_SET_IPV4 and KRSI_SET_IPV6 a network. Two sets may share an
	 * option: a network then goes to the set of its family.
	 */
	enum krsi_set_type type;
	/* VALUE's name and what the option does, for --help. */
	const char *arg;
	const char *help;
};

/* An example, as the agent presents it. */
struct agent_spec {
	/* The program's name, such as "file-guard". */
	const char *name;
	/* What it does, one line, for --help. */
	const char *summary;
	/* Its BPF object file's bytes: the skeleton's NAME_bpf__elf_bytes. */
	const void *(*elf_bytes)(size_t *size);
	/* Its sets, ending with an entry whose option is NULL. */
	const struct agent_set *sets;
	/*
	 * It has lsm_cgroup/ programs: --cgroup DIR attaches those to DIR in
	 * place of its lsm/ programs on the same hooks; without --cgroup they
	 * are not loaded.
	 */
	bool per_cgroup;
};

struct agent;

/*
 * The whole agent: parse the command line, open the object of
 * spec->elf_bytes, start, run until stopped, free. Returns the exit status.
 */
int agent_main(const struct agent_spec *spec, int argc, char **argv);

/*
 * Parse the command line. Exits with 2 and a message on a bad one, with 0
 * after --help. Blocks SIGINT, SIGTERM and SIGHUP, which agent_run()
 * handles, so that none is lost before it runs. Returns NULL only when
 * out of memory.
 */
struct agent *agent_new(const struct agent_spec *spec, int argc, char **argv);

/*
 * Load the opened (not yet loaded) object OBJ, fill its sets from the rules,
 * set its mode, attach it (or install it with --pin), and open its audit
 * stream, the ring buffer "events" (<krsi/event.bpf.h>). The object needs
 * KRSI_POLICY_MAPS() and a map for each set. The agent owns OBJ from now
 * on, even when this fails. Returns 0 or a negative errno, having said what
 * failed.
 */
int agent_start(struct agent *ag, struct krsi_object *obj);

/*
 * Print the audit stream until SIGINT or SIGTERM; on SIGHUP, re-read the
 * --config file and publish its rules (a file that fails to apply leaves
 * the policy as it was, and says why). Returns 0 once stopped, or a
 * negative errno.
 */
int agent_run(struct agent *ag);

/*
 * Detach the programs (an installed policy stays) and free everything,
 * the object too.
 */
void agent_free(struct agent *ag);

/* Say "NAME: WHAT: <strerror(-ERR)>" on standard error; returns ERR. */
int agent_fail(const struct agent *ag, const char *what, int err);

#endif /* EXAMPLES_AGENT_H */
