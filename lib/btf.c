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
#include <pthread.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <krsi/btf.h>

#include "internal.h"
#include "strbuf.h"

#define SYSFS_BTF "/sys/kernel/btf/vmlinux"

struct krsi_btf {
	struct btf *btf;
	/* Rendering as C: made on first use, serialised by the lock. */
	pthread_mutex_t lock;
	struct btf_dump *dump;
	struct strbuf out; /* where dump prints */
};

static bool id_ok(const struct btf *btf, __u32 id)
{
	return id < btf__type_cnt(btf);
}

/* What the check compares against, read once. */
struct limits {
	__u32 types; /* type ids run below this */
	__u32 strs; /* string offsets run below this */
};

#define BAD_ID(lim, id) ((id) >= (lim)->types)
#define BAD_STR(lim, off) ((off) >= (lim)->strs)

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
static bool type_ok(const struct btf *btf, const struct limits *lim,
		    const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	const struct btf_param *p = btf_params(t);
	unsigned int i, vlen = btf_vlen(t);
	long long ref;

	if (BAD_STR(lim, t->name_off))
		return false;
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < vlen; i++)
			if (BAD_ID(lim, m[i].type) ||
			    BAD_STR(lim, m[i].name_off))
				return false;
		return true;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < vlen; i++)
			if (BAD_ID(lim, p[i].type) ||
			    BAD_STR(lim, p[i].name_off))
				return false;
		return !BAD_ID(lim, t->type);
	case BTF_KIND_ENUM:
		for (i = 0; i < vlen; i++)
			if (BAD_STR(lim, btf_enum(t)[i].name_off))
				return false;
		return true;
	case BTF_KIND_ENUM64:
		for (i = 0; i < vlen; i++)
			if (BAD_STR(lim, btf_enum64(t)[i].name_off))
				return false;
		return true;
	case BTF_KIND_ARRAY:
		return !BAD_ID(lim, btf_array(t)->type) &&
		       !BAD_ID(lim, btf_array(t)->index_type);
	case BTF_KIND_DATASEC:
		for (i = 0; i < vlen; i++)
			if (BAD_ID(lim, btf_var_secinfos(t)[i].type))
				return false;
		return true;
	case BTF_KIND_FUNC:
		/* A function's type is its prototype: hooks rely on it. */
		return t->type && !BAD_ID(lim, t->type) &&
		       btf_is_func_proto(btf__type_by_id(btf, t->type));
	default:
		ref = inlined_ref(t, 0);
		return ref < 0 || !BAD_ID(lim, ref);
	}
}

/*
 * Depth-first search over inlined references, without recursion (a
 * corrupt file may hold chains as long as it has types): a grey type is
 * on the current path, a black one known to lead to no loop.
 */
enum { WHITE, GREY, BLACK };

struct frame {
	__u32 id;
	__u32 next; /* index of the next reference to follow */
};

static int check_loops(const struct btf *btf, __u32 n)
{
	struct frame *stack = NULL, *grown;
	size_t depth, cap = 0;
	unsigned char *color;
	struct frame *top;
	__u32 root;
	long long ref;
	int err = 0;

	color = calloc(n, 1);
	if (!color)
		return -ENOMEM;
	for (root = 1; root < n && !err; root++) {
		if (color[root] != WHITE)
			continue;
		if (inlined_ref(btf__type_by_id(btf, root), 0) < 0) {
			color[root] = BLACK; /* refers to nothing inlined */
			continue;
		}
		depth = 0;
		ref = root;
		do {
			if (ref >= 0) {
				if (depth == cap) {
					cap = cap ? 2 * cap : 64;
					grown = realloc(stack,
							cap * sizeof(*stack));
					if (!grown) {
						err = -ENOMEM;
						break;
					}
					stack = grown;
				}
				stack[depth++] = (struct frame){ ref, 0 };
				color[ref] = GREY;
			}
			top = &stack[depth - 1];
			ref = inlined_ref(btf__type_by_id(btf, top->id),
					  top->next++);
			if (ref < 0) {
				color[top->id] = BLACK;
				depth--;
			} else if (ref == 0 || color[ref] == BLACK) {
				ref = -1; /* nothing to follow */
			} else if (color[ref] == GREY) {
				pr_warn("BTF type %u refers back to itself through type %lld\n",
					top->id, ref);
				err = -ELOOP;
			}
		} while (depth && !err);
	}
	free(stack);
	free(color);
	return err;
}

