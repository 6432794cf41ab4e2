// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Many elements at once: the kernel's batch operations where the kernel and
 * map type have them, one element at a time where not.
 */
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "map_internal.h"

/* The kernel's internal "not supported", which batch calls leak for map
 * types without batch operations. */
#define ENOTSUPP 524

/* Elements per system call when krsi_map__for_each() reads in batches. */
#define WALK_CHUNK 256

static const char *const batch_op_names[KRSI_BATCH_OPS] = {
	[KRSI_BATCH_LOOKUP] = "lookup",
	[KRSI_BATCH_UPDATE] = "update",
	[KRSI_BATCH_DELETE] = "delete",
};

/*
 * Whether the kernel has batch OP for MAP: asked once per handle with a
 * count of zero, which a kernel with the operation accepts without reading
 * anything. Kernels before 5.6 answer EINVAL, map types without it the
 * kernel's ENOTSUPP. Other errors (a read-only handle) are left for the
 * real call to report.
 */
static bool has_batch(const struct krsi_map *map, enum krsi_batch_op op)
{
	int *known = (int *)&map->batch[op];
	int state = __atomic_load_n(known, __ATOMIC_RELAXED);
	__u64 dummy[8] = { 0 };
	__u32 count = 0;
	int err;

	if (state)
		return state > 0;
	switch (op) {
	case KRSI_BATCH_LOOKUP:
		err = bpf_map_lookup_batch(map->fd, NULL, dummy, dummy, dummy,
					   &count, NULL);
		break;
	case KRSI_BATCH_UPDATE:
		err = bpf_map_update_batch(map->fd, dummy, dummy, &count, NULL);
		break;
	default:
		err = bpf_map_delete_batch(map->fd, dummy, &count, NULL);
		break;
	}
	err = err ? -errno : 0;
	if (!err) {
		state = 1;
	} else if (err == -ENOTSUPP || err == -EOPNOTSUPP || err == -EINVAL) {
		state = -1;
		pr_debug(
			"map '%s' (%s): the kernel has no batch %s for it; going one element at a time\n",
			map->name, libbpf_bpf_map_type_str(map->type),
			batch_op_names[op]);
	} else {
		return true;
	}
	__atomic_store_n(known, state, __ATOMIC_RELAXED);
	return state > 0;
}

/* Check the arguments shared by the batch calls. */
static int check_batch_args(const struct krsi_map *map, const char *op,
			    const void *keys, size_t key_sz, bool has_values,
			    const void *values, size_t value_sz,
			    const __u32 *count,
			    const struct krsi_map_batch_opts *opts)
{
	if (!map) {
		pr_warn("%s: map is NULL\n", op);
		return -EINVAL;
	}
	if (!OPTS_VALID(opts, krsi_map_batch_opts, elem_flags))
		return -EINVAL;
	if (!count || !keys || (has_values && !values)) {
		pr_warn("map '%s': %s: %s is NULL\n", map->name, op,
			!count	? "count"
			: !keys ? "keys"
				: "values");
		return -EINVAL;
	}
	if (krsi_map_check_key(map, key_sz))
		return -EINVAL;
	if (has_values && krsi_map_check_value(map, value_sz))
		return -EINVAL;
	return 0;
}

/*
 * A walk over the map's elements, in kernel batches or one by one.
 * walk_next() reads up to *n elements; at the end of the map it sets done.
 */
struct walk {
	const struct krsi_map *map;
	__u64 elem_flags;
	bool batch;
	bool started;
	bool done;
	void *cursor; /* batch: the kernel's token; else: the previous key */
};

