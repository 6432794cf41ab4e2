// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi_object on a real kernel: programs opened from memory, from a file
 * and from a skeleton deny while attached and stop after detach, sleepable
 * ones included; lsm_cgroup programs deny inside their cgroup only; two
 * programs on one hook chain their verdicts; a sleepable program on a hook
 * that may not sleep, a hook closed to BPF, a missing hook and a verifier
 * rejection are refused with their documented errors and leave nothing
 * attached; an arena loads beside global data. Booted without "bpf" in lsm= (--lsm-off), attaching is refused
 * unless explicitly allowed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "bad_disabled.skel.h"
#include "bad_hook.skel.h"
#include "bad_sleepable.skel.h"
#include "bad_verifier.skel.h"
#include "global_data.skel.h"
#include "policy_cgroup.skel.h"
#include "policy_deny.skel.h"
#include "sleepable_open.skel.h"
#include "two_progs.skel.h"

#define CGROUP "krsi-test-object"

/* What a test opened, destroyed by the teardown even when it fails. */
struct fixture {
	struct krsi_object *obj;
	struct policy_deny_bpf *deny;
	struct two_progs_bpf *two;
	struct sleepable_open_bpf *sleepy;
	struct global_data_bpf *data;
	pid_t child;
	char cgroup[4096];
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	ktest_capture_start();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	krsi_object__destroy(fx->obj);
	policy_deny_bpf__destroy(fx->deny);
	two_progs_bpf__destroy(fx->two);
	sleepable_open_bpf__destroy(fx->sleepy);
	global_data_bpf__destroy(fx->data);
	if (fx->child > 0) {
		kill(fx->child, SIGKILL);
		waitpid(fx->child, NULL, 0);
	}
	if (fx->cgroup[0])
		rmdir(fx->cgroup);
	free(fx);
	return 0;
}

static void test_deny_then_detach(void **state)
{
	struct fixture *fx = *state;
	__u32 version = 1;

	fx->obj = ktest_open_embedded(policy_deny);
	assert_int_equal(krsi_object__set_rodata(fx->obj, "version", &version,
						 sizeof(version)),
			 0);
	ktest_load(fx->obj);
	assert_int_equal(krsi_object__set_rodata(fx->obj, "version", &version,
						 sizeof(version)),
			 -EBUSY);
	ktest_deny_pid(fx->obj, getpid(), EPERM);
	assert_int_equal(ktest_mprotect(), 0);

	assert_int_equal(krsi_object__attach(fx->obj, NULL), 0);
	assert_non_null(krsi_object__link(
		fx->obj, krsi_object__find_program(fx->obj, "deny_listed")));
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), -EBUSY);

	krsi_object__detach(fx->obj);
	assert_int_equal(ktest_mprotect(), 0);
	assert_int_equal(ktest_attached("deny_listed"), 0);
}

/* Open from a file; the errno comes from the map; destroy detaches. */
static void test_open_file_and_destroy(void **state)
{
	struct fixture *fx = *state;
	const char *path = "/tmp/policy_deny.bpf.o";
	const void *buf;
	size_t size;
	FILE *f;

	buf = policy_deny_bpf__elf_bytes(&size);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, size, f), size);
	assert_int_equal(fclose(f), 0);

	fx->obj = krsi_object__open_file(path, NULL);
	assert_non_null(fx->obj);
	ktest_load(fx->obj);
	ktest_deny_pid(fx->obj, getpid(), EACCES);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), 0);
	assert_int_equal(ktest_mprotect(), -EACCES);
	krsi_object__destroy(fx->obj);
	fx->obj = NULL;
	assert_int_equal(ktest_mprotect(), 0);
	unlink(path);
}

/* A bpftool skeleton, loaded by libkrsi or by itself: skel->bss is live. */
static void test_skeleton(void **state)
{
	struct fixture *fx = *state;

	fx->deny = policy_deny_bpf__open();
	assert_non_null(fx->deny);
	fx->deny->rodata->version = 7;
	fx->obj = krsi_object__from_bpf_object(fx->deny->obj, NULL);
	assert_non_null(fx->obj);
	ktest_load(fx->obj);
	ktest_deny_pid(fx->obj, getpid(), EPERM);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), 0);
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(fx->deny->bss->denials, 2);
	assert_int_equal(fx->deny->bss->denied_by, 7);
	krsi_object__destroy(fx->obj); /* before the skeleton's */
	fx->obj = NULL;
	assert_int_equal(ktest_mprotect(), 0);
	policy_deny_bpf__destroy(fx->deny);

	fx->deny = policy_deny_bpf__open_and_load();
	assert_non_null(fx->deny);
	fx->obj = krsi_object__from_bpf_object(fx->deny->obj, NULL);
	assert_non_null(fx->obj);
	assert_int_equal(krsi_object__load(fx->obj), 0); /* already loaded */
	ktest_deny_pid(fx->obj, getpid(), EPERM);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), 0);
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(fx->deny->bss->denials, 1);
}

