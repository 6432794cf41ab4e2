// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Audit head-to-head, in one boot: the same workloads (an open/close loop,
 * a spawn loop of /bin/true, and the open/close loop slowed down by work
 * between operations, for lower event rates) with no auditing, with
 * libkrsi's exec and file audit writing JSON Lines to a file
 * (progs/bench_audit.bpf.c, agent.c), with the same audit written by hand
 * on plain libbpf (progs/bench_audit_plain.bpf.c, agent_plain.c), and with
 * Linux audit: Debian's auditd with rules auditing every openat and
 * execve, logging to a file (auditd.c). Reports throughput against no
 * auditing, libkrsi's against the hand-written agent's (the primary
 * ratio), the auditing's own CPU time and wakeups per event, events
 * written and events lost.
 *
 * Each run with auditing is compared with the runs on either side of it
 * without. The agents come first, alternating; auditd last, as nothing is as before it
 * once Linux audit has been enabled: the kernel then gives every new
 * process an audit context. Its runs without auditing are runs with
 * auditing disabled (auditctl -e 0, rules loaded), also reported against
 * the runs before audit was ever enabled.
 *
 * Usage: bench_audit [AUDITD_ROOT], where AUDITD_ROOT holds sbin/auditd,
 * sbin/auditctl and lib/ (bench/run.sh unpacks Debian's packages there);
 * without it, or where auditd cannot start, its rows say why.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "auditd.h"
#include "bench.h"
#include "workload.h"

/* Where agent K writes: K replaces %u. */
#define AGENT_OUT "/tmp/krsi-bench-audit-%u.jsonl"
#define MAX_REPS 32

/* The agents, each repetition running them in the order of their kinds,
 * those from AGENT_LIBKRSI_NOOP (the cost breakdown) on the first
 * point only. */
#define NR_AGENTS NR_AGENT_KINDS
#define BREAKDOWN_AGENTS AGENT_LIBKRSI_NOOP

/* A workload at one pace, and what was measured of it. */
struct point {
	enum workload wl;
	unsigned int work; /* spin iterations between operations */
	bool plot_only; /* for the plot, not the table */
	__u64 ops;
	double none[(NR_AGENTS + 1) * MAX_REPS]; /* ops/s, no auditing */
	int nr_none;
	double disabled[2 * MAX_REPS]; /* ops/s, Linux audit disabled */
	struct measured {
		double ratio[MAX_REPS];
		double written[MAX_REPS], lost[MAX_REPS];
		double cpu_per_event[MAX_REPS]; /* ns */
		double wakeups[MAX_REPS]; /* per 1000 events */
	} agent[NR_AGENTS], auditd;
};

/* The open/close loop at lower event rates, for the plot. */
static const unsigned int plot_work[] = { 20000, 100000, 500000 };

/* The throughput ratio of A, with auditing, against B0 and B1 without on
 * either side. */
static double ratio(struct workload_result b0, struct workload_result a,
		    struct workload_result b1)
{
	return a.ops_per_s / ((b0.ops_per_s + b1.ops_per_s) / 2);
}

/* Keep what agent run I measured: totals S0 before it and S1 after. */
static void record_agent(struct measured *m, int i, struct agent_stats s0,
			 struct agent_stats s1)
{
	double events = s1.delivered - s0.delivered;

	m->written[i] = events;
	m->lost[i] = s1.dropped - s0.dropped;
	m->cpu_per_event[i] = events ? (s1.cpu_ns - s0.cpu_ns) / events : 0;
	m->wakeups[i] = events ? 1000 * (s1.wakeups - s0.wakeups) / events : 0;
}

static void agents_phase(struct point *pts, int n, int reps, double ms)
{
	struct agent agents[NR_AGENTS];
	unsigned int k;
	int p, i;

	char out[64];

	for (k = 0; k < NR_AGENTS; k++) {
		snprintf(out, sizeof(out), AGENT_OUT, k);
		agent_start(&agents[k], k, out);
	}
	for (p = 0; p < n; p++) {
		struct point *pt = &pts[p];

		/* spawns are slow: more time for enough of them */
		pt->ops = workload_calibrate(pt->wl,
					     pt->wl == WL_SPAWN ? 3 * ms : ms,
					     pt->work, NULL);
		for (i = -1; i < reps; i++) {
			struct workload_result prev, a, next;
			struct agent_stats s0, s1;

			prev = workload_run(pt->wl, pt->ops, pt->work, NULL);
			if (i >= 0)
				pt->none[pt->nr_none++] = prev.ops_per_s;
			for (k = 0; k < NR_AGENTS; k++) {
				if (p && k >= BREAKDOWN_AGENTS)
					break;
				s0 = agent_attach(&agents[k]);
				a = workload_run(pt->wl, pt->ops, pt->work,
						 NULL);
				s1 = agent_detach(&agents[k]);
				next = workload_run(pt->wl, pt->ops, pt->work,
						    NULL);
				if (i >= 0) {
					pt->none[pt->nr_none++] =
						next.ops_per_s;
					pt->agent[k].ratio[i] =
						ratio(prev, a, next);
					record_agent(&pt->agent[k], i, s0, s1);
				}
				prev = next;
			}
		}
	}
	for (k = 0; k < NR_AGENTS; k++)
		agent_stop(&agents[k]);
}

static bool auditd_phase(struct point *pts, int n, int reps, const char *root,
			 char *why, size_t why_sz)
{
	struct auditd d;
	int p, i;

	if (!root) {
		snprintf(why, why_sz, "no auditd given");
		return false;
	}
	if (!auditd_start(&d, root, why, why_sz))
		return false;
	for (p = 0; p < n; p++) {
		struct point *pt = &pts[p];

		for (i = -1; i < reps; i++) {
			struct workload_result b0, a, b1;
			struct auditd_stats s0, s1;
			__u64 written;

			s0 = auditd_settle(&d, &written);
			auditd_truncate(&d);
			b0 = workload_run(pt->wl, pt->ops, pt->work, NULL);
			auditd_enable(true);
			a = workload_run(pt->wl, pt->ops, pt->work, NULL);
			auditd_enable(false);
			s1 = auditd_settle(&d, &written);
			b1 = workload_run(pt->wl, pt->ops, pt->work, NULL);
			if (i < 0)
				continue;
			pt->disabled[2 * i] = b0.ops_per_s;
			pt->disabled[2 * i + 1] = b1.ops_per_s;
			pt->auditd.ratio[i] = ratio(b0, a, b1);
			pt->auditd.written[i] = written;
			pt->auditd.lost[i] = s1.lost - s0.lost;
			pt->auditd.cpu_per_event[i] =
				written ? (s1.cpu_ns - s0.cpu_ns) / written : 0;
		}
	}
	auditd_stop(&d);
	return true;
}

/* A measured auditing of PT against no auditing, and its unaccounted
 * events. */
static void report(const struct point *pt, const struct measured *m,
		   const char *tool, const char *cpu, int reps)
{
	double unaccounted[MAX_REPS];
	struct measured c = *m; /* bench_stats() reorders */
	char name[128];
	int i;

	for (i = 0; i < reps; i++) {
		double missing = pt->ops - m->written[i] - m->lost[i];

		unaccounted[i] = missing > 0 ? missing : 0;
	}
	snprintf(name, sizeof(name), "%s: %s vs no auditing",
		 workload_name(pt->wl), tool);
	bench_row(
		"audit", name, bench_stats(c.ratio, reps), "x", BENCH_INFO, 0,
		"",
		"throughput ratio; per run of %llu ops: %.0f events written, %.0f lost; %s CPU %.1f us/event",
		(unsigned long long)pt->ops, bench_stats(c.written, reps).med,
		bench_stats(c.lost, reps).med, cpu,
		bench_stats(c.cpu_per_event, reps).med / 1e3);
	snprintf(name, sizeof(name), "%s: %s events unaccounted for",
		 workload_name(pt->wl), tool);
	bench_row("audit", name, bench_stats(unaccounted, reps), "events",
		  BENCH_LE, 0, "",
		  "neither written nor counted lost, of one or more per op");
}

/* The primary ratio: the hand-written agent's throughput over libkrsi's,
 * each against its own runs without auditing. */
static void against_plain(const struct point *pt, int reps)
{
	const struct measured *k = &pt->agent[AGENT_LIBKRSI],
			      *h = &pt->agent[AGENT_PLAIN];
	double r[MAX_REPS], kw[MAX_REPS], hw[MAX_REPS];
	char name[128];
	int i;

	for (i = 0; i < reps; i++) {
		r[i] = h->ratio[i] / k->ratio[i];
		kw[i] = k->wakeups[i];
		hw[i] = h->wakeups[i];
	}
	snprintf(name, sizeof(name), "%s: libkrsi vs hand-written libbpf agent",
		 workload_name(pt->wl));
	bench_row(
		"audit", name, bench_stats(r, reps), "x", BENCH_LE, 1.1, "",
		"hand-written/libkrsi throughput; wakeups per 1000 events: libkrsi %.0f, hand-written %.0f",
		bench_stats(kw, reps).med, bench_stats(hw, reps).med);
}

/* Wakeups and CPU per event with and without batching, and by hand, at
 * PT's event rate RATE. */
static void wakeups(const struct point *pt, double rate, int reps)
{
	struct measured b = pt->agent[AGENT_LIBKRSI],
			h = pt->agent[AGENT_PLAIN],
			im = pt->agent[AGENT_LIBKRSI_IMMEDIATE];
	char name[128];

	snprintf(name, sizeof(name),
		 "%s, %.0f events/s: libkrsi batched, per 1000 events",
		 workload_name(pt->wl), rate);
	bench_row(
		"wakeups", name, bench_stats(b.wakeups, reps), "wakeups",
		BENCH_INFO, 0, "",
		"immediate %.0f, hand-written %.0f; agent CPU per event: batched %.1f us, immediate %.1f us, hand-written %.1f us; throughput batched %.3f, immediate %.3f",
		bench_stats(im.wakeups, reps).med,
		bench_stats(h.wakeups, reps).med,
		bench_stats(b.cpu_per_event, reps).med / 1e3,
		bench_stats(im.cpu_per_event, reps).med / 1e3,
		bench_stats(h.cpu_per_event, reps).med / 1e3,
		bench_stats(b.ratio, reps).med,
		bench_stats(im.ratio, reps).med);
}

/*
 * Where the libkrsi agent's CPU time per event goes, at PT's pace: each
 * step's cost is the difference between two agents reading the same
 * events in the same repetition: reading the ring and checking the
 * headers (a callback doing nothing), formatting JSON (to /dev/null),
 * writing it to the file, and waking for each event (no batching).
 */
static void breakdown(const struct point *pt, int reps)
{
	static const struct {
		const char *what;
		enum agent_kind with, without; /* without: -1 for none */
	} steps[] = {
		{ "ring and header checks (no-op callback)", AGENT_LIBKRSI_NOOP,
		  -1 },
		{ "JSON formatting (to /dev/null)", AGENT_LIBKRSI_DEVNULL,
		  AGENT_LIBKRSI_NOOP },
		{ "writing to a file", AGENT_LIBKRSI, AGENT_LIBKRSI_DEVNULL },
		{ "a wakeup per event (no batching)", AGENT_LIBKRSI_IMMEDIATE,
		  AGENT_LIBKRSI },
	};
	double ns[MAX_REPS];
	char name[128];
	unsigned int s;
	int i;

	for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		for (i = 0; i < reps; i++) {
			ns[i] = pt->agent[steps[s].with].cpu_per_event[i];
			if ((int)steps[s].without >= 0)
				ns[i] -= pt->agent[steps[s].without]
						 .cpu_per_event[i];
			ns[i] /= 1e3;
		}
		snprintf(name, sizeof(name), "%s: agent CPU per event, %s",
			 workload_name(pt->wl), steps[s].what);
		bench_row("breakdown", name, bench_stats(ns, reps), "us",
			  BENCH_INFO, 0, "",
			  "difference of two agents' CPU per event, same runs");
	}
}

