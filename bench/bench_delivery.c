// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Event delivery: libkrsi's audit consumer against libbpf's ring_buffer on
 * the same stream of events, produced in the kernel by a `syscall` program,
 * with a callback that does nothing.
 *
 * - drain: the ring is filled, then one consuming call empties it; the
 *   consumer's cost per record, on one CPU.
 * - streaming: a producer on one CPU reports events while the consumer
 *   busy-polls on the other: the producer's cost per record, which is what
 *   the consumer's stores of its position (one cache line the producer
 *   reads at every reservation) cost the kernel.
 *
 * Built twice: as is, and with BENCH_POS_EVERY_RECORD, linked with a
 * consumer that stores its position after every record as libbpf does
 * (CONSUMER_POS_BATCH=1), to show what batching the stores changes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "bench.h"
#include "stream.h"
#include "bench_stream.skel.h"

#ifdef BENCH_POS_EVERY_RECORD
#define VARIANT " (position stored per record)"
#else
#define VARIANT ""
#endif

/* Events each streaming measurement produces, in runs of STREAM_CHUNK. */
#define STREAM_TOTAL 200000
#define STREAM_CHUNK 2048

struct consumers {
	struct bench_stream_bpf *skel;
	struct krsi_audit *audit;
	struct ring_buffer *rb;
};

static int krsi_noop(void *ctx, const struct krsi_audit_record *rec)
{
	(void)ctx;
	(void)rec;
	return 0;
}