static enum btf_endianness host_endianness(void)
{
	return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? BTF_LITTLE_ENDIAN
							 : BTF_BIG_ENDIAN;
}

static int check_btf(const struct btf *btf)
{
	const struct btf_header *hdr;
	struct limits lim;
	__u32 id, size;

	hdr = btf__raw_data(btf, &size);
	if (!hdr)
		return -ENOMEM;
	lim.types = btf__type_cnt(btf);
	/* The raw data keeps the file's byte order; libbpf's types do not. */
	lim.strs = btf__endianness(btf) == host_endianness()
			   ? hdr->str_len
			   : __builtin_bswap32(hdr->str_len);
	for (id = 1; id < lim.types; id++) {
		if (!type_ok(btf, &lim, btf__type_by_id(btf, id))) {
			pr_warn("BTF type %u refers to a type or name that does not exist\n",
				id);
			return -EINVAL;
		}
	}
	return check_loops(btf, lim.types);
}

static void dump_printf(void *ctx, const char *fmt, va_list args)
{
	sb_vprintf(ctx, fmt, args);
}

/*
 * Read BTF from PATH, or the running kernel's. *TRUSTED tells whether it
 * is /sys/kernel/btf/vmlinux, which the kernel checked itself at boot;
 * libbpf's fallbacks (/boot/vmlinux-*) are files like any other.
 */
static struct btf *read_btf(const char *path, bool *trusted)
{
	*trusted = !path && !access(SYSFS_BTF, R_OK);
	if (path)
		return btf__parse(path, NULL);
	return *trusted ? btf__parse_raw(SYSFS_BTF) : btf__load_vmlinux_btf();
}

struct krsi_btf *krsi_btf__load(const struct krsi_btf_opts *opts)
{
	const char *path = OPTS_GET(opts, path, NULL);
	struct krsi_btf *kb;
	bool trusted;
	int err;

	if (!OPTS_VALID(opts, krsi_btf_opts, path))
		return krsi_err_ptr(-EINVAL);
	if (path && access(path, R_OK)) {
		err = -errno;
		pr_warn("cannot read BTF from %s: %s\n", path, strerror(-err));
		return krsi_err_ptr(err);
	}
	kb = calloc(1, sizeof(*kb));
	if (!kb)
		return krsi_err_ptr(-ENOMEM);
	pthread_mutex_init(&kb->lock, NULL);
	kb->btf = read_btf(path, &trusted);
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
			pr_warn("cannot read the running kernel's BTF (%s): %s: the kernel needs CONFIG_DEBUG_INFO_BTF=y\n",
				SYSFS_BTF, strerror(-err));
		}
		goto fail;
	}
	err = trusted ? 0 : check_btf(kb->btf);
	if (err) {
		if (err != -ENOMEM)
			err = -EINVAL;
		pr_warn("BTF from %s is corrupt: refusing it\n",
			path ? path : "the running kernel");
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
	pthread_mutex_destroy(&kb->lock);
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

	pthread_mutex_lock(&mkb->lock);
	if (!mkb->dump) {
		/* btf_dump__new() walks every type: only when needed. */
		mkb->dump =
			btf_dump__new(mkb->btf, dump_printf, &mkb->out, NULL);
		err = libbpf_get_error(mkb->dump);
		if (err) {
			mkb->dump = NULL;
			goto out;
		}
	}
	sb_reset(&mkb->out);
	err = btf_dump__emit_type_decl(mkb->dump, type_id, &opts);
	if (!err && !sb_str(&mkb->out))
		err = -ENOMEM;
	if (!err)
		sb_printf(sb, "%s", sb_str(&mkb->out));
out:
	pthread_mutex_unlock(&mkb->lock);
	return err;
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
