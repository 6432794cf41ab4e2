// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * struct krsi_map on the host's real maps: every call and its errors. Pin
 * tests run in a private mount namespace with a bpffs of their own.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/map.h>

#include "utest.h"
#include "map_internal.h"
#include "map_fixture.skel.h"

static void test_null_handles(void **state)
{
	__u64 k = 0, v = 0;
	__u32 n = 1;

	(void)state;
	utest_capture();
	krsi_map__free(NULL);
	assert_null(krsi_map__new(NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_map__find(NULL, "x"));
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_map__open_pinned(NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_map__fd(NULL), -EINVAL);
	assert_null(krsi_map__bpf_map(NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_map__name(NULL));
	errno = 0;
	assert_int_equal(krsi_map__type(NULL), BPF_MAP_TYPE_UNSPEC);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(krsi_map__key_size(NULL), 0);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(krsi_map__value_size(NULL), 0);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(krsi_map__max_entries(NULL), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_map__lookup_elem(NULL, &k, 8, &v, 8, 0), -EINVAL);
	assert_int_equal(krsi_map__update_elem(NULL, &k, 8, &v, 8, 0), -EINVAL);
	assert_int_equal(krsi_map__delete_elem(NULL, &k, 8, 0), -EINVAL);
	assert_int_equal(krsi_map__get_next_key(NULL, NULL, &k, 8), -EINVAL);
	assert_int_equal(krsi_map__for_each(NULL, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(krsi_map__lookup_batch(NULL, &k, 8, &v, 8, &n, NULL),
			 -EINVAL);
	assert_int_equal(krsi_map__update_batch(NULL, &k, 8, &v, 8, &n, NULL),
			 -EINVAL);
	assert_int_equal(krsi_map__delete_batch(NULL, &k, 8, &n, NULL),
			 -EINVAL);
	assert_int_equal(krsi_map__pin(NULL, "/x"), -EINVAL);
	assert_int_equal(krsi_map__unpin(NULL, "/x"), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_logged("map is NULL");
}

static void test_from_fd_rejects_what_is_not_a_map(void **state)
{
	int pipefd[2];

	(void)state;
	utest_capture();
	assert_null(krsi_map__new_fd(-1));
	assert_int_equal(errno, EBADF);
	assert_int_equal(pipe(pipefd), 0);
	close(pipefd[1]);
	assert_null(krsi_map__new_fd(pipefd[1]));
	assert_int_equal(errno, EBADF);
	assert_null(krsi_map__new_fd(pipefd[0]));
	assert_int_equal(errno, EINVAL);
	assert_logged("is not a BPF map but pipe:");
	close(pipefd[0]);
}

static void test_from_fd_keeps_its_own_descriptor(void **state)
{
	struct krsi_map *map;
	__u32 k = 1;
	__u64 v = 7, out = 0;
	int fd;

	(void)state;
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "own_fd", 4, 8, 4, NULL);
	utest_need_bpf(fd);
	map = krsi_map__new_fd(fd);
	assert_non_null(map);
	assert_int_not_equal(krsi_map__fd(map), fd);
	close(fd);
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, BPF_ANY), 0);
	assert_int_equal(krsi_map__lookup_elem(map, &k, 4, &out, 8, 0), 0);
	assert_int_equal(out, 7);
	assert_string_equal(krsi_map__name(map), "own_fd");
	assert_int_equal(krsi_map__type(map), BPF_MAP_TYPE_HASH);
	assert_int_equal(krsi_map__key_size(map), 4);
	assert_int_equal(krsi_map__value_size(map), 8);
	assert_int_equal(krsi_map__max_entries(map), 4);
	assert_null(krsi_map__bpf_map(map));
	assert_int_equal(errno, ENOENT);
	assert_true(fcntl(krsi_map__fd(map), F_GETFD) & FD_CLOEXEC);
	krsi_map__free(map);
}

static void test_sizes_checked_on_every_call(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_HASH, "sized", 8, 16, 4, 0);
	char key[16] = { 0 }, value[32] = { 0 };
	__u32 n = 1;

	(void)state;
	utest_capture();
	assert_int_equal(krsi_map__lookup_elem(map, key, 4, value, 16, 0),
			 -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_logged(
		"map 'sized': key is 4 bytes, but the map's keys are 8 bytes");
	assert_int_equal(krsi_map__lookup_elem(map, key, 8, value, 32, 0),
			 -EINVAL);
	assert_logged(
		"map 'sized': value is 32 bytes, but the map's values are 16 bytes");
	assert_int_equal(krsi_map__update_elem(map, key, 16, value, 16, 0),
			 -EINVAL);
	assert_int_equal(krsi_map__update_elem(map, key, 8, value, 8, 0),
			 -EINVAL);
	assert_int_equal(krsi_map__delete_elem(map, key, 9, 0), -EINVAL);
	assert_int_equal(krsi_map__get_next_key(map, NULL, key, 7), -EINVAL);
	assert_int_equal(
		krsi_map__lookup_batch(map, key, 4, value, 16, &n, NULL),
		-EINVAL);
	assert_int_equal(
		krsi_map__update_batch(map, key, 8, value, 12, &n, NULL),
		-EINVAL);
	assert_int_equal(krsi_map__delete_batch(map, key, 16, &n, NULL),
			 -EINVAL);
	assert_int_equal(utest_warnings, 9);
	/* NULL buffers are caught too. */
	assert_int_equal(krsi_map__lookup_elem(map, NULL, 8, value, 16, 0),
			 -EINVAL);
	assert_int_equal(krsi_map__update_elem(map, key, 8, NULL, 16, 0),
			 -EINVAL);
	assert_int_equal(krsi_map__get_next_key(map, NULL, NULL, 8), -EINVAL);
	assert_int_equal(
		krsi_map__lookup_batch(map, key, 8, value, 16, NULL, NULL),
		-EINVAL);
	assert_int_equal(krsi_map__delete_batch(map, NULL, 8, &n, NULL),
			 -EINVAL);
	assert_logged("map 'sized': lookup: key is NULL");
	assert_logged("map 'sized': update: value is NULL");
	assert_logged("count is NULL");
	krsi_map__free(map);
}

static void test_update_flags_lookup_delete(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_HASH, "elems", 4, 8, 4, 0);
	__u32 k = 5, next;
	__u64 v = 1, out;

	(void)state;
	utest_capture();
	assert_int_equal(krsi_map__lookup_elem(map, &k, 4, &out, 8, 0),
			 -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, BPF_EXIST),
			 -ENOENT);
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, BPF_NOEXIST),
			 0);
	v = 2;
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, BPF_NOEXIST),
			 -EEXIST);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, BPF_EXIST),
			 0);
	assert_int_equal(krsi_map__lookup_elem(map, &k, 4, &out, 8, 0), 0);
	assert_int_equal(out, 2);
	assert_int_equal(krsi_map__get_next_key(map, NULL, &next, 4), 0);
	assert_int_equal(next, 5);
	assert_int_equal(krsi_map__get_next_key(map, &next, &next, 4), -ENOENT);
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, 99), -EINVAL);
	assert_int_equal(utest_warnings, 1); /* only the bad flags */
	assert_int_equal(krsi_map__delete_elem(map, &k, 4, 0), 0);
	assert_int_equal(krsi_map__delete_elem(map, &k, 4, 0), -ENOENT);
	assert_int_equal(utest_warnings, 1); /* answers are not failures */
	krsi_map__free(map);
}

