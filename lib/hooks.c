// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The hook catalog: one pass over BTF finds the bpf_lsm_* functions and the
 * union security_list_options, whose members are exactly the kernel's LSM
 * hooks; a function whose name is not a member (bpf_lsm_verify_prog,
 * bpf_lsm_find_cgroup_shim, ...) is not a hook. Texts go into one buffer
 * and names into a hash index, so lookups are constant time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * Texts are built in one strbuf and referred to by offset until it stops
 * moving; fix_text() then turns offsets into pointers.
 */
#define TEXT_OFF(off) ((const char *)(uintptr_t)(off))

static size_t emit_text_decl(struct krsi_hooks *hs, struct strbuf *sb,
			     __u32 type_id, const char *name)
{
	size_t off = sb->len;

	if (krsi_btf_emit_decl(hs->btf, type_id, name, 0, sb))
		sb_printf(sb, "/* type %u */", type_id);
	sb_printf(sb, "%c", '\0');
	return off;
}

static void describe(struct krsi_hooks *hs, struct krsi_hook *h,
		     struct hook_arg *args, bool *made_up, struct strbuf *sb)
{
	const struct btf *btf = krsi_btf__btf(hs->btf);
	const struct btf_type *proto =
		btf__type_by_id(btf, btf__type_by_id(btf, h->btf_id)->type);
	const struct btf_param *p = btf_params(proto);
	size_t decl;
	unsigned int i;

	h->ret = return_class(btf, proto, h->name);
	h->nargs = btf_vlen(proto);
	h->args = args;
	for (i = 0; i < h->nargs; i++) {
		args[i].type_id = p[i].type;
		made_up[i] = !p[i].name_off;
		if (p[i].name_off) {
			args[i].name = btf__name_by_offset(btf, p[i].name_off);
		} else {
			args[i].name = TEXT_OFF(sb->len);
			sb_printf(sb, "arg%u%c", i, '\0');
		}
		args[i].type =
			TEXT_OFF(emit_text_decl(hs, sb, p[i].type, NULL));
	}
	decl = sb->len;
	if (krsi_btf_emit_decl(hs->btf, proto->type, NULL, 0, sb))
		sb_printf(sb, "/* type %u */", proto->type);
	sb_printf(sb, " %s(", h->name);
	for (i = 0; i < h->nargs; i++) {
		sb_printf(sb, "%s", i ? ", " : "");
		if (krsi_btf_emit_decl(hs->btf, p[i].type,
				       p[i].name_off ? args[i].name : NULL, 0,
				       sb))
			sb_printf(sb, "/* type %u */", p[i].type);
	}
	sb_printf(sb, "%s)%c", h->nargs ? "" : "void", '\0');
	h->decl = TEXT_OFF(decl);
}

static const char *fix(const char *base, const char *off)
{
	return base + (uintptr_t)off;
}

/* Turn text offsets into pointers; names from BTF are pointers already. */
static void fix_text(struct krsi_hooks *hs, const bool *made_up)
{
	size_t i, a = 0;
	unsigned int j;

	for (i = 0; i < hs->cnt; i++) {
		hs->hooks[i].decl = fix(hs->text, hs->hooks[i].decl);
		for (j = 0; j < hs->hooks[i].nargs; j++, a++) {
			hs->args[a].type = fix(hs->text, hs->args[a].type);
			if (made_up[a])
				hs->args[a].name =
					fix(hs->text, hs->args[a].name);
		}
	}
}

struct found {
	__u32 union_id;
	__u32 *funcs; /* bpf_lsm_* FUNC ids */
	size_t nfuncs;
	size_t nargs;
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
		name = btf__name_by_offset(btf, t->name_off);
		if (btf_is_union(t) && !strcmp(name, "security_list_options")) {
			f->union_id = id;
		} else if (btf_is_func(t) &&
			   !strncmp(name, PREFIX, PREFIX_LEN)) {
			if (f->nfuncs == cap) {
				cap = cap ? 2 * cap : 256;
				p = realloc(f->funcs, cap * sizeof(*p));
				if (!p)
					return -ENOMEM;
				f->funcs = p;
			}
			f->funcs[f->nfuncs++] = id;
		}
	}
	return 0;
}

