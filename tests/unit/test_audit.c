// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The audit consumer's API without a kernel: options, handles, errors
 * (lib/audit.c), and the output sinks (lib/audit_output.c) fed records
 * directly. Events from the kernel are tested in
 * tests/kernel/test_audit_*.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <syslog.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>
#include <krsi/krsi.h>

#include "audit_internal.h"

static int group_setup(void **state)
{
	(void)state;
	krsi_set_print(NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int nop(void *ctx, const struct krsi_audit_record *rec)
{
	(void)ctx;
	(void)rec;
	return 0;
}

static void assert_new_fails(const struct krsi_audit_opts *opts, int err)
{
	errno = 0;
	assert_null(krsi_audit__new(opts));
	assert_int_equal(errno, err);
}

static void test_new_rejects_bad_options(void **state)
{
	(void)state;
	{
		KRSI_OPTS(krsi_audit_opts, o, .format = 99);
		assert_new_fails(&o, EINVAL);
	}
	{
		KRSI_OPTS(krsi_audit_opts, o, .sink = 99);
		assert_new_fails(&o, EINVAL);
	}
	{
		KRSI_OPTS(krsi_audit_opts, o, .clock = 99);
		assert_new_fails(&o, EINVAL);
	}
	{
		KRSI_OPTS(krsi_audit_opts, o, .format = KRSI_AUDIT_CALLBACK);
		assert_new_fails(&o, EINVAL);
	}
	{
		KRSI_OPTS(krsi_audit_opts, o, .sink = KRSI_AUDIT_FD, .fd = -1);
		assert_new_fails(&o, EINVAL);
	}
	{
		KRSI_OPTS(krsi_audit_opts, o, .format = KRSI_AUDIT_RAW,
			  .sink = KRSI_AUDIT_SYSLOG);
		assert_new_fails(&o, EINVAL);
	}
	{
		/* from a newer application, with a field we do not know */
		struct {
			struct krsi_audit_opts o;
			long newer;
		} big = { .o.sz = sizeof(big), .newer = 1 };

		assert_new_fails(&big.o, EINVAL);
	}
	{
		struct krsi_audit_opts o = { .sz = 2 };

		assert_new_fails(&o, EINVAL);
	}
}

static void test_new_and_free(void **state)
{
	struct krsi_audit *a;

	(void)state;
	a = krsi_audit__new(NULL);
	assert_non_null(a);
	assert_true(krsi_audit__fd(a) >= 0);
	/* no rings yet: nothing to consume */
	assert_int_equal(krsi_audit__consume(a), 0);
	assert_int_equal(krsi_audit__poll(a, 0), 0);
	krsi_audit__free(a);
	krsi_audit__free(NULL);
	{
		KRSI_OPTS(krsi_audit_opts, o, .format = KRSI_AUDIT_CALLBACK,
			  .callback = nop);
		a = krsi_audit__new(&o);
		assert_non_null(a);
		krsi_audit__free(a);
	}
	{
		/* an older application's smaller struct */
		KRSI_OPTS(krsi_audit_opts, o, .format = KRSI_AUDIT_TEXT);
		o.sz = offsetofend(struct krsi_audit_opts, format);
		a = krsi_audit__new(&o);
		assert_non_null(a);
		krsi_audit__free(a);
	}
}

static void test_null_handles(void **state)
{
	struct krsi_audit_stats st = { .sz = sizeof(st) };
	struct krsi_audit_type_stats ts = { .sz = sizeof(ts) };

	(void)state;
	assert_int_equal(krsi_audit__fd(NULL), -EINVAL);
	assert_int_equal(krsi_audit__consume(NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_audit__poll(NULL, 0), -EINVAL);
	assert_int_equal(krsi_audit__run(NULL, NULL), -EINVAL);
	assert_int_equal(krsi_audit__stop(NULL), -EINVAL);
	assert_int_equal(krsi_audit__stats(NULL, &st), -EINVAL);
	assert_int_equal(krsi_audit__type_stats(NULL, 1, &ts), -EINVAL);
	assert_int_equal(krsi_audit__add_ring(NULL, NULL, "x", NULL), -EINVAL);
	assert_int_equal(krsi_audit__add_ring_fd(NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(krsi_prepare_events(NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
}

static void test_add_ring_rejects_bad_arguments(void **state)
{
	struct krsi_audit *a = krsi_audit__new(NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(krsi_audit__add_ring(a, NULL, "events", NULL),
			 -EINVAL);
	assert_int_equal(krsi_audit__add_ring_fd(a, -1, 3, NULL), -EBADF);
	assert_int_equal(errno, EBADF);
	assert_int_equal(krsi_audit__add_ring_fd(a, 3, -1, NULL), -EBADF);
	{
		struct krsi_audit_ring_opts o = { .sz = 1 };

		assert_int_equal(krsi_audit__add_ring_fd(a, 3, 3, &o), -EINVAL);
	}
	krsi_audit__free(a);
}

static void test_stats(void **state)
{
	struct krsi_audit *a = krsi_audit__new(NULL);
	struct krsi_audit_stats st;
	struct krsi_audit_type_stats ts = { .sz = sizeof(ts) };
	struct {
		size_t sz;
		__u64 delivered;
	} old = { .sz = sizeof(old), .delivered = 99 };

	(void)state;
	assert_non_null(a);
	memset(&st, 0xff, sizeof(st));
	st.sz = sizeof(st);
	assert_int_equal(krsi_audit__stats(a, &st), 0);
	assert_int_equal(st.sz, sizeof(st));
	assert_int_equal(st.delivered, 0);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.bytes, 0);
	assert_int_equal(st.invalid, 0);
	assert_int_equal(st.records, 0);
	/* an older application's struct: only what it knows is written */
	assert_int_equal(krsi_audit__stats(a, (void *)&old), 0);
	assert_int_equal(old.delivered, 0);
	st.sz = 0;
	assert_int_equal(krsi_audit__stats(a, &st), -EINVAL);
	assert_int_equal(krsi_audit__stats(a, NULL), -EINVAL);
	assert_int_equal(krsi_audit__type_stats(a, 1, &ts), -ENOENT);
	assert_int_equal(krsi_audit__type_stats(a, 1, NULL), -EINVAL);
	krsi_audit__free(a);
}

static void test_run_stops(void **state)
{
	struct krsi_audit *a = krsi_audit__new(NULL);
	int fd = eventfd(0, EFD_CLOEXEC);
	__u64 one = 1;

	(void)state;
	assert_non_null(a);
	assert_true(fd > 0);
	/* a stop before the run ends it at once, and only that run */
	assert_int_equal(krsi_audit__stop(a), 0);
	assert_int_equal(krsi_audit__stop(a), 0);
	assert_int_equal(krsi_audit__run(a, NULL), 0);
	/* the application's descriptor, already readable */
	assert_int_equal(write(fd, &one, sizeof(one)), sizeof(one));
	{
		KRSI_OPTS(krsi_audit_run_opts, o, .stop_fd = fd);
		assert_int_equal(krsi_audit__run(a, &o), 0);
		/* not read: still readable for the application */
		assert_int_equal(read(fd, &one, sizeof(one)), sizeof(one));
	}
	{
		struct krsi_audit_run_opts o = { .sz = 1 };

		assert_int_equal(krsi_audit__run(a, &o), -EINVAL);
	}
	{
		KRSI_OPTS(krsi_audit_run_opts, o, .stop_fd = 9999);
		assert_int_equal(krsi_audit__run(a, &o), -EBADF);
	}
	close(fd);
	krsi_audit__free(a);
}

/* A lost record, as the ring code makes one. */
struct lost_record {
	struct krsi_event_header h;
	struct krsi_event_lost lost;
};

static void lost_record(struct lost_record *r, struct krsi_audit_record *rec)
{
	memset(r, 0, sizeof(*r));
	r->h.size = sizeof(*r);
	r->h.version = KRSI_EVENT_VERSION;
	r->h.type = KRSI_EVENT_TYPE_LOST;
	r->h.cpu = 3;
	r->lost.count = 12;
	*rec = (struct krsi_audit_record){
		.sz = sizeof(*rec),
		.kind = KRSI_AUDIT_LOST,
		.seq = 5,
		.ring = "events",
		.time_ns = 1700000000123456789ULL,
		.header = &r->h,
		.payload = &r->lost,
		.payload_size = sizeof(r->lost),
	};
}

/* Deliver the lost record to an output of FORMAT into fd FD. */
static int output_to_fd(enum krsi_audit_format format, int fd)
{
	KRSI_OPTS(krsi_audit_opts, o, .format = format, .sink = KRSI_AUDIT_FD,
		  .fd = fd);
	struct audit_output out = {};
	struct krsi_audit_record rec;
	struct lost_record r;
	int err;

	lost_record(&r, &rec);
	assert_int_equal(audit_output_init(&out, &o), 0);
	assert_int_equal(audit_output_record(&out, &rec, NULL), 0);
	err = audit_output_flush(&out);
	audit_output_fini(&out);
	return err;
}

static void read_pipe(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size - 1);

	assert_true(n >= 0);
	buf[n] = '\0';
}

static void test_fd_sink_formats(void **state)
{
	char buf[512];
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(output_to_fd(KRSI_AUDIT_JSON, p[1]), 0);
	read_pipe(p[0], buf, sizeof(buf));
	assert_string_equal(buf,
			    "{\"type\":\"lost\",\"seq\":5,"
			    "\"time\":1700000000123456789,"
			    "\"ring\":\"events\",\"cpu\":3,\"count\":12}\n");
	assert_int_equal(output_to_fd(KRSI_AUDIT_TEXT, p[1]), 0);
	read_pipe(p[0], buf, sizeof(buf));
	assert_string_equal(buf, "type=KRSI_LOST msg=audit(1700000000.123:5): "
				 "ring=\"events\" cpu=3 lost=12\n");
	assert_int_equal(output_to_fd(KRSI_AUDIT_RAW, p[1]), 0);
	{
		struct lost_record got[2];

		/* one record, nothing more */
		assert_int_equal(read(p[0], got, sizeof(got)), sizeof(got[0]));
		assert_int_equal(got[0].h.type, KRSI_EVENT_TYPE_LOST);
		assert_int_equal(got[0].h.cpu, 3);
		assert_int_equal(got[0].lost.count, 12);
	}
	/* nobody reads: the write fails, and says so */
	close(p[0]);
	assert_int_equal(output_to_fd(KRSI_AUDIT_JSON, p[1]), -EPIPE);
	close(p[1]);
}

static void test_file_sink_error(void **state)
{
	KRSI_OPTS(krsi_audit_opts, o);
	struct audit_output out = {};
	struct krsi_audit_record rec;
	struct lost_record r;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	o.file = f;
	lost_record(&r, &rec);
	assert_int_equal(audit_output_init(&out, &o), 0);
	assert_int_equal(audit_output_record(&out, &rec, NULL), 0);
	assert_int_equal(audit_output_flush(&out), -ENOSPC);
	audit_output_fini(&out);
	fclose(f);
}

/* syslog(3) with LOG_PERROR copies each message to stderr: catch it. */
static void test_syslog_sink_one_message_per_record(void **state)
{
	KRSI_OPTS(krsi_audit_opts, o, .sink = KRSI_AUDIT_SYSLOG);
	struct audit_output out = {};
	struct krsi_audit_record rec;
	struct lost_record r;
	int p[2], saved;
	char buf[512];

	(void)state;
	assert_int_equal(pipe(p), 0);
	saved = dup(2);
	dup2(p[1], 2);
	openlog("krsi-test", LOG_PERROR, LOG_USER);
	lost_record(&r, &rec);
	assert_int_equal(audit_output_init(&out, &o), 0);
	assert_int_equal(audit_output_record(&out, &rec, NULL), 0);
	assert_int_equal(out.buf.len, 0);
	assert_int_equal(audit_output_flush(&out), 0);
	audit_output_fini(&out);
	closelog();
	dup2(saved, 2);
	close(saved);
	close(p[1]);
	read_pipe(p[0], buf, sizeof(buf));
	close(p[0]);
	assert_string_equal(buf,
			    "krsi-test: {\"type\":\"lost\",\"seq\":5,"
			    "\"time\":1700000000123456789,"
			    "\"ring\":\"events\",\"cpu\":3,\"count\":12}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_rejects_bad_options),
		cmocka_unit_test(test_new_and_free),
		cmocka_unit_test(test_null_handles),
		cmocka_unit_test(test_add_ring_rejects_bad_arguments),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_run_stops),
		cmocka_unit_test(test_fd_sink_formats),
		cmocka_unit_test(test_file_sink_error),
		cmocka_unit_test(test_syslog_sink_one_message_per_record),
	};

	return cmocka_run_group_tests_name("audit", tests, group_setup, NULL);
}
