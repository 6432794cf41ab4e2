// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/task.bpf.h>: what the helpers report about the task calling
 * getsid() equals what the task knows of itself: getpid(), gettid(),
 * getppid(), getuid(), getgid(), geteuid(), /proc/self/loginuid, its
 * command name, the id of its cgroup directory, stat() of /proc/self/exe,
 * and the namespaces it unshared.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "ktest.h"
#include "progs/bpf_task.h"
#include "bpf_task.skel.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

struct fixture {
	struct bpf_task_bpf *skel;
	char cgroup[128]; /* a cgroup the test made, once made */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int err;

	if (!fx)
		return -1;
	*state = fx;
	fx->skel = bpf_task_bpf__open();
	if (!fx->skel)
		return -1;
	err = bpf_task_bpf__load(fx->skel);
	if (!err)
		err = bpf_task_bpf__attach(fx->skel);
	if (err) {
		print_message("cannot load or attach bpf_task: %s\n",
			      strerror(-err));
		bpf_task_bpf__destroy(fx->skel);
		fx->skel = NULL;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	bpf_task_bpf__destroy(fx->skel);
	if (fx->cgroup[0])
		rmdir(fx->cgroup);
	free(fx);
	return 0;
}

static void need_program(struct fixture *fx)
{
	if (!fx->skel)
		ktest_unavailable(
			"this kernel refuses to load or attach an LSM program; run the test inside krsi-vmtest");
}

/* Name the calling thread, then reach the hook (getsid(0) would not). */
static void act_as(const char *comm)
{
	prctl(PR_SET_NAME, comm);
	getsid(getpid());
}

static struct task_info lookup(struct fixture *fx, pid_t tid)
{
	struct task_info info;
	__u32 key = tid;

	if (bpf_map__lookup_elem(fx->skel->maps.infos, &key, sizeof(key), &info,
				 sizeof(info), 0))
		fail_msg("no record for thread %d: the hook did not run for it",
			 tid);
	return info;
}

/* The first line of FILE as a number. */
static unsigned long read_number(const char *file)
{
	unsigned long v;
	FILE *f = fopen(file, "r");

	if (!f)
		fail_msg("open %s: %s", file, strerror(errno));
	if (fscanf(f, "%lu", &v) != 1)
		fail_msg("no number in %s", file);
	fclose(f);
	return v;
}

static void check_exe(const struct task_info *info)
{
	struct stat st;

	assert_int_equal(stat("/proc/self/exe", &st), 0);
	assert_int_equal(info->exe_err, 0);
	assert_int_equal(info->exe.dev, st.st_dev);
	assert_int_equal(info->exe.ino, st.st_ino);
}

static void test_identity_of_this_process(void **state)
{
	struct fixture *fx = *state;
	struct task_info info;

	need_program(fx);
	act_as("ktask-main");
	info = lookup(fx, gettid());
	assert_int_equal(info.pid, gettid());
	assert_int_equal(info.tgid, getpid());
	assert_int_equal(info.ppid, getppid());
	assert_int_equal(info.uid, getuid());
	assert_int_equal(info.gid, getgid());
	assert_int_equal(info.euid, geteuid());
	assert_int_equal(info.loginuid, read_number("/proc/self/loginuid"));
	assert_string_equal(info.comm, "ktask-main");
	assert_int_equal(info.cgroup_id, ktest_my_cgroup_id());
	check_exe(&info);
	assert_int_equal(info.ns_mask, 0);
	assert_int_equal(info.in_container, 0);
}

static void *thread_main(void *arg)
{
	pid_t *tid = arg;

	*tid = gettid();
	act_as("ktask-thread");
	return NULL;
}

static void test_thread_has_own_pid_same_tgid(void **state)
{
	struct fixture *fx = *state;
	struct task_info info;
	pthread_t thread;
	pid_t tid = 0;

	need_program(fx);
	assert_int_equal(pthread_create(&thread, NULL, thread_main, &tid), 0);
	assert_int_equal(pthread_join(thread, NULL), 0);
	assert_int_not_equal(tid, getpid());
	info = lookup(fx, tid);
	assert_int_equal(info.pid, tid);
	assert_int_equal(info.tgid, getpid());
	assert_string_equal(info.comm, "ktask-thread");
}

/*
 * Run FN in a child process named "ktask-child"; FN returns 0 or an errno,
 * and the pid whose record to check (its own, or a child's) through *PID.
 * Return that pid.
 */
static pid_t in_child(int (*fn)(void *arg, pid_t *pid), void *arg)
{
	int pipefd[2], status, err;
	pid_t child, pid;

	assert_int_equal(pipe(pipefd), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(pipefd[0]);
		pid = getpid();
		prctl(PR_SET_NAME, "ktask-child");
		err = fn(arg, &pid);
		if (!err)
			getsid(getpid());
		if (write(pipefd[1], &pid, sizeof(pid)) != sizeof(pid))
			err = errno;
		_exit(err);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &pid, sizeof(pid)), sizeof(pid));
	close(pipefd[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status))
		fail_msg("the child failed: %s", strerror(WEXITSTATUS(status)));
	return pid;
}

