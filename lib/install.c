// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Named policies: install (or replace), adopt and remove.
 *
 * An install builds the whole policy in a staging directory ROOT/NAME~new,
 * pinning each link as soon as it is attached, then moves it into place
 * with one rename (RENAME_EXCHANGE with the installed version when
 * replacing, whose remains are then unpinned). Killed at any step, the
 * process leaves every attached program pinned in ROOT/NAME or the staging
 * directory, and the next operation on NAME removes the staging directory.
 *
 * 5.10's bpffs refuses RENAME_EXCHANGE (EINVAL, measured). There a
 * replacement takes two renames: the installed version to ROOT/NAME~old,
 * then the new one into place. The programs run throughout (the links stay
 * pinned in one directory or the other); killed in between, the next
 * operation on NAME finishes the replacement, as the new version is whole
 * from the first rename on.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <krsi/install.h>
#include <krsi/version.h>

#include "internal.h"

#define POLICY_NAME_MAX 64

struct krsi_policy {
	char *name;
	char *root;
	char *path;
	struct krsi_object *obj;
};

/* A pin of the installed policy: a link or a map. */
struct pin {
	char *name;
	int fd;
	bool matched;
};

struct pins {
	struct pin *v;
	size_t n;
};

/* An lsm_cgroup link switched to a new program, to switch back on failure. */
struct update {
	int link_fd;
	int old_prog_fd;
};

/* One operation on the policy NAME, holding the pin root's lock. */
struct op {
	const char *name;
	const struct krsi_policy_opts *opts;
	const struct krsi_attach_opts *attach_opts;
	struct krsi_object *obj;
	const char *root;
	int root_fd;
	char dir[PATH_MAX]; /* ROOT/NAME */
	char staging[PATH_MAX]; /* ROOT/NAME~new */
	char stage_name[POLICY_NAME_MAX + 8]; /* NAME~new */
	char old_name[POLICY_NAME_MAX + 8]; /* NAME~old (see above) */
	bool root_created; /* this operation created ROOT */
	bool exists; /* ROOT/NAME is installed */
	bool cleaned; /* an interrupted install's staging dir was removed */
	struct pins links, maps; /* its pins, when read */
	struct krsi_policy_meta meta; /* its metadata, zero if unreadable */
	int meta_err; /* why it is unreadable (krsi_meta_read()) */
	struct bpf_map **obj_maps; /* the object's maps, */
	char **map_names; /* and their pins' names, taken before any reuse */
	size_t map_cnt;
	struct update *updates;
	size_t update_cnt;
	int cgroup_fd;
	bool cgroup_owned;
};

bool krsi_policy_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	char shown[2 * POLICY_NAME_MAX];

	if (len && len <= POLICY_NAME_MAX &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_-") == len)
		return true;
	pr_warn("invalid policy name '%s': use 1 to %d letters, digits, '_' or '-'\n",
		name ? krsi_printable(name, shown, sizeof(shown)) : "(null)",
		POLICY_NAME_MAX);
	return false;
}

static int open_pin(const char *dir, const char *name, struct pin *pin)
{
	char path[PATH_MAX];

	pin->fd = -1;
	pin->name = strdup(name);
	if (!pin->name)
		return -ENOMEM;
	if (krsi_path(path, "%s/%s", dir, name))
		return -ENAMETOOLONG;
	pin->fd = bpf_obj_get(path);
	return pin->fd < 0 ? -errno : 0;
}

/* Open the pins in DIR: the links, or (MAPS) the maps' pins. */
static int read_pins(const char *dir, bool maps, struct pins *pins)
{
	struct dirent **list;
	int i, n, err;

	n = krsi_scandir(dir, &list, maps);
	if (n < 0)
		return n;
	pins->v = calloc(n + 1, sizeof(*pins->v));
	err = pins->v ? 0 : -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!err)
			err = open_pin(dir, list[i]->d_name,
				       &pins->v[pins->n++]);
		free(list[i]);
	}
	free(list);
	if (err)
		pr_warn("cannot read the pins of %s: %s\n", dir,
			strerror(-err));
	return krsi_err(err);
}

static void free_pins(struct pins *pins)
{
	size_t i;

	for (i = 0; i < pins->n; i++) {
		if (pins->v[i].fd >= 0)
			close(pins->v[i].fd);
		free(pins->v[i].name);
	}
	free(pins->v);
}

static struct pin *find_pin(const struct pins *pins, const char *name)
{
	size_t i;

	for (i = 0; i < pins->n; i++)
		if (strcmp(pins->v[i].name, name) == 0)
			return &pins->v[i];
	return NULL;
}

/*
 * A map's pin name: its name, or for global data (.bss, .rodata...) its
 * section's name, which unlike the map's name does not depend on the
 * object's name; '.' made '_', as bpffs refuses dots.
 */
static char *pin_name(const struct bpf_map *map, const struct btf *btf)
{
	const char *name = bpf_map__name(map), *dot = strchr(name, '.');
	const struct btf_type *t;
	char *pin;

	if (bpf_map__is_internal(map)) {
		t = btf ? btf__type_by_id(btf, bpf_map__btf_value_type_id(map))
			: NULL;
		if (t && btf_is_datasec(t))
			name = btf__name_by_offset(btf, t->name_off);
		else if (dot)
			name = dot;
	}
	pin = strdup(name);
	if (pin)
		krsi_pin_name(pin);
	return pin;
}

