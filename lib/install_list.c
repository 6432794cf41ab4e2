// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* List installed policies from their pins. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <krsi/install.h>
#include <krsi/version.h>

#include "internal.h"

/* What one policy directory holds, for its krsi_policy_info. */
struct listing {
	struct dirent **link_names, **map_names;
	int link_cnt, map_cnt;
	struct krsi_link_desc *links;
	const struct krsi_attachment **link_ptrs;
	struct krsi_policy_map *maps;
	const struct krsi_policy_map **map_ptrs;
	struct krsi_policy_meta meta;
};

static void free_listing(struct listing *l)
{
	int i;

	for (i = 0; i < l->link_cnt; i++)
		free(l->link_names[i]);
	for (i = 0; i < l->map_cnt; i++)
		free(l->map_names[i]);
	free(l->link_names);
	free(l->map_names);
	free(l->links);
	free(l->link_ptrs);
	free(l->maps);
	free(l->map_ptrs);
}

static int open_pinned(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (krsi_path(path, "%s/%s", dir, name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		pr_warn("cannot open pin %s: %s\n", path, strerror(errno));
	return fd < 0 ? -errno : fd;
}

static int read_links(struct listing *l, const char *dir, const char *policy,
		      const struct btf *vmlinux)
{
	char path[PATH_MAX];
	int i, fd, err;

	if (krsi_path(path, "%s/" KRSI_LINKS_DIR, dir))
		return -ENAMETOOLONG;
	l->link_cnt = krsi_scandir(path, &l->link_names, false);
	if (l->link_cnt < 0)
		return l->link_cnt;
	l->links = calloc(l->link_cnt + 1, sizeof(*l->links));
	l->link_ptrs = calloc(l->link_cnt + 1, sizeof(*l->link_ptrs));
	if (!l->links || !l->link_ptrs)
		return -ENOMEM;
	for (i = 0; i < l->link_cnt; i++) {
		fd = open_pinned(path, l->link_names[i]->d_name);
		if (fd < 0)
			return fd;
		err = krsi_link_describe(fd, vmlinux, &l->links[i]);
		close(fd);
		if (err < 0)
			return err;
		l->links[i].att.prog_name = l->link_names[i]->d_name;
		l->links[i].att.policy = policy;
		l->link_ptrs[i] = &l->links[i].att;
	}
	return 0;
}

static int read_maps(struct listing *l, const char *dir)
{
	struct bpf_map_info info;
	int i, fd, err;
	__u32 len;

	l->map_cnt = krsi_scandir(dir, &l->map_names, true);
	if (l->map_cnt < 0)
		return l->map_cnt;
	l->maps = calloc(l->map_cnt + 1, sizeof(*l->maps));
	l->map_ptrs = calloc(l->map_cnt + 1, sizeof(*l->map_ptrs));
	if (!l->maps || !l->map_ptrs)
		return -ENOMEM;
	for (i = 0; i < l->map_cnt; i++) {
		fd = open_pinned(dir, l->map_names[i]->d_name);
		if (fd < 0)
			return fd;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		err = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
		close(fd);
		if (err)
			return err;
		l->maps[i] = (struct krsi_policy_map){
			.name = l->map_names[i]->d_name,
			.id = info.id,
			.type = info.type,
			.key_size = info.key_size,
			.value_size = info.value_size,
			.max_entries = info.max_entries,
		};
		l->map_ptrs[i] = &l->maps[i];
	}
	return 0;
}

/* Describe the policy NAME pinned in DIR and hand it to FN. */
static int describe(const char *dir, const char *name, bool interrupted,
		    const struct btf *vmlinux, krsi_policy_fn fn, void *ctx)
{
	struct listing l = {};
	char path[PATH_MAX];
	int err;

	err = krsi_path(path, "%s/" KRSI_META_PIN, dir);
	if (!err && krsi_meta_read(path, &l.meta) == -EPROTONOSUPPORT)
		pr_warn("policy '%s' was installed by a later libkrsi (its metadata has format %u; libkrsi %s reads format %u): who installed it, and when, is not known here\n",
			name, l.meta.format, krsi_version_string(),
			KRSI_META_FORMAT);
	err = err ?: read_links(&l, dir, name, vmlinux) ?: read_maps(&l, dir);
	if (!err) {
		struct krsi_policy_info info = {
			.name = name,
			.path = dir,
			.object = l.meta.object,
			.libkrsi = l.meta.libkrsi,
			.cgroup_path = l.meta.cgroup[0] ? l.meta.cgroup : NULL,
			.generation = l.meta.generation,
			.installed_ns = l.meta.installed_ns,
			.prog_cnt = l.link_cnt,
			.progs = l.link_ptrs,
			.map_cnt = l.map_cnt,
			.maps = l.map_ptrs,
			.interrupted = interrupted,
		};
		err = fn(&info, ctx);
	}
	free_listing(&l);
	return err;
}

/* The length of ENTRY's suffix ~new or ~old, which mark what an install or
 * a replacement left when interrupted; 0 for a policy. */
static size_t remains_suffix(const char *entry)
{
	static const char *const suffixes[] = { KRSI_STAGING, KRSI_REPLACED };
	size_t len = strlen(entry), n, i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		n = strlen(suffixes[i]);
		if (len > n && !strcmp(entry + len - n, suffixes[i]))
			return n;
	}
	return 0;
}

int krsi_list_policies(krsi_policy_fn fn, void *ctx,
		       const struct krsi_list_opts *opts)
{
	const char *root, *entry;
	struct btf *vmlinux = NULL;
	char dir[PATH_MAX], name[NAME_MAX + 1];
	struct dirent **list = NULL;
	int i, n, fd, err = 0;
	size_t suffix;
	bool staging;

	if (!fn || !OPTS_VALID(opts, krsi_list_opts, pin_root)) {
		pr_warn("krsi_list_policies: %s\n",
			fn ? "invalid options" : "callback is NULL");
		return krsi_err(-EINVAL);
	}
	root = OPTS_GET(opts, pin_root, NULL) ?: KRSI_POLICY_PIN_ROOT;
	fd = krsi_pin_root_open(root, 0, NULL);
	if (fd == -ENOENT)
		return 0; /* nothing was ever installed */
	if (fd < 0)
		return fd;
	close(fd);
	n = krsi_scandir(root, &list, false);
	if (n > 0)
		vmlinux = krsi_vmlinux_btf();
	for (i = 0; i < n; i++) {
		entry = list[i]->d_name;
		suffix = remains_suffix(entry);
		staging = suffix > 0;
		snprintf(name, sizeof(name), "%.*s",
			 (int)(strlen(entry) - suffix), entry);
		if (!err)
			err = krsi_path(dir, "%s/%s", root, entry)
				      ?: describe(dir, name, staging, vmlinux,
						  fn, ctx);
		free(list[i]);
	}
	free(list);
	if (n < 0)
		err = n;
	btf__free(vmlinux);
	return err < 0 ? krsi_err(err) : err;
}
