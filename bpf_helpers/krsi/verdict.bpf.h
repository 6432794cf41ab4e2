/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Verdicts: what a BPF LSM program returns to allow or deny.
 *
 * The two kinds of LSM program speak differently:
 *
 *	SEC("lsm/HOOK")		0 allows, -errno denies with that errno.
 *	SEC("lsm_cgroup/HOOK")	1 allows, 0 denies; the errno is set with
 *				bpf_set_retval() (-EPERM if none is set).
 *
 * A wrong value is a silent bug: 6.1's verifier accepts any return value
 * from an lsm/ program, so `return EPERM;` or `return 1;` loads and then
 * reaches the syscall as a bogus positive result. The macros below produce
 * the right values, keep an earlier program's denial, and reject a deny
 * value that is not an errno at compile time when it is a constant:
 *
 *	SEC("lsm/file_open")
 *	int BPF_PROG(check_open, struct file *file, int ret)
 *	{
 *		if (ret)
 *			return ret;
 *		if (forbidden(file))
 *			return KRSI_DENY(ret, EACCES);
 *		return KRSI_ALLOW(ret);
 *	}
 *
 * Hooks: those returning int (void hooks ignore the value). Kernels: 6.1
 * and later (lsm_cgroup/ since 6.0). Sleepable: either. Cost: none for
 * lsm/; two helper calls for a cgroup denial.
 */
#ifndef __KRSI_VERDICT_BPF_H
#define __KRSI_VERDICT_BPF_H

#if !defined(__bpf__)
#error "krsi/verdict.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>
#include <krsi/errno.bpf.h>

/* The largest errno value (the kernel's MAX_ERRNO). */
#define KRSI_MAX_ERRNO 4095

/*
 * Fail to compile when ERR is a constant outside 1..KRSI_MAX_ERRNO: 0,
 * a negative value such as -EPERM, or a number that is no errno.
 */