static void test_full_hash_reports_capacity(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_HASH, "small", 4, 8, 2, 0);
	__u64 v = 0;
	__u32 k;

	(void)state;
	utest_capture();
	for (k = 0; k < 2; k++)
		assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, 0),
				 0);
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, 0), -E2BIG);
	assert_int_equal(errno, E2BIG);
	assert_logged(
		"map 'small': update: the map is full (capacity 2 entries)");
	krsi_map__free(map);
}

static void test_full_trie_reports_capacity(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_LPM_TRIE, "trie", 8, 4, 1, 0);
	__u32 key[2] = { 32, 0 }, v = 0;

	(void)state;
	utest_capture();
	assert_int_equal(krsi_map__update_elem(map, key, 8, &v, 4, 0), 0);
	key[1] = 1;
	assert_int_equal(krsi_map__update_elem(map, key, 8, &v, 4, 0), -ENOSPC);
	assert_logged(
		"map 'trie': update: the map is full (capacity 1 entries)");
	krsi_map__free(map);
}

static void test_array_index_and_delete(void **state)
{
	struct krsi_map *map = utest_map(BPF_MAP_TYPE_ARRAY, "arr", 4, 8, 2, 0);
	__u32 k = 2;
	__u64 v = 0;

	(void)state;
	utest_capture();
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, 0), -E2BIG);
	assert_logged("index beyond the array's 2 entries");
	k = 0;
	assert_int_equal(krsi_map__delete_elem(map, &k, 4, 0), -EINVAL);
	assert_logged("array elements cannot be deleted");
	krsi_map__free(map);
}

