// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * What the running kernel offers LSM programs, measured: the kernel's BTF
 * says whether it has a program type, attach type, map type, helper or
 * kfunc at all, a trial load whether an LSM program may use it.
 *
 * The release that first has each feature is documentation only. Each comes
 * from the upstream commit cited beside it, as tagged by docs.ebpf.io
 * (github.com/isovalent/ebpf-docs) and bcc's docs/kernel-versions.md, or,
 * where noted, by the pull request that merged the commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <krsi/btf.h>
#include <krsi/probe.h>

#include "hooks_internal.h"
#include "strbuf.h"

#define NR_FEATURES (KRSI_FEATURE_BTF_DECL_TAG + 1)

/* How a feature is measured. */
enum feature_kind {
	FK_LSM, /* an LSM program of a kind (trial) on a hook */
	FK_PROG, /* a program type: BTF enum value, then libbpf's probe */
	FK_MAP, /* a map type: BTF enum value, then libbpf's probe */
	FK_HELPER, /* a helper: BTF enum value, then a trial call on a hook */
	FK_KFUNC, /* a kfunc: BTF function, then a trial call on a hook */
	FK_NULLABLE, /* a bpf_lsm_ function argument named NAME__nullable */
	FK_LINK_INFO, /* a member of struct bpf_link_info's tracing part */
	FK_BTF_KIND, /* a BTF kind: BTF enum value, then a BTF load */
};

