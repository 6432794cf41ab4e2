// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi-vmtest's own tests, run on the host: every kernel line boots with
 * BPF LSM active (5.10 by the lsm= krsi-vmtest adds, which the user's
 * replaces), exit status and output pass through from the guest, programs
 * find their libraries however the host found them, --single-thread
 * reaches qemu, a kernel splat fails a passing command, a hung guest times
 * out, and bad invocations fail at once with exit status 2. The path of
 * krsi-vmtest comes from the KRSI_VMTEST_BIN environment variable (make
 * check sets it); the test programs are built with $CC (default cc).
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

/* Run the shell command made of FMT, which must succeed. */
static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

/* Run krsi-vmtest with ARGS (shell words) and the environment assignments
 * ENV (shell words, may be ""), capturing its output. */
static void vmtest_env(struct run *r, const char *env, const char *args)
{
	char out[] = "/tmp/krsi-vmtest-test.XXXXXX", err[sizeof(out)];
	char logs[sizeof(out)], cmd[4096];
	const char *bin = getenv("KRSI_VMTEST_BIN");
	int fd, ws;

	assert_non_null(bin);
	memcpy(err, out, sizeof(out));
	memcpy(logs, out, sizeof(out));
	assert_non_null(mkdtemp(logs)); /* console logs, kept on failure */
	fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	fd = mkstemp(err);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s --log-dir %s %s </dev/null >%s 2>%s",
		 env, bin, logs, args, out, err);
	ws = system(cmd);
	assert_true(WIFEXITED(ws));
	r->status = WEXITSTATUS(ws);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	unlink(out);
	unlink(err);
	sh("rm -rf %s", logs);
}

static void vmtest(struct run *r, const char *args)
{
	vmtest_env(r, "", args);
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;

	for (; (haystack = strstr(haystack, needle)); haystack++)
		n++;
	return n;
}

/* Each line boots its own release, with bpf among the active LSMs: on
 * 5.10, whose built-in list lacks it, because krsi-vmtest adds it. */
static void test_every_kernel_line_boots_with_bpf_active(void **state)
{
	static const char *const lines[] = { "5.10", "6.1", "6.12", "7.3" };
	struct run *r = *state;
	char want[64];
	size_t i;

	vmtest(r, "--kernel all -- sh -c 'echo out-$(uname -r | cut -d. -f1,2) "
		  "$(grep -ow bpf /sys/kernel/security/lsm); "
		  "echo err-line >&2; exit 7'");
	print_message("%s%s", r->out, r->err);
	assert_int_equal(r->status, 7);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(want, sizeof(want), "out-%s bpf\n", lines[i]);
		assert_non_null(strstr(r->out, want));
		snprintf(want, sizeof(want), "kernel %s (%s.", lines[i],
			 lines[i]);
		assert_non_null(strstr(r->err, want));
	}
	assert_null(strstr(r->out, "err-line"));
	assert_int_equal(count(r->err, "err-line"), 4);
	assert_int_equal(count(r->err, "lacks bpf: booting with lsm="), 1);
	assert_non_null(strstr(r->err, "kernel 5.10: its built-in LSM list "
				       "(CONFIG_LSM) lacks bpf: booting with "
				       "lsm=lockdown,"));
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

/* The user's lsm= reaches the kernel, instead of the one 5.10 gets. */
static void test_cmdline_lsm_replaces_the_added_one(void **state)
{
	struct run *r = *state;

	vmtest(r, "--kernel 5.10 --cmdline 'quiet lsm=lockdown,yama' -- "
		  "cat /sys/kernel/security/lsm");
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "yama"));
	assert_null(strstr(r->out, "bpf"));
	assert_null(strstr(r->err, "lacks bpf"));
}

/* Write TEXT to DIR/NAME with MODE. */
static void write_file(const char *dir, const char *name, const char *text,
		       mode_t mode)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* A directory under /tmp with libkvt.so.1, and in it programs using the
 * library: rpath-tmp (rpath DIR), origin (rpath $ORIGIN) and no-rpath. */
static void build_lib_programs(char *dir)
{
	const char *cc = getenv("CC") ? getenv("CC") : "cc";

	assert_non_null(mkdtemp(dir));
	write_file(dir, "lib.c", "int kvt(void) { return 42; }\n", 0644);
	write_file(
		dir, "main.c",
		"#include <stdio.h>\n"
		"int kvt(void);\n"
		"int main(void) { printf(\"kvt %d\\n\", kvt()); return 0; }\n",
		0644);
	sh("cd %s && %s -shared -fPIC -Wl,-soname,libkvt.so.1 lib.c -o libkvt.so.1"
	   " && %s main.c -o rpath-tmp -L. -l:libkvt.so.1 -Wl,-rpath,%s"
	   " && %s main.c -o origin -L. -l:libkvt.so.1 '-Wl,-rpath,$ORIGIN'"
	   " && %s main.c -o no-rpath -L. -l:libkvt.so.1",
	   dir, cc, cc, dir, cc, cc);
}

