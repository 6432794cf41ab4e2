// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi: know the kernel's BPF LSM. Dispatches to one command per file. */
#include <stdarg.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "krsi.h"

/* Each command is one file; a new command is one line here. */
static const struct cmd *const commands[] = {
	&cmd_probe,	   &cmd_hooks, &cmd_hook,   &cmd_btf,
	&cmd_ls,	   &cmd_load,  &cmd_unload, &cmd_policy_mode,
	&cmd_policy_stats, &cmd_audit,
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void help(FILE *out)
{
	unsigned int i;

	fprintf(out,
		"Usage: krsi [-v] COMMAND [OPTION]... [ARG]...\n"
		"\n"
		"Know the kernel's BPF LSM (KRSI): whether it enforces, which hooks it\n"
		"offers, the kernel types programs see, and what is attached; load\n"
		"and unload policies, switch their mode, read their counters and\n"
		"stream their audit events.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-13s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -v, --verbose  also print libbpf's messages and libkrsi's debug ones\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show libkrsi's version\n"
		"\n"
		"Run krsi COMMAND --help for a command's options. Exit status: 0 on\n"
		"success, 1 on failure, 2 on a usage error.\n");
}

static int print_all(enum krsi_print_level level, const char *fmt, va_list args)
{
	(void)level;
	return vfprintf(stderr, fmt, args);
}

static int libbpf_print_all(enum libbpf_print_level level, const char *fmt,
			    va_list args)
{
	(void)level;
	return vfprintf(stderr, fmt, args);
}

/* krsi GROUP --help: the subcommands of GROUP ("policy"). */
static void group_help(const char *group)
{
	size_t len = strlen(group);
	unsigned int i;

	printf("Usage: krsi %.*s SUBCOMMAND [OPTION]... [ARG]...\n\nSubcommands:\n",
	       (int)len, group);
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strncmp(commands[i]->name, group, len) &&
		    commands[i]->name[len] == ' ')
			printf("  %-13s %s\n", commands[i]->name + len + 1,
			       commands[i]->summary);
	printf("\nRun krsi %.*s SUBCOMMAND --help for a subcommand's options.\n",
	       (int)len, group);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/*
 * The command ARGV names, in one word or two ("policy mode"), and in *WORDS
 * how many; NULL when there is none, after a message (status *STATUS 2)
 * or the group's help (status 0).
 */
static const struct cmd *find_command(int argc, char **argv, int *words,
				      int *status)
{
	const char *name;
	bool group = false;
	unsigned int i;
	size_t len;

	for (i = 0; i < NR_COMMANDS; i++) {
		name = commands[i]->name;
		len = strcspn(name, " ");
		if (strncmp(argv[0], name, len) || argv[0][len])
			continue;
		*words = name[len] ? 2 : 1;
		if (*words == 1 ||
		    (argc > 1 && !strcmp(argv[1], name + len + 1)))
			return commands[i];
		group = true;
	}
	*status = EXIT_USAGE;
	if (!group) {
		say_usage("krsi: unknown command \"%s\" (see krsi --help)",
			  argv[0]);
	} else if (argc < 2) {
		say_usage("krsi %s: no subcommand given (see krsi %s --help)",
			  argv[0], argv[0]);
	} else if (is_help(argv[1])) {
		group_help(argv[0]);
		*status = 0;
	} else {
		say_usage(
			"krsi %s: unknown subcommand \"%s\" (see krsi %s --help)",
			argv[0], argv[1], argv[0]);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;
	int arg = 1, words, status;

	/* libbpf's own messages repeat what krsi reports; -v shows them. */
	libbpf_set_print(NULL);
	if (arg < argc &&
	    (!strcmp(argv[arg], "-v") || !strcmp(argv[arg], "--verbose"))) {
		libbpf_set_print(libbpf_print_all);
		krsi_set_print(print_all);
		arg++;
	}
	if (arg >= argc) {
		say_usage("krsi: no command given (see krsi --help)");
		return EXIT_USAGE;
	}
	if (is_help(argv[arg])) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[arg], "-V") || !strcmp(argv[arg], "--version")) {
		printf("krsi (libkrsi) %s\n", krsi_version_string());
		return 0;
	}
	cmd = find_command(argc - arg, argv + arg, &words, &status);
	if (!cmd)
		return status;
	arg += words - 1;
	return cmd->run(argc - arg, argv + arg);
}
