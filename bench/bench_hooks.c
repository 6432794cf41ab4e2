// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Hook cost: a loop of system calls that each trigger one LSM hook
 * (getpgid() of its own pid through task_getpgid, open() and close()
 * through file_open),
 * with no program, with an empty program, with a realistic policy
 * (progs/bench_hook_policy.bpf.c), with the same policy written by hand on
 * plain libbpf maps (progs/bench_hook_plain.bpf.c), with the policy idle
 * (a second instance whose sets are empty), and again with none after
 * detaching. Each run is a fresh child process in the policy's
 * cgroup; the configurations alternate within each repetition, and each
 * ratio is the median over repetitions of the rate with the program
 * against the rate without it in the same repetition. The primary ratio is
 * libkrsi's policy against the hand-written one. Needs a kernel that runs
 * BPF LSM programs (inside krsi-vmtest, or a host with lsm=...,bpf).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "bench.h"
#include "workload.h"
#include "progs/bench_hook_plain.h"
#include "progs/bench_hook_policy.h"
#include "bench_hook_empty.skel.h"
#include "bench_hook_plain.skel.h"
#include "bench_hook_policy.skel.h"

#define DENIED_FILE "/tmp/krsi-bench-denied"

/* The policy's cgroup: a child of the cgroup v2 root, found in setup(). */
static char cgroup_dir[4096];

/* What a run has attached. */
enum config {
	NONE,
	EMPTY, /* the empty program */
	POLICY, /* the realistic policy, with libkrsi */
	PLAIN, /* the same, written by hand on plain libbpf */
	IDLE, /* libkrsi's policy with empty sets */
	NR_CONFIGS,
};

struct fixture {
	struct bench_hook_empty_bpf *empty;
	struct bench_hook_policy_bpf *policy;
	struct bench_hook_plain_bpf *plain;
	struct bench_hook_policy_bpf *idle;
	struct krsi_object *idle_obj;
	struct krsi_map *idle_ctl, *idle_files, *idle_pids, *idle_stats;
	struct krsi_gen *idle_gen;
	/* the same objects, attached and detached through libkrsi */
	struct krsi_object *empty_obj, *policy_obj;
	struct krsi_map *ctl, *files, *pids, *stats;
	struct krsi_gen *gen;
};

static struct krsi_map *policy_map(struct fixture *fx, const char *name)
{
	struct krsi_map *map = krsi_map__find(fx->policy->obj, name);

	if (!map)
		bench_die("policy map %s: %s", name, strerror(errno));
	return map;
}

/* The policy, enforced: deny opening DENIED_FILE and asking about pid 1. */
static void publish_policy(struct fixture *fx)
{
	struct krsi_rule rule = { .id = 1 };
	struct krsi_set *files, *pids;

	fx->ctl = policy_map(fx, "krsi_ctl");
	fx->files = policy_map(fx, "denied_files");
	fx->pids = policy_map(fx, "protected_pids");
	fx->stats = policy_map(fx, "krsi_stats");
	fx->gen = krsi_gen__new(fx->ctl, NULL);
	files = fx->gen ? krsi_gen__add_set(fx->gen, fx->files, KRSI_SET_FILE)
			: NULL;
	pids = files ? krsi_gen__add_set(fx->gen, fx->pids, KRSI_SET_ID) : NULL;
	if (!pids || krsi_gen__begin(fx->gen) ||
	    krsi_set__add_file(files, DENIED_FILE, &rule) ||
	    krsi_set__add_id(pids, 1, &rule) || krsi_gen__commit(fx->gen) ||
	    krsi_set_policy_mode(fx->ctl, KRSI_MODE_ENFORCE))
		bench_die("cannot publish the policy: %s", strerror(errno));
}

