// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * BTF lookup. libbpf parses the BTF; libkrsi then checks what libbpf 1.1
 * does not (every type reference in range, no loop of references that
 * rendering a declaration would follow forever), so a corrupt file is an
 * error, never a crash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <krsi/btf.h>

#include "internal.h"
#include "strbuf.h"

struct krsi_btf {
	struct btf *btf;
	struct btf_dump *dump;
	struct strbuf out; /* where dump prints */
};

static bool id_ok(const struct btf *btf, __u32 id)
{
	return id < btf__type_cnt(btf);
}

/*
 * The I-th type that rendering T as C may inline (follow without printing
 * a name), or -1 past the last one. A named struct or union stops the
 * chain; an anonymous one is printed inline, so its members count.
 */
static long long inlined_ref(const struct btf_type *t, unsigned int i)
{
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return i == 0 ? (long long)t->type : -1;
	case BTF_KIND_ARRAY:
		return i == 0 ? (long long)btf_array(t)->type : -1;
	case BTF_KIND_FUNC_PROTO:
		if (i == 0)
			return t->type;
		if (i > btf_vlen(t))
			return -1;
		return btf_params(t)[i - 1].type;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (t->name_off)
			return -1;
		if (i >= btf_vlen(t))
			return -1;
		return btf_members(t)[i].type;
	default:
		return -1;
	}
}

/* Every id and name a type refers to exists. */
static int check_type(const struct btf *btf, const struct btf_type *t)
{
	const struct btf_member *m;
	const struct btf_param *p;
	const struct btf_enum *e;
	unsigned int i, vlen = btf_vlen(t);

	if (!btf__str_by_offset(btf, t->name_off))
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		m = btf_members(t);
		for (i = 0; i < vlen; i++)
			if (!id_ok(btf, m[i].type) ||
			    !btf__str_by_offset(btf, m[i].name_off))
				return -EINVAL;
		return 0;
	case BTF_KIND_FUNC_PROTO:
		p = btf_params(t);
		for (i = 0; i < vlen; i++)
			if (!id_ok(btf, p[i].type) ||
			    !btf__str_by_offset(btf, p[i].name_off))
				return -EINVAL;
		return id_ok(btf, t->type) ? 0 : -EINVAL;
	case BTF_KIND_ENUM:
		e = btf_enum(t);
		for (i = 0; i < vlen; i++)
			if (!btf__str_by_offset(btf, e[i].name_off))
				return -EINVAL;
		return 0;
	case BTF_KIND_ENUM64:
		for (i = 0; i < vlen; i++)
			if (!btf__str_by_offset(btf, btf_enum64(t)[i].name_off))
				return -EINVAL;
		return 0;
	case BTF_KIND_ARRAY:
		return id_ok(btf, btf_array(t)->type) &&
				       id_ok(btf, btf_array(t)->index_type)
			       ? 0
			       : -EINVAL;
	case BTF_KIND_DATASEC:
		for (i = 0; i < vlen; i++)
			if (!id_ok(btf, btf_var_secinfos(t)[i].type))
				return -EINVAL;
		return 0;
	case BTF_KIND_FUNC:
		/* A function's type is its prototype: hooks rely on it. */
		if (!id_ok(btf, t->type) || t->type == 0 ||
		    !btf_is_func_proto(btf__type_by_id(btf, t->type)))
			return -EINVAL;
		return 0;
	default:
		return inlined_ref(t, 0) < 0 || id_ok(btf, inlined_ref(t, 0))
			       ? 0
			       : -EINVAL;
	}
}

/*
 * Depth-first search over inlined references, without recursion: a corrupt
 * file may hold chains as long as it has types.
 */
enum { WHITE, GREY, BLACK };

