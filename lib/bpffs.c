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
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
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

#define MOUNT_FIX "mount -t bpf -o mode=0700 bpf /sys/fs/bpf"

static bool on_bpffs(int fd, const char *path)
{
	struct statfs sfs;

	if (!fstatfs(fd, &sfs) && sfs.f_type == BPF_FS_MAGIC)
		return true;
	pr_warn("pin root '%s' is not on a bpffs mount: mount one (" MOUNT_FIX
		") or choose a pin root inside one\n",
		path);
	return false;
}

/* PATH's parent directory, into PARENT (PATH_MAX bytes). */
static void parent_of(const char *path, char *parent)
{
	char *slash;

	snprintf(parent, PATH_MAX, "%s", path);
	slash = strrchr(parent, '/');
	if (!slash)
		snprintf(parent, PATH_MAX, ".");
	else
		*(slash == parent ? slash + 1 : slash) = '\0';
}

/*
 * Whether another user may have made PATH: its parent is writable by
 * others, as bpffs is by default (mode 1777), and PATH (ST, from lstat())
 * is a symlink or is owned by a user that is neither us nor root.
 */
static bool squatted(const char *path, const struct stat *st)
{
	char parent[PATH_MAX];
	struct stat pst;

	parent_of(path, parent);
	if (stat(parent, &pst) ||
	    !((pst.st_mode & (S_IWGRP | S_IWOTH)) || pst.st_uid != geteuid()))
		return false;
	return S_ISLNK(st->st_mode) ||
	       (st->st_uid != geteuid() && st->st_uid != 0);
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
		pr_warn("pin root '%s' is owned by uid %u with mode %03o: another user could change the policies pinned there; if it is not yours, remove it (rm -r %s) and libkrsi creates its own (chown and chmod would keep what others put in it)\n",
			path, st.st_uid, st.st_mode & 0777, path);
		return krsi_err(-EACCES);
	}
	return 0;
}

/*
 * Take the name PATH back from the user who made it (see squatted()):
 * exchange it, in one rename, with a new empty directory of ours, and
 * leave what they made beside it, renamed, for the owner to inspect.
 */
static int take_back(const char *path, const struct stat *st)
{
	char aside[PATH_MAX];
	int i, err = -EEXIST;
	unsigned int r;

	/* a name others cannot guess and make first */
	for (i = 0; i < 16 && err == -EEXIST; i++) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (unsigned int)i * 2654435761u ^
			    (unsigned int)getpid();
		if (krsi_path(aside, "%s~untrusted-%08x", path, r))
			return -ENAMETOOLONG;
		err = mkdir(aside, 0700) ? -errno : 0;
	}
	if (!err &&
	    renameat2(AT_FDCWD, aside, AT_FDCWD, path, RENAME_EXCHANGE)) {
		err = -errno;
		/* 5.10's bpffs refuses RENAME_EXCHANGE (EINVAL, measured):
		 * move theirs aside, then make ours; a user who makes the
		 * name again in between has it taken back again. */
		if (err == -EINVAL && !rename(path, aside))
			err = mkdir(path, 0700) ? -EAGAIN : 0;
		else
			rmdir(aside);
	}
	if (err && err != -EAGAIN) {
		pr_warn("pin root '%s' was made by uid %u (mode %03o), not by libkrsi, and cannot be taken back: %s; remove it (rm -r %s) and mount bpffs so that only root can write to it (" MOUNT_FIX
			")\n",
			path, st->st_uid, st->st_mode & 0777, strerror(-err),
			path);
		return krsi_err(err == -EPERM ? -EACCES : err);
	}
	pr_warn("pin root '%s' was made by uid %u (mode %03o), not by libkrsi: taken back, and what it held moved to %s; mount bpffs so that only root can write to it (" MOUNT_FIX
		")\n",
		path, st->st_uid, st->st_mode & 0777, aside);
	return krsi_err(err); /* -EAGAIN: made again meanwhile */
}

/*
 * Create the pin root PATH, in a directory on bpffs only. Made by another
 * user in a directory others may write to, it is taken back. *CREATED
 * says whether it is new.
 */
static int create_root(const char *path, bool *created)
{
	char parent[PATH_MAX];
	struct stat st;
	int fd, err;

	parent_of(path, parent);
	fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pr_warn("cannot create pin root '%s': %s: is bpffs mounted? (" MOUNT_FIX
			")\n",
			path, strerror(-err));
		return krsi_err(err);
	}
	err = on_bpffs(fd, path) ? 0 : -EXDEV;
	close(fd);
	if (!err && !mkdir(path, 0700)) {
		*created = true;
		return 0;
	}
	if (!err && errno != EEXIST) {
		err = -errno;
		pr_warn("cannot create pin root '%s': %s\n", path,
			strerror(-err));
	}
	if (!err && !lstat(path, &st) && squatted(path, &st)) {
		err = take_back(path, &st);
		*created = !err;
	}
	return krsi_err(err);
}

