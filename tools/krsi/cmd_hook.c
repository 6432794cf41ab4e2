// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi hook NAME: one hook, its flags, and a BPF program to start from. */
#include <stdlib.h>
#include <string.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi hook NAME [--skeleton] [--json] [--btf FILE]\n"
		"                 [--kernel-release REL] [--trial]\n"
		"\n"
		"Show one LSM hook: its C declaration, what its return value means,\n"
		"its flags, and a ready-to-edit BPF program for it (section name and\n"
		"BPF_PROG signature with the earlier verdict as last argument).\n"
		"\n"
		"Options:\n"
		"  --skeleton            print only the BPF program, to redirect into a\n"
		"                        .bpf.c file\n"
		"  --json                print the hook as krsi hooks --json does\n"
		"  --btf FILE            read the hook from FILE (raw BTF or ELF)\n"
		"  --kernel-release REL  the kernel release FILE belongs to\n"
		"  --trial               measure the flags now by trial loads (root)\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status: 0 on success; 1 when the hook does not exist (the\n"
		"closest names are suggested) or has no program skeleton because the\n"
		"kernel refuses programs on it; 2 on a usage error.\n");
}

static const char *const meaning[] = {
	[KRSI_HOOK_RET_INT] = "int: 0 allows, a negative errno denies",
	[KRSI_HOOK_RET_BOOL] = "bool: answers yes (1) or no (0)",
	[KRSI_HOOK_RET_VOID] = "void: programs observe; they cannot deny",
};

/*
 * BPF_PROG() takes ctx for itself and the skeleton names the earlier
 * verdict ret, so arguments of those names become ctx_ and ret_.
 */
static const char *arg_name(const struct krsi_hook *h, unsigned int i,
			    char buf[8])
{
	const char *name = krsi_hook__arg_name(h, i);

	if (strcmp(name, "ctx") && strcmp(name, "ret"))
		return name;
	snprintf(buf, 8, "%s_", name);
	return buf;
}

/* "struct file *file", through libkrsi's BTF rendering. */
static char *arg_decl(const struct krsi_hooks *hooks, const struct krsi_hook *h,
		      unsigned int i)
{
	const struct krsi_btf *btf = krsi_hooks__btf(hooks);
	__u32 id = krsi_hook__arg_btf_id(h, i);
	char buf[8], *s;
	const char *name = arg_name(h, i, buf);
	int len;

	len = krsi_btf__format_decl(btf, id, name, NULL, 0);
	s = len >= 0 ? malloc(len + 1) : NULL;
	if (s)
		krsi_btf__format_decl(btf, id, name, s, len + 1);
	return s;
}

/* Whether an argument is a struct or union passed by value. */
static bool by_value_struct(const struct krsi_hooks *hooks,
			    const struct krsi_hook *h, unsigned int i)
{
	return krsi_btf__member_count(krsi_hooks__btf(hooks),
				      krsi_hook__arg_btf_id(h, i)) >= 0;
}

/*
 * The BPF_PROG() argument list; BPF_PROG2(), which takes types and names
 * apart, when a struct is passed by value (path_chown's kuid_t).
 */
static int print_signature(const struct krsi_hooks *hooks,
			   const struct krsi_hook *h, bool prog2)
{
	unsigned int i, n = krsi_hook__arg_count(h);
	char buf[8], *decl;

	printf("int BPF_PROG%s(on_%s", prog2 ? "2" : "", krsi_hook__name(h));
	for (i = 0; i < n; i++) {
		decl = prog2 ? NULL : arg_decl(hooks, h, i);
		if (prog2)
			printf(", %s, %s", krsi_hook__arg_type(h, i),
			       arg_name(h, i, buf));
		else if (decl)
			printf(", %s", decl);
		else
			return -1;
		free(decl);
	}
	if (krsi_hook__return(h) != KRSI_HOOK_RET_VOID)
		printf(prog2 ? ", int, ret" : ", int ret");
	printf(")\n");
	return 0;
}

