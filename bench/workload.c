// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Workloads that trigger LSM hooks: see workload.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "workload.h"

extern char **environ;

const char *workload_name(enum workload wl)
{
	switch (wl) {
	case WL_GETPGID:
		return "getpgid";
	case WL_OPEN:
		return "open+close";
	default:
		return "spawn /bin/true";
	}
}

static void spin(unsigned int work)
{
	unsigned int i;

	for (i = 0; i < work; i++)
		__asm__ __volatile__("" ::: "memory");
}

static void one_op(enum workload wl)
{
	char *argv[] = { "true", NULL };
	pid_t pid;
	int fd, status;

	switch (wl) {
	case WL_GETPGID:
		/* getpgid(0) would not reach the hook: the kernel asks the
		 * LSMs only about a task named by its pid */
		if (getpgid(getpid()) < 0)
			bench_die("getpgid: %s", strerror(errno));
		break;
	case WL_OPEN:
		fd = open(WORKLOAD_FILE, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			bench_die("open %s: %s", WORKLOAD_FILE,
				  strerror(errno));
		close(fd);
		break;
	case WL_SPAWN:
		errno = posix_spawn(&pid, "/bin/true", NULL, NULL, argv,
				    environ);
		if (errno || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			bench_die("spawning /bin/true failed: %s",
				  strerror(errno));
		break;
	}
}

static double rusage_ns(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

static void join_cgroup(const char *cgroup)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1)
		bench_die("cannot join cgroup %s: %s", cgroup, strerror(errno));
	close(fd);
}

struct workload_result workload_run(enum workload wl, __u64 ops,
				    unsigned int work, const char *cgroup)
{
	struct workload_result r;
	int p[2], status, fd;
	pid_t pid;

	fd = open(WORKLOAD_FILE, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		bench_die("cannot create %s: %s", WORKLOAD_FILE,
			  strerror(errno));
	close(fd);
	if (pipe2(p, O_CLOEXEC))
		bench_die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		double t0, cpu0;
		__u64 i;

		close(p[0]);
		if (cgroup)
			join_cgroup(cgroup);
		cpu0 = rusage_ns(RUSAGE_SELF) + rusage_ns(RUSAGE_CHILDREN);
		t0 = bench_now();
		for (i = 0; i < ops; i++) {
			one_op(wl);
			spin(work);
		}
		r.ns_per_op = (bench_now() - t0) / ops;
		r.cpu_ns_per_op = (rusage_ns(RUSAGE_SELF) +
				   rusage_ns(RUSAGE_CHILDREN) - cpu0) /
				  ops;
		r.ops_per_s = 1e9 / r.ns_per_op;
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &r, sizeof(r)) != sizeof(r))
		bench_die("the %s workload died", workload_name(wl));
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		bench_die("the %s workload failed", workload_name(wl));
	return r;
}

__u64 workload_calibrate(enum workload wl, double ms, unsigned int work,
			 const char *cgroup)
{
	__u64 ops = 16;

	for (;;) {
		struct workload_result r = workload_run(wl, ops, work, cgroup);
		double took = r.ns_per_op * ops / 1e6;

		if (took >= ms / 4 || ops >= (1ULL << 30))
			return ops * ms / (took > 0 ? took : 1) + 1;
		ops *= 8;
	}
}

double workload_run_ms(double dflt)
{
	const char *s = getenv("BENCH_RUN_MS");
	double ms = s ? atof(s) : 0;

	return ms > 0 ? ms : dflt;
}
