/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Bounded string comparison, for strings in BPF memory: the stack, map
 * values, global variables and string literals (.rodata). Kernel memory
 * must first be copied there (bpf_probe_read_kernel_str()).
 *
 * N is the most bytes compared. Make it a constant no larger than either
 * buffer: the verifier then proves every access in bounds. It checks the
 * loop once per iteration, so the cost of verifying a call grows with N
 * (about ten instructions an iteration); running it stops at the first
 * difference or NUL.
 *
 * Hooks: any. Kernels: any. Sleepable: no need.
 */
#ifndef __KRSI_STR_BPF_H
#define __KRSI_STR_BPF_H

#if !defined(__bpf__)
#error "krsi/str.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>

/**
 * krsi_strncmp() - compare two NUL-terminated strings, at most @n bytes.
 * @a: first string
 * @b: second string
 * @n: most bytes to compare
 *
 * Return: like strncmp(): negative, 0 or positive as @a sorts before,
 * equal to or after @b, comparing bytes as unsigned char.
 */
static __always_inline int krsi_strncmp(const char *a, const char *b, __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		unsigned char ca = a[i], cb = b[i];

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (!ca)
			return 0;
	}
	return 0;
}

/**
 * krsi_str_has_prefix() - whether a string starts with a prefix.
 * @s: the string
 * @prefix: the NUL-terminated prefix; the empty prefix matches any string
 * @n: most bytes to compare; a prefix longer than @n is compared on its
 *     first @n bytes
 *
 * Return: true if @s starts with @prefix.
 */
static __always_inline bool krsi_str_has_prefix(const char *s,
						const char *prefix, __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		if (!prefix[i])
			return true;
		if (s[i] != prefix[i])
			return false;
	}
	return true;
}

#endif /* __KRSI_STR_BPF_H */
