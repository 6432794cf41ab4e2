// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Who holds what: the processes holding a BPF link open (its fdinfo names
 * the link's id), the process holding the pin root's lock (/proc/locks),
 * each named by pid, command and state. Reading another process's fdinfo
 * needs the right to ptrace it (root may): what cannot be read is skipped.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

char krsi_pid_state(pid_t pid)
{
	char path[64], buf[512], *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold ')' */
	end = strrchr(buf, ')');
	return end && end[1] == ' ' && end[2] ? end[2] : '?';
}

void krsi_describe_pid(pid_t pid, char *buf, size_t size)
{
	char path[64], comm[32] = "?";
	FILE *f;
	char st;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f && fgets(comm, sizeof(comm), f))
		comm[strcspn(comm, "\n")] = '\0';
	if (f)
		fclose(f);
	st = krsi_pid_state(pid);
	snprintf(buf, size, "pid %d (%s%s)", (int)pid, comm,
		 st == 'T' || st == 't' ? ", stopped" : "");
}

/* Whether the fdinfo FD (in directory INFO) is that of BPF link LINK_ID. */
static bool fdinfo_is_link(int info, const char *fd, __u32 link_id)
{
	char line[128];
	unsigned int id;
	bool found = false;
	int at = openat(info, fd, O_RDONLY | O_CLOEXEC);
	FILE *f = at >= 0 ? fdopen(at, "r") : NULL;

	if (at >= 0 && !f)
		close(at);
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "link_id: %u", &id) == 1 && id == link_id;
	if (f)
		fclose(f);
	return found;
}

bool krsi_pid_holds_link(pid_t pid, __u32 link_id)
{
	char path[64], target[32];
	struct dirent *de;
	bool held = false;
	int info = -1;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	if (d)
		info = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (d && info >= 0 && !held && (de = readdir(d))) {
		n = readlinkat(dirfd(d), de->d_name, target,
			       sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		/* "anon_inode:bpf-link" (6.12), "anon_inode:bpf_link" */
		held = !strncmp(target, "anon_inode:bpf", 14) &&
		       fdinfo_is_link(info, de->d_name, link_id);
	}
	if (info >= 0)
		close(info);
	if (d)
		closedir(d);
	return held;
}

int krsi_link_holders(__u32 link_id, char *buf, size_t size)
{
	char who[64];
	struct dirent *de;
	size_t len = 0;
	int n = 0;
	pid_t pid;
	DIR *proc;

	buf[0] = '\0';
	proc = opendir("/proc");
	while (proc && (de = readdir(proc))) {
		pid = isdigit((unsigned char)de->d_name[0]) ? atoi(de->d_name)
							    : 0;
		if (!pid || !krsi_pid_holds_link(pid, link_id))
			continue;
		krsi_describe_pid(pid, who, sizeof(who));
		if (len < size)
			len += snprintf(buf + len, size - len, "%s%s",
					n ? ", " : "", who);
		n++;
	}
	if (proc)
		closedir(proc);
	return n;
}

pid_t krsi_lock_holder(int fd)
{
	unsigned int maj, min;
	unsigned long ino;
	char line[256];
	struct stat st;
	pid_t pid = 0;
	int holder;
	FILE *f;

	if (fstat(fd, &st))
		return 0;
	f = fopen("/proc/locks", "re");
	/* "1: FLOCK  ADVISORY  WRITE 1234 00:1f:5678 0 EOF"; waiters'
	 * lines read "1: -> FLOCK ..." */
	while (f && !pid && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*d: FLOCK %*s %*s %d %x:%x:%lu", &holder,
			   &maj, &min, &ino) == 4 &&
		    maj == major(st.st_dev) && min == minor(st.st_dev) &&
		    ino == st.st_ino)
			pid = holder;
	}
	if (f)
		fclose(f);
	return pid;
}
