// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Policies on a real kernel: a policy installed by a process killed with
 * SIGKILL keeps denying, is adopted with its maps' contents by a new
 * process and removed without a trace; a process killed at every stage of
 * an install leaves nothing attached that is not pinned; replacing a policy
 * many times while another process retries a denied call in a tight loop
 * lets no call through (lsm/ and lsm_cgroup/); pins that do not match are
 * reported, not replaced. Booted without "bpf" in lsm= (--lsm-off),
 * installing is refused and leaves nothing behind.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <sys/wait.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "bad_verifier.skel.h"
#include "policy_cgroup.skel.h"
#include "policy_deny.skel.h"
#include "policy_layout.skel.h"

#define ROOT KRSI_POLICY_PIN_ROOT
#define CGROUP "krsi-test-policy"
#define REPLACEMENTS 20

struct fixture {
	struct krsi_policy *policy;
	struct krsi_object *obj;
	struct policy_deny_bpf *skel;
	pid_t child;
	char cgroup[4096];
};

/* Nothing of NAME may remain in the pin root, nor of its staging dir. */
static void assert_not_pinned(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), ROOT "/%s", name);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), ROOT "/%s~new", name);
	assert_int_equal(access(path, F_OK), -1);
}

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	ktest_capture_start();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	krsi_set_print(NULL); /* quiet cleanup */
	if (fx->child > 0) {
		kill(fx->child, SIGKILL);
		waitpid(fx->child, NULL, 0);
	}
	krsi_policy__destroy(fx->policy);
	krsi_object__destroy(fx->obj);
	policy_deny_bpf__destroy(fx->skel);
	/* Leave no policy to the next test, whatever happened. */
	ktest_remove_all_policies();
	if (fx->cgroup[0])
		rmdir(fx->cgroup);
	free(fx);
	return 0;
}

static struct krsi_object *open_version(__u32 version)
{
	struct krsi_object *obj = ktest_open_embedded(policy_deny);

	assert_int_equal(krsi_object__set_rodata(obj, "version", &version,
						 sizeof(version)),
			 0);
	return obj;
}

static struct krsi_policy *install(struct krsi_object *obj, const char *name,
				   const struct krsi_policy_opts *opts)
{
	struct krsi_policy *policy = krsi_policy__install(obj, name, opts);

	if (!policy && errno == EPERM)
		ktest_unavailable(
			"this kernel refuses to load LSM programs; run the test inside krsi-vmtest");
	assert_non_null(policy);
	return policy;
}

/*
 * The crash test: a child installs a policy denying our mprotect()
 * and is killed; the denial holds; we adopt the policy with its map and
 * global data intact, then remove it, and nothing remains.
 */
