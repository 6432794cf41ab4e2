// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Every program attached to an LSM hook, found by walking BPF links. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <krsi/install.h>

#include "internal.h"

#define LSM_FUNC_PREFIX "bpf_lsm_"

/* The hook named by a vmlinux BTF id, or NULL. */
static const char *hook_name(const struct btf *vmlinux, __u32 btf_id)
{
	const struct btf_type *t;
	const char *name;

	if (!vmlinux || !btf_id)
		return NULL;
	t = btf__type_by_id(vmlinux, btf_id);
	if (!t || !btf_is_func(t))
		return NULL;
	name = btf__name_by_offset(vmlinux, t->name_off);
	if (!name || strncmp(name, LSM_FUNC_PREFIX, strlen(LSM_FUNC_PREFIX)))
		return NULL;
	return name + strlen(LSM_FUNC_PREFIX);
}

int krsi_link_describe(int fd, const struct btf *vmlinux,
		       struct krsi_link_desc *desc)
{
	struct bpf_prog_info prog = {};
	struct bpf_link_info link = {};
	__u32 len = sizeof(link);
	__u32 btf_id = 0;
	int prog_fd, err;

	memset(desc, 0, sizeof(*desc));
	if (bpf_obj_get_info_by_fd(fd, &link, &len))
		return krsi_err(-errno);
	if (link.type == BPF_LINK_TYPE_TRACING &&
	    link.tracing.attach_type == BPF_LSM_MAC) {
		desc->att.kind = KRSI_ATTACH_LSM;
		btf_id = link.tracing.target_btf_id;
	} else if (link.type == BPF_LINK_TYPE_CGROUP &&
		   link.cgroup.attach_type == BPF_LSM_CGROUP) {
		desc->att.kind = KRSI_ATTACH_LSM_CGROUP;
		desc->att.cgroup_id = link.cgroup.cgroup_id;
	}
	desc->att.link_id = link.id;
	desc->att.prog_id = link.prog_id;
	prog_fd = bpf_prog_get_fd_by_id(link.prog_id);
	if (prog_fd < 0)
		return krsi_err(-errno);
	len = sizeof(prog);
	err = bpf_obj_get_info_by_fd(prog_fd, &prog, &len) ? -errno : 0;
	close(prog_fd);
	if (err)
		return krsi_err(err);
	memcpy(desc->prog_name, prog.name, sizeof(prog.name));
	desc->att.prog_name = desc->prog_name;
	if (desc->att.kind == KRSI_ATTACH_OTHER)
		return 0;
	btf_id = btf_id ?: prog.attach_btf_id;
	desc->att.hook = hook_name(vmlinux, btf_id);
	desc->hook_untold = desc->att.kind == KRSI_ATTACH_LSM && !btf_id;
	return 1;
}

struct btf *krsi_vmlinux_btf(void)
{
	struct btf *btf = btf__load_vmlinux_btf();

	if (!btf)
		pr_warn("cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s; hooks will not be named\n",
			strerror(errno));
	return btf;
}

/* Links pinned by policies, to label the attachments with. */
struct pinned_link {
	__u32 link_id;
	char *policy;
	char *prog;
};

struct labels {
	struct pinned_link *v;
	size_t n;
};

static int collect_label(const struct krsi_policy_info *info, void *ctx)
{
	struct labels *l = ctx;
	struct pinned_link *v;
	size_t i;

	for (i = 0; i < info->prog_cnt; i++) {
		v = realloc(l->v, (l->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		v[l->n].link_id = info->progs[i]->link_id;
		v[l->n].policy = strdup(info->name);
		v[l->n].prog = strdup(info->progs[i]->prog_name);
		l->n++;
		if (!v[l->n - 1].policy || !v[l->n - 1].prog)
			return -ENOMEM;
	}
	return 0;
}

static void label(struct krsi_attachment *att, const struct labels *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].link_id == att->link_id) {
			att->policy = l->v[i].policy;
			att->prog_name = l->v[i].prog;
			return;
		}
	}
}

int krsi_list_attachments(krsi_attachment_fn fn, void *ctx,
			  const struct krsi_list_opts *opts)
{
	struct labels labels = {};
	struct krsi_link_desc desc;
	struct btf *vmlinux = NULL;
	__u32 id = 0;
	int fd, err;
	size_t i;

	if (!fn || !OPTS_VALID(opts, krsi_list_opts, pin_root)) {
		pr_warn("krsi_list_attachments: %s\n",
			fn ? "invalid options" : "callback is NULL");
		return krsi_err(-EINVAL);
	}
	err = krsi_list_policies(collect_label, &labels, opts);
	if (err)
		goto out;
	vmlinux = krsi_vmlinux_btf();
	for (;;) {
		if (bpf_link_get_next_id(id, &id)) {
			err = errno == ENOENT ? 0
					      : -errno; /* ENOENT: the end */
			break;
		}
		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0 && errno == ENOENT)
			continue; /* gone since */
		err = fd < 0 ? -errno : krsi_link_describe(fd, vmlinux, &desc);
		if (fd >= 0)
			close(fd);
		if (err < 0 && err != -ENOENT)
			break;
		if (err <= 0)
			continue; /* not an LSM link, or gone since */
		label(&desc.att, &labels);
		err = fn(&desc.att, ctx);
		if (err)
			goto out;
	}
	if (err < 0)
		pr_warn("walking BPF links failed: %s%s\n", strerror(-err),
			err == -EPERM ? " (it needs CAP_SYS_ADMIN)" : "");
out:
	for (i = 0; i < labels.n; i++) {
		free(labels.v[i].policy);
		free(labels.v[i].prog);
	}
	free(labels.v);
	btf__free(vmlinux);
	return err < 0 ? krsi_err(err) : err;
}
