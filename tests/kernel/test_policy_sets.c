// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Each policy set's BPF-side lookup finds what user space added, in the
 * published generation only: run with bpf_prog_test_run(), so on the host
 * too.
 * Inside the VM it proves the lookups pass the verifier of every kernel.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "progs/policy_sets.h" /* before the skeleton, which uses it */
#include "policy_sets.skel.h"

struct fixture {
	struct policy_sets_bpf *skel;
	struct krsi_map *maps[8];
	struct krsi_gen *gen;
	struct krsi_set *files, *hashes, *cgroups, *ids, *paths, *nets4, *nets6;
};

static struct krsi_set *add_set(struct fixture *fx, int i, struct bpf_map *m,
				enum krsi_set_type type)
{
	struct krsi_set *set;

	fx->maps[i] = krsi_map__new(m);
	assert_non_null(fx->maps[i]);
	set = krsi_gen__add_set(fx->gen, fx->maps[i], type);
	assert_non_null(set);
	return set;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct policy_sets_bpf *skel;

	if (!fx)
		return -1;
	*state = fx;
	skel = policy_sets_bpf__open();
	if (!skel)
		return 0; /* the test reports it */
	/* probe_current() is a syscall program, which 5.10 lacks. */
	if (krsi_features__has(ktest_features(), KRSI_FEATURE_SYSCALL_PROG) !=
	    KRSI_YES)
		bpf_program__set_autoload(skel->progs.probe_current, false);
	if (policy_sets_bpf__load(skel)) {
		policy_sets_bpf__destroy(skel);
		return 0; /* the test reports it */
	}
	fx->skel = skel;
	fx->maps[0] = krsi_map__new(skel->maps.krsi_ctl);
	fx->gen = krsi_gen__new(fx->maps[0], NULL);
	if (!fx->gen)
		return -1;
	fx->files = add_set(fx, 1, skel->maps.files, KRSI_SET_FILE);
	fx->hashes = add_set(fx, 2, skel->maps.hashes, KRSI_SET_HASH);
	fx->cgroups = add_set(fx, 3, skel->maps.cgroups, KRSI_SET_CGROUP);
	fx->ids = add_set(fx, 4, skel->maps.ids, KRSI_SET_ID);
	fx->paths = add_set(fx, 5, skel->maps.paths, KRSI_SET_PATH);
	fx->nets4 = add_set(fx, 6, skel->maps.nets4, KRSI_SET_IPV4);
	fx->nets6 = add_set(fx, 7, skel->maps.nets6, KRSI_SET_IPV6);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	unsigned int i;

	krsi_gen__free(fx->gen);
	for (i = 0; i < sizeof(fx->maps) / sizeof(fx->maps[0]); i++)
		krsi_map__free(fx->maps[i]);
	policy_sets_bpf__destroy(fx->skel);
	free(fx);
	return 0;
}

static void need_skel(struct fixture *fx)
{
	if (!fx->skel)
		fail_msg("cannot load the probe programs: %s", strerror(errno));
}

/*
 * Run the probe (probe_current() for the PROBE_MY_* sets); return its hit
 * (1, 0, -errno) with its rule id in *ID. ARGS is updated with the results.
 */
static int probe(struct fixture *fx, struct probe_args *args, __u32 *id)
{
	char packet[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct bpf_program *prog = fx->skel->progs.probe;

	if (args->set == PROBE_MY_CGROUP || args->set == PROBE_MY_UID) {
		ktest_require_feature(KRSI_FEATURE_SYSCALL_PROG);
		prog = fx->skel->progs.probe_current;
	} else {
		run.data_in = packet;
		run.data_size_in = sizeof(packet);
	}
	fx->skel->bss->args = *args;
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &run),
			 0);
	*args = fx->skel->bss->args;
	assert_int_equal(args->retry_err, 0);
	assert_int_equal(args->generation, krsi_gen__generation(fx->gen));
	if (id)
		*id = args->rule_id;
	return args->hit;
}

/* Expect the path, address or network lookup to match rule ID, or
 * nothing when ID is 0. */
static void expect(struct fixture *fx, struct probe_args *args, __u32 id)
{
	__u32 got = 0;

	assert_int_equal(probe(fx, args, &got), id ? 1 : 0);
	if (id)
		assert_int_equal(got, id);
}

static void expect_path(struct fixture *fx, const char *path, __u32 id)
{
	struct probe_args args = { .set = PROBE_PATH };

	snprintf(args.path, sizeof(args.path), "%s", path);
	expect(fx, &args, id);
}

static void expect_ipv4(struct fixture *fx, const char *addr, __u32 id)
{
	struct probe_args args = { .set = PROBE_IPV4 };

	assert_int_equal(inet_pton(AF_INET, addr, &args.addr4), 1);
	expect(fx, &args, id);
}

