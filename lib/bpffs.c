// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The pin root in bpffs: checked, locked, listed, trees of pins removed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <bpf/bpf.h>

#include "internal.h"

int krsi_path(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		pr_warn("path too long under '%.64s...'\n", buf);
		return krsi_err(-ENAMETOOLONG);
	}
	return 0;
}

static bool on_bpffs(int fd, const char *path)
{
	struct statfs sfs;

	if (!fstatfs(fd, &sfs) && sfs.f_type == BPF_FS_MAGIC)
		return true;
	pr_warn("pin root '%s' is not on a bpffs mount: mount one (mount -t bpf bpf /sys/fs/bpf) or choose a pin root inside one\n",
		path);
	return false;
}

/* Refuse a pin root that is not bpffs or that others could change. */
static int check_root(int fd, const char *path)
{
	struct stat st;

	if (!on_bpffs(fd, path))
		return krsi_err(-EXDEV);
	if (fstat(fd, &st))
		return krsi_err(-errno);
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		pr_warn("pin root '%s' is owned by uid %u with mode %03o: another user could change the policies pinned there; make it owned by uid %u and writable by its owner only (chown %u; chmod go-w)\n",
			path, st.st_uid, st.st_mode & 0777, geteuid(),
			geteuid());
		return krsi_err(-EACCES);
	}
	return 0;
}

/* Create the pin root PATH, in a directory on bpffs only. */
static int create_root(const char *path)
{
	char parent[PATH_MAX];
	char *slash;
	int fd, err;

	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (slash)
		*(slash == parent ? slash + 1 : slash) = '\0';
	fd = open(slash ? parent : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pr_warn("cannot create pin root '%s': %s: is bpffs mounted? (mount -t bpf bpf /sys/fs/bpf)\n",
			path, strerror(-err));
		return krsi_err(err);
	}
	err = on_bpffs(fd, path) ? 0 : -EXDEV;
	close(fd);
	if (!err && mkdir(path, 0700) && errno != EEXIST) {
		err = -errno;
		pr_warn("cannot create pin root '%s': %s\n", path,
			strerror(-err));
	}
	return krsi_err(err);
}

int krsi_pin_root_open(const char *path, int flags)
{
	int fd, err;

	if ((flags & KRSI_ROOT_CREATE) && (err = create_root(path)))
		return err;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (err != -ENOENT || (flags & KRSI_ROOT_CREATE))
			pr_warn("cannot open pin root '%s': %s\n", path,
				strerror(-err));
		return krsi_err(err);
	}
	err = check_root(fd, path);
	/* flock() on bpffs works; the lock dies with the process. */
	if (!err && (flags & KRSI_ROOT_LOCK) && flock(fd, LOCK_EX)) {
		err = -errno;
		pr_warn("cannot lock pin root '%s': %s\n", path,
			strerror(-err));
	}
	if (err) {
		close(fd);
		return krsi_err(err);
	}
	return fd;
}

int krsi_rmtree(int dirfd, const char *name)
{
	struct dirent *de;
	int fd, err = 0;
	DIR *dir;

	if (!unlinkat(dirfd, name, 0) || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return krsi_err(-errno);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		return krsi_err(err);
	}
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			err = krsi_rmtree(fd, de->d_name) ?: err;
	}
	closedir(dir);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) && !err)
		err = -errno;
	return krsi_err(err);
}

int krsi_pin(int fd, const char *path)
{
	if (bpf_obj_pin(fd, path)) {
		pr_warn("cannot pin '%s': %s\n", path, strerror(errno));
		return krsi_err(-errno);
	}
	return 0;
}

static int visible(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

static int map_pin(const struct dirent *de)
{
	return visible(de) && de->d_type != DT_DIR &&
	       strcmp(de->d_name, KRSI_META_PIN);
}

int krsi_scandir(const char *path, struct dirent ***list, bool maps_only)
{
	int n = scandir(path, list, maps_only ? map_pin : visible, alphasort);

	if (n >= 0)
		return n;
	*list = NULL;
	return errno == ENOENT ? 0 : krsi_err(-errno);
}

void krsi_pin_name(char *name)
{
	for (; *name; name++)
		if (*name == '.')
			*name = '_';
}
