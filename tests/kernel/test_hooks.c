// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The hook catalog against the kernel itself. Every check loads programs of
 * its own with libbpf's bpf_prog_load(), not through libkrsi, so the
 * catalog is checked by something other than itself:
 * - no non-hook: every catalog hook loads or is refused as "disabled",
 *   never as "wrong type name", which is what the kernel says of a
 *   bpf_lsm_* function that is not a hook (and does say of the ones the
 *   catalog leaves out);
 * - every flag of the catalog, shipped, cached or measured, is known and
 *   agrees with trial loads, and so does every flag it measures with
 *   krsi_hooks_opts::trial_load;
 * - on a kernel build it has never seen (krsi_hooks_opts::ignore_known),
 *   the catalog measures the flags once and reads them from its cache
 *   after, with no bpf() call; a cache that is corrupt, writable by others,
 *   another user's or of another kernel is ignored and rebuilt;
 * - every hook not marked disabled takes a trivial program: load, attach,
 *   detach; per-cgroup programs attach through each of the kernel's shims.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <krsi/krsi.h>

#include "ktest.h"

#define TEST_CGROUP "/sys/fs/cgroup/krsi-test-hooks"
#define CACHE_DIR "/tmp/krsi-test-hook-cache"
#define CACHE CACHE_DIR "/hook-flags"

static char log_buf[8192];

/* This kernel lacks what the test needs: skipped, saying why. */
#define skip_lacking(...)                               \
	do {                                            \
		print_message("skipped: " __VA_ARGS__); \
		print_message("\n");                    \
		skip();                                 \
	} while (0)

/* Whether the running kernel is MAJOR.MINOR or later. */
static bool kernel_at_least(unsigned int major, unsigned int minor)
{
	unsigned int ma = 0, mi = 0;
	struct utsname u;

	uname(&u);
	sscanf(u.release, "%u.%u", &ma, &mi);
	return ma > major || (ma == major && mi >= minor);
}

/* Whether any hook of the catalog takes per-cgroup programs (6.0+). */
static bool has_lsm_cgroup(const struct krsi_hooks *hooks)
{
	size_t i;

	for (i = 0; i < krsi_hooks__count(hooks); i++)
		if (krsi_hook__flag(krsi_hooks__at(hooks, i), KRSI_HOOK_CGROUP,
				    NULL) == KRSI_YES)
			return true;
	return false;
}

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

/* The flags measured by libkrsi's trial loads, once for all tests. */
static struct krsi_hooks *measured;

static const struct krsi_hooks *measured_catalog(void)
{
	if (!measured)
		measured = load_catalog(true);
	return measured;
}

static int free_measured(void **state)
{
	(void)state;
	krsi_hooks__free(measured);
	return 0;
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
		/* Refused for its set ("disabled hook"), or before 6.1 for
		 * a struct argument: the catalog says so. */
		if (krsi_hook__flag(h, KRSI_HOOK_DISABLED, NULL) != KRSI_YES)
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
	assert_true(non_hooks >= 3); /* 3 on 5.10, 7 on 6.12 */
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

static void test_flags_agree_with_trial_loads(void **state)
{
	const struct krsi_hooks *measured = measured_catalog();
	struct krsi_hooks *hooks = load_catalog(false);
	enum krsi_flag_source src, first;
	unsigned int unknown = 0, yes[3] = {};
	const struct krsi_hook *h, *m;
	enum krsi_tristate v;
	struct utsname u;
	bool truth;
	size_t i;
	int f;

	(void)state;
	assert_int_equal(krsi_hooks__count(hooks), krsi_hooks__count(measured));
	krsi_hook__flag(krsi_hooks__at(hooks, 0), 0, &first);
	for (i = 0; i < krsi_hooks__count(hooks); i++) {
		h = krsi_hooks__at(hooks, i);
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
				unknown++;
				continue;
			}
			assert_int_equal(src, first); /* one origin */
			if ((v == KRSI_YES) != truth)
				fail_msg(
					"hook %s: libkrsi says %s is %s (%s), the kernel says %s",
					krsi_hook__name(h),
					krsi_hook_flag_str(f),
					v == KRSI_YES ? "yes" : "no",
					krsi_hooks__flags_note(hooks),
					truth ? "yes" : "no");
		}
	}
	uname(&u);
	print_message(
		"kernel %s: %zu hooks, %u disabled, %u sleepable, %u per-cgroup; every flag agrees with trial loads, %u unknown; flags %s\n",
		u.release, krsi_hooks__count(hooks), yes[0], yes[1], yes[2],
		unknown, krsi_hooks__flags_note(hooks));
	if (unknown)
		fail_msg("%u flags unknown: %s", unknown,
			 krsi_hooks__flags_note(hooks));
	krsi_hooks__free(hooks);
}

