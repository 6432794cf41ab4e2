// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Removing policies and waiting for the pin root, on a real kernel:
 * removing a policy whose link another process holds open fails, naming
 * that process, from the library and from krsi unload, while the program
 * still denies; a removal that cannot tell whether the programs detached
 * (no CAP_SYS_ADMIN to look their ids up) says so instead of claiming it;
 * a process stopped while holding the pin root's lock makes others give
 * up, naming it, instead of waiting forever; and removal never empties a
 * filesystem mounted in the pin root.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "../tools/run_cmd.h"
#include "policy_deny.skel.h"

#define ROOT KRSI_POLICY_PIN_ROOT
#define NAME "removed"
#define POLICY_DIR ROOT "/" NAME

/* What a child process met, shared with the test. */
struct outcome {
	int err;
	char log[8192];
};

static struct outcome *shared_outcome(void)
{
	struct outcome *o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	assert_true(o != MAP_FAILED);
	memset(o, 0, sizeof(*o));
	return o;
}

static int setup(void **state)
{
	(void)state;
	ktest_capture_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	krsi_set_print(NULL);
	krsi_remove_policy(NAME, NULL);
	return 0;
}

/* Install policy_deny as NAME, denying this process's mprotect(). */
static struct krsi_object *install(void)
{
	struct krsi_object *obj = ktest_open_embedded(policy_deny);
	struct krsi_policy *policy = krsi_policy__install(obj, NAME, NULL);