static const struct feature_def {
	const char *name;
	const char *title;
	const char *since;
	enum feature_kind kind;
	const char *btf_name; /* the enum value or the kfunc */
	int helper; /* a helper's number, as this libkrsi was built */
	enum krsi_trial_kind trial; /* the kind of program trial loads use */
	const char *hook; /* the hook they attach to */
} defs[NR_FEATURES] = {
#define LSM(kind_, attach, hook_) \
	.kind = FK_LSM, .btf_name = #attach, .trial = kind_, .hook = hook_
#define TYPE(kind_, name_) .kind = kind_, .btf_name = #name_
#define HELPER(func, kind_, hook_)                        \
	.kind = FK_HELPER, .btf_name = "BPF_FUNC_" #func, \
	.helper = BPF_FUNC_##func, .trial = kind_, .hook = hook_
#define KFUNC(func, kind_, hook_) \
	.kind = FK_KFUNC, .btf_name = #func, .trial = kind_, .hook = hook_
	/* fc611f47f218 "bpf: Introduce BPF_PROG_TYPE_LSM" */
	[KRSI_FEATURE_LSM] = { "lsm", "lsm/ programs", "5.7",
			       LSM(KRSI_TRIAL_LSM, BPF_LSM_MAC, "file_open") },
	/* 423f16108c9d "bpf: Augment the set of sleepable LSM hooks", in the
	 * networking pull request for 5.11 */
	[KRSI_FEATURE_LSM_SLEEPABLE] = { "lsm_sleepable",
					 "lsm.s/ programs (sleepable)", "5.11",
					 LSM(KRSI_TRIAL_SLEEPABLE, BPF_LSM_MAC,
					     "bprm_check_security") },
	/* 69fd337a975c "bpf: per-cgroup lsm flavor" */
	[KRSI_FEATURE_LSM_CGROUP] = { "lsm_cgroup",
				      "lsm_cgroup/ programs (per cgroup)",
				      "6.0",
				      LSM(KRSI_TRIAL_CGROUP, BPF_LSM_CGROUP,
					  "file_mprotect") },
	/* 79a7f8bdb159 "bpf: Introduce bpf_sys_bpf() helper and program
	 * type." */
	[KRSI_FEATURE_SYSCALL_PROG] = { "syscall_prog", "syscall programs",
					"5.14",
					TYPE(FK_PROG, BPF_PROG_TYPE_SYSCALL) },
	/* 457f44363a88 "bpf: Implement BPF ring buffer and verifier support
	 * for it" */
	[KRSI_FEATURE_RINGBUF] = { "ringbuf", "ring buffers", "5.8",
				   TYPE(FK_MAP, BPF_MAP_TYPE_RINGBUF) },
	/* 4cf1bc1f1045 "bpf: Implement task local storage" */
	[KRSI_FEATURE_TASK_STORAGE] = { "task_storage", "task local storage",
					"5.11",
					TYPE(FK_MAP,
					     BPF_MAP_TYPE_TASK_STORAGE) },
	/* 8ea636848aca "bpf: Implement bpf_local_storage for inodes" */
	[KRSI_FEATURE_INODE_STORAGE] = { "inode_storage", "inode local storage",
					 "5.10",
					 TYPE(FK_MAP,
					      BPF_MAP_TYPE_INODE_STORAGE) },
	/* 3ca1032ab7ab "bpf: Implement get_current_task_btf and
	 * RET_PTR_TO_BTF_ID" */
	[KRSI_FEATURE_CURRENT_TASK_BTF] = { "current_task_btf",
					    "bpf_get_current_task_btf()",
					    "5.11",
					    HELPER(get_current_task_btf,
						   KRSI_TRIAL_LSM,
						   "file_open") },
	/* dd6e10fbd9fb "bpf: Add bpf_task_pt_regs() helper" */
	[KRSI_FEATURE_TASK_PT_REGS] = { "task_pt_regs", "bpf_task_pt_regs()",
					"5.15",
					HELPER(task_pt_regs, KRSI_TRIAL_LSM,
					       "file_open") },
	/* e6f2dd0f8067 "bpf: Add bpf_loop helper" */
	[KRSI_FEATURE_LOOP] = { "loop", "bpf_loop()", "5.17",
				HELPER(loop, KRSI_TRIAL_LSM, "file_open") },
	/* 6f100640ca5b "bpf: Expose bpf_d_path helper to sleepable LSM
	 * hooks", in the networking pull request for 5.11; the helper itself
	 * (6e22ab9da793, 5.10) served a few fentry programs only */
	[KRSI_FEATURE_D_PATH] = { "d_path", "bpf_d_path()", "5.11",
				  HELPER(d_path, KRSI_TRIAL_LSM, "file_open") },
	/* d08e2045ebf0 "bpf: fs: add bpf_path_d_path() kfunc" */
	[KRSI_FEATURE_PATH_D_PATH] = { "path_d_path", "bpf_path_d_path()",
				       "6.12",
				       KFUNC(bpf_path_d_path, KRSI_TRIAL_LSM,
					     "file_open") },
	/* 27672f0d280a "bpf: Add a BPF helper for getting the IMA hash of
	 * an inode" */
	[KRSI_FEATURE_IMA_INODE_HASH] = { "ima_inode_hash",
					  "bpf_ima_inode_hash()", "5.11",
					  HELPER(ima_inode_hash,
						 KRSI_TRIAL_SLEEPABLE,
						 "bprm_check_security") },
	/* 174b16946e39 "bpf-lsm: Introduce new helper bpf_ima_file_hash()" */
	[KRSI_FEATURE_IMA_FILE_HASH] = { "ima_file_hash", "bpf_ima_file_hash()",
					 "5.18",
					 HELPER(ima_file_hash,
						KRSI_TRIAL_SLEEPABLE,
						"bprm_check_security") },
	/* ac9c05e0e453 "bpf: Add kfunc bpf_get_file_xattr" */
	[KRSI_FEATURE_GET_FILE_XATTR] = { "get_file_xattr",
					  "bpf_get_file_xattr()", "6.8",
					  KFUNC(bpf_get_file_xattr,
						KRSI_TRIAL_SLEEPABLE,
						"file_open") },
	/* ac13a4261afe "bpf: Add kfunc bpf_get_dentry_xattr() to read xattr
	 * from dentry" */
	[KRSI_FEATURE_GET_DENTRY_XATTR] = { "get_dentry_xattr",
					    "bpf_get_dentry_xattr()", "6.12",
					    KFUNC(bpf_get_dentry_xattr,
						  KRSI_TRIAL_SLEEPABLE,
						  "file_open") },
	/* 56467292794b "bpf: fs/xattr: Add BPF kfuncs to set and remove
	 * xattrs" */
	[KRSI_FEATURE_SET_DENTRY_XATTR] = { "set_dentry_xattr",
					    "bpf_set_dentry_xattr()", "6.15",
					    KFUNC(bpf_set_dentry_xattr,
						  KRSI_TRIAL_SLEEPABLE,
						  "file_open") },
	/* 94e948b7e684 "bpf: annotate file argument as __nullable in
	 * bpf_lsm_mmap_file", merged into bpf-next in December 2025 for
	 * the release after 6.19 */
	[KRSI_FEATURE_NULLABLE_ARGS] = { "nullable_args",
					 "nullable hook arguments", "7.0",
					 .kind = FK_NULLABLE },
	/* 441e8c66b23e "bpf: Add target_btf_id to tracing link info" as
	 * tagged by docs.ebpf.io's BPF_OBJ_GET_INFO_BY_FD page */
	[KRSI_FEATURE_LINK_HOOK] = { "link_hook", "hooks named in link info",
				     "5.13", .kind = FK_LINK_INFO,
				     .btf_name = "target_btf_id" },
	/* b5ea834dde6b "bpf: Support for new btf kind BTF_KIND_TAG" (git
	 * describe v5.14-9734), renamed BTF_KIND_DECL_TAG by 223f903e9c83
	 * (v5.15-rc3-1032): released in 5.16, with the BTF_KIND_* enum
	 * (41ced4cd8802, same series) whose value is looked for */
	[KRSI_FEATURE_BTF_DECL_TAG] = { "btf_decl_tag",
					"BTF declaration tags (field markers)",
					"5.16", .kind = FK_BTF_KIND,
					.btf_name = "BTF_KIND_DECL_TAG" },
#undef LSM
#undef TYPE
#undef HELPER
#undef KFUNC
};

