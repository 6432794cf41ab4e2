// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi ls, load and unload on the host: usage errors exit 2 with one line,
 * ls --json is valid JSON of the promised shape, and what cannot be done
 * exits 1 with the reason (their --help: test_krsi.c). What they do on real kernels is
 * tests/kernel/test_attachments.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "json_check.h"
#include "run_cmd.h"

static void expect(const char *args, int status, const char *err_has)
{
	struct run r = run_krsi(args);

	if (r.status != status || (err_has && !strstr(r.err, err_has)))
		fail_msg("krsi %s: status %d (expected %d), stderr \"%s\"",
			 args, r.status, status, r.err);
	run_free(&r);
}

static void test_usage_errors(void **state)
{
	static const char *const bad[] = {
		"ls extra", "ls --policy x",   "load",
		"load a b", "load a --policy", "load a --json",
		"unload",   "unload a b",      "unload a --replace",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_usage_error(bad[i]);
}

static void test_ls_json(void **state)
{
	struct run r = run_krsi("ls --json");
	struct jval *doc;

	(void)state;
	if (r.status == 1 && strstr(r.err, "Operation not permitted")) {
		run_free(&r);
		skip(); /* walking links needs CAP_SYS_ADMIN */
	}
	assert_int_equal(r.status, 0);
	doc = json_parse(r.out);
	if (!doc)
		fail_msg("not valid JSON: %s", r.out);
	assert_int_equal(json_get(doc, "attachments")->type, J_ARR);
	assert_int_equal(json_get(doc, "policies")->type, J_ARR);
	json_free(doc);
	run_free(&r);
}

static void test_failures_exit_1_with_the_reason(void **state)
{
	(void)state;
	expect("load /nonexistent.bpf.o", 1, "No such file");
	expect("load /nonexistent.bpf.o --policy a.b", 1, "No such file");
	expect("unload krsi-no-such-policy", 1, "not installed");
	expect("unload a.b", 1, "invalid policy name");
}

/* Not BPF object files, as a shell user may name them: refused at once,
 * saying what they are, without libbpf's "Unknown error 4000" nor a
 * program's advice (libbpf_set_print()); a name's newline is escaped. */
static void test_not_object_files(void **state)
{
	static const char *const fifo = "/tmp/krsi-tool-test-fifo";
	struct run r;

	(void)state;
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(30); /* krsi waiting on the FIFO is a failure, not a hang */
	expect("load /tmp/krsi-tool-test-fifo", 1, "it is a FIFO");
	expect("hooks --btf /tmp/krsi-tool-test-fifo", 1, "it is a FIFO");
	alarm(0);
	unlink(fifo);
	expect("load /dev/null", 1, "it is a device, not a regular file");
	expect("load /tmp", 1, "it is a directory, not a regular file");
	expect("btf --btf /tmp int", 1, "it is a directory");
	r = run_krsi("load /proc/self/status");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "is not an ELF file"));
	assert_null(strstr(r.err, "Unknown error"));
	assert_null(strstr(r.err, "libbpf_set_print"));
	run_free(&r);
	r = run_krsi("unload 'new\nline'");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "'new\\nline'"));
	assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_ls_json),
		cmocka_unit_test(test_failures_exit_1_with_the_reason),
		cmocka_unit_test(test_not_object_files),
	};

	return cmocka_run_group_tests_name("krsi policies", tests, NULL, NULL);
}
