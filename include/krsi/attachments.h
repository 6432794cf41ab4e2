/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file attachments.h
 * @brief Every program attached to an LSM hook on the system.
 *
 * krsi_list_attachments() walks the kernel's BPF links, keeps those that
 * attach a program to an LSM hook (@c lsm/, @c lsm.s/ and @c lsm_cgroup/),
 * whoever attached them — libkrsi, plain libbpf or another product — and
 * names each one's hook by mapping the link's BTF id back to the kernel's
 * hook name: the per-hook view the original KRSI prototype showed in
 * securityfs. Links pinned by an installed libkrsi policy are labelled with
 * the policy's name.
 *
 * Programs attached without a link (the legacy BPF_PROG_ATTACH to a cgroup)
 * are not seen.
 *
 * Walking links needs CAP_SYS_ADMIN.
 */
#ifndef KRSI_ATTACHMENTS_H
#define KRSI_ATTACHMENTS_H

#include <stddef.h>
#include <linux/types.h>
#include <krsi/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How a program is attached to its hook. */
enum krsi_attach_kind {
	/** Not an LSM hook: a program of another type in a policy. */
	KRSI_ATTACH_OTHER = 0,
	KRSI_ATTACH_LSM = 1, /**< @c lsm/ or @c lsm.s/: every task */
	KRSI_ATTACH_LSM_CGROUP = 2, /**< @c lsm_cgroup/: tasks of one cgroup */
};

/**
 * @brief One program attached to an LSM hook, as the kernel reports it.
 *
 * Strings are valid only during the callback that receives the struct.
 * Later versions of libkrsi may add fields at the end.
 */
struct krsi_attachment {
	__u32 link_id; /**< the BPF link's id (bpftool link show id N) */
	__u32 prog_id; /**< the attached program's id */
	/**
	 * The program's name: its full name when a libkrsi policy pinned
	 * it, otherwise as the kernel keeps it (at most 15 characters).
	 */
	const char *prog_name;
	/** The hook, such as "file_open"; NULL if it cannot be named (as
	 *  before Linux 5.13, whose kernel does not say an lsm/ link's hook). */
	const char *hook;
	enum krsi_attach_kind kind; /**< how it is attached */
	/** For #KRSI_ATTACH_LSM_CGROUP, the cgroup's id (its inode number). */
	__u64 cgroup_id;
	/** The libkrsi policy whose pin holds the link, or NULL if none. */
	const char *policy;
};

/**
 * @brief Called for each attachment; return 0 to go on, anything else to
 *        stop the walk and make the listing function return it.
 *
 * @param att the attachment, valid during the call only
 * @param ctx the caller's context
 * @return 0 to continue, non-zero to stop.
 */
typedef int (*krsi_attachment_fn)(const struct krsi_attachment *att, void *ctx);

/** Options of krsi_list_attachments() and krsi_list_policies(). */
struct krsi_list_opts {
	/** Size of this struct: set by KRSI_OPTS(). */
	size_t sz;
	/** Where policies are pinned; NULL means #KRSI_POLICY_PIN_ROOT. */
	const char *pin_root;
};

/**
 * @brief Call @p fn for every program attached to an LSM hook on the
 *        system, in the order of link ids.
 *
 * A link that goes away during the walk is skipped.
 *
 * @param fn the callback
 * @param ctx passed to @p fn
 * @param opts options, or NULL for defaults
 * @return 0 when every attachment was seen, the non-zero value @p fn
 *         returned to stop, or a negative errno: -EINVAL (@p fn NULL or
 *         @p opts invalid), -EPERM (walking links needs CAP_SYS_ADMIN),
 *         -ENOMEM, or another errno of the bpf() system call.
 *
 * Thread-safe.
 */
KRSI_API int krsi_list_attachments(krsi_attachment_fn fn, void *ctx,
				   const struct krsi_list_opts *opts);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_ATTACHMENTS_H */