/* What Linux audit costs once enabled, disabled again (its baseline). */
static void residual(struct point *pt, int reps)
{
	double d = bench_stats(pt->disabled, 2 * reps).med;
	double none = bench_stats(pt->none, pt->nr_none).med;
	struct bench_stats s = {
		.med = d / none, .min = d / none, .max = d / none, .n = 1
	};
	char name[128];

	snprintf(name, sizeof(name),
		 "%s: audit disabled again vs never enabled",
		 workload_name(pt->wl));
	bench_row("audit", name, s, "x", BENCH_INFO, 0, "",
		  "medians, minutes apart: drift included");
}

int main(int argc, char **argv)
{
	struct point pts[2 + sizeof(plot_work) / sizeof(plot_work[0])] = {
		{ .wl = WL_OPEN },
		{ .wl = WL_SPAWN },
	};
	int n = sizeof(pts) / sizeof(pts[0]), reps, p;
	double ms = workload_run_ms(200);
	bool have_auditd;
	char why[256];

	reps = bench_reps(5);
	if (reps > MAX_REPS)
		reps = MAX_REPS;
	bench_quiet_logs();
	bench_env();
	for (p = 2; p < n; p++)
		pts[p] = (struct point){ .wl = WL_OPEN,
					 .work = plot_work[p - 2],
					 .plot_only = true };
	agents_phase(pts, n, reps, ms);
	have_auditd = auditd_phase(pts, n, reps, argc > 1 ? argv[1] : NULL, why,
				   sizeof(why));
	for (p = 0; p < n; p++) {
		struct point *pt = &pts[p];
		struct measured k = pt->agent[AGENT_LIBKRSI],
				h = pt->agent[AGENT_PLAIN], a = pt->auditd;
		/* the plot: opens, one event each, per second without
		 * auditing, against the throughput ratio */
		double rate = bench_stats(pt->none, pt->nr_none).med;

		if (p == 0)
			breakdown(pt, reps);
		if (pt->wl == WL_OPEN) {
			wakeups(pt, rate, reps);
			printf("PLOT\tlibkrsi\t%.0f\t%.4f\n", rate,
			       bench_stats(k.ratio, reps).med);
			printf("PLOT\thandwritten\t%.0f\t%.4f\n", rate,
			       bench_stats(h.ratio, reps).med);
		}
		if (pt->wl == WL_OPEN && have_auditd)
			printf("PLOT\tauditd\t%.0f\t%.4f\n", rate,
			       bench_stats(a.ratio, reps).med);
		if (pt->plot_only)
			continue;
		against_plain(pt, reps);
		report(pt, &pt->agent[AGENT_LIBKRSI], "libkrsi JSON audit",
		       "agent", reps);
		report(pt, &pt->agent[AGENT_PLAIN], "hand-written libbpf audit",
		       "agent", reps);
		if (have_auditd) {
			report(pt, &pt->auditd, "auditd", "auditd+kauditd",
			       reps);
			residual(pt, reps);
		} else {
			printf("ROW\taudit\t%s: auditd\t-\t-\t-\t-\t-\tNOT RUN\t%s\n",
			       workload_name(pt->wl), why);
		}
	}
	return 0;
}
