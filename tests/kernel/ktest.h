/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the kernel tests: they run inside krsi-vmtest on every supported
 * kernel, where they must run, and skip elsewhere with the reason.
 *
 * Each test binary takes one optional argument: --lsm-off says the VM was
 * booted with an lsm= list lacking "bpf", so the binary runs its tests of
 * that case instead (or none, exiting 0, when it has none).
 *
 * Test files define _GNU_SOURCE before their first include: the helpers
 * here use name_to_handle_at().
 */
#ifndef KTEST_H
#define KTEST_H

#include <dirent.h>
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
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

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

/* libkrsi's feature probe of the running kernel, made once. */
static inline const struct krsi_features *ktest_features(void)
{
	static struct krsi_features *features;

	if (!features)
		features = krsi_features__probe(NULL);
	if (!features)
		fail_msg("cannot probe the kernel's features: %s",
			 strerror(errno));
	return features;
}

/*
 * Skip the test, saying why, when the running kernel lacks FEATURE, as
 * libkrsi's feature probe measures it (krsi_features__probe()): the probe's
 * answers are what skips, so a wrong answer shows up as a test that skips
 * where it should run, or runs where it cannot. A feature the probe cannot
 * tell is a failure inside the VM, where trial loads work, and a skip
 * elsewhere. Skips are counted apart from passes (scripts/check.sh).
 */
static inline void ktest_require_feature(enum krsi_feature feature)
{
	const struct krsi_features *f = ktest_features();
	enum krsi_tristate has = krsi_features__has(f, feature);

	if (has == KRSI_YES)
		return;
	if (has == KRSI_UNKNOWN)
		ktest_unavailable("whether this kernel has %s is not known: %s",
				  krsi_feature__title(feature),
				  krsi_features__evidence(f, feature));
	print_message(
		"skipped: this kernel lacks %s (feature %s, first in Linux %s): %s\n",
		krsi_feature__title(feature), krsi_feature__name(feature),
		krsi_feature__since(feature),
		krsi_features__evidence(f, feature));
	skip();
}

/* Check that libkrsi named an lsm/ link's hook HOOK as EXPECTED, or NULL
 * where the kernel does not say (feature link_hook, before 5.13). */
static inline void ktest_assert_link_hook(const char *hook,
					  const char *expected)
{
	const struct krsi_features *f = ktest_features();

	if (krsi_features__has(f, KRSI_FEATURE_LINK_HOOK) == KRSI_NO) {
		if (hook)
			fail_msg(
				"link hook named '%s' on a kernel that does not say it (%s)",
				hook,
				krsi_features__evidence(
					f, KRSI_FEATURE_LINK_HOOK));
		return;
	}
	if (!hook)
		fail_msg("link hook not named (expected '%s'): %s", expected,
			 krsi_features__evidence(f, KRSI_FEATURE_LINK_HOOK));
	assert_string_equal(hook, expected);
}

static enum krsi_feature ktest_group_feature;

static void ktest_skip_for_group_feature(void **state)
{
	(void)state;
	ktest_require_feature(ktest_group_feature);
}

/*
 * When the running kernel lacks FEATURE, make each of the N TESTS skip
 * with the reason (ktest_require_feature()) instead of running, its setup
 * and teardown included: for a binary whose every test needs it.
 */
static inline void ktest_require_feature_all(struct CMUnitTest *tests, size_t n,
					     enum krsi_feature feature)
{
	size_t i;

	if (krsi_features__has(ktest_features(), feature) == KRSI_YES)
		return;
	ktest_group_feature = feature;
	for (i = 0; i < n; i++) {
		tests[i].test_func = ktest_skip_for_group_feature;
		tests[i].setup_func = NULL;
		tests[i].teardown_func = NULL;
	}
}

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

/* Where cgroup v2 is mounted, from /proc/self/mountinfo, into BUF. */
static inline void ktest_cgroup_root(char *buf, size_t size)
{
	char line[1024], mnt[512], fstype[64];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	assert_non_null(f);
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS... - FSTYPE ... */
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(sep, " - %63s", fstype) != 1)
			continue;
		if (strcmp(fstype, "cgroup2") == 0) {
			snprintf(buf, size, "%s", mnt);
			break;
		}
	}
	fclose(f);
	if (!buf[0])
		fail_msg("no cgroup2 mount in /proc/self/mountinfo");
}

