// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Events produced in the kernel on demand: see stream.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "bench.h"
#include "stream.h"
#include "bench_stream.skel.h"

struct bench_stream_bpf *stream_open(void)
{
	struct bench_stream_bpf *skel = bench_stream_bpf__open();
	int err;

	if (!skel)
		bench_die("cannot open the stream programs: %s",
			  strerror(errno));
	err = krsi_prepare_events(skel->obj);
	if (!err)
		err = bench_stream_bpf__load(skel);
	if (err)
		bench_die(
			"cannot load the stream programs (syscall programs need CAP_BPF and CAP_PERFMON, or root): %s",
			strerror(-err));
	return skel;
}

__u32 stream_produce(struct bench_stream_bpf *skel, enum stream_type type,
		     __u32 count)
{
	struct produce_args args = { .count = count, .type = type };
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));

	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.produce), &run))
		bench_die("running the stream program failed: %s",
			  strerror(errno));
	return skel->bss->produced;
}

static __u32 payload_size(enum stream_type type)
{
	switch (type) {
	case SMALL_TYPE:
		return sizeof(struct small_event);
	case LARGE_TYPE:
		return sizeof(struct large_event);
	default:
		return sizeof(struct open_event);
	}
}

__u32 stream_fill_count(enum stream_type type)
{
	/* each record: the ring's 8-byte header, ours, the payload */
	__u32 rec = (8 + sizeof(struct krsi_event_header) + payload_size(type) +
		     7) &
		    ~7u;

	return STREAM_RING_BYTES / rec * 9 / 10;
}

int stream_ring_fd(struct bench_stream_bpf *skel)
{
	return bpf_map__fd(skel->maps.stream);
}

void stream_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		bench_die("cannot pin to CPU %d: %s", cpu, strerror(errno));
}