static int check_loops(const struct btf *btf)
{
	__u32 n = btf__type_cnt(btf), *stack, *next, root, id, depth;
	unsigned char *color;
	long long ref;
	int err = 0;

	color = calloc(n, 1);
	stack = calloc(n, sizeof(*stack));
	next = calloc(n, sizeof(*next));
	if (!color || !stack || !next) {
		err = -ENOMEM;
		goto out;
	}
	for (root = 1; root < n && !err; root++) {
		if (color[root] != WHITE)
			continue;
		depth = 0;
		stack[depth++] = root;
		color[root] = GREY;
		next[root] = 0;
		while (depth) {
			id = stack[depth - 1];
			ref = inlined_ref(btf__type_by_id(btf, id), next[id]++);
			if (ref < 0) {
				color[id] = BLACK;
				depth--;
			} else if (ref == 0 || color[ref] == BLACK) {
				continue;
			} else if (color[ref] == GREY) {
				err = -ELOOP;
				pr_warn("BTF type %u refers back to itself through type %lld\n",
					id, ref);
				break;
			} else {
				color[ref] = GREY;
				next[ref] = 0;
				stack[depth++] = ref;
			}
		}
	}
out:
	free(color);
	free(stack);
	free(next);
	return err;
}

static int check_btf(const struct btf *btf)
{
	__u32 id, n = btf__type_cnt(btf);
	int err;

	for (id = 1; id < n; id++) {
		err = check_type(btf, btf__type_by_id(btf, id));
		if (err) {
			pr_warn("BTF type %u refers to a type or name that does not exist\n",
				id);
			return err;
		}
	}
	return check_loops(btf);
}

static void dump_printf(void *ctx, const char *fmt, va_list args)
{
	sb_vprintf(ctx, fmt, args);
}

struct krsi_btf *krsi_btf__load(const struct krsi_btf_opts *opts)
{
	const char *path = OPTS_GET(opts, path, NULL);
	struct krsi_btf *kb;
	int err;

	if (!OPTS_VALID(opts, krsi_btf_opts, path))
		return krsi_err_ptr(-EINVAL);
	kb = calloc(1, sizeof(*kb));
	if (!kb)
		return krsi_err_ptr(-ENOMEM);
	if (path && access(path, R_OK)) {
		err = -errno;
		pr_warn("cannot read BTF from %s: %s\n", path, strerror(-err));
		goto fail;
	}
	kb->btf = path ? btf__parse(path, NULL) : btf__load_vmlinux_btf();
	err = libbpf_get_error(kb->btf);
	if (err) {
		kb->btf = NULL;
		if (path) {
			/* The file is readable: libbpf's ENOENT means "no
			 * .BTF section". */
			if (err != -ENOMEM)
				err = -EINVAL;
			pr_warn("cannot read BTF from %s: it is neither raw BTF nor an ELF file with a .BTF section\n",
				path);
		} else {
			if (err == -ESRCH || err == -ENODATA)
				err = -ENOENT;
			pr_warn("cannot read the running kernel's BTF (/sys/kernel/btf/vmlinux): %s: the kernel needs CONFIG_DEBUG_INFO_BTF=y\n",
				strerror(-err));
		}
		goto fail;
	}
	err = check_btf(kb->btf);
	if (err) {
		if (err != -ENOMEM)
			err = -EINVAL;
		pr_warn("BTF from %s is corrupt: refusing it\n",
			path ? path : "the running kernel");
		goto fail;
	}
	kb->dump = btf_dump__new(kb->btf, dump_printf, &kb->out, NULL);
	err = libbpf_get_error(kb->dump);
	if (err) {
		kb->dump = NULL;
		goto fail;
	}
	return kb;
fail:
	krsi_btf__free(kb);
	return krsi_err_ptr(err);
}

void krsi_btf__free(struct krsi_btf *kb)
{
	if (!kb)
		return;
	btf_dump__free(kb->dump);
	btf__free(kb->btf);
	sb_free(&kb->out);
	free(kb);
}

const struct btf *krsi_btf__btf(const struct krsi_btf *kb)
{
	if (!kb)
		return krsi_err_ptr(-EINVAL);
	return kb->btf;
}

__u32 krsi_btf__type_count(const struct krsi_btf *kb)
{
	if (!kb) {
		errno = EINVAL;
		return 0;
	}
	return btf__type_cnt(kb->btf);
}

/* How much a kind is preferred when the caller names no kind; 0: least. */
static int kind_rank(unsigned int kind)
{
	static const unsigned char order[] = {
		BTF_KIND_STRUCT, BTF_KIND_UNION,   BTF_KIND_ENUM,
		BTF_KIND_ENUM64, BTF_KIND_TYPEDEF, BTF_KIND_FUNC,
	};
	unsigned int i;

	for (i = 0; i < sizeof(order); i++)
		if (order[i] == kind)
			return sizeof(order) - i;
	return 0;
}

