// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* An audit agent in a process of its own, and the libkrsi one: see
 * agent.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "agent.h"
#include "bench.h"
#include "bench_audit.skel.h"

/* CPU time the agent spent detaching, left out of its totals. */
static double detaching_ns;

static double cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

void agent_detach_begin(void)
{
	detaching_ns -= cpu_ns();
}

void agent_detach_end(void)
{
	detaching_ns += cpu_ns();
}

void agent_reply_stats(int fd, __u64 delivered, __u64 dropped)
{
	struct agent_stats s = { .delivered = delivered, .dropped = dropped };
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	s.cpu_ns = cpu_ns() - detaching_ns;
	/* blocking waits: each ends in a wakeup */
	s.wakeups = ru.ru_nvcsw;
	if (write(fd, &s, sizeof(s)) != sizeof(s))
		_exit(1);
}

static void reply_stats(int fd, struct krsi_audit *audit)
{
	struct krsi_audit_stats st = { .sz = sizeof(st) };

	krsi_audit__stats(audit, &st);
	agent_reply_stats(fd, st.delivered, st.dropped);
}

static int ignore(void *ctx, const struct krsi_audit_record *record)
{
	(void)ctx;
	(void)record;
	return 0;
}

/* JSON Lines to FD, or to /dev/null, or to a callback doing nothing. */
static struct krsi_audit *consumer(int fd, enum agent_kind kind)
{
	KRSI_OPTS(krsi_audit_opts, opts, .format = KRSI_AUDIT_JSON,
		  .sink = KRSI_AUDIT_FD, .fd = fd);

	if (kind == AGENT_LIBKRSI_NOOP) {
		opts.format = KRSI_AUDIT_CALLBACK;
		opts.callback = ignore;
	} else if (kind == AGENT_LIBKRSI_DEVNULL) {
		opts.fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (opts.fd < 0)
			return NULL;
	}
	return krsi_audit__new(&opts);
}

static void __attribute__((noreturn))
agent_main(int cmd, int reply, const char *out, enum agent_kind kind)
{
	struct bench_audit_bpf *skel;
	struct krsi_object *obj;
	struct krsi_self_id self;
	struct krsi_audit *audit;
	int fd, err;
	char c;

	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
		  0600);
	skel = bench_audit_bpf__open();
	if (fd < 0 || !skel || krsi_get_self_id(&self))
		bench_die("agent: cannot start: %s", strerror(errno));
	err = krsi_prepare_events(skel->obj);
	if (!err)
		err = bench_audit_bpf__load(skel);
	if (err)
		bench_die("agent: cannot load the audit programs: %s",
			  strerror(-err));
	skel->bss->krsi_self = self;
	obj = krsi_object__from_bpf_object(skel->obj, NULL);
	audit = consumer(fd, kind);
	if (!obj || !audit ||
	    krsi_audit__set_batch_delay(audit,
					kind == AGENT_LIBKRSI_IMMEDIATE
						? 0
						: KRSI_AUDIT_BATCH_DELAY_MS) ||
	    krsi_audit__add_ring(audit, skel->obj, "audit_events", NULL))
		bench_die("agent: cannot consume the events: %s",
			  strerror(errno));
	reply_stats(reply, audit);
	for (;;) {
		KRSI_OPTS(krsi_audit_run_opts, run, .stop_fd = cmd);

		err = krsi_audit__run(audit, &run);
		if (err)
			bench_die("agent: consuming failed: %s",
				  strerror(-err));
		if (read(cmd, &c, 1) != 1 || c == 'q')
			break;
		if (c == 'a') {
			if (ftruncate(fd, 0))
				bench_die("agent: cannot empty %s", out);
			err = krsi_object__attach(obj, NULL);
			if (err)
				bench_die("agent: cannot attach: %s",
					  strerror(-err));
		} else {
			agent_detach_begin();
			krsi_object__detach(obj);
			agent_detach_end();
			while ((err = krsi_audit__consume(audit)) > 0)
				;
			if (err)
				bench_die("agent: consuming failed: %s",
					  strerror(-err));
		}
		reply_stats(reply, audit);
	}
	krsi_audit__free(audit);
	krsi_object__destroy(obj);
	bench_audit_bpf__destroy(skel);
	_exit(0);
}

static struct agent_stats agent_reply(struct agent *a)
{
	struct agent_stats s;

	if (read(a->reply, &s, sizeof(s)) != sizeof(s))
		bench_die("the audit agent died");
	return s;
}

static struct agent_stats agent_cmd(struct agent *a, char c)
{
	if (write(a->cmd, &c, 1) != 1 ||
	    (a->kind == AGENT_PLAIN && kill(a->pid, SIGUSR1)))
		bench_die("the audit agent is gone");
	return agent_reply(a);
}

void agent_start(struct agent *a, enum agent_kind kind, const char *out)
{
	int cmd[2], reply[2];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(reply, O_CLOEXEC))
		bench_die("pipe: %s", strerror(errno));
	fflush(NULL);
	a->kind = kind;
	a->pid = fork();
	if (a->pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (a->pid == 0) {
		close(cmd[1]);
		close(reply[0]);
		if (kind == AGENT_PLAIN)
			agent_plain_main(cmd[0], reply[1], out);
		agent_main(cmd[0], reply[1], out, kind);
	}
	close(cmd[0]);
	close(reply[1]);
	a->cmd = cmd[1];
	a->reply = reply[0];
	agent_reply(a);
}

struct agent_stats agent_attach(struct agent *a)
{
	return agent_cmd(a, 'a');
}

struct agent_stats agent_detach(struct agent *a)
{
	return agent_cmd(a, 'd');
}

void agent_stop(struct agent *a)
{
	char c = 'q';

	if (write(a->cmd, &c, 1) != 1 ||
	    (a->kind == AGENT_PLAIN && kill(a->pid, SIGUSR1)))
		kill(a->pid, SIGTERM);
	waitpid(a->pid, NULL, 0);
	close(a->cmd);
	close(a->reply);
}