static void test_percpu_values_span_possible_cpus(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_PERCPU_ARRAY, "pcpu", 4, 4, 1, 0);
	int ncpus = libbpf_num_possible_cpus(), i;
	__u64 *values = calloc(ncpus, sizeof(__u64));
	__u32 k = 0, wrong = 0;

	(void)state;
	assert_true(ncpus > 0);
	assert_int_equal(krsi_map__value_size(map), 8 * ncpus);
	for (i = 0; i < ncpus; i++)
		values[i] = i + 1;
	assert_int_equal(
		krsi_map__update_elem(map, &k, 4, values, 8 * ncpus, 0), 0);
	memset(values, 0, 8 * ncpus);
	assert_int_equal(
		krsi_map__lookup_elem(map, &k, 4, values, 8 * ncpus, 0), 0);
	for (i = 0; i < ncpus; i++)
		assert_int_equal(values[i] & 0xffffffff, i + 1);
	utest_capture();
	assert_int_equal(krsi_map__lookup_elem(map, &k, 4, &wrong, 4, 0),
			 -EINVAL);
	assert_logged("per-CPU");
	free(values);
	krsi_map__free(map);
}

struct walk_ctx {
	int seen;
	__u64 sum;
	int stop_after;
};

static int count_elem(const void *key, const void *value, void *ctx)
{
	struct walk_ctx *w = ctx;

	(void)key;
	w->seen++;
	w->sum += *(const __u64 *)value;
	return w->seen == w->stop_after ? 42 : 0;
}

/* For maps whose values are not __u64s. */
static int count_only(const void *key, const void *value, void *ctx)
{
	(void)key;
	(void)value;
	((struct walk_ctx *)ctx)->seen++;
	return 0;
}

/* Fill MAP (4-byte keys, 8-byte values) with keys 0..N-1, values key+1. */
static void fill(struct krsi_map *map, __u32 n)
{
	__u32 *keys = calloc(n, 4), i, count = n;
	__u64 *values = calloc(n, 8);

	for (i = 0; i < n; i++) {
		keys[i] = i;
		values[i] = i + 1;
	}
	assert_int_equal(
		krsi_map__update_batch(map, keys, 4, values, 8, &count, NULL),
		0);
	assert_int_equal(count, n);
	free(keys);
	free(values);
}

static void test_for_each_visits_every_element(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_HASH, "walk", 4, 8, 1000, 0);
	struct walk_ctx w = { 0 };

	(void)state;
	fill(map, 700);
	assert_int_equal(krsi_map__for_each(map, count_elem, &w, NULL), 0);
	assert_int_equal(w.seen, 700);
	assert_int_equal(w.sum, 700 * 701 / 2);
	memset(&w, 0, sizeof(w));
	w.stop_after = 3;
	assert_int_equal(krsi_map__for_each(map, count_elem, &w, NULL), 42);
	assert_int_equal(w.seen, 3);
	assert_int_equal(krsi_map__for_each(map, NULL, &w, NULL), -EINVAL);
	krsi_map__free(map);
}

