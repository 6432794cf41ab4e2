// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * What is attached, seen on a real kernel: a program attached by plain
 * libbpf (not by libkrsi) appears in krsi_list_attachments() and in
 * `krsi ls`, with its hook; `krsi load` installs a policy (lsm/ or
 * lsm_cgroup/ on a cgroup) that `krsi ls` describes and `krsi unload`
 * removes without a trace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "../tools/json_check.h"
#include "../tools/run_cmd.h"
#include "mprotect_deny.skel.h"
#include "policy_cgroup.skel.h"
#include "policy_deny.skel.h"

#define CGROUP "krsi-test-ls"

struct fixture {
	struct mprotect_deny_bpf *skel;
	struct bpf_link *link;
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

	krsi_set_print(NULL); /* quiet cleanup */
	bpf_link__destroy(fx->link);
	mprotect_deny_bpf__destroy(fx->skel);
	krsi_remove_policy("guard", NULL);
	krsi_remove_policy("cg", NULL);
	if (fx->cgroup[0])
		rmdir(fx->cgroup);
	free(fx);
	return 0;
}

/* Run krsi ARGS, expecting STATUS; its JSON output parsed when JSON. */
static struct jval *krsi(const char *args, int status, bool json,
			 struct run *out)
{
	struct run r = run_krsi(args);
	struct jval *doc = json ? json_parse(r.out) : NULL;

	if (r.status != status || (json && !doc))
		fail_msg("krsi %s: status %d (expected %d):\n%s\n%s", args,
			 r.status, status, r.out, r.err);
	if (out)
		*out = r;
	else
		run_free(&r);
	return doc;
}

/* The attachment of `krsi ls --json` running PROG, or NULL. */
static const struct jval *find(const struct jval *doc, const char *list,
			       const char *prog)
{
	const struct jval *items = json_get(doc, list);
	const struct jval *p;
	size_t i;

	for (i = 0; i < items->n; i++) {
		p = json_get(&items->items[i], "program");
		if (p && p->type == J_STR && !strcmp(p->str, prog))
			return &items->items[i];
	}
	return NULL;
}

struct seen {
	bool found;
	struct krsi_attachment att;
};

static int look(const struct krsi_attachment *att, void *ctx)
{
	struct seen *s = ctx;

	if (strcmp(att->prog_name, "deny_mprotect"))
		return 0;
	s->found = true;
	s->att = *att;
	assert_string_equal(att->hook, "file_mprotect");
	assert_null(att->policy);
	return 0;
}

static void test_program_attached_by_plain_libbpf(void **state)
{
	struct fixture *fx = *state;
	const struct jval *a;
	struct seen s = {};
	struct jval *doc;
	struct run r;

	/* Before 5.13 a link does not say which hook it attaches to. */
	ktest_require_feature(KRSI_FEATURE_LINK_HOOK);
	fx->skel = mprotect_deny_bpf__open();
	assert_non_null(fx->skel);
	fx->skel->rodata->target_tgid = getpid();
	if (mprotect_deny_bpf__load(fx->skel))
		ktest_unavailable(
			"this kernel refuses to load LSM programs; run the test inside krsi-vmtest");
	fx->link = bpf_program__attach(fx->skel->progs.deny_mprotect);
	assert_non_null(fx->link);
	assert_int_equal(ktest_mprotect(), -EPERM);

	assert_int_equal(krsi_list_attachments(look, &s, NULL), 0);
	assert_true(s.found);
	assert_int_equal(s.att.kind, KRSI_ATTACH_LSM);

	doc = krsi("ls --json", 0, true, NULL);
	a = find(doc, "attachments", "deny_mprotect");
	assert_non_null(a);
	assert_string_equal(json_get(a, "hook")->str, "file_mprotect");
	assert_string_equal(json_get(a, "kind")->str, "lsm");
	assert_int_equal(json_get(a, "link_id")->num, s.att.link_id);
	assert_int_equal(json_get(a, "prog_id")->num, s.att.prog_id);
	assert_int_equal(json_get(a, "policy")->type, J_NULL);
	json_free(doc);

	krsi("ls", 0, false, &r);
	assert_non_null(strstr(r.out, "file_mprotect"));
	assert_non_null(strstr(r.out, "deny_mprotect"));
	run_free(&r);

	bpf_link__destroy(fx->link);
	fx->link = NULL;
	assert_int_equal(ktest_mprotect(), 0);
	doc = krsi("ls --json", 0, true, NULL);
	assert_null(find(doc, "attachments", "deny_mprotect"));
	json_free(doc);
}