/* Record the object's maps and their pins' names, before reusing a map's
 * fd renames it to the kernel's 15-character name. */
static int capture_maps(struct op *op)
{
	struct bpf_object *bobj = krsi_object__bpf_object(op->obj);
	struct bpf_map *map;
	size_t i = 0;

	bpf_object__for_each_map (map, bobj)
		op->map_cnt++;
	op->obj_maps = calloc(op->map_cnt + 1, sizeof(*op->obj_maps));
	op->map_names = calloc(op->map_cnt + 1, sizeof(*op->map_names));
	if (!op->obj_maps || !op->map_names)
		return krsi_err(-ENOMEM);
	bpf_object__for_each_map (map, bobj) {
		op->obj_maps[i] = map;
		op->map_names[i] = pin_name(map, bpf_object__btf(bobj));
		if (!op->map_names[i])
			return krsi_err(-ENOMEM);
		if (!strcmp(op->map_names[i], KRSI_LINKS_DIR) ||
		    !strcmp(op->map_names[i], KRSI_META_PIN)) {
			pr_warn("map '%s': its name is reserved in a policy's directory: rename it\n",
				op->map_names[i]);
			return krsi_err(-EINVAL);
		}
		i++;
	}
	return 0;
}

/* The links pinned in DIR/links and their programs, to wait for. */
struct link_ids {
	struct {
		__u32 link, prog;
	} * v;
	size_t n;
};

static void read_link_ids(const char *dir, struct link_ids *ids)
{
	struct bpf_link_info info;
	struct dirent **list;
	char path[PATH_MAX];
	__u32 len;
	int i, n, fd;

	if (krsi_path(path, "%s/" KRSI_LINKS_DIR, dir))
		return;
	n = krsi_scandir(path, &list, false);
	if (n <= 0)
		return;
	ids->v = calloc(n, sizeof(*ids->v));
	for (i = 0; i < n; i++) {
		if (ids->v && !krsi_path(path, "%s/" KRSI_LINKS_DIR "/%s", dir,
					 list[i]->d_name)) {
			fd = bpf_obj_get(path);
			memset(&info, 0, sizeof(info));
			len = sizeof(info);
			if (fd >= 0 &&
			    !bpf_obj_get_info_by_fd(fd, &info, &len)) {
				ids->v[ids->n].link = info.id;
				ids->v[ids->n++].prog = info.prog_id;
			}
			if (fd >= 0)
				close(fd);
		}
		free(list[i]);
	}
	free(list);
}

/*
 * The kernel frees an unpinned link only after an RCU grace period (on
 * 6.12 from a workqueue): measured up to 7 ms later. It first removes the
 * link's id, then detaches the program, then drops its reference to the
 * program. So wait until the link's id is gone and, unless the caller holds
 * the program, until the program's id is gone too: then it no
 * longer runs. Only ENOENT says an id is gone: looking ids up needs
 * CAP_SYS_ADMIN, and without it nothing can be told.
 */
#define LINK_GONE_WAIT_MS 2000

/* Whether ID is still in the kernel's table (NEXT_ID: bpf_link_get_next_id()
 * or bpf_prog_get_next_id()): one whose last reference is gone fails
 * lookups at once but stays listed until its release begins (on 5.10 a
 * program ran 10 ms after its link's lookup failed, measured). */
static bool id_listed(int (*next_id)(__u32, __u32 *), __u32 id)
{
	__u32 next;

	return !next_id(id - 1, &next) && next == id;
}

/* Wait until ID is gone, as get_fd() and next_id() tell; -EBUSY when
 * *WAITED passes LINK_GONE_WAIT_MS. */
static int wait_id_gone(int (*get_fd)(__u32), int (*next_id)(__u32, __u32 *),
			__u32 id, int *waited)
{
	const struct timespec ms = { .tv_nsec = 1000000 };
	int fd;

	for (;;) {
		fd = get_fd(id);
		if (fd >= 0)
			close(fd);
		else if (errno != ENOENT)
			return -errno;
		else if (!id_listed(next_id, id))
			return 0;
		if (++*waited > LINK_GONE_WAIT_MS)
			return -EBUSY;
		nanosleep(&ms, NULL);
	}
}

/*
 * After unpinning the policy NAME: 0 once its links are detached; -EBUSY
 * when another process holds one open, so that its program still runs
 * (the message names the process); the lookup's error (-EPERM) when
 * whether they are detached cannot be told.
 */
/* Whether OBJ (may be NULL) has loaded program PROG_ID. */
static bool object_has_prog(const struct krsi_object *obj, __u32 prog_id)
{
	struct bpf_prog_info info;
	struct bpf_program *prog;
	__u32 len;

	if (!obj)
		return false;
	bpf_object__for_each_program (prog, krsi_object__bpf_object(obj)) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_program__fd(prog) >= 0 &&
		    !bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info,
					    &len) &&
		    info.id == prog_id)
			return true;
	}
	return false;
}

/* Wait until the links IDS are gone, and their programs but those of
 * HOLDER (may be NULL), which the caller holds; frees IDS. */
