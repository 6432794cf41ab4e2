// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Generations under load: user space publishes thousands of generations as
 * fast as it can while a BPF program reads the policy in a tight loop,
 * checking each decision saw exactly its generation, never a mixed,
 * partial or empty one. The readers are a socket filter run by
 * bpf_prog_test_run() (works on the host too) and an LSM program on
 * task_getsid, triggered by getsid() in a loop (inside the VM).
 *
 * The test also shows its own teeth: it goes on until readers have been
 * caught mid-flip (their lookups were wrong and krsi_snap_retry() made
 * them redo them), so a reader without the check would have failed it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "progs/policy_gen.h" /* before the skeleton, which uses it */
#include "policy_gen.skel.h"

/* Publish at least this many generations... */
#define MIN_FLIPS 2000
/* ... and go on until this many torn reads were caught ... */
#define MIN_CAUGHT 20
/* ... for at most this long. */
#define MAX_SECONDS 60

struct fixture {
	struct policy_gen_bpf *skel;
	struct krsi_map *ctl, *ids;
	struct krsi_gen *gen;
	struct krsi_set *set;
	volatile bool stop;
	int reader_err;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->skel = policy_gen_bpf__open();
	if (!fx->skel)
		return -1;
	fx->skel->rodata->target_tgid = getpid();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	krsi_gen__free(fx->gen);
	krsi_map__free(fx->ids);
	krsi_map__free(fx->ctl);
	policy_gen_bpf__destroy(fx->skel);
	free(fx);
	return 0;
}

/* After load: the policy's handles. */
static void init_policy(struct fixture *fx)
{
	fx->ctl = krsi_map__new(fx->skel->maps.krsi_ctl);
	fx->ids = krsi_map__new(fx->skel->maps.ids);
	assert_non_null(fx->ctl);
	assert_non_null(fx->ids);
	fx->gen = krsi_gen__new(fx->ctl, NULL);
	assert_non_null(fx->gen);
	fx->set = krsi_gen__add_set(fx->gen, fx->ids, KRSI_SET_ID);
	assert_non_null(fx->set);
}

/* Build and publish the next generation, as policy_gen.h describes it. */
static void publish_next(struct fixture *fx)
{
	__u64 next = krsi_gen__generation(fx->gen) + 1;
	struct krsi_rule rule = { .id = (__u32)next };
	__u32 i;

	assert_int_equal(krsi_gen__begin(fx->gen), 0);
	for (i = 0; i < gen_size(next); i++) {
		rule.flags = i;
		assert_int_equal(krsi_set__add_id(fx->set, i, &rule), 0);
	}
	assert_int_equal(krsi_gen__commit(fx->gen), 0);
}

static void *socket_reader(void *arg)
{
	struct fixture *fx = arg;
	char packet[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = packet,
		    .data_size_in = sizeof(packet), .repeat = 100);
	int fd = bpf_program__fd(fx->skel->progs.read_policy);

	while (!fx->stop && !fx->reader_err)
		if (bpf_prog_test_run_opts(fd, &run))
			fx->reader_err = errno;
	return NULL;
}

static void *lsm_reader(void *arg)
{
	struct fixture *fx = arg;
	pid_t me = getpid();

	while (!fx->stop && !fx->reader_err)
		if (getsid(me) < 0)
			fx->reader_err = errno;
	return NULL;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Flip generations while READER's thread reads; then check the counts. */
static void hammer(struct fixture *fx, void *(*reader)(void *))
{
	volatile struct gen_counts *counts = &fx->skel->bss->counts;
	double start = seconds(), took;
	unsigned long flips = 0;
	pthread_t thread;

	publish_next(fx);
	assert_int_equal(pthread_create(&thread, NULL, reader, fx), 0);
	while (!fx->reader_err) {
		publish_next(fx);
		flips++;
		if (flips >= MIN_FLIPS && counts->caught >= MIN_CAUGHT)
			break;
		if (seconds() - start > MAX_SECONDS)
			break;
	}
	fx->stop = true;
	assert_int_equal(pthread_join(thread, NULL), 0);
	took = seconds() - start;
	print_message(
		"%lu generations published in %.1f s; %llu decisions: %llu consistent, %llu bad, %llu gave up; %llu runs redone after a flip, %llu of which had seen a torn policy\n",
		flips, took, (unsigned long long)counts->decisions,
		(unsigned long long)counts->consistent,
		(unsigned long long)counts->bad,
		(unsigned long long)counts->gave_up,
		(unsigned long long)counts->retries,
		(unsigned long long)counts->caught);
	if (fx->reader_err)
		fail_msg("the reader failed: %s", strerror(fx->reader_err));
	assert_int_equal(counts->bad, 0);
	assert_true(counts->consistent > 0);
	assert_true(flips >= MIN_FLIPS);
	if (counts->caught < MIN_CAUGHT)
		fail_msg(
			"only %llu reads raced a publication in %d s: the test could not have told a torn policy from a whole one",
			(unsigned long long)counts->caught, MAX_SECONDS);
}

static void test_socket_filter_reader(void **state)
{
	struct fixture *fx = *state;

	bpf_program__set_autoload(fx->skel->progs.read_policy_lsm, false);
	assert_int_equal(policy_gen_bpf__load(fx->skel), 0);
	init_policy(fx);
	hammer(fx, socket_reader);
}

static void test_lsm_reader(void **state)
{
	struct fixture *fx = *state;
	struct bpf_link *link;
	int err;

	err = policy_gen_bpf__load(fx->skel);
	if (err)
		ktest_unavailable(
			"this kernel refuses to load an LSM program: %s; run the test inside krsi-vmtest",
			strerror(-err));
	init_policy(fx);
	link = bpf_program__attach(fx->skel->progs.read_policy_lsm);
	assert_non_null(link);
	hammer(fx, lsm_reader);
	bpf_link__destroy(link);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socket_filter_reader,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lsm_reader, setup,
						teardown),
	};

	/* The socket filter does not need the BPF LSM; the LSM reader would
	 * never run without it. */
	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("policy_gen", tests, NULL, NULL);
}
