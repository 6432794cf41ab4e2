/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What is touched: file paths.
 *
 * The kernel offers three ways to turn a struct path into a string, and
 * which one a program may use depends on the kernel and the hook:
 *
 * - bpf_path_d_path(), a kfunc: 6.12 and 7.3 have it (5.10 and 6.1 do
 *   not). Any lsm/ or
 *   lsm.s/ hook, for a path the verifier trusts: a hook argument (a
 *   `const struct path *`, or `&file->f_path` of a `struct file *`
 *   argument). The hooks whose arguments are not trusted (file_alloc_security,
 *   file_free_security, task_free, bpf_map_free, bpf_prog_free,
 *   sk_alloc_security, sk_free_security on 6.12) cannot use it.
 * - bpf_d_path(), a helper: 6.1, 6.12 and 7.3 (5.10 allows it in no LSM
 *   program), only in the hooks that are allowed
 *   sleepable programs (the kernel's sleepable_lsm_hooks list), whether the
 *   program is sleepable or not. Among the file hooks: file_open,
 *   file_ioctl, file_lock, file_receive, mmap_file, bprm_check_security,
 *   bprm_creds_from_file, sb_mount, sb_umount, sb_statfs; on 6.12 also
 *   file_post_open and the path_* hooks (path_unlink, path_mkdir,
 *   path_rmdir, path_rename, path_link, path_symlink, path_truncate,
 *   path_chmod, path_chown). Not file_permission, file_mprotect,
 *   file_fcntl, file_truncate, inode_* (no struct path), and not the
 *   path_* hooks on 6.1. docs/BPF-GUIDE.md has the full lists.
 * - a walk of the dentry tree with CO-RE reads, which libkrsi implements:
 *   every kernel and every hook, for any path pointer, with the limits
 *   krsi_path_walk() lists.
 *
 * The helpers choose when the program loads: krsi_path_resolve() and
 * krsi_file_path() use the kfunc where the kernel has it and walk
 * otherwise; krsi_path_d_path() and krsi_file_d_path() use the kfunc or
 * bpf_d_path(), for hooks bpf_d_path() allows, and walk where LSM programs
 * have neither (5.10). All of them write into a
 * struct krsi_path_buf, which is too large for the 512-byte BPF stack: keep
 * it in a per-CPU array map.
 *
 *	struct {
 *		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
 *		__uint(max_entries, 1);
 *		__type(key, __u32);
 *		__type(value, struct krsi_path_buf);
 *	} path_buf SEC(".maps");
 *	...
 *	__u32 zero = 0;
 *	struct krsi_path_buf *pb = bpf_map_lookup_elem(&path_buf, &zero);
 *
 *	if (pb && krsi_file_path(file, pb) > 0 &&
 *	    krsi_path_in_dir(pb->path, "/etc", sizeof("/etc")))
 *		...
 */
#ifndef __KRSI_PATH_BPF_H
#define __KRSI_PATH_BPF_H

#if !defined(__bpf__)
#error "krsi/path.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>
#include <krsi/errno.bpf.h>

/*
 * Bytes of a resolved path, NUL included. Define it before including
 * libkrsi's headers to change it: a power of two from 256 (the walk needs
 * room for one whole name) to 4096 (the kernel's PATH_MAX).
 */
#ifndef KRSI_PATH_MAX
#define KRSI_PATH_MAX 4096
#endif
_Static_assert(KRSI_PATH_MAX >= 256 && KRSI_PATH_MAX <= 4096 &&
		       (KRSI_PATH_MAX & (KRSI_PATH_MAX - 1)) == 0,
	       "KRSI_PATH_MAX must be a power of two from 256 to 4096");

/* Most names the walk follows from a file up to the root. */
#ifndef KRSI_PATH_DEPTH
#define KRSI_PATH_DEPTH 64
#endif

/* Longest name of one directory entry (the kernel's NAME_MAX). */
#define __KRSI_NAME_MAX 255

/**
 * struct krsi_path_buf - where a path is resolved.
 * @__scratch: private: the walk assembles the path here, from its end
 * @path: the resolved path, NUL-terminated
 */
struct krsi_path_buf {
	char __scratch[KRSI_PATH_MAX];
	char path[KRSI_PATH_MAX];
};

extern int bpf_path_d_path(const struct path *path, char *buf,
			   size_t buf__sz) __ksym __weak;

/**
 * krsi_path_kfunc_available() - whether the kernel has bpf_path_d_path(),
 * which krsi_path_resolve() and krsi_path_d_path() then use.
 *
 * Known when the program loads; costs nothing at run time.
 */
#define krsi_path_kfunc_available() __krsi_ksym_exists(bpf_path_d_path)

/**
 * krsi_d_path_available() - whether LSM programs may call bpf_d_path() on
 * this kernel (in the hooks that allow it), which krsi_path_d_path() then
 * uses where the kfunc is missing.
 *
 * 5.11 opened bpf_d_path() to LSM programs (kernel commit 6f100640ca5b);
 * 5.10 has the helper for a few fentry programs only. CO-RE cannot see
 * which program types a helper serves, so the test is the enum value of
 * bpf_bprm_opts_set(), the LSM-only helper added by the same patch series
 * in the same release. tests/kernel/test_features.c checks this answer
 * against libkrsi's trial load of bpf_d_path() on every kernel line.
 *
 * Known when the program loads; costs nothing at run time.
 */
#define krsi_d_path_available() \
	bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_bprm_opts_set)

