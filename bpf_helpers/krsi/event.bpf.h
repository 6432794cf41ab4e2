/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Audit events from BPF programs: a ring buffer with drop counters, the
 * standard header filled for you, the payload your own struct.
 *
 *	KRSI_EVENT_RING(events, 256 * 1024);
 *
 *	struct open_event {
 *		__u32 flags;
 *		char path[256] KRSI_PATH;
 *	};
 *	KRSI_EVENT_TYPE(file_open, 1, struct open_event);
 *
 *	SEC("lsm/file_open")
 *	int BPF_PROG(audit_open, struct file *file, int ret)
 *	{
 *		bool deny = forbidden(file);	// decided without the event
 *		struct open_event *e;
 *
 *		e = krsi_event_reserve(events, file_open, 1, struct open_event);
 *		if (e) {
 *			e->flags = file->f_flags;
 *			bpf_d_path((struct path *)&file->f_path, e->path,
 *				   sizeof(e->path));
 *			krsi_event_submit(e, POLICY_ID, KRSI_EVENT_ENFORCE,
 *					  deny ? -EACCES : 0);
 *		}
 *		return deny ? KRSI_DENY(ret, EACCES) : KRSI_ALLOW(ret);
 *	}
 *
 * Test a reserved event for NULL once, and submit it inside that test, as
 * here. Build with -O2: there clang merges that test with the reserve's
 * own. At -O1 it tests the record again, and the 5.10 and 6.1 verifiers,
 * which do not know that a reserved record found non-NULL stays so, follow
 * the second test's NULL branch with the record still reserved and refuse
 * the program ("Unreleased reference"; measured with
 * tests/kernel/progs/verdict_shapes.bpf.c; 6.12 and 7.3 accept it).
 *
 * The consumer (<krsi/audit.h>) finds each event type's name and payload
 * struct in the object's BTF, so it formats new events without new code.
 * docs/audit.md tells the whole story.
 *
 * Reporting never changes a verdict: when the ring buffer is full, the
 * reserve returns NULL, the event is counted in the ring's per-CPU drop
 * counter, and the program carries on; krsi_event_submit(NULL, ...) does
 * nothing. The consumer reports every dropped event.
 *
 * Works in every hook, in program types with ring buffers (lsm/,
 * lsm_cgroup/, fentry, syscall), sleepable or not (lsm.s/), on kernels from
 * 5.10 (the task is read through krsi_current_task()); tested in
 * lsm/file_open, lsm.s/bprm_check_security and syscall programs on 5.10,
 * 6.1, 6.12 and 7.3, where each kernel has them. The
 * field markers reach a consumer reading BTF from the kernel (pinned
 * maps) on kernels with BTF declaration tags (5.16 and later: feature
 * btf_decl_tag of krsi probe --features); from the object's own BTF, on
 * all.
 */
#ifndef __KRSI_EVENT_BPF_H
#define __KRSI_EVENT_BPF_H

#if !defined(__bpf__)
#error "krsi/event.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <krsi/event.h>
#include <krsi/task.bpf.h>

/*
 * KRSI_EVENT_RING(NAME, BYTES): declare, at file scope, a ring buffer map
 * NAME of BYTES (a power of two, at least the page size) for events, and
 * NAME_drops, its per-CPU counter of events that could not be reserved.
 * The consumer finds the counter by that name.
 *
 * It also declares NAME_wakeup_bytes, a .rodata variable (a skeleton's
 * rodata->NAME_wakeup_bytes, set before load): the ring's fill threshold.
 * Events are submitted with the ring's own notification, which wakes the
 * consumer only for the first record after it caught up, so a consumer
 * that lets events gather once woken (krsi_audit__run(), see
 * krsi_audit__set_batch_delay()) is not woken again for each; an event
 * whose record brings the data waiting past a multiple of
 * NAME_wakeup_bytes forces a wakeup, so that a burst is read before the
 * ring overflows. Default: a quarter of the ring; 0 never forces one.
 */
#define KRSI_EVENT_RING(name, bytes)                     \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_RINGBUF);      \
		__uint(max_entries, bytes);              \
	} name SEC(".maps");                             \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, 1);                  \
		__type(key, __u32);                      \
		__type(value, __u64);                    \
	} name##_drops SEC(".maps");                     \
	const volatile __u64 name##_wakeup_bytes = (bytes) / 4

/*
 * KRSI_EVENT_TYPE(NAME, TYPE, PAYLOAD): declare, at file scope, that events
 * of type TYPE (an integer constant below KRSI_EVENT_TYPE_RESERVED) are
 * called NAME (an identifier; it names the event in every output format)
 * and carry a PAYLOAD (a struct type). It costs 8 bytes of .rodata, and
 * records in the object's BTF a variable __krsi_event__NAME of type
 *
 *	struct { int (*type)[TYPE]; PAYLOAD payload[0]; }
 *
 * which is how the consumer learns the pair (the array length carries the
 * number, as in libbpf's BTF-defined maps).
 */
