// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include <krsi/version.h>

static void test_version_matches_headers(void **state)
{
	(void)state;
	assert_int_equal(krsi_version(), KRSI_VERSION);
	assert_int_equal(KRSI_VERSION, KRSI_VERSION_ENCODE(KRSI_VERSION_MAJOR,
							   KRSI_VERSION_MINOR,
							   KRSI_VERSION_PATCH));
}

static void test_version_string_matches_macros(void **state)
{
	char want[32];

	(void)state;
	snprintf(want, sizeof(want), "%d.%d.%d", KRSI_VERSION_MAJOR,
		 KRSI_VERSION_MINOR, KRSI_VERSION_PATCH);
	assert_string_equal(krsi_version_string(), want);
}

static void test_version_encoding_orders(void **state)
{
	(void)state;
	assert_true(KRSI_VERSION_ENCODE(0, 1, 9) <
		    KRSI_VERSION_ENCODE(0, 2, 0));
	assert_true(KRSI_VERSION_ENCODE(0, 255, 255) <
		    KRSI_VERSION_ENCODE(1, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_matches_headers),
		cmocka_unit_test(test_version_string_matches_macros),
		cmocka_unit_test(test_version_encoding_orders),
	};

	return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