struct krsi_features {
	enum krsi_tristate has[NR_FEATURES];
	char *evidence[NR_FEATURES];
};

/* What the probe works with. */
struct probe_ctx {
	struct krsi_features *f;
	struct krsi_btf *btf;
	bool passive;
	/* Why LSM programs cannot be tried here, or NULL when they can. */
	char *no_trial;
	bool nomem;
};

static void set(struct probe_ctx *c, enum krsi_feature feat,
		enum krsi_tristate has, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set(struct probe_ctx *c, enum krsi_feature feat,
		enum krsi_tristate has, const char *fmt, ...)
{
	struct strbuf sb = {};
	va_list args;

	va_start(args, fmt);
	sb_vprintf(&sb, fmt, args);
	va_end(args);
	free(c->f->evidence[feat]);
	c->f->has[feat] = has;
	c->f->evidence[feat] = sb_steal(&sb);
	if (!c->f->evidence[feat])
		c->nomem = true;
}

/* The value of enumerator NAME in the kernel's BTF, or -ENOENT. */
static int kernel_enum(const struct probe_ctx *c, const char *name,
		       long long *value)
{
	return krsi_btf__enum_value(c->btf, 0, name, value);
}

/* The BTF id of bpf_lsm_HOOK, or a negative errno. */
static int hook_id(const struct probe_ctx *c, const char *hook)
{
	char func[64];

	snprintf(func, sizeof(func), "bpf_lsm_%s", hook);
	return krsi_btf__find(c->btf, func, BTF_KIND_FUNC);
}

/* The verifier's last line in LOG, for evidence. */
static const char *last_line(char *log)
{
	char *end = strstr(log, "\nVerification failed:"), *p;

	/* 7.x follows the verifier's words with a long explanation */
	if (end)
		*end = '\0';
	end = log + strlen(log);
	while (end > log && end[-1] == '\n')
		*--end = '\0';
	p = strrchr(log, '\n');
	/* 7.x logs end in a summary block: "processed N insns ..." */
	while (p && !strncmp(p + 1, "processed ", 10)) {
		*p = '\0';
		while (p > log && p[-1] == '\n')
			*--p = '\0';
		p = strrchr(log, '\n');
	}
	return p ? p + 1 : log;
}

static const char *kind_str(enum krsi_trial_kind kind)
{
	return kind == KRSI_TRIAL_SLEEPABLE ? "lsm.s/"
	       : kind == KRSI_TRIAL_CGROUP  ? "lsm_cgroup/"
					    : "lsm/";
}

static void probe_lsm(struct probe_ctx *c, enum krsi_feature feat)
{
	const struct feature_def *d = &defs[feat];
	char log[4096] = "";
	long long value;
	int id, ret;

	if (kernel_enum(c, d->btf_name, &value)) {
		set(c, feat, KRSI_NO, "BTF: enum bpf_attach_type has no %s",
		    d->btf_name);
		return;
	}
	id = hook_id(c, d->hook);
	if (id < 0) {
		set(c, feat, KRSI_NO,
		    "BTF: no bpf_lsm_%s: the kernel is built without BPF LSM",
		    d->hook);
		return;
	}
	if (c->no_trial) {
		set(c, feat, KRSI_UNKNOWN,
		    "BTF: enum bpf_attach_type has %s, but only a trial load can tell: %s",
		    d->btf_name, c->no_trial);
		return;
	}
	ret = krsi_trial_hook_log(id, d->trial, log, sizeof(log));
	if (ret == 1)
		set(c, feat, KRSI_YES, "trial: an %s program on %s loaded",
		    kind_str(d->trial), d->hook);
	else if (ret == 0)
		set(c, feat, KRSI_NO,
		    "trial: an %s program on %s was refused%s%s",
		    kind_str(d->trial), d->hook, log[0] ? ": " : "",
		    last_line(log));
	else
		set(c, feat, KRSI_UNKNOWN,
		    "trial: an %s program on %s could not be tried: %s",
		    kind_str(d->trial), d->hook, strerror(-ret));
}

/* Program and map types, which libbpf probes without a hook. */
static void probe_type(struct probe_ctx *c, enum krsi_feature feat)
{
	const struct feature_def *d = &defs[feat];
	const char *what =
		d->kind == FK_PROG ? "bpf_prog_type" : "bpf_map_type";
	long long value;
	int ret;

	if (kernel_enum(c, d->btf_name, &value)) {
		set(c, feat, KRSI_NO, "BTF: enum %s has no %s", what,
		    d->btf_name);
		return;
	}
	if (c->passive) {
		set(c, feat, KRSI_UNKNOWN,
		    "BTF: enum %s has %s, but only a trial can tell: a passive probe makes none",
		    what, d->btf_name);
		return;
	}
	ret = d->kind == FK_PROG ? libbpf_probe_bpf_prog_type(value, NULL)
				 : libbpf_probe_bpf_map_type(value, NULL);
	if (ret > 0)
		set(c, feat, KRSI_YES, "trial: a %s %s was created",
		    d->kind == FK_PROG ? "program of type" : "map of type",
		    d->btf_name);
	else if (ret == 0)
		set(c, feat, KRSI_NO, "trial: the kernel refused a %s %s",
		    d->kind == FK_PROG ? "program of type" : "map of type",
		    d->btf_name);
	else
		set(c, feat, KRSI_UNKNOWN, "trial: %s could not be tried: %s",
		    d->btf_name, strerror(-ret));
}

/* Helpers and kfuncs, called from a program on a hook. */
static void probe_call(struct probe_ctx *c, enum krsi_feature feat)
{
	const struct feature_def *d = &defs[feat];
	struct bpf_insn call = { .code = BPF_JMP | BPF_CALL };
	char log[4096] = "";
	long long value;
	int id, ret;

	if (d->kind == FK_HELPER) {
		if (kernel_enum(c, d->btf_name, &value)) {
			set(c, feat, KRSI_NO, "BTF: enum bpf_func_id has no %s",
			    d->btf_name);
			return;
		}
		call.imm = value;
	} else {
		id = krsi_btf__find(c->btf, d->btf_name, BTF_KIND_FUNC);
		if (id < 0) {
			set(c, feat, KRSI_NO, "BTF: no function %s",
			    d->btf_name);
			return;
		}
		call.src_reg = BPF_PSEUDO_KFUNC_CALL;
		call.imm = id;
	}
	if (d->trial == KRSI_TRIAL_SLEEPABLE &&
	    c->f->has[KRSI_FEATURE_LSM_SLEEPABLE] == KRSI_NO) {
		set(c, feat, KRSI_NO,
		    "BTF: the kernel has %s, but it serves lsm.s/ programs only, which this kernel lacks",
		    d->btf_name);
		return;
	}
	id = hook_id(c, d->hook);
	if (c->no_trial || id < 0) {
		set(c, feat, KRSI_UNKNOWN,
		    "BTF: the kernel has %s, but only a trial load can tell whether LSM programs may call it: %s",
		    d->btf_name,
		    c->no_trial ?: "the kernel is built without BPF LSM");
		return;
	}
	ret = krsi_trial_call(id, d->trial, &call, log, sizeof(log));
	if (ret == 1)
		set(c, feat, KRSI_YES, "trial: an %s program on %s may call %s",
		    kind_str(d->trial), d->hook, d->btf_name);
	else if (ret == 0)
		set(c, feat, KRSI_NO,
		    "trial: an %s program on %s may not call %s: %s",
		    kind_str(d->trial), d->hook, d->btf_name, last_line(log));
	else
		set(c, feat, KRSI_UNKNOWN,
		    "trial: a call of %s from an %s program on %s could not be tried: %s",
		    d->btf_name, kind_str(d->trial), d->hook,
		    ret == -EINVAL ? last_line(log) : strerror(-ret));
}

/* A bpf_lsm_ function with an argument named NAME__nullable, or 0. */
static int nullable_arg(const struct btf *btf, const char **func,
			const char **arg)
{
	static const char suffix[] = "__nullable";
	const struct btf_type *t, *proto;
	const struct btf_param *p;
	__u32 id, n = btf__type_cnt(btf);
	const char *name;
	size_t len;
	int i;

	for (id = 1; id < n; id++) {
		t = btf__type_by_id(btf, id);
		if (!btf_is_func(t))
			continue;
		*func = btf__name_by_offset(btf, t->name_off);
		if (!*func || strncmp(*func, "bpf_lsm_", 8))
			continue;
		proto = btf__type_by_id(btf, t->type);
		if (!proto || !btf_is_func_proto(proto))
			continue;
		p = btf_params(proto);
		for (i = 0; i < btf_vlen(proto); i++, p++) {
			name = btf__name_by_offset(btf, p->name_off);
			len = name ? strlen(name) : 0;
			if (len > sizeof(suffix) - 1 &&
			    !strcmp(name + len - (sizeof(suffix) - 1),
				    suffix)) {
				*arg = name;
				return id;
			}
		}
	}
	return 0;
}

static void probe_nullable(struct probe_ctx *c, enum krsi_feature feat)
{
	const char *func = NULL, *arg = NULL;

	if (nullable_arg(krsi_btf__btf(c->btf), &func, &arg))
		set(c, feat, KRSI_YES,
		    "BTF: %s has an argument named %s, which the verifier lets no program use before a NULL test",
		    func, arg);
	else
		set(c, feat, KRSI_NO,
		    "BTF: no bpf_lsm_ function has an argument named NAME__nullable");
}

/* Whether TYPE_ID (a struct or union) has a member NAME, looking into
 * anonymous members and the member PART on the way. */
static bool has_member(const struct btf *btf, __u32 type_id, const char *part,
		       const char *name, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	const struct btf_member *m;
	const char *mname;
	int i;

	while (t && btf_is_mod(t))
		t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_composite(t) || depth > 4)
		return false;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		mname = btf__name_by_offset(btf, m->name_off);
		if (mname && !strcmp(mname, name) && !part)
			return true;
		if ((!mname || !mname[0] || (part && !strcmp(mname, part))) &&
		    has_member(btf, m->type, mname && mname[0] ? NULL : part,
			       name, depth + 1))
			return true;
	}
	return false;
}

