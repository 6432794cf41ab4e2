// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Trial loads: the only way to ask the running kernel whether it accepts a
 * program on a hook. Every program is closed at once; nothing is attached.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "hooks_internal.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's internal "not supported" */
#endif

int krsi_trial_load(__u32 btf_id, enum krsi_trial_kind kind,
		    const struct bpf_insn *insns, size_t cnt, char *log,
		    size_t log_size)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .attach_btf_id = btf_id);
	int fd;

	opts.expected_attach_type =
		kind == KRSI_TRIAL_CGROUP ? BPF_LSM_CGROUP : BPF_LSM_MAC;
	if (kind == KRSI_TRIAL_SLEEPABLE)
		opts.prog_flags = BPF_F_SLEEPABLE;
	if (log && log_size) {
		log[0] = '\0';
		opts.log_buf = log;
		opts.log_size = log_size;
		opts.log_level = 1;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_LSM, "krsi_trial", "GPL", insns, cnt,
			   &opts);
	return fd < 0 ? -errno : fd;
}

bool krsi_trial_refused(int err)
{
	return err == -EINVAL || err == -EACCES || err == -EOPNOTSUPP ||
	       err == -ENOTSUPP;
}

int krsi_trial_hook(__u32 btf_id, enum krsi_trial_kind kind)
{
	char log[512];

	return krsi_trial_hook_log(btf_id, kind, log, sizeof(log));
}

int krsi_trial_hook_log(__u32 btf_id, enum krsi_trial_kind kind, char *log,
			size_t log_size)
{
	/* r0 = 0 (no opinion) or, per cgroup, 1 (allow); exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = BPF_REG_0,
		  .imm = kind == KRSI_TRIAL_CGROUP },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	fd = krsi_trial_load(btf_id, kind, insns, 2, log, log_size);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (krsi_trial_refused(fd)) {
		pr_debug("trial load refused (%d): %s\n", fd, log);
		return 0;
	}
	return fd;
}

/* What the verifier says when the call itself is not allowed (5.10-7.3),
 * as opposed to a complaint about the arguments we did not set up. */
static const char *const call_refusals[] = {
	"unknown func",
	"invalid func", /* a helper newer than the kernel, 5.10 */
	"BPF_CALL uses reserved fields", /* no kfunc calls before 5.13 */
	"not allowed",
	"cannot use helper",
	"might sleep",
	"must be sleepable",
	"non-sleepable prog",
	"not supported in this program type",
	"calling kernel function",
};

int krsi_trial_call(__u32 btf_id, enum krsi_trial_kind kind,
		    const struct bpf_insn *call, char *log, size_t log_size)
{
	/* CALL, then r0 = 0 (no opinion) or, per cgroup, 1 (allow); exit */
	struct bpf_insn insns[] = {
		*call,
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = BPF_REG_0,
		  .imm = kind == KRSI_TRIAL_CGROUP },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	unsigned int i;
	int fd;

	fd = krsi_trial_load(btf_id, kind, insns, 3, log, log_size);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (!krsi_trial_refused(fd))
		return fd;
	for (i = 0; i < sizeof(call_refusals) / sizeof(call_refusals[0]); i++)
		if (strstr(log, call_refusals[i]))
			return 0;
	/* No complaint about the arguments: refused before the call. */
	if (!strstr(log, "R1") && !strstr(log, "arg"))
		return -EINVAL;
	return 1; /* the call was accepted; its missing arguments were not */
}
