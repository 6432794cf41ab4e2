// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The hook catalog: one pass over BTF finds the bpf_lsm_* functions and the
 * union security_list_options, whose members are exactly the kernel's LSM
 * hooks; a function whose name is not a member (bpf_lsm_verify_prog,
 * bpf_lsm_find_cgroup_shim, ...) is not a hook. Texts go into one buffer
 * and names into a hash index, so lookups are constant time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/btf.h>

#include "hooks_internal.h"
#include "strbuf.h"

#define PREFIX "bpf_lsm_"
#define PREFIX_LEN (sizeof(PREFIX) - 1)

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_hook(const void *a, const void *b)
{
	return strcmp(((const struct krsi_hook *)a)->name,
		      ((const struct krsi_hook *)b)->name);
}

/* The member names of union security_list_options, sorted; NULL if none. */
static const char **hook_names(const struct btf *btf, __u32 union_id,
			       unsigned int *cnt)
{
	const struct btf_type *t = btf__type_by_id(btf, union_id);
	const char **names;
	unsigned int i;

	*cnt = btf_vlen(t);
	names = calloc(*cnt ? *cnt : 1, sizeof(*names));
	if (!names)
		return NULL;
	for (i = 0; i < *cnt; i++)
		names[i] = btf__name_by_offset(btf, btf_members(t)[i].name_off);
	qsort(names, *cnt, sizeof(*names), cmp_str);
	return names;
}

