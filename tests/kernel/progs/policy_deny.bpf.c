// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A policy: deny mprotect() to the processes listed in a map, with the
 * errno the map gives each. Its state is spread over a map (the list), a
 * read-only variable and global data, so tests can tell what survives.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

/* tgid -> the verdict for its mprotect() calls: a negative errno */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, int);
} denied SEC(".maps");

/* Set by the loader: which version of the policy this is. */
const volatile __u32 version;

/* How many calls were denied, and by which version last. */
__u64 denials;
__u32 denied_by;

SEC("lsm/file_mprotect")
int BPF_PROG(deny_listed, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	int *verdict;

	if (ret)
		return ret; /* an earlier program already denied */
	verdict = bpf_map_lookup_elem(&denied, &tgid);
	if (!verdict)
		return 0;
	__sync_fetch_and_add(&denials, 1);
	denied_by = version;
	/* 6.12's verifier wants a verdict it can prove is in [-4095, 0]. */
	if (*verdict < -4095 || *verdict > 0)
		return -EPERM;
	return *verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
