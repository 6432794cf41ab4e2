// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/install.h> and <krsi/attachments.h> on the host: every function's
 * errors, the pin root's checks, listing, metadata, and the comparison of
 * pinned maps with an object's (types, sizes, BTF layouts). The host
 * refuses LSM programs but creates maps; bpffs is mounted privately in a
 * mount namespace of this test's own, never on the host.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "internal.h"
#include "policy_deny.skel.h"
#include "policy_layout.skel.h"
#include "utest.h"

static char root[128]; /* a pin root inside the private bpffs */

static int setup_group(void **state)
{
	(void)state;
	libbpf_set_print(NULL);
	utest_mount_bpffs();
	snprintf(root, sizeof(root), "%s/krsi", utest_bpffs);
	return 0;
}

static int teardown_group(void **state)
{
	(void)state;
	utest_unmount_bpffs();
	return 0;
}

static int setup(void **state)
{
	(void)state;
	utest_capture();
	return 0;
}

static struct krsi_object *open_deny(void)
{
	size_t size;
	const void *buf = policy_deny_bpf__elf_bytes(&size);
	struct krsi_object *obj = krsi_object__open_mem(buf, size, NULL);

	assert_non_null(obj);
	return obj;
}

static void test_names(void **state)
{
	char long_name[80];

	(void)state;
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_true(krsi_policy_name_valid("guard"));
	assert_true(krsi_policy_name_valid("Guard_v2-x"));
	assert_false(krsi_policy_name_valid(NULL));
	assert_false(krsi_policy_name_valid(""));
	assert_false(krsi_policy_name_valid("a.b")); /* bpffs refuses dots */
	assert_false(krsi_policy_name_valid("a/b"));
	assert_false(krsi_policy_name_valid("a~new"));
	assert_false(krsi_policy_name_valid(long_name));
	assert_logged("invalid policy name");
}

static void test_pin_name(void **state)
{
	char name[] = "my.obj.rodata";

	(void)state;
	krsi_pin_name(name);
	assert_string_equal(name, "my_obj_rodata");
}

static void test_install_and_adopt_errors(void **state)
{
	struct krsi_policy_opts small = { .sz = 1 };
	KRSI_OPTS(krsi_policy_opts, tmp, .pin_root = "/tmp");
	struct krsi_object *obj = open_deny();

	(void)state;
	assert_errno_null(krsi_policy__install(NULL, "p", NULL), EINVAL);
	assert_errno_null(krsi_policy__install(obj, NULL, NULL), EINVAL);
	assert_errno_null(krsi_policy__install(obj, "a.b", NULL), EINVAL);
	assert_errno_null(krsi_policy__install(obj, "p", &small), EINVAL);
	assert_errno_null(krsi_policy__adopt(NULL, "p", NULL), EINVAL);
	assert_errno_null(krsi_policy__adopt(obj, "", NULL), EINVAL);
	assert_errno_null(krsi_policy__adopt(obj, "p", &small), EINVAL);
	/* A pin root off bpffs is refused, and not even created. */
	tmp.pin_root = "/tmp/krsi-unit-not-bpffs";
	assert_errno_null(krsi_policy__install(obj, "p", &tmp), EXDEV);
	assert_logged("not on a bpffs mount");
	assert_int_equal(access(tmp.pin_root, F_OK), -1);
	tmp.pin_root = "/tmp";
	assert_errno_null(krsi_policy__install(obj, "p", &tmp), EXDEV);
	krsi_object__destroy(obj);
}