/*
 * The pin root's lock is held by another process for as long as its
 * operation lasts: wait for it up to LOCK_WAIT_MS, or STOPPED_WAIT_MS when
 * that process is stopped, naming it.
 */
#define LOCK_WAIT_MS 30000
#define STOPPED_WAIT_MS 1000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int lock_root(int fd, const char *path)
{
	const struct timespec step = { .tv_nsec = 10 * 1000000 };
	long long start = now_ms(), stopped_since = 0, waited;
	char who[64] = "another process";
	bool said = false;
	pid_t holder;
	char state;

	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK) {
			pr_warn("cannot lock pin root '%s': %s\n", path,
				strerror(errno));
			return krsi_err(-errno);
		}
		holder = krsi_lock_holder(fd);
		if (holder > 0)
			krsi_describe_pid(holder, who, sizeof(who));
		state = holder > 0 ? krsi_pid_state(holder) : '?';
		waited = now_ms() - start;
		if (state != 'T' && state != 't')
			stopped_since = 0;
		else if (!stopped_since)
			stopped_since = now_ms();
		if (!said && waited >= STOPPED_WAIT_MS) {
			pr_info("pin root '%s' is locked by %s, busy with a policy: waiting\n",
				path, who);
			said = true;
		}
		if (waited >= LOCK_WAIT_MS ||
		    (stopped_since &&
		     now_ms() - stopped_since >= STOPPED_WAIT_MS)) {
			pr_warn("pin root '%s' is still locked by %s after %lld ms: giving up; let that process finish, or end it\n",
				path, who, waited);
			return krsi_err(-EBUSY);
		}
		nanosleep(&step, NULL);
	}
	return 0;
}

/* Whether FD is still the directory at PATH: another process may have
 * removed or exchanged it while we waited for its lock. */
static bool still_at(int fd, const char *path)
{
	struct stat a, b;

	return !fstat(fd, &a) && a.st_nlink && !lstat(path, &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int krsi_pin_root_open(const char *path, int flags, bool *created)
{
	bool made = false;
	struct stat st;
	int fd, err, tries;

	for (tries = 0; tries < 8; tries++) {
		err = flags & KRSI_ROOT_CREATE ? create_root(path, &made) : 0;
		if (err == -EAGAIN)
			continue;
		if (err)
			return err;
		fd = open(path,
			  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		err = fd < 0 ? -errno : 0;
		if (err && err != -ENOENT && !lstat(path, &st) &&
		    squatted(path, &st))
			fd = -EEXIST;
		else if (fd >= 0 && !fstat(fd, &st) && squatted(path, &st)) {
			close(fd);
			fd = -EEXIST;
		} else if (fd < 0) {
			fd = err;
		}
		if (fd == -EEXIST) {
			/* not ours: nothing of ours is in it */
			pr_warn("pin root '%s' was made by uid %u (mode %03o), not by libkrsi: ignored (no policy is installed there); the next install takes the name back\n",
				path, st.st_uid, st.st_mode & 0777);
			return krsi_err(-ENOENT);
		}
		if (fd < 0) {
			if (fd != -ENOENT || (flags & KRSI_ROOT_CREATE))
				pr_warn("cannot open pin root '%s': %s\n", path,
					strerror(-fd));
			return krsi_err(fd);
		}
		err = check_root(fd, path);
		if (!err && (flags & KRSI_ROOT_LOCK))
			err = lock_root(fd, path);
		if (err) {
			close(fd);
			return krsi_err(err);
		}
		if (!(flags & KRSI_ROOT_LOCK) || still_at(fd, path)) {
			if (created)
				*created = made;
			return fd;
		}
		close(fd); /* removed or replaced meanwhile: again */
	}
	pr_warn("pin root '%s' keeps changing under us: giving up\n", path);
	return krsi_err(-EAGAIN);
}

int krsi_rmtree(int dirfd, const char *name)
{
	struct statx at, in;
	struct dirent *de;
	int fd, err = 0;
	DIR *dir;

	if (!unlinkat(dirfd, name, 0) || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return krsi_err(-errno);
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return krsi_err(-errno);
	/* Never into another mount: a filesystem mounted on a directory of
	 * ours, even a bind mount of bpffs, is not ours to empty. */
	if (statx(dirfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &at) ||
	    statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &in) ||
	    at.stx_dev_major != in.stx_dev_major ||
	    at.stx_dev_minor != in.stx_dev_minor ||
	    ((at.stx_mask & in.stx_mask & STATX_MNT_ID) &&
	     at.stx_mnt_id != in.stx_mnt_id)) {
		close(fd);
		pr_warn("not removing '%s': something is mounted on it; unmount it\n",
			name);
		return krsi_err(-EBUSY);
	}
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
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