#define __krsi_assert_errno(err)                                              \
	_Static_assert(                                                       \
		!__krsi_is_constexpr(err) ||                                  \
			(__builtin_choose_expr(__krsi_is_constexpr(err), err, \
					       1) >= 1 &&                     \
			 __builtin_choose_expr(__krsi_is_constexpr(err), err, \
					       1) <= KRSI_MAX_ERRNO),         \
		"a deny value is a positive errno constant such as EPERM, "   \
		"in 1..4095; got " #err)

/*
 * -ERR when ERR is an errno, -EPERM otherwise: a deny value computed at run
 * time still denies. The verifier of 6.12 checks that an lsm/ program
 * returns 0 or -1..-4095 in all 64 bits of R0, and must see each step that
 * bounds the value. Written in C, the clamp was clang's to fold: where it
 * proved ERR to be 0 or one errno it dropped the range test and the mask
 * and negated a zero-extended 32-bit copy, which 6.12 bounds to
 * -4294967295..0 only ("At program exit the register R0 has
 * smin=-4294967295 smax=0", measured with a verdict used again after the
 * decision, at -O2). So the whole clamp is in assembly: ERR - 1 is tested
 * below KRSI_MAX_ERRNO (unsigned, so 0 and negative values fail), masked,
 * and 1 + it subtracted from 0, in 64-bit registers clang cannot rewrite.
 * tests/kernel/progs/verdict_shapes.bpf.c loads the shapes programs give
 * it on every kernel line.
 */
static __always_inline int __krsi_neg_errno(long err)
{
	long neg;

	asm volatile("%[e] += -1\n\t"
		     "if %[e] < %[max] goto .Lkrsi_errno%=\n\t"
		     "%[e] = 0\n" /* EPERM - 1 */
		     ".Lkrsi_errno%=:\n\t"
		     "%[e] &= %[max]\n\t"
		     "%[e] += 1\n\t"
		     "%[neg] = 0\n\t"
		     "%[neg] -= %[e]"
		     : [neg] "=&r"(neg), [e] "+r"(err)
		     : [max] "i"(KRSI_MAX_ERRNO));
	return neg;
}

/* Set before load by libkrsi (krsi_object__load()): the number of
 * arguments HOOK has on the running kernel; 0 when not set. */
#define __krsi_hook_nargs(hook)                                        \
	({                                                             \
		static const volatile __u32 __krsi_hook_nargs__##hook; \
		__krsi_hook_nargs__##hook;                             \
	})

/*
 * Load the context's slot K (a constant) where clang cannot turn the
 * loads of several slots into one at a computed offset, which every
 * verifier refuses ("dereference of modified ctx ptr").
 */
#define __krsi_ctx_slot(ctx, k)                                 \
	({                                                      \
		unsigned long long v_;                          \
		asm volatile("%[v] = *(u64 *)(%[c] + %[off])"   \
			     : [v] "=r"(v_)                     \
			     : [c] "r"(ctx), [off] "i"((k)*8)); \
		v_;                                             \
	})

/* The slot after argument N: an int hook's ret. The verifier knows N when
 * the program loads, so it checks one case only. */
static __always_inline int __krsi_ctx_ret(unsigned long long *ctx, __u32 n)
{
	switch (n) {
	case 0:
		return __krsi_ctx_slot(ctx, 0);
	case 1:
		return __krsi_ctx_slot(ctx, 1);
	case 2:
		return __krsi_ctx_slot(ctx, 2);
	case 3:
		return __krsi_ctx_slot(ctx, 3);
	case 4:
		return __krsi_ctx_slot(ctx, 4);
	case 5:
		return __krsi_ctx_slot(ctx, 5);
	case 6:
		return __krsi_ctx_slot(ctx, 6);
	case 7:
		return __krsi_ctx_slot(ctx, 7);
	case 8:
		return __krsi_ctx_slot(ctx, 8);
	case 9:
		return __krsi_ctx_slot(ctx, 9);
	case 10:
		return __krsi_ctx_slot(ctx, 10);
	default:
		return __krsi_ctx_slot(ctx, 11);
	}
}

/**
 * krsi_hook_ret() - the hook's trailing int ret, an earlier program's
 * verdict, in a BPF_PROG() program that does not declare it.
 * @hook: the hook, an identifier such as bpf
 * @nargs: the number of arguments the program declares (without ret)
 *
 * BPF_PROG(name, args..., int ret) reads ret right after the arguments it
 * declares. Where a kernel gives the hook more arguments (6.15 gave bpf,
 * bpf_map_create, bpf_prog_load and bpf_token_create a bool kernel), that
 * slot holds the new argument, and 6.12 and later refuse to return it
 * ("At program exit the register R0 has unknown scalar value", measured on
 * 7.3). krsi_hook_ret() reads ret after the arguments the running kernel's
 * hook has: krsi_object__load() writes their number into the object; an
 * object loaded otherwise uses @nargs. Declare the arguments without ret:
 *
 *	SEC("lsm/bpf")
 *	int BPF_PROG(guard_bpf, int cmd, union bpf_attr *attr,
 *		     unsigned int size)
 *	{
 *		int ret = krsi_hook_ret(bpf, 3);
 *
 * Hooks: those returning int. Kernels: any. Cost: one load.
 *
 * Return: the hook's ret, 0 unless an earlier program denied.
 */
#define krsi_hook_ret(hook, nargs) \
	__krsi_ctx_ret(ctx, __krsi_hook_nargs(hook) ?: (nargs))

/**
 * KRSI_ALLOW() - the value an lsm/ program returns to allow.
 * @ret: the hook's trailing `int ret` argument, an earlier program's verdict
 *
 * Return: @ret, which is 0 unless an earlier program denied.
 */
#define KRSI_ALLOW(ret) ((int)(ret))

/**
 * KRSI_DENY() - the value an lsm/ program returns to deny with an errno.
 * @ret: the hook's trailing `int ret` argument, an earlier program's verdict
 * @err: a positive errno, such as EPERM; a constant outside 1..4095 fails
 *       to compile, a value outside it at run time denies with EPERM
 *
 * Return: @ret when an earlier program denied (its errno wins), else -@err.
 */
#define KRSI_DENY(ret, err)                                 \
	({                                                  \
		__krsi_assert_errno(err);                   \
		(ret) ? (int)(ret) : __krsi_neg_errno(err); \
	})

/**
 * KRSI_CGROUP_ALLOW() - the value an lsm_cgroup/ program returns to allow.
 *
 * An earlier program's denial stands: the kernel denies when any program
 * attached to the cgroup denied.
 *
 * Return: 1.
 */
#define KRSI_CGROUP_ALLOW() 1

static __always_inline int __krsi_cgroup_deny(int neg_errno)
{
	/* An earlier program of this cgroup denied: its errno wins. */
	if (bpf_get_retval() == 0)
		bpf_set_retval(neg_errno);
	return 0;
}

/**
 * KRSI_CGROUP_DENY() - the value an lsm_cgroup/ program returns to deny.
 * @err: a positive errno, such as EPERM, checked as by KRSI_DENY()
 *
 * Sets the errno with bpf_set_retval() unless an earlier program of the
 * same hook and cgroup already did. lsm_cgroup/ programs learn of earlier
 * denials through bpf_get_retval(), not the trailing `ret` argument: the
 * kernel stops calling a hook's BPF programs at the first lsm/ or cgroup
 * shim that denies.
 *
 * Return: 0.
 */
#define KRSI_CGROUP_DENY(err)                              \
	({                                                 \
		__krsi_assert_errno(err);                  \
		__krsi_cgroup_deny(__krsi_neg_errno(err)); \
	})

#endif /* __KRSI_VERDICT_BPF_H */
