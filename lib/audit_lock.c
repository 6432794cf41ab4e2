// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * One consumer per ring buffer. A ring has one consumer position, in the
 * ring itself: two consumers would each skip what the other read. A
 * consumer holds an flock(2) on KRSI_AUDIT_LOCK_DIR/ring-ID.lock, ID the
 * map's id (unique while the map lives, which a consumer's reference
 * ensures), with its pid written inside for the message of the next one.
 * The lock goes with the process, however it ends. The holder unlinks the
 * file before closing it; a taker checks that the path is still the file
 * it locked, so that two never hold locks on two files of one name.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_internal.h"

/* Tries before giving up on a path that keeps changing under us. */
#define LOCK_TRIES 8

static void lock_path(char *path, size_t size, __u32 map_id)
{
	snprintf(path, size, "%s/ring-%u.lock", KRSI_AUDIT_LOCK_DIR, map_id);
}

/* The lock directory, created if missing: 0, or -errno (said why). */
static int lock_dir(void)
{
	struct stat st;

	if (mkdir(KRSI_AUDIT_LOCK_DIR, 0700) && errno != EEXIST)
		return -errno;
	if (lstat(KRSI_AUDIT_LOCK_DIR, &st))
		return -errno;
	/* only its owner, root, may make or replace lock files there */
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) {
		pr_warn("audit: %s is not a directory of root's that only root can write: remove it\n",
			KRSI_AUDIT_LOCK_DIR);
		return -EPERM;
	}
	return 0;
}

/* Say who holds the lock of the file FD: its pid, written inside. */
static void lock_busy(int fd, const char *ring, __u32 map_id)
{
	char buf[32] = "", comm[64] = "", path[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
	FILE *f;

	if (pid > 0) {
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		f = fopen(path, "re");
		if (f && fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		if (f)
			fclose(f);
	}
	if (pid > 0)
		pr_warn("audit: ring %s (map id %u) is already read by process %ld%s%s%s: a ring has one consumer position, so two consumers would each miss what the other reads; stop that consumer first\n",
			ring, map_id, pid, comm[0] ? " (" : "", comm,
			comm[0] ? ")" : "");
	else
		pr_warn("audit: ring %s (map id %u) is already read by another consumer: a ring has one consumer position; stop that consumer first\n",
			ring, map_id);
}

/* Lock PATH: the locked file's descriptor, or -errno. */
static int lock_file(const char *path, const char *ring, __u32 map_id)
{
	struct stat held, now;
	char pid[24];
	int fd, err, try;

	for (try = 0; try < LOCK_TRIES; try++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			  0600);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			err = -errno;
			if (err == -EWOULDBLOCK) {
				lock_busy(fd, ring, map_id);
				err = -EBUSY;
			}
			close(fd);
			return err;
		}
		/* the holder before us may have unlinked it meanwhile */
		if (!fstat(fd, &held) && !stat(path, &now) &&
		    held.st_ino == now.st_ino && held.st_dev == now.st_dev)
			break;
		close(fd);
		fd = -EAGAIN;
	}
	if (fd < 0)
		return fd;
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, strlen(pid), 0) < 0)
		pr_debug("audit: cannot write our pid into %s: %s\n", path,
			 strerror(errno));
	return fd;
}

int audit_ring_lock(struct audit_ring *r)
{
	char path[sizeof(KRSI_AUDIT_LOCK_DIR) + 32];
	int err;

	lock_path(path, sizeof(path), r->map_id);
	err = lock_dir();
	if (!err) {
		err = lock_file(path, r->name, r->map_id);
		if (err >= 0) {
			r->lock_fd = err;
			return 0;
		}
	}
	if (err == -EBUSY)
		return err;
	if (err == -EACCES || err == -EROFS || err == -ENOENT) {
		/* not root (a consumer of its own object's rings, most
		 * likely, which no one else knows of), or no /run */
		pr_warn("audit: cannot lock ring %s for this consumer in %s (%s): nothing prevents a second consumer of it\n",
			r->name, KRSI_AUDIT_LOCK_DIR, strerror(-err));
		return 0;
	}
	pr_warn("audit: cannot lock ring %s for this consumer at %s: %s\n",
		r->name, path, strerror(-err));
	return err;
}

void audit_ring_unlock(struct audit_ring *r)
{
	char path[sizeof(KRSI_AUDIT_LOCK_DIR) + 32];

	if (r->lock_fd < 0)
		return;
	/* unlinked while held: a taker that opened it finds the path gone */
	lock_path(path, sizeof(path), r->map_id);
	unlink(path);
	close(r->lock_fd);
	r->lock_fd = -1;
}
