// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Renderers of single values (lib/audit_fmt.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit_internal.h"

static char space[4096];

static struct audit_buf buf(void)
{
	return (struct audit_buf){ .p = space, .cap = sizeof(space) };
}

/* What B holds, as a string. */
static const char *str(struct audit_buf *b)
{
	b->p[b->len] = '\0';
	return b->p;
}

static void test_numbers(void **state)
{
	struct audit_buf b = buf();

	(void)state;
	fmt_u64(&b, 0);
	buf_char(&b, ' ');
	fmt_u64(&b, 7);
	buf_char(&b, ' ');
	fmt_u64(&b, 10);
	buf_char(&b, ' ');
	fmt_u64(&b, 1234567890);
	buf_char(&b, ' ');
	fmt_u64(&b, UINT64_MAX);
	buf_char(&b, ' ');
	fmt_s64(&b, -1);
	buf_char(&b, ' ');
	fmt_s64(&b, INT64_MIN);
	buf_char(&b, ' ');
	fmt_s64(&b, INT64_MAX);
	assert_string_equal(str(&b),
			    "0 7 10 1234567890 18446744073709551615 -1 "
			    "-9223372036854775808 9223372036854775807");
	assert_true(strlen("18446744073709551615") <= FMT_U64_MAX);
	assert_true(strlen("-9223372036854775808") <= FMT_S64_MAX + 1);
}

static void test_json_strings(void **state)
{
	struct audit_buf b = buf();

	(void)state;
	fmt_json_str(&b, "plain", 16);
	assert_string_equal(str(&b), "\"plain\"");
	b = buf();
	/* escapes, controls, valid UTF-8 kept, stops at NUL */
	fmt_json_str(&b,
		     "q\"b\\n\n\t\x01\x7f"
		     "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
		     "\0after",
		     64);
	assert_string_equal(
		str(&b), "\"q\\\"b\\\\n\\n\\t\\u0001\\u007f\xc3\xa9\xe2\x82\xac"
			 "\xf0\x9f\x98\x80\"");
	b = buf();
	/* stops at the array's end without a NUL */
	fmt_json_str(&b, "abcdef", 3);
	assert_string_equal(str(&b), "\"abc\"");
}

static void test_json_invalid_utf8_is_replaced(void **state)
{
	static const char *const bad[] = {
		"\xff", /* never valid */
		"\xc0\xaf", /* overlong */
		"\xe0\x80\xaf", /* overlong */
		"\xed\xa0\x80", /* a surrogate */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xc3", /* cut short */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct audit_buf b = buf();
		size_t n = strlen(bad[i]), j;
		char want[64] = "\"";

		fmt_json_str(&b, bad[i], n);
		for (j = 0; j < n; j++)
			strcat(want, "\\ufffd");
		strcat(want, "\"");
		assert_string_equal(str(&b), want);
		/* the bound holds */
		assert_true(b.len <= FMT_STR_MAX(n));
	}
}

static void test_audit_strings(void **state)
{
	struct audit_buf b = buf();

	(void)state;
	fmt_audit_str(&b, "/etc/passwd", 32);
	assert_string_equal(str(&b), "\"/etc/passwd\"");
	b = buf();
	/* a space, a quote, a control or a non-ASCII byte: hex, as audit */
	fmt_audit_str(&b, "a b", 32);
	assert_string_equal(str(&b), "612062");
	b = buf();
	fmt_audit_str(&b, "\"\n\xe9", 32);
	assert_string_equal(str(&b), "220AE9");
	b = buf();
	fmt_audit_str(&b, "", 32);
	assert_string_equal(str(&b), "\"\"");
}

static void test_hex_and_addresses(void **state)
{
	static const unsigned char v4[4] = { 192, 0, 2, 255 };
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d,
					      0xb8, [15] = 1 };
	static const unsigned char mapped[16] = {
		[10] = 0xff, [11] = 0xff, [12] = 10, [15] = 1
	};
	struct audit_buf b = buf();

	(void)state;
	fmt_hex(&b, "\x00\x0f\xa5\xff", 4);
	assert_string_equal(str(&b), "000fa5ff");
	b = buf();
	fmt_ipv4(&b, v4);
	assert_string_equal(str(&b), "192.0.2.255");
	b = buf();
	fmt_ipv6(&b, v6);
	assert_string_equal(str(&b), "2001:db8::1");
	b = buf();
	fmt_ipv6(&b, mapped);
	assert_string_equal(str(&b), "::ffff:10.0.0.1");
}

/* IPv6 text as RFC 5952 and inet_ntop() have it. */
static void test_ipv6_rules(void **state)
{
	static const struct {
		unsigned char a[16];
		const char *text;
	} cases[] = {
		{ {}, "::" },
		{ { [15] = 1 }, "::1" },
		{ { 0, 1 }, "1::" },
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		    1 },
		  "2001:db8:0:1::1" },
		/* a single zero group is not shortened */
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0,
		    1 },
		  "2001:db8:0:1:1:1:1:1" },
		/* the longest run, the first of two equal ones */
		{ { 0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 },
		  "2001:0:0:1::1" },
		{ { 0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1 },
		  "2001::1:0:0:1:1" },
		{ { 0xfe, 0x80, [8] = 0x0a, 0xbc, 0, 0x0d, 0xef, 0x01, 0,
		    0x10 },
		  "fe80::abc:d:ef01:10" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct audit_buf b = buf();

		fmt_ipv6(&b, cases[i].a);
		assert_string_equal(str(&b), cases[i].text);
		assert_true(b.len <= FMT_IPV6_MAX);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(audit_invalid_name(KRSI_EVENT_INVALID_SHORT),
			    "short");
	assert_string_equal(audit_invalid_name(KRSI_EVENT_INVALID_CPU), "cpu");
	assert_string_equal(audit_invalid_name(0), "unknown");
	assert_string_equal(audit_invalid_name(1000), "unknown");
	assert_string_equal(audit_verdict_name(KRSI_EVENT_DENY), "deny");
	assert_null(audit_verdict_name(9));
	assert_string_equal(audit_mode_name(KRSI_EVENT_MONITOR), "monitor");
	assert_null(audit_mode_name(9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_json_invalid_utf8_is_replaced),
		cmocka_unit_test(test_audit_strings),
		cmocka_unit_test(test_hex_and_addresses),
		cmocka_unit_test(test_ipv6_rules),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("audit_fmt", tests, NULL, NULL);
}
