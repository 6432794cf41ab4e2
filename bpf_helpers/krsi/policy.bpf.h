/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Policy data on the BPF side: the maps a policy keeps its data in, the
 * lookups of its sets, consistent reads across generation flips, and the
 * monitor/enforce decision. User space fills the maps with <krsi/policy.h>;
 * the layouts are in <krsi/policy_types.h>.
 *
 * A program defines its policy's maps at file scope:
 *
 *	KRSI_POLICY_MAPS();			// krsi_ctl and krsi_stats
 *	KRSI_PATH_SET(protected, 1024);		// up to 1024 entries
 *
 * and decides like this:
 *
 *	struct krsi_snap snap;
 *	struct krsi_rule rule;
 *	int hit, err;
 *
 *	krsi_snap_begin(&krsi_ctl, &snap);
 *	do {
 *		hit = krsi_path_set_match(&protected, &snap, path, &rule);
 *	} while ((err = krsi_snap_retry(&snap)) > 0);
 *	if (err)				// -EAGAIN: see below
 *		hit = 1;			// fail closed
 *	return krsi_policy_decide(&krsi_ctl, &krsi_stats,
 *				  hit > 0 ? -EACCES : 0);
 *
 * GENERATIONS. The policy's data exist twice, in slots 0 and 1 of every
 * set. krsi_ctl holds the published generation G (a counter that only
 * grows); its data are the entries of slot G & 1. User space builds
 * generation G + 1 in the other slot (first emptying it), publishes it
 * with one atomic store of G + 1, then empties the old slot.
 *
 * The guarantee: when krsi_snap_retry() returns 0, every lookup made since
 * krsi_snap_begin() (or the last krsi_snap_retry() returning 1) saw one
 * published generation, complete, and nothing else: all its entries, none
 * of another generation, none missing. Why: a slot is only written while it
 * is not published, and user space starts writing the old slot only after
 * it has published a newer generation. The reader reads the generation
 * before its lookups and again after them; equal values mean no
 * publication happened in between (the counter never repeats a value), so
 * no write to the slot it read can have happened in between either. A
 * program that read generation G just before a flip, and then looks up
 * while the old slot is being emptied, sees a different generation
 * afterwards and runs its lookups again on the new one. The lookups copy
 * the matching rule out (a pointer into the map could change after the
 * check). This holds while the policy has a single writer using
 * <krsi/policy.h>, which writes only the unpublished slot, empties it
 * before building in it, and publishes with one atomic store.
 *
 * Ordering relies on x86-64's memory model (loads are not reordered with
 * older loads), the only architecture libkrsi supports; the compiler is
 * kept from reordering by volatile loads and barriers.
 *
 * A decision runs its lookups at most KRSI_SNAP_ATTEMPTS times; if user
 * space published a generation during every run, krsi_snap_retry()
 * returns -EAGAIN and the lookups' results must not be used. Publishing
 * takes several system calls per generation while a run of lookups takes
 * about a microsecond, so this needs a program preempted for a long time:
 * fail closed or open, as the policy requires.
 *
 * Before the first publication (generation 0), krsi_snap_begin() returns
 * -ENOENT and the sets look empty.
 *
 * Costs: one array lookup (inlined by the verifier) per krsi_snap_begin()
 * and none per krsi_snap_retry(); one map lookup per set lookup; two array
 * lookups and up to two per-CPU atomic additions per decision.
 *
 * Works with every hook, sleepable or not, on 6.1, 6.12 and later, except
 * that the kernel refuses LPM tries (path, IPv4 and IPv6 sets) to
 * sleepable programs (lsm.s/, syscall): use hash sets (files, hashes,
 * cgroups, ids) there. On 6.1 the verifier rejects a loop that clang lays
 * out with its latch falling through into its first instruction ("back-edge
 * from insn N to N+1"): krsi_snap_retry() is written so the loop above is
 * not laid out that way; unroll loops of your own around lookups
 * (#pragma unroll) if 6.1 rejects them.
 */
#ifndef __KRSI_POLICY_BPF_H
#define __KRSI_POLICY_BPF_H

#if !defined(__bpf__)
#error "krsi/policy.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>
#include <krsi/errno.bpf.h>
#include <krsi/verdict.bpf.h>
#include <krsi/policy_types.h>

/* Maps ------------------------------------------------------------------- */

/*
 * Define the policy's control map krsi_ctl (published generation and
 * mode, mmapable so user space can store each word atomically) and its
 * per-CPU counters krsi_stats.
 */
#define KRSI_POLICY_MAPS()                               \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_ARRAY);        \
		__uint(max_entries, 1);                  \
		__uint(map_flags, BPF_F_MMAPABLE);       \
		__type(key, __u32);                      \
		__type(value, struct krsi_policy_ctl);   \
	} krsi_ctl SEC(".maps");                         \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, 1);                  \
		__type(key, __u32);                      \
		__type(value, struct krsi_policy_stats); \
	} krsi_stats SEC(".maps")

