// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Consuming an installed policy: its event rings found among its pins,
 * and the policy watched. An install or replacement moves a new directory
 * into place (install.c), so the directory's inode tells the version: when
 * it changes or goes, the rings read are drained and then either the new
 * version's rings are read (follow) or consuming fails with -ESTALE.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <krsi/install.h>

#include "audit_internal.h"

/* The drop counters of ring NAME are pinned beside it as NAME_drops. */
#define DROPS_SUFFIX "_drops"

struct audit_policy {
	char *name;
	char *dir; /* ROOT/NAME */
	bool follow;
	bool stale; /* changed, not followed: consuming fails */
	ino_t ino; /* of the version read; 0 while none is installed */
	__u64 generation;
};

/* Add the ring pinned as P->dir/NAME with its drop counters, if it is an
 * event ring: 1 when added, 0 when not an event ring, or -errno. */
static int add_pinned(struct krsi_audit *a, struct audit_policy *p,
		      const char *name)
{
	struct bpf_map_info info;
	char path[PATH_MAX];
	int fd, drops = -1, err;

	if (krsi_path(path, "%s/%s", p->dir, name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = audit_map_info(fd, &info, name);
	if (err || info.type != BPF_MAP_TYPE_RINGBUF)
		goto out;
	if (krsi_path(path, "%s/%s" DROPS_SUFFIX, p->dir, name)) {
		err = -ENAMETOOLONG;
		goto out;
	}
	drops = bpf_obj_get(path);
	if (drops < 0 && errno == ENOENT) {
		pr_warn("audit: skipping ring buffer %s: no %s" DROPS_SUFFIX
			" beside it, so it is not an event ring of KRSI_EVENT_RING() (policy %s)\n",
			name, name, p->name);
		goto out;
	}
	err = drops < 0 ? -errno
			: audit_add_ring(a, fd, drops, NULL, name, p) ?: 1;
out:
	if (drops >= 0)
		close(drops);
	close(fd);
	return err;
}

/* Read the event rings of the version of P installed now: the number
 * added, or -errno (the rings added are then removed). */
static int add_rings(struct krsi_audit *a, struct audit_policy *p)
{
	struct krsi_policy_meta meta = {};
	struct dirent **list;
	char path[PATH_MAX];
	struct stat st;
	int i, n, added = 0, err = 0;

	if (stat(p->dir, &st)) {
		err = -errno;
		if (err == -ENOENT)
			pr_warn("audit: policy %s is not installed (no %s)\n",
				p->name, p->dir);
		return err;
	}
	n = krsi_scandir(p->dir, &list, true);
	if (n < 0) {
		pr_warn("audit: cannot list policy %s in %s: %s\n", p->name,
			p->dir, strerror(-n));
		return n;
	}
	for (i = 0; i < n; i++) {
		if (err >= 0) {
			err = add_pinned(a, p, list[i]->d_name);
			if (err < 0)
				pr_warn("audit: cannot read map %s of policy %s: %s\n",
					list[i]->d_name, p->name,
					strerror(-err));
			else
				added += err;
		}
		free(list[i]);
	}
	free(list);
	if (err >= 0 && !added) {
		pr_warn("audit: policy %s has no event ring: none of its maps is a ring buffer with its drop counters (KRSI_EVENT_RING())\n",
			p->name);
		err = -ENOENT;
	}
	if (err < 0) {
		for (i = a->nr_rings - 1; i >= 0; i--)
			if (a->rings[i]->policy == p)
				audit_remove_ring(a, i);
		return err;
	}
	p->ino = st.st_ino;
	if (!krsi_path(path, "%s/" KRSI_META_PIN, p->dir) &&
	    !krsi_meta_read(path, &meta))
		p->generation = meta.generation;
	return added;
}

static void policy_free(struct audit_policy *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->dir);
	free(p);
}

int krsi_audit__add_policy(struct krsi_audit *a, const char *name,
			   const struct krsi_audit_policy_opts *opts)
{
	const char *root =
		OPTS_GET(opts, pin_root, NULL) ?: KRSI_POLICY_PIN_ROOT;
	struct audit_policy *p, **policies;
	int err;

	if (!a || !name || !OPTS_VALID(opts, krsi_audit_policy_opts, follow))
		return krsi_err(-EINVAL);
	if (!krsi_policy_name_valid(name))
		return krsi_err(-EINVAL);
	policies =
		realloc(a->policies, (a->nr_policies + 1) * sizeof(*policies));
	if (!policies)
		return krsi_err(-ENOMEM);
	a->policies = policies;
	p = calloc(1, sizeof(*p));
	if (!p)
		return krsi_err(-ENOMEM);
	p->follow = OPTS_GET(opts, follow, false);
	p->name = strdup(name);
	if (p->name && asprintf(&p->dir, "%s/%s", root, name) < 0)
		p->dir = NULL;
	err = p->name && p->dir ? add_rings(a, p) : -ENOMEM;
	if (err < 0) {
		policy_free(p);
		return krsi_err(err);
	}
	a->policies[a->nr_policies++] = p;
	return 0;
}

/* Deliver what P's rings hold and every drop counted: records or -errno. */
static int drain(struct krsi_audit *a, struct audit_policy *p)
{
	int i, err, n = 0;

	for (i = 0; i < a->nr_rings; i++) {
		if (a->rings[i]->policy != p)
			continue;
		err = audit_ring_consume(a->rings[i], true);
		if (err < 0)
			return err;
		n += err;
	}
	return n;
}

/* The drops reported of P's rings, to go on from: a replacement keeps a
 * ring it still declares, and its counters. */
struct kept {
	__u32 map_id;
	__u64 *lost;
};

/* Stop reading P's rings, keeping their reported drops in KEPT (of at
 * least a->nr_rings entries): how many were kept. */
static int release_rings(struct krsi_audit *a, struct audit_policy *p,
			 struct kept *kept)
{
	int i, n = 0;

	for (i = a->nr_rings - 1; i >= 0; i--) {
		struct audit_ring *r = a->rings[i];

		if (r->policy != p)
			continue;
		kept[n].map_id = r->map_id;
		kept[n++].lost = r->lost;
		r->lost = NULL;
		audit_remove_ring(a, i);
	}
	return n;
}

/* Read the version of P installed now, going on from the drops reported
 * of the rings it kept. */
static int follow(struct krsi_audit *a, struct audit_policy *p,
		  struct kept *kept, int nr_kept)
{
	int i, j, err = add_rings(a, p);

	if (err == -ENOENT && access(p->dir, F_OK)) {
		pr_info("audit: policy %s was removed: waiting for it to be installed again\n",
			p->name);
		return 0;
	}
	if (err < 0)
		return err;
	for (i = 0; i < a->nr_rings; i++) {
		struct audit_ring *r = a->rings[i];

		for (j = 0; j < nr_kept && r->policy == p; j++) {
			if (kept[j].map_id == r->map_id)
				memcpy(r->lost, kept[j].lost,
				       r->nr_cpus * sizeof(*r->lost));
		}
	}
	pr_info("audit: policy %s was installed again or replaced: reading the rings of generation %llu\n",
		p->name, (unsigned long long)p->generation);
	return 0;
}

/* P's directory is INO now (0: gone): deliver what its rings hold, then
 * follow or fail. Returns records or -errno. */
static int changed(struct krsi_audit *a, struct audit_policy *p, ino_t ino)
{
	struct kept *kept;
	int n, nr_kept, err;

	n = drain(a, p);
	if (n < 0)
		return n;
	if (!p->follow) {
		p->stale = true;
		pr_warn("audit: policy %s was %s: its events are no longer written to the rings read; stopping (follow it to read the new version's)\n",
			p->name,
			ino ? "replaced or installed again" : "removed");
		return -ESTALE;
	}
	kept = calloc(a->nr_rings + 1, sizeof(*kept));
	if (!kept)
		return -ENOMEM;
	nr_kept = release_rings(a, p, kept);
	p->ino = 0;
	err = ino ? follow(a, p, kept, nr_kept) : 0;
	if (!ino)
		pr_info("audit: policy %s was removed: waiting for it to be installed again\n",
			p->name);
	while (nr_kept--)
		free(kept[nr_kept].lost);
	free(kept);
	return err < 0 ? err : n;
}

int audit_policies_check(struct krsi_audit *a, bool now)
{
	__u64 t = audit_clock_ns(CLOCK_MONOTONIC);
	int i, err, n = 0;

	if (!a->nr_policies ||
	    (!now && a->policies_ns && t - a->policies_ns < AUDIT_CHECK_NS))
		return 0;
	a->policies_ns = t;
	for (i = 0; i < a->nr_policies; i++) {
		struct audit_policy *p = a->policies[i];
		struct stat st;
		ino_t ino;

		if (p->stale)
			return -ESTALE;
		ino = stat(p->dir, &st) ? 0 : st.st_ino;
		if (ino == p->ino)
			continue;
		err = changed(a, p, ino);
		if (err < 0)
			return err;
		n += err;
	}
	return n;
}

void audit_policies_free(struct krsi_audit *a)
{
	int i;

	for (i = 0; i < a->nr_policies; i++)
		policy_free(a->policies[i]);
	free(a->policies);
}
