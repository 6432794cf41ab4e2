// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * examples/kmod-guard, run as its user would. No real module is needed:
 * finit_module() reaches the kernel_read_file hook before the module loader
 * reads the file, so a file outside the allowed directories fails with
 * kmod-guard's EPERM, and one inside passes the hook and is refused by the
 * module loader instead, as not an ELF module (ENOEXEC): proof that
 * kmod-guard let it through. init_module() from memory is always refused.
 *
 * Firmware takes the same hooks (READING_FIRMWARE, LOADING_FIRMWARE) and
 * the same decision, but the test VM has no driver that requests firmware
 * (and the microcode loader is off in a VM), so no test here can make the
 * kernel load one; the test says so.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>

#include "example_test.h"

#define DIR "/tmp/krsi-kmod"
#define ALLOWED DIR "/allowed"
#define OTHER DIR "/other"

static void make_modules(void)
{
	FILE *f;

	mkdir(DIR, 0755);
	mkdir(ALLOWED, 0755);
	mkdir(OTHER, 0755);
	f = fopen(ALLOWED "/x.ko", "w");
	assert_non_null(f);
	fputs("not an ELF module\n", f);
	fclose(f);
	example_copy(ALLOWED "/x.ko", OTHER "/x.ko", NULL);
}

/* finit_module() of PATH: 0 or -errno. */
static int load_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	assert_true(fd >= 0);
	if (syscall(SYS_finit_module, fd, "", 0))
		err = -errno;
	close(fd);
	return err;
}

/* init_module() of bytes: 0 or -errno. */
static int load_data(void)
{
	static const char image[64] = "not an ELF module";

	return syscall(SYS_init_module, image, sizeof(image), "") ? -errno : 0;
}

/* The next event: WHAT from HOOK, decided thus. */
static void expect_load(struct example *ex, const char *hook, const char *what,
			const char *path, const char *verdict, const char *mode,
			int rule)
{
	struct json j;

	example_event(ex, &j, "kmod", getpid());
	expect_str(&j, "hook", hook);
	expect_decision(&j, verdict, mode, strcmp(verdict, "deny") ? 0 : EPERM);
	expect_str(&j, "data.what", what);
	expect_str(&j, "data.path", path);
	expect_num(&j, "data.rule", rule);
}

static void test_loads_modules_from_allowed_directories(void **state)
{
	const char *args[] = { "--mode", "enforce", "--allow", ALLOWED, NULL };
	struct example *ex = *state;

	make_modules();
	example_start(ex, "kmod-guard", "", args);

	assert_int_equal(load_file(OTHER "/x.ko"), -EPERM);
	expect_load(ex, "kernel_read_file", "KMOD_MODULE_FILE", OTHER "/x.ko",
		    "deny", "enforce", 0);
	/* Allowed: the module loader, not kmod-guard, refuses the file. */
	assert_int_equal(load_file(ALLOWED "/x.ko"), -ENOEXEC);
	expect_load(ex, "kernel_read_file", "KMOD_MODULE_FILE", ALLOWED "/x.ko",
		    "allow", "enforce", 1);
	assert_int_equal(load_data(), -EPERM);
	expect_load(ex, "kernel_load_data", "KMOD_MODULE_DATA", "", "deny",
		    "enforce", 0);

	/* Monitor mode, at run time: reported, not refused. */
	assert_true(example_reload(ex, "mode monitor\n"));
	assert_int_equal(load_file(OTHER "/x.ko"), -ENOEXEC);
	expect_load(ex, "kernel_read_file", "KMOD_MODULE_FILE", OTHER "/x.ko",
		    "deny", "monitor", 0);
	assert_int_equal(load_data(), -ENOEXEC);
	expect_load(ex, "kernel_load_data", "KMOD_MODULE_DATA", "", "deny",
		    "monitor", 0);

	/* Another directory allowed at run time. */
	assert_true(example_reload(ex, "mode enforce\nallow " OTHER "\n"));
	assert_int_equal(load_file(OTHER "/x.ko"), -ENOEXEC);
	expect_load(ex, "kernel_read_file", "KMOD_MODULE_FILE", OTHER "/x.ko",
		    "allow", "enforce", 2);

	example_stop(ex);
	print_message("firmware: same hooks and decision as modules, not "
		      "exercised: nothing in the test VM requests firmware\n");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_loads_modules_from_allowed_directories,
			example_setup, example_teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* exec-audit's test covers the refusal */
	return cmocka_run_group_tests_name("example kmod-guard", tests, NULL,
					   ktest_wait_programs_freed);
}