	if (!policy && errno == EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	assert_non_null(policy);
	/* as when the installer has exited: only the pins hold the link */
	krsi_policy__destroy(policy);
	krsi_object__detach(obj);
	ktest_deny_pid(obj, getpid(), EPERM);
	assert_int_equal(ktest_mprotect(), -EPERM);
	return obj;
}

/* A child holding the policy's link open until killed. */
static pid_t hold_link(void)
{
	int fds[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (bpf_obj_get(POLICY_DIR "/links/deny_listed") < 0 ||
		    write(fds[1], "h", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

/* Kill the holder: the program then detaches, and mprotect() passes. */
static void release(pid_t holder)
{
	int i;

	kill(holder, SIGKILL);
	assert_int_equal(waitpid(holder, NULL, 0), holder);
	for (i = 0; i < 1000 && ktest_mprotect(); i++)
		usleep(1000);
	assert_int_equal(ktest_mprotect(), 0);
}

static void test_removal_while_a_link_is_held_fails(void **state)
{
	struct krsi_object *obj = install();
	char holder[32];
	pid_t pid;
	struct run r;

	(void)state;
	pid = hold_link();
	snprintf(holder, sizeof(holder), "pid %d (", pid);
	assert_int_equal(krsi_remove_policy(NAME, NULL), -EBUSY);
	ktest_log_has("is unpinned, but its link");
	ktest_log_has(holder);
	assert_int_equal(access(POLICY_DIR, F_OK), -1);
	assert_int_equal(ktest_mprotect(), -EPERM); /* it still runs */
	release(pid);
	krsi_object__destroy(obj);

	/* krsi unload: exit 1, naming the holder */
	obj = install();
	pid = hold_link();
	snprintf(holder, sizeof(holder), "pid %d (", pid);
	r = run_krsi("unload " NAME);
	if (r.status != 1 || !strstr(r.err, holder) || strstr(r.out, "removed"))
		fail_msg("krsi unload: status %d, stdout \"%s\", stderr \"%s\"",
			 r.status, r.out, r.err);
	run_free(&r);
	assert_int_equal(ktest_mprotect(), -EPERM);
	release(pid);
	krsi_object__destroy(obj);
}

/* Root without CAP_SYS_ADMIN may unpin, but cannot look ids up: the
 * removal says it cannot tell whether the programs detached. */
static void test_removal_without_id_lookups_says_so(void **state)
{
	struct krsi_object *obj = install();
	struct outcome *o = shared_outcome();
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		ktest_set_capabilities(1ULL << CAP_BPF);
		ktest_capture_start();
		o->err = krsi_remove_policy(NAME, NULL);
		snprintf(o->log, sizeof(o->log), "%s", ktest_log);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("removed by root holding CAP_BPF alone: %s; said: %s",
		      strerror(-o->err), o->log);
	assert_int_equal(o->err, -EPERM);
	assert_non_null(strstr(o->log, "cannot be told"));
	assert_non_null(strstr(o->log, "CAP_SYS_ADMIN"));
	assert_int_equal(access(POLICY_DIR, F_OK),
			 -1); /* unpinned all the same */
	krsi_object__destroy(obj);
	munmap(o, sizeof(*o));
}

/* A process stopped while it holds the pin root's lock. */
static void test_lock_held_by_a_stopped_process(void **state)
{
	struct outcome *o = shared_outcome();
	int status, fd;
	char holder[48];
	pid_t stopped, waiter;

	(void)state;
	if (mkdir(ROOT, 0700) && errno != EEXIST)
		fail_msg("mkdir " ROOT ": %s", strerror(errno));
	stopped = fork();
	assert_true(stopped >= 0);
	if (stopped == 0) {
		fd = open(ROOT, O_RDONLY | O_DIRECTORY);
		if (fd < 0 || flock(fd, LOCK_EX))
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	assert_int_equal(waitpid(stopped, &status, WUNTRACED), stopped);
	assert_true(WIFSTOPPED(status));
	waiter = fork();
	assert_true(waiter >= 0);
	if (waiter == 0) {
		alarm(60); /* the old way: waiting forever */
		ktest_capture_start();
		o->err = krsi_policy__install(ktest_open_embedded(policy_deny),
					      NAME, NULL)
				 ? 0
				 : -errno;
		snprintf(o->log, sizeof(o->log), "%s", ktest_log);
		_exit(0);
	}
	assert_int_equal(waitpid(waiter, &status, 0), waiter);
	kill(stopped, SIGKILL);
	assert_int_equal(waitpid(stopped, NULL, 0), stopped);
	if (WIFSIGNALED(status))
		fail_msg(
			"the install waited for the lock until killed (signal %d)",
			WTERMSIG(status));
	print_message(
		"an install meeting the lock of a stopped process: %s; said: %s",
		strerror(-o->err), o->log);
	assert_int_equal(o->err, -EBUSY);
	snprintf(holder, sizeof(holder), "pid %d (", stopped);
	assert_non_null(strstr(o->log, holder));
	assert_non_null(strstr(o->log, "stopped"));
	assert_int_equal(access(POLICY_DIR, F_OK), -1);
	munmap(o, sizeof(*o));
}

/* A tmpfs mounted on a staging directory: removal leaves its files. */
static void test_removal_stays_out_of_mounts(void **state)
{
	int fd;

	(void)state;
	if (mkdir(ROOT, 0700) && errno != EEXIST)
		fail_msg("mkdir " ROOT ": %s", strerror(errno));
	assert_int_equal(mkdir(POLICY_DIR "~new", 0700), 0);
	assert_int_equal(mount("tmpfs", POLICY_DIR "~new", "tmpfs", 0, NULL),
			 0);
	fd = open(POLICY_DIR "~new/precious", O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(krsi_remove_policy(NAME, NULL), -EBUSY);
	ktest_log_has("something is mounted on it");
	assert_int_equal(access(POLICY_DIR "~new/precious", F_OK), 0);
	assert_int_equal(umount(POLICY_DIR "~new"), 0);
	assert_int_equal(krsi_remove_policy(NAME, NULL), 0);
	assert_int_equal(access(POLICY_DIR "~new", F_OK), -1);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		TEST(test_removal_while_a_link_is_held_fails),
		TEST(test_removal_without_id_lookups_says_so),
		TEST(test_lock_held_by_a_stopped_process),
		TEST(test_removal_stays_out_of_mounts),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* nothing of this needs or shows the LSM off */
	return cmocka_run_group_tests_name("policy removal", tests, NULL,
					   ktest_wait_programs_freed);
}