/* The idle policy: a generation published with its sets empty. */
static void publish_idle(struct fixture *fx)
{
	struct bpf_object *obj = fx->idle->obj;

	fx->idle_ctl = krsi_map__find(obj, "krsi_ctl");
	fx->idle_files = krsi_map__find(obj, "denied_files");
	fx->idle_pids = krsi_map__find(obj, "protected_pids");
	fx->idle_stats = krsi_map__find(obj, "krsi_stats");
	fx->idle_gen = fx->idle_ctl && fx->idle_files && fx->idle_pids &&
				       fx->idle_stats
			       ? krsi_gen__new(fx->idle_ctl, NULL)
			       : NULL;
	if (!fx->idle_gen ||
	    !krsi_gen__add_set(fx->idle_gen, fx->idle_files, KRSI_SET_FILE) ||
	    !krsi_gen__add_set(fx->idle_gen, fx->idle_pids, KRSI_SET_ID) ||
	    krsi_gen__begin(fx->idle_gen) || krsi_gen__commit(fx->idle_gen) ||
	    krsi_set_policy_mode(fx->idle_ctl, KRSI_MODE_ENFORCE))
		bench_die("cannot publish the idle policy: %s",
			  strerror(errno));
}

/* Make the policy's cgroup under the cgroup v2 mount. */
static __u64 make_cgroup(void)
{
	struct mntent *m;
	__u64 id;
	FILE *f;

	f = setmntent("/proc/self/mounts", "r");
	while (f && (m = getmntent(f)) && strcmp(m->mnt_type, "cgroup2"))
		;
	if (!f || !m)
		bench_die("no cgroup v2 filesystem is mounted");
	snprintf(cgroup_dir, sizeof(cgroup_dir), "%s/krsi-bench", m->mnt_dir);
	endmntent(f);
	if (mkdir(cgroup_dir, 0755) && errno != EEXIST)
		bench_die("cannot create cgroup %s: %s", cgroup_dir,
			  strerror(errno));
	if (krsi_get_cgroup_id(cgroup_dir, &id))
		bench_die("cannot read the id of cgroup %s: %s", cgroup_dir,
			  strerror(errno));
	return id;
}

/* The hand-written policy: the same rules in its plain maps. */
static void setup_plain(struct fixture *fx, __u64 cgroup)
{
	struct plain_file_key file;
	__u32 pid = 1, zero = 0, enforce = 1;
	struct stat st;
	__u8 one = 1;

	fx->plain = bench_hook_plain_bpf__open();
	if (!fx->plain)
		bench_die("cannot open the hand-written policy: %s",
			  strerror(errno));
	fx->plain->rodata->agent_tgid = getpid();
	fx->plain->rodata->target_cgroup = cgroup;
	if (bench_hook_plain_bpf__load(fx->plain) || stat(DENIED_FILE, &st))
		bench_die("cannot load the hand-written policy: %s",
			  strerror(errno));
	/* the kernel's dev_t: 12 bits of major above 20 of minor */
	file.dev = (__u64)major(st.st_dev) << 20 | minor(st.st_dev);
	file.ino = st.st_ino;
	if (bpf_map__update_elem(fx->plain->maps.plain_files, &file,
				 sizeof(file), &one, 1, 0) ||
	    bpf_map__update_elem(fx->plain->maps.plain_pids, &pid, sizeof(pid),
				 &one, 1, 0) ||
	    bpf_map__update_elem(fx->plain->maps.plain_mode, &zero,
				 sizeof(zero), &enforce, sizeof(enforce), 0))
		bench_die("cannot fill the hand-written policy's maps: %s",
			  strerror(errno));
}

/* Open and load an instance of the realistic policy for CGROUP. */
static struct bench_hook_policy_bpf *
load_policy(__u64 cgroup, const struct krsi_self_id *self)
{
	struct bench_hook_policy_bpf *skel = bench_hook_policy_bpf__open();
	int err;

	if (!skel)
		bench_die(
			"cannot open the policy (does this kernel run BPF LSM programs? try krsi probe): %s",
			strerror(errno));
	skel->rodata->target_cgroup = cgroup;
	err = krsi_prepare_events(skel->obj);
	if (!err)
		err = bench_hook_policy_bpf__load(skel);
	if (err)
		bench_die("cannot load the policy programs: %s",
			  strerror(-err));
	skel->bss->krsi_self = *self;
	return skel;
}