static int print_skeleton(const struct krsi_hooks *hooks,
			  const struct krsi_hook *h)
{
	enum krsi_hook_return ret = krsi_hook__return(h);
	const char *name = krsi_hook__name(h);
	bool prog2 = false;
	unsigned int i;

	for (i = 0; i < krsi_hook__arg_count(h); i++)
		prog2 |= by_value_struct(hooks, h, i);
	printf("// SPDX-License-Identifier: GPL-2.0\n"
	       "/* A BPF LSM program on %s:\n"
	       " *   %s\n */\n"
	       "#include \"vmlinux.h\"\n"
	       "#include <bpf/bpf_helpers.h>\n"
	       "#include <bpf/bpf_tracing.h>\n"
	       "#include <krsi/krsi.bpf.h>\n\n",
	       name, krsi_hook__decl(h));
	if (krsi_hook__flag(h, KRSI_HOOK_SLEEPABLE, NULL) == KRSI_YES)
		printf("/* Sleepable programs may attach too: SEC(\"lsm.s/%s\"). */\n",
		       name);
	if (krsi_hook__flag(h, KRSI_HOOK_CGROUP, NULL) == KRSI_YES)
		printf("/* Per cgroup: SEC(\"lsm_cgroup/%s\"), returning 1 to allow, 0 to\n"
		       " * deny (bpf_set_retval() picks the errno). */\n",
		       name);
	printf("SEC(\"lsm/%s\")\n", name);
	if (print_signature(hooks, h, prog2)) {
		perror("krsi hook");
		return 1;
	}
	if (ret == KRSI_HOOK_RET_VOID)
		printf("{\n\t/* A void hook: the return value is ignored. */\n\treturn 0;\n}\n");
	else
		printf("{\n"
		       "\tif (ret)\n"
		       "\t\treturn ret; /* an earlier program's verdict stands */\n"
		       "\treturn 0; /* %s */\n}\n",
		       ret == KRSI_HOOK_RET_BOOL
			       ? "1: yes, 0: no"
			       : "0 allows; -EPERM (or another -errno) denies");
	printf("\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
	return 0;
}

static void print_text(const struct krsi_hooks *hooks,
		       const struct krsi_hook *h)
{
	enum krsi_flag_source src;
	enum krsi_tristate v;
	int f;

	printf("%s\n\n  %-10s %s\n", krsi_hook__decl(h), "return",
	       meaning[krsi_hook__return(h)]);
	for (f = 0; f < 3; f++) {
		v = krsi_hook__flag(h, f, &src);
		printf("  %-10s %-4s (%s)\n", krsi_hook_flag_str(f),
		       tristate_str(v), flag_source_str(src) ?: "not known");
	}
	if (v == KRSI_UNKNOWN)
		printf("  %-10s %s\n", "flags", krsi_hooks__flags_note(hooks));
	printf("  %-10s %u (bpf_lsm_%s)\n\n", "btf id", krsi_hook__btf_id(h),
	       krsi_hook__name(h));
}

static int run(int argc, char **argv)
{
	const struct krsi_hook *h;
	struct krsi_hooks *hooks;
	struct common_opts o;
	int first, err = 0;

	err = parse_opts(&cmd_hook, "sjbrt", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands("hook", argc, argv, first, 1, 1, "hook NAME");
	if (err)
		return err;
	hooks = load_catalog(&o);
	if (!hooks)
		return 1;
	h = krsi_hooks__find(hooks, argv[first]); /* suggests on a miss */
	if (!h) {
		err = 1;
	} else if (o.json) {
		json_hook(stdout, h);
		printf("\n");
	} else {
		if (!o.skeleton)
			print_text(hooks, h);
		if (krsi_hook__flag(h, KRSI_HOOK_DISABLED, NULL) == KRSI_YES) {
			fprintf(stderr,
				"krsi hook: the kernel refuses BPF programs on %s: no skeleton\n",
				krsi_hook__name(h));
			err = 1;
		} else {
			err = print_skeleton(hooks, h);
		}
	}
	krsi_hooks__free(hooks);
	return err;
}

const struct cmd cmd_hook = {
	.name = "hook",
	.summary = "show one hook: declaration, flags, a BPF program skeleton",
	.run = run,
	.help = help,
};
