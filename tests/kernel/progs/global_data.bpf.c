// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Global data beside an arena, for the object module's unit tests: after
 * krsi_object__load(), what count() writes must show through the
 * skeleton, and the arena, a map libbpf maps itself (1.4 onwards) with no
 * value, must load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* pages */
} arena SEC(".maps");

const volatile __u64 step = 1;
__u64 counted;
__u64 calls = 100;

/* Adds step to counted (.bss) and 1 to calls (.data). */
SEC("syscall")
int count(void *ctx)
{
	counted += step;
	calls++;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