static void test_remove_errors(void **state)
{
	struct krsi_policy_opts small = { .sz = 1 };
	KRSI_OPTS(krsi_policy_opts, opts, .pin_root = "/nonexistent/krsi");

	(void)state;
	assert_int_equal(krsi_policy__remove(NULL), -EINVAL);
	assert_int_equal(krsi_remove_policy(NULL, NULL), -EINVAL);
	assert_int_equal(krsi_remove_policy("x/y", NULL), -EINVAL);
	assert_int_equal(krsi_remove_policy("p", &small), -EINVAL);
	assert_int_equal(krsi_remove_policy("p", &opts), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_logged("not installed");
}

static void test_getters(void **state)
{
	(void)state;
	krsi_policy__destroy(NULL);
	assert_errno_null(krsi_policy__name(NULL), EINVAL);
	assert_errno_null(krsi_policy__path(NULL), EINVAL);
	assert_errno_null(krsi_policy__object(NULL), EINVAL);
}

static int never(const struct krsi_policy_info *info, void *ctx)
{
	(void)info;
	(void)ctx;
	fail_msg("no policy should be listed");
	return 0;
}

static int stop_at_first(const struct krsi_attachment *att, void *ctx)
{
	(void)att;
	(void)ctx;
	return 7;
}

static void test_listing_errors(void **state)
{
	struct krsi_list_opts small = { .sz = 1 };
	KRSI_OPTS(krsi_list_opts, missing, .pin_root = "/nonexistent/krsi");
	int err;

	(void)state;
	assert_int_equal(krsi_list_policies(NULL, NULL, NULL), -EINVAL);
	assert_int_equal(krsi_list_policies(never, NULL, &small), -EINVAL);
	assert_int_equal(krsi_list_policies(never, NULL, &missing), 0);
	assert_int_equal(krsi_list_attachments(NULL, NULL, NULL), -EINVAL);
	assert_int_equal(krsi_list_attachments(stop_at_first, NULL, &small),
			 -EINVAL);
	/* The host's own links: none, or the first stops the walk. */
	err = krsi_list_attachments(stop_at_first, NULL, &missing);
	assert_true(err == 0 || err == 7 || err == -EPERM);
}

/* A pin root others may write to is refused; nothing is created in it. */
static void test_pin_root_permissions(void **state)
{
	KRSI_OPTS(krsi_policy_opts, opts, .pin_root = root);
	struct krsi_object *obj = open_deny();

	(void)state;
	utest_need_bpffs();
	assert_int_equal(mkdir(root, 0700), 0);
	assert_int_equal(chmod(root, 0777), 0);
	assert_errno_null(krsi_policy__install(obj, "p", &opts), EACCES);
	assert_logged("if it is not yours, remove it");
	assert_errno_null(krsi_policy__adopt(obj, "p", &opts), EACCES);
	assert_int_equal(krsi_remove_policy("p", &opts), -EACCES);
	assert_int_equal(rmdir(root), 0);
	krsi_object__destroy(obj);
}

/* This host refuses LSM programs: the install fails, leaving no pin, nor
 * the pin root it created. */
static void test_failed_install_leaves_nothing(void **state)
{
	KRSI_OPTS(krsi_policy_opts, opts, .pin_root = root);
	struct krsi_object *obj = open_deny();
	char path[256];

	(void)state;
	utest_need_bpffs();
	assert_null(krsi_policy__install(obj, "p", &opts));
	assert_true(errno > 0);
	assert_int_equal(krsi_remove_policy("p", &opts), -ENOENT);
	snprintf(path, sizeof(path), "%s/p~new", root);
	assert_int_equal(access(path, F_OK), -1);
	assert_errno_null(krsi_policy__adopt(obj, "p", &opts), ENOENT);
	krsi_object__destroy(obj);
	assert_int_equal(access(root, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

static int count_policies(const struct krsi_policy_info *info, void *ctx)
{
	(void)info;
	++*(int *)ctx;
	return 0;
}

/* The name of the entry of DIR starting with PREFIX, into NAME. */
static bool find_entry(const char *dir, const char *prefix, char *name)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(dir);

	while (d && !found && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix))) {
			strcpy(name, de->d_name);
			found = true;
		}
	if (d)
		closedir(d);
	return found;
}

/*
 * bpffs mounted mode 1777, as the kernel mounts it by default: another
 * user made the pin root first, with a fake policy in it. Listing ignores
 * it, saying so; an install takes the name back, moving what they made
 * aside (the install then fails: this host refuses LSM programs).
 */
static void test_pin_root_made_by_another_user(void **state)
{
	KRSI_OPTS(krsi_policy_opts, opts, .pin_root = root);
	KRSI_OPTS(krsi_list_opts, lopts, .pin_root = root);
	struct krsi_object *obj = open_deny();
	char path[256], aside[256];
	struct stat st;
	int n = 0, fd;

	(void)state;
	utest_need_bpffs();
	assert_int_equal(chmod(utest_bpffs, 01777), 0);
	assert_int_equal(mkdir(root, 0755), 0);
	snprintf(path, sizeof(path), "%s/fake", root);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(lchown(path, 1000, 1000), 0);
	assert_int_equal(lchown(root, 1000, 1000), 0);

	assert_int_equal(krsi_list_policies(count_policies, &n, &lopts), 0);
	assert_int_equal(n, 0);
	assert_logged("not by libkrsi: ignored");
	assert_int_equal(krsi_remove_policy("fake", &opts), -ENOENT);

	utest_capture();
	assert_null(krsi_policy__install(obj, "p", &opts));
	assert_logged("not by libkrsi: taken back, and what it held moved to");
	assert_true(find_entry(utest_bpffs, "krsi~untrusted-", aside));
	snprintf(path, sizeof(path), "%s/%s/fake", utest_bpffs, aside);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 1000);
	/* the install failed: the pin root it took back is gone too */
	assert_int_equal(access(root, F_OK), -1);
	fd = open(utest_bpffs, O_RDONLY | O_DIRECTORY);
	assert_int_equal(krsi_rmtree(fd, aside), 0);
	close(fd);
	assert_int_equal(chmod(utest_bpffs, 0700), 0);
	krsi_object__destroy(obj);
}

