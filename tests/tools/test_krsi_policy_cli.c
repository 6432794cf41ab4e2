// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * krsi policy mode, krsi policy stats and krsi audit on the host: usage
 * errors exit 2 with one line; on policies made of real maps pinned in a
 * bpffs of the test's own (mounted on /sys/fs/bpf in a private mount
 * namespace, so the host's pins are neither seen nor touched), the mode is
 * read and switched, the counters are summed exactly, and krsi audit
 * streams the events of every ring of the policy (audit_stream.bpf.c's
 * syscall programs write them), not the drops from before it started,
 * until SIGINT or SIGTERM. Their --help: test_krsi.c. On real hooks:
 * tests/kernel/test_krsi_policy_cli.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <krsi/install.h>
#include <krsi/policy_types.h>

#include "json_check.h"
#include "run_cmd.h"
#include "audit_stream.skel.h"
#include "../kernel/progs/audit_stream.h"

/* Whether /sys/fs/bpf is the test's own bpffs. */
static bool private_bpffs;

static int mount_private_bpffs(void **state)
{
	(void)state;
	private_bpffs = !unshare(CLONE_NEWNS) &&
			!mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) &&
			!mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700");
	return 0;
}

static void need_private_bpffs(void)
{
	if (!private_bpffs) {
		print_message(
			"skipped: no bpffs of the test's own (needs root for a mount namespace)\n");
		skip();
	}
}

/* Pin map FD as the policy POLICY's map NAME. */
static void pin(int fd, const char *policy, const char *name)
{
	char path[256];

	assert_true(fd >= 0);
	mkdir(KRSI_POLICY_PIN_ROOT, 0700);
	snprintf(path, sizeof(path), "%s/%s", KRSI_POLICY_PIN_ROOT, policy);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/%s", KRSI_POLICY_PIN_ROOT, policy,
		 name);
	if (bpf_obj_pin(fd, path))
		fail_msg("cannot pin %s: %s", path, strerror(errno));
}

static int new_map(enum bpf_map_type type, const char *name, __u32 key_size,
		   __u32 value_size, __u32 max_entries, __u32 flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);
	int fd = bpf_map_create(type, name, key_size, value_size, max_entries,
				&opts);

	if (fd < 0)
		fail_msg("cannot create map %s: %s", name, strerror(errno));
	return fd;
}

/* Run krsi ARGS: its status must be STATUS and its stderr hold ERR_HAS. */
static struct run krsi(const char *args, int status, const char *err_has)
{
	struct run r = run_krsi(args);

	if (r.status != status || (err_has && !strstr(r.err, err_has)))
		fail_msg(
			"krsi %s: status %d (expected %d), stdout \"%s\", stderr \"%s\"",
			args, r.status, status, r.out, r.err);
	return r;
}

static void expect(const char *args, int status, const char *out,
		   const char *err_has)
{
	struct run r = krsi(args, status, err_has);

	if (out)
		assert_string_equal(r.out, out);
	run_free(&r);
}

