// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/verdict.bpf.h>: lsm/ programs deny getsid() with the exact errno
 * given as a constant or at run time, and an earlier denial wins;
 * lsm_cgroup/ programs deny the tasks of their cgroup with the errno they
 * set, the first denial winning, and allow. The arithmetic of KRSI_DENY()
 * is also checked on values chosen at run time by a syscall program, which
 * needs no BPF LSM and so runs in the lsm-off boot too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ktest.h"
#include "bpf_verdict.skel.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

struct fixture {
	struct bpf_verdict_bpf *skel;
	struct bpf_link *links[4]; /* destroyed by teardown, if still there */
	char cgroup[128]; /* our test cgroup, once created */
	int cgroup_fd;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->cgroup_fd = -1;
	*state = fx;
	return 0;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail_msg("write %s to %s: %s", text, path, strerror(errno));
	close(fd);
}

/* Move this process into the cgroup directory DIR. */
static void enter_cgroup(const char *dir)
{
	char path[160], pid[16];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	write_file(path, pid);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(fx->links) / sizeof(fx->links[0]); i++)
		bpf_link__destroy(fx->links[i]);
	bpf_verdict_bpf__destroy(fx->skel);
	if (fx->cgroup[0]) {
		enter_cgroup(CGROUP_ROOT);
		close(fx->cgroup_fd);
		rmdir(fx->cgroup);
	}
	free(fx);
	return 0;
}

/* Open and load; with LSM set, the lsm/ and lsm_cgroup/ programs too. */
static void load(struct fixture *fx, bool lsm)
{
	struct bpf_program *prog;
	int err;

	fx->skel = bpf_verdict_bpf__open();
	assert_non_null(fx->skel);
	if (!lsm)
		bpf_object__for_each_program (prog, fx->skel->obj)
			bpf_program__set_autoload(
				prog, prog == fx->skel->progs.verdict_logic);
	fx->skel->bss->target_tgid = getpid();
	err = bpf_verdict_bpf__load(fx->skel);
	if (err)
		ktest_unavailable(
			"this kernel refuses to load the verdict programs: %s; run the test inside krsi-vmtest",
			strerror(-err));
}

/* getsid(0) skips the LSM hook; getsid(getpid()) reaches task_getsid. */
static int try_getsid(void)
{
	return getsid(getpid()) < 0 ? -errno : 0;
}

/* Keep LINK in the fixture, so that a failed test still detaches it. */
static struct bpf_link *keep(struct fixture *fx, struct bpf_link *link,
			     struct bpf_program *prog)
{
	size_t i;

	if (!link)
		fail_msg("attach %s: %s", bpf_program__name(prog),
			 strerror(errno));
	for (i = 0; fx->links[i]; i++)
		assert_true(i + 1 < sizeof(fx->links) / sizeof(fx->links[0]));
	fx->links[i] = link;
	return link;
}

static struct bpf_link *attach(struct fixture *fx, struct bpf_program *prog)
{
	return keep(fx, bpf_program__attach(prog), prog);
}

static void detach(struct fixture *fx, struct bpf_link *link)
{
	size_t i;

	for (i = 0; i < sizeof(fx->links) / sizeof(fx->links[0]); i++)
		if (fx->links[i] == link)
			fx->links[i] = NULL;
	bpf_link__destroy(link);
}

static void test_deny_with_constant_errno(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *link;

	load(fx, true);
	link = attach(fx, fx->skel->progs.deny_const);
	assert_int_equal(try_getsid(), -EACCES);
	assert_int_equal(fx->skel->bss->runs_const, 1);
	detach(fx, link);
	assert_int_equal(try_getsid(), 0);
	assert_int_equal(fx->skel->bss->runs_const, 1);
}

static void test_deny_with_runtime_errno(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *link;

	load(fx, true);
	link = attach(fx, fx->skel->progs.deny_runtime);
	fx->skel->bss->deny_errno = EXDEV;
	assert_int_equal(try_getsid(), -EXDEV);
	/* Not an errno: still denied, with EPERM. */
	fx->skel->bss->deny_errno = 0;
	assert_int_equal(try_getsid(), -EPERM);
	fx->skel->bss->deny_errno = -EACCES;
	assert_int_equal(try_getsid(), -EPERM);
	fx->skel->bss->deny_errno = 4096;
	assert_int_equal(try_getsid(), -EPERM);
	assert_int_equal(fx->skel->bss->runs_runtime, 4);
	detach(fx, link);
	assert_int_equal(try_getsid(), 0);
}

/*
 * Two lsm/ programs on one hook: the first to run and deny decides the
 * errno. The kernel runs them in the reverse order of attachment (its
 * trampoline adds each new link at the head of its list), and may not run
 * the second at all after a denial: the test reports what it measured.
 */
