/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file inode_key.h
 * @brief The (device, inode) pair naming a file, shared by BPF programs and
 *        user space.
 *
 * BPF programs fill it with krsi_file_key() or krsi_inode_key() from
 * `<krsi/file.bpf.h>`; user space fills it from stat(): @c st_dev and
 * @c st_ino. Both sides agree, so the pair can key a map: @c dev is encoded
 * as stat() reports it (the kernel's new_encode_dev() of the superblock's
 * device). Filesystems that report another device than their superblock's
 * in stat() (btrfs subvolumes, overlayfs) break that agreement.
 *
 * This header is plain C usable from BPF programs (after vmlinux.h) and
 * from user space (C11 or C++).
 */
#ifndef KRSI_INODE_KEY_H
#define KRSI_INODE_KEY_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/** A file's identity: its filesystem's device and its inode number. */
struct krsi_inode_key {
	/** Device, as in stat()'s @c st_dev. */
	__u64 dev;
	/** Inode number, as in stat()'s @c st_ino. */
	__u64 ino;
};

/** @cond INTERNAL */
#ifdef __cplusplus
static_assert(sizeof(struct krsi_inode_key) == 16, "wire size");
#else
_Static_assert(sizeof(struct krsi_inode_key) == 16, "wire size");
#endif
/** @endcond */

#endif /* KRSI_INODE_KEY_H */
