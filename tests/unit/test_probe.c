// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/probe.h> on the host: what its checks read (the lsm= fix, the
 * command line, mountinfo, lockdown) and the report's API. The verdicts on
 * real kernels are tests/kernel/test_probe.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include <krsi/probe.h>

#include "probe_internal.h"

static void assert_str_and_free(char *s, const char *expected)
{
	if (!expected) {
		assert_null(s);
		return;
	}
	assert_non_null(s);
	assert_string_equal(s, expected);
	free(s);
}

static void test_lsm_param_keeps_order_and_appends_bpf(void **state)
{
	(void)state;
	/* capability is always first and cannot be listed in lsm=. */
	assert_str_and_free(
		krsi_lsm_param_with_bpf(
			"lockdown,capability,landlock,yama,apparmor\n"),
		"lockdown,landlock,yama,apparmor,bpf");
	assert_str_and_free(krsi_lsm_param_with_bpf("landlock,lockdown,yama"),
			    "landlock,lockdown,yama,bpf");
	assert_str_and_free(krsi_lsm_param_with_bpf("capability"), "bpf");
	assert_str_and_free(krsi_lsm_param_with_bpf(""), "bpf");
	assert_true(krsi_list_has("capability,bpf,ima", "bpf"));
	assert_true(krsi_list_has("bpf\n", "bpf"));
	assert_false(krsi_list_has("bpfx,xbpf", "bpf"));
	assert_false(krsi_list_has("", "bpf"));
}

static void test_cmdline_param(void **state)
{
	(void)state;
	assert_str_and_free(
		krsi_cmdline_param(
			"BOOT_IMAGE=/vmlinuz root=/dev/vda lsm=landlock,yama quiet\n",
			"lsm"),
		"landlock,yama");
	/* The last one given wins. */
	assert_str_and_free(krsi_cmdline_param("lsm=a lsm=b,bpf", "lsm"),
			    "b,bpf");
	assert_str_and_free(
		krsi_cmdline_param("xlsm=a security=selinux", "lsm"), NULL);
	assert_str_and_free(krsi_cmdline_param("", "lsm"), NULL);
}

static void test_mountinfo(void **state)
{
	const char *info =
		"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		"25 22 0:7 / /sys/kernel/security rw shared:3 - securityfs securityfs rw\n"
		"31 22 0:29 / /sys/fs/bpf rw,nosuid shared:9 - bpf bpf rw,mode=700\n";

	(void)state;
	assert_str_and_free(krsi_mountinfo_find(info, "bpf"), "/sys/fs/bpf");
	assert_str_and_free(krsi_mountinfo_find(info, "securityfs"),
			    "/sys/kernel/security");
	assert_str_and_free(krsi_mountinfo_find(info, "bp"), NULL);
	assert_str_and_free(krsi_mountinfo_find("garbage", "bpf"), NULL);
}

static void test_lockdown_mode(void **state)
{
	(void)state;
	assert_str_and_free(
		krsi_lockdown_mode("none [integrity] confidentiality\n"),
		"integrity");
	assert_str_and_free(krsi_lockdown_mode("[none] integrity"), "none");
	assert_str_and_free(krsi_lockdown_mode("none integrity"), NULL);
	assert_str_and_free(krsi_lockdown_mode("[none"), NULL);
}

/* A passive probe reads files only; every check has a status and evidence. */
static void test_passive_report(void **state)
{
	KRSI_OPTS(krsi_probe_opts, opts, .passive = true);
	struct krsi_probe_report *r = krsi_probe_report__new(&opts);
	unsigned int i;

	(void)state;
	assert_non_null(r);
	assert_int_equal(krsi_probe_report__count(r), 9);
	for (i = 0; i < krsi_probe_report__count(r); i++) {
		assert_non_null(krsi_probe_check_name(i));
		assert_non_null(krsi_probe_check_title(i));
		assert_non_null(krsi_probe_report__evidence(r, i));
		assert_non_null(
			krsi_probe_status_str(krsi_probe_report__status(r, i)));
		/* A fix exactly when the check failed. */
		assert_int_equal(krsi_probe_report__fix(r, i) != NULL,
				 krsi_probe_report__status(r, i) ==
					 KRSI_PROBE_FAILED);
	}
	assert_int_equal(krsi_probe_report__status(r, KRSI_PROBE_LOAD),
			 KRSI_PROBE_NOT_CHECKED);
	assert_int_equal(krsi_probe_report__status(r, KRSI_PROBE_CANARY),
			 KRSI_PROBE_NOT_CHECKED);
	assert_int_not_equal(krsi_probe_report__enforcing(r), KRSI_YES);
	krsi_probe_report__free(r);
}

/*
 * A full probe on this host: a refused load says why (this project's host
 * refuses LSM programs with EPERM before verification) and leaves the
 * canary unchecked; a load that worked leads to a canary verdict.
 */
static void test_full_report_is_consistent(void **state)
{
	struct krsi_probe_report *r = krsi_probe_report__new(NULL);
	const char *load;

	(void)state;
	assert_non_null(r);
	load = krsi_probe_report__evidence(r, KRSI_PROBE_LOAD);
	switch (krsi_probe_report__status(r, KRSI_PROBE_LOAD)) {
	case KRSI_PROBE_FAILED:
		print_message("load: %s\n", load);
		assert_true(strstr(load, "EPERM before verification") ||
			    strstr(load, "the verifier said"));
		assert_int_equal(
			krsi_probe_report__status(r, KRSI_PROBE_CANARY),
			KRSI_PROBE_NOT_CHECKED);
		assert_int_equal(krsi_probe_report__enforcing(r), KRSI_NO);
		break;
	case KRSI_PROBE_OK:
		assert_int_not_equal(
			krsi_probe_report__status(r, KRSI_PROBE_CANARY),
			KRSI_PROBE_NOT_CHECKED);
		break;
	default:
		/* No BTF with BPF LSM hooks: nothing to load. */
		assert_int_not_equal(
			krsi_probe_report__status(r, KRSI_PROBE_COMPILED_IN),
			KRSI_PROBE_OK);
	}
	krsi_probe_report__free(r);
}

static void test_errors(void **state)
{
	struct krsi_probe_opts bad = { .sz = 2 };

	(void)state;
	assert_null(krsi_probe_report__new(&bad));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_probe_report__enforcing(NULL), KRSI_UNKNOWN);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_probe_report__count(NULL), 0);
	assert_int_equal(krsi_probe_report__status(NULL, 0),
			 KRSI_PROBE_NOT_CHECKED);
	assert_null(krsi_probe_report__evidence(NULL, 0));
	assert_null(krsi_probe_report__fix(NULL, 0));
	assert_null(krsi_probe_report__lsm_param(NULL));
	assert_null(krsi_probe_check_name(9));
	assert_null(krsi_probe_check_title(9));
	assert_false(krsi_probe_check_required(9));
	assert_true(krsi_probe_check_required(KRSI_PROBE_CANARY));
	assert_false(krsi_probe_check_required(KRSI_PROBE_BPFFS));
	assert_null(krsi_probe_status_str(3));
	assert_string_equal(krsi_probe_status_str(KRSI_PROBE_NOT_CHECKED),
			    "not checked");
	krsi_probe_report__free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lsm_param_keeps_order_and_appends_bpf),
		cmocka_unit_test(test_cmdline_param),
		cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_lockdown_mode),
		cmocka_unit_test(test_passive_report),
		cmocka_unit_test(test_full_report_is_consistent),
		cmocka_unit_test(test_errors),
	};

	libbpf_set_print(NULL);
	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
