// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A policy's control map (mode) and counters, by map or in a pinned dir. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "map_internal.h"
#include "policy_internal.h"

static const char *const mode_names[] = {
	[KRSI_MODE_MONITOR] = "monitor",
	[KRSI_MODE_ENFORCE] = "enforce",
};

int krsi_check_ctl_map(const struct krsi_map *ctl)
{
	const char *why = NULL;

	if (ctl->type != BPF_MAP_TYPE_ARRAY)
		why = "it is not an array";
	else if (ctl->key_size != sizeof(__u32))
		why = "its keys are not 4 bytes";
	else if (ctl->value_size != sizeof(struct krsi_policy_ctl))
		why = "its values are not a struct krsi_policy_ctl";
	else if (ctl->max_entries < 1)
		why = "it is empty";
	else if (!(ctl->map_flags & BPF_F_MMAPABLE))
		why = "it is not mmapable (BPF_F_MMAPABLE)";
	if (!why)
		return 0;
	pr_warn("map '%s' is not a policy control map: %s; define it with KRSI_POLICY_MAPS()\n",
		ctl->name, why);
	return -EINVAL;
}

int krsi_map_ctl(const struct krsi_map *ctl, struct krsi_policy_ctl **mm,
		 size_t *len)
{
	void *p;
	int err;

	*len = sysconf(_SC_PAGESIZE);
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, ctl->fd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		if (err == -EACCES)
			pr_warn("control map '%s' is open read-only: open it writable to change the policy\n",
				ctl->name);
		else
			pr_warn("cannot map control map '%s': %s\n", ctl->name,
				strerror(-err));
		return err;
	}
	*mm = p;
	return 0;
}

int krsi_get_policy_mode(const struct krsi_map *ctl,
			 enum krsi_policy_mode *mode)
{
	struct krsi_policy_ctl value;
	__u32 zero = 0;
	int err;

	if (!ctl || !mode) {
		pr_warn("krsi_get_policy_mode: %s is NULL\n",
			ctl ? "mode" : "ctl");
		return krsi_err(-EINVAL);
	}
	err = krsi_check_ctl_map(ctl);
	if (err)
		return krsi_err(err);
	err = krsi_map__lookup_elem(ctl, &zero, sizeof(zero), &value,
				    sizeof(value), 0);
	if (err)
		return err;
	/* Programs take any other value for enforce. */
	*mode = value.mode == KRSI_MODE_MONITOR ? KRSI_MODE_MONITOR
						: KRSI_MODE_ENFORCE;
	return 0;
}

int krsi_set_policy_mode(const struct krsi_map *ctl, enum krsi_policy_mode mode)
{
	struct krsi_policy_ctl *mm;
	size_t len;
	int err;

	if (!ctl) {
		pr_warn("krsi_set_policy_mode: ctl is NULL\n");
		return krsi_err(-EINVAL);
	}
	if (!krsi_policy_mode_str(mode)) {
		pr_warn("control map '%s': %d is not a policy mode (monitor %d, enforce %d)\n",
			ctl->name, (int)mode, KRSI_MODE_MONITOR,
			KRSI_MODE_ENFORCE);
		return krsi_err(-EINVAL);
	}
	err = krsi_check_ctl_map(ctl);
	if (!err)
		err = krsi_map_ctl(ctl, &mm, &len);
	if (err)
		return krsi_err(err);
	__atomic_store_n(&mm->mode, (__u32)mode, __ATOMIC_SEQ_CST);
	munmap(mm, len);
	pr_debug("control map '%s': mode %s\n", ctl->name, mode_names[mode]);
	return 0;
}

int krsi_read_policy_stats(const struct krsi_map *map,
			   struct krsi_policy_stats *stats, size_t stats_sz)
{
	__u32 zero = 0, per_cpu, have, want, i;
	__u64 *values, *out = (__u64 *)stats;
	int ncpus, cpu, err;

