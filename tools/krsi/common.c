// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* What the commands share: option parsing, the catalog, JSON output. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "krsi.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "krsi %s: ", cmd);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, " (see krsi %s --help)\n", cmd);
	return EXIT_USAGE;
}

int check_operands(const char *cmd, int argc, char **argv, int first, int min,
		   int max, const char *missing)
{
	if (argc - first < min)
		return usage_error(cmd, "no %s given", missing);
	if (argc - first > max)
		return usage_error(cmd, "unexpected argument \"%s\"",
				   argv[first + max]);
	return 0;
}

int parse_opts(const struct cmd *cmd, const char *has, int argc, char **argv,
	       struct common_opts *o, int *first)
{
	static const struct option all[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "trial", no_argument, NULL, 't' },
		{ "passive", no_argument, NULL, 'p' },
		{ "skeleton", no_argument, NULL, 's' },
		{ "btf", required_argument, NULL, 'b' },
		{ "kernel-release", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'P' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "replace", no_argument, NULL, 'R' },
		{ "format", required_argument, NULL, 'f' },
		{ "follow", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	/* 0, not 1: glibc then forgets a previous vector it was midway in. */
	optind = 0;
	/* Options may follow operands: krsi hooks file_ --json. */
	while ((c = getopt_long(argc, argv, ":h", all, NULL)) != -1) {
		if (c == 'h') {
			cmd->help(stdout);
			return 1;
		}
		if (c == '?')
			return usage_error(cmd->name, "unknown option %s",
					   argv[optind - 1]);
		if (c == ':')
			return usage_error(cmd->name, "%s needs an argument",
					   argv[optind - 1]);
		if (!strchr(has, c))
			return usage_error(cmd->name,
					   "%s does not apply to this command",
					   argv[optind - 1]);
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 't':
			o->trial = true;
			break;
		case 'p':
			o->passive = true;
			break;
		case 's':
			o->skeleton = true;
			break;
		case 'b':
			o->btf = optarg;
			break;
		case 'r':
			o->release = optarg;
			break;
		case 'P':
			o->policy = optarg;
			break;
		case 'F':
			o->follow = true;
			break;
		case 'c':
			o->cgroup = optarg;
			break;
		case 'R':
			o->replace = true;
			break;
		case 'f':
			o->format = optarg;
			break;
		}
	}
	if (o->trial && o->btf)
		return usage_error(
			cmd->name,
			"--trial measures the running kernel; it cannot apply to --btf");
	*first = optind;
	return 0;
}

int policy_dir(const struct cmd *cmd, const char *name, const char *pin,
	       char *dir)
{
	char path[PATH_MAX + 64];
	struct stat st;
	int err;

	/* krsi_policy__install()'s rule; it also keeps NAME in the root. */
	if (!name[0] ||
	    strspn(name,
		   "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(name))
		return usage_error(
			cmd->name,
			"invalid policy name \"%s\": policies are named with letters, digits, '_' and '-'",
			name);
	if ((size_t)snprintf(dir, PATH_MAX, "%s/%s", KRSI_POLICY_PIN_ROOT,
			     name) >= PATH_MAX)
		return usage_error(cmd->name, "policy name too long");
	err = stat(dir, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (err == ENOENT || err == ENOTDIR) {
		fprintf(stderr,
			"krsi %s: policy %s is not installed (no directory %s)\n",
			cmd->name, name, dir);
		return 1;
	}
	if (err) {
		fprintf(stderr, "krsi %s: cannot examine %s: %s%s\n", cmd->name,
			dir, strerror(err),
			err == EACCES ? " (policies need root)" : "");
		return 1;
	}
	if (!pin)
		return 0;
	/* Other errors are the library's to report, with the pin's path. */
	snprintf(path, sizeof(path), "%s/%s", dir, pin);
	if (stat(path, &st) && errno == ENOENT) {
		fprintf(stderr,
			"krsi %s: policy %s has no %s map: its programs do not define KRSI_POLICY_MAPS()\n",
			cmd->name, name, pin);
		return 1;
	}
	return 0;
}

struct krsi_hooks *load_catalog(const struct common_opts *o)
{
	KRSI_OPTS(krsi_hooks_opts, opts, .btf_path = o->btf,
		  .kernel_release = o->release, .trial_load = o->trial);

	return krsi_hooks__load(&opts);
}

const char *tristate_str(enum krsi_tristate v)
{
	return v == KRSI_YES ? "yes" : v == KRSI_NO ? "no" : "?";
}

void json_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		switch (*s) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if ((unsigned char)*s < 0x20)
				fprintf(out, "\\u%04x", (unsigned char)*s);
			else
				fputc(*s, out);
		}
	}
	fputc('"', out);
}

void json_tristate(FILE *out, enum krsi_tristate v)
{
	fputs(v == KRSI_YES ? "true" : v == KRSI_NO ? "false" : "null", out);
}

void json_hook(FILE *out, const struct krsi_hook *h)
{
	enum krsi_flag_source src;
	unsigned int i;
	int f;

	fprintf(out, "{\"name\": ");
	json_string(out, krsi_hook__name(h));
	fprintf(out, ", \"return\": ");
	json_string(out, krsi_hook_return_str(krsi_hook__return(h)));
	fprintf(out, ", \"args\": [");
	for (i = 0; i < krsi_hook__arg_count(h); i++) {
		fprintf(out, "%s{\"name\": ", i ? ", " : "");
		json_string(out, krsi_hook__arg_name(h, i));
		fprintf(out, ", \"type\": ");
		json_string(out, krsi_hook__arg_type(h, i));
		fprintf(out, "}");
	}
	fprintf(out, "], \"decl\": ");
	json_string(out, krsi_hook__decl(h));
	fprintf(out, ", \"btf_id\": %u", krsi_hook__btf_id(h));
	for (f = 0; f < 3; f++) {
		fprintf(out, ", \"%s\": ", krsi_hook_flag_str(f));
		json_tristate(out, krsi_hook__flag(h, f, NULL));
	}
	krsi_hook__flag(h, KRSI_HOOK_DISABLED, &src);
	fprintf(out, ", \"flags_from\": ");
	json_string(out, flag_source_str(src));
	fprintf(out, "}");
}

const char *flag_source_str(enum krsi_flag_source src)
{
	return src == KRSI_FLAG_MEASURED ? "trial load"
	       : src == KRSI_FLAG_KNOWN	 ? "knowledge"
					 : NULL;
}