/* Batch lookup, update and delete, with the kernel's batches. */
static void test_batch_uses_kernel_batches(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_HASH, "batch", 4, 8, 1024, 0);
	__u32 keys[1024], count, i;
	__u64 values[1024], sum = 0;

	(void)state;
	fill(map, 1000);
	count = 1024;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 8, &count, NULL),
		0);
	assert_int_equal(count, 1000);
	for (i = 0; i < count; i++) {
		assert_int_equal(values[i], keys[i] + 1);
		sum += values[i];
	}
	assert_int_equal(sum, 1000 * 1001 / 2);
	/* Exactly as many places as elements is not "too few". */
	count = 1000;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 8, &count, NULL),
		0);
	assert_int_equal(count, 1000);
	count = 10;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 8, &count, NULL),
		-ENOSPC);
	assert_int_equal(errno, ENOSPC);
	/* Hash maps are read a bucket at a time: a bucket that does not fit
	 * in the places left ends the read early. */
	assert_true(count <= 10);
	count = 1000;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 8, &count, NULL),
		0);
	count = 500;
	assert_int_equal(krsi_map__delete_batch(map, keys, 4, &count, NULL), 0);
	assert_int_equal(count, 500);
	count = 1024;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 8, &count, NULL),
		0);
	assert_int_equal(count, 500);
	assert_int_equal(map->batch[KRSI_BATCH_LOOKUP], 1);
	assert_int_equal(map->batch[KRSI_BATCH_UPDATE], 1);
	assert_int_equal(map->batch[KRSI_BATCH_DELETE], 1);
	krsi_map__free(map);
}

static void test_batch_errors(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_HASH, "bfull", 4, 8, 4, 0);
	__u32 keys[8] = { 0, 1, 2, 3, 4, 5, 6, 7 }, count = 8;
	__u64 values[8] = { 0 };
	struct krsi_map_batch_opts bad = { .sz = 2 };

	(void)state;
	utest_capture();
	assert_int_equal(
		krsi_map__update_batch(map, keys, 4, values, 8, &count, NULL),
		-E2BIG);
	assert_int_equal(count, 4);
	assert_logged(
		"map 'bfull': batch update (stopped after 4 of 8): the map is full (capacity 4 entries)");
	keys[1] = 100;
	count = 4;
	assert_int_equal(krsi_map__delete_batch(map, keys, 4, &count, NULL),
			 -ENOENT);
	assert_int_equal(count, 1);
	count = 1;
	assert_int_equal(
		krsi_map__update_batch(map, keys, 4, values, 8, &count, &bad),
		-EINVAL);
	assert_logged("struct krsi_map_batch_opts: sz is 2");
	assert_int_equal(krsi_map__for_each(map, count_elem, NULL, &bad),
			 -EINVAL);
	count = 0;
	assert_int_equal(krsi_map__delete_batch(map, keys, 4, &count, NULL), 0);
	krsi_map__free(map);
}

/*
 * A map type without kernel batches (a devmap hash: keys to ifindexes):
 * every batch call goes one element at a time, and says so at debug level.
 */
static void test_batch_falls_back_one_at_a_time(void **state)
{
	struct krsi_map *map =
		utest_map(BPF_MAP_TYPE_DEVMAP_HASH, "devs", 4, 4, 16, 0);
	__u32 keys[10], values[10], count, i;
	struct walk_ctx w = { 0 };

	(void)state;
	for (i = 0; i < 10; i++) {
		keys[i] = 100 + i;
		values[i] = 1; /* the loopback device */
	}
	utest_capture();
	count = 10;
	assert_int_equal(
		krsi_map__update_batch(map, keys, 4, values, 4, &count, NULL),
		0);
	assert_int_equal(count, 10);
	assert_logged(
		"map 'devs' (devmap_hash): the kernel has no batch update for it; going one element at a time");
	memset(keys, 0, sizeof(keys));
	count = 10;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 4, &count, NULL),
		0);
	assert_int_equal(count, 10);
	for (i = 0; i < 10; i++) {
		assert_true(keys[i] >= 100 && keys[i] < 110);
		assert_int_equal(values[i], 1);
	}
	count = 9;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 4, &count, NULL),
		-ENOSPC);
	assert_int_equal(count, 9);
	assert_int_equal(krsi_map__for_each(map, count_only, &w, NULL), 0);
	assert_int_equal(w.seen, 10);
	count = 10;
	assert_int_equal(
		krsi_map__lookup_batch(map, keys, 4, values, 4, &count, NULL),
		0);
	keys[4] = 999;
	count = 10;
	assert_int_equal(krsi_map__delete_batch(map, keys, 4, &count, NULL),
			 -ENOENT);
	assert_int_equal(count, 4);
	assert_logged("no batch delete");
	assert_logged("no batch lookup");
	assert_int_equal(map->batch[KRSI_BATCH_LOOKUP], -1);
	assert_int_equal(map->batch[KRSI_BATCH_UPDATE], -1);
	assert_int_equal(map->batch[KRSI_BATCH_DELETE], -1);
	assert_int_equal(utest_warnings, 0);
	krsi_map__free(map);
}

