// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The krsi tool on real kernels: krsi probe exits 0 only when BPF LSM
 * enforces, and under --lsm-off prints the lsm= fix and exits 1; krsi
 * hooks shows every flag (shipped, cached or measured: no null), and
 * --trial measures them again, agreeing.
 * krsi is found next to this binary (make check copies it into the VM).
 */
#define _GNU_SOURCE
#include <unistd.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "../tools/json_check.h"
#include "../tools/run_cmd.h"

#define LSM_OFF_FIX "landlock,lockdown,yama,apparmor,bpf"

static struct jval *run_json(const char *args, int status)
{
	struct run r = run_krsi(args);
	struct jval *doc = json_parse(r.out);

	if (r.status != status || !doc)
		fail_msg("krsi %s: status %d (expected %d), %s JSON:\n%s\n%s",
			 args, r.status, status, doc ? "valid" : "invalid",
			 r.out, r.err);
	run_free(&r);
	return doc;
}

static void test_probe_exits_0_when_enforcing(void **state)
{
	struct jval *doc;
	struct run r;

	(void)state;
	r = run_krsi("probe");
	if (r.status != 0 && !ktest_in_vm())
		ktest_unavailable("BPF LSM does not enforce on this host");
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "BPF LSM is enforcing.\n", 22);
	run_free(&r);
	doc = run_json("probe --json", 0);
	assert_true(json_get(doc, "enforcing")->b);
	assert_int_equal(json_get(doc, "lsm_param")->type, J_NULL);
	json_free(doc);
}

static void test_hooks_trial_agrees_with_flags_shown(void **state)
{
	static const char *const flags[] = { "disabled", "sleepable",
					     "cgroup" };
	struct jval *known, *measured;
	const struct jval *k, *m;
	struct run r;
	size_t i, f;

	(void)state;
	r = run_krsi("hooks --trial");
	if (r.status != 0)
		ktest_unavailable("krsi hooks --trial fails here: %s", r.err);
	run_free(&r);
	known = run_json("hooks --json", 0);
	measured = run_json("hooks --trial --json", 0);
	assert_int_equal(known->n, measured->n);
	for (i = 0; i < known->n; i++) {
		k = &known->items[i];
		m = &measured->items[i];
		assert_int_equal(json_get(k, "flags_from")->type, J_STR);
		assert_string_equal(json_get(m, "flags_from")->str,
				    "trial load");
		for (f = 0; f < 3; f++) {
			assert_int_equal(json_get(k, flags[f])->type, J_BOOL);
			assert_int_equal(json_get(m, flags[f])->type, J_BOOL);
			if (json_get(k, flags[f])->b !=
			    json_get(m, flags[f])->b)
				fail_msg("%s: %s known %d, measured %d",
					 json_get(k, "name")->str, flags[f],
					 json_get(k, flags[f])->b,
					 json_get(m, flags[f])->b);
		}
	}
	json_free(known);
	json_free(measured);
}

static void test_hook_shows_known_flags(void **state)
{
	struct run r = run_krsi("hook file_open");

	(void)state;
	assert_int_equal(r.status, 0);
	if (strstr(r.out, "(not known)"))
		ktest_unavailable("krsi knows no flags here: %s", r.out);
	/* Yes on 6.1 and later, no on 5.10: known either way. */
	assert_true(strstr(r.out, "  sleepable  yes  (") ||
		    strstr(r.out, "  sleepable  no   ("));
	assert_non_null(strstr(r.out, "SEC(\"lsm/file_open\")"));
	run_free(&r);
}

/* --lsm-off: not enforcing, the fix, and the canary's proof. */
static void test_probe_exits_1_with_the_fix(void **state)
{
	const struct jval *checks;
	struct jval *doc;
	struct run r;

	(void)state;
	r = run_krsi("probe");
	assert_int_equal(r.status, 1);
	assert_memory_equal(r.out, "BPF LSM is NOT enforcing.\n", 26);
	assert_non_null(strstr(r.out, "lsm=" LSM_OFF_FIX));
	run_free(&r);
	doc = run_json("probe --json", 1);
	assert_false(json_get(doc, "enforcing")->b);
	assert_string_equal(json_get(doc, "lsm_param")->str, LSM_OFF_FIX);
	checks = json_get(doc, "checks");
	assert_string_equal(json_get(&checks->items[8], "status")->str,
			    "failed");
	assert_non_null(strstr(json_get(&checks->items[8], "evidence")->str,
			       "never ran"));
	json_free(doc);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		cmocka_unit_test(test_probe_exits_0_when_enforcing),
		cmocka_unit_test(test_hooks_trial_agrees_with_flags_shown),
		cmocka_unit_test(test_hook_shows_known_flags),
	};
	const struct CMUnitTest lsm_off[] = {
		cmocka_unit_test(test_probe_exits_1_with_the_fix),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("krsi tool (lsm-off)",
						   lsm_off, NULL, NULL);
	return cmocka_run_group_tests_name("krsi tool", lsm_on, NULL, NULL);
}
