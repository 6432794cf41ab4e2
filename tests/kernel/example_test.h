/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the examples' kernel tests: run an example's loader as its user
 * would (krsi-vmtest copies the loaders into the VM, on PATH; elsewhere
 * they are found in the build tree), read its audit stream as JSON and its
 * messages, change its policy at run time through its --config file and
 * SIGHUP, and stop it.
 */
#ifndef EXAMPLE_TEST_H
#define EXAMPLE_TEST_H

#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <libgen.h>

#include "ktest.h"
#include "json.h"

/* Loading programs in an emulated VM takes seconds; events, less. */
#define EXAMPLE_START_MS 30000
#define EXAMPLE_EVENT_MS 10000

struct example {
	const char *name;
	pid_t pid;
	int out; /* its standard output: the audit stream */
	int err; /* its standard error: messages */
	char msgs[1 << 15];
	size_t msgs_len;
	char stream[1 << 16]; /* the stream not yet read */
	size_t stream_len;
	char config[128];
};

static inline long long example_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Read what the loader wrote, waiting up to MS; false when both are shut. */
static inline bool example_pump(struct example *ex, int ms)
{
	struct pollfd fds[2] = { { ex->out, POLLIN, 0 },
				 { ex->err, POLLIN, 0 } };
	char *bufs[2] = { ex->stream, ex->msgs };
	size_t *lens[2] = { &ex->stream_len, &ex->msgs_len };
	size_t sizes[2] = { sizeof(ex->stream), sizeof(ex->msgs) };
	bool open = false;
	ssize_t n;
	int i;

	if (poll(fds, 2, ms) < 0 && errno != EINTR)
		fail_msg("poll: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		if (fds[i].fd < 0)
			continue;
		open = true;
		if (!(fds[i].revents & (POLLIN | POLLHUP)))
			continue;
		if (*lens[i] + 1 >= sizes[i])
			fail_msg("%s wrote more than %zu bytes unread",
				 ex->name, sizes[i]);
		n = read(fds[i].fd, bufs[i] + *lens[i],
			 sizes[i] - 1 - *lens[i]);
		if (n > 0) {
			*lens[i] += n;
			bufs[i][*lens[i]] = '\0';
		} else {
			close(fds[i].fd);
			*(i ? &ex->err : &ex->out) = -1;
		}
	}
	return open;
}

/* Wait until the messages after byte FROM hold TEXT; NULL if the loader
 * shut its output or MS passed. */
static inline const char *example_wait_msg(struct example *ex, size_t from,
					   const char *text, int ms)
{
	long long end = example_now_ms() + ms;
	const char *found;

	for (;;) {
		found = strstr(ex->msgs + from, text);
		if (found || example_now_ms() > end)
			return found;
		if (!example_pump(ex, 100) && !strstr(ex->msgs + from, text))
			return NULL;
	}
}