static void test_krsi_load_ls_unload(void **state)
{
	const struct jval *a, *p;
	struct jval *doc;
	struct run r;
	size_t i;

	(void)state;
	ktest_write_object(policy_deny);
	krsi("load /tmp/policy_deny.bpf.o --policy guard", 0, false, &r);
	assert_non_null(strstr(r.out, "policy guard installed"));
	run_free(&r);
	krsi("load /tmp/policy_deny.bpf.o --policy guard", 1, false, NULL);
	krsi("load /tmp/policy_deny.bpf.o --policy guard --replace", 0, false,
	     NULL);

	doc = krsi("ls --json", 0, true, NULL);
	a = find(doc, "attachments", "deny_listed");
	assert_non_null(a);
	assert_string_equal(json_get(a, "policy")->str, "guard");
	ktest_assert_link_hook(json_get(a, "hook")->str, "file_mprotect");
	p = json_get(doc, "policies");
	assert_int_equal(p->n, 1);
	p = &p->items[0];
	assert_string_equal(json_get(p, "name")->str, "guard");
	assert_int_equal(json_get(p, "generation")->num, 2);
	a = &json_get(p, "programs")->items[0];
	assert_string_equal(json_get(a, "program")->str, "deny_listed");
	for (i = 0; i < json_get(p, "maps")->n; i++) {
		a = &json_get(p, "maps")->items[i];
		if (!strcmp(json_get(a, "name")->str, "denied"))
			break;
	}
	assert_true(i < json_get(p, "maps")->n);
	assert_string_equal(json_get(a, "type")->str, "hash");
	json_free(doc);

	krsi("unload guard", 0, false, NULL);
	krsi("unload guard", 1, false, NULL);
	assert_int_equal(ktest_attached("deny_listed"), 0);
	doc = krsi("ls --json", 0, true, NULL);
	assert_int_equal(json_get(doc, "policies")->n, 0);
	json_free(doc);
}

static void test_krsi_load_on_a_cgroup(void **state)
{
	struct fixture *fx = *state;
	char args[4200];
	const struct jval *a;
	struct jval *doc;
	int go;
	pid_t child;

	ktest_require_feature(KRSI_FEATURE_LSM_CGROUP);
	ktest_cgroup_create(CGROUP, fx->cgroup);
	ktest_write_object(policy_cgroup);
	krsi("load /tmp/policy_cgroup.bpf.o --policy cg", 1, false, NULL);
	snprintf(args, sizeof(args),
		 "load /tmp/policy_cgroup.bpf.o --policy cg --cgroup %s",
		 fx->cgroup);
	krsi(args, 0, false, NULL);

	child = ktest_fork_prober(&go);
	ktest_cgroup_enter(fx->cgroup, child);
	assert_int_equal(ktest_probe(child, go), -EACCES);
	assert_int_equal(ktest_mprotect(), 0);

	doc = krsi("ls --json", 0, true, NULL);
	a = find(doc, "attachments", "deny_in_cgroup");
	assert_non_null(a);
	assert_string_equal(json_get(a, "kind")->str, "lsm_cgroup");
	assert_true(json_get(a, "cgroup_id")->num > 0);
	assert_string_equal(
		json_get(&json_get(doc, "policies")->items[0], "cgroup")->str,
		fx->cgroup);
	json_free(doc);

	krsi("unload cg", 0, false, NULL);
	child = ktest_fork_prober(&go);
	ktest_cgroup_enter(fx->cgroup, child);
	assert_int_equal(ktest_probe(child, go), 0);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		TEST(test_program_attached_by_plain_libbpf),
		TEST(test_krsi_load_ls_unload),
		TEST(test_krsi_load_on_a_cgroup),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* krsi load's refusal: test_install's lsm-off test */
	return cmocka_run_group_tests_name("attachments", lsm_on, NULL,
					   ktest_wait_programs_freed);
}
