/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the benchmarks: clocks, repeated measurements summarised as
 * median and range, and the rows bench/run.sh gathers into one table.
 *
 * A benchmark prints lines of tab-separated fields on standard output:
 *
 *	ROW <group> <case> <median> <min> <max> <unit> <target> <status> <detail>
 *	ENV <key> <value>
 *
 * Everything else it prints goes to standard error. Status is "ok",
 * "MISSED" or "-" (no target).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Default repetitions of each measurement, after one warm-up; the
 * environment's BENCH_REPS overrides it. */
#define BENCH_REPS 7

/* The median and range of a series. */
struct bench_stats {
	double med, min, max;
	int n;
};

/* How a median compares with its target. */
enum bench_cmp {
	BENCH_INFO, /* no target */
	BENCH_GE, /* at least the target */
	BENCH_LE, /* at most the target */
};

static inline double bench_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Wall-clock (monotonic) time and the calling thread's CPU time, in ns. */
#define bench_now() bench_clock_ns(CLOCK_MONOTONIC)
#define bench_cpu() bench_clock_ns(CLOCK_THREAD_CPUTIME_ID)

/* Repetitions: BENCH_REPS from the environment, else DEFAULT. */
int bench_reps(int dflt);

/* Summarise the N values of V (reordered). */
struct bench_stats bench_stats(double *v, int n);

/* Print a row; DETAIL (printf format) may be NULL. */
__attribute__((format(printf, 8, 9))) void
bench_row(const char *group, const char *name, struct bench_stats s,
	  const char *unit, enum bench_cmp cmp, double target,
	  const char *target_unit, const char *detail, ...);

/* Print the ENV rows: kernel, CPU, libbpf and libkrsi versions. */
void bench_env(void);

/* Exit with a message on standard error, for setup failures. */
__attribute__((format(printf, 1, 2), noreturn)) void bench_die(const char *fmt,
							       ...);

/* Send libkrsi's and libbpf's warnings to standard error, debug off. */
void bench_quiet_logs(void);

#endif /* BENCH_H */
