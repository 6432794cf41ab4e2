// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/object.h> on the host, which opens objects but refuses to load LSM
 * programs: every function's errors (NULL handles, bad options, missing
 * files, calls out of order), read-only variables, the getters, and
 * objects wrapped from a skeleton staying the application's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include <krsi/object.h>

#include "global_data.skel.h"
#include "internal.h"
#include "policy_deny.skel.h"
#include "two_progs.skel.h"
#include "utest.h"

static int setup(void **state)
{
	(void)state;
	utest_capture();
	libbpf_set_print(NULL);
	return 0;
}

static struct krsi_object *open_deny(const struct krsi_object_open_opts *opts)
{
	size_t size;
	const void *buf = policy_deny_bpf__elf_bytes(&size);

	return krsi_object__open_mem(buf, size, opts);
}

static void test_open_errors(void **state)
{
	struct krsi_object_open_opts small = { .sz = 1 };
	struct {
		struct krsi_object_open_opts opts;
		long newer;
	} big = { .opts.sz = sizeof(big), .newer = 1 };
	char garbage[64] = "not an ELF file";

	(void)state;
	assert_errno_null(krsi_object__open_file(NULL, NULL), EINVAL);
	assert_errno_null(krsi_object__open_file("/nonexistent.bpf.o", NULL),
			  ENOENT);
	assert_logged("/nonexistent.bpf.o");
	assert_errno_null(krsi_object__open_mem(NULL, 10, NULL), EINVAL);
	assert_errno_null(krsi_object__open_mem(garbage, 0, NULL), EINVAL);
	assert_null(krsi_object__open_mem(garbage, sizeof(garbage), NULL));
	assert_true(errno > 0);
	assert_errno_null(open_deny(&small), EINVAL);
	assert_errno_null(open_deny(&big.opts), EINVAL);
	assert_errno_null(krsi_object__from_bpf_object(NULL, NULL), EINVAL);
}

/*
 * What is not a BPF object file, as a shell user may give it: refused at
 * once with a standard errno and a message saying what it is, never a
 * wait (a FIFO blocked libbpf forever) nor libbpf's "Unknown error 4000".
 */
static void test_not_object_files_refused(void **state)
{
	static const struct {
		const char *path, *said;
		int err;
	} files[] = {
		{ "/tmp/krsi-test-fifo", "it is a FIFO, not a regular file",
		  EINVAL },
		{ "/dev/null", "it is a device, not a regular file", EINVAL },
		{ "/tmp", "it is a directory, not a regular file", EISDIR },
		{ "/proc/self/status", "is not an ELF file", EINVAL },
		{ "/tmp/krsi-test-empty", "is not an ELF file", EINVAL },
	};
	size_t i;
	int fd;

	(void)state;
	unlink(files[0].path);
	assert_int_equal(mkfifo(files[0].path, 0600), 0);
	fd = open(files[4].path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	alarm(10); /* a wait is a failure, not a hang */
	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		utest_capture();
		assert_errno_null(krsi_object__open_file(files[i].path, NULL),
				  files[i].err);
		assert_logged(files[i].said);
		assert_false(strstr(utest_log, "Unknown error"));
	}
	alarm(0);
	unlink(files[0].path);
	unlink(files[4].path);
}

static void test_open_with_options(void **state)
{
	KRSI_OPTS(krsi_object_open_opts, opts, .object_name = "guard",
		  .log_size = 4096);
	struct krsi_object *obj = open_deny(&opts);

	(void)state;
	assert_non_null(obj);
	assert_string_equal(bpf_object__name(krsi_object__bpf_object(obj)),
			    "guard");
	krsi_object__destroy(obj);
}

