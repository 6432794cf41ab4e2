// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The owner's record must be true, against events the kernel produced
 * (audit_stream.bpf.c's `syscall` programs, run with bpf_prog_test_run()):
 * an output that fails counts and reports what it lost and leaves the rest
 * in the ring; a restarted consumer reports only the drops after it
 * started; a ring has one consumer; a ring given by its maps is decoded
 * with the types of the programs writing to it, not those of the maps'
 * first version. No BPF LSM needed: runs on any host with BPF, as root,
 * and in the VM in both boots.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#include "audit_stream_test.h"
#include "audit_stream_v2.skel.h"

/* --- what libkrsi said ---------------------------------------------------- */

static char said[8192];

static int keep_message(enum krsi_print_level level, const char *fmt,
			va_list ap)
{
	size_t len = strlen(said);

	(void)level;
	vsnprintf(said + len, sizeof(said) - len, fmt, ap);
	return 0;
}

static void listen_to_libkrsi(void)
{
	said[0] = '\0';
	krsi_set_print(keep_message);
}

/* --- an output that fails on demand --------------------------------------- */

struct flaky {
	int fail; /* the errno writes fail with; 0: they succeed */
	char *buf;
	size_t len;
};

static ssize_t flaky_write(void *cookie, const char *p, size_t n)
{
	struct flaky *f = cookie;

	if (f->fail) {
		errno = f->fail;
		return -1;
	}
	f->buf = realloc(f->buf, f->len + n + 1);
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	f->buf[f->len] = '\0';
	return n;
}

/* A consumer writing FORMAT to F's stream, reading the small ring. */
static FILE *flaky_consumer(struct fixture *fx, struct flaky *f,
			    enum krsi_audit_format format)
{
	cookie_io_functions_t io = { .write = flaky_write };
	FILE *file = fopencookie(f, "w", io);

	assert_non_null(file);
	KRSI_OPTS(krsi_audit_opts, opts, .format = format, .file = file,
		  .clock = KRSI_AUDIT_BOOTTIME);
	fx->audit = krsi_audit__new(&opts);
	assert_non_null(fx->audit);
	assert_int_equal(
		krsi_audit__add_ring(fx->audit, fx->skel->obj, "small", NULL),
		0);
	return file;
}

static struct krsi_audit_stats stats_of(struct fixture *fx)
{
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };

	assert_int_equal(krsi_audit__stats(fx->audit, &stats), 0);
	return stats;
}

static __u32 emit_tiny(struct fixture *fx, __u32 count)
{
	return emit(fx, (struct emit_args){ .count = count, .on_small = 1 });
}

/* A stream that fails: the events taken are counted, reported first once
 * it works again; those produced meanwhile wait in the ring. */
static void test_failed_output_counts_reports_and_keeps(void **state)
{
	struct fixture *fx = *state;
	struct flaky f = { .fail = ENOSPC };
	struct krsi_audit_stats st;
	FILE *file = flaky_consumer(fx, &f, KRSI_AUDIT_JSON);
	char *line;

	assert_int_equal(emit_tiny(fx, 5), 5);
	assert_int_equal(krsi_audit__consume(fx->audit), -ENOSPC);
	st = stats_of(fx);
	assert_int_equal(st.delivered, 0);
	assert_int_equal(st.unwritten, 5);
	assert_int_equal(st.records, 0);
	assert_int_equal(st.bytes, 0);
	/* still failing: nothing more is taken from the ring */
	assert_int_equal(emit_tiny(fx, 3), 3);
	assert_int_equal(krsi_audit__consume(fx->audit), -ENOSPC);
	assert_int_equal(stats_of(fx).unwritten, 5);
	/* working again: the report, then the events that waited */
	f.fail = 0;
	assert_int_equal(krsi_audit__consume(fx->audit), 1 + 3);
	st = stats_of(fx);
	assert_int_equal(st.delivered, 3);
	assert_int_equal(st.unwritten, 5);
	assert_int_equal(st.records, 4);
	assert_int_equal(st.dropped, 0);
	line = strtok(f.buf, "\n");
	assert_non_null(line);
	assert_non_null(strstr(line, "{\"type\":\"lost\",\"seq\":"));
	assert_non_null(strstr(line, ",\"reason\":\"output\",\"errno\":28,"
				     "\"records\":5,\"count\":5}"));
	for (int i = 0; i < 3; i++) {
		char want[32];

		line = strtok(NULL, "\n");
		assert_non_null(line);
		snprintf(want, sizeof(want), "\"data\":{\"n\":%d}", i);
		assert_non_null(strstr(line, "\"type\":\"tiny\""));
		assert_non_null(strstr(line, want));
	}
	assert_null(strtok(NULL, "\n"));
	/* reported once */
	assert_int_equal(krsi_audit__consume(fx->audit), 0);
	fclose(file);
	free(f.buf);
}