static void expect_ipv6(struct fixture *fx, const char *addr, __u32 id)
{
	struct probe_args args = { .set = PROBE_IPV6 };

	assert_int_equal(inet_pton(AF_INET6, addr, args.addr6), 1);
	expect(fx, &args, id);
}

static int probe_id(struct fixture *fx, __u32 uid)
{
	struct probe_args args = { .set = PROBE_ID, .id = uid };

	return probe(fx, &args, NULL);
}

static struct krsi_rule rule(__u32 id)
{
	struct krsi_rule r = { .id = id, .flags = id * 10 };

	return r;
}

static void test_nothing_published_looks_empty(void **state)
{
	struct fixture *fx = *state;
	struct probe_args args = { .set = PROBE_ID, .id = 0 };

	need_skel(fx);
	assert_int_equal(probe(fx, &args, NULL), 0);
	assert_int_equal(args.begin_err, -ENOENT);
	assert_int_equal(args.generation, 0);
}

static void test_paths(void **state)
{
	struct fixture *fx = *state;
	struct krsi_rule r1 = rule(1), r2 = rule(2), r3 = rule(3), r4 = rule(4);
	char long_path[400], exact250[KRSI_PATH_SET_MAX + 1];

	need_skel(fx);
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	memcpy(long_path, "/etc/ssh/", 9);
	memset(exact250, 'y', KRSI_PATH_SET_MAX);
	exact250[0] = '/';
	exact250[KRSI_PATH_SET_MAX] = '\0';

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(
		krsi_set__add_path(fx->paths, "/etc/", KRSI_PATH_SUBTREE, &r1),
		0);
	assert_int_equal(krsi_set__add_path(fx->paths, "/etc/ssh",
					    KRSI_PATH_SUBTREE, &r2),
			 0);
	assert_int_equal(krsi_set__add_path(fx->paths, "/etc/passwd",
					    KRSI_PATH_EXACT, &r3),
			 0);
	assert_int_equal(
		krsi_set__add_path(fx->paths, exact250, KRSI_PATH_EXACT, &r4),
		0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);

	/* The longest covering prefix wins. */
	expect_path(fx, "/etc/ssh/sshd_config", 2);
	expect_path(fx, "/etc/ssh", 2);
	expect_path(fx, "/etc/sshd", 1);
	expect_path(fx, "/etc", 1);
	expect_path(fx, "/etc/passwd", 3);
	/* An exact entry covers nothing else. */
	expect_path(fx, "/etc/passwd.bak", 1);
	expect_path(fx, "/etcetera", 0);
	expect_path(fx, "/", 0);
	expect_path(fx, "/usr/bin/ls", 0);
	/* The longest path an entry holds, and longer ones. */
	expect_path(fx, exact250, 4);
	exact250[KRSI_PATH_SET_MAX - 1] = 'z';
	expect_path(fx, exact250, 0);
	expect_path(fx, long_path, 2);
	long_path[1] = 'u';
	expect_path(fx, long_path, 0);

	/* "/" as a subtree covers everything, as exact only itself. */
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(
		krsi_set__add_path(fx->paths, "/", KRSI_PATH_EXACT, &r3), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	expect_path(fx, "/", 3);
	expect_path(fx, "/etc", 0);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(
		krsi_set__add_path(fx->paths, "/", KRSI_PATH_SUBTREE, &r4), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	expect_path(fx, "/", 4);
	expect_path(fx, "/etc/ssh/x", 4);
	expect_path(fx, long_path, 4);
}

static void test_networks(void **state)
{
	struct fixture *fx = *state;
	struct krsi_rule r1 = rule(1), r2 = rule(2), r3 = rule(3);

	need_skel(fx);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_cidr(fx->nets4, "10.0.0.0/8", &r1), 0);
	assert_int_equal(krsi_set__add_cidr(fx->nets4, "10.1.0.0/16", &r2), 0);
	assert_int_equal(krsi_set__add_cidr(fx->nets4, "192.0.2.7", &r3), 0);
	assert_int_equal(krsi_set__add_cidr(fx->nets6, "2001:db8::/32", &r1),
			 0);
	assert_int_equal(krsi_set__add_cidr(fx->nets6, "2001:db8:1::/48", &r2),
			 0);
	assert_int_equal(krsi_set__add_cidr(fx->nets6, "::1", &r3), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);

	expect_ipv4(fx, "10.1.2.3", 2);
	expect_ipv4(fx, "10.2.0.1", 1);
	expect_ipv4(fx, "192.0.2.7", 3);
	expect_ipv4(fx, "192.0.2.8", 0);
	expect_ipv4(fx, "11.0.0.1", 0);
	expect_ipv6(fx, "2001:db8:1::5", 2);
	expect_ipv6(fx, "2001:db8:2::5", 1);
	expect_ipv6(fx, "::1", 3);
	expect_ipv6(fx, "::2", 0);
	expect_ipv6(fx, "2001:db9::1", 0);
}

/* This process's cgroup v2 directory, or "" when there is none. */
static void my_cgroup_dir(char *dir, size_t size)
{
	char line[512], mnt[256] = "", *sep;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	dir[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - cgroup2 ");
		if (sep && sscanf(line, "%*s %*s %*s %*s %255s", mnt) == 1)
			break;
		mnt[0] = '\0';
	}
	if (f)
		fclose(f);
	f = fopen("/proc/self/cgroup", "r");
	while (mnt[0] && f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(dir, size, "%s%s", mnt, line + 3);
		}
	}
	if (f)
		fclose(f);
}

