// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi probe: is BPF LSM really enforcing here? */
#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi probe [--json] [--passive]\n"
		"\n"
		"Check, layer by layer, whether BPF LSM really enforces on this kernel\n"
		"for this process: vmlinux BTF, BPF LSM compiled in, bpf in the active\n"
		"LSM list, lsm= on the command line, bpffs, capabilities, lockdown, a\n"
		"trial load, and a canary program that must deny getsid() to krsi\n"
		"itself. Each check prints its evidence and, when it failed, the fix.\n"
		"Nothing is left loaded or attached, and nothing is mounted.\n"
		"\n"
		"Options:\n"
		"  --json      print the report as one JSON object\n"
		"  --passive   only read files: load no program (no canary)\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: 0 only when BPF LSM is proven to enforce; 1 otherwise;\n"
		"2 on a usage error.\n");
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

	err = parse_opts(&cmd_probe, "jp", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands("probe", argc, argv, first, 0, 0, NULL);
	if (err)
		return err;
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
