// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi_features__probe() on real kernels, checked against reality and
 * against the documentation:
 *
 * - every feature has an answer in the VM (trial loads work there);
 * - each answer agrees with a program that really uses the feature
 *   (progs/features.bpf.c): it loads, and for lsm_cgroup/ attaches to a
 *   cgroup, for syscall programs runs, for link_hook attaches and its link
 *   names its hook, for btf_decl_tag keeps its field marker in the
 *   kernel's copy of its BTF, exactly where the probe says yes;
 *   and where the kernel lacks sleepable or per-cgroup programs, libkrsi
 *   refuses such a program before loading it, naming the feature and the
 *   first release that has it;
 * - the choices the BPF-side headers make when a program loads
 *   (krsi_d_path_available(), krsi_path_kfunc_available(), the task and
 *   register helpers) agree with the probe;
 * - `krsi probe --features --json` gives the column of docs/compat.md for
 *   this kernel line, so the table cannot go stale.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/btf.h>

#include "ktest.h"
#include "../tools/json_check.h"
#include "../tools/run_cmd.h"
#include "features.skel.h"
#include "policy_cgroup.skel.h"
#include "sleepable_open.skel.h"

#define CGROUP "krsi-test-features"
#define NR_FEATURES (KRSI_FEATURE_BTF_DECL_TAG + 1)

/* The program of features.bpf.c using each feature, and the maps it uses. */
static const struct {
	const char *prog;
	const char *map;
} uses[NR_FEATURES] = {
	[KRSI_FEATURE_LSM] = { "lsm" },
	[KRSI_FEATURE_LSM_SLEEPABLE] = { "lsm_sleepable" },
	[KRSI_FEATURE_LSM_CGROUP] = { "lsm_cgroup" },
	[KRSI_FEATURE_SYSCALL_PROG] = { "syscall_prog" },
	[KRSI_FEATURE_RINGBUF] = { "ringbuf", "ring" },
	[KRSI_FEATURE_TASK_STORAGE] = { "task_storage", "task_store" },
	[KRSI_FEATURE_INODE_STORAGE] = { "inode_storage", "inode_store" },
	[KRSI_FEATURE_CURRENT_TASK_BTF] = { "current_task_btf" },
	[KRSI_FEATURE_TASK_PT_REGS] = { "task_pt_regs" },
	[KRSI_FEATURE_LOOP] = { "loop" },
	[KRSI_FEATURE_D_PATH] = { "d_path" },
	[KRSI_FEATURE_PATH_D_PATH] = { "path_d_path" },
	[KRSI_FEATURE_IMA_INODE_HASH] = { "ima_inode_hash" },
	[KRSI_FEATURE_IMA_FILE_HASH] = { "ima_file_hash" },
	[KRSI_FEATURE_GET_FILE_XATTR] = { "get_file_xattr" },
	[KRSI_FEATURE_GET_DENTRY_XATTR] = { "get_dentry_xattr" },
	[KRSI_FEATURE_SET_DENTRY_XATTR] = { "set_dentry_xattr" },
	[KRSI_FEATURE_NULLABLE_ARGS] = { "nullable_args" },
	[KRSI_FEATURE_LINK_HOOK] = { "lsm" },
	[KRSI_FEATURE_BTF_DECL_TAG] = { "lsm" },
};

static const struct krsi_features *features(void)
{
	const struct krsi_features *f = ktest_features();
	size_t i;

	for (i = 0; i < krsi_features__cnt(f); i++)
		if (krsi_features__has(f, i) == KRSI_UNKNOWN)
			ktest_unavailable("the probe cannot tell %s here: %s",
					  krsi_feature__name(i),
					  krsi_features__evidence(f, i));
	return f;
}

/* Attach PROG and read its link's hook: 0 when the link names it. */
static int link_names_hook(struct bpf_program *prog)
{
	struct bpf_link *link = bpf_program__attach(prog);
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	int err;

	if (!link)
		return -errno;
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(bpf_link__fd(link), &info, &len) ? -errno
								      : 0;
	bpf_link__destroy(link);
	return err ?: info.tracing.target_btf_id ? 0 : -ENODATA;
}

/* Whether the kernel's copy of PROG's BTF kept a declaration tag. */
static int btf_kept_tags(struct bpf_program *prog)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info), id, n;
	struct btf *btf;
	int err = -ENOENT;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return -errno;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		return -errno;
	n = btf__type_cnt(btf);
	for (id = 1; id < n && err; id++)
		if (btf_is_decl_tag(btf__type_by_id(btf, id)))
			err = 0;
	btf__free(btf);
	return err;
}

/*
 * Load the program using FEATURE alone, with only its maps; for a
 * per-cgroup program, attach it to a cgroup too, and run a syscall
 * program. Returns 0 when it all worked, else the first error.
 */
