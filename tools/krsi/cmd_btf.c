// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi btf TYPE: print a kernel type as C. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi btf TYPE [--btf FILE]\n"
		"\n"
		"Print a type of the running kernel (or of FILE) as C: structs and\n"
		"unions with each member's offset and size, enums with their values,\n"
		"typedefs, and functions as prototypes. TYPE is a name, optionally\n"
		"with its kind: \"struct cred\", \"union bpf_attr\", \"enum bpf_prog_type\",\n"
		"\"typedef u32\"; a bare name prefers a struct, then a union, an enum,\n"
		"a typedef and a function.\n"
		"\n"
		"Options:\n"
		"  --btf FILE  read FILE (raw BTF, or an ELF file with a .BTF section)\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: 0 on success; 1 when there is no such type or the BTF\n"
		"cannot be read; 2 on a usage error.\n");
}

static const struct {
	const char *word;
	unsigned int kind;
} kinds[] = {
	{ "struct ", BTF_KIND_STRUCT }, { "union ", BTF_KIND_UNION },
	{ "enum ", BTF_KIND_ENUM },	{ "typedef ", BTF_KIND_TYPEDEF },
	{ "func ", BTF_KIND_FUNC },
};

static int print_type(const struct krsi_btf *btf, const char *spec)
{
	const char *name = spec;
	unsigned int kind = 0, i;
	int id, len;
	char *text;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(spec, kinds[i].word, strlen(kinds[i].word))) {
			kind = kinds[i].kind;
			name = spec + strlen(kinds[i].word);
		}
	id = krsi_btf__find(btf, name, kind);
	/* An enum may be a 64-bit one. */
	if (id == -ENOENT && kind == BTF_KIND_ENUM)
		id = krsi_btf__find(btf, name, BTF_KIND_ENUM64);
	if (id < 0) {
		fprintf(stderr, "krsi btf: no type \"%s\" in this BTF\n", spec);
		return 1;
	}
	len = krsi_btf__format(btf, id, NULL, 0);
	text = len >= 0 ? malloc(len + 1) : NULL;
	if (!text || krsi_btf__format(btf, id, text, len + 1) < 0) {
		perror("krsi btf");
		free(text);
		return 1;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}

static int run(int argc, char **argv)
{
	struct krsi_btf *btf;
	struct common_opts o;
	int first, err;

	err = parse_opts(&cmd_btf, "b", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	if (first >= argc)
		return usage_error("btf", "no TYPE given");
	if (first + 1 < argc)
		return usage_error(
			"btf",
			"unexpected argument \"%s\" (quote \"struct NAME\")",
			argv[first + 1]);
	KRSI_OPTS(krsi_btf_opts, opts, .path = o.btf);
	btf = krsi_btf__load(&opts);
	if (!btf)
		return 1; /* libkrsi said why */
	err = print_type(btf, argv[first]);
	krsi_btf__free(btf);
	return err;
}

const struct cmd cmd_btf = {
	.name = "btf",
	.summary = "print a kernel type as C",
	.run = run,
	.help = help,
};
