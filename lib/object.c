// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* BPF objects of LSM programs: open, configure, load, attach. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <krsi/hooks.h>
#include <krsi/object.h>
#include <krsi/probe.h>

#include "internal.h"

/* How many of the verifier log's last lines the message shows. */
#define LOG_TAIL_LINES 12

struct krsi_object {
	struct bpf_object *obj;
	bool borrowed; /* from krsi_object__from_bpf_object(): not ours */
	size_t log_size;
	int rejected; /* index of the program the verifier rejected, or -1 */
	size_t prog_cnt;
	struct bpf_program **progs;
	struct bpf_link **links; /* links[i] attaches progs[i], or NULL */
	char **logs; /* logs[i]: progs[i]'s verifier log */
	/* check_hooks() found every program's hook in the hook catalog,
	 * which also says that BPF LSM is built in. */
	bool hooks_checked;
};

enum krsi_prog_kind krsi_prog_kind(const struct bpf_program *prog)
{
	if (bpf_program__type(prog) != BPF_PROG_TYPE_LSM)
		return KRSI_PROG_OTHER;
	if (bpf_program__expected_attach_type(prog) == BPF_LSM_CGROUP)
		return KRSI_PROG_LSM_CGROUP;
	/* libbpf sets BPF_F_SLEEPABLE for lsm.s/ only when it loads. */
	if ((bpf_program__flags(prog) & BPF_F_SLEEPABLE) ||
	    !strncmp(bpf_program__section_name(prog) ?: "", "lsm.s", 5))
		return KRSI_PROG_LSM_SLEEPABLE;
	return KRSI_PROG_LSM;
}

const char *krsi_prog_hook(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);
	const char *slash;

	if (krsi_prog_kind(prog) == KRSI_PROG_OTHER || !sec)
		return NULL;
	slash = strchr(sec, '/');
	return slash && slash[1] ? slash + 1 : NULL;
}

bool krsi_prog_attachable(const struct bpf_program *prog)
{
	return bpf_program__autoload(prog) && bpf_program__autoattach(prog);
}

static const char *kind_prefix(enum krsi_prog_kind kind)
{
	switch (kind) {
	case KRSI_PROG_LSM:
		return "lsm/";
	case KRSI_PROG_LSM_SLEEPABLE:
		return "lsm.s/";
	case KRSI_PROG_LSM_CGROUP:
		return "lsm_cgroup/";
	default:
		return "";
	}
}

/*
 * Whether the running kernel lets PROG attach to its hook, per the hook
 * catalog: the hook exists, may sleep if PROG is sleepable, and may be
 * attached per cgroup if PROG is an lsm_cgroup program. Logs the reason
 * when not. A flag the catalog does not know is left to the kernel.
 */
static int check_hook(const struct krsi_hooks *hooks,
		      const struct bpf_program *prog)
{
	const char *hook = krsi_prog_hook(prog);
	enum krsi_prog_kind kind = krsi_prog_kind(prog);
	const char *name = bpf_program__name(prog);
	const struct krsi_hook *h;

	if (kind == KRSI_PROG_OTHER || !hook)
		return 0;
	h = krsi_hooks__find(hooks, hook); /* suggests close names */
	if (!h) {
		pr_warn("program '%s' (%s%s): this kernel has no LSM hook '%s'; it was renamed or added in another kernel version: check the hooks of the kernels you support (krsi hooks)\n",
			name, kind_prefix(kind), hook, hook);
		return krsi_err(-ENOENT);
	}
	if (kind == KRSI_PROG_LSM_SLEEPABLE || kind == KRSI_PROG_LSM_CGROUP) {
		char who[256];
		int err;

		snprintf(who, sizeof(who), "program '%s' (%s%s)", name,
			 kind_prefix(kind), hook);
		err = krsi_feature_require(kind == KRSI_PROG_LSM_CGROUP
						   ? KRSI_FEATURE_LSM_CGROUP
						   : KRSI_FEATURE_LSM_SLEEPABLE,
					   who);
		if (err)
			return krsi_err(err);
	}
	if (krsi_hook__flag(h, KRSI_HOOK_DISABLED, NULL) == KRSI_YES) {
		pr_warn("program '%s' (%s%s): this kernel refuses BPF programs on hook '%s'\n",
			name, kind_prefix(kind), hook, hook);
		return krsi_err(-EOPNOTSUPP);
	}
	if (kind == KRSI_PROG_LSM_SLEEPABLE &&
	    krsi_hook__flag(h, KRSI_HOOK_SLEEPABLE, NULL) == KRSI_NO) {
		pr_warn("program '%s' (lsm.s/%s): hook '%s' may not sleep, so it takes no sleepable program: use SEC(\"lsm/%s\"), or a sleepable hook (krsi hooks)\n",
			name, hook, hook, hook);
		return krsi_err(-EINVAL);
	}
	if (kind == KRSI_PROG_LSM_CGROUP &&
	    krsi_hook__flag(h, KRSI_HOOK_CGROUP, NULL) == KRSI_NO) {
		pr_warn("program '%s' (lsm_cgroup/%s): hook '%s' cannot be attached per cgroup: use SEC(\"lsm/%s\") and filter by cgroup in the program\n",
			name, hook, hook, hook);
		return krsi_err(-EOPNOTSUPP);
	}
	return 0;
}

