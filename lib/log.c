// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>

#include "internal.h"

static int default_print(enum krsi_print_level level, const char *format,
			 va_list args)
{
	if (level == KRSI_DEBUG)
		return 0;
	return vfprintf(stderr, format, args);
}

static krsi_print_fn_t print_fn = default_print;

krsi_print_fn_t krsi_set_print(krsi_print_fn_t fn)
{
	return __atomic_exchange_n(&print_fn, fn, __ATOMIC_SEQ_CST);
}

void krsi_print(enum krsi_print_level level, const char *fmt, ...)
{
	krsi_print_fn_t fn = __atomic_load_n(&print_fn, __ATOMIC_ACQUIRE);
	char prefixed[1024];
	int saved_errno = errno;
	va_list args;

	if (fn) {
		/* Prefix the format, not the output, so the callback still
		 * receives a format and its arguments. */
		snprintf(prefixed, sizeof(prefixed), "libkrsi: %s", fmt);
		va_start(args, fmt);
		fn(level, prefixed, args);
		va_end(args);
	}
	errno = saved_errno;
}