static void probe_link_info(struct probe_ctx *c, enum krsi_feature feat)
{
	const struct btf *btf = krsi_btf__btf(c->btf);
	int id = krsi_btf__find(c->btf, "bpf_link_info", BTF_KIND_STRUCT);

	if (id < 0)
		set(c, feat, KRSI_UNKNOWN,
		    "BTF: no struct bpf_link_info to read the link info from");
	else if (has_member(btf, id, "tracing", defs[feat].btf_name, 0))
		set(c, feat, KRSI_YES,
		    "BTF: struct bpf_link_info's tracing part has %s",
		    defs[feat].btf_name);
	else
		set(c, feat, KRSI_NO,
		    "BTF: struct bpf_link_info's tracing part has no %s",
		    defs[feat].btf_name);
}

/* A BTF kind: the kernel's enum has it, and BTF using it loads. */
static void probe_btf_kind(struct probe_ctx *c, enum krsi_feature feat)
{
	const struct feature_def *d = &defs[feat];
	struct btf *btf;
	long long value;
	int err, id;

	if (kernel_enum(c, d->btf_name, &value)) {
		set(c, feat, KRSI_NO,
		    "BTF: no BTF kind %s in the kernel's enum", d->btf_name);
		return;
	}
	if (c->passive) {
		set(c, feat, KRSI_UNKNOWN,
		    "BTF: the kernel's enum has %s, but only loading BTF can tell: a passive probe loads none",
		    d->btf_name);
		return;
	}
	/* struct krsi { int x; } with a tag on x */
	btf = btf__new_empty();
	err = btf ? 0 : -errno;
	id = err ?: btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	err = id < 0 ? id : btf__add_struct(btf, "krsi", 4);
	err = err < 0 ? err : btf__add_field(btf, "x", id, 0, 0);
	err = err < 0 ? err : btf__add_decl_tag(btf, "krsi", id + 1, 0);
	err = err < 0 ? err : btf__load_into_kernel(btf);
	btf__free(btf);
	if (!err)
		set(c, feat, KRSI_YES,
		    "trial: BTF with a %s loaded into the kernel", d->btf_name);
	else if (err == -EINVAL)
		set(c, feat, KRSI_NO, "trial: the kernel refused BTF with a %s",
		    d->btf_name);
	else
		set(c, feat, KRSI_UNKNOWN,
		    "trial: BTF with a %s could not be tried: %s", d->btf_name,
		    strerror(-err));
}