static int use(enum krsi_feature feature)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct features_bpf *skel = features_bpf__open();
	struct bpf_program *prog, *used = NULL;
	struct bpf_link *link;
	struct bpf_map *map;
	char cgroup[4096];
	int err, fd;

	assert_non_null(skel);
	bpf_object__for_each_program (prog, skel->obj) {
		bool it = !strcmp(bpf_program__name(prog), uses[feature].prog);

		bpf_program__set_autoload(prog, it);
		if (it)
			used = prog;
	}
	assert_non_null(used);
	bpf_object__for_each_map (map, skel->obj)
		if (!bpf_map__is_internal(map))
			bpf_map__set_autocreate(
				map, uses[feature].map &&
					     !strcmp(bpf_map__name(map),
						     uses[feature].map));
	err = features_bpf__load(skel);
	if (!err && feature == KRSI_FEATURE_LSM_CGROUP) {
		ktest_cgroup_create(CGROUP, cgroup);
		fd = open(cgroup, O_RDONLY | O_DIRECTORY);
		assert_true(fd >= 0);
		link = bpf_program__attach_cgroup(used, fd);
		err = link ? 0 : -errno;
		bpf_link__destroy(link);
		close(fd);
		rmdir(cgroup);
	}
	if (!err && feature == KRSI_FEATURE_SYSCALL_PROG)
		err = bpf_prog_test_run_opts(bpf_program__fd(used), &run);
	if (!err && feature == KRSI_FEATURE_LINK_HOOK)
		err = link_names_hook(used);
	if (!err && feature == KRSI_FEATURE_BTF_DECL_TAG)
		err = btf_kept_tags(used);
	features_bpf__destroy(skel);
	return err;
}

/* A sleepable or per-cgroup program on a kernel without them: refused by
 * krsi_object__load(), naming the feature and its first release. */
static void refused(enum krsi_feature feature, struct krsi_object *obj)
{
	char text[128];

	ktest_capture_start();
	assert_int_equal(krsi_object__load(obj), -EOPNOTSUPP);
	snprintf(text, sizeof(text),
		 "this kernel has no %s (feature %s, first in Linux %s",
		 krsi_feature__title(feature), krsi_feature__name(feature),
		 krsi_feature__since(feature));
	ktest_log_has(text);
	krsi_object__destroy(obj);
}

static void test_each_answer_is_what_a_program_finds(void **state)
{
	const struct krsi_features *f = features();
	enum krsi_tristate has;
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < krsi_features__cnt(f); i++) {
		has = krsi_features__has(f, i);
		err = use(i);
		/* A nullable argument is a program refused, not loaded. */
		if (i == KRSI_FEATURE_NULLABLE_ARGS)
			err = err ? 0 : -EINVAL;
		print_message("%-17s %-3s  a program using it %s\n",
			      krsi_feature__name(i), has ? "yes" : "no",
			      err ? "failed" : "worked");
		if ((has == KRSI_YES) != !err)
			fail_msg(
				"feature %s: the probe says %s (%s), but a program using it %s (%s)",
				krsi_feature__name(i), has ? "yes" : "no",
				krsi_features__evidence(f, i),
				err ? "failed" : "worked", strerror(-err));
	}
	if (krsi_features__has(f, KRSI_FEATURE_LSM_CGROUP) == KRSI_NO)
		refused(KRSI_FEATURE_LSM_CGROUP,
			ktest_open_embedded(policy_cgroup));
	if (krsi_features__has(f, KRSI_FEATURE_LSM_SLEEPABLE) == KRSI_NO)
		refused(KRSI_FEATURE_LSM_SLEEPABLE,
			ktest_open_embedded(sleepable_open));
}