/* A set of ENTRIES per generation: the map holds two generations. */
#define __KRSI_SET(name, map_type, key_type, entries, flags) \
	struct {                                             \
		__uint(type, map_type);                      \
		__uint(max_entries, 2 * (entries));          \
		__uint(map_flags, flags);                    \
		__type(key, key_type);                       \
		__type(value, struct krsi_rule);             \
	} name SEC(".maps")

/* Files or executables by identity: krsi_file_set_match(). */
#define KRSI_FILE_SET(name, entries)                                           \
	__KRSI_SET(name, BPF_MAP_TYPE_HASH, struct krsi_file_set_key, entries, \
		   0)
/* Executables by IMA hash (SHA-256): krsi_hash_set_match(). */
#define KRSI_HASH_SET(name, entries)                                           \
	__KRSI_SET(name, BPF_MAP_TYPE_HASH, struct krsi_hash_set_key, entries, \
		   0)
/* Cgroups by id: krsi_cgroup_set_match(). */
#define KRSI_CGROUP_SET(name, entries)                                  \
	__KRSI_SET(name, BPF_MAP_TYPE_HASH, struct krsi_cgroup_set_key, \
		   entries, 0)
/* User or group ids: krsi_id_set_match(). */
#define KRSI_ID_SET(name, entries) \
	__KRSI_SET(name, BPF_MAP_TYPE_HASH, struct krsi_id_set_key, entries, 0)
/* Path prefixes: krsi_path_set_match(). */
#define KRSI_PATH_SET(name, entries)                                      \
	__KRSI_SET(name, BPF_MAP_TYPE_LPM_TRIE, struct krsi_path_set_key, \
		   entries, BPF_F_NO_PREALLOC)
/* IPv4 networks: krsi_ipv4_set_match(). */
#define KRSI_IPV4_SET(name, entries)                                      \
	__KRSI_SET(name, BPF_MAP_TYPE_LPM_TRIE, struct krsi_ipv4_set_key, \
		   entries, BPF_F_NO_PREALLOC)
/* IPv6 networks: krsi_ipv6_set_match(). */
#define KRSI_IPV6_SET(name, entries)                                      \
	__KRSI_SET(name, BPF_MAP_TYPE_LPM_TRIE, struct krsi_ipv6_set_key, \
		   entries, BPF_F_NO_PREALLOC)

/* Generations ------------------------------------------------------------ */

/* How many times a decision may run its lookups (see GENERATIONS above). */
#define KRSI_SNAP_ATTEMPTS 4

/* One consistent view of a policy's data, on the caller's stack. */
struct krsi_snap {
	struct krsi_policy_ctl *ctl;
	/* Published generation being read; set lookups use its slot. */
	__u64 generation;
	/* Runs so far. 64 bits: the verifier tracks whole stack slots, and
	 * must see it grow to see the loop end. */
	__u64 attempt;
};

/* The slot of SNAP's generation: what set keys carry. */
#define krsi_snap_slot(snap) ((__u32)((snap)->generation & 1))

/*
 * A compiler barrier that also keeps SNAP in memory: a loop around set
 * lookups then carries its state through the stack, not through register
 * copies placed before the loop's first instruction, a shape the 6.1
 * verifier rejects ("back-edge from insn N to N+1").
 */
#define __krsi_snap_barrier(snap) asm volatile("" : : "r"(snap) : "memory")

/*
 * Start reading the policy whose control map is CTL_MAP (krsi_ctl).
 * Returns 0, or -ENOENT when no generation is published yet (the sets then
 * look empty).
 */
static __always_inline int krsi_snap_begin(void *ctl_map,
					   struct krsi_snap *snap)
{
	__u32 zero = 0;