int krsi_btf__find(const struct krsi_btf *kb, const char *name,
		   unsigned int kind)
{
	int best = -ENOENT, best_rank = -1, rank;
	const struct btf_type *t;
	__u32 id, n;

	if (!kb || !name || kind > BTF_KIND_ENUM64)
		return krsi_err(-EINVAL);
	n = btf__type_cnt(kb->btf);
	for (id = 1; id < n; id++) {
		t = btf__type_by_id(kb->btf, id);
		if (kind && btf_kind(t) != kind)
			continue;
		if (strcmp(btf__name_by_offset(kb->btf, t->name_off), name))
			continue;
		if (kind)
			return id;
		rank = kind_rank(btf_kind(t));
		if (rank > best_rank) {
			best = id;
			best_rank = rank;
		}
	}
	return krsi_err(best);
}

static const struct btf_type *type_of(const struct krsi_btf *kb, __u32 id)
{
	if (!kb || !id_ok(kb->btf, id))
		return krsi_err_ptr(-EINVAL);
	return btf__type_by_id(kb->btf, id);
}

int krsi_btf__kind(const struct krsi_btf *kb, __u32 type_id)
{
	const struct btf_type *t = type_of(kb, type_id);

	return t ? (int)btf_kind(t) : -EINVAL;
}

const char *krsi_btf__name(const struct krsi_btf *kb, __u32 type_id)
{
	const struct btf_type *t = type_of(kb, type_id);

	return t ? btf__name_by_offset(kb->btf, t->name_off) : NULL;
}

/* Follow typedefs and qualifiers to a struct or union; NULL otherwise. */
static const struct btf_type *composite_of(const struct krsi_btf *kb, __u32 id)
{
	const struct btf_type *t = type_of(kb, id);
	int resolved;

	if (!t)
		return NULL;
	resolved = btf__resolve_type(kb->btf, id);
	if (resolved >= 0)
		t = btf__type_by_id(kb->btf, resolved);
	if (!btf_is_composite(t))
		return krsi_err_ptr(-EINVAL);
	return t;
}

int krsi_btf__member_count(const struct krsi_btf *kb, __u32 type_id)
{
	const struct btf_type *t = composite_of(kb, type_id);

	return t ? btf_vlen(t) : -EINVAL;
}

static void fill_member(const struct krsi_btf *kb, const struct btf_type *t,
			unsigned int i, __u32 base, struct krsi_btf_member *out)
{
	const struct btf_member *m = &btf_members(t)[i];

	out->name = btf__name_by_offset(kb->btf, m->name_off);
	out->type_id = m->type;
	out->bit_offset = base + btf_member_bit_offset(t, i);
	out->bitfield_size = btf_member_bitfield_size(t, i);
}

static bool member_out_ok(const struct krsi_btf_member *out)
{
	return out &&
	       out->sz >= offsetofend(struct krsi_btf_member, bitfield_size);
}

int krsi_btf__member(const struct krsi_btf *kb, __u32 type_id,
		     unsigned int index, struct krsi_btf_member *member)
{
	const struct btf_type *t;

	if (!member_out_ok(member))
		return krsi_err(-EINVAL);
	t = composite_of(kb, type_id);
	if (!t)
		return -EINVAL;
	if (index >= btf_vlen(t))
		return krsi_err(-ENOENT);
	fill_member(kb, t, index, 0, member);
	return 0;
}

/* Search T and, like C, its anonymous members; DEPTH bounds the search. */
static bool find_member(const struct krsi_btf *kb, const struct btf_type *t,
			const char *name, __u32 base, int depth,
			struct krsi_btf_member *out)
{
	const struct btf_type *inner;
	const struct btf_member *m;
	unsigned int i;

	if (depth > 32)
		return false;
	for (i = 0; i < btf_vlen(t); i++) {
		m = &btf_members(t)[i];
		if (m->name_off) {
			if (!strcmp(btf__name_by_offset(kb->btf, m->name_off),
				    name)) {
				fill_member(kb, t, i, base, out);
				return true;
			}
			continue;
		}
		inner = btf__type_by_id(kb->btf, m->type);
		if (btf_is_composite(inner) &&
		    find_member(kb, inner, name,
				base + btf_member_bit_offset(t, i), depth + 1,
				out))
			return true;
	}
	return false;
}

