/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * An audit agent in a process of its own: it loads its programs (every
 * open and exec but its own) and writes the events as JSON Lines to a
 * file, attaching and detaching on command. The libkrsi agent
 * (progs/bench_audit.bpf.c, agent.c) consumes with krsi_audit__run(); the
 * hand-written one (progs/bench_audit_plain.bpf.c, agent_plain.c) with
 * libbpf's ring_buffer__poll() and fprintf().
 */
#ifndef BENCH_AGENT_H
#define BENCH_AGENT_H

#include <sys/types.h>
#include <linux/types.h>

enum agent_kind {
	AGENT_LIBKRSI, /* batching, with the default delay */
	AGENT_PLAIN,
	AGENT_LIBKRSI_IMMEDIATE, /* no batching: a batch delay of 0 */
	/* what the libkrsi agent's cost per event is made of (batching) */
	AGENT_LIBKRSI_NOOP, /* a callback that does nothing */
	AGENT_LIBKRSI_DEVNULL, /* JSON to /dev/null */
	NR_AGENT_KINDS,
};

struct agent {
	enum agent_kind kind;
	pid_t pid;
	int cmd; /* commands to the agent */
	int reply; /* its replies */
};

/* Totals since the agent started. */
struct agent_stats {
	__u64 delivered; /* events written */
	__u64 dropped; /* events lost, as counted */
	double cpu_ns; /* the agent's CPU time, but detaching's */
	double wakeups; /* times it blocked and was woken */
};

/* Start an agent of KIND writing to OUT; exits on failure. */
void agent_start(struct agent *a, enum agent_kind kind, const char *out);
/* Attach its programs (emptying the output file first); totals so far. */
struct agent_stats agent_attach(struct agent *a);
/* Detach them and write out every event; totals so far. */
struct agent_stats agent_detach(struct agent *a);
void agent_stop(struct agent *a);

/* In an agent's process: reply to a command with its totals. */
void agent_reply_stats(int fd, __u64 delivered, __u64 dropped);
/* In an agent's process, around detaching its programs: the CPU time
 * between them (the kernel's, which no event causes) is left out. */
void agent_detach_begin(void);
void agent_detach_end(void);
/* The hand-written agent's process (agent_plain.c): commands come on CMD,
 * each announced by a SIGUSR1; replies go to REPLY. */
void __attribute__((noreturn))
agent_plain_main(int cmd, int reply, const char *out);

#endif /* BENCH_AGENT_H */