static int check_hooks(struct krsi_object *obj)
{
	struct krsi_hooks *hooks = NULL;
	size_t i;
	int err = 0;

	for (i = 0; i < obj->prog_cnt && !err; i++) {
		if (!bpf_program__autoload(obj->progs[i]) ||
		    krsi_prog_kind(obj->progs[i]) == KRSI_PROG_OTHER)
			continue;
		if (!hooks)
			hooks = krsi_hooks__load(NULL);
		if (!hooks) {
			/* libbpf will say what is missing (BTF, BPF LSM). */
			pr_debug(
				"no hook catalog (%s): leaving the checks to the kernel\n",
				strerror(errno));
			return 0;
		}
		err = check_hook(hooks, obj->progs[i]);
	}
	if (hooks && !err && !krsi_object_loaded(obj))
		err = krsi_object_set_hook_nargs(obj->obj, hooks);
	obj->hooks_checked = hooks && !err;
	krsi_hooks__free(hooks);
	return err;
}

bool krsi_object_loaded(const struct krsi_object *obj)
{
	size_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (bpf_program__fd(obj->progs[i]) >= 0)
			return true;
	return false;
}

static bool is_attached(const struct krsi_object *obj)
{
	size_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->links[i])
			return true;
	return false;
}

static int index_of(const struct krsi_object *obj,
		    const struct bpf_program *prog)
{
	size_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i] == prog)
			return i;
	return -1;
}

static void free_wrapper(struct krsi_object *kobj)
{
	size_t i;

	for (i = 0; kobj->logs && i < kobj->prog_cnt; i++)
		free(kobj->logs[i]);
	free(kobj->logs);
	free(kobj->progs);
	free(kobj->links);
	free(kobj);
}

/*
 * Build the krsi_object around OBJ; on failure OBJ is left to the caller.
 * Each program gets its own log buffer: libbpf unloads every program when
 * one fails, so the buffer that holds a log is what names the culprit.
 * Untouched pages cost nothing: the kernel writes only what it logs.
 */
static struct krsi_object *wrap(struct bpf_object *obj, bool borrowed,
				const struct krsi_object_open_opts *opts)
{
	struct krsi_object *kobj = calloc(1, sizeof(*kobj));
	struct bpf_program *prog;
	size_t i = 0;

	if (!kobj)
		goto nomem;
	kobj->obj = obj;
	kobj->borrowed = borrowed;
	kobj->rejected = -1;
	kobj->log_size = OPTS_GET(opts, log_size, 0) ?: KRSI_VERIFIER_LOG_SIZE;
	bpf_object__for_each_program (prog, obj)
		kobj->prog_cnt++;
	kobj->progs = calloc(kobj->prog_cnt + 1, sizeof(*kobj->progs));
	kobj->links = calloc(kobj->prog_cnt + 1, sizeof(*kobj->links));
	kobj->logs = calloc(kobj->prog_cnt + 1, sizeof(*kobj->logs));
	if (!kobj->progs || !kobj->links || !kobj->logs)
		goto nomem;
	bpf_object__for_each_program (prog, obj) {
		kobj->logs[i] = malloc(kobj->log_size);
		if (!kobj->logs[i])
			goto nomem;
		kobj->logs[i][0] = '\0';
		kobj->progs[i] = prog;
		/* Fails only on a loaded object, which has no use for it. */
		bpf_program__set_log_buf(prog, kobj->logs[i], kobj->log_size);
		i++;
	}
	return kobj;

nomem:
	if (kobj)
		free_wrapper(kobj);
	pr_warn("out of memory opening BPF object '%s'\n",
		bpf_object__name(obj));
	return krsi_err_ptr(-ENOMEM);
}