	if (!map || !stats) {
		pr_warn("krsi_read_policy_stats: %s is NULL\n",
			map ? "stats" : "map");
		return krsi_err(-EINVAL);
	}
	if (!stats_sz || stats_sz % sizeof(__u64)) {
		pr_warn("krsi_read_policy_stats: stats_sz is %zu, not a multiple of 8: pass sizeof(struct krsi_policy_stats)\n",
			stats_sz);
		return krsi_err(-EINVAL);
	}
	ncpus = libbpf_num_possible_cpus();
	if (map->type != BPF_MAP_TYPE_PERCPU_ARRAY ||
	    map->key_size != sizeof(__u32) || ncpus <= 0) {
		pr_warn("map '%s' is not a policy counters map (a per-CPU array); define it with KRSI_POLICY_MAPS()\n",
			map->name);
		return krsi_err(-EINVAL);
	}
	values = malloc(map->value_size);
	if (!values)
		return krsi_err(-ENOMEM);
	err = krsi_map__lookup_elem(map, &zero, sizeof(zero), values,
				    map->value_size, 0);
	if (!err) {
		per_cpu = map->value_size / ncpus / sizeof(__u64);
		have = per_cpu;
		want = stats_sz / sizeof(__u64);
		memset(stats, 0, stats_sz);
		for (cpu = 0; cpu < ncpus; cpu++)
			for (i = 0; i < have && i < want; i++)
				out[i] += values[cpu * per_cpu + i];
	}
	free(values);
	return err;
}

/* Open DIR/NAME; READ_ONLY forces a read-only handle. */
static struct krsi_map *open_in_dir(const char *dir, const char *name,
				    const struct krsi_map_open_opts *opts,
				    bool read_only)
{
	KRSI_OPTS(krsi_map_open_opts, o);
	char path[PATH_MAX];

	if (!dir) {
		pr_warn("policy directory is NULL\n");
		return krsi_err_ptr(-EINVAL);
	}
	if (!OPTS_VALID(opts, krsi_map_open_opts, any_owner))
		return krsi_err_ptr(-EINVAL);
	o.read_only = read_only || OPTS_GET(opts, read_only, false);
	o.any_owner = OPTS_GET(opts, any_owner, false);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		pr_warn("policy directory %s: path too long\n", dir);
		return krsi_err_ptr(-ENAMETOOLONG);
	}
	return krsi_map__open_pinned(path, &o);
}

int krsi_get_policy_mode_pinned(const char *dir,
				const struct krsi_map_open_opts *opts,
				enum krsi_policy_mode *mode)
{
	struct krsi_map *ctl;
	int err;

	if (!mode) {
		pr_warn("krsi_get_policy_mode_pinned: mode is NULL\n");
		return krsi_err(-EINVAL);
	}
	ctl = open_in_dir(dir, KRSI_POLICY_CTL_NAME, opts, true);
	if (!ctl)
		return -errno;
	err = krsi_get_policy_mode(ctl, mode);
	krsi_map__free(ctl);
	return krsi_err(err);
}

int krsi_set_policy_mode_pinned(const char *dir,
				const struct krsi_map_open_opts *opts,
				enum krsi_policy_mode mode)
{
	struct krsi_map *ctl =
		open_in_dir(dir, KRSI_POLICY_CTL_NAME, opts, false);
	int err;

	if (!ctl)
		return -errno;
	err = krsi_set_policy_mode(ctl, mode);
	krsi_map__free(ctl);
	return krsi_err(err);
}

int krsi_read_policy_stats_pinned(const char *dir,
				  const struct krsi_map_open_opts *opts,
				  struct krsi_policy_stats *stats,
				  size_t stats_sz)
{
	struct krsi_map *map;
	int err;

	if (!stats) {
		pr_warn("krsi_read_policy_stats_pinned: stats is NULL\n");
		return krsi_err(-EINVAL);
	}
	map = open_in_dir(dir, KRSI_POLICY_STATS_NAME, opts, true);
	if (!map)
		return -errno;
	err = krsi_read_policy_stats(map, stats, stats_sz);
	krsi_map__free(map);
	return krsi_err(err);
}

const char *krsi_policy_mode_str(enum krsi_policy_mode mode)
{
	if ((unsigned int)mode >= sizeof(mode_names) / sizeof(mode_names[0]))
		return krsi_err_ptr(-EINVAL);
	return mode_names[mode];
}

int krsi_parse_policy_mode(const char *str, enum krsi_policy_mode *mode)
{
	unsigned int i;

	if (!str || !mode) {
		pr_warn("krsi_parse_policy_mode: %s is NULL\n",
			str ? "mode" : "str");
		return krsi_err(-EINVAL);
	}
	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (strcmp(str, mode_names[i]) == 0) {
			*mode = (enum krsi_policy_mode)i;
			return 0;
		}
	}
	pr_warn("'%s' is not a policy mode: use monitor or enforce\n", str);
	return krsi_err(-EINVAL);
}
