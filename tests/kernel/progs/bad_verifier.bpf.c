// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A program the verifier rejects: a map value used without a NULL check. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} values SEC(".maps");

SEC("lsm/file_mprotect")
int BPF_PROG(valid, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	return ret;
}

SEC("lsm/file_mprotect")
int BPF_PROG(unchecked, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	__u32 key = 0;
	__u32 *value = bpf_map_lookup_elem(&values, &key);

	return *value; /* may be NULL */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