static int try_open(void)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* lsm.s/ on a hook that may sleep: attached, it runs and denies. */
static void test_sleepable_program(void **state)
{
	struct fixture *fx = *state;

	ktest_require_feature(KRSI_FEATURE_LSM_SLEEPABLE);
	fx->sleepy = sleepable_open_bpf__open();
	assert_non_null(fx->sleepy);
	fx->sleepy->rodata->target_tgid = getpid();
	fx->obj = krsi_object__from_bpf_object(fx->sleepy->obj, NULL);
	assert_non_null(fx->obj);
	ktest_load(fx->obj);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), 0);
	assert_int_equal(try_open(), -EPERM);
	krsi_object__detach(fx->obj);
	assert_int_equal(try_open(), 0);
	assert_int_equal(fx->sleepy->bss->calls, 1);
}

/* A child in CGROUP probes mprotect(); returns what it got. */
static int probe_in_cgroup(struct fixture *fx)
{
	int go;

	fx->child = ktest_fork_prober(&go);
	ktest_cgroup_enter(fx->cgroup, fx->child);
	return ktest_probe(fx->child, go);
}

static void test_lsm_cgroup_inside_denied_outside_not(void **state)
{
	struct fixture *fx = *state;
	int go, fd;

	ktest_require_feature(KRSI_FEATURE_LSM_CGROUP);
	ktest_cgroup_create(CGROUP, fx->cgroup);
	fx->obj = ktest_open_embedded(policy_cgroup);
	ktest_load(fx->obj);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), -EINVAL);
	ktest_log_has("cgroup_path");

	KRSI_OPTS(krsi_attach_opts, opts, .cgroup_path = fx->cgroup);
	assert_int_equal(krsi_object__attach(fx->obj, &opts), 0);
	assert_int_equal(probe_in_cgroup(fx), -EACCES);
	fx->child = ktest_fork_prober(&go);
	assert_int_equal(ktest_probe(fx->child, go), 0);
	assert_int_equal(ktest_mprotect(), 0);

	krsi_object__detach(fx->obj);
	assert_int_equal(probe_in_cgroup(fx), 0);

	/* The cgroup given as an open directory. */
	fd = open(fx->cgroup, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	KRSI_OPTS(krsi_attach_opts, by_fd, .cgroup_fd = fd);
	assert_int_equal(krsi_object__attach(fx->obj, &by_fd), 0);
	close(fd);
	assert_int_equal(probe_in_cgroup(fx), -EACCES);
	krsi_object__detach(fx->obj);
	fx->child = 0;
}

/* Attach two programs of two_progs (in the object's order), scoped to
 * TARGET; lsm_cgroup ones to CGROUP. */
static void attach_two(struct fixture *fx, pid_t target, const char *a,
		       const char *b, const char *cgroup)
{
	KRSI_OPTS(krsi_attach_opts, opts, .cgroup_path = cgroup);
	struct bpf_program *prog;
	const char *name;

	fx->two = two_progs_bpf__open();
	assert_non_null(fx->two);
	fx->two->rodata->target_tgid = target;
	fx->obj = krsi_object__from_bpf_object(fx->two->obj, NULL);
	assert_non_null(fx->obj);
	bpf_object__for_each_program (prog, fx->two->obj) {
		name = bpf_program__name(prog);
		bpf_program__set_autoload(prog,
					  !strcmp(name, a) || !strcmp(name, b));
	}
	ktest_load(fx->obj);
	assert_int_equal(krsi_object__attach(fx->obj, &opts), 0);
}

/*
 * lsm/ programs: the first program to deny decides the errno, and the
 * programs after it do not run (the trampoline skips them). A program that
 * passes on its `ret` does not undo a denial.
 */