#define KRSI_EVENT_TYPE(name, type_nr, payload_type)         \
	static const volatile struct {                       \
		int (*type)[type_nr];                        \
		payload_type payload[0];                     \
	} __krsi_event__##name __attribute__((used));        \
	_Static_assert((type_nr) < KRSI_EVENT_TYPE_RESERVED, \
		       "event type " #name " is in the reserved range")

/*
 * The BTF id of bpf_lsm_HOOK in the running kernel, as set before load by
 * krsi_prepare_events() (<krsi/audit.h>), which finds each use by the
 * name of this static .rodata variable; 0 if it was not called.
 */
#define __krsi_hook_id(hook)                                     \
	({                                                       \
		static const volatile __u32 __krsi_hook__##hook; \
		__krsi_hook__##hook;                             \
	})

/* The task's identity comes from <krsi/task.bpf.h>, all CO-RE. */
static __always_inline void __krsi_event_fill(struct krsi_event_header *hdr,
					      __u32 size, __u32 type,
					      __u32 hook_id, __u64 lost)
{
	hdr->size = size;
	hdr->version = KRSI_EVENT_VERSION;
	hdr->reserved = 0;
	hdr->type = type;
	hdr->hook_id = hook_id;
	hdr->policy_id = 0;
	hdr->err = 0;
	hdr->verdict = KRSI_EVENT_ALLOW;
	hdr->mode = KRSI_EVENT_ENFORCE;
	hdr->reserved2 = 0;
	hdr->cpu = bpf_get_smp_processor_id();
	hdr->timestamp_ns = bpf_ktime_get_boot_ns();
	hdr->lost = lost;
	hdr->cgroup_id = krsi_current_cgroup_id();
	hdr->pid = krsi_current_tgid();
	hdr->tid = krsi_current_pid();
	hdr->uid = krsi_current_uid();
	hdr->gid = krsi_current_gid();
	hdr->euid = krsi_current_euid();
	hdr->loginuid = krsi_current_loginuid();
	krsi_current_comm(&hdr->comm);
}

/*
 * The submit flags of a record of SIZE bytes just reserved on RING: a
 * forced wakeup if the data waiting (the record included) crossed a
 * multiple of WAKEUP bytes (0: never), else the ring's own notification.
 * Kept in the header's reserved field until krsi_event_submit().
 */
static __always_inline __u16 __krsi_event_wakeup(void *ring, __u32 size,
						 __u64 wakeup)
{
	__u64 avail;

	if (!wakeup)
		return 0;
	avail = bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA);
	if (avail < wakeup || avail < size)
		return 0;
	return avail / wakeup != (avail - size) / wakeup ? BPF_RB_FORCE_WAKEUP
							 : 0;
}

static __always_inline void *__krsi_event_reserve(void *ring, void *drops,
						  __u32 size, __u32 type,
						  __u32 hook_id, __u64 wakeup)
{
	struct krsi_event_header *hdr;
	__u32 zero = 0;
	__u64 *lost;

	lost = bpf_map_lookup_elem(drops, &zero);
	hdr = bpf_ringbuf_reserve(ring, size, 0);
	if (!hdr) {
		if (lost)
			__sync_fetch_and_add(lost, 1);
		return NULL;
	}
	__krsi_event_fill(hdr, size, type, hook_id, lost ? *lost : 0);
	hdr->reserved = __krsi_event_wakeup(ring, size, wakeup);
	return hdr + 1;
}

/*
 * krsi_event_reserve(RING, HOOK, TYPE, PAYLOAD): reserve an event of type
 * TYPE with a PAYLOAD (a struct type, as declared with KRSI_EVENT_TYPE())
 * on RING (declared with KRSI_EVENT_RING()), reported as coming from the
 * LSM hook HOOK (an identifier, such as file_open). Fills the header from
 * the current task and returns a pointer to the payload, for the program
 * to fill; or NULL, having counted the drop, when RING is full.
 *
 * Costs one ring buffer reservation, one map lookup, about ten helper
 * calls (one more to query the ring's fill) and three reads of the current
 * task.
 */
#define krsi_event_reserve(ring, hook, type, payload_type)                     \
	((payload_type *)__krsi_event_reserve(                                 \
		&ring, &ring##_drops,                                          \
		sizeof(struct krsi_event_header) + sizeof(payload_type), type, \
		__krsi_hook_id(hook), ring##_wakeup_bytes))

/*
 * Submit an event reserved by krsi_event_reserve(), recording the decision
 * of policy POLICY_ID: VERDICT is 0 (allow) or a negative errno (deny),
 * MODE is KRSI_EVENT_ENFORCE or KRSI_EVENT_MONITOR (the denial was only
 * reported). Does nothing when PAYLOAD is NULL. Returns nothing: the
 * program's return value is its own. Wakes the consumer as
 * KRSI_EVENT_RING() says.
 */
static __always_inline void krsi_event_submit(void *payload, __u32 policy_id,
					      enum krsi_event_mode mode,
					      int verdict)
{
	struct krsi_event_header *hdr;
	__u64 flags;

	if (!payload)
		return;
	hdr = (struct krsi_event_header *)payload - 1;
	flags = hdr->reserved;
	hdr->reserved = 0;
	hdr->policy_id = policy_id;
	hdr->verdict = verdict ? KRSI_EVENT_DENY : KRSI_EVENT_ALLOW;
	hdr->err = verdict < 0 ? -verdict : 0;
	hdr->mode = mode;
	bpf_ringbuf_submit(hdr, flags);
}

/* Give back an event reserved by krsi_event_reserve() without reporting
 * it. Does nothing when PAYLOAD is NULL. */
static __always_inline void krsi_event_discard(void *payload)
{
	if (payload)
		bpf_ringbuf_discard((struct krsi_event_header *)payload - 1, 0);
}

#endif /* __KRSI_EVENT_BPF_H */