static void measure(struct probe_ctx *c, enum krsi_feature feat)
{
	switch (defs[feat].kind) {
	case FK_LSM:
		probe_lsm(c, feat);
		break;
	case FK_PROG:
	case FK_MAP:
		probe_type(c, feat);
		break;
	case FK_HELPER:
	case FK_KFUNC:
		probe_call(c, feat);
		break;
	case FK_NULLABLE:
		probe_nullable(c, feat);
		break;
	case FK_LINK_INFO:
		probe_link_info(c, feat);
		break;
	case FK_BTF_KIND:
		probe_btf_kind(c, feat);
		break;
	}
}

const char *krsi_feature_hint(const char *log, char *buf, size_t size)
{
	static const char *const unknown[] = { "invalid func unknown#",
					       "unknown func " };
	const struct feature_def *d;
	const char *p;
	unsigned int i;
	int id;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		p = strstr(log, unknown[i]);
		p = p ? strchr(p, '#') : NULL;
		if (!p || sscanf(p + 1, "%d", &id) != 1)
			continue;
		for (d = defs; d < defs + NR_FEATURES; d++)
			if (d->kind == FK_HELPER && d->helper == id) {
				snprintf(
					buf, size,
					"this kernel lacks helper %s (feature %s, first in Linux %s; see krsi probe --features)",
					d->title, d->name, d->since);
				return buf;
			}
		return NULL;
	}
	/* 69c087ba6225 "bpf: Add bpf_for_each_map_elem() helper" brought
	 * callbacks (BPF_PSEUDO_FUNC) in 5.13. */
	if (strstr(log, "number of funcs in func_info doesn't match")) {
		snprintf(
			buf, size,
			"the program has a callback function (of bpf_loop(), bpf_for_each_map_elem() ...), which this kernel does not know even where it is never called: callbacks came with Linux 5.13");
		return buf;
	}
	return NULL;
}

