/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by bench_stream.bpf.c and the delivery and formatting benchmarks:
 * the payloads the kernel produces for them. */
#ifndef BENCH_STREAM_H
#define BENCH_STREAM_H

#include <krsi/event.h>

/* The ring: large enough that a fill takes milliseconds to consume. */
#define STREAM_RING_BYTES (32 << 20)

enum stream_type {
	SMALL_TYPE = 1, /* struct small_event */
	LARGE_TYPE = 2, /* struct large_event */
	OPEN_TYPE = 3, /* struct open_event */
};

/* Payloads of 64 and 256 bytes, after the 96-byte header. */
struct small_event {
	__u64 v[8];
};

struct large_event {
	__u64 v[32];
};

/* What a file audit program reports of an open: 144 bytes. */
struct open_event {
	__u32 flags;
	__u32 mode;
	__u64 ino;
	char path[128] KRSI_PATH;
};

/* The path every open_event carries. */
#define OPEN_PATH "/usr/lib/x86_64-linux-gnu/libc.so.6"

struct produce_args {
	__u32 count; /* events to produce */
	__u32 type; /* enum stream_type */
};

#endif /* BENCH_STREAM_H */
