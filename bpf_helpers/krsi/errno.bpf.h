/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * errno values for BPF security programs.
 *
 * vmlinux.h carries types, not macros, so a BPF program has no errno
 * constants of its own. These are the values of the kernel's
 * include/uapi/asm-generic/errno-base.h and errno.h, which are the same on
 * every architecture the BPF LSM supports. Each is defined only if the
 * program has not defined it already.
 *
 * Works in every hook and on every kernel; costs nothing at run time.
 */
#ifndef __KRSI_ERRNO_BPF_H
#define __KRSI_ERRNO_BPF_H

#if !defined(__bpf__)
#error "krsi/errno.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#ifndef EPERM
#define EPERM 1 /* Operation not permitted */
#endif
#ifndef ENOENT
#define ENOENT 2 /* No such file or directory */
#endif
#ifndef ESRCH
#define ESRCH 3 /* No such process */
#endif
#ifndef EINTR
#define EINTR 4 /* Interrupted system call */
#endif
#ifndef EIO
#define EIO 5 /* I/O error */
#endif
#ifndef E2BIG
#define E2BIG 7 /* Argument list too long */
#endif
#ifndef EBADF
#define EBADF 9 /* Bad file number */
#endif
#ifndef EAGAIN
#define EAGAIN 11 /* Try again */
#endif
#ifndef ENOMEM
#define ENOMEM 12 /* Out of memory */
#endif
#ifndef EACCES
#define EACCES 13 /* Permission denied */
#endif
#ifndef EFAULT
#define EFAULT 14 /* Bad address */
#endif
#ifndef EBUSY
#define EBUSY 16 /* Device or resource busy */
#endif
#ifndef EEXIST
#define EEXIST 17 /* File exists */
#endif
#ifndef EXDEV
#define EXDEV 18 /* Cross-device link */
#endif
#ifndef EINVAL
#define EINVAL 22 /* Invalid argument */
#endif
#ifndef ENOSPC
#define ENOSPC 28 /* No space left on device */
#endif
#ifndef EROFS
#define EROFS 30 /* Read-only file system */
#endif
#ifndef ENAMETOOLONG
#define ENAMETOOLONG 36 /* File name too long */
#endif
#ifndef ENOSYS
#define ENOSYS 38 /* Function not implemented */
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95 /* Operation not supported */
#endif
#ifndef ECONNREFUSED
#define ECONNREFUSED 111 /* Connection refused */
#endif
#ifndef EKEYREJECTED
#define EKEYREJECTED 129 /* Key was rejected by service */
#endif

#endif /* __KRSI_ERRNO_BPF_H */
