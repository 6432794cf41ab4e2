// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Memory pressure while installing, adopting and removing a policy on a
 * real kernel: each of libkrsi's own allocations fails in turn
 * (tests/unit/fail_alloc.h; this test links libkrsi.a with
 * -Wl,--wrap=malloc,...). Every failed install ends in -ENOMEM with
 * nothing attached and nothing pinned; every failed adoption leaves the
 * policy installed and enforcing; nothing leaks.
 */
#define _GNU_SOURCE
#include "ktest.h"
#include "../unit/fail_alloc.h"
#include "policy_deny.skel.h"

#define NAME "nomem"
#define DIR KRSI_POLICY_PIN_ROOT "/" NAME

/* The whole policy, or none of it. */
static void assert_clean(void)
{
	assert_int_equal(access(DIR, F_OK), -1);
	assert_int_equal(access(DIR "~new", F_OK), -1);
	assert_int_equal(ktest_attached("deny_listed"), 0);
}

/* The policy's object, or NULL when an allocation failed. */
static struct krsi_object *open_policy(void)
{
	size_t sz;
	const void *elf = policy_deny_bpf__elf_bytes(&sz);

	return krsi_object__open_mem(elf, sz, NULL);
}

/* Run F with allocations failing as armed, and then none. */
static int unarmed(int (*f)(void))
{
	long armed = fail_at;
	int err;

	fail_at = 0;
	err = f();
	fail_at = armed;
	return err;
}

static int remove_it(void)
{
	return krsi_remove_policy(NAME, NULL);
}

static int op_install(void *ctx)
{
	struct krsi_object *obj = open_policy();
	struct krsi_policy *policy =
		obj ? krsi_policy__install(obj, NAME, NULL) : NULL;
	int err = policy ? 0 : -errno;

	(void)ctx;
	if (err == -EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	krsi_policy__destroy(policy);
	krsi_object__destroy(obj);
	if (!err)
		assert_int_equal(unarmed(remove_it), 0);
	assert_clean();
	return err;
}

static void test_install_without_memory(void **state)
{
	long n;

	(void)state;
	krsi_set_print(NULL);
	n = fail_each("install", op_install, NULL);
	print_message("install: each of its %ld allocations failed in turn: "
		      "-ENOMEM, nothing attached, nothing pinned, no leak\n",
		      n);
	assert_true(n > 0);
}

/* Adopt the installed policy; it must stay, denying, whatever fails. */
static int op_adopt(void *ctx)
{
	struct krsi_object *obj = open_policy();
	struct krsi_policy *policy =
		obj ? krsi_policy__adopt(obj, NAME, NULL) : NULL;
	int err = policy ? 0 : -errno, go;
	pid_t prober;

	(void)ctx;
	krsi_policy__destroy(policy);
	krsi_object__destroy(obj);
	assert_int_equal(access(DIR "/links/deny_listed", F_OK), 0);
	prober = ktest_fork_prober(&go);
	ktest_deny_pid_pinned(DIR, prober, EACCES);
	assert_int_equal(ktest_probe(prober, go), -EACCES);
	return err;
}

static void test_adopt_without_memory(void **state)
{
	struct krsi_object *obj = ktest_open_embedded(policy_deny);
	struct krsi_policy *policy;
	long n;

	(void)state;
	krsi_set_print(NULL);
	policy = krsi_policy__install(obj, NAME, NULL);
	if (!policy && errno == EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	assert_non_null(policy);
	krsi_policy__destroy(policy);
	krsi_object__destroy(obj); /* only the pins hold it now */
	n = fail_each("adopt", op_adopt, NULL);
	print_message("adopt: each of its %ld allocations failed in turn: "
		      "-ENOMEM, the policy in place and denying, no leak\n",
		      n);
	assert_true(n > 0);
	assert_int_equal(krsi_remove_policy(NAME, NULL), 0);
	assert_clean();
}

static int teardown(void **state)
{
	(void)state;
	krsi_remove_policy(NAME, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_install_without_memory,
					  teardown),
		cmocka_unit_test_teardown(test_adopt_without_memory, teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* nothing installs there */
	return cmocka_run_group_tests_name("install without memory", tests,
					   NULL, ktest_wait_programs_freed);
}
