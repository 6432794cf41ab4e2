// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * examples/agent-shield, run as its user would. Another root process (a
 * child of this test: the agent's sibling, not the agent) may not signal
 * it, ptrace it, or open its BPF maps, programs or links by id: each fails
 * with EPERM in enforce mode, and succeeds, reported, in monitor mode.
 * Signal 0 stays allowed, and so do signals from the agent's parent (this
 * test, its supervisor); a cgroup exempted at run time is let through.
 */
#define _GNU_SOURCE
#include <sys/ptrace.h>

#include "example_test.h"

#define ADMIN_CGROUP "krsi-shield-admin"

/* What the agent said it shields. */
struct shielded {
	pid_t agent;
	__u32 map, prog, link; /* one of each */
};

/* Parse "agent-shield: shielding process P: maps M..., programs P...,
 * links L..." */
static void parse_shielded(const struct example *ex, struct shielded *s)
{
	const char *line = strstr(ex->msgs, "shielding process ");

	if (!line ||
	    sscanf(line, "shielding process %d: maps %u", &s->agent, &s->map) !=
		    2 ||
	    !strstr(line, "programs ") ||
	    sscanf(strstr(line, "programs ") + 9, "%u", &s->prog) != 1 ||
	    !strstr(line, "links ") ||
	    sscanf(strstr(line, "links ") + 6, "%u", &s->link) != 1)
		fail_msg("agent-shield did not list what it shields:\n%s",
			 ex->msgs);
	assert_int_equal(s->agent, ex->pid);
}

/* What a stranger tries, each result 0 or -errno. */
struct attempts {
	const struct shielded *s;
	const char *cgroup; /* to enter first, or NULL */
	int exists, signal, ptrace, map, prog, link;
};

static int by_id(int fd)
{
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* In a child: try everything, report through a pipe. */
static int stranger(void *arg)
{
	struct attempts *a = arg;
	const struct shielded *s = a->s;

	if (a->cgroup)
		ktest_cgroup_enter(a->cgroup, getpid());
	a->exists = kill(s->agent, 0) ? -errno : 0;
	a->signal = kill(s->agent, SIGCONT) ? -errno : 0;
	/* Exiting detaches a tracer that succeeded. */
	a->ptrace = ptrace(PTRACE_SEIZE, s->agent, 0, 0) ? -errno : 0;
	a->map = by_id(bpf_map_get_fd_by_id(s->map));
	a->prog = by_id(bpf_prog_get_fd_by_id(s->prog));
	a->link = by_id(bpf_link_get_fd_by_id(s->link));
	return 0;
}

static void try_as_stranger(struct attempts *a, pid_t *pid)
{
	struct attempts *shared = mmap(NULL, sizeof(*a), PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	assert_true(shared != MAP_FAILED);
	*shared = *a;
	assert_int_equal(example_in_child(stranger, shared, pid), 0);
	*a = *shared;
	munmap(shared, sizeof(*a));
}

/* The next events of PID: the attempts, denied in MODE. */
static void expect_denials(struct example *ex, pid_t pid,
			   const struct shielded *s, const char *mode)
{
	static const struct {
		const char *hook, *op;
	} ops[] = {
		{ "task_kill", "SHIELD_SIGNAL" },
		{ "ptrace_access_check", "SHIELD_PTRACE" },
		{ "bpf_map", "SHIELD_BPF_MAP" },
		{ "bpf_prog", "SHIELD_BPF_PROG" },
		{ "bpf", "SHIELD_BPF_LINK" },
	};
	__u32 detail[] = { SIGCONT, 0, s->map, s->prog, s->link };
	struct json j;
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		example_event(ex, &j, "shield", pid);
		expect_str(&j, "hook", ops[i].hook);
		expect_decision(&j, "deny", mode, EPERM);
		expect_str(&j, "data.op", ops[i].op);
		expect_num(&j, "data.agent", s->agent);
		if (detail[i])
			expect_num(&j, "data.detail", detail[i]);
	}
}

static void test_shields_the_agent(void **state)
{
	const char *args[] = { "--mode", "enforce", NULL };
	struct example *ex = *state;
	char admin[4096], config[4200];
	struct shielded s;
	struct attempts a;
	pid_t pid;

	ktest_cgroup_create(ADMIN_CGROUP, admin);
	example_start(ex, "agent-shield", "", args);
	parse_shielded(ex, &s);

	a = (struct attempts){ .s = &s };
	try_as_stranger(&a, &pid);
	assert_int_equal(a.exists, 0); /* signal 0 tests existence only */
	assert_int_equal(a.signal, -EPERM);
	assert_int_equal(a.ptrace, -EPERM);
	assert_int_equal(a.map, -EPERM);
	assert_int_equal(a.prog, -EPERM);
	assert_int_equal(a.link, -EPERM);
	expect_denials(ex, pid, &s, "enforce");

	/* Its parent, the supervisor, may signal it. */
	assert_int_equal(kill(s.agent, SIGCONT), 0);

	/* Monitor mode, at run time: allowed, reported. */
	assert_true(example_reload(ex, "mode monitor\n"));
	a = (struct attempts){ .s = &s };
	try_as_stranger(&a, &pid);
	assert_int_equal(a.signal, 0);
	assert_int_equal(a.ptrace, 0);
	assert_int_equal(a.map, 0);
	assert_int_equal(a.prog, 0);
	assert_int_equal(a.link, 0);
	expect_denials(ex, pid, &s, "monitor");

	/* An administrators' cgroup exempted at run time. */
	snprintf(config, sizeof(config), "mode enforce\nallow-cgroup %s\n",
		 admin);
	assert_true(example_reload(ex, config));
	a = (struct attempts){ .s = &s, .cgroup = admin };
	try_as_stranger(&a, &pid);
	assert_int_equal(a.signal, 0);
	assert_int_equal(a.map, 0);
	a = (struct attempts){ .s = &s };
	try_as_stranger(&a, &pid);
	assert_int_equal(a.signal, -EPERM);

	example_stop(ex);
	rmdir(admin);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shields_the_agent,
						example_setup,
						example_teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* exec-audit's test covers the refusal */
	return cmocka_run_group_tests_name("example agent-shield", tests, NULL,
					   ktest_wait_programs_freed);
}
