// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The krsi tool's policy commands on a real hook: a policy installed with
 * `krsi load` (progs/policy_cli.bpf.c: IPv4 connect() judged against a
 * set, through its mode and counters, each decision reported on an event
 * ring) starts in monitor mode, where a denial is only counted; `krsi
 * policy mode NAME enforce` makes connect() fail with EACCES at once;
 * `krsi policy stats --json` gives the exact counts; `krsi audit`, run in
 * the background meanwhile, prints every decision as the kernel reported
 * it, until SIGINT; `krsi unload` removes the policy.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "../tools/json_check.h"
#include "../tools/run_cmd.h"
#include "progs/policy_cli.h"
#include "policy_cli.skel.h"

#define POLICY "cli"
#define POLICY_DIR KRSI_POLICY_PIN_ROOT "/" POLICY
#define ALLOWED "127.0.0.1"
#define DENIED "127.0.0.66"

static struct run_bg audit;

static int teardown(void **state)
{
	struct run r;

	(void)state;
	if (audit.pid) {
		r = run_wait(&audit, SIGKILL);
		run_free(&r);
	}
	krsi_set_print(NULL); /* quiet cleanup */
	krsi_remove_policy(POLICY, NULL);
	return 0;
}

/* Run krsi ARGS, expecting STATUS, and standard output OUT unless NULL. */
static struct run krsi(const char *args, int status, const char *out)
{
	struct run r = run_krsi(args);

	if (r.status != status || (out && strcmp(r.out, out)))
		fail_msg("krsi %s: status %d (expected %d):\n%s\n%s", args,
			 r.status, status, r.out, r.err);
	return r;
}

static void expect(const char *args, int status, const char *out)
{
	struct run r = krsi(args, status, out);

	run_free(&r);
}

/* connect() a UDP socket to ADDR:CLI_PORT: 0 or -errno. */
static int try_connect(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(CLI_PORT) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err;

	assert_true(fd >= 0);
	assert_int_equal(inet_pton(AF_INET, addr, &sin.sin_addr), 1);
	err = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ? -errno : 0;
	close(fd);
	return err;
}

/* Put DENIED in the installed policy's set, through its pins. */
static void deny_through_pins(void)
{
	struct krsi_map *ctl, *nets;
	struct krsi_gen *gen;
	struct krsi_set *set;

	ctl = krsi_map__open_pinned(POLICY_DIR "/" KRSI_POLICY_CTL_NAME, NULL);
	nets = krsi_map__open_pinned(POLICY_DIR "/denied_nets", NULL);
	assert_non_null(ctl);
	assert_non_null(nets);
	gen = krsi_gen__new(ctl, NULL);
	assert_non_null(gen);
	set = krsi_gen__add_set(gen, nets, KRSI_SET_IPV4);
	assert_non_null(set);
	assert_int_equal(krsi_gen__begin(gen), 0);
	assert_int_equal(krsi_set__add_cidr(set, DENIED, NULL), 0);
	assert_int_equal(krsi_gen__commit(gen), 0);
	krsi_gen__free(gen);
	krsi_map__free(nets);
	krsi_map__free(ctl);
}

static void expect_stats(int decisions, int allowed, int denied, int would_deny)
{
	struct run r = krsi("policy stats " POLICY " --json", 0, NULL);
	struct jval *doc = json_parse(r.out);

	if (!doc)
		fail_msg("not valid JSON: %s", r.out);
	assert_string_equal(json_get(doc, "policy")->str, POLICY);
	assert_int_equal(json_get(doc, "decisions")->num, decisions);
	assert_int_equal(json_get(doc, "allowed")->num, allowed);
	assert_int_equal(json_get(doc, "denied")->num, denied);
	assert_int_equal(json_get(doc, "would_deny")->num, would_deny);
	json_free(doc);
	run_free(&r);
}

/* The decisions made, in order, as krsi audit must report them. */
static const struct decision {
	const char *addr, *verdict, *mode;
	int err;
} decisions[] = {
	{ ALLOWED, "allow", "monitor", 0 },
	{ DENIED, "deny", "monitor", EACCES },
	{ DENIED, "deny", "enforce", EACCES },
	{ ALLOWED, "allow", "enforce", 0 },
};
#define NR_DECISIONS (sizeof(decisions) / sizeof(decisions[0]))

