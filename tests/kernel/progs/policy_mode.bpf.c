// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A policy deciding through its mode, on real hooks: opening a file under
 * a protected path or a protected file (-EACCES), executing a protected
 * file (-EPERM) or one whose IMA hash is in the set (-EKEYREJECTED). Only
 * the test's own process (opens) and its children (execs) are judged.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <krsi/krsi.bpf.h>

KRSI_POLICY_MAPS();
KRSI_PATH_SET(protected_paths, 8);
KRSI_FILE_SET(protected_files, 8);
KRSI_HASH_SET(protected_hashes, 8);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct krsi_path_buf);
} path_bufs SEC(".maps");

/* Set by the loader: the process judged. */
const volatile __u32 target_tgid;

/* The last digest bpf_ima_file_hash() gave, and its algorithm. */
__u8 last_digest[KRSI_SHA256_SIZE];
__s64 last_digest_algo;

static __always_inline bool child_of_target(void)
{
	struct task_struct *task = krsi_current_task();

	return BPF_CORE_READ(task, real_parent, tgid) == target_tgid;
}

SEC("lsm/file_open")
int BPF_PROG(guard_open, struct file *file, int ret)
{
	struct krsi_path_buf *pb;
	struct krsi_inode_key id;
	struct krsi_snap snap;
	__u32 zero = 0;
	bool have_path;
	int hit, err;

	if (ret || (bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return ret;
	pb = bpf_map_lookup_elem(&path_bufs, &zero);
	if (!pb || krsi_file_key(file, &id))
		return ret;
	have_path = krsi_file_path(file, pb) > 0;
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_file_set_match(&protected_files, &snap, &id, NULL);
		if (!hit && have_path)
			hit = krsi_path_set_match(&protected_paths, &snap,
						  pb->path, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	if (err)
		hit = 1; /* fail closed */
	return krsi_policy_decide(&krsi_ctl, &krsi_stats,
				  hit > 0 ? -EACCES : 0);
}

SEC("lsm/bprm_check_security")
int BPF_PROG(guard_exec, struct linux_binprm *bprm, int ret)
{
	struct krsi_inode_key id;
	struct krsi_snap snap;
	int hit, err;

	if (ret || !child_of_target() || krsi_file_key(bprm->file, &id))
		return ret;
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_file_set_match(&protected_files, &snap, &id, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	if (err)
		hit = 1;
	return krsi_policy_decide(&krsi_ctl, &krsi_stats, hit > 0 ? -EPERM : 0);
}

SEC("lsm.s/bprm_check_security")
int BPF_PROG(guard_exec_hash, struct linux_binprm *bprm, int ret)
{
	__u8 digest[KRSI_SHA256_SIZE];
	struct krsi_snap snap;
	long algo;
	int hit, err;

	if (ret || !child_of_target())
		return ret;
	algo = krsi_ima_file_hash(bprm->file, digest, sizeof(digest));
	last_digest_algo = algo;
	if (algo != HASH_ALGO_SHA256)
		return ret; /* no SHA-256 digest: the hash set cannot judge */
	__builtin_memcpy(last_digest, digest, sizeof(digest));
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_hash_set_match(&protected_hashes, &snap, digest,
					  NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	if (err)
		hit = 1;
	return krsi_policy_decide(&krsi_ctl, &krsi_stats,
				  hit > 0 ? -EKEYREJECTED : 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
