// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Hook cost: a loop of system calls that each trigger one LSM hook
 * (getpgid() of its own pid through task_getpgid, open() and close()
 * through file_open),
 * with no program, with an empty program, with a realistic policy
 * (progs/bench_hook_policy.bpf.c), and again with none after detaching.
 * Each run is a fresh child process in the policy's cgroup; the
 * configurations alternate within each repetition, and each ratio is the
 * median over repetitions of the rate with the program against the rate
 * without it in the same repetition. Needs a kernel that runs BPF LSM
 * programs (inside krsi-vmtest, or a host with lsm=...,bpf).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "bench.h"
#include "workload.h"
#include "progs/bench_hook_policy.h"
#include "bench_hook_empty.skel.h"
#include "bench_hook_policy.skel.h"

#define DENIED_FILE "/tmp/krsi-bench-denied"

/* The policy's cgroup: a child of the cgroup v2 root, found in setup(). */
static char cgroup_dir[4096];

struct fixture {
	struct bench_hook_empty_bpf *empty;
	struct bench_hook_policy_bpf *policy;
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

static void setup(struct fixture *fx)
{
	struct krsi_self_id self;
	int fd, err;

	fx->empty = bench_hook_empty_bpf__open_and_load();
	fx->policy = bench_hook_policy_bpf__open();
	if (!fx->empty || !fx->policy)
		bench_die(
			"cannot load the hook programs (does this kernel run BPF LSM programs? try krsi probe): %s",
			strerror(errno));
	fd = open(DENIED_FILE, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || krsi_get_self_id(&self))
		bench_die("cannot create %s or read the agent's id: %s",
			  DENIED_FILE, strerror(errno));
	close(fd);
	fx->policy->rodata->target_cgroup = make_cgroup();
	err = krsi_prepare_events(fx->policy->obj);
	if (!err)
		err = bench_hook_policy_bpf__load(fx->policy);
	if (err)
		bench_die("cannot load the policy programs: %s",
			  strerror(-err));
	fx->policy->bss->krsi_self = self;
	fx->empty_obj = krsi_object__from_bpf_object(fx->empty->obj, NULL);
	fx->policy_obj = krsi_object__from_bpf_object(fx->policy->obj, NULL);
	if (!fx->empty_obj || !fx->policy_obj)
		bench_die("cannot wrap the objects: %s", strerror(errno));
	publish_policy(fx);
}

static void attach(struct krsi_object *obj)
{
	int err = krsi_object__attach(obj, NULL);

	if (err)
		bench_die("cannot attach: %s", strerror(-err));
}

/* The policy must deny what it is there to deny, for its cost to mean
 * anything: check in a child in its cgroup. */
static void check_policy(struct fixture *fx)
{
	int status, fd;
	pid_t pid;

	attach(fx->policy_obj);
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
			"the policy did not deny (check %d): its cost would mean nothing",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	krsi_object__detach(fx->policy_obj);
}

/* Decisions the policy has taken so far. */
static __u64 decisions(struct fixture *fx)
{
	struct krsi_policy_stats st;

	if (krsi_read_policy_stats(fx->stats, &st, sizeof(st)))
		bench_die("cannot read the policy's counters: %s",
			  strerror(errno));
	return st.decisions;
}

/* One run of WL with OBJ attached (NULL: none); ns per call. A run of the
 * policy must have decided every call, or its cost would mean nothing. */
static double run(struct fixture *fx, enum workload wl, __u64 ops,
		  struct krsi_object *obj)
{
	__u64 before = decisions(fx), decided;
	double ns;

	if (obj)
		attach(obj);
	ns = workload_run(wl, ops, 0, cgroup_dir).ns_per_op;
	krsi_object__detach(obj);
	decided = decisions(fx) - before;
	if (obj == fx->policy_obj && decided < ops)
		bench_die(
			"%s: the policy decided %llu of %llu calls: the workload does not reach its hook",
			workload_name(wl), (unsigned long long)decided,
			(unsigned long long)ops);
	if (obj != fx->policy_obj && decided)
		bench_die("%s: the policy decided %llu calls while detached",
			  workload_name(wl), (unsigned long long)decided);
	return ns;
}

static void hook_cost(struct fixture *fx, enum workload wl, int reps)
{
	struct krsi_object *empty = fx->empty_obj, *policy = fx->policy_obj;
	bool open = wl == WL_OPEN;
	double none[reps], ns[3][reps], ratio[3][reps], added[3][reps];
	static const char *const what[] = { "empty program", "realistic policy",
					    "none, after detach" };
	__u64 ops = workload_calibrate(wl, workload_run_ms(150), 0, cgroup_dir);
	char name[128];
	int i, c;

	/*
	 * Each repetition runs none, empty, none, policy, none: a program's
	 * rate is compared with the mean of the runs without one on either
	 * side, which cancels drift; the last run, after two detachments,
	 * is compared with the first.
	 */
	for (i = -1; i < reps; i++) {
		double n0 = run(fx, wl, ops, NULL), e = run(fx, wl, ops, empty);
		double n1 = run(fx, wl, ops, NULL),
		       p = run(fx, wl, ops, policy);
		double n2 = run(fx, wl, ops, NULL);
		double v[3] = { e, p, n2 },
		       base[3] = { (n0 + n1) / 2, (n1 + n2) / 2, n0 };

		if (i < 0)
			continue; /* warm-up */
		none[i] = n0;
		for (c = 0; c < 3; c++) {
			ns[c][i] = v[c];
			ratio[c][i] = base[c] / v[c];
			added[c][i] = v[c] - base[c];
		}
	}
	for (c = 0; c < 3; c++) {
		snprintf(name, sizeof(name), "%s: %s vs no program",
			 workload_name(wl), what[c]);
		bench_row(
			"hook cost", name, bench_stats(ratio[c], reps), "x",
			open && c == 1 ? BENCH_GE : BENCH_INFO, 0.9, "",
			"throughput ratio; %+.0f ns per call (%.0f vs %.0f ns)",
			bench_stats(added[c], reps).med,
			bench_stats(ns[c], reps).med,
			bench_stats(none, reps).med);
	}
}

int main(void)
{
	struct fixture fx = { 0 };
	int reps = bench_reps(9);

	bench_quiet_logs();
	bench_env();
	setup(&fx);
	check_policy(&fx);
	hook_cost(&fx, WL_GETPGID, reps);
	hook_cost(&fx, WL_OPEN, reps);
	krsi_gen__free(fx.gen);
	krsi_map__free(fx.ctl);
	krsi_map__free(fx.files);
	krsi_map__free(fx.pids);
	krsi_map__free(fx.stats);
	krsi_object__destroy(fx.policy_obj);
	krsi_object__destroy(fx.empty_obj);
	bench_hook_policy_bpf__destroy(fx.policy);
	bench_hook_empty_bpf__destroy(fx.empty);
	rmdir(cgroup_dir);
	unlink(DENIED_FILE);
	unlink(WORKLOAD_FILE);
	return 0;
}