static int become_user_1234(void *arg, pid_t *pid)
{
	(void)arg;
	(void)pid;
	if (setgid(4321) || seteuid(1234))
		return errno;
	return 0;
}

static void test_credentials_of_child(void **state)
{
	struct fixture *fx = *state;
	struct task_info info;

	need_program(fx);
	info = lookup(fx, in_child(become_user_1234, NULL));
	assert_int_equal(info.uid, 0);
	assert_int_equal(info.gid, 4321);
	assert_int_equal(info.euid, 1234);
	assert_int_equal(info.ppid, getpid());
	assert_string_equal(info.comm, "ktask-child");
	check_exe(&info);
}

static int log_in_as_1234(void *arg, pid_t *pid)
{
	int fd = open("/proc/self/loginuid", O_WRONLY);

	(void)arg;
	(void)pid;
	if (fd < 0 || write(fd, "1234", 4) != 4)
		return errno;
	close(fd);
	return 0;
}

static void test_loginuid_of_child(void **state)
{
	struct fixture *fx = *state;
	struct task_info info;

	need_program(fx);
	info = lookup(fx, in_child(log_in_as_1234, NULL));
	assert_int_equal(info.loginuid, 1234);
}

static int enter_cgroup(void *arg, pid_t *pid)
{
	char path[160], text[16];
	int fd;

	(void)pid;
	snprintf(path, sizeof(path), "%s/cgroup.procs", (char *)arg);
	snprintf(text, sizeof(text), "%d", getpid());
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return errno;
	close(fd);
	return 0;
}

static void test_cgroup_of_child(void **state)
{
	struct fixture *fx = *state;
	struct task_info info;

	need_program(fx);
	snprintf(fx->cgroup, sizeof(fx->cgroup), CGROUP_ROOT "/krsi-task-%d",
		 getpid());
	if (mkdir(fx->cgroup, 0755))
		fail_msg("mkdir %s: %s", fx->cgroup, strerror(errno));
	info = lookup(fx, in_child(enter_cgroup, fx->cgroup));
	assert_int_equal(info.cgroup_id, ktest_cgroup_id(fx->cgroup));
	assert_int_not_equal(info.cgroup_id, ktest_my_cgroup_id());
}

static int unshare_ns(void *arg, pid_t *pid)
{
	int flag = *(int *)arg, status;
	pid_t child;

	if (unshare(flag))
		return errno;
	if (flag != CLONE_NEWPID)
		return 0;
	/* A new pid namespace is for the children: report a child's. */
	child = fork();
	if (child < 0)
		return errno;
	if (child == 0) {
		act_as("ktask-pidns");
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child)
		return errno;
	*pid = child;
	return 0;
}

static void test_namespaces_outside_init(void **state)
{
	static const struct {
		int flag, bit;
		const char *name;
	} cases[] = {
		{ CLONE_NEWNS, 1 << 0, "mnt" },
		{ CLONE_NEWUTS, 1 << 1, "uts" },
		{ CLONE_NEWIPC, 1 << 2, "ipc" },
		{ CLONE_NEWNET, 1 << 3, "net" },
		{ CLONE_NEWPID, 1 << 4, "pid" },
		{ CLONE_NEWUSER, 1 << 5, "user" },
		{ CLONE_NEWCGROUP, 1 << 6, "cgroup" },
	};
	struct fixture *fx = *state;
	struct task_info info;
	size_t i;

	need_program(fx);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		info = lookup(fx, in_child(unshare_ns, (void *)&cases[i].flag));
		if (info.ns_mask != cases[i].bit || info.in_container != 1)
			fail_msg(
				"after unshare of the %s namespace: mask 0x%x (want 0x%x), in container %d",
				cases[i].name, info.ns_mask, cases[i].bit,
				info.in_container);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity_of_this_process,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_thread_has_own_pid_same_tgid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credentials_of_child,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_loginuid_of_child, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_of_child, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_namespaces_outside_init,
						setup, teardown),
	};

	/* Every test needs the BPF LSM: none to run in the lsm-off boot. */
	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("bpf_task", tests, NULL, NULL);
}
