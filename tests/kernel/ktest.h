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

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

#endif /* KTEST_H */
