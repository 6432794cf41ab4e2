/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A libkrsi audit agent in a process of its own: it loads
 * progs/bench_audit.bpf.c (every open and exec but its own) and writes the
 * events as JSON Lines to a file, attaching and detaching on command.
 */
#ifndef BENCH_AGENT_H
#define BENCH_AGENT_H

#include <sys/types.h>
#include <linux/types.h>

struct agent {
	pid_t pid;
	int cmd; /* commands to the agent */
	int reply; /* its replies */
};

/* Totals since the agent started. */
struct agent_stats {
	__u64 delivered; /* events written */
	__u64 dropped; /* events lost, as counted */
	double cpu_ns; /* the agent's CPU time */
};

/* Start an agent writing to OUT; exits on failure. */
void agent_start(struct agent *a, const char *out);
/* Attach its programs (emptying the output file first); totals so far. */
struct agent_stats agent_attach(struct agent *a);
/* Detach them and write out every event; totals so far. */
struct agent_stats agent_detach(struct agent *a);
void agent_stop(struct agent *a);

#endif /* BENCH_AGENT_H */