/*
 * Refuse a struct_ops map: libkrsi attaches LSM programs and has no use
 * for one, and libbpf 1.1 crashes loading one declared in .maps.
 */
static int check_maps(struct bpf_object *obj, const char *what)
{
	struct bpf_map *map;

	bpf_object__for_each_map (map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		pr_warn("BPF object %s: map '%s' is a struct_ops map, which libkrsi does not load: it loads LSM programs and their maps\n",
			what, bpf_map__name(map));
		return -EOPNOTSUPP;
	}
	return 0;
}

static struct krsi_object *open_common(struct bpf_object *obj, const char *what,
				       const struct krsi_object_open_opts *opts)
{
	struct krsi_object *kobj;
	char desc[128];
	int err;

	if (!obj) {
		err = krsi_libbpf_errno(errno, desc, sizeof(desc));
		pr_warn("opening BPF object %s failed: %s; libbpf's messages say why (krsi -v shows them; a program sees them through libbpf_set_print())\n",
			what, desc);
		return krsi_err_ptr(err);
	}
	err = check_maps(obj, what);
	kobj = err ? NULL : wrap(obj, false, opts);
	if (!kobj)
		bpf_object__close(obj);
	return err ? krsi_err_ptr(err) : kobj;
}

static bool open_opts_valid(const struct krsi_object_open_opts *opts)
{
	return OPTS_VALID(opts, krsi_object_open_opts, log_size);
}

struct krsi_object *
krsi_object__open_file(const char *path,
		       const struct krsi_object_open_opts *opts)
{
	LIBBPF_OPTS(bpf_object_open_opts, bopts);
	char name[NAME_MAX + 1];
	struct bpf_object *obj;
	const char *slash;
	size_t size;
	void *buf;
	int err;

	if (!path || !open_opts_valid(opts)) {
		pr_warn("krsi_object__open_file: %s\n",
			path ? "invalid options" : "path is NULL");
		return krsi_err_ptr(-EINVAL);
	}
	/* libbpf opens the very bytes checked, which the file may no longer
	 * hold by then */
	err = krsi_elf_read(path, &buf, &size);
	if (!err)
		err = krsi_elf_check_object(buf, size, path);
	if (err) {
		free(buf);
		return krsi_err_ptr(err);
	}
	/* named as libbpf names an object it opens from a file */
	slash = strrchr(path, '/');
	snprintf(name, sizeof(name), "%s", slash ? slash + 1 : path);
	name[strcspn(name, ".")] = '\0';
	bopts.object_name = OPTS_GET(opts, object_name, NULL) ?: name;
	obj = bpf_object__open_mem(buf, size, &bopts);
	err = errno;
	free(buf); /* libbpf keeps no pointer into it once open */
	errno = err;
	return open_common(obj, path, opts);
}

struct krsi_object *
krsi_object__open_mem(const void *buf, size_t size,
		      const struct krsi_object_open_opts *opts)
{
	LIBBPF_OPTS(bpf_object_open_opts, bopts);
	int err;

	if (!buf || !size || !open_opts_valid(opts)) {
		pr_warn("krsi_object__open_mem: %s\n",
			!buf || !size ? "empty buffer" : "invalid options");
		return krsi_err_ptr(-EINVAL);
	}
	err = krsi_elf_check_object(buf, size, "the object in memory");
	if (err)
		return krsi_err_ptr(err);
	bopts.object_name = OPTS_GET(opts, object_name, NULL);
	return open_common(bpf_object__open_mem(buf, size, &bopts),
			   "from memory", opts);
}

struct krsi_object *
krsi_object__from_bpf_object(struct bpf_object *obj,
			     const struct krsi_object_open_opts *opts)
{
	if (!obj || !open_opts_valid(opts)) {
		pr_warn("krsi_object__from_bpf_object: %s\n",
			obj ? "invalid options" : "object is NULL");
		return krsi_err_ptr(-EINVAL);
	}
	return wrap(obj, true, opts);
}

/* The internal map holding .rodata, and the BTF section describing it. */
static struct bpf_map *rodata_map(const struct krsi_object *obj)
{
	struct bpf_map *map;
	const char *dot;

	bpf_object__for_each_map (map, obj->obj) {
		dot = strchr(bpf_map__name(map), '.');
		if (bpf_map__is_internal(map) && dot &&
		    strcmp(dot, ".rodata") == 0)
			return map;
	}
	return NULL;
}