static void test_find_in_a_loaded_object(void **state)
{
	struct map_fixture_bpf *skel = map_fixture_bpf__open();
	struct krsi_map *map;
	__u32 k = 3;
	__u64 v = 9;
	int err;

	(void)state;
	assert_non_null(skel);
	utest_capture();
	assert_null(krsi_map__new(skel->maps.elems));
	assert_int_equal(errno, EINVAL);
	assert_logged("map 'elems' is not created yet: load its object first");
	err = map_fixture_bpf__load(skel);
	if (err) {
		map_fixture_bpf__destroy(skel);
		errno = -err;
		utest_need_bpf(-1);
		fail_msg("loading the fixture: %s", strerror(-err));
	}
	map = krsi_map__find(skel->obj, "elems");
	assert_non_null(map);
	assert_ptr_equal(krsi_map__bpf_map(map), skel->maps.elems);
	assert_int_equal(krsi_map__fd(map), bpf_map__fd(skel->maps.elems));
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, 0), 0);
	v = 0;
	assert_int_equal(
		bpf_map__lookup_elem(skel->maps.elems, &k, 4, &v, 8, 0), 0);
	assert_int_equal(v, 9);
	krsi_map__free(map);
	assert_null(krsi_map__find(skel->obj, "nope"));
	assert_int_equal(errno, ENOENT);
	assert_logged(
		"object 'map_fixture_bpf' has no map named 'nope'; its maps: ");
	assert_logged("elems");
	assert_logged("per_cpu");
	assert_null(krsi_map__find(skel->obj, NULL));
	assert_int_equal(errno, EINVAL);
	map_fixture_bpf__destroy(skel);
}

/* The per-CPU counter a program bumped reads back summed over CPUs. */
static void test_percpu_map_of_an_object(void **state)
{
	struct map_fixture_bpf *skel = map_fixture_bpf__open_and_load();
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int ncpus = libbpf_num_possible_cpus(), i;
	__u64 *values = calloc(ncpus, 8), sum = 0;
	struct krsi_map *map;
	__u32 k = 0;

	(void)state;
	if (!skel)
		utest_need_bpf(-1);
	assert_non_null(skel);
	map = krsi_map__new(skel->maps.per_cpu);
	assert_non_null(map);
	for (i = 0; i < 3; i++)
		assert_int_equal(
			bpf_prog_test_run_opts(
				bpf_program__fd(skel->progs.bump), &run),
			0);
	assert_int_equal(
		krsi_map__lookup_elem(map, &k, 4, values, 8 * ncpus, 0), 0);
	for (i = 0; i < ncpus; i++)
		sum += values[i] & 0xffffffff;
	assert_int_equal(sum, 3);
	krsi_map__free(map);
	free(values);
	map_fixture_bpf__destroy(skel);
}

static char *pin_path(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", utest_bpffs, name);
	return path;
}

