/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file policy.h
 * @brief Policies: their data from user space (typed sets, atomic
 *        generations, the monitor/enforce mode and the decision counters),
 *        and named policies that stay attached after the process exits,
 *        are adopted by its successor and are replaced without a gap.
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
 *
 * Named policies.
 *
 * A policy is a loaded @c krsi_object whose links and maps are pinned in
 * bpffs, under @c /sys/fs/bpf/krsi/NAME/ by default:
 *
 * | path            | what                                                   |
 * | --------------- | ------------------------------------------------------ |
 * | @c links/PROG   | the link attaching program PROG                        |
 * | @c maps/MAP     | every map of the object, global data (.bss...) too     |
 * | @c meta         | a frozen map describing the policy (object, version)   |
 *
 * A map's pin is named after the map, and global data after its section,
 * whatever the object's name; bpffs refuses dots, so each '.' is made '_',
 * as libbpf does (@c maps/_bss for @c .bss, @c maps/_rodata).
 *
 * The pins keep the programs enforcing when the agent exits or is killed.
 * A restarted agent adopts the policy (krsi_policy__adopt()): it gets the
 * pinned links and maps back, with the maps' contents, after checking that
 * they match its object. A new version replaces the policy
 * (@c replace in #krsi_policy_opts) without a moment where neither version
 * enforces. krsi_remove_policy() detaches and unpins everything.
 *
 * Crash safety: an install or replacement is built in a staging directory
 * (@c NAME~new beside the policy) and moved into place with one rename,
 * each link pinned as soon as it is attached. A process killed at any step
 * leaves either nothing attached, or attached programs whose pins are in
 * the policy or staging directory; the next install, adoption or removal of
 * that name removes the staging directory. Operations on policies of one
 * pin root are serialised with a lock on the root directory.
 *
 * Permissions: directories are created with mode 0700 and pins with 0600,
 * owned by the caller (root); an existing pin root owned by another user or
 * writable by group or others is refused. See docs/policies.md for what a
 * process that can write to bpffs can do.
 *
 * Thread safety: calls on one policy handle must be serialised; operations
 * on different handles are serialised by libkrsi's lock.
 */
#ifndef KRSI_POLICY_H
#define KRSI_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include <krsi/attachments.h>
#include <krsi/common.h>
#include <krsi/map.h>
#include <krsi/object.h>
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
 * @param map the set's map, defined by the KRSI_*_SET() macro of @p type
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

/** Where policies are pinned unless #krsi_policy_opts says otherwise. */
#define KRSI_POLICY_PIN_ROOT "/sys/fs/bpf/krsi"

/** An installed policy held by this process (opaque). */
struct krsi_policy;

/** Options of the krsi_policy functions. */
struct krsi_policy_opts {
	/** Size of this struct: set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * The directory policies are pinned in, on a bpffs mount; NULL means
	 * #KRSI_POLICY_PIN_ROOT. Created (mode 0700) if missing.
	 */
	const char *pin_root;
	/** How to attach (cgroup, BPF LSM check); NULL for defaults. */
	const struct krsi_attach_opts *attach_opts;
	/**
	 * krsi_policy__install(): if a policy of that name is installed,
	 * replace it with no gap instead of failing with -EEXIST. Maps of the
	 * installed policy whose name the new object also has keep their
	 * contents (and must match); global data (.bss, .data, .rodata)
	 * starts afresh.
	 */
	bool replace;
	/** With @c replace: start every map afresh instead. */
	bool reset_maps;
};

/**
 * @brief Load (if needed), attach and pin an object as the policy @p name.
 *
 * The object is loaded if it is not yet (see krsi_object__load()), every
 * program is checked and attached as by krsi_object__attach(), and each
 * link is pinned as soon as it is attached. Maps are pinned before any
 * program is attached.
 *
 * When replacing (@c replace in @p opts), the new programs are attached
 * before the old ones are unpinned, so one of the two versions enforces at
 * every moment; an @c lsm_cgroup/ link whose program keeps its name, hook
 * and cgroup is switched to the new program in place with
 * bpf_link_update(), the two never running side by side. An old link
 * another process still holds open stays attached until that process
 * closes it (the kernel cannot detach @c lsm/ links by force): destroy an
 * adopted handle of the old version after replacing it.
 *
 * @param obj the object; the policy refers to it, so keep it until the
 *        policy handle is destroyed
 * @param name the policy's name: 1 to 64 letters, digits, '_' or '-'
 * @param opts options, or NULL for defaults
 * @return The policy, or NULL with errno set: EINVAL (a NULL or invalid
 *         argument), EEXIST (a policy of that name is installed and
 *         @c replace is not set), ESTALE (replacing: a kept map does not
 *         match; the message names it), EBUSY (replacing with kept maps,
 *         but @p obj was loaded before: pass it unloaded), ENOTDIR or
 *         EXDEV (the pin root is not a directory on a bpffs mount), EACCES
 *         (the pin root is owned by another user or writable by others), an
 *         error of krsi_object__load() or krsi_object__attach(), or another
 *         errno from bpffs or the bpf() system call. On failure nothing is
 *         left attached or pinned, and a replaced policy stays as it was.
 *
 * Not thread-safe: serialise calls on the same @p obj.
 */
KRSI_API struct krsi_policy *
krsi_policy__install(struct krsi_object *obj, const char *name,
		     const struct krsi_policy_opts *opts);

/**
 * @brief Take over an installed policy: its pinned links and maps, with
 *        the maps' contents.
 *
 * Each map of @p obj must have a pinned counterpart of the same name, type,
 * key and value sizes, maximum entries, flags and BTF layout, each program
 * that would be attached a pinned link on the same hook, and nothing may be
 * pinned that @p obj lacks. On a match, @p obj is loaded on the pinned maps
 * (the programs are verified but not attached again: the pinned links stay
 * attached and become @p obj's links). Global data keeps the installed
 * values, including read-only variables.
 *
 * @param obj the object, not yet loaded
 * @param name the policy's name
 * @param opts options (@c pin_root), or NULL for defaults
 * @return The policy, or NULL with errno set: EINVAL (a NULL or invalid
 *         argument), ENOENT (no policy of that name is installed), ESTALE
 *         (the pins do not match @p obj; the message lists each
 *         difference, and nothing is changed), EBUSY (@p obj is already
 *         loaded), an error of krsi_object__load(), or another errno from
 *         bpffs or the bpf() system call.
 *
 * Not thread-safe: serialise calls on the same @p obj.
 */
KRSI_API struct krsi_policy *
krsi_policy__adopt(struct krsi_object *obj, const char *name,
		   const struct krsi_policy_opts *opts);

/**
 * @brief Remove the policy: unpin everything and detach this process's
 *        links, so that nothing of it stays attached.
 *
 * The handle remains valid (for krsi_policy__destroy()); its object's
 * links are released.
 *
 * @param policy the policy
 * @return 0 on success, or a negative errno: -EINVAL (@p policy NULL), or
 *         as krsi_remove_policy().
 *
 * Not thread-safe: serialise calls on the same policy.
 */
KRSI_API int krsi_policy__remove(struct krsi_policy *policy);

/**
 * @brief Free the handle. The policy stays installed and enforcing.
 *
 * @param policy the policy, or NULL (nothing happens)
 *
 * Not thread-safe: no other call may use @p policy during or after this one.
 */
KRSI_API void krsi_policy__destroy(struct krsi_policy *policy);

/**
 * @brief The policy's name.
 *
 * @param policy the policy
 * @return The name, owned by the handle; NULL with errno EINVAL when
 *         @p policy is NULL.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_policy__name(const struct krsi_policy *policy);

/**
 * @brief The policy's directory in bpffs, such as "/sys/fs/bpf/krsi/guard".
 *
 * @param policy the policy
 * @return The path, owned by the handle; NULL with errno EINVAL when
 *         @p policy is NULL.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_policy__path(const struct krsi_policy *policy);

/**
 * @brief The policy's object, whose maps and links are the pinned ones.
 *
 * @param policy the policy
 * @return The object given to krsi_policy__install() or
 *         krsi_policy__adopt(); NULL with errno EINVAL when @p policy is
 *         NULL.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_object *
krsi_policy__object(const struct krsi_policy *policy);

/**
 * @brief Remove an installed policy by name: unpin its links, maps and
 *        metadata, and the remains of an interrupted install.
 *
 * Programs are detached once no process holds their links open any more:
 * at once, unless an agent still holds the policy (use
 * krsi_policy__remove() there).
 *
 * @param name the policy's name
 * @param opts options (@c pin_root), or NULL for defaults
 * @return 0 on success (also when only the remains of an interrupted
 *         install were removed), or a negative errno: -EINVAL (a NULL or
 *         invalid argument), -ENOENT (no such policy), -ENOTDIR, -EXDEV or
 *         -EACCES
 *         (the pin root, as for krsi_policy__install()), or another errno
 *         from bpffs.
 *
 * Thread-safe.
 */
KRSI_API int krsi_remove_policy(const char *name,
				const struct krsi_policy_opts *opts);

/** A map of an installed policy, as listed by krsi_list_policies(). */
struct krsi_policy_map {
	const char *name; /**< the map's name (its pin's name) */
	__u32 id; /**< the map's id */
	__u32 type; /**< enum bpf_map_type */
	__u32 key_size; /**< key size in bytes */
	__u32 value_size; /**< value size in bytes */
	__u32 max_entries; /**< maximum number of entries */
};

/**
 * @brief An installed policy, as listed by krsi_list_policies().
 *
 * Everything is valid only during the callback. Later versions of libkrsi
 * may add fields at the end.
 */
struct krsi_policy_info {
	const char *name; /**< the policy's name */
	const char *path; /**< its directory in bpffs */
	const char *object; /**< the BPF object's name */
	const char *libkrsi; /**< the libkrsi version that installed it */
	/** The cgroup its @c lsm_cgroup/ programs attach to, or NULL. */
	const char *cgroup_path;
	__u64 generation; /**< 1 when installed, +1 on each replacement */
	__u64 installed_ns; /**< when (this generation), CLOCK_REALTIME ns */
	size_t prog_cnt; /**< number of entries in @c progs */
	/** Its attached programs; @c policy is set in each. */
	const struct krsi_attachment *const *progs;
	size_t map_cnt; /**< number of entries in @c maps */
	const struct krsi_policy_map *const *maps; /**< its maps */
	/**
	 * An install or replacement of this name was interrupted and its
	 * staging directory remains (removed by the next operation on it).
	 */
	bool interrupted;
};

/**
 * @brief Called for each policy; return 0 to go on, anything else to stop
 *        and make krsi_list_policies() return it.
 *
 * @param info the policy, valid during the call only
 * @param ctx the caller's context
 * @return 0 to continue, non-zero to stop.
 */
typedef int (*krsi_policy_fn)(const struct krsi_policy_info *info, void *ctx);

/**
 * @brief Call @p fn for each installed policy, in name order.
 *
 * Reads the pins without taking the lock: a policy being replaced at that
 * moment is seen as its old or its new version.
 *
 * @param fn the callback
 * @param ctx passed to @p fn
 * @param opts options, or NULL for defaults
 * @return 0 when every policy was seen (also when there is no pin root),
 *         the non-zero value @p fn returned to stop, or a negative errno:
 *         -EINVAL (@p fn NULL or @p opts invalid), -EPERM (reading pins
 *         needs CAP_BPF or CAP_SYS_ADMIN, and permission on the pin root),
 *         -ENOMEM, or another errno from bpffs or the bpf() system call.
 *
 * Thread-safe.
 */
KRSI_API int krsi_list_policies(krsi_policy_fn fn, void *ctx,
				const struct krsi_list_opts *opts);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_POLICY_H */