static int wait_links_gone(const char *name, bool replaced,
			   struct link_ids *ids,
			   const struct krsi_object *holder)
{
	bool progs = true;
	char holders[256];
	int waited = 0, err = 0;
	size_t i;

	for (i = 0; i < ids->n && !err; i++) {
		err = wait_id_gone(bpf_link_get_fd_by_id, bpf_link_get_next_id,
				   ids->v[i].link, &waited);
		if (err == -EBUSY) {
			if (!krsi_link_holders(ids->v[i].link, holders,
					       sizeof(holders)))
				snprintf(
					holders, sizeof(holders),
					"another process (not found in /proc)");
			pr_warn("policy '%s'%s is unpinned, but its link %u is still attached %d ms later: %s holds it open, and its program runs until that process closes it (an agent that adopted the policy: stop it, or remove the policy from there)\n",
				name, replaced ? " (its replaced version)" : "",
				ids->v[i].link, LINK_GONE_WAIT_MS, holders);
		} else if (err) {
			pr_warn("policy '%s'%s is unpinned, but whether its programs are detached cannot be told: looking up link %u: %s%s\n",
				name, replaced ? " (its replaced version)" : "",
				ids->v[i].link, strerror(-err),
				err == -EPERM ? " (that needs CAP_SYS_ADMIN)"
					      : "");
		} else if (progs && !object_has_prog(holder, ids->v[i].prog) &&
			   wait_id_gone(bpf_prog_get_fd_by_id,
					bpf_prog_get_next_id, ids->v[i].prog,
					&waited)) {
			/* detached: whoever holds it does not run it */
			pr_info("policy '%s': program %u is detached but still loaded: another process holds it\n",
				name, ids->v[i].prog);
			progs = false;
		}
	}
	free(ids->v);
	return krsi_err(err);
}

/* Rename FROM to TO in OP's pin root, TO not existing: 0 or -errno. */
static int move(const struct op *op, const char *from, const char *to)
{
	return renameat2(op->root_fd, from, op->root_fd, to, RENAME_NOREPLACE)
		       ? -errno
		       : 0;
}

/*
 * A replacement in two renames was interrupted (see the top of this file).
 * Once the first rename is made the new version is whole in NAME~new, as
 * with RENAME_EXCHANGE: finish it, moving NAME~new into place if it is not
 * yet, and unpin the replaced version, waiting until it no longer runs.
 */
static int recover_replaced(struct op *op)
{
	struct link_ids ids = {};
	char path[PATH_MAX];
	int err = 0;

	if (faccessat(op->root_fd, op->old_name, F_OK, AT_SYMLINK_NOFOLLOW))
		return 0;
	pr_info("policy '%s': finishing an interrupted replacement (%s/%s)\n",
		op->name, op->root, op->old_name);
	if (faccessat(op->root_fd, op->name, F_OK, AT_SYMLINK_NOFOLLOW))
		err = move(op, op->stage_name, op->name);
	if (!err)
		err = krsi_path(path, "%s/%s", op->root, op->old_name);
	if (!err) {
		read_link_ids(path, &ids);
		err = krsi_rmtree(op->root_fd, op->old_name);
	}
	if (err) {
		pr_warn("policy '%s': cannot finish an interrupted replacement (%s/%s): %s\n",
			op->name, op->root, op->old_name, strerror(-err));
		free(ids.v);
		return err;
	}
	wait_links_gone(op->name, true, &ids, NULL); /* logs what stays */
	return 0;
}

/*
 * Start an operation: check the arguments, lock the pin root, remove what
 * an interrupted install left, and read the installed policy's pins if
 * READ.
 */
static int begin(struct op *op, struct krsi_object *obj, const char *name,
		 const struct krsi_policy_opts *opts, int root_flags, bool read)
{
	struct link_ids ids = {};
	char path[PATH_MAX];
	int err;

	op->root_fd = -1;
	op->cgroup_fd = -1;
	op->obj = obj;
	op->name = name;
	op->opts = opts;
	if (!krsi_policy_name_valid(name) ||
	    !OPTS_VALID(opts, krsi_policy_opts, reset_maps))
		return krsi_err(-EINVAL);
	op->attach_opts = OPTS_GET(opts, attach_opts, NULL);
	op->root = OPTS_GET(opts, pin_root, NULL) ?: KRSI_POLICY_PIN_ROOT;
	snprintf(op->stage_name, sizeof(op->stage_name), "%s" KRSI_STAGING,
		 name);
	snprintf(op->old_name, sizeof(op->old_name), "%s" KRSI_REPLACED, name);
	err = krsi_path(op->dir, "%s/%s", op->root, name)
		      ?: krsi_path(op->staging, "%s/%s", op->root,
				   op->stage_name);
	if (err)
		return err;
	op->root_fd = krsi_pin_root_open(op->root, root_flags | KRSI_ROOT_LOCK,
					 &op->root_created);
	if (op->root_fd == -ENOENT) {
		pr_warn("policy '%s' is not installed: there is no pin root %s\n",
			name, op->root);
		return krsi_err(-ENOENT);
	}
	if (op->root_fd < 0)
		return op->root_fd;
	err = recover_replaced(op);
	if (err)
		return err;
	if (!faccessat(op->root_fd, op->stage_name, F_OK,
		       AT_SYMLINK_NOFOLLOW)) {
		pr_info("policy '%s': removing the remains of an interrupted install (%s)\n",
			name, op->staging);
		read_link_ids(op->staging, &ids);
		err = krsi_rmtree(op->root_fd, op->stage_name);
		if (err) {
			pr_warn("cannot remove %s: %s\n", op->staging,
				strerror(-err));
			free(ids.v);
			return err;
		}
		/* its programs no longer run when this returns */
		wait_links_gone(name, false, &ids, NULL);
		op->cleaned = true;
	}
	op->exists = !faccessat(op->root_fd, name, F_OK, AT_SYMLINK_NOFOLLOW);
	if (!op->exists || !read)
		return 0;
	err = krsi_path(path, "%s/" KRSI_META_PIN, op->dir);
	if (!err)
		op->meta_err = krsi_meta_read(path, &op->meta);
	if (!err && op->meta_err) /* the metadata is zero, but its format */
		pr_info("policy '%s': its metadata (%s) is unreadable: %s\n",
			name, path, strerror(-op->meta_err));
	err = err ?: read_pins(op->dir, true, &op->maps) ?:
		      krsi_path(path, "%s/" KRSI_LINKS_DIR, op->dir) ?:
		      read_pins(path, false, &op->links);
	return err;
}