static void test_ids_cgroups_files_hashes(void **state)
{
	struct fixture *fx = *state;
	struct krsi_rule r5 = rule(5), r6 = rule(6), r7 = rule(7), r8 = rule(8);
	struct probe_args args;
	char cgdir[600], file[] = "/tmp/krsi-sets-XXXXXX";
	__u8 digest[KRSI_SHA256_SIZE];
	struct stat st;
	__u64 cgid = 0;
	__u32 id = 0;
	int fd, i;

	need_skel(fx);
	my_cgroup_dir(cgdir, sizeof(cgdir));
	if (!cgdir[0])
		fail_msg("no cgroup v2 hierarchy for this process");
	assert_int_equal(krsi_get_cgroup_id(cgdir, &cgid), 0);
	fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	for (i = 0; i < KRSI_SHA256_SIZE; i++)
		digest[i] = i * 7;

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_id(fx->ids, getuid(), &r5), 0);
	assert_int_equal(krsi_set__add_id(fx->ids, 4242, &r6), 0);
	assert_int_equal(krsi_set__add_cgroup(fx->cgroups, cgid, &r7), 0);
	assert_int_equal(krsi_set__add_file(fx->files, file, &r8), 0);
	assert_int_equal(
		krsi_set__add_hash(fx->hashes, digest, sizeof(digest), &r5), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);

	memset(&args, 0, sizeof(args));
	args.set = PROBE_MY_UID;
	assert_int_equal(probe(fx, &args, &id), 1);
	assert_int_equal(id, 5);
	assert_int_equal(args.rule_flags, 50);
	assert_int_equal(probe_id(fx, 4242), 1);
	assert_int_equal(probe_id(fx, 4243), 0);

	/* The id user space computes is the one the kernel gives programs. */
	memset(&args, 0, sizeof(args));
	args.set = PROBE_MY_CGROUP;
	assert_int_equal(probe(fx, &args, &id), 1);
	assert_int_equal(id, 7);
	memset(&args, 0, sizeof(args));
	args.set = PROBE_CGROUP;
	args.cgroup = cgid + 1;
	assert_int_equal(probe(fx, &args, NULL), 0);

	memset(&args, 0, sizeof(args));
	args.set = PROBE_FILE;
	args.dev = st.st_dev;
	args.ino = st.st_ino;
	assert_int_equal(probe(fx, &args, &id), 1);
	assert_int_equal(id, 8);
	args.ino++;
	assert_int_equal(probe(fx, &args, NULL), 0);

	memset(&args, 0, sizeof(args));
	args.set = PROBE_HASH;
	memcpy(args.sha256, digest, sizeof(digest));
	assert_int_equal(probe(fx, &args, &id), 1);
	assert_int_equal(id, 5);
	args.sha256[31] ^= 1;
	assert_int_equal(probe(fx, &args, NULL), 0);

	close(fd);
	unlink(file);
}

/* Entries of a generation being built or dropped are never seen. */
static void test_only_the_published_generation_is_seen(void **state)
{
	struct fixture *fx = *state;
	struct krsi_rule r1 = rule(1);
	__u64 published;

	need_skel(fx);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_id(fx->ids, 100, &r1), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	published = krsi_gen__generation(fx->gen);
	assert_int_equal(probe_id(fx, 100), 1);

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_id(fx->ids, 200, &r1), 0);
	assert_int_equal(probe_id(fx, 200), 0);
	assert_int_equal(probe_id(fx, 100), 1);
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
	assert_int_equal(krsi_gen__generation(fx->gen), published);
	assert_int_equal(probe_id(fx, 200), 0);

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_id(fx->ids, 300, &r1), 0);
	assert_int_equal(probe_id(fx, 300), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	assert_int_equal(krsi_gen__generation(fx->gen), published + 1);
	assert_int_equal(probe_id(fx, 300), 1);
	assert_int_equal(probe_id(fx, 100), 0);
	assert_int_equal(probe_id(fx, 200), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_nothing_published_looks_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_networks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_cgroups_files_hashes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_only_the_published_generation_is_seen, setup,
			teardown),
	};

	/* Nothing here depends on the BPF LSM. */
	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("policy_sets", tests, NULL, NULL);
}
