// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* struct krsi_map: making handles, getters, element operations. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "map_internal.h"

static bool is_percpu(enum bpf_map_type type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

bool krsi_map_is_array(const struct krsi_map *map)
{
	return map->type == BPF_MAP_TYPE_ARRAY ||
	       map->type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       map->type == BPF_MAP_TYPE_ARRAY_OF_MAPS;
}

struct krsi_map *krsi_map_new(int fd, bool owns_fd, struct bpf_map *bpf_map,
			      const char *name)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	struct krsi_map *map = NULL;
	int err, ncpus;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		err = -errno;
		pr_warn("cannot read the kernel's description of map fd %d: %s\n",
			fd, strerror(-err));
		goto err;
	}
	map = calloc(1, sizeof(*map));
	if (!map)
		goto err_nomem;
	map->fd = fd;
	map->owns_fd = owns_fd;
	map->bpf_map = bpf_map;
	map->id = info.id;
	map->type = info.type;
	map->key_size = info.key_size;
	map->value_size = info.value_size;
	map->max_entries = info.max_entries;
	map->map_flags = info.map_flags;
	if (is_percpu(map->type)) {
		ncpus = libbpf_num_possible_cpus();
		if (ncpus < 0) {
			err = ncpus;
			pr_warn("map '%s': cannot count the possible CPUs for its per-CPU values: %s\n",
				info.name, strerror(-err));
			goto err;
		}
		map->value_size = ((info.value_size + 7) & ~7u) * ncpus;
	}
	map->name = strdup(name ? name : info.name);
	if (!map->name)
		goto err_nomem;
	return map;

err_nomem:
	err = -ENOMEM;
	pr_warn("out of memory for a map handle\n");
err:
	if (map)
		free(map->name);
	free(map);
	if (owns_fd)
		close(fd);
	return krsi_err_ptr(err);
}

int krsi_map_check_is_map(int fd, const char *what)
{
	char link[64], target[128];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		/* No /proc: the kernel will say later if it is not a map. */
		pr_debug("cannot tell what %s is (%s: %s)\n", what, link,
			 strerror(errno));
		return 0;
	}
	target[n] = '\0';
	if (strcmp(target, "anon_inode:bpf-map") == 0)
		return 0;
	pr_warn("%s is not a BPF map but %s\n", what, target);
	return -EINVAL;
}

struct krsi_map *krsi_map__new(struct bpf_map *bpf_map)
{
	int fd;

	if (!bpf_map) {
		pr_warn("krsi_map__new: map is NULL\n");
		return krsi_err_ptr(-EINVAL);
	}
	fd = bpf_map__fd(bpf_map);
	if (fd < 0) {
		pr_warn("map '%s' is not created yet: load its object first (bpf_object__load() or the skeleton's __load())\n",
			bpf_map__name(bpf_map));
		return krsi_err_ptr(-EINVAL);
	}
	return krsi_map_new(fd, false, bpf_map, bpf_map__name(bpf_map));
}

struct krsi_map *krsi_map__find(const struct bpf_object *obj, const char *name)
{
	char names[256] = "";
	struct bpf_map *m;
	size_t len = 0;

	if (!obj || !name) {
		pr_warn("krsi_map__find: %s is NULL\n",
			obj ? "name" : "object");
		return krsi_err_ptr(-EINVAL);
	}
	m = bpf_object__find_map_by_name(obj, name);
	if (m)
		return krsi_map__new(m);
	bpf_object__for_each_map (m, obj) {
		if (len < sizeof(names))
			len += snprintf(names + len, sizeof(names) - len,
					"%s%s", len ? ", " : "",
					bpf_map__name(m));
	}
	pr_warn("object '%s' has no map named '%s'; its maps: %s\n",
		bpf_object__name(obj), name, len ? names : "none");
	return krsi_err_ptr(-ENOENT);
}

struct krsi_map *krsi_map__new_fd(int fd)
{
	char what[32];
	int dup_fd, err;

	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		pr_warn("krsi_map__new_fd: %d is not an open file descriptor\n",
			fd);
		return krsi_err_ptr(-EBADF);
	}
	snprintf(what, sizeof(what), "file descriptor %d", fd);
	err = krsi_map_check_is_map(fd, what);
	if (err)
		return krsi_err_ptr(err);
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0) {
		err = -errno;
		pr_warn("cannot duplicate map fd %d: %s\n", fd, strerror(-err));
		return krsi_err_ptr(err);
	}
	return krsi_map_new(dup_fd, true, NULL, NULL);
}

void krsi_map__free(struct krsi_map *map)
{
	if (!map)
		return;
	if (map->owns_fd)
		close(map->fd);
	free(map->name);
	free(map->pin_path);
	free(map);
}

int krsi_map__fd(const struct krsi_map *map)
{
	return map ? map->fd : krsi_err(-EINVAL);
}

struct bpf_map *krsi_map__bpf_map(const struct krsi_map *map)
{
	if (!map)
		return krsi_err_ptr(-EINVAL);
	return map->bpf_map ? map->bpf_map : krsi_err_ptr(-ENOENT);
}

const char *krsi_map__name(const struct krsi_map *map)
{
	return map ? map->name : krsi_err_ptr(-EINVAL);
}

enum bpf_map_type krsi_map__type(const struct krsi_map *map)
{
	if (!map) {
		errno = EINVAL;
		return BPF_MAP_TYPE_UNSPEC;
	}
	return map->type;
}

