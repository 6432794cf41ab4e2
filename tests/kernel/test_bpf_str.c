// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/str.bpf.h> and krsi_path_in_dir(), run by a syscall program and
 * compared with the C library's strncmp() and with what a directory test
 * should answer. Needs no BPF LSM: runs in the lsm-off boot too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ktest.h"
#include "bpf_str.skel.h"

struct fixture {
	struct bpf_str_bpf *skel;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int err;

	if (!fx)
		return -1;
	*state = fx;
	fx->skel = bpf_str_bpf__open_and_load();
	if (!fx->skel) {
		err = -errno;
		print_message("cannot load the syscall program: %s\n",
			      strerror(-err));
		return ktest_in_vm() ? -1 : 0;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	bpf_str_bpf__destroy(fx->skel);
	free(fx);
	return 0;
}

/* Run the program on A and B, comparing at most N bytes. */
static void run(struct fixture *fx, const char *a, const char *b, unsigned n)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	if (!fx->skel)
		ktest_unavailable(
			"this kernel refuses syscall programs; run the test inside krsi-vmtest");
	memset(fx->skel->bss->a, 0, sizeof(fx->skel->bss->a));
	memset(fx->skel->bss->b, 0, sizeof(fx->skel->bss->b));
	strncpy(fx->skel->bss->a, a, sizeof(fx->skel->bss->a) - 1);
	strncpy(fx->skel->bss->b, b, sizeof(fx->skel->bss->b) - 1);
	fx->skel->bss->n = n;
	assert_int_equal(
		bpf_prog_test_run_opts(
			bpf_program__fd(fx->skel->progs.str_logic), &opts),
		0);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_strncmp_agrees_with_libc(void **state)
{
	static const struct {
		const char *a, *b;
		unsigned n;
	} cases[] = {
		{ "abc", "abc", 64 },  { "abc", "abd", 64 },
		{ "abd", "abc", 64 },  { "abc", "abcd", 64 },
		{ "abcd", "abc", 64 }, { "abcX", "abcY", 3 },
		{ "", "", 64 },	       { "", "a", 64 },
		{ "\xff", "a", 64 },   { "same", "diff", 0 },
	};
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(fx, cases[i].a, cases[i].b, cases[i].n);
		if (sign(fx->skel->bss->cmp) !=
		    sign(strncmp(cases[i].a, cases[i].b, cases[i].n)))
			fail_msg(
				"krsi_strncmp(\"%s\", \"%s\", %u) = %d, strncmp() = %d",
				cases[i].a, cases[i].b, cases[i].n,
				fx->skel->bss->cmp,
				strncmp(cases[i].a, cases[i].b, cases[i].n));
	}
}

static void test_prefix(void **state)
{
	static const struct {
		const char *s, *prefix;
		unsigned n;
		int want;
	} cases[] = {
		{ "/tmp/x", "/tmp/", 64, 1 }, { "/tmp", "/tmp/", 64, 0 },
		{ "/etc/passwd", "", 64, 1 }, { "/etcd", "/etc", 64, 1 },
		{ "ab", "abc", 64, 0 },	      { "abX", "abc", 2, 1 },
	};
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(fx, cases[i].s, cases[i].prefix, cases[i].n);
		if (fx->skel->bss->has_prefix != cases[i].want)
			fail_msg("krsi_str_has_prefix(\"%s\", \"%s\", %u) = %d",
				 cases[i].s, cases[i].prefix, cases[i].n,
				 fx->skel->bss->has_prefix);
	}
	run(fx, "/tmp/file", "", 64);
	assert_int_equal(fx->skel->bss->prefix_tmp, 1);
	run(fx, "/tmpfile", "", 64);
	assert_int_equal(fx->skel->bss->prefix_tmp, 0);
}

static void test_path_in_dir_compares_whole_names(void **state)
{
	static const struct {
		const char *path, *dir;
		int want;
	} cases[] = {
		{ "/etc", "/etc", 1 },		 { "/etc/passwd", "/etc", 1 },
		{ "/etc/passwd", "/etc/", 1 },	 { "/etcd/x", "/etc", 0 },
		{ "/etc", "/etc/", 0 },		 { "/et", "/etc", 0 },
		{ "/anything", "/", 1 },	 { "/etc", "", 0 },
		{ "/usr/lib/x", "/usr/lib", 1 },
	};
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(fx, cases[i].path, cases[i].dir, 64);
		if (fx->skel->bss->in_dir != cases[i].want)
			fail_msg("krsi_path_in_dir(\"%s\", \"%s\") = %d",
				 cases[i].path, cases[i].dir,
				 fx->skel->bss->in_dir);
	}
	run(fx, "/etc/hosts", "", 64);
	assert_int_equal(fx->skel->bss->in_dir_etc, 1);
	run(fx, "/etcetera", "", 64);
	assert_int_equal(fx->skel->bss->in_dir_etc, 0);
}

int main(int argc, char **argv)
{
	struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_strncmp_agrees_with_libc,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_path_in_dir_compares_whole_names, setup, teardown),
	};

	ktest_require_feature_all(tests, sizeof(tests) / sizeof(tests[0]),
				  KRSI_FEATURE_SYSCALL_PROG);
	/* Syscall programs need no BPF LSM: the same tests in both boots. */
	return cmocka_run_group_tests_name(
		ktest_lsm_off(argc, argv) ? "bpf_str (lsm-off)" : "bpf_str",
		tests, NULL, NULL);
}
