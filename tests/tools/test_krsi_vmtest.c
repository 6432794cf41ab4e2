// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi-vmtest's own tests, run on the host: exit status and output pass
 * through from the guest, a kernel splat fails a passing command, a hung
 * guest times out, and bad invocations fail at once with exit status 2.
 * The path of krsi-vmtest comes from the KRSI_VMTEST_BIN environment
 * variable (make check sets it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

struct run {
	int status;
	char out[8192];
	char err[8192];
};

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Run krsi-vmtest with ARGS (shell words), capturing its output. */
static void vmtest(struct run *r, const char *args)
{
	char out[] = "/tmp/krsi-vmtest-test.XXXXXX", err[sizeof(out)];
	const char *bin = getenv("KRSI_VMTEST_BIN");
	char cmd[4096];
	int fd, ws;

	assert_non_null(bin);
	memcpy(err, out, sizeof(out));
	fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	fd = mkstemp(err);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s </dev/null >%s 2>%s", bin, args, out,
		 err);
	ws = system(cmd);
	assert_true(WIFEXITED(ws));
	r->status = WEXITSTATUS(ws);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	unlink(out);
	unlink(err);
}

static void test_status_and_output_pass_through_on_every_kernel(void **state)
{
	struct run *r = *state;

	vmtest(r,
	       "--kernel all -- sh -c 'echo out-$(uname -r | cut -d. -f1,2); "
	       "echo err-line >&2; exit 7'");
	assert_int_equal(r->status, 7);
	assert_non_null(strstr(r->out, "out-6.1\n"));
	assert_non_null(strstr(r->out, "out-6.12\n"));
	assert_null(strstr(r->out, "err-line"));
	assert_non_null(strstr(r->err, "err-line"));
	assert_non_null(strstr(r->err, "kernel 6.1 ("));
	assert_non_null(strstr(r->err, "kernel 6.12 ("));
}

static void test_added_files_and_arguments_arrive_intact(void **state)
{
	struct run *r = *state;
	char script[] = "/tmp/krsi-vmtest-args.XXXXXX", args[512];
	FILE *f;
	int fd;

	fd = mkstemp(script);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\n"
	      "grep -qw bpf /sys/kernel/security/lsm && echo bpf-active\n",
	      f);
	fclose(f);
	chmod(script, 0755);
	snprintf(args, sizeof(args),
		 "--kernel 6.12 --add %s -- %s 'two words' \"it's\" '$HOME'",
		 script, strrchr(script, '/') + 1);
	vmtest(r, args);
	unlink(script);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "[two words]\n[it's]\n[$HOME]\n"));
	assert_non_null(strstr(r->out, "bpf-active\n"));
}

static void test_kernel_splat_fails_a_passing_command(void **state)
{
	struct run *r = *state;

	/* SysRq-l prints a backtrace of every CPU ("Call Trace"). */
	vmtest(r, "--kernel 6.1 -- sh -c 'echo 1 >/proc/sys/kernel/sysrq; "
		  "echo l >/proc/sysrq-trigger'");
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "logged a warning or crash"));
}

static void test_cmdline_reaches_the_kernel(void **state)
{
	struct run *r = *state;

	vmtest(r, "--kernel 6.1 --cmdline lsm=landlock,lockdown -- "
		  "cat /sys/kernel/security/lsm");
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "landlock"));
	assert_null(strstr(r->out, "bpf"));
}

static void test_hung_guest_times_out(void **state)
{
	struct run *r = *state;

	vmtest(r, "--kernel 6.1 --timeout 10 -- sleep 600");
	assert_int_equal(r->status, 124);
	assert_non_null(strstr(r->err, "timed out"));
}

static void test_boot_failure_is_retried_then_reported(void **state)
{
	struct run *r = *state;

	/* No init: the kernel panics before the command, on every boot. */
	vmtest(r, "--kernel 6.1 --cmdline rdinit=/nonexistent -- true");
	assert_int_equal(r->status, 124);
	assert_non_null(
		strstr(r->err, "did not boot to the command (console: "));
	assert_non_null(strstr(r->err, "booting again"));
	assert_non_null(strstr(r->err, "did not boot to the command, twice"));
}

static void test_bad_invocations_exit_2_with_one_line(void **state)
{
	static const char *const bad[] = {
		"--kernel 5.4 -- true",
		"--kernel 6.1 --add /nonexistent/file -- true",
		"--kernel 6.1",
		"-- true",
		"--kernel 6.1 --timeout soon -- true",
		"--bogus",
	};
	struct run *r = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vmtest(r, bad[i]);
		print_message("krsi-vmtest %s -> %d: %s", bad[i], r->status,
			      r->err);
		assert_int_equal(r->status, 2);
		assert_non_null(strstr(r->err, "krsi-vmtest: "));
		assert_ptr_equal(strchr(r->err, '\n'),
				 r->err + strlen(r->err) - 1);
	}
}

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct run));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_invocations_exit_2_with_one_line),
		cmocka_unit_test(
			test_status_and_output_pass_through_on_every_kernel),
		cmocka_unit_test(test_added_files_and_arguments_arrive_intact),
		cmocka_unit_test(test_cmdline_reaches_the_kernel),
		cmocka_unit_test(test_kernel_splat_fails_a_passing_command),
		cmocka_unit_test(test_hung_guest_times_out),
		cmocka_unit_test(test_boot_failure_is_retried_then_reported),
	};

	return cmocka_run_group_tests_name("krsi-vmtest", tests, setup,
					   teardown);
}
