// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The policy data API on the host's real maps: generations, typed sets (as
 * the keys they write), mode and counters, and every error. The BPF side's
 * lookups of the same keys are tested by tests/kernel/test_policy_sets.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/policy.h>

#include "utest.h"

/* A policy: its control and counters maps, and one set of each type. */
struct fixture {
	struct krsi_map *ctl, *stats;
	struct krsi_map *maps[KRSI_SET_IPV6 + 1];
	struct krsi_gen *gen;
	struct krsi_set *sets[KRSI_SET_IPV6 + 1];
};

static const struct {
	enum bpf_map_type type;
	__u32 key_size;
} set_maps[] = {
	[KRSI_SET_FILE] = { BPF_MAP_TYPE_HASH,
			    sizeof(struct krsi_file_set_key) },
	[KRSI_SET_HASH] = { BPF_MAP_TYPE_HASH,
			    sizeof(struct krsi_hash_set_key) },
	[KRSI_SET_CGROUP] = { BPF_MAP_TYPE_HASH,
			      sizeof(struct krsi_cgroup_set_key) },
	[KRSI_SET_ID] = { BPF_MAP_TYPE_HASH, sizeof(struct krsi_id_set_key) },
	[KRSI_SET_PATH] = { BPF_MAP_TYPE_LPM_TRIE,
			    sizeof(struct krsi_path_set_key) },
	[KRSI_SET_IPV4] = { BPF_MAP_TYPE_LPM_TRIE,
			    sizeof(struct krsi_ipv4_set_key) },
	[KRSI_SET_IPV6] = { BPF_MAP_TYPE_LPM_TRIE,
			    sizeof(struct krsi_ipv6_set_key) },
};

static struct krsi_map *ctl_map(void)
{
	return utest_map(BPF_MAP_TYPE_ARRAY, KRSI_POLICY_CTL_NAME, 4,
			 sizeof(struct krsi_policy_ctl), 1, BPF_F_MMAPABLE);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int t;

	*state = fx;
	fx->ctl = ctl_map();
	fx->stats = utest_map(BPF_MAP_TYPE_PERCPU_ARRAY, KRSI_POLICY_STATS_NAME,
			      4, sizeof(struct krsi_policy_stats), 1, 0);
	fx->gen = krsi_gen__new(fx->ctl, NULL);
	assert_non_null(fx->gen);
	for (t = KRSI_SET_FILE; t <= KRSI_SET_IPV6; t++) {
		/* Room for 4 entries per generation. */
		fx->maps[t] =
			utest_map(set_maps[t].type, "set", set_maps[t].key_size,
				  sizeof(struct krsi_rule), 8, 0);
		fx->sets[t] = krsi_gen__add_set(fx->gen, fx->maps[t], t);
		assert_non_null(fx->sets[t]);
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	int t;

	krsi_gen__free(fx->gen);
	for (t = 0; t <= KRSI_SET_IPV6; t++)
		krsi_map__free(fx->maps[t]);
	krsi_map__free(fx->ctl);
	krsi_map__free(fx->stats);
	free(fx);
	return 0;
}

/* The control map's value, as programs read it. */
static struct krsi_policy_ctl read_ctl(struct fixture *fx)
{
	struct krsi_policy_ctl value;
	__u32 zero = 0;

