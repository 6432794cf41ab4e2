// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/probe.h>'s features on the host: every feature has a name, a
 * title, a release and, once probed, an answer with its evidence. A
 * passive probe decides from BTF alone; a full one makes the trials this
 * host allows (maps and syscall programs, not LSM programs). What each
 * feature is on real kernels is tests/kernel/test_features.c's.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <krsi/probe.h>

#include "utest.h"
#include "internal.h"

static void test_names_titles_and_releases(void **state)
{
	KRSI_OPTS(krsi_features_opts, opts, .passive = true);
	struct krsi_features *f = krsi_features__probe(&opts);
	unsigned int major, minor;
	size_t i, j;
	char end;

	(void)state;
	assert_non_null(f);
	assert_int_equal(krsi_features__cnt(f), KRSI_FEATURE_BTF_DECL_TAG + 1);
	for (i = 0; i < krsi_features__cnt(f); i++) {
		const char *name = krsi_feature__name(i);

		assert_non_null(name);
		assert_non_null(krsi_feature__title(i));
		for (j = 0; name[j]; j++)
			assert_true(islower((unsigned char)name[j]) ||
				    name[j] == '_');
		for (j = 0; j < i; j++)
			assert_string_not_equal(name, krsi_feature__name(j));
		assert_int_equal(sscanf(krsi_feature__since(i), "%u.%u%c",
					&major, &minor, &end),
				 2);
	}
	krsi_features__free(f);
}

/* Passive: answers from BTF alone, so no LSM program kind is a yes. */
static void test_passive_probe_makes_no_trial(void **state)
{
	KRSI_OPTS(krsi_features_opts, opts, .passive = true);
	struct krsi_features *f = krsi_features__probe(&opts);
	size_t i;

	(void)state;
	assert_non_null(f);
	for (i = 0; i < krsi_features__cnt(f); i++) {
		assert_non_null(krsi_features__evidence(f, i));
		assert_true(krsi_features__has(f, i) >= KRSI_UNKNOWN &&
			    krsi_features__has(f, i) <= KRSI_YES);
	}
	assert_int_not_equal(krsi_features__has(f, KRSI_FEATURE_LSM), KRSI_YES);
	assert_int_not_equal(krsi_features__has(f, KRSI_FEATURE_RINGBUF),
			     KRSI_YES);
	assert_non_null(strstr(krsi_features__evidence(f, KRSI_FEATURE_LSM),
			       "passive"));
	krsi_features__free(f);
}

/*
 * A full probe on this host, which refuses LSM programs before
 * verification (see docs/CONTRIBUTING.md) but creates maps and syscall
 * programs: those are measured, the rest say why they are not known.
 */
static void test_full_probe_on_this_host(void **state)
{
	struct krsi_features *f = krsi_features__probe(NULL);

	(void)state;
	assert_non_null(f);
	if (krsi_features__has(f, KRSI_FEATURE_RINGBUF) == KRSI_UNKNOWN) {
		print_message(
			"skipped: this process may not create BPF maps (%s)\n",
			krsi_features__evidence(f, KRSI_FEATURE_RINGBUF));
		krsi_features__free(f);
		skip();
	}
	assert_int_equal(krsi_features__has(f, KRSI_FEATURE_RINGBUF), KRSI_YES);
	assert_int_equal(krsi_features__has(f, KRSI_FEATURE_SYSCALL_PROG),
			 KRSI_YES);
	assert_non_null(strstr(krsi_features__evidence(f, KRSI_FEATURE_RINGBUF),
			       "trial"));
	if (krsi_features__has(f, KRSI_FEATURE_LSM) == KRSI_UNKNOWN)
		assert_non_null(strstr(
			krsi_features__evidence(f, KRSI_FEATURE_LSM_CGROUP),
			"cannot load LSM programs"));
	krsi_features__free(f);
}

/* What a verifier's refusal means, in features (krsi_object__load()). */
static void test_hints_for_verifier_refusals(void **state)
{
	char log[128], buf[256];
	const char *hint;

	(void)state;
	/* 5.10's words for a helper it does not know, then 6.1's */
	snprintf(log, sizeof(log),
		 "20: (85) call unknown#%d\ninvalid func unknown#%d\n",
		 BPF_FUNC_loop, BPF_FUNC_loop);
	hint = krsi_feature_hint(log, buf, sizeof(buf));
	assert_non_null(hint);
	assert_non_null(strstr(hint, "bpf_loop()"));
	assert_non_null(strstr(hint, "first in Linux 5.17"));
	snprintf(log, sizeof(log), "unknown func bpf_ima_file_hash#%d\n",
		 BPF_FUNC_ima_file_hash);
	hint = krsi_feature_hint(log, buf, sizeof(buf));
	assert_non_null(hint);
	assert_non_null(
		strstr(hint, "feature ima_file_hash, first in Linux 5.18"));
	hint = krsi_feature_hint(
		"number of funcs in func_info doesn't match number of subprogs\n",
		buf, sizeof(buf));
	assert_non_null(hint);
	assert_non_null(strstr(hint, "callbacks came with Linux 5.13"));
	/* A helper libkrsi has no feature for, and other refusals: none. */
	assert_null(krsi_feature_hint("invalid func unknown#1\n", buf,
				      sizeof(buf)));
	assert_null(
		krsi_feature_hint("R0 invalid mem access 'map_value_or_null'\n",
				  buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_titles_and_releases),
		cmocka_unit_test(test_passive_probe_makes_no_trial),
		cmocka_unit_test(test_full_probe_on_this_host),
		cmocka_unit_test(test_hints_for_verifier_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