/* What the headers chose when a program loaded, against the probe. */
static void test_header_choices_agree_with_the_probe(void **state)
{
	const struct krsi_features *f = features();
	struct features_bpf *skel = features_bpf__open();
	struct bpf_program *prog;
	struct bpf_link *link;
	struct bpf_map *map;
	int fd;

	(void)state;
	assert_non_null(skel);
	bpf_object__for_each_program (prog, skel->obj)
		bpf_program__set_autoload(prog, prog == skel->progs.choices);
	bpf_object__for_each_map (map, skel->obj)
		if (!bpf_map__is_internal(map))
			bpf_map__set_autocreate(map, false);
	assert_int_equal(features_bpf__load(skel), 0);
	link = bpf_program__attach(skel->progs.choices);
	assert_non_null(link);
	fd = open("/proc/self/status", O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	bpf_link__destroy(link);
#define agree(var, feature)                                                   \
	do {                                                                  \
		if (!skel->bss->var != !krsi_features__has(f, feature))       \
			fail_msg(#var " is %d, but the probe says %s has %s", \
				 skel->bss->var, krsi_feature__name(feature), \
				 krsi_features__evidence(f, feature));        \
	} while (0)
	agree(d_path_available, KRSI_FEATURE_D_PATH);
	agree(kfunc_available, KRSI_FEATURE_PATH_D_PATH);
	agree(task_btf_used, KRSI_FEATURE_CURRENT_TASK_BTF);
	agree(pt_regs_used, KRSI_FEATURE_TASK_PT_REGS);
#undef agree
	features_bpf__destroy(skel);
}

/* This kernel's line, as docs/compat.md names its columns: "6.12". */
static void kernel_line(char *line, size_t size)
{
	struct utsname u;
	unsigned int major, minor;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%u.%u", &major, &minor), 2);
	snprintf(line, size, "%u.%u", major, minor);
}

/* The table's cells, split at '|', trimmed; returns how many. */
static size_t cells(char *row, char **cell, size_t max)
{
	size_t n = 0;
	char *p, *end;

	for (p = strtok(row, "|"); p && n < max; p = strtok(NULL, "|")) {
		while (*p == ' ' || *p == '`')
			p++;
		end = p + strlen(p);
		while (end > p &&
		       (end[-1] == ' ' || end[-1] == '`' || end[-1] == '\n'))
			*--end = '\0';
		cell[n++] = p;
	}
	return n;
}

/*
 * docs/compat.md's feature table (between its "features:" markers) for
 * this kernel line against `krsi probe --features --json`, feature by
 * feature: a row for every feature, yes or no as measured.
 */
static void test_compat_table_is_this_kernel(void **state)
{
	char line[16], text[1024], *cell[16];
	struct jval *doc = NULL;
	const struct jval *list, *item = NULL;
	size_t col = 0, n, i, rows = 0;
	bool in_table = false;
	struct run r;
	FILE *md;

	(void)state;
	features();
	kernel_line(line, sizeof(line));
	md = fopen("compat.md", "r"); /* in the VM, copied beside the test */
	if (!md)
		md = fopen("docs/compat.md", "r");
	if (!md)
		fail_msg("cannot read docs/compat.md: %s", strerror(errno));
	r = run_krsi("probe --features --json");
	doc = json_parse(r.out);
	if (r.status || !doc)
		fail_msg("krsi probe --features --json: status %d:\n%s\n%s",
			 r.status, r.out, r.err);
	list = json_get(doc, "features");
	while (fgets(text, sizeof(text), md)) {
		if (strstr(text, "<!-- features: begin"))
			in_table = true;
		if (strstr(text, "<!-- features: end"))
			break;
		if (!in_table || text[0] != '|')
			continue;
		n = cells(text, cell, 16);
		if (!col) { /* the header row */
			for (i = 0; i < n; i++)
				if (!strcmp(cell[i], line))
					col = i;
			if (!col) {
				print_message(
					"skipped: docs/compat.md has no column for Linux %s\n",
					line);
				fclose(md);
				json_free(doc);
				run_free(&r);
				skip();
			}
			continue;
		}
		if (n <= col || cell[0][0] == '-')
			continue;
		for (i = 0; i < list->n; i++) {
			item = &list->items[i];
			if (!strcmp(json_get(item, "name")->str, cell[0]))
				break;
		}
		if (i == list->n)
			fail_msg(
				"docs/compat.md lists %s, which krsi probe --features does not know",
				cell[0]);
		if (strcmp(cell[col], json_get(item, "has")->b ? "yes" : "no"))
			fail_msg(
				"docs/compat.md says %s for %s on Linux %s, krsi probe --features says %s: %s",
				cell[col], cell[0], line,
				json_get(item, "has")->b ? "yes" : "no",
				json_get(item, "evidence")->str);
		rows++;
	}
	fclose(md);
	if (rows != list->n)
		fail_msg("docs/compat.md has %zu of the %zu features", rows,
			 list->n);
	json_free(doc);
	run_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_answer_is_what_a_program_finds),
		cmocka_unit_test(test_compat_table_is_this_kernel),
		cmocka_unit_test(test_header_choices_agree_with_the_probe),
	};

	/* Without bpf in lsm= the answers are checked by programs as well,
	 * but differ from the table's, which is of a normal boot (inode
	 * storage needs the BPF LSM's blob: measured on 6.1 and 6.12); the
	 * choices are read by a program that must run. */
	if (ktest_lsm_off(argc, argv))
		return _cmocka_run_group_tests("features (lsm-off)", tests, 1,
					       NULL, ktest_wait_programs_freed);
	return cmocka_run_group_tests_name("features", tests, NULL,
					   ktest_wait_programs_freed);
}
