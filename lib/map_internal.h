/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What lib/map*.c and the policy modules share about struct krsi_map. */
#ifndef KRSI_MAP_INTERNAL_H
#define KRSI_MAP_INTERNAL_H

#include <krsi/map.h>

/* The kernel's batch operations, in the order of krsi_map::batch. */
enum krsi_batch_op {
	KRSI_BATCH_LOOKUP,
	KRSI_BATCH_UPDATE,
	KRSI_BATCH_DELETE,
	KRSI_BATCH_OPS,
};

struct krsi_map {
	int fd;
	bool owns_fd; /* false: the bpf_map's object owns fd */
	struct bpf_map *bpf_map;
	char *name;
	char *pin_path;
	__u32 id;
	enum bpf_map_type type;
	__u32 key_size;
	__u32 value_size; /* as user space passes it (per-CPU: all CPUs) */
	__u32 max_entries;
	__u32 map_flags;
	/* Per batch op: 0 not probed yet, 1 the kernel has it, -1 it has not.
	 * Read and written with __atomic builtins: handles are shared. */
	int batch[KRSI_BATCH_OPS];
};

/*
 * A handle on FD, described by the kernel. OWNS_FD: close FD on failure and
 * in krsi_map__free(). NAME, if not NULL, replaces the kernel's name (which
 * is cut to 15 bytes).
 */
struct krsi_map *krsi_map_new(int fd, bool owns_fd, struct bpf_map *bpf_map,
			      const char *name);
/* 0 if FD is a BPF map; else -EINVAL, saying what WHAT is instead. */
int krsi_map_check_is_map(int fd, const char *what);
/* Check that SZ is the map's key size. */
int krsi_map_check_key(const struct krsi_map *map, size_t sz);
/* Check that SZ is the map's value size as user space passes it. */
int krsi_map_check_value(const struct krsi_map *map, size_t sz);
/* Explain ERR (negative errno) of OP ("update", ...) on MAP; return ERR. */
int krsi_map_fail(const struct krsi_map *map, const char *op, int err);
/* Whether the map is an array, whose keys are indices. */
bool krsi_map_is_array(const struct krsi_map *map);

#endif /* KRSI_MAP_INTERNAL_H */
