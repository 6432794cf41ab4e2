/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the audit tests of audit_stream.bpf.c's `syscall` programs:
 * the loaded programs, pinned to CPU 0, and a consumer of them.
 */
#ifndef AUDIT_STREAM_TEST_H
#define AUDIT_STREAM_TEST_H

#include <sched.h>
#include <sys/prctl.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "audit_test.h"
#include "progs/audit_stream.h"
#include "audit_stream.skel.h"

#define COMM "krsi-golden"

struct fixture {
	struct audit_stream_bpf *skel;
	struct krsi_audit *audit;
	struct capture out;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	cpu_set_t cpus;
	int err;

	if (!fx)
		return -1;
	*state = fx;
	/* one CPU, so every event says cpu 0 and drops are counted there */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return -1;
	prctl(PR_SET_NAME, COMM);
	fx->skel = audit_stream_bpf__open();
	if (!fx->skel)
		return -1;
	if (krsi_prepare_events(fx->skel->obj))
		return -1;
	err = audit_stream_bpf__load(fx->skel);
	if (err) {
		print_message("cannot load the syscall programs: %s\n",
			      strerror(-err));
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	krsi_audit__free(fx->audit);
	capture_close(&fx->out);
	audit_stream_bpf__destroy(fx->skel);
	free(fx);
	return 0;
}

/* Run emit() with ARGS; returns how many events it reserved. */
static __u32 emit(struct fixture *fx, struct emit_args args)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));

	assert_int_equal(bpf_prog_test_run_opts(
				 bpf_program__fd(fx->skel->progs.emit), &run),
			 0);
	assert_int_equal(run.retval, 0);
	return fx->skel->bss->reserved;
}

#endif /* AUDIT_STREAM_TEST_H */
