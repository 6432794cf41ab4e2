// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/hooks.h> on the host kernel's BTF and on a crafted file: which
 * functions are hooks, their arguments, declarations and return classes,
 * flags known per kernel line, lookups and their suggestions, and errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include <krsi/hooks.h>
#include <krsi/log.h>

#include "btf_fixture.h"
#include "hooks_internal.h"

#define HOST_BTF "/sys/kernel/btf/vmlinux"

static char fixture_path[32];
static char messages[4096];

static int capture(enum krsi_print_level level, const char *fmt, va_list args)
{
	size_t len = strlen(messages);

	(void)level;
	return vsnprintf(messages + len, sizeof(messages) - len, fmt, args);
}

static struct krsi_hooks *load(const char *path, const char *release)
{
	KRSI_OPTS(krsi_hooks_opts, opts, .btf_path = path,
		  .kernel_release = release);

	return krsi_hooks__load(&opts);
}

static int setup(void **state)
{
	struct btf *b = fixture_btf();

	(void)state;
	fixture_write(b, fixture_path);
	btf__free(b);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(fixture_path);
	return 0;
}

static void test_only_hooks_with_their_shapes(void **state)
{
	struct krsi_hooks *hooks = load(fixture_path, NULL);
	const struct krsi_hook *h;

	(void)state;
	assert_non_null(hooks);
	/* bpf_lsm_verify_prog is not a member of security_list_options. */
	assert_int_equal(krsi_hooks__count(hooks), 4);
	assert_string_equal(krsi_hook__name(krsi_hooks__at(hooks, 0)),
			    "audit_rule_known");
	assert_null(krsi_hooks__find(hooks, "verify_prog"));

	h = krsi_hooks__find(hooks, "file_open");
	assert_non_null(h);
	assert_ptr_equal(krsi_hooks__find(hooks, "bpf_lsm_file_open"), h);
	assert_int_equal(krsi_hook__return(h), KRSI_HOOK_RET_INT);
	assert_int_equal(krsi_hook__arg_count(h), 1);
	assert_string_equal(krsi_hook__arg_name(h, 0), "file");
	assert_string_equal(krsi_hook__arg_type(h, 0), "struct file *");
	assert_string_equal(krsi_hook__decl(h),
			    "int file_open(struct file *file)");
	assert_int_equal(krsi_hook__btf_id(h),
			 krsi_btf__find(krsi_hooks__btf(hooks),
					"bpf_lsm_file_open", BTF_KIND_FUNC));

	h = krsi_hooks__find(hooks, "task_free");
	assert_int_equal(krsi_hook__return(h), KRSI_HOOK_RET_VOID);
	assert_string_equal(krsi_hook__decl(h),
			    "void task_free(struct file *task)");
	/* Declared int, answering yes or no. */
	h = krsi_hooks__find(hooks, "audit_rule_known");
	assert_int_equal(krsi_hook__return(h), KRSI_HOOK_RET_BOOL);
	/* Declared _Bool; an unnamed argument gets a name. */
	h = krsi_hooks__find(hooks, "my_bool_hook");
	assert_int_equal(krsi_hook__return(h), KRSI_HOOK_RET_BOOL);
	assert_string_equal(krsi_hook__arg_name(h, 0), "arg0");
	assert_string_equal(krsi_hook__decl(h), "_Bool my_bool_hook(int)");
	krsi_hooks__free(hooks);
}

