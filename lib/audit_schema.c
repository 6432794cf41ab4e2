// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Event types from BTF: find a program's KRSI_EVENT_TYPE() declarations and
 * compile, once per type, the walk of its payload struct into a flat list
 * of rendering steps (struct audit_op), so formatting an event is a loop
 * over precomputed steps with precomputed keys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "audit_internal.h"

#define EVENT_VAR_PREFIX "__krsi_event__"
#define FORMAT_TAG_PREFIX "krsi.format:"
/* Limits that keep a bad or hostile BTF from making us build forever. */
#define MAX_DEPTH 32
#define MAX_OPS 65536
#define MAX_KEY 512

/* --- an arena: the schema's strings, tables and steps, freed at once ------ */

struct audit_arena {
	struct audit_arena *next;
	size_t used;
	size_t cap;
	char data[];
};

static void *arena_alloc(struct audit_arena **arena, size_t n)
{
	struct audit_arena *a = *arena;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!a || a->cap - a->used < n) {
		size_t cap = n > 16384 ? n : 16384;

		a = malloc(sizeof(*a) + cap);
		if (!a)
			return NULL;
		a->next = *arena;
		a->used = 0;
		a->cap = cap;
		*arena = a;
	}
	p = a->data + a->used;
	a->used += n;
	return p;
}

static char *arena_strndup(struct audit_arena **arena, const char *s, size_t n)
{
	char *p = arena_alloc(arena, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void arena_free(struct audit_arena *a)
{
	while (a) {
		struct audit_arena *next = a->next;

		free(a);
		a = next;
	}
}

/* --- compiling one payload ------------------------------------------------ */

enum field_format { FMT_NONE, FMT_PATH, FMT_IPV4, FMT_IPV6, FMT_HEX };

struct format_tag {
	__u32 struct_id;
	int member;
	enum field_format format;
};

struct builder {
	const struct btf *btf;
	struct audit_schema *schema;
	const char *event; /* for messages */
	struct format_tag *tags;
	int nr_tags;
	struct audit_op *ops;
	int nr_ops;
	int cap_ops;
	size_t bound;
	/* The dotted text key of the value being compiled, and where the
	 * JSON key goes: after a comma or not, or none inside arrays. */
	char path[MAX_KEY];
	size_t path_len;
	int err; /* why add_op() failed */
};

/* Keys the text format uses for header fields: a payload field of the
 * same name is written as data.NAME there. */
static const char *const header_keys[] = {
	"type", "msg", "hook", "policy", "verdict", "errno", "mode",   "cpu",
	"pid",	"tid", "uid",  "gid",	 "euid",    "auid",  "cgroup", "comm",
};

static bool is_header_key(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(header_keys) / sizeof(header_keys[0]); i++)
		if (strcmp(name, header_keys[i]) == 0)
			return true;
	return false;
}

static const struct btf_type *skip_mods(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static struct audit_op *add_op(struct builder *b, enum audit_op_kind kind,
			       __u32 off, const char *jkey, size_t jkey_len,
			       const char *tkey, size_t tkey_len)
{
	struct audit_arena **arena = &b->schema->arena;
	struct audit_op *op;

	b->err = -ENOMEM;
	if (b->nr_ops == MAX_OPS) {
		pr_warn("event %s: its payload has more than %d fields to render: mark large arrays KRSI_HEX\n",
			b->event, MAX_OPS);
		b->err = -EINVAL;
		return NULL;
	}
	if (b->nr_ops == b->cap_ops) {
		int cap = b->cap_ops ? 2 * b->cap_ops : 32;
		void *ops = realloc(b->ops, cap * sizeof(*b->ops));

		if (!ops)
			return NULL;
		b->ops = ops;
		b->cap_ops = cap;
	}
	op = &b->ops[b->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->off = off;
	op->jkey = arena_strndup(arena, jkey, jkey_len);
	op->tkey = arena_strndup(arena, tkey, tkey_len);
	if (!op->jkey || !op->tkey)
		return NULL;
	op->jkey_len = jkey_len;
	op->tkey_len = tkey_len;
	b->bound += jkey_len + tkey_len;
	return op;
}

static enum field_format find_format(const struct builder *b, __u32 struct_id,
				     int member)
{
	int i;

	for (i = 0; i < b->nr_tags; i++)
		if (b->tags[i].struct_id == struct_id &&
		    b->tags[i].member == member)
			return b->tags[i].format;
	return FMT_NONE;
}

static bool is_char(const struct btf *btf, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(btf, t->name_off);

	return btf_is_int(t) && t->size == 1 &&
	       ((btf_int_encoding(t) & BTF_INT_CHAR) ||
		(name && strcmp(name, "char") == 0));
}

static struct audit_enum *compile_enum(struct builder *b,
				       const struct btf_type *t)
{
	struct audit_arena **arena = &b->schema->arena;
	int i, n = btf_vlen(t);
	struct audit_enum *e;
	__u64 mask;

	mask = t->size >= 8 ? ~0ULL : (1ULL << (8 * t->size)) - 1;
	e = arena_alloc(arena, sizeof(*e));
	if (!e)
		return NULL;
	e->vals = arena_alloc(arena, (n ? n : 1) * sizeof(*e->vals));
	if (!e->vals)
		return NULL;
	e->nr = n;
	e->is_signed = btf_kflag(t);
	e->bound = FMT_S64_MAX + 1;
	for (i = 0; i < n; i++) {
		const char *name;
		__u64 v;

		if (btf_is_enum(t)) {
			const struct btf_enum *m = &btf_enum(t)[i];

			name = btf__name_by_offset(b->btf, m->name_off);
			v = (__u64)(__s64)m->val;
			if (m->val < 0)
				e->is_signed = true;
		} else {
			const struct btf_enum64 *m = &btf_enum64(t)[i];

			name = btf__name_by_offset(b->btf, m->name_off);
			v = btf_enum64_value(m);
		}
		e->vals[i].value = (__s64)(v & mask);
		e->vals[i].len = strlen(name);
		e->vals[i].name = arena_strndup(arena, name, e->vals[i].len);
		if (!e->vals[i].name)
			return NULL;
		if (strlen(name) + 2 > e->bound)
			e->bound = strlen(name) + 2;
	}
	return e;
}

static enum audit_op_kind scalar_kind(const struct btf_type *t)
{
	if (btf_is_any_enum(t))
		return OP_ENUM;
	if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL))
		return OP_BOOL;
	if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED))
		return OP_SINT;
	return OP_UINT;
}

