// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Maps (and a program that is not a map) for the map module's unit tests. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} elems SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} per_cpu SEC(".maps");

/* Adds 1 to per_cpu[0] on the CPU it runs on. */
SEC("syscall")
int bump(void *ctx)
{
	__u32 zero = 0, *v = bpf_map_lookup_elem(&per_cpu, &zero);

	if (v)
		*v += 1;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
