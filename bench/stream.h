/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Events produced in the kernel on demand (progs/bench_stream.bpf.c), for
 * the delivery and formatting benchmarks. */
#ifndef BENCH_STREAM_USER_H
#define BENCH_STREAM_USER_H

#include <linux/types.h>

#include "progs/bench_stream.h"

struct bench_stream_bpf;

/* Open, prepare (krsi_prepare_events()) and load the stream's programs;
 * exits on failure, saying why. */
struct bench_stream_bpf *stream_open(void);

/* Produce up to COUNT events of TYPE; returns how many the ring took. */
__u32 stream_produce(struct bench_stream_bpf *skel, enum stream_type type,
		     __u32 count);

/* Events of TYPE that fill most of the ring: one fill. */
__u32 stream_fill_count(enum stream_type type);

/* The ring's map descriptor. */
int stream_ring_fd(struct bench_stream_bpf *skel);

/* Pin the calling thread to CPU. */
void stream_pin_cpu(int cpu);

#endif /* BENCH_STREAM_USER_H */
