// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The hook flags measured by trial loads on the running kernel: a trivial
 * program on each hook as an LSM program tells whether the hook is
 * disabled; where it loads, a sleepable one and a per-cgroup one tell the
 * other two flags (a disabled hook takes neither). At most three loads per
 * hook, each unloaded at once; nothing is attached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>

#include "hooks_internal.h"

/* Whether this process has the capabilities an LSM program load needs. */
static bool may_load_lsm(void)
{
	__u64 caps;

	if (krsi_effective_caps(&caps))
		return true; /* cannot tell: let the kernel say */
	return caps & 1ULL << CAP_SYS_ADMIN ||
	       (caps & 1ULL << CAP_BPF && caps & 1ULL << CAP_PERFMON);
}

/* Whether a program of KIND loads on BTF_ID, into *LOADED; 0 or -errno. */
static int trial(__u32 btf_id, enum krsi_trial_kind kind, bool *loaded,
		 int *loads)
{
	int ok = krsi_trial_hook(btf_id, kind);

	(*loads)++;
	*loaded = ok > 0;
	return ok < 0 ? ok : 0;
}

int krsi_hooks_measure(struct krsi_hooks *hs, char *why, size_t why_len)
{
	struct krsi_hook *h;
	int loads = 0, err = 0;
	bool *r, *results;
	size_t i;

	if (!may_load_lsm()) {
		snprintf(
			why, why_len,
			"measuring them takes trial loads, which need CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN: run as root once, and the result is cached for everyone");
		return -EPERM;
	}
	/* Measure everything before changing anything: all or nothing.
	 * Per hook: a plain, a sleepable and a per-cgroup program loads. */
	results = calloc(hs->cnt * 3, sizeof(*results));
	if (!results) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < hs->cnt && !err; i++) {
		h = &hs->hooks[i];
		r = &results[3 * i];
		err = trial(h->btf_id, KRSI_TRIAL_LSM, &r[0], &loads);
		/* A disabled hook takes no program of any kind. */
		if (!err && r[0])
			err = trial(h->btf_id, KRSI_TRIAL_SLEEPABLE, &r[1],
				    &loads);
		if (!err && r[0])
			err = trial(h->btf_id, KRSI_TRIAL_CGROUP, &r[2],
				    &loads);
	}
	if (err == -EPERM)
		snprintf(
			why, why_len,
			"this kernel refused a trial load of an LSM program before verification (EPERM): lockdown or a security module forbids BPF LSM programs here");
	else if (err)
		snprintf(why, why_len,
			 "a trial load of an LSM program on hook %s failed: %s",
			 h->name, strerror(-err));
	for (i = 0; i < hs->cnt && !err; i++) {
		h = &hs->hooks[i];
		r = &results[3 * i];
		h->flags[KRSI_HOOK_DISABLED] = r[0] ? KRSI_NO : KRSI_YES;
		h->flags[KRSI_HOOK_SLEEPABLE] = r[1] ? KRSI_YES : KRSI_NO;
		h->flags[KRSI_HOOK_CGROUP] = r[2] ? KRSI_YES : KRSI_NO;
		for (int f = 0; f < KRSI_HOOK_NR_FLAGS; f++)
			h->sources[f] = KRSI_FLAG_MEASURED;
	}
	free(results);
	return err ? err : loads;
}