static void end(struct op *op)
{
	size_t i;

	free_pins(&op->links);
	free_pins(&op->maps);
	for (i = 0; i < op->map_cnt && op->map_names; i++)
		free(op->map_names[i]);
	free(op->map_names);
	free(op->obj_maps);
	for (i = 0; i < op->update_cnt; i++)
		close(op->updates[i].old_prog_fd);
	free(op->updates);
	if (op->cgroup_owned)
		close(op->cgroup_fd);
	if (op->root_fd >= 0)
		close(op->root_fd); /* and unlock */
}

/*
 * Replacing: give the new object the installed maps of the same names
 * (not global data, which belongs to each version), after checking that
 * each matches.
 */
static int keep_maps(struct op *op)
{
	struct bpf_object *bobj = krsi_object__bpf_object(op->obj);
	struct bpf_map *map;
	struct pin *pin;
	int n, diffs = 0;
	size_t i;

	if (!op->exists || OPTS_GET(op->opts, reset_maps, false))
		return 0;
	for (i = 0; i < op->map_cnt; i++) {
		map = op->obj_maps[i];
		pin = find_pin(&op->maps, op->map_names[i]);
		if (!pin || bpf_map__is_internal(map))
			continue;
		if (krsi_object_loaded(op->obj)) {
			pr_warn("policy '%s': cannot keep map '%s' when the new object is already loaded: pass it to krsi_policy__install() unloaded, or set reset_maps\n",
				op->name, op->map_names[i]);
			return krsi_err(-EBUSY);
		}
		n = krsi_map_match(pin->fd, map, op->map_names[i],
				   bpf_object__btf(bobj), op->name);
		if (n < 0)
			return n;
		diffs += n;
		pin->matched = true;
	}
	if (diffs) {
		pr_warn("policy '%s': the new version's maps do not match the installed ones (above); set reset_maps to start them afresh\n",
			op->name);
		return krsi_err(-ESTALE);
	}
	for (i = 0; i < op->map_cnt; i++) {
		map = op->obj_maps[i];
		pin = find_pin(&op->maps, op->map_names[i]);
		if (pin && pin->matched && bpf_map__reuse_fd(map, pin->fd))
			return krsi_err(-errno);
	}
	return 0;
}

static __u32 prog_attach_btf_id(int prog_fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (prog_fd < 0 || bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return 0;
	return info.attach_btf_id;
}

/*
 * The installed link PROG can be switched to PROG with bpf_link_update():
 * an lsm_cgroup link of the same name, hook and cgroup. The old program's
 * fd goes to *OLD_PROG_FD.
 */
static struct pin *updatable(const struct op *op,
			     const struct bpf_program *prog, int *old_prog_fd)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	struct pin *pin;
	struct stat st;

	*old_prog_fd = -1;
	if (krsi_prog_kind(prog) != KRSI_PROG_LSM_CGROUP || !op->exists)
		return NULL;
	pin = find_pin(&op->links, bpf_program__name(prog));
	if (!pin || bpf_obj_get_info_by_fd(pin->fd, &info, &len) ||
	    fstat(op->cgroup_fd, &st))
		return NULL;
	if (info.type != BPF_LINK_TYPE_CGROUP ||
	    info.cgroup.attach_type != BPF_LSM_CGROUP ||
	    info.cgroup.cgroup_id != st.st_ino)
		return NULL;
	*old_prog_fd = bpf_prog_get_fd_by_id(info.prog_id);
	if (prog_attach_btf_id(*old_prog_fd) !=
	    prog_attach_btf_id(bpf_program__fd(prog))) {
		if (*old_prog_fd >= 0)
			close(*old_prog_fd);
		return NULL;
	}
	return pin;
}

/* Pin PROG's link into the staging directory. */
static int pin_link(struct op *op, const struct bpf_program *prog,
		    struct bpf_link *link)
{
	char path[PATH_MAX];

	krsi_object_set_link(op->obj, prog, link);
	return krsi_path(path, "%s/" KRSI_LINKS_DIR "/%s", op->staging,
			 bpf_program__name(prog))
		       ?: krsi_pin(bpf_link__fd(link), path);
}

