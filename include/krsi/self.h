/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file self.h
 * @brief The agent's own identity, so its BPF programs let it through.
 *
 * A security agent must not be stopped by its own policy. The agent fills
 * a struct krsi_self_id with krsi_get_self_id() and stores it in its BPF
 * object's @c krsi_self variable (`skel->bss->krsi_self`) before it
 * attaches; krsi_is_self() in `<krsi/self.bpf.h>` then recognises the
 * agent's threads, in whatever pid namespace the agent runs.
 *
 * The struct is plain C usable from BPF programs (after vmlinux.h) and
 * from user space (C11 or C++); the function is for user space.
 */
#ifndef KRSI_SELF_H
#define KRSI_SELF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#include <krsi/common.h>
#endif

/**
 * @brief A process, named by its pid namespace and its process id there.
 *
 * Process ids are per pid namespace: the agent's getpid() in a container is
 * not the id the kernel reports elsewhere. The namespace's device and inode
 * (of `/proc/self/ns/pid`) make the id unambiguous.
 */
struct krsi_self_id {
	/** Device of the pid namespace file, in the kernel's dev_t encoding. */
	__u64 pidns_dev;
	/** Inode number of the pid namespace file. */
	__u64 pidns_ino;
	/** Process id (tgid) in that namespace; 0 means nobody. */
	__u32 tgid;
	/** Zero; reserved. */
	__u32 reserved;
};

/** @cond INTERNAL */
#ifdef __cplusplus
static_assert(sizeof(struct krsi_self_id) == 24, "wire size");
#else
_Static_assert(sizeof(struct krsi_self_id) == 24, "wire size");
#endif
/** @endcond */

#ifndef __VMLINUX_H__
#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Describe the calling process for krsi_is_self().
 *
 * Reads the calling process's pid namespace from `/proc/self/ns/pid` and
 * its process id. Store the result in the BPF object's @c krsi_self
 * variable; every thread of the calling process is then recognised.
 * Child processes are not: exempt them by other means if they need it.
 *
 * @param id receives the identity
 * @return 0 on success; -EINVAL if @p id is NULL; the negative errno of
 *         stat() on `/proc/self/ns/pid` (-ENOENT when /proc is not mounted).
 *
 * Thread-safe.
 */
KRSI_API int krsi_get_self_id(struct krsi_self_id *id);

#ifdef __cplusplus
} /* extern "C" */
#endif
#endif /* !__VMLINUX_H__ */

#endif /* KRSI_SELF_H */
