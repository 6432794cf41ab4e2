/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the libFuzzer harnesses: libkrsi's and libbpf's messages are
 * formatted (so a format and its fuzzed arguments are exercised) and then
 * dropped, and fuzzed bytes become a file a path names.
 */
#ifndef FUZZ_H
#define FUZZ_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include: fuzz.h needs memfd_create()"
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/log.h>

static int fuzz_print(enum krsi_print_level level, const char *fmt,
		      va_list args)
{
	char msg[512];

	(void)level;
	return vsnprintf(msg, sizeof(msg), fmt, args);
}

static int fuzz_libbpf_print(enum libbpf_print_level level, const char *fmt,
			     va_list args)
{
	char msg[512];

	(void)level;
	return vsnprintf(msg, sizeof(msg), fmt, args);
}

/* Route every message to the formatters above. */
static inline void fuzz_quiet(void)
{
	krsi_set_print(fuzz_print);
	libbpf_set_print(fuzz_libbpf_print);
}

/*
 * A file holding DATA, named by PATH ("/proc/self/fd/N"): a memfd, written
 * anew for each input. Returns 0, or -1 (the harness then aborts: that is
 * its own failure, not the library's).
 */
static inline int fuzz_file(const uint8_t *data, size_t size, char path[32])
{
	static int fd = -1;

	if (fd < 0)
		fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 0) ||
	    (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		return -1;
	snprintf(path, 32, "/proc/self/fd/%d", fd);
	return 0;
}

#endif /* FUZZ_H */
