// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Adoption takes over only what the object would have installed, on a
 * real kernel: the same object adopts (loaded again, on other maps, its
 * programs have the kernel tags of the installed ones); an object whose
 * code differs, one whose map's enum was renumbered, and a policy whose
 * metadata is of a later format are refused, naming the difference, and
 * the installed policy keeps running unchanged.
 */
#define _GNU_SOURCE
#include <krsi/krsi.h>

#include "ktest.h"
#include "../tools/run_cmd.h"
#include "adopt_code.skel.h"
#include "adopt_enum.skel.h"
#include "adopt_v1.skel.h"

#define ROOT KRSI_POLICY_PIN_ROOT
#define NAME "adoptee"
#define POLICY_DIR ROOT "/" NAME

struct fixture {
	struct krsi_object *obj; /* the installed version */
	struct krsi_policy *policy;
	__u32 link_id, prog_id;
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

	krsi_set_print(NULL);
	krsi_policy__destroy(fx->policy);
	krsi_object__destroy(fx->obj);
	krsi_remove_policy(NAME, NULL);
	free(fx);
	return 0;
}

static int note_link(const struct krsi_policy_info *info, void *ctx)
{
	struct fixture *fx = ctx;

	assert_int_equal(info->prog_cnt, 1);
	fx->link_id = info->progs[0]->link_id;
	fx->prog_id = info->progs[0]->prog_id;
	return 0;
}

/* Install adopt_v1 as NAME, denying this process's mprotect(). */
static void install_v1(struct fixture *fx)
{
	__u32 key = getpid();
	int action = 1; /* ADOPT_DENY in adopt_v1 */

	fx->obj = ktest_open_embedded(adopt_v1);
	fx->policy = krsi_policy__install(fx->obj, NAME, NULL);
	if (!fx->policy && errno == EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	assert_non_null(fx->policy);
	assert_int_equal(
		bpf_map_update_elem(ktest_map_fd(fx->obj, "adopt_rules"), &key,
				    &action, 0),
		0);
	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(krsi_list_policies(note_link, fx, NULL), 0);
	/* as when the installer has exited: only the pins hold the link */
	krsi_policy__destroy(fx->policy);
	fx->policy = NULL;
	krsi_object__detach(fx->obj);
}

/* The installed version runs as before: same link, same program. */
static void assert_unchanged(struct fixture *fx)
{
	struct fixture now = {};

	assert_int_equal(ktest_mprotect(), -EPERM);
	assert_int_equal(krsi_list_policies(note_link, &now, NULL), 0);
	assert_int_equal(now.link_id, fx->link_id);
	assert_int_equal(now.prog_id, fx->prog_id);
	assert_int_equal(ktest_attached("adopt_deny"), 1);
}

/* The kernel's tag of program ID, as a number. */
static __u64 tag_of(__u32 id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);
	__u64 tag;

	assert_true(fd >= 0);
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	close(fd);
	memcpy(&tag, info.tag, sizeof(tag));
	return tag;
}

/* The same object, opened and loaded again (its maps get other fds): it
 * adopts, its program's tag is the installed one's; a skeleton too. */
static void test_same_object_adopts(void **state)
{
	struct fixture *fx = *state;
	struct krsi_object *again = ktest_open_embedded(adopt_v1);
	struct adopt_v1_bpf *skel;
	struct krsi_policy *adopted;
	struct bpf_program *prog;

	install_v1(fx);
	adopted = krsi_policy__adopt(again, NAME, NULL);
	assert_non_null(adopted);
	prog = krsi_object__find_program(again, "adopt_deny");
	assert_non_null(krsi_object__link(again, prog));
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		__u64 tag;

		assert_int_equal(bpf_obj_get_info_by_fd(bpf_program__fd(prog),
							&info, &len),
				 0);
		memcpy(&tag, info.tag, sizeof(tag));
		assert_true(info.id != fx->prog_id);
		print_message(
			"the object loaded again: program %u, tag %016llx; the installed one: program %u, tag %016llx\n",
			info.id, (unsigned long long)tag, fx->prog_id,
			(unsigned long long)tag_of(fx->prog_id));
		assert_true(tag == tag_of(fx->prog_id));
	}
	krsi_policy__destroy(adopted);
	krsi_object__destroy(again);
	assert_unchanged(fx);

	skel = adopt_v1_bpf__open();
	assert_non_null(skel);
	again = krsi_object__from_bpf_object(skel->obj, NULL);
	adopted = krsi_policy__adopt(again, NAME, NULL);
	assert_non_null(adopted);
	krsi_policy__destroy(adopted);
	krsi_object__destroy(again);
	adopt_v1_bpf__destroy(skel);
	assert_unchanged(fx);
}