static void test_pin_open_unpin(void **state)
{
	struct krsi_map *map, *again, *other;
	__u32 k = 1;
	__u64 v = 5, out = 0;
	char path[128];

	(void)state;
	utest_need_bpffs();
	map = utest_map(BPF_MAP_TYPE_HASH, "pinned", 4, 8, 4, 0);
	other = utest_map(BPF_MAP_TYPE_HASH, "other", 4, 8, 4, 0);
	snprintf(path, sizeof(path), "%s", pin_path("m"));
	assert_int_equal(krsi_map__pin(map, path), 0);
	utest_capture();
	assert_int_equal(krsi_map__pin(other, path), -EEXIST);
	assert_logged("it exists");
	again = krsi_map__open_pinned(path, NULL);
	assert_non_null(again);
	assert_string_equal(krsi_map__name(again), "pinned");
	assert_int_equal(krsi_map__update_elem(again, &k, 4, &v, 8, 0), 0);
	assert_int_equal(krsi_map__lookup_elem(map, &k, 4, &out, 8, 0), 0);
	assert_int_equal(out, 5);
	/* Another map's handle does not remove this pin. */
	assert_int_equal(krsi_map__unpin(other, path), -EBUSY);
	assert_logged("it holds another map");
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(krsi_map__unpin(again, NULL), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(krsi_map__unpin(again, NULL), -EINVAL);
	assert_int_equal(krsi_map__unpin(map, path), -ENOENT);
	assert_logged("nothing is pinned at");
	krsi_map__free(again);
	krsi_map__free(other);
	krsi_map__free(map);
}

static void test_pin_errors(void **state)
{
	struct krsi_map *map;
	char path[128];

	(void)state;
	utest_need_bpffs();
	map = utest_map(BPF_MAP_TYPE_HASH, "perr", 4, 8, 4, 0);
	utest_capture();
	assert_int_equal(krsi_map__pin(map, "/tmp/krsi-not-bpffs"), -EINVAL);
	assert_logged("is not on a BPF filesystem");
	snprintf(path, sizeof(path), "%s", pin_path("no/such/dir"));
	assert_int_equal(krsi_map__pin(map, path), -ENOENT);
	assert_logged("does not exist: create it first");
	assert_int_equal(krsi_map__pin(map, NULL), -EINVAL);
	assert_null(krsi_map__open_pinned(pin_path("missing"), NULL));
	assert_int_equal(errno, ENOENT);
	assert_logged("nothing is pinned at");
	assert_null(krsi_map__open_pinned("/etc/passwd", NULL));
	assert_int_equal(errno, EINVAL);
	krsi_map__free(map);
}

static void test_open_pinned_program_is_not_a_map(void **state)
{
	struct map_fixture_bpf *skel;
	char path[128];

	(void)state;
	utest_need_bpffs();
	skel = map_fixture_bpf__open_and_load();
	assert_non_null(skel);
	snprintf(path, sizeof(path), "%s", pin_path("prog"));
	assert_int_equal(bpf_program__pin(skel->progs.bump, path), 0);
	utest_capture();
	assert_null(krsi_map__open_pinned(path, NULL));
	assert_int_equal(errno, EINVAL);
	assert_logged("is not a BPF map but anon_inode:bpf-prog");
	unlink(path);
	map_fixture_bpf__destroy(skel);
}

static void test_open_pinned_checks_owner(void **state)
{
	KRSI_OPTS(krsi_map_open_opts, any, .any_owner = true);
	struct krsi_map_open_opts bad = { .sz = 1 };
	struct krsi_map *map, *m;
	char path[160], dir[128];

	(void)state;
	utest_need_bpffs();
	if (geteuid() != 0) {
		print_message("skipped: needs root to chown a pin\n");
		skip();
	}
	map = utest_map(BPF_MAP_TYPE_HASH, "owned", 4, 8, 4, 0);
	snprintf(dir, sizeof(dir), "%s", pin_path("d"));
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/m", dir);
	assert_int_equal(krsi_map__pin(map, path), 0);
	utest_capture();

	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_null(krsi_map__open_pinned(path, NULL));
	assert_int_equal(errno, EPERM);
	assert_logged(
		"is owned by uid 65534, neither root nor this process's uid 0");
	m = krsi_map__open_pinned(path, &any);
	assert_non_null(m);
	krsi_map__free(m);
	assert_int_equal(chown(path, 0, 0), 0);

	assert_int_equal(chmod(path, 0666), 0);
	assert_null(krsi_map__open_pinned(path, NULL));
	assert_int_equal(errno, EPERM);
	assert_logged("is writable by group or others (mode 0666)");
	assert_int_equal(chmod(path, 0600), 0);

	assert_int_equal(chmod(dir, 0777), 0);
	assert_null(krsi_map__open_pinned(path, NULL));
	assert_int_equal(errno, EPERM);
	assert_logged("without the sticky bit (mode 0777)");
	assert_int_equal(chmod(dir, 01777), 0);
	m = krsi_map__open_pinned(path, NULL);
	assert_non_null(m);
	krsi_map__free(m);

	assert_int_equal(chown(dir, 65534, 65534), 0);
	assert_null(krsi_map__open_pinned(path, NULL));
	assert_int_equal(errno, EPERM);
	assert_logged("its owner could replace the pin");
	assert_int_equal(chown(dir, 0, 0), 0);

	assert_null(krsi_map__open_pinned(path, &bad));
	assert_int_equal(errno, EINVAL);
	assert_logged("struct krsi_map_open_opts: sz is 1");

	assert_int_equal(krsi_map__unpin(map, path), 0);
	assert_int_equal(rmdir(dir), 0);
	krsi_map__free(map);
}

static void test_open_pinned_read_only(void **state)
{
	KRSI_OPTS(krsi_map_open_opts, ro, .read_only = true);
	struct krsi_map *map, *m;
	__u32 k = 1;
	__u64 v = 2;
	char path[128];

	(void)state;
	utest_need_bpffs();
	map = utest_map(BPF_MAP_TYPE_HASH, "ro", 4, 8, 4, 0);
	snprintf(path, sizeof(path), "%s", pin_path("ro"));
	assert_int_equal(krsi_map__pin(map, path), 0);
	assert_int_equal(krsi_map__update_elem(map, &k, 4, &v, 8, 0), 0);
	m = krsi_map__open_pinned(path, &ro);
	assert_non_null(m);
	v = 0;
	assert_int_equal(krsi_map__lookup_elem(m, &k, 4, &v, 8, 0), 0);
	assert_int_equal(v, 2);
	utest_capture();
	assert_int_equal(krsi_map__update_elem(m, &k, 4, &v, 8, 0), -EPERM);
	assert_logged("map 'ro': update: not permitted");
	krsi_map__free(m);
	assert_int_equal(krsi_map__unpin(map, NULL), 0);
	krsi_map__free(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_handles),
		cmocka_unit_test(test_from_fd_rejects_what_is_not_a_map),
		cmocka_unit_test(test_from_fd_keeps_its_own_descriptor),
		cmocka_unit_test(test_sizes_checked_on_every_call),
		cmocka_unit_test(test_update_flags_lookup_delete),
		cmocka_unit_test(test_full_hash_reports_capacity),
		cmocka_unit_test(test_full_trie_reports_capacity),
		cmocka_unit_test(test_array_index_and_delete),
		cmocka_unit_test(test_percpu_values_span_possible_cpus),
		cmocka_unit_test(test_for_each_visits_every_element),
		cmocka_unit_test(test_batch_uses_kernel_batches),
		cmocka_unit_test(test_batch_errors),
		cmocka_unit_test(test_batch_falls_back_one_at_a_time),
		cmocka_unit_test(test_find_in_a_loaded_object),
		cmocka_unit_test(test_percpu_map_of_an_object),
		cmocka_unit_test(test_pin_open_unpin),
		cmocka_unit_test(test_pin_errors),
		cmocka_unit_test(test_open_pinned_program_is_not_a_map),
		cmocka_unit_test(test_open_pinned_checks_owner),
		cmocka_unit_test(test_open_pinned_read_only),
	};
	int rc;

	utest_mount_bpffs();
	rc = cmocka_run_group_tests_name("map", tests, NULL, NULL);
	utest_unmount_bpffs();
	return rc;
}