/* Removing never empties a filesystem mounted in the pin root. */
static void test_removal_stays_out_of_mounts(void **state)
{
	KRSI_OPTS(krsi_policy_opts, opts, .pin_root = root);
	char staging[256], file[300];
	int fd;

	(void)state;
	utest_need_bpffs();
	assert_int_equal(mkdir(root, 0700), 0);
	snprintf(staging, sizeof(staging), "%s/p~new", root);
	assert_int_equal(mkdir(staging, 0700), 0);
	assert_int_equal(mount("tmpfs", staging, "tmpfs", 0, NULL), 0);
	snprintf(file, sizeof(file), "%s/precious", staging);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(krsi_remove_policy("p", &opts), -EBUSY);
	assert_logged("something is mounted on it");
	assert_int_equal(access(file, F_OK), 0);
	assert_int_equal(umount(staging), 0);
	assert_int_equal(krsi_remove_policy("p", &opts), 0);
	assert_int_equal(access(staging, F_OK), -1);
	assert_int_equal(rmdir(root), 0);
}

static void test_meta(void **state)
{
	struct krsi_policy_meta in = { .magic = KRSI_META_MAGIC,
				       .format = KRSI_META_FORMAT,
				       .generation = 3,
				       .object = "guard" },
				out;
	char path[256], later[1024] = {};
	__u32 key = 0;
	int fd;

	(void)state;
	utest_need_bpffs();
	snprintf(path, sizeof(path), "%s/meta", utest_bpffs);
	assert_int_equal(krsi_meta_read(path, &out), -ENOENT);
	assert_int_equal(krsi_meta_pin(&in, path), 0);
	assert_int_equal(krsi_meta_read(path, &out), 0);
	assert_int_equal(out.generation, 3);
	assert_string_equal(out.object, "guard");
	assert_int_equal(unlink(path), 0);
	/* Another map pinned there is not metadata. */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "other", 4, 8, 1, NULL);
	assert_true(fd >= 0);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	close(fd);
	assert_int_equal(krsi_meta_read(path, &out), -EPROTO);
	assert_int_equal(unlink(path), 0);
	/* A later libkrsi's metadata, larger: its format is told, no more */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "later", 4, 1024, 1, NULL);
	assert_true(fd >= 0);
	memcpy(later, &in, sizeof(in));
	((struct krsi_policy_meta *)later)->format = KRSI_META_FORMAT + 1;
	assert_int_equal(bpf_map_update_elem(fd, &key, later, 0), 0);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	close(fd);
	assert_int_equal(krsi_meta_read(path, &out), -EPROTONOSUPPORT);
	assert_int_equal(out.format, KRSI_META_FORMAT + 1);
	assert_int_equal(out.generation, 0);
	assert_string_equal(out.object, "");
	assert_int_equal(unlink(path), 0);
}

struct listed {
	int n;
	bool interrupted[2];
};

static int check_listed(const struct krsi_policy_info *info, void *ctx)
{
	struct listed *l = ctx;

	assert_true(l->n < 2);
	assert_string_equal(info->name, l->n ? "q" : "p");
	l->interrupted[l->n++] = info->interrupted;
	assert_int_equal(info->prog_cnt, 0);
	assert_int_equal(info->map_cnt, 1);
	assert_string_equal(info->maps[0]->name, "denied");
	assert_int_equal(info->maps[0]->type, BPF_MAP_TYPE_HASH);
	assert_int_equal(info->maps[0]->value_size, 8);
	if (!info->interrupted) {
		assert_int_equal(info->generation, 5);
		assert_string_equal(info->object, "guard");
	}
	return 0;
}

