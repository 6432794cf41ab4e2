/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file policy_types.h
 * @brief Policy data as BPF programs and user space share it: the control
 *        word, the counters, and the keys and values of the policy sets.
 *
 * This header is plain C usable from BPF programs (after vmlinux.h) and
 * from user space (C11 or C++). Its layouts are a wire format, in host byte
 * order, pinned by static assertions.
 *
 * A policy's data lives in maps: its control map (one
 * struct krsi_policy_ctl: the published generation and the mode), its
 * counters (one per-CPU struct krsi_policy_stats), and its sets. Every set
 * key carries a @c slot, 0 or 1: the policy's data exists in two
 * generations, the published one (slot = generation & 1) and the one being
 * built, so a set map holds twice the policy's entries. Programs define the
 * maps with the macros of `<krsi/policy.bpf.h>`; user space fills them with
 * `<krsi/policy.h>`.
 */
#ifndef KRSI_POLICY_TYPES_H
#define KRSI_POLICY_TYPES_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
#include <krsi/inode_key.h>

/** Name of a policy's control map, and of its pin in the policy's directory. */
#define KRSI_POLICY_CTL_NAME "krsi_ctl"
/** Name of a policy's counters map, and of its pin in the policy's directory. */
#define KRSI_POLICY_STATS_NAME "krsi_stats"

/** What a policy does with the denials it decides. */
enum krsi_policy_mode {
	/** Decide, count and report, but allow: the denial is counted as
	 *  would_deny. A freshly loaded policy is in this mode. */
	KRSI_MODE_MONITOR = 0,
	/** Decide, count, report and deny. Programs treat any value but
	 *  #KRSI_MODE_MONITOR as this one. */
	KRSI_MODE_ENFORCE = 1,
};

/**
 * @brief The value of a policy's control map (an mmapable array of one).
 *
 * User space writes each field with one atomic store through a mapping of
 * the map, never with a map update, so that switching the mode and
 * publishing a generation never overwrite each other.
 */
struct krsi_policy_ctl {
	/** Published generation: 0 before the first, then 1, 2, ... Its
	 *  data are the set entries whose slot is generation & 1. */
	__u64 generation;
	/** An enum krsi_policy_mode. */
	__u32 mode;
	/** Zero; reserved. */
	__u32 reserved;
};

/**
 * @brief A policy's decision counters (per CPU in the map; user space reads
 *        them summed).
 *
 * decisions = allowed + denied + would_deny.
 */
struct krsi_policy_stats {
	/** Decisions taken. */
	__u64 decisions;
	/** Decisions that allowed. */
	__u64 allowed;
	/** Denials enforced (mode enforce). */
	__u64 denied;
	/** Denials not enforced (mode monitor). */
	__u64 would_deny;
};

/** The value of every set entry: what matched, for the program's use. */
struct krsi_rule {
	/** A number chosen by user space, such as a rule's index. */
	__u32 id;
	/** Bits chosen by user space, such as what the rule allows. */
	__u32 flags;
};

/**
 * @brief Key of a set of files (or executables) by identity.
 *
 * The identity is struct krsi_inode_key: stat()'s device and inode number,
 * which the BPF side computes with krsi_file_key() or krsi_inode_key() of
 * `<krsi/file.bpf.h>`.
 */
struct krsi_file_set_key {
	/** Generation slot, 0 or 1. */
	__u32 slot;
	/** Zero; reserved. */
	__u32 reserved;
	/** The file's device and inode number. */
	struct krsi_inode_key inode;
};

/** Bytes of a SHA-256 digest. */
#define KRSI_SHA256_SIZE 32

/** Key of a set of executables by IMA hash (SHA-256). */
struct krsi_hash_set_key {
	/** Generation slot, 0 or 1. */
	__u32 slot;
	/** The file's SHA-256 digest. */
	__u8 sha256[KRSI_SHA256_SIZE];
};

/** Key of a set of cgroups (cgroup v2 ids). */
struct krsi_cgroup_set_key {
	/** Generation slot, 0 or 1. */
	__u32 slot;
	/** Zero; reserved. */
	__u32 reserved;
	/** The cgroup's id, as bpf_get_current_cgroup_id() returns it. */
	__u64 id;
};

/** Key of a set of user or group ids. */
struct krsi_id_set_key {
	/** Generation slot, 0 or 1. */
	__u32 slot;
	/** The uid or gid, as seen from the initial user namespace. */
	__u32 id;
};

/**
 * Bytes of path data in struct krsi_path_set_key: a path of up to
 * #KRSI_PATH_SET_MAX bytes, then '/', then (for an exact match) '\0'.
 */
#define KRSI_PATH_KEY_BYTES 252
/** Longest path a path set entry can hold, in bytes. */
#define KRSI_PATH_SET_MAX (KRSI_PATH_KEY_BYTES - 2)

/**
 * @brief Key of a set of path prefixes (an LPM trie).
 *
 * A path P, without trailing '/', is stored as P + "/" to cover P and
 * everything under it (#KRSI_PATH_SUBTREE), or as P + "/" + '\0' to cover
 * P alone (#KRSI_PATH_EXACT); "/" itself is stored as "/" or "/\0". A
 * lookup of path Q uses Q + "/" + '\0', so "/etc/ssh/" covers "/etc/ssh"
 * and "/etc/ssh/sshd_config" but not "/etc/sshd". prefixlen counts the
 * bits of @c slot (32) and of the path bytes.
 */
struct krsi_path_set_key {
	/** Bits that must match: 32 for slot, 8 per path byte. */
	__u32 prefixlen;
	/** Generation slot, 0 or 1. */
	__u32 slot;
	/** The path bytes. */
	__u8 path[KRSI_PATH_KEY_BYTES];
};

/** How a path set entry matches. */
enum krsi_path_match {
	/** The path itself only. */
	KRSI_PATH_EXACT = 0,
	/** The path and everything under it. */
	KRSI_PATH_SUBTREE = 1,
};

/** Key of a set of IPv4 networks (an LPM trie): 32 + the CIDR's bits. */
struct krsi_ipv4_set_key {
	/** Bits that must match: 32 for slot, then the network's. */
	__u32 prefixlen;
	/** Generation slot, 0 or 1. */
	__u32 slot;
	/** The address, network byte order. */
	__u8 addr[4];
};

/** Key of a set of IPv6 networks (an LPM trie): 32 + the CIDR's bits. */
struct krsi_ipv6_set_key {
	/** Bits that must match: 32 for slot, then the network's. */
	__u32 prefixlen;
	/** Generation slot, 0 or 1. */
	__u32 slot;
	/** The address, network byte order. */
	__u8 addr[16];
};

/** @cond INTERNAL */
#ifdef __cplusplus
#define __KRSI_POLICY_ASSERT(cond) static_assert(cond, #cond)
#else
#define __KRSI_POLICY_ASSERT(cond) _Static_assert(cond, #cond)
#endif
__KRSI_POLICY_ASSERT(sizeof(struct krsi_policy_ctl) == 16);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_policy_stats) == 32);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_rule) == 8);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_file_set_key) == 24);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_hash_set_key) == 36);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_cgroup_set_key) == 16);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_id_set_key) == 8);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_path_set_key) == 260);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_ipv4_set_key) == 12);
__KRSI_POLICY_ASSERT(sizeof(struct krsi_ipv6_set_key) == 24);
#undef __KRSI_POLICY_ASSERT
/** @endcond */

#endif /* KRSI_POLICY_TYPES_H */
