// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The krsi tool on the host: usage errors exit 2 with one line, --help on
 * every command, --json is valid JSON with the promised fields, and the
 * BPF program skeleton of every hook compiles. Its verdicts on real
 * kernels are tests/kernel/test_krsi_tool.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "json_check.h"
#include "run_cmd.h"

static void test_usage_errors_exit_2_with_one_line(void **state)
{
	(void)state;
	assert_usage_error("");
	assert_usage_error("frobnicate");
	assert_usage_error("hooks --nope");
	assert_usage_error("hooks a b");
	assert_usage_error("hooks --btf");
	assert_usage_error("hooks --trial --btf /sys/kernel/btf/vmlinux");
	assert_usage_error("hook");
	assert_usage_error("hook a b");
	assert_usage_error("probe extra");
	assert_usage_error("probe --btf x");
	assert_usage_error("btf");
	assert_usage_error("btf struct cred");
	assert_usage_error("policy");
	assert_usage_error("policy nope");
	/* a newline in an argument is escaped, never echoed raw */
	assert_usage_error("'new\nline'");
	assert_usage_error("policy 'new\nline'");
	assert_usage_error("policy mode 'new\nline'");
	assert_usage_error("load x.o --policy x '--new\nline'");
}

/* "krsi ARGS" prints its help: exit 0, standard output starting USAGE. */
static void assert_help(const char *args, const char *usage)
{
	struct run r = run_krsi(args);

	if (r.status != 0 || strncmp(r.out, usage, strlen(usage)))
		fail_msg("krsi %s: status %d, stdout \"%.80s\", stderr \"%s\"",
			 args, r.status, r.out, r.err);
	run_free(&r);
}

/*
 * Every command krsi --help lists, every subcommand, and every group of
 * subcommands ("policy") answers --help and -h with its usage, exit 0:
 * the list is krsi's own, so no command can be left out.
 */
static void test_help_on_every_command(void **state)
{
	char cmd[64], group[64] = "", args[96], usage[96], *line, *save;
	int n = 0, groups = 0;
	size_t len;
	struct run r;

	(void)state;
	r = run_krsi("--help");
	assert_int_equal(r.status, 0);
	line = strstr(r.out, "\nCommands:\n");
	assert_non_null(line);
	/* "  policy mode   summary": a name of one or two words, then two
	 * spaces or more */
	for (line = strtok_r(line + 11, "\n", &save); line && line[0] == ' ';
	     line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " ");
		len = strstr(line, "  ") ? (size_t)(strstr(line, "  ") - line)
					 : strcspn(line, " ");
		snprintf(cmd, sizeof(cmd), "%.*s", (int)len, line);
		if (strchr(cmd, ' ') &&
		    strncmp(group, cmd, strcspn(cmd, " ") + 1)) {
			snprintf(group, sizeof(group), "%.*s ",
				 (int)strcspn(cmd, " "), cmd);
			snprintf(args, sizeof(args), "%s--help", group);
			snprintf(usage, sizeof(usage),
				 "Usage: krsi %sSUBCOMMAND", group);
			assert_help(args, usage);
			snprintf(args, sizeof(args), "%s-h", group);
			assert_help(args, usage);
			groups++;
		}
		snprintf(args, sizeof(args), "%s --help", cmd);
		snprintf(usage, sizeof(usage), "Usage: krsi %s", cmd);
		assert_help(args, usage);
		snprintf(args, sizeof(args), "%s -h", cmd);
		assert_help(args, usage);
		n++;
	}
	run_free(&r);
	print_message("%d commands and %d group%s of subcommands answer --help "
		      "and -h\n",
		      n, groups, groups == 1 ? "" : "s");
	assert_true(n >= 10 && groups >= 1);
	assert_help("-h", "Usage: krsi ");
	r = run_krsi("--version");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "libkrsi"));
	run_free(&r);
}

static bool is_flag(const struct jval *v)
{
	return v && (v->type == J_BOOL || v->type == J_NULL);
}

/* Every object has name, return, args of {name, type}, and the flags. */
static void assert_hooks_json(const char *text, size_t min)
{
	struct jval *doc = json_parse(text);
	const struct jval *h, *ret, *args;
	size_t i, a;

	if (!doc)
		fail_msg("not valid JSON: %.200s", text);
	assert_int_equal(doc->type, J_ARR);
	assert_true(doc->n >= min);
	for (i = 0; i < doc->n; i++) {
		h = &doc->items[i];
		assert_int_equal(json_get(h, "name")->type, J_STR);
		ret = json_get(h, "return");
		assert_true(!strcmp(ret->str, "int") ||
			    !strcmp(ret->str, "bool") ||
			    !strcmp(ret->str, "void"));
		args = json_get(h, "args");
		assert_int_equal(args->type, J_ARR);
		for (a = 0; a < args->n; a++) {
			assert_int_equal(
				json_get(&args->items[a], "name")->type, J_STR);
			assert_int_equal(
				json_get(&args->items[a], "type")->type, J_STR);
		}
		assert_true(is_flag(json_get(h, "sleepable")));
		assert_true(is_flag(json_get(h, "cgroup")));
		assert_true(is_flag(json_get(h, "disabled")));
	}
	json_free(doc);
}

