// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi audit: stream an installed policy's audit events until stopped. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi audit NAME [--format json|text] [--follow]\n"
		"\n"
		"Stream the audit events of the installed policy NAME (its directory\n"
		"under " KRSI_POLICY_PIN_ROOT
		") to standard output until SIGINT or SIGTERM,\n"
		"then deliver what its rings still hold and exit.\n"
		"\n"
		"The policy's event rings are its pinned maps that are ring buffers\n"
		"with their drop counters pinned beside them as RING_drops, as\n"
		"KRSI_EVENT_RING(RING, ...) declares them; a ring buffer without them\n"
		"is skipped with a warning. One consumer reads all of them, decoding\n"
		"events with the types of the programs installed now. Events the\n"
		"programs could not reserve after krsi audit started are reported in\n"
		"the stream as \"lost\" records naming their ring, where the gap is\n"
		"(krsi policy stats has the totals since install). A ring buffer has\n"
		"one reader: a second krsi audit, or an agent reading the policy's\n"
		"events with libkrsi, is refused, naming the reader's pid.\n"
		"\n"
		"When the policy is replaced, removed or installed again, krsi audit\n"
		"delivers what the rings hold and stops with status 1, or with\n"
		"--follow goes on with the rings of the version installed, waiting\n"
		"for one after a removal.\n"
		"\n"
		"When standard output fails (a full disk, a closed pipe), the events\n"
		"read and not written are counted as lost, and krsi audit stops.\n"
		"\n"
		"Options:\n"
		"  --format json  JSON Lines, one object per record (the default)\n"
		"  --format text  Linux-audit-style key=value lines\n"
		"  --follow       follow the policy across replacements and reinstalls\n"
		"  -h, --help     show this help\n"
		"\n"
		"A summary goes to standard error at the end. Exit status: 0 when\n"
		"stopped by SIGINT or SIGTERM; 1 when the policy is not installed, has\n"
		"no event ring, is read by another consumer, was replaced or removed\n"
		"(without --follow), or its events cannot be read or written; 2 on a\n"
		"usage error.\n");
}

/* The consumer krsi_audit__run() drives, for the signal handler. */
static struct krsi_audit *running;

static void on_signal(int sig)
{
	(void)sig;
	krsi_audit__stop(running);
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
	struct sigaction ign = { .sa_handler = SIG_IGN };
	int err;

	running = audit;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&ign.sa_mask);
	/* a closed pipe is an output error to count, not a death */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGPIPE, &ign, NULL)) {
		fprintf(stderr, "krsi audit: cannot handle signals: %s\n",
			strerror(errno));
		return 1;
	}
	fprintf(stderr,
		"krsi audit: streaming the events of policy %s; stop with Ctrl-C\n",
		policy);
	err = krsi_audit__run(audit, NULL);
	krsi_audit__stats(audit, &stats);
	fprintf(stderr,
		"krsi audit: %llu events delivered, %llu lost, %llu invalid\n",
		(unsigned long long)stats.delivered,
		(unsigned long long)(stats.dropped + stats.unwritten),
		(unsigned long long)stats.invalid);
	if (stats.unwritten)
		fprintf(stderr,
			"krsi audit: %llu of the lost events were read from the rings but could not be written to standard output\n",
			(unsigned long long)stats.unwritten);
	if (err == -ESTALE) {
		fprintf(stderr,
			"krsi audit: stopped: policy %s was replaced or removed (--follow goes on with its new version)\n",
			policy);
		return 1;
	}
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

	err = parse_opts(&cmd_audit, "fF", argc, argv, &o, &first);
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
	KRSI_OPTS(krsi_audit_policy_opts, popts, .follow = o.follow);
	audit = krsi_audit__new(&opts);
	if (!audit) {
		fprintf(stderr, "krsi audit: %s\n", strerror(errno));
		return 1;
	}
	err = krsi_audit__add_policy(audit, argv[first], &popts);
	if (err)
		fprintf(stderr,
			"krsi audit: cannot read the events of policy %s: %s\n",
			argv[first], strerror(-err));
	err = err ? 1 : stream(audit, argv[first]);
	krsi_audit__free(audit);
	return err;
}

const struct cmd cmd_audit = {
	.name = "audit",
	.summary = "stream a policy's audit events until interrupted",
	.run = run,
	.help = help,
};
