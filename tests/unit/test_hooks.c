// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/hooks.h> on the host kernel's BTF and on a crafted file: which
 * functions are hooks, their arguments, declarations and return classes,
 * the flags shipped per kernel build and the cache of measured ones,
 * lookups and their suggestions, and errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
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

static void test_flags_shipped_per_build(void **state)
{
	KRSI_OPTS(krsi_hooks_opts, ignoring, .btf_path = fixture_path,
		  .kernel_release = "6.12.118", .ignore_known = true);
	struct krsi_hooks *hooks = load(fixture_path, "6.12.118+deb13-amd64");
	enum krsi_flag_source src;
	const struct krsi_hook *h;

	(void)state;
	assert_non_null(hooks);
	assert_string_equal(krsi_hooks__known_release(hooks), "6.12.118");
	assert_non_null(
		strstr(krsi_hooks__flags_note(hooks), "for 3 of the 4 hooks"));
	h = krsi_hooks__find(hooks, "file_open");
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_DISABLED, &src), KRSI_NO);
	assert_int_equal(src, KRSI_FLAG_KNOWN);
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_SLEEPABLE, NULL),
			 KRSI_YES);
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_CGROUP, NULL), KRSI_YES);
	h = krsi_hooks__find(hooks, "task_free");
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_SLEEPABLE, NULL),
			 KRSI_NO);
	/* A hook the build does not have: nothing known. */
	h = krsi_hooks__find(hooks, "my_bool_hook");
	assert_int_equal(krsi_hook__flag(h, KRSI_HOOK_DISABLED, &src),
			 KRSI_UNKNOWN);
	assert_int_equal(src, KRSI_FLAG_NONE);
	krsi_hooks__free(hooks);

	/* A build libkrsi does not ship, such as 6.12.95 (stable updates
	 * changed the sets since), a file without a release, another line,
	 * and shipped data ignored: nothing known, and the note says why. */
	hooks = load(fixture_path, "6.12.95");
	assert_null(krsi_hooks__known_release(hooks));
	assert_int_equal(krsi_hook__flag(krsi_hooks__find(hooks, "file_open"),
					 KRSI_HOOK_SLEEPABLE, &src),
			 KRSI_UNKNOWN);
	assert_int_equal(src, KRSI_FLAG_NONE);
	assert_string_equal(
		krsi_hooks__flags_note(hooks),
		"unknown: libkrsi ships no flags for kernel 6.12.95");
	krsi_hooks__free(hooks);
	hooks = load(fixture_path, NULL);
	assert_null(krsi_hooks__known_release(hooks));
	assert_non_null(strstr(krsi_hooks__flags_note(hooks), "unknown"));
	krsi_hooks__free(hooks);
	hooks = load(fixture_path, "5.15.0");
	assert_null(krsi_hooks__known_release(hooks));
	krsi_hooks__free(hooks);
	hooks = krsi_hooks__load(&ignoring);
	assert_null(krsi_hooks__known_release(hooks));
	krsi_hooks__free(hooks);
}

static const struct krsi_known_build *
build(unsigned int major, unsigned int minor, unsigned int patch)
{
	const struct krsi_known_build *b = krsi_known_build_by_version(
		&(struct krsi_release){ major, minor, patch });

	assert_non_null(b);
	return b;
}

static void assert_flags(const struct krsi_known_build *b, const char *hook,
			 enum krsi_tristate disabled,
			 enum krsi_tristate sleepable,
			 enum krsi_tristate cgroup)
{
	enum krsi_tristate f[KRSI_HOOK_NR_FLAGS];

	assert_true(krsi_known_flags(b, hook, f));
	assert_int_equal(f[KRSI_HOOK_DISABLED], disabled);
	assert_int_equal(f[KRSI_HOOK_SLEEPABLE], sleepable);
	assert_int_equal(f[KRSI_HOOK_CGROUP], cgroup);
}

