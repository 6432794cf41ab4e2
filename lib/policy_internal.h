/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What lib/policy_*.c share: generations, sets, the control map. */
#ifndef KRSI_POLICY_INTERNAL_H
#define KRSI_POLICY_INTERNAL_H

#include <krsi/policy.h>

/* The map and key layout of a set type. */
struct krsi_set_kind {
	const char *name; /* "path", for messages */
	const char *macro; /* the BPF-side macro defining such maps */
	enum bpf_map_type map_type;
	__u32 key_size;
	__u32 slot_offset; /* where the key's slot is */
};

struct krsi_set {
	struct krsi_gen *gen;
	struct krsi_map *map;
	const struct krsi_set_kind *kind;
	enum krsi_set_type type;
};

struct krsi_gen {
	struct krsi_map *ctl;
	struct krsi_policy_ctl *mm; /* the control map, mapped */
	size_t mm_len;
	struct krsi_set **sets;
	size_t nr_sets;
	bool building;
	__u64 base; /* generation published when building began */
	/* The published generation when this handle last emptied the other
	 * slot of every set; ~0 when it did not. */
	__u64 emptied_at;
};

/* The layout of TYPE, or NULL for an unknown type. */
const struct krsi_set_kind *krsi_set_kind(enum krsi_set_type type);

/* The slot being built, for set adds by FN; -EINVAL (explained) if none. */
int krsi_gen_building_slot(const struct krsi_gen *gen, const char *fn,
			   __u32 *slot);

/* 0 if CTL is a control map of KRSI_POLICY_MAPS(); else -EINVAL, explained. */
int krsi_check_ctl_map(const struct krsi_map *ctl);

/* Map CTL's value into memory, writable: *MM, of *LEN bytes (munmap it). */
int krsi_map_ctl(const struct krsi_map *ctl, struct krsi_policy_ctl **mm,
		 size_t *len);

#endif /* KRSI_POLICY_INTERNAL_H */
