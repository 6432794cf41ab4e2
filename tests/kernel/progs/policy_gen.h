/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What policy_gen.bpf.c and its test agree on. */
#ifndef POLICY_GEN_H
#define POLICY_GEN_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Ids 0..GEN_KEYS-1 may be in the set. */
#define GEN_KEYS 16

/*
 * Generation G holds ids 0..gen_size(G)-1, each with rule id G and flags
 * the id: its size and contents tell it from every other generation.
 */
static inline __u32 gen_size(__u64 generation)
{
	return generation ? 1 + generation % GEN_KEYS : 0;
}

/* What the readers saw. */
struct gen_counts {
	__u64 decisions; /* decisions taken */
	__u64 consistent; /* ... that saw exactly their generation */
	__u64 bad; /* ... that saw anything else: must stay 0 */
	__u64 gave_up; /* ... that got -EAGAIN */
	__u64 retries; /* runs of lookups redone after a publication */
	__u64 caught; /* ... whose results were wrong: what a reader
		       * without krsi_snap_retry() would have used */
};

#endif /* POLICY_GEN_H */
