// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * examples/exec-audit, run as its user would: every execution is reported
 * with who ran what (path, inode, arguments, parent, cgroup); a denied
 * binary runs in monitor mode (reported as would-deny) and fails with
 * EPERM in enforce mode; rules and mode change at run time. Booted without
 * BPF LSM, the loader refuses to start and says why.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "example_test.h"
#include "audit_test.h"

#define DIR "/tmp/krsi-exec"
#define ALLOWED DIR "/allowed"
#define DENIED DIR "/denied"

/* Copies of true(1): busybox's in the VM, which picks its applet by
 * argv[0], so ARGV[0] is "true". */
static char *const argv_[] = { "true", "--krsi-test", "two words", NULL };

static void make_binaries(void)
{
	mkdir(DIR, 0755);
	example_copy("/bin/true", ALLOWED, NULL);
	example_copy("/bin/true", DENIED, NULL);
}

/* Run PATH; check its result and that its event reports it thus. */
static void run(struct example *ex, const char *path, int result,
		const char *verdict, const char *mode, struct json *j)
{
	pid_t pid;

	assert_int_equal(example_exec(path, argv_, &pid), result);
	example_event(ex, j, "exec", pid);
	expect_decision(j, verdict, mode, strcmp(verdict, "deny") ? 0 : EPERM);
	expect_str(j, "data.path", path);
}

static void test_reports_and_denies_executions(void **state)
{
	const char *args[] = { "--deny", DENIED, NULL };
	struct example *ex = *state;
	struct stat st;
	struct json j;

	make_binaries();
	example_start(ex, "exec-audit", "", args); /* monitor by default */

	/* Who ran what: every field an auditor reads. */
	run(ex, ALLOWED, 0, "allow", "monitor", &j);
	expect_str(&j, "hook", "bprm_check_security");
	expect_num(&j, "policy", 1);
	expect_num(&j, "uid", getuid());
	expect_num(&j, "euid", geteuid());
	expect_num(&j, "cgroup", ktest_my_cgroup_id());
	expect_str(&j, "comm", example_comm()); /* before the execution */
	assert_int_equal(stat(ALLOWED, &st), 0);
	expect_num(&j, "data.file.dev", st.st_dev);
	expect_num(&j, "data.file.ino", st.st_ino);
	expect_num(&j, "data.ppid", getpid());
	expect_str(&j, "data.parent", example_comm());
	expect_num(&j, "data.argc", 3);
	/* Without bpf_task_pt_regs() (5.10), no arguments (its README). */
	expect_str(&j, "data.args",
		   krsi_features__has(ktest_features(),
				      KRSI_FEATURE_TASK_PT_REGS) == KRSI_NO
			   ? ""
			   : "true --krsi-test two words");
	expect_num(&j, "data.rule", 0);

	/* Monitor mode: the denied binary runs, reported as would-deny. */
	run(ex, DENIED, 0, "deny", "monitor", &j);
	expect_num(&j, "data.rule", 1);

	/* Enforce, switched at run time. */
	assert_true(example_reload(ex, "mode enforce\n"));
	run(ex, DENIED, -EPERM, "deny", "enforce", &j);
	run(ex, ALLOWED, 0, "allow", "enforce", &j);

	/* A rule added at run time, numbered after the command line's. */
	assert_true(example_reload(ex, "mode enforce\ndeny " ALLOWED "\n"));
	run(ex, ALLOWED, -EPERM, "deny", "enforce", &j);
	expect_num(&j, "data.rule", 2);

	/* A file that does not apply leaves the policy as it was. */
	assert_false(example_reload(ex, "deny " DIR "/missing\n"));
	run(ex, ALLOWED, -EPERM, "deny", "enforce", &j);

	/* Stopped, it denies nothing. */
	example_stop(ex);
	assert_int_equal(example_exec(DENIED, argv_, &(pid_t){ 0 }), 0);
}

/* A bad command line is refused with a message and status 2. */
static void test_bad_command_line(void **state)
{
	const char *args[] = { "--mode", "strict", NULL };
	struct example *ex = *state;
	int status;

	example_spawn(ex, "exec-audit", "", args);
	status = example_wait_exit(ex);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	if (!strstr(ex->msgs, "--mode strict: monitor or enforce"))
		fail_msg("no message for --mode strict:\n%s", ex->msgs);
}

/* --lsm-off: the programs would never run; the loader says so, exits 1. */
static void test_refuses_without_bpf_lsm(void **state)
{
	const char *args[] = { "--mode", "enforce", NULL };
	struct example *ex = *state;

	if (ktest_bpf_lsm_active())
		fail_msg(
			"--lsm-off given but \"bpf\" is in /sys/kernel/security/lsm");
	example_start_fails(
		ex, "exec-audit", args,
		"exec-audit: attaching the BPF programs: No such device");
	if (!strstr(ex->msgs, "BPF LSM is not enforcing on this kernel"))
		fail_msg("libkrsi did not say why:\n%s", ex->msgs);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		cmocka_unit_test_setup_teardown(
			test_reports_and_denies_executions, example_setup,
			example_teardown),
		cmocka_unit_test_setup_teardown(
			test_bad_command_line, example_setup, example_teardown),
	};
	const struct CMUnitTest lsm_off[] = {
		cmocka_unit_test_setup_teardown(test_refuses_without_bpf_lsm,
						example_setup,
						example_teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name(
			"example exec-audit (lsm-off)", lsm_off, NULL, NULL);
	return cmocka_run_group_tests_name("example exec-audit", lsm_on, NULL,
					   ktest_wait_programs_freed);
}