/* The generated data says what each build's own sets say. */
static void test_shipped_builds(void **state)
{
	enum krsi_tristate f[KRSI_HOOK_NR_FLAGS];
	const struct krsi_known_build *b;

	(void)state;
	b = build(6, 12, 118);
	assert_ptr_equal(krsi_known_build_by_id(b->build_id), b);
	assert_string_equal(b->release, "6.12.118+deb13-cloud-amd64");
	/* Listed sleepable and disabled: disabled wins. */
	assert_flags(b, "inode_need_killpriv", KRSI_YES, KRSI_NO, KRSI_NO);
	assert_flags(b, "path_unlink", KRSI_NO, KRSI_YES, KRSI_YES);
	/* What the stable updates after 6.12.95 changed. */
	assert_flags(b, "bpf_prog_free", KRSI_NO, KRSI_NO, KRSI_YES);
	assert_flags(b, "xfrm_decode_session", KRSI_YES, KRSI_NO, KRSI_NO);
	b = build(6, 1, 192);
	assert_flags(b, "path_unlink", KRSI_NO, KRSI_NO, KRSI_YES);
	assert_false(krsi_known_flags(b, "bpf_token_create", f));
	/* 5.10: no per-cgroup programs, one sleepable hook, and no struct
	 * argument (path_chown's kuid_t) that the verifier can model. */
	b = build(5, 10, 223);
	assert_flags(b, "bprm_committed_creds", KRSI_NO, KRSI_YES, KRSI_NO);
	assert_flags(b, "file_open", KRSI_NO, KRSI_NO, KRSI_NO);
	assert_flags(b, "path_chown", KRSI_YES, KRSI_NO, KRSI_NO);
	b = build(7, 3, 4);
	assert_flags(b, "file_alloc_security", KRSI_YES, KRSI_NO, KRSI_NO);
	assert_null(krsi_known_build_by_id("0123456789"));
	assert_null(krsi_known_build_by_version(
		&(struct krsi_release){ 6, 12, 95 }));
	assert_true(krsi_known_bool_hook("audit_rule_known"));
	assert_false(krsi_known_bool_hook("file_open"));
	assert_false(krsi_known_bool_hook("no_such_hook"));
}

static void test_build_id_parsing(void **state)
{
	/* A Xen note before the GNU build ID, as /sys/kernel/notes has. */
	const unsigned char notes[] = {
		4,   0, 0, 0, 4,   0,	0,   0, 1,    0,    0,	  0, 'X', 'e',
		'n', 0, 1, 2, 3,   4,	4,   0, 0,    0,    3,	  0, 0,	  0,
		3,   0, 0, 0, 'G', 'N', 'U', 0, 0xab, 0xcd, 0xef, 0,
	};
	unsigned char bad[sizeof(notes)];
	char id[KRSI_BUILD_ID_MAX + 1];

	(void)state;
	assert_int_equal(krsi_parse_build_id(notes, sizeof(notes), id), 0);
	assert_string_equal(id, "abcdef");
	assert_int_equal(krsi_parse_build_id(notes, 20, id), -ENOENT);
	assert_int_equal(krsi_parse_build_id(notes, sizeof(notes) - 2, id),
			 -EINVAL);
	memcpy(bad, notes, sizeof(bad));
	memset(bad, 0xff, 4); /* a name longer than everything */
	assert_int_equal(krsi_parse_build_id(bad, sizeof(bad), id), -EINVAL);
	memcpy(bad, notes, sizeof(bad));
	bad[24] = 0; /* a build ID of no bytes */
	assert_int_equal(krsi_parse_build_id(bad, sizeof(bad), id), -EINVAL);
	if (access("/sys/kernel/notes", R_OK))
		return;
	assert_int_equal(krsi_kernel_build_id(id), 0);
	assert_int_equal(strlen(id), 40); /* sha1 */
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
}

/* The fixture's catalog with flags to cache: --c, -sc, d--, ---. */
static struct krsi_hooks *flagged_fixture(void)
{
	static const char *const flags[] = { "--c", "-sc", "d--", "---" };
	struct krsi_hooks *hooks = load(fixture_path, NULL);
	size_t i;

	assert_int_equal(hooks->cnt, 4);
	for (i = 0; i < 4; i++) {
		hooks->hooks[i].flags[0] = flags[i][0] == 'd';
		hooks->hooks[i].flags[1] = flags[i][1] == 's';
		hooks->hooks[i].flags[2] = flags[i][2] == 'c';
	}
	return hooks;
}

