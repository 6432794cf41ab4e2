// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * BTF lookup. libbpf parses the BTF; libkrsi then checks what libbpf 1.1
 * does not (every type reference in range, no loop of references that
 * rendering a declaration would follow forever, no type whose rendering
 * explodes), so a corrupt file is an error, never a crash or a hang.
 */
#include <errno.h>
#include <limits.h>
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

/*
 * The I-th type that T holds by value, or -1 past the last one: members of
 * any struct or union, array elements, what qualifiers and typedefs name.
 * A pointer holds nothing. The kernel refuses BTF where a type holds
 * itself, and so must we: libbpf's btf__align_of() would recurse forever.
 */
static long long contained_ref(const struct btf_type *t, unsigned int i)
{
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return -1;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return i < btf_vlen(t) ? (long long)btf_members(t)[i].type : -1;
	case BTF_KIND_DATASEC:
		return i < btf_vlen(t) ? (long long)btf_var_secinfos(t)[i].type
				       : -1;
	default:
		return inlined_ref(t, i);
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
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		/* a scalar has a size, which libbpf divides by */
		return t->size >= 1 && t->size <= 16;
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
		return t->size >= 1 && t->size <= 8;
	case BTF_KIND_ENUM64:
		for (i = 0; i < vlen; i++)
			if (BAD_STR(lim, btf_enum64(t)[i].name_off))
				return false;
		return t->size >= 1 && t->size <= 8;
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
 * Rendering a type as C prints each type it inlines, once per reference:
 * a corrupt file can share one anonymous type among many members, nest
 * that many times, and make a few bytes of BTF render to terabytes. So
 * each type's rendering is sized, roughly: a line of RENDER_LINE bytes
 * plus its name for each type, member, parameter and enumerator printed.
 * A type rendering to more than RENDER_MAX is refused. By this measure
 * no type of the kernel's own BTF (6.18) takes 500 KiB; the most text any
 * renders to is 23 KiB (union security_list_options).
 */
#define RENDER_LINE 128
#define RENDER_MAX (4ULL << 20)

/* A + B, saturating past RENDER_MAX (both are at most RENDER_MAX + 1). */
static __u64 size_add(__u64 a, __u64 b)
{
	return a + b > RENDER_MAX ? RENDER_MAX + 1 : a + b;
}

static __u64 name_size(const struct btf *btf, __u32 name_off)
{
	return RENDER_LINE + strlen(btf__name_by_offset(btf, name_off));
}

/*
 * libbpf fills the holes of a struct it prints with "long: 64;" lines, a
 * line of 16 bytes or so for every 8 bytes of hole (members lie within
 * their struct: see members_ok()).
 */
static __u64 padding_size(const struct btf_type *t)
{
	return (__u64)t->size * 2;
}

/* The lines T prints itself: its name, and its members, parameters or
 * enumerators when it prints them (when it is the type rendered, ROOT,
 * or anonymous). */
static __u64 own_size(const struct btf *btf, const struct btf_type *t,
		      bool root)
{
	unsigned int i, vlen = btf_vlen(t);
	__u64 n = name_size(btf, t->name_off);

	if (t->name_off && !root && !btf_is_func_proto(t))
		return n;
	if (btf_is_composite(t))
		n = size_add(n, padding_size(t));
	for (i = 0; i < vlen; i++) {
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			n = size_add(
				n, name_size(btf, btf_members(t)[i].name_off));
			break;
		case BTF_KIND_FUNC_PROTO:
			n = size_add(n,
				     name_size(btf, btf_params(t)[i].name_off));
			break;
		case BTF_KIND_ENUM:
			n = size_add(n,
				     name_size(btf, btf_enum(t)[i].name_off));
			break;
		case BTF_KIND_ENUM64:
			n = size_add(n,
				     name_size(btf, btf_enum64(t)[i].name_off));
			break;
		}
	}
	return n;
}

/*
 * Depth-first search over the references REF gives, without recursion (a
 * corrupt file may hold chains as long as it has types). STATE[id] is 0
 * for a type not yet seen, GREY for one on the current path, and otherwise
 * non-zero: with SIZED, the size of its rendering when referenced, summed
 * over inlined references. A loop is an error.
 */
#define GREY ((__u64)-1)

struct frame {
	__u32 id;
	__u32 next; /* index of the next reference to follow */
};

typedef long long (*ref_fn)(const struct btf_type *t, unsigned int i);

/* All of T's references are done: its size, or just "seen". */
static __u64 done(const struct btf *btf, const struct btf_type *t,
		  const __u64 *state, ref_fn ref, bool sized)
{
	__u64 size;
	long long r;
	__u32 i;

	if (!sized)
		return 1;
	size = own_size(btf, t, false);
	for (i = 0; (r = ref(t, i)) >= 0; i++)
		if (r)
			size = size_add(size, state[r]);
	return size;
}