static void setup(struct fixture *fx)
{
	struct krsi_self_id self;
	__u64 cgroup;
	int fd;

	fx->empty = bench_hook_empty_bpf__open_and_load();
	if (!fx->empty)
		bench_die(
			"cannot load the hook programs (does this kernel run BPF LSM programs? try krsi probe): %s",
			strerror(errno));
	fd = open(DENIED_FILE, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || krsi_get_self_id(&self))
		bench_die("cannot create %s or read the agent's id: %s",
			  DENIED_FILE, strerror(errno));
	close(fd);
	cgroup = make_cgroup();
	setup_plain(fx, cgroup);
	fx->policy = load_policy(cgroup, &self);
	fx->idle = load_policy(cgroup, &self);
	fx->empty_obj = krsi_object__from_bpf_object(fx->empty->obj, NULL);
	fx->policy_obj = krsi_object__from_bpf_object(fx->policy->obj, NULL);
	fx->idle_obj = krsi_object__from_bpf_object(fx->idle->obj, NULL);
	if (!fx->empty_obj || !fx->policy_obj || !fx->idle_obj)
		bench_die("cannot wrap the objects: %s", strerror(errno));
	publish_policy(fx);
	publish_idle(fx);
}

static void attach(struct fixture *fx, enum config c)
{
	int err = 0;

	if (c == EMPTY)
		err = krsi_object__attach(fx->empty_obj, NULL);
	else if (c == POLICY)
		err = krsi_object__attach(fx->policy_obj, NULL);
	else if (c == PLAIN)
		err = bench_hook_plain_bpf__attach(fx->plain);
	else if (c == IDLE)
		err = krsi_object__attach(fx->idle_obj, NULL);
	if (err)
		bench_die("cannot attach: %s", strerror(-err));
}

static void detach(struct fixture *fx, enum config c)
{
	if (c == EMPTY)
		krsi_object__detach(fx->empty_obj);
	else if (c == POLICY)
		krsi_object__detach(fx->policy_obj);
	else if (c == PLAIN)
		bench_hook_plain_bpf__detach(fx->plain);
	else if (c == IDLE)
		krsi_object__detach(fx->idle_obj);
}

/* The policy must deny what it is there to deny, for its cost to mean
 * anything: check in a child in its cgroup. */