static void assert_cached(const struct krsi_hooks *hooks,
			  enum krsi_flag_source want)
{
	static const char *const flags[] = { "--c", "-sc", "d--", "---" };
	enum krsi_flag_source src;
	size_t i;
	int f;

	for (i = 0; i < 4; i++)
		for (f = 0; f < 3; f++) {
			if (want == KRSI_FLAG_NONE) {
				assert_int_equal(
					krsi_hook__flag(&hooks->hooks[i], f,
							&src),
					KRSI_UNKNOWN);
				continue;
			}
			assert_int_equal(
				krsi_hook__flag(&hooks->hooks[i], f, &src),
				flags[i][f] != '-');
			assert_int_equal(src, want);
		}
}

#define CACHE_HEAD "libkrsi hook flags 1\nbuild-id ab12\nrelease 6.99.1\n"
#define CACHE_HOOKS                                                        \
	"hooks 4\naudit_rule_known --c\nfile_open -sc\nmy_bool_hook d--\n" \
	"task_free ---\n"
#define CACHE_GOOD CACHE_HEAD CACHE_HOOKS "end\n"

static void test_cache_parsing(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "not a libkrsi hook flag cache" },
		{ "libkrsi hook flags 2\n", "not a libkrsi hook flag cache" },
		{ "libkrsi hook flags 1\nbuild-id\n", "no build-id line" },
		{ "libkrsi hook flags 1\nbuild-id ab13\n",
		  "another kernel build (ab13, this one is ab12)" },
		{ "libkrsi hook flags 1\nbuild-id ab12\nrelease 6.99.2\n",
		  "another kernel release than 6.99.1" },
		{ CACHE_HEAD "hooks 5\n", "lists 5 hooks, this kernel has 4" },
		{ CACHE_HEAD "hooks 4x\n", "lists 4x hooks" },
		{ CACHE_HEAD "hooks -4\n", "lists -4 hooks" },
		{ CACHE_HEAD "hooks 4\nfile_open -sc\n",
		  "line 5 is not of hook audit_rule_known" },
		{ CACHE_HEAD "hooks 4\naudit_rule_known\n",
		  "line 5 is not of hook audit_rule_known" },
		{ CACHE_HEAD "hooks 4\naudit_rule_known --x\n",
		  "hook audit_rule_known has flags \"--x\"" },
		{ CACHE_HEAD "hooks 4\naudit_rule_known ds-\n", "go together" },
		{ CACHE_HEAD "hooks 4\naudit_rule_known --cc\n",
		  "has flags \"--cc\"" },
		{ CACHE_HEAD "hooks 4\naudit_rule_known --c\n",
		  "ends before hook file_open" },
		{ CACHE_HEAD CACHE_HOOKS, "does not end after its 4 hooks" },
		{ CACHE_HEAD CACHE_HOOKS "end", "does not end" },
		{ CACHE_HEAD CACHE_HOOKS "end\nend\n", "does not end" },
		{ CACHE_HEAD CACHE_HOOKS "ending\n", "does not end" },
	};
	struct krsi_hooks *hooks = load(fixture_path, NULL);
	char buf[512], why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(krsi_hook_cache_parse(hooks, bad[i].text,
						       strlen(bad[i].text),
						       "ab12", "6.99.1", why,
						       sizeof(why)),
				 -EINVAL);
		if (!strstr(why, bad[i].why))
			fail_msg("cache %zu: \"%s\" does not say \"%s\"", i,
				 why, bad[i].why);
		assert_cached(hooks, KRSI_FLAG_NONE); /* untouched */
	}
	/* A NUL inside a line. */
	snprintf(buf, sizeof(buf), "%s", CACHE_GOOD);
	buf[30] = '\0';
	assert_int_equal(krsi_hook_cache_parse(hooks, buf, strlen(CACHE_GOOD),
					       "ab12", "6.99.1", why,
					       sizeof(why)),
			 -EINVAL);
	assert_int_equal(krsi_hook_cache_parse(hooks, CACHE_GOOD,
					       strlen(CACHE_GOOD), "ab12",
					       "6.99.1", why, sizeof(why)),
			 0);
	assert_cached(hooks, KRSI_FLAG_CACHED);
	krsi_hooks__free(hooks);
}