int krsi_object__set_rodata(struct krsi_object *obj, const char *name,
			    const void *value, size_t size)
{
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec, *var;
	struct bpf_map *map;
	struct btf *btf;
	size_t img_size;
	char *img;
	int id, i;

	if (!obj || !name || !value) {
		pr_warn("krsi_object__set_rodata: NULL argument\n");
		return krsi_err(-EINVAL);
	}
	if (krsi_object_loaded(obj)) {
		pr_warn("cannot set read-only variable '%s': object '%s' is already loaded; set it before krsi_object__load()\n",
			name, bpf_object__name(obj->obj));
		return krsi_err(-EBUSY);
	}
	btf = bpf_object__btf(obj->obj);
	map = rodata_map(obj);
	id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC)
		 : -ENOENT;
	img = map ? (char *)bpf_map__initial_value(map, &img_size) : NULL;
	if (id < 0 || !img)
		goto not_found;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		var = btf__type_by_id(btf, vs->type);
		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		if (vs->size != size || vs->offset + size > img_size) {
			pr_warn("read-only variable '%s' has %u bytes, not %zu\n",
				name, vs->size, size);
			return krsi_err(-EINVAL);
		}
		memcpy(img + vs->offset, value, size);
		return 0;
	}
not_found:
	pr_warn("object '%s' has no read-only variable '%s' (declare it 'const volatile' and build with clang -g for BTF)\n",
		bpf_object__name(obj->obj), name);
	return krsi_err(-ENOENT);
}

/*
 * Whether ADDR lies in a mapping of a BPF map, as /proc/self/maps shows
 * it; false when that cannot be read.
 */
static bool bpf_map_mapped_at(const void *addr)
{
	unsigned long start, end, a = (unsigned long)addr;
	FILE *f = fopen("/proc/self/maps", "re");
	bool mapped = false;
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%lx-%lx", &start, &end) != 2 || a < start ||
		    a >= end)
			continue;
		mapped = strstr(line, "anon_inode:bpf-map") != NULL;
		break;
	}
	free(line);
	fclose(f);
	return mapped;
}

/*
 * Map global data (.bss, .data, .rodata) onto the loaded maps at the
 * addresses libbpf gave their initial images, which is where a skeleton's
 * skel->bss points: what the skeleton's own load does. libbpf 1.3.4, 1.4.7
 * and 1.5 onwards do it in bpf_object__load() too, and then the image is
 * already the map: it is left as it is. Only libbpf's internal maps hold
 * global data; an arena, or any map the program declares, is no image.
 */
int krsi_object_map_global_data(const struct krsi_object *obj)
{
	long page = sysconf(_SC_PAGESIZE);
	struct bpf_map *map;
	size_t size;
	void *addr;
	int prot;

	bpf_object__for_each_map (map, obj->obj) {
		if (!bpf_map__is_internal(map) ||
		    !(bpf_map__map_flags(map) & BPF_F_MMAPABLE))
			continue;
		addr = (void *)bpf_map__initial_value(map, &size);
		if (!addr || bpf_map_mapped_at(addr))
			continue;
		pr_debug(
			"mapping global data '%s' onto its map (this libbpf leaves that to skeletons)\n",
			bpf_map__name(map));
		size = ((bpf_map__value_size(map) + 7) & ~7UL) *
		       bpf_map__max_entries(map);
		size = (size + page - 1) & ~(page - 1);
		prot = bpf_map__map_flags(map) & BPF_F_RDONLY_PROG
			       ? PROT_READ
			       : PROT_READ | PROT_WRITE;
		if (mmap(addr, size, prot, MAP_SHARED | MAP_FIXED,
			 bpf_map__fd(map), 0) == MAP_FAILED) {
			pr_warn("mapping global data '%s' failed: %s\n",
				bpf_map__name(map), strerror(errno));
			return krsi_err(-errno);
		}
	}
	return 0;
}

/*
 * Pointer to the start of the last LINES lines of LOG, up to its LEN
 * bytes. Kernels from 7.x follow the verifier's own words with a long
 * explanation ("Verification failed: ...", "Suggestion: ..."), so the
 * lines shown end before it.
 */
static const char *log_tail(const char *log, int lines, int *len)
{
	const char *end = strstr(log, "\nVerification failed:");
	const char *p = end ? end : log + strlen(log);

	while (p > log && p[-1] == '\n')
		p--;
	end = p;
	while (p > log) {
		if (p[-1] == '\n' && --lines == 0)
			break;
		p--;
	}
	*len = end - p;
	return p;
}

