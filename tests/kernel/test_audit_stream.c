// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The audit consumer against events the kernel produced: `syscall` programs
 * (audit_stream.bpf.c) run with bpf_prog_test_run() write known events,
 * bursts larger than a ring and malformed records. No BPF LSM needed: runs
 * on any host with BPF and as root, and in the VM in both boots.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "audit_stream_test.h"

/* The golden files, byte for byte, with ${NAME} for what differs per run. */
#define GOLDEN(sym, file)                                                 \
	__asm__(".pushsection .rodata\n" #sym ":\n.incbin \"" file "\"\n" \
		".byte 0\n.popsection\n");                                \
	extern const char sym[]
GOLDEN(golden_json, "tests/kernel/golden/audit_stream.jsonl");
GOLDEN(golden_text, "tests/kernel/golden/audit_stream.txt");

#define TS_A 1234567890123ULL
#define TS_B 1234567899999ULL
#define TS_D 1234567900001ULL

static void emit_raw(struct fixture *fx, const void *data, __u32 len)
{
	struct raw_args args = { .len = len };
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));

	memcpy(args.data, data, len);
	assert_int_equal(
		bpf_prog_test_run_opts(
			bpf_program__fd(fx->skel->progs.emit_raw), &run),
		0);
	assert_int_equal(run.retval, 0);
}

/* fx->audit: a consumer of OPTS reading both rings. */
static void consumer_of(struct fixture *fx, const struct krsi_audit_opts *opts)
{
	fx->audit = krsi_audit__new(opts);
	assert_non_null(fx->audit);
	assert_int_equal(
		krsi_audit__add_ring(fx->audit, fx->skel->obj, "events", NULL),
		0);
	assert_int_equal(
		krsi_audit__add_ring(fx->audit, fx->skel->obj, "small", NULL),
		0);
}

/* A consumer writing FORMAT into fx->out. */
static void consumer(struct fixture *fx, enum krsi_audit_format format)
{
	capture_open(&fx->out);
	KRSI_OPTS(krsi_audit_opts, opts, .format = format, .file = fx->out.f,
		  .clock = KRSI_AUDIT_BOOTTIME);
	consumer_of(fx, &opts);
}

/* A consumer handing records to FN. */
static void callback_consumer(struct fixture *fx, krsi_audit_fn fn, void *ctx,
			      enum krsi_audit_clock clock)
{
	KRSI_OPTS(krsi_audit_opts, opts, .format = KRSI_AUDIT_CALLBACK,
		  .callback = fn, .callback_ctx = ctx, .clock = clock);
	consumer_of(fx, &opts);
}

/* A record of an event type audit_stream.bpf.c does not declare. */
static void emit_undeclared(struct fixture *fx)
{
	struct {
		struct krsi_event_header h;
		__u8 payload[8];
	} r = {
		.h = { .size = sizeof(r),
		       .version = KRSI_EVENT_VERSION,
		       .type = 77,
		       .policy_id = 9,
		       .verdict = KRSI_EVENT_ALLOW,
		       .mode = KRSI_EVENT_ENFORCE,
		       .timestamp_ns = 1000000,
		       .cgroup_id = 5,
		       .pid = 6,
		       .tid = 7,
		       .uid = 8,
		       .gid = 9,
		       .euid = 10,
		       .loginuid = 11,
		       .comm = "raw" },
		.payload = { 1, 2, 3, 4, 5, 6, 7, 8 },
	};

	emit_raw(fx, &r, sizeof(r));
}

/* Known events: two samples, an undeclared type, a tiny event. */
static void emit_known(struct fixture *fx)
{
	assert_int_equal(emit(fx, (struct emit_args){ .count = 1,
						      .policy = 7,
						      .verdict = -EACCES,
						      .timestamp_ns = TS_A }),
			 1);
	assert_int_equal(emit(fx, (struct emit_args){ .count = 1,
						      .policy = 3,
						      .verdict = -EPERM,
						      .monitor = 1,
						      .timestamp_ns = TS_B }),
			 1);
	emit_undeclared(fx);
	assert_int_equal(emit(fx, (struct emit_args){ .count = 1,
						      .on_small = 1,
						      .timestamp_ns = TS_D }),
			 1);
}

