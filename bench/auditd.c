// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Linux audit, as a user would deploy it: see auditd.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/netlink.h>

#include "auditd.h"
#include "bench.h"

#define AUDITD_DIR "/tmp/krsi-bench-auditd"

/* Debian's /etc/audit/auditd.conf (auditd 1:3.0.9-1) but for the log's
 * place, its group (the guest has no adm), rotation and TCP (both off). */
static const char conf_fmt[] =
	"local_events = yes\nwrite_logs = yes\nlog_file = %s\n"
	"log_group = 0\nlog_format = ENRICHED\nflush = INCREMENTAL_ASYNC\n"
	"freq = 50\nmax_log_file = 8\nnum_logs = 5\npriority_boost = 4\n"
	"name_format = NONE\nmax_log_file_action = IGNORE\n"
	"space_left = 75\nspace_left_action = SYSLOG\nverify_email = yes\n"
	"action_mail_acct = root\nadmin_space_left = 50\n"
	"admin_space_left_action = SUSPEND\ndisk_full_action = SUSPEND\n"
	"disk_error_action = SUSPEND\nuse_libwrap = no\n"
	"tcp_listen_queue = 5\ntcp_max_per_addr = 1\n"
	"tcp_client_max_idle = 0\ntransport = TCP\n"
	"distribute_network = no\nq_depth = 2000\noverflow_action = SYSLOG\n"
	"max_restarts = 10\nplugin_dir = %s/plugins.d\n"
	"end_of_event_timeout = 2\n";

/*
 * Ask the kernel's audit over netlink, as auditctl does, so that no audited
 * process is spawned to ask: AUDIT_GET fills ST; AUDIT_SET sends ST.
 */
static int audit_netlink(__u16 type, struct audit_status *st)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		struct audit_status s;
	} req = { .h = { .nlmsg_len = NLMSG_LENGTH(
				 type == AUDIT_SET ? sizeof(*st) : 0),
			 .nlmsg_type = type,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			 .nlmsg_seq = 1 } };
	char buf[8192] __attribute__((aligned(4)));
	int fd, len, err = -EIO;
	bool done = false;

	if (type == AUDIT_SET)
		req.s = *st;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		err = -errno;
		goto out;
	}
	while (!done && (len = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; !done && NLMSG_OK(h, (unsigned int)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = err || type == AUDIT_SET;
			} else if (h->nlmsg_type == AUDIT_GET) {
				size_t n = h->nlmsg_len - NLMSG_HDRLEN;

				memset(st, 0, sizeof(*st));
				memcpy(st, NLMSG_DATA(h),
				       n < sizeof(*st) ? n : sizeof(*st));
				err = 0;
				done = true;
			}
		}
	}
out:
	close(fd);
	return err;
}

static int audit_status(struct audit_status *st)
{
	return audit_netlink(AUDIT_GET, st);
}

void auditd_enable(bool on)
{
	struct audit_status st = { .mask = AUDIT_STATUS_ENABLED,
				   .enabled = on };
	int err = audit_netlink(AUDIT_SET, &st);

	if (err)
		bench_die("cannot %s Linux audit: %s",
			  on ? "enable" : "disable", strerror(-err));
}

/* Run ARGV with the unpacked libraries; its output goes to OUT. */
static int run(char *const argv[], const char *root, const char *out, bool wait)
{
	char env0[320];
	char *envp[] = { env0, "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	int status, fd;
	pid_t pid;

	snprintf(env0, sizeof(env0), "LD_LIBRARY_PATH=%s/lib", root);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (!wait)
		return pid;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) ? -1 : 0;
}

static pid_t find_kthread(const char *name)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	char path[300], comm[32];
	pid_t pid = 0;

	while (proc && !pid && (de = readdir(proc))) {
		FILE *f;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f) &&
		    strncmp(comm, name, strlen(name)) == 0 &&
		    comm[strlen(name)] == '\n')
			pid = atoi(de->d_name);
		if (f)
			fclose(f);
	}
	if (proc)
		closedir(proc);
	return pid;
}

/* CPU time of every thread of PID, in ns, from schedstat. */
static double cpu_ns(pid_t pid)
{
	char path[64];
	struct dirent *de;
	double ns = 0;
	DIR *tasks;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	tasks = opendir(path);
	while (tasks && (de = readdir(tasks))) {
		unsigned long long run;
		char stat[sizeof(path) + 300];
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(stat, sizeof(stat), "%s/%s/schedstat", path,
			 de->d_name);
		f = fopen(stat, "r");
		if (f && fscanf(f, "%llu", &run) == 1)
			ns += run;
		if (f)
			fclose(f);
	}
	if (tasks)
		closedir(tasks);
	return ns;
}

static bool fail(char *why, size_t why_sz, const char *what, struct auditd *d)
{
	char out[300], line[200] = "";
	FILE *f;

	snprintf(out, sizeof(out), "%s/auditd.out", d->dir);
	f = fopen(out, "r");
	if (f && fgets(line, sizeof(line), f))
		line[strcspn(line, "\n")] = '\0';
	if (f)
		fclose(f);
	snprintf(why, why_sz, "%s%s%s", what, *line ? ": " : "", line);
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
		d->pid = 0;
	}
	return false;
}