static int libbpf_noop(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* One consuming pass of the chosen consumer; returns records. */
static long consume(struct consumers *c, bool krsi)
{
	long n = krsi ? krsi_audit__consume(c->audit)
		      : ring_buffer__consume(c->rb);

	if (n < 0)
		bench_die("consuming failed: %s", strerror((int)-n));
	return n;
}

/*
 * Fill the ring with events of TYPE and empty it with one consuming call,
 * CHUNK events at a time until the ring's worth is delivered; ns per
 * record. A small chunk stays in the caches between the producer and the
 * consumer; the whole ring (32 MiB) does not.
 */
static double drain(struct consumers *c, enum stream_type type, bool krsi,
		    __u32 chunk)
{
	__u32 total = stream_fill_count(type), done = 0;
	double ns = 0;

	if (!chunk || chunk > total)
		chunk = total;
	while (done < total) {
		__u32 n = stream_produce(c->skel, type, chunk);
		double t0 = bench_now();
		long got = consume(c, krsi);

		ns += bench_now() - t0;
		if (got != (long)n)
			bench_die("%s delivered %ld of %u records",
				  krsi ? "libkrsi" : "libbpf", got, n);
		done += n;
	}
	return ns / done;
}

/* Cached: runs of this many events (about 350 KiB of small records). */
#define HOT_CHUNK 2048

static double drain_hot(struct consumers *c, enum stream_type type, bool krsi)
{
	return drain(c, type, krsi, HOT_CHUNK);
}

static double drain_cold(struct consumers *c, enum stream_type type, bool krsi)
{
	return drain(c, type, krsi, 0);
}

struct producer {
	struct consumers *c;
	enum stream_type type;
	__u64 produced;
	double ns;
	volatile bool done;
};

static void *produce_thread(void *arg)
{
	struct producer *p = arg;
	double t0;

	stream_pin_cpu(1);
	t0 = bench_now();
	/* a full ring makes a run stop early: the rest counts as dropped */
	while (p->produced < STREAM_TOTAL)
		p->produced +=
			stream_produce(p->c->skel, p->type, STREAM_CHUNK);
	p->ns = bench_now() - t0;
	__atomic_store_n(&p->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* Events libkrsi delivered so far (lost records are not events). */
static __u64 krsi_delivered(struct consumers *c)
{
	struct krsi_audit_stats st = { .sz = sizeof(st) };

	krsi_audit__stats(c->audit, &st);
	return st.delivered;
}

/* Produce on CPU 1 while consuming on CPU 0; the producer's ns per event. */
static double stream(struct consumers *c, enum stream_type type, bool krsi)
{
	struct producer p = { .c = c, .type = type };
	__u64 got = 0, base = krsi ? krsi_delivered(c) : 0;
	pthread_t t;

	if (pthread_create(&t, NULL, produce_thread, &p))
		bench_die("cannot start the producer thread");
	while (!__atomic_load_n(&p.done, __ATOMIC_ACQUIRE) ||
	       got < p.produced) {
		if (krsi) {
			consume(c, true);
			got = krsi_delivered(c) - base;
		} else {
			got += consume(c, false);
		}
	}
	pthread_join(t, NULL);
	if (got != p.produced)
		bench_die("streaming: %llu delivered of %llu",
			  (unsigned long long)got,
			  (unsigned long long)p.produced);
	return p.ns / p.produced;
}

/* Measure MEASURE for both consumers, alternating, REPS times after a
 * warm-up; report the libkrsi/libbpf throughput ratio. */
static void compare(struct consumers *c, enum stream_type type,
		    double (*measure)(struct consumers *, enum stream_type,
				      bool),
		    const char *what, const char *name, enum bench_cmp cmp,
		    double target, int reps)
{
	double ratio[reps], kns[reps], lns[reps];
	struct bench_stats k, l;
	int i;

	measure(c, type, true);
	measure(c, type, false);
	for (i = 0; i < reps; i++) {
		kns[i] = measure(c, type, true);
		lns[i] = measure(c, type, false);
		ratio[i] = lns[i] / kns[i];
	}
	k = bench_stats(kns, reps);
	l = bench_stats(lns, reps);
	bench_row(
		"delivery", name, bench_stats(ratio, reps), "x", cmp, target,
		"",
		"libkrsi/libbpf throughput, no-op callback; %s: libkrsi %.1f ns, libbpf %.1f ns per record",
		what, k.med, l.med);
}

int main(void)
{
	static const struct {
		enum stream_type type;
		const char *payload;
	} sizes[] = { { SMALL_TYPE, "64" }, { LARGE_TYPE, "256" } };
	KRSI_OPTS(krsi_audit_opts, opts, .format = KRSI_AUDIT_CALLBACK,
		  .callback = krsi_noop);
	struct consumers c = { 0 };
	int reps = bench_reps(11);
	char name[128];
	size_t i;

	bench_quiet_logs();
	bench_env();
	stream_pin_cpu(0);
	c.skel = stream_open();
	c.audit = krsi_audit__new(&opts);
	if (!c.audit ||
	    krsi_audit__add_ring(c.audit, c.skel->obj, "stream", NULL))
		bench_die("cannot make the libkrsi consumer: %s",
			  strerror(errno));
	c.rb = ring_buffer__new(stream_ring_fd(c.skel), libbpf_noop, NULL,
				NULL);
	if (!c.rb)
		bench_die("cannot make libbpf's ring_buffer: %s",
			  strerror(errno));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "consumer, %s B payload, cached%s",
			 sizes[i].payload, VARIANT);
		compare(&c, sizes[i].type, drain_hot, "consumer", name,
			BENCH_GE, 0.8, reps);
		snprintf(name, sizeof(name),
			 "consumer, %s B payload, 32 MiB backlog%s",
			 sizes[i].payload, VARIANT);
		compare(&c, sizes[i].type, drain_cold, "consumer", name,
			BENCH_GE, 0.8, reps);
	}
	snprintf(name, sizeof(name), "producer, consumer on another CPU%s",
		 VARIANT);
	compare(&c, SMALL_TYPE, stream, "producer", name, BENCH_INFO, 0, reps);
	ring_buffer__free(c.rb);
	krsi_audit__free(c.audit);
	bench_stream_bpf__destroy(c.skel);
	return 0;
}
