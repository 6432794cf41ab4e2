// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include <krsi/log.h>

#include "internal.h"

static char last[256];
static enum krsi_print_level last_level;
static int calls;

static int capture(enum krsi_print_level level, const char *format,
		   va_list args)
{
	calls++;
	last_level = level;
	errno = EIO; /* the library must restore errno around us */
	return vsnprintf(last, sizeof(last), format, args);
}

static int reset(void **state)
{
	(void)state;
	last[0] = '\0';
	calls = 0;
	return 0;
}

static void test_set_print_returns_previous(void **state)
{
	krsi_print_fn_t def;

	(void)state;
	def = krsi_set_print(capture);
	assert_non_null(def);
	assert_ptr_equal(krsi_set_print(NULL), capture);
	assert_null(krsi_set_print(def));
	assert_ptr_equal(krsi_set_print(def), def);
}

static void test_messages_are_prefixed_and_keep_errno(void **state)
{
	krsi_print_fn_t def = krsi_set_print(capture);

	(void)state;
	errno = ENOENT;
	pr_warn("hook %s: %d\n", "file_open", 42);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(calls, 1);
	assert_int_equal(last_level, KRSI_WARN);
	assert_string_equal(last, "libkrsi: hook file_open: 42\n");

	pr_debug("detail %s\n", "x");
	assert_int_equal(last_level, KRSI_DEBUG);
	assert_string_equal(last, "libkrsi: detail x\n");
	krsi_set_print(def);
}

static void test_null_callback_silences(void **state)
{
	krsi_print_fn_t def = krsi_set_print(NULL);

	(void)state;
	errno = EPERM;
	pr_warn("nobody hears this\n");
	assert_int_equal(errno, EPERM);
	assert_int_equal(calls, 0);
	krsi_set_print(def);
}

/* libbpf's own codes become standard errnos, described as libbpf does;
 * other errnos pass through, whatever their sign. */
static void test_libbpf_errors_translated(void **state)
{
	char desc[128];

	(void)state;
	assert_int_equal(
		krsi_libbpf_errno(-LIBBPF_ERRNO__FORMAT, desc, sizeof(desc)),
		-EINVAL);
	assert_string_equal(desc, "BPF object format invalid");
	assert_int_equal(
		krsi_libbpf_errno(LIBBPF_ERRNO__LIBELF, desc, sizeof(desc)),
		-EINVAL);
	assert_int_equal(
		krsi_libbpf_errno(-LIBBPF_ERRNO__VERIFY, desc, sizeof(desc)),
		-EACCES);
	assert_int_equal(
		krsi_libbpf_errno(-LIBBPF_ERRNO__PROG2BIG, desc, sizeof(desc)),
		-E2BIG);
	assert_int_equal(
		krsi_libbpf_errno(-LIBBPF_ERRNO__PROGTYPE, desc, sizeof(desc)),
		-EOPNOTSUPP);
	assert_int_equal(krsi_libbpf_errno(-ENOENT, desc, sizeof(desc)),
			 -ENOENT);
	assert_string_equal(desc, strerror(ENOENT));
	assert_int_equal(krsi_libbpf_errno(EPERM, desc, sizeof(desc)), -EPERM);
}

/* Control characters are escaped, and what does not fit is cut. */
static void test_printable(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(krsi_printable("a\nb\x1b", buf, sizeof(buf)),
			    "a\\nb\\x1b");
	assert_string_equal(
		krsi_printable("0123456789abcdef", buf, sizeof(buf)),
		"012345678...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_set_print_returns_previous, reset),
		cmocka_unit_test_setup(
			test_messages_are_prefixed_and_keep_errno, reset),
		cmocka_unit_test_setup(test_null_callback_silences, reset),
		cmocka_unit_test(test_libbpf_errors_translated),
		cmocka_unit_test(test_printable),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