static int attach_and_pin(struct op *op, struct bpf_program *prog)
{
	struct bpf_link *link = krsi_prog_attach(prog, op->cgroup_fd);

	if (!link)
		return -errno;
	return pin_link(op, prog, link);
}

/* Switch the installed lsm_cgroup link to PROG, or attach PROG anew. */
static int update_and_pin(struct op *op, struct bpf_program *prog,
			  struct pin *pin, int old_prog_fd)
{
	struct update *u;
	struct bpf_link *link;
	char path[PATH_MAX];
	int err;

	u = realloc(op->updates, (op->update_cnt + 1) * sizeof(*u));
	if (!u) {
		close(old_prog_fd);
		return krsi_err(-ENOMEM);
	}
	op->updates = u;
	/* The same path in the installed and in the new directory. */
	err = krsi_path(path, "%s/" KRSI_LINKS_DIR "/%s", op->dir, pin->name);
	link = err ? NULL : bpf_link__open(path);
	if (link &&
	    !bpf_link_update(bpf_link__fd(link), bpf_program__fd(prog), NULL)) {
		u[op->update_cnt].link_fd = bpf_link__fd(link);
		u[op->update_cnt++].old_prog_fd = old_prog_fd;
		return pin_link(op, prog, link);
	}
	pr_info("policy '%s': program '%s': cannot update its link in place (%s); attaching it beside the old one\n",
		op->name, pin->name, strerror(errno));
	bpf_link__destroy(link);
	close(old_prog_fd);
	return attach_and_pin(op, prog);
}

/*
 * Give each program to attach its link, pinned in the staging directory:
 * a new link, or (IN_PLACE) the installed lsm_cgroup link switched to it.
 */
static int stage_links(struct op *op, bool in_place)
{
	struct bpf_object *bobj = krsi_object__bpf_object(op->obj);
	struct bpf_program *prog;
	int err, old_prog_fd;
	struct pin *pin;

	bpf_object__for_each_program (prog, bobj) {
		if (!krsi_prog_attachable(prog))
			continue;
		pin = updatable(op, prog, &old_prog_fd);
		if (!pin != !in_place) {
			if (pin)
				close(old_prog_fd);
			continue;
		}
		err = pin ? update_and_pin(op, prog, pin, old_prog_fd)
			  : attach_and_pin(op, prog);
		if (err)
			return err;
	}
	return 0;
}

/* Pin the metadata of the new version into the staging directory. */
static int stage_meta(const struct op *op)
{
	struct krsi_policy_meta meta = {
		.magic = KRSI_META_MAGIC,
		.format = KRSI_META_FORMAT,
		.generation = op->meta.generation + 1,
	};
	char path[PATH_MAX];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	meta.installed_ns = now.tv_sec * 1000000000ULL + now.tv_nsec;
	snprintf(meta.object, sizeof(meta.object), "%s",
		 bpf_object__name(krsi_object__bpf_object(op->obj)));
	snprintf(meta.libkrsi, sizeof(meta.libkrsi), "%s",
		 krsi_version_string());
	snprintf(meta.cgroup, sizeof(meta.cgroup), "%s",
		 OPTS_GET(op->attach_opts, cgroup_path, NULL) ?: "");
	return krsi_path(path, "%s/" KRSI_META_PIN, op->staging)
		       ?: krsi_meta_pin(&meta, path);
}

/* Build the new version in the staging directory. */
static int stage(struct op *op)
{
	char path[PATH_MAX];
	size_t i;
	int err;

	if (mkdirat(op->root_fd, op->stage_name, 0700) ||
	    krsi_path(path, "%s/" KRSI_LINKS_DIR, op->staging) ||
	    mkdir(path, 0700)) {
		pr_warn("cannot create %s: %s\n", op->staging, strerror(errno));
		return krsi_err(-errno);
	}
	for (i = 0; i < op->map_cnt; i++) {
		err = krsi_path(path, "%s/%s", op->staging, op->map_names[i])
			      ?: krsi_pin(bpf_map__fd(op->obj_maps[i]), path);
		if (err)
			return err;
	}
	/* Links switched in place run the new program at once, in the
	 * installed policy too: do that last, just before the rename. */
	return stage_links(op, false) ?: stage_meta(op) ?:
					 stage_links(op, true);
}

/* Replace without RENAME_EXCHANGE (see the top of this file). */
static int replace_in_two(const struct op *op)
{
	int err = move(op, op->name, op->old_name);

	if (err)
		return err;
	err = move(op, op->stage_name, op->name);
	if (err && move(op, op->old_name, op->name))
		pr_warn("policy '%s': cannot move the installed version back from %s: %s; the next operation on the policy moves it back\n",
			op->name, op->old_name, strerror(errno));
	return err;
}

/* The links of the replaced version, in OP's pin root's entry OLD, into
 * IDS: those the new version does not keep (a link switched in place) and
 * the caller does not hold (its programs run until the caller closes it,
 * destroying the object that installed the replaced version). */
static void replaced_links(const struct op *op, const char *old,
			   struct link_ids *ids)
{
	struct link_ids kept = {};
	char path[PATH_MAX];
	size_t i, j, n = 0;