static int walk_init(struct walk *w, const struct krsi_map *map,
		     __u64 elem_flags)
{
	memset(w, 0, sizeof(*w));
	w->map = map;
	w->elem_flags = elem_flags;
	w->batch = has_batch(map, KRSI_BATCH_LOOKUP);
	/* A batch token is a key (arrays, tries) or a bucket number. */
	w->cursor = calloc(1, map->key_size > 8 ? map->key_size : 8);
	if (!w->cursor) {
		pr_warn("map '%s': out of memory to walk it\n", map->name);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Read up to *N elements into KEYS and VALUES; *N is set to how many were
 * read. Returns 0, -ENOSPC when the next kernel batch (a hash bucket) needs
 * more than *N places (none read), or another negative errno.
 */
static int walk_next(struct walk *w, void *keys, void *values, __u32 *n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = w->elem_flags);
	const struct krsi_map *map = w->map;
	__u32 want = *n, got = 0;
	int err = 0;
	void *key;

	if (w->done) {
		*n = 0;
		return 0;
	}
	if (w->batch) {
		err = bpf_map_lookup_batch(map->fd,
					   w->started ? w->cursor : NULL,
					   w->cursor, keys, values, n, &opts);
		err = err ? -errno : 0;
		if (err == -ENOENT) {
			w->done = true;
			err = 0;
		}
		if (!err)
			w->started = true;
		else if (err == -ENOSPC)
			*n = 0; /* nothing read: ask again with more room */
		return err;
	}
	while (got < want) {
		key = (char *)keys + (size_t)got * map->key_size;
		if (bpf_map_get_next_key(map->fd, w->started ? w->cursor : NULL,
					 key)) {
			err = -errno;
			if (err == -ENOENT)
				w->done = true;
			break;
		}
		w->started = true;
		memcpy(w->cursor, key, map->key_size);
		if (bpf_map_lookup_elem_flags(
			    map->fd, key,
			    (char *)values + (size_t)got * map->value_size,
			    w->elem_flags)) {
			err = -errno;
			if (err != -ENOENT) /* ENOENT: deleted meanwhile */
				break;
			continue;
		}
		got++;
	}
	*n = got;
	return w->done || got == want ? 0 : err;
}

int krsi_map__lookup_batch(const struct krsi_map *map, void *keys,
			   size_t key_sz, void *values, size_t value_sz,
			   __u32 *count, const struct krsi_map_batch_opts *opts)
{
	__u32 cap, got = 0, n;
	void *spare_key = NULL, *spare_value = NULL;
	struct walk w = { 0 };
	int err;

	err = check_batch_args(map, "batch lookup", keys, key_sz, true, values,
			       value_sz, count, opts);
	if (err)
		return krsi_err(err);
	cap = *count;
	err = walk_init(&w, map, OPTS_GET(opts, elem_flags, 0));
	while (!err && !w.done && got < cap) {
		n = cap - got;
		err = walk_next(&w, (char *)keys + (size_t)got * key_sz,
				(char *)values + (size_t)got * value_sz, &n);
		got += n;
	}
	/* Arrays full: was that the end of the map? Read one more to see. */
	if (!err && !w.done) {
		spare_key = malloc(key_sz);
		spare_value = malloc(value_sz);
		n = 1;
		err = spare_key && spare_value
			      ? walk_next(&w, spare_key, spare_value, &n)
			      : -ENOMEM;
		if (!err && (n || !w.done))
			err = -ENOSPC;
	}
	*count = got;
	free(spare_key);
	free(spare_value);
	free(w.cursor);
	if (err == -ENOSPC) {
		pr_debug(
			"map '%s': batch lookup: the map holds more elements than the arrays' %u places\n",
			map->name, cap);
		return krsi_err(err);
	}
	return err ? krsi_map_fail(map, "batch lookup", err) : 0;
}

int krsi_map__for_each(const struct krsi_map *map, krsi_map_elem_fn fn,
		       void *ctx, const struct krsi_map_batch_opts *opts)
{
	__u32 chunk = WALK_CHUNK, n, i;
	char *keys = NULL, *values = NULL;
	struct walk w = { 0 };
	int err;

	if (!map || !fn) {
		pr_warn("krsi_map__for_each: %s is NULL\n", map ? "fn" : "map");
		return krsi_err(-EINVAL);
	}
	if (!OPTS_VALID(opts, krsi_map_batch_opts, elem_flags))
		return krsi_err(-EINVAL);
	err = walk_init(&w, map, OPTS_GET(opts, elem_flags, 0));
	while (!err && !w.done) {
		if (!keys) {
			keys = malloc((size_t)chunk * map->key_size);
			values = malloc((size_t)chunk * map->value_size);
			if (!keys || !values) {
				err = -ENOMEM;
				break;
			}
		}
		n = chunk;
		err = walk_next(&w, keys, values, &n);
		if (err == -ENOSPC && chunk < map->max_entries) {
			/* A hash bucket larger than the chunk. */
			chunk *= 2;
			free(keys);
			free(values);
			keys = values = NULL;
			err = 0;
			continue;
		}
		for (i = 0; !err && i < n; i++)
			err = fn(keys + (size_t)i * map->key_size,
				 values + (size_t)i * map->value_size, ctx);
		if (err)
			goto out; /* fn's answer, not a failure */
	}
	if (err)
		err = krsi_map_fail(map, "walk", err);
out:
	free(keys);
	free(values);
	free(w.cursor);
	return err < 0 ? krsi_err(err) : err;
}

/*
 * Update (VALUES not NULL) or delete *COUNT elements, in one kernel batch
 * or one at a time; *COUNT is set to how many were done. Arguments are
 * checked.
 */
static int write_batch(const struct krsi_map *map, const void *keys,
		       size_t key_sz, const void *values, size_t value_sz,
		       __u32 *count, __u64 flags)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bopts, .elem_flags = flags);
	const char *op = values ? "update" : "delete";
	const char *key, *value;
	__u32 total = *count, i;
	char what[96];
	int err = 0;

	if (!total)
		return 0;
	if (has_batch(map, values ? KRSI_BATCH_UPDATE : KRSI_BATCH_DELETE)) {
		err = values ? bpf_map_update_batch(map->fd, keys, values,
						    count, &bopts)
			     : bpf_map_delete_batch(map->fd, keys, count,
						    &bopts);
		err = err ? -errno : 0;
	} else {
		for (i = 0; i < total && !err; i++) {
			key = (const char *)keys + (size_t)i * key_sz;
			value = values ? (const char *)values +
						 (size_t)i * value_sz
				       : NULL;
			if (values ? bpf_map_update_elem(map->fd, key, value,
							 flags)
				   : bpf_map_delete_elem_flags(map->fd, key,
							       flags))
				err = -errno;
		}
		*count = err ? i - 1 : total;
	}
	if (!err)
		return 0;
	snprintf(what, sizeof(what), "batch %s (stopped after %u of %u)", op,
		 *count, total);
	/* The answers to BPF_NOEXIST and BPF_EXIST, or a key not there. */
	if (err == -ENOENT || (err == -EEXIST && values)) {
		pr_debug("map '%s': %s: %s\n", map->name, what, strerror(-err));
		return krsi_err(err);
	}
	return krsi_map_fail(map, what, err);
}

int krsi_map__update_batch(const struct krsi_map *map, const void *keys,
			   size_t key_sz, const void *values, size_t value_sz,
			   __u32 *count, const struct krsi_map_batch_opts *opts)
{
	int err;

	err = check_batch_args(map, "batch update", keys, key_sz, true, values,
			       value_sz, count, opts);
	if (err)
		return krsi_err(err);
	return write_batch(map, keys, key_sz, values, value_sz, count,
			   OPTS_GET(opts, elem_flags, 0));
}

int krsi_map__delete_batch(const struct krsi_map *map, const void *keys,
			   size_t key_sz, __u32 *count,
			   const struct krsi_map_batch_opts *opts)
{
	int err;

	err = check_batch_args(map, "batch delete", keys, key_sz, false, NULL,
			       0, count, opts);
	if (err)
		return krsi_err(err);
	return write_batch(map, keys, key_sz, NULL, 0, count,
			   OPTS_GET(opts, elem_flags, 0));
}
