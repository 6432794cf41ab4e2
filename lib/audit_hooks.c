// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Hooks in events: an event names its hook by the BTF id of bpf_lsm_<hook>
 * in the running kernel. krsi_prepare_events() writes those ids into an
 * object before load; the consumer turns them back into names.
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "audit_internal.h"

#define HOOK_FUNC_PREFIX "bpf_lsm_"
#define HOOK_VAR_PREFIX "__krsi_hook__"
#define HOOK_NAME_MAX 128

const char *audit_hook_lookup(struct audit_hooks *h, __u32 id)
{
	typeof(h->cache[0]) *slot = &h->cache[id % AUDIT_HOOK_CACHE];
	const struct btf_type *t;
	const char *name;

	if (!h->vmlinux && !h->unavailable) {
		h->vmlinux = btf__load_vmlinux_btf();
		if (!h->vmlinux) {
			h->unavailable = true;
			pr_warn("audit: cannot read the kernel's BTF (%s): events name no hooks\n",
				strerror(errno));
		}
	}
	if (!h->vmlinux)
		return NULL;
	t = btf__type_by_id(h->vmlinux, id);
	name = t && btf_is_func(t)
		       ? btf__name_by_offset(h->vmlinux, t->name_off)
		       : NULL;
	if (!name ||
	    strncmp(name, HOOK_FUNC_PREFIX, strlen(HOOK_FUNC_PREFIX)) != 0 ||
	    strlen(name) > HOOK_NAME_MAX)
		name = NULL;
	else
		name += strlen(HOOK_FUNC_PREFIX);
	slot->id = id;
	slot->name = name;
	return name;
}

void audit_hooks_free(struct audit_hooks *h)
{
	btf__free(h->vmlinux);
	h->vmlinux = NULL;
}

/* The BTF id of bpf_lsm_HOOK, where HOOK ends at the first '.' of VAR's
 * name after the prefix (clang numbers repeated statics NAME.1, ...). */
static __u32 hook_id(const struct btf *vmlinux, const char *hook)
{
	char func[HOOK_NAME_MAX + sizeof(HOOK_FUNC_PREFIX)];
	size_t len = strcspn(hook, ".");
	int id;

	if (len > HOOK_NAME_MAX)
		return 0;
	snprintf(func, sizeof(func), "%s%.*s", HOOK_FUNC_PREFIX, (int)len,
		 hook);
	id = btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC);
	if (id > 0)
		return id;
	pr_warn("audit: this kernel has no LSM hook %.*s (no %s in its BTF): events of it carry hook id 0\n",
		(int)len, hook, func);
	return 0;
}

/* Write the hook ids into the .rodata image of OBJ, whose BTF is BTF. */
static int set_hook_ids(struct bpf_object *obj, const struct btf *btf,
			const struct btf_type *sec)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(sec);
	struct btf *vmlinux = NULL;
	struct bpf_map *map;
	const void *init;
	char *image = NULL;
	size_t size;
	int i, err = 0;

	for (i = 0; i < btf_vlen(sec); i++, v++) {
		const struct btf_type *var = btf__type_by_id(btf, v->type);
		const char *name =
			var ? btf__name_by_offset(btf, var->name_off) : NULL;
		/* a corrupt object's name may not exist: not a hook's */
		const char *hook = name ? strstr(name, HOOK_VAR_PREFIX) : NULL;
		__u32 id;

		if (!hook || v->size != sizeof(id))
			continue;
		if (!image) {
			map = bpf_object__find_map_by_name(obj, ".rodata");
			init = map ? bpf_map__initial_value(map, &size) : NULL;
			image = init ? malloc(size) : NULL;
			vmlinux = btf__load_vmlinux_btf();
			if (!init || !image || !vmlinux) {
				err = !vmlinux ? -ENOENT : -ENOMEM;
				if (!vmlinux)
					pr_warn("audit: cannot read the kernel's BTF to find its hooks: %s\n",
						strerror(errno));
				goto out;
			}
			memcpy(image, init, size);
		}
		if (v->offset + sizeof(id) > size) {
			err = -EINVAL;
			goto out;
		}
		id = hook_id(vmlinux, hook + strlen(HOOK_VAR_PREFIX));
		memcpy(image + v->offset, &id, sizeof(id));
	}
	if (image) {
		err = bpf_map__set_initial_value(map, image, size);
		if (err)
			pr_warn("audit: cannot set the hook ids of object %s: %s; call krsi_prepare_events() before loading it\n",
				bpf_object__name(obj), strerror(-err));
	}
out:
	free(image);
	btf__free(vmlinux);
	return err;
}

int krsi_prepare_events(struct bpf_object *obj)
{
	struct audit_schema *schema;
	struct bpf_program *prog;
	const struct btf *btf;
	__u32 id, n;
	int err;

	if (!obj)
		return krsi_err(-EINVAL);
	prog = bpf_object__next_program(obj, NULL);
	if (prog && bpf_program__fd(prog) >= 0) {
		pr_warn("audit: object %s is already loaded: call krsi_prepare_events() between its open and its load\n",
			bpf_object__name(obj));
		return krsi_err(-EBUSY);
	}
	btf = bpf_object__btf(obj);
	if (!btf)
		return 0;
	/* check the declarations now rather than when consuming */
	err = audit_schema_new(btf, &schema);
	if (err)
		return krsi_err(err);
	audit_schema_free(schema);
	n = btf__type_cnt(btf);
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		if (btf_is_datasec(t) && name && strcmp(name, ".rodata") == 0)
			return krsi_err(set_hook_ids(obj, btf, t));
	}
	return 0;
}
