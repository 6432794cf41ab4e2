/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Workloads that trigger LSM hooks, each run in a fresh child process (so
 * that what the kernel sets up per process at fork, such as an audit
 * context, is that of the configuration being measured). */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <linux/types.h>

enum workload {
	WL_GETPGID, /* getpgid(getpid()): task_getpgid */
	WL_OPEN, /* open() and close() of a file in /tmp: file_open */
	WL_SPAWN, /* posix_spawn() of /bin/true and wait: bprm_check_security */
};

/* The file WL_OPEN opens. */
#define WORKLOAD_FILE "/tmp/krsi-bench-file"

struct workload_result {
	double ns_per_op; /* wall-clock time per operation */
	double cpu_ns_per_op; /* the child's CPU time (and its children's) */
	double ops_per_s;
};

/* A name for WL, as rows print it. */
const char *workload_name(enum workload wl);

/*
 * Run OPS operations of WL in a child process, spinning WORK iterations of
 * an empty loop after each (less frequent operations); in the cgroup
 * directory CGROUP unless NULL. Exits on failure.
 */
struct workload_result workload_run(enum workload wl, __u64 ops,
				    unsigned int work, const char *cgroup);

/* Operations of WL that take about MS milliseconds here and now. */
__u64 workload_calibrate(enum workload wl, double ms, unsigned int work,
			 const char *cgroup);

/* Milliseconds each measurement should take: BENCH_RUN_MS, else DFLT. */
double workload_run_ms(double dflt);

#endif /* BENCH_WORKLOAD_H */
