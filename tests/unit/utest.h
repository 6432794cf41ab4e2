/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the unit tests: capture libkrsi's messages, make real maps
 * (skipping when the process may not use BPF: the unit tests need no root,
 * but those that make maps need CAP_BPF), and mount a bpffs of their own.
 */
#ifndef UTEST_H
#define UTEST_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include: utest.h needs unshare()"
#endif
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <krsi/log.h>
#include <krsi/map.h>

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

/* Assert that CALL returns NULL with errno ERR. */
#define assert_errno_null(call, err)            \
	do {                                    \
		errno = 0;                      \
		assert_null(call);              \
		assert_int_equal(errno, (err)); \
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

/* A new map, or the test is skipped when BPF is not permitted. */
static inline struct krsi_map *utest_map(enum bpf_map_type type,
					 const char *name, __u32 key_size,
					 __u32 value_size, __u32 max_entries,
					 __u32 map_flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = map_flags);
	struct krsi_map *map;
	int fd;

	if (type == BPF_MAP_TYPE_LPM_TRIE)
		opts.map_flags |= BPF_F_NO_PREALLOC;
	fd = bpf_map_create(type, name, key_size, value_size, max_entries,
			    &opts);
	utest_need_bpf(fd);
	assert_true(fd >= 0);
	map = krsi_map__new_fd(fd);
	assert_non_null(map);
	close(fd);
	return map;
}

/* The private bpffs of utest_mount_bpffs(), or "" if there is none. */
static char utest_bpffs[64];

/*
 * Mount a bpffs for this process only, in a mount namespace of its own, so
 * the tests can pin without touching the host's /sys/fs/bpf. Needs root;
 * without it utest_bpffs stays empty.
 */
static inline void utest_mount_bpffs(void)
{
	static char dir[] = "/tmp/krsi-test-bpffs-XXXXXX";

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return;
	if (!mkdtemp(dir))
		return;
	if (mount("bpf", dir, "bpf", 0, "mode=0700")) {
		rmdir(dir);
		return;
	}
	snprintf(utest_bpffs, sizeof(utest_bpffs), "%s", dir);
}

static inline void utest_unmount_bpffs(void)
{
	if (!utest_bpffs[0])
		return;
	umount(utest_bpffs);
	rmdir(utest_bpffs);
}

/* Skip the test when there is no private bpffs. */
static inline void utest_need_bpffs(void)
{
	if (!utest_bpffs[0]) {
		print_message(
			"skipped: no private bpffs (needs root for a mount namespace)\n");
		skip();
	}
}

#endif /* UTEST_H */
