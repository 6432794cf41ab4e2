/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by audit_stream.bpf.c and test_audit_stream.c: payloads and the
 * arguments of the syscall programs. */
#ifndef AUDIT_STREAM_H
#define AUDIT_STREAM_H

#ifndef __VMLINUX_H__
#include <stdbool.h>
#endif
#include <krsi/event.h>

#define SAMPLE_TYPE 1
#define TINY_TYPE 2

enum sample_kind {
	SAMPLE_READ = 1,
	SAMPLE_WRITE = 2,
	SAMPLE_NEGATIVE = -3,
};

struct sample_inner {
	__u16 port;
	__s8 level;
	char tag[4];
};

/* One field of every kind the consumer renders. */
struct sample_event {
	__u64 big;
	__s32 neg;
	enum sample_kind kind;
	enum sample_kind unknown_kind;
	enum sample_kind negative_kind;
	bool flag;
	char name[8];
	char escaped[16];
	char path[32] KRSI_PATH;
	__u32 daddr KRSI_IPV4;
	__u8 daddr6[16] KRSI_IPV6;
	__u8 digest[8] KRSI_HEX;
	__u16 ports[3];
	struct sample_inner inner;
	struct sample_inner pair[2];
	__u32 low : 3, high : 5;
	__s32 sbits : 4;
	__u32 pid; /* a header key: in text, data.pid */
};

struct tiny_event {
	__u32 n;
};

/* audit_stream_v2.bpf.c's tiny event: of the same type and size, another
 * name and field, as a replaced policy's new version may declare. */
struct tiny_v2_event {
	__u32 count;
};

/* The ring buffer of one page: a tiny event takes 112 bytes of it. */
#define SMALL_RING_BYTES 4096
#define SMALL_RING_EVENTS (SMALL_RING_BYTES / 112)

struct emit_args {
	__u32 count; /* events to try, at most 256 */
	__u32 on_small; /* tiny events on the small ring, not samples */
	__u32 policy;
	__s32 verdict;
	__u32 monitor;
	__u32 discard; /* give the events back instead of submitting them */
	__u64 timestamp_ns; /* if set, replaces the real stamp */
};

#define RAW_MAX 252

struct raw_args {
	__u32 len;
	__u8 data[RAW_MAX];
};

#endif /* AUDIT_STREAM_H */