static void test_usage_errors(void **state)
{
	static const char *const bad[] = {
		"policy",
		"policy frobnicate",
		"policy mode",
		"policy mode a enforce extra",
		"policy mode a frobnicate",
		"policy mode a/b",
		"policy mode ..",
		"policy mode a --json",
		"policy stats",
		"policy stats a b",
		"policy stats a --format json",
		"audit",
		"audit a b",
		"audit a --format",
		"audit a --format raw",
		"audit a --json",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_usage_error(bad[i]);
}

static void test_missing_policy_or_maps_exit_1(void **state)
{
	(void)state;
	need_private_bpffs();
	expect("policy mode none", 1, "", "policy none is not installed");
	expect("policy stats none --json", 1, "",
	       "policy none is not installed");
	expect("audit none", 1, "", "policy none is not installed");

	/* A policy of one plain map: no mode, no counters, no event ring. */
	pin(new_map(BPF_MAP_TYPE_HASH, "plain", 4, 4, 1, 0), "bare", "plain");
	pin(new_map(BPF_MAP_TYPE_RINGBUF, "other", 0, 0, 4096, 0), "bare",
	    "other");
	expect("policy mode bare", 1, "", "has no krsi_ctl map");
	expect("policy mode bare enforce", 1, "", "has no krsi_ctl map");
	expect("policy stats bare", 1, "", "has no krsi_stats map");
	expect("audit bare", 1, "",
	       "skipping ring buffer other: no other_drops beside it");
	expect("audit bare", 1, "", "policy bare has no event ring");
}

static void test_mode_read_and_switched(void **state)
{
	struct krsi_policy_ctl ctl;
	__u32 zero = 0;
	int fd;

	(void)state;
	need_private_bpffs();
	fd = new_map(BPF_MAP_TYPE_ARRAY, KRSI_POLICY_CTL_NAME, 4, sizeof(ctl),
		     1, BPF_F_MMAPABLE);
	pin(fd, "m", KRSI_POLICY_CTL_NAME);
	expect("policy mode m", 0, "monitor\n", NULL);
	expect("policy mode m enforce", 0, "policy m: enforce (was monitor)\n",
	       NULL);
	assert_int_equal(bpf_map_lookup_elem(fd, &zero, &ctl), 0);
	assert_int_equal(ctl.mode, KRSI_MODE_ENFORCE);
	expect("policy mode m", 0, "enforce\n", NULL);
	expect("policy mode m enforce", 0, "policy m: enforce (was enforce)\n",
	       NULL);
	expect("policy mode m monitor", 0, "policy m: monitor (was enforce)\n",
	       NULL);
	assert_int_equal(bpf_map_lookup_elem(fd, &zero, &ctl), 0);
	assert_int_equal(ctl.mode, KRSI_MODE_MONITOR);
	close(fd);
}

static void test_stats_summed_over_cpus(void **state)
{
	struct krsi_policy_stats *per_cpu;
	const struct jval *v;
	struct jval *doc;
	int fd, ncpus, cpu;
	__u32 zero = 0;
	char text[128];
	struct run r;

	(void)state;
	need_private_bpffs();
	ncpus = libbpf_num_possible_cpus();
	assert_true(ncpus > 0);
	per_cpu = calloc(ncpus, sizeof(*per_cpu));
	/* CPU c: c + 1 allowed, 2 denied and (CPU 0 only) 5 would_deny. */
	for (cpu = 0; cpu < ncpus; cpu++) {
		per_cpu[cpu].allowed = cpu + 1;
		per_cpu[cpu].denied = 2;
		per_cpu[cpu].would_deny = cpu ? 0 : 5;
		per_cpu[cpu].decisions = cpu + 3 + (cpu ? 0 : 5);
	}
	fd = new_map(BPF_MAP_TYPE_PERCPU_ARRAY, KRSI_POLICY_STATS_NAME, 4,
		     sizeof(*per_cpu), 1, 0);
	assert_int_equal(bpf_map_update_elem(fd, &zero, per_cpu, 0), 0);
	pin(fd, "s", KRSI_POLICY_STATS_NAME);
	free(per_cpu);

	r = krsi("policy stats s --json", 0, NULL);
	doc = json_parse(r.out);
	if (!doc)
		fail_msg("not valid JSON: %s", r.out);
	assert_string_equal(json_get(doc, "policy")->str, "s");
	v = json_get(doc, "allowed");
	assert_int_equal(v->num, ncpus * (ncpus + 1) / 2);
	assert_int_equal(json_get(doc, "denied")->num, 2 * ncpus);
	assert_int_equal(json_get(doc, "would_deny")->num, 5);
	assert_int_equal(json_get(doc, "decisions")->num,
			 v->num + 2 * ncpus + 5);
	json_free(doc);
	run_free(&r);

	snprintf(
		text, sizeof(text),
		"decisions   %d\nallowed     %d\ndenied      %d\nwould_deny  5\n",
		ncpus * (ncpus + 1) / 2 + 2 * ncpus + 5,
		ncpus * (ncpus + 1) / 2, 2 * ncpus);
	expect("policy stats s", 0, text, NULL);
	close(fd);
}

/* audit_stream.bpf.c loaded, its rings pinned as the policy "a". */
static struct audit_stream_bpf *audit_policy(void)
{
	struct audit_stream_bpf *skel = audit_stream_bpf__open_and_load();

	if (!skel) {
		print_message("skipped: cannot load audit_stream.bpf.o: %s\n",
			      strerror(errno));
		skip();
	}
	pin(bpf_map__fd(skel->maps.events), "a", "events");
	pin(bpf_map__fd(skel->maps.events_drops), "a", "events_drops");
	pin(bpf_map__fd(skel->maps.small), "a", "small");
	pin(bpf_map__fd(skel->maps.small_drops), "a", "small_drops");
	return skel;
}

/* Run audit_stream.bpf.c's emit(): the events it reserved. */
static __u32 emit(struct audit_stream_bpf *skel, struct emit_args args)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));

	assert_int_equal(
		bpf_prog_test_run_opts(bpf_program__fd(skel->progs.emit), &run),
		0);
	return skel->bss->reserved;
}

/* The records of krsi audit --format json's output, one per line. */
static struct jval **records(char *out, size_t *n)
{
	struct jval **recs = NULL;
	char *line, *save;

