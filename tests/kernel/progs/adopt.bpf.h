/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The policy the adoption tests install, in versions (adopt_*.bpf.c): each
 * defines ADOPT_ENUM, the enumerators of enum adopt_action (which a version
 * may renumber), and ADOPT_ERRNO, what its program denies with (another
 * errno is other code). The program denies mprotect() to the processes
 * whose rule's action is not 0, whatever the enumerators mean, so that
 * renumbering them changes the map's BTF and not the code.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

enum adopt_action { ADOPT_ENUM };

struct adopt_rule {
	enum adopt_action action;
};

/* tgid -> its rule */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct adopt_rule);
} adopt_rules SEC(".maps");

SEC("lsm/file_mprotect")
int BPF_PROG(adopt_deny, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct adopt_rule *rule;

	if (ret)
		return ret;
	rule = bpf_map_lookup_elem(&adopt_rules, &tgid);
	if (!rule || !rule->action)
		return 0;
	return -ADOPT_ERRNO;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
