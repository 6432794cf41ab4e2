// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi probe: is BPF LSM really enforcing here? */
#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi probe [--json] [--passive]\n"
		"       krsi probe --features [--json] [--passive]\n"
		"\n"
		"Check, layer by layer, whether BPF LSM really enforces on this kernel\n"
		"for this process: vmlinux BTF, BPF LSM compiled in, bpf in the active\n"
		"LSM list, lsm= on the command line, bpffs, capabilities, lockdown, a\n"
		"trial load, and a canary program that must deny getsid() to krsi\n"
		"itself. Each check prints its evidence and, when it failed, the fix.\n"
		"Nothing is left loaded or attached, and nothing is mounted.\n"
		"\n"
		"With --features, list what this kernel offers LSM programs instead:\n"
		"sleepable and per-cgroup programs, helpers, kfuncs and map types, each\n"
		"measured from the kernel's BTF and a trial load, with the evidence and\n"
		"the first upstream release that has it (docs/compat.md).\n"
		"\n"
		"Options:\n"
		"  --features  what the kernel offers LSM programs\n"
		"  --json      print the report as one JSON object\n"
		"  --passive   only read files: load no program (no canary, no trial)\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: 0 only when BPF LSM is proven to enforce (with --features:\n"
		"when the features were probed); 1 otherwise; 2 on a usage error.\n");
}

/* --features: a line per feature, its evidence below. */
static void print_features_text(const struct krsi_features *f)
{
	size_t i;

	for (i = 0; i < krsi_features__cnt(f); i++)
		printf("%-3s  %-17s %-37s since %s\n     %s\n",
		       tristate_str(krsi_features__has(f, i)),
		       krsi_feature__name(i), krsi_feature__title(i),
		       krsi_feature__since(i), krsi_features__evidence(f, i));
}

static void print_features_json(const struct krsi_features *f)
{
	size_t i;

	printf("{\"features\": [");
	for (i = 0; i < krsi_features__cnt(f); i++) {
		printf("%s\n  {\"name\": ", i ? "," : "");
		json_string(stdout, krsi_feature__name(i));
		printf(", \"title\": ");
		json_string(stdout, krsi_feature__title(i));
		printf(", \"since\": ");
		json_string(stdout, krsi_feature__since(i));
		printf(", \"has\": ");
		json_tristate(stdout, krsi_features__has(f, i));
		printf(", \"evidence\": ");
		json_string(stdout, krsi_features__evidence(f, i));
		printf("}");
	}
	printf("\n]}\n");
}

static int run_features(const struct common_opts *o)
{
	KRSI_OPTS(krsi_features_opts, opts, .passive = o->passive);
	struct krsi_features *f = krsi_features__probe(&opts);

	if (!f) {
		perror("krsi probe --features");
		return 1;
	}
	if (o->json)
		print_features_json(f);
	else
		print_features_text(f);
	krsi_features__free(f);
	return 0;
}

static void print_text(const struct krsi_probe_report *r)
{
	enum krsi_tristate v = krsi_probe_report__enforcing(r);
	enum krsi_probe_status st;
	unsigned int i;

	printf("%s\n", v == KRSI_YES ? "BPF LSM is enforcing."
		       : v == KRSI_NO
			       ? "BPF LSM is NOT enforcing."
			       : "Whether BPF LSM enforces is not known.");
	for (i = 0; i < krsi_probe_report__count(r); i++) {
		st = krsi_probe_report__status(r, i);
		printf("\n[%s] %s%s\n    %s\n",
		       st == KRSI_PROBE_FAILED ? "FAILED"
					       : krsi_probe_status_str(st),
		       krsi_probe_check_title(i),
		       krsi_probe_check_required(i) ? "" : " (advice)",
		       krsi_probe_report__evidence(r, i));
		if (krsi_probe_report__fix(r, i))
			printf("    fix: %s\n", krsi_probe_report__fix(r, i));
	}
}

static void print_json(const struct krsi_probe_report *r)
{
	unsigned int i;

	printf("{\"enforcing\": ");
	json_tristate(stdout, krsi_probe_report__enforcing(r));
	printf(", \"lsm_param\": ");
	json_string(stdout, krsi_probe_report__lsm_param(r));
	printf(", \"checks\": [");
	for (i = 0; i < krsi_probe_report__count(r); i++) {
		printf("%s\n  {\"name\": ", i ? "," : "");
		json_string(stdout, krsi_probe_check_name(i));
		printf(", \"title\": ");
		json_string(stdout, krsi_probe_check_title(i));
		printf(", \"required\": %s, \"status\": ",
		       krsi_probe_check_required(i) ? "true" : "false");
		json_string(stdout, krsi_probe_status_str(
					    krsi_probe_report__status(r, i)));
		printf(", \"evidence\": ");
		json_string(stdout, krsi_probe_report__evidence(r, i));
		printf(", \"fix\": ");
		json_string(stdout, krsi_probe_report__fix(r, i));
		printf("}");
	}
	printf("\n]}\n");
}

static int run(int argc, char **argv)
{
	struct krsi_probe_report *r;
	struct common_opts o;
	int first, err;

	err = parse_opts(&cmd_probe, "jpe", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands("probe", argc, argv, first, 0, 0, NULL);
	if (err)
		return err;
	if (o.features)
		return run_features(&o);
	KRSI_OPTS(krsi_probe_opts, opts, .passive = o.passive);
	r = krsi_probe_report__new(&opts);
	if (!r) {
		perror("krsi probe");
		return 1;
	}
	if (o.json)
		print_json(r);
	else
		print_text(r);
	err = krsi_probe_report__enforcing(r) == KRSI_YES ? 0 : 1;
	krsi_probe_report__free(r);
	return err;
}

const struct cmd cmd_probe = {
	.name = "probe",
	.summary = "is BPF LSM really enforcing here?",
	.run = run,
	.help = help,
};