	if (krsi_path(path, "%s/%s", op->root, old))
		return;
	read_link_ids(path, ids);
	read_link_ids(op->dir, &kept);
	for (i = 0; i < ids->n; i++) {
		for (j = 0; j < kept.n && kept.v[j].link != ids->v[i].link; j++)
			;
		if (j == kept.n &&
		    !krsi_pid_holds_link(getpid(), ids->v[i].link))
			ids->v[n++] = ids->v[i];
	}
	ids->n = n;
	free(kept.v);
}

/* Move the staging directory into place; unpin the replaced version and
 * wait until its programs no longer run. */
static int commit(struct op *op)
{
	struct link_ids ids = {};
	/* where the replaced version is once the new one is in place */
	const char *old = op->stage_name;
	int err;

	if (!op->exists) {
		err = move(op, op->stage_name, op->name);
	} else {
		err = renameat2(op->root_fd, op->stage_name, op->root_fd,
				op->name, RENAME_EXCHANGE)
			      ? -errno
			      : 0;
		if (err == -EINVAL) {
			err = replace_in_two(op);
			old = op->old_name;
		}
	}
	if (err) {
		pr_warn("cannot move %s into place: %s\n", op->staging,
			strerror(-err));
		return krsi_err(err);
	}
	if (!op->exists)
		return 0;
	replaced_links(op, old, &ids);
	err = krsi_rmtree(op->root_fd, old);
	if (err) {
		pr_warn("policy '%s': the new version is installed, but unpinning the old one in %s failed: %s; its programs stay attached until the next install, adoption or removal of the policy removes it\n",
			op->name, op->staging, strerror(-err));
		free(ids.v);
		return 0;
	}
	/* when this returns, the replaced programs no longer run */
	wait_links_gone(op->name, true, &ids, op->obj);
	return 0;
}

/* Undo a failed install: the installed version, if any, is untouched. */
static void undo(struct op *op)
{
	size_t i;

	for (i = 0; i < op->update_cnt; i++) {
		if (bpf_link_update(op->updates[i].link_fd,
				    op->updates[i].old_prog_fd, NULL))
			pr_warn("policy '%s': cannot switch a link back to the installed program: %s; replace or remove the policy\n",
				op->name, strerror(errno));
	}
	krsi_object__detach(op->obj);
	if (op->root_fd >= 0)
		krsi_rmtree(op->root_fd, op->stage_name);
}

static struct krsi_policy *new_handle(const struct op *op)
{
	struct krsi_policy *policy = calloc(1, sizeof(*policy));

	if (policy) {
		policy->name = strdup(op->name);
		policy->root = strdup(op->root);
		policy->path = strdup(op->dir);
		policy->obj = op->obj;
	}
	if (!policy || !policy->name || !policy->root || !policy->path) {
		krsi_policy__destroy(policy);
		pr_warn("policy '%s': out of memory for its handle\n",
			op->name);
		return krsi_err_ptr(-ENOMEM);
	}
	return policy;
}

/* The handle is made first: once the policy is in place nothing may fail. */
static struct krsi_policy *handle_or_drop(struct krsi_policy *policy, int err)
{
	if (!err)
		return policy;
	krsi_policy__destroy(policy);
	return krsi_err_ptr(err);
}

struct krsi_policy *krsi_policy__install(struct krsi_object *obj,
					 const char *name,
					 const struct krsi_policy_opts *opts)
{
	struct krsi_policy *policy = NULL;
	struct op op = {};
	int err;

	if (!obj) {
		pr_warn("krsi_policy__install: object is NULL\n");
		return krsi_err_ptr(-EINVAL);
	}
	err = begin(&op, obj, name, opts, KRSI_ROOT_CREATE, true);
	if (!err && op.exists && !OPTS_GET(opts, replace, false)) {
		pr_warn("policy '%s' is already installed: adopt it (krsi_policy__adopt()), replace it (krsi_policy_opts.replace) or remove it first\n",
			name);
		err = -EEXIST;
	}
	if (!err)
		err = capture_maps(&op) ?: keep_maps(&op) ?:
			krsi_object__load(obj) ?:
			krsi_object_check_attach(obj, op.attach_opts) ?:
			krsi_object_cgroup_fd(obj, op.attach_opts,
					      &op.cgroup_fd,
					      &op.cgroup_owned);
	if (!err) {
		policy = new_handle(&op);
		err = policy ? 0 : -ENOMEM;
	}
	if (!err) {
		err = stage(&op) ?: commit(&op);
		if (err)
			undo(&op);
	}
	/* A refused install leaves no empty pin root behind. */
	if (err && op.root_created)
		rmdir(op.root);
	end(&op);
	return handle_or_drop(policy, err);
}

/* Adopting: every map and program of the object must have its pin, and
 * every pin its map or program; log each difference. */