/* The text format says the same. */
static void test_failed_output_reported_in_text(void **state)
{
	struct fixture *fx = *state;
	struct flaky f = { .fail = EIO };
	FILE *file = flaky_consumer(fx, &f, KRSI_AUDIT_TEXT);

	assert_int_equal(emit_tiny(fx, 2), 2);
	assert_int_equal(krsi_audit__consume(fx->audit), -EIO);
	f.fail = 0;
	assert_int_equal(krsi_audit__consume(fx->audit), 1);
	assert_non_null(strstr(f.buf, "type=KRSI_LOST msg=audit("));
	assert_non_null(
		strstr(f.buf, "): reason=output errno=5 records=2 lost=2\n"));
	fclose(file);
	free(f.buf);
}

/* A closed pipe is EPIPE to the consumer, SIGPIPE being ignored as an
 * application (krsi audit) does: krsi_audit__run() stops with it, every
 * event counted. */
static void test_closed_pipe_stops_run_with_epipe(void **state)
{
	struct fixture *fx = *state;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct krsi_audit_stats st;
	int pipefd[2];

	assert_int_equal(pipe(pipefd), 0);
	close(pipefd[0]);
	sigemptyset(&ign.sa_mask);
	assert_int_equal(sigaction(SIGPIPE, &ign, &old), 0);
	KRSI_OPTS(krsi_audit_opts, opts, .sink = KRSI_AUDIT_FD,
		  .fd = pipefd[1]);
	fx->audit = krsi_audit__new(&opts);
	assert_non_null(fx->audit);
	assert_int_equal(
		krsi_audit__add_ring(fx->audit, fx->skel->obj, "small", NULL),
		0);
	assert_int_equal(emit_tiny(fx, 7), 7);
	assert_int_equal(krsi_audit__run(fx->audit, NULL), -EPIPE);
	sigaction(SIGPIPE, &old, NULL);
	close(pipefd[1]);
	st = stats_of(fx);
	assert_int_equal(st.delivered, 0);
	assert_int_equal(st.unwritten, 7);
}

/* --- drops reported once -------------------------------------------------- */

struct counts {
	__u64 events, lost, lost_records;
};

static int count_cb(void *ctx, const struct krsi_audit_record *rec)
{
	struct counts *c = ctx;

	if (rec->kind == KRSI_AUDIT_EVENT) {
		c->events++;
	} else if (rec->kind == KRSI_AUDIT_LOST) {
		c->lost +=
			((const struct krsi_event_lost *)rec->payload)->count;
		c->lost_records++;
	}
	return 0;
}

static struct krsi_audit *counting_consumer(struct fixture *fx,
					    struct counts *c)
{
	KRSI_OPTS(krsi_audit_opts, opts, .format = KRSI_AUDIT_CALLBACK,
		  .callback = count_cb, .callback_ctx = c);
	struct krsi_audit *audit = krsi_audit__new(&opts);

	assert_non_null(audit);
	assert_int_equal(
		krsi_audit__add_ring(audit, fx->skel->obj, "small", NULL), 0);
	return audit;
}

/* A restarted consumer does not report its predecessor's drops again;
 * it reports those after it started. */
static void test_restarted_consumer_reports_only_new_drops(void **state)
{
	struct fixture *fx = *state;
	struct counts first = {}, second = {};
	__u32 reserved;

	fx->audit = counting_consumer(fx, &first);
	reserved = emit_tiny(fx, 200);
	assert_true(reserved < 200);
	assert_true(krsi_audit__consume(fx->audit) > 0);
	assert_int_equal(first.events, reserved);
	assert_int_equal(first.lost, 200 - reserved);
	krsi_audit__free(fx->audit);

	fx->audit = counting_consumer(fx, &second);
	assert_int_equal(krsi_audit__consume(fx->audit), 0);
	assert_int_equal(second.lost_records, 0);
	reserved = emit_tiny(fx, 50);
	assert_true(reserved < 50);
	/* stopping reads the counters */
	assert_int_equal(krsi_audit__stop(fx->audit), 0);
	assert_int_equal(krsi_audit__run(fx->audit, NULL), 0);
	assert_int_equal(second.events, reserved);
	assert_int_equal(second.lost, 50 - reserved);
	assert_int_equal(second.lost_records, 1);
}