static void test_flags_known_per_kernel_line(void **state)
{
	struct krsi_hooks *hooks = load(fixture_path, "6.12.95+deb12-amd64");
	enum krsi_flag_source src;
	const struct krsi_hook *h;

	(void)state;
	assert_non_null(hooks);
	assert_string_equal(krsi_hooks__known_release(hooks), "6.12.95");
	h = krsi_hooks__find(hooks, "file_open");
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_DISABLED, &src), KRSI_NO);
	assert_int_equal(src, KRSI_FLAG_KNOWN);
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_SLEEPABLE, NULL),
			 KRSI_YES);
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_CGROUP, NULL), KRSI_YES);
	h = krsi_hooks__find(hooks, "task_free");
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_SLEEPABLE, NULL),
			 KRSI_NO);
	/* A hook the line does not have: nothing known. */
	h = krsi_hooks__find(hooks, "my_bool_hook");
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_DISABLED, &src),
			 KRSI_UNKNOWN);
	assert_int_equal(src, KRSI_FLAG_NONE);
	krsi_hooks__free(hooks);

	/* An older patch level than was verified, a file without a release,
	 * and an unsupported line: nothing known. */
	hooks = load(fixture_path, "6.12.10");
	assert_null(krsi_hooks__known_release(hooks));
	assert_int_equal(krsi_hook__flag(krsi_hooks__find(hooks, "file_open"),
					 KRSI_HOOK_SLEEPABLE, &src),
			 KRSI_UNKNOWN);
	krsi_hooks__free(hooks);
	hooks = load(fixture_path, NULL);
	assert_null(krsi_hooks__known_release(hooks));
	krsi_hooks__free(hooks);
	hooks = load(fixture_path, "5.15.0");
	assert_null(krsi_hooks__known_release(hooks));
	krsi_hooks__free(hooks);
}

static void test_disabled_hooks_allow_nothing(void **state)
{
	enum krsi_tristate f[3];
	int line = krsi_known_line(&(struct krsi_release){ 6, 12, 95 });

	(void)state;
	/* 6.12 lists inode_need_killpriv as sleepable and as disabled. */
	assert_true(krsi_known_flags(line, "inode_need_killpriv", f));
	assert_int_equal(f[KRSI_HOOK_DISABLED], KRSI_YES);
	assert_int_equal(f[KRSI_HOOK_SLEEPABLE], KRSI_NO);
	assert_int_equal(f[KRSI_HOOK_CGROUP], KRSI_NO);
	assert_true(krsi_known_flags(line, "path_unlink", f));
	assert_int_equal(f[KRSI_HOOK_SLEEPABLE], KRSI_YES);
	line = krsi_known_line(&(struct krsi_release){ 6, 1, 200 });
	assert_true(krsi_known_flags(line, "path_unlink", f));
	assert_int_equal(f[KRSI_HOOK_SLEEPABLE], KRSI_NO);
	assert_false(krsi_known_flags(line, "bpf_token_create", f));
}

static void test_release_parsing(void **state)
{
	struct krsi_release rel;

	(void)state;
	assert_int_equal(krsi_parse_release("6.1.192-2", &rel), 0);
	assert_int_equal(rel.major, 6);
	assert_int_equal(rel.minor, 1);
	assert_int_equal(rel.patch, 192);
	assert_int_equal(krsi_parse_release("6.12", &rel), 0);
	assert_int_equal(rel.patch, 0);
	assert_int_equal(krsi_parse_release("6.1.0-56-cloud-amd64", &rel), 0);
	assert_int_equal(rel.patch, 0);
	assert_int_equal(krsi_parse_release("v6.1", &rel), -EINVAL);
	assert_int_equal(krsi_parse_release("6", &rel), -EINVAL);
	assert_int_equal(krsi_running_release(&rel), 0);
	assert_true(rel.major >= 5);
}

static void test_find_suggests_close_names(void **state)
{
	krsi_print_fn_t prev = krsi_set_print(capture);
	struct krsi_hooks *hooks = load(fixture_path, NULL);

	(void)state;
	messages[0] = '\0';
	assert_null(krsi_hooks__find(hooks, "file_opne"));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(messages, "did you mean file_open?"));
	messages[0] = '\0';
	assert_null(krsi_hooks__find(hooks, "zzzzzzzzzzzzzzzz"));
	assert_non_null(strstr(messages, "krsi hooks"));
	krsi_hooks__free(hooks);
	krsi_set_print(prev);
}

