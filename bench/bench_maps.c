// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Maps: the cost of libkrsi's element calls over libbpf's (same hash map,
 * same keys, alternating), and reading a whole map with libkrsi's batch
 * lookup against key-by-key iteration (krsi_map__get_next_key() and
 * krsi_map__lookup_elem()) at 100 000 and 1 000 000 entries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <krsi/krsi.h>

#include "bench.h"

/* Element calls per measurement, on a map of ELEM_KEYS entries, in runs
 * of ELEM_RUN alternating between libkrsi and libbpf. */
#define ELEM_OPS 20000
#define ELEM_RUN 500
#define ELEM_KEYS 1024

static struct krsi_map *hash_map(__u32 entries)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench", sizeof(__u32),
				sizeof(__u64), entries, NULL);
	struct krsi_map *map;
	__u32 *keys, n = entries;
	__u64 *values;
	__u32 i;

	if (fd < 0)
		bench_die("cannot create a hash map of %u entries: %s", entries,
			  strerror(errno));
	map = krsi_map__new_fd(fd);
	close(fd);
	keys = calloc(entries, sizeof(*keys));
	values = calloc(entries, sizeof(*values));
	if (!map || !keys || !values)
		bench_die("out of memory");
	for (i = 0; i < entries; i++) {
		keys[i] = i * 2654435761u; /* spread over the buckets */
		values[i] = i;
	}
	if (krsi_map__update_batch(map, keys, sizeof(*keys), values,
				   sizeof(*values), &n, NULL))
		bench_die("cannot fill the map: %s", strerror(errno));
	free(keys);
	free(values);
	return map;
}

/* ELEM_RUN lookups (or updates) through libkrsi or libbpf; ns. */
static double elem_ops(struct krsi_map *map, bool krsi, bool update)
{
	int fd = krsi_map__fd(map), err = 0, i;
	double t0 = bench_now();
	__u64 v = 1;
	__u32 key;

	for (i = 0; i < ELEM_RUN && !err; i++) {
		key = (i % ELEM_KEYS) * 2654435761u;
		if (krsi && update)
			err = krsi_map__update_elem(map, &key, sizeof(key), &v,
						    sizeof(v), BPF_ANY);
		else if (krsi)
			err = krsi_map__lookup_elem(map, &key, sizeof(key), &v,
						    sizeof(v), 0);
		else if (update)
			err = bpf_map_update_elem(fd, &key, &v, BPF_ANY);
		else
			err = bpf_map_lookup_elem(fd, &key, &v);
	}
	if (err)
		bench_die("element call failed: %s", strerror(errno));
	return bench_now() - t0;
}

static void wrapper(struct krsi_map *map, bool update, int reps)
{
	double ratio[reps], k[reps], l[reps];
	int i, j;

	elem_ops(map, true, update);
	elem_ops(map, false, update);
	for (i = 0; i < reps; i++) {
		k[i] = l[i] = 0;
		for (j = 0; j < ELEM_OPS / ELEM_RUN; j++) {
			k[i] += elem_ops(map, true, update) / ELEM_OPS;
			l[i] += elem_ops(map, false, update) / ELEM_OPS;
		}
		ratio[i] = k[i] / l[i];
	}
	bench_row("maps",
		  update ? "krsi_map__update_elem vs bpf_map_update_elem"
			 : "krsi_map__lookup_elem vs bpf_map_lookup_elem",
		  bench_stats(ratio, reps), "x", BENCH_LE, 1.05, "",
		  "time per call: %.0f ns vs %.0f ns", bench_stats(k, reps).med,
		  bench_stats(l, reps).med);
}

struct whole {
	__u32 *keys;
	__u64 *values;
	__u32 entries;
};

/* Read the whole map in batches, or key by key; ns. */
static double read_all(struct krsi_map *map, struct whole *w, bool batch)
{
	double t0 = bench_now();
	const __u32 *prev = NULL;
	__u32 n = w->entries;
	int err = 0;

	if (batch) {
		err = krsi_map__lookup_batch(map, w->keys, sizeof(__u32),
					     w->values, sizeof(__u64), &n,
					     NULL);
	} else {
		/* stops at the first error, n counting the entries read */
		for (n = 0; n < w->entries; n++) {
			err = krsi_map__get_next_key(map, prev, &w->keys[n],
						     sizeof(__u32));
			if (!err)
				err = krsi_map__lookup_elem(
					map, &w->keys[n], sizeof(__u32),
					&w->values[n], sizeof(__u64), 0);
			if (err)
				break;
			prev = &w->keys[n];
		}
	}
	if (err || n != w->entries)
		bench_die("read %u of %u entries (%s)", n, w->entries,
			  strerror(-err));
	return bench_now() - t0;
}

static void batch_vs_iteration(__u32 entries, int reps)
{
	struct krsi_map *map = hash_map(entries);
	double ratio[reps], b[reps], it[reps];
	struct whole w = { .entries = entries };
	char name[96];
	int i;

	w.keys = calloc(entries, sizeof(*w.keys));
	w.values = calloc(entries, sizeof(*w.values));
	if (!w.keys || !w.values)
		bench_die("out of memory");
	read_all(map, &w, true);
	read_all(map, &w, false);
	for (i = 0; i < reps; i++) {
		b[i] = read_all(map, &w, true);
		it[i] = read_all(map, &w, false);
		ratio[i] = it[i] / b[i];
	}
	snprintf(name, sizeof(name), "batch vs key-by-key read of %u entries",
		 entries);
	bench_row("maps", name, bench_stats(ratio, reps), "x", BENCH_GE, 4, "",
		  "whole map: %.1f ms vs %.1f ms",
		  bench_stats(b, reps).med / 1e6,
		  bench_stats(it, reps).med / 1e6);
	free(w.keys);
	free(w.values);
	krsi_map__free(map);
}

int main(void)
{
	int reps = bench_reps(BENCH_REPS);
	struct krsi_map *map;

	bench_quiet_logs();
	bench_env();
	map = hash_map(ELEM_KEYS);
	wrapper(map, false, 2 * reps + 1);
	wrapper(map, true, 2 * reps + 1);
	krsi_map__free(map);
	batch_vs_iteration(100000, reps);
	batch_vs_iteration(1000000, reps / 2 > 3 ? reps / 2 : 3);
	return 0;
}
