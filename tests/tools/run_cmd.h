/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Run the krsi tool from a test, capturing its exit status and output. */
#ifndef RUN_CMD_H
#define RUN_CMD_H

#include <libgen.h>
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

/* Run "krsi ARGS" (shell words); free the result with run_free(). */
static inline struct run run_krsi(const char *args)
{
	char out[] = "/tmp/krsi-out.XXXXXX", err[] = "/tmp/krsi-err.XXXXXX";
	char cmd[8192];
	struct run r;
	int ws;

	close(mkstemp(out));
	close(mkstemp(err));
	snprintf(cmd, sizeof(cmd), "%s %s </dev/null >%s 2>%s", krsi_path(),
		 args, out, err);
	ws = system(cmd);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	r.out = run_slurp(out);
	r.err = run_slurp(err);
	unlink(out);
	unlink(err);
	return r;
}

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#endif /* RUN_CMD_H */