	assert_int_equal(krsi_map__lookup_elem(fx->ctl, &zero, 4, &value,
					       sizeof(value), 0),
			 0);
	return value;
}

/* The entries of MAP whose slot (at SLOT_OFFSET in the key) is SLOT. */
struct slot_count {
	__u32 slot_offset, slot, count;
	void *last; /* a copy of the last one */
	size_t key_size;
};

static int count_one(const void *key, const void *value, void *ctx)
{
	struct slot_count *c = ctx;
	__u32 slot;

	(void)value;
	memcpy(&slot, (const char *)key + c->slot_offset, 4);
	if (slot == c->slot) {
		c->count++;
		if (c->last)
			memcpy(c->last, key, c->key_size);
	}
	return 0;
}

static __u32 entries_in_slot(struct krsi_map *map, __u32 slot_offset,
			     __u32 slot, void *last)
{
	struct slot_count c = { .slot_offset = slot_offset,
				.slot = slot,
				.last = last,
				.key_size = krsi_map__key_size(map) };

	assert_int_equal(krsi_map__for_each(map, count_one, &c, NULL), 0);
	return c.count;
}

static void test_new_checks_the_control_map(void **state)
{
	struct krsi_map *hash, *plain, *wide;
	struct krsi_gen_opts bad = { .sz = 3 };

	(void)state;
	hash = utest_map(BPF_MAP_TYPE_HASH, "h", 4, 16, 1, 0);
	plain = utest_map(BPF_MAP_TYPE_ARRAY, "plain", 4, 16, 1, 0);
	wide = utest_map(BPF_MAP_TYPE_ARRAY, "wide", 4, 24, 1, BPF_F_MMAPABLE);
	utest_capture();
	assert_null(krsi_gen__new(NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_gen__new(hash, NULL));
	assert_int_equal(errno, EINVAL);
	assert_logged(
		"map 'h' is not a policy control map: it is not an array; define it with KRSI_POLICY_MAPS()");
	assert_null(krsi_gen__new(plain, NULL));
	assert_logged("it is not mmapable (BPF_F_MMAPABLE)");
	assert_null(krsi_gen__new(wide, NULL));
	assert_logged("its values are not a struct krsi_policy_ctl");
	krsi_map__free(hash);
	hash = ctl_map();
	assert_null(krsi_gen__new(hash, &bad));
	assert_int_equal(errno, EINVAL);
	assert_logged("struct krsi_gen_opts: sz is 3");
	krsi_gen__free(NULL);
	krsi_map__free(hash);
	krsi_map__free(plain);
	krsi_map__free(wide);
}

static void test_add_set_checks_the_map(void **state)
{
	struct fixture *fx = *state;
	struct krsi_map *m;

	utest_capture();
	assert_null(
		krsi_gen__add_set(NULL, fx->maps[KRSI_SET_ID], KRSI_SET_ID));
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_gen__add_set(fx->gen, NULL, KRSI_SET_ID));
	assert_null(krsi_gen__add_set(fx->gen, fx->maps[KRSI_SET_ID], 99));
	assert_logged("99 is not a set type");
	assert_null(krsi_gen__add_set(fx->gen, fx->maps[KRSI_SET_ID],
				      KRSI_SET_PATH));
	assert_logged(
		"cannot hold a path set: it is not an LPM trie; define it with KRSI_PATH_SET()");
	assert_null(krsi_gen__add_set(fx->gen, fx->maps[KRSI_SET_PATH],
				      KRSI_SET_ID));
	assert_logged("cannot hold a id set: it is not a hash map");
	assert_null(krsi_gen__add_set(fx->gen, fx->maps[KRSI_SET_ID],
				      KRSI_SET_CGROUP));
	assert_logged("its key size differs");
	m = utest_map(BPF_MAP_TYPE_HASH, "v", sizeof(struct krsi_id_set_key), 4,
		      4, 0);
	assert_null(krsi_gen__add_set(fx->gen, m, KRSI_SET_ID));
	assert_logged("its values are not a struct krsi_rule");
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_null(
		krsi_gen__add_set(fx->gen, fx->maps[KRSI_SET_ID], KRSI_SET_ID));
	assert_int_equal(errno, EBUSY);
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
	krsi_map__free(m);
}

static void test_begin_commit_abort_misuse(void **state)
{
	struct fixture *fx = *state;

	utest_capture();
	assert_int_equal(krsi_gen__begin(NULL), -EINVAL);
	assert_int_equal(krsi_gen__commit(NULL), -EINVAL);
	assert_int_equal(krsi_gen__abort(NULL), -EINVAL);
	errno = 0;
	assert_int_equal(krsi_gen__generation(NULL), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_gen__commit(fx->gen), -EINVAL);
	assert_logged(
		"krsi_gen__commit: no generation is being built: call krsi_gen__begin() first");
	assert_int_equal(krsi_gen__abort(fx->gen), -EINVAL);
	assert_int_equal(krsi_set__add_id(fx->sets[KRSI_SET_ID], 1, NULL),
			 -EINVAL);
	assert_logged("krsi_set__add_id: no generation is being built");
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_gen__begin(fx->gen), -EBUSY);
	assert_int_equal(errno, EBUSY);
	assert_logged("a generation is already being built");
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	assert_int_equal(krsi_gen__generation(fx->gen), 1);
}

