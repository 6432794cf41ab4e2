// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Load (on a host that refuses LSM programs): five socket filters, each
 * looking its packet's bytes up in one of the sets a policy would keep and
 * counting the decision, in the shape of bench_five.bpf.c. Loaded, never
 * run by the benchmark.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <krsi/krsi.bpf.h>

KRSI_POLICY_MAPS();
KRSI_FILE_SET(host_files, 1024);
KRSI_ID_SET(host_ids, 1024);
KRSI_CGROUP_SET(host_cgroups, 64);

/* KIND: 0 files, 1 ids, 2 cgroups; the key is the packet's word at OFF. */
static __always_inline int decide(struct __sk_buff *skb, void *set, int kind,
				  __u32 off)
{
	struct krsi_snap snap;
	int hit, err;
	__u32 word = 0;

	bpf_skb_load_bytes(skb, off, &word, sizeof(word));
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		if (kind == 0) {
			struct krsi_inode_key key = { .ino = word };

			hit = krsi_file_set_match(set, &snap, &key, NULL);
		} else if (kind == 1) {
			hit = krsi_id_set_match(set, &snap, word, NULL);
		} else {
			hit = krsi_cgroup_set_match(set, &snap, word, NULL);
		}
	} while ((err = krsi_snap_retry(&snap)) > 0);
	return krsi_policy_decide(&krsi_ctl, &krsi_stats,
				  err || hit > 0 ? -EPERM : 0)
		       ? 0
		       : skb->len;
}

#define HOST_PROG(name, set, kind, off)              \
	SEC("socket")                                \
	int name(struct __sk_buff *skb)              \
	{                                            \
		return decide(skb, &set, kind, off); \
	}

HOST_PROG(host_one, host_files, 0, 0)
HOST_PROG(host_two, host_ids, 1, 4)
HOST_PROG(host_three, host_cgroups, 2, 8)
HOST_PROG(host_four, host_ids, 1, 12)
HOST_PROG(host_five, host_files, 0, 16)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
