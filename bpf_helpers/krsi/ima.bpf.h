/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Integrity: the IMA hash of a file's content.
 *
 * Hashing reads the file, which may sleep, so the kernel offers
 * bpf_ima_file_hash() to sleepable programs only: SEC("lsm.s/HOOK"), on a
 * hook that allows sleepable programs (see docs/BPF-GUIDE.md). The file
 * must be open for reading by then: in bprm_check_security and mmap_file
 * the hash is computed; in file_open the file is not yet readable and the
 * kernel answers -EOPNOTSUPP (measured on 6.1 and 6.12).
 *
 * Misuse from a non-sleepable program cannot be caught at compile time:
 * whether a program sleeps is decided by its section name, which C code
 * cannot see. The kernel refuses such a program when it loads ("unknown
 * func bpf_ima_file_hash#193"); the verifier log libbpf prints then quotes
 * the source line of the call below, whose comment says what to do.
 */
#ifndef __KRSI_IMA_BPF_H
#define __KRSI_IMA_BPF_H

#if !defined(__bpf__)
#error "krsi/ima.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>
#include <krsi/errno.bpf.h>

/* Bytes of the largest digest IMA computes (SHA-512). */
#define KRSI_IMA_HASH_MAX 64

/**
 * krsi_ima_file_hash() - the IMA hash of a file's content.
 * @file: the file; NULL is allowed (mmap_file passes NULL for anonymous
 *        memory)
 * @digest: receives the digest
 * @size: bytes at @digest, a constant (KRSI_IMA_HASH_MAX fits every
 *        algorithm); a longer digest is truncated to @size
 *
 * IMA hashes with its configured algorithm (ima_hash=, SHA-256 on Debian's
 * kernels), and caches the result while the file is unchanged.
 *
 * Hooks: lsm.s/ programs on hooks that allow them; the file must be
 * readable (bprm_check_security, mmap_file; not file_open). Kernels: 6.1 and
 * later. Sleepable: required. Cost: reading and hashing the whole file the
 * first time, a lookup afterwards.
 *
 * Return: the algorithm (enum hash_algo: HASH_ALGO_SHA256 is 4), or a
 * negative errno: -ENOENT if @file is NULL, -EOPNOTSUPP when IMA cannot
 * hash the file in this hook.
 */
static __always_inline long krsi_ima_file_hash(struct file *file, void *digest,
					       __u32 size)
{
	if (krsi_is_null(file))
		return -ENOENT;
	/* The verifier's log quotes the next line when it refuses the call. */
	/* clang-format off */
	return bpf_ima_file_hash(file, digest, size); /* libkrsi: krsi_ima_file_hash() needs a sleepable program: SEC("lsm.s/HOOK"), not SEC("lsm/HOOK") */
	/* clang-format on */
}

#endif /* __KRSI_IMA_BPF_H */