static int match_installed(struct op *op, const struct btf *vmlinux)
{
	struct bpf_object *bobj = krsi_object__bpf_object(op->obj);
	struct krsi_link_desc desc;
	struct bpf_program *prog;
	struct bpf_map *map;
	const char *hook;
	int n, diffs = 0;
	struct pin *pin;
	size_t i;

	for (i = 0; i < op->map_cnt; i++) {
		map = op->obj_maps[i];
		pin = find_pin(&op->maps, op->map_names[i]);
		if (!pin) {
			pr_warn("policy '%s': map '%s' of the object is not in the installed policy\n",
				op->name, op->map_names[i]);
			diffs++;
			continue;
		}
		pin->matched = true;
		n = krsi_map_match(pin->fd, map, op->map_names[i],
				   bpf_object__btf(bobj), op->name);
		if (n < 0)
			return n;
		diffs += n;
	}
	bpf_object__for_each_program (prog, bobj) {
		if (!krsi_prog_attachable(prog))
			continue;
		pin = find_pin(&op->links, bpf_program__name(prog));
		if (!pin) {
			pr_warn("policy '%s': program '%s' of the object is not attached in the installed policy\n",
				op->name, bpf_program__name(prog));
			diffs++;
			continue;
		}
		pin->matched = true;
		n = krsi_link_describe(pin->fd, vmlinux, &desc);
		if (n < 0)
			return n;
		hook = krsi_prog_hook(prog);
		if (n && desc.hook_untold &&
		    krsi_prog_kind(prog) != KRSI_PROG_LSM_CGROUP) {
			pr_info("policy '%s': program '%s': this kernel (before Linux 5.13) does not say which hook a link attaches to; its name and code are checked, not its hook\n",
				op->name, bpf_program__name(prog));
		} else if (n && (!hook || !desc.att.hook ||
				 strcmp(hook, desc.att.hook) ||
				 (desc.att.kind == KRSI_ATTACH_LSM_CGROUP) !=
					 (krsi_prog_kind(prog) ==
					  KRSI_PROG_LSM_CGROUP))) {
			pr_warn("policy '%s': program '%s' is %s in the object, but its installed link attaches to %s%s\n",
				op->name, bpf_program__name(prog),
				bpf_program__section_name(prog),
				desc.att.kind == KRSI_ATTACH_LSM_CGROUP
					? "lsm_cgroup/"
					: "lsm/",
				desc.att.hook ?: "an unknown hook");
			diffs++;
		}
	}
	for (i = 0; i < op->maps.n; i++)
		if (!op->maps.v[i].matched && ++diffs)
			pr_warn("policy '%s': pinned map '%s' is not in the object\n",
				op->name, op->maps.v[i].name);
	for (i = 0; i < op->links.n; i++)
		if (!op->links.v[i].matched && ++diffs)
			pr_warn("policy '%s': pinned program '%s' is not in the object (or not attached by it)\n",
				op->name, op->links.v[i].name);
	if (diffs) {
		pr_warn("policy '%s': the installed policy does not match the object (%d difference%s above); nothing was changed: adopt it with the object that installed it, or replace it\n",
			op->name, diffs, diffs == 1 ? "" : "s");
		return krsi_err(-ESTALE);
	}
	return 0;
}

/* The kernel's tag of program FD, as 16 hex digits, into HEX. */
static int prog_tag(int fd, char hex[17])
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int i;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	for (i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", info.tag[i]);
	return 0;
}

/* The tag of the program that the link pinned as PIN attaches. */
static int installed_tag(const struct pin *pin, char hex[17])
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int fd, err;

	if (bpf_obj_get_info_by_fd(pin->fd, &info, &len))
		return -errno;
	fd = bpf_prog_get_fd_by_id(info.prog_id);
	if (fd < 0)
		return -errno;
	err = prog_tag(fd, hex);
	close(fd);
	return err;
}

/*
 * Adopting, once the object is loaded: each program attached must run the
 * object's code. The kernel's tag hashes a program's instructions as
 * loaded, with the map references zeroed: the same object loaded again
 * (on other maps) has the same tags, changed code others, on 6.1 and 6.12
 * (tests/kernel/test_install_adopt.c).
 */
static int match_code(struct op *op)
{
	struct bpf_object *bobj = krsi_object__bpf_object(op->obj);
	char ours[17], theirs[17];
	struct bpf_program *prog;
	int err, diffs = 0;

	bpf_object__for_each_program (prog, bobj) {
		if (!krsi_prog_attachable(prog))
			continue;
		err = prog_tag(bpf_program__fd(prog), ours)
			      ?: installed_tag(
					 find_pin(&op->links,
						  bpf_program__name(prog)),
					 theirs);
		if (err) {
			pr_warn("policy '%s': program '%s': cannot read the kernel's tag of its code: %s\n",
				op->name, bpf_program__name(prog),
				strerror(-err));
			return krsi_err(err);
		}
		if (strcmp(ours, theirs) && ++diffs)
			pr_warn("policy '%s': program '%s' runs other code than the object's (kernel tag %s installed, %s from the object)\n",
				op->name, bpf_program__name(prog), theirs,
				ours);
	}
	if (diffs) {
		pr_warn("policy '%s': the installed programs are another version of the object; nothing was changed: replace the policy (krsi_policy_opts.replace) to run this one\n",
			op->name);
		return krsi_err(-ESTALE);
	}
	return 0;
}

/* Adopting: the metadata must be this format's. */
static int match_meta(const struct op *op)
{
	if (op->meta_err == -EPROTONOSUPPORT) {
		pr_warn("policy '%s' was installed by a later libkrsi (its metadata has format %u; libkrsi %s reads format %u); nothing was changed: adopt it with a libkrsi as recent\n",
			op->name, op->meta.format, krsi_version_string(),
			KRSI_META_FORMAT);
		return krsi_err(-EPROTONOSUPPORT);
	}
	if (op->meta_err == -ENOENT || op->meta_err == -EPROTO) {
		pr_warn("policy '%s': its metadata (" KRSI_META_PIN
			") is %s: libkrsi did not install it whole; nothing was changed: replace or remove it\n",
			op->name,
			op->meta_err == -ENOENT ? "missing" : "not libkrsi's");
		return krsi_err(-ESTALE);
	}
	return krsi_err(op->meta_err);
}