/* Generations alternate slots; commit publishes and empties the old one. */
static void test_generations_alternate_slots(void **state)
{
	struct fixture *fx = *state;
	struct krsi_map *ids = fx->maps[KRSI_SET_ID];
	struct krsi_set *set = fx->sets[KRSI_SET_ID];
	struct krsi_rule rule = { .id = 7, .flags = 3 }, got;
	struct krsi_id_set_key key = { .slot = 1, .id = 42 };

	assert_int_equal(krsi_gen__generation(fx->gen), 0);
	assert_int_equal(read_ctl(fx).generation, 0);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_id(set, 42, &rule), 0);
	assert_int_equal(krsi_set__add_id(set, 43, NULL), 0);
	/* Built in slot 1, unpublished. */
	assert_int_equal(entries_in_slot(ids, 0, 1, NULL), 2);
	assert_int_equal(read_ctl(fx).generation, 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	assert_int_equal(read_ctl(fx).generation, 1);
	assert_int_equal(krsi_map__lookup_elem(ids, &key, sizeof(key), &got,
					       sizeof(got), 0),
			 0);
	assert_memory_equal(&got, &rule, sizeof(rule));

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_id(set, 44, NULL), 0);
	assert_int_equal(entries_in_slot(ids, 0, 0, NULL), 1);
	assert_int_equal(entries_in_slot(ids, 0, 1, NULL), 2);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	assert_int_equal(krsi_gen__generation(fx->gen), 2);
	assert_int_equal(entries_in_slot(ids, 0, 0, NULL), 1);
	assert_int_equal(entries_in_slot(ids, 0, 1, NULL), 0);

	/* Abort drops what was built; the published generation stays. */
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_id(set, 45, NULL), 0);
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
	assert_int_equal(entries_in_slot(ids, 0, 1, NULL), 0);
	assert_int_equal(entries_in_slot(ids, 0, 0, NULL), 1);
	assert_int_equal(krsi_gen__generation(fx->gen), 2);
}

/* Left-overs of a writer that stopped half-way never join a generation. */
static void test_begin_empties_left_overs(void **state)
{
	struct fixture *fx = *state;
	struct krsi_map *paths = fx->maps[KRSI_SET_PATH];
	struct krsi_path_set_key stray = { .prefixlen = 32 + 8, .slot = 1 };
	struct krsi_rule rule = { 0 };
	struct krsi_gen *other;

	stray.path[0] = '/';
	assert_int_equal(krsi_map__update_elem(paths, &stray, sizeof(stray),
					       &rule, sizeof(rule), 0),
			 0);
	/* A new handle knows nothing of slot 1: it empties it. */
	other = krsi_gen__new(fx->ctl, NULL);
	assert_non_null(other);
	assert_non_null(krsi_gen__add_set(other, paths, KRSI_SET_PATH));
	assert_int_equal(krsi_gen__begin(other), 0);
	assert_int_equal(entries_in_slot(paths, 4, 1, NULL), 0);
	assert_int_equal(krsi_gen__commit(other), 0);
	krsi_gen__free(other);
}

