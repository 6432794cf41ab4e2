// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Audit events of a real LSM program (audit_lsm.bpf.c) for real opens and
 * execs: a child of this process, in a cgroup of its own, under another
 * uid, opens and executes files; the events arrive with its pid, uids,
 * cgroup id, the path, and the verdict the hook enforced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "audit_test.h"
#include "progs/audit_lsm.h"
#include "audit_lsm.skel.h"

#define DIR "/tmp/krsi-audit"
#define ALLOW_PATH DIR "/allow"
#define DENY_PATH DIR "/deny"
#define MONITOR_PATH DIR "/monitor"
#define CHILD_UID 1234
#define CHILD_GID 4321
#define CHILD_LOGINUID 777
#define MAX_EVENTS 256

struct event {
	struct krsi_event_header h;
	char hook[64];
	char type[16];
	union {
		struct open_event open;
		struct exec_event exec;
	};
};

struct fixture {
	struct audit_lsm_bpf *skel;
	struct krsi_audit *audit;
	char cgroup_root[512];
	char cgroup[600];
	__u64 cgroup_id;
	struct event events[MAX_EVENTS];
	int nr_events;
};

static __u64 make_file(const char *path)
{
	struct stat st;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/* Move this process into the cgroup at DIR. */
static void join_cgroup(const char *dir)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%d\n", getpid());
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	mkdir(DIR, 0755);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	krsi_audit__free(fx->audit);
	audit_lsm_bpf__destroy(fx->skel);
	if (fx->cgroup[0]) {
		join_cgroup(fx->cgroup_root);
		rmdir(fx->cgroup);
	}
	unlink(ALLOW_PATH);
	unlink(DENY_PATH);
	unlink(MONITOR_PATH);
	rmdir(DIR);
	free(fx);
	return 0;
}

static int collect(void *ctx, const struct krsi_audit_record *rec)
{
	struct fixture *fx = ctx;
	struct event *e;

	assert_int_equal(rec->kind, KRSI_AUDIT_EVENT);
	assert_true(fx->nr_events < MAX_EVENTS);
	e = &fx->events[fx->nr_events++];
	e->h = *rec->header;
	snprintf(e->hook, sizeof(e->hook), "%s",
		 rec->hook_name ? rec->hook_name : "");
	snprintf(e->type, sizeof(e->type), "%s",
		 rec->type_name ? rec->type_name : "");
	assert_true(rec->payload_size <= sizeof(e->open));
	memcpy(&e->open, rec->payload, rec->payload_size);
	return 0;
}

/* Load and attach the program for this process, in a cgroup of its own,
 * with a consumer collecting its events. */
static void start(struct fixture *fx)
{
	KRSI_OPTS(krsi_audit_opts, opts, .format = KRSI_AUDIT_CALLBACK,
		  .callback = collect, .callback_ctx = fx);
	int err;

	fx->skel = audit_lsm_bpf__open();
	assert_non_null(fx->skel);
	fx->skel->rodata->target_tgid = getpid();
	make_file(ALLOW_PATH);
	fx->skel->rodata->deny_ino = make_file(DENY_PATH);
	fx->skel->rodata->monitor_ino = make_file(MONITOR_PATH);
	/* The exec program is sleepable: 5.10 has none. */
	bpf_program__set_autoload(
		fx->skel->progs.audit_exec,
		krsi_features__has(ktest_features(),
				   KRSI_FEATURE_LSM_SLEEPABLE) == KRSI_YES);
	assert_int_equal(krsi_prepare_events(fx->skel->obj), 0);
	err = audit_lsm_bpf__load(fx->skel);
	if (err)
		ktest_unavailable(
			"this kernel refuses to load an LSM program: %s; run the test inside krsi-vmtest",
			strerror(-err));
	if (access("/proc/self/loginuid", W_OK))
		fail_msg(
			"this kernel has no audit login uid (no /proc/self/loginuid: CONFIG_AUDIT is off), which events report");

	ktest_cgroup_root(fx->cgroup_root, sizeof(fx->cgroup_root));
	snprintf(fx->cgroup, sizeof(fx->cgroup), "%s/krsi-audit-test",
		 fx->cgroup_root);
	if (mkdir(fx->cgroup, 0755) && errno != EEXIST)
		fail_msg("mkdir %s: %s", fx->cgroup, strerror(errno));
	join_cgroup(fx->cgroup);
	fx->cgroup_id = ktest_cgroup_id(fx->cgroup);
	assert_int_equal(ktest_my_cgroup_id(), fx->cgroup_id);

	assert_int_equal(audit_lsm_bpf__attach(fx->skel), 0);
	fx->audit = krsi_audit__new(&opts);
	assert_non_null(fx->audit);
	assert_int_equal(krsi_audit__add_ring(fx->audit, fx->skel->obj,
					      "lsm_events", NULL),
			 0);
}

/* Fork a child logged in as CHILD_LOGINUID, running as CHILD_UID and
 * CHILD_GID; returns 0 in the child, its pid in the parent. */
static pid_t fork_user(void)
{
	pid_t pid = fork();
	FILE *f;

	assert_true(pid >= 0);
	if (pid)
		return pid;
	/* no file: a kernel without CONFIG_AUDIT, whose tasks have none */
	f = fopen("/proc/self/loginuid", "w");
	if (!f || fprintf(f, "%d", CHILD_LOGINUID) < 0 || fclose(f))
		_exit(102);
	if (setresgid(CHILD_GID, CHILD_GID, CHILD_GID) ||
	    setresuid(CHILD_UID, CHILD_UID, CHILD_UID))
		_exit(100);
	return 0;
}

