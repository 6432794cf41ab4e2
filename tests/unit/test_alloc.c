// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Memory pressure: each allocation of libkrsi's own, in turn, fails
 * (fail_alloc.h) while the library loads BTF and hook catalogs, opens and
 * loads objects, reads maps, builds policy generations, consumes events,
 * probes and lists policies. Every run ends in -ENOMEM (or success),
 * frees what it allocated, and does not crash. Linked with
 * -Wl,--wrap=malloc,... (see the Makefile).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <krsi/krsi.h>

#include "utest.h"
#include "fail_alloc.h"
#include "btf_fixture.h"
#include "internal.h"
#include "audit_stream.skel.h"
#include "map_fixture.skel.h"

static char btf_path[32];

/* NULL from a constructor: its errno, negated. */
#define ERR_OF(p) ((p) ? 0 : -errno)

static int op_btf(void *ctx)
{
	KRSI_OPTS(krsi_btf_opts, o, .path = btf_path);
	KRSI_OPTS(krsi_btf_member, m);
	struct krsi_btf *btf = krsi_btf__load(&o);
	int err = ERR_OF(btf), id, r;
	__u32 i;

	(void)ctx;
	for (i = 1; !err && i < krsi_btf__type_count(btf); i++) {
		r = krsi_btf__format(btf, i, NULL, 0);
		err = r == -ENOMEM ? r : 0;
	}
	id = err ? 0 : krsi_btf__find(btf, "file", 0);
	if (id > 0 && krsi_btf__find_member(btf, id, "a", &m) == -ENOMEM)
		err = -ENOMEM;
	krsi_btf__free(btf);
	return err;
}

static int op_hooks(void *ctx)
{
	KRSI_OPTS(krsi_hooks_opts, o, .btf_path = btf_path,
		  .kernel_release = "6.12.0");
	struct krsi_hooks *hooks = krsi_hooks__load(&o);
	const struct krsi_hook *h;
	int err = ERR_OF(hooks);
	unsigned int a;
	size_t i;

	(void)ctx;
	for (i = 0; !err && i < krsi_hooks__count(hooks); i++) {
		h = krsi_hooks__at(hooks, i);
		err = ERR_OF(krsi_hook__decl(h));
		for (a = 0; !err && a < krsi_hook__arg_count(h); a++)
			err = ERR_OF(krsi_hook__arg_type(h, a));
	}
	if (!err && !krsi_hooks__find(hooks, "file_opn") && errno == ENOMEM)
		err = -ENOMEM; /* the suggestions on a miss */
	krsi_hooks__free(hooks);
	return err;
}

/* A ring buffer and its drop counters, as KRSI_EVENT_RING() makes them. */
struct ring {
	int ring_fd, drops_fd;
	struct audit_stream_bpf *skel; /* for its BTF */
};

static int ignore(void *ctx, const struct krsi_audit_record *rec)
{
	(void)ctx, (void)rec;
	return 0;
}

static int op_audit(void *ctx)
{
	struct ring *r = ctx;
	KRSI_OPTS(krsi_audit_opts, o, .format = KRSI_AUDIT_CALLBACK,
		  .callback = ignore);
	KRSI_OPTS(krsi_audit_ring_opts, ro, .name = "events",
		  .btf = bpf_object__btf(r->skel->obj));
	struct krsi_audit *a = krsi_audit__new(&o);
	int err = ERR_OF(a);

	if (!err)
		err = krsi_audit__add_ring_fd(a, r->ring_fd, r->drops_fd, &ro);
	if (!err)
		err = krsi_audit__consume(a) < 0 ? -errno : 0;
	krsi_audit__free(a);
	return err;
}

static int sum_values(const void *key, const void *value, void *ctx)
{
	(void)key;
	*(__u64 *)ctx += *(const __u64 *)value;
	return 0;
}

static int op_object(void *ctx)
{
	const void *elf;
	struct krsi_object *obj;
	struct krsi_map *map = NULL;
	__u32 key = 1;
	__u64 value = 2, sum = 0;
	size_t sz;
	int err;

	(void)ctx;
	elf = map_fixture_bpf__elf_bytes(&sz);
	obj = krsi_object__open_mem(elf, sz, NULL);
	err = ERR_OF(obj);
	if (!err)
		err = krsi_object__load(obj);
	if (!err) {
		map = krsi_map__find(krsi_object__bpf_object(obj), "elems");
		err = ERR_OF(map);
	}
	if (!err)
		err = krsi_map__update_elem(map, &key, 4, &value, 8, 0);
	if (!err)
		err = krsi_map__for_each(map, sum_values, &sum, NULL);
	krsi_map__free(map);
	krsi_object__destroy(obj);
	return err;
}

/* A policy's control map and a set of paths. */
struct policy {
	struct krsi_map *ctl, *paths;
};

static int op_gen(void *ctx)
{
	struct policy *p = ctx;
	struct krsi_gen *gen = krsi_gen__new(p->ctl, NULL);
	struct krsi_set *set = NULL;
	int err = ERR_OF(gen);

	if (!err) {
		set = krsi_gen__add_set(gen, p->paths, KRSI_SET_PATH);
		err = ERR_OF(set);
	}
	if (!err)
		err = krsi_gen__begin(gen);
	if (!err)
		err = krsi_set__add_path(set, "/etc/shadow", KRSI_PATH_EXACT,
					 NULL)
			      ?: krsi_set__add_path(set, "/usr/bin",
						    KRSI_PATH_SUBTREE, NULL);
	if (!err)
		err = krsi_gen__commit(gen);
	else if (gen)
		krsi_gen__abort(gen);
	krsi_gen__free(gen);
	return err;
}