/* Say why OBJ did not load: ERR, a standard errno described by DESC. */
static void report_load_failure(struct krsi_object *obj, int err,
				const char *desc)
{
	const char *hook, *log, *tail, *hint;
	struct bpf_program *prog;
	char hint_buf[256];
	size_t i;
	int len;

	for (i = 0; i < obj->prog_cnt && obj->rejected < 0; i++)
		if (obj->logs[i][0])
			obj->rejected = i;
	if (obj->rejected < 0) {
		pr_warn("loading BPF object '%s' failed: %s; libbpf's messages say why (krsi -v shows them; a program sees them through libbpf_set_print())%s\n",
			bpf_object__name(obj->obj), desc,
			err == -EPERM
				? " (the kernel refused it: CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN, are missing, or lockdown or an LSM forbids it; krsi probe tells which)"
				: "");
		return;
	}
	prog = obj->progs[obj->rejected];
	log = obj->logs[obj->rejected];
	hook = krsi_prog_hook(prog);
	hint = krsi_feature_hint(log, hint_buf, sizeof(hint_buf));
	if (err == -ENOSPC && strlen(log) + 1 >= obj->log_size)
		pr_warn("program '%s' (%s): the verifier's log did not fit in %zu bytes, so the kernel reported -ENOSPC instead of its verdict; raise krsi_object_open_opts.log_size\n",
			bpf_program__name(prog),
			bpf_program__section_name(prog), obj->log_size);
	tail = log_tail(log, LOG_TAIL_LINES, &len);
	pr_warn("program '%s' (hook %s) was rejected by the verifier: %s; the verifier log ends with:\n%.*s\n%s%s(the whole log: krsi_object__verifier_log())\n",
		bpf_program__name(prog), hook ? hook : "none", desc, len, tail,
		hint ? hint : "", hint ? "\n" : "");
}

int krsi_object_load_progs(struct krsi_object *obj)
{
	char desc[128];
	size_t i;
	int err;

	if (!obj) {
		pr_warn("krsi_object__load: object is NULL\n");
		return krsi_err(-EINVAL);
	}
	err = check_hooks(obj);
	if (err || krsi_object_loaded(obj))
		return err ? err : 1;
	for (i = 0; i < obj->prog_cnt; i++)
		obj->logs[i][0] = '\0';
	obj->rejected = -1;
	err = bpf_object__load(obj->obj);
	if (err) {
		err = krsi_libbpf_errno(err, desc, sizeof(desc));
		report_load_failure(obj, err, desc);
		return krsi_err(err);
	}
	return 0;
}

int krsi_object__load(struct krsi_object *obj)
{
	int err = krsi_object_load_progs(obj);

	if (err)
		return err < 0 ? err : 0; /* loaded before */
	return krsi_object_map_global_data(obj);
}

int krsi_object_check_attach(struct krsi_object *obj,
			     const struct krsi_attach_opts *opts)
{
	int err;

	if (!obj || !OPTS_VALID(opts, krsi_attach_opts, allow_not_enforcing)) {
		pr_warn("attach: %s\n",
			obj ? "invalid options" : "object is NULL");
		return krsi_err(-EINVAL);
	}
	if (!krsi_object_loaded(obj)) {
		pr_warn("cannot attach object '%s': it is not loaded; call krsi_object__load() first\n",
			bpf_object__name(obj->obj));
		return krsi_err(-ENOEXEC);
	}
	if (is_attached(obj)) {
		pr_warn("object '%s' is already attached\n",
			bpf_object__name(obj->obj));
		return krsi_err(-EBUSY);
	}
	err = obj->hooks_checked ? 0 : check_hooks(obj);
	if (!err && !OPTS_GET(opts, allow_not_enforcing, false))
		err = krsi_probe_attach_check(obj->hooks_checked);
	return krsi_err(err);
}

int krsi_object_cgroup_fd(const struct krsi_object *obj,
			  const struct krsi_attach_opts *opts, int *fdp,
			  bool *owned)
{
	const char *path = OPTS_GET(opts, cgroup_path, NULL);
	int fd = OPTS_GET(opts, cgroup_fd, 0);
	const struct bpf_program *prog = NULL;
	size_t i;

	*fdp = -1;
	*owned = false;
	for (i = 0; i < obj->prog_cnt && !prog; i++)
		if (krsi_prog_attachable(obj->progs[i]) &&
		    krsi_prog_kind(obj->progs[i]) == KRSI_PROG_LSM_CGROUP)
			prog = obj->progs[i];
	if (!prog)
		return 0;
	if (fd > 0) {
		*fdp = fd;
		return 0;
	}
	if (!path) {
		pr_warn("program '%s' (%s) attaches to a cgroup: give krsi_attach_opts.cgroup_path or cgroup_fd\n",
			bpf_program__name(prog),
			bpf_program__section_name(prog));
		return krsi_err(-EINVAL);
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		pr_warn("cannot open cgroup '%s' for program '%s': %s\n", path,
			bpf_program__name(prog), strerror(errno));
		return krsi_err(-errno);
	}
	*fdp = fd;
	*owned = true;
	return 0;
}

