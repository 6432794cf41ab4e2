// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A mistake test_bpf_ima.c expects the kernel to refuse, with a message
 * that says what to do: krsi_ima_file_hash() in a program that cannot
 * sleep (lsm/, not lsm.s/).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

unsigned char digest[KRSI_IMA_HASH_MAX];

SEC("lsm/bprm_check_security")
int BPF_PROG(hash_not_sleepable, struct linux_binprm *bprm, int ret)
{
	krsi_ima_file_hash(bprm->file, digest, sizeof(digest));
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
