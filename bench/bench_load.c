// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Load and attach: opening, loading and attaching an object of five
 * programs with libkrsi (krsi_object__open_file(), __load(), __attach()),
 * against `bpftool prog loadall` of the same object, which loads and pins
 * (bpftool cannot attach LSM programs). bpftool's time includes starting
 * the process, also reported alone (`bpftool version`). Attaching alone is
 * also compared with libbpf's attach of the same programs, the kernel's
 * cost, which bpftool never pays.
 *
 * Usage: bench_load OBJECT [--load-only]: --load-only for a host that
 * refuses LSM programs, given an object of other program types. Pins go to
 * a private BPF filesystem in a mount namespace of the benchmark's own.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "bench.h"

#define PIN_ROOT "/tmp/krsi-bench-bpffs"
#define PIN_DIR PIN_ROOT "/loadall"

static void private_bpffs(void)
{
	mkdir(PIN_ROOT, 0700);
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("bpf", PIN_ROOT, "bpf", 0, NULL))
		bench_die("cannot mount a private bpffs at %s: %s", PIN_ROOT,
			  strerror(errno));
}

/* Remove what bpftool pinned. */
static void unpin(void)
{
	DIR *d = opendir(PIN_DIR);
	struct dirent *de;
	char path[512];

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", PIN_DIR, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(PIN_DIR);
}

/* Run bpftool with ARGS; ns. */
static double bpftool(char *const argv[])
{
	double t0 = bench_now();
	int status, fd;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execvp("bpftool", argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		bench_die("bpftool %s failed (status %d)", argv[1],
			  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return bench_now() - t0;
}

/* Open and load PATH with libkrsi, then attach it if ATTACH; ns, of which
 * *ATTACH_NS attaching. */
static double krsi(const char *path, bool attach, double *attach_ns)
{
	double t0 = bench_now(), t1, t2;
	struct krsi_object *obj;
	int err;

	obj = krsi_object__open_file(path, NULL);
	err = obj ? krsi_object__load(obj) : -errno;
	t1 = bench_now();
	if (!err && attach)
		err = krsi_object__attach(obj, NULL);
	t2 = bench_now();
	if (err)
		bench_die("libkrsi could not %s %s: %s",
			  attach ? "load and attach" : "load", path,
			  strerror(-err));
	krsi_object__destroy(obj); /* detaching is not timed */
	*attach_ns = t2 - t1;
	return t2 - t0;
}

/* Open and load PATH with libbpf alone, then attach each of its programs;
 * ns attaching: what the kernel takes, which libkrsi's attach includes. */
static double libbpf_attach(const char *path)
{
	struct bpf_link *links[16];
	struct bpf_program *prog;
	struct bpf_object *obj;
	int n = 0, err;
	double t0, t1;

	obj = bpf_object__open_file(path, NULL);
	err = obj ? krsi_prepare_events(obj) ?: bpf_object__load(obj) : -errno;
	if (err)
		bench_die("libbpf could not load %s: %s", path, strerror(-err));
	t0 = bench_now();
	bpf_object__for_each_program (prog, obj) {
		if (n == 16)
			bench_die("%s has more than 16 programs", path);
		links[n] = bpf_program__attach(prog);
		if (!links[n++])
			bench_die("libbpf could not attach %s: %s",
				  bpf_program__name(prog), strerror(errno));
	}
	t1 = bench_now();
	while (n)
		bpf_link__destroy(links[--n]);
	bpf_object__close(obj);
	return t1 - t0;
}

static void compare(const char *path, bool attach, int reps)
{
	char *loadall[] = { "bpftool",	  "prog",  "loadall",
			    (char *)path, PIN_DIR, NULL };
	char *version[] = { "bpftool", "version", NULL };
	double k[reps], b[reps], start[reps], ratio[reps], att[reps], lib[reps],
		att_ratio[reps];
	char name[128], attaching[48];
	int i;

	for (i = -1; i < reps; i++) {
		double an, kn = krsi(path, attach, &an), bn = bpftool(loadall);

		unpin();
		if (i < 0)
			continue;
		k[i] = kn;
		att[i] = an;
		b[i] = bn;
		start[i] = bpftool(version);
		ratio[i] = kn / bn;
		if (attach) {
			lib[i] = libbpf_attach(path);
			att_ratio[i] = an / lib[i];
		}
	}
	snprintf(name, sizeof(name),
		 "open, load%s: libkrsi vs bpftool prog loadall",
		 attach ? ", attach" : "");
	snprintf(attaching, sizeof(attaching), ", attaching %.1f ms",
		 bench_stats(att, reps).med / 1e6);
	bench_row("load", name, bench_stats(ratio, reps), "x", BENCH_LE, 1.2,
		  "", "time: %.1f ms%s vs %.1f ms (starting bpftool: %.1f ms)",
		  bench_stats(k, reps).med / 1e6, attach ? attaching : "",
		  bench_stats(b, reps).med / 1e6,
		  bench_stats(start, reps).med / 1e6);
	if (attach)
		bench_row(
			"load", "attach alone: libkrsi vs libbpf",
			bench_stats(att_ratio, reps), "x", BENCH_INFO, 0, "",
			"time: krsi_object__attach() %.1f ms vs bpf_program__attach() of each program %.1f ms",
			bench_stats(att, reps).med / 1e6,
			bench_stats(lib, reps).med / 1e6);
}

int main(int argc, char **argv)
{
	bool load_only = argc > 2 && strcmp(argv[2], "--load-only") == 0;
	int reps = bench_reps(BENCH_REPS);

	if (argc < 2)
		bench_die("usage: bench_load OBJECT [--load-only]");
	bench_quiet_logs();
	bench_env();
	private_bpffs();
	if (!load_only)
		compare(argv[1], true, reps);
	compare(argv[1], false, reps);
	return 0;
}
