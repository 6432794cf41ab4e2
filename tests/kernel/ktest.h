/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the kernel tests: they run inside krsi-vmtest on every supported
 * kernel, where they must run, and skip elsewhere with the reason.
 *
 * Each test binary takes one optional argument: --lsm-off says the VM was
 * booted with an lsm= list lacking "bpf", so the binary runs its tests of
 * that case instead (or none, exiting 0, when it has none).
 */
#ifndef KTEST_H
#define KTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <krsi/log.h>

/* True inside krsi-vmtest, where skipping is a failure. */
static inline bool ktest_in_vm(void)
{
	return getenv("KRSI_VMTEST") != NULL;
}

/* True when the binary was started with --lsm-off. */
static inline bool ktest_lsm_off(int argc, char **argv)
{
	return argc > 1 && strcmp(argv[1], "--lsm-off") == 0;
}

/*
 * The kernel cannot do what the test needs. Inside the VM that is a failure;
 * elsewhere (a host that refuses LSM programs) the test skips, saying why.
 */
#define ktest_unavailable(...)                          \
	do {                                            \
		if (ktest_in_vm())                      \
			fail_msg(__VA_ARGS__);          \
		print_message("skipped: " __VA_ARGS__); \
		print_message("\n");                    \
		skip();                                 \
	} while (0)

/* Whether "bpf" is in the active LSM list; fails the test if unreadable. */
static inline bool ktest_bpf_lsm_active(void)
{
	char buf[512], *tok, *save;
	FILE *f = fopen("/sys/kernel/security/lsm", "r");
	size_t n;

	if (!f)
		fail_msg(
			"cannot read /sys/kernel/security/lsm (is securityfs mounted?)");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (tok = strtok_r(buf, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save))
		if (strcmp(tok, "bpf") == 0)
			return true;
	return false;
}

/* libkrsi's messages since ktest_capture_start(), also shown on stderr. */
static char ktest_log[1 << 16];
static size_t ktest_log_len;

static inline int ktest_capture(enum krsi_print_level level, const char *fmt,
				va_list ap)
{
	size_t room = sizeof(ktest_log) - ktest_log_len;
	va_list copy;
	int n;

	if (level == KRSI_DEBUG)
		return 0;
	va_copy(copy, ap);
	vfprintf(stderr, fmt, copy);
	va_end(copy);
	n = vsnprintf(ktest_log + ktest_log_len, room, fmt, ap);
	if (n > 0)
		ktest_log_len += (size_t)n < room ? (size_t)n : room - 1;
	return n;
}

static inline void ktest_capture_start(void)
{
	ktest_log_len = 0;
	ktest_log[0] = '\0';
	krsi_set_print(ktest_capture);
}

/* Fail unless the captured messages contain TEXT. */
#define ktest_log_has(text)                                             \
	do {                                                            \
		if (!strstr(ktest_log, (text)))                         \
			fail_msg("libkrsi's messages lack \"%s\":\n%s", \
				 (text), ktest_log);                    \
	} while (0)

/* mprotect() on a page of our own: 0 or -errno. */
static inline int ktest_mprotect(void)
{
	static void *page;
	long size = sysconf(_SC_PAGESIZE);

	if (!page)
		page = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		fail_msg("mmap failed");
	return mprotect(page, size, PROT_READ) ? -errno : 0;
}

/* Create the cgroup /sys/fs/cgroup/NAME into PATH (PATH_MAX bytes). */
static inline void ktest_cgroup_create(const char *name, char *path)
{
	snprintf(path, 4096, "/sys/fs/cgroup/%s", name);
	if (mkdir(path, 0755) && errno != EEXIST)
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

/* Move process PID into the cgroup at PATH. */
static inline void ktest_cgroup_enter(const char *path, pid_t pid)
{
	char procs[4200];
	FILE *f;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	f = fopen(procs, "w");
	if (!f || fprintf(f, "%d\n", pid) < 0 || fclose(f))
		fail_msg("cannot move %d into %s: %s", pid, path,
			 strerror(errno));
}

#endif /* KTEST_H */
