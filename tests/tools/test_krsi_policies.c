// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi ls, load and unload on the host: usage errors exit 2 with one line,
 * ls --json is valid JSON of the promised shape, and what cannot be done
 * exits 1 with the reason (their --help: test_krsi.c). What they do on real kernels is
 * tests/kernel/test_attachments.c's.
 */
#include <stdarg.h>
#include <stddef.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_ls_json),
		cmocka_unit_test(test_failures_exit_1_with_the_reason),
	};

	return cmocka_run_group_tests_name("krsi policies", tests, NULL, NULL);
}