static void test_killed_installer_then_adopt_and_remove(void **state)
{
	struct fixture *fx = *state;
	int fds[2], key = getpid(), verdict = 0;
	char c;

	assert_int_equal(pipe(fds), 0);
	fx->child = fork();
	assert_true(fx->child >= 0);
	if (fx->child == 0) {
		struct krsi_object *obj = open_version(1);

		if (!krsi_policy__install(obj, "crash", NULL))
			_exit(1);
		ktest_deny_pid(obj, getppid(), EPERM);
		if (write(fds[1], "i", 1) != 1)
			_exit(1);
		pause();
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		fail_msg("the installing child died before installing");
	close(fds[0]);
	kill(fx->child, SIGKILL);
	assert_int_equal(waitpid(fx->child, NULL, 0), fx->child);
	fx->child = 0;

	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(ktest_attached_by("deny_listed", "crash"), 1);

	/* Adopt with a skeleton asking for version 2: the installed
	 * configuration and state win. */
	fx->skel = policy_deny_bpf__open();
	assert_non_null(fx->skel);
	fx->skel->rodata->version = 2;
	fx->obj = krsi_object__from_bpf_object(fx->skel->obj, NULL);
	fx->policy = krsi_policy__adopt(fx->obj, "crash", NULL);
	assert_non_null(fx->policy);
	assert_int_equal(bpf_map_lookup_elem(ktest_map_fd(fx->obj, "denied"),
					     &key, &verdict),
			 0);
	assert_int_equal(verdict, -EPERM);
	assert_int_equal(fx->skel->rodata->version, 1);
	assert_int_equal(fx->skel->bss->denied_by, 1);
	assert_int_equal(fx->skel->bss->denials, 1);
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(fx->skel->bss->denials, 2);
	assert_non_null(krsi_object__link(
		fx->obj, krsi_object__find_program(fx->obj, "deny_listed")));

	assert_int_equal(krsi_policy__remove(fx->policy), 0);
	assert_int_equal(ktest_mprotect(), 0);
	assert_int_equal(ktest_attached("deny_listed"), 0);
	assert_not_pinned("crash");
	assert_null(krsi_policy__adopt(fx->obj, "crash", NULL));
	assert_int_equal(errno, ENOENT);
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/*
 * Fork a child that installs policy "midway" and kill it: after DELAY_US,
 * or as soon as path SEEN exists (when not NULL), or never (DELAY_US < 0,
 * SEEN NULL). Returns how long the child lived.
 */
static long long install_in_child(long long delay_us, const char *seen)
{
	long long start = now_us();
	int status;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(krsi_policy__install(open_version(1), "midway", NULL)
			      ? 0
			      : 1);
	if (seen) {
		while (access(seen, F_OK) && !waitpid(pid, &status, WNOHANG))
			;
		kill(pid, SIGKILL);
	} else if (delay_us >= 0) {
		usleep(delay_us);
		kill(pid, SIGKILL);
	}
	waitpid(pid, &status, 0);
	if (!seen && delay_us < 0)
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return now_us() - start;
}

/*
 * SIGKILL at every stage of an install: while loading, once the staging
 * directory exists, once the maps are pinned, once the program is attached
 * and its link pinned, once the metadata is pinned, once the policy is in
 * place. Whatever stays attached is pinned, so it can be removed; the next
 * operation on the name cleans up an interrupted install.
 */
static void test_killed_at_every_stage_of_install(void **state)
{
	static const char *const stages[] = {
		NULL, /* timed kills during the load */
		ROOT "/midway~new",
		ROOT "/midway~new/denied",
		ROOT "/midway~new/links/deny_listed",
		ROOT "/midway~new/krsi_meta",
		ROOT "/midway",
	};
	int i, n, pinned, partial = 0, runs = 0;
	long long full;

	(void)state;
	full = install_in_child(-1, NULL);
	assert_int_equal(krsi_remove_policy("midway", NULL), 0);
	for (i = -3; i < (int)(sizeof(stages) / sizeof(*stages)); i++) {
		if (i == 0)
			continue;
		install_in_child(full * (i + 3) / 4, i < 0 ? NULL : stages[i]);
		runs++;
		n = ktest_attached("deny_listed");
		pinned = ktest_attached_by("deny_listed", "midway");
		assert_int_equal(n, pinned); /* nothing attached unpinned */
		partial += n && access(ROOT "/midway~new", F_OK) == 0;
		n = krsi_remove_policy("midway", NULL);
		assert_true(n == 0 || n == -ENOENT);
		assert_int_equal(ktest_attached("deny_listed"), 0);
		assert_not_pinned("midway");
	}
	print_message(
		"an install takes %lld us; of %d killed, %d left an interrupted install attached (pinned, then removed)\n",
		full, runs, partial);
}

/* What the child retrying a denied call counts, shared with the parent. */
struct fire {
	volatile int go, stop;
	volatile long attempts, allowed;
};

/* Fork a child retrying mprotect() until told to stop. */
static pid_t open_fire(struct fire *f)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		while (!f->go)
			;
		while (!f->stop) {
			f->attempts++;
			if (ktest_mprotect() == 0)
				f->allowed++;
		}
		_exit(0);
	}
	return pid;
}

static void cease_fire(struct fixture *fx, struct fire *f)
{
	f->stop = 1;
	assert_int_equal(waitpid(fx->child, NULL, 0), fx->child);
	fx->child = 0;
	print_message("%ld attempts during %d replacements, %ld allowed\n",
		      f->attempts, REPLACEMENTS, f->allowed);
	assert_true(f->attempts > REPLACEMENTS);
	assert_int_equal(f->allowed, 0);
}