static void test_two_programs_first_denial_wins(void **state)
{
	struct fixture *fx = *state;
	struct two_progs_bpf__bss *bss;
	int err;

	attach_two(fx, getpid(), "deny_eacces", "deny_eperm", NULL);
	bss = fx->two->bss;
	err = ktest_mprotect();
	/* Exactly one ran: the first to deny ends the chain. */
	assert_true(!bss->ran_eacces != !bss->ran_eperm);
	assert_int_equal(err, bss->ran_eacces ? -EACCES : -EPERM);
	assert_int_equal(bss->ran_eacces ? bss->saw_eacces : bss->saw_eperm, 0);
	print_message(
		"lsm/ programs ran %s: the %s-attached program denied first\n",
		bss->ran_eperm ? "last attached first" : "first attached first",
		bss->ran_eperm ? "last" : "first");
	two_progs_bpf__destroy(fx->two);
	krsi_object__destroy(fx->obj);
	fx->obj = NULL;
	fx->two = NULL;
	assert_int_equal(ktest_mprotect(), 0);

	attach_two(fx, getpid(), "deny_eperm", "pass", NULL);
	bss = fx->two->bss;
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_true(bss->ran_eperm);
	if (bss->ran_pass) { /* it ran first, saw no denial, allowed */
		assert_true(bss->ran_pass < bss->ran_eperm);
		assert_int_equal(bss->saw_pass, 0);
	}
}

/*
 * lsm_cgroup/ programs: all run, each sees the verdict so far through
 * bpf_get_retval(), and one allowing after a denial does not undo it.
 */
static void test_two_cgroup_programs_chain(void **state)
{
	struct fixture *fx = *state;
	struct two_progs_bpf__bss *bss;
	int go;

	ktest_require_feature(KRSI_FEATURE_LSM_CGROUP);
	ktest_cgroup_create(CGROUP, fx->cgroup);
	fx->child = ktest_fork_prober(&go);
	attach_two(fx, fx->child, "cg_deny_eacces", "cg_allow", fx->cgroup);
	bss = fx->two->bss;
	ktest_cgroup_enter(fx->cgroup, fx->child);
	assert_int_equal(ktest_probe(fx->child, go), -EACCES);
	fx->child = 0;
	assert_true(bss->ran_cg_eacces && bss->ran_cg_allow);
	if (bss->ran_cg_eacces < bss->ran_cg_allow) {
		assert_int_equal(bss->saw_cg_allow, -EACCES);
		print_message(
			"lsm_cgroup/ programs ran in attach order; the later one saw the earlier denial\n");
	} else {
		assert_int_equal(bss->saw_cg_eacces, 0);
	}
}

static void test_sleepable_on_hook_that_cannot_sleep(void **state)
{
	struct fixture *fx = *state;

	ktest_require_feature(KRSI_FEATURE_LSM_SLEEPABLE);
	fx->obj = ktest_open_embedded(bad_sleepable);
	assert_int_equal(krsi_object__load(fx->obj), -EINVAL);
	assert_int_equal(errno, EINVAL);
	ktest_log_has(
		"program 'sleepy' (lsm.s/file_mprotect): hook 'file_mprotect' may not sleep");
	assert_int_equal(ktest_attached("sleepy"), 0);
}

static void test_hook_closed_to_bpf(void **state)
{
	struct fixture *fx = *state;

	ktest_require_feature(KRSI_FEATURE_LSM_CGROUP);
	fx->obj = ktest_open_embedded(bad_disabled);
	assert_int_equal(krsi_object__load(fx->obj), -EOPNOTSUPP);
	ktest_log_has(
		"program 'overcommit' (lsm_cgroup/vm_enough_memory): this kernel refuses BPF programs on hook 'vm_enough_memory'");
	assert_int_equal(ktest_attached("overcommit"), 0);
}

static void test_missing_hook(void **state)
{
	struct fixture *fx = *state;

	fx->obj = ktest_open_embedded(bad_hook);
	assert_int_equal(krsi_object__load(fx->obj), -ENOENT);
	assert_int_equal(errno, ENOENT);
	ktest_log_has("hookless");
	ktest_log_has("no LSM hook 'krsi_no_such_hook'");
	assert_int_equal(ktest_attached("valid"), 0);
	assert_int_equal(ktest_attached("hookless"), 0);
}

