// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi audit on an installed policy (progs/audit_policy.bpf.c, reporting
 * IPv4 connect() calls to one port, and its second version, whose event of
 * the same type number has other fields): events decoded with the types
 * of the version installed, also after krsi load --replace; krsi audit
 * stops when the policy is removed or replaced, or follows it with
 * --follow; an output that fails (/dev/full, a pipe whose reader left) is
 * counted and said, not a silent success nor a death by SIGPIPE; a second
 * krsi audit on the policy is refused, naming the first's pid.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <krsi/krsi.h>

#include "ktest.h"
#include "../tools/run_cmd.h"
#include "progs/audit_policy.h"
#include "audit_policy.skel.h"
#include "audit_policy_v2.skel.h"

#define POLICY "audit-p"
#define V1 "/tmp/audit_policy.bpf.o"
#define V2 "/tmp/audit_policy_v2.bpf.o"
/* Long, for TCG; krsi audit looks at the policy every second when idle. */
#define TIMEOUT_MS 30000

static struct run_bg audit;
static pid_t shell;

static int setup(void **state)
{
	(void)state;
	/* where consumers lock rings: every system has /run, the VM not */
	mkdir("/run", 0755);
	ktest_write_object(audit_policy);
	ktest_write_object(audit_policy_v2);
	return 0;
}

static int teardown(void **state)
{
	struct run r;

	(void)state;
	if (audit.pid) {
		r = run_wait(&audit, SIGKILL);
		run_free(&r);
	}
	if (shell > 0) {
		kill(shell, SIGKILL);
		waitpid(shell, NULL, 0);
		shell = 0;
	}
	krsi_set_print(NULL); /* quiet cleanup */
	krsi_remove_policy(POLICY, NULL);
	return 0;
}

/* krsi ARGS must exit with STATUS. */
static void expect(const char *args, int status)
{
	struct run r = run_krsi(args);

	if (r.status != status)
		fail_msg("krsi %s: status %d (expected %d):\n%s\n%s", args,
			 r.status, status, r.out, r.err);
	run_free(&r);
}

/* Install OBJ as the policy, replacing it if REPLACE. */
static void load(const char *obj, bool replace)
{
	char args[256];
	struct run r;

	snprintf(args, sizeof(args), "load %s --policy " POLICY "%s", obj,
		 replace ? " --replace" : "");
	r = run_krsi(args);
	if (r.status && !ktest_in_vm())
		ktest_unavailable("krsi load fails here: %s", r.err);
	if (r.status)
		fail_msg("krsi %s: status %d: %s", args, r.status, r.err);
	run_free(&r);
}

/* connect() a UDP socket to 127.0.0.1:AUDIT_POLICY_PORT: one event. */
static void report_one(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(AUDIT_POLICY_PORT),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	close(fd);
}

/* Whether the file at PATH holds TEXT (COUNT times) within TIMEOUT_MS. */
static bool file_says(const char *path, const char *text, int count)
{
	int waited, n;
	char *s, *p;

	for (waited = 0;; waited += 10) {
		s = run_slurp(path);
		for (n = 0, p = s; (p = strstr(p, text)); p++)
			n++;
		free(s);
		if (n >= count)
			return true;
		if (waited >= TIMEOUT_MS)
			return false;
		usleep(10000);
	}
}

/* Start krsi audit ARGS in the background; return once it streams. */
static void start_audit(const char *args)
{
	audit = run_krsi_bg(args);
	if (!file_says(audit.err, "streaming the events", 1)) {
		struct run r = run_wait(&audit, SIGKILL);

		fail_msg("krsi %s did not start: %s", args, r.err);
	}
}

/* Wait up to TIMEOUT_MS for PID to exit: its status, or -1. */
static int exit_status(pid_t pid)
{
	int waited, ws;

	for (waited = 0; waited < TIMEOUT_MS; waited += 10) {
		if (waitpid(pid, &ws, WNOHANG) == pid)
			return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
		usleep(10000);
	}
	return -1;
}

/* Stop krsi audit with SIGINT; it must exit 0 having said SUMMARY. */
static struct run stop_audit(const char *summary)
{
	struct run r = run_wait(&audit, SIGINT);