int krsi_feature_require(enum krsi_feature feature, const char *who)
{
	struct krsi_features f = {};
	struct probe_ctx c = { .f = &f };
	int i, err = 0;

	c.btf = krsi_btf__load(NULL);
	if (!c.btf)
		return 0; /* the kernel will say */
	/* The calls of sleepable programs read LSM_SLEEPABLE's answer. */
	if (defs[feature].trial == KRSI_TRIAL_SLEEPABLE &&
	    defs[feature].kind != FK_LSM)
		measure(&c, KRSI_FEATURE_LSM_SLEEPABLE);
	measure(&c, feature);
	if (c.nomem) {
		err = -ENOMEM;
	} else if (f.has[feature] == KRSI_NO) {
		pr_warn("%s: this kernel has no %s (feature %s, first in Linux %s; see krsi probe --features): %s\n",
			who, defs[feature].title, defs[feature].name,
			defs[feature].since, f.evidence[feature]);
		err = -EOPNOTSUPP;
	}
	for (i = 0; i < NR_FEATURES; i++)
		free(f.evidence[i]);
	krsi_btf__free(c.btf);
	return err;
}

/*
 * Whether trial loads of LSM programs can be made here: a program doing
 * nothing, on file_open. If not, c->no_trial says why.
 */
static void check_trials(struct probe_ctx *c)
{
	struct strbuf sb = {};
	int id, ret;

	if (c->passive) {
		c->no_trial = strdup("a passive probe makes no trial load");
		goto out;
	}
	id = hook_id(c, defs[KRSI_FEATURE_LSM].hook);
	if (id < 0)
		return; /* probe_lsm() says it */
	ret = krsi_trial_hook(id, KRSI_TRIAL_LSM);
	if (ret >= 0)
		return;
	sb_printf(
		&sb, "this process cannot load LSM programs (%s)%s",
		strerror(-ret),
		ret == -EPERM
			? ": it lacks CAP_BPF and CAP_PERFMON, or the kernel refuses LSM programs before verifying them (krsi probe tells which)"
			: "");
	c->no_trial = sb_steal(&sb);
out:
	if (!c->no_trial)
		c->nomem = true;
}

