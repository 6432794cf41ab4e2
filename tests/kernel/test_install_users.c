// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Who can do what to libkrsi's policies, measured on a real kernel: a
 * local user (uid 1000, no capability), the same user holding CAP_BPF,
 * holding CAP_BPF and CAP_PERFMON, and root, each tries what an attacker
 * or an agent would (read a pin, list or change a policy, list the links,
 * load and attach an LSM program, open a link by id, install a policy);
 * the table goes to docs/SECURITY.md. And where bpffs is mounted mode 1777
 * (the kernel's default), a local user who creates /sys/fs/bpf/krsi before
 * root, a fake policy in it, blocks nothing: listing ignores it, saying
 * so, the probe warns about the mount, and root's install takes the name
 * back, setting what the user made aside.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "../tools/run_cmd.h"
#include "policy_deny.skel.h"

#define BPFFS "/sys/fs/bpf"
#define ROOT KRSI_POLICY_PIN_ROOT
#define NAME "guarded"
#define POLICY_DIR ROOT "/" NAME
#define USER 1000

static int setup(void **state)
{
	(void)state;
	ktest_capture_start();
	return 0;
}

/* Remove every policy, and the pin root, whatever happened. */
static int teardown(void **state)
{
	(void)state;
	krsi_set_print(NULL);
	ktest_remove_all_policies();
	rmdir(ROOT);
	return 0;
}

/* What one identity met, each a -errno or 0. */
struct tried {
	int read_pin, list_dir, unlink_pin, list_policies, list_links, remove,
		load, attach, link_by_id, install;
};

static const char *const columns[] = {
	"open a pin (bpf_obj_get)",
	"list a policy's directory",
	"unlink a pin",
	"krsi_list_policies()",
	"krsi_list_attachments()",
	"krsi_remove_policy()",
	"load an LSM program",
	"attach it",
	"open a link by id",
	"install a policy",
};

static int count(const struct krsi_policy_info *info, void *ctx)
{
	(void)info;
	++*(int *)ctx;
	return 0;
}

static int count_link(const struct krsi_attachment *att, void *ctx)
{
	(void)att;
	++*(int *)ctx;
	return 0;
}

static int neg(int ret)
{
	return ret < 0 ? -errno : 0;
}

/* Try everything as the current identity; LINK_ID is the policy's. */
static void try_all(struct tried *t, __u32 link_id)
{
	struct krsi_object *obj;
	int n = 0, fd;

	krsi_set_print(NULL);
	libbpf_set_print(NULL);
	fd = bpf_obj_get(POLICY_DIR "/denied");
	t->read_pin = neg(fd);
	if (fd >= 0)
		close(fd);
	fd = open(POLICY_DIR, O_RDONLY | O_DIRECTORY);
	t->list_dir = neg(fd);
	if (fd >= 0)
		close(fd);
	t->list_policies = krsi_list_policies(count, &n, NULL);
	t->list_links = krsi_list_attachments(count_link, &n, NULL);
	fd = bpf_link_get_fd_by_id(link_id);
	t->link_by_id = neg(fd);
	if (fd >= 0)
		close(fd);
	obj = ktest_open_embedded(policy_deny);
	t->load = krsi_object__load(obj);
	t->attach = t->load ? t->load : krsi_object__attach(obj, NULL);
	krsi_object__destroy(obj);
	obj = ktest_open_embedded(policy_deny);
	t->install = krsi_policy__install(obj, "mine", NULL) ? 0 : -errno;
	krsi_object__destroy(obj);
	/* last: these remove the policy when they may */
	t->unlink_pin = neg(unlink(POLICY_DIR "/links/deny_listed"));
	t->remove = krsi_remove_policy(NAME, NULL);
}

static void print_row(const char *who, const struct tried *t)
{
	const int *v = &t->read_pin;
	char line[1024];
	size_t len, i;

	len = snprintf(line, sizeof(line), "| %s |", who);
	for (i = 0; i < sizeof(columns) / sizeof(*columns); i++)
		len += snprintf(line + len, sizeof(line) - len, " %s |",
				v[i] ? strerrorname_np(-v[i]) ?: "?" : "yes");
	print_message("%s\n", line);
}

/* Run try_all() in a child: as USER with CAPS, or as root. */
static void try_as(struct tried *t, bool as_root, __u64 caps, __u32 link_id)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (!as_root)
			ktest_become(USER, caps);
		try_all(t, link_id);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int note_link(const struct krsi_policy_info *info, void *ctx)
{
	if (!strcmp(info->name, NAME) && info->prog_cnt)
		*(__u32 *)ctx = info->progs[0]->link_id;
	return 0;
}

static void test_what_each_user_can_do(void **state)
{
	static const struct {
		const char *who;
		bool root;
		__u64 caps;
	} ids[] = {
		{ "local user (uid 1000)", false, 0 },
		{ "uid 1000 with CAP_BPF", false, 1ULL << CAP_BPF },
		{ "uid 1000 with CAP_BPF, CAP_PERFMON", false,
		  1ULL << CAP_BPF | 1ULL << CAP_PERFMON },
		{ "root", true, 0 },
	};
	const size_t n = sizeof(ids) / sizeof(*ids);
	struct tried *t = mmap(NULL, n * sizeof(*t), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct krsi_policy *policy;
	struct krsi_object *obj;
	char head[512];
	size_t i, len;
	__u32 link_id = 0;
	pid_t prober;
	int go;

	(void)state;
	assert_true(t != MAP_FAILED);
	obj = ktest_open_embedded(policy_deny);
	policy = krsi_policy__install(obj, NAME, NULL);
	if (!policy && errno == EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	assert_non_null(policy);
	krsi_policy__destroy(policy);
	krsi_object__detach(obj);
	assert_int_equal(krsi_list_policies(note_link, &link_id, NULL), 0);
	assert_int_not_equal(link_id, 0);
	len = snprintf(head, sizeof(head), "| |");
	for (i = 0; i < sizeof(columns) / sizeof(*columns); i++)
		len += snprintf(head + len, sizeof(head) - len, " %s |",
				columns[i]);
	print_message("on %s:\n%s\n", getenv("KRSI_VMTEST_KERNEL") ?: "?",
		      head);
	for (i = 0; i < n; i++) {
		try_as(&t[i], ids[i].root, ids[i].caps, link_id);
		print_row(ids[i].who, &t[i]);
		if (ids[i].root)
			continue;
		/* nothing the others did changed the policy */
		assert_int_equal(access(POLICY_DIR "/links/deny_listed", F_OK),
				 0);
		prober = ktest_fork_prober(&go);
		ktest_deny_pid(obj, prober, EACCES);
		assert_int_equal(ktest_probe(prober, go), -EACCES);
	}
	/* the others: kept out of the pins by the pin root's mode 0700, out
	 * of link ids without CAP_SYS_ADMIN */
	for (i = 0; i < 3; i++) {
		/* 5.10's bpf() refuses every command to a process without
		 * CAP_BPF (EPERM) before it walks the path */
		assert_int_equal(t[i].read_pin,
				 i == 0 && t[i].read_pin == -EPERM ? -EPERM
								   : -EACCES);
		assert_int_equal(t[i].list_dir, -EACCES);
		assert_int_equal(t[i].unlink_pin, -EACCES);
		assert_int_equal(t[i].list_policies, -EACCES);
		/* the policies' pins label the links: read first */
		assert_int_equal(t[i].list_links, -EACCES);
		assert_int_equal(t[i].remove, -EACCES);
		assert_int_equal(t[i].link_by_id, -EPERM);
		assert_int_equal(t[i].install, -EACCES);
	}
	/* LSM programs are loaded with CAP_BPF and CAP_PERFMON, no less */
	assert_int_equal(t[0].load, -EPERM);
	assert_int_equal(t[1].load, -EPERM);
	assert_int_equal(t[2].load, 0);
	assert_int_equal(t[2].attach, 0);
	for (i = 0; i < sizeof(columns) / sizeof(*columns); i++)
		assert_int_equal((&t[3].read_pin)[i], 0);
	assert_int_equal(access(POLICY_DIR, F_OK), -1);
	krsi_object__destroy(obj);
	munmap(t, n * sizeof(*t));
}

/* The entry of BPFFS starting with PREFIX, into PATH, or false. */
static bool find_aside(const char *prefix, char *path, size_t size)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(BPFFS);

	while (d && !found && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix))) {
			snprintf(path, size, BPFFS "/%s", de->d_name);
			found = true;
		}
	if (d)
		closedir(d);
	return found;
}