static char cache_dir[64], cache_path[128];

static int read_cache(struct krsi_hooks *hooks, const char *id, char *why)
{
	return krsi_hook_cache_read(hooks, cache_path, id, why, 256);
}

/* Only a file of root's or ours that nobody else may write, in such a
 * directory, is read. */
static void test_cache_files_trusted_or_ignored(void **state)
{
	struct krsi_hooks *hooks = flagged_fixture(), *fresh;
	char why[256], sub[96], big[300 * 1024];
	struct stat st;
	int fd;

	(void)state;
	snprintf(cache_dir, sizeof(cache_dir), "/tmp/krsi-hook-cache.XXXXXX");
	assert_non_null(mkdtemp(cache_dir));
	snprintf(sub, sizeof(sub), "%s/made/here", cache_dir);
	snprintf(cache_path, sizeof(cache_path), "%s/hook-flags", sub);
	/* Written with its directories, readable by all, by nobody else
	 * writable. */
	assert_int_equal(krsi_hook_cache_write(hooks, cache_path, "ab12", why,
					       sizeof(why)),
			 0);
	assert_int_equal(stat(cache_path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_uid, geteuid());
	fresh = load(fixture_path, NULL);
	assert_int_equal(read_cache(fresh, "ab12", why), 0);
	assert_cached(fresh, KRSI_FLAG_CACHED);
	krsi_hooks__free(fresh);

	fresh = load(fixture_path, NULL);
	assert_int_equal(read_cache(fresh, "cd34", why), -EINVAL);
	assert_non_null(strstr(why, "another kernel build"));
	assert_int_equal(chmod(cache_path, 0666), 0);
	assert_int_equal(read_cache(fresh, "ab12", why), -EPERM);
	assert_string_equal(why, "others may write it");
	assert_int_equal(chmod(cache_path, 0664), 0);
	assert_int_equal(read_cache(fresh, "ab12", why), -EPERM);
	assert_int_equal(chmod(cache_path, 0644), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	assert_int_equal(read_cache(fresh, "ab12", why), -EPERM);
	assert_non_null(strstr(why, "directory"));
	assert_non_null(strstr(why, "others may write it"));
	assert_int_equal(krsi_hook_cache_write(hooks, cache_path, "ab12", why,
					       sizeof(why)),
			 -EPERM);
	assert_int_equal(chmod(sub, 01777), 0); /* sticky, as /tmp */
	assert_int_equal(read_cache(fresh, "ab12", why), 0);
	assert_int_equal(chmod(sub, 0755), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(cache_path, 65534, 65534), 0);
		assert_int_equal(read_cache(fresh, "ab12", why), -EPERM);
		assert_string_equal(why, "it belongs to another user");
		assert_int_equal(chown(cache_path, 0, 0), 0);
	}
	/* A link is not followed; a directory, or too big a file, is no
	 * cache. */
	assert_int_equal(rename(cache_path, "/tmp/krsi-hook-cache.link"), 0);
	assert_int_equal(symlink("/tmp/krsi-hook-cache.link", cache_path), 0);
	assert_int_equal(read_cache(fresh, "ab12", why), -ELOOP);
	assert_int_equal(unlink(cache_path), 0);
	assert_int_equal(unlink("/tmp/krsi-hook-cache.link"), 0);
	assert_int_equal(mkdir(cache_path, 0755), 0);
	assert_int_equal(read_cache(fresh, "ab12", why), -EPERM);
	assert_string_equal(why, "it is not a regular file");
	assert_int_equal(rmdir(cache_path), 0);
	fd = open(cache_path, O_WRONLY | O_CREAT, 0644);
	memset(big, 'x', sizeof(big));
	assert_int_equal(write(fd, big, sizeof(big)), sizeof(big));
	close(fd);
	assert_int_equal(read_cache(fresh, "ab12", why), -EINVAL);
	assert_non_null(strstr(why, "larger than"));
	assert_int_equal(read_cache(fresh, "ab12", why), -EINVAL);
	/* Replaced whole by the next write. */
	assert_int_equal(krsi_hook_cache_write(hooks, cache_path, "ab12", why,
					       sizeof(why)),
			 0);
	assert_int_equal(read_cache(fresh, "ab12", why), 0);
	assert_cached(fresh, KRSI_FLAG_CACHED);
	krsi_hooks__free(fresh);
	krsi_hooks__free(hooks);
	unlink(cache_path);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/made", cache_dir);
	rmdir(sub);
	rmdir(cache_dir);
}

/*
 * The running kernel's catalog reads a cache of its build: this host
 * refuses trial loads, so the flags come from nowhere else. A cache of
 * anything else leaves them unknown here, saying why.
 */
static void test_running_kernel_reads_its_cache(void **state)
{
	KRSI_OPTS(krsi_hooks_opts, opts,
		  .flags_cache = "/tmp/krsi-hook-flags-host");
	char id[KRSI_BUILD_ID_MAX + 1], why[256];
	struct krsi_hooks *hooks, *again;
	krsi_print_fn_t prev;
	size_t i;
	int fd;

	(void)state;
	if (access(HOST_BTF, R_OK) || krsi_kernel_build_id(id))
		skip();
	unlink(opts.flags_cache);
	hooks = krsi_hooks__load(&opts);
	assert_non_null(hooks);
	if (krsi_hook__flag(krsi_hooks__at(hooks, 0), 0, NULL) !=
	    KRSI_UNKNOWN) {
		print_message("this host measures or knows its flags: %s\n",
			      krsi_hooks__flags_note(hooks));
		krsi_hooks__free(hooks);
		skip();
	}
	assert_non_null(strstr(krsi_hooks__flags_note(hooks), "unknown: "));
	for (i = 0; i < hooks->cnt; i++)
		hooks->hooks[i].flags[KRSI_HOOK_CGROUP] = i % 2;
	assert_int_equal(krsi_hook_cache_write(hooks, opts.flags_cache, id, why,
					       sizeof(why)),
			 0);
	again = krsi_hooks__load(&opts);
	assert_null(krsi_hooks__known_release(again));
	assert_non_null(strstr(krsi_hooks__flags_note(again), "read from"));
	for (i = 0; i < again->cnt; i++) {
		assert_int_equal(again->hooks[i].flags[KRSI_HOOK_CGROUP],
				 i % 2);
		assert_int_equal(again->hooks[i].sources[KRSI_HOOK_CGROUP],
				 KRSI_FLAG_CACHED);
	}
	krsi_hooks__free(again);
	/* Corrupt: ignored, said so, and the flags unknown. */
	fd = open(opts.flags_cache, O_WRONLY);
	assert_int_equal(pwrite(fd, "X", 1, 0), 1);
	close(fd);
	messages[0] = '\0';
	prev = krsi_set_print(capture);
	again = krsi_hooks__load(&opts);
	krsi_set_print(prev);
	assert_non_null(strstr(messages, "ignoring the hook flag cache"));
	assert_int_equal(krsi_hook__flag(krsi_hooks__at(again, 0), 0, NULL),
			 KRSI_UNKNOWN);
	krsi_hooks__free(again);
	krsi_hooks__free(hooks);
	unlink(opts.flags_cache);
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
		cmocka_unit_test(test_flags_shipped_per_build),
		cmocka_unit_test(test_shipped_builds),
		cmocka_unit_test(test_build_id_parsing),
		cmocka_unit_test(test_release_parsing),
		cmocka_unit_test(test_cache_parsing),
		cmocka_unit_test(test_cache_files_trusted_or_ignored),
		cmocka_unit_test(test_running_kernel_reads_its_cache),
		cmocka_unit_test(test_find_suggests_close_names),
		cmocka_unit_test(test_running_kernel_catalog),
		cmocka_unit_test(test_errors),
	};

	libbpf_set_print(NULL);
	return cmocka_run_group_tests_name("hooks", tests, setup, teardown);
}