/* Two writers: the second to commit is refused. */
static void test_commit_detects_another_writer(void **state)
{
	struct fixture *fx = *state;
	struct krsi_gen *other = krsi_gen__new(fx->ctl, NULL);

	assert_non_null(other);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_gen__begin(other), 0);
	assert_int_equal(krsi_gen__commit(other), 0);
	utest_capture();
	assert_int_equal(krsi_gen__commit(fx->gen), -EBUSY);
	assert_logged(
		"another process published generation 1 while this one built generation 1 in the same slot");
	assert_int_equal(krsi_gen__generation(fx->gen), 1);
	krsi_gen__free(other);
}

static void test_full_set_says_per_generation_capacity(void **state)
{
	struct fixture *fx = *state;
	struct krsi_set *set = fx->sets[KRSI_SET_CGROUP];
	__u64 id;

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	utest_capture();
	for (id = 1; id <= 8; id++)
		assert_int_equal(krsi_set__add_cgroup(set, id, NULL), 0);
	assert_int_equal(krsi_set__add_cgroup(set, 9, NULL), -E2BIG);
	assert_int_equal(errno, E2BIG);
	assert_logged("the map is full (capacity 8 entries)");
	assert_logged(
		"cgroup set 'set' holds two generations: at most 4 entries in each");
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
}

/* PATH added alone with MATCH makes the key of the N bytes BYTES. */
static void expect_path_key(struct fixture *fx, const char *path,
			    enum krsi_path_match match, const char *bytes,
			    size_t n)
{
	struct krsi_path_set_key key;

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(
		krsi_set__add_path(fx->sets[KRSI_SET_PATH], path, match, NULL),
		0);
	assert_int_equal(entries_in_slot(fx->maps[KRSI_SET_PATH], 4, 1, &key),
			 1);
	assert_int_equal(key.prefixlen, 32 + n * 8);
	assert_memory_equal(key.path, bytes, n);
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
}

static void test_path_keys(void **state)
{
	struct fixture *fx = *state;
	struct krsi_set *set = fx->sets[KRSI_SET_PATH];
	char longest[KRSI_PATH_SET_MAX + 2];

	expect_path_key(fx, "/etc/ssh/", KRSI_PATH_SUBTREE, "/etc/ssh/", 9);
	expect_path_key(fx, "/etc/passwd", KRSI_PATH_EXACT, "/etc/passwd/\0",
			13);
	expect_path_key(fx, "///", KRSI_PATH_SUBTREE, "/", 1);
	expect_path_key(fx, "/", KRSI_PATH_EXACT, "/\0", 2);

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	utest_capture();
	assert_int_equal(krsi_set__add_path(set, "etc", KRSI_PATH_EXACT, NULL),
			 -EINVAL);
	assert_logged("'etc' is not an absolute canonical path");
	assert_int_equal(
		krsi_set__add_path(set, "/a//b", KRSI_PATH_EXACT, NULL),
		-EINVAL);
	assert_int_equal(
		krsi_set__add_path(set, "/a/./b", KRSI_PATH_EXACT, NULL),
		-EINVAL);
	assert_int_equal(
		krsi_set__add_path(set, "/a/..", KRSI_PATH_SUBTREE, NULL),
		-EINVAL);
	assert_int_equal(krsi_set__add_path(set, "", KRSI_PATH_SUBTREE, NULL),
			 -EINVAL);
	assert_int_equal(krsi_set__add_path(set, NULL, KRSI_PATH_EXACT, NULL),
			 -EINVAL);
	assert_int_equal(krsi_set__add_path(set, "/a", 5, NULL), -EINVAL);
	assert_logged("match is neither KRSI_PATH_EXACT nor KRSI_PATH_SUBTREE");
	memset(longest, 'a', sizeof(longest) - 1);
	longest[0] = '/';
	longest[sizeof(longest) - 1] = '\0';
	assert_int_equal(
		krsi_set__add_path(set, longest, KRSI_PATH_EXACT, NULL),
		-ENAMETOOLONG);
	assert_logged("is 251 bytes, longer than the 250 a path set holds");
	longest[KRSI_PATH_SET_MAX] = '\0';
	assert_int_equal(
		krsi_set__add_path(set, longest, KRSI_PATH_EXACT, NULL), 0);
	assert_int_equal(krsi_set__add_cidr(set, "10.0.0.0/8", NULL), -EINVAL);
	assert_logged("krsi_set__add_cidr: map 'set' is a path set");
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
}