static void test_running_kernel_catalog(void **state)
{
	const struct krsi_hook *h;
	struct krsi_hooks *hooks;
	struct timespec t0, t1;
	double ns;
	int i;

	(void)state;
	if (access(HOST_BTF, R_OK))
		skip();
	hooks = krsi_hooks__load(NULL);
	assert_non_null(hooks);
	assert_true(krsi_hooks__count(hooks) > 200);
	h = krsi_hooks__find(hooks, "file_open");
	assert_non_null(h);
	assert_string_equal(krsi_hook__decl(h),
			    "int file_open(struct file *file)");
	assert_int_equal(
		krsi_hook__return(krsi_hooks__find(hooks, "task_free")),
		KRSI_HOOK_RET_VOID);
	/* Only hooks: none of the bpf_lsm_* helpers the kernel also has. */
	assert_null(krsi_hooks__find(hooks, "verify_prog"));
	assert_null(krsi_hooks__find(hooks, "find_cgroup_shim"));
	/* Sorted by name. */
	for (size_t k = 1; k < krsi_hooks__count(hooks); k++)
		assert_true(
			strcmp(krsi_hook__name(krsi_hooks__at(hooks, k - 1)),
			       krsi_hook__name(krsi_hooks__at(hooks, k))) < 0);
	/* Constant time: a lookup is a hash, whatever the hook. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100000; i++)
		assert_non_null(krsi_hooks__find(hooks, "task_getsid"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
	     100000;
	print_message("%zu hooks; a lookup by name takes %.0f ns\n",
		      krsi_hooks__count(hooks), ns);
	krsi_hooks__free(hooks);
}

static void test_errors(void **state)
{
	KRSI_OPTS(krsi_hooks_opts, trial_on_file, .btf_path = fixture_path,
		  .trial_load = true);
	struct krsi_hooks_opts bad = { .sz = 4 };
	krsi_print_fn_t prev = krsi_set_print(NULL);
	struct krsi_hooks *hooks = load(fixture_path, NULL);
	const struct krsi_hook *h = krsi_hooks__find(hooks, "file_open");
	KRSI_OPTS(krsi_hook_probe_opts, both, .sleepable = true,
		  .cgroup = true);

	(void)state;
	assert_null(krsi_hooks__load(&bad));
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_hooks__load(&trial_on_file));
	assert_int_equal(errno, EINVAL);
	assert_null(load(fixture_path, "not-a-release"));
	assert_int_equal(errno, EINVAL);
	assert_null(load("/nonexistent", NULL));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(krsi_hooks__count(NULL), 0);
	assert_null(krsi_hooks__at(NULL, 0));
	assert_null(krsi_hooks__at(hooks, 4));
	assert_int_equal(errno, ENOENT);
	assert_null(krsi_hooks__find(NULL, "file_open"));
	assert_null(krsi_hooks__find(hooks, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_hooks__btf(NULL));
	assert_null(krsi_hook__name(NULL));
	assert_int_equal(krsi_hook__btf_id(NULL), 0);
	assert_null(krsi_hook__arg_name(h, 1));
	assert_null(krsi_hook__arg_type(NULL, 0));
	assert_int_equal(krsi_hook__arg_btf_id(h, 9), 0);
	assert_null(krsi_hook__decl(NULL));
	assert_int_equal(krsi_hook__flag(h, 7, NULL), KRSI_UNKNOWN);
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_hook_flag_str(3));
	assert_null(krsi_hook_return_str(3));
	assert_string_equal(krsi_hook_flag_str(KRSI_HOOK_CGROUP), "cgroup");
	assert_string_equal(krsi_hook_return_str(KRSI_HOOK_RET_BOOL), "bool");
	/* Probes need the running kernel's catalog, and one program kind. */
	assert_int_equal(krsi_hook__probe_helper(hooks, h, 1, NULL), -EINVAL);
	assert_int_equal(krsi_hook__probe_kfunc(hooks, h, NULL, NULL), -EINVAL);
	assert_int_equal(krsi_hook__probe_helper(hooks, h, 1, &both), -EINVAL);
	krsi_hooks__free(hooks);
	krsi_hooks__free(NULL);
	krsi_set_print(prev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_hooks_with_their_shapes),
		cmocka_unit_test(test_flags_known_per_kernel_line),
		cmocka_unit_test(test_disabled_hooks_allow_nothing),
		cmocka_unit_test(test_release_parsing),
		cmocka_unit_test(test_find_suggests_close_names),
		cmocka_unit_test(test_running_kernel_catalog),
		cmocka_unit_test(test_errors),
	};

	libbpf_set_print(NULL);
	return cmocka_run_group_tests_name("hooks", tests, setup, teardown);
}
