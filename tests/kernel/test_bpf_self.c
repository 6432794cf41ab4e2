// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/self.bpf.h>: a program denies getsid() to every task named
 * "kself*" except the agent described by krsi_get_self_id(): the test
 * process passes while its child is denied, also when the agent is a
 * process in a pid namespace of its own (where getpid() is 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "bpf_self.skel.h"

struct fixture {
	struct bpf_self_bpf *skel;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int err;

	if (!fx)
		return -1;
	*state = fx;
	prctl(PR_SET_NAME, "kself-agent");
	fx->skel = bpf_self_bpf__open();
	if (!fx->skel)
		return -1;
	err = bpf_self_bpf__load(fx->skel);
	if (!err)
		err = bpf_self_bpf__attach(fx->skel);
	if (err) {
		print_message("cannot load or attach bpf_self: %s\n",
			      strerror(-err));
		bpf_self_bpf__destroy(fx->skel);
		fx->skel = NULL;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	bpf_self_bpf__destroy(fx->skel);
	prctl(PR_SET_NAME, "test_bpf_self");
	free(fx);
	return 0;
}

static void need_program(struct fixture *fx)
{
	if (!fx->skel)
		ktest_unavailable(
			"this kernel refuses to load or attach an LSM program; run the test inside krsi-vmtest");
}

/* getsid(0) skips the LSM hook; getsid(getpid()) reaches task_getsid. */
static int try_getsid(void)
{
	return getsid(getpid()) < 0 ? -errno : 0;
}

/* What getsid() gives a child of this process: 0 or -errno. */
static int child_getsid(void)
{
	int status;
	pid_t child = fork();

	assert_true(child >= 0);
	if (child == 0)
		_exit(-try_getsid());
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

static void test_agent_passes_child_denied(void **state)
{
	struct fixture *fx = *state;

	need_program(fx);
	/* Nobody is exempt until the agent names itself. */
	assert_int_equal(try_getsid(), -EPERM);
	assert_int_equal(krsi_get_self_id(&fx->skel->bss->krsi_self), 0);
	assert_int_equal(try_getsid(), 0);
	assert_int_equal(fx->skel->bss->exempted, 1);
	assert_int_equal(child_getsid(), -EPERM);
	assert_int_equal(fx->skel->bss->exempted, 1);
}

/*
 * The agent runs in a pid namespace of its own, as in a container: its
 * getpid() is 1, which no process has in the initial namespace's view.
 * Children share the skeleton's global variables, mapped from the kernel.
 */
static void test_agent_in_own_pid_namespace(void **state)
{
	struct fixture *fx = *state;
	int status, err;
	pid_t child, agent;

	need_program(fx);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(errno);
		agent = fork();
		if (agent == 0) {
			if (getpid() != 1)
				_exit(EINVAL);
			err = krsi_get_self_id(&fx->skel->bss->krsi_self);
			if (!err)
				err = try_getsid();
			_exit(-err);
		}
		if (agent < 0 || waitpid(agent, &status, 0) != agent ||
		    !WIFEXITED(status))
			_exit(ECHILD);
		_exit(WEXITSTATUS(status));
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status))
		fail_msg(
			"the agent in its own pid namespace was not let through: %s",
			strerror(WEXITSTATUS(status)));
	assert_int_equal(fx->skel->bss->krsi_self.tgid, 1);
	assert_int_equal(fx->skel->bss->exempted, 1);
	/* Now the agent is the other process: this one is denied. */
	assert_int_equal(try_getsid(), -EPERM);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_agent_passes_child_denied,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_in_own_pid_namespace,
						setup, teardown),
	};

	/* Every test needs the BPF LSM: none to run in the lsm-off boot. */
	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("bpf_self", tests, NULL, NULL);
}
