// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi load: install a BPF object as a policy that outlives krsi. */
#include <ctype.h>
#include <libgen.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi load OBJ [--policy NAME] [--cgroup PATH] [--replace]\n"
		"\n"
		"Load the BPF object file OBJ, check its programs against this kernel's\n"
		"hooks, attach them and pin them as a policy under\n" KRSI_POLICY_PIN_ROOT
		"/NAME, so they keep enforcing after krsi exits.\n"
		"Refused when BPF LSM does not enforce here (see krsi probe).\n"
		"\n"
		"Options:\n"
		"  --policy NAME  the policy's name (default: OBJ's file name up to\n"
		"                 its first '.')\n"
		"  --cgroup PATH  the cgroup v2 directory lsm_cgroup/ programs attach to\n"
		"  --replace      replace an installed policy of that name with no gap,\n"
		"                 keeping the contents of its maps\n"
		"  -h, --help     show this help\n"
		"\n"
		"Exit status: 0 when the policy is installed; 1 on failure (nothing is\n"
		"left attached or pinned); 2 on a usage error.\n");
}

/* OBJ's base name up to its first '.', with other characters made '_'. */
static void default_name(const char *path, char *name, size_t size)
{
	char copy[4096], *p;

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(name, size, "%s", basename(copy));
	name[strcspn(name, ".")] = '\0';
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			*p = '_';
}

static void report(const struct krsi_policy *policy)
{
	struct bpf_object *obj =
		krsi_object__bpf_object(krsi_policy__object(policy));
	struct bpf_program *prog;
	struct bpf_map *map;
	int progs = 0, maps = 0;

	bpf_object__for_each_program (prog, obj)
		progs += !!krsi_object__link(krsi_policy__object(policy), prog);
	bpf_object__for_each_map (map, obj)
		maps++;
	printf("policy %s installed: %d program%s attached, %d map%s, pinned in %s\n",
	       krsi_policy__name(policy), progs, progs == 1 ? "" : "s", maps,
	       maps == 1 ? "" : "s", krsi_policy__path(policy));
}

static int run(int argc, char **argv)
{
	struct krsi_policy *policy;
	struct krsi_object *obj;
	struct common_opts o;
	char name[256];
	int first, err;

	err = parse_opts(&cmd_load, "PcR", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands("load", argc, argv, first, 1, 1,
			     "BPF object file");
	if (err)
		return err;
	if (o.policy)
		snprintf(name, sizeof(name), "%s", o.policy);
	else
		default_name(argv[first], name, sizeof(name));

	KRSI_OPTS(krsi_attach_opts, attach, .cgroup_path = o.cgroup);
	KRSI_OPTS(krsi_policy_opts, opts, .attach_opts = &attach,
		  .replace = o.replace);
	obj = krsi_object__open_file(argv[first], NULL);
	if (!obj)
		return 1;
	/* Events name their hooks (krsi audit); a no-op without events. */
	if (krsi_prepare_events(krsi_object__bpf_object(obj))) {
		krsi_object__destroy(obj);
		return 1;
	}
	policy = krsi_policy__install(obj, name, &opts);
	if (policy)
		report(policy);
	krsi_policy__destroy(policy);
	krsi_object__destroy(obj);
	return policy ? 0 : 1;
}

const struct cmd cmd_load = {
	.name = "load",
	.summary = "install a BPF object as a policy that outlives krsi",
	.run = run,
	.help = help,
};
