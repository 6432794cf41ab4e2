// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Every public function with what a careless caller passes: NULL handles
 * and pointers, options of a wrong size (smaller than their own sz field,
 * or larger with bytes this libkrsi does not know set), zero and oversized
 * lengths, indexes and enums out of range. Each returns the error its
 * documentation names, with errno set, and nothing crashes. The module
 * tests (test_MODULE.c) cover each function's other errors; this one makes
 * sure no function is forgotten: the table below names every export of
 * lib/libkrsi.map, and the last test fails if one is missing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <krsi/krsi.h>

#include "utest.h"
#include "btf_fixture.h"
#include "map_fixture.skel.h"

/* A call returning int: -E, errno E. */
#define EXPECT_ERR(call, e)                                                 \
	do {                                                                \
		long long r_;                                               \
		errno = 0;                                                  \
		r_ = (call);                                                \
		if (r_ != -(e) || errno != (e))                             \
			fail_msg("%s: %lld, errno %d; want -%s", #call, r_, \
				 errno, #e);                                \
	} while (0)

/* A call returning a pointer: NULL, errno E. */
#define EXPECT_NULL(call, e)                                                  \
	do {                                                                  \
		const void *p_;                                               \
		errno = 0;                                                    \
		p_ = (call);                                                  \
		if (p_ || errno != (e))                                       \
			fail_msg("%s: %p, errno %d; want NULL and %s", #call, \
				 p_, errno, #e);                              \
	} while (0)

/* A call returning a value: V, with errno E (0: errno untouched). */
#define EXPECT_VAL(call, v, e)                                               \
	do {                                                                 \
		long long r_;                                                \
		errno = 0;                                                   \
		r_ = (long long)(call);                                      \
		if (r_ != (long long)(v) || errno != (e))                    \
			fail_msg("%s: %lld, errno %d; want %lld, %s", #call, \
				 r_, errno, (long long)(v), #e);             \
	} while (0)

/* Options claiming 1 byte: smaller than their own sz field. */
static union {
	size_t sz;
	char bytes[1024];
} tiny = { .sz = 1 };
#define TINY(T) ((struct T *)&tiny)

/* Options from a newer application: 8 bytes more than this libkrsi knows,
 * one of them set. */
static union {
	size_t sz;
	char bytes[1024];
} newer;
#define NEWER(T) ((struct T *)newer_opts(sizeof(struct T)))
static void *newer_opts(size_t known)
{
	memset(&newer, 0, sizeof(newer));
	newer.sz = known + 8;
	newer.bytes[known + 3] = 1;
	return &newer;
}

/* The handles the cases below misuse. */
static struct {
	char btf_path[32];
	struct krsi_btf *btf;
	struct krsi_hooks *hooks; /* of the fixture file */
	struct krsi_audit *audit;
	struct krsi_object *obj; /* opened, not loaded */
	struct krsi_map *map; /* a hash map, or NULL without BPF */
	struct krsi_map *ctl; /* a policy control map, or NULL */
	struct krsi_gen *gen; /* on ctl, or NULL */
	struct krsi_map *files; /* a file set's map, or NULL */
	struct krsi_set *set; /* a file set of gen, or NULL */
	int fd; /* /dev/null */
} h;

static int setup(void **state)
{
	KRSI_OPTS(krsi_btf_opts, bo);
	KRSI_OPTS(krsi_hooks_opts, ho);
	LIBBPF_OPTS(bpf_map_create_opts, mmapable, .map_flags = BPF_F_MMAPABLE);
	struct btf *b = fixture_btf();
	const void *elf;
	size_t sz;
	int fd;

	(void)state;
	krsi_set_print(NULL);
	libbpf_set_print(NULL);
	fixture_write(b, h.btf_path);
	btf__free(b);
	bo.path = ho.btf_path = h.btf_path;
	h.btf = krsi_btf__load(&bo);
	h.hooks = krsi_hooks__load(&ho);
	h.audit = krsi_audit__new(NULL);
	elf = map_fixture_bpf__elf_bytes(&sz);
	h.obj = krsi_object__open_mem(elf, sz, NULL);
	h.fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (!h.btf || !h.hooks || !h.audit || !h.obj || h.fd < 0)
		return -1;
	/* Maps need CAP_BPF: without it their cases test NULLs only. */
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "api", 4, 8, 4, NULL);
	if (fd >= 0) {
		h.map = krsi_map__new_fd(fd);
		close(fd);
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, KRSI_POLICY_CTL_NAME, 4,
			    sizeof(struct krsi_policy_ctl), 1, &mmapable);
	if (fd >= 0) {
		h.ctl = krsi_map__new_fd(fd);
		close(fd);
		h.gen = krsi_gen__new(h.ctl, NULL);
	}
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "files",
			    sizeof(struct krsi_file_set_key),
			    sizeof(struct krsi_rule), 4, NULL);
	if (fd >= 0 && h.gen) {
		h.files = krsi_map__new_fd(fd);
		h.set = krsi_gen__add_set(h.gen, h.files, KRSI_SET_FILE);
	}
	if (fd >= 0)
		close(fd);
	if (!h.map)
		print_message("no BPF here (CAP_BPF): map, set and policy data "
			      "functions are tested with NULL handles only\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	krsi_gen__free(h.gen);
	krsi_map__free(h.files);
	krsi_map__free(h.ctl);
	krsi_map__free(h.map);
	krsi_object__destroy(h.obj);
	krsi_audit__free(h.audit);
	krsi_hooks__free(h.hooks);
	krsi_btf__free(h.btf);
	unlink(h.btf_path);
	close(h.fd);
	return 0;
}

static int nop_fn(void)
{
	return 0;
}

#define CB(type) ((type)(void (*)(void))nop_fn)

/* --- the table: one case per exported function -------------------------- */

#define CASE(fn) static void case_##fn(void **state __attribute__((unused)))
/* A getter given NULL: NULL, EINVAL. */
#define CASE_NULL(fn)                          \
	CASE(fn)                               \
	{                                      \
		EXPECT_NULL(fn(NULL), EINVAL); \
	}
/* A function of one handle given NULL: -EINVAL. */
#define CASE_EINVAL(fn)                       \
	CASE(fn)                              \
	{                                     \
		EXPECT_ERR(fn(NULL), EINVAL); \
	}
/* A destructor given NULL: nothing happens. */
#define CASE_FREE(fn)     \
	CASE(fn)          \
	{                 \
		fn(NULL); \
	}

CASE(krsi_version)
{
	assert_true(krsi_version() > 0);
}

CASE(krsi_version_string)
{
	assert_non_null(krsi_version_string());
}

CASE(krsi_set_print)
{
	/* NULL silences, and the previous callback comes back */
	assert_null(krsi_set_print(NULL));
	assert_null(krsi_set_print(NULL));
}

CASE_EINVAL(krsi_get_self_id)

/* --- btf.h --- */

CASE(krsi_btf__load)
{
	EXPECT_NULL(krsi_btf__load(TINY(krsi_btf_opts)), EINVAL);
	EXPECT_NULL(krsi_btf__load(NEWER(krsi_btf_opts)), EINVAL);
	{
		KRSI_OPTS(krsi_btf_opts, o, .path = "");
		EXPECT_NULL(krsi_btf__load(&o), ENOENT);
	}
	{
		/* an empty file: zero bytes of BTF */
		KRSI_OPTS(krsi_btf_opts, o, .path = "/dev/null");
		EXPECT_NULL(krsi_btf__load(&o), EINVAL);
	}
}

CASE_FREE(krsi_btf__free)

CASE_NULL(krsi_btf__btf)

CASE(krsi_btf__type_count)
{
	EXPECT_VAL(krsi_btf__type_count(NULL), 0, EINVAL);
}

CASE(krsi_btf__find)
{
	EXPECT_ERR(krsi_btf__find(NULL, "file", 0), EINVAL);
	EXPECT_ERR(krsi_btf__find(h.btf, NULL, 0), EINVAL);
	EXPECT_ERR(krsi_btf__find(h.btf, "file", 999), EINVAL);
	EXPECT_ERR(krsi_btf__find(h.btf, "", 0), ENOENT);
}

CASE(krsi_btf__kind)
{
	EXPECT_ERR(krsi_btf__kind(NULL, 1), EINVAL);
	EXPECT_ERR(krsi_btf__kind(h.btf, UINT_MAX), EINVAL);
}

CASE(krsi_btf__name)
{
	EXPECT_NULL(krsi_btf__name(NULL, 1), EINVAL);
	EXPECT_NULL(krsi_btf__name(h.btf, UINT_MAX), EINVAL);
}

CASE(krsi_btf__member_count)
{
	EXPECT_ERR(krsi_btf__member_count(NULL, 1), EINVAL);
	EXPECT_ERR(krsi_btf__member_count(h.btf, UINT_MAX), EINVAL);
	EXPECT_ERR(krsi_btf__member_count(h.btf, 1), EINVAL); /* an int */
}

CASE(krsi_btf__member)
{
	KRSI_OPTS(krsi_btf_member, m);
	int file = krsi_btf__find(h.btf, "file", 0);

	EXPECT_ERR(krsi_btf__member(NULL, file, 0, &m), EINVAL);
	EXPECT_ERR(krsi_btf__member(h.btf, file, 0, NULL), EINVAL);
	EXPECT_ERR(krsi_btf__member(h.btf, UINT_MAX, 0, &m), EINVAL);
	EXPECT_ERR(krsi_btf__member(h.btf, file, UINT_MAX, &m), ENOENT);
	m.sz = 1;
	EXPECT_ERR(krsi_btf__member(h.btf, file, 0, &m), EINVAL);
}

CASE(krsi_btf__find_member)
{
	KRSI_OPTS(krsi_btf_member, m);
	int file = krsi_btf__find(h.btf, "file", 0);

	EXPECT_ERR(krsi_btf__find_member(NULL, file, "f_mode", &m), EINVAL);
	EXPECT_ERR(krsi_btf__find_member(h.btf, file, NULL, &m), EINVAL);
	EXPECT_ERR(krsi_btf__find_member(h.btf, file, "f_mode", NULL), EINVAL);
	EXPECT_ERR(krsi_btf__find_member(h.btf, file, "", &m), ENOENT);
	m.sz = 1;
	EXPECT_ERR(krsi_btf__find_member(h.btf, file, "f_mode", &m), EINVAL);
}

CASE(krsi_btf__enum_value)
{
	long long v;

	EXPECT_ERR(krsi_btf__enum_value(NULL, 0, "RED", &v), EINVAL);
	EXPECT_ERR(krsi_btf__enum_value(h.btf, 0, NULL, &v), EINVAL);
	EXPECT_ERR(krsi_btf__enum_value(h.btf, 0, "RED", NULL), EINVAL);
	EXPECT_ERR(krsi_btf__enum_value(h.btf, UINT_MAX, "RED", &v), EINVAL);
	EXPECT_ERR(krsi_btf__enum_value(h.btf, 0, "GREEN", &v), ENOENT);
}

CASE(krsi_btf__format)
{
	char buf[8];

	EXPECT_ERR(krsi_btf__format(NULL, 1, buf, sizeof(buf)), EINVAL);
	EXPECT_ERR(krsi_btf__format(h.btf, 1, NULL, 8), EINVAL);
	EXPECT_ERR(krsi_btf__format(h.btf, UINT_MAX, buf, sizeof(buf)), EINVAL);
	/* size 0 measures; a short buffer is cut, NUL-terminated */
	assert_int_equal(krsi_btf__format(h.btf, 1, NULL, 0), 3); /* int */
	assert_int_equal(krsi_btf__format(h.btf, 1, buf, 2), 3);
	assert_string_equal(buf, "i");
}

CASE(krsi_btf__format_decl)
{
	char buf[8];

	EXPECT_ERR(krsi_btf__format_decl(NULL, 1, "x", buf, sizeof(buf)),
		   EINVAL);
	EXPECT_ERR(krsi_btf__format_decl(h.btf, 1, "x", NULL, 8), EINVAL);
	EXPECT_ERR(krsi_btf__format_decl(h.btf, UINT_MAX, "x", buf, 8), EINVAL);
	assert_int_equal(krsi_btf__format_decl(h.btf, 1, NULL, NULL, 0), 3);
}

/* --- hooks.h --- */

CASE(krsi_hooks__load)
{
	EXPECT_NULL(krsi_hooks__load(TINY(krsi_hooks_opts)), EINVAL);
	EXPECT_NULL(krsi_hooks__load(NEWER(krsi_hooks_opts)), EINVAL);
	{
		KRSI_OPTS(krsi_hooks_opts, o, .btf_path = h.btf_path,
			  .trial_load = true);
		EXPECT_NULL(krsi_hooks__load(&o), EINVAL);
	}
	{
		KRSI_OPTS(krsi_hooks_opts, o, .btf_path = h.btf_path,
			  .kernel_release = "six");
		EXPECT_NULL(krsi_hooks__load(&o), EINVAL);
	}
	{
		KRSI_OPTS(krsi_hooks_opts, o, .btf_path = h.btf_path,
			  .flags_cache = "/nonexistent/hook-flags");
		EXPECT_NULL(krsi_hooks__load(&o), EINVAL);
	}
}

CASE_FREE(krsi_hooks__free)

CASE(krsi_hooks__count)
{
	EXPECT_VAL(krsi_hooks__count(NULL), 0, EINVAL);
}

CASE(krsi_hooks__at)
{
	EXPECT_NULL(krsi_hooks__at(NULL, 0), EINVAL);
	EXPECT_NULL(krsi_hooks__at(h.hooks, SIZE_MAX), ENOENT);
}

CASE(krsi_hooks__find)
{
	EXPECT_NULL(krsi_hooks__find(NULL, "file_open"), EINVAL);
	EXPECT_NULL(krsi_hooks__find(h.hooks, NULL), EINVAL);
	EXPECT_NULL(krsi_hooks__find(h.hooks, ""), ENOENT);
}

CASE_NULL(krsi_hooks__btf)

CASE_NULL(krsi_hooks__known_release)

CASE_NULL(krsi_hooks__flags_note)

CASE_NULL(krsi_hook__name)

CASE(krsi_hook__btf_id)
{
	EXPECT_VAL(krsi_hook__btf_id(NULL), 0, EINVAL);
}

CASE(krsi_hook__return)
{
	EXPECT_VAL(krsi_hook__return(NULL), KRSI_HOOK_RET_VOID, EINVAL);
}

CASE(krsi_hook__arg_count)
{
	EXPECT_VAL(krsi_hook__arg_count(NULL), 0, EINVAL);
}

CASE(krsi_hook__arg_name)
{
	const struct krsi_hook *hk = krsi_hooks__at(h.hooks, 0);

	EXPECT_NULL(krsi_hook__arg_name(NULL, 0), EINVAL);
	EXPECT_NULL(krsi_hook__arg_name(hk, UINT_MAX), EINVAL);
}

CASE(krsi_hook__arg_type)
{
	const struct krsi_hook *hk = krsi_hooks__at(h.hooks, 0);

	EXPECT_NULL(krsi_hook__arg_type(NULL, 0), EINVAL);
	EXPECT_NULL(krsi_hook__arg_type(hk, UINT_MAX), EINVAL);
}

CASE(krsi_hook__arg_btf_id)
{
	const struct krsi_hook *hk = krsi_hooks__at(h.hooks, 0);

	EXPECT_VAL(krsi_hook__arg_btf_id(NULL, 0), 0, EINVAL);
	EXPECT_VAL(krsi_hook__arg_btf_id(hk, UINT_MAX), 0, EINVAL);
}

CASE_NULL(krsi_hook__decl)

CASE(krsi_hook__flag)
{
	const struct krsi_hook *hk = krsi_hooks__at(h.hooks, 0);

	EXPECT_VAL(krsi_hook__flag(NULL, KRSI_HOOK_DISABLED, NULL),
		   KRSI_UNKNOWN, EINVAL);
	EXPECT_VAL(krsi_hook__flag(hk, 99, NULL), KRSI_UNKNOWN, EINVAL);
	EXPECT_VAL(krsi_hook__flag(hk, -1, NULL), KRSI_UNKNOWN, EINVAL);
}

CASE(krsi_hook_flag_str)
{
	EXPECT_NULL(krsi_hook_flag_str(99), EINVAL);
	EXPECT_NULL(krsi_hook_flag_str(-1), EINVAL);
}

CASE(krsi_hook_return_str)
{
	EXPECT_NULL(krsi_hook_return_str(99), EINVAL);
	EXPECT_NULL(krsi_hook_return_str(-1), EINVAL);
}

CASE(krsi_hook__probe_helper)
{
	const struct krsi_hook *hk = krsi_hooks__at(h.hooks, 0);

	EXPECT_ERR(krsi_hook__probe_helper(NULL, hk, 1, NULL), EINVAL);
	EXPECT_ERR(krsi_hook__probe_helper(h.hooks, NULL, 1, NULL), EINVAL);
	/* a catalog read from a file cannot probe the running kernel */
	EXPECT_ERR(krsi_hook__probe_helper(h.hooks, hk, 1, NULL), EINVAL);
	EXPECT_ERR(krsi_hook__probe_helper(h.hooks, hk, 1,
					   TINY(krsi_hook_probe_opts)),
		   EINVAL);
}

CASE(krsi_hook__probe_kfunc)
{
	const struct krsi_hook *hk = krsi_hooks__at(h.hooks, 0);

	EXPECT_ERR(krsi_hook__probe_kfunc(NULL, hk, "bpf_rcu_read_lock", NULL),
		   EINVAL);
	EXPECT_ERR(krsi_hook__probe_kfunc(h.hooks, NULL, "x", NULL), EINVAL);
	EXPECT_ERR(krsi_hook__probe_kfunc(h.hooks, hk, NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_hook__probe_kfunc(h.hooks, hk, "x",
					  NEWER(krsi_hook_probe_opts)),
		   EINVAL);
}

/* --- probe.h --- */

CASE(krsi_probe_report__new)
{
	EXPECT_NULL(krsi_probe_report__new(TINY(krsi_probe_opts)), EINVAL);
	EXPECT_NULL(krsi_probe_report__new(NEWER(krsi_probe_opts)), EINVAL);
}

CASE_FREE(krsi_probe_report__free)

CASE(krsi_probe_report__enforcing)
{
	EXPECT_VAL(krsi_probe_report__enforcing(NULL), KRSI_UNKNOWN, EINVAL);
}

CASE(krsi_probe_report__count)
{
	EXPECT_VAL(krsi_probe_report__count(NULL), 0, EINVAL);
}

CASE(krsi_probe_report__status)
{
	EXPECT_VAL(krsi_probe_report__status(NULL, KRSI_PROBE_BTF),
		   KRSI_PROBE_NOT_CHECKED, EINVAL);
}

CASE(krsi_probe_report__evidence)
{
	EXPECT_NULL(krsi_probe_report__evidence(NULL, KRSI_PROBE_BTF), EINVAL);
}

CASE(krsi_probe_report__fix)
{
	EXPECT_NULL(krsi_probe_report__fix(NULL, KRSI_PROBE_BTF), EINVAL);
}

CASE_NULL(krsi_probe_report__lsm_param)

CASE(krsi_probe_check_name)
{
	EXPECT_NULL(krsi_probe_check_name(99), EINVAL);
	EXPECT_NULL(krsi_probe_check_name(-1), EINVAL);
}

CASE(krsi_probe_check_title)
{
	EXPECT_NULL(krsi_probe_check_title(99), EINVAL);
}

CASE(krsi_probe_check_required)
{
	assert_false(krsi_probe_check_required(99));
	assert_false(krsi_probe_check_required(-1));
}

CASE(krsi_features__probe)
{
	EXPECT_NULL(krsi_features__probe(TINY(krsi_features_opts)), EINVAL);
	EXPECT_NULL(krsi_features__probe(NEWER(krsi_features_opts)), EINVAL);
}

CASE_FREE(krsi_features__free)

CASE(krsi_features__cnt)
{
	EXPECT_VAL(krsi_features__cnt(NULL), 0, EINVAL);
}

CASE(krsi_features__has)
{
	EXPECT_VAL(krsi_features__has(NULL, KRSI_FEATURE_LSM), KRSI_UNKNOWN,
		   EINVAL);
}

CASE(krsi_features__evidence)
{
	EXPECT_NULL(krsi_features__evidence(NULL, KRSI_FEATURE_LSM), EINVAL);
}

CASE(krsi_feature__name)
{
	EXPECT_NULL(krsi_feature__name(99), EINVAL);
	EXPECT_NULL(krsi_feature__name(-1), EINVAL);
}

CASE(krsi_feature__title)
{
	EXPECT_NULL(krsi_feature__title(99), EINVAL);
}

CASE(krsi_feature__since)
{
	EXPECT_NULL(krsi_feature__since(99), EINVAL);
}

CASE(krsi_probe_status_str)
{
	EXPECT_NULL(krsi_probe_status_str(99), EINVAL);
	EXPECT_NULL(krsi_probe_status_str(-1), EINVAL);
}

/* --- map.h --- */

CASE(krsi_map__find)
{
	EXPECT_NULL(krsi_map__find(NULL, "elems"), EINVAL);
	EXPECT_NULL(krsi_map__find(krsi_object__bpf_object(h.obj), NULL),
		    EINVAL);
	/* not loaded */
	EXPECT_NULL(krsi_map__find(krsi_object__bpf_object(h.obj), "elems"),
		    EINVAL);
}

CASE(krsi_map__new)
{
	struct bpf_map *m =
		bpf_object__next_map(krsi_object__bpf_object(h.obj), NULL);

	EXPECT_NULL(krsi_map__new(NULL), EINVAL);
	EXPECT_NULL(krsi_map__new(m), EINVAL); /* not created yet */
}

CASE(krsi_map__new_fd)
{
	EXPECT_NULL(krsi_map__new_fd(-1), EBADF);
	EXPECT_NULL(krsi_map__new_fd(INT_MAX), EBADF);
	EXPECT_NULL(krsi_map__new_fd(h.fd), EINVAL); /* /dev/null */
}

CASE(krsi_map__open_pinned)
{
	EXPECT_NULL(krsi_map__open_pinned(NULL, NULL), EINVAL);
	EXPECT_NULL(krsi_map__open_pinned("/sys/fs/bpf/x",
					  TINY(krsi_map_open_opts)),
		    EINVAL);
	EXPECT_NULL(krsi_map__open_pinned("/sys/fs/bpf/x",
					  NEWER(krsi_map_open_opts)),
		    EINVAL);
}

CASE_FREE(krsi_map__free)

CASE_EINVAL(krsi_map__fd)

CASE(krsi_map__bpf_map)
{
	EXPECT_NULL(krsi_map__bpf_map(NULL), EINVAL);
	if (h.map)
		EXPECT_NULL(krsi_map__bpf_map(h.map), ENOENT);
}

CASE_NULL(krsi_map__name)

CASE(krsi_map__type)
{
	EXPECT_VAL(krsi_map__type(NULL), BPF_MAP_TYPE_UNSPEC, EINVAL);
}

CASE(krsi_map__key_size)
{
	EXPECT_VAL(krsi_map__key_size(NULL), 0, EINVAL);
}

CASE(krsi_map__value_size)
{
	EXPECT_VAL(krsi_map__value_size(NULL), 0, EINVAL);
}

CASE(krsi_map__max_entries)
{
	EXPECT_VAL(krsi_map__max_entries(NULL), 0, EINVAL);
}

CASE(krsi_map__lookup_elem)
{
	__u32 k = 0;
	__u64 v;

	EXPECT_ERR(krsi_map__lookup_elem(NULL, &k, 4, &v, 8, 0), EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(krsi_map__lookup_elem(h.map, NULL, 4, &v, 8, 0), EINVAL);
	EXPECT_ERR(krsi_map__lookup_elem(h.map, &k, 4, NULL, 8, 0), EINVAL);
	EXPECT_ERR(krsi_map__lookup_elem(h.map, &k, 0, &v, 8, 0), EINVAL);
	EXPECT_ERR(krsi_map__lookup_elem(h.map, &k, SIZE_MAX, &v, 8, 0),
		   EINVAL);
	EXPECT_ERR(krsi_map__lookup_elem(h.map, &k, 4, &v, 0, 0), EINVAL);
	EXPECT_ERR(krsi_map__lookup_elem(h.map, &k, 4, &v, SIZE_MAX, 0),
		   EINVAL);
}

CASE(krsi_map__update_elem)
{
	__u32 k = 0;
	__u64 v = 0;

	EXPECT_ERR(krsi_map__update_elem(NULL, &k, 4, &v, 8, 0), EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(krsi_map__update_elem(h.map, NULL, 4, &v, 8, 0), EINVAL);
	EXPECT_ERR(krsi_map__update_elem(h.map, &k, 4, NULL, 8, 0), EINVAL);
	EXPECT_ERR(krsi_map__update_elem(h.map, &k, 0, &v, 8, 0), EINVAL);
	EXPECT_ERR(krsi_map__update_elem(h.map, &k, 4, &v, SIZE_MAX, 0),
		   EINVAL);
}

CASE(krsi_map__delete_elem)
{
	__u32 k = 0;

	EXPECT_ERR(krsi_map__delete_elem(NULL, &k, 4, 0), EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(krsi_map__delete_elem(h.map, NULL, 4, 0), EINVAL);
	EXPECT_ERR(krsi_map__delete_elem(h.map, &k, SIZE_MAX, 0), EINVAL);
}

CASE(krsi_map__get_next_key)
{
	__u32 k = 0, next;

	EXPECT_ERR(krsi_map__get_next_key(NULL, NULL, &next, 4), EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(krsi_map__get_next_key(h.map, &k, NULL, 4), EINVAL);
	EXPECT_ERR(krsi_map__get_next_key(h.map, &k, &next, 0), EINVAL);
}

static int count_fn(const void *key, const void *value, void *ctx)
{
	(void)key, (void)value, (void)ctx;
	return 0;
}

CASE(krsi_map__for_each)
{
	EXPECT_ERR(krsi_map__for_each(NULL, count_fn, NULL, NULL), EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(krsi_map__for_each(h.map, NULL, NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_map__for_each(h.map, count_fn, NULL,
				      TINY(krsi_map_batch_opts)),
		   EINVAL);
	EXPECT_ERR(krsi_map__for_each(h.map, count_fn, NULL,
				      NEWER(krsi_map_batch_opts)),
		   EINVAL);
}

CASE(krsi_map__lookup_batch)
{
	__u32 keys[4], count = 4;
	__u64 values[4];

	EXPECT_ERR(
		krsi_map__lookup_batch(NULL, keys, 4, values, 8, &count, NULL),
		EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(
		krsi_map__lookup_batch(h.map, keys, 4, values, 8, NULL, NULL),
		EINVAL);
	EXPECT_ERR(
		krsi_map__lookup_batch(h.map, keys, 0, values, 8, &count, NULL),
		EINVAL);
	EXPECT_ERR(krsi_map__lookup_batch(h.map, keys, 4, values, SIZE_MAX,
					  &count, NULL),
		   EINVAL);
	EXPECT_ERR(krsi_map__lookup_batch(h.map, keys, 4, values, 8, &count,
					  TINY(krsi_map_batch_opts)),
		   EINVAL);
}

CASE(krsi_map__update_batch)
{
	__u32 keys[4] = {}, count = 4;
	__u64 values[4] = {};

	EXPECT_ERR(
		krsi_map__update_batch(NULL, keys, 4, values, 8, &count, NULL),
		EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(
		krsi_map__update_batch(h.map, NULL, 4, values, 8, &count, NULL),
		EINVAL);
	EXPECT_ERR(krsi_map__update_batch(h.map, keys, SIZE_MAX, values, 8,
					  &count, NULL),
		   EINVAL);
	EXPECT_ERR(krsi_map__update_batch(h.map, keys, 4, values, 8, &count,
					  NEWER(krsi_map_batch_opts)),
		   EINVAL);
}

CASE(krsi_map__delete_batch)
{
	__u32 keys[4] = {}, count = 4;

	EXPECT_ERR(krsi_map__delete_batch(NULL, keys, 4, &count, NULL), EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(krsi_map__delete_batch(h.map, keys, 4, NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_map__delete_batch(h.map, keys, 0, &count, NULL),
		   EINVAL);
	EXPECT_ERR(krsi_map__delete_batch(h.map, keys, 4, &count,
					  TINY(krsi_map_batch_opts)),
		   EINVAL);
}

CASE(krsi_map__pin)
{
	EXPECT_ERR(krsi_map__pin(NULL, "/sys/fs/bpf/x"), EINVAL);
	if (h.map)
		EXPECT_ERR(krsi_map__pin(h.map, NULL), EINVAL);
}

CASE(krsi_map__unpin)
{
	EXPECT_ERR(krsi_map__unpin(NULL, "/sys/fs/bpf/x"), EINVAL);
	if (h.map) /* no path, and the handle knows no pin */
		EXPECT_ERR(krsi_map__unpin(h.map, NULL), EINVAL);
}

/* --- policy.h: data --- */

CASE(krsi_gen__new)
{
	EXPECT_NULL(krsi_gen__new(NULL, NULL), EINVAL);
	if (!h.ctl)
		return;
	EXPECT_NULL(krsi_gen__new(h.ctl, TINY(krsi_gen_opts)), EINVAL);
	EXPECT_NULL(krsi_gen__new(h.ctl, NEWER(krsi_gen_opts)), EINVAL);
	if (h.map) /* not a control map */
		EXPECT_NULL(krsi_gen__new(h.map, NULL), EINVAL);
}

CASE_FREE(krsi_gen__free)

CASE(krsi_gen__add_set)
{
	EXPECT_NULL(krsi_gen__add_set(NULL, h.map, KRSI_SET_FILE), EINVAL);
	if (!h.gen)
		return;
	EXPECT_NULL(krsi_gen__add_set(h.gen, NULL, KRSI_SET_FILE), EINVAL);
	EXPECT_NULL(krsi_gen__add_set(h.gen, h.map, 0), EINVAL);
	EXPECT_NULL(krsi_gen__add_set(h.gen, h.map, 999), EINVAL);
	/* a map of the wrong key size for the type */
	EXPECT_NULL(krsi_gen__add_set(h.gen, h.map, KRSI_SET_PATH), EINVAL);
}

CASE_EINVAL(krsi_gen__begin)

CASE(krsi_gen__commit)
{
	EXPECT_ERR(krsi_gen__commit(NULL), EINVAL);
	if (h.gen) /* nothing begun */
		EXPECT_ERR(krsi_gen__commit(h.gen), EINVAL);
}

CASE(krsi_gen__abort)
{
	EXPECT_ERR(krsi_gen__abort(NULL), EINVAL);
	if (h.gen)
		EXPECT_ERR(krsi_gen__abort(h.gen), EINVAL);
}

CASE(krsi_gen__generation)
{
	EXPECT_VAL(krsi_gen__generation(NULL), 0, EINVAL);
}

static const struct krsi_rule rule = { .id = 1 };

CASE(krsi_set__add_file)
{
	EXPECT_ERR(krsi_set__add_file(NULL, "/", &rule), EINVAL);
	if (!h.set)
		return;
	EXPECT_ERR(krsi_set__add_file(h.set, NULL, &rule), EINVAL);
	EXPECT_ERR(krsi_set__add_file(h.set, "/", NULL), EINVAL);
	/* no generation being built */
	EXPECT_ERR(krsi_set__add_file(h.set, "/", &rule), EINVAL);
}

CASE(krsi_set__add_file_id)
{
	EXPECT_ERR(krsi_set__add_file_id(NULL, 1, 2, &rule), EINVAL);
	if (h.set)
		EXPECT_ERR(krsi_set__add_file_id(h.set, 1, 2, &rule), EINVAL);
}

CASE(krsi_set__add_hash)
{
	__u8 digest[32] = {};

	EXPECT_ERR(krsi_set__add_hash(NULL, digest, 32, &rule), EINVAL);
	if (!h.set)
		return;
	EXPECT_ERR(krsi_set__add_hash(h.set, NULL, 32, &rule), EINVAL);
	EXPECT_ERR(krsi_set__add_hash(h.set, digest, 0, &rule), EINVAL);
	EXPECT_ERR(krsi_set__add_hash(h.set, digest, SIZE_MAX, &rule), EINVAL);
	/* a file set, not a hash set */
	EXPECT_ERR(krsi_set__add_hash(h.set, digest, 32, &rule), EINVAL);
}

CASE(krsi_set__add_cgroup)
{
	EXPECT_ERR(krsi_set__add_cgroup(NULL, 1, &rule), EINVAL);
	if (h.set)
		EXPECT_ERR(krsi_set__add_cgroup(h.set, 1, &rule), EINVAL);
}

CASE(krsi_set__add_id)
{
	EXPECT_ERR(krsi_set__add_id(NULL, 1, &rule), EINVAL);
	if (h.set)
		EXPECT_ERR(krsi_set__add_id(h.set, 1, &rule), EINVAL);
}

CASE(krsi_set__add_path)
{
	EXPECT_ERR(krsi_set__add_path(NULL, "/etc", KRSI_PATH_EXACT, &rule),
		   EINVAL);
	if (!h.set)
		return;
	EXPECT_ERR(krsi_set__add_path(h.set, NULL, KRSI_PATH_EXACT, &rule),
		   EINVAL);
	EXPECT_ERR(krsi_set__add_path(h.set, "/etc", 99, &rule), EINVAL);
}

CASE(krsi_set__add_cidr)
{
	EXPECT_ERR(krsi_set__add_cidr(NULL, "10.0.0.0/8", &rule), EINVAL);
	if (h.set)
		EXPECT_ERR(krsi_set__add_cidr(h.set, NULL, &rule), EINVAL);
}

CASE(krsi_get_cgroup_id)
{
	__u64 id;

	EXPECT_ERR(krsi_get_cgroup_id(NULL, &id), EINVAL);
	EXPECT_ERR(krsi_get_cgroup_id("/", NULL), EINVAL);
	EXPECT_ERR(krsi_get_cgroup_id("/proc", &id), EINVAL); /* not cgroup2 */
}

CASE(krsi_get_policy_mode)
{
	enum krsi_policy_mode mode;

	EXPECT_ERR(krsi_get_policy_mode(NULL, &mode), EINVAL);
	if (!h.ctl)
		return;
	EXPECT_ERR(krsi_get_policy_mode(h.ctl, NULL), EINVAL);
	if (h.map)
		EXPECT_ERR(krsi_get_policy_mode(h.map, &mode), EINVAL);
}

CASE(krsi_set_policy_mode)
{
	EXPECT_ERR(krsi_set_policy_mode(NULL, KRSI_MODE_ENFORCE), EINVAL);
	if (h.ctl)
		EXPECT_ERR(krsi_set_policy_mode(h.ctl, 99), EINVAL);
}

CASE(krsi_read_policy_stats)
{
	struct krsi_policy_stats st;

	EXPECT_ERR(krsi_read_policy_stats(NULL, &st, sizeof(st)), EINVAL);
	if (!h.map)
		return;
	EXPECT_ERR(krsi_read_policy_stats(h.map, NULL, sizeof(st)), EINVAL);
	EXPECT_ERR(krsi_read_policy_stats(h.map, &st, 0), EINVAL);
	EXPECT_ERR(krsi_read_policy_stats(h.map, &st, SIZE_MAX), EINVAL);
	/* not a counters map */
	EXPECT_ERR(krsi_read_policy_stats(h.map, &st, sizeof(st)), EINVAL);
}

CASE(krsi_get_policy_mode_pinned)
{
	enum krsi_policy_mode mode;

	EXPECT_ERR(krsi_get_policy_mode_pinned(NULL, NULL, &mode), EINVAL);
	EXPECT_ERR(krsi_get_policy_mode_pinned("/sys/fs/bpf", NULL, NULL),
		   EINVAL);
	EXPECT_ERR(krsi_get_policy_mode_pinned("/sys/fs/bpf",
					       TINY(krsi_map_open_opts), &mode),
		   EINVAL);
}

CASE(krsi_set_policy_mode_pinned)
{
	EXPECT_ERR(krsi_set_policy_mode_pinned(NULL, NULL, KRSI_MODE_ENFORCE),
		   EINVAL);
	EXPECT_ERR(krsi_set_policy_mode_pinned("/sys/fs/bpf",
					       NEWER(krsi_map_open_opts),
					       KRSI_MODE_ENFORCE),
		   EINVAL);
}

CASE(krsi_read_policy_stats_pinned)
{
	struct krsi_policy_stats st;

	EXPECT_ERR(krsi_read_policy_stats_pinned(NULL, NULL, &st, sizeof(st)),
		   EINVAL);
	EXPECT_ERR(krsi_read_policy_stats_pinned("/sys/fs/bpf", NULL, NULL,
						 sizeof(st)),
		   EINVAL);
}

CASE(krsi_policy_mode_str)
{
	EXPECT_NULL(krsi_policy_mode_str(99), EINVAL);
	EXPECT_NULL(krsi_policy_mode_str(-1), EINVAL);
}

CASE(krsi_parse_policy_mode)
{
	enum krsi_policy_mode mode;

	EXPECT_ERR(krsi_parse_policy_mode(NULL, &mode), EINVAL);
	EXPECT_ERR(krsi_parse_policy_mode("enforce", NULL), EINVAL);
	EXPECT_ERR(krsi_parse_policy_mode("", &mode), EINVAL);
	EXPECT_ERR(krsi_parse_policy_mode("ENFORCE!", &mode), EINVAL);
}

/* --- object.h --- */

CASE(krsi_object__open_file)
{
	EXPECT_NULL(krsi_object__open_file(NULL, NULL), EINVAL);
	EXPECT_NULL(krsi_object__open_file("/x.o", TINY(krsi_object_open_opts)),
		    EINVAL);
	EXPECT_NULL(
		krsi_object__open_file("/x.o", NEWER(krsi_object_open_opts)),
		EINVAL);
	EXPECT_NULL(krsi_object__open_file("/nonexistent/x.o", NULL), ENOENT);
}

CASE(krsi_object__open_mem)
{
	size_t sz;
	const void *elf = map_fixture_bpf__elf_bytes(&sz);

	EXPECT_NULL(krsi_object__open_mem(NULL, sz, NULL), EINVAL);
	EXPECT_NULL(krsi_object__open_mem(elf, 0, NULL), EINVAL);
	EXPECT_NULL(krsi_object__open_mem(elf, sz, TINY(krsi_object_open_opts)),
		    EINVAL);
	EXPECT_NULL(
		krsi_object__open_mem(elf, sz, NEWER(krsi_object_open_opts)),
		EINVAL);
}

CASE(krsi_object__from_bpf_object)
{
	EXPECT_NULL(krsi_object__from_bpf_object(NULL, NULL), EINVAL);
	EXPECT_NULL(krsi_object__from_bpf_object(krsi_object__bpf_object(h.obj),
						 TINY(krsi_object_open_opts)),
		    EINVAL);
}

CASE(krsi_object__set_rodata)
{
	int v = 0;

	EXPECT_ERR(krsi_object__set_rodata(NULL, "x", &v, sizeof(v)), EINVAL);
	EXPECT_ERR(krsi_object__set_rodata(h.obj, NULL, &v, sizeof(v)), EINVAL);
	EXPECT_ERR(krsi_object__set_rodata(h.obj, "x", NULL, sizeof(v)),
		   EINVAL);
	EXPECT_ERR(krsi_object__set_rodata(h.obj, "no_such_var", &v, 0),
		   ENOENT);
	EXPECT_ERR(krsi_object__set_rodata(h.obj, "no_such_var", &v, SIZE_MAX),
		   ENOENT);
}

CASE_EINVAL(krsi_object__load)

CASE(krsi_object__attach)
{
	EXPECT_ERR(krsi_object__attach(NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_object__attach(h.obj, TINY(krsi_attach_opts)), EINVAL);
	EXPECT_ERR(krsi_object__attach(h.obj, NEWER(krsi_attach_opts)), EINVAL);
}

CASE(krsi_object__detach)
{
	krsi_object__detach(NULL);
	krsi_object__detach(h.obj); /* nothing attached */
}

CASE_FREE(krsi_object__destroy)

CASE_NULL(krsi_object__bpf_object)

CASE(krsi_object__find_program)
{
	EXPECT_NULL(krsi_object__find_program(NULL, "x"), EINVAL);
	EXPECT_NULL(krsi_object__find_program(h.obj, NULL), EINVAL);
	EXPECT_NULL(krsi_object__find_program(h.obj, "no_such_prog"), ENOENT);
}

CASE(krsi_object__link)
{
	struct bpf_program *prog =
		bpf_object__next_program(krsi_object__bpf_object(h.obj), NULL);

	EXPECT_NULL(krsi_object__link(NULL, prog), EINVAL);
	EXPECT_NULL(krsi_object__link(h.obj, NULL), EINVAL);
	EXPECT_NULL(krsi_object__link(h.obj, prog), ENOENT);
}

CASE(krsi_object__verifier_log)
{
	EXPECT_NULL(krsi_object__verifier_log(NULL, NULL), EINVAL);
	EXPECT_NULL(krsi_object__verifier_log(h.obj, NULL), ENOENT);
}

/* --- attachments.h, install.h --- */

CASE(krsi_list_attachments)
{
	EXPECT_ERR(krsi_list_attachments(NULL, NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_list_attachments(CB(krsi_attachment_fn), NULL,
					 TINY(krsi_list_opts)),
		   EINVAL);
	EXPECT_ERR(krsi_list_attachments(CB(krsi_attachment_fn), NULL,
					 NEWER(krsi_list_opts)),
		   EINVAL);
}

CASE(krsi_list_policies)
{
	EXPECT_ERR(krsi_list_policies(NULL, NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_list_policies(CB(krsi_policy_fn), NULL,
				      TINY(krsi_list_opts)),
		   EINVAL);
}

CASE(krsi_policy__install)
{
	EXPECT_NULL(krsi_policy__install(NULL, "p", NULL), EINVAL);
	EXPECT_NULL(krsi_policy__install(h.obj, NULL, NULL), EINVAL);
	EXPECT_NULL(krsi_policy__install(h.obj, "", NULL), EINVAL);
	EXPECT_NULL(krsi_policy__install(h.obj, "../etc", NULL), EINVAL);
	EXPECT_NULL(krsi_policy__install(h.obj, "p", TINY(krsi_policy_opts)),
		    EINVAL);
	EXPECT_NULL(krsi_policy__install(h.obj, "p", NEWER(krsi_policy_opts)),
		    EINVAL);
}

CASE(krsi_policy__adopt)
{
	EXPECT_NULL(krsi_policy__adopt(NULL, "p", NULL), EINVAL);
	EXPECT_NULL(krsi_policy__adopt(h.obj, NULL, NULL), EINVAL);
	EXPECT_NULL(krsi_policy__adopt(h.obj, "a/b", NULL), EINVAL);
	EXPECT_NULL(krsi_policy__adopt(h.obj, "p", TINY(krsi_policy_opts)),
		    EINVAL);
}

CASE_EINVAL(krsi_policy__remove)

CASE_FREE(krsi_policy__destroy)

CASE_NULL(krsi_policy__name)

CASE_NULL(krsi_policy__path)

CASE_NULL(krsi_policy__object)

CASE(krsi_remove_policy)
{
	EXPECT_ERR(krsi_remove_policy(NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_remove_policy("..", NULL), EINVAL);
	EXPECT_ERR(krsi_remove_policy("p", TINY(krsi_policy_opts)), EINVAL);
}

/* --- audit.h --- */

CASE_EINVAL(krsi_prepare_events)

CASE(krsi_audit__new)
{
	EXPECT_NULL(krsi_audit__new(TINY(krsi_audit_opts)), EINVAL);
	EXPECT_NULL(krsi_audit__new(NEWER(krsi_audit_opts)), EINVAL);
}

CASE_FREE(krsi_audit__free)

CASE(krsi_audit__add_ring)
{
	struct bpf_object *bobj = krsi_object__bpf_object(h.obj);

	EXPECT_ERR(krsi_audit__add_ring(NULL, bobj, "events", NULL), EINVAL);
	EXPECT_ERR(krsi_audit__add_ring(h.audit, NULL, "events", NULL), EINVAL);
	EXPECT_ERR(krsi_audit__add_ring(h.audit, bobj, NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_audit__add_ring(h.audit, bobj, "events",
					TINY(krsi_audit_ring_opts)),
		   EINVAL);
}

CASE(krsi_audit__add_ring_fd)
{
	EXPECT_ERR(krsi_audit__add_ring_fd(NULL, h.fd, h.fd, NULL), EINVAL);
	EXPECT_ERR(krsi_audit__add_ring_fd(h.audit, -1, h.fd, NULL), EBADF);
	EXPECT_ERR(krsi_audit__add_ring_fd(h.audit, h.fd, h.fd,
					   NEWER(krsi_audit_ring_opts)),
		   EINVAL);
}

CASE(krsi_audit__add_policy)
{
	EXPECT_ERR(krsi_audit__add_policy(NULL, "p", NULL), EINVAL);
	EXPECT_ERR(krsi_audit__add_policy(h.audit, NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_audit__add_policy(h.audit, "../p", NULL), EINVAL);
	EXPECT_ERR(krsi_audit__add_policy(h.audit, "p",
					  TINY(krsi_audit_policy_opts)),
		   EINVAL);
	EXPECT_ERR(krsi_audit__add_policy(h.audit, "p",
					  NEWER(krsi_audit_policy_opts)),
		   EINVAL);
}

CASE_EINVAL(krsi_audit__fd)

CASE_EINVAL(krsi_audit__consume)

CASE(krsi_audit__poll)
{
	EXPECT_ERR(krsi_audit__poll(NULL, 0), EINVAL);
}

CASE(krsi_audit__run)
{
	EXPECT_ERR(krsi_audit__run(NULL, NULL), EINVAL);
	EXPECT_ERR(krsi_audit__run(h.audit, TINY(krsi_audit_run_opts)), EINVAL);
	EXPECT_ERR(krsi_audit__run(h.audit, NEWER(krsi_audit_run_opts)),
		   EINVAL);
}

CASE_EINVAL(krsi_audit__stop)

CASE(krsi_audit__set_batch_delay)
{
	EXPECT_ERR(krsi_audit__set_batch_delay(NULL, 10), EINVAL);
	EXPECT_ERR(krsi_audit__set_batch_delay(
			   h.audit, KRSI_AUDIT_BATCH_DELAY_MAX_MS + 1),
		   EINVAL);
	assert_int_equal(krsi_audit__set_batch_delay(h.audit, 0), 0);
	assert_int_equal(krsi_audit__set_batch_delay(
				 h.audit, KRSI_AUDIT_BATCH_DELAY_MAX_MS),
			 0);
}

CASE(krsi_audit__stats)
{
	struct krsi_audit_stats st = { .sz = 1 };

	EXPECT_ERR(krsi_audit__stats(NULL, &st), EINVAL);
	EXPECT_ERR(krsi_audit__stats(h.audit, NULL), EINVAL);
	EXPECT_ERR(krsi_audit__stats(h.audit, &st), EINVAL);
}

CASE(krsi_audit__type_stats)
{
	struct krsi_audit_type_stats st = { .sz = 1 };

	EXPECT_ERR(krsi_audit__type_stats(NULL, 1, &st), EINVAL);
	EXPECT_ERR(krsi_audit__type_stats(h.audit, 1, NULL), EINVAL);
	EXPECT_ERR(krsi_audit__type_stats(h.audit, 1, &st), EINVAL);
}

#define C(fn) cmocka_unit_test(case_##fn)
static void test_every_export_has_a_case(void **state);
static const struct CMUnitTest tests[] = {
	C(krsi_version),
	C(krsi_version_string),
	C(krsi_set_print),
	C(krsi_get_self_id),
	/* btf.h */
	C(krsi_btf__load),
	C(krsi_btf__free),
	C(krsi_btf__btf),
	C(krsi_btf__type_count),
	C(krsi_btf__find),
	C(krsi_btf__kind),
	C(krsi_btf__name),
	C(krsi_btf__member_count),
	C(krsi_btf__member),
	C(krsi_btf__find_member),
	C(krsi_btf__enum_value),
	C(krsi_btf__format),
	C(krsi_btf__format_decl),
	/* hooks.h */
	C(krsi_hooks__load),
	C(krsi_hooks__free),
	C(krsi_hooks__count),
	C(krsi_hooks__at),
	C(krsi_hooks__find),
	C(krsi_hooks__btf),
	C(krsi_hooks__known_release),
	C(krsi_hooks__flags_note),
	C(krsi_hook__name),
	C(krsi_hook__btf_id),
	C(krsi_hook__return),
	C(krsi_hook__arg_count),
	C(krsi_hook__arg_name),
	C(krsi_hook__arg_type),
	C(krsi_hook__arg_btf_id),
	C(krsi_hook__decl),
	C(krsi_hook__flag),
	C(krsi_hook_flag_str),
	C(krsi_hook_return_str),
	C(krsi_hook__probe_helper),
	C(krsi_hook__probe_kfunc),
	/* probe.h */
	C(krsi_probe_report__new),
	C(krsi_probe_report__free),
	C(krsi_probe_report__enforcing),
	C(krsi_probe_report__count),
	C(krsi_probe_report__status),
	C(krsi_probe_report__evidence),
	C(krsi_probe_report__fix),
	C(krsi_probe_report__lsm_param),
	C(krsi_probe_check_name),
	C(krsi_probe_check_title),
	C(krsi_probe_check_required),
	C(krsi_probe_status_str),
	C(krsi_features__probe),
	C(krsi_features__free),
	C(krsi_features__cnt),
	C(krsi_features__has),
	C(krsi_features__evidence),
	C(krsi_feature__name),
	C(krsi_feature__title),
	C(krsi_feature__since),
	/* map.h */
	C(krsi_map__find),
	C(krsi_map__new),
	C(krsi_map__new_fd),
	C(krsi_map__open_pinned),
	C(krsi_map__free),
	C(krsi_map__fd),
	C(krsi_map__bpf_map),
	C(krsi_map__name),
	C(krsi_map__type),
	C(krsi_map__key_size),
	C(krsi_map__value_size),
	C(krsi_map__max_entries),
	C(krsi_map__lookup_elem),
	C(krsi_map__update_elem),
	C(krsi_map__delete_elem),
	C(krsi_map__get_next_key),
	C(krsi_map__for_each),
	C(krsi_map__lookup_batch),
	C(krsi_map__update_batch),
	C(krsi_map__delete_batch),
	C(krsi_map__pin),
	C(krsi_map__unpin),
	/* policy.h */
	C(krsi_gen__new),
	C(krsi_gen__free),
	C(krsi_gen__add_set),
	C(krsi_gen__begin),
	C(krsi_gen__commit),
	C(krsi_gen__abort),
	C(krsi_gen__generation),
	C(krsi_set__add_file),
	C(krsi_set__add_file_id),
	C(krsi_set__add_hash),
	C(krsi_set__add_cgroup),
	C(krsi_set__add_id),
	C(krsi_set__add_path),
	C(krsi_set__add_cidr),
	C(krsi_get_cgroup_id),
	C(krsi_get_policy_mode),
	C(krsi_set_policy_mode),
	C(krsi_read_policy_stats),
	C(krsi_get_policy_mode_pinned),
	C(krsi_set_policy_mode_pinned),
	C(krsi_read_policy_stats_pinned),
	C(krsi_policy_mode_str),
	C(krsi_parse_policy_mode),
	/* object.h */
	C(krsi_object__open_file),
	C(krsi_object__open_mem),
	C(krsi_object__from_bpf_object),
	C(krsi_object__set_rodata),
	C(krsi_object__load),
	C(krsi_object__attach),
	C(krsi_object__detach),
	C(krsi_object__destroy),
	C(krsi_object__bpf_object),
	C(krsi_object__find_program),
	C(krsi_object__link),
	C(krsi_object__verifier_log),
	/* attachments.h, install.h */
	C(krsi_list_attachments),
	C(krsi_list_policies),
	C(krsi_policy__install),
	C(krsi_policy__adopt),
	C(krsi_policy__remove),
	C(krsi_policy__destroy),
	C(krsi_policy__name),
	C(krsi_policy__path),
	C(krsi_policy__object),
	C(krsi_remove_policy),
	/* audit.h */
	C(krsi_prepare_events),
	C(krsi_audit__new),
	C(krsi_audit__free),
	C(krsi_audit__add_ring),
	C(krsi_audit__add_ring_fd),
	C(krsi_audit__add_policy),
	C(krsi_audit__fd),
	C(krsi_audit__consume),
	C(krsi_audit__poll),
	C(krsi_audit__run),
	C(krsi_audit__stop),
	C(krsi_audit__set_batch_delay),
	C(krsi_audit__stats),
	C(krsi_audit__type_stats),
	cmocka_unit_test(test_every_export_has_a_case),
};
/* The cases, without the last test. */
#define NR_CASES (sizeof(tests) / sizeof(tests[0]) - 1)

/* The version script, beside this file's directory in the tree. */
static FILE *open_version_script(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%.*s/../../lib/libkrsi.map",
		 (int)(strrchr(__FILE__, '/') - __FILE__), __FILE__);
	return fopen(path, "r");
}

static void test_every_export_has_a_case(void **state)
{
	char line[256], name[128];
	int exports = 0, missing = 0;
	FILE *f = open_version_script();
	size_t i;

	(void)state;
	if (!f)
		fail_msg("cannot open lib/libkrsi.map from %s", __FILE__);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %127[a-z0-9_];", name) != 1 ||
		    strncmp(name, "krsi_", 5))
			continue;
		exports++;
		for (i = 0; i < NR_CASES; i++)
			if (!strcmp(tests[i].name + strlen("case_"), name))
				break;
		if (i == NR_CASES) {
			print_error("no case in test_api.c for %s\n", name);
			missing++;
		}
	}
	fclose(f);
	assert_int_equal(missing, 0);
	assert_int_equal(exports, NR_CASES);
}

int main(void)
{
	return cmocka_run_group_tests_name("api", tests, setup, teardown);
}