static void test_rodata(void **state)
{
	struct krsi_object *obj = open_deny(NULL);
	__u32 version = 42, small = 0;
	struct bpf_map *map;
	const __u32 *img;
	size_t size;

	(void)state;
	assert_non_null(obj);
	assert_int_equal(krsi_object__set_rodata(NULL, "version", &version, 4),
			 -EINVAL);
	assert_int_equal(krsi_object__set_rodata(obj, NULL, &version, 4),
			 -EINVAL);
	assert_int_equal(krsi_object__set_rodata(obj, "version", NULL, 4),
			 -EINVAL);
	assert_int_equal(krsi_object__set_rodata(obj, "nope", &version, 4),
			 -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_logged("no read-only variable 'nope'");
	assert_int_equal(krsi_object__set_rodata(obj, "version", &small, 2),
			 -EINVAL);
	/* A global that is not read-only is not found either. */
	assert_int_equal(krsi_object__set_rodata(obj, "denials", &version, 8),
			 -ENOENT);
	assert_int_equal(krsi_object__set_rodata(obj, "version", &version,
						 sizeof(version)),
			 0);
	bpf_object__for_each_map (map, krsi_object__bpf_object(obj))
		if (strstr(bpf_map__name(map), ".rodata"))
			break;
	assert_non_null(map);
	img = bpf_map__initial_value(map, &size);
	assert_int_equal(img[0], 42);
	krsi_object__destroy(obj);
}

static void test_load_and_attach_errors(void **state)
{
	KRSI_OPTS(krsi_attach_opts, opts);
	struct krsi_object *obj = open_deny(NULL);

	(void)state;
	assert_int_equal(krsi_object__load(NULL), -EINVAL);
	assert_int_equal(krsi_object__attach(NULL, NULL), -EINVAL);
	assert_int_equal(krsi_object__attach(obj, NULL), -ENOEXEC);
	assert_int_equal(errno, ENOEXEC);
	assert_logged("not loaded");
	opts.sz = 1;
	assert_int_equal(krsi_object__attach(obj, &opts), -EINVAL);
	krsi_object__detach(NULL);
	krsi_object__detach(obj); /* nothing attached: nothing to do */
	krsi_object__destroy(obj);
	krsi_object__destroy(NULL);
}

/* This host refuses LSM programs: the failure is reported, not hidden. */
static void test_load_refused_by_host(void **state)
{
	struct krsi_object *obj = open_deny(NULL);
	int err;

	(void)state;
	err = krsi_object__load(obj);
	if (!err)
		skip(); /* a host that loads LSM programs */
	assert_true(err < 0);
	assert_int_equal(errno, -err);
	assert_logged("loading BPF object");
	assert_null(krsi_object__verifier_log(obj, NULL));
	krsi_object__destroy(obj);
}

static void test_getters(void **state)
{
	struct krsi_object *obj = open_deny(NULL), *other = open_deny(NULL);
	struct bpf_program *prog, *theirs, *rejected = (void *)1;

	(void)state;
	assert_errno_null(krsi_object__bpf_object(NULL), EINVAL);
	assert_non_null(krsi_object__bpf_object(obj));
	assert_errno_null(krsi_object__find_program(NULL, "deny_listed"),
			  EINVAL);
	assert_errno_null(krsi_object__find_program(obj, NULL), EINVAL);
	assert_errno_null(krsi_object__find_program(obj, "nope"), ENOENT);
	prog = krsi_object__find_program(obj, "deny_listed");
	assert_non_null(prog);
	theirs = krsi_object__find_program(other, "deny_listed");
	assert_errno_null(krsi_object__link(NULL, prog), EINVAL);
	assert_errno_null(krsi_object__link(obj, NULL), EINVAL);
	assert_errno_null(krsi_object__link(obj, theirs), EINVAL);
	assert_errno_null(krsi_object__link(obj, prog), ENOENT);
	assert_errno_null(krsi_object__verifier_log(NULL, &rejected), EINVAL);
	assert_null(rejected);
	assert_errno_null(krsi_object__verifier_log(obj, NULL), ENOENT);
	krsi_object__destroy(obj);
	krsi_object__destroy(other);
}

/* The program's kind and hook come from its section, before loading. */
static void test_program_kinds(void **state)
{
	struct two_progs_bpf *skel = two_progs_bpf__open();
	struct krsi_object *obj;

	(void)state;
	assert_non_null(skel);
	obj = krsi_object__from_bpf_object(skel->obj, NULL);
	assert_non_null(obj);
	assert_int_equal(krsi_prog_kind(skel->progs.deny_eacces),
			 KRSI_PROG_LSM);
	assert_int_equal(krsi_prog_kind(skel->progs.cg_allow),
			 KRSI_PROG_LSM_CGROUP);
	assert_string_equal(krsi_prog_hook(skel->progs.cg_allow),
			    "file_mprotect");
	assert_true(krsi_prog_attachable(skel->progs.pass));
	bpf_program__set_autoattach(skel->progs.pass, false);
	assert_false(krsi_prog_attachable(skel->progs.pass));
	/* The skeleton's object stays the skeleton's. */
	krsi_object__destroy(obj);
	assert_non_null(bpf_object__name(skel->obj));
	two_progs_bpf__destroy(skel);
}

/* Run global_data.bpf.c's count() once. */
static void run_count(struct global_data_bpf *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);

	assert_int_equal(bpf_prog_test_run_opts(
				 bpf_program__fd(skel->progs.count), &run),
			 0);
}

/* A skeleton of global_data.bpf.c without its arena (the host has none). */
static struct global_data_bpf *open_global_data(void)
{
	struct global_data_bpf *skel = global_data_bpf__open();

	assert_non_null(skel);
	assert_int_equal(bpf_map__set_autocreate(skel->maps.arena, false), 0);
	return skel;
}

/*
 * krsi_object__load() of a skeleton's object: the skeleton's global data
 * is the maps'; what the program writes shows there, and what the
 * application writes reaches the program. libkrsi maps the data itself
 * only where libbpf's bpf_object__load() does not (before 1.3.4 and 1.4.7,
 * which leave it to the skeleton's own load): measured here first.
 */
static void test_global_data_live(void **state)
{
	struct global_data_bpf *skel = open_global_data();
	struct krsi_object *obj;
	bool by_libbpf;
	int err;

	(void)state;
	err = bpf_object__load(skel->obj);
	utest_need_bpf(err);
	assert_int_equal(err, 0);
	run_count(skel);
	by_libbpf = skel->bss->counted == 1;
	print_message("libbpf %s %s global data in bpf_object__load()\n",
		      libbpf_version_string(),
		      by_libbpf ? "maps" : "does not map");
	global_data_bpf__destroy(skel);

	skel = open_global_data();
	skel->rodata->step = 3;
	obj = krsi_object__from_bpf_object(skel->obj, NULL);
	assert_non_null(obj);
	assert_int_equal(krsi_object__load(obj), 0);
	skel->data->calls = 200;
	run_count(skel);
	assert_int_equal(skel->bss->counted, 3);
	assert_int_equal(skel->data->calls, 201);
	assert_int_equal(strstr(utest_log, "mapping global data") != NULL,
			 !by_libbpf);
	krsi_object__destroy(obj);
	global_data_bpf__destroy(skel);
}

#define TEST(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_open_errors),
		TEST(test_not_object_files_refused),
		TEST(test_open_with_options),
		TEST(test_rodata),
		TEST(test_load_and_attach_errors),
		TEST(test_load_refused_by_host),
		TEST(test_getters),
		TEST(test_program_kinds),
		TEST(test_global_data_live),
	};

	return cmocka_run_group_tests_name("object", tests, NULL, NULL);
}
