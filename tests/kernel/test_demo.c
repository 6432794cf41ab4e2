// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * make demo's scenario (scripts/demo-scenario.sh), as make demo runs it, on
 * every kernel line: three example agents start, ordinary commands run and
 * are reported, two changes to a protected file and two requests for W+X
 * memory are denied. The scenario's last line says what each agent saw.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "../tools/run_cmd.h"

/* The directory of this binary, where krsi-vmtest put the scenario. */
static const char *self_dir(void)
{
	static char dir[4096];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);

	if (n < 0)
		fail_msg("readlink /proc/self/exe: %s", strerror(errno));
	dir[n] = '\0';
	*strrchr(dir, '/') = '\0';
	return dir;
}

static void test_demo_scenario(void **state)
{
	struct run_bg bg = { .out = "/tmp/demo-out.XXXXXX",
			     .err = "/tmp/demo-err.XXXXXX" };
	int execs = -1, files = -1, wx = -1;
	char cmd[8192];
	const char *done;
	struct run r;

	(void)state;
	close(mkstemp(bg.out));
	close(mkstemp(bg.err));
	snprintf(
		cmd, sizeof(cmd),
		"PATH=%s:$PATH exec sh %s/demo-scenario.sh </dev/null >%s 2>%s",
		self_dir(), self_dir(), bg.out, bg.err);
	bg.pid = fork();
	assert_true(bg.pid >= 0);
	if (bg.pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	r = run_wait(&bg, 0);
	done = strstr(r.out, "== Done: ");
	if (done)
		sscanf(done,
		       "== Done: %d executions reported, %d file changes and %d W+X requests denied",
		       &execs, &files, &wx);
	if (r.status || execs != 3 || files != 2 || wx != 2)
		fail_msg(
			"the demo's scenario: status %d, %d executions reported, %d file changes and %d W+X requests denied (expected 0, 3, 2, 2):\n%s\n%s",
			r.status, execs, files, wx, r.out, r.err);
	print_message("%.*s\n", (int)strcspn(done, "\033"), done);
	run_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_scenario),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* the agents' own tests cover the refusal */
	return cmocka_run_group_tests_name("demo", tests, NULL,
					   ktest_wait_programs_freed);
}