/* GOLDEN with its ${NAME}s replaced by this process's values. */
static char *expand(const char *golden)
{
	char values[7][32];
	const char *names[] = { "${PID}",  "${TID}",  "${UID}",	  "${GID}",
				"${EUID}", "${AUID}", "${CGROUP}" };
	unsigned long long v[] = { getpid(),
				   gettid(),
				   getuid(),
				   getgid(),
				   geteuid(),
				   ktest_my_loginuid(),
				   ktest_my_cgroup_id() };
	size_t n = 0, cap = strlen(golden) * 2 + 1, i;
	char *out = malloc(cap);
	const char *p = golden;

	assert_non_null(out);
	for (i = 0; i < 7; i++)
		snprintf(values[i], sizeof(values[i]), "%llu", v[i]);
	while (*p) {
		for (i = 0; i < 7; i++) {
			size_t len = strlen(names[i]);

			if (strncmp(p, names[i], len) == 0) {
				n += sprintf(out + n, "%s", values[i]);
				p += len;
				break;
			}
		}
		if (i == 7)
			out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

static void assert_golden(struct fixture *fx, const char *golden)
{
	char *want = expand(golden);

	fflush(fx->out.f);
	if (strcmp(fx->out.buf, want) != 0) {
		/* in full: cmocka's messages are truncated */
		fprintf(stderr, "--- got\n%s--- want\n%s---\n", fx->out.buf,
			want);
		fail_msg("output differs from the golden file");
	}
	free(want);
}

/* The known events, in FORMAT, are GOLDEN. */
static void known_events_are(struct fixture *fx, enum krsi_audit_format format,
			     const char *golden)
{
	consumer(fx, format);
	emit_known(fx);
	assert_int_equal(krsi_audit__consume(fx->audit), 4);
	assert_golden(fx, golden);
}

static void test_known_events_json_golden(void **state)
{
	known_events_are(*state, KRSI_AUDIT_JSON, golden_json);
}

static void test_known_events_text_golden(void **state)
{
	known_events_are(*state, KRSI_AUDIT_TEXT, golden_text);
}

/* The BTF the kernel holds for the drop counters serves as well as the
 * object's: the path `krsi audit NAME` takes with pinned maps. */
static void test_btf_from_kernel_formats_the_same(void **state)
{
	struct fixture *fx = *state;
	KRSI_OPTS(krsi_audit_ring_opts, ring_opts, .name = "events");

	capture_open(&fx->out);
	KRSI_OPTS(krsi_audit_opts, opts, .file = fx->out.f,
		  .clock = KRSI_AUDIT_BOOTTIME);
	fx->audit = krsi_audit__new(&opts);
	assert_non_null(fx->audit);
	assert_int_equal(krsi_audit__add_ring_fd(
				 fx->audit, bpf_map__fd(fx->skel->maps.events),
				 bpf_map__fd(fx->skel->maps.events_drops),
				 &ring_opts),
			 0);
	assert_int_equal(krsi_audit__add_ring_fd(
				 fx->audit, bpf_map__fd(fx->skel->maps.small),
				 bpf_map__fd(fx->skel->maps.small_drops), NULL),
			 0);
	/* one ring, one consumer position: not twice */
	assert_int_equal(
		krsi_audit__add_ring(fx->audit, fx->skel->obj, "events", NULL),
		-EEXIST);
	emit_known(fx);
	assert_int_equal(krsi_audit__consume(fx->audit), 4);
	assert_golden(fx, golden_json);
}

struct seen {
	int n;
	int stop_after; /* return -ECANCELED at this record, if set */
	enum krsi_audit_record_kind kind[512];
	__u64 value[512]; /* tiny event: n; lost: count; invalid: reason */
	__u32 cpu[512];
	struct krsi_event_header header;
	struct sample_event sample;
	struct krsi_event_invalid invalid[8];
	int nr_invalid;
	const char *type_name, *hook_name;
	size_t payload_size;
	__u64 time_ns;
};

static int record_cb(void *ctx, const struct krsi_audit_record *rec)
{
	struct seen *s = ctx;
	int i = s->n++;

	assert_true(i < 512);
	assert_int_equal(rec->seq, i + 1);
	assert_int_equal(rec->header->size,
			 sizeof(*rec->header) + rec->payload_size);
	assert_ptr_equal(rec->payload, rec->header + 1);
	s->kind[i] = rec->kind;
	s->cpu[i] = rec->header->cpu;
	if (rec->kind == KRSI_AUDIT_LOST) {
		assert_int_equal(rec->header->type, KRSI_EVENT_TYPE_LOST);
		s->value[i] =
			((const struct krsi_event_lost *)rec->payload)->count;
	} else if (rec->kind == KRSI_AUDIT_INVALID) {
		assert_int_equal(rec->header->type, KRSI_EVENT_TYPE_INVALID);
		s->invalid[s->nr_invalid++] =
			*(const struct krsi_event_invalid *)rec->payload;
		assert_int_equal(rec->size, s->invalid[s->nr_invalid - 1].size);
	} else if (rec->header->type == TINY_TYPE) {
		s->value[i] = ((const struct tiny_event *)rec->payload)->n;
	} else if (rec->header->type == SAMPLE_TYPE) {
		s->header = *rec->header;
		memcpy(&s->sample, rec->payload, sizeof(s->sample));
		s->type_name = rec->type_name;
		s->hook_name = rec->hook_name;
		s->payload_size = rec->payload_size;
		s->time_ns = rec->time_ns;
	}
	return s->stop_after && s->n == s->stop_after ? -ECANCELED : 0;
}

static __u64 clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (__u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The header holds what the kernel knows of the task, read through CO-RE. */
static void test_header_is_the_current_task(void **state)
{
	struct fixture *fx = *state;
	struct seen s = {};
	__u64 boot0, boot1, real0, real1;

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_REALTIME);
	boot0 = clock_ns(CLOCK_BOOTTIME);
	real0 = clock_ns(CLOCK_REALTIME);
	assert_int_equal(emit(fx, (struct emit_args){ .count = 1,
						      .policy = 11,
						      .verdict = -EACCES }),
			 1);
	boot1 = clock_ns(CLOCK_BOOTTIME);
	real1 = clock_ns(CLOCK_REALTIME);
	assert_int_equal(krsi_audit__consume(fx->audit), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.kind[0], KRSI_AUDIT_EVENT);
	assert_int_equal(s.header.version, KRSI_EVENT_VERSION);
	assert_int_equal(s.header.type, SAMPLE_TYPE);
	assert_string_equal(s.type_name, "sample");
	assert_string_equal(s.hook_name, "file_open");
	assert_int_equal(s.payload_size, sizeof(struct sample_event));
	assert_int_equal(s.header.policy_id, 11);
	assert_int_equal(s.header.verdict, KRSI_EVENT_DENY);
	assert_int_equal(s.header.err, EACCES);
	assert_int_equal(s.header.mode, KRSI_EVENT_ENFORCE);
	assert_int_equal(s.header.cpu, 0);
	assert_int_equal(s.header.lost, 0);
	assert_true(s.header.timestamp_ns >= boot0 &&
		    s.header.timestamp_ns <= boot1);
	/* wall-clock time, by the offset of the clocks at consume time */
	assert_true(s.time_ns + 1000000 >= real0 &&
		    s.time_ns <= real1 + 1000000);
	assert_int_equal(s.header.pid, getpid());
	assert_int_equal(s.header.tid, gettid());
	assert_int_equal(s.header.uid, getuid());
	assert_int_equal(s.header.gid, getgid());
	assert_int_equal(s.header.euid, geteuid());
	assert_int_equal(s.header.loginuid, ktest_my_loginuid());
	assert_int_equal(s.header.cgroup_id, ktest_my_cgroup_id());
	assert_string_equal(s.header.comm, COMM);
	assert_string_equal(s.sample.path, "/etc/shadow");
	assert_int_equal(s.sample.ports[2], 443);
}

/* A burst larger than the ring: every event is delivered or counted. */
static void test_burst_drops_are_counted_exactly(void **state)
{
	struct fixture *fx = *state;
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	struct krsi_audit_type_stats tiny = { .sz = sizeof(tiny) };
	struct seen s = {};
	__u32 produced = 200, reserved;
	int i;

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	reserved = emit(fx,
			(struct emit_args){ .count = produced, .on_small = 1 });
	assert_int_equal(reserved, SMALL_RING_EVENTS);
	assert_int_equal(krsi_audit__consume(fx->audit), reserved + 1);
	assert_int_equal(krsi_audit__stats(fx->audit, &stats), 0);
	assert_int_equal(stats.delivered, reserved);
	assert_int_equal(stats.dropped, produced - reserved);
	assert_int_equal(stats.delivered + stats.dropped, produced);
	assert_int_equal(stats.records, reserved + 1);
	assert_int_equal(stats.invalid, 0);
	assert_int_equal(stats.bytes,
			 reserved * (sizeof(struct krsi_event_header) +
				     sizeof(struct tiny_event)));
	assert_int_equal(krsi_audit__type_stats(fx->audit, TINY_TYPE, &tiny),
			 0);
	assert_int_equal(tiny.delivered, reserved);
	assert_int_equal(tiny.bytes, stats.bytes);
	/* the events in order, then the gap, found in the drop counters */
	for (i = 0; i < (int)reserved; i++) {
		assert_int_equal(s.kind[i], KRSI_AUDIT_EVENT);
		assert_int_equal(s.value[i], i);
	}
	assert_int_equal(s.kind[reserved], KRSI_AUDIT_LOST);
	assert_int_equal(s.value[reserved], produced - reserved);
	assert_int_equal(s.cpu[reserved], 0);
	/* nothing more to report: the drops are not counted twice */
	assert_int_equal(krsi_audit__consume(fx->audit), 0);
}

/* Drops between events are reported between them, from the events' own
 * stamps, before the drop counters are read. */
static void test_lost_record_sits_at_the_gap(void **state)
{
	struct fixture *fx = *state;
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	struct seen s = { .stop_after = 10 };
	__u32 first, second, dropped;
	int i;

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	first = emit(fx, (struct emit_args){ .count = 50, .on_small = 1 });
	dropped = 50 - first;
	/* take 10, leaving room for 5 more; the consumer stops there */
	assert_int_equal(krsi_audit__consume(fx->audit), -ECANCELED);
	assert_int_equal(s.n, 10);
	s.stop_after = 0;
	second = emit(fx, (struct emit_args){ .count = 5, .on_small = 1 });
	assert_int_equal(second, 5);
	assert_int_equal(krsi_audit__consume(fx->audit),
			 first - 10 + 1 + second);
	for (i = 0; i < (int)first; i++) {
		assert_int_equal(s.kind[i], KRSI_AUDIT_EVENT);
		assert_int_equal(s.value[i], i);
	}
	assert_int_equal(s.kind[first], KRSI_AUDIT_LOST);
	assert_int_equal(s.value[first], dropped);
	for (i = 0; i < (int)second; i++) {
		assert_int_equal(s.kind[first + 1 + i], KRSI_AUDIT_EVENT);
		assert_int_equal(s.value[first + 1 + i], i);
	}
	assert_int_equal(krsi_audit__stats(fx->audit, &stats), 0);
	assert_int_equal(stats.delivered + stats.dropped, 50 + second);
}

/* A header of VERSION, SIZE and TYPE, then PAYLOAD bytes, into BUF. */
static __u32 make_record(__u8 *buf, __u16 version, __u32 size, __u32 type,
			 __u32 cpu, __u32 payload)
{
	struct krsi_event_header h = {
		.size = size, .version = version, .type = type, .cpu = cpu
	};

	memset(buf, 0, RAW_MAX);
	memcpy(buf, &h, sizeof(h));
	return sizeof(h) + payload;
}

/* Emit one malformed record of each kind, then a good one. */
static void emit_malformed(struct fixture *fx)
{
	__u8 buf[RAW_MAX];
	__u32 len;

	emit_raw(fx, "\1\0\0\0", 4);
	len = make_record(buf, 9, 96, SAMPLE_TYPE, 0, 0);
	emit_raw(fx, buf, len);
	len = make_record(buf, KRSI_EVENT_VERSION, 200, TINY_TYPE, 0, 4);
	emit_raw(fx, buf, len);
	len = make_record(buf, KRSI_EVENT_VERSION, 96 + 8, TINY_TYPE, 0, 8);
	emit_raw(fx, buf, len);
	len = make_record(buf, KRSI_EVENT_VERSION, 96 + 4, TINY_TYPE, 99999, 4);
	emit_raw(fx, buf, len);
	make_record(buf, KRSI_EVENT_VERSION, 60, TINY_TYPE, 0, 0);
	emit_raw(fx, buf, 60);
	assert_int_equal(emit(fx, (struct emit_args){ .count = 1 }), 1);
}

static void test_malformed_records_are_reported(void **state)
{
	struct fixture *fx = *state;
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	const struct {
		__u32 reason, size, version, type;
	} want[] = {
		{ KRSI_EVENT_INVALID_SHORT, 4, 0, 0 },
		{ KRSI_EVENT_INVALID_VERSION, 96, 9, SAMPLE_TYPE },
		{ KRSI_EVENT_INVALID_SIZE, 100, 1, TINY_TYPE },
		{ KRSI_EVENT_INVALID_PAYLOAD, 104, 1, TINY_TYPE },
		{ KRSI_EVENT_INVALID_CPU, 100, 1, TINY_TYPE },
		{ KRSI_EVENT_INVALID_SHORT, 60, 1, TINY_TYPE },
	};
	struct seen s = {};
	int i;

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	emit_malformed(fx);
	assert_int_equal(krsi_audit__consume(fx->audit), 7);
	assert_int_equal(s.nr_invalid, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(s.kind[i], KRSI_AUDIT_INVALID);
		assert_int_equal(s.invalid[i].reason, want[i].reason);
		assert_int_equal(s.invalid[i].size, want[i].size);
		assert_int_equal(s.invalid[i].version, want[i].version);
		assert_int_equal(s.invalid[i].type, want[i].type);
	}
	/* and the stream goes on */
	assert_int_equal(s.kind[6], KRSI_AUDIT_EVENT);
	assert_string_equal(s.sample.path, "/etc/shadow");
	assert_int_equal(krsi_audit__stats(fx->audit, &stats), 0);
	assert_int_equal(stats.invalid, 6);
	assert_int_equal(stats.delivered, 1);
}

/* What each record said, for test_interleaved_records_are_whole(). */
struct described {
	int n;
	struct described_record {
		enum krsi_audit_record_kind kind;
		__u32 type, hook_id;
		const char *type_name, *hook_name;
		size_t payload_size;
		__u64 time_ns;
	} r[16];
};

static int describe_cb(void *ctx, const struct krsi_audit_record *rec)
{
	struct described *d = ctx;
	struct described_record *r = &d->r[d->n++];

	assert_true(d->n <= 16);
	assert_int_equal(rec->seq, d->n);
	assert_ptr_equal(rec->payload, rec->header + 1);
	*r = (struct described_record){
		.kind = rec->kind,
		.type = rec->header->type,
		.hook_id = rec->header->hook_id,
		.type_name = rec->type_name,
		.hook_name = rec->hook_name,
		.payload_size = rec->payload_size,
		.time_ns = rec->time_ns,
	};
	return 0;
}

static bool same_name(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* A tiny event of PAYLOAD bytes written raw on the events ring, with
 * HOOK_ID, RESERVED and TIMESTAMP in its header. */
static void emit_tiny(struct fixture *fx, __u32 hook_id, __u16 reserved,
		      __u64 timestamp, __u32 payload)
{
	struct krsi_event_header h;
	__u8 buf[RAW_MAX];
	__u32 len;

	len = make_record(buf, KRSI_EVENT_VERSION, sizeof(h) + payload,
			  TINY_TYPE, 0, payload);
	memcpy(&h, buf, sizeof(h));
	h.hook_id = hook_id;
	h.reserved = reserved;
	h.timestamp_ns = timestamp;
	memcpy(buf, &h, sizeof(h));
	emit_raw(fx, buf, len);
}

static void emit_sample_at(struct fixture *fx, __u64 timestamp)
{
	assert_int_equal(
		emit(fx, (struct emit_args){ .count = 1,
					     .timestamp_ns = timestamp }),
		1);
}

/*
 * Events of two types from two hooks, interleaved, each come out whole:
 * the consumer keeps a record per type from one event to the next and
 * writes only what differs, so a field left over from an earlier event of
 * another type or hook would show here. Records off the short way (a
 * reserved bit set, a wrong size) go on in order.
 */
static void test_interleaved_records_are_whole(void **state)
{
	struct fixture *fx = *state;
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	struct krsi_audit_type_stats ts = { .sz = sizeof(ts) };
	const size_t hdr = sizeof(struct krsi_event_header),
		     sample = sizeof(struct sample_event),
		     tiny = sizeof(struct tiny_event);
	const struct described_record want[] = {
		{ KRSI_AUDIT_EVENT, SAMPLE_TYPE, 0, "sample", "file_open",
		  sample, 100 },
		{ KRSI_AUDIT_EVENT, TINY_TYPE, 0, "tiny", NULL, tiny, 200 },
		{ KRSI_AUDIT_EVENT, SAMPLE_TYPE, 0, "sample", "file_open",
		  sample, 300 },
		{ KRSI_AUDIT_EVENT, TINY_TYPE, 0, "tiny", "file_open", tiny,
		  400 },
		{ KRSI_AUDIT_EVENT, TINY_TYPE, 0, "tiny", NULL, tiny, 500 },
		{ KRSI_AUDIT_EVENT, TINY_TYPE, 0, "tiny", "file_open", tiny,
		  600 },
		{ KRSI_AUDIT_INVALID, KRSI_EVENT_TYPE_INVALID, 0, NULL, NULL,
		  sizeof(struct krsi_event_invalid), 0 },
		{ KRSI_AUDIT_EVENT, TINY_TYPE, 0, "tiny", NULL, tiny, 800 },
		{ KRSI_AUDIT_EVENT, SAMPLE_TYPE, 0, "sample", "file_open",
		  sample, 900 },
	};
	struct described d = {};
	__u32 file_open;
	int i;

	callback_consumer(fx, describe_cb, &d, KRSI_AUDIT_BOOTTIME);
	emit_sample_at(fx, 100);
	assert_int_equal(krsi_audit__consume(fx->audit), 1);
	file_open = d.r[0].hook_id;
	assert_int_not_equal(file_open, 0);
	emit_tiny(fx, 0, 0, 200, tiny);
	emit_sample_at(fx, 300);
	emit_tiny(fx, file_open, 0, 400, tiny);
	emit_tiny(fx, 0, 0, 500, tiny);
	emit_tiny(fx, file_open, 1, 600, tiny);
	emit_tiny(fx, file_open, 0, 700, tiny + 8);
	emit_tiny(fx, 0, 0, 800, tiny);
	emit_sample_at(fx, 900);
	assert_int_equal(krsi_audit__consume(fx->audit), 8);
	assert_int_equal(d.n, 9);
	for (i = 0; i < 9; i++) {
		const struct described_record *g = &d.r[i], *w = &want[i];

		if (g->kind != w->kind || g->type != w->type ||
		    g->payload_size != w->payload_size ||
		    !same_name(g->type_name, w->type_name) ||
		    !same_name(g->hook_name, w->hook_name) ||
		    (w->time_ns && g->time_ns != w->time_ns))
			fail_msg(
				"record %d: kind %d, type %u (%s), hook %s, payload %zu bytes, time %llu",
				i + 1, g->kind, g->type, g->type_name ?: "-",
				g->hook_name ?: "-", g->payload_size,
				(unsigned long long)g->time_ns);
	}
	assert_int_equal(krsi_audit__stats(fx->audit, &stats), 0);
	assert_int_equal(stats.delivered, 8);
	assert_int_equal(stats.invalid, 1);
	assert_int_equal(stats.records, 9);
	assert_int_equal(stats.bytes, 3 * (hdr + sample) + 5 * (hdr + tiny));
	assert_int_equal(krsi_audit__type_stats(fx->audit, TINY_TYPE, &ts), 0);
	assert_int_equal(ts.delivered, 5);
	assert_int_equal(ts.bytes, 5 * (hdr + tiny));
	assert_int_equal(krsi_audit__type_stats(fx->audit, SAMPLE_TYPE, &ts),
			 0);
	assert_int_equal(ts.delivered, 3);
	assert_int_equal(ts.bytes, 3 * (hdr + sample));
}

/* In text and JSON, malformed records are lines of their own. */
static void test_malformed_records_formatted(void **state)
{
	static const char *const reasons[] = { "short",	  "version", "size",
					       "payload", "cpu",     "short" };
	enum krsi_audit_format formats[] = { KRSI_AUDIT_JSON, KRSI_AUDIT_TEXT };
	struct fixture *fx = *state;
	int f, i;

	for (f = 0; f < 2; f++) {
		char *line, *save = NULL;

		consumer(fx, formats[f]);
		emit_malformed(fx);
		assert_int_equal(krsi_audit__consume(fx->audit), 7);
		fflush(fx->out.f);
		line = strtok_r(fx->out.buf, "\n", &save);
		for (i = 0; i < 6; i++, line = strtok_r(NULL, "\n", &save)) {
			char want[64];

			assert_non_null(line);
			assert_true(
				strncmp(line,
					f ? "type=KRSI_INVALID msg=audit("
					  : "{\"type\":\"invalid\",\"seq\":",
					f ? 28 : 24) == 0);
			snprintf(want, sizeof(want),
				 f ? " ring=\"events\" reason=%s "
				   : ",\"ring\":\"events\",\"reason\":\"%s\",",
				 reasons[i]);
			if (!strstr(line, want))
				fail_msg("line %d lacks %s: %s", i, want, line);
		}
		assert_non_null(strstr(line, f ? "path=\"/etc/shadow\""
					       : "\"path\":\"/etc/shadow\""));
		krsi_audit__free(fx->audit);
		fx->audit = NULL;
		capture_close(&fx->out);
	}
}

/* Discarded events are neither delivered nor counted as lost. */
static void test_discarded_events_are_skipped(void **state)
{
	struct fixture *fx = *state;
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	struct seen s = {};

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	assert_int_equal(emit(fx, (struct emit_args){ .count = 5,
						      .on_small = 1,
						      .discard = 1 }),
			 5);
	emit(fx, (struct emit_args){ .count = 1, .on_small = 1 });
	assert_int_equal(krsi_audit__consume(fx->audit), 1);
	assert_int_equal(s.value[0], 0);
	assert_int_equal(krsi_audit__stats(fx->audit, &stats), 0);
	assert_int_equal(stats.delivered, 1);
	assert_int_equal(stats.dropped, 0);
}

/* Raw output is the records' bytes; lost records are records too. */
static void test_raw_passes_records_through(void **state)
{
	struct fixture *fx = *state;
	const struct krsi_event_header *h;
	const char *p, *end;
	__u32 reserved, n = 0;

	consumer(fx, KRSI_AUDIT_RAW);
	reserved = emit(fx, (struct emit_args){
				    .count = 100, .on_small = 1, .policy = 5 });
	assert_int_equal(krsi_audit__consume(fx->audit), reserved + 1);
	fflush(fx->out.f);
	p = fx->out.buf;
	end = p + fx->out.len;
	for (; p < end; p += h->size, n++) {
		h = (const struct krsi_event_header *)p;
		assert_true(p + sizeof(*h) <= end && p + h->size <= end);
		assert_int_equal(h->version, KRSI_EVENT_VERSION);
		if (n < reserved) {
			assert_int_equal(h->type, TINY_TYPE);
			assert_int_equal(h->policy_id, 5);
			assert_int_equal(h->pid, getpid());
			assert_int_equal(
				((const struct tiny_event *)(h + 1))->n, n);
		} else {
			assert_int_equal(h->type, KRSI_EVENT_TYPE_LOST);
			assert_int_equal(
				((const struct krsi_event_lost *)(h + 1))->count,
				100 - reserved);
		}
	}
	assert_int_equal(n, reserved + 1);
}

/* The application's event loop: the fd is readable when any ring has
 * data, and consuming does not block. */
static void test_epoll_fd_in_the_applications_loop(void **state)
{
	struct fixture *fx = *state;
	struct epoll_event ev = { .events = EPOLLIN }, got;
	struct seen s = {};
	int ep;

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	ep = epoll_create1(0);
	assert_true(ep >= 0);
	assert_int_equal(
		epoll_ctl(ep, EPOLL_CTL_ADD, krsi_audit__fd(fx->audit), &ev),
		0);
	assert_int_equal(epoll_wait(ep, &got, 1, 0), 0);
	assert_int_equal(krsi_audit__consume(fx->audit), 0);
	assert_int_equal(krsi_audit__poll(fx->audit, 0), 0);
	emit(fx, (struct emit_args){ .count = 3, .on_small = 1 });
	emit(fx, (struct emit_args){ .count = 2 });
	assert_int_equal(epoll_wait(ep, &got, 1, 1000), 1);
	assert_int_equal(krsi_audit__poll(fx->audit, 1000), 5);
	assert_int_equal(epoll_wait(ep, &got, 1, 0), 0);
	close(ep);
}

static struct krsi_audit *signalled;

static void on_signal(int sig)
{
	(void)sig;
	krsi_audit__stop(signalled);
}

struct producer {
	struct fixture *fx;
	pthread_t main;
	int stop_fd;
};

/* Emit 20 events, then stop the loop: by signal or by stop_fd. No cmocka
 * assertions in this thread: the main thread checks what arrived. */
static void *produce(void *arg)
{
	struct emit_args args = { .count = 20, .on_small = 1 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	struct producer *p = arg;
	__u64 one = 1;

	usleep(50000);
	bpf_prog_test_run_opts(bpf_program__fd(p->fx->skel->progs.emit), &run);
	usleep(50000);
	if (p->stop_fd > 0) {
		if (write(p->stop_fd, &one, sizeof(one)) != sizeof(one))
			perror("write stop_fd");
	} else {
		pthread_kill(p->main, SIGUSR1);
	}
	return NULL;
}

static void run_until_stopped(struct fixture *fx, int stop_fd)
{
	struct producer p = { .fx = fx,
			      .main = pthread_self(),
			      .stop_fd = stop_fd };
	KRSI_OPTS(krsi_audit_run_opts, opts, .stop_fd = stop_fd);
	struct seen s = {};
	pthread_t t;

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	signalled = fx->audit;
	assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
	assert_int_equal(krsi_audit__run(fx->audit, &opts), 0);
	pthread_join(t, NULL);
	assert_int_equal(s.n, 20);
}

static void test_run_stops_from_a_signal_handler(void **state)
{
	struct sigaction sa = { .sa_handler = on_signal }, old;

	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	run_until_stopped(*state, 0);
	sigaction(SIGUSR1, &old, NULL);
}

static void test_run_stops_on_stop_fd(void **state)
{
	int fd = eventfd(0, EFD_CLOEXEC);

	assert_true(fd > 0);
	run_until_stopped(*state, fd);
	close(fd);
}

static void test_stop_before_run_returns_at_once(void **state)
{
	struct fixture *fx = *state;
	struct seen s = {};

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	emit(fx, (struct emit_args){ .count = 2 });
	assert_int_equal(krsi_audit__stop(fx->audit), 0);
	assert_int_equal(krsi_audit__run(fx->audit, NULL), 0);
	assert_int_equal(s.n, 2);
}

/* Stopping reports every drop, even those just found and read less than
 * the read interval after the last read of the counters. */
static void test_run_reports_drops_when_stopping(void **state)
{
	struct fixture *fx = *state;
	struct seen s = {};
	__u32 reserved;

	callback_consumer(fx, record_cb, &s, KRSI_AUDIT_BOOTTIME);
	assert_int_equal(krsi_audit__consume(fx->audit), 0);
	reserved = emit(fx, (struct emit_args){ .count = 100, .on_small = 1 });
	assert_int_equal(krsi_audit__stop(fx->audit), 0);
	assert_int_equal(krsi_audit__run(fx->audit, NULL), 0);
	assert_int_equal(s.n, reserved + 1);
	assert_int_equal(s.kind[reserved], KRSI_AUDIT_LOST);
	assert_int_equal(s.value[reserved], 100 - reserved);
}

static void test_prepare_after_load_is_refused(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(krsi_prepare_events(fx->skel->obj), -EBUSY);
	assert_int_equal(errno, EBUSY);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_known_events_json_golden),
		T(test_known_events_text_golden),
		T(test_btf_from_kernel_formats_the_same),
		T(test_header_is_the_current_task),
		T(test_burst_drops_are_counted_exactly),
		T(test_lost_record_sits_at_the_gap),
		T(test_malformed_records_are_reported),
		T(test_malformed_records_formatted),
		T(test_interleaved_records_are_whole),
		T(test_discarded_events_are_skipped),
		T(test_raw_passes_records_through),
		T(test_epoll_fd_in_the_applications_loop),
		T(test_run_stops_from_a_signal_handler),
		T(test_run_stops_on_stop_fd),
		T(test_stop_before_run_returns_at_once),
		T(test_run_reports_drops_when_stopping),
		T(test_prepare_after_load_is_refused),
	};

	/* No BPF LSM needed: the same tests in both boots (--lsm-off). */
	return cmocka_run_group_tests_name("audit_stream", tests, NULL, NULL);
}
