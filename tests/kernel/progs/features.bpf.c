// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * One program per feature of <krsi/probe.h>, using it as a product would
 * (with real arguments, unlike the probe's trial loads), so that the test
 * can check each answer of krsi_features__probe() against whether the
 * program really loads. Each is loaded alone, with only the maps it uses.
 * Kfuncs are weak: where a kernel lacks one, the unconditional call is
 * what the kernel refuses. Last, what the BPF-side headers chose when this
 * object loaded, for the test to compare with the probe.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

extern int bpf_get_file_xattr(struct file *file, const char *name__str,
			      struct bpf_dynptr *value_p) __ksym __weak;
extern int bpf_get_dentry_xattr(struct dentry *dentry, const char *name__str,
				struct bpf_dynptr *value_p) __ksym __weak;
extern int bpf_set_dentry_xattr(struct dentry *dentry, const char *name__str,
				const struct bpf_dynptr *value_p,
				int flags) __ksym __weak;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} task_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} inode_store SEC(".maps");

/* A field marker: a BTF declaration tag, in the kernel's copy of this
 * object's BTF where the kernel takes them. */
struct {
	char path[8] KRSI_PATH;
} tagged;

/* Scratch space, and what the headers chose (see choices()). */
char buf[64];
int d_path_available, kfunc_available, task_btf_used, pt_regs_used;

SEC("lsm/file_open")
int BPF_PROG(lsm, struct file *file, int ret)
{
	return ret;
}

SEC("lsm.s/bprm_check_security")
int BPF_PROG(lsm_sleepable, struct linux_binprm *bprm, int ret)
{
	return ret;
}

SEC("lsm_cgroup/file_mprotect")
int BPF_PROG(lsm_cgroup, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot)
{
	return 1;
}

SEC("syscall")
int syscall_prog(void *ctx)
{
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(ringbuf, struct file *file, int ret)
{
	__u64 *e = bpf_ringbuf_reserve(&ring, sizeof(*e), 0);

	if (e)
		bpf_ringbuf_discard(e, 0);
	return ret;
}

SEC("lsm/file_open")
int BPF_PROG(task_storage, struct file *file, int ret)
{
	bpf_task_storage_get(&task_store, bpf_get_current_task_btf(), 0, 0);
	return ret;
}

SEC("lsm/file_open")
int BPF_PROG(inode_storage, struct file *file, int ret)
{
	bpf_inode_storage_get(&inode_store, file->f_inode, 0, 0);
	return ret;
}

SEC("lsm/file_open")
int BPF_PROG(current_task_btf, struct file *file, int ret)
{
	return BPF_CORE_READ(bpf_get_current_task_btf(), pid) ? ret : ret;
}

SEC("lsm/file_open")
int BPF_PROG(task_pt_regs, struct file *file, int ret)
{
	struct pt_regs *regs =
		(struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	return BPF_CORE_READ(regs, ip) ? ret : ret;
}

static long count(__u64 index, void *ctx)
{
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(loop, struct file *file, int ret)
{
	bpf_loop(1, count, NULL, 0);
	return ret;
}

SEC("lsm/file_open")
int BPF_PROG(d_path, struct file *file, int ret)
{
	bpf_d_path((struct path *)&file->f_path, buf, sizeof(buf));
	return ret;
}

SEC("lsm/file_open")
int BPF_PROG(path_d_path, struct file *file, int ret)
{
	bpf_path_d_path(&file->f_path, buf, sizeof(buf));
	return ret;
}

SEC("lsm.s/bprm_check_security")
int BPF_PROG(ima_inode_hash, struct linux_binprm *bprm, int ret)
{
	bpf_ima_inode_hash(bprm->file->f_inode, buf, sizeof(buf));
	return ret;
}

SEC("lsm.s/bprm_check_security")
int BPF_PROG(ima_file_hash, struct linux_binprm *bprm, int ret)
{
	bpf_ima_file_hash(bprm->file, buf, sizeof(buf));
	return ret;
}

SEC("lsm.s/file_open")
int BPF_PROG(get_file_xattr, struct file *file, int ret)
{
	struct bpf_dynptr value;

	bpf_dynptr_from_mem(buf, sizeof(buf), 0, &value);
	bpf_get_file_xattr(file, "user.krsi", &value);
	return ret;
}

SEC("lsm.s/inode_getxattr")
int BPF_PROG(get_dentry_xattr, struct dentry *dentry, const char *name, int ret)
{
	struct bpf_dynptr value;

	bpf_dynptr_from_mem(buf, sizeof(buf), 0, &value);
	bpf_get_dentry_xattr(dentry, "user.krsi", &value);
	/* Read a field, so that this object's BTF has struct dentry whole:
	 * libbpf 1.1 finds a kfunc taking a mere forward declaration
	 * incompatible with the kernel's. */
	buf[1] = dentry->d_flags;
	return ret;
}

SEC("lsm.s/inode_getxattr")
int BPF_PROG(set_dentry_xattr, struct dentry *dentry, const char *name, int ret)
{
	struct bpf_dynptr value;

	bpf_dynptr_from_mem(buf, sizeof(buf), 0, &value);
	bpf_set_dentry_xattr(dentry, "security.bpf.krsi", &value, 0);
	return ret;
}

/* mmap_file's file used without a NULL test: refused where it is nullable. */
SEC("lsm/mmap_file")
int BPF_PROG(nullable_args, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags, int ret)
{
	buf[0] = file->f_flags;
	return ret;
}

/* What the headers chose when the object loaded, read on the next open. */
SEC("lsm/file_open")
int BPF_PROG(choices, struct file *file, int ret)
{
	d_path_available = krsi_d_path_available();
	kfunc_available = krsi_path_kfunc_available();
	task_btf_used = bpf_core_enum_value_exists(
		enum bpf_func_id, BPF_FUNC_get_current_task_btf);
	pt_regs_used = bpf_core_enum_value_exists(enum bpf_func_id,
						  BPF_FUNC_task_pt_regs);
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
