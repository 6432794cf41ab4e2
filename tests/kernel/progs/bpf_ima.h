/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What bpf_ima.bpf.c records; shared with test_bpf_ima.c. */
#ifndef BPF_IMA_H
#define BPF_IMA_H

#define IMA_DIGEST_MAX 64

/* The hash one hook computed of the target file. */
struct ima_result {
	__u64 calls;
	__s64 alg; /* enum hash_algo, or a negative errno */
	unsigned char digest[IMA_DIGEST_MAX];
};

#endif /* BPF_IMA_H */
