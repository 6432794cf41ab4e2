// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Monitor and enforce on a running program: switching the mode word takes
 * effect at the next decision, with nothing reloaded. In enforce mode the
 * policy denies with its exact errno; in monitor mode the same operation
 * succeeds and the would-deny counter grows. The policy's sets are matched
 * on real hooks: paths and files (file_open), executables by identity
 * (bprm_check_security) and by IMA hash (sleepable bprm_check_security).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "policy_mode.skel.h"

#define BUSYBOX "/bin/busybox"
/* enum hash_algo of the kernel: what bpf_ima_file_hash() returns for SHA-256. */
#define HASH_ALGO_SHA256 4

struct fixture {
	struct policy_mode_bpf *skel;
	struct krsi_map *ctl, *stats, *paths, *files, *hashes;
	struct krsi_gen *gen;
	struct krsi_set *path_set, *file_set, *hash_set;
	char dir[64]; /* protected as a subtree */
	char secret[96]; /* in dir */
	char loose[64]; /* protected by identity */
	char open_file[64]; /* not protected */
	char program[64]; /* a copy of busybox, executed by children */
};

static void make_file(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	close(fd);
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		fail_msg("cannot open %s: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_true(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, n), n);
	close(in);
	close(out);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/krsi-mode-%d", getpid());
	snprintf(fx->secret, sizeof(fx->secret), "%s/secret", fx->dir);
	snprintf(fx->loose, sizeof(fx->loose), "/tmp/krsi-mode-%d-loose",
		 getpid());
	snprintf(fx->open_file, sizeof(fx->open_file), "/tmp/krsi-mode-%d-open",
		 getpid());
	snprintf(fx->program, sizeof(fx->program), "/tmp/krsi-mode-%d-prog",
		 getpid());
	mkdir(fx->dir, 0755);
	make_file(fx->secret, 0644);
	make_file(fx->loose, 0644);
	make_file(fx->open_file, 0644);
	fx->skel = policy_mode_bpf__open();
	if (!fx->skel)
		return -1;
	fx->skel->rodata->target_tgid = getpid();
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	krsi_gen__free(fx->gen);
	krsi_map__free(fx->ctl);
	krsi_map__free(fx->stats);
	krsi_map__free(fx->paths);
	krsi_map__free(fx->files);
	krsi_map__free(fx->hashes);
	policy_mode_bpf__destroy(fx->skel);
	unlink(fx->secret);
	rmdir(fx->dir);
	unlink(fx->loose);
	unlink(fx->open_file);
	unlink(fx->program);
	free(fx);
	return 0;
}

static struct krsi_map *map_of(struct bpf_map *m)
{
	struct krsi_map *map = krsi_map__new(m);

	assert_non_null(map);
	return map;
}

/* Load and attach the policy; protect dir (subtree) and loose (identity). */
static void load(struct fixture *fx)
{
	struct policy_mode_bpf *skel = fx->skel;
	int err;

	/* guard_exec_hash is sleepable and hashes with IMA (5.18). */
	bpf_program__set_autoload(
		skel->progs.guard_exec_hash,
		krsi_features__has(ktest_features(),
				   KRSI_FEATURE_IMA_FILE_HASH) == KRSI_YES);
	err = policy_mode_bpf__load(skel);
	if (err)
		ktest_unavailable(
			"this kernel refuses to load an LSM program: %s; run the test inside krsi-vmtest",
			strerror(-err));
	fx->ctl = map_of(skel->maps.krsi_ctl);
	fx->stats = map_of(skel->maps.krsi_stats);
	fx->paths = map_of(skel->maps.protected_paths);
	fx->files = map_of(skel->maps.protected_files);
	fx->hashes = map_of(skel->maps.protected_hashes);
	fx->gen = krsi_gen__new(fx->ctl, NULL);
	assert_non_null(fx->gen);
	fx->path_set = krsi_gen__add_set(fx->gen, fx->paths, KRSI_SET_PATH);
	fx->file_set = krsi_gen__add_set(fx->gen, fx->files, KRSI_SET_FILE);
	fx->hash_set = krsi_gen__add_set(fx->gen, fx->hashes, KRSI_SET_HASH);
	assert_non_null(fx->path_set);
	assert_non_null(fx->file_set);
	assert_non_null(fx->hash_set);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_path(fx->path_set, fx->dir,
					    KRSI_PATH_SUBTREE, NULL),
			 0);
	assert_int_equal(krsi_set__add_file(fx->file_set, fx->loose, NULL), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	assert_int_equal(policy_mode_bpf__attach(skel), 0);
}

static int try_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Run PROGRAM as "true" in a child: 0, or the errno execve() failed with. */
static int try_exec(const char *program)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execl(program, "true", (char *)NULL);
		_exit(100 + errno);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status) ? -(WEXITSTATUS(status) - 100) : 0;
}

