// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi hooks: list the LSM hooks of this kernel or of a BTF file. */
#include <fnmatch.h>
#include <string.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi hooks [--json] [PATTERN] [--btf FILE] [--kernel-release REL]\n"
		"                  [--trial]\n"
		"\n"
		"List the LSM hooks BPF programs can attach to, with their return class\n"
		"(int: 0 or -errno, bool: 1 or 0, void: cannot deny) and three flags:\n"
		"disabled (the kernel refuses programs there), sleepable (lsm.s/\n"
		"programs may attach) and cgroup (lsm_cgroup/ programs may attach).\n"
		"Flags come from the data libkrsi ships for this kernel build, else from\n"
		"trial loads on this kernel, measured once and cached in\n"
		"" KRSI_HOOK_FLAGS_CACHE
		" (as root); --trial measures them again.\n"
		"\"?\" (JSON null) means not known: the first line says why (with\n"
		"--json, standard error).\n"
		"\n"
		"PATTERN is a shell glob (file_*); a plain word matches hook names\n"
		"containing it.\n"
		"\n"
		"Options:\n"
		"  --json                print one JSON array of hook objects\n"
		"  --btf FILE            read the hooks from FILE (raw BTF, or an ELF\n"
		"                        file with a .BTF section) instead of this kernel\n"
		"  --kernel-release REL  the kernel release FILE belongs to (6.12.118),\n"
		"                        for the flags libkrsi ships for it\n"
		"  --trial               measure the flags now by loading a trivial\n"
		"                        program on every hook (root; not with --btf)\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status: 0 when hooks were listed; 1 when none matched or the\n"
		"catalog could not be read; 2 on a usage error.\n");
}

static bool matches(const char *name, const char *pattern)
{
	if (!pattern)
		return true;
	if (strpbrk(pattern, "*?["))
		return !fnmatch(pattern, name, 0);
	return strstr(name, pattern);
}

static int run(int argc, char **argv)
{
	const char *pattern = NULL;
	const struct krsi_hook *h;
	struct krsi_hooks *hooks;
	struct common_opts o;
	unsigned int shown = 0;
	int first, err;
	size_t i;

	err = parse_opts(&cmd_hooks, "jbrt", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands("hooks", argc, argv, first, 0, 1, NULL);
	if (err)
		return err;
	if (first < argc)
		pattern = argv[first];
	hooks = load_catalog(&o);
	if (!hooks)
		return 1;
	if (o.json) {
		if (!strncmp(krsi_hooks__flags_note(hooks), "unknown", 7))
			fprintf(stderr, "krsi hooks: flags %s\n",
				krsi_hooks__flags_note(hooks));
		printf("[");
	} else {
		printf("# LSM hooks of %s; flags %s\n%-32s %-6s %-8s %-9s %s\n",
		       o.btf ? o.btf : "the running kernel",
		       krsi_hooks__flags_note(hooks), "HOOK", "RETURN",
		       "DISABLED", "SLEEPABLE", "CGROUP");
	}
	for (i = 0; i < krsi_hooks__count(hooks); i++) {
		h = krsi_hooks__at(hooks, i);
		if (!matches(krsi_hook__name(h), pattern))
			continue;
		if (o.json) {
			printf("%s\n  ", shown ? "," : "");
			json_hook(stdout, h);
		} else {
			printf("%-32s %-6s %-8s %-9s %s\n", krsi_hook__name(h),
			       krsi_hook_return_str(krsi_hook__return(h)),
			       tristate_str(krsi_hook__flag(
				       h, KRSI_HOOK_DISABLED, NULL)),
			       tristate_str(krsi_hook__flag(
				       h, KRSI_HOOK_SLEEPABLE, NULL)),
			       tristate_str(krsi_hook__flag(h, KRSI_HOOK_CGROUP,
							    NULL)));
		}
		shown++;
	}
	if (o.json)
		printf("\n]\n");
	krsi_hooks__free(hooks);
	if (!shown) {
		fprintf(stderr, "krsi hooks: no hook matches \"%s\"\n",
			pattern);
		return 1;
	}
	return 0;
}

const struct cmd cmd_hooks = {
	.name = "hooks",
	.summary = "list the LSM hooks of this kernel or of a BTF file",
	.run = run,
	.help = help,
};
