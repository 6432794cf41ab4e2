/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Linux audit, as a user would deploy it: Debian's auditd (unpacked from
 * its package by bench/run.sh, never installed) with its default
 * configuration but for the log's place, and rules auditing every openat
 * and execve but auditd's own.
 */
#ifndef BENCH_AUDITD_H
#define BENCH_AUDITD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

struct auditd {
	pid_t pid;
	pid_t kauditd; /* the kernel thread sending records to auditd */
	char root[256]; /* the unpacked package */
	char dir[256]; /* its configuration and log */
	char log[300];
};

/* Totals since auditd started. */
struct auditd_stats {
	__u64 lost; /* the kernel's count of records it dropped */
	double cpu_ns; /* auditd's and kauditd's CPU time */
};

/*
 * Start auditd from ROOT (holding sbin/auditd, sbin/auditctl and lib/) and
 * load the rules, auditing disabled. On failure, says why in WHY and
 * returns false.
 */
bool auditd_start(struct auditd *d, const char *root, char *why, size_t why_sz);
/* Enable or disable auditing (auditctl -e 1 or 0); the rules stay. */
void auditd_enable(bool on);
/* Empty the log. */
void auditd_truncate(struct auditd *d);
/* Wait until the kernel's backlog is empty and the log stops growing;
 * returns the totals and, in *WRITTEN, the syscall events in the log. */
struct auditd_stats auditd_settle(struct auditd *d, __u64 *written);
/* Delete the rules, disable auditing, stop auditd and remove its log. */
void auditd_stop(struct auditd *d);

#endif /* BENCH_AUDITD_H */
