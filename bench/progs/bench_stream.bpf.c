// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A stream of audit events produced in the kernel on demand: a `syscall`
 * program, run with bpf_prog_test_run(), reports COUNT events of one type
 * through <krsi/event.bpf.h>, as an LSM program would.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <krsi/krsi.bpf.h>

#include "bench_stream.h"

KRSI_EVENT_RING(stream, STREAM_RING_BYTES);

KRSI_EVENT_TYPE(small, SMALL_TYPE, struct small_event);
KRSI_EVENT_TYPE(large, LARGE_TYPE, struct large_event);
KRSI_EVENT_TYPE(file_open, OPEN_TYPE, struct open_event);

/* Events the last run reserved. */
__u32 produced;

static long produce_one(__u64 i, void *ctx)
{
	__u32 type = *(__u32 *)ctx;
	void *e;

	if (type == SMALL_TYPE) {
		struct small_event *s = krsi_event_reserve(
			stream, file_open, SMALL_TYPE, struct small_event);

		if (s)
			__builtin_memset(s->v, (__u8)i, sizeof(s->v));
		e = s;
	} else if (type == LARGE_TYPE) {
		struct large_event *l = krsi_event_reserve(
			stream, file_open, LARGE_TYPE, struct large_event);

		if (l)
			__builtin_memset(l->v, (__u8)i, sizeof(l->v));
		e = l;
	} else {
		struct open_event *o = krsi_event_reserve(
			stream, file_open, OPEN_TYPE, struct open_event);

		if (o) {
			o->flags = 0x80000; /* O_RDONLY | O_CLOEXEC */
			o->mode = 0;
			o->ino = 1000 + i;
			__builtin_memset(o->path, 0, sizeof(o->path));
			__builtin_memcpy(o->path, OPEN_PATH, sizeof(OPEN_PATH));
		}
		e = o;
	}
	if (!e)
		return 1; /* the ring is full: stop */
	produced++;
	krsi_event_submit(e, 1, KRSI_EVENT_ENFORCE, 0);
	return 0;
}

SEC("syscall")
int produce(struct produce_args *args)
{
	__u32 type = args->type;

	produced = 0;
	bpf_loop(args->count, produce_one, &type, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