static void test_verifier_rejection(void **state)
{
	struct fixture *fx = *state;
	struct bpf_program *prog;
	const char *log;

	fx->obj = ktest_open_embedded(bad_verifier);
	assert_null(krsi_object__verifier_log(fx->obj, &prog));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(krsi_object__load(fx->obj), -EACCES);
	ktest_log_has(
		"program 'unchecked' (hook file_mprotect) was rejected by the verifier");
	log = krsi_object__verifier_log(fx->obj, &prog);
	assert_non_null(log);
	assert_non_null(prog);
	assert_string_equal(bpf_program__name(prog), "unchecked");
	assert_non_null(strstr(log, "invalid mem access"));
	ktest_log_has("invalid mem access");
	assert_int_equal(ktest_attached("valid"), 0);
	assert_int_equal(ktest_attached("unchecked"), 0);
}

/* --lsm-off: attaching "works" but nothing runs, so it is refused. */
static void test_attach_refused_when_not_enforcing(void **state)
{
	struct fixture *fx = *state;
	KRSI_OPTS(krsi_attach_opts, opts, .allow_not_enforcing = true);

	if (ktest_bpf_lsm_active())
		fail_msg(
			"--lsm-off given but \"bpf\" is in /sys/kernel/security/lsm");
	fx->obj = ktest_open_embedded(policy_deny);
	ktest_load(fx->obj);
	ktest_deny_pid(fx->obj, getpid(), EPERM);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), -ENODEV);
	ktest_log_has("lsm=");
	assert_int_equal(ktest_attached("deny_listed"), 0);

	assert_int_equal(krsi_object__attach(fx->obj, &opts), 0);
	assert_int_equal(ktest_attached("deny_listed"), 1);
	assert_int_equal(ktest_mprotect(), 0); /* attached, never runs */
}

/* --lsm-off: an object libbpf loaded, its hooks unchecked by
 * krsi_object__load(), is refused the same way. */
static void test_attach_refused_when_loaded_elsewhere(void **state)
{
	struct fixture *fx = *state;

	fx->deny = policy_deny_bpf__open_and_load();
	assert_non_null(fx->deny);
	fx->obj = krsi_object__from_bpf_object(fx->deny->obj, NULL);
	assert_non_null(fx->obj);
	assert_int_equal(krsi_object__attach(fx->obj, NULL), -ENODEV);
	ktest_log_has("lsm=");
	assert_int_equal(ktest_attached("deny_listed"), 0);
}

/*
 * An arena is no global data: libbpf 1.4 onwards maps it itself and its
 * value size is 0, so krsi_object__load() leaves it alone (mapping it again
 * failed with EINVAL), and maps the global data beside it where libbpf
 * does not. Skipped, saying why, where the kernel creates no arena.
 */
static void test_arena_beside_global_data(void **state)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct fixture *fx = *state;
	int fd;

	fx->data = global_data_bpf__open();
	assert_non_null(fx->data);
	fd = bpf_map_create(bpf_map__type(fx->data->maps.arena), "arena", 0, 0,
			    1, &opts);
	if (fd < 0) {
		print_message("skipped: kernel %s creates no arena map: %s\n",
			      getenv("KRSI_VMTEST_KERNEL") ?: "here",
			      strerror(errno));
		skip();
	}
	close(fd);
	fx->obj = krsi_object__from_bpf_object(fx->data->obj, NULL);
	assert_non_null(fx->obj);
	assert_int_equal(krsi_object__load(fx->obj), 0);
	assert_int_equal(bpf_prog_test_run_opts(
				 bpf_program__fd(fx->data->progs.count), &run),
			 0);
	assert_int_equal(fx->data->bss->counted, 1);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		TEST(test_deny_then_detach),
		TEST(test_open_file_and_destroy),
		TEST(test_skeleton),
		TEST(test_sleepable_program),
		TEST(test_lsm_cgroup_inside_denied_outside_not),
		TEST(test_two_programs_first_denial_wins),
		TEST(test_two_cgroup_programs_chain),
		TEST(test_sleepable_on_hook_that_cannot_sleep),
		TEST(test_hook_closed_to_bpf),
		TEST(test_missing_hook),
		TEST(test_verifier_rejection),
		TEST(test_arena_beside_global_data),
	};
	const struct CMUnitTest lsm_off[] = {
		TEST(test_attach_refused_when_not_enforcing),
		TEST(test_attach_refused_when_loaded_elsewhere),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("object (lsm-off)", lsm_off,
						   NULL,
						   ktest_wait_programs_freed);
	return cmocka_run_group_tests_name("object", lsm_on, NULL,
					   ktest_wait_programs_freed);
}
