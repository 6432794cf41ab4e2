// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The hook catalog against the kernel itself. Every check loads programs of
 * its own with libbpf's bpf_prog_load(), not through libkrsi, so the
 * catalog is checked by something other than itself:
 * - no non-hook: every catalog hook loads or is refused as "disabled",
 *   never as "wrong type name", which is what the kernel says of a
 *   bpf_lsm_* function that is not a hook (and does say of the ones the
 *   catalog leaves out);
 * - every flag libkrsi claims to know agrees with trial loads, and so does
 *   every flag it measures with krsi_hooks_opts::trial_load;
 * - every hook not marked disabled takes a trivial program: load, attach,
 *   detach; per-cgroup programs attach through each of the kernel's shims.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <krsi/krsi.h>

#include "ktest.h"

#define TEST_CGROUP "/sys/fs/cgroup/krsi-test-hooks"

static char log_buf[8192];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Load "r0 = RET; exit" on BTF_ID; the fd, or -errno with log_buf set. */
static int load(__u32 btf_id, enum bpf_attach_type type, bool sleepable)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = BPF_REG_0,
		  .imm = type == BPF_LSM_CGROUP },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .attach_btf_id = btf_id,
		    .expected_attach_type = type, .log_buf = log_buf,
		    .log_size = sizeof(log_buf), .log_level = 1);
	int fd;

	if (sleepable)
		opts.prog_flags = BPF_F_SLEEPABLE;
	log_buf[0] = '\0';
	fd = bpf_prog_load(BPF_PROG_TYPE_LSM, "ktest", "GPL", insns, 2, &opts);
	return fd < 0 ? -errno : fd;
}

/* Whether a program of this kind loads on the hook (closing it again). */
static bool loads(__u32 btf_id, enum bpf_attach_type type, bool sleepable)
{
	int fd = load(btf_id, type, sleepable);

	if (fd == -EPERM)
		ktest_unavailable(
			"this kernel refuses to load LSM programs (EPERM before verification)");
	if (fd >= 0)
		close(fd);
	else
		assert_true(fd == -EINVAL || fd == -EACCES);
	return fd >= 0;
}

static struct krsi_hooks *load_catalog(bool trial)
{
	KRSI_OPTS(krsi_hooks_opts, opts, .trial_load = trial);
	struct krsi_hooks *hooks = krsi_hooks__load(&opts);

	if (!hooks && (errno == EPERM || errno == EACCES))
		ktest_unavailable(
			"this kernel refuses trial loads of LSM programs: %s",
			strerror(errno));
	assert_non_null(hooks);
	return hooks;
}

static void test_catalog_holds_hooks_and_only_hooks(void **state)
{
	struct krsi_hooks *hooks = load_catalog(false);
	const struct krsi_btf *btf = krsi_hooks__btf(hooks);
	unsigned int non_hooks = 0, disabled = 0;
	const struct krsi_hook *h;
	krsi_print_fn_t print;
	const char *name;
	__u32 id, n;
	size_t i;
	int fd;

	(void)state;
	assert_true(krsi_hooks__count(hooks) > 200);
	for (i = 0; i < krsi_hooks__count(hooks); i++) {
		h = krsi_hooks__at(hooks, i);
		fd = load(krsi_hook__btf_id(h), BPF_LSM_MAC, false);
		if (fd == -EPERM)
			ktest_unavailable(
				"this kernel refuses to load LSM programs");
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (!strstr(log_buf, "disabled hook"))
			fail_msg("catalog hook %s refused: %s",
				 krsi_hook__name(h), log_buf);
		disabled++;
	}
	/* The bpf_lsm_* functions the catalog left out are not hooks. */
	print = krsi_set_print(NULL); /* no "did you mean" for each */
	n = krsi_btf__type_count(btf);
	for (id = 1; id < n; id++) {
		name = krsi_btf__name(btf, id);
		if (krsi_btf__kind(btf, id) != BTF_KIND_FUNC ||
		    strncmp(name, "bpf_lsm_", 8))
			continue;
		if (krsi_hooks__find(hooks, name))
			continue;
		fd = load(id, BPF_LSM_MAC, false);
		assert_true(fd < 0);
		if (!strstr(log_buf, "wrong type name"))
			fail_msg("%s, left out of the catalog: %s", name,
				 log_buf);
		non_hooks++;
	}
	krsi_set_print(print);
	print_message(
		"%zu hooks (%u disabled by the kernel); %u bpf_lsm_* functions rightly left out\n",
		krsi_hooks__count(hooks), disabled, non_hooks);
	assert_true(non_hooks >= 4);
	krsi_hooks__free(hooks);
}

static bool measure(const struct krsi_hook *h, enum krsi_hook_flag flag)
{
	__u32 id = krsi_hook__btf_id(h);

	switch (flag) {
	case KRSI_HOOK_DISABLED:
		return !loads(id, BPF_LSM_MAC, false);
	case KRSI_HOOK_SLEEPABLE:
		return loads(id, BPF_LSM_MAC, true);
	default:
		return loads(id, BPF_LSM_CGROUP, false);
	}
}