static enum krsi_probe_status bpffs_status(const char **fix)
{
	KRSI_OPTS(krsi_probe_opts, po, .passive = true);
	struct krsi_probe_report *r = krsi_probe_report__new(&po);
	static char text[512];
	enum krsi_probe_status s;

	assert_non_null(r);
	s = krsi_probe_report__status(r, KRSI_PROBE_BPFFS);
	snprintf(text, sizeof(text), "%s",
		 krsi_probe_report__fix(r, KRSI_PROBE_BPFFS) ?: "");
	*fix = text;
	krsi_probe_report__free(r);
	return s;
}

static void test_local_user_plants_the_pin_root(void **state)
{
	struct krsi_policy *policy;
	struct krsi_object *obj;
	char aside[300], fake[320];
	const char *fix;
	struct stat st;
	int status, n = 0, go;
	pid_t pid, prober;
	mode_t mode;
	struct run r;

	teardown(state); /* what tests before this one left */
	ktest_capture_start();
	assert_int_equal(stat(BPFFS, &st), 0);
	mode = st.st_mode & 07777;
	assert_int_equal(access(ROOT, F_OK), -1);
	assert_int_equal(chmod(BPFFS, 01777), 0); /* the kernel's default */
	assert_int_equal(bpffs_status(&fix), KRSI_PROBE_FAILED);
	assert_non_null(strstr(fix, "mode=0700"));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		ktest_become(USER, 0);
		_exit(mkdir(ROOT, 0755) || mkdir(ROOT "/fake", 0755) ? 1 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* what the user made is no policy, and blocks nothing */
	assert_int_equal(krsi_list_policies(count, &n, NULL), 0);
	assert_int_equal(n, 0);
	ktest_log_has("not by libkrsi: ignored");
	r = run_krsi("ls");
	if (r.status != 0 || strstr(r.out, "fake"))
		fail_msg("krsi ls: status %d\n%s\n%s", r.status, r.out, r.err);
	run_free(&r);
	obj = ktest_open_embedded(policy_deny);
	policy = krsi_policy__install(obj, NAME, NULL);
	assert_non_null(policy);
	ktest_log_has("not by libkrsi: taken back, and what it held moved to");
	assert_int_equal(stat(ROOT, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_true(find_aside("krsi~untrusted-", aside, sizeof(aside)));
	snprintf(fake, sizeof(fake), "%s/fake", aside);
	assert_int_equal(stat(fake, &st), 0);
	assert_int_equal(st.st_uid, USER);
	prober = ktest_fork_prober(&go);
	ktest_deny_pid(obj, prober, EACCES);
	assert_int_equal(ktest_probe(prober, go), -EACCES);
	r = run_krsi("ls");
	if (r.status != 0 || strstr(r.out, "fake") || !strstr(r.out, NAME))
		fail_msg("krsi ls: status %d\n%s\n%s", r.status, r.out, r.err);
	run_free(&r);

	assert_int_equal(krsi_policy__remove(policy), 0);
	krsi_policy__destroy(policy);
	krsi_object__destroy(obj);
	assert_int_equal(rmdir(fake), 0);
	assert_int_equal(rmdir(aside), 0);
	assert_int_equal(chmod(BPFFS, 0700), 0);
	assert_int_equal(bpffs_status(&fix), KRSI_PROBE_OK);
	assert_int_equal(chmod(BPFFS, mode), 0);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		TEST(test_local_user_plants_the_pin_root),
		TEST(test_what_each_user_can_do),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* nothing of this needs or shows the LSM off */
	return cmocka_run_group_tests_name("users", tests, NULL,
					   ktest_wait_programs_freed);
}