static void test_cidr_keys(void **state)
{
	struct fixture *fx = *state;
	struct krsi_set *v4 = fx->sets[KRSI_SET_IPV4],
			*v6 = fx->sets[KRSI_SET_IPV6];
	struct krsi_ipv4_set_key k4;
	struct krsi_ipv6_set_key k6;
	__u8 addr6[16];

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_set__add_cidr(v4, "192.0.2.0/24", NULL), 0);
	assert_int_equal(entries_in_slot(fx->maps[KRSI_SET_IPV4], 4, 1, &k4),
			 1);
	assert_int_equal(k4.prefixlen, 32 + 24);
	assert_memory_equal(k4.addr, "\xc0\x00\x02\x00", 4);
	assert_int_equal(krsi_set__add_cidr(v6, "2001:db8::/32", NULL), 0);
	assert_int_equal(entries_in_slot(fx->maps[KRSI_SET_IPV6], 4, 1, &k6),
			 1);
	assert_int_equal(k6.prefixlen, 32 + 32);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::", addr6), 1);
	assert_memory_equal(k6.addr, addr6, 16);
	assert_int_equal(krsi_set__add_cidr(v4, "192.0.2.9", NULL), 0);
	assert_int_equal(krsi_set__add_cidr(v4, "0.0.0.0/0", NULL), 0);

	utest_capture();
	assert_int_equal(krsi_set__add_cidr(v4, "192.0.2.1/24", NULL), -EINVAL);
	assert_logged(
		"'192.0.2.1/24' has address bits set beyond its /24 prefix");
	assert_int_equal(krsi_set__add_cidr(v4, "2001:db8::/32", NULL),
			 -EINVAL);
	assert_logged("IPv4 set 'set': '2001:db8::/32' is an IPv6 network");
	assert_int_equal(krsi_set__add_cidr(v6, "10.0.0.0/8", NULL), -EINVAL);
	assert_int_equal(krsi_set__add_cidr(v4, "10.0.0.0/33", NULL), -EINVAL);
	assert_int_equal(krsi_set__add_cidr(v4, "10.0.0.0/", NULL), -EINVAL);
	assert_int_equal(krsi_set__add_cidr(v4, "10.0.0.0/8x", NULL), -EINVAL);
	assert_int_equal(krsi_set__add_cidr(v4, "10.0.0", NULL), -EINVAL);
	assert_logged("'10.0.0' is not a network such as 192.0.2.0/24");
	assert_int_equal(krsi_set__add_cidr(v4, NULL, NULL), -EINVAL);
	assert_int_equal(
		krsi_set__add_cidr(fx->sets[KRSI_SET_ID], "10.0.0.0/8", NULL),
		-EINVAL);
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
}