struct bpf_link *krsi_prog_attach(struct bpf_program *prog, int cgroup_fd)
{
	enum krsi_prog_kind kind = krsi_prog_kind(prog);
	struct bpf_link *link;
	int err;

	if (kind == KRSI_PROG_LSM_CGROUP)
		link = bpf_program__attach_cgroup(prog, cgroup_fd);
	else if (kind == KRSI_PROG_OTHER)
		link = bpf_program__attach(prog);
	else
		link = bpf_program__attach_lsm(prog);
	if (!link) {
		err = -errno;
		pr_warn("attaching program '%s' (%s) failed: %s\n",
			bpf_program__name(prog),
			bpf_program__section_name(prog), strerror(-err));
		return krsi_err_ptr(err);
	}
	return link;
}

void krsi_object_set_link(struct krsi_object *obj,
			  const struct bpf_program *prog, struct bpf_link *link)
{
	int i = index_of(obj, prog);

	if (i < 0)
		return;
	bpf_link__destroy(obj->links[i]);
	obj->links[i] = link;
}

int krsi_object__attach(struct krsi_object *obj,
			const struct krsi_attach_opts *opts)
{
	struct bpf_link *link;
	int cgroup_fd, err;
	bool owned;
	size_t i;

	err = krsi_object_check_attach(obj, opts);
	if (err)
		return err;
	err = krsi_object_cgroup_fd(obj, opts, &cgroup_fd, &owned);
	if (err)
		return err;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (!krsi_prog_attachable(obj->progs[i]))
			continue;
		link = krsi_prog_attach(obj->progs[i], cgroup_fd);
		if (!link) {
			err = -errno;
			krsi_object__detach(obj);
			break;
		}
		obj->links[i] = link;
	}
	if (owned)
		close(cgroup_fd);
	return krsi_err(err);
}

void krsi_object__detach(struct krsi_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->prog_cnt; i++) {
		bpf_link__destroy(obj->links[i]);
		obj->links[i] = NULL;
	}
}

void krsi_object__destroy(struct krsi_object *obj)
{
	size_t i;

	if (!obj)
		return;
	krsi_object__detach(obj);
	if (obj->borrowed) {
		/* The application's object outlives our log buffer. */
		for (i = 0; i < obj->prog_cnt; i++)
			bpf_program__set_log_buf(obj->progs[i], NULL, 0);
	} else {
		bpf_object__close(obj->obj);
	}
	free_wrapper(obj);
}

struct bpf_object *krsi_object__bpf_object(const struct krsi_object *obj)
{
	if (!obj)
		return krsi_err_ptr(-EINVAL);
	return obj->obj;
}

struct bpf_program *krsi_object__find_program(const struct krsi_object *obj,
					      const char *name)
{
	struct bpf_program *prog;

	if (!obj || !name)
		return krsi_err_ptr(-EINVAL);
	prog = bpf_object__find_program_by_name(obj->obj, name);
	return prog ? prog : krsi_err_ptr(-ENOENT);
}

struct bpf_link *krsi_object__link(const struct krsi_object *obj,
				   const struct bpf_program *prog)
{
	int i;

	if (!obj || !prog)
		return krsi_err_ptr(-EINVAL);
	i = index_of(obj, prog);
	if (i < 0)
		return krsi_err_ptr(-EINVAL);
	return obj->links[i] ? obj->links[i] : krsi_err_ptr(-ENOENT);
}

const char *krsi_object__verifier_log(const struct krsi_object *obj,
				      struct bpf_program **prog)
{
	bool rejected = obj && obj->rejected >= 0;

	if (prog)
		*prog = rejected ? obj->progs[obj->rejected] : NULL;
	if (!obj)
		return krsi_err_ptr(-EINVAL);
	return rejected ? obj->logs[obj->rejected] : krsi_err_ptr(-ENOENT);
}
