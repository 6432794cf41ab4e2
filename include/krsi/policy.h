/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file policy.h
 * @brief Policy data from user space: typed sets, atomic generations, the
 *        monitor/enforce mode and the decision counters.
 *
 * A policy's programs define its maps with `<krsi/policy.bpf.h>`
 * (KRSI_POLICY_MAPS(), KRSI_PATH_SET() and the like) and look them up
 * there. User space changes the policy's data a whole generation at a
 * time:
 *
 * @code
 * struct krsi_gen *gen = krsi_gen__new(ctl_map, NULL);
 * struct krsi_set *paths = krsi_gen__add_set(gen, paths_map, KRSI_SET_PATH);
 *
 * krsi_gen__begin(gen);                 // empty the unpublished slot
 * krsi_set__add_path(paths, "/etc/ssh", KRSI_PATH_SUBTREE, &rule);
 * krsi_gen__commit(gen);                // publish, then empty the old slot
 * @endcode
 *
 * Programs see either the previous generation or the new one, whole, never
 * a mixture and never an empty set in between: see the guarantee in
 * `<krsi/policy.bpf.h>`. Every set map holds two generations, so its
 * @c max_entries is twice the entries of one (KRSI_PATH_SET(name, n)
 * makes 2n).
 *
 * One process at a time may build a policy's generations: libkrsi does not
 * lock across processes (it detects, and reports, another writer's
 * publication when it commits). Switching the mode is independent of
 * building generations and may come from any process.
 */
#ifndef KRSI_POLICY_H
#define KRSI_POLICY_H

#include <stddef.h>
#include <sys/types.h>
#include <krsi/common.h>
#include <krsi/map.h>
#include <krsi/policy_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A policy's generations: its control map and its sets. Opaque. */
struct krsi_gen;

/** One set of a policy, owned by its struct krsi_gen. Opaque. */
struct krsi_set;

/** The kinds of policy sets, each with its key and BPF-side lookup. */
enum krsi_set_type {
	/** Files or executables by identity: struct krsi_file_set_key in a hash
	 *  map (KRSI_FILE_SET()). */
	KRSI_SET_FILE = 1,
	/** Executables by IMA SHA-256 digest: struct krsi_hash_set_key in a hash
	 *  map (KRSI_HASH_SET()). */
	KRSI_SET_HASH,
	/** Cgroups by id: struct krsi_cgroup_set_key in a hash map
	 *  (KRSI_CGROUP_SET()). */
	KRSI_SET_CGROUP,
	/** User or group ids: struct krsi_id_set_key in a hash map
	 *  (KRSI_ID_SET()). */
	KRSI_SET_ID,
	/** Path prefixes: struct krsi_path_set_key in an LPM trie
	 *  (KRSI_PATH_SET()). */
	KRSI_SET_PATH,
	/** IPv4 networks: struct krsi_ipv4_set_key in an LPM trie
	 *  (KRSI_IPV4_SET()). */
	KRSI_SET_IPV4,
	/** IPv6 networks: struct krsi_ipv6_set_key in an LPM trie
	 *  (KRSI_IPV6_SET()). */
	KRSI_SET_IPV6,
};

/** Options of krsi_gen__new(). Declare with KRSI_OPTS(). */
struct krsi_gen_opts {
	/** sizeof(struct krsi_gen_opts), set by KRSI_OPTS(). */
	size_t sz;
};

/**
 * @brief Manage the generations of the policy whose control map is @p ctl.
 *
 * Maps the control map (it must be the krsi_ctl of KRSI_POLICY_MAPS():
 * an mmapable array of one struct krsi_policy_ctl) to store the published
 * generation atomically. @p ctl and the maps of the sets must outlive the
 * returned handle.
 *
 * @param ctl the policy's control map, writable
 * @param opts options, or NULL
 * @return A new handle, or NULL with errno set: EINVAL when @p ctl is NULL
 *         or not a control map, or @p opts is invalid; EACCES when @p ctl
 *         was opened read-only; ENOMEM; or an errno of mmap().
 *
 * Thread-safe.
 */
KRSI_API struct krsi_gen *krsi_gen__new(struct krsi_map *ctl,
					const struct krsi_gen_opts *opts);

/**
 * @brief Free a handle and its sets. A generation being built is left as
 *        it is (the next krsi_gen__begin() empties it); the published one
 *        stays published.
 *
 * @param gen the handle, or NULL (then nothing happens)
 *
 * Not thread-safe: no other call may use @p gen or its sets during or
 * after this one.
 */
