/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the unit tests: capture libkrsi's messages, and skip when the
 * process may not use BPF (the unit tests need no root, but those that make
 * real maps need CAP_BPF).
 */
#ifndef UTEST_H
#define UTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <krsi/log.h>

/* The messages printed since utest_capture(), warnings and debug alike. */
static char utest_log[16384];
static size_t utest_log_len;
static int utest_warnings;

static int utest_capture_fn(enum krsi_print_level level, const char *fmt,
			    va_list args)
{
	int n;

	if (level == KRSI_WARN)
		utest_warnings++;
	n = vsnprintf(utest_log + utest_log_len,
		      sizeof(utest_log) - utest_log_len, fmt, args);
	if (n > 0)
		utest_log_len += (size_t)n;
	if (utest_log_len >= sizeof(utest_log))
		utest_log_len = sizeof(utest_log) - 1;
	return n;
}

/* Start capturing messages afresh. */
static inline void utest_capture(void)
{
	utest_log[0] = '\0';
	utest_log_len = 0;
	utest_warnings = 0;
	krsi_set_print(utest_capture_fn);
}

/* Assert that the captured messages contain TEXT. */
#define assert_logged(text)                                              \
	do {                                                             \
		if (!strstr(utest_log, (text)))                          \
			fail_msg("message \"%s\" not in log:\n%s", text, \
				 utest_log);                             \
	} while (0)

/* Skip the test when the kernel refused BPF with EPERM (no CAP_BPF). */
#define utest_need_bpf(fd)                                                    \
	do {                                                                  \
		if ((fd) < 0 && (errno == EPERM || errno == EACCES)) {        \
			print_message(                                        \
				"skipped: BPF needs CAP_BPF or root here\n"); \
			skip();                                               \
		}                                                             \
	} while (0)

#endif /* UTEST_H */