/*
 * Other code behind the same maps and names: refused, the installed
 * version running on; replacing the policy installs it, and then that
 * object adopts.
 */
static void test_changed_code_refused(void **state)
{
	struct fixture *fx = *state;
	KRSI_OPTS(krsi_policy_opts, replace, .replace = true);
	struct krsi_object *other = ktest_open_embedded(adopt_code);
	struct krsi_policy *policy;

	install_v1(fx);
	assert_null(krsi_policy__adopt(other, NAME, NULL));
	assert_int_equal(errno, ESTALE);
	ktest_log_has("program 'adopt_deny' runs other code than the object's");
	ktest_log_has("nothing was changed");
	krsi_object__destroy(other);
	assert_unchanged(fx);

	other = ktest_open_embedded(adopt_code);
	policy = krsi_policy__install(other, NAME, &replace);
	assert_non_null(policy);
	assert_int_equal(ktest_mprotect(), -EACCES); /* the map was kept */
	krsi_policy__destroy(policy);
	krsi_object__destroy(other);
	other = ktest_open_embedded(adopt_code);
	policy = krsi_policy__adopt(other, NAME, NULL);
	assert_non_null(policy);
	krsi_policy__destroy(policy);
	krsi_object__destroy(other);
	/* and the other way round */
	other = ktest_open_embedded(adopt_v1);
	assert_null(krsi_policy__adopt(other, NAME, NULL));
	assert_int_equal(errno, ESTALE);
	krsi_object__destroy(other);
}

/* The map's enum renumbered, the code the same: refused, naming it. */
static void test_renumbered_enum_refused(void **state)
{
	struct fixture *fx = *state;
	struct krsi_object *other = ktest_open_embedded(adopt_enum);

	install_v1(fx);
	assert_null(krsi_policy__adopt(other, NAME, NULL));
	assert_int_equal(errno, ESTALE);
	ktest_log_has(
		"map 'adopt_rules': the value's BTF layout differs between the installed policy and the object: enum adopt_action: ADOPT_DENY is 1 in the installed policy, ADOPT_DENY is 2 in the object");
	krsi_object__destroy(other);
	assert_unchanged(fx);
}

/* Replace the policy's metadata with a later libkrsi's: larger, of format
 * KRSI_META_FORMAT + 1 (whose other fields this libkrsi cannot know). */
static void pin_later_metadata(void)
{
	struct {
		__u32 magic, format;
		char rest[504];
	} later = { 0x4b525349, 2, "a later layout" };
	__u32 key = 0;
	int fd;

	assert_int_equal(unlink(POLICY_DIR "/krsi_meta"), 0);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "krsi_meta", sizeof(key),
			    sizeof(later), 1, NULL);
	assert_true(fd >= 0);
	assert_int_equal(bpf_map_update_elem(fd, &key, &later, 0), 0);
	assert_int_equal(bpf_map_freeze(fd), 0);
	assert_int_equal(bpf_obj_pin(fd, POLICY_DIR "/krsi_meta"), 0);
	close(fd);
}

static int note_generation(const struct krsi_policy_info *info, void *ctx)
{
	*(__u64 *)ctx = info->generation + 1;
	return 0;
}

/* A policy a later libkrsi installed: not adopted, listed as unknown. */
static void test_later_metadata_refused(void **state)
{
	struct fixture *fx = *state;
	struct krsi_object *again = ktest_open_embedded(adopt_v1);
	__u64 seen = 0;
	struct run r;

	install_v1(fx);
	pin_later_metadata();
	assert_null(krsi_policy__adopt(again, NAME, NULL));
	assert_int_equal(errno, EPROTONOSUPPORT);
	ktest_log_has(
		"was installed by a later libkrsi (its metadata has format 2");
	krsi_object__destroy(again);
	assert_unchanged(fx);
	assert_int_equal(krsi_list_policies(note_generation, &seen, NULL), 0);
	assert_int_equal(seen, 1); /* generation 0: unknown */
	r = run_krsi("ls");
	if (r.status != 0 || strstr(r.out, "1970") ||
	    !strstr(r.out,
		    NAME ": object, generation and installation unknown") ||
	    !strstr(r.err, "installed by a later libkrsi"))
		fail_msg("krsi ls: status %d\n%s\n%s", r.status, r.out, r.err);
	run_free(&r);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		TEST(test_same_object_adopts),
		TEST(test_changed_code_refused),
		TEST(test_renumbered_enum_refused),
		TEST(test_later_metadata_refused),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* nothing of this needs or shows the LSM off */
	return cmocka_run_group_tests_name("adoption", tests, NULL,
					   ktest_wait_programs_freed);
}