int krsi_btf__find_member(const struct krsi_btf *kb, __u32 type_id,
			  const char *name, struct krsi_btf_member *member)
{
	const struct btf_type *t;

	if (!name || !member_out_ok(member))
		return krsi_err(-EINVAL);
	t = composite_of(kb, type_id);
	if (!t)
		return -EINVAL;
	return find_member(kb, t, name, 0, 0, member) ? 0 : krsi_err(-ENOENT);
}

/* The I-th enumerator of an enum or enum64 T. */
static const char *enumerator(const struct btf *btf, const struct btf_type *t,
			      unsigned int i, long long *value)
{
	if (btf_is_enum64(t)) {
		*value = (long long)btf_enum64_value(&btf_enum64(t)[i]);
		return btf__name_by_offset(btf, btf_enum64(t)[i].name_off);
	}
	if (btf_kflag(t))
		*value = btf_enum(t)[i].val; /* signed */
	else
		*value = (__u32)btf_enum(t)[i].val;
	return btf__name_by_offset(btf, btf_enum(t)[i].name_off);
}

static bool enum_lookup(const struct btf *btf, const struct btf_type *t,
			const char *name, long long *value)
{
	unsigned int i;

	for (i = 0; i < btf_vlen(t); i++)
		if (!strcmp(enumerator(btf, t, i, value), name))
			return true;
	return false;
}

int krsi_btf__enum_value(const struct krsi_btf *kb, __u32 type_id,
			 const char *name, long long *value)
{
	const struct btf_type *t;
	__u32 id, n;
	int resolved;

	if (!kb || !name || !value)
		return krsi_err(-EINVAL);
	if (type_id) {
		t = type_of(kb, type_id);
		if (!t)
			return -EINVAL;
		resolved = btf__resolve_type(kb->btf, type_id);
		if (resolved >= 0)
			t = btf__type_by_id(kb->btf, resolved);
		if (!btf_is_any_enum(t))
			return krsi_err(-EINVAL);
		return enum_lookup(kb->btf, t, name, value) ? 0
							    : krsi_err(-ENOENT);
	}
	n = btf__type_cnt(kb->btf);
	for (id = 1; id < n; id++) {
		t = btf__type_by_id(kb->btf, id);
		if (btf_is_any_enum(t) && enum_lookup(kb->btf, t, name, value))
			return 0;
	}
	return krsi_err(-ENOENT);
}

/* --- rendering as C --------------------------------------------------- */

int krsi_btf_emit_decl(const struct krsi_btf *kb, __u32 type_id,
		       const char *name, int indent, struct strbuf *sb)
{
	struct krsi_btf *mkb = (struct krsi_btf *)kb;
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts,
		    .field_name = name ? name : "", .indent_level = indent);
	int err;

	sb_reset(&mkb->out);
	err = btf_dump__emit_type_decl(mkb->dump, type_id, &opts);
	if (err)
		return err;
	if (!sb_str(&mkb->out))
		return -ENOMEM;
	sb_printf(sb, "%s", sb_str(&mkb->out));
	return 0;
}

static void indent(struct strbuf *sb, int level)
{
	while (level-- > 0)
		sb_printf(sb, "\t");
}

static void emit_composite(const struct krsi_btf *kb, const struct btf_type *t,
			   __u32 base, int level, struct strbuf *sb);

/* Member I of T, whose offset is BASE bits into the outermost type. */
static void emit_member(const struct krsi_btf *kb, const struct btf_type *t,
			unsigned int i, __u32 base, int level,
			struct strbuf *sb)
{
	const struct btf_member *m = &btf_members(t)[i];
	const struct btf_type *mt = btf__type_by_id(kb->btf, m->type);
	__u32 off = base + btf_member_bit_offset(t, i);
	__u32 bits = btf_member_bitfield_size(t, i);
	__s64 size = btf__resolve_size(kb->btf, m->type);

