/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The krsi command-line tool: one file per command, each a struct cmd
 * listed in main.c's table. A command gets argv from its own name on and
 * returns the exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef KRSI_TOOL_H
#define KRSI_TOOL_H

#include <stdbool.h>
#include <stdio.h>
#include <krsi/krsi.h>

#define EXIT_USAGE 2

struct cmd {
	/* One word, or two for a subcommand ("policy mode"); run() gets argv
	 * from the last word on. */
	const char *name;
	const char *summary; /* one line, for krsi --help */
	int (*run)(int argc, char **argv);
	void (*help)(FILE *out);
};

extern const struct cmd cmd_probe, cmd_hooks, cmd_hook, cmd_btf, cmd_ls,
	cmd_load, cmd_unload, cmd_policy_mode, cmd_policy_stats, cmd_audit;

/* Print "krsi CMD: MESSAGE (see krsi CMD --help)" and return EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) int usage_error(const char *cmd,
						      const char *fmt, ...);

/* Check the operands ARGV[FIRST..ARGC) of CMD: at least MIN (when there
 * are none, MISSING names the first, as in "no MISSING given"), at most
 * MAX. 0, or EXIT_USAGE after a one-line message. */
int check_operands(const char *cmd, int argc, char **argv, int first, int min,
		   int max, const char *missing);

/*
 * Parse the options common to commands, as getopt_long() would, leaving
 * operands in ARGV[*FIRST..ARGC). HAS names the options the command takes
 * (a string of the short option letters below); returns 0, 1 after
 * --help was printed, or EXIT_USAGE after a one-line message.
 */
struct common_opts {
	bool json; /* j: --json */
	bool trial; /* t: --trial */
	bool passive; /* p: --passive */
	bool skeleton; /* s: --skeleton */
	const char *btf; /* b: --btf FILE */
	const char *release; /* r: --kernel-release REL */
	const char *policy; /* P: --policy NAME */
	const char *cgroup; /* c: --cgroup PATH */
	bool replace; /* R: --replace */
	const char *format; /* f: --format FMT */
	bool follow; /* F: --follow */
};
int parse_opts(const struct cmd *cmd, const char *has, int argc, char **argv,
	       struct common_opts *o, int *first);

/*
 * The directory of the installed policy NAME (under KRSI_POLICY_PIN_ROOT)
 * into DIR, of PATH_MAX bytes; with PIN, check that the policy has that
 * map pinned. Returns 0; EXIT_USAGE after a message for a name no policy
 * can have; 1 after a message when the policy or the pin is missing.
 */
int policy_dir(const struct cmd *cmd, const char *name, const char *pin,
	       char *dir);

/* The catalog the options ask for; NULL after a message (libkrsi's). */
struct krsi_hooks *load_catalog(const struct common_opts *o);
/* A flag as text: "yes", "no" or "?". */
const char *tristate_str(enum krsi_tristate v);
/* Where flags came from: "trial load", "knowledge", or NULL. */
const char *flag_source_str(enum krsi_flag_source src);

/* JSON output. */
void json_string(FILE *out, const char *s); /* NULL prints null */
void json_tristate(FILE *out, enum krsi_tristate v);
/* A hook as the object krsi hooks --json prints. */
void json_hook(FILE *out, const struct krsi_hook *h);

#endif /* KRSI_TOOL_H */
