// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The string helpers of <krsi/str.bpf.h> and krsi_path_in_dir(), run by a
 * syscall program on strings the test writes into the global variables.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

#define STR_LEN 64

char a[STR_LEN], b[STR_LEN];
__u32 n;
int cmp, has_prefix, in_dir;
/* Fixed arguments, to show the constant forms compile and agree. */
int prefix_tmp, in_dir_etc;

SEC("syscall")
int str_logic(void *ctx)
{
	/* n is bounded by the buffers' size, so the verifier can prove it. */
	__u32 len = n < STR_LEN ? n : STR_LEN;

	cmp = krsi_strncmp(a, b, len);
	has_prefix = krsi_str_has_prefix(a, b, len);
	in_dir = krsi_path_in_dir(a, b, len);
	prefix_tmp = krsi_str_has_prefix(a, "/tmp/", sizeof("/tmp/"));
	in_dir_etc = krsi_path_in_dir(a, "/etc", sizeof("/etc"));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
