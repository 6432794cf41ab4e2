/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Run the krsi tool from a (cmocka) test, capturing its exit status and
 * output. */
#ifndef RUN_CMD_H
#define RUN_CMD_H

#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
	int status; /* exit status; -1 if killed */
	char *out;
	char *err;
};

static char *run_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, n;
	char *s = malloc(1 << 20);

	while (f && (n = fread(s + len, 1, (1 << 20) - 1 - len, f)) > 0)
		len += n;
	if (f)
		fclose(f);
	s[len] = '\0';
	return s;
}

/* krsi next to this binary (in the VM), or at build/krsi from
 * build/tests/DIR/ (on the host). */
static const char *krsi_path(void)
{
	static char path[4096];
	char self[4096], *dir;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return "krsi";
	self[n] = '\0';
	dir = dirname(self);
	snprintf(path, sizeof(path), "%s/krsi", dir);
	if (access(path, X_OK))
		snprintf(path, sizeof(path), "%s/../../krsi", dir);
	return path;
}

/* krsi running in the background, its output going to files. */
struct run_bg {
	pid_t pid;
	char out[24], err[24];
};

/* Start "krsi ARGS" (shell words); collect it with run_wait(). */
static inline struct run_bg run_krsi_bg(const char *args)
{
	struct run_bg bg = { .out = "/tmp/krsi-out.XXXXXX",
			     .err = "/tmp/krsi-err.XXXXXX" };
	char cmd[8192];

	close(mkstemp(bg.out));
	close(mkstemp(bg.err));
	snprintf(cmd, sizeof(cmd), "exec %s %s </dev/null >%s 2>%s",
		 krsi_path(), args, bg.out, bg.err);
	bg.pid = fork();
	if (bg.pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return bg;
}

/* Whether krsi's standard output holds LINES lines within TIMEOUT_MS. */
static inline bool run_bg_lines(const struct run_bg *bg, int lines,
				int timeout_ms)
{
	char *out, *p;
	int n, waited;

	for (waited = 0;; waited += 10) {
		out = run_slurp(bg->out);
		for (n = 0, p = out; (p = strchr(p, '\n')); p++)
			n++;
		free(out);
		if (n >= lines)
			return true;
		if (waited >= timeout_ms)
			return false;
		usleep(10000);
	}
}

/* Send SIG (unless 0) to krsi, wait for it to exit, and collect its exit
 * status and output; free them with run_free(). */
static inline struct run run_wait(struct run_bg *bg, int sig)
{
	struct run r = { .status = -1 };
	int ws;

	if (sig && bg->pid > 0)
		kill(bg->pid, sig);
	if (bg->pid > 0 && waitpid(bg->pid, &ws, 0) == bg->pid && WIFEXITED(ws))
		r.status = WEXITSTATUS(ws);
	bg->pid = 0;
	r.out = run_slurp(bg->out);
	r.err = run_slurp(bg->err);
	unlink(bg->out);
	unlink(bg->err);
	return r;
}

/* Run "krsi ARGS" (shell words); free the result with run_free(). */
static inline struct run run_krsi(const char *args)
{
	struct run_bg bg = run_krsi_bg(args);

	return run_wait(&bg, 0);
}

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Fail (cmocka) unless "krsi ARGS" is a usage error: exit status 2, one
 * line on standard error naming krsi, nothing on standard output. */
static inline void assert_usage_error(const char *args)
{
	struct run r = run_krsi(args);
	char *nl = strchr(r.err, '\n');

	if (r.status != 2 || !nl || nl[1] || r.out[0] || !strstr(r.err, "krsi"))
		fail_msg("krsi %s: status %d, stdout \"%s\", stderr \"%s\"",
			 args, r.status, r.out, r.err);
	run_free(&r);
}

#endif /* RUN_CMD_H */
