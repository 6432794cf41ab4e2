// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The probe on a real kernel: it reports enforcing when bpf is active, and
 * booted with an lsm= list lacking bpf (--lsm-off) it reports not
 * enforcing, with the lsm= value that keeps the order and appends bpf, and
 * its canary proves it. It never leaves a program loaded and never mounts
 * securityfs behind the caller's back.
 */
#define _GNU_SOURCE /* unshare() */
#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <krsi/krsi.h>

#include "ktest.h"

/* What check.sh boots with for --lsm-off. */
#define LSM_OFF_PARAM "landlock,lockdown,yama,apparmor"

static unsigned int count_programs(void)
{
	unsigned int n = 0;
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id))
		n++;
	return n;
}

static struct krsi_probe_report *probe(bool passive)
{
	KRSI_OPTS(krsi_probe_opts, opts, .passive = passive);
	unsigned int before = count_programs();
	struct krsi_probe_report *r = krsi_probe_report__new(&opts);

	assert_non_null(r);
	/* Nothing loaded (so nothing attached) is left behind. */
	assert_int_equal(count_programs(), before);
	return r;
}

static void print_report(const struct krsi_probe_report *r)
{
	unsigned int i;

	for (i = 0; i < krsi_probe_report__count(r); i++)
		print_message(
			"  %-11s %-11s %s\n", krsi_probe_check_name(i),
			krsi_probe_status_str(krsi_probe_report__status(r, i)),
			krsi_probe_report__evidence(r, i));
}

static void assert_status(const struct krsi_probe_report *r,
			  enum krsi_probe_check check,
			  enum krsi_probe_status status)
{
	if (krsi_probe_report__status(r, check) != status)
		fail_msg("check %s is %s, expected %s: %s",
			 krsi_probe_check_name(check),
			 krsi_probe_status_str(
				 krsi_probe_report__status(r, check)),
			 krsi_probe_status_str(status),
			 krsi_probe_report__evidence(r, check));
	if (status == KRSI_PROBE_FAILED)
		assert_non_null(krsi_probe_report__fix(r, check));
	else
		assert_null(krsi_probe_report__fix(r, check));
}

/* Skip (fail inside the VM) where the probe finds BPF LSM unusable. */
static void require_enforcing(const struct krsi_probe_report *r)
{
	unsigned int i;

	if (krsi_probe_report__enforcing(r) == KRSI_YES)
		return;
	for (i = 0; i < krsi_probe_report__count(r); i++)
		if (krsi_probe_report__status(r, i) != KRSI_PROBE_OK &&
		    krsi_probe_check_required(i))
			break;
	ktest_unavailable("BPF LSM does not enforce here: %s: %s",
			  krsi_probe_check_title(i),
			  krsi_probe_report__evidence(r, i));
}

static void test_reports_enforcing(void **state)
{
	struct krsi_probe_report *r = probe(false);
	struct stat st;
	unsigned int i;

	(void)state;
	print_report(r);
	require_enforcing(r);
	for (i = 0; i < krsi_probe_report__count(r); i++)
		if (krsi_probe_check_required(i))
			assert_status(r, i, KRSI_PROBE_OK);
	/* bpffs writable by all (mode 1777, the kernel's default) is
	 * flagged, with the mount option that fixes it */
	assert_int_equal(stat("/sys/fs/bpf", &st), 0);
	assert_status(r, KRSI_PROBE_BPFFS,
		      st.st_mode & S_IWOTH ? KRSI_PROBE_FAILED : KRSI_PROBE_OK);
	if (st.st_mode & S_IWOTH)
		assert_non_null(
			strstr(krsi_probe_report__fix(r, KRSI_PROBE_BPFFS),
			       "mode=0700"));
	assert_non_null(strstr(
		krsi_probe_report__evidence(r, KRSI_PROBE_CANARY), "EPERM"));
	assert_null(krsi_probe_report__lsm_param(r));
	krsi_probe_report__free(r);
}