static void test_file_hash_cgroup_id_keys(void **state)
{
	struct fixture *fx = *state;
	char file[] = "/tmp/krsi-policy-XXXXXX";
	__u8 digest[KRSI_SHA256_SIZE] = { 1, 2, 3 };
	struct krsi_file_set_key fk;
	struct krsi_hash_set_key hk;
	struct stat st;
	int fd;

	fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(
		krsi_set__add_file(fx->sets[KRSI_SET_FILE], file, NULL), 0);
	assert_int_equal(entries_in_slot(fx->maps[KRSI_SET_FILE], 0, 1, &fk),
			 1);
	assert_int_equal(fk.inode.dev, st.st_dev);
	assert_int_equal(fk.inode.ino, st.st_ino);
	assert_int_equal(fk.reserved, 0);
	assert_int_equal(krsi_set__add_file_id(fx->sets[KRSI_SET_FILE],
					       makedev(8, 1), 99, NULL),
			 0);
	assert_int_equal(krsi_set__add_hash(fx->sets[KRSI_SET_HASH], digest,
					    sizeof(digest), NULL),
			 0);
	assert_int_equal(entries_in_slot(fx->maps[KRSI_SET_HASH], 0, 1, &hk),
			 1);
	assert_memory_equal(hk.sha256, digest, sizeof(digest));

	utest_capture();
	assert_int_equal(krsi_set__add_file(fx->sets[KRSI_SET_FILE],
					    "/no/such/file", NULL),
			 -ENOENT);
	assert_logged("file set 'set': cannot add /no/such/file");
	assert_int_equal(
		krsi_set__add_file(fx->sets[KRSI_SET_FILE], NULL, NULL),
		-EINVAL);
	assert_int_equal(krsi_set__add_file(NULL, file, NULL), -EINVAL);
	assert_int_equal(
		krsi_set__add_hash(fx->sets[KRSI_SET_HASH], digest, 20, NULL),
		-EINVAL);
	assert_logged("not a SHA-256 digest of 32 bytes");
	assert_int_equal(
		krsi_set__add_hash(fx->sets[KRSI_SET_HASH], NULL, 32, NULL),
		-EINVAL);
	assert_int_equal(krsi_set__add_cgroup(fx->sets[KRSI_SET_ID], 1, NULL),
			 -EINVAL);
	assert_int_equal(krsi_set__add_id(fx->sets[KRSI_SET_CGROUP], 1, NULL),
			 -EINVAL);
	assert_int_equal(krsi_gen__abort(fx->gen), 0);
	close(fd);
	unlink(file);
}

static void test_cgroup_id(void **state)
{
	char line[512], mnt[256] = "";
	FILE *f = fopen("/proc/self/mountinfo", "r");
	struct stat st;
	__u64 id = 0;

	(void)state;
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " - cgroup2 ") &&
		    sscanf(line, "%*s %*s %*s %*s %255s", mnt) == 1)
			break;
	if (f)
		fclose(f);
	utest_capture();
	assert_int_equal(krsi_get_cgroup_id(NULL, &id), -EINVAL);
	assert_int_equal(krsi_get_cgroup_id("/tmp", &id), -EINVAL);
	assert_logged("/tmp is not on a cgroup v2 filesystem");
	assert_int_equal(krsi_get_cgroup_id("/no/such/cgroup", &id), -ENOENT);
	if (!mnt[0]) {
		print_message("skipped: no cgroup v2 hierarchy mounted\n");
		skip();
	}
	assert_int_equal(krsi_get_cgroup_id(mnt, &id), 0);
	/* On cgroup v2 the directory's inode number is the cgroup id. */
	assert_int_equal(stat(mnt, &st), 0);
	assert_int_equal(id, st.st_ino);
}

