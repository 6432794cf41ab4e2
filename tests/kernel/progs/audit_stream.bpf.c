// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Events produced for real in the kernel, on demand: `syscall` programs run
 * with bpf_prog_test_run() report known events (every kind of payload field
 * the consumer renders), bursts larger than a ring, and raw records as a
 * broken program might write them.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <krsi/krsi.bpf.h>

#include "audit_stream.h"

KRSI_EVENT_RING(events, 64 * 1024);
KRSI_EVENT_RING(small, SMALL_RING_BYTES);

KRSI_EVENT_TYPE(sample, SAMPLE_TYPE, struct sample_event);
KRSI_EVENT_TYPE(tiny, TINY_TYPE, struct tiny_event);

/* How many events the last run of emit() reserved. */
__u32 reserved;

/* Where emit_raw() copies the caller's bytes: helpers take no context. */
__u8 raw_buf[RAW_MAX];

static void fill_sample(struct sample_event *e)
{
	int i;

	e->big = 18446744073709551615ULL;
	e->neg = -42;
	e->kind = SAMPLE_WRITE;
	e->unknown_kind = (enum sample_kind)7;
	e->negative_kind = SAMPLE_NEGATIVE;
	e->flag = true;
	__builtin_memcpy(e->name, "krsi\0xyz", 8);
	__builtin_memcpy(e->escaped, "a\"b\\c\nd\x01\xc3\xa9\xff\0\0\0\0", 16);
	__builtin_memset(e->path, 0, sizeof(e->path));
	__builtin_memcpy(e->path, "/etc/shadow", 12);
	e->daddr = bpf_htonl(0xc0000201); /* 192.0.2.1 */
	__builtin_memset(e->daddr6, 0, 16); /* 2001:db8::1 */
	e->daddr6[0] = 0x20;
	e->daddr6[1] = 0x01;
	e->daddr6[2] = 0x0d;
	e->daddr6[3] = 0xb8;
	e->daddr6[15] = 1;
	for (i = 0; i < 8; i++)
		e->digest[i] = i * 0x11 + 0x0f;
	e->ports[0] = 22;
	e->ports[1] = 80;
	e->ports[2] = 443;
	e->inner.port = 8080;
	e->inner.level = -1;
	__builtin_memcpy(e->inner.tag, "in", 3);
	e->pair[0] = e->inner;
	e->pair[1].port = 1;
	e->pair[1].level = 2;
	__builtin_memcpy(e->pair[1].tag, "abcd", 4);
	e->low = 5;
	e->high = 17;
	e->sbits = -3;
	e->pid = 4242;
}

static void set_timestamp(void *payload, __u64 ts)
{
	if (payload && ts)
		((struct krsi_event_header *)payload - 1)->timestamp_ns = ts;
}

SEC("syscall")
int emit(struct emit_args *args)
{
	__u32 i, count = args->count, mode;

	mode = args->monitor ? KRSI_EVENT_MONITOR : KRSI_EVENT_ENFORCE;
	reserved = 0;
	for (i = 0; i < 256 && i < count; i++) {
		if (args->on_small) {
			struct tiny_event *t;

			t = krsi_event_reserve(small, bprm_check_security,
					       TINY_TYPE, struct tiny_event);
			if (t) {
				t->n = i;
				reserved++;
			}
			set_timestamp(t, args->timestamp_ns);
			if (args->discard)
				krsi_event_discard(t);
			else
				krsi_event_submit(t, args->policy, mode,
						  args->verdict);
		} else {
			struct sample_event *e;

			e = krsi_event_reserve(events, file_open, SAMPLE_TYPE,
					       struct sample_event);
			if (e) {
				fill_sample(e);
				reserved++;
			}
			set_timestamp(e, args->timestamp_ns);
			krsi_event_submit(e, args->policy, mode, args->verdict);
		}
	}
	return 0;
}

SEC("syscall")
int emit_raw(struct raw_args *args)
{
	__u32 len = args->len;

	if (len > sizeof(raw_buf))
		return -1;
	bpf_probe_read_kernel(raw_buf, sizeof(raw_buf), args->data);
	return bpf_ringbuf_output(&events, raw_buf, len, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