KRSI_API void krsi_gen__free(struct krsi_gen *gen);

/**
 * @brief Add a set to the policy: its entries then follow the generations.
 *
 * @param gen the policy's handle
 * @param map the set's map, defined by the KRSI_*_SET() macro of @p type;
 *        the set uses this handle, which must outlive @p gen
 * @param type what the set holds
 * @return The set, owned by @p gen; NULL with errno set: EINVAL when an
 *         argument is NULL or @p map does not fit @p type (the message says
 *         which of its type, key size or value size); EBUSY while a
 *         generation is being built; ENOMEM.
 *
 * Not thread-safe: serialise calls on the same @p gen.
 */
KRSI_API struct krsi_set *krsi_gen__add_set(struct krsi_gen *gen,
					    struct krsi_map *map,
					    enum krsi_set_type type);

/**
 * @brief Start building the next generation.
 *
 * Empties the unpublished slot of every set (left-overs of a writer that
 * stopped half-way) unless this handle emptied it itself. The sets' add
 * calls then write to that slot, invisible to programs until
 * krsi_gen__commit().
 *
 * @param gen the policy's handle
 * @return 0; -EINVAL when @p gen is NULL; -EBUSY when a generation is
 *         already being built; or an error of emptying a set (see
 *         krsi_map__lookup_batch() and krsi_map__delete_batch()). errno is
 *         set.
 *
 * Not thread-safe: serialise calls on the same @p gen and its sets.
 */
KRSI_API int krsi_gen__begin(struct krsi_gen *gen);

/**
 * @brief Publish the generation being built, then empty the previous one.
 *
 * Publishing is one atomic store to the control map: from then on,
 * programs' new decisions read the new generation, and decisions in
 * flight redo their lookups (see `<krsi/policy.bpf.h>`). If emptying the
 * previous generation fails, the new one stays published, a warning says
 * so, and the next krsi_gen__begin() empties it.
 *
 * @param gen the policy's handle
 * @return 0; -EINVAL when @p gen is NULL or no generation is being built;
 *         -EBUSY when another process published a generation of this
 *         policy since krsi_gen__begin() (nothing is published by this
 *         call; the policy must have one writer). errno is set.
 *
 * Not thread-safe: serialise calls on the same @p gen and its sets.
 */
KRSI_API int krsi_gen__commit(struct krsi_gen *gen);

/**
 * @brief Drop the generation being built: empty its slot.
 *
 * @param gen the policy's handle
 * @return 0; -EINVAL when @p gen is NULL or no generation is being built;
 *         or an error of emptying a set. errno is set.
 *
 * Not thread-safe: serialise calls on the same @p gen and its sets.
 */
KRSI_API int krsi_gen__abort(struct krsi_gen *gen);

/**
 * @brief The published generation: 0 before the first commit, then 1, 2...
 *
 * @param gen the policy's handle
 * @return The generation; 0 with errno set to EINVAL when @p gen is NULL.
 *
 * Thread-safe.
 */
KRSI_API __u64 krsi_gen__generation(const struct krsi_gen *gen);