/* The catalog of a kernel libkrsi has never seen, cached in CACHE. */
static struct krsi_hooks *load_unseen(void)
{
	KRSI_OPTS(krsi_hooks_opts, opts, .flags_cache = CACHE,
		  .ignore_known = true);

	return krsi_hooks__load(&opts);
}

/* Whether every flag of HOOKS comes from SRC and equals REF's. */
static bool all_from(const struct krsi_hooks *hooks,
		     const struct krsi_hooks *ref, enum krsi_flag_source src)
{
	enum krsi_flag_source s;
	size_t i;
	int f;

	if (!hooks || krsi_hooks__count(hooks) != krsi_hooks__count(ref))
		return false;
	for (i = 0; i < krsi_hooks__count(hooks); i++)
		for (f = 0; f < 3; f++)
			if (krsi_hook__flag(krsi_hooks__at(hooks, i), f, &s) !=
				    krsi_hook__flag(krsi_hooks__at(ref, i), f,
						    NULL) ||
			    s != src)
				return false;
	return true;
}

/* Make every bpf() call of this process fail with ENOTTY. */
static int forbid_bpf(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOTTY),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]),
				   .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return -errno;
	return 0;
}

/*
 * In a child that cannot call bpf() at all: a trial load fails there, and
 * the catalog's flags come from the cache, equal to REF's. 0 if so.
 */
