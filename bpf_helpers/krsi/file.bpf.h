/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What is touched: (device, inode) keys naming files and inodes.
 *
 * A key equals what stat() reports for the same file, so user space fills
 * a map from stat() and the program looks the key up (see
 * `<krsi/inode_key.h>`). Keys do not change when a file is renamed or
 * reached through another link, unlike paths (`<krsi/path.bpf.h>`).
 *
 * All helpers work in every hook, sleepable or not, on 6.1 and later.
 */
#ifndef __KRSI_FILE_BPF_H
#define __KRSI_FILE_BPF_H

#if !defined(__bpf__)
#error "krsi/file.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>
#include <krsi/errno.bpf.h>
#include <krsi/inode_key.h>

/**
 * krsi_encode_dev() - a kernel device number as stat() reports it.
 * @dev: the kernel's dev_t: major in the top 12 bits, minor in the low 20
 *
 * Return: the kernel's new_encode_dev(@dev), stat()'s st_dev.
 */
static __always_inline __u64 krsi_encode_dev(__u32 dev)
{
	__u32 major = dev >> 20, minor = dev & 0xfffff;

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

/**
 * krsi_inode_key() - the key of an inode.
 * @inode: the inode, for instance an argument of an inode_* hook
 * @key: receives the key
 *
 * Cost: one helper call and three reads of kernel memory.
 *
 * Return: 0, or -ENOENT if @inode is NULL.
 */
static __always_inline int krsi_inode_key(const struct inode *inode,
					  struct krsi_inode_key *key)
{
	if (krsi_is_null(inode))
		return -ENOENT;
	key->ino = BPF_CORE_READ(inode, i_ino);
	key->dev = krsi_encode_dev(BPF_CORE_READ(inode, i_sb, s_dev));
	return 0;
}

/**
 * krsi_file_key() - the key of an open file's inode.
 * @file: the file; NULL is allowed (mmap_file passes NULL for anonymous
 *        memory)
 * @key: receives the key
 *
 * Cost: two helper calls and four reads of kernel memory.
 *
 * Return: 0, or -ENOENT if @file is NULL.
 */
static __always_inline int krsi_file_key(const struct file *file,
					 struct krsi_inode_key *key)
{
	if (krsi_is_null(file))
		return -ENOENT;
	return krsi_inode_key(BPF_CORE_READ(file, f_inode), key);
}

#endif /* __KRSI_FILE_BPF_H */