struct key {
	const char *j;
	size_t jlen;
	const char *t;
	size_t tlen;
};

static int compile_value(struct builder *b, __u32 type_id, __u32 off,
			 const struct key *k, enum field_format fmt,
			 __u32 bit_off, __u32 bit_size, int depth);

/* The steps of a scalar: an integer, an enum, a pointer. */
static int compile_scalar(struct builder *b, const struct btf_type *t,
			  __u32 off, const struct key *k, __u32 bit_off,
			  __u32 bit_size)
{
	enum audit_op_kind kind = scalar_kind(t);
	struct audit_op *op;

	if (t->size > 8 || (bit_size && bit_off % 8 + bit_size > 64)) {
		/* __int128 and wide bitfields: bytes, not numbers */
		op = add_op(b, OP_HEX, off, k->j, k->jlen, k->t, k->tlen);
		if (!op)
			return b->err;
		op->len = t->size;
		b->bound += 2 * t->size + 2;
		return 0;
	}
	op = add_op(b, kind, off + bit_off / 8, k->j, k->jlen, k->t, k->tlen);
	if (!op)
		return b->err;
	op->size = t->size;
	if (bit_size) {
		op->bit_off = bit_off % 8;
		op->bit_size = bit_size;
		op->size = (op->bit_off + bit_size + 7) / 8;
	}
	if (kind == OP_ENUM) {
		op->enm = compile_enum(b, t);
		if (!op->enm)
			return -ENOMEM;
	}
	b->bound += op->enm ? op->enm->bound : FMT_S64_MAX + 1;
	return 0;
}