	*n = 0;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		recs = realloc(recs, (*n + 1) * sizeof(*recs));
		recs[*n] = json_parse(line);
		if (!recs[*n])
			fail_msg("not a JSON line: %s", line);
		(*n)++;
	}
	return recs;
}

static void test_audit_streams_every_ring(void **state)
{
	const __u32 burst = SMALL_RING_EVENTS + 4;
	struct audit_stream_bpf *skel;
	size_t n, i, tiny = 0, samples = 0;
	struct jval **recs;
	struct run_bg bg;
	struct run r;
	char summary[96];

	(void)state;
	need_private_bpffs();
	skel = audit_policy();
	/* Before krsi runs: the small ring fills, 4 events are lost; krsi
	 * delivers the events, not those drops, not its to report. */
	assert_int_equal(
		emit(skel, (struct emit_args){ .count = burst, .on_small = 1 }),
		SMALL_RING_EVENTS);
	bg = run_krsi_bg("audit a");
	/* While it runs: two denials on the other ring. */
	assert_int_equal(emit(skel, (struct emit_args){ .count = 2,
							.policy = 9,
							.verdict = -EACCES }),
			 2);
	if (!run_bg_lines(&bg, SMALL_RING_EVENTS + 2, 10000)) {
		r = run_wait(&bg, SIGKILL);
		fail_msg("krsi audit a: too few records:\n%s\n%.2000s", r.err,
			 r.out);
	}
	r = run_wait(&bg, SIGINT);
	if (r.status != 0)
		fail_msg("krsi audit a: status %d after SIGINT: %s", r.status,
			 r.err);
	snprintf(summary, sizeof(summary),
		 "%u events delivered, 0 lost, 0 invalid",
		 SMALL_RING_EVENTS + 2);
	assert_non_null(strstr(r.err, summary));

	recs = records(r.out, &n);
	assert_int_equal(n, SMALL_RING_EVENTS + 2);
	for (i = 0; i < n; i++) {
		const char *type = json_get(recs[i], "type")->str;

		if (!strcmp(type, "tiny")) {
			assert_int_equal(
				json_get(json_get(recs[i], "data"), "n")->num,
				tiny++);
		} else {
			assert_string_equal(type, "sample");
			assert_string_equal(json_get(recs[i], "verdict")->str,
					    "deny");
			assert_string_equal(json_get(recs[i], "mode")->str,
					    "enforce");
			assert_int_equal(json_get(recs[i], "errno")->num,
					 EACCES);
			assert_int_equal(json_get(recs[i], "policy")->num, 9);
			assert_int_equal(json_get(recs[i], "pid")->num,
					 getpid());
			samples++;
		}
		json_free(recs[i]);
	}
	free(recs);
	assert_int_equal(tiny, SMALL_RING_EVENTS);
	assert_int_equal(samples, 2);
	run_free(&r);
	audit_stream_bpf__destroy(skel);
}

static void test_audit_text_until_sigterm(void **state)
{
	struct audit_stream_bpf *skel;
	struct run_bg bg;
	struct run r;

	(void)state;
	need_private_bpffs();
	skel = audit_policy();
	assert_int_equal(emit(skel, (struct emit_args){ .count = 1,
							.monitor = 1,
							.verdict = -EPERM }),
			 1);
	bg = run_krsi_bg("audit a --format text");
	if (!run_bg_lines(&bg, 1, 10000)) {
		r = run_wait(&bg, SIGKILL);
		fail_msg("krsi audit a --format text: no record:\n%s\n%s",
			 r.out, r.err);
	}
	r = run_wait(&bg, SIGTERM);
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "type=KRSI_SAMPLE msg=audit(", 27);
	assert_non_null(
		strstr(r.out, " verdict=deny mode=monitor policy=0 errno=1 "));
	assert_non_null(strstr(r.err, "1 events delivered, 0 lost"));
	run_free(&r);
	audit_stream_bpf__destroy(skel);
}

/* Each test starts on an empty pin root. */
static int clean_pins(void **state)
{
	(void)state;
	if (private_bpffs)
		system("rm -rf " KRSI_POLICY_PIN_ROOT);
	return 0;
}

#define T(fn) cmocka_unit_test_setup(fn, clean_pins)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_usage_errors),
		T(test_missing_policy_or_maps_exit_1),
		T(test_mode_read_and_switched),
		T(test_stats_summed_over_cpus),
		T(test_audit_streams_every_ring),
		T(test_audit_text_until_sigterm),
	};

	return cmocka_run_group_tests_name("krsi policy and audit", tests,
					   mount_private_bpffs, NULL);
}