/* --- one consumer per ring ------------------------------------------------ */

/* A second consumer, here or in another process, is refused, told the
 * holder's pid; once the first is gone, it may read. */
static void test_second_consumer_is_refused(void **state)
{
	struct fixture *fx = *state;
	struct counts c = {};
	struct krsi_audit *second;
	char pid[32];
	int status;
	pid_t child;

	fx->audit = counting_consumer(fx, &c);
	second = krsi_audit__new(NULL);
	assert_non_null(second);
	listen_to_libkrsi();
	assert_int_equal(
		krsi_audit__add_ring(second, fx->skel->obj, "small", NULL),
		-EBUSY);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(krsi_audit__add_ring_fd(
				 second, bpf_map__fd(fx->skel->maps.small),
				 bpf_map__fd(fx->skel->maps.small_drops), NULL),
			 -EBUSY);
	krsi_set_print(NULL);
	snprintf(pid, sizeof(pid), "process %d", getpid());
	if (!strstr(said, pid))
		fail_msg("the refusal does not name %s: %s", pid, said);
	/* the same consumer: still "already consumed here" */
	assert_int_equal(
		krsi_audit__add_ring(fx->audit, fx->skel->obj, "small", NULL),
		-EEXIST);

	child = fork();
	if (child == 0) {
		struct krsi_audit *a = krsi_audit__new(NULL);
		int err = a ? krsi_audit__add_ring(a, fx->skel->obj, "small",
						   NULL)
			    : -errno;

		krsi_audit__free(a);
		_exit(err == -EBUSY ? 0 : 1);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	krsi_audit__free(fx->audit);
	fx->audit = NULL;
	assert_int_equal(
		krsi_audit__add_ring(second, fx->skel->obj, "small", NULL), 0);
	krsi_audit__free(second);
}

/* --- event types of the programs writing ---------------------------------- */

/* A new version loaded over the first's maps, as a replacement keeps
 * them: a consumer given the maps decodes with the new version's types. */
static void test_types_are_those_of_the_programs_writing(void **state)
{
	struct fixture *fx = *state;
	struct audit_stream_v2_bpf *v2 = audit_stream_v2_bpf__open();
	struct emit_args args = { .count = 1 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	int ring = bpf_map__fd(fx->skel->maps.small);
	int drops = bpf_map__fd(fx->skel->maps.small_drops);

	assert_non_null(v2);
	assert_int_equal(bpf_map__reuse_fd(v2->maps.small, ring), 0);
	assert_int_equal(bpf_map__reuse_fd(v2->maps.small_drops, drops), 0);
	assert_int_equal(krsi_prepare_events(v2->obj), 0);
	assert_int_equal(audit_stream_v2_bpf__load(v2), 0);

	capture_open(&fx->out);
	KRSI_OPTS(krsi_audit_opts, opts, .file = fx->out.f);
	fx->audit = krsi_audit__new(&opts);
	assert_non_null(fx->audit);
	assert_int_equal(krsi_audit__add_ring_fd(fx->audit, ring, drops, NULL),
			 0);
	assert_int_equal(bpf_prog_test_run_opts(
				 bpf_program__fd(v2->progs.emit_v2), &run),
			 0);
	assert_int_equal(krsi_audit__consume(fx->audit), 1);
	fflush(fx->out.f);
	if (!strstr(fx->out.buf, "{\"type\":\"tiny_v2\",") ||
	    !strstr(fx->out.buf, "\"data\":{\"count\":100}}"))
		fail_msg("not decoded with the writing program's types: %s",
			 fx->out.buf);
	audit_stream_v2_bpf__destroy(v2);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	struct CMUnitTest tests[] = {
		T(test_failed_output_counts_reports_and_keeps),
		T(test_failed_output_reported_in_text),
		T(test_closed_pipe_stops_run_with_epipe),
		T(test_restarted_consumer_reports_only_new_drops),
		T(test_second_consumer_is_refused),
		T(test_types_are_those_of_the_programs_writing),
	};

	/* where consumers lock rings: every system has /run, the VM not */
	mkdir("/run", 0755);
	/* No BPF LSM needed: the same tests in both boots (--lsm-off). */
	/* The events come from syscall programs, run with
	 * bpf_prog_test_run(). */
	ktest_require_feature_all(tests, sizeof(tests) / sizeof(tests[0]),
				  KRSI_FEATURE_SYSCALL_PROG);
	return cmocka_run_group_tests_name("audit_integrity", tests, NULL,
					   NULL);
}