	snap->attempt = 0;
	snap->generation = 0;
	snap->ctl = bpf_map_lookup_elem(ctl_map, &zero);
	if (snap->ctl)
		snap->generation = *(volatile __u64 *)&snap->ctl->generation;
	__krsi_snap_barrier(snap);
	return snap->generation ? 0 : -ENOENT;
}

/*
 * After the lookups: 0 if they saw one whole generation (use their
 * results); 1 if a generation was published meanwhile (SNAP now reads the
 * new one: do the lookups again); -EAGAIN after KRSI_SNAP_ATTEMPTS runs
 * (do not use the results).
 */
static __always_inline int krsi_snap_retry(struct krsi_snap *snap)
{
	__u64 now;
	int again;

	if (!snap->ctl)
		return 0;
	__krsi_snap_barrier(snap);
	now = *(volatile __u64 *)&snap->ctl->generation;
	/*
	 * Written for the verifier: attempt grows on every path, so it sees
	 * the loop end whatever it knows of the generations; and the updates
	 * are straight-line with one decision last, so the loop's latch ends
	 * in a conditional jump back, which 6.1 accepts (it rejects a loop
	 * entered by falling through from its latch).
	 */
	again = now != snap->generation;
	/* Computed once: at -O1 clang tests now != generation a second time
	 * for the return value, and the verifier, which does not carry the
	 * first test's outcome over, then sees a run that never counts
	 * against KRSI_SNAP_ATTEMPTS and gives up ("The sequence of 8193
	 * jumps is too complex"). */
	asm volatile("" : "+r"(again));
	snap->attempt++;
	snap->generation = now;
	__krsi_snap_barrier(snap);
	if (again && snap->attempt >= KRSI_SNAP_ATTEMPTS)
		return -EAGAIN;
	return again;
}

/* Set lookups ------------------------------------------------------------
 * Each returns 1 when the set holds a match in SNAP's generation, copying
 * its rule to RULE (which may be NULL), 0 when not, or a negative errno.
 */

/*
 * The result is made opaque to clang: otherwise, at -O1, it merges "found
 * is not NULL" with the caller's tests into arithmetic on the pointer,
 * such as (found | err) != 0, which every verifier refuses ("R1 pointer
 * arithmetic on map_value_or_null prohibited").
 */
static __always_inline int __krsi_set_match(void *set, const void *key,
					    struct krsi_rule *rule)
{
	struct krsi_rule *found = bpf_map_lookup_elem(set, key);
	int hit = 0;

	if (found) {
		if (rule)
			*rule = *found;
		hit = 1;
	}
	asm volatile("" : "+r"(hit));
	return hit;
}

/*
 * A file by identity: INODE is its key from krsi_file_key() or
 * krsi_inode_key() (<krsi/file.bpf.h>), such as bprm->file's for an
 * executable.
 */
static __always_inline int
krsi_file_set_match(void *set, const struct krsi_snap *snap,
		    const struct krsi_inode_key *inode, struct krsi_rule *rule)
{
	struct krsi_file_set_key key = { .slot = krsi_snap_slot(snap),
					 .inode = *inode };

	return __krsi_set_match(set, &key, rule);
}

/* An executable (or any file) by the SHA-256 digest at SHA256 (32 bytes). */
static __always_inline int krsi_hash_set_match(void *set,
					       const struct krsi_snap *snap,
					       const void *sha256,
					       struct krsi_rule *rule)
{
	struct krsi_hash_set_key key = { .slot = krsi_snap_slot(snap) };
	long err;

	err = bpf_probe_read_kernel(key.sha256, sizeof(key.sha256), sha256);
	if (err)
		return (int)err;
	return __krsi_set_match(set, &key, rule);
}

/* A cgroup by id, such as bpf_get_current_cgroup_id(). */
static __always_inline int krsi_cgroup_set_match(void *set,
						 const struct krsi_snap *snap,
						 __u64 cgroup_id,
						 struct krsi_rule *rule)
{
	struct krsi_cgroup_set_key key = { .slot = krsi_snap_slot(snap),
					   .id = cgroup_id };

	return __krsi_set_match(set, &key, rule);
}

/* A uid or gid, such as those of bpf_get_current_uid_gid(). */
static __always_inline int krsi_id_set_match(void *set,
					     const struct krsi_snap *snap,
					     __u32 id, struct krsi_rule *rule)
{
	struct krsi_id_set_key key = { .slot = krsi_snap_slot(snap), .id = id };

	return __krsi_set_match(set, &key, rule);
}