/* The id of the cgroup at PATH, as the kernel names it in BPF. */
static inline __u64 ktest_cgroup_id(const char *path)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh.handle_bytes = sizeof(__u64) };
	int mount_id;

	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0))
		fail_msg("name_to_handle_at(%s): %s", path, strerror(errno));
	return h.id;
}

/* The id of this process's cgroup v2. */
static inline __u64 ktest_my_cgroup_id(void)
{
	char root[512], path[1024], line[1024];
	FILE *f = fopen("/proc/self/cgroup", "r");

	assert_non_null(f);
	path[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			ktest_cgroup_root(root, sizeof(root));
			snprintf(path, sizeof(path), "%s%s", root, line + 3);
		}
	}
	fclose(f);
	if (!path[0])
		fail_msg("no cgroup v2 line in /proc/self/cgroup");
	return ktest_cgroup_id(path);
}

/* The audit login uid, 4294967295 when unset or without CONFIG_AUDIT. */
static inline __u32 ktest_my_loginuid(void)
{
	FILE *f = fopen("/proc/self/loginuid", "r");
	unsigned int v = 4294967295u;

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 4294967295u;
		fclose(f);
	}
	return v;
}

/* Open the BPF object a skeleton embeds (NAME.bpf.c) with libkrsi. */
#define ktest_open_embedded(name)                               \
	({                                                      \
		size_t sz_;                                     \
		const void *buf_ = name##_bpf__elf_bytes(&sz_); \
		struct krsi_object *obj_ =                      \
			krsi_object__open_mem(buf_, sz_, NULL); \
		assert_non_null(obj_);                          \
		obj_;                                           \
	})

/* Write the object a skeleton embeds to /tmp/NAME.bpf.o, for krsi load. */
#define ktest_write_object(name)                                     \
	({                                                           \
		size_t size_;                                        \
		const void *buf_ = name##_bpf__elf_bytes(&size_);    \
		FILE *f_ = fopen("/tmp/" #name ".bpf.o", "w");       \
		assert_non_null(f_);                                 \
		assert_int_equal(fwrite(buf_, 1, size_, f_), size_); \
		assert_int_equal(fclose(f_), 0);                     \
	})

/* Remove every policy installed under the default pin root, whatever a
 * test left (interrupted installs too). */
static inline void ktest_remove_all_policies(void)
{
	struct dirent *de;
	DIR *dir = opendir(KRSI_POLICY_PIN_ROOT);

	while (dir && (de = readdir(dir)))
		if (de->d_name[0] != '.')
			krsi_remove_policy(de->d_name, NULL);
	if (dir)
		closedir(dir);
}

/* Keep only the capabilities in CAPS (bit N: capability N); fails the
 * test if the kernel refuses. */
static inline void ktest_set_capabilities(__u64 caps)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ .effective = (__u32)caps, .permitted = (__u32)caps },
		{ .effective = (__u32)(caps >> 32),
		  .permitted = (__u32)(caps >> 32) },
	};

	if (syscall(SYS_capset, &hdr, data))
		fail_msg("capset: %s", strerror(errno));
}

/* In a child process: become user UID (and group UID, no other group),
 * keeping only the capabilities in CAPS; exits with 102 if refused. */
static inline void ktest_become(uid_t uid, __u64 caps)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    prctl(PR_SET_KEEPCAPS, 1) || setresuid(uid, uid, uid))
		_exit(102);
	ktest_set_capabilities(caps);
}

/* Load OBJ, or skip where the kernel refuses LSM programs. */
static inline void ktest_load(struct krsi_object *obj)
{
	int err = krsi_object__load(obj);

	if (err == -EPERM)
		ktest_unavailable(
			"this kernel refuses to load LSM programs; run the test inside krsi-vmtest");
	assert_int_equal(err, 0);
}

static inline int ktest_map_fd(struct krsi_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(
		krsi_object__bpf_object(obj), name);

	assert_non_null(map);
	return bpf_map__fd(map);
}

/* progs/policy_deny.bpf.c: PID's mprotect() calls fail with -ERR. */
static inline void ktest_deny_pid(struct krsi_object *obj, pid_t pid, int err)
{
	__u32 key = pid;
	int verdict = -err;

	assert_int_equal(bpf_map_update_elem(ktest_map_fd(obj, "denied"), &key,
					     &verdict, 0),
			 0);
}

