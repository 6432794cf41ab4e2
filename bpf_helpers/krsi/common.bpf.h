/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What libkrsi's BPF-side headers share: feature tests made when the
 * program is compiled or loaded, and a NULL test the verifier cannot drop.
 */
#ifndef __KRSI_COMMON_BPF_H
#define __KRSI_COMMON_BPF_H

#if !defined(__bpf__)
#error "krsi/common.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/*
 * 1 when X is an integer constant expression, else 0; X is not evaluated
 * (the kernel's __is_constexpr()).
 */
#define __krsi_is_constexpr(x) \
	(sizeof(int) == sizeof(*(8 ? ((void *)((long)(x)*0l)) : (int *)8)))

/*
 * Whether the running kernel has the kfunc or kernel variable SYM, declared
 * `extern ... __ksym __weak`: libbpf resolves it at load time, or leaves it
 * NULL, and the verifier drops the branch that cannot run. libbpf 1.2 has
 * this as bpf_ksym_exists(); libbpf 1.1 does not.
 */
#define __krsi_ksym_exists(sym)                                  \
	({                                                       \
		_Static_assert(!__builtin_constant_p(!!(sym)),   \
			       #sym " must be declared __weak"); \
		!!(sym);                                         \
	})

/**
 * krsi_is_null() - whether the pointer argument of a hook is NULL, tested so
 * that the verifier keeps the test.
 * @ptr: a hook argument, or a pointer read from one
 *
 * Some hooks pass NULL for a pointer they declare: mmap_file's file for an
 * anonymous mapping, for one. Verifiers disagree on such arguments, so the
 * pointer is tested twice:
 *
 * - The 6.12 verifier trusts hook arguments to be non-NULL and removes a
 *   plain `if (!file)` as dead code (6.1 keeps it); a kfunc then given the
 *   NULL pointer oopses the kernel (measured on 6.12 with bpf_path_d_path()
 *   in mmap_file). Reading the pointer's value through
 *   bpf_probe_read_kernel() hides it from the verifier, so that test stays.
 * - Kernels from 7.0 mark such arguments nullable (mmap_file's is named
 *   file__nullable in their BTF) and refuse any use of the pointer, even
 *   computing &file->f_path, before a plain test the verifier sees
 *   ("R3 pointer arithmetic on trusted_ptr_or_null_ prohibited, null-check
 *   it first", measured on 7.3). The plain test gives them that.
 *
 * Reads through BPF_CORE_READ() (bpf_probe_read_kernel()) are safe on NULL
 * and need no test. A direct load (file->f_inode) is not: 6.12.118's
 * verifier trusts the argument, drops a plain `file ? ... : NULL` and
 * loads unguarded, and mmap_file of anonymous memory oopsed the kernel
 * (measured).
 *
 * Hooks: any. Kernels: any. Sleepable: no need. Cost: a comparison and
 * one helper call.
 *
 * Return: true if @ptr is NULL.
 */
static __always_inline bool krsi_is_null(const void *ptr)
{
	const void *copy = ptr;
	__u64 raw = 0;

	if (!ptr) /* the test a nullable argument needs (7.0 and later) */
		return true;
	bpf_probe_read_kernel(&raw, sizeof(raw), &copy);
	return raw == 0;
}

#endif /* __KRSI_COMMON_BPF_H */