	if (r.status || !strstr(r.err, summary))
		fail_msg(
			"krsi audit: status %d, expected 0 and \"%s\":\n%s\n%s",
			r.status, summary, r.err, r.out);
	return r;
}

/* The JSON lines of each version's event. The address is a number where
 * the kernel drops the field's KRSI_IPV4 marker, a BTF decl tag (before
 * 5.16): krsi audit decodes with the BTF of the programs as loaded. */
#define V1_DATA                                                             \
	(krsi_features__has(ktest_features(), KRSI_FEATURE_BTF_DECL_TAG) == \
			 KRSI_NO                                            \
		 ? "\"data\":{\"daddr\":16777343,\"port\":7359,\"pad\":0}}" \
		 : "\"data\":{\"daddr\":\"127.0.0.1\",\"port\":7359,\"pad\":0}}")
#define V2_DATA "\"data\":{\"dport\":7359,\"family\":2,\"version\":2}}"

/* A new krsi audit after krsi load --replace decodes with the types the
 * installed programs write, not those of the first version's maps. */
static void test_replaced_policy_decoded_with_its_types(void **state)
{
	struct run r;

	(void)state;
	load(V1, false);
	load(V2, true);
	start_audit("audit " POLICY);
	report_one();
	assert_true(run_bg_lines(&audit, 1, TIMEOUT_MS));
	r = stop_audit("1 events delivered, 0 lost");
	if (!strstr(r.out, "{\"type\":\"connect_v2\",") ||
	    !strstr(r.out, V2_DATA))
		fail_msg("not decoded with the second version's types: %s",
			 r.out);
	run_free(&r);
}

/* Unloaded, or unloaded and loaded again: krsi audit says so and exits 1
 * having delivered what the ring held. */
static void test_audit_stops_when_the_policy_goes(void **state)
{
	struct run r;

	(void)state;
	load(V1, false);
	start_audit("audit " POLICY);
	report_one();
	assert_true(run_bg_lines(&audit, 1, TIMEOUT_MS));
	expect("unload " POLICY, 0);
	assert_true(file_says(audit.err, "stopped", 1));
	r = run_wait(&audit, 0);
	if (r.status != 1 || !strstr(r.err, "policy " POLICY " was removed") ||
	    !strstr(r.err, "1 events delivered, 0 lost"))
		fail_msg("krsi audit after unload: status %d:\n%s", r.status,
			 r.err);
	assert_non_null(strstr(r.out, V1_DATA));
	run_free(&r);

	load(V1, false);
	start_audit("audit " POLICY);
	expect("unload " POLICY, 0);
	load(V1, false);
	assert_true(file_says(audit.err, "stopped", 1));
	r = run_wait(&audit, 0);
	if (r.status != 1 || !strstr(r.err, "replaced or removed"))
		fail_msg("krsi audit after unload and load: status %d:\n%s",
			 r.status, r.err);
	run_free(&r);
}

/* --follow: across a replacement, a removal and a new install, each event
 * decoded with its version's types. */
static void test_audit_follows_the_policy(void **state)
{
	struct run r;

	(void)state;
	load(V1, false);
	start_audit("audit " POLICY " --follow");
	report_one();
	assert_true(run_bg_lines(&audit, 1, TIMEOUT_MS));
	load(V2, true);
	assert_true(
		file_says(audit.err, "reading the rings of generation 2", 1));
	report_one();
	assert_true(run_bg_lines(&audit, 2, TIMEOUT_MS));
	expect("unload " POLICY, 0);
	assert_true(file_says(audit.err, "waiting for it to be installed", 1));
	load(V1, false);
	assert_true(
		file_says(audit.err, "reading the rings of generation 1", 1));
	report_one();
	assert_true(run_bg_lines(&audit, 3, TIMEOUT_MS));
	r = stop_audit("3 events delivered, 0 lost");
	{
		char *second = strchr(r.out, '\n') + 1;
		char *third = strchr(second, '\n') + 1;

		if (!strstr(r.out, V1_DATA) || !strstr(second, V2_DATA) ||
		    !strstr(third, V1_DATA) || strstr(third, V2_DATA))
			fail_msg("not each with its version's types:\n%s",
				 r.out);
	}
	run_free(&r);
}

