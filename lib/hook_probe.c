// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * May a program on this hook call this helper or kfunc? libbpf's
 * libbpf_probe_bpf_helper() cannot tell for LSM programs, which need a
 * hook to load at all, so libkrsi loads one calling it, on the hook, and
 * reads the verifier's reason when it refuses.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "hooks_internal.h"

/* What the verifier says when the call itself is not allowed (5.10-7.3),
 * as opposed to a complaint about the arguments we did not set up. */
static const char *const refusals[] = {
	"unknown func",
	"invalid func", /* a helper newer than the kernel, 5.10 */
	"BPF_CALL uses reserved fields", /* no kfunc calls before 5.13 */
	"not allowed",
	"cannot use helper",
	"might sleep",
	"must be sleepable",
	"non-sleepable prog",
	"not supported in this program type",
};

static int probe_call(const struct krsi_hooks *hs, const struct krsi_hook *h,
		      const struct bpf_insn *call, const char *what,
		      const struct krsi_hook_probe_opts *opts)
{
	struct bpf_insn insns[] = {
		*call,
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	enum krsi_trial_kind kind = KRSI_TRIAL_LSM;
	char log[4096];
	unsigned int i;
	int fd;

	if (!hs || !h || !OPTS_VALID(opts, krsi_hook_probe_opts, cgroup))
		return krsi_err(-EINVAL);
	if (hs->from_file) {
		pr_warn("probing %s on hook %s needs the running kernel's catalog, not one read from a BTF file\n",
			what, h->name);
		return krsi_err(-EINVAL);
	}
	if (OPTS_GET(opts, sleepable, false) && OPTS_GET(opts, cgroup, false)) {
		pr_warn("probing %s: a program is either sleepable or per-cgroup, not both\n",
			what);
		return krsi_err(-EINVAL);
	}
	if (OPTS_GET(opts, sleepable, false))
		kind = KRSI_TRIAL_SLEEPABLE;
	else if (OPTS_GET(opts, cgroup, false))
		kind = KRSI_TRIAL_CGROUP;
	if (kind == KRSI_TRIAL_CGROUP)
		insns[1].imm = 1;
	fd = krsi_trial_load(h->btf_id, kind, insns, 3, log, sizeof(log));
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (!krsi_trial_refused(fd)) {
		pr_warn("cannot probe %s on hook %s: loading failed before verification: %s\n",
			what, h->name, strerror(-fd));
		return krsi_err(fd);
	}
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (strstr(log, refusals[i])) {
			pr_debug("%s refused on hook %s: %s\n", what, h->name,
				 log);
			return 0;
		}
	if (!strstr(log, "R1") && !strstr(log, "arg")) {
		/* Refused before the call: the hook itself, not the call. */
		pr_warn("hook %s refuses this kind of program, whatever it calls:\n%s\n",
			h->name, log);
		return krsi_err(-EINVAL);
	}
	return 1; /* the call was accepted; its missing arguments were not */
}

int krsi_hook__probe_helper(const struct krsi_hooks *hs,
			    const struct krsi_hook *h, unsigned int helper,
			    const struct krsi_hook_probe_opts *opts)
{
	struct bpf_insn call = { .code = BPF_JMP | BPF_CALL, .imm = helper };
	char what[32];

	snprintf(what, sizeof(what), "helper %u", helper);
	return probe_call(hs, h, &call, what, opts);
}

int krsi_hook__probe_kfunc(const struct krsi_hooks *hs,
			   const struct krsi_hook *h, const char *kfunc,
			   const struct krsi_hook_probe_opts *opts)
{
	struct bpf_insn call = { .code = BPF_JMP | BPF_CALL,
				 .src_reg = BPF_PSEUDO_KFUNC_CALL };
	int id;

	if (!hs || !h || !kfunc ||
	    !OPTS_VALID(opts, krsi_hook_probe_opts, cgroup))
		return krsi_err(-EINVAL);
	id = krsi_btf__find(hs->btf, kfunc, BTF_KIND_FUNC);
	if (id < 0) {
		pr_warn("this kernel has no function %s in its BTF: no such kfunc\n",
			kfunc);
		return krsi_err(-ENOENT);
	}
	call.imm = id;
	return probe_call(hs, h, &call, kfunc, opts);
}