static struct krsi_policy_stats read_stats(struct fixture *fx)
{
	struct krsi_policy_stats s;

	assert_int_equal(krsi_read_policy_stats(fx->stats, &s, sizeof(s)), 0);
	assert_int_equal(s.decisions, s.allowed + s.denied + s.would_deny);
	return s;
}

/* What changed in the counters since BEFORE. */
struct delta {
	__u64 decisions, allowed, denied, would_deny;
};

static struct delta since(struct fixture *fx,
			  const struct krsi_policy_stats *before)
{
	struct krsi_policy_stats now = read_stats(fx);
	struct delta d = {
		.decisions = now.decisions - before->decisions,
		.allowed = now.allowed - before->allowed,
		.denied = now.denied - before->denied,
		.would_deny = now.would_deny - before->would_deny,
	};

	return d;
}

static void assert_delta(struct delta d, __u64 allowed, __u64 denied,
			 __u64 would_deny)
{
	assert_int_equal(d.allowed, allowed);
	assert_int_equal(d.denied, denied);
	assert_int_equal(d.would_deny, would_deny);
	assert_int_equal(d.decisions, allowed + denied + would_deny);
}

/*
 * The denials of an exec. Two programs judge it, and the one that runs
 * second skips an exec the first one denied: which one allowed before the
 * other denied depends on the kernel's order, so allowed is not checked.
 */
static void assert_denials(struct delta d, __u64 denied, __u64 would_deny)
{
	assert_int_equal(d.denied, denied);
	assert_int_equal(d.would_deny, would_deny);
	assert_true(d.allowed <= 1);
}

static void set_mode(struct fixture *fx, enum krsi_policy_mode mode)
{
	enum krsi_policy_mode now;

	assert_int_equal(krsi_set_policy_mode(fx->ctl, mode), 0);
	assert_int_equal(krsi_get_policy_mode(fx->ctl, &now), 0);
	assert_int_equal(now, mode);
}

static void test_switch_takes_effect_at_once(void **state)
{
	struct fixture *fx = *state;
	enum krsi_policy_mode mode;
	struct krsi_policy_stats before;

	load(fx);
	/* A freshly loaded policy monitors. */
	assert_int_equal(krsi_get_policy_mode(fx->ctl, &mode), 0);
	assert_int_equal(mode, KRSI_MODE_MONITOR);

	set_mode(fx, KRSI_MODE_ENFORCE);
	before = read_stats(fx);
	assert_int_equal(try_open(fx->secret), -EACCES);
	assert_delta(since(fx, &before), 0, 1, 0);
	before = read_stats(fx);
	assert_int_equal(try_open(fx->dir), -EACCES);
	assert_int_equal(try_open(fx->loose), -EACCES);
	assert_int_equal(try_open(fx->open_file), 0);
	assert_delta(since(fx, &before), 1, 2, 0);

	set_mode(fx, KRSI_MODE_MONITOR);
	before = read_stats(fx);
	assert_int_equal(try_open(fx->secret), 0);
	assert_int_equal(try_open(fx->loose), 0);
	assert_int_equal(try_open(fx->open_file), 0);
	assert_delta(since(fx, &before), 1, 0, 2);

	set_mode(fx, KRSI_MODE_ENFORCE);
	before = read_stats(fx);
	assert_int_equal(try_open(fx->secret), -EACCES);
	assert_delta(since(fx, &before), 0, 1, 0);

	/* Detached, nothing is judged or counted. */
	policy_mode_bpf__detach(fx->skel);
	before = read_stats(fx);
	assert_int_equal(try_open(fx->secret), 0);
	assert_delta(since(fx, &before), 0, 0, 0);
}