struct krsi_features *
krsi_features__probe(const struct krsi_features_opts *opts)
{
	struct probe_ctx c = { .passive = OPTS_GET(opts, passive, false) };
	int i, err = 0;

	if (!OPTS_VALID(opts, krsi_features_opts, passive))
		return krsi_err_ptr(-EINVAL);
	c.f = calloc(1, sizeof(*c.f));
	if (!c.f)
		return krsi_err_ptr(-ENOMEM);
	c.btf = krsi_btf__load(NULL);
	if (!c.btf) {
		err = -errno;
		pr_warn("cannot probe the kernel's features: no BTF (%s); a kernel built with CONFIG_DEBUG_INFO_BTF exposes it in /sys/kernel/btf/vmlinux\n",
			strerror(errno));
		goto out;
	}
	check_trials(&c);
	/* In order: the call probes read LSM_SLEEPABLE's answer. */
	for (i = 0; i < NR_FEATURES && !c.nomem; i++)
		measure(&c, i);
	if (c.nomem)
		err = -ENOMEM;
out:
	free(c.no_trial);
	krsi_btf__free(c.btf);
	if (err) {
		krsi_features__free(c.f);
		return krsi_err_ptr(err);
	}
	return c.f;
}

void krsi_features__free(struct krsi_features *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < NR_FEATURES; i++)
		free(f->evidence[i]);
	free(f);
}

size_t krsi_features__cnt(const struct krsi_features *f)
{
	if (!f) {
		errno = EINVAL;
		return 0;
	}
	return NR_FEATURES;
}

enum krsi_tristate krsi_features__has(const struct krsi_features *f,
				      enum krsi_feature feature)
{
	if (!f || (unsigned int)feature >= NR_FEATURES) {
		errno = EINVAL;
		return KRSI_UNKNOWN;
	}
	return f->has[feature];
}

const char *krsi_features__evidence(const struct krsi_features *f,
				    enum krsi_feature feature)
{
	if (!f || (unsigned int)feature >= NR_FEATURES)
		return krsi_err_ptr(-EINVAL);
	return f->evidence[feature];
}

const char *krsi_feature__name(enum krsi_feature feature)
{
	if ((unsigned int)feature >= NR_FEATURES)
		return krsi_err_ptr(-EINVAL);
	return defs[feature].name;
}

const char *krsi_feature__title(enum krsi_feature feature)
{
	if ((unsigned int)feature >= NR_FEATURES)
		return krsi_err_ptr(-EINVAL);
	return defs[feature].title;
}

const char *krsi_feature__since(enum krsi_feature feature)
{
	if ((unsigned int)feature >= NR_FEATURES)
		return krsi_err_ptr(-EINVAL);
	return defs[feature].since;
}