static void test_mode(void **state)
{
	struct fixture *fx = *state;
	struct krsi_map *hash = utest_map(BPF_MAP_TYPE_HASH, "h", 4, 4, 1, 0);
	enum krsi_policy_mode mode;

	assert_int_equal(krsi_get_policy_mode(fx->ctl, &mode), 0);
	assert_int_equal(mode, KRSI_MODE_MONITOR);
	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
	assert_int_equal(krsi_set_policy_mode(fx->ctl, KRSI_MODE_ENFORCE), 0);
	assert_int_equal(krsi_get_policy_mode(fx->ctl, &mode), 0);
	assert_int_equal(mode, KRSI_MODE_ENFORCE);
	/* The mode and the generation are separate words. */
	assert_int_equal(read_ctl(fx).mode, KRSI_MODE_ENFORCE);
	assert_int_equal(read_ctl(fx).generation, 1);
	assert_int_equal(krsi_set_policy_mode(fx->ctl, KRSI_MODE_MONITOR), 0);
	assert_int_equal(read_ctl(fx).mode, KRSI_MODE_MONITOR);

	utest_capture();
	assert_int_equal(krsi_set_policy_mode(fx->ctl, 7), -EINVAL);
	assert_logged("7 is not a policy mode");
	assert_int_equal(krsi_set_policy_mode(NULL, KRSI_MODE_ENFORCE),
			 -EINVAL);
	assert_int_equal(krsi_set_policy_mode(hash, KRSI_MODE_ENFORCE),
			 -EINVAL);
	assert_int_equal(krsi_get_policy_mode(hash, &mode), -EINVAL);
	assert_int_equal(krsi_get_policy_mode(fx->ctl, NULL), -EINVAL);
	assert_int_equal(krsi_get_policy_mode(NULL, &mode), -EINVAL);

	assert_string_equal(krsi_policy_mode_str(KRSI_MODE_MONITOR), "monitor");
	assert_string_equal(krsi_policy_mode_str(KRSI_MODE_ENFORCE), "enforce");
	assert_null(krsi_policy_mode_str(2));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_parse_policy_mode("enforce", &mode), 0);
	assert_int_equal(mode, KRSI_MODE_ENFORCE);
	assert_int_equal(krsi_parse_policy_mode("monitor", &mode), 0);
	assert_int_equal(mode, KRSI_MODE_MONITOR);
	assert_int_equal(krsi_parse_policy_mode("Enforce", &mode), -EINVAL);
	assert_logged("'Enforce' is not a policy mode: use monitor or enforce");
	assert_int_equal(krsi_parse_policy_mode(NULL, &mode), -EINVAL);
	assert_int_equal(krsi_parse_policy_mode("monitor", NULL), -EINVAL);
	krsi_map__free(hash);
}

/* Counters are summed over CPUs, whatever the sizes on each side. */
static void test_stats(void **state)
{
	struct fixture *fx = *state;
	int ncpus = libbpf_num_possible_cpus(), cpu;
	struct krsi_policy_stats *values = calloc(ncpus, sizeof(*values)), st;
	struct krsi_map *hash = utest_map(BPF_MAP_TYPE_HASH, "h", 4, 4, 1, 0);
	__u64 wide[6], narrow[2];
	__u32 zero = 0;

	for (cpu = 0; cpu < ncpus; cpu++) {
		values[cpu].decisions = 10 + cpu;
		values[cpu].allowed = 5;
		values[cpu].denied = 3 + cpu;
		values[cpu].would_deny = 2;
	}
	assert_int_equal(krsi_map__update_elem(fx->stats, &zero, 4, values,
					       ncpus * sizeof(*values), 0),
			 0);
	assert_int_equal(krsi_read_policy_stats(fx->stats, &st, sizeof(st)), 0);
	assert_int_equal(st.allowed, 5 * ncpus);
	assert_int_equal(st.would_deny, 2 * ncpus);
	assert_int_equal(st.decisions, 10 * ncpus + ncpus * (ncpus - 1) / 2);
	assert_int_equal(st.denied, 3 * ncpus + ncpus * (ncpus - 1) / 2);
	memset(wide, 0xff, sizeof(wide));
	assert_int_equal(krsi_read_policy_stats(
				 fx->stats, (struct krsi_policy_stats *)wide,
				 sizeof(wide)),
			 0);
	assert_int_equal(wide[3], st.would_deny);
	assert_int_equal(wide[4], 0);
	assert_int_equal(wide[5], 0);
	assert_int_equal(krsi_read_policy_stats(
				 fx->stats, (struct krsi_policy_stats *)narrow,
				 sizeof(narrow)),
			 0);
	assert_int_equal(narrow[1], st.allowed);

	utest_capture();
	assert_int_equal(krsi_read_policy_stats(fx->stats, &st, 12), -EINVAL);
	assert_logged("stats_sz is 12, not a multiple of 8");
	assert_int_equal(krsi_read_policy_stats(fx->stats, &st, 0), -EINVAL);
	assert_int_equal(krsi_read_policy_stats(hash, &st, sizeof(st)),
			 -EINVAL);
	assert_logged("map 'h' is not a policy counters map");
	assert_int_equal(krsi_read_policy_stats(NULL, &st, sizeof(st)),
			 -EINVAL);
	assert_int_equal(krsi_read_policy_stats(fx->stats, NULL, sizeof(st)),
			 -EINVAL);
	free(values);
	krsi_map__free(hash);
}