/* Run the shell command CMD (%s: krsi) in the background as `shell`. */
static void shell_bg(const char *fmt)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), fmt, krsi_path());
	shell = fork();
	if (shell == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	assert_true(shell > 0);
}

/* krsi audit >/dev/full: the event read and not written is lost, said so,
 * and krsi audit stops with status 1. */
static void test_full_output_counts_the_event_lost(void **state)
{
	char *err;

	(void)state;
	load(V1, false);
	unlink("/tmp/audit-full.err");
	shell_bg("exec %s audit " POLICY " >/dev/full 2>/tmp/audit-full.err");
	assert_true(
		file_says("/tmp/audit-full.err", "streaming the events", 1));
	report_one();
	assert_int_equal(exit_status(shell), 1);
	shell = 0;
	err = run_slurp("/tmp/audit-full.err");
	if (!strstr(err, "0 events delivered, 1 lost, 0 invalid") ||
	    !strstr(err,
		    "1 of the lost events were read from the rings but could not be written") ||
	    !strstr(err, "No space left on device"))
		fail_msg("krsi audit >/dev/full said:\n%s", err);
	free(err);
}

/* krsi audit | head -n 1: once head is gone, the next event is lost to
 * EPIPE, said in the summary, status 1, not a death by SIGPIPE. */
static void test_closed_pipe_is_an_output_error(void **state)
{
	char *err, *status;
	int i;

	(void)state;
	load(V1, false);
	unlink("/tmp/audit-pipe.err");
	unlink("/tmp/audit-pipe.status");
	shell_bg("{ %s audit " POLICY " 2>/tmp/audit-pipe.err;"
		 " echo $? >/tmp/audit-pipe.status; } | head -n 1 >/dev/null");
	assert_true(
		file_says("/tmp/audit-pipe.err", "streaming the events", 1));
	/* the first for head, which exits; then until krsi finds it gone */
	for (i = 0; i < 100 && access("/tmp/audit-pipe.status", F_OK); i++) {
		report_one();
		usleep(100000);
	}
	assert_int_equal(exit_status(shell), 0);
	shell = 0;
	assert_true(file_says("/tmp/audit-pipe.status", "\n", 1));
	status = run_slurp("/tmp/audit-pipe.status");
	err = run_slurp("/tmp/audit-pipe.err");
	if (strcmp(status, "1\n") || !strstr(err, "events delivered") ||
	    !strstr(err, "could not be written to standard output") ||
	    !strstr(err, "Broken pipe"))
		fail_msg("krsi audit | head: status %s, said:\n%s", status,
			 err);
	free(status);
	free(err);
}

/* A second krsi audit on the policy is refused, naming the first. */
static void test_second_audit_is_refused(void **state)
{
	struct run_bg second;
	struct run r;
	char pid[32];
	int status;

	(void)state;
	load(V1, false);
	start_audit("audit " POLICY);
	second = run_krsi_bg("audit " POLICY);
	status = exit_status(second.pid);
	if (status < 0) /* it reads too: stop it */
		kill(second.pid, SIGKILL);
	r = run_wait(&second, 0);
	snprintf(pid, sizeof(pid), "process %d", (int)audit.pid);
	if (status != 1 || !strstr(r.err, pid))
		fail_msg(
			"second krsi audit: status %d, expected 1 and \"%s\":\n%s",
			status, pid, r.err);
	run_free(&r);
	report_one();
	assert_true(run_bg_lines(&audit, 1, TIMEOUT_MS));
	r = stop_audit("1 events delivered, 0 lost");
	run_free(&r);
}

int main(int argc, char **argv)
{
#define T(name) cmocka_unit_test_teardown(name, teardown)
	const struct CMUnitTest lsm_on[] = {
		T(test_replaced_policy_decoded_with_its_types),
		T(test_audit_stops_when_the_policy_goes),
		T(test_audit_follows_the_policy),
		T(test_full_output_counts_the_event_lost),
		T(test_closed_pipe_is_an_output_error),
		T(test_second_audit_is_refused),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* krsi load's refusal: test_install's lsm-off test */
	return cmocka_run_group_tests_name("krsi audit on a policy", lsm_on,
					   setup, ktest_wait_programs_freed);
}