/* 0 if opening PATH worked, else its errno. */
static int try_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int wait_child(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The event of TYPE whose path is PATH. */
static const struct event *find(struct fixture *fx, __u32 type,
				const char *path)
{
	int i;

	for (i = 0; i < fx->nr_events; i++) {
		const struct event *e = &fx->events[i];

		if (e->h.type == type &&
		    strcmp(type == OPEN_TYPE ? e->open.path : e->exec.filename,
			   path) == 0)
			return e;
	}
	fail_msg("no event of type %u for %s among %d", type, path,
		 fx->nr_events);
	return NULL;
}

/* What every event of the child says about it. */
static void assert_child(struct fixture *fx, const struct event *e, pid_t child)
{
	char comm[16] = {};

	/* the child's name before exec: ours */
	assert_int_equal(prctl(PR_GET_NAME, comm), 0);
	assert_int_equal(e->h.version, KRSI_EVENT_VERSION);
	assert_int_equal(e->h.pid, child);
	assert_int_equal(e->h.tid, child);
	assert_int_equal(e->h.uid, CHILD_UID);
	assert_int_equal(e->h.euid, CHILD_UID);
	assert_int_equal(e->h.gid, CHILD_GID);
	assert_int_equal(e->h.loginuid, CHILD_LOGINUID);
	assert_int_equal(e->h.cgroup_id, fx->cgroup_id);
	assert_int_equal(e->h.policy_id, AUDIT_POLICY);
	assert_int_equal(e->h.lost, 0);
	assert_string_equal(e->h.comm, comm);
}

static void test_open_events_carry_path_and_verdict(void **state)
{
	struct fixture *fx = *state;
	const struct event *e;
	pid_t child;

	start(fx);
	child = fork_user();
	if (child == 0)
		_exit((try_open(ALLOW_PATH) == 0) |
		      (try_open(DENY_PATH) == EACCES) << 1 |
		      (try_open(MONITOR_PATH) == 0) << 2);
	/* allowed, denied with EACCES, allowed in monitor mode */
	assert_int_equal(wait_child(child), 7);
	assert_true(krsi_audit__consume(fx->audit) >= 3);

	e = find(fx, OPEN_TYPE, ALLOW_PATH);
	assert_child(fx, e, child);
	assert_string_equal(e->hook, "file_open");
	assert_string_equal(e->type, "file_open");
	assert_int_equal(e->h.verdict, KRSI_EVENT_ALLOW);
	assert_int_equal(e->h.err, 0);
	assert_int_equal(e->h.mode, KRSI_EVENT_ENFORCE);
	assert_int_equal(e->open.flags & O_ACCMODE, O_RDONLY);

	e = find(fx, OPEN_TYPE, DENY_PATH);
	assert_child(fx, e, child);
	assert_int_equal(e->h.verdict, KRSI_EVENT_DENY);
	assert_int_equal(e->h.err, EACCES);
	assert_int_equal(e->h.mode, KRSI_EVENT_ENFORCE);

	e = find(fx, OPEN_TYPE, MONITOR_PATH);
	assert_child(fx, e, child);
	assert_int_equal(e->h.verdict, KRSI_EVENT_DENY);
	assert_int_equal(e->h.err, EACCES);
	assert_int_equal(e->h.mode, KRSI_EVENT_MONITOR);
}

static void test_exec_event_carries_the_file(void **state)
{
	struct fixture *fx = *state;
	const struct event *e;
	pid_t child;

	ktest_require_feature(KRSI_FEATURE_LSM_SLEEPABLE);
	start(fx);
	child = fork_user();
	if (child == 0) {
		execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
		_exit(101);
	}
	assert_int_equal(wait_child(child), 3);
	assert_true(krsi_audit__consume(fx->audit) >= 1);
	e = find(fx, EXEC_TYPE, "/bin/sh");
	assert_child(fx, e, child);
	assert_string_equal(e->hook, "bprm_check_security");
	assert_string_equal(e->type, "exec");
	assert_int_equal(e->h.verdict, KRSI_EVENT_ALLOW);
}

/* Booted without "bpf" in lsm=: the program attaches, the hooks never run,
 * nothing is denied and no event arrives. Only the probe tells. */
static void test_no_events_without_bpf_lsm(void **state)
{
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	struct fixture *fx = *state;
	pid_t child;

	if (ktest_bpf_lsm_active())
		fail_msg(
			"--lsm-off given but \"bpf\" is in /sys/kernel/security/lsm: boot with an lsm= list lacking bpf");
	start(fx);
	child = fork_user();
	if (child == 0)
		_exit(try_open(DENY_PATH));
	assert_int_equal(wait_child(child), 0);
	assert_int_equal(krsi_audit__consume(fx->audit), 0);
	assert_int_equal(krsi_audit__stats(fx->audit, &stats), 0);
	assert_int_equal(stats.delivered + stats.dropped, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		cmocka_unit_test_setup_teardown(
			test_open_events_carry_path_and_verdict, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_exec_event_carries_the_file, setup, teardown),
	};
	const struct CMUnitTest lsm_off[] = {
		cmocka_unit_test_setup_teardown(test_no_events_without_bpf_lsm,
						setup, teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("audit_lsm (lsm-off)",
						   lsm_off, NULL, NULL);
	return cmocka_run_group_tests_name("audit_lsm", lsm_on, NULL, NULL);
}
