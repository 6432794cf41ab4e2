// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Formatting: events per second per core, end to end (read from the ring,
 * formatted, written to /dev/null), for libkrsi's JSON and text output and
 * for plain snprintf() formatting of the same records into the same JSON
 * (fixed type and hook names, no escaping) behind libbpf's ring_buffer.
 * The events are file opens as an audit program reports them (a path and
 * three numbers after the header), produced in the kernel by a `syscall`
 * program; CPU time is the consuming thread's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "bench.h"
#include "stream.h"
#include "bench_stream.skel.h"

/* The plain formatter: snprintf() into a buffer written out when full. */
struct plain {
	int fd;
	__u64 seq;
	size_t len;
	char buf[64 * 1024];
};

static void plain_flush(struct plain *p)
{
	if (p->len && write(p->fd, p->buf, p->len) != (ssize_t)p->len)
		bench_die("writing to /dev/null failed: %s", strerror(errno));
	p->len = 0;
}

static int plain_json(void *ctx, void *data, size_t size)
{
	const struct krsi_event_header *h = data;
	const struct open_event *e = (const void *)(h + 1);
	struct plain *p = ctx;

	if (size != sizeof(*h) + sizeof(*e))
		bench_die("unexpected record of %zu bytes", size);
	if (sizeof(p->buf) - p->len < 1024)
		plain_flush(p);
	p->len += snprintf(
		p->buf + p->len, sizeof(p->buf) - p->len,
		"{\"type\":\"file_open\",\"seq\":%llu,\"time\":%llu,"
		"\"type_id\":%u,\"hook\":\"file_open\",\"verdict\":\"%s\","
		"\"mode\":\"%s\",\"policy\":%u,\"errno\":%u,\"cpu\":%u,"
		"\"pid\":%u,\"tid\":%u,\"uid\":%u,\"gid\":%u,\"euid\":%u,"
		"\"loginuid\":%u,\"cgroup\":%llu,\"comm\":\"%.16s\","
		"\"data\":{\"flags\":%u,\"mode\":%u,\"ino\":%llu,"
		"\"path\":\"%.128s\"}}\n",
		(unsigned long long)++p->seq,
		(unsigned long long)h->timestamp_ns, h->type,
		h->verdict ? "deny" : "allow", h->mode ? "enforce" : "monitor",
		h->policy_id, h->err, h->cpu, h->pid, h->tid, h->uid, h->gid,
		h->euid, h->loginuid, (unsigned long long)h->cgroup_id, h->comm,
		e->flags, e->mode, (unsigned long long)e->ino, e->path);
	return 0;
}

struct formatters {
	/* a ring has one libkrsi consumer: the text one has its own */
	struct bench_stream_bpf *skel, *text_skel;
	struct krsi_audit *json, *text;
	struct ring_buffer *rb;
	struct plain plain;
};

/* Fill the ring, consume it with WHO (0 JSON, 1 text, 2 plain); returns
 * millions of events per CPU second. */
static double run(struct formatters *f, int who)
{
	__u32 n = stream_produce(who == 1 ? f->text_skel : f->skel, OPEN_TYPE,
				 stream_fill_count(OPEN_TYPE));
	double t0 = bench_cpu();
	long got;

	if (who == 2) {
		got = ring_buffer__consume(f->rb);
		plain_flush(&f->plain);
	} else {
		got = krsi_audit__consume(who ? f->text : f->json);
	}
	t0 = bench_cpu() - t0;
	if (got != (long)n)
		bench_die("formatter %d delivered %ld of %u events", who, got,
			  n);
	return n / t0 * 1e3;
}

static struct krsi_audit *consumer(struct bench_stream_bpf *skel,
				   enum krsi_audit_format format, int fd)
{
	KRSI_OPTS(krsi_audit_opts, opts, .format = format,
		  .sink = KRSI_AUDIT_FD, .fd = fd);
	struct krsi_audit *a = krsi_audit__new(&opts);

	if (!a || krsi_audit__add_ring(a, skel->obj, "stream", NULL))
		bench_die("cannot make a libkrsi consumer: %s",
			  strerror(errno));
	return a;
}

int main(void)
{
	static struct formatters f;
	int reps = bench_reps(BENCH_REPS), fd, i, w;
	double v[3][reps], ratio[reps];
	struct bench_stats s[3];

	bench_quiet_logs();
	bench_env();
	stream_pin_cpu(0);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		bench_die("cannot open /dev/null: %s", strerror(errno));
	f.skel = stream_open();
	f.text_skel = stream_open();
	f.json = consumer(f.skel, KRSI_AUDIT_JSON, fd);
	f.text = consumer(f.text_skel, KRSI_AUDIT_TEXT, fd);
	f.plain.fd = fd;
	f.rb = ring_buffer__new(stream_ring_fd(f.skel), plain_json, &f.plain,
				NULL);
	if (!f.rb)
		bench_die("cannot make libbpf's ring_buffer: %s",
			  strerror(errno));
	for (w = 0; w < 3; w++)
		run(&f, w);
	for (i = 0; i < reps; i++) {
		for (w = 0; w < 3; w++)
			v[w][i] = run(&f, w);
		ratio[i] = v[0][i] / v[2][i];
	}
	for (w = 0; w < 3; w++)
		s[w] = bench_stats(v[w], reps);
	bench_row("format", "libkrsi JSON, ring to /dev/null", s[0], "M/s/core",
		  BENCH_GE, 2, "", NULL);
	bench_row("format", "libkrsi text, ring to /dev/null", s[1], "M/s/core",
		  BENCH_INFO, 0, "", NULL);
	bench_row("format", "plain snprintf JSON, libbpf ring_buffer", s[2],
		  "M/s/core", BENCH_INFO, 0, "", "same fields, no escaping");
	bench_row("format", "libkrsi JSON vs plain snprintf",
		  bench_stats(ratio, reps), "x", BENCH_INFO, 0, "",
		  "events/s per core");
	ring_buffer__free(f.rb);
	krsi_audit__free(f.json);
	krsi_audit__free(f.text);
	bench_stream_bpf__destroy(f.skel);
	bench_stream_bpf__destroy(f.text_skel);
	close(fd);
	return 0;
}
