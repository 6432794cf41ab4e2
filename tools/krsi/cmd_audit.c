// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi audit: stream an installed policy's audit events until stopped. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "krsi.h"

/* The drop counters of ring NAME are pinned as NAME DROPS_SUFFIX. */
#define DROPS_SUFFIX "_drops"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi audit NAME [--format json|text]\n"
		"\n"
		"Stream the audit events of the installed policy NAME (its directory\n"
		"under " KRSI_POLICY_PIN_ROOT
		") to standard output until SIGINT or SIGTERM,\n"
		"then deliver what its rings still hold and exit.\n"
		"\n"
		"The policy's event rings are its pinned maps that are ring buffers\n"
		"with their drop counters pinned beside them as RING_drops, as\n"
		"KRSI_EVENT_RING(RING, ...) declares them; a ring buffer without them\n"
		"is skipped with a warning. One consumer reads all of them. Events the\n"
		"programs could not reserve are reported in the stream as \"lost\"\n"
		"records naming their ring, where the gap is. A ring buffer has one\n"
		"reader: never run krsi audit on a policy whose agent reads its\n"
		"events, nor two at once on one policy.\n"
		"\n"
		"Options:\n"
		"  --format json  JSON Lines, one object per record (the default)\n"
		"  --format text  Linux-audit-style key=value lines\n"
		"  -h, --help     show this help\n"
		"\n"
		"A summary goes to standard error at the end. Exit status: 0 when\n"
		"stopped by SIGINT or SIGTERM; 1 when the policy is not installed, has\n"
		"no event ring, or its events cannot be read or written; 2 on a usage\n"
		"error.\n");
}

/* The consumer krsi_audit__run() drives, for the signal handler. */
static struct krsi_audit *running;

static void on_signal(int sig)
{
	(void)sig;
	krsi_audit__stop(running);
}

static struct krsi_map *open_pin(const char *dir, const char *name,
				 const char *suffix, bool read_only)
{
	KRSI_OPTS(krsi_map_open_opts, opts, .read_only = read_only);
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s%s", dir, name,
			     suffix) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return krsi_map__open_pinned(path, &opts);
}

/* Add the ring buffer pinned as DIR/NAME and its drop counters, if it is
 * an event ring: 1 when added, 0 when not an event ring, or -errno. */
static int add_ring(struct krsi_audit *audit, const char *dir, const char *name)
{
	KRSI_OPTS(krsi_audit_ring_opts, opts, .name = name);
	struct krsi_map *map = open_pin(dir, name, "", true), *ring, *drops;
	enum bpf_map_type type;
	int err;

	if (!map)
		return -errno;
	type = krsi_map__type(map);
	krsi_map__free(map);
	if (type != BPF_MAP_TYPE_RINGBUF)
		return 0;
	drops = open_pin(dir, name, DROPS_SUFFIX, true);
	if (!drops) {
		if (errno != ENOENT)
			return -errno;
		fprintf(stderr,
			"krsi audit: skipping ring buffer %s: no %s" DROPS_SUFFIX
			" beside it, so it is not an event ring of KRSI_EVENT_RING()\n",
			name, name);
		return 0;
	}
	ring = open_pin(dir, name, "", false);
	err = ring ? krsi_audit__add_ring_fd(audit, krsi_map__fd(ring),
					     krsi_map__fd(drops), &opts)
		   : -errno;
	krsi_map__free(ring);
	krsi_map__free(drops);
	return err ?: 1;
}

/* Add every event ring of the policy in DIR; prints what went wrong. */
static int add_rings(struct krsi_audit *audit, const char *policy,
		     const char *dir)
{
	struct dirent **list;
	int i, n, added = 0, err = 0;

	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "krsi audit: cannot list %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		/* Maps are the files; links/ is a directory. */
		if (err >= 0 && list[i]->d_type == DT_REG) {
			err = add_ring(audit, dir, list[i]->d_name);
			if (err < 0)
				fprintf(stderr,
					"krsi audit: cannot read map %s of policy %s: %s\n",
					list[i]->d_name, policy,
					strerror(-err));
			else
				added += err;
		}
		free(list[i]);
	}
	free(list);
	if (err < 0)
		return 1;
	if (!added) {
		fprintf(stderr,
			"krsi audit: policy %s has no event ring: none of its maps is a ring buffer with its drop counters (KRSI_EVENT_RING())\n",
			policy);
		return 1;
	}
	return 0;
}

static int parse_format(const char *s, enum krsi_audit_format *format)
{
	if (!s || !strcmp(s, "json"))
		*format = KRSI_AUDIT_JSON;
	else if (!strcmp(s, "text"))
		*format = KRSI_AUDIT_TEXT;
	else
		return usage_error(cmd_audit.name,
				   "unknown format \"%s\": use json or text",
				   s);
	return 0;
}

/* Stream until a signal stops the consumer; print the summary. */
static int stream(struct krsi_audit *audit, const char *policy)
{
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	running = audit;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL)) {
		fprintf(stderr, "krsi audit: cannot handle signals: %s\n",
			strerror(errno));
		return 1;
	}
	fprintf(stderr,
		"krsi audit: streaming the events of policy %s; stop with Ctrl-C\n",
		policy);
	err = krsi_audit__run(audit, NULL);
	if (fflush(stdout) && !err)
		err = -errno;
	krsi_audit__stats(audit, &stats);
	fprintf(stderr,
		"krsi audit: %llu events delivered, %llu lost, %llu invalid\n",
		(unsigned long long)stats.delivered,
		(unsigned long long)stats.dropped,
		(unsigned long long)stats.invalid);
	if (err) {
		fprintf(stderr, "krsi audit: stopped on an error: %s\n",
			strerror(-err));
		return 1;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	enum krsi_audit_format format = KRSI_AUDIT_JSON;
	struct krsi_audit *audit;
	struct common_opts o;
	char dir[PATH_MAX];
	int first, err;

	err = parse_opts(&cmd_audit, "f", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands(cmd_audit.name, argc, argv, first, 1, 1,
			     "policy name");
	if (err)
		return err;
	err = parse_format(o.format, &format)
		      ?: policy_dir(&cmd_audit, argv[first], NULL, dir);
	if (err)
		return err;
	KRSI_OPTS(krsi_audit_opts, opts, .format = format);
	audit = krsi_audit__new(&opts);
	if (!audit) {
		fprintf(stderr, "krsi audit: %s\n", strerror(errno));
		return 1;
	}
	err = add_rings(audit, argv[first], dir) ?: stream(audit, argv[first]);
	krsi_audit__free(audit);
	return err;
}

const struct cmd cmd_audit = {
	.name = "audit",
	.summary = "stream a policy's audit events until interrupted",
	.run = run,
	.help = help,
};
