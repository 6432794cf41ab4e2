/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Self-exemption: let the agent's own process through its own policy.
 *
 * The agent stores its identity in krsi_self before attaching:
 *
 *	struct krsi_self_id self;
 *
 *	if (krsi_get_self_id(&self) == 0)
 *		skel->bss->krsi_self = self;
 *
 * and its programs let it pass:
 *
 *	if (krsi_is_self())
 *		return KRSI_ALLOW(ret);
 *
 * krsi_self lives in the object's .bss map, so an agent that restarts
 * while its programs stay attached (pinned) updates it in place. Since the
 * variable then appears in the object's skeleton, user space includes
 * <krsi/self.h> (or <krsi/krsi.h>) before the skeleton; that is also why
 * <krsi/krsi.bpf.h> does not include this header.
 */
#ifndef __KRSI_SELF_BPF_H
#define __KRSI_SELF_BPF_H

#if !defined(__bpf__)
#error "krsi/self.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>
#include <krsi/self.h>

/* The agent, as krsi_get_self_id() describes it; zero exempts nobody. */
struct krsi_self_id krsi_self __weak;

/**
 * krsi_is_self() - whether the current task is a thread of the agent named
 * in krsi_self.
 *
 * Compares the process id as seen in the agent's own pid namespace, so the
 * agent is recognised when it runs in a container. Child processes of the
 * agent are not the agent.
 *
 * Hooks: any. Kernels: 6.1 and later. Sleepable: no need. Cost: one
 * helper call.
 *
 * Return: true for the agent's threads.
 */
static __always_inline bool krsi_is_self(void)
{
	struct bpf_pidns_info ns = {};

	if (!krsi_self.tgid)
		return false;
	/* Fails unless the task is in the agent's pid namespace. */
	if (bpf_get_ns_current_pid_tgid(krsi_self.pidns_dev,
					krsi_self.pidns_ino, &ns, sizeof(ns)))
		return false;
	return ns.tgid == krsi_self.tgid;
}

#endif /* __KRSI_SELF_BPF_H */