static void test_hooks_json(void **state)
{
	struct jval *doc;
	struct run r;

	(void)state;
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		skip();
	r = run_krsi("hooks --json");
	assert_int_equal(r.status, 0);
	assert_hooks_json(r.out, 200);
	run_free(&r);
	/* A BTF file, with a release whose flags libkrsi ships. */
	r = run_krsi(
		"hooks file_open --json --btf /sys/kernel/btf/vmlinux --kernel-release 6.12.118");
	assert_int_equal(r.status, 0);
	doc = json_parse(r.out);
	assert_non_null(doc);
	assert_true(doc->n >= 1); /* a plain word matches within names */
	for (size_t i = 0; i < doc->n; i++)
		assert_non_null(strstr(json_get(&doc->items[i], "name")->str,
				       "file_open"));
	json_free(doc);
	run_free(&r);
	r = run_krsi(
		"hooks --json --btf /sys/kernel/btf/vmlinux --kernel-release 6.12.118 '*file_open'");
	doc = json_parse(r.out);
	assert_non_null(doc);
	assert_int_equal(doc->n, 1);
	assert_true(json_get(&doc->items[0], "sleepable")->b);
	assert_false(json_get(&doc->items[0], "disabled")->b);
	assert_string_equal(json_get(&doc->items[0], "flags_from")->str,
			    "knowledge");
	json_free(doc);
	run_free(&r);
	r = run_krsi("hooks no_hook_is_called_this");
	assert_int_equal(r.status, 1);
	run_free(&r);
}

static void test_hook_and_its_skeleton(void **state)
{
	char array[4096];
	struct run r;

	(void)state;
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		skip();
	r = run_krsi("hook file_open");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "int file_open(struct file *file)\n"));
	assert_non_null(strstr(
		r.out,
		"SEC(\"lsm/file_open\")\n"
		"int BPF_PROG(on_file_open, struct file *file, int ret)\n"));
	run_free(&r);
	r = run_krsi("hook file_opne");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "did you mean file_open"));
	run_free(&r);
	r = run_krsi("hook task_free --json");
	assert_int_equal(r.status, 0);
	snprintf(array, sizeof(array), "[%s]", r.out);
	assert_hooks_json(array, 1); /* the object krsi hooks prints */
	run_free(&r);
}

/*
 * Every hook's skeleton, gathered into one file, compiles against this
 * build's vmlinux.h (the host's BTF): the declarations are right.
 */
static void test_every_skeleton_compiles(void **state)
{
	char path[32] = "/tmp/krsi-skel.XXXXXX", args[256], cmd[8192], *p;
	struct jval *doc;
	struct run r;
	size_t i;
	FILE *f;

	(void)state;
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		skip();
	r = run_krsi("hooks --json");
	doc = json_parse(r.out);
	run_free(&r);
	assert_non_null(doc);
	close(mkstemp(path));
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < doc->n; i++) {
		snprintf(args, sizeof(args), "hook --skeleton %s",
			 json_get(&doc->items[i], "name")->str);
		r = run_krsi(args);
		assert_int_equal(r.status, 0);
		/* The includes once, then each program up to the license. */
		p = i ? strstr(r.out, "\nSEC(\"lsm/") : r.out;
		assert_non_null(p);
		*strstr(p, "\nchar LICENSE[]") = '\0';
		fprintf(f, "%s\n", p);
		run_free(&r);
	}
	fprintf(f, "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
	fclose(f);
	/* krsi_path() is in a build directory, which has vmlinux.h, inside
	 * the tree, which has the headers. */
	snprintf(
		cmd, sizeof(cmd),
		"d=$(cd \"$(dirname %s)\" && pwd); t=$d; "
		"until [ -d \"$t/bpf_helpers\" ] || [ \"$t\" = / ]; do t=$(dirname \"$t\"); done; "
		"clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror "
		"-I$d -I$t/bpf_helpers -I$t/include -x c -c %s -o %s.o",
		krsi_path(), path, path);
	assert_int_equal(system(cmd), 0);
	print_message("the skeletons of all %zu hooks compile\n", doc->n);
	unlink(path);
	strcat(path, ".o");
	unlink(path);
	json_free(doc);
}

static void test_btf_command(void **state)
{
	struct run r;

	(void)state;
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		skip();
	r = run_krsi("btf 'struct cred'");
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "struct cred {\n", 14);
	assert_non_null(
		strstr(r.out, "\tkuid_t uid;\t/* offset 8, size 4 */\n"));
	run_free(&r);
	r = run_krsi(
		"btf 'enum bpf_attach_type' --btf /sys/kernel/btf/vmlinux");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\tBPF_LSM_MAC = 27,\n"));
	run_free(&r);
	r = run_krsi("btf no_such_type_anywhere");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "no type"));
	run_free(&r);
	r = run_krsi("btf task_struct --btf /nonexistent");
	assert_int_equal(r.status, 1);
	run_free(&r);
}

/* On any host: exit 0 exactly when the JSON says enforcing. */
static void test_probe_status_matches_its_verdict(void **state)
{
	const struct jval *checks, *enforcing;
	struct jval *doc;
	struct run r;

	(void)state;
	r = run_krsi("probe --json");
	doc = json_parse(r.out);
	if (!doc)
		fail_msg("not valid JSON: %s", r.out);
	enforcing = json_get(doc, "enforcing");
	assert_int_equal(r.status,
			 enforcing->type == J_BOOL && enforcing->b ? 0 : 1);
	checks = json_get(doc, "checks");
	assert_int_equal(checks->n, 9);
	assert_string_equal(json_get(&checks->items[8], "name")->str, "canary");
	json_free(doc);
	run_free(&r);
	r = run_krsi("probe --passive");
	assert_int_equal(r.status, 1); /* no canary, no proof */
	assert_non_null(strstr(r.out, "a passive probe loads no program"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors_exit_2_with_one_line),
		cmocka_unit_test(test_help_on_every_command),
		cmocka_unit_test(test_hooks_json),
		cmocka_unit_test(test_hook_and_its_skeleton),
		cmocka_unit_test(test_every_skeleton_compiles),
		cmocka_unit_test(test_btf_command),
		cmocka_unit_test(test_probe_status_matches_its_verdict),
	};

	return cmocka_run_group_tests_name("krsi tool", tests, NULL, NULL);
}
