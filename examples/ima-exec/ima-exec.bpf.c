// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * ima-exec: run only programs whose content is on an allow-list of
 * SHA-256 hashes; report every other execution with its hash.
 *
 * bprm_check_security sees the binary before it runs. A sleepable program
 * (lsm.s/) may ask IMA for the file's hash (bpf_ima_file_hash(), through
 * krsi_ima_file_hash()): IMA reads and hashes the file the first time and
 * caches the result until the file changes, so a second execution costs a
 * lookup. A script is checked, and so is its interpreter.
 *
 * The allow-list is a hash set (LPM tries, the path sets, are refused to
 * sleepable programs; hash maps are not). In monitor mode every execution
 * that would be denied is reported with its hash: run it so for a while,
 * and the stream is the allow-list to review.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../common/agent.bpf.h"

/* The policy's number in its events. */
#define IMA_POLICY_ID 7

KRSI_POLICY_MAPS();
KRSI_HASH_SET(allowed, 4096);
KRSI_EVENT_RING(events, 256 * 1024);

struct ima_event {
	/* IMA's hash algorithm (4 is SHA-256), or the -errno it failed with */
	__s32 algo;
	__u8 sha256[KRSI_SHA256_SIZE] KRSI_HEX;
	char path[256] KRSI_PATH; /* the binary */
};

enum { IMA_EVENT = 1 };
KRSI_EVENT_TYPE(ima_exec, IMA_EVENT, struct ima_event);

SEC("lsm.s/bprm_check_security")
int BPF_PROG(ima_exec, struct linux_binprm *bprm, int ret)
{
	__u8 digest[KRSI_SHA256_SIZE] = {};
	enum krsi_event_mode mode;
	struct ima_event *e;
	struct krsi_snap snap;
	int hit = 0, err, verdict;
	long algo;

	if (ret)
		return ret;
	/* May sleep: IMA reads the file. */
	algo = krsi_ima_file_hash(bprm->file, digest, sizeof(digest));
	if (algo == bpf_core_enum_value(enum hash_algo, HASH_ALGO_SHA256)) {
		krsi_snap_begin(&krsi_ctl, &snap);
		do {
			hit = krsi_hash_set_match(&allowed, &snap, digest,
						  NULL);
		} while ((err = krsi_snap_retry(&snap)) > 0);
		if (err)
			hit = 0; /* the rules kept changing: fail closed */
	}
	/* Another algorithm, or no hash at all, is not on the list either. */
	verdict = hit > 0 ? 0 : -EACCES;
	ret = agent_decide(verdict, &mode);
	if (!verdict)
		return ret;

	e = krsi_event_reserve(events, bprm_check_security, IMA_EVENT,
			       struct ima_event);
	if (e) {
		e->algo = algo;
		__builtin_memcpy(e->sha256, digest, sizeof(digest));
		/*
		 * Straight into the event: a per-CPU buffer is unsafe in a
		 * program that sleeps, and this hook allows bpf_d_path().
		 */
		if (bpf_d_path((struct path *)&bprm->file->f_path, e->path,
			       sizeof(e->path)) < 0)
			e->path[0] = '\0';
		krsi_event_submit(e, IMA_POLICY_ID, mode, verdict);
	}
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
