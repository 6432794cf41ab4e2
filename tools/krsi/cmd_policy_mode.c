// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi policy mode: print or switch an installed policy's mode. */
#include <limits.h>
#include <string.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi policy mode NAME [monitor|enforce]\n"
		"\n"
		"Print the mode of the installed policy NAME (its directory under\n" KRSI_POLICY_PIN_ROOT
		"), or switch it. In monitor mode the policy decides,\n"
		"counts and reports, but allows: its denials are counted as would_deny.\n"
		"In enforce mode it denies. A switch is one atomic store to the\n"
		"policy's krsi_ctl map (KRSI_POLICY_MAPS()): its programs apply it from\n"
		"their next decision, with nothing reloaded.\n"
		"\n"
		"Options:\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: 0 on success (the mode is printed, or switched); 1 when\n"
		"the policy is not installed, has no mode, or cannot be read or\n"
		"switched; 2 on a usage error.\n");
}

/* krsi_parse_policy_mode() without its message: a usage error is one line. */
static bool parse_mode(const char *str, enum krsi_policy_mode *mode)
{
	enum krsi_policy_mode m;

	for (m = KRSI_MODE_MONITOR; m <= KRSI_MODE_ENFORCE; m++)
		if (!strcmp(str, krsi_policy_mode_str(m))) {
			*mode = m;
			return true;
		}
	return false;
}

static int run(int argc, char **argv)
{
	enum krsi_policy_mode mode = KRSI_MODE_MONITOR, was;
	struct common_opts o;
	char dir[PATH_MAX];
	const char *name;
	int first, err;

	err = parse_opts(&cmd_policy_mode, "", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands(cmd_policy_mode.name, argc, argv, first, 1, 2,
			     "policy name");
	if (err)
		return err;
	name = argv[first];
	if (first + 1 < argc && !parse_mode(argv[first + 1], &mode))
		return usage_error(
			cmd_policy_mode.name,
			"unknown mode \"%s\": use monitor or enforce",
			argv[first + 1]);
	err = policy_dir(&cmd_policy_mode, name, KRSI_POLICY_CTL_NAME, dir);
	if (err)
		return err;
	err = krsi_get_policy_mode_pinned(dir, NULL, &was);
	if (err) {
		fprintf(stderr,
			"krsi policy mode: cannot read the mode of %s: %s\n",
			name, strerror(-err));
		return 1;
	}
	if (first + 1 == argc) {
		printf("%s\n", krsi_policy_mode_str(was));
		return 0;
	}
	err = krsi_set_policy_mode_pinned(dir, NULL, mode);
	if (err) {
		fprintf(stderr,
			"krsi policy mode: cannot switch %s to %s: %s\n", name,
			krsi_policy_mode_str(mode), strerror(-err));
		return 1;
	}
	printf("policy %s: %s (was %s)\n", name, krsi_policy_mode_str(mode),
	       krsi_policy_mode_str(was));
	return 0;
}

const struct cmd cmd_policy_mode = {
	.name = "policy mode",
	.summary = "print or switch a policy's mode: monitor or enforce",
	.run = run,
	.help = help,
};
