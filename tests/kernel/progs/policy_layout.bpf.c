// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * policy_deny with its map's value reshaped: same names and sizes, another
 * BTF layout. Adopting or keeping the maps of one with the other must be
 * refused.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

struct verdict {
	short errno_neg;
	short flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct verdict);
} denied SEC(".maps");

const volatile __u32 version;
__u64 denials;
__u32 denied_by;

SEC("lsm/file_mprotect")
int BPF_PROG(deny_listed, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct verdict *v;
	int verdict;

	if (ret)
		return ret;
	v = bpf_map_lookup_elem(&denied, &tgid);
	if (!v)
		return 0;
	verdict = v->errno_neg;
	__sync_fetch_and_add(&denials, 1);
	denied_by = version;
	if (verdict < -4095 || verdict > 0)
		return -EPERM;
	return verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
