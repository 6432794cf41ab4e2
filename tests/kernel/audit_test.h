/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by the audit tests: what the kernel should put in event headers,
 * learnt without BPF, and output captured in memory. */
#ifndef AUDIT_TEST_H
#define AUDIT_TEST_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

/* Where cgroup v2 is mounted, from /proc/self/mountinfo, into BUF. */
static inline void cgroup2_root(char *buf, size_t size)
{
	char line[1024], mnt[512], fstype[64];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	assert_non_null(f);
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS... - FSTYPE ... */
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(sep, " - %63s", fstype) != 1)
			continue;
		if (strcmp(fstype, "cgroup2") == 0) {
			snprintf(buf, size, "%s", mnt);
			break;
		}
	}
	fclose(f);
	if (!buf[0])
		fail_msg("no cgroup2 mount in /proc/self/mountinfo");
}

/* The id of the cgroup at PATH, as the kernel names it in BPF. */
static inline __u64 cgroup_id_of(const char *path)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh.handle_bytes = sizeof(__u64) };
	int mount_id;

	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0))
		fail_msg("name_to_handle_at(%s): %s", path, strerror(errno));
	return h.id;
}

/* The id of this process's cgroup v2. */
static inline __u64 my_cgroup_id(void)
{
	char root[512], path[1024], line[1024];
	FILE *f = fopen("/proc/self/cgroup", "r");

	assert_non_null(f);
	path[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			cgroup2_root(root, sizeof(root));
			snprintf(path, sizeof(path), "%s%s", root, line + 3);
		}
	}
	fclose(f);
	if (!path[0])
		fail_msg("no cgroup v2 line in /proc/self/cgroup");
	return cgroup_id_of(path);
}

/* The audit login uid, 4294967295 when unset or without CONFIG_AUDIT. */
static inline __u32 my_loginuid(void)
{
	FILE *f = fopen("/proc/self/loginuid", "r");
	unsigned int v = 4294967295u;

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 4294967295u;
		fclose(f);
	}
	return v;
}

/* Output captured in memory: a FILE for the consumer, its text after. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static inline void capture_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static inline void capture_close(struct capture *c)
{
	if (c->f)
		fclose(c->f);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

#endif /* AUDIT_TEST_H */