static __u32 name_hash(const char *s)
{
	__u32 h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int build_index(struct krsi_hooks *hs)
{
	size_t i, slot;

	hs->nslots = 16;
	while (hs->nslots < 2 * hs->cnt)
		hs->nslots *= 2;
	hs->slots = calloc(hs->nslots, sizeof(*hs->slots));
	if (!hs->slots)
		return -ENOMEM;
	for (i = 0; i < hs->cnt; i++) {
		slot = name_hash(hs->hooks[i].name) & (hs->nslots - 1);
		while (hs->slots[slot])
			slot = (slot + 1) & (hs->nslots - 1);
		hs->slots[slot] = i + 1;
	}
	return 0;
}

static enum krsi_hook_return return_class(const struct btf *btf,
					  const struct btf_type *proto,
					  const char *name)
{
	const struct btf_type *t;
	int id;

	if (!proto->type)
		return KRSI_HOOK_RET_VOID;
	id = btf__resolve_type(btf, proto->type);
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	if ((t && btf_is_int(t) && btf_int_encoding(t) & BTF_INT_BOOL) ||
	    krsi_known_bool_hook(name))
		return KRSI_HOOK_RET_BOOL;
	return KRSI_HOOK_RET_INT;
}

/* The prototype of a hook's bpf_lsm_ function. */
static const struct btf_type *proto_of(const struct krsi_hook *h)
{
	const struct btf *btf = krsi_btf__btf(h->owner->btf);

	return btf__type_by_id(btf, btf__type_by_id(btf, h->btf_id)->type);
}

/* Append the declaration of TYPE_ID named NAME, or a placeholder. */
static void emit_decl(const struct krsi_hook *h, __u32 type_id,
		      const char *name, struct strbuf *sb)
{
	if (krsi_btf_emit_decl(h->owner->btf, type_id, name, 0, sb))
		sb_printf(sb, "/* type %u */", type_id);
}

/*
 * Render H's argument types and declaration into one block, the args
 * first and the texts after them. Rendering waits until someone asks: it
 * makes libbpf walk every type once, which enumeration alone need not.
 */
static struct hook_text *describe(const struct krsi_hook *h)
{
	const struct btf *btf = krsi_btf__btf(h->owner->btf);
	const struct btf_type *proto = proto_of(h);
	const struct btf_param *p = btf_params(proto);
	size_t head, *type_off, decl_off;
	struct hook_text *text = NULL;
	struct strbuf sb = {};
	struct hook_arg *a;
	unsigned int i;
	char *base;

	type_off = calloc(h->nargs + 1, sizeof(*type_off));
	if (!type_off)
		return NULL;
	for (i = 0; i < h->nargs; i++) {
		type_off[i] = sb.len;
		emit_decl(h, p[i].type, NULL, &sb);
		sb_printf(&sb, "%c", '\0');
	}
	decl_off = sb.len;
	emit_decl(h, proto->type, NULL, &sb);
	sb_printf(&sb, " %s(", h->name);
	for (i = 0; i < h->nargs; i++) {
		sb_printf(&sb, "%s", i ? ", " : "");
		emit_decl(h, p[i].type, btf__name_by_offset(btf, p[i].name_off),
			  &sb);
	}
	sb_printf(&sb, "%s)", h->nargs ? "" : "void");
	head = sizeof(*text) + h->nargs * sizeof(*a);
	if (sb_str(&sb))
		text = calloc(1, head + sb.len + 1);
	if (!text)
		goto out;
	base = (char *)text + head;
	memcpy(base, sb_str(&sb), sb.len + 1);
	text->decl = base + decl_off;
	for (i = 0; i < h->nargs; i++) {
		a = &text->args[i];
		a->type = base + type_off[i];
		snprintf(a->made_up, sizeof(a->made_up), "arg%u", i);
		a->name = p[i].name_off
				  ? btf__name_by_offset(btf, p[i].name_off)
				  : a->made_up;
	}
out:
	sb_free(&sb);
	free(type_off);
	return text;
}

/* H's texts, made on first use; threads racing to make them agree. */
static const struct hook_text *text_of(const struct krsi_hook *h)
{
	struct krsi_hook *mh = (struct krsi_hook *)h;
	struct hook_text *text, *none = NULL;

	text = __atomic_load_n(&mh->text, __ATOMIC_ACQUIRE);
	if (text)
		return text;
	text = describe(h);
	if (!text)
		return krsi_err_ptr(-ENOMEM);
	if (!__atomic_compare_exchange_n(&mh->text, &none, text, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		free(text); /* another thread was first */
		text = none;
	}
	return text;
}

struct found {
	__u32 union_id;
	__u32 *funcs; /* bpf_lsm_* FUNC ids */
	size_t nfuncs;
};

/* One pass over every type: the union and the bpf_lsm_ functions. */
static int scan(const struct btf *btf, struct found *f)
{
	__u32 id, n = btf__type_cnt(btf), *p;
	const struct btf_type *t;
	const char *name;
	size_t cap = 0;

	for (id = 1; id < n; id++) {
		t = btf__type_by_id(btf, id);
		/* Most types are neither: look at names only when needed. */
		if (!btf_is_func(t) && !btf_is_union(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (btf_is_union(t)) {
			if (!strcmp(name, "security_list_options"))
				f->union_id = id;
			continue;
		}
		if (strncmp(name, PREFIX, PREFIX_LEN))
			continue;
		if (f->nfuncs == cap) {
			cap = cap ? 2 * cap : 256;
			p = realloc(f->funcs, cap * sizeof(*p));
			if (!p)
				return -ENOMEM;
			f->funcs = p;
		}
		f->funcs[f->nfuncs++] = id;
	}
	return 0;
}

static int enumerate(struct krsi_hooks *hs)
{
	const struct btf *btf = krsi_btf__btf(hs->btf);
	const char **names = NULL, *name;
	struct found f = {};
	struct krsi_hook *h;
	unsigned int nnames;
	size_t i;
	int err;

	err = scan(btf, &f);
	if (err)
		goto out;
	if (!f.union_id || !f.nfuncs) {
		pr_warn("this BTF has %s: it is not of a kernel built with CONFIG_BPF_LSM=y\n",
			f.union_id ? "no bpf_lsm_* functions"
				   : "no union security_list_options");
		err = -ENOENT;
		goto out;
	}
	names = hook_names(btf, f.union_id, &nnames);
	hs->hooks = calloc(f.nfuncs, sizeof(*hs->hooks));
	if (!names || !hs->hooks) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < f.nfuncs; i++) {
		name = btf__name_by_offset(
			       btf,
			       btf__type_by_id(btf, f.funcs[i])->name_off) +
		       PREFIX_LEN;
		if (!bsearch(&name, names, nnames, sizeof(*names), cmp_str)) {
			pr_debug("bpf_lsm_%s is not an LSM hook\n", name);
			continue;
		}
		h = &hs->hooks[hs->cnt++];
		h->name = name;
		h->btf_id = f.funcs[i];
		h->owner = hs;
		h->nargs = btf_vlen(proto_of(h));
		h->ret = return_class(btf, proto_of(h), name);
	}
	qsort(hs->hooks, hs->cnt, sizeof(*hs->hooks), cmp_hook);
	err = build_index(hs);
out:
	free(names);
	free(f.funcs);
	return err;
}

/* Flags from build B of the data libkrsi ships; how many hooks it has. */
static size_t apply_known(struct krsi_hooks *hs,
			  const struct krsi_known_build *b)
{
	struct krsi_hook *h;
	size_t i, n = 0;

	for (i = 0; i < hs->cnt; i++) {
		h = &hs->hooks[i];
		if (!krsi_known_flags(b, h->name, h->flags)) {
			pr_debug(
				"hook %s is not in libkrsi's data for %s: its flags are unknown\n",
				h->name, b->package);
			continue;
		}
		for (int f = 0; f < KRSI_HOOK_NR_FLAGS; f++)
			h->sources[f] = KRSI_FLAG_KNOWN;
		n++;
	}
	snprintf(hs->release, sizeof(hs->release), "%s", b->version);
	return n;
}

/* A BTF file's flags: those shipped for the release it was given with. */
static int flags_of_file(struct krsi_hooks *hs, const char *release,
			 bool ignore_known)
{
	const struct krsi_known_build *b;
	struct krsi_release rel;
	size_t n;

	if (!release) {
		snprintf(
			hs->note, sizeof(hs->note),
			"unknown: the flags of a BTF file are known only with its kernel release");
		return 0;
	}
	if (krsi_parse_release(release, &rel)) {
		pr_warn("cannot parse kernel release \"%s\": give it as 6.12.118\n",
			release);
		return -EINVAL;
	}
	b = ignore_known ? NULL : krsi_known_build_by_version(&rel);
	if (!b) {
		snprintf(hs->note, sizeof(hs->note),
			 "unknown: libkrsi ships no flags for kernel %u.%u.%u",
			 rel.major, rel.minor, rel.patch);
		return 0;
	}
	n = apply_known(hs, b);
	snprintf(
		hs->note, sizeof(hs->note),
		"shipped with libkrsi for kernel %s (%s), for %zu of the %zu hooks",
		b->version, b->package, n, hs->cnt);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The running kernel's flags: shipped for this exact build, else cached
 * for it, else measured by trial loads (and cached), else unknown.
 */
static int flags_of_kernel(struct krsi_hooks *hs,
			   const struct krsi_hooks_opts *opts)
{
	const char *cache = OPTS_GET(opts, flags_cache, NULL);
	bool trial = OPTS_GET(opts, trial_load, false);
	char id[KRSI_BUILD_ID_MAX + 1] = "", why[256], ignored[300] = "";
	const struct krsi_known_build *b = NULL;
	double t0;
	int err;

	if (!cache)
		cache = KRSI_HOOK_FLAGS_CACHE;
	err = krsi_kernel_build_id(id);
	if (err)
		pr_debug(
			"this kernel has no build ID in /sys/kernel/notes (%s): neither shipped nor cached flags apply\n",
			strerror(-err));
	if (!trial && id[0] && !OPTS_GET(opts, ignore_known, false))
		b = krsi_known_build_by_id(id);
	if (b) {
		apply_known(hs, b);
		snprintf(
			hs->note, sizeof(hs->note),
			"shipped with libkrsi for this kernel build, %s (build ID %s)",
			b->package, id);
		return 0;
	}
	if (!trial && id[0]) {
		err = krsi_hook_cache_read(hs, cache, id, why, sizeof(why));
		if (!err) {
			snprintf(
				hs->note, sizeof(hs->note),
				"measured by trial loads on this kernel build (%s), read from %s",
				id, cache);
			return 0;
		}
		if (err == -ENOMEM)
			return err;
		if (err != -ENOENT) {
			pr_info("ignoring the hook flag cache %s: %s; measuring the flags again\n",
				cache, why);
			snprintf(ignored, sizeof(ignored),
				 " (the file there was ignored: %s)", why);
		}
	}
	t0 = now();
	err = krsi_hooks_measure(hs, why, sizeof(why));
	if (err < 0) {
		if (trial || err == -ENOMEM) {
			pr_warn("cannot measure the hook flags: %s\n", why);
			return err;
		}
		pr_debug("hook flags unknown: %s\n", why);
		snprintf(hs->note, sizeof(hs->note), "unknown: %s", why);
		return 0;
	}
	snprintf(hs->note, sizeof(hs->note),
		 "measured by %d trial loads on this kernel build in %.1f s",
		 err, now() - t0);
	if (!id[0]) {
		strncat(hs->note, "; not cached: the kernel has no build ID",
			sizeof(hs->note) - strlen(hs->note) - 1);
	} else if (krsi_hook_cache_write(hs, cache, id, why, sizeof(why))) {
		pr_info("cannot cache the hook flags in %s: %s\n", cache, why);
		snprintf(hs->note + strlen(hs->note),
			 sizeof(hs->note) - strlen(hs->note),
			 "; not cached in %s: %s", cache, why);
	} else {
		snprintf(hs->note + strlen(hs->note),
			 sizeof(hs->note) - strlen(hs->note),
			 "; cached in %s%s", cache, ignored);
	}
	return 0;
}

static int fill_flags(struct krsi_hooks *hs, const struct krsi_hooks_opts *opts)
{
	const char *release = OPTS_GET(opts, kernel_release, NULL);
	struct krsi_release rel;
	size_t i;

	for (i = 0; i < hs->cnt; i++)
		for (int f = 0; f < KRSI_HOOK_NR_FLAGS; f++)
			hs->hooks[i].flags[f] = KRSI_UNKNOWN;
	if (hs->from_file)
		return flags_of_file(hs, release,
				     OPTS_GET(opts, ignore_known, false));
	if (release && krsi_parse_release(release, &rel)) {
		pr_warn("cannot parse kernel release \"%s\": give it as 6.12.118\n",
			release);
		return -EINVAL;
	}
	return flags_of_kernel(hs, opts);
}

struct krsi_hooks *krsi_hooks__load(const struct krsi_hooks_opts *opts)
{
	const char *path = OPTS_GET(opts, btf_path, NULL);
	bool trial = OPTS_GET(opts, trial_load, false);
	const char *cache = OPTS_GET(opts, flags_cache, NULL);
	KRSI_OPTS(krsi_btf_opts, btf_opts, .path = path);
	struct krsi_hooks *hs;
	int err;

	if (!OPTS_VALID(opts, krsi_hooks_opts, ignore_known))
		return krsi_err_ptr(-EINVAL);
	if (path && (trial || cache)) {
		pr_warn("%s concerns the running kernel: it cannot apply to BTF from %s\n",
			trial ? "a trial load" : "the flag cache", path);
		return krsi_err_ptr(-EINVAL);
	}
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return krsi_err_ptr(-ENOMEM);
	hs->from_file = path;
	hs->btf = krsi_btf__load(&btf_opts);
	if (!hs->btf) {
		err = -errno;
		goto fail;
	}
	err = enumerate(hs);
	if (!err)
		err = fill_flags(hs, opts);
	if (err)
		goto fail;
	return hs;
fail:
	krsi_hooks__free(hs);
	return krsi_err_ptr(err);
}

void krsi_hooks__free(struct krsi_hooks *hs)
{
	size_t i;

	if (!hs)
		return;
	for (i = 0; i < hs->cnt; i++)
		free(hs->hooks[i].text);
	krsi_btf__free(hs->btf);
	free(hs->hooks);
	free(hs->slots);
	free(hs);
}

size_t krsi_hooks__count(const struct krsi_hooks *hs)
{
	if (!hs) {
		errno = EINVAL;
		return 0;
	}
	return hs->cnt;
}

const struct krsi_hook *krsi_hooks__at(const struct krsi_hooks *hs,
				       size_t index)
{
	if (!hs)
		return krsi_err_ptr(-EINVAL);
	if (index >= hs->cnt)
		return krsi_err_ptr(-ENOENT);
	return &hs->hooks[index];
}

/* Edit distance between A and B, capped at 255 (lengths are bounded). */
static unsigned int distance(const char *a, const char *b)
{
	unsigned char row[64], diag, up;
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la >= sizeof(row) || lb >= sizeof(row))
		return 255;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

/* Log the hooks closest to NAME: few edits away, or containing it. */
static void suggest(const struct krsi_hooks *hs, const char *name)
{
	unsigned int best[3] = { 255, 255, 255 }, d, limit;
	const char *pick[3] = {};
	struct strbuf sb = {};
	size_t i;
	int k;

	limit = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
	for (i = 0; i < hs->cnt; i++) {
		d = distance(name, hs->hooks[i].name);
		if (d > limit && !strstr(hs->hooks[i].name, name))
			continue;
		for (k = 2; k >= 0 && d < best[k]; k--) {
			if (k < 2) {
				best[k + 1] = best[k];
				pick[k + 1] = pick[k];
			}
			best[k] = d;
			pick[k] = hs->hooks[i].name;
		}
	}
	for (k = 0; k < 3 && pick[k]; k++)
		sb_printf(&sb, "%s%s", k ? ", " : "", pick[k]);
	if (pick[0])
		pr_warn("no LSM hook \"%s\" in this kernel; did you mean %s?\n",
			name, sb_str(&sb) ? sb_str(&sb) : pick[0]);
	else
		pr_warn("no LSM hook \"%s\" in this kernel, nor one with a close name: list them with `krsi hooks`\n",
			name);
	sb_free(&sb);
}

const struct krsi_hook *krsi_hooks__find(const struct krsi_hooks *hs,
					 const char *name)
{
	size_t slot;
	__u32 i;

	if (!hs || !name)
		return krsi_err_ptr(-EINVAL);
	if (!strncmp(name, PREFIX, PREFIX_LEN))
		name += PREFIX_LEN;
	slot = name_hash(name) & (hs->nslots - 1);
	while ((i = hs->slots[slot])) {
		if (!strcmp(hs->hooks[i - 1].name, name))
			return &hs->hooks[i - 1];
		slot = (slot + 1) & (hs->nslots - 1);
	}
	suggest(hs, name);
	return krsi_err_ptr(-ENOENT);
}

const struct krsi_btf *krsi_hooks__btf(const struct krsi_hooks *hs)
{
	if (!hs)
		return krsi_err_ptr(-EINVAL);
	return hs->btf;
}

const char *krsi_hooks__known_release(const struct krsi_hooks *hs)
{
	if (!hs)
		return krsi_err_ptr(-EINVAL);
	return hs->release[0] ? hs->release : NULL;
}

const char *krsi_hooks__flags_note(const struct krsi_hooks *hs)
{
	if (!hs)
		return krsi_err_ptr(-EINVAL);
	return hs->note;
}

const char *krsi_hook__name(const struct krsi_hook *h)
{
	return h ? h->name : krsi_err_ptr(-EINVAL);
}

__u32 krsi_hook__btf_id(const struct krsi_hook *h)
{
	if (!h) {
		errno = EINVAL;
		return 0;
	}
	return h->btf_id;
}

enum krsi_hook_return krsi_hook__return(const struct krsi_hook *h)
{
	if (!h) {
		errno = EINVAL;
		return KRSI_HOOK_RET_VOID;
	}
	return h->ret;
}

unsigned int krsi_hook__arg_count(const struct krsi_hook *h)
{
	if (!h) {
		errno = EINVAL;
		return 0;
	}
	return h->nargs;
}

static const struct hook_arg *arg_of(const struct krsi_hook *h,
				     unsigned int index)
{
	const struct hook_text *text;

	if (!h || index >= h->nargs)
		return krsi_err_ptr(-EINVAL);
	text = text_of(h);
	return text ? &text->args[index] : NULL;
}

const char *krsi_hook__arg_name(const struct krsi_hook *h, unsigned int index)
{
	const struct hook_arg *a = arg_of(h, index);

	return a ? a->name : NULL;
}

const char *krsi_hook__arg_type(const struct krsi_hook *h, unsigned int index)
{
	const struct hook_arg *a = arg_of(h, index);

	return a ? a->type : NULL;
}

__u32 krsi_hook__arg_btf_id(const struct krsi_hook *h, unsigned int index)
{
	if (!h || index >= h->nargs) {
		errno = EINVAL;
		return 0;
	}
	return btf_params(proto_of(h))[index].type;
}

const char *krsi_hook__decl(const struct krsi_hook *h)
{
	const struct hook_text *text;

	if (!h)
		return krsi_err_ptr(-EINVAL);
	text = text_of(h);
	return text ? text->decl : NULL;
}

enum krsi_tristate krsi_hook__flag(const struct krsi_hook *h,
				   enum krsi_hook_flag flag,
				   enum krsi_flag_source *source)
{
	if (source)
		*source = KRSI_FLAG_NONE;
	if (!h || (unsigned int)flag >= KRSI_HOOK_NR_FLAGS) {
		errno = EINVAL;
		return KRSI_UNKNOWN;
	}
	if (source)
		*source = h->sources[flag];
	return h->flags[flag];
}

const char *krsi_hook_flag_str(enum krsi_hook_flag flag)
{
	static const char *const names[] = { "disabled", "sleepable",
					     "cgroup" };

	if ((unsigned int)flag >= KRSI_HOOK_NR_FLAGS)
		return krsi_err_ptr(-EINVAL);
	return names[flag];
}

const char *krsi_hook_return_str(enum krsi_hook_return ret)
{
	static const char *const names[] = { "int", "bool", "void" };

	if ((unsigned int)ret > KRSI_HOOK_RET_VOID)
		return krsi_err_ptr(-EINVAL);
	return names[ret];
}
