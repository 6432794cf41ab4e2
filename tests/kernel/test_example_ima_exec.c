// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * examples/ima-exec, run as its user would: of two copies of true(1) that
 * differ by one byte, the one whose SHA-256 is allowed runs; the other
 * fails with EACCES in enforce mode, runs in monitor mode, and is reported
 * with the hash sha256sum(1) computes; allowing its hash at run time lets
 * it run. On a kernel without sleepable LSM programs, ima-exec refuses to
 * start, naming the feature.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "example_test.h"

#define DIR "/tmp/krsi-ima"
#define ALLOWED DIR "/allowed"
#define OTHER DIR "/other"

static char *const argv_[] = { "true", NULL }; /* busybox: the applet */

/* PATH's SHA-256 in hex, by sha256sum(1), into HEX (65 bytes). */
static void sha256(const char *path, char *hex)
{
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fscanf(p, "%64s", hex) != 1)
		fail_msg("sha256sum %s printed no hash", path);
	assert_int_equal(pclose(p), 0);
}

/* Run PATH, expecting RESULT; unless MODE is NULL, a denial event too. */
static void run(struct example *ex, const char *path, int result,
		const char *mode, const char *hex)
{
	struct json j;
	pid_t pid;

	assert_int_equal(example_exec(path, argv_, &pid), result);
	if (!mode)
		return;
	example_event(ex, &j, "ima_exec", pid);
	expect_str(&j, "hook", "bprm_check_security");
	expect_decision(&j, "deny", mode, EACCES);
	expect_num(&j, "data.algo", 4); /* HASH_ALGO_SHA256 */
	expect_str(&j, "data.sha256", hex);
	expect_str(&j, "data.path", path);
}

/*
 * Where the kernel has no sleepable LSM programs (5.10), ima-exec cannot
 * run, and says so before attaching anything, naming the feature and the
 * first release that has it (its README).
 */
static bool refused_without_sleepable(struct example *ex,
				      const char *const *args)
{
	enum krsi_feature f = KRSI_FEATURE_LSM_SLEEPABLE;
	char text[128];

	if (krsi_features__has(ktest_features(), f) != KRSI_NO)
		return false;
	snprintf(text, sizeof(text),
		 "this kernel has no %s (feature %s, first in Linux %s",
		 krsi_feature__title(f), krsi_feature__name(f),
		 krsi_feature__since(f));
	example_start_fails(ex, "ima-exec", args, text);
	print_message("ima-exec refused this kernel, as it should: %s\n", text);
	return true;
}

static void test_runs_only_allowed_hashes(void **state)
{
	char allowed[65], other[65], config[128];
	const char *args[] = { "--mode", "enforce", "--allow", allowed, NULL };
	struct example *ex = *state;

	if (refused_without_sleepable(ex, args))
		return;
	mkdir(DIR, 0755);
	example_copy("/bin/true", ALLOWED, NULL);
	example_copy("/bin/true", OTHER, "\n"); /* one byte more */
	sha256(ALLOWED, allowed);
	sha256(OTHER, other);
	/* From here on, only ALLOWED may run: nothing else is executed. */
	example_start(ex, "ima-exec", "", args);

	run(ex, ALLOWED, 0, NULL, NULL);
	run(ex, OTHER, -EACCES, "enforce", other);

	/* Monitor mode, at run time: it runs, reported with its hash. */
	assert_true(example_reload(ex, "mode monitor\n"));
	run(ex, OTHER, 0, "monitor", other);

	/* Its hash allowed at run time. */
	snprintf(config, sizeof(config), "mode enforce\nallow %s\n", other);
	assert_true(example_reload(ex, config));
	run(ex, OTHER, 0, NULL, NULL);
	run(ex, ALLOWED, 0, NULL, NULL);

	example_stop(ex);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_runs_only_allowed_hashes,
						example_setup,
						example_teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* exec-audit's test covers the refusal */
	return cmocka_run_group_tests_name("example ima-exec", tests, NULL,
					   ktest_wait_programs_freed);
}