/* The calls the krsi tool uses, on the policy's pins. */
static void test_switch_through_pinned_directory(void **state)
{
	struct fixture *fx = *state;
	struct krsi_policy_stats before, pinned;
	enum krsi_policy_mode mode;
	char dir[64], ctl[96], stats[96];

	load(fx);
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/krsi-mode-%d", getpid());
	snprintf(ctl, sizeof(ctl), "%s/%s", dir, KRSI_POLICY_CTL_NAME);
	snprintf(stats, sizeof(stats), "%s/%s", dir, KRSI_POLICY_STATS_NAME);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(krsi_map__pin(fx->ctl, ctl), 0);
	assert_int_equal(krsi_map__pin(fx->stats, stats), 0);

	assert_int_equal(
		krsi_set_policy_mode_pinned(dir, NULL, KRSI_MODE_ENFORCE), 0);
	assert_int_equal(krsi_get_policy_mode_pinned(dir, NULL, &mode), 0);
	assert_int_equal(mode, KRSI_MODE_ENFORCE);
	before = read_stats(fx);
	assert_int_equal(try_open(fx->secret), -EACCES);
	assert_int_equal(
		krsi_set_policy_mode_pinned(dir, NULL, KRSI_MODE_MONITOR), 0);
	assert_int_equal(try_open(fx->secret), 0);
	assert_delta(since(fx, &before), 0, 1, 1);
	assert_int_equal(krsi_read_policy_stats_pinned(dir, NULL, &pinned,
						       sizeof(pinned)),
			 0);
	before = read_stats(fx);
	assert_memory_equal(&pinned, &before, sizeof(pinned));

	assert_int_equal(krsi_map__unpin(fx->ctl, NULL), 0);
	assert_int_equal(krsi_map__unpin(fx->stats, NULL), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* The SHA-256 of PATH as busybox's sha256sum computes it, or 0 if unknown. */
static bool sha256sum(const char *path, __u8 digest[KRSI_SHA256_SIZE])
{
	char cmd[128], hex[2 * KRSI_SHA256_SIZE + 1];
	unsigned int byte, i;
	bool ok = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), BUSYBOX " sha256sum %s", path);
	p = popen(cmd, "r");
	if (!p)
		return false;
	if (fscanf(p, "%64s", hex) == 1 && strlen(hex) == 64) {
		ok = true;
		for (i = 0; i < KRSI_SHA256_SIZE; i++) {
			if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
				ok = false;
			digest[i] = byte;
		}
	}
	pclose(p);
	return ok;
}

static void test_executables_by_identity_and_hash(void **state)
{
	struct fixture *fx = *state;
	__u8 expected[KRSI_SHA256_SIZE], digest[KRSI_SHA256_SIZE];
	struct krsi_policy_stats before;
	bool have_sum;

	ktest_require_feature(KRSI_FEATURE_IMA_FILE_HASH);
	copy_file(BUSYBOX, fx->program);
	have_sum = sha256sum(fx->program, expected);
	load(fx);
	set_mode(fx, KRSI_MODE_ENFORCE);

	/* Not protected: runs, and IMA's digest is the file's SHA-256. */
	assert_int_equal(try_exec(fx->program), 0);
	if (fx->skel->bss->last_digest_algo != HASH_ALGO_SHA256)
		fail_msg(
			"bpf_ima_file_hash() gave %lld, not a SHA-256 digest (%d)",
			(long long)fx->skel->bss->last_digest_algo,
			HASH_ALGO_SHA256);
	memcpy(digest, fx->skel->bss->last_digest, sizeof(digest));
	if (have_sum)
		assert_memory_equal(digest, expected, sizeof(digest));
	else
		print_message(
			"note: no sha256sum here to check IMA's digest against\n");

	/* By identity. */
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_file(fx->file_set, fx->program, NULL),
			 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	before = read_stats(fx);
	assert_int_equal(try_exec(fx->program), -EPERM);
	assert_denials(since(fx, &before), 1, 0);

	/* By IMA hash, in a generation without the identity. */
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(
		krsi_set__add_hash(fx->hash_set, digest, sizeof(digest), NULL),
		0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	before = read_stats(fx);
	assert_int_equal(try_exec(fx->program), -EKEYREJECTED);
	assert_denials(since(fx, &before), 1, 0);

	/* Both programs decide now: identity allows, hash would deny. */
	set_mode(fx, KRSI_MODE_MONITOR);
	before = read_stats(fx);
	assert_int_equal(try_exec(fx->program), 0);
	assert_delta(since(fx, &before), 1, 0, 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_switch_takes_effect_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_switch_through_pinned_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_executables_by_identity_and_hash, setup, teardown),
	};

	/* Without the BPF LSM the programs would never run: the mprotect
	 * test shows that case. */
	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("policy_mode", tests, NULL, NULL);
}
