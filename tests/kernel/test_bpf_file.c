// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/file.bpf.h> and <krsi/path.bpf.h>: for files this process opens,
 * reads and maps, the keys the helpers compute equal stat()'s (st_dev and
 * st_ino, also for a device whose minor needs the high bits of st_dev), and
 * every method of resolving a path gives the path that was opened. A NULL
 * file (anonymous memory in mmap_file) gives -ENOENT. The output says which
 * method krsi_file_path() uses on this kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "ktest.h"
#include "progs/bpf_file.h"
#include "bpf_file.skel.h"

struct fixture {
	struct bpf_file_bpf *skel;
	char top[64]; /* the test's directory under /tmp, once made */
	int mounts; /* tmpfs mounts stacked on top/m */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int err;

	if (!fx)
		return -1;
	*state = fx;
	fx->skel = bpf_file_bpf__open();
	if (!fx->skel)
		return -1;
	err = bpf_file_bpf__load(fx->skel);
	if (!err)
		err = bpf_file_bpf__attach(fx->skel);
	if (err) {
		print_message("cannot load or attach bpf_file: %s\n",
			      strerror(-err));
		bpf_file_bpf__destroy(fx->skel);
		fx->skel = NULL;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char m[80];

	bpf_file_bpf__destroy(fx->skel);
	snprintf(m, sizeof(m), "%s/m", fx->top);
	for (; fx->mounts > 0; fx->mounts--)
		umount2(m, MNT_DETACH);
	if (fx->top[0])
		nftw(fx->top, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* Load, watch this process, and make the test's directory. */
static void start(struct fixture *fx)
{
	if (!fx->skel)
		ktest_unavailable(
			"this kernel refuses to load or attach an LSM program; run the test inside krsi-vmtest");
	fx->skel->bss->target_tgid = getpid();
	snprintf(fx->top, sizeof(fx->top), "/tmp/kfile-%d", getpid());
	if (mkdir(fx->top, 0755))
		fail_msg("mkdir %s: %s", fx->top, strerror(errno));
}

/* Make the directories of PATH below the test's directory, then PATH. */
static void make_file(const char *path)
{
	char dir[PATH_MAX], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			fail_msg("mkdir %s: %s", dir, strerror(errno));
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail_msg("create %s: %s", path, strerror(errno));
	assert_int_equal(write(fd, "krsi\n", 5), 5);
	close(fd);
}

static int open_file(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	return fd;
}

/* Whether the kernel's BTF has the kfunc: the truth the program's test
 * at load time must agree with. */
static bool kernel_has_path_d_path(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool has;

	assert_non_null(btf);
	has = btf__find_by_name_kind(btf, "bpf_path_d_path", BTF_KIND_FUNC) > 0;
	btf__free(btf);
	return has;
}

static void check_keys(const struct file_result *res, const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(res->file_key_err, 0);
	assert_int_equal(res->inode_key_err, 0);
	assert_int_equal(res->file_key.dev, st.st_dev);
	assert_int_equal(res->file_key.ino, st.st_ino);
	assert_int_equal(res->inode_key.dev, st.st_dev);
	assert_int_equal(res->inode_key.ino, st.st_ino);
}

static void check_path(const char *method, const struct path_result *res,
		       const char *want)
{
	if (res->len != (long)strlen(want) + 1 || strcmp(res->path, want))
		fail_msg("%s resolved \"%s\" (length %lld), want \"%s\"",
			 method, res->len > 0 ? res->path : "",
			 (long long)res->len, want);
}

/* The test's directory, seen from the root of the tmpfs at /tmp. */
static const char *in_tmpfs(const char *path)
{
	return path + strlen("/tmp");
}

static void test_open_keys_and_paths(void **state)
{
	struct fixture *fx = *state;
	struct file_result *res;
	char path[PATH_MAX];
	__u64 calls;
	bool kfunc;

	start(fx);
	snprintf(path, sizeof(path), "%s/a/b/c.txt", fx->top);
	make_file(path);
	strcpy(fx->skel->bss->dir, "/tmp");
	res = &fx->skel->bss->on_open;
	calls = res->calls;
	close(open_file(path, O_RDONLY));
	assert_int_equal(res->calls, calls + 1);
	check_keys(res, path);
	check_path("krsi_file_path()", &res->path, path);
	check_path("krsi_file_d_path()", &res->d_path, path);
	check_path("krsi_path_walk()", &res->walk, path);
	check_path("krsi_dentry_walk()", &res->dentry, in_tmpfs(path));
	assert_int_equal(res->in_dir, 1);

	kfunc = kernel_has_path_d_path();
	assert_int_equal(fx->skel->bss->kfunc_available, kfunc);
	print_message("bpf_path_d_path: %s; krsi_file_path() %s\n",
		      kfunc ? "present" : "absent from this kernel",
		      kfunc ? "uses it" : "walks the dentry tree");

	/* A directory the path is not in. */
	strcpy(fx->skel->bss->dir, "/tm");
	calls = res->calls;
	close(open_file(path, O_RDONLY));
	assert_int_equal(res->calls, calls + 1);
	assert_int_equal(res->in_dir, 0);
}

/* Files on the root filesystem, and the root itself. */
static void test_root_filesystem(void **state)
{
	struct fixture *fx = *state;
	struct file_result *res = NULL;
	char exe[PATH_MAX];

	start(fx);
	res = &fx->skel->bss->on_open;
	assert_non_null(realpath("/proc/self/exe", exe));
	close(open_file(exe, O_RDONLY));
	check_keys(res, exe);
	check_path("krsi_file_path()", &res->path, exe);
	check_path("krsi_path_walk()", &res->walk, exe);
	check_path("krsi_file_d_path()", &res->d_path, exe);

	close(open_file("/", O_RDONLY | O_DIRECTORY));
	check_keys(res, "/");
	check_path("krsi_file_path()", &res->path, "/");
	check_path("krsi_path_walk()", &res->walk, "/");
	check_path("krsi_dentry_walk()", &res->dentry, "/");
}

/* file_permission: a hook bpf_d_path() does not allow. */
static void test_read_hook(void **state)
{
	struct fixture *fx = *state;
	struct file_result *res;
	char path[PATH_MAX], buf[8];
	int fd;

	start(fx);
	snprintf(path, sizeof(path), "%s/read.txt", fx->top);
	make_file(path);
	fd = open_file(path, O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf)), 5);
	close(fd);
	res = &fx->skel->bss->on_read;
	assert_true(res->calls >= 1);
	check_keys(res, path);
	check_path("krsi_file_path() in file_permission", &res->path, path);
}

/* mmap_file: a file, then anonymous memory, whose file is NULL. */
static void test_mmap_hook_and_null_file(void **state)
{
	struct fixture *fx = *state;
	struct file_result *res;
	char path[PATH_MAX];
	void *p;
	int fd;

	start(fx);
	res = &fx->skel->bss->on_mmap;
	snprintf(path, sizeof(path), "%s/map.txt", fx->top);
	make_file(path);
	fd = open_file(path, O_RDONLY);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(p != MAP_FAILED);
	munmap(p, 4096);
	close(fd);
	check_keys(res, path);
	check_path("krsi_file_path() in mmap_file", &res->path, path);
	check_path("krsi_file_d_path() in mmap_file", &res->d_path, path);

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	munmap(p, 4096);
	assert_int_equal(res->file_key_err, -ENOENT);
	assert_int_equal(res->inode_key_err, -ENOENT);
	assert_int_equal(res->path.len, -ENOENT);
	assert_int_equal(res->d_path.len, -ENOENT);
}

/* Whether krsi_file_d_path() resolves as d_path() does (a kfunc or
 * bpf_d_path()), rather than walking where LSM programs have neither. */
static bool exact_d_path(const struct fixture *fx)
{
	return fx->skel->bss->kfunc_available ||
	       fx->skel->bss->d_path_available;
}

/* Deeper than KRSI_PATH_DEPTH (64) names: the walk fails, d_path does not. */
static void test_deep_path(void **state)
{
	struct fixture *fx = *state;
	struct file_result *res;
	char path[PATH_MAX];
	size_t len;
	int i;

	start(fx);
	len = snprintf(path, sizeof(path), "%s", fx->top);
	for (i = 0; i < 70; i++)
		len += snprintf(path + len, sizeof(path) - len, "/d");
	snprintf(path + len, sizeof(path) - len, "/f");
	make_file(path);
	close(open_file(path, O_RDONLY));
	res = &fx->skel->bss->on_open;
	check_keys(res, path);
	if (exact_d_path(fx))
		check_path("krsi_file_d_path()", &res->d_path, path);
	else /* it walks, as on 5.10 */
		assert_int_equal(res->d_path.len, -ENAMETOOLONG);
	assert_int_equal(res->walk.len, -ENAMETOOLONG);
	if (fx->skel->bss->kfunc_available)
		check_path("krsi_file_path()", &res->path, path);
	else
		assert_int_equal(res->path.len, -ENAMETOOLONG);
}

/*
 * stat() encodes a device's minor in two parts, the high bits above the
 * major. Stack tmpfs mounts until one gets a minor of 256 or more, and
 * check the key of a file there.
 */
static void test_device_encoding_high_minor(void **state)
{
	struct fixture *fx = *state;
	struct file_result *res;
	char m[80], path[PATH_MAX];
	struct stat st;

	start(fx);
	snprintf(m, sizeof(m), "%s/m", fx->top);
	assert_int_equal(mkdir(m, 0755), 0);
	do {
		if (mount("krsi", m, "tmpfs", 0, NULL))
			fail_msg("mount tmpfs on %s: %s", m, strerror(errno));
		fx->mounts++;
		assert_int_equal(stat(m, &st), 0);
	} while (minor(st.st_dev) < 256 && fx->mounts < 1024);
	if (minor(st.st_dev) < 256)
		fail_msg("no minor of 256 or more after %d mounts", fx->mounts);
	snprintf(path, sizeof(path), "%s/f", m);
	make_file(path);
	close(open_file(path, O_RDONLY));
	res = &fx->skel->bss->on_open;
	check_keys(res, path);
	/* Walked (5.10), each stacked mount is a step: too deep. */
	if (exact_d_path(fx))
		check_path("krsi_file_d_path()", &res->d_path, path);
	else
		assert_int_equal(res->d_path.len, -ENAMETOOLONG);
	print_message(
		"device %u:%u (st_dev 0x%llx) after %d mounts: key agrees\n",
		major(st.st_dev), minor(st.st_dev),
		(unsigned long long)st.st_dev, fx->mounts);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_keys_and_paths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_root_filesystem, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_hook, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mmap_hook_and_null_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_path, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_device_encoding_high_minor,
						setup, teardown),
	};

	/* Every test needs the BPF LSM: none to run in the lsm-off boot. */
	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("bpf_file", tests, NULL, NULL);
}
