// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <bpf/libbpf.h>

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

const char *krsi_printable(const char *s, char *buf, size_t size)
{
	size_t len = 0;

	for (; *s && len + 8 <= size; s++) {
		if (*s == '\n')
			len += snprintf(buf + len, size - len, "\\n");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			len += snprintf(buf + len, size - len, "\\x%02x",
					(unsigned char)*s);
		else
			buf[len++] = *s;
	}
	snprintf(buf + len, size - len, "%s", *s ? "..." : "");
	return buf;
}

#define LIBBPF_CODE(name) [LIBBPF_ERRNO__##name - __LIBBPF_ERRNO__START]

int krsi_libbpf_errno(int err, char *desc, size_t size)
{
	/* libbpf's own codes; those not listed are about the object: EINVAL */
	static const int std[__LIBBPF_ERRNO__END - __LIBBPF_ERRNO__START] = {
		LIBBPF_CODE(VERIFY) = EACCES,
		LIBBPF_CODE(PROG2BIG) = E2BIG,
		LIBBPF_CODE(PROGTYPE) = EOPNOTSUPP,
		LIBBPF_CODE(WRNGPID) = EPROTO,
		LIBBPF_CODE(INVSEQ) = EPROTO,
		LIBBPF_CODE(NLPARSE) = EPROTO,
	};
	int code = err < 0 ? -err : err;

	libbpf_strerror(code, desc, size);
	if (code < __LIBBPF_ERRNO__START || code >= __LIBBPF_ERRNO__END)
		return -code;
	return -(std[code - __LIBBPF_ERRNO__START] ?: EINVAL);
}
