// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Every policy set's BPF-side lookup, run from user space with
 * bpf_prog_test_run(), so the test compares them with what user space
 * added: on the host as well as on every kernel. probe() is a socket
 * filter, as LPM tries are refused to sleepable programs (syscall ones
 * included); probe_current() is a syscall program, to look up the calling
 * task's own cgroup and uid. Both take their arguments from and leave their
 * results in args.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <krsi/krsi.bpf.h>
#include "policy_sets.h"

KRSI_POLICY_MAPS();
KRSI_FILE_SET(files, 8);
KRSI_HASH_SET(hashes, 8);
KRSI_CGROUP_SET(cgroups, 8);
KRSI_ID_SET(ids, 8);
KRSI_PATH_SET(paths, 16);
KRSI_IPV4_SET(nets4, 8);
KRSI_IPV6_SET(nets6, 8);

struct probe_args args;

/* One lookup of the set args names, in SNAP's generation. */
static __always_inline int lookup(struct krsi_snap *snap,
				  struct krsi_rule *rule)
{
	struct krsi_inode_key inode = { .dev = args.dev, .ino = args.ino };

	switch (args.set) {
	case PROBE_FILE:
		return krsi_file_set_match(&files, snap, &inode, rule);
	case PROBE_HASH:
		return krsi_hash_set_match(&hashes, snap, args.sha256, rule);
	case PROBE_CGROUP:
		return krsi_cgroup_set_match(&cgroups, snap, args.cgroup, rule);
	case PROBE_ID:
		return krsi_id_set_match(&ids, snap, args.id, rule);
	case PROBE_PATH:
		return krsi_path_set_match(&paths, snap, args.path, rule);
	case PROBE_IPV4:
		return krsi_ipv4_set_match(&nets4, snap, args.addr4, rule);
	case PROBE_IPV6:
		return krsi_ipv6_set_match(&nets6, snap, args.addr6, rule);
	}
	return -EINVAL;
}

/* The same for the calling task's cgroup or uid. */
static __always_inline int lookup_current(struct krsi_snap *snap,
					  struct krsi_rule *rule)
{
	switch (args.set) {
	case PROBE_MY_CGROUP:
		return krsi_cgroup_set_match(&cgroups, snap,
					     bpf_get_current_cgroup_id(), rule);
	case PROBE_MY_UID:
		return krsi_id_set_match(
			&ids, snap, (__u32)bpf_get_current_uid_gid(), rule);
	}
	return -EINVAL;
}

/* Run LOOKUP in one consistent generation; leave the results in args. */
#define PROBE(lookup)                                               \
	do {                                                        \
		struct krsi_rule rule = { 0 };                      \
		struct krsi_snap snap;                              \
		int hit, err;                                       \
                                                                    \
		args.begin_err = krsi_snap_begin(&krsi_ctl, &snap); \
		do {                                                \
			hit = lookup(&snap, &rule);                 \
		} while ((err = krsi_snap_retry(&snap)) > 0);       \
		args.hit = hit;                                     \
		args.retry_err = err;                               \
		args.generation = snap.generation;                  \
		args.rule_id = rule.id;                             \
		args.rule_flags = rule.flags;                       \
	} while (0)

SEC("socket")
int probe(struct __sk_buff *skb)
{
	PROBE(lookup);
	return 0;
}

SEC("syscall")
int probe_current(void *ctx)
{
	PROBE(lookup_current);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
