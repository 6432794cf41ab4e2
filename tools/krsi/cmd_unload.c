// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi unload: remove an installed policy. */
#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi unload NAME\n"
		"\n"
		"Remove the policy NAME: unpin its links, maps and metadata from\n" KRSI_POLICY_PIN_ROOT
		"/NAME (and the remains of an interrupted install), so\n"
		"its programs are detached once no process holds them any more.\n"
		"\n"
		"Options:\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: 0 when the policy was removed and its programs are\n"
		"detached; 1 when it is not installed, cannot be removed, or is unpinned\n"
		"but a process still holds a program attached (named on standard error),\n"
		"or whether they are detached cannot be told (without CAP_SYS_ADMIN);\n"
		"2 on a usage error.\n");
}

static int run(int argc, char **argv)
{
	struct common_opts o;
	int first, err;

	err = parse_opts(&cmd_unload, "", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands("unload", argc, argv, first, 1, 1, "policy name");
	if (err)
		return err;
	if (krsi_remove_policy(argv[first], NULL))
		return 1;
	printf("policy %s removed\n", argv[first]);
	return 0;
}

const struct cmd cmd_unload = {
	.name = "unload",
	.summary = "remove an installed policy",
	.run = run,
	.help = help,
};