/*
 * The state of a walk. It lives in the buffer's path, which the result
 * overwrites last, and is read and written through a volatile pointer: the
 * verifier tracks no value kept in a map, so it sees the same registers at
 * every step whichever way the step before went (a name, a mount), and
 * checks the loop in KRSI_PATH_DEPTH steps. Kept in registers, the ways
 * multiply with every step: 5.10 gave up ("BPF program is too large.
 * Processed 1000001 insn").
 */
struct __krsi_walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt; /* NULL for a walk within one filesystem */
	struct mount *mnt;
	__u32 pos; /* the path so far starts at pb->__scratch[pos] */
};

/*
 * One step up the tree: prepend a name, or cross a mount. 0 to go on, 1 at
 * the root, or a negative errno.
 */
static __always_inline int __krsi_walk_step(volatile struct __krsi_walk *w,
					    struct krsi_path_buf *pb)
{
	struct dentry *dentry = w->dentry, *parent;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt, *mnt_parent;
	const unsigned char *name;
	__u32 len, pos = w->pos;

	if (mnt && dentry == BPF_CORE_READ(vfsmnt, mnt_root)) {
		/* The root of a mount: go on from its mount point. */
		mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
		if (mnt_parent == mnt)
			return 1; /* the root of the mount namespace */
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mnt_parent;
		w->vfsmnt = (void *)mnt_parent +
			    bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == parent || !parent)
		return 1; /* the root of the filesystem */
	len = BPF_CORE_READ(dentry, d_name.len);
	name = BPF_CORE_READ(dentry, d_name.name);
	if (len > __KRSI_NAME_MAX || len + 1 > pos)
		return -ENAMETOOLONG;
	pos -= len;
	if (bpf_probe_read_kernel(&pb->__scratch[pos & (KRSI_PATH_MAX - 1)],
				  len & __KRSI_NAME_MAX, name))
		return -EFAULT;
	pos--;
	pb->__scratch[pos & (KRSI_PATH_MAX - 1)] = '/';
	w->pos = pos;
	w->dentry = parent;
	return 0;
}

/*
 * The walk: a bounded loop of steps. Neither bpf_loop() (5.17) nor a
 * global function taking a pointer is used, so that it loads on 5.10: a
 * bpf_loop() callback alone makes 5.10 refuse the whole program ("number
 * of funcs in func_info doesn't match number of subprogs"), even when the
 * call is never reached, and it takes no pointer argument in a global
 * function ("Arg#0 type PTR in ...() is not supported yet"). A static
 * subprogram, the verifier checks it at each call. Pointers come as integers and are read with
 * bpf_probe_read_kernel() (BPF_CORE_READ()) only, so any pointer will do,
 * trusted or not.
 */