static struct fire *new_fire(void)
{
	struct fire *f = mmap(NULL, sizeof(*f), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	assert_true(f != MAP_FAILED);
	memset(f, 0, sizeof(*f));
	return f;
}

/* Replace FX's policy NAME by VERSION of OPEN(); the old one goes. */
static void replace(struct fixture *fx, const char *name,
		    struct krsi_object *obj,
		    const struct krsi_policy_opts *opts)
{
	struct krsi_policy *policy = install(obj, name, opts);

	krsi_policy__destroy(fx->policy);
	ktest_object_destroy_released(fx->obj);
	fx->policy = policy;
	fx->obj = obj;
}

static __u32 denied_by(struct krsi_object *obj)
{
	const struct bpf_map *map;
	const __u32 *bss;
	size_t size;

	bpf_object__for_each_map (map, krsi_object__bpf_object(obj))
		if (strstr(bpf_map__name(map), ".bss"))
			break;
	assert_non_null(map);
	bss = bpf_map__initial_value((struct bpf_map *)map, &size);
	return bss[2]; /* after __u64 denials */
}

/*
 * lsm/: each replacement attaches the new program before the old one goes,
 * while the child keeps calling the hook (on the other CPU whenever the
 * scheduler spreads the two). Multi-threaded TCG emulates a vCPU running
 * a function while another patches its trampoline wrongly (6.12 Oopses in
 * its int3 handler): run this under krsi-vmtest --single-thread, as make
 * check does.
 */
static void test_replace_under_fire(void **state)
{
	struct fixture *fx = *state;
	KRSI_OPTS(krsi_policy_opts, opts, .replace = true);
	struct fire *f = new_fire();
	__u32 v;

	fx->child = open_fire(f);
	fx->obj = open_version(1);
	fx->policy = install(fx->obj, "fire", NULL);
	ktest_deny_pid(fx->obj, fx->child, EPERM);
	f->go = 1;
	for (v = 2; v <= REPLACEMENTS + 1; v++)
		replace(fx, "fire", open_version(v), &opts);
	cease_fire(fx, f);
	/* The last version denies, on the map kept from the first. */
	ktest_deny_pid(fx->obj, getpid(), EPERM);
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(denied_by(fx->obj), REPLACEMENTS + 1);
	assert_int_equal(ktest_attached("deny_listed"), 1);
	munmap(f, sizeof(*f));
}

struct seen {
	__u32 link_id, prog_id;
	__u64 generation;
};

static int see(const struct krsi_policy_info *info, void *ctx)
{
	struct seen *s = ctx;

	assert_int_equal(info->prog_cnt, 1);
	s->link_id = info->progs[0]->link_id;
	s->prog_id = info->progs[0]->prog_id;
	s->generation = info->generation;
	return 0;
}

/* lsm_cgroup/: each replacement switches the same link to the new
 * program (bpf_link_update()), with no call let through. */
static void test_replace_cgroup_policy_under_fire(void **state)
{
	struct fixture *fx = *state;
	struct fire *f = new_fire();
	struct seen first, last;
	struct krsi_object *obj;
	__u32 v;
	int go;

	ktest_require_feature(KRSI_FEATURE_LSM_CGROUP);
	ktest_cgroup_create(CGROUP, fx->cgroup);
	KRSI_OPTS(krsi_attach_opts, attach, .cgroup_path = fx->cgroup);
	KRSI_OPTS(krsi_policy_opts, opts, .attach_opts = &attach);
	KRSI_OPTS(krsi_policy_opts, again, .attach_opts = &attach,
		  .replace = true);

	fx->child = open_fire(f);
	ktest_cgroup_enter(fx->cgroup, fx->child);
	fx->obj = ktest_open_embedded(policy_cgroup);
	fx->policy = install(fx->obj, "cgfire", &opts);
	assert_int_equal(krsi_list_policies(see, &first, NULL), 0);
	f->go = 1;
	for (v = 2; v <= REPLACEMENTS + 1; v++) {
		obj = ktest_open_embedded(policy_cgroup);
		assert_int_equal(
			krsi_object__set_rodata(obj, "version", &v, sizeof(v)),
			0);
		replace(fx, "cgfire", obj, &again);
	}
	cease_fire(fx, f);
	assert_int_equal(krsi_list_policies(see, &last, NULL), 0);
	assert_int_equal(last.link_id, first.link_id);
	assert_int_not_equal(last.prog_id, first.prog_id);
	assert_int_equal(last.generation, REPLACEMENTS + 1);
	fx->child = ktest_fork_prober(&go);
	ktest_cgroup_enter(fx->cgroup, fx->child);
	assert_int_equal(ktest_probe(fx->child, go), -EACCES);
	fx->child = 0;
	assert_int_equal(denied_by(fx->obj), REPLACEMENTS + 1);
	assert_int_equal(ktest_attached("deny_in_cgroup"), 1);
	munmap(f, sizeof(*f));
}

/* Pins that do not match are reported and left alone. */
static void test_mismatch_reported_not_replaced(void **state)
{
	struct fixture *fx = *state;
	KRSI_OPTS(krsi_policy_opts, keep, .replace = true);
	KRSI_OPTS(krsi_policy_opts, reset, .replace = true, .reset_maps = true);
	struct krsi_object *other;

	fx->obj = open_version(1);
	fx->policy = install(fx->obj, "shape", NULL);
	ktest_deny_pid(fx->obj, getpid(), EPERM);

	other = ktest_open_embedded(policy_layout);
	assert_null(krsi_policy__adopt(other, "shape", NULL));
	assert_int_equal(errno, ESTALE);
	ktest_log_has("map 'denied': the value's BTF layout differs");
	krsi_object__destroy(other);

	other = ktest_open_embedded(policy_cgroup);
	assert_null(krsi_policy__adopt(other, "shape", NULL));
	assert_int_equal(errno, ESTALE);
	ktest_log_has("pinned map 'denied' is not in the object");
	ktest_log_has("pinned program 'deny_listed' is not in the object");
	krsi_object__destroy(other);

	other = ktest_open_embedded(policy_layout);
	assert_null(krsi_policy__install(other, "shape", &keep));
	assert_int_equal(errno, ESTALE);
	krsi_object__destroy(other);
	assert_int_equal(ktest_mprotect(), -EPERM); /* still the same */

	other = open_version(2);
	assert_null(krsi_policy__install(other, "shape", NULL));
	assert_int_equal(errno, EEXIST);
	krsi_object__destroy(other);

	/* Starting the maps afresh is allowed: nothing is denied then. */
	replace(fx, "shape", ktest_open_embedded(policy_layout), &reset);
	assert_int_equal(ktest_mprotect(), 0);
	assert_int_equal(ktest_attached_by("deny_listed", "shape"), 1);
}

static void test_refused_install_leaves_nothing(void **state)
{
	struct fixture *fx = *state;

	fx->obj = ktest_open_embedded(bad_verifier);
	assert_null(krsi_policy__install(fx->obj, "refused", NULL));
	assert_int_equal(errno, EACCES);
	assert_not_pinned("refused");
	assert_int_equal(ktest_attached("valid"), 0);
}

struct listing {
	int policies;
	bool has_map;
};

static int check_listing(const struct krsi_policy_info *info, void *ctx)
{
	struct listing *l = ctx;
	size_t i;

	l->policies++;
	assert_string_equal(info->name, "listed");
	assert_string_equal(info->path, ROOT "/listed");
	assert_string_equal(info->libkrsi, krsi_version_string());
	assert_int_equal(info->generation, 1);
	assert_false(info->interrupted);
	assert_int_equal(info->prog_cnt, 1);
	assert_string_equal(info->progs[0]->prog_name, "deny_listed");
	ktest_assert_link_hook(info->progs[0]->hook, "file_mprotect");
	assert_int_equal(info->progs[0]->kind, KRSI_ATTACH_LSM);
	assert_string_equal(info->progs[0]->policy, "listed");
	for (i = 0; i < info->map_cnt; i++) {
		if (strcmp(info->maps[i]->name, "denied"))
			continue;
		l->has_map = true;
		assert_int_equal(info->maps[i]->type, BPF_MAP_TYPE_HASH);
		assert_int_equal(info->maps[i]->key_size, 4);
		assert_int_equal(info->maps[i]->value_size, 4);
		assert_int_equal(info->maps[i]->max_entries, 64);
	}
	return 0;
}

static void test_list_policies(void **state)
{
	struct fixture *fx = *state;
	struct listing l = {};

	assert_int_equal(krsi_list_policies(check_listing, &l, NULL), 0);
	assert_int_equal(l.policies, 0);
	fx->obj = open_version(1);
	fx->policy = install(fx->obj, "listed", NULL);
	assert_string_equal(krsi_policy__name(fx->policy), "listed");
	assert_string_equal(krsi_policy__path(fx->policy), ROOT "/listed");
	assert_ptr_equal(krsi_policy__object(fx->policy), fx->obj);
	assert_int_equal(krsi_list_policies(check_listing, &l, NULL), 0);
	assert_int_equal(l.policies, 1);
	assert_true(l.has_map);
}

/* --lsm-off: a policy that would never run is not installed. */
static void test_install_refused_when_not_enforcing(void **state)
{
	struct fixture *fx = *state;

	if (ktest_bpf_lsm_active())
		fail_msg(
			"--lsm-off given but \"bpf\" is in /sys/kernel/security/lsm");
	fx->obj = open_version(1);
	assert_null(krsi_policy__install(fx->obj, "inert", NULL));
	assert_int_equal(errno, ENODEV);
	ktest_log_has("lsm=");
	assert_not_pinned("inert");
	assert_int_equal(ktest_attached("deny_listed"), 0);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		TEST(test_killed_installer_then_adopt_and_remove),
		TEST(test_killed_at_every_stage_of_install),
		TEST(test_replace_under_fire),
		TEST(test_replace_cgroup_policy_under_fire),
		TEST(test_mismatch_reported_not_replaced),
		TEST(test_refused_install_leaves_nothing),
		TEST(test_list_policies),
	};
	const struct CMUnitTest lsm_off[] = {
		TEST(test_install_refused_when_not_enforcing),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("policy (lsm-off)", lsm_off,
						   NULL,
						   ktest_wait_programs_freed);
	return cmocka_run_group_tests_name("policy", lsm_on, NULL,
					   ktest_wait_programs_freed);
}