static void test_known_flags_agree_with_trial_loads(void **state)
{
	struct krsi_hooks *known = load_catalog(false);
	struct krsi_hooks *measured = load_catalog(true);
	unsigned int compared = 0, unknown = 0, yes[3] = {};
	enum krsi_flag_source src;
	const struct krsi_hook *h, *m;
	enum krsi_tristate v;
	bool truth;
	size_t i;
	int f;

	(void)state;
	if (!krsi_hooks__known_release(known))
		fail_msg(
			"libkrsi knows nothing of this kernel: add it to lib/hook_flags.c");
	assert_int_equal(krsi_hooks__count(known), krsi_hooks__count(measured));
	for (i = 0; i < krsi_hooks__count(known); i++) {
		h = krsi_hooks__at(known, i);
		m = krsi_hooks__at(measured, i);
		assert_string_equal(krsi_hook__name(h), krsi_hook__name(m));
		for (f = 0; f < 3; f++) {
			truth = measure(h, f);
			yes[f] += truth;
			/* libkrsi's own trial loads agree with ours. */
			assert_int_equal(krsi_hook__flag(m, f, &src), truth);
			assert_int_equal(src, KRSI_FLAG_MEASURED);
			v = krsi_hook__flag(h, f, &src);
			if (v == KRSI_UNKNOWN) {
				assert_int_equal(src, KRSI_FLAG_NONE);
				unknown++;
				continue;
			}
			assert_int_equal(src, KRSI_FLAG_KNOWN);
			if ((v == KRSI_YES) != truth)
				fail_msg(
					"hook %s: libkrsi knows %s is %s, the kernel says %s",
					krsi_hook__name(h),
					krsi_hook_flag_str(f),
					v == KRSI_YES ? "yes" : "no",
					truth ? "yes" : "no");
			compared++;
		}
	}
	print_message(
		"kernel %s: %u known flags agree with trial loads, %u unknown; measured %u disabled, %u sleepable, %u per-cgroup hooks\n",
		krsi_hooks__known_release(known), compared, unknown, yes[0],
		yes[1], yes[2]);
	assert_int_equal(unknown, 0);
	krsi_hooks__free(known);
	krsi_hooks__free(measured);
}

/* Load a program of TYPE on H and attach it to TARGET (0 or a cgroup). */
static int attach(const struct krsi_hook *h, enum bpf_attach_type type,
		  int target)
{
	int fd = load(krsi_hook__btf_id(h), type, false), link;

	if (fd < 0)
		fail_msg("%s: load failed: %s", krsi_hook__name(h), log_buf);
	link = bpf_link_create(fd, target, type, NULL);
	close(fd); /* the link holds the program */
	return link < 0 ? -errno : link;
}

/*
 * Attach everything first and detach afterwards: each detach waits for an
 * RCU tasks grace period (about 135 ms under TCG), and on 6.1 an attach
 * right after a detach waits for one more.
 */
static void test_every_enabled_hook_attaches(void **state)
{
	struct krsi_hooks *hooks = load_catalog(false);
	const struct krsi_hook *h;
	unsigned int n = 0, i;
	double t0, t1, t2;
	int *links;

	(void)state;
	links = calloc(krsi_hooks__count(hooks), sizeof(*links));
	assert_non_null(links);
	t0 = now();
	for (i = 0; i < krsi_hooks__count(hooks); i++) {
		h = krsi_hooks__at(hooks, i);
		if (krsi_hook__flag(h, KRSI_HOOK_DISABLED, NULL) != KRSI_NO)
			continue;
		links[n] = attach(h, BPF_LSM_MAC, 0);
		if (links[n] < 0)
			fail_msg("%s: attach failed: %s", krsi_hook__name(h),
				 strerror(-links[n]));
		n++;
	}
	t1 = now();
	for (i = 0; i < n; i++)
		close(links[i]);
	t2 = now();
	print_message(
		"%u hooks: loaded and attached in %.2f s, detached in %.2f s\n",
		n, t1 - t0, t2 - t1);
	assert_true(n > 200);
	free(links);
	krsi_hooks__free(hooks);
}

/*
 * Per-cgroup programs run through a shim the kernel picks by the hook's
 * first argument (a socket, a sock, or the current task's cgroup): one
 * hook of each kind attaches. The kernel allows per-cgroup programs on at
 * most 10 distinct hooks at once (CGROUP_LSM_NUM); the 11th fails EINVAL.
 */