static int cached_without_bpf(const struct krsi_hooks *ref)
{
	KRSI_OPTS(krsi_hooks_opts, trial, .trial_load = true);
	struct krsi_hooks *hooks;
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		krsi_set_print(NULL);
		if (forbid_bpf())
			_exit(10);
		hooks = krsi_hooks__load(&trial);
		if (hooks || errno != ENOTTY)
			_exit(11); /* the filter did not stop trial loads */
		hooks = load_unseen();
		_exit(all_from(hooks, ref, KRSI_FLAG_CACHED) ? 0 : 12);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static double measure_unseen(struct krsi_hooks **hooks)
{
	double t0 = now();

	*hooks = load_unseen();
	assert_non_null(*hooks);
	return now() - t0;
}

/*
 * A kernel build libkrsi has never seen: the first catalog measures the
 * flags and caches them; the next reads them, making no bpf() call.
 */
static void test_unseen_kernel_measured_then_cached(void **state)
{
	const struct krsi_hooks *ref = measured_catalog();
	struct krsi_hooks *first, *second;
	struct stat st;
	double t1, t2;

	(void)state;
	unlink(CACHE);
	rmdir(CACHE_DIR);
	t1 = measure_unseen(&first);
	if (!all_from(first, ref, KRSI_FLAG_MEASURED))
		fail_msg("first use: not all flags measured: %s",
			 krsi_hooks__flags_note(first));
	assert_non_null(
		strstr(krsi_hooks__flags_note(first), "cached in " CACHE));
	assert_int_equal(stat(CACHE, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	t2 = measure_unseen(&second);
	assert_true(all_from(second, ref, KRSI_FLAG_CACHED));
	assert_non_null(strstr(krsi_hooks__flags_note(second), "read from"));
	assert_int_equal(cached_without_bpf(ref), 0);
	print_message(
		"first use: %s (%.2f s in all); second use: read from the cache in %.3f s, and so without bpf()\n",
		krsi_hooks__flags_note(first), t1, t2);
	krsi_hooks__free(first);
	krsi_hooks__free(second);
}

static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static size_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, size - 1);
	close(fd);
	assert_true(n > 0 && (size_t)n < size - 1);
	buf[n] = '\0';
	return n;
}

/*
 * Ways a cache is spoilt, each measured anew here; links, partial files,
 * directories others may write and more are refused in the unit tests,
 * without trial loads.
 */
enum spoil {
	CORRUPT,
	OTHERS_MAY_WRITE,
	ANOTHER_USERS,
	ANOTHER_KERNEL,
	NR_SPOILS,
};

/* Spoil the valid cache GOOD (LEN bytes) a way; what libkrsi will say. */
static const char *spoil(enum spoil how, const char *good, size_t len)
{
	char *text = strdup(good), *id;
	const char *says;

	assert_non_null(text);
	write_file(CACHE, good, len);
	switch (how) {
	case CORRUPT:
		text[len / 2] = '\0';
		write_file(CACHE, text, len);
		says = "ignoring the hook flag cache " CACHE;
		break;
	case OTHERS_MAY_WRITE:
		assert_int_equal(chmod(CACHE, 0666), 0);
		says = "others may write it";
		break;
	case ANOTHER_USERS:
		assert_int_equal(chown(CACHE, 65534, 65534), 0);
		says = "it belongs to another user";
		break;
	default:
		id = strstr(text, "build-id ") + strlen("build-id ");
		*id = *id == '0' ? '1' : '0';
		write_file(CACHE, text, len);
		says = "it is of another kernel build";
	}
	free(text);
	return says;
}

/* A cache that cannot be trusted is ignored, measured anew and replaced
 * by a valid one, named in the note. */
static void test_bad_caches_ignored_and_rebuilt(void **state)
{
	const struct krsi_hooks *ref = measured_catalog();
	char good[32768], now_text[32768];
	struct krsi_hooks *hooks;
	const char *says;
	struct stat st;
	size_t len;
	int how;

	(void)state;
	hooks = load_unseen(); /* a valid cache to spoil */
	krsi_hooks__free(hooks);
	len = read_file(CACHE, good, sizeof(good));
	for (how = 0; how < NR_SPOILS; how++) {
		says = spoil(how, good, len);
		ktest_capture_start();
		hooks = load_unseen();
		krsi_set_print(NULL);
		if (!all_from(hooks, ref, KRSI_FLAG_MEASURED))
			fail_msg("spoilt cache %d: flags not measured anew: %s",
				 how, krsi_hooks__flags_note(hooks));
		ktest_log_has(says);
		assert_non_null(strstr(krsi_hooks__flags_note(hooks),
				       "the file there was ignored"));
		krsi_hooks__free(hooks);
		assert_int_equal(lstat(CACHE, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(st.st_uid, 0);
		assert_int_equal(st.st_mode & 07777, 0644);
		read_file(CACHE, now_text, sizeof(now_text));
		assert_string_equal(now_text, good);
	}
	print_message(
		"corrupt, writable by others, another user's and another kernel's caches: each ignored, measured again and replaced\n");
	unlink(CACHE);
	rmdir(CACHE_DIR);
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
	if (!has_lsm_cgroup(hooks)) {
		krsi_hooks__free(hooks);
		skip_lacking(
			"this kernel has no per-cgroup LSM programs (lsm_cgroup/, Linux 6.0)");
	}
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

/* The verifier's answers, per hook and per kind of program, where the
 * kernel has the helper. */
static void test_probe_helpers_per_hook(void **state)
{
	struct krsi_hooks *hooks = load_catalog(false);
	const struct krsi_btf *btf = krsi_hooks__btf(hooks);
	long long v;

	(void)state;
	assert_int_equal(probe_helper(hooks, "file_open",
				      BPF_FUNC_get_current_pid_tgid, false,
				      false),
			 1);
	/* bpf_ima_file_hash() (5.18) needs a sleepable program. */
	assert_int_equal(probe_helper(hooks, "bprm_check_security",
				      BPF_FUNC_ima_file_hash, false, false),
			 0);
	if (!krsi_btf__enum_value(btf, 0, "BPF_FUNC_ima_file_hash", &v))
		assert_int_equal(probe_helper(hooks, "bprm_check_security",
					      BPF_FUNC_ima_file_hash, true,
					      false),
				 1);
	else
		print_message(
			"this kernel has no bpf_ima_file_hash() (5.18): only its refusal was checked\n");
	/* bpf_set_retval() is for per-cgroup programs (6.0). */
	assert_int_equal(probe_helper(hooks, "file_open", BPF_FUNC_set_retval,
				      false, false),
			 0);
	if (has_lsm_cgroup(hooks))
		assert_int_equal(probe_helper(hooks, "file_open",
					      BPF_FUNC_set_retval, false, true),
				 1);
	else
		print_message(
			"this kernel has no per-cgroup LSM programs (6.0): bpf_set_retval() was checked refused only\n");
	/* bpf_d_path() is allowed on the hooks the kernel lists sleepable,
	 * such as file_open, not on task_getsid; not in LSM programs before
	 * 5.11. */
	assert_int_equal(
		probe_helper(hooks, "file_open", BPF_FUNC_d_path, false, false),
		kernel_at_least(5, 11));
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
		cmocka_unit_test(test_flags_agree_with_trial_loads),
		cmocka_unit_test(test_unseen_kernel_measured_then_cached),
		cmocka_unit_test(test_bad_caches_ignored_and_rebuilt),
		cmocka_unit_test(test_every_enabled_hook_attaches),
		cmocka_unit_test(test_cgroup_attach_per_shim_and_limit),
		cmocka_unit_test(test_probe_helpers_per_hook),
		cmocka_unit_test(test_probe_kfuncs_per_hook),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* the catalog does not depend on bpf being active */
	return cmocka_run_group_tests_name("hooks", tests, NULL, free_measured);
}