/* The same, in the map pinned at DIR/denied: the policy installed there. */
static inline void ktest_deny_pid_pinned(const char *dir, pid_t pid, int err)
{
	char path[4096];
	int fd, verdict = -err;
	__u32 key = pid;

	snprintf(path, sizeof(path), "%s/denied", dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	assert_int_equal(bpf_map_update_elem(fd, &key, &verdict, 0), 0);
	close(fd);
}

struct ktest_count {
	const char *prog;
	const char *policy; /* NULL: any */
	int n;
};

static inline int ktest_count_prog(const struct krsi_attachment *att, void *ctx)
{
	struct ktest_count *c = (struct ktest_count *)ctx;

	if (att->prog_name && strcmp(att->prog_name, c->prog) == 0 &&
	    (!c->policy || (att->policy && !strcmp(att->policy, c->policy))))
		c->n++;
	return 0;
}

/* How many links attach a program of that name, system-wide. */
static inline int ktest_attached(const char *prog)
{
	struct ktest_count c = { .prog = prog };

	assert_int_equal(krsi_list_attachments(ktest_count_prog, &c, NULL), 0);
	return c.n;
}

/* How many of those the policy POLICY pins. */
static inline int ktest_attached_by(const char *prog, const char *policy)
{
	struct ktest_count c = { .prog = prog, .policy = policy };

	assert_int_equal(krsi_list_attachments(ktest_count_prog, &c, NULL), 0);
	return c.n;
}

/* Whether ID is listed by NEXT_ID (bpf_link_get_next_id, ...), waiting up
 * to 2 s for it to go. */
static inline bool ktest_id_stays(int (*next_id)(__u32, __u32 *), __u32 id)
{
	__u32 next;
	int ms;

	for (ms = 0; !next_id(id - 1, &next) && next == id; ms++) {
		if (ms >= 2000)
			return true;
		usleep(1000);
	}
	return false;
}

/*
 * Destroy OBJ and wait until its programs are released. The kernel drops a
 * removed pin's reference after an RCU grace period, from a worker, then
 * detaches the program, then puts it: closing the last fd of a link that
 * was pinned may leave its program running for some ms (10 on 5.10 under
 * TCG, measured). A program's id goes once nothing holds it.
 */
static inline void ktest_object_destroy_released(struct krsi_object *obj)
{
	struct bpf_object *bobj = krsi_object__bpf_object(obj);
	struct bpf_prog_info info;
	struct bpf_program *prog;
	__u32 ids[16], len;
	size_t n = 0, i;

	bpf_object__for_each_program (prog, bobj) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (n < 16 && bpf_program__fd(prog) >= 0 &&
		    !bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			ids[n++] = info.id;
	}
	krsi_object__destroy(obj);
	for (i = 0; i < n; i++)
		if (ktest_id_stays(bpf_prog_get_next_id, ids[i]))
			fail_msg(
				"program %u still loaded 2 s after its object was destroyed",
				ids[i]);
}

/* Fork a child that waits for a byte on *GO, then exits with the errno of
 * an mprotect() (0 if allowed); ktest_probe() collects it. */
static inline pid_t ktest_fork_prober(int *go)
{
	int fds[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(255);
		_exit(-ktest_mprotect());
	}
	close(fds[0]);
	*go = fds[1];
	return pid;
}

static inline int ktest_probe(pid_t pid, int go)
{
	int status;

	assert_int_equal(write(go, "x", 1), 1);
	close(go);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

/*
 * Group teardown: wait until the kernel has freed every BPF program (their
 * release after detach is asynchronous), so the next test binary starts on
 * a clean kernel; fail, naming them, if some remain after 10 s.
 */
static inline int ktest_wait_programs_freed(void **state)
{
	struct bpf_prog_info info;
	__u32 id, len;
	int i, fd, n = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		for (n = 0, id = 0; !bpf_prog_get_next_id(id, &id); n++)
			;
		if (!n)
			return 0;
		usleep(10000);
	}
	for (id = 0; !bpf_prog_get_next_id(id, &id);) {
		fd = bpf_prog_get_fd_by_id(id);
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			fprintf(stderr, "BPF program %u (%s) is still loaded\n",
				id, info.name);
		if (fd >= 0)
			close(fd);
	}
	return -1;
}

#endif /* KTEST_H */