/*
 * The path PATH, a NUL-terminated string in kernel or BPF memory, such as
 * bpf_d_path() wrote, matched against entries covering it exactly or as a
 * subtree. A path longer than KRSI_PATH_SET_MAX bytes matches the subtree
 * entries covering it, never an exact one. The key is built on the stack
 * (264 bytes of the program's 512: keep large buffers in maps), not in a
 * per-CPU buffer, which two tasks preempting each other on one CPU could
 * share. Costs one string copy of up to 252 bytes and one LPM trie lookup.
 */
static __always_inline int krsi_path_set_match(void *set,
					       const struct krsi_snap *snap,
					       const char *path,
					       struct krsi_rule *rule)
{
	struct krsi_path_set_key key;
	long len;

	key.slot = krsi_snap_slot(snap);
	len = bpf_probe_read_kernel_str(key.path, sizeof(key.path), path);
	if (len <= 0)
		return len ? (int)len : -EINVAL;
	len--; /* the string's length: signed 64-bit, for the verifier */
	if (len > KRSI_PATH_SET_MAX) {
		/* Only its first bytes fit: no exact entry can match. */
		key.prefixlen = 32 + (KRSI_PATH_KEY_BYTES - 1) * 8;
	} else {
		if (len > 0 && key.path[len - 1] == '/')
			len--; /* "/" */
		key.path[len] = '/';
		key.path[len + 1] = '\0';
		key.prefixlen = 32 + (len + 2) * 8;
	}
	return __krsi_set_match(set, &key, rule);
}

/* An IPv4 address, network byte order (as in struct sockaddr_in). */
static __always_inline int krsi_ipv4_set_match(void *set,
					       const struct krsi_snap *snap,
					       __u32 addr_be,
					       struct krsi_rule *rule)
{
	struct krsi_ipv4_set_key key = { .prefixlen = 64,
					 .slot = krsi_snap_slot(snap) };

	__builtin_memcpy(key.addr, &addr_be, sizeof(key.addr));
	return __krsi_set_match(set, &key, rule);
}

/* The IPv6 address at ADDR (16 bytes, network byte order). */
static __always_inline int krsi_ipv6_set_match(void *set,
					       const struct krsi_snap *snap,
					       const void *addr,
					       struct krsi_rule *rule)
{
	struct krsi_ipv6_set_key key = { .prefixlen = 160,
					 .slot = krsi_snap_slot(snap) };
	long err;

	err = bpf_probe_read_kernel(key.addr, sizeof(key.addr), addr);
	if (err)
		return (int)err;
	return __krsi_set_match(set, &key, rule);
}

/* Deciding --------------------------------------------------------------- */

/*
 * Apply the policy's mode to VERDICT (0 to allow, or the negative errno the
 * policy denies with) and count the decision in STATS_MAP (krsi_stats):
 * returns VERDICT in enforce mode (-EPERM if it is not a -errno), 0 in
 * monitor mode: an lsm/ program's return value, which 6.12's verifier
 * accepts even for a verdict computed at run time. The mode is read at
 * every decision, so a switch from user space applies to the next one. A
 * control map that cannot be read counts as enforce. Return an earlier
 * program's denial (the hook's ret) before deciding: it is not counted.
 * An lsm_cgroup/ program converts the result:
 *
 *	v = krsi_policy_decide(&krsi_ctl, &krsi_stats, verdict);
 *	return v ? KRSI_CGROUP_DENY(-v) : KRSI_CGROUP_ALLOW();
 */
static __always_inline int krsi_policy_decide(void *ctl_map, void *stats_map,
					      int verdict)
{
	struct krsi_policy_stats *stats;
	struct krsi_policy_ctl *ctl;
	__u32 zero = 0;

	ctl = bpf_map_lookup_elem(ctl_map, &zero);
	stats = bpf_map_lookup_elem(stats_map, &zero);
	if (stats)
		__sync_fetch_and_add(&stats->decisions, 1);
	if (!verdict) {
		if (stats)
			__sync_fetch_and_add(&stats->allowed, 1);
		return 0;
	}
	if (ctl && *(volatile __u32 *)&ctl->mode == KRSI_MODE_MONITOR) {
		if (stats)
			__sync_fetch_and_add(&stats->would_deny, 1);
		return 0;
	}
	if (stats)
		__sync_fetch_and_add(&stats->denied, 1);
	return __krsi_neg_errno(-(long)verdict);
}

#endif /* __KRSI_POLICY_BPF_H */
