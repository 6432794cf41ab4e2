// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * agent-shield: protect a security agent from the users of its own
 * machine, root included. Other processes may not
 *
 *	signal it		task_kill (signal 0, which only tests that
 *				it exists, is allowed)
 *	ptrace it		ptrace_access_check, attach mode: ptrace(),
 *				/proc/PID/mem, process_vm_readv()...
 *	open its BPF maps	bpf_map: by id, or from a pin
 *	open its programs	bpf_prog: by id, or from a pin
 *	open its links		bpf: BPF_LINK_GET_FD_BY_ID
 *
 * Let through: the agent itself (krsi_is_self()); its parent, for signals
 * only, so its supervisor (systemd, a shell) can still stop it; and the
 * tasks of the cgroups given with --allow-cgroup.
 *
 * The agent names itself two ways. krsi_self (from krsi_get_self_id())
 * recognises the current task as the agent in whatever pid namespace it
 * runs. A hook whose target is another task needs the agent's process id
 * as the kernel sees it: the loader runs register_agent(), a syscall
 * program, which records the id of the process that runs it.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/self.bpf.h>

#include "../common/agent.bpf.h"
#include "agent-shield.h"

/* The policy's number in its events. */
#define SHIELD_POLICY_ID 6

/* From <linux/ptrace.h>. */
#define PTRACE_MODE_ATTACH 0x02

KRSI_POLICY_MAPS();
KRSI_CGROUP_SET(exempt, 64);
KRSI_EVENT_RING(events, 256 * 1024);

/* The agent's BPF objects, filled by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct shield_key);
	__type(value, __u8);
} shielded SEC(".maps");

/* The agent's process id in the initial pid namespace. */
__u32 agent_tgid;

enum shield_op {
	SHIELD_SIGNAL = 1,
	SHIELD_PTRACE,
	SHIELD_BPF_MAP,
	SHIELD_BPF_PROG,
	SHIELD_BPF_LINK,
};

struct shield_event {
	enum shield_op op;
	__u32 agent; /* the agent's process id */
	__u32 detail; /* the signal, the ptrace mode, or the object's id */
};

enum { SHIELD_EVENT = 1 };
KRSI_EVENT_TYPE(shield, SHIELD_EVENT, struct shield_event);

SEC("syscall")
int register_agent(void *ctx)
{
	agent_tgid = krsi_current_tgid();
	return 0;
}

/* The agent's own threads, and tasks of an exempt cgroup, pass. */
static __always_inline bool exempt_task(void)
{
	struct krsi_snap snap;
	int hit, err;

	if (krsi_is_self())
		return true;
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_cgroup_set_match(&exempt, &snap,
					    krsi_current_cgroup_id(), NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	return !err && hit > 0;
}

static __always_inline bool is_agent(const struct task_struct *task)
{
	return agent_tgid && BPF_CORE_READ(task, tgid) == agent_tgid;
}

static __always_inline bool is_shielded(enum shield_kind kind, __u32 id)
{
	struct shield_key key = { .kind = kind, .id = id };

	return agent_tgid && bpf_map_lookup_elem(&shielded, &key);
}

/* Deny OP (with DETAIL) to the current task, from HOOK. */
#define deny(hook, op_, detail_)                                              \
	({                                                                    \
		enum krsi_event_mode mode;                                    \
		struct shield_event *e;                                       \
		int ret_ = agent_decide(-EPERM, &mode);                       \
                                                                              \
		e = krsi_event_reserve(events, hook, SHIELD_EVENT,            \
				       struct shield_event);                  \
		if (e) {                                                      \
			e->op = op_;                                          \
			e->agent = agent_tgid;                                \
			e->detail = detail_;                                  \
			krsi_event_submit(e, SHIELD_POLICY_ID, mode, -EPERM); \
		}                                                             \
		ret_;                                                         \
	})

SEC("lsm/task_kill")
int BPF_PROG(shield_signal, struct task_struct *p, struct kernel_siginfo *info,
	     int sig, const struct cred *cred, int ret)
{
	if (ret || !sig || !is_agent(p) || exempt_task())
		return ret;
	/* Its supervisor may stop it. */
	if (BPF_CORE_READ(p, real_parent, tgid) == krsi_current_tgid())
		return 0;
	return deny(task_kill, SHIELD_SIGNAL, sig);
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(shield_ptrace, struct task_struct *child, unsigned int mode,
	     int ret)
{
	/* Read access (ps, /proc/PID/stat) stays allowed. */
	if (ret || !(mode & PTRACE_MODE_ATTACH) || !is_agent(child) ||
	    exempt_task())
		return ret;
	return deny(ptrace_access_check, SHIELD_PTRACE, mode);
}

SEC("lsm/bpf_map")
int BPF_PROG(shield_map, struct bpf_map *map, fmode_t fmode, int ret)
{
	__u32 id = BPF_CORE_READ(map, id);

	if (ret || !is_shielded(SHIELD_MAP, id) || exempt_task())
		return ret;
	return deny(bpf_map, SHIELD_BPF_MAP, id);
}

SEC("lsm/bpf_prog")
int BPF_PROG(shield_prog, struct bpf_prog *prog, int ret)
{
	__u32 id = BPF_CORE_READ(prog, aux, id);

	if (ret || !is_shielded(SHIELD_PROG, id) || exempt_task())
		return ret;
	return deny(bpf_prog, SHIELD_BPF_PROG, id);
}

/*
 * Links have no hook of their own: their ids are judged at the command.
 * The hook has a fourth argument from 6.15 (bool kernel), so its ret comes
 * from krsi_hook_ret(), not from a BPF_PROG() argument.
 */
SEC("lsm/bpf")
int BPF_PROG(shield_link, int cmd, union bpf_attr *attr, unsigned int size)
{
	int ret = krsi_hook_ret(bpf, 3);
	__u32 id;

	if (ret || cmd != BPF_LINK_GET_FD_BY_ID)
		return ret;
	id = BPF_CORE_READ(attr, link_id);
	if (!is_shielded(SHIELD_LINK, id) || exempt_task())
		return ret;
	return deny(bpf, SHIELD_BPF_LINK, id);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