static void test_first_denial_wins(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *first, *second;

	load(fx, true);
	fx->skel->bss->deny_errno = EXDEV;
	first = attach(fx, fx->skel->progs.deny_runtime);
	second = attach(fx, fx->skel->progs.deny_const);
	assert_int_equal(try_getsid(), -EACCES);
	assert_int_equal(fx->skel->bss->runs_const, 1);
	print_message(
		"lsm/ program attached first, after a denial by the one attached second: ran %llu time(s) of 1\n",
		(unsigned long long)fx->skel->bss->runs_runtime);
	detach(fx, first);
	detach(fx, second);

	first = attach(fx, fx->skel->progs.deny_const);
	second = attach(fx, fx->skel->progs.deny_runtime);
	assert_int_equal(try_getsid(), -EXDEV);
	detach(fx, first);
	detach(fx, second);
	assert_int_equal(try_getsid(), 0);
}

/* Create a cgroup for the test and open it. */
static void make_cgroup(struct fixture *fx)
{
	snprintf(fx->cgroup, sizeof(fx->cgroup), CGROUP_ROOT "/krsi-verdict-%d",
		 getpid());
	if (mkdir(fx->cgroup, 0755) && errno != EEXIST)
		fail_msg("mkdir %s: %s", fx->cgroup, strerror(errno));
	fx->cgroup_fd = open(fx->cgroup, O_RDONLY | O_DIRECTORY);
	assert_true(fx->cgroup_fd >= 0);
}

static struct bpf_link *attach_cgroup(struct fixture *fx,
				      struct bpf_program *prog)
{
	return keep(fx, bpf_program__attach_cgroup(prog, fx->cgroup_fd), prog);
}

static void test_cgroup_deny_only_inside_cgroup(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *link;

	load(fx, true);
	make_cgroup(fx);
	link = attach_cgroup(fx, fx->skel->progs.cgroup_deny_eacces);
	assert_int_equal(try_getsid(), 0); /* not in the cgroup yet */
	enter_cgroup(fx->cgroup);
	assert_int_equal(try_getsid(), -EACCES);
	enter_cgroup(CGROUP_ROOT);
	assert_int_equal(try_getsid(), 0);
	enter_cgroup(fx->cgroup);
	detach(fx, link);
	assert_int_equal(try_getsid(), 0);
}

static void test_cgroup_first_denial_wins(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *links[3];

	load(fx, true);
	make_cgroup(fx);
	enter_cgroup(fx->cgroup);
	links[0] = attach_cgroup(fx, fx->skel->progs.cgroup_allow);
	assert_int_equal(try_getsid(), 0);
	links[1] = attach_cgroup(fx, fx->skel->progs.cgroup_deny_eacces);
	links[2] = attach_cgroup(fx, fx->skel->progs.cgroup_deny_exdev);
	assert_int_equal(try_getsid(), -EACCES);
	detach(fx, links[1]);
	assert_int_equal(try_getsid(), -EXDEV);
	detach(fx, links[2]);
	assert_int_equal(try_getsid(), 0);
	detach(fx, links[0]);
}

/* KRSI_DENY()/KRSI_ALLOW() on values the compiler cannot see. */
static void test_deny_arithmetic(void **state)
{
	static const struct {
		int ret;
		long err;
		int deny;
	} cases[] = {
		{ 0, EPERM, -EPERM },	 { 0, EACCES, -EACCES },
		{ 0, 4095, -4095 },	 { 0, 0, -EPERM },
		{ 0, -EACCES, -EPERM },	 { 0, 4096, -EPERM },
		{ 0, 1L << 40, -EPERM }, { -EACCES, EPERM, -EACCES },
		{ -EXDEV, 0, -EXDEV },
	};
	struct fixture *fx = *state;
	size_t i;

	load(fx, false);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts);

		fx->skel->bss->logic_ret = cases[i].ret;
		fx->skel->bss->logic_err = cases[i].err;
		assert_int_equal(
			bpf_prog_test_run_opts(
				bpf_program__fd(fx->skel->progs.verdict_logic),
				&opts),
			0);
		if (fx->skel->bss->logic_deny != cases[i].deny)
			fail_msg("KRSI_DENY(%d, %ld) = %d, want %d",
				 cases[i].ret, cases[i].err,
				 fx->skel->bss->logic_deny, cases[i].deny);
		assert_int_equal(fx->skel->bss->logic_allow, cases[i].ret);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		cmocka_unit_test_setup_teardown(test_deny_with_constant_errno,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_deny_with_runtime_errno,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_denial_wins, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_cgroup_deny_only_inside_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_first_denial_wins,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_deny_arithmetic, setup,
						teardown),
	};
	const struct CMUnitTest lsm_off[] = {
		cmocka_unit_test_setup_teardown(test_deny_arithmetic, setup,
						teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("bpf_verdict (lsm-off)",
						   lsm_off, NULL, NULL);
	return cmocka_run_group_tests_name("bpf_verdict", lsm_on, NULL, NULL);
}
