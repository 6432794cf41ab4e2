// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * examples/net-guard, run as its user would, against listeners on the VM's
 * loopback: connect() to a blocked IPv4 or IPv6 network (or to a blocked
 * IPv4 address as ::ffff:a.b.c.d) fails with EPERM in enforce mode and
 * succeeds, reported, in monitor mode; other addresses connect; a network
 * blocked at run time is blocked at once. With --cgroup, only the sockets
 * of that cgroup are judged (lsm_cgroup/).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "example_test.h"

#define CGROUP "krsi-net-guard"

struct listeners {
	int fd4, fd6;
	__u16 port4, port6;
};

static int listen_on(int family, __u16 *port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr *a = family == AF_INET ? (void *)&a4 : (void *)&a6;
	socklen_t len = family == AF_INET ? sizeof(a4) : sizeof(a6);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	assert_true(fd >= 0);
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	assert_int_equal(bind(fd, a, len), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, a, &len), 0);
	*port = ntohs(family == AF_INET ? a4.sin_port : a6.sin6_port);
	return fd;
}

/* connect() to ADDR (IPv4 or IPv6 text) on PORT: 0 or -errno. */
static int try_connect(const char *addr, __u16 port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	bool v6 = strchr(addr, ':');
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int err = 0;

	assert_true(fd >= 0);
	assert_int_equal(
		inet_pton(v6 ? AF_INET6 : AF_INET, addr,
			  v6 ? (void *)&a6.sin6_addr : (void *)&a4.sin_addr),
		1);
	if (connect(fd, v6 ? (void *)&a6 : (void *)&a4,
		    v6 ? sizeof(a6) : sizeof(a4)))
		err = -errno;
	close(fd);
	return err;
}

/* The last event expect_blocked() read. */
static struct json last;

/* The next event of PID: a denied connect to ADDR:PORT, in MODE. */
static void expect_blocked(struct example *ex, pid_t pid, const char *type,
			   const char *addr, __u16 port, const char *mode,
			   int rule)
{
	struct json *j = &last;

	example_event(ex, j, type, pid);
	expect_str(j, "hook", "socket_connect");
	expect_decision(j, "deny", mode, EPERM);
	expect_str(j, "data.addr", addr);
	expect_num(j, "data.port", port);
	expect_num(j, "data.rule", rule);
}

static void test_blocks_networks(void **state)
{
	const char *args[] = { "--mode",  "enforce", "--block", "127.0.0.2/32",
			       "--block", "::1/128", NULL };
	struct example *ex = *state;
	struct listeners l;

	l.fd4 = listen_on(AF_INET, &l.port4);
	l.fd6 = listen_on(AF_INET6, &l.port6);
	example_start(ex, "net-guard", "", args);

	assert_int_equal(try_connect("127.0.0.1", l.port4), 0);
	assert_int_equal(try_connect("127.0.0.2", l.port4), -EPERM);
	expect_blocked(ex, getpid(), "connect4", "127.0.0.2", l.port4,
		       "enforce", 1);
	expect_num(&last, "data.family", AF_INET);
	assert_int_equal(try_connect("::1", l.port6), -EPERM);
	expect_blocked(ex, getpid(), "connect6", "::1", l.port6, "enforce", 2);
	/* An IPv4 address reached through an IPv6 socket is still IPv4. */
	assert_int_equal(try_connect("::ffff:127.0.0.2", l.port4), -EPERM);
	expect_blocked(ex, getpid(), "connect4", "127.0.0.2", l.port4,
		       "enforce", 1);
	expect_num(&last, "data.family", AF_INET6);

	/* Monitor mode, at run time: connected, reported. */
	assert_true(example_reload(ex, "mode monitor\n"));
	assert_int_equal(try_connect("127.0.0.2", l.port4), 0);
	expect_blocked(ex, getpid(), "connect4", "127.0.0.2", l.port4,
		       "monitor", 1);

	/* A network blocked at run time; the longest prefix names the rule. */
	assert_true(example_reload(ex, "mode enforce\nblock 127.0.0.0/8\n"));
	assert_int_equal(try_connect("127.0.0.1", l.port4), -EPERM);
	expect_blocked(ex, getpid(), "connect4", "127.0.0.1", l.port4,
		       "enforce", 3);
	assert_int_equal(try_connect("127.0.0.2", l.port4), -EPERM);
	expect_blocked(ex, getpid(), "connect4", "127.0.0.2", l.port4,
		       "enforce", 1);

	example_stop(ex);
	assert_int_equal(try_connect("127.0.0.2", l.port4), 0);
	close(l.fd4);
	close(l.fd6);
}

struct child {
	const char *cgroup;
	__u16 port;
};

static int connect_from_cgroup(void *arg)
{
	struct child *c = arg;

	ktest_cgroup_enter(c->cgroup, getpid());
	return -try_connect("127.0.0.2", c->port);
}

/* --cgroup: the sockets of the cgroup are judged, no others. */
static void test_blocks_one_cgroup(void **state)
{
	struct example *ex = *state;
	char cgroup[4096];
	struct child c = { cgroup, 0 };
	const char *args[] = { "--mode",   "enforce", "--block", "127.0.0.2",
			       "--cgroup", cgroup,    NULL };
	int fd = listen_on(AF_INET, &c.port);
	pid_t pid;

	ktest_cgroup_create(CGROUP, cgroup);
	example_start(ex, "net-guard", "", args);
	if (!strstr(ex->msgs, cgroup))
		fail_msg("net-guard did not name its cgroup:\n%s", ex->msgs);

	assert_int_equal(try_connect("127.0.0.2", c.port), 0);
	assert_int_equal(example_in_child(connect_from_cgroup, &c, &pid),
			 -EPERM);
	expect_blocked(ex, pid, "connect4", "127.0.0.2", c.port, "enforce", 1);

	example_stop(ex);
	close(fd);
	rmdir(cgroup);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_blocks_networks, example_setup, example_teardown),
		cmocka_unit_test_setup_teardown(test_blocks_one_cgroup,
						example_setup,
						example_teardown),
	};

	if (ktest_lsm_off(argc, argv))
		return 0; /* exec-audit's test covers the refusal */
	return cmocka_run_group_tests_name("example net-guard", tests, NULL,
					   ktest_wait_programs_freed);
}