/* What the krsi tool calls: mode and counters of a pinned policy. */
static void test_pinned_policy(void **state)
{
	struct fixture *fx = *state;
	KRSI_OPTS(krsi_map_open_opts, any, .any_owner = true);
	struct krsi_map_open_opts bad = { .sz = 1 };
	struct krsi_policy_stats st;
	enum krsi_policy_mode mode;
	char dir[128], path[160], longdir[5000];
	KRSI_OPTS(krsi_map_open_opts, ro, .read_only = true);
	struct krsi_map *ro_ctl;

	utest_need_bpffs();
	snprintf(dir, sizeof(dir), "%s/guard", utest_bpffs);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/" KRSI_POLICY_CTL_NAME, dir);
	assert_int_equal(krsi_map__pin(fx->ctl, path), 0);
	snprintf(path, sizeof(path), "%s/" KRSI_POLICY_STATS_NAME, dir);
	assert_int_equal(krsi_map__pin(fx->stats, path), 0);

	assert_int_equal(
		krsi_set_policy_mode_pinned(dir, NULL, KRSI_MODE_ENFORCE), 0);
	assert_int_equal(read_ctl(fx).mode, KRSI_MODE_ENFORCE);
	assert_int_equal(krsi_get_policy_mode_pinned(dir, &any, &mode), 0);
	assert_int_equal(mode, KRSI_MODE_ENFORCE);
	assert_int_equal(
		krsi_read_policy_stats_pinned(dir, NULL, &st, sizeof(st)), 0);
	assert_int_equal(st.decisions, 0);

	/* A read-only handle cannot switch the mode. */
	snprintf(path, sizeof(path), "%s/" KRSI_POLICY_CTL_NAME, dir);
	ro_ctl = krsi_map__open_pinned(path, &ro);
	assert_non_null(ro_ctl);
	utest_capture();
	assert_int_equal(krsi_set_policy_mode(ro_ctl, KRSI_MODE_MONITOR),
			 -EACCES);
	assert_logged("control map 'krsi_ctl' is open read-only");
	assert_null(krsi_gen__new(ro_ctl, NULL));
	assert_int_equal(errno, EACCES);
	krsi_map__free(ro_ctl);
	assert_int_equal(
		krsi_set_policy_mode_pinned(dir, &ro, KRSI_MODE_MONITOR),
		-EACCES);

	assert_int_equal(krsi_get_policy_mode_pinned(utest_bpffs, NULL, &mode),
			 -ENOENT);
	assert_logged("nothing is pinned at");
	assert_int_equal(
		krsi_read_policy_stats_pinned(NULL, NULL, &st, sizeof(st)),
		-EINVAL);
	assert_int_equal(krsi_get_policy_mode_pinned(dir, &bad, &mode),
			 -EINVAL);
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[sizeof(longdir) - 1] = '\0';
	assert_int_equal(
		krsi_set_policy_mode_pinned(longdir, NULL, KRSI_MODE_ENFORCE),
		-ENAMETOOLONG);

	assert_int_equal(krsi_map__unpin(fx->ctl, NULL), 0);
	assert_int_equal(krsi_map__unpin(fx->stats, NULL), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_checks_the_control_map),
		T(test_add_set_checks_the_map),
		T(test_begin_commit_abort_misuse),
		T(test_generations_alternate_slots),
		T(test_begin_empties_left_overs),
		T(test_commit_detects_another_writer),
		T(test_full_set_says_per_generation_capacity),
		T(test_path_keys),
		T(test_cidr_keys),
		T(test_file_hash_cgroup_id_keys),
		cmocka_unit_test(test_cgroup_id),
		T(test_mode),
		T(test_stats),
		T(test_pinned_policy),
	};
#undef T
	int rc;

	utest_mount_bpffs();
	rc = cmocka_run_group_tests_name("policy", tests, NULL, NULL);
	utest_unmount_bpffs();
	return rc;
}