/**
 * @brief Add a file (or executable) by identity: its device and inode.
 *
 * Follows symbolic links. Programs look the file up with the key of
 * krsi_file_key() or krsi_inode_key() (`<krsi/file.bpf.h>`), which equals
 * stat()'s; see `<krsi/inode_key.h>` for the filesystems where it does not
 * (btrfs subvolumes, overlayfs).
 *
 * @param set a #KRSI_SET_FILE set
 * @param path the file
 * @param rule the entry's value, or NULL for zeros
 * @return 0; -EINVAL for a NULL argument, another set type, or no
 *         generation being built; an errno of stat() (-ENOENT...); -E2BIG
 *         when the set is full; or another error of krsi_map__update_elem().
 *         errno is set.
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_set__add_file(struct krsi_set *set, const char *path,
				const struct krsi_rule *rule);

/**
 * @brief Add a file by device and inode number.
 *
 * @param set a #KRSI_SET_FILE set
 * @param dev the device, as stat()'s @c st_dev gives it
 * @param ino the inode number
 * @param rule the entry's value, or NULL for zeros
 * @return 0; -EINVAL for a NULL @p set, another set type, or no generation
 *         being built; -E2BIG when the set is full; or another error of
 *         krsi_map__update_elem(). errno is set.
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_set__add_file_id(struct krsi_set *set, dev_t dev, __u64 ino,
				   const struct krsi_rule *rule);

/**
 * @brief Add an executable by its SHA-256 digest, as IMA computes it.
 *
 * @param set a #KRSI_SET_HASH set
 * @param digest the digest
 * @param digest_sz its size, #KRSI_SHA256_SIZE
 * @param rule the entry's value, or NULL for zeros
 * @return 0; -EINVAL for a NULL argument, another set type, a wrong
 *         digest size, or no generation being built; -E2BIG when the set is
 *         full; or another error of krsi_map__update_elem(). errno is set.
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_set__add_hash(struct krsi_set *set, const void *digest,
				size_t digest_sz, const struct krsi_rule *rule);

/**
 * @brief Add a cgroup by id (see krsi_get_cgroup_id()).
 *
 * @param set a #KRSI_SET_CGROUP set
 * @param cgroup_id the cgroup's id
 * @param rule the entry's value, or NULL for zeros
 * @return 0; -EINVAL for a NULL @p set, another set type, or no generation
 *         being built; -E2BIG when the set is full; or another error of
 *         krsi_map__update_elem(). errno is set.
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_set__add_cgroup(struct krsi_set *set, __u64 cgroup_id,
				  const struct krsi_rule *rule);

/**
 * @brief Add a user or group id.
 *
 * @param set a #KRSI_SET_ID set
 * @param id the uid or gid, in the initial user namespace
 * @param rule the entry's value, or NULL for zeros
 * @return 0; -EINVAL for a NULL @p set, another set type, or no generation
 *         being built; -E2BIG when the set is full; or another error of
 *         krsi_map__update_elem(). errno is set.
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_set__add_id(struct krsi_set *set, __u32 id,
			      const struct krsi_rule *rule);

/**
 * @brief Add a path, alone or with everything under it.
 *
 * The path must be absolute and canonical, as the kernel reports paths
 * (bpf_d_path()): no "//", "." or ".." components, no symbolic links to
 * resolve. Trailing slashes are dropped. "/" with #KRSI_PATH_SUBTREE
 * covers every path.
 *
 * @param set a #KRSI_SET_PATH set
 * @param path the path, at most #KRSI_PATH_SET_MAX bytes
 * @param match #KRSI_PATH_EXACT or #KRSI_PATH_SUBTREE
 * @param rule the entry's value, or NULL for zeros
 * @return 0; -EINVAL for a NULL argument, another set type, a path that
 *         is not absolute and canonical, a bad @p match, or no generation
 *         being built; -ENAMETOOLONG for a path over #KRSI_PATH_SET_MAX bytes;
 *         -ENOSPC when the set is full; or another error of
 *         krsi_map__update_elem(). errno is set.
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_set__add_path(struct krsi_set *set, const char *path,
				enum krsi_path_match match,
				const struct krsi_rule *rule);

/**
 * @brief Add a network: "192.0.2.0/24", "2001:db8::/32", or an address
 *        alone ("192.0.2.7" is "192.0.2.7/32").
 *
 * @param set a #KRSI_SET_IPV4 set for IPv4 networks, #KRSI_SET_IPV6 for
 *        IPv6 ones
 * @param cidr the network; bits of the address beyond the prefix must be
 *        zero
 * @param rule the entry's value, or NULL for zeros
 * @return 0; -EINVAL for a NULL argument, another set type, a network that
 *         does not parse, is of the other family, or has host bits set, or
 *         no generation being built; -ENOSPC when the set is full; or
 *         another error of krsi_map__update_elem(). errno is set.
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_set__add_cidr(struct krsi_set *set, const char *cidr,
				const struct krsi_rule *rule);

/**
 * @brief The id of a cgroup v2 directory, as bpf_get_current_cgroup_id()
 *        gives it for the processes in that cgroup.
 *
 * @param path the cgroup's directory, such as
 *        "/sys/fs/cgroup/system.slice/foo.service"
 * @param id where the id is stored
 * @return 0; -EINVAL for a NULL argument or a path not on a cgroup v2
 *         filesystem; or an errno of statfs() or name_to_handle_at()
 *         (-ENOENT...). errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_get_cgroup_id(const char *path, __u64 *id);

/**
 * @brief Read a policy's mode.
 *
 * @param ctl the policy's control map (read-only is enough)
 * @param mode where the mode is stored
 * @return 0; -EINVAL for a NULL argument or a map that is not a control
 *         map; or an error of krsi_map__lookup_elem(). errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_get_policy_mode(const struct krsi_map *ctl,
				  enum krsi_policy_mode *mode);

/**
 * @brief Switch a policy between monitor and enforce.
 *
 * One atomic store through a mapping of the control map: running programs
 * apply the new mode from their next decision, with nothing reloaded. It
 * never disturbs a generation being published.
 *
 * @param ctl the policy's control map, writable
 * @param mode #KRSI_MODE_MONITOR or #KRSI_MODE_ENFORCE
 * @return 0; -EINVAL for a NULL @p ctl, an unknown @p mode, or a map that
 *         is not a control map; -EACCES when @p ctl was opened read-only;
 *         or another errno of mmap(). errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_set_policy_mode(const struct krsi_map *ctl,
				  enum krsi_policy_mode mode);

/**
 * @brief Read a policy's counters, summed over CPUs.
 *
 * Counters the map has and @p stats does not (a newer program) are left
 * out; counters @p stats has and the map does not (an older program) are
 * zero.
 *
 * @param stats_map the policy's counters map (read-only is enough)
 * @param stats where the sums are stored
 * @param stats_sz sizeof(*stats), a multiple of 8
 * @return 0; -EINVAL for a NULL argument, a bad @p stats_sz, or a map that
 *         is not a counters map; -ENOMEM; or an error of
 *         krsi_map__lookup_elem(). errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_read_policy_stats(const struct krsi_map *stats_map,
				    struct krsi_policy_stats *stats,
				    size_t stats_sz);

/**
 * @brief krsi_get_policy_mode() on the control map pinned in a policy's
 *        directory (as @c DIR/krsi_ctl).
 *
 * @param dir the policy's directory in bpffs
 * @param opts how to open the pin (read_only is implied), or NULL
 * @param mode where the mode is stored
 * @return 0; the errors of krsi_map__open_pinned() and
 *         krsi_get_policy_mode(); -ENAMETOOLONG for a too long @p dir.
 *         errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_get_policy_mode_pinned(const char *dir,
					 const struct krsi_map_open_opts *opts,
					 enum krsi_policy_mode *mode);

/**
 * @brief krsi_set_policy_mode() on the control map pinned in a policy's
 *        directory (as @c DIR/krsi_ctl).
 *
 * @param dir the policy's directory in bpffs
 * @param opts how to open the pin, or NULL
 * @param mode #KRSI_MODE_MONITOR or #KRSI_MODE_ENFORCE
 * @return 0; the errors of krsi_map__open_pinned() and
 *         krsi_set_policy_mode(); -ENAMETOOLONG for a too long @p dir.
 *         errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_set_policy_mode_pinned(const char *dir,
					 const struct krsi_map_open_opts *opts,
					 enum krsi_policy_mode mode);

/**
 * @brief krsi_read_policy_stats() on the counters map pinned in a policy's
 *        directory (as @c DIR/krsi_stats).
 *
 * @param dir the policy's directory in bpffs
 * @param opts how to open the pin (read_only is implied), or NULL
 * @param stats where the sums are stored
 * @param stats_sz sizeof(*stats), a multiple of 8
 * @return 0; the errors of krsi_map__open_pinned() and
 *         krsi_read_policy_stats(); -ENAMETOOLONG for a too long @p dir.
 *         errno is set.
 *
 * Thread-safe.
 */
KRSI_API int
krsi_read_policy_stats_pinned(const char *dir,
			      const struct krsi_map_open_opts *opts,
			      struct krsi_policy_stats *stats, size_t stats_sz);

/**
 * @brief The name of a mode: "monitor" or "enforce".
 *
 * @param mode the mode
 * @return A static string; NULL with errno set to EINVAL for an unknown
 *         mode.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_policy_mode_str(enum krsi_policy_mode mode);

/**
 * @brief Parse a mode's name, as krsi_policy_mode_str() gives it.
 *
 * @param str "monitor" or "enforce"
 * @param mode where the mode is stored
 * @return 0; -EINVAL for a NULL argument or another string. errno is set.
 *
 * Thread-safe.
 */
KRSI_API int krsi_parse_policy_mode(const char *str,
				    enum krsi_policy_mode *mode);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_POLICY_H */