static void test_passive_probe_loads_nothing(void **state)
{
	struct krsi_probe_report *r = probe(true);

	(void)state;
	if (krsi_probe_report__status(r, KRSI_PROBE_ACTIVE) != KRSI_PROBE_OK)
		ktest_unavailable(
			"bpf is not an active LSM here: %s",
			krsi_probe_report__evidence(r, KRSI_PROBE_ACTIVE));
	assert_status(r, KRSI_PROBE_LOAD, KRSI_PROBE_NOT_CHECKED);
	assert_status(r, KRSI_PROBE_CANARY, KRSI_PROBE_NOT_CHECKED);
	assert_int_equal(krsi_probe_report__enforcing(r), KRSI_UNKNOWN);
	krsi_probe_report__free(r);
}

/* In a child with its own mount namespace: securityfs unmounted there. */
static int probe_without_securityfs(void)
{
	struct krsi_probe_report *r;
	FILE *f;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    umount2("/sys/kernel/security", MNT_DETACH))
		return 10;
	r = krsi_probe_report__new(NULL);
	if (!r)
		return 11;
	if (krsi_probe_report__status(r, KRSI_PROBE_ACTIVE) !=
		    KRSI_PROBE_NOT_CHECKED ||
	    !strstr(krsi_probe_report__evidence(r, KRSI_PROBE_ACTIVE),
		    "securityfs is not mounted"))
		return 12;
	/* The canary still tells the truth. */
	if (krsi_probe_report__enforcing(r) != KRSI_YES)
		return 13;
	krsi_probe_report__free(r);
	/* And the probe did not mount securityfs itself. */
	f = fopen("/sys/kernel/security/lsm", "r");
	if (f) {
		fclose(f);
		return 14;
	}
	return 0;
}

static void test_says_so_when_securityfs_is_not_mounted(void **state)
{
	struct krsi_probe_report *r = probe(false);
	int status;
	pid_t pid;

	(void)state;
	require_enforcing(r);
	krsi_probe_report__free(r);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(probe_without_securityfs());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* --lsm-off: bpf is not active; the canary attaches and never runs. */
static void test_reports_not_enforcing_with_fix(void **state)
{
	const char *fix = "lsm=" LSM_OFF_PARAM ",bpf";
	struct krsi_probe_report *r = probe(false);

	(void)state;
	print_report(r);
	assert_int_equal(krsi_probe_report__enforcing(r), KRSI_NO);
	assert_status(r, KRSI_PROBE_BTF, KRSI_PROBE_OK);
	assert_status(r, KRSI_PROBE_COMPILED_IN, KRSI_PROBE_OK);
	assert_status(r, KRSI_PROBE_ACTIVE, KRSI_PROBE_FAILED);
	assert_string_equal(krsi_probe_report__lsm_param(r),
			    LSM_OFF_PARAM ",bpf");
	assert_non_null(
		strstr(krsi_probe_report__fix(r, KRSI_PROBE_ACTIVE), fix));
	assert_status(r, KRSI_PROBE_CMDLINE, KRSI_PROBE_FAILED);
	assert_non_null(
		strstr(krsi_probe_report__evidence(r, KRSI_PROBE_CMDLINE),
		       "lsm=" LSM_OFF_PARAM " leaves bpf out"));
	assert_status(r, KRSI_PROBE_LOAD, KRSI_PROBE_OK);
	/* The canary proves it: attached, never ran. */
	assert_status(r, KRSI_PROBE_CANARY, KRSI_PROBE_FAILED);
	assert_non_null(
		strstr(krsi_probe_report__evidence(r, KRSI_PROBE_CANARY),
		       "never ran"));
	assert_non_null(
		strstr(krsi_probe_report__fix(r, KRSI_PROBE_CANARY), fix));
	krsi_probe_report__free(r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		cmocka_unit_test(test_reports_enforcing),
		cmocka_unit_test(test_passive_probe_loads_nothing),
		cmocka_unit_test(test_says_so_when_securityfs_is_not_mounted),
	};
	const struct CMUnitTest lsm_off[] = {
		cmocka_unit_test(test_reports_not_enforcing_with_fix),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("probe (lsm-off)", lsm_off,
						   NULL, NULL);
	return cmocka_run_group_tests_name("probe", lsm_on, NULL, NULL);
}
