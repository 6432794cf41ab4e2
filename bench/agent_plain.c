// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The audit head-to-head's hand-written agent: what a vendor writes
 * without libkrsi, in libbpf-bootstrap's manner. It loads
 * progs/bench_audit_plain.bpf.c, and a loop of ring_buffer__poll() (100 ms
 * timeout, a signal handler setting a flag) hands each event to a callback
 * that writes the fields of libkrsi's JSON lines with fprintf() (no
 * escaping, fixed names), flushed after each poll. See agent.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "agent.h"
#include "bench.h"
#include "progs/bench_audit_plain.h"
#include "bench_audit_plain.skel.h"

static volatile sig_atomic_t command;

static void on_command(int sig)
{
	(void)sig;
	command = 1;
}

struct plain_agent {
	FILE *out;
	__u64 seq;
	__u64 boot_to_real; /* added to boot-time stamps */
};

static int on_event(void *ctx, void *data, size_t size)
{
	const struct plain_audit_event *e = data;
	struct plain_agent *p = ctx;
	const char *name = e->type == PLAIN_OPEN ? "file_open" : "exec";

	if (size < sizeof(*e))
		return 0;
	fprintf(p->out,
		"{\"type\":\"%s\",\"seq\":%llu,\"time\":%llu,\"type_id\":%u,"
		"\"hook\":\"%s\",\"verdict\":\"allow\",\"mode\":\"enforce\","
		"\"policy\":1,\"errno\":0,\"cpu\":%u,\"pid\":%u,\"tid\":%u,"
		"\"uid\":%u,\"gid\":%u,\"euid\":%u,\"loginuid\":%u,"
		"\"cgroup\":%llu,\"comm\":\"%.16s\",\"data\":",
		name, (unsigned long long)++p->seq,
		(unsigned long long)(e->time_ns + p->boot_to_real), e->type,
		e->type == PLAIN_OPEN ? "file_open" : "bprm_check_security",
		e->cpu, e->pid, e->tid, e->uid, e->gid, e->euid, e->loginuid,
		(unsigned long long)e->cgroup, e->comm);
	if (e->type == PLAIN_OPEN)
		fprintf(p->out,
			"{\"flags\":%u,\"pad\":0,\"ino\":%llu,\"path\":\"%s\"}}\n",
			e->flags, (unsigned long long)e->ino, e->path);
	else
		fprintf(p->out, "{\"filename\":\"%s\"}}\n", e->path);
	return 0;
}

static __u64 drops(struct bench_audit_plain_bpf *skel)
{
	int i, ncpu = libbpf_num_possible_cpus();
	__u64 v[ncpu > 0 ? ncpu : 1], n = 0;
	__u32 zero = 0;

	if (ncpu <= 0 ||
	    bpf_map__lookup_elem(skel->maps.plain_audit_drops, &zero,
				 sizeof(zero), v, sizeof(v), 0))
		bench_die("hand-written agent: cannot read its drop counters");
	for (i = 0; i < ncpu; i++)
		n += v[i];
	return n;
}

void agent_plain_main(int cmd, int reply, const char *out)
{
	struct sigaction sa = { .sa_handler = on_command };
	struct plain_agent p = { 0 };
	struct bench_audit_plain_bpf *skel;
	struct ring_buffer *rb;
	int fd, err;
	char c;

	/* no SA_RESTART: the signal ends the wait */
	if (sigaction(SIGUSR1, &sa, NULL))
		bench_die("hand-written agent: sigaction: %s", strerror(errno));
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
		  0600);
	p.out = fd < 0 ? NULL : fdopen(fd, "a");
	skel = bench_audit_plain_bpf__open();
	if (!p.out || !skel)
		bench_die("hand-written agent: cannot start: %s",
			  strerror(errno));
	skel->rodata->agent_tgid = getpid();
	if (bench_audit_plain_bpf__load(skel))
		bench_die("hand-written agent: cannot load: %s",
			  strerror(errno));
	rb = ring_buffer__new(bpf_map__fd(skel->maps.plain_audit), on_event, &p,
			      NULL);
	if (!rb)
		bench_die("hand-written agent: ring_buffer__new: %s",
			  strerror(errno));
	p.boot_to_real =
		bench_clock_ns(CLOCK_REALTIME) - bench_clock_ns(CLOCK_BOOTTIME);
	agent_reply_stats(reply, 0, 0);
	for (;;) {
		while (!command) {
			err = ring_buffer__poll(rb, 100);
			if (err < 0 && err != -EINTR)
				bench_die("hand-written agent: poll: %s",
					  strerror(-err));
			fflush(p.out);
		}
		command = 0;
		if (read(cmd, &c, 1) != 1 || c == 'q')
			break;
		if (c == 'a') {
			fflush(p.out);
			if (ftruncate(fd, 0))
				bench_die("hand-written agent: cannot empty %s",
					  out);
			if (bench_audit_plain_bpf__attach(skel))
				bench_die(
					"hand-written agent: cannot attach: %s",
					strerror(errno));
		} else {
			agent_detach_begin();
			bench_audit_plain_bpf__detach(skel);
			agent_detach_end();
			if (ring_buffer__consume(rb) < 0)
				bench_die("hand-written agent: consume failed");
			fflush(p.out);
		}
		agent_reply_stats(reply, p.seq, drops(skel));
	}
	ring_buffer__free(rb);
	bench_audit_plain_bpf__destroy(skel);
	fclose(p.out);
	_exit(0);
}