static void check_policy(struct fixture *fx, enum config c)
{
	int status, fd;
	pid_t pid;

	attach(fx, c);
	pid = fork();
	if (pid == 0) {
		char procs[sizeof(cgroup_dir) + 16];
		int cg;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup_dir);
		cg = open(procs, O_WRONLY);

		if (cg < 0 || write(cg, "0", 1) != 1)
			_exit(3);
		fd = open(DENIED_FILE, O_RDONLY);
		if (fd >= 0 || errno != EACCES)
			_exit(1);
		if (getpgid(1) >= 0 || errno != EACCES)
			_exit(2);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		bench_die(
			"the %s policy did not deny (check %d): its cost would mean nothing",
			c == PLAIN ? "hand-written" : "libkrsi",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	detach(fx, c);
}

/* Decisions the hand-written policy has taken so far, over all CPUs. */
static __u64 plain_decisions(struct fixture *fx)
{
	int i, ncpu = libbpf_num_possible_cpus();
	struct plain_stats st[ncpu > 0 ? ncpu : 1];
	__u32 zero = 0;
	__u64 n = 0;

	if (ncpu <= 0 ||
	    bpf_map__lookup_elem(fx->plain->maps.plain_stats, &zero,
				 sizeof(zero), st, sizeof(st), 0))
		bench_die("cannot read the hand-written policy's counters: %s",
			  strerror(errno));
	for (i = 0; i < ncpu; i++)
		n += st[i].decisions;
	return n;
}

/* Decisions libkrsi's policy with the counters STATS took so far. */
static __u64 krsi_decisions(struct krsi_map *stats)
{
	struct krsi_policy_stats st;

	if (krsi_read_policy_stats(stats, &st, sizeof(st)))
		bench_die("cannot read the policy's counters: %s",
			  strerror(errno));
	return st.decisions;
}

/* Decisions each policy has taken so far: D[POLICY], D[PLAIN], D[IDLE]. */
static void decisions(struct fixture *fx, __u64 d[NR_CONFIGS])
{
	memset(d, 0, NR_CONFIGS * sizeof(*d));
	d[POLICY] = krsi_decisions(fx->stats);
	d[PLAIN] = plain_decisions(fx);
	d[IDLE] = krsi_decisions(fx->idle_stats);
}

/* One run of WL with C attached; ns per call. A run of a policy must have
 * decided every call, or its cost would mean nothing; a policy detached,
 * none. */
static double run(struct fixture *fx, enum workload wl, __u64 ops,
		  enum config c)
{
	__u64 before[NR_CONFIGS], after[NR_CONFIGS];
	double ns;
	int p;

	decisions(fx, before);
	attach(fx, c);
	ns = workload_run(wl, ops, 0, cgroup_dir).ns_per_op;
	detach(fx, c);
	decisions(fx, after);
	for (p = POLICY; p < NR_CONFIGS; p++) {
		__u64 decided = after[p] - before[p];

		if (p == (int)c && decided < ops)
			bench_die(
				"%s: the policy decided %llu of %llu calls: the workload does not reach its hook",
				workload_name(wl), (unsigned long long)decided,
				(unsigned long long)ops);
		if (p != (int)c && decided)
			bench_die(
				"%s: a policy decided %llu calls while detached",
				workload_name(wl), (unsigned long long)decided);
	}
	return ns;
}

/* Configurations of one repetition, each run between runs with none. */
static const enum config order[] = { EMPTY, POLICY, PLAIN, IDLE };
#define NR_ORDER (sizeof(order) / sizeof(order[0]))

static const char *const config_name[NR_CONFIGS] = {
	[NONE] = "none, after detach",	     [EMPTY] = "empty program",
	[POLICY] = "realistic policy",	     [PLAIN] = "hand-written policy",
	[IDLE] = "idle policy (sets empty)",
};

static void hook_cost(struct fixture *fx, enum workload wl, int reps)
{
	/* per configuration: ns per call, and the mean of the runs without
	 * a program on either side (for NONE, the run before the first) */
	double ns[NR_CONFIGS][reps], base[NR_CONFIGS][reps];
	double ratio[reps], added[reps], none[reps], cost[reps];
	__u64 ops = workload_calibrate(wl, workload_run_ms(150), 0, cgroup_dir);
	char name[128];
	unsigned int k;
	int i, c;

	/*
	 * Each repetition runs none, empty, none, policy, none, hand-written,
	 * none, idle, none: a program's rate is compared with the mean of the runs
	 * without one on either side, which cancels drift; the last run,
	 * after every detachment, is compared with the first.
	 */
	for (i = -1; i < reps; i++) {
		double n0 = run(fx, wl, ops, NONE), prev = n0, v, next;

		for (k = 0; k < NR_ORDER; k++) {
			v = run(fx, wl, ops, order[k]);
			next = run(fx, wl, ops, NONE);
			if (i >= 0) {
				ns[order[k]][i] = v;
				base[order[k]][i] = (prev + next) / 2;
			}
			prev = next;
		}
		if (i < 0)
			continue; /* warm-up */
		none[i] = n0;
		ns[NONE][i] = prev;
		base[NONE][i] = n0;
	}
	for (k = 0; k <= NR_ORDER; k++) {
		c = k < NR_ORDER ? order[k] : NONE; /* NONE last */
		for (i = 0; i < reps; i++) {
			ratio[i] = base[c][i] / ns[c][i];
			added[i] = ns[c][i] - base[c][i];
		}
		snprintf(name, sizeof(name), "%s: %s vs no program",
			 workload_name(wl), config_name[c]);
		bench_row(
			"hook cost", name, bench_stats(ratio, reps), "x",
			BENCH_INFO, 0, "",
			"throughput ratio; %+.0f ns per call (%.0f vs %.0f ns)",
			bench_stats(added, reps).med,
			bench_stats(ns[c], reps).med,
			bench_stats(none, reps).med);
	}
	/* the primary ratio: each policy's time per call against its own
	 * neighbours without a program, libkrsi's over the hand-written */
	for (i = 0; i < reps; i++) {
		cost[i] = (ns[POLICY][i] / base[POLICY][i]) /
			  (ns[PLAIN][i] / base[PLAIN][i]);
		added[i] = (ns[POLICY][i] - base[POLICY][i]) -
			   (ns[PLAIN][i] - base[PLAIN][i]);
	}
	snprintf(name, sizeof(name),
		 "%s: realistic policy, libkrsi vs hand-written libbpf",
		 workload_name(wl));
	bench_row("hook cost", name, bench_stats(cost, reps), "x", BENCH_LE,
		  1.05, "",
		  "hand-written/libkrsi throughput; libkrsi %+.0f ns per call",
		  bench_stats(added, reps).med);
}

/* The program of configuration C on WL's hook. */
static struct bpf_program *hook_prog(struct fixture *fx, enum workload wl,
				     enum config c)
{
	bool open = wl == WL_OPEN;

	switch (c) {
	case EMPTY:
		return open ? fx->empty->progs.empty_open
			    : fx->empty->progs.empty_getpgid;
	case POLICY:
		return open ? fx->policy->progs.policy_open
			    : fx->policy->progs.policy_getpgid;
	case PLAIN:
		return open ? fx->plain->progs.plain_open
			    : fx->plain->progs.plain_getpgid;
	default:
		return open ? fx->idle->progs.policy_open
			    : fx->idle->progs.policy_getpgid;
	}
}

/* The kernel's run time and count of PROG so far (bpf_stats). */
static void prog_stats(struct bpf_program *prog, double *ns, double *runs)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		bench_die("cannot read a program's statistics: %s",
			  strerror(errno));
	*ns = info.run_time_ns;
	*runs = info.run_cnt;
}