/* Take the installed maps and links into the object. */
static int take_over(struct op *op)
{
	struct bpf_object *bobj = krsi_object__bpf_object(op->obj);
	struct bpf_program *prog;
	struct bpf_link *link;
	char path[PATH_MAX];
	struct bpf_map *map;
	int err;
	size_t i;

	for (i = 0; i < op->map_cnt; i++) {
		map = op->obj_maps[i];
		if (bpf_map__reuse_fd(
			    map, find_pin(&op->maps, op->map_names[i])->fd))
			return krsi_err(-errno);
	}
	/* Global data is mapped onto the installed maps only once the code
	 * is known to be the installed one. */
	err = krsi_object_load_progs(op->obj);
	if (err)
		return krsi_err(err < 0 ? err : -EBUSY);
	err = match_code(op) ?: krsi_object_map_global_data(op->obj);
	if (err)
		return err;
	bpf_object__for_each_program (prog, bobj) {
		if (!krsi_prog_attachable(prog))
			continue;
		err = krsi_path(path, "%s/" KRSI_LINKS_DIR "/%s", op->dir,
				bpf_program__name(prog));
		link = err ? NULL : bpf_link__open(path);
		if (!link) {
			err = err ?: -errno;
			pr_warn("policy '%s': cannot open link %s: %s\n",
				op->name, path, strerror(-err));
			krsi_object__detach(op->obj);
			return krsi_err(err);
		}
		krsi_object_set_link(op->obj, prog, link);
	}
	return 0;
}

struct krsi_policy *krsi_policy__adopt(struct krsi_object *obj,
				       const char *name,
				       const struct krsi_policy_opts *opts)
{
	struct krsi_policy *policy = NULL;
	struct btf *vmlinux = NULL;
	struct op op = {};
	int err;

	if (!obj) {
		pr_warn("krsi_policy__adopt: object is NULL\n");
		return krsi_err_ptr(-EINVAL);
	}
	err = begin(&op, obj, name, opts, 0, true);
	if (!err && !op.exists) {
		pr_warn("policy '%s' is not installed (no %s)\n", name, op.dir);
		err = -ENOENT;
	}
	if (!err && krsi_object_loaded(obj)) {
		pr_warn("policy '%s': adopting needs the object unloaded, to load it on the installed maps\n",
			name);
		err = -EBUSY;
	}
	if (!err) {
		policy = new_handle(&op);
		err = policy ? 0 : -ENOMEM;
	}
	if (!err) {
		vmlinux = krsi_vmlinux_btf();
		err = match_meta(&op) ?: capture_maps(&op) ?:
			match_installed(&op, vmlinux) ?: take_over(&op);
	}
	btf__free(vmlinux);
	end(&op);
	return handle_or_drop(policy, err);
}

/* Unpin the policy NAME, noting its links' ids in IDS. */
static int remove_pins(const char *name, const struct krsi_policy_opts *opts,
		       struct link_ids *ids)
{
	struct op op = {};
	int err;

	err = begin(&op, NULL, name, opts, 0, false);
	if (!err && !op.exists && !op.cleaned) {
		pr_warn("policy '%s' is not installed (no %s)\n", name, op.dir);
		err = -ENOENT;
	}
	if (!err && op.exists) {
		read_link_ids(op.dir, ids);
		err = krsi_rmtree(op.root_fd, name);
		if (err)
			pr_warn("cannot remove policy '%s' (%s): %s\n", name,
				op.dir, strerror(-err));
	}
	end(&op);
	return err;
}

int krsi_remove_policy(const char *name, const struct krsi_policy_opts *opts)
{
	struct link_ids ids = {};
	int err;

	err = remove_pins(name, opts, &ids);
	err = wait_links_gone(name, false, &ids, NULL) ?: err;
	return krsi_err(err);
}

int krsi_policy__remove(struct krsi_policy *policy)
{
	KRSI_OPTS(krsi_policy_opts, opts,
		  .pin_root = policy ? policy->root : NULL);
	struct link_ids ids = {};
	int err;

	if (!policy) {
		pr_warn("krsi_policy__remove: policy is NULL\n");
		return krsi_err(-EINVAL);
	}
	err = remove_pins(policy->name, &opts, &ids);
	krsi_object__detach(policy->obj);
	err = wait_links_gone(policy->name, false, &ids, policy->obj) ?: err;
	return krsi_err(err);
}

void krsi_policy__destroy(struct krsi_policy *policy)
{
	if (!policy)
		return;
	free(policy->name);
	free(policy->root);
	free(policy->path);
	free(policy);
}

const char *krsi_policy__name(const struct krsi_policy *policy)
{
	return policy ? policy->name : krsi_err_ptr(-EINVAL);
}

const char *krsi_policy__path(const struct krsi_policy *policy)
{
	return policy ? policy->path : krsi_err_ptr(-EINVAL);
}

struct krsi_object *krsi_policy__object(const struct krsi_policy *policy)
{
	return policy ? policy->obj : krsi_err_ptr(-EINVAL);
}