static inline void example_write_config(struct example *ex, const char *text)
{
	FILE *f = fopen(ex->config, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		fail_msg("cannot write %s: %s", ex->config, strerror(errno));
}

/* Where the loader NAME is: beside the tests in the build tree, or on PATH
 * (in krsi-vmtest's /work). */
static inline void example_path(const char *name, char *path, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	snprintf(path, size, "%s", name);
	if (n <= 0)
		return;
	self[n] = '\0';
	snprintf(path, size, "%s/../../examples/%s", dirname(self), name);
	if (access(path, X_OK))
		snprintf(path, size, "%s", name);
}

/* Run the loader NAME with ARGS after "--config FILE" holding CONFIG. */
static inline void example_spawn(struct example *ex, const char *name,
				 const char *config, const char *const *args)
{
	const char *argv[32] = { name, "--config", ex->config };
	char path[PATH_MAX];
	int out[2], err[2], i;

	memset(ex, 0, sizeof(*ex));
	ex->name = name;
	snprintf(ex->config, sizeof(ex->config), "/tmp/krsi-%s.conf", name);
	example_write_config(ex, config);
	for (i = 0; args[i]; i++)
		argv[3 + i] = args[i];
	example_path(name, path, sizeof(path));
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	assert_int_equal(pipe2(err, O_CLOEXEC), 0);
	ex->pid = fork();
	assert_true(ex->pid >= 0);
	if (ex->pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		execvp(path, (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	ex->out = out[0];
	ex->err = err[0];
}

/* Read the loader's output until it exits; its wait status. */
static inline int example_wait_exit(struct example *ex)
{
	int status;

	while (example_pump(ex, 1000))
		;
	assert_int_equal(waitpid(ex->pid, &status, 0), ex->pid);
	ex->pid = 0;
	return status;
}

/*
 * Start the loader NAME (see example_spawn()); return once it says it is
 * running. A loader that exits instead fails the test in the VM, and skips
 * it elsewhere, with the loader's messages.
 */
static inline void example_start(struct example *ex, const char *name,
				 const char *config, const char *const *args)
{
	char running[64];
	int status;

	example_spawn(ex, name, config, args);
	snprintf(running, sizeof(running), "%s: running", name);
	if (example_wait_msg(ex, 0, running, EXAMPLE_START_MS))
		return;
	status = example_wait_exit(ex);
	if (ktest_in_vm())
		fail_msg("%s did not start (status %#x):\n%s", name, status,
			 ex->msgs);
	print_message("skipped: %s cannot run here:\n%s", name, ex->msgs);
	skip();
}

/* Check that the loader NAME, given ARGS, exits with 1 saying TEXT. */
static inline void example_start_fails(struct example *ex, const char *name,
				       const char *const *args,
				       const char *text)
{
	int status;

	example_spawn(ex, name, "", args);
	status = example_wait_exit(ex);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 1 ||
	    !strstr(ex->msgs, text))
		fail_msg(
			"%s should have exited with 1 saying \"%s\"; status %#x:\n%s",
			name, text, status, ex->msgs);
}

/*
 * Replace the --config file with CONFIG and send SIGHUP; return once the
 * loader says it reloaded (true) or that it could not (false).
 */
static inline bool example_reload(struct example *ex, const char *config)
{
	size_t from = ex->msgs_len;
	char reloaded[64], failed[64];
	long long end = example_now_ms() + EXAMPLE_START_MS;

	example_write_config(ex, config);
	assert_int_equal(kill(ex->pid, SIGHUP), 0);
	snprintf(reloaded, sizeof(reloaded), "%s: reloaded", ex->name);
	snprintf(failed, sizeof(failed), "%s: reloading", ex->name);
	while (example_now_ms() < end) {
		if (strstr(ex->msgs + from, reloaded))
			return true;
		if (strstr(ex->msgs + from, failed))
			return false;
		if (!example_pump(ex, 100))
			break;
	}
	fail_msg("%s did not answer SIGHUP:\n%s", ex->name, ex->msgs);
	return false;
}

/*
 * The next event of type TYPE from process PID, into J; events of others
 * are passed over. Every line of the stream must be valid JSON.
 */
static inline void example_event(struct example *ex, struct json *j,
				 const char *type, pid_t pid)
{
	long long end = example_now_ms() + EXAMPLE_EVENT_MS;
	const struct json_field *t, *p;
	char *nl;

	for (;;) {
		while ((nl = memchr(ex->stream, '\n', ex->stream_len))) {
			*nl = '\0';
			if (json_parse(ex->stream, j))
				fail_msg("%s wrote a line that is not JSON: %s",
					 ex->name, ex->stream);
			ex->stream_len -= nl + 1 - ex->stream;
			memmove(ex->stream, nl + 1, ex->stream_len + 1);
			t = json_get(j, "type");
			p = json_get(j, "pid");
			if (t && p && !strcmp(t->value, type) &&
			    atoll(p->value) == pid)
				return;
		}
		if (example_now_ms() > end || !example_pump(ex, 100))
			fail_msg(
				"no %s event from process %d in %s's stream; its messages:\n%s",
				type, pid, ex->name, ex->msgs);
	}
}

/* Fail unless J's KEY is the string WANT. */
#define expect_str(j, key, want)                                              \
	do {                                                                  \
		const struct json_field *f_ = json_get(j, key);               \
		if (!f_ || !f_->string || strcmp(f_->value, (want)))          \
			fail_msg("event field %s is %s%s%s, not \"%s\"", key, \
				 f_ && f_->string ? "\"" : "",                \
				 f_ ? f_->value : "missing",                  \
				 f_ && f_->string ? "\"" : "", (want));       \
	} while (0)

/* Fail unless J's KEY is the number WANT. */
#define expect_num(j, key, want)                                        \
	do {                                                            \
		const struct json_field *f_ = json_get(j, key);         \
		if (!f_ || f_->string ||                                \
		    strtoull(f_->value, NULL, 0) !=                     \
			    (unsigned long long)(want))                 \
			fail_msg("event field %s is %s, not %llu", key, \
				 f_ ? f_->value : "missing",            \
				 (unsigned long long)(want));           \
	} while (0)

/* Fail unless J is a decision of the given verdict, mode and errno. */
#define expect_decision(j, verdict, mode, err)     \
	do {                                       \
		expect_str(j, "verdict", verdict); \
		expect_str(j, "mode", mode);       \
		expect_num(j, "errno", err);       \
	} while (0)

/* SIGTERM, then check that the loader stopped cleanly, saying so. */
static inline void example_stop(struct example *ex)
{
	char stopped[64];
	int status;

	assert_int_equal(kill(ex->pid, SIGTERM), 0);
	status = example_wait_exit(ex);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("%s stopped with status %#x:\n%s", ex->name, status,
			 ex->msgs);
	snprintf(stopped, sizeof(stopped), "%s: stopped", ex->name);
	if (!strstr(ex->msgs, stopped))
		fail_msg("%s did not say it stopped:\n%s", ex->name, ex->msgs);
}

/* Teardown: kill a loader a failed test left running. */
static inline void example_kill(struct example *ex)
{
	if (ex->pid > 0) {
		kill(ex->pid, SIGKILL);
		waitpid(ex->pid, NULL, 0);
		ex->pid = 0;
	}
	if (ex->out > 0)
		close(ex->out);
	if (ex->err > 0)
		close(ex->err);
	ex->out = ex->err = -1;
}

/* Test setup and teardown: *state is a struct example. */
static inline int example_setup(void **state)
{
	struct example *ex = calloc(1, sizeof(*ex));

	if (!ex)
		return -1;
	ex->out = ex->err = -1;
	*state = ex;
	return 0;
}

static inline int example_teardown(void **state)
{
	example_kill(*state);
	free(*state);
	return 0;
}

/*
 * Run FN(ARG) in a child process; return what it returned (0, or an
 * errno), negated. Its pid goes to *PID, to find its events.
 */
static inline int example_in_child(int (*fn)(void *), void *arg, pid_t *pid)
{
	int status;

	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0)
		_exit(fn(arg));
	assert_int_equal(waitpid(*pid, &status, 0), *pid);
	assert_true(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

/*
 * Execute PATH with ARGV in a child: -errno when execve() fails, else the
 * program's exit status. Its pid goes to *PID.
 */
static inline int example_exec(const char *path, char *const argv[], pid_t *pid)
{
	int fds[2], err = 0, status;

	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		execv(path, argv);
		err = errno;
		if (write(fds[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(fds[0]);
	assert_int_equal(waitpid(*pid, &status, 0), *pid);
	if (err)
		return -err;
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Copy the file FROM to TO (mode 0755), then append EXTRA (or nothing). */
static inline void example_copy(const char *from, const char *to,
				const char *extra)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		fail_msg("cannot open %s: %s", from, strerror(errno));
	unlink(to);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0)
		fail_msg("cannot create %s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, n), n);
	if (extra)
		assert_int_equal(write(out, extra, strlen(extra)),
				 (ssize_t)strlen(extra));
	close(in);
	assert_int_equal(close(out), 0);
}

/* This process's command name, as events report it. */
static inline const char *example_comm(void)
{
	static char comm[32];
	FILE *f = fopen("/proc/self/comm", "r");

	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return comm;
}

#endif /* EXAMPLE_TEST_H */