/* Policies are listed from their pins, interrupted installs included. */
static void test_list_from_pins(void **state)
{
	struct krsi_policy_meta meta = { .magic = KRSI_META_MAGIC,
					 .format = KRSI_META_FORMAT,
					 .generation = 5,
					 .object = "guard" };
	KRSI_OPTS(krsi_list_opts, opts, .pin_root = root);
	KRSI_OPTS(krsi_policy_opts, popts, .pin_root = root);
	const char *dirs[] = { "p", "q~new" };
	struct listed l = {};
	char path[256];
	int fd;
	size_t i;

	(void)state;
	utest_need_bpffs();
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "denied", 4, 8, 4, NULL);
	assert_true(fd >= 0);
	assert_int_equal(mkdir(root, 0700), 0);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		assert_int_equal(mkdir(path, 0700), 0);
		snprintf(path, sizeof(path), "%s/%s/denied", root, dirs[i]);
		assert_int_equal(bpf_obj_pin(fd, path), 0);
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/p/krsi_meta", root);
	assert_int_equal(krsi_meta_pin(&meta, path), 0);

	assert_int_equal(krsi_list_policies(check_listed, &l, &opts), 0);
	assert_int_equal(l.n, 2);
	assert_false(l.interrupted[0]);
	assert_true(l.interrupted[1]); /* q~new */

	/* Removing q removes its interrupted install: that is success. */
	assert_int_equal(krsi_remove_policy("q", &popts), 0);
	assert_int_equal(krsi_remove_policy("q", &popts), -ENOENT);
	assert_int_equal(krsi_remove_policy("p", &popts), 0);
	assert_int_equal(rmdir(root), 0);
}

static const struct bpf_map *denied_map(struct bpf_object *obj)
{
	const struct bpf_map *map = bpf_object__find_map_by_name(obj, "denied");

	assert_non_null(map);
	return map;
}

/* A kernel map created like OBJ's "denied" with OBJ's BTF, or with
 * another value size and no BTF. */
static int create_like(struct bpf_object *obj, __u32 value_size)
{
	const struct bpf_map *map = denied_map(obj);
	struct btf *btf = bpf_object__btf(obj);
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	int fd;

	if (btf__fd(btf) < 0 && btf__load_into_kernel(btf)) {
		print_message("skipped: this host refuses to load BTF\n");
		skip();
	}
	if (value_size == bpf_map__value_size(map)) {
		opts.btf_fd = btf__fd(btf);
		opts.btf_key_type_id = bpf_map__btf_key_type_id(map);
		opts.btf_value_type_id = bpf_map__btf_value_type_id(map);
	}
	fd = bpf_map_create(bpf_map__type(map), "denied",
			    bpf_map__key_size(map), value_size,
			    bpf_map__max_entries(map), &opts);
	assert_true(fd >= 0);
	return fd;
}

static void test_map_match(void **state)
{
	struct policy_deny_bpf *deny = policy_deny_bpf__open();
	struct policy_layout_bpf *layout = policy_layout_bpf__open();
	struct btf *btf;
	int same, wider, other;

	(void)state;
	assert_non_null(deny);
	assert_non_null(layout);
	btf = bpf_object__btf(deny->obj);
	same = create_like(deny->obj, 4);
	wider = create_like(deny->obj, 8);
	other = create_like(layout->obj, 4); /* same sizes, another layout */

	assert_int_equal(krsi_map_match(same, denied_map(deny->obj), "denied",
					btf, "unit"),
			 0);
	assert_int_equal(krsi_map_match(wider, denied_map(deny->obj), "denied",
					btf, "unit"),
			 1);
	assert_logged("map 'denied': value size is 8 in "
		      "the installed policy, 4 in the "
		      "object");
	assert_int_equal(krsi_map_match(other, denied_map(deny->obj), "denied",
					btf, "unit"),
			 1);
	assert_logged("the value's BTF layout differs");
	assert_int_equal(krsi_map_match(other, denied_map(layout->obj),
					"denied", bpf_object__btf(layout->obj),
					"unit"),
			 0);
	assert_true(krsi_map_match(-1, denied_map(deny->obj), "denied", btf,
				   "unit") < 0);
	close(same);
	close(wider);
	close(other);
	policy_deny_bpf__destroy(deny);
	policy_layout_bpf__destroy(layout);
}

#define TEST(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_names),
		TEST(test_pin_name),
		TEST(test_install_and_adopt_errors),
		TEST(test_remove_errors),
		TEST(test_getters),
		TEST(test_listing_errors),
		TEST(test_pin_root_permissions),
		TEST(test_failed_install_leaves_nothing),
		TEST(test_pin_root_made_by_another_user),
		TEST(test_removal_stays_out_of_mounts),
		TEST(test_meta),
		TEST(test_list_from_pins),
		TEST(test_map_match),
	};

	return cmocka_run_group_tests_name("policy", tests, setup_group,
					   teardown_group);
}