/* Append S1 and S2 to the text key of the value being compiled. */
static int path_append(struct builder *b, const char *s1, const char *s2)
{
	if (b->path_len + strlen(s1) + strlen(s2) + 1 > sizeof(b->path)) {
		pr_warn("event %s: the key of field %s%s%s is longer than %d bytes\n",
			b->event, b->path, s1, s2, MAX_KEY);
		return -EINVAL;
	}
	b->path_len += sprintf(b->path + b->path_len, "%s%s", s1, s2);
	return 0;
}

static void path_restore(struct builder *b, size_t len)
{
	b->path_len = len;
	b->path[len] = '\0';
}

/* Build the keys of the current path: `,"NAME":` and ` PATH=`. */
static void make_key(struct builder *b, struct key *k, char *jbuf, char *tbuf,
		     const char *name, bool first, bool in_array)
{
	if (in_array) {
		k->jlen = first ? 0 : 1;
		memcpy(jbuf, ",", k->jlen);
	} else {
		k->jlen = sprintf(jbuf, "%s\"%s\":", first ? "" : ",", name);
	}
	k->j = jbuf;
	k->tlen = sprintf(tbuf, " %s=", b->path);
	k->t = tbuf;
}

static int compile_members(struct builder *b, __u32 struct_id, __u32 off,
			   bool *first, int depth)
{
	const struct btf_type *t = btf__type_by_id(b->btf, struct_id);
	const struct btf_member *m = btf_members(t);
	int i, err;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(b->btf, m->name_off);
		__u32 bit = btf_member_bit_offset(t, i);
		__u32 bits = btf_member_bitfield_size(t, i);
		enum field_format fmt = find_format(b, struct_id, i);
		char jbuf[MAX_KEY + 8], tbuf[MAX_KEY + 8];
		const struct btf_type *mt;
		__u32 mt_id = m->type;
		size_t saved;
		struct key k;

		mt = skip_mods(b->btf, &mt_id);
		if (!mt)
			return -EINVAL;
		if (!name || !*name) {
			/* An anonymous struct or union: its members are
			 * this struct's. */
			if (!btf_is_composite(mt))
				continue;
			err = compile_members(b, mt_id, off + bit / 8, first,
					      depth + 1);
			if (err)
				return err;
			continue;
		}
		if (btf__resolve_size(b->btf, mt_id) == 0)
			continue; /* a flexible or zero-length array */
		saved = b->path_len;
		err = path_append(b,
				  saved			? "."
				  : is_header_key(name) ? "data."
							: "",
				  name);
		if (err)
			return err;
		make_key(b, &k, jbuf, tbuf, name, *first, false);
		err = compile_value(b, mt_id, off + (bits ? 0 : bit / 8), &k,
				    fmt, bits ? bit : 0, bits, depth + 1);
		path_restore(b, saved);
		if (err)
			return err;
		*first = false;
	}
	return 0;
}

