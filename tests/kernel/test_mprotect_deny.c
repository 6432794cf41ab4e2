// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The harness's own proof: an LSM program denies mprotect() to this process
 * while attached, and stops after detach. Booted with lsm= lacking "bpf"
 * (--lsm-off), the same program loads and attaches, then never runs: the
 * silent failure libkrsi's probe exists to catch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "ktest.h"
#include "mprotect_deny.skel.h"

struct fixture {
	struct mprotect_deny_bpf *skel;
	void *page;
	long page_size;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->page_size = sysconf(_SC_PAGESIZE);
	fx->page = mmap(NULL, fx->page_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fx->page == MAP_FAILED)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	mprotect_deny_bpf__destroy(fx->skel);
	munmap(fx->page, fx->page_size);
	free(fx);
	return 0;
}

/* Open and load the program, scoped to this process. */
static void load(struct fixture *fx)
{
	int err;

	fx->skel = mprotect_deny_bpf__open();
	assert_non_null(fx->skel);
	fx->skel->rodata->target_tgid = getpid();
	err = mprotect_deny_bpf__load(fx->skel);
	if (err)
		ktest_unavailable(
			"this kernel refuses to load an LSM program: %s; run the test inside krsi-vmtest",
			strerror(-err));
}

static int try_mprotect(struct fixture *fx, int prot)
{
	return mprotect(fx->page, fx->page_size, prot) ? -errno : 0;
}

static void test_denied_while_attached_allowed_after_detach(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *link;
	__u64 calls;

	load(fx);
	assert_int_equal(try_mprotect(fx, PROT_READ), 0);

	link = bpf_program__attach(fx->skel->progs.deny_mprotect);
	assert_non_null(link);
	assert_int_equal(try_mprotect(fx, PROT_READ), -EPERM);
	assert_int_equal(try_mprotect(fx, PROT_READ | PROT_WRITE), -EPERM);
	assert_int_equal(fx->skel->bss->calls, 2);

	bpf_link__destroy(link);
	calls = fx->skel->bss->calls;
	assert_int_equal(try_mprotect(fx, PROT_READ), 0);
	assert_int_equal(fx->skel->bss->calls, calls);
}

static void test_other_process_not_denied(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *link;
	int status;
	pid_t pid;

	load(fx);
	link = bpf_program__attach(fx->skel->progs.deny_mprotect);
	assert_non_null(link);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(try_mprotect(fx, PROT_READ) == 0 ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(try_mprotect(fx, PROT_READ), -EPERM);

	bpf_link__destroy(link);
}

/* --lsm-off: attach "works", the hook never runs, nothing is denied. */
static void test_attaches_but_never_runs_without_bpf_lsm(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *link;

	if (ktest_bpf_lsm_active())
		fail_msg(
			"--lsm-off given but \"bpf\" is in /sys/kernel/security/lsm: boot with an lsm= list lacking bpf");
	load(fx);
	link = bpf_program__attach(fx->skel->progs.deny_mprotect);
	assert_non_null(link);
	assert_int_equal(try_mprotect(fx, PROT_READ), 0);
	assert_int_equal(try_mprotect(fx, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(fx->skel->bss->calls, 0);
	bpf_link__destroy(link);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		cmocka_unit_test_setup_teardown(
			test_denied_while_attached_allowed_after_detach, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_other_process_not_denied,
						setup, teardown),
	};
	const struct CMUnitTest lsm_off[] = {
		cmocka_unit_test_setup_teardown(
			test_attaches_but_never_runs_without_bpf_lsm, setup,
			teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("mprotect_deny (lsm-off)",
						   lsm_off, NULL, NULL);
	return cmocka_run_group_tests_name("mprotect_deny", lsm_on, NULL, NULL);
}