	indent(sb, level);
	if (btf_is_composite(mt) && !mt->name_off && level < 32) {
		emit_composite(kb, mt, off, level, sb);
		if (m->name_off)
			sb_printf(sb, " %s",
				  btf__name_by_offset(kb->btf, m->name_off));
	} else if (krsi_btf_emit_decl(kb, m->type,
				      btf__name_by_offset(kb->btf, m->name_off),
				      level, sb)) {
		sb_printf(sb, "/* type %u */", m->type);
	}
	if (bits)
		sb_printf(sb, ":%u;\t/* offset %u bit %u, %u bit%s */\n", bits,
			  off / 8, off % 8, bits, bits == 1 ? "" : "s");
	else if (size >= 0)
		sb_printf(sb, ";\t/* offset %u, size %lld */\n", off / 8,
			  (long long)size);
	else
		sb_printf(sb, ";\t/* offset %u */\n", off / 8);
}

static void emit_composite(const struct krsi_btf *kb, const struct btf_type *t,
			   __u32 base, int level, struct strbuf *sb)
{
	unsigned int i;

	sb_printf(sb, "%s%s%s {\n", btf_is_struct(t) ? "struct" : "union",
		  t->name_off ? " " : "",
		  btf__name_by_offset(kb->btf, t->name_off));
	for (i = 0; i < btf_vlen(t); i++)
		emit_member(kb, t, i, base, level + 1, sb);
	indent(sb, level);
	sb_printf(sb, "}");
}

static void emit_enum(const struct krsi_btf *kb, const struct btf_type *t,
		      struct strbuf *sb)
{
	const char *name;
	long long value;
	unsigned int i;

	sb_printf(sb, "enum %s {\n", btf__name_by_offset(kb->btf, t->name_off));
	for (i = 0; i < btf_vlen(t); i++) {
		name = enumerator(kb->btf, t, i, &value);
		if (btf_kflag(t))
			sb_printf(sb, "\t%s = %lld,\n", name, value);
		else
			sb_printf(sb, "\t%s = %llu,\n", name,
				  (unsigned long long)value);
	}
	sb_printf(sb, "};\t/* size %u */", t->size);
}

static int emit_type(const struct krsi_btf *kb, __u32 id, struct strbuf *sb)
{
	const struct btf_type *t = btf__type_by_id(kb->btf, id);
	const char *name = btf__name_by_offset(kb->btf, t->name_off);

	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		emit_composite(kb, t, 0, 0, sb);
		sb_printf(sb, ";\t/* size %u */", t->size);
		return 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		emit_enum(kb, t, sb);
		return 0;
	case BTF_KIND_FWD:
		sb_printf(sb, "%s %s;", btf_kflag(t) ? "union" : "struct",
			  name);
		return 0;
	case BTF_KIND_TYPEDEF:
		sb_printf(sb, "typedef ");
		if (krsi_btf_emit_decl(kb, t->type, name, 0, sb))
			return -EINVAL;
		sb_printf(sb, ";");
		return 0;
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
		if (krsi_btf_emit_decl(kb, t->type, name, 0, sb))
			return -EINVAL;
		sb_printf(sb, ";");
		return 0;
	default:
		return krsi_btf_emit_decl(kb, id, NULL, 0, sb) ? -EINVAL : 0;
	}
}

/* Copy SB into BUF as snprintf() would, returning its length or -errno. */
static int sb_copy_out(struct strbuf *sb, int err, char *buf, size_t size)
{
	const char *s = sb_str(sb);
	size_t len, n;

	if (!err && !s)
		err = -ENOMEM;
	if (err) {
		sb_free(sb);
		return krsi_err(err);
	}
	len = strlen(s);
	if (size) {
		n = len < size ? len : size - 1;
		memcpy(buf, s, n);
		buf[n] = '\0';
	}
	sb_free(sb);
	return len > (size_t)0x7fffffff ? krsi_err(-ENOMEM) : (int)len;
}

int krsi_btf__format(const struct krsi_btf *kb, __u32 type_id, char *buf,
		     size_t size)
{
	struct strbuf sb = {};

	if (!type_of(kb, type_id) || (!buf && size))
		return krsi_err(-EINVAL);
	return sb_copy_out(&sb, emit_type(kb, type_id, &sb), buf, size);
}

int krsi_btf__format_decl(const struct krsi_btf *kb, __u32 type_id,
			  const char *name, char *buf, size_t size)
{
	struct strbuf sb = {};

	if (!type_of(kb, type_id) || (!buf && size))
		return krsi_err(-EINVAL);
	return sb_copy_out(&sb, krsi_btf_emit_decl(kb, type_id, name, 0, &sb),
			   buf, size);
}