static void test_cgroup_attach_per_shim_and_limit(void **state)
{
	static const char *const sample[] = {
		"socket_bind", /* struct socket * */
		"sk_alloc_security", /* struct sock *, but on current */
		"sock_graft", /* struct sock * */
		"file_open", /* current */
		"task_free", /* void hook */
		"capable",	     "inode_permission", "file_permission",
		"mmap_file",	     "task_kill",
	};
	struct krsi_hooks *hooks = load_catalog(false);
	int links[10], cg, extra, i;
	const struct krsi_hook *h;

	(void)state;
	rmdir(TEST_CGROUP);
	assert_int_equal(mkdir(TEST_CGROUP, 0755), 0);
	cg = open(TEST_CGROUP, O_RDONLY | O_DIRECTORY);
	assert_true(cg >= 0);
	for (i = 0; i < 10; i++) {
		h = krsi_hooks__find(hooks, sample[i]);
		assert_non_null(h);
		assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_CGROUP, NULL),
				 KRSI_YES);
		links[i] = attach(h, BPF_LSM_CGROUP, cg);
		if (links[i] < 0)
			fail_msg("%s: per-cgroup attach failed: %s", sample[i],
				 strerror(-links[i]));
	}
	extra = attach(krsi_hooks__find(hooks, "task_alloc"), BPF_LSM_CGROUP,
		       cg);
	assert_int_equal(extra, -EINVAL);
	for (i = 0; i < 10; i++)
		close(links[i]);
	close(cg);
	assert_int_equal(rmdir(TEST_CGROUP), 0);
	krsi_hooks__free(hooks);
}

static int probe_helper(const struct krsi_hooks *hooks, const char *hook,
			unsigned int helper, bool sleepable, bool cgroup)
{
	KRSI_OPTS(krsi_hook_probe_opts, opts, .sleepable = sleepable,
		  .cgroup = cgroup);

	return krsi_hook__probe_helper(hooks, krsi_hooks__find(hooks, hook),
				       helper, &opts);
}

/* The verifier's answers, per hook and per kind of program. */
static void test_probe_helpers_per_hook(void **state)
{
	struct krsi_hooks *hooks = load_catalog(false);

	(void)state;
	assert_int_equal(probe_helper(hooks, "file_open",
				      BPF_FUNC_get_current_pid_tgid, false,
				      false),
			 1);
	/* bpf_ima_file_hash() needs a sleepable program. */
	assert_int_equal(probe_helper(hooks, "bprm_check_security",
				      BPF_FUNC_ima_file_hash, false, false),
			 0);
	assert_int_equal(probe_helper(hooks, "bprm_check_security",
				      BPF_FUNC_ima_file_hash, true, false),
			 1);
	/* bpf_set_retval() is for per-cgroup programs. */
	assert_int_equal(probe_helper(hooks, "file_open", BPF_FUNC_set_retval,
				      false, false),
			 0);
	assert_int_equal(probe_helper(hooks, "file_open", BPF_FUNC_set_retval,
				      false, true),
			 1);
	/* bpf_d_path() is allowed on file_open, not on task_getsid. */
	assert_int_equal(
		probe_helper(hooks, "file_open", BPF_FUNC_d_path, false, false),
		1);
	assert_int_equal(probe_helper(hooks, "task_getsid", BPF_FUNC_d_path,
				      false, false),
			 0);
	krsi_hooks__free(hooks);
}

static void test_probe_kfuncs_per_hook(void **state)
{
	KRSI_OPTS(krsi_hook_probe_opts, sleepable, .sleepable = true);
	struct krsi_hooks *hooks = load_catalog(false);
	const struct krsi_hook *h = krsi_hooks__find(hooks, "file_open");
	int plain, slept;

	(void)state;
	/* A kernel function that is no kfunc is refused everywhere. */
	assert_int_equal(krsi_hook__probe_kfunc(hooks, h, "vfs_read", NULL), 0);
	assert_int_equal(
		krsi_hook__probe_kfunc(hooks, h, "no_such_kfunc", NULL),
		-ENOENT);
	/* bpf_get_file_xattr() (6.8+) needs a sleepable LSM program. */
	plain = krsi_hook__probe_kfunc(hooks, h, "bpf_get_file_xattr", NULL);
	slept = krsi_hook__probe_kfunc(hooks, h, "bpf_get_file_xattr",
				       &sleepable);
	if (plain == -ENOENT) {
		print_message(
			"this kernel has no bpf_get_file_xattr kfunc (before 6.8): only the refusals were checked\n");
		assert_int_equal(slept, -ENOENT);
	} else {
		assert_int_equal(plain, 0);
		assert_int_equal(slept, 1);
	}
	krsi_hooks__free(hooks);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_holds_hooks_and_only_hooks),
		cmocka_unit_test(test_known_flags_agree_with_trial_loads),
		cmocka_unit_test(test_every_enabled_hook_attaches),
		cmocka_unit_test(test_cgroup_attach_per_shim_and_limit),
		cmocka_unit_test(test_probe_helpers_per_hook),
		cmocka_unit_test(test_probe_kfuncs_per_hook),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* the catalog does not depend on bpf being active */
	return cmocka_run_group_tests_name("hooks", tests, NULL, NULL);
}