/*
 * The programs' own time per run, as the kernel counts it with
 * BPF_STATS_RUN_TIME, after the throughput runs (counting costs every
 * program two clock reads): the decision path without the workload's
 * noise. Each configuration runs once per repetition.
 */
static void run_time(struct fixture *fx, enum workload wl, int reps)
{
	static const enum config progs[] = { POLICY, PLAIN, IDLE, EMPTY };
	double ns[4][reps], ratio[reps], t0, n0, t1, n1;
	__u64 ops = workload_calibrate(wl, workload_run_ms(50), 0, cgroup_dir);
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME), i;
	char name[128];
	unsigned int k;

	if (stats < 0) {
		fprintf(stderr, "bench: no program run times: %s\n",
			strerror(errno));
		return;
	}
	for (i = 0; i < reps; i++) {
		for (k = 0; k < 4; k++) {
			prog_stats(hook_prog(fx, wl, progs[k]), &t0, &n0);
			run(fx, wl, ops, progs[k]);
			prog_stats(hook_prog(fx, wl, progs[k]), &t1, &n1);
			ns[k][i] = n1 > n0 ? (t1 - t0) / (n1 - n0) : 0;
		}
		ratio[i] = ns[0][i] / ns[1][i];
	}
	close(stats);
	snprintf(name, sizeof(name),
		 "%s: program run time, libkrsi vs hand-written",
		 workload_name(wl));
	bench_row(
		"hook cost", name, bench_stats(ratio, reps), "x", BENCH_INFO, 0,
		"",
		"ns per run (bpf_stats): libkrsi %.0f, hand-written %.0f, idle %.0f, empty %.0f",
		bench_stats(ns[0], reps).med, bench_stats(ns[1], reps).med,
		bench_stats(ns[2], reps).med, bench_stats(ns[3], reps).med);
}

int main(void)
{
	struct fixture fx = { 0 };
	int reps = bench_reps(9);

	bench_quiet_logs();
	bench_env();
	setup(&fx);
	check_policy(&fx, POLICY);
	check_policy(&fx, PLAIN);
	hook_cost(&fx, WL_GETPGID, reps);
	hook_cost(&fx, WL_OPEN, reps);
	run_time(&fx, WL_GETPGID, 5);
	run_time(&fx, WL_OPEN, 5);
	krsi_gen__free(fx.idle_gen);
	krsi_map__free(fx.idle_ctl);
	krsi_map__free(fx.idle_files);
	krsi_map__free(fx.idle_pids);
	krsi_map__free(fx.idle_stats);
	krsi_object__destroy(fx.idle_obj);
	bench_hook_policy_bpf__destroy(fx.idle);
	krsi_gen__free(fx.gen);
	krsi_map__free(fx.ctl);
	krsi_map__free(fx.files);
	krsi_map__free(fx.pids);
	krsi_map__free(fx.stats);
	krsi_object__destroy(fx.policy_obj);
	krsi_object__destroy(fx.empty_obj);
	bench_hook_policy_bpf__destroy(fx.policy);
	bench_hook_plain_bpf__destroy(fx.plain);
	bench_hook_empty_bpf__destroy(fx.empty);
	rmdir(cgroup_dir);
	unlink(DENIED_FILE);
	unlink(WORKLOAD_FILE);
	return 0;
}