/* A size getter: the field, or 0 with errno EINVAL for a NULL map. */
#define SIZE_GETTER(field)                                  \
	__u32 krsi_map__##field(const struct krsi_map *map) \
	{                                                   \
		if (!map) {                                 \
			errno = EINVAL;                     \
			return 0;                           \
		}                                           \
		return map->field;                          \
	}
SIZE_GETTER(key_size)
SIZE_GETTER(value_size)
SIZE_GETTER(max_entries)

int krsi_map_check_key(const struct krsi_map *map, size_t sz)
{
	if (sz == map->key_size)
		return 0;
	pr_warn("map '%s': key is %zu bytes, but the map's keys are %u bytes\n",
		map->name, sz, map->key_size);
	return -EINVAL;
}

int krsi_map_check_value(const struct krsi_map *map, size_t sz)
{
	if (sz == map->value_size)
		return 0;
	pr_warn("map '%s': value is %zu bytes, but the map's values are %u bytes%s\n",
		map->name, sz, map->value_size,
		is_percpu(map->type)
			? " (per-CPU: one 8-byte aligned value per possible CPU)"
			: "");
	return -EINVAL;
}

int krsi_map_fail(const struct krsi_map *map, const char *op, int err)
{
	switch (-err) {
	case E2BIG:
		if (krsi_map_is_array(map))
			pr_warn("map '%s': %s: index beyond the array's %u entries\n",
				map->name, op, map->max_entries);
		else
			pr_warn("map '%s': %s: the map is full (capacity %u entries): delete entries or raise its max_entries\n",
				map->name, op, map->max_entries);
		break;
	case ENOSPC:
		pr_warn("map '%s': %s: the map is full (capacity %u entries): delete entries or raise its max_entries\n",
			map->name, op, map->max_entries);
		break;
	case EPERM:
	case EACCES:
		pr_warn("map '%s': %s: not permitted: the handle may be read-only, the map frozen or read-only for user space, or the process without CAP_BPF\n",
			map->name, op);
		break;
	default:
		pr_warn("map '%s': %s failed: %s\n", map->name, op,
			strerror(-err));
	}
	return krsi_err(err);
}

/* Check the arguments of an element call; VALUE is checked if HAS_VALUE. */
static int check_args(const struct krsi_map *map, const char *op,
		      const void *key, size_t key_sz, bool has_value,
		      const void *value, size_t value_sz)
{
	int err;

	if (!map) {
		pr_warn("%s: map is NULL\n", op);
		return -EINVAL;
	}
	if ((!key && map->key_size) || (has_value && !value)) {
		pr_warn("map '%s': %s: %s is NULL\n", map->name, op,
			has_value && !value ? "value" : "key");
		return -EINVAL;
	}
	err = krsi_map_check_key(map, key_sz);
	if (!err && has_value)
		err = krsi_map_check_value(map, value_sz);
	return err;
}

int krsi_map__lookup_elem(const struct krsi_map *map, const void *key,
			  size_t key_sz, void *value, size_t value_sz,
			  __u64 flags)
{
	int err;

	err = check_args(map, "lookup", key, key_sz, true, value, value_sz);
	if (err)
		return krsi_err(err);
	if (!bpf_map_lookup_elem_flags(map->fd, key, value, flags))
		return 0;
	err = -errno;
	if (err == -ENOENT)
		return krsi_err(err);
	return krsi_map_fail(map, "lookup", err);
}

int krsi_map__update_elem(const struct krsi_map *map, const void *key,
			  size_t key_sz, const void *value, size_t value_sz,
			  __u64 flags)
{
	int err;

	err = check_args(map, "update", key, key_sz, true, value, value_sz);
	if (err)
		return krsi_err(err);
	if (!bpf_map_update_elem(map->fd, key, value, flags))
		return 0;
	err = -errno;
	/* The answers to BPF_NOEXIST and BPF_EXIST, not failures. */
	if ((err == -EEXIST && (flags & BPF_NOEXIST)) ||
	    (err == -ENOENT && (flags & BPF_EXIST))) {
		pr_debug("map '%s': update: %s\n", map->name,
			 err == -EEXIST ? "key exists" : "no such key");
		return krsi_err(err);
	}
	return krsi_map_fail(map, "update", err);
}

int krsi_map__delete_elem(const struct krsi_map *map, const void *key,
			  size_t key_sz, __u64 flags)
{
	int err;

	err = check_args(map, "delete", key, key_sz, false, NULL, 0);
	if (err)
		return krsi_err(err);
	if (!bpf_map_delete_elem_flags(map->fd, key, flags))
		return 0;
	err = -errno;
	if (err == -ENOENT)
		return krsi_err(err);
	if (err == -EINVAL && krsi_map_is_array(map)) {
		pr_warn("map '%s': delete: array elements cannot be deleted; overwrite them instead\n",
			map->name);
		return krsi_err(err);
	}
	return krsi_map_fail(map, "delete", err);
}

int krsi_map__get_next_key(const struct krsi_map *map, const void *cur_key,
			   void *next_key, size_t key_sz)
{
	int err;

	err = check_args(map, "next key", next_key, key_sz, false, NULL, 0);
	if (err)
		return krsi_err(err);
	if (!bpf_map_get_next_key(map->fd, cur_key, next_key))
		return 0;
	err = -errno;
	if (err == -ENOENT)
		return krsi_err(err);
	return krsi_map_fail(map, "next key", err);
}
