// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Does a pinned map match an object's map? Type, sizes, flags and BTF. */
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "internal.h"

/* Deep enough for any map value; deeper levels are taken as equal. */
#define BTF_MAX_DEPTH 16

static const struct btf_type *skip_mods(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static bool same_name(const struct btf *a, __u32 na, const struct btf *b,
		      __u32 nb)
{
	return strcmp(btf__name_by_offset(a, na) ?: "",
		      btf__name_by_offset(b, nb) ?: "") == 0;
}

/* Why two types differ, when it is worth more than "the layout differs". */
#define WHY_MAX 160

static const char *name_of(const struct btf *btf, __u32 off)
{
	return btf__name_by_offset(btf, off) ?: "";
}

/* Whether enums TA of A and TB of B (same kind and count) have the same
 * enumerators with the same values; the first difference into WHY. */
static bool same_enum(const struct btf *a, const struct btf_type *ta,
		      const struct btf *b, const struct btf_type *tb, char *why)
{
	bool is64 = btf_is_enum64(ta);
	long long va, vb;
	__u32 na, nb;
	int i;

	if (ta->size != tb->size)
		return false;
	for (i = 0; i < btf_vlen(ta); i++) {
		na = is64 ? btf_enum64(ta)[i].name_off
			  : btf_enum(ta)[i].name_off;
		nb = is64 ? btf_enum64(tb)[i].name_off
			  : btf_enum(tb)[i].name_off;
		va = is64 ? (long long)btf_enum64_value(&btf_enum64(ta)[i])
			  : btf_enum(ta)[i].val;
		vb = is64 ? (long long)btf_enum64_value(&btf_enum64(tb)[i])
			  : btf_enum(tb)[i].val;
		if (same_name(a, na, b, nb) && va == vb)
			continue;
		snprintf(
			why, WHY_MAX,
			"enum %s: %s is %lld in the installed policy, %s is %lld in the object",
			name_of(a, ta->name_off)[0] ? name_of(a, ta->name_off)
						    : "(anonymous)",
			name_of(a, na), va, name_of(b, nb), vb);
		return false;
	}
	return true;
}

/* Whether type IA of A and type IB of B have the same memory layout, and
 * enums the same values; WHY may say why not. */
static bool same_layout(const struct btf *a, __u32 ia, const struct btf *b,
			__u32 ib, int depth, char *why)
{
	const struct btf_type *ta = skip_mods(a, &ia), *tb = skip_mods(b, &ib);
	const struct btf_var_secinfo *va, *vb;
	const struct btf_member *ma, *mb;
	int i;

	if (!ta || !tb)
		return ta == tb;
	if (depth > BTF_MAX_DEPTH)
		return true;
	if (btf_kind(ta) != btf_kind(tb) || btf_vlen(ta) != btf_vlen(tb))
		return false;
	switch (btf_kind(ta)) {
	case BTF_KIND_INT:
		return ta->size == tb->size &&
		       *(const __u32 *)(ta + 1) == *(const __u32 *)(tb + 1);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		/* the values mean something: renumbered, they change meaning */
		return same_enum(a, ta, b, tb, why);
	case BTF_KIND_FLOAT:
		return ta->size == tb->size;
	case BTF_KIND_ARRAY:
		return btf_array(ta)->nelems == btf_array(tb)->nelems &&
		       same_layout(a, btf_array(ta)->type, b,
				   btf_array(tb)->type, depth + 1, why);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (ta->size != tb->size)
			return false;
		ma = btf_members(ta);
		mb = btf_members(tb);
		for (i = 0; i < btf_vlen(ta); i++, ma++, mb++) {
			if (!same_name(a, ma->name_off, b, mb->name_off) ||
			    ma->offset != mb->offset ||
			    !same_layout(a, ma->type, b, mb->type, depth + 1,
					 why))
				return false;
		}
		return true;
	case BTF_KIND_DATASEC:
		va = btf_var_secinfos(ta);
		vb = btf_var_secinfos(tb);
		for (i = 0; i < btf_vlen(ta); i++, va++, vb++) {
			if (va->offset != vb->offset || va->size != vb->size ||
			    !same_layout(a, va->type, b, vb->type, depth + 1,
					 why))
				return false;
		}
		return true;
	case BTF_KIND_VAR:
		return same_name(a, ta->name_off, b, tb->name_off) &&
		       same_layout(a, ta->type, b, tb->type, depth + 1, why);
	default: /* pointers, functions, forward declarations */
		return true;
	}
}

#define DIFF(what, installed, object)                                        \
	do {                                                                 \
		if ((installed) != (object)) {                               \
			pr_warn("policy '%s': map '%s': " what               \
				" is %u in the installed policy, %u in the " \
				"object\n",                                  \
				policy, name, (unsigned int)(installed),     \
				(unsigned int)(object));                     \
			diffs++;                                             \
		}                                                            \
	} while (0)

int krsi_map_match(int fd, const struct bpf_map *map, const char *name,
		   const struct btf *btf, const char *policy)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char why[WHY_MAX] = "";
	struct btf *pinned;
	int diffs = 0;

	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		pr_warn("policy '%s': map '%s': cannot read the pinned map: %s\n",
			policy, name, strerror(errno));
		return krsi_err(-errno);
	}
	DIFF("type", info.type, bpf_map__type(map));
	DIFF("key size", info.key_size, bpf_map__key_size(map));
	DIFF("value size", info.value_size, bpf_map__value_size(map));
	DIFF("max_entries", info.max_entries, bpf_map__max_entries(map));
	DIFF("map_flags", info.map_flags, bpf_map__map_flags(map));
	if (diffs || !info.btf_id || !btf)
		return diffs;
	pinned = btf__load_from_kernel_by_id(info.btf_id);
	if (!pinned) {
		pr_warn("policy '%s': map '%s': cannot read the pinned map's BTF: %s\n",
			policy, name, strerror(errno));
		return krsi_err(-errno);
	}
	if (!same_layout(pinned, info.btf_key_type_id, btf,
			 bpf_map__btf_key_type_id(map), 0, why)) {
		pr_warn("policy '%s': map '%s': the key's BTF layout differs between the installed policy and the object%s%s\n",
			policy, name, why[0] ? ": " : "", why);
		diffs++;
	}
	why[0] = '\0';
	if (!same_layout(pinned, info.btf_value_type_id, btf,
			 bpf_map__btf_value_type_id(map), 0, why)) {
		pr_warn("policy '%s': map '%s': the value's BTF layout differs between the installed policy and the object%s%s\n",
			policy, name, why[0] ? ": " : "", why);
		diffs++;
	}
	btf__free(pinned);
	return diffs;
}
