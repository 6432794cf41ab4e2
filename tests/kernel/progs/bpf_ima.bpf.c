// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Integrity (<krsi/ima.bpf.h>): sleepable programs hash the target file when
 * it is executed (bprm_check_security), mapped (mmap_file) and opened
 * (file_open, where IMA cannot read it yet).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include "bpf_ima.h"

/* Set by the test: the file to hash, and the process whose NULL mmap_file
 * calls to count. */
struct krsi_inode_key target;
__u32 target_tgid;

struct ima_result on_exec, on_mmap, on_open, on_anon_mmap;

static __always_inline void hash_target(struct ima_result *res,
					struct file *file)
{
	struct krsi_inode_key key;

	if (krsi_file_key(file, &key) || key.dev != target.dev ||
	    key.ino != target.ino)
		return;
	res->calls++;
	res->alg = krsi_ima_file_hash(file, res->digest, sizeof(res->digest));
}

SEC("lsm.s/bprm_check_security")
int BPF_PROG(hash_exec, struct linux_binprm *bprm, int ret)
{
	hash_target(&on_exec, bprm->file);
	return KRSI_ALLOW(ret);
}

SEC("lsm.s/mmap_file")
int BPF_PROG(hash_mmap, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags, int ret)
{
	if (krsi_is_null(file)) {
		if (krsi_current_tgid() == target_tgid) {
			on_anon_mmap.calls++;
			on_anon_mmap.alg =
				krsi_ima_file_hash(file, on_anon_mmap.digest,
						   sizeof(on_anon_mmap.digest));
		}
		return KRSI_ALLOW(ret);
	}
	hash_target(&on_mmap, file);
	return KRSI_ALLOW(ret);
}

SEC("lsm.s/file_open")
int BPF_PROG(hash_open, struct file *file, int ret)
{
	hash_target(&on_open, file);
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