static int compile_array(struct builder *b, const struct btf_type *t, __u32 off,
			 const struct key *k, int depth)
{
	const struct btf_array *arr = btf_array(t);
	__u32 elem_id = arr->type, i;
	const struct btf_type *et = skip_mods(b->btf, &elem_id);
	__s64 esz = btf__resolve_size(b->btf, elem_id);
	struct audit_op *op;
	int err;

	if (!et || esz < 0)
		return -EINVAL;
	if (is_char(b->btf, et)) {
		op = add_op(b, OP_STR, off, k->j, k->jlen, k->t, k->tlen);
		if (!op)
			return b->err;
		op->len = arr->nelems;
		b->bound += FMT_STR_MAX(arr->nelems);
		return 0;
	}
	if ((btf_is_int(et) || btf_is_any_enum(et) || btf_is_ptr(et)) &&
	    esz <= 8) {
		/* A list of scalars: one step. */
		op = add_op(b, OP_LIST, off, k->j, k->jlen, k->t, k->tlen);
		if (!op)
			return b->err;
		op->elem = scalar_kind(et);
		op->size = esz;
		op->len = arr->nelems;
		if (op->elem == OP_ENUM) {
			op->enm = compile_enum(b, et);
			if (!op->enm)
				return -ENOMEM;
		}
		b->bound += (size_t)arr->nelems * ((op->enm ? op->enm->bound
							    : FMT_S64_MAX + 1) +
						   1) +
			    2;
		return 0;
	}
	/* Strings, structs, arrays: an array of values. */
	if (!add_op(b, OP_ARR_BEGIN, off, k->j, k->jlen, "", 0))
		return b->err;
	b->bound += 2;
	for (i = 0; i < arr->nelems; i++) {
		char jbuf[4], tbuf[MAX_KEY + 8], idx[16];
		size_t saved = b->path_len;
		struct key ek;

		snprintf(idx, sizeof(idx), "[%u]", i);
		err = path_append(b, idx, "");
		if (err)
			return err;
		make_key(b, &ek, jbuf, tbuf, NULL, i == 0, true);
		err = compile_value(b, elem_id, off + i * esz, &ek, FMT_NONE, 0,
				    0, depth + 1);
		path_restore(b, saved);
		if (err)
			return err;
	}
	if (!add_op(b, OP_ARR_END, off, "", 0, "", 0))
		return b->err;
	return 0;
}

/* Steps for a marked field. */
static int compile_marked(struct builder *b, const struct btf_type *t,
			  __u32 type_id, __u32 off, const struct key *k,
			  enum field_format fmt)
{
	__s64 size = btf__resolve_size(b->btf, type_id);
	static const char *const names[] = {
		[FMT_PATH] = "KRSI_PATH",
		[FMT_IPV4] = "KRSI_IPV4",
		[FMT_IPV6] = "KRSI_IPV6",
		[FMT_HEX] = "KRSI_HEX",
	};
	enum audit_op_kind kind;
	struct audit_op *op;
	bool ok;

	switch (fmt) {
	case FMT_PATH: {
		__u32 elem_id = btf_is_array(t) ? btf_array(t)->type : 0;
		const struct btf_type *et =
			elem_id ? skip_mods(b->btf, &elem_id) : NULL;

		ok = et && btf__resolve_size(b->btf, elem_id) == 1;
		kind = OP_STR;
		break;
	}
	case FMT_IPV4:
		ok = size == 4;
		kind = OP_IPV4;
		break;
	case FMT_IPV6:
		ok = size == 16;
		kind = OP_IPV6;
		break;
	default:
		ok = size > 0;
		kind = OP_HEX;
		break;
	}
	if (!ok) {
		pr_warn("event %s: field %s is marked %s but is %lld bytes of BTF kind %u: use a %s\n",
			b->event, b->path, names[fmt], (long long)size,
			btf_kind(t),
			fmt == FMT_PATH	  ? "char or byte array"
			: fmt == FMT_IPV4 ? "4-byte field (__u32 or __u8[4])"
			: fmt == FMT_IPV6 ? "16-byte field (__u8[16])"
					  : "field with bytes");
		return -EINVAL;
	}
	op = add_op(b, kind, off, k->j, k->jlen, k->t, k->tlen);
	if (!op)
		return b->err;
	op->len = size;
	b->bound += FMT_STR_MAX(size) + FMT_IPV6_MAX;
	return 0;
}

