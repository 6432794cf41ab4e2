// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * examples/file-guard, run as its user would: under a protected directory,
 * opening for writing or truncation, creating, unlinking, removing a
 * directory, renaming from or to, and truncating fail with EACCES in
 * enforce mode, and succeed, reported as would-deny, in monitor mode;
 * reading and everything outside stay allowed; a file protected at run
 * time is protected at once.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/stat.h>

#include "example_test.h"

#define DIR "/tmp/krsi-fg"
#define PROT DIR "/prot"
#define FILE_ PROT "/file"
#define FREE DIR "/free"
#define PIN "krsi-test-file-guard"

/* 0, or -errno of the call that failed. */
#define sys(call) ((call) < 0 ? -errno : 0)

static void make_tree(void)
{
	FILE *f;

	mkdir(DIR, 0755);
	mkdir(PROT, 0755);
	mkdir(PROT "/empty", 0755);
	mkdir(FREE, 0755);
	f = fopen(FILE_, "w");
	assert_non_null(f);
	fputs("secret\n", f);
	fclose(f);
	f = fopen(FREE "/file", "w");
	assert_non_null(f);
	fclose(f);
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The next event of this process: a denial of OP on PATH, in MODE. */
static void expect_denial(struct example *ex, const char *hook, const char *op,
			  const char *path, const char *mode, int rule)
{
	struct json j;

	example_event(ex, &j, "file", getpid());
	expect_str(&j, "hook", hook);
	expect_decision(&j, "deny", mode, EACCES);
	expect_num(&j, "policy", 3);
	expect_str(&j, "data.op", op);
	expect_str(&j, "data.path", path);
	expect_num(&j, "data.rule", rule);
}

/* Teardown that also removes a policy a failed test left installed. */
static int pinned_teardown(void **state)
{
	if (!access(KRSI_POLICY_PIN_ROOT "/" PIN, F_OK))
		krsi_remove_policy(PIN, NULL);
	return example_teardown(state);
}

static void test_protects_a_tree(void **state)
{
	const char *args[] = { "--protect", PROT, NULL };
	struct example *ex = *state;
	char buf[16] = "";
	FILE *f;

	make_tree();
	example_start(ex, "file-guard", "", args); /* monitor by default */

	/* Monitor mode: the write goes ahead, reported as would-deny. */
	assert_int_equal(open_close(FILE_, O_WRONLY), 0);
	expect_denial(ex, "file_open", "FILE_WRITE", FILE_, "monitor", 1);

	/* Enforce, at run time: every kind of change is refused. */
	assert_true(example_reload(ex, "mode enforce\n"));
	assert_int_equal(open_close(FILE_, O_RDONLY), 0); /* not reported */
	assert_int_equal(open_close(FILE_, O_WRONLY), -EACCES);
	expect_denial(ex, "file_open", "FILE_WRITE", FILE_, "enforce", 1);
	assert_int_equal(open_close(FILE_, O_RDONLY | O_TRUNC), -EACCES);
	expect_denial(ex, "file_open", "FILE_WRITE", FILE_, "enforce", 1);
	assert_int_equal(open_close(PROT "/new", O_WRONLY | O_CREAT), -EACCES);
	expect_denial(ex, "path_mknod", "FILE_CREATE", PROT "/new", "enforce",
		      1);
	assert_int_equal(sys(unlink(FILE_)), -EACCES);
	expect_denial(ex, "path_unlink", "FILE_UNLINK", FILE_, "enforce", 1);
	assert_int_equal(sys(rmdir(PROT "/empty")), -EACCES);
	expect_denial(ex, "path_rmdir", "FILE_RMDIR", PROT "/empty", "enforce",
		      1);
	assert_int_equal(sys(rename(FILE_, FREE "/moved")), -EACCES);
	expect_denial(ex, "path_rename", "FILE_RENAME", FILE_, "enforce", 1);
	assert_int_equal(sys(rename(FREE "/file", PROT "/over")), -EACCES);
	expect_denial(ex, "path_rename", "FILE_RENAME", PROT "/over", "enforce",
		      1);
	assert_int_equal(sys(truncate(FILE_, 0)), -EACCES);
	expect_denial(ex, "path_truncate", "FILE_TRUNCATE", FILE_, "enforce",
		      1);

	/* Outside the tree all is allowed (and not reported: the next event
	 * is the next denial). */
	assert_int_equal(open_close(FREE "/file", O_WRONLY | O_TRUNC), 0);
	assert_int_equal(sys(rename(FREE "/file", FREE "/file2")), 0);
	assert_int_equal(sys(rename(FREE "/file2", FREE "/file")), 0);
	f = fopen(FILE_, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "secret\n");

	/* A file protected at run time, as rule 2 (after the command line). */
	assert_true(
		example_reload(ex, "mode enforce\nprotect " FREE "/file\n"));
	assert_int_equal(open_close(FREE "/file", O_WRONLY), -EACCES);
	expect_denial(ex, "file_open", "FILE_WRITE", FREE "/file", "enforce",
		      2);

	/* A path the kernel could never report is refused, with the policy
	 * left as it was. */
	assert_false(example_reload(ex, "protect relative/path\n"));
	assert_int_equal(open_close(FREE "/file", O_WRONLY), -EACCES);
	expect_denial(ex, "file_open", "FILE_WRITE", FREE "/file", "enforce",
		      2);

	/* Stopped, it protects nothing. */
	example_stop(ex);
	assert_int_equal(open_close(FILE_, O_WRONLY), 0);
}

/*
 * --pin: the policy stays installed, and enforcing, after the loader
 * exits; its mode can be switched through its pins; a second loader of the
 * same name replaces it, and delivers the events of the time between;
 * krsi_remove_policy() removes it.
 */
static void test_pinned_policy_outlives_the_loader(void **state)
{
	const char *args[] = { "--mode", "enforce", "--protect", PROT,
			       "--pin",	 PIN,	    NULL };
	const char *monitor[] = { "--protect", PROT, "--pin", PIN, NULL };
	struct example *ex = *state;

	make_tree();
	example_start(ex, "file-guard", "", args);
	example_stop(ex);
	if (!strstr(ex->msgs,
		    "stays installed in " KRSI_POLICY_PIN_ROOT "/" PIN))
		fail_msg("file-guard did not say where its policy stays:\n%s",
			 ex->msgs);
	assert_int_equal(open_close(FILE_, O_WRONLY), -EACCES);

	/* Another process switches the installed policy's mode. */
	assert_int_equal(krsi_set_policy_mode_pinned(KRSI_POLICY_PIN_ROOT
						     "/" PIN,
						     NULL, KRSI_MODE_MONITOR),
			 0);
	assert_int_equal(open_close(FILE_, O_WRONLY), 0);
	assert_int_equal(krsi_set_policy_mode_pinned(KRSI_POLICY_PIN_ROOT
						     "/" PIN,
						     NULL, KRSI_MODE_ENFORCE),
			 0);
	assert_int_equal(open_close(FILE_, O_WRONLY), -EACCES);

	/* A new loader of the same name replaces it, here in monitor mode.
	 * The ring buffer is kept: it first delivers what the policy
	 * reported while no loader was running. */
	example_start(ex, "file-guard", "", monitor);
	expect_denial(ex, "file_open", "FILE_WRITE", FILE_, "enforce", 1);
	expect_denial(ex, "file_open", "FILE_WRITE", FILE_, "monitor", 1);
	expect_denial(ex, "file_open", "FILE_WRITE", FILE_, "enforce", 1);
	assert_int_equal(open_close(FILE_, O_WRONLY), 0);
	expect_denial(ex, "file_open", "FILE_WRITE", FILE_, "monitor", 1);
	example_stop(ex);

	assert_int_equal(krsi_remove_policy(PIN, NULL), 0);
	assert_int_equal(open_close(FILE_, O_WRONLY), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_protects_a_tree, example_setup, example_teardown),
		cmocka_unit_test_setup_teardown(
			test_pinned_policy_outlives_the_loader, example_setup,
			pinned_teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* exec-audit's test covers the refusal */
	return cmocka_run_group_tests_name("example file-guard", tests, NULL,
					   ktest_wait_programs_freed);
}
