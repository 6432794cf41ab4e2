// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi policy stats: an installed policy's decision counters. */
#include <limits.h>
#include <string.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi policy stats NAME [--json]\n"
		"\n"
		"Print the decision counters of the installed policy NAME (its\n"
		"directory under " KRSI_POLICY_PIN_ROOT
		"), summed over CPUs, from its krsi_stats\n"
		"map (KRSI_POLICY_MAPS()): decisions taken, and of them allowed,\n"
		"denied (enforce mode) and would_deny (denials monitor mode let\n"
		"through). decisions = allowed + denied + would_deny, but for decisions\n"
		"being taken while the counters are read.\n"
		"\n"
		"Options:\n"
		"  --json      print {\"policy\": NAME, \"decisions\": N, \"allowed\": N,\n"
		"              \"denied\": N, \"would_deny\": N}\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: 0 on success; 1 when the policy is not installed, has no\n"
		"counters, or they cannot be read; 2 on a usage error.\n");
}

static int run(int argc, char **argv)
{
	struct krsi_policy_stats s;
	struct common_opts o;
	char dir[PATH_MAX];
	int first, err;

	err = parse_opts(&cmd_policy_stats, "j", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands(cmd_policy_stats.name, argc, argv, first, 1, 1,
			     "policy name");
	if (err)
		return err;
	err = policy_dir(&cmd_policy_stats, argv[first], KRSI_POLICY_STATS_NAME,
			 dir);
	if (err)
		return err;
	err = krsi_read_policy_stats_pinned(dir, NULL, &s, sizeof(s));
	if (err) {
		fprintf(stderr,
			"krsi policy stats: cannot read the counters of %s: %s\n",
			argv[first], strerror(-err));
		return 1;
	}
	if (o.json) {
		printf("{\"policy\": ");
		json_string(stdout, argv[first]);
		printf(", \"decisions\": %llu, \"allowed\": %llu, \"denied\": %llu, \"would_deny\": %llu}\n",
		       (unsigned long long)s.decisions,
		       (unsigned long long)s.allowed,
		       (unsigned long long)s.denied,
		       (unsigned long long)s.would_deny);
	} else {
		printf("decisions   %llu\nallowed     %llu\ndenied      %llu\nwould_deny  %llu\n",
		       (unsigned long long)s.decisions,
		       (unsigned long long)s.allowed,
		       (unsigned long long)s.denied,
		       (unsigned long long)s.would_deny);
	}
	return 0;
}

const struct cmd cmd_policy_stats = {
	.name = "policy stats",
	.summary = "a policy's decision counters",
	.run = run,
	.help = help,
};