static int compile_value(struct builder *b, __u32 type_id, __u32 off,
			 const struct key *k, enum field_format fmt,
			 __u32 bit_off, __u32 bit_size, int depth)
{
	const struct btf_type *t = skip_mods(b->btf, &type_id);
	bool first = true;
	int err;

	if (!t || depth > MAX_DEPTH) {
		pr_warn("event %s: field %s has a broken or too deep type\n",
			b->event, b->path);
		return -EINVAL;
	}
	if (fmt != FMT_NONE) {
		if (bit_size) {
			pr_warn("event %s: bitfield %s cannot be marked\n",
				b->event, b->path);
			return -EINVAL;
		}
		return compile_marked(b, t, type_id, off, k, fmt);
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_PTR:
		return compile_scalar(b, t, off, k, bit_off, bit_size);
	case BTF_KIND_ARRAY:
		return compile_array(b, t, off, k, depth);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (!add_op(b, OP_OBJ_BEGIN, off, k->j, k->jlen, "", 0))
			return b->err;
		err = compile_members(b, type_id, off, &first, depth);
		if (err)
			return err;
		if (!add_op(b, OP_OBJ_END, off, "", 0, "", 0))
			return b->err;
		b->bound += 2;
		return 0;
	default:
		/* floats and anything else: their bytes */
		return compile_marked(b, t, type_id, off, k, FMT_HEX);
	}
}

/* --- finding the declarations --------------------------------------------- */

static int collect_tags(struct builder *b)
{
	__u32 id, n = btf__type_cnt(b->btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);
		const char *v, *f;
		enum field_format fmt;
		void *tags;

		if (!btf_is_decl_tag(t))
			continue;
		v = btf__name_by_offset(b->btf, t->name_off);
		if (!v || strncmp(v, FORMAT_TAG_PREFIX,
				  strlen(FORMAT_TAG_PREFIX)) != 0)
			continue;
		f = v + strlen(FORMAT_TAG_PREFIX);
		if (strcmp(f, "path") == 0)
			fmt = FMT_PATH;
		else if (strcmp(f, "ipv4") == 0)
			fmt = FMT_IPV4;
		else if (strcmp(f, "ipv6") == 0)
			fmt = FMT_IPV6;
		else if (strcmp(f, "hex") == 0)
			fmt = FMT_HEX;
		else {
			pr_warn("BTF tag \"%s\" names an unknown field format: this libkrsi knows path, ipv4, ipv6 and hex\n",
				v);
			return -EINVAL;
		}
		tags = realloc(b->tags, (b->nr_tags + 1) * sizeof(*b->tags));
		if (!tags)
			return -ENOMEM;
		b->tags = tags;
		b->tags[b->nr_tags].struct_id = t->type;
		b->tags[b->nr_tags].member = btf_decl_tag(t)->component_idx;
		b->tags[b->nr_tags++].format = fmt;
	}
	return 0;
}

/*
 * Read a declaration: struct { int (*type)[NR]; PAYLOAD payload[0]; }.
 * Returns the payload's type id and sets *nr, or 0 if malformed.
 */
static __u32 read_declaration(const struct btf *btf, __u32 var_type, __u32 *nr)
{
	const struct btf_type *t = skip_mods(btf, &var_type), *p;
	const struct btf_member *m;
	__u32 id;

	if (!t || !btf_is_struct(t) || btf_vlen(t) != 2)
		return 0;
	m = btf_members(t);
	id = m[0].type;
	p = skip_mods(btf, &id);
	if (!p || !btf_is_ptr(p))
		return 0;
	id = p->type;
	p = skip_mods(btf, &id);
	if (!p || !btf_is_array(p))
		return 0;
	*nr = btf_array(p)->nelems;
	id = m[1].type;
	p = skip_mods(btf, &id);
	if (!p || !btf_is_array(p) || btf_array(p)->nelems != 0)
		return 0;
	id = btf_array(p)->type;
	p = skip_mods(btf, &id);
	return p && btf_is_composite(p) ? id : 0;
}

