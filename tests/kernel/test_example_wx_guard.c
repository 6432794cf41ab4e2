// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * examples/wx-guard, run as its user would: memory asked for writable and
 * executable, by mmap() (anonymous or of a file) or mprotect(), fails with
 * EACCES in enforce mode and succeeds, reported, in monitor mode; flipping
 * written memory to read+execute stays allowed; an --allow rule added at
 * run time lets this program through, reported with its rule.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "example_test.h"
#include "audit_test.h"

#define FILE_PATH "/tmp/krsi-wx-file"
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

/* mmap(PROT) of anonymous memory, or of FILE_PATH with FD; 0 or -errno. */
static int try_mmap(int prot, int fd)
{
	long size = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, size, prot,
		       MAP_PRIVATE | (fd < 0 ? MAP_ANONYMOUS : 0), fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, size);
	return 0;
}

static void test_denies_writable_executable_memory(void **state)
{
	const char *args[] = { "--mode", "enforce", NULL };
	long size = sysconf(_SC_PAGESIZE);
	struct example *ex = *state;
	char exe[PATH_MAX], config[PATH_MAX + 32];
	struct json j;
	int fd, status;
	void *page;
	ssize_t n;
	pid_t pid;

	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	example_start(ex, "wx-guard", "", args);

	/* Anonymous W+X memory, asked for at once. */
	assert_int_equal(try_mmap(RWX, -1), -EACCES);
	example_event(ex, &j, "wx_mmap", getpid());
	expect_str(&j, "hook", "mmap_file");
	expect_decision(&j, "deny", "enforce", EACCES);
	expect_num(&j, "data.prot", RWX);
	expect_str(&j, "data.path", "");

	/* A file mapped W+X: the event names it. */
	assert_int_equal(try_mmap(RWX, fd), -EACCES);
	example_event(ex, &j, "wx_mmap", getpid());
	expect_str(&j, "data.path", FILE_PATH);

	/* Writable memory made executable too; written, then made read+exec
	 * (a careful JIT) is fine. */
	page = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(page != MAP_FAILED);
	assert_int_equal(mprotect(page, size, RWX), -1);
	assert_int_equal(errno, EACCES);
	assert_int_equal(mprotect(page, size, PROT_READ | PROT_EXEC), 0);
	example_event(ex, &j, "wx_mprotect", getpid());
	expect_str(&j, "hook", "file_mprotect");
	expect_decision(&j, "deny", "enforce", EACCES);
	expect_num(&j, "data.start", (unsigned long)page);

	/* The tool shipped for the demo sees the same. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execlp("wx-try", "wx-try", NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 1); /* W+X was refused */
	example_event(ex, &j, "wx_mmap", pid);
	expect_str(&j, "comm", "wx-try");

	/* Monitor mode, at run time: allowed, reported as would-deny. */
	assert_true(example_reload(ex, "mode monitor\n"));
	assert_int_equal(try_mmap(RWX, -1), 0);
	example_event(ex, &j, "wx_mmap", getpid());
	expect_decision(&j, "deny", "monitor", EACCES);

	/* This program allowed, at run time: allowed, with its rule. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(config, sizeof(config), "mode enforce\nallow %s\n", exe);
	assert_true(example_reload(ex, config));
	assert_int_equal(try_mmap(RWX, -1), 0);
	example_event(ex, &j, "wx_mmap", getpid());
	expect_decision(&j, "allow", "enforce", 0);
	expect_num(&j, "data.rule", 1);

	example_stop(ex);
	munmap(page, size);
	close(fd);
	unlink(FILE_PATH);
}

static int mmap_in_cgroup(void *cgroup)
{
	ktest_cgroup_enter(cgroup, getpid());
	return -try_mmap(RWX, -1);
}

/* --cgroup: the tasks of the cgroup are judged, no others. */
static void test_denies_in_one_cgroup(void **state)
{
	struct example *ex = *state;
	char cgroup[4096];
	const char *args[] = { "--mode", "enforce", "--cgroup", cgroup, NULL };
	struct json j;
	pid_t pid;

	ktest_cgroup_create("krsi-wx-guard", cgroup);
	example_start(ex, "wx-guard", "", args);
	assert_int_equal(try_mmap(RWX, -1), 0);
	assert_int_equal(example_in_child(mmap_in_cgroup, cgroup, &pid),
			 -EACCES);
	example_event(ex, &j, "wx_mmap", pid);
	expect_decision(&j, "deny", "enforce", EACCES);
	expect_num(&j, "cgroup", ktest_cgroup_id(cgroup));
	example_stop(ex);
	rmdir(cgroup);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_denies_writable_executable_memory, example_setup,
			example_teardown),
		cmocka_unit_test_setup_teardown(test_denies_in_one_cgroup,
						example_setup,
						example_teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* exec-audit's test covers the refusal */
	return cmocka_run_group_tests_name("example wx-guard", tests, NULL,
					   ktest_wait_programs_freed);
}
