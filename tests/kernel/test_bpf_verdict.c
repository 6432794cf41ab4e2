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
#include "verdict_shapes.skel.h"
#include "verdict_shapes_o1.skel.h"

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

/* Which programs load() loads. */
enum load_what {
	LOAD_LSM, /* the lsm/ programs */
	LOAD_CGROUP, /* the lsm_cgroup/ programs */
	LOAD_SYSCALL, /* verdict_logic() */
};

/* Open and load the programs of one kind, skipping where the kernel lacks
 * them (lsm_cgroup/ before 6.0, syscall programs before 5.14). */
static void load(struct fixture *fx, enum load_what what)
{
	enum load_what kind;
	struct bpf_program *prog;
	bool cgroup;
	int err;

	if (what == LOAD_CGROUP)
		ktest_require_feature(KRSI_FEATURE_LSM_CGROUP);
	if (what == LOAD_SYSCALL)
		ktest_require_feature(KRSI_FEATURE_SYSCALL_PROG);
	fx->skel = bpf_verdict_bpf__open();
	assert_non_null(fx->skel);
	bpf_object__for_each_program (prog, fx->skel->obj) {
		cgroup = bpf_program__expected_attach_type(prog) ==
			 BPF_LSM_CGROUP;
		kind = prog == fx->skel->progs.verdict_logic ? LOAD_SYSCALL
		       : cgroup				     ? LOAD_CGROUP
							     : LOAD_LSM;
		bpf_program__set_autoload(prog, kind == what);
	}
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

	load(fx, LOAD_LSM);
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

	load(fx, LOAD_LSM);
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

	load(fx, LOAD_LSM);
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

	/* Loaded again: 5.10 attaches a program once only (a second attach
	 * after its link went fails with ENOENT). */
	bpf_verdict_bpf__destroy(fx->skel);
	load(fx, LOAD_LSM);
	fx->skel->bss->deny_errno = EXDEV;
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

	load(fx, LOAD_CGROUP);
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

	load(fx, LOAD_CGROUP);
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

	load(fx, LOAD_SYSCALL);
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

/*
 * Publish a generation of the shapes' policy: the test's uid denied, or
 * nobody. CTL and SET are the skeleton's krsi_ctl and denied_uids.
 */
static void publish(struct bpf_map *ctl, struct bpf_map *set, bool deny)
{
	struct krsi_map *ctl_map = krsi_map__new(ctl);
	struct krsi_map *set_map = krsi_map__new(set);
	struct krsi_gen *gen;
	struct krsi_set *ids;

	assert_non_null(ctl_map);
	assert_non_null(set_map);
	gen = krsi_gen__new(ctl_map, NULL);
	assert_non_null(gen);
	ids = krsi_gen__add_set(gen, set_map, KRSI_SET_ID);
	assert_non_null(ids);
	assert_int_equal(krsi_gen__begin(gen), 0);
	if (deny)
		assert_int_equal(krsi_set__add_id(ids, getuid(), NULL), 0);
	assert_int_equal(krsi_gen__commit(gen), 0);
	assert_int_equal(krsi_set_policy_mode(ctl_map, KRSI_MODE_ENFORCE), 0);
	krsi_gen__free(gen);
	krsi_map__free(set_map);
	krsi_map__free(ctl_map);
}

/* What a shape denies getsid() with: by its name (see the program). */
static int shape_errno(const char *name, bool deny)
{
	if (!deny)
		return strncmp(name, "either", 6) ? 0 : -EPERM;
	if (!strncmp(name, "const", 5) || !strncmp(name, "either", 6))
		return -EACCES;
	return -EXDEV; /* errno_rt */
}

/*
 * The verdict paths in the shapes of progs/verdict_shapes.bpf.c, built at
 * -O2 and -O1 (SKEL_TYPE, whose programs and variables have the same
 * names): each loads, and each denies getsid() with its errno in enforce
 * mode while the test's uid is in the policy's set, and decides otherwise
 * when it is not.
 */
#define check_shapes(skel_type, label)                                          \
	do {                                                                    \
		struct skel_type *skel_ = skel_type##__open();                  \
		struct bpf_program *prog_;                                      \
		struct bpf_link *link_;                                         \
		const char *name_;                                              \
		int err_, deny_;                                                \
                                                                                \
		assert_non_null(skel_);                                         \
		skel_->bss->target_tgid = getpid();                             \
		skel_->bss->errno_rt = EXDEV;                                   \
		err_ = skel_type##__load(skel_);                                \
		if (err_)                                                       \
			fail_msg("%s: the verdict shapes do not load: %s",      \
				 label, strerror(-err_));                       \
		bpf_object__for_each_program (prog_, skel_->obj) {              \
			name_ = bpf_program__name(prog_);                       \
			link_ = bpf_program__attach(prog_);                     \
			if (!link_)                                             \
				fail_msg("%s: attach %s: %s", label, name_,     \
					 strerror(errno));                      \
			for (deny_ = 1; deny_ >= 0; deny_--) {                  \
				publish(skel_->maps.krsi_ctl,                   \
					skel_->maps.denied_uids, deny_);        \
				err_ = try_getsid();                            \
				if (err_ != shape_errno(name_, deny_))          \
					fail_msg(                               \
						"%s: %s: getsid() %d, want %d", \
						label, name_, err_,             \
						shape_errno(name_, deny_));     \
			}                                                       \
			bpf_link__destroy(link_);                               \
		}                                                               \
		skel_type##__destroy(skel_);                                    \
	} while (0)

static void test_verdict_shapes(void **state)
{
	(void)state;
	check_shapes(verdict_shapes_bpf, "-O2");
	check_shapes(verdict_shapes_o1_bpf, "-O1");
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
		cmocka_unit_test(test_verdict_shapes),
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