static int compile_type(struct builder *b, struct audit_type *type,
			const char *name, __u32 nr, __u32 payload_id)
{
	struct audit_arena **arena = &b->schema->arena;
	bool first = true;
	char *upper;
	size_t i;
	int err;

	b->event = name;
	b->nr_ops = 0;
	b->bound = 0;
	b->path_len = 0;
	b->path[0] = '\0';
	err = compile_members(b, payload_id, 0, &first, 0);
	if (err)
		return err;
	type->type = nr;
	type->name = arena_strndup(arena, name, strlen(name));
	upper = arena_alloc(arena, strlen(name) + 6);
	type->ops = arena_alloc(arena,
				(b->nr_ops ? b->nr_ops : 1) * sizeof(*b->ops));
	if (!type->name || !upper || !type->ops)
		return -ENOMEM;
	strcpy(upper, "KRSI_");
	for (i = 0; name[i]; i++)
		upper[5 + i] = name[i] >= 'a' && name[i] <= 'z'
				       ? name[i] - 'a' + 'A'
				       : name[i];
	upper[5 + i] = '\0';
	type->text_type = upper;
	memcpy(type->ops, b->ops, b->nr_ops * sizeof(*b->ops));
	type->nr_ops = b->nr_ops;
	type->payload_size = btf__resolve_size(b->btf, payload_id);
	type->bound = b->bound + 2 * strlen(name) + 16;
	return 0;
}

static int cmp_type(const void *a, const void *b)
{
	const struct audit_type *x = a, *y = b;

	return x->type < y->type ? -1 : x->type > y->type;
}

static int add_declaration(struct builder *b, const char *name, __u32 nr,
			   __u32 payload_id)
{
	struct audit_schema *s = b->schema;
	struct audit_type *types;
	int i;

	if (nr >= KRSI_EVENT_TYPE_RESERVED) {
		pr_warn("event %s: type %u is in the range libkrsi reserves (from %#x)\n",
			name, nr, KRSI_EVENT_TYPE_RESERVED);
		return -EINVAL;
	}
	for (i = 0; i < s->nr_types; i++) {
		if (s->types[i].type != nr)
			continue;
		if (strcmp(s->types[i].name, name) == 0)
			return 0; /* the same declaration, linked twice */
		pr_warn("events %s and %s both declare type %u: give each event type its own number\n",
			s->types[i].name, name, nr);
		return -EINVAL;
	}
	types = realloc(s->types, (s->nr_types + 1) * sizeof(*types));
	if (!types)
		return -ENOMEM;
	s->types = types;
	memset(&types[s->nr_types], 0, sizeof(*types));
	return compile_type(b, &types[s->nr_types++], name, nr, payload_id);
}

int audit_schema_new(const struct btf *btf, struct audit_schema **out)
{
	struct builder b = { .btf = btf };
	struct audit_schema *s;
	__u32 id, n;
	int err = 0, i;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	b.schema = s;
	n = btf ? btf__type_cnt(btf) : 0;
	if (btf)
		err = collect_tags(&b);
	for (id = 1; !err && id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name, *ev;
		__u32 nr = 0, payload_id;

		if (!btf_is_var(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		ev = name ? strstr(name, EVENT_VAR_PREFIX) : NULL;
		if (!ev)
			continue;
		ev += strlen(EVENT_VAR_PREFIX);
		payload_id = read_declaration(btf, t->type, &nr);
		if (!payload_id) {
			pr_warn("%s is not a KRSI_EVENT_TYPE() declaration: declare event types with that macro\n",
				name);
			err = -EINVAL;
			break;
		}
		err = add_declaration(&b, ev, nr, payload_id);
	}
	free(b.ops);
	free(b.tags);
	if (err) {
		audit_schema_free(s);
		return err;
	}
	if (s->nr_types) /* qsort() takes no NULL, even for nothing */
		qsort(s->types, s->nr_types, sizeof(*s->types), cmp_type);
	for (i = 0; i < s->nr_types; i++)
		if (s->types[i].type < AUDIT_SMALL_TYPES)
			s->small[s->types[i].type] = &s->types[i];
	*out = s;
	return 0;
}

void audit_schema_free(struct audit_schema *s)
{
	if (!s)
		return;
	arena_free(s->arena);
	free(s->types);
	free(s);
}