static int enumerate(struct krsi_hooks *hs)
{
	const struct btf *btf = krsi_btf__btf(hs->btf);
	struct found f = {};
	const char **names = NULL, *name;
	struct strbuf sb = {};
	bool *made_up = NULL;
	unsigned int nnames;
	size_t i, a;
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
		hs->hooks[hs->cnt].name = name;
		hs->hooks[hs->cnt].btf_id = f.funcs[i];
		f.nargs += btf_vlen(btf__type_by_id(
			btf, btf__type_by_id(btf, f.funcs[i])->type));
		hs->cnt++;
	}
	qsort(hs->hooks, hs->cnt, sizeof(*hs->hooks), cmp_hook);
	hs->args = calloc(f.nargs ? f.nargs : 1, sizeof(*hs->args));
	made_up = calloc(f.nargs ? f.nargs : 1, sizeof(*made_up));
	if (!hs->args || !made_up) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0, a = 0; i < hs->cnt; a += hs->hooks[i].nargs, i++)
		describe(hs, &hs->hooks[i], &hs->args[a], &made_up[a], &sb);
	if (!sb_str(&sb)) {
		err = -ENOMEM;
		goto out;
	}
	hs->text = sb_steal(&sb);
	fix_text(hs, made_up);
	err = build_index(hs);
out:
	sb_free(&sb);
	free(made_up);
	free(names);
	free(f.funcs);
	return err;
}

/* Flags from what libkrsi knows of the kernel line, if anything. */
static int apply_knowledge(struct krsi_hooks *hs, const char *release)
{
	struct krsi_release rel;
	struct krsi_hook *h;
	int line, err;
	size_t i;

	for (i = 0; i < hs->cnt; i++)
		for (int f = 0; f < KRSI_HOOK_NR_FLAGS; f++)
			hs->hooks[i].flags[f] = KRSI_UNKNOWN;
	if (release)
		err = krsi_parse_release(release, &rel);
	else if (!hs->from_file)
		err = krsi_running_release(&rel);
	else
		return 0; /* a file of an unknown kernel: nothing known */
	if (err) {
		pr_warn("cannot parse kernel release \"%s\": give it as 6.12.95\n",
			release ? release : "(running kernel)");
		return err;
	}
	line = krsi_known_line(&rel);
	if (line < 0) {
		pr_debug(
			"kernel %u.%u.%u is not one libkrsi was verified on: hook flags are unknown unless measured by trial loads\n",
			rel.major, rel.minor, rel.patch);
		return 0;
	}
	snprintf(hs->release, sizeof(hs->release), "%u.%u.%u", rel.major,
		 rel.minor, rel.patch);
	for (i = 0; i < hs->cnt; i++) {
		h = &hs->hooks[i];
		if (!krsi_known_flags(line, h->name, h->flags)) {
			pr_debug(
				"hook %s is new to kernel line %u.%u: its flags are unknown\n",
				h->name, rel.major, rel.minor);
			continue;
		}
		for (int f = 0; f < KRSI_HOOK_NR_FLAGS; f++)
			h->sources[f] = KRSI_FLAG_KNOWN;
	}
	return 0;
}

struct krsi_hooks *krsi_hooks__load(const struct krsi_hooks_opts *opts)
{
	const char *path = OPTS_GET(opts, btf_path, NULL);
	bool trial = OPTS_GET(opts, trial_load, false);
	KRSI_OPTS(krsi_btf_opts, btf_opts, .path = path);
	struct krsi_hooks *hs;
	int err;

	if (!OPTS_VALID(opts, krsi_hooks_opts, trial_load))
		return krsi_err_ptr(-EINVAL);
	if (path && trial) {
		pr_warn("trial loads measure the running kernel: they cannot apply to BTF from %s\n",
			path);
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
		err = apply_knowledge(hs, OPTS_GET(opts, kernel_release, NULL));
	if (!err && trial)
		err = krsi_hooks_measure(hs);
	if (err)
		goto fail;
	return hs;
fail:
	krsi_hooks__free(hs);
	return krsi_err_ptr(err);
}

void krsi_hooks__free(struct krsi_hooks *hs)
{
	if (!hs)
		return;
	krsi_btf__free(hs->btf);
	free(hs->hooks);
	free(hs->args);
	free(hs->text);
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
	if (!h || index >= h->nargs)
		return krsi_err_ptr(-EINVAL);
	return &h->args[index];
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
	const struct hook_arg *a = arg_of(h, index);

	return a ? a->type_id : 0;
}

const char *krsi_hook__decl(const struct krsi_hook *h)
{
	return h ? h->decl : krsi_err_ptr(-EINVAL);
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