static __noinline int __krsi_path_walk(__u64 dentry_addr, __u64 vfsmount_addr,
				       struct krsi_path_buf *pb)
{
	volatile struct __krsi_walk *w;
	__u32 pos, len, depth;
	int status = 0;

	_Static_assert(sizeof(struct __krsi_walk) <= sizeof(pb->path),
		       "the walk's state fits in the path");
	if (!pb || !dentry_addr)
		return -ENOENT;
	w = (volatile struct __krsi_walk *)pb->path;
	w->dentry = (struct dentry *)dentry_addr;
	w->vfsmnt = (struct vfsmount *)vfsmount_addr;
	w->mnt = vfsmount_addr
			 ? (void *)vfsmount_addr -
				   bpf_core_field_offset(struct mount, mnt)
			 : NULL;
	w->pos = KRSI_PATH_MAX - 1;
	pb->__scratch[KRSI_PATH_MAX - 1] = '\0';
	for (depth = 0; depth < KRSI_PATH_DEPTH && !status; depth++)
		status = __krsi_walk_step(w, pb);
	if (status < 0)
		return status;
	if (status == 0)
		return -ENAMETOOLONG; /* deeper than KRSI_PATH_DEPTH */
	pos = w->pos & (KRSI_PATH_MAX - 1);
	if (pos == KRSI_PATH_MAX - 1) /* the root itself */
		pb->__scratch[--pos] = '/';
	len = KRSI_PATH_MAX - pos;
	if (bpf_probe_read_kernel(pb->path, len, &pb->__scratch[pos]))
		return -EFAULT;
	return len;
}

/**
 * krsi_path_walk() - resolve a path by walking the dentry tree.
 * @path: the path; any pointer to a struct path, trusted or not
 * @pb: receives the path in @pb->path
 *
 * Works in every hook on every kernel. Follows mounts up to the root of the
 * mount namespace, like the kernel's d_absolute_path(), so a task under
 * chroot() sees paths from the real root where bpf_d_path() gives them
 * from its chroot. Does not mark an unlinked file " (deleted)" as
 * bpf_d_path() does. A concurrent rename may yield a mix of the old and new
 * names, since the walk takes no lock. Paths of more than KRSI_PATH_DEPTH
 * names or KRSI_PATH_MAX bytes fail.
 *
 * Cost: about five reads of kernel memory per name; the verifier checks
 * the walk at each call, up to KRSI_PATH_DEPTH steps.
 *
 * Return: the length of the path with its NUL, or a negative errno:
 * -ENOENT when @path is NULL, -ENAMETOOLONG when the path is too long or
 * too deep, -EFAULT when kernel memory could not be read.
 */
static __always_inline long krsi_path_walk(const struct path *path,
					   struct krsi_path_buf *pb)
{
	return __krsi_path_walk((__u64)BPF_CORE_READ(path, dentry),
				(__u64)BPF_CORE_READ(path, mnt), pb);
}

/**
 * krsi_dentry_walk() - the path of a dentry within its own filesystem.
 * @dentry: the dentry, such as an argument of an inode_* hook
 * @pb: receives the path in @pb->path
 *
 * For hooks that pass a dentry but no mount (inode_unlink, inode_create,
 * ...): the path starts at the root of the dentry's filesystem, so a file
 * /tmp/x on a tmpfs mounted at /tmp is "/x".
 *
 * Cost and errors: as krsi_path_walk().
 */
static __always_inline long krsi_dentry_walk(const struct dentry *dentry,
					     struct krsi_path_buf *pb)
{
	return __krsi_path_walk((__u64)dentry, 0, pb);
}

/**
 * krsi_path_resolve() - resolve a path in any hook.
 * @path: a path the verifier trusts: a hook argument, or @file->f_path of a
 *        file that is one
 * @pb: receives the path in @pb->path
 *
 * Uses bpf_path_d_path() where the kernel has it (6.12 and later), which
 * gives exactly what bpf_d_path() gives, and krsi_path_walk() elsewhere
 * (5.10, 6.1).
 *
 * Cost: the kfunc's, about that of d_path(); or the walk's.
 *
 * Return: the length of the path with its NUL, or a negative errno.
 */