bool auditd_start(struct auditd *d, const char *root, char *why, size_t why_sz)
{
	char auditd[300], auditctl[300], conf[300], out[300], pid_s[48];
	struct audit_status st;
	FILE *f;
	int i;

	memset(d, 0, sizeof(*d));
	snprintf(d->root, sizeof(d->root), "%s", root);
	snprintf(d->dir, sizeof(d->dir), AUDITD_DIR);
	snprintf(d->log, sizeof(d->log), "%s/audit.log", d->dir);
	snprintf(auditd, sizeof(auditd), "%s/sbin/auditd", root);
	snprintf(auditctl, sizeof(auditctl), "%s/sbin/auditctl", root);
	snprintf(conf, sizeof(conf), "%s/auditd.conf", d->dir);
	snprintf(out, sizeof(out), "%s/auditd.out", d->dir);
	if (access(auditd, X_OK) || access(auditctl, X_OK))
		return fail(why, why_sz, "no auditd unpacked", d);
	if (audit_status(&st) == 0 && st.pid)
		return fail(why, why_sz, "an audit daemon already runs here",
			    d);
	mkdir(d->dir, 0700);
	snprintf(conf, sizeof(conf), "%s/plugins.d", d->dir);
	mkdir(conf, 0700);
	mkdir("/var", 0755);
	mkdir("/var/run", 0755); /* for auditd.pid */
	snprintf(conf, sizeof(conf), "%s/auditd.conf", d->dir);
	f = fopen(conf, "w");
	if (!f)
		return fail(why, why_sz, "cannot write auditd.conf", d);
	fchmod(fileno(f), 0640);
	fprintf(f, conf_fmt, d->log, d->dir);
	fclose(f);
	d->pid = run((char *const[]){ auditd, "-n", "-c", d->dir, NULL }, root,
		     out, false);
	for (i = 0; i < 500; i++) {
		if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
			d->pid = 0;
			return fail(why, why_sz, "auditd exited", d);
		}
		if (audit_status(&st) == 0 && st.pid == (__u32)d->pid)
			break;
		usleep(20000);
	}
	if (i == 500)
		return fail(why, why_sz, "auditd did not register", d);
	snprintf(pid_s, sizeof(pid_s), "pid!=%d", d->pid);
	/* Debian's audit.rules, then the rule: every openat and execve */
	if (run((char *const[]){ auditctl, "-D", NULL }, root, out, true) ||
	    run((char *const[]){ auditctl, "-b", "8192", NULL }, root, out,
		true) ||
	    run((char *const[]){ auditctl, "--backlog_wait_time", "60000",
				 NULL },
		root, out, true) ||
	    run((char *const[]){ auditctl, "-f", "1", NULL }, root, out,
		true) ||
	    run((char *const[]){ auditctl, "-a", "always,exit", "-F",
				 "arch=b64", "-S", "openat", "-S", "execve",
				 "-F", pid_s, NULL },
		root, out, true) ||
	    run((char *const[]){ auditctl, "-e", "1", NULL }, root, out, true))
		return fail(why, why_sz, "auditctl failed", d);
	d->kauditd = find_kthread("kauditd");
	return true;
}

void auditd_truncate(struct auditd *d)
{
	if (truncate(d->log, 0))
		bench_die("cannot empty %s: %s", d->log, strerror(errno));
}

/* Syscall events in the log: its SYSCALL records. */
static __u64 count_events(const char *log)
{
	static const char rec[] = "type=SYSCALL ";
	const char *p, *end;
	struct stat sb;
	__u64 n = 0;
	void *map;
	int fd;

	fd = open(log, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb))
		bench_die("cannot read %s: %s", log, strerror(errno));
	if (!sb.st_size) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		bench_die("cannot map %s: %s", log, strerror(errno));
	end = (const char *)map + sb.st_size;
	for (p = map; (p = memmem(p, end - p, rec, sizeof(rec) - 1));
	     p += sizeof(rec) - 1)
		n++;
	munmap(map, sb.st_size);
	return n;
}

struct auditd_stats auditd_settle(struct auditd *d, __u64 *written)
{
	struct auditd_stats s = { 0 };
	struct audit_status st;
	off_t last = -1;
	int stable = 0, i;

	for (i = 0; i < 3000 && stable < 3; i++) {
		struct stat sb;

		if (audit_status(&st) || stat(d->log, &sb))
			bench_die("cannot read the audit status or log: %s",
				  strerror(errno));
		stable = st.backlog == 0 && sb.st_size == last ? stable + 1 : 0;
		last = sb.st_size;
		usleep(10000);
	}
	s.lost = st.lost;
	s.cpu_ns = cpu_ns(d->pid) + (d->kauditd ? cpu_ns(d->kauditd) : 0);
	*written = count_events(d->log);
	return s;
}

void auditd_stop(struct auditd *d)
{
	char auditctl[300], out[300];

	if (!d->pid)
		return;
	snprintf(auditctl, sizeof(auditctl), "%s/sbin/auditctl", d->root);
	snprintf(out, sizeof(out), "%s/auditd.out", d->dir);
	run((char *const[]){ auditctl, "-D", NULL }, d->root, out, true);
	run((char *const[]){ auditctl, "-e", "0", NULL }, d->root, out, true);
	kill(d->pid, SIGTERM);
	waitpid(d->pid, NULL, 0);
	d->pid = 0;
	unlink(d->log);
}
