// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * What a program learns of its hooks' arguments before it loads: the
 * number of arguments of each hook that krsi_hook_ret() (<krsi/verdict.bpf.h>)
 * names, so that it finds the hook's trailing ret after the arguments of
 * the running kernel, which may have more than the program was written
 * for (6.15 gave bpf, bpf_map_create, bpf_prog_load and bpf_token_create a
 * bool kernel).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <krsi/hooks.h>

#include "internal.h"

#define NARGS_VAR_PREFIX "__krsi_hook_nargs__"

int krsi_object_set_hook_nargs(struct bpf_object *obj,
			       const struct krsi_hooks *hooks)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *v;
	const struct btf_type *sec;
	const struct krsi_hook *h;
	struct bpf_map *map = NULL;
	const char *name, *hook;
	char *image, buf[128];
	size_t size;
	__u32 nargs;
	int id, i;

	id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC)
		 : -ENOENT;
	if (id < 0)
		return 0;
	sec = btf__type_by_id(btf, id);
	v = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, v++) {
		name = btf__name_by_offset(
			btf, btf__type_by_id(btf, v->type)->name_off);
		hook = name ? strstr(name, NARGS_VAR_PREFIX) : NULL;
		if (!hook || v->size != sizeof(nargs))
			continue;
		/* clang numbers repeated statics NAME.1, NAME.2 ... */
		hook += strlen(NARGS_VAR_PREFIX);
		snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(hook, "."),
			 hook);
		h = krsi_hooks__find(hooks, buf);
		if (!h)
			return krsi_err(-ENOENT); /* krsi_hooks__find() said */
		if (!map)
			bpf_object__for_each_map (map, obj)
				if (bpf_map__is_internal(map) &&
				    strstr(bpf_map__name(map), ".rodata"))
					break;
		image = map ? (char *)bpf_map__initial_value(map, &size) : NULL;
		if (!image || v->offset + sizeof(nargs) > size)
			return krsi_err(-EINVAL);
		nargs = krsi_hook__arg_count(h);
		memcpy(image + v->offset, &nargs, sizeof(nargs));
	}
	return 0;
}
