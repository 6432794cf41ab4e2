// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Wakeup batching on a real LSM hook (progs/audit_batch.bpf.c, one event
 * per getpgid() of this process), consumed by krsi_audit__run() in a
 * thread:
 *
 * - an isolated event waits the batch delay, no longer: it is delivered
 *   at least the delay after it was reserved (so it was batched) and
 *   within the delay plus the emulator's slack (so nothing but the delay
 *   held it: without the timer it would wait for the next event, or the
 *   next second's pass);
 * - a burst of four rings' worth, with the longest delay, loses nothing:
 *   the ring's fill threshold wakes the consumer before the ring
 *   overflows. The producer goes in chunks of an eighth of the ring and,
 *   before a chunk, waits at most BURST_STALL_MS when half a ring is
 *   unread: without the threshold's wakeups it goes on while the consumer
 *   sleeps out its second, and overflows the ring (checked by setting
 *   the threshold to 0).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "ktest.h"
#include "progs/audit_batch.h"
#include "audit_batch.skel.h"

#define DELAY_MS 200
/* What a loaded emulator may add to the delay: far less than the second
 * after which krsi_audit__run() would find the event anyway. */
#define SLACK_MS 600
#define RING_EVENTS (BATCH_RING_BYTES / BATCH_RECORD_BYTES)
#define BURST_EVENTS (4 * RING_EVENTS)
#define BURST_CHUNK (RING_EVENTS / 8)
#define BURST_STALL_MS 150

struct fixture {
	struct audit_batch_bpf *skel;
	struct krsi_audit *audit;
	pthread_t consumer;
	atomic_ullong events, lost;
	atomic_ullong last_latency_ns;
};

static __u64 boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int on_record(void *ctx, const struct krsi_audit_record *rec)
{
	struct fixture *fx = ctx;

	if (rec->kind == KRSI_AUDIT_EVENT && rec->header->type == BATCH_TYPE) {
		atomic_store(&fx->last_latency_ns,
			     boottime_ns() - rec->header->timestamp_ns);
		atomic_fetch_add(&fx->events, 1);
	} else if (rec->kind == KRSI_AUDIT_LOST) {
		atomic_fetch_add(
			&fx->lost,
			((const struct krsi_event_lost *)rec->payload)->count);
	}
	return 0;
}

static void *consume(void *arg)
{
	struct fixture *fx = arg;

	return (void *)(long)krsi_audit__run(fx->audit, NULL);
}

/* Load and attach the program, and start consuming with DELAY_MS. */
static struct fixture *start(unsigned int delay_ms)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	KRSI_OPTS(krsi_audit_opts, o, .format = KRSI_AUDIT_CALLBACK,
		  .callback = on_record, .callback_ctx = fx);
	int err;

	assert_non_null(fx);
	fx->skel = audit_batch_bpf__open();
	assert_non_null(fx->skel);
	fx->skel->rodata->target_tgid = getpid();
	assert_int_equal(fx->skel->rodata->batch_wakeup_bytes,
			 BATCH_RING_BYTES / 4);
	assert_int_equal(krsi_prepare_events(fx->skel->obj), 0);
	err = audit_batch_bpf__load(fx->skel);
	if (err == -EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	assert_int_equal(err, 0);
	fx->audit = krsi_audit__new(&o);
	assert_non_null(fx->audit);
	assert_int_equal(krsi_audit__set_batch_delay(fx->audit, delay_ms), 0);
	assert_int_equal(
		krsi_audit__add_ring(fx->audit, fx->skel->obj, "batch", NULL),
		0);
	assert_int_equal(audit_batch_bpf__attach(fx->skel), 0);
	assert_int_equal(pthread_create(&fx->consumer, NULL, consume, fx), 0);
	return fx;
}

static void stop(struct fixture *fx)
{
	void *ret;

	audit_batch_bpf__detach(fx->skel);
	assert_int_equal(krsi_audit__stop(fx->audit), 0);
	pthread_join(fx->consumer, &ret);
	assert_int_equal((long)ret, 0);
	krsi_audit__free(fx->audit);
	audit_batch_bpf__destroy(fx->skel);
	free(fx);
}

/* One event: one getpgid() of this process. */
static void produce(void)
{
	assert_int_equal(getpgid(getpid()), getpgid(0));
}

/* Wait up to MS for N events in all. */
static void wait_events(struct fixture *fx, __u64 n, unsigned int ms)
{
	__u64 until = boottime_ns() + ms * 1000000ULL;

	while (atomic_load(&fx->events) + atomic_load(&fx->lost) < n &&
	       boottime_ns() < until)
		usleep(1000);
}

static void test_isolated_event_within_the_delay(void **state)
{
	struct fixture *fx = start(DELAY_MS);
	double ms;

	(void)state;
	usleep(300 * 1000); /* the consumer asleep, the ring empty */
	produce();
	wait_events(fx, 1, 3000);
	ms = atomic_load(&fx->last_latency_ns) / 1e6;
	print_message("an isolated event delivered %.1f ms after it was "
		      "reserved, batch delay %d ms\n",
		      ms, DELAY_MS);
	assert_int_equal(atomic_load(&fx->events), 1);
	assert_true(ms >= DELAY_MS - 1);
	assert_true(ms < DELAY_MS + SLACK_MS);
	stop(fx);
}

static void test_burst_loses_nothing(void **state)
{
	struct fixture *fx = start(KRSI_AUDIT_BATCH_DELAY_MAX_MS);
	int i, stalls = 0;

	(void)state;
	for (i = 0; i < BURST_EVENTS; i++) {
		/* half a ring unread: let the consumer catch up, a while */
		if (i % BURST_CHUNK == 0 &&
		    i - atomic_load(&fx->events) >= RING_EVENTS / 2) {
			stalls++;
			wait_events(fx, i - RING_EVENTS / 4, BURST_STALL_MS);
		}
		produce();
	}
	wait_events(fx, BURST_EVENTS, 3000);
	print_message("a burst of %d events on a ring of %d, batch delay "
		      "%d ms: %llu delivered, %llu lost, %d stalls\n",
		      BURST_EVENTS, RING_EVENTS, KRSI_AUDIT_BATCH_DELAY_MAX_MS,
		      (unsigned long long)atomic_load(&fx->events),
		      (unsigned long long)atomic_load(&fx->lost), stalls);
	assert_int_equal(atomic_load(&fx->lost), 0);
	assert_int_equal(atomic_load(&fx->events), BURST_EVENTS);
	assert_int_equal(fx->skel->bss->reserved, BURST_EVENTS);
	stop(fx);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isolated_event_within_the_delay),
		cmocka_unit_test(test_burst_loses_nothing),
	};

	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("audit batch", tests, NULL,
					   ktest_wait_programs_freed);
}