static void expect_events(char *out)
{
	const struct decision *d = decisions;
	bool tags = krsi_features__has(ktest_features(),
				       KRSI_FEATURE_BTF_DECL_TAG) != KRSI_NO;
	const struct jval *data, *daddr;
	char *line, *save;
	struct jval *e;
	size_t n = 0;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++, d++) {
		e = json_parse(line);
		if (!e || n >= NR_DECISIONS)
			fail_msg("record %zu: unexpected: %s", n + 1, line);
		assert_string_equal(json_get(e, "type")->str, "connect");
		assert_string_equal(json_get(e, "hook")->str, "socket_connect");
		assert_int_equal(json_get(e, "pid")->num, getpid());
		assert_string_equal(json_get(e, "verdict")->str, d->verdict);
		assert_string_equal(json_get(e, "mode")->str, d->mode);
		assert_int_equal(json_get(e, "errno")->num, d->err);
		assert_int_equal(json_get(e, "policy")->num, CLI_POLICY_ID);
		data = json_get(e, "data");
		daddr = json_get(data, "daddr");
		/* Without declaration tags in the kernel's copy of the types
		 * (5.10), the KRSI_IPV4 marker is lost: a plain number. */
		if (!tags)
			assert_int_equal(daddr->num, inet_addr(d->addr));
		else
			assert_string_equal(daddr->str, d->addr);
		assert_int_equal(json_get(data, "port")->num, CLI_PORT);
		json_free(e);
	}
	assert_int_equal(n, NR_DECISIONS);
}

static void test_mode_stats_audit_of_an_installed_policy(void **state)
{
	struct run r;

	(void)state;
	ktest_write_object(policy_cli);
	r = run_krsi("load /tmp/policy_cli.bpf.o --policy " POLICY);
	if (r.status && !ktest_in_vm())
		ktest_unavailable("krsi load fails here: %s", r.err);
	if (r.status)
		fail_msg("krsi load: status %d: %s", r.status, r.err);
	run_free(&r);
	deny_through_pins();
	audit = run_krsi_bg("audit " POLICY " --format json");

	/* Monitor: the denial is counted, not enforced. */
	expect("policy mode " POLICY, 0, "monitor\n");
	assert_int_equal(try_connect(ALLOWED), 0);
	assert_int_equal(try_connect(DENIED), 0);
	expect_stats(2, 1, 0, 1);

	/* Enforce, from the next decision on. */
	expect("policy mode " POLICY " enforce", 0,
	       "policy " POLICY ": enforce (was monitor)\n");
	expect("policy mode " POLICY, 0, "enforce\n");
	assert_int_equal(try_connect(DENIED), -EACCES);
	assert_int_equal(try_connect(ALLOWED), 0);
	expect_stats(4, 2, 1, 1);

	/* Every decision was streamed; SIGINT stops krsi audit cleanly. */
	if (!run_bg_lines(&audit, NR_DECISIONS, 10000)) {
		r = run_wait(&audit, SIGKILL);
		fail_msg("krsi audit: too few records:\n%s\n%s", r.err, r.out);
	}
	r = run_wait(&audit, SIGINT);
	if (r.status)
		fail_msg("krsi audit: status %d after SIGINT: %s", r.status,
			 r.err);
	assert_non_null(strstr(r.err, "4 events delivered, 0 lost"));
	expect_events(r.out);
	run_free(&r);

	/* krsi unload returns once the kernel has detached the program. */
	expect("unload " POLICY, 0, NULL);
	assert_int_equal(try_connect(DENIED), 0);
	r = krsi("policy mode " POLICY, 1, "");
	assert_non_null(strstr(r.err, "policy " POLICY " is not installed"));
	run_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		cmocka_unit_test_teardown(
			test_mode_stats_audit_of_an_installed_policy, teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* krsi load's refusal: test_install's lsm-off test */
	return cmocka_run_group_tests_name("krsi policy commands", lsm_on, NULL,
					   ktest_wait_programs_freed);
}
