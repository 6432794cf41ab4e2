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

static int probe_call(const struct krsi_hooks *hs, const struct krsi_hook *h,
		      const struct bpf_insn *call, const char *what,
		      const struct krsi_hook_probe_opts *opts)
{
	enum krsi_trial_kind kind = KRSI_TRIAL_LSM;
	char log[4096];
	int ret;

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
	ret = krsi_trial_call(h->btf_id, kind, call, log, sizeof(log));
	if (ret == 0)
		pr_debug("%s refused on hook %s: %s\n", what, h->name, log);
	else if (ret == -EINVAL)
		pr_warn("hook %s refuses this kind of program, whatever it calls:\n%s\n",
			h->name, log);
	else if (ret < 0)
		pr_warn("cannot probe %s on hook %s: loading failed before verification: %s\n",
			what, h->name, strerror(-ret));
	return ret < 0 ? krsi_err(ret) : ret;
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
