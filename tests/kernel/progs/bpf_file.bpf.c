// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * What is touched (<krsi/file.bpf.h>, <krsi/path.bpf.h>): for the target
 * process, record the keys and paths of the files it opens (file_open, a
 * hook bpf_d_path() allows), reads (file_permission, a hook it does not
 * allow) and maps (mmap_file, whose file is NULL for anonymous memory).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include "bpf_file.h"

#define MAY_READ 4 /* the kernel's include/linux/fs.h */

/* Set by the test: the process to watch, and the directory for in_dir. */
__u32 target_tgid;
char dir[64];

/* Known at load time: which methods krsi_file_path() and
 * krsi_file_d_path() use. */
int kfunc_available, d_path_available;

struct file_result on_open, on_read, on_mmap;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct krsi_path_buf);
} path_buf SEC(".maps");

static __always_inline void copy_path(struct path_result *res, long len,
				      struct krsi_path_buf *pb)
{
	res->len = len;
	res->path[0] = '\0';
	if (len > 0)
		bpf_probe_read_kernel_str(res->path, sizeof(res->path),
					  pb->path);
}

/* Keys, and the paths every hook can resolve. */
static __always_inline struct krsi_path_buf *
record_common(struct file_result *res, struct file *file)
{
	struct krsi_path_buf *pb;
	__u32 zero = 0;

	res->calls++;
	res->file_key_err = krsi_file_key(file, &res->file_key);
	/* Not file->f_inode: 6.12's verifier trusts the argument to be
	 * non-NULL, drops the test and loads unguarded (an oops in mmap_file
	 * on 6.12.118, measured). */
	res->inode_key_err = krsi_inode_key(
		krsi_is_null(file) ? NULL : BPF_CORE_READ(file, f_inode),
		&res->inode_key);
	pb = bpf_map_lookup_elem(&path_buf, &zero);
	if (!pb)
		return NULL;
	copy_path(&res->path, krsi_file_path(file, pb), pb);
	res->in_dir = res->path.len > 0 &&
		      krsi_path_in_dir(pb->path, dir, sizeof(dir));
	return pb;
}

SEC("lsm/file_open")
int BPF_PROG(check_open, struct file *file, int ret)
{
	struct krsi_path_buf *pb;

	kfunc_available = krsi_path_kfunc_available();
	d_path_available = krsi_d_path_available();
	if (krsi_current_tgid() != target_tgid)
		return KRSI_ALLOW(ret);
	pb = record_common(&on_open, file);
	if (!pb)
		return KRSI_ALLOW(ret);
	copy_path(&on_open.d_path, krsi_file_d_path(file, pb), pb);
	copy_path(&on_open.walk, krsi_path_walk(&file->f_path, pb), pb);
	copy_path(&on_open.dentry,
		  krsi_dentry_walk(BPF_CORE_READ(file, f_path.dentry), pb), pb);
	return KRSI_ALLOW(ret);
}

SEC("lsm/file_permission")
int BPF_PROG(check_read, struct file *file, int mask, int ret)
{
	/* Reads only: the test's own output to stdout is a write. */
	if (krsi_current_tgid() == target_tgid && (mask & MAY_READ))
		record_common(&on_read, file);
	return KRSI_ALLOW(ret);
}

SEC("lsm/mmap_file")
int BPF_PROG(check_mmap, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags, int ret)
{
	struct krsi_path_buf *pb;

	if (krsi_current_tgid() != target_tgid)
		return KRSI_ALLOW(ret);
	pb = record_common(&on_mmap, file);
	if (pb)
		copy_path(&on_mmap.d_path, krsi_file_d_path(file, pb), pb);
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