/* Libraries found by an rpath under /tmp (which the guest's own /tmp
 * hides), by $ORIGIN, or by LD_LIBRARY_PATH are found in the guest too. */
static void test_libraries_found_as_on_the_host(void **state)
{
	struct run *r = *state;
	char dir[] = "/tmp/krsi-vmtest-lib.XXXXXX", env[256], args[1024];

	build_lib_programs(dir);
	snprintf(env, sizeof(env), "LD_LIBRARY_PATH=%s", dir);
	snprintf(args, sizeof(args),
		 "--kernel 6.12 --add %s/rpath-tmp --add %s/origin "
		 "--add %s/no-rpath -- sh -c 'rpath-tmp && origin && no-rpath'",
		 dir, dir, dir);
	vmtest_env(r, env, args);
	sh("rm -rf %s", dir);
	print_message("%s%s", r->out, r->err);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out, "kvt 42\nkvt 42\nkvt 42\n");
}

/* A library ldd cannot find is named, before any VM boots. */
static void test_library_not_found_is_named(void **state)
{
	struct run *r = *state;
	char dir[] = "/tmp/krsi-vmtest-lib.XXXXXX", args[1024];

	build_lib_programs(dir);
	snprintf(args, sizeof(args), "--kernel 6.12 --add %s/no-rpath -- true",
		 dir);
	vmtest_env(r, "LD_LIBRARY_PATH=", args);
	sh("rm -rf %s", dir);
	print_message("%s", r->err);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "no-rpath needs libkvt.so.1, which "
				       "ldd cannot find on this host"));
	assert_ptr_equal(strchr(r->err, '\n'), r->err + strlen(r->err) - 1);
}

/* --single-thread runs qemu with -accel tcg,thread=single, still with two
 * vCPUs: seen by a qemu-system-x86_64 first on PATH that notes its
 * arguments and runs the next one on PATH. */
static void test_single_thread_reaches_qemu(void **state)
{
	struct run *r = *state;
	char dir[] = "/tmp/krsi-vmtest-qemu.XXXXXX", env[4200], path[4096];
	char argv[4096], wrapper[4096];

	assert_non_null(mkdtemp(dir));
	snprintf(wrapper, sizeof(wrapper),
		 "#!/bin/sh\necho \"$*\" >%s/argv\n"
		 "PATH=${PATH#*:} exec qemu-system-x86_64 \"$@\"\n",
		 dir);
	write_file(dir, "qemu-system-x86_64", wrapper, 0755);
	snprintf(env, sizeof(env), "PATH=%s:$PATH", dir);
	vmtest_env(r, env, "--kernel 6.12 --single-thread -- nproc");
	snprintf(path, sizeof(path), "%s/argv", dir);
	slurp(path, argv, sizeof(argv));
	sh("rm -rf %s", dir);
	print_message("qemu %s", argv);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out, "2\n");
	assert_non_null(strstr(argv, "-accel tcg,thread=single "));
}

static void test_hung_guest_times_out(void **state)
{
	struct run *r = *state;

	vmtest(r, "--kernel 6.1 --timeout 10 -- sleep 600");
	print_message("%s", r->err);
	assert_int_equal(r->status, 124);
	assert_null(strstr(r->err, "booting again"));
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
		"--kernel 7 -- true",
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
		cmocka_unit_test(test_every_kernel_line_boots_with_bpf_active),
		cmocka_unit_test(test_added_files_and_arguments_arrive_intact),
		cmocka_unit_test(test_cmdline_lsm_replaces_the_added_one),
		cmocka_unit_test(test_libraries_found_as_on_the_host),
		cmocka_unit_test(test_library_not_found_is_named),
		cmocka_unit_test(test_single_thread_reaches_qemu),
		cmocka_unit_test(test_kernel_splat_fails_a_passing_command),
		cmocka_unit_test(test_hung_guest_times_out),
		cmocka_unit_test(test_boot_failure_is_retried_then_reported),
	};

	return cmocka_run_group_tests_name("krsi-vmtest", tests, setup,
					   teardown);
}