static int op_probe(void *ctx)
{
	KRSI_OPTS(krsi_probe_opts, o, .passive = true);
	struct krsi_probe_report *r = krsi_probe_report__new(&o);
	int err = ERR_OF(r);

	(void)ctx;
	krsi_probe_report__free(r);
	return err;
}

static int count_policy(const struct krsi_policy_info *info, void *ctx)
{
	(void)info;
	++*(int *)ctx;
	return 0;
}

static int op_list(void *ctx)
{
	KRSI_OPTS(krsi_list_opts, o, .pin_root = ctx);
	int n = 0, err;

	err = krsi_list_policies(count_policy, &n, &o);
	return err ?: n == 1 ? 0 : -EIO;
}

/* The process's descriptors: how many, and what 0, 1 and 2 are. */
struct fds {
	int count;
	dev_t dev[3];
	ino_t ino[3];
};

static struct fds fds_now(void)
{
	struct fds f = { 0 };
	struct dirent *e;
	struct stat st;
	DIR *d = opendir("/proc/self/fd");
	int i;

	assert_non_null(d);
	while ((e = readdir(d)))
		f.count += e->d_name[0] != '.';
	closedir(d);
	for (i = 0; i < 3; i++) {
		if (fstat(i, &st) == 0) {
			f.dev[i] = st.st_dev;
			f.ino[i] = st.st_ino;
		}
	}
	return f;
}

static void run(const char *name, fail_op op, void *ctx)
{
	struct fds before = fds_now(), after;
	long n = fail_each(name, op, ctx);
	int i;

	after = fds_now();
	print_message("%s: each of %ld allocations failed in turn: -ENOMEM, "
		      "no leak\n",
		      name, n);
	assert_true(n > 0);
	/* no descriptor left open, none of the application's closed */
	assert_int_equal(after.count, before.count);
	for (i = 0; i < 3; i++) {
		assert_int_equal(after.dev[i], before.dev[i]);
		assert_int_equal(after.ino[i], before.ino[i]);
	}
}

static void test_btf_and_hooks(void **state)
{
	(void)state;
	run("BTF lookup", op_btf, NULL);
	run("hook catalog", op_hooks, NULL);
}

static void test_probe(void **state)
{
	(void)state;
	run("passive probe", op_probe, NULL);
}

static void test_audit(void **state)
{
	struct ring r = { .skel = audit_stream_bpf__open() };

	(void)state;
	assert_non_null(r.skel);
	r.ring_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0, 4096,
				   NULL);
	utest_need_bpf(r.ring_fd);
	r.drops_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "events_drops",
				    4, 8, 1, NULL);
	assert_true(r.ring_fd >= 0 && r.drops_fd >= 0);
	run("audit consumer", op_audit, &r);
	close(r.ring_fd);
	close(r.drops_fd);
	audit_stream_bpf__destroy(r.skel);
}

static void test_object_and_maps(void **state)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "probe", 4, 4, 1, NULL);

	(void)state;
	utest_need_bpf(fd);
	close(fd);
	run("object and its maps", op_object, NULL);
}

static void test_policy_generations(void **state)
{
	struct policy p;

	(void)state;
	p.ctl = utest_map(BPF_MAP_TYPE_ARRAY, KRSI_POLICY_CTL_NAME, 4,
			  sizeof(struct krsi_policy_ctl), 1, BPF_F_MMAPABLE);
	p.paths = utest_map(BPF_MAP_TYPE_LPM_TRIE, "paths",
			    sizeof(struct krsi_path_set_key),
			    sizeof(struct krsi_rule), 16, 0);
	run("policy generation", op_gen, &p);
	krsi_map__free(p.paths);
	krsi_map__free(p.ctl);
}

/* A policy directory as an install leaves it, made by hand: the host
 * cannot attach LSM programs, the listing does not need it to. */
static void test_list_policies(void **state)
{
	struct krsi_policy_meta meta = { .magic = KRSI_META_MAGIC,
					 .format = KRSI_META_FORMAT,
					 .generation = 1,
					 .object = "guard" };
	char root[96], path[160];
	int fd;

	(void)state;
	utest_need_bpffs();
	snprintf(root, sizeof(root), "%s/krsi", utest_bpffs);
	snprintf(path, sizeof(path), "%s/guard", root);
	assert_int_equal(mkdir(root, 0700), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/guard/" KRSI_LINKS_DIR, root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/guard/" KRSI_META_PIN, root);
	assert_int_equal(krsi_meta_pin(&meta, path), 0);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "rules", 4, 8, 4, NULL);
	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "%s/guard/rules", root);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	close(fd);
	run("policy listing", op_list, root);
}

static int setup(void **state)
{
	struct btf *b = fixture_btf();

	(void)state;
	krsi_set_print(NULL);
	libbpf_set_print(NULL);
	fixture_write(b, btf_path);
	btf__free(b);
	utest_mount_bpffs();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(btf_path);
	utest_unmount_bpffs();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_btf_and_hooks),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_object_and_maps),
		cmocka_unit_test(test_policy_generations),
		cmocka_unit_test(test_list_policies),
	};

	return cmocka_run_group_tests_name("alloc", tests, setup, teardown);
}
