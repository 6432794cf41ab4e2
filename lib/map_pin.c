// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* struct krsi_map in a BPF filesystem: opening pins (safely), pinning. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "map_internal.h"

/* The directory part of PATH, newly allocated ("/" for "/x"), or NULL. */
static char *dir_of(const char *path)
{
	char *dir = strdup(path), *slash;

	if (!dir)
		return NULL;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

/* 0 if DIR is on a BPF filesystem; else a negative errno, explained. */
static int check_bpffs(const char *dir, const char *path)
{
	struct statfs st;
	int err;

	if (statfs(dir, &st)) {
		err = -errno;
		if (err == -ENOENT)
			pr_warn("directory %s of %s does not exist: create it first\n",
				dir, path);
		else
			pr_warn("cannot examine directory %s of %s: %s\n", dir,
				path, strerror(-err));
		return err;
	}
	if (st.f_type != BPF_FS_MAGIC) {
		pr_warn("%s is not on a BPF filesystem: pins live in bpffs (mount -t bpf -o mode=0700 bpf /sys/fs/bpf)\n",
			path);
		return -EINVAL;
	}
	return 0;
}

static bool trusted_uid(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/*
 * A pin may be trusted when no other user can have planted or replaced it:
 * it and its directory are owned by root or us, neither is writable by
 * group or others, except a sticky directory (where others cannot replace
 * what we own).
 */
static int check_pin_owner(const char *path)
{
	struct stat st;
	char *dir;
	int err = 0;

	if (stat(path, &st))
		return -errno;
	if (!trusted_uid(st.st_uid)) {
		pr_warn("%s is owned by uid %u, neither root nor this process's uid %u: another user may have planted it; remove it, or set any_owner in struct krsi_map_open_opts if that user is trusted\n",
			path, (unsigned int)st.st_uid, (unsigned int)geteuid());
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		pr_warn("%s is writable by group or others (mode %04o): other users could change the map; chmod go-w it, or set any_owner in struct krsi_map_open_opts\n",
			path, (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	dir = dir_of(path);
	if (!dir)
		return -ENOMEM;
	if (stat(dir, &st)) {
		err = -errno;
	} else if (!trusted_uid(st.st_uid)) {
		pr_warn("directory %s of %s is owned by uid %u, neither root nor this process's uid %u: its owner could replace the pin; set any_owner in struct krsi_map_open_opts if that user is trusted\n",
			dir, path, (unsigned int)st.st_uid,
			(unsigned int)geteuid());
		err = -EPERM;
	} else if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
		   !(st.st_mode & S_ISVTX)) {
		pr_warn("directory %s of %s is writable by group or others without the sticky bit (mode %04o): they could replace the pin; chmod go-w or +t it\n",
			dir, path, (unsigned int)(st.st_mode & 07777));
		err = -EPERM;
	}
	free(dir);
	return err;
}

static int explain_obj_get(const char *path, int err)
{
	switch (-err) {
	case ENOENT:
		pr_warn("nothing is pinned at %s\n", path);
		break;
	case EPERM:
		pr_warn("opening %s: not permitted: it needs CAP_BPF (or CAP_SYS_ADMIN)\n",
			path);
		break;
	case EACCES:
		pr_warn("opening %s: permission denied by its mode: open it read-only, or as its owner\n",
			path);
		break;
	default:
		pr_warn("opening %s failed: %s\n", path, strerror(-err));
	}
	return err;
}

struct krsi_map *krsi_map__open_pinned(const char *path,
				       const struct krsi_map_open_opts *opts)
{
	LIBBPF_OPTS(bpf_obj_get_opts, get_opts);
	struct krsi_map *map;
	char *real, *dir;
	int fd, err;

	if (!path) {
		pr_warn("krsi_map__open_pinned: path is NULL\n");
		return krsi_err_ptr(-EINVAL);
	}
	if (!OPTS_VALID(opts, krsi_map_open_opts, any_owner))
		return krsi_err_ptr(-EINVAL);
	real = realpath(path, NULL);
	if (!real)
		return krsi_err_ptr(explain_obj_get(path, -errno));
	dir = dir_of(real);
	err = dir ? check_bpffs(dir, real) : -ENOMEM;
	free(dir);
	if (!err && !OPTS_GET(opts, any_owner, false))
		err = check_pin_owner(real);
	if (err)
		goto err;
	get_opts.file_flags =
		OPTS_GET(opts, read_only, false) ? BPF_F_RDONLY : 0;
	fd = bpf_obj_get_opts(real, &get_opts);
	if (fd < 0) {
		err = explain_obj_get(real, -errno);
		goto err;
	}
	err = krsi_map_check_is_map(fd, real);
	if (err) {
		close(fd);
		goto err;
	}
	map = krsi_map_new(fd, true, NULL, NULL);
	if (!map) {
		err = -errno;
		goto err;
	}
	map->pin_path = real;
	return map;
err:
	free(real);
	return krsi_err_ptr(err);
}

int krsi_map__pin(struct krsi_map *map, const char *path)
{
	char *copy, *dir;
	int err;

	if (!map || !path) {
		pr_warn("krsi_map__pin: %s is NULL\n", map ? "path" : "map");
		return krsi_err(-EINVAL);
	}
	copy = strdup(path);
	dir = dir_of(path);
	err = copy && dir ? check_bpffs(dir, path) : -ENOMEM;
	free(dir);
	if (err)
		goto out;
	if (bpf_obj_pin(map->fd, path)) {
		err = -errno;
		if (err == -EEXIST)
			pr_warn("map '%s': cannot pin at %s: it exists; unpin it first or choose another path\n",
				map->name, path);
		else
			pr_warn("map '%s': cannot pin at %s: %s\n", map->name,
				path, strerror(-err));
		goto out;
	}
	free(map->pin_path);
	map->pin_path = copy;
	copy = NULL;
out:
	free(copy);
	return krsi_err(err);
}

/* The kernel's id of the map pinned at PATH, or a negative errno. */
static int pinned_map_id(const char *path, __u32 *id)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int fd, err;

	fd = bpf_obj_get(path);
	if (fd < 0)
		return explain_obj_get(path, -errno);
	err = krsi_map_check_is_map(fd, path);
	memset(&info, 0, sizeof(info));
	if (!err && bpf_obj_get_info_by_fd(fd, &info, &len))
		err = -errno;
	close(fd);
	*id = info.id;
	return err;
}

int krsi_map__unpin(struct krsi_map *map, const char *path)
{
	bool own_path;
	__u32 id = 0;
	int err;

	if (!map) {
		pr_warn("krsi_map__unpin: map is NULL\n");
		return krsi_err(-EINVAL);
	}
	if (!path)
		path = map->pin_path;
	if (!path) {
		pr_warn("map '%s': unpin: no path given, and the map was not pinned or opened from a pin\n",
			map->name);
		return krsi_err(-EINVAL);
	}
	err = pinned_map_id(path, &id);
	if (err == -EINVAL)
		err = -EBUSY; /* not a map: not ours */
	if (!err && id != map->id) {
		pr_warn("map '%s': not unpinning %s: it holds another map (id %u, this one is %u)\n",
			map->name, path, id, map->id);
		err = -EBUSY;
	}
	if (err)
		return krsi_err(err);
	if (unlink(path)) {
		err = -errno;
		pr_warn("map '%s': cannot unpin %s: %s\n", map->name, path,
			strerror(-err));
		return krsi_err(err);
	}
	own_path = map->pin_path && strcmp(map->pin_path, path) == 0;
	if (own_path) {
		free(map->pin_path);
		map->pin_path = NULL;
	}
	return 0;
}
