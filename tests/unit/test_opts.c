// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The options-struct contract every krsi_*_opts follows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <krsi/common.h>

#include "internal.h"

struct krsi_demo_opts {
	size_t sz;
	int a;
	long b;
};

/* What an application built against a newer libkrsi would pass. */
struct krsi_demo_opts_v2 {
	size_t sz;
	int a;
	long b;
	long c;
};

/* As a library function sees its opts argument: a pointer. */
static bool valid(const struct krsi_demo_opts *opts)
{
	return OPTS_VALID(opts, krsi_demo_opts, b);
}

static int get_a(const struct krsi_demo_opts *opts, int fallback)
{
	return OPTS_GET(opts, a, fallback);
}

static long get_b(const struct krsi_demo_opts *opts, long fallback)
{
	return OPTS_GET(opts, b, fallback);
}

static int silent(enum krsi_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void test_null_and_exact_size_are_valid(void **state)
{
	KRSI_OPTS(krsi_demo_opts, opts, .a = 1);

	(void)state;
	assert_int_equal(opts.sz, sizeof(opts));
	assert_int_equal(opts.a, 1);
	assert_int_equal(opts.b, 0);
	assert_true(
		OPTS_VALID((struct krsi_demo_opts *)NULL, krsi_demo_opts, b));
	assert_true(valid(&opts));
}

static void test_older_caller_gets_defaults(void **state)
{
	struct krsi_demo_opts opts = {
		.sz = offsetofend(struct krsi_demo_opts, a), .a = 3, .b = 99
	};

	(void)state;
	assert_true(valid(&opts));
	assert_int_equal(get_a(&opts, 0), 3);
	assert_int_equal(get_b(&opts, 7), 7);
}

static void test_newer_caller_valid_only_when_tail_is_zero(void **state)
{
	struct krsi_demo_opts_v2 v2 = { .sz = sizeof(v2), .a = 1 };
	krsi_print_fn_t old = krsi_set_print(silent);

	(void)state;
	assert_true(krsi_opts_valid(&v2, offsetofend(struct krsi_demo_opts, b),
				    v2.sz, "krsi_demo_opts"));
	v2.c = 5;
	assert_false(krsi_opts_valid(&v2, offsetofend(struct krsi_demo_opts, b),
				     v2.sz, "krsi_demo_opts"));
	krsi_set_print(old);
}

static void test_size_smaller_than_sz_field_is_invalid(void **state)
{
	struct krsi_demo_opts opts = { .sz = 0 };
	krsi_print_fn_t old = krsi_set_print(silent);

	(void)state;
	assert_false(valid(&opts));
	krsi_set_print(old);
}

static void test_err_sets_errno(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(krsi_err(0), 0);
	assert_int_equal(errno, 0);
	assert_int_equal(krsi_err(-ENOENT), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_null(krsi_err_ptr(-EINVAL));
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_and_exact_size_are_valid),
		cmocka_unit_test(test_older_caller_gets_defaults),
		cmocka_unit_test(
			test_newer_caller_valid_only_when_tail_is_zero),
		cmocka_unit_test(test_size_smaller_than_sz_field_is_invalid),
		cmocka_unit_test(test_err_sets_errno),
	};

	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
