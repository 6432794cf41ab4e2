/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file install.h
 * @brief Named policies: programs that stay attached after the process
 *        exits, are adopted by its successor and are replaced without a gap.
 *
 * A policy is a loaded @c krsi_object whose links and maps are pinned in
 * bpffs, under @c /sys/fs/bpf/krsi/NAME/ by default:
 *
 * | path            | what                                                   |
 * | --------------- | ------------------------------------------------------ |
 * | @c MAP          | every map of the object, global data (.bss...) too     |
 * | @c links/PROG   | the link attaching program PROG                        |
 * | @c krsi_meta    | a frozen map describing the policy (object, version)   |
 *
 * A map's pin is named after the map, and global data after its section,
 * whatever the object's name; bpffs refuses dots, so each '.' is made '_',
 * as libbpf does (@c _bss for @c .bss, @c _rodata). A map may not be named
 * @c links or @c krsi_meta. With the maps directly in the policy's
 * directory, the @c *_pinned functions of policy.h (policy data) take
 * krsi_policy__path() as it is.
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
 * that name removes the staging directory, never reaching into a
 * filesystem mounted there. Operations on policies of one pin root are
 * serialised with a lock on the root directory: a call waits for another
 * process's operation up to 30 s (1 s when that process is stopped), then
 * fails with EBUSY, naming it.
 *
 * Permissions: directories are created with mode 0700 and pins with 0600,
 * owned by the caller (root); an existing pin root owned by another user or
 * writable by group or others is refused. Where bpffs is writable by all
 * (mode 1777, the kernel's default), a pin root another user made before
 * the caller is no policy's: listing, adopting and removing ignore it
 * (warning), and installing takes the name back, moving what that user
 * made aside. See docs/policies.md for what a process that can write to
 * bpffs can do.
 *
 * Thread safety: calls on one policy handle must be serialised; operations
 * on different handles are serialised by libkrsi's lock.
 */
#ifndef KRSI_INSTALL_H
#define KRSI_INSTALL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <krsi/common.h>
#include <krsi/attachments.h>
#include <krsi/object.h>

#ifdef __cplusplus
extern "C" {
#endif

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
 *         (the pin root is owned by another user or writable by others),
 *         EBUSY (another process holds the pin root's lock; the message
 *         names it), an error of krsi_object__load() or
 *         krsi_object__attach(), or another errno from bpffs or the bpf()
 *         system call. On failure nothing is left attached or pinned, not
 *         even a pin root this call created, and a replaced policy stays as
 *         it was.
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
 * key and value sizes, maximum entries, flags and BTF layout (enums with
 * the same values), each program that would be attached a pinned link on
 * the same hook, nothing may be pinned that @p obj lacks, and the policy's
 * metadata must be of a format this libkrsi reads. Then @p obj is loaded
 * on the pinned maps, and each of its programs must have the kernel's tag
 * of the installed one (the same code: the tag hashes the instructions as
 * loaded, map references left out). On a match the programs are not
 * attached again: the pinned links stay attached and become @p obj's
 * links. Global data keeps the installed values, including read-only
 * variables.
 *
 * @param obj the object, not yet loaded
 * @param name the policy's name
 * @param opts options (@c pin_root), or NULL for defaults
 * @return The policy, or NULL with errno set: EINVAL (a NULL or invalid
 *         argument), ENOENT (no policy of that name is installed), ESTALE
 *         (the pins, the metadata or the programs' code do not match
 *         @p obj; the message lists each difference, and nothing of the
 *         policy is changed; a difference in code is found once @p obj is
 *         loaded, which it then stays: destroy it), EPROTONOSUPPORT (a
 *         later libkrsi installed the policy: its metadata is of a later
 *         format), EBUSY (@p obj is already loaded, or another process
 *         holds the pin root's lock), an error of krsi_object__load(), or
 *         another errno from bpffs or the bpf() system call.
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
 * links are released. It returns once the kernel has released the links
 * (up to 2 s); as this process still holds the programs, their detaching,
 * which the kernel does right after, cannot be observed and may take a
 * moment more. Use krsi_remove_policy() where nothing holds the programs to
 * wait for it.
 *
 * @param policy the policy
 * @return 0 on success, or a negative errno: -EINVAL (@p policy NULL), or
 *         as krsi_remove_policy(), -EBUSY included (another process holds
 *         a link open).
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
 * Programs are detached once no process holds their links open any more.
 * The kernel detaches an unpinned link only after an RCU grace period, so
 * this waits (up to 2 s) until the links and their programs are gone: when
 * it returns 0, the programs no longer run. Telling so looks the links up
 * by id, which needs CAP_SYS_ADMIN.
 *
 * @param name the policy's name
 * @param opts options (@c pin_root), or NULL for defaults
 * @return 0 on success (also when only the remains of an interrupted
 *         install were removed), or a negative errno: -EINVAL (a NULL or
 *         invalid argument), -ENOENT (no such policy), -ENOTDIR, -EXDEV or
 *         -EACCES (the pin root, as for krsi_policy__install()), -EBUSY
 *         (another process holds the pin root's lock; or the policy is
 *         unpinned, but another process, such as an agent that adopted
 *         it, holds a link open, so its program still runs: the message
 *         names the process; or a filesystem is mounted in the policy's
 *         staging directory), -EPERM (the policy is unpinned, but without
 *         CAP_SYS_ADMIN whether its programs are detached cannot be told),
 *         or another errno from bpffs.
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
 * @return 0 when every policy was seen (also when there is no pin root, or
 *         one another user made, which is said),
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

#endif /* KRSI_INSTALL_H */