static int check_refs(const struct btf *btf, __u32 n, __u64 *state,
		      ref_fn ref_of, bool sized)
{
	struct frame *stack = NULL, *grown;
	const struct btf_type *t;
	size_t depth, cap = 0;
	struct frame *top;
	long long ref;
	__u32 root;
	int err = 0;

	for (root = 1; root < n && !err; root++) {
		if (state[root])
			continue;
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
				state[ref] = GREY;
			}
			top = &stack[depth - 1];
			t = btf__type_by_id(btf, top->id);
			ref = ref_of(t, top->next++);
			if (ref < 0) {
				state[top->id] =
					done(btf, t, state, ref_of, sized);
				depth--;
			} else if (ref == 0 ||
				   (state[ref] && state[ref] != GREY)) {
				ref = -1; /* nothing to follow */
			} else if (state[ref] == GREY) {
				pr_warn("BTF type %u refers back to itself through type %lld\n",
					top->id, ref);
				err = -ELOOP;
			}
		} while (depth && !err);
	}
	free(stack);
	return err;
}

/*
 * Every member of composite T has a size and lies within T, as the kernel
 * requires of BTF it loads, and T's size in bits fits an int: libbpf
 * computes bit offsets in ints, and a wrapped one would have it print
 * billions of padding lines.
 */
static bool members_ok(const struct btf *btf, __u32 id,
		       const struct btf_type *t)
{
	__u64 end, limit = (__u64)t->size * 8;
	unsigned int i;
	__s64 size;

	if (limit > INT_MAX) {
		pr_warn("BTF type %u is a struct or union of %u bytes: too large\n",
			id, t->size);
		return false;
	}
	for (i = 0; i < btf_vlen(t); i++) {
		/* libbpf divides by it when printing the struct */
		if (btf__align_of(btf, btf_members(t)[i].type) <= 0) {
			pr_warn("BTF type %u: member %u has a type without a size\n",
				id, i);
			return false;
		}
		end = btf_member_bitfield_size(t, i);
		if (!end) {
			size = btf__resolve_size(btf, btf_members(t)[i].type);
			end = size > 0 ? (__u64)size * 8 : 0;
		}
		end += btf_member_bit_offset(t, i);
		if (end > limit) {
			pr_warn("BTF type %u: member %u ends at bit %llu, past the end of its struct or union (%u bytes)\n",
				id, i, (unsigned long long)end, t->size);
			return false;
		}
	}
	return true;
}

/* Rendering any type, by itself or in a declaration, stays small. */
static int check_sizes(const struct btf *btf, __u32 n)
{
	const struct btf_member *m;
	const struct btf_type *t;
	__u64 *size, root, most = 0;
	__u32 id, i, largest = 0;
	int err;

	size = calloc(n, sizeof(*size));
	if (!size)
		return -ENOMEM;
	err = check_refs(btf, n, size, contained_ref, false);
	if (!err) {
		memset(size, 0, n * sizeof(*size));
		err = check_refs(btf, n, size, inlined_ref, true);
	}
	for (id = 1; id < n && !err; id++) {
		t = btf__type_by_id(btf, id);
		root = size[id];
		if (btf_is_composite(t) && !members_ok(btf, id, t)) {
			err = -EINVAL;
			break;
		}
		if (btf_is_composite(t)) {
			/* krsi_btf__format() prints the members of a named
			 * struct too */
			root = own_size(btf, t, true);
			m = btf_members(t);
			for (i = 0; i < btf_vlen(t); i++)
				root = size_add(
					root, m[i].type ? size[m[i].type] : 0);
		}
		if (root > most) {
			most = root;
			largest = id;
		}
		if (root > RENDER_MAX) {
			pr_warn("BTF type %u would render to more than %llu MiB of C\n",
				id, RENDER_MAX >> 20);
			err = -E2BIG;
		}
	}
	if (!err)
		pr_debug(
			"BTF checked: %u types, the largest (type %u) renders to about %llu KiB of C\n",
			n - 1, largest, most >> 10);
	free(size);
	return err;
}

static enum btf_endianness host_endianness(void)
{
	return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? BTF_LITTLE_ENDIAN
							 : BTF_BIG_ENDIAN;
}

int krsi_btf_check(const struct btf *btf)
{
	const struct btf_header *hdr;
	struct limits lim;
	__u32 id, size, types_at;
	bool swap;

	hdr = btf__raw_data(btf, &size);
	if (!hdr)
		return -ENOMEM;
	lim.types = btf__type_cnt(btf);
	/* The raw data keeps the file's byte order; libbpf's types do not. */
	swap = btf__endianness(btf) != host_endianness();
	lim.strs = swap ? __builtin_bswap32(hdr->str_len) : hdr->str_len;
	types_at = swap ? __builtin_bswap32(hdr->hdr_len) +
				   __builtin_bswap32(hdr->type_off)
			: hdr->hdr_len + hdr->type_off;
	if (types_at % sizeof(__u32)) {
		/* as the kernel refuses it: types are read as 4-byte words */
		pr_warn("BTF types start at byte %u, not on a 4-byte boundary\n",
			types_at);
		return -EINVAL;
	}
	for (id = 1; id < lim.types; id++) {
		if (!type_ok(btf, &lim, btf__type_by_id(btf, id))) {
			pr_warn("BTF type %u refers to a type or name that does not exist\n",
				id);
			return -EINVAL;
		}
	}
	return check_sizes(btf, lim.types);
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
	err = path ? krsi_elf_check_file(path) : 0;
	if (err)
		return krsi_err_ptr(err);
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
	err = trusted ? 0 : krsi_btf_check(kb->btf);
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
	if (!*name)
		return krsi_err(-ENOENT); /* anonymous types have no name */
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