static __always_inline long krsi_path_resolve(const struct path *path,
					      struct krsi_path_buf *pb)
{
	if (krsi_path_kfunc_available())
		return bpf_path_d_path(path, pb->path, sizeof(pb->path));
	return krsi_path_walk(path, pb);
}

/**
 * krsi_path_d_path() - resolve a path exactly as the kernel's d_path() does.
 * @path: a path the verifier trusts, as for krsi_path_resolve()
 * @pb: receives the path in @pb->path
 *
 * Uses bpf_path_d_path() where the kernel has it, else bpf_d_path(), else
 * (5.10, where LSM programs have neither) krsi_path_walk(). Only for the
 * hooks bpf_d_path() allows (see the top of this header): elsewhere a 6.1
 * kernel refuses the program with "helper call is not allowed in probe".
 *
 * Cost: about that of d_path().
 *
 * Return: the length of the path with its NUL, or a negative errno.
 */
static __always_inline long krsi_path_d_path(const struct path *path,
					     struct krsi_path_buf *pb)
{
	if (krsi_path_kfunc_available())
		return bpf_path_d_path(path, pb->path, sizeof(pb->path));
	if (krsi_d_path_available())
		return bpf_d_path((struct path *)path, pb->path,
				  sizeof(pb->path));
	return krsi_path_walk(path, pb);
}

/**
 * krsi_file_path() - the path of an open file, in any hook.
 * @file: the file; NULL is allowed (mmap_file passes NULL for anonymous
 *        memory)
 * @pb: receives the path in @pb->path
 *
 * As krsi_path_resolve() for @file->f_path, after a NULL test the verifier
 * keeps (see krsi_is_null()).
 *
 * Return: the length of the path with its NUL, -ENOENT if @file is NULL,
 * or another negative errno.
 */
static __always_inline long krsi_file_path(const struct file *file,
					   struct krsi_path_buf *pb)
{
	if (krsi_is_null(file))
		return -ENOENT;
	return krsi_path_resolve(&file->f_path, pb);
}

/**
 * krsi_file_d_path() - the path of an open file, as the kernel's d_path().
 * @file: the file; NULL is allowed
 * @pb: receives the path in @pb->path
 *
 * As krsi_path_d_path() for @file->f_path, after a NULL test the verifier
 * keeps. Only for the hooks bpf_d_path() allows.
 *
 * Return: the length of the path with its NUL, -ENOENT if @file is NULL,
 * or another negative errno.
 */
static __always_inline long krsi_file_d_path(const struct file *file,
					     struct krsi_path_buf *pb)
{
	if (krsi_is_null(file))
		return -ENOENT;
	return krsi_path_d_path(&file->f_path, pb);
}

/**
 * krsi_path_in_dir() - whether a path is a directory or lies beneath it.
 * @path: the NUL-terminated path, such as @pb->path
 * @dir: the NUL-terminated directory, with or without a trailing '/'
 * @n: most bytes compared, a constant no larger than either buffer (see
 *     `<krsi/str.bpf.h>`); @dir must be shorter than @n
 *
 * Compares whole names: "/etc" contains "/etc" and "/etc/passwd", but not
 * "/etcd/x" as a plain prefix test would have it.
 *
 * Hooks: any. Kernels: any. Cost: a loop of at most @n steps.
 *
 * Return: true if @path is @dir or beneath it.
 */
static __always_inline bool krsi_path_in_dir(const char *path, const char *dir,
					     __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		if (!dir[i])
			break;
		if (path[i] != dir[i])
			return false;
	}
	if (i == 0 || i == n)
		return false; /* an empty dir, or one longer than n */
	if (dir[i - 1] == '/')
		return true;
	return path[i] == '/' || path[i] == '\0';
}

#endif /* __KRSI_PATH_BPF_H */
