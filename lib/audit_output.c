// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Where records go: formatted (JSON, text) or raw into one reusable buffer,
 * written out to a FILE, a file descriptor or syslog; or handed to the
 * application's callback.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "audit_internal.h"

#define BUF_MIN (64 * 1024)

int audit_output_init(struct audit_output *out,
		      const struct krsi_audit_opts *opts)
{
	out->format = OPTS_GET(opts, format, KRSI_AUDIT_JSON);
	out->sink = OPTS_GET(opts, sink, KRSI_AUDIT_FILE);
	out->file = OPTS_GET(opts, file, NULL);
	out->fd = OPTS_GET(opts, fd, -1);
	out->priority = OPTS_GET(opts, syslog_priority, 0);
	out->callback = OPTS_GET(opts, callback, NULL);
	out->callback_ctx = OPTS_GET(opts, callback_ctx, NULL);
	if (!out->priority)
		out->priority = LOG_AUTHPRIV | LOG_INFO;
	if ((unsigned int)out->format > KRSI_AUDIT_CALLBACK) {
		pr_warn("audit: unknown format %d\n", out->format);
		return -EINVAL;
	}
	if ((unsigned int)out->sink > KRSI_AUDIT_SYSLOG) {
		pr_warn("audit: unknown sink %d\n", out->sink);
		return -EINVAL;
	}
	if (out->format == KRSI_AUDIT_CALLBACK && !out->callback) {
		pr_warn("audit: the callback format needs krsi_audit_opts.callback\n");
		return -EINVAL;
	}
	if (out->format != KRSI_AUDIT_CALLBACK && out->sink == KRSI_AUDIT_FD &&
	    out->fd < 0) {
		pr_warn("audit: the fd sink needs krsi_audit_opts.fd, got %d\n",
			out->fd);
		return -EINVAL;
	}
	if (out->format == KRSI_AUDIT_RAW && out->sink == KRSI_AUDIT_SYSLOG) {
		pr_warn("audit: raw records cannot go to syslog: choose JSON or text, or a file or fd sink\n");
		return -EINVAL;
	}
	if (out->format == KRSI_AUDIT_CALLBACK)
		return 0;
	return audit_output_fit(out, BUF_MIN / 2);
}

void audit_output_fini(struct audit_output *out)
{
	free(out->buf.p);
	out->buf.p = NULL;
}

int audit_output_fit(struct audit_output *out, size_t bound)
{
	size_t cap = out->buf.cap;
	char *p;

	if (out->format == KRSI_AUDIT_CALLBACK || cap >= 2 * bound)
		return 0;
	while (cap < 2 * bound)
		cap = cap ? 2 * cap : BUF_MIN;
	p = realloc(out->buf.p, cap);
	if (!p)
		return -ENOMEM;
	out->buf.p = p;
	out->buf.cap = cap;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			/* a non-blocking descriptor: wait until it drains */
			poll(&pfd, 1, -1);
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int err = -errno;

			pr_warn("audit: writing to fd %d failed: %s\n", fd,
				strerror(-err));
			return err;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/* Write N bytes at P to the file or fd sink. */
static int sink_write(struct audit_output *out, const void *p, size_t n)
{
	FILE *f = out->file ? out->file : stdout;
	int err;

	if (out->sink == KRSI_AUDIT_FD)
		return write_all(out->fd, p, n);
	errno = 0;
	if (fwrite(p, 1, n, f) == n)
		return 0;
	err = errno ? -errno : -EIO;
	pr_warn("audit: writing to the output stream failed: %s\n",
		strerror(-err));
	return err;
}

/* Add C to SUM. */
static void count_add(struct audit_count *sum, const struct audit_count *c)
{
	sum->records += c->records;
	sum->events += c->events;
	sum->bytes += c->bytes;
}

/* The records counted in C were taken from the rings but not written: a
 * write failed with ERR. */
static void output_lost(struct audit_output *out, const struct audit_count *c,
			int err)
{
	count_add(&out->unwritten, c);
	count_add(&out->unreported, c);
	out->error = -err;
}

/* Write out the buffer's LEN bytes and flush a FILE: 0 or -errno. */
static int output_write(struct audit_output *out, size_t len)
{
	int err = 0;

	if (len)
		err = sink_write(out, out->buf.p, len);
	if (!err && out->sink == KRSI_AUDIT_FILE &&
	    fflush(out->file ? out->file : stdout)) {
		err = -errno;
		pr_warn("audit: flushing the output stream failed: %s\n",
			strerror(-err));
	}
	return err;
}

int audit_output_flush(struct audit_output *out)
{
	struct audit_count pending = out->pending;
	size_t len = out->buf.len;
	int err;

	if (out->format == KRSI_AUDIT_CALLBACK ||
	    out->sink == KRSI_AUDIT_SYSLOG)
		return 0;
	out->buf.len = 0;
	memset(&out->pending, 0, sizeof(out->pending));
	err = output_write(out, len);
	/* What a FILE or a failed write took in part counts as lost too:
	 * lost records may be overcounted, never hidden. */
	if (err)
		output_lost(out, &pending, err);
	return err;
}

int audit_output_report(struct audit_output *out, __u64 seq, __u64 boot,
			__s64 offset)
{
	struct {
		struct krsi_event_header hdr;
		struct audit_output_lost lost;
	} s = {
		.hdr = { .size = sizeof(s.hdr) + sizeof(s.lost.lost),
			 .version = KRSI_EVENT_VERSION,
			 .type = KRSI_EVENT_TYPE_LOST,
			 .cpu = AUDIT_CPU_OUTPUT,
			 .timestamp_ns = boot },
		.lost = { .lost.count = out->unreported.events,
			  .records = out->unreported.records,
			  .error = out->error },
	};
	struct krsi_audit_record rec = {
		.sz = sizeof(rec),
		.kind = KRSI_AUDIT_LOST,
		.seq = seq,
		.time_ns = boot + offset,
		.header = &s.hdr,
		.payload = &s.lost,
		.payload_size = sizeof(s.lost.lost),
	};
	int err;

	if (!out->unreported.records)
		return 0;
	/* the buffer is empty between passes, and this record is not one
	 * taken from a ring: written at once, outside the counts */
	if (out->format == KRSI_AUDIT_RAW)
		buf_put(&out->buf, (const char *)&s, s.hdr.size);
	else if (out->format == KRSI_AUDIT_JSON)
		audit_json(&out->buf, &rec, NULL);
	else
		audit_text(&out->buf, &rec, NULL);
	err = output_write(out, out->buf.len);
	out->buf.len = 0;
	if (err)
		return err;
	memset(&out->unreported, 0, sizeof(out->unreported));
	return 1;
}

/* Make room for BOUND bytes, writing out what is buffered if need be. */
static int output_room(struct audit_output *out, size_t bound)
{
	if (out->buf.cap - out->buf.len >= bound)
		return 0;
	return audit_output_flush(out);
}

static int output_raw(struct audit_output *out,
		      const struct krsi_audit_record *rec)
{
	size_t n = rec->header->size;
	int err;

	err = output_room(out, n);
	if (err)
		return err;
	if (n > out->buf.cap - out->buf.len) /* larger than the buffer */
		return sink_write(out, rec->header, n);
	buf_put(&out->buf, (const char *)rec->header, n);
	return 0;
}

/* Count REC, formatted into the buffer, or lost with ERR. */
static int output_count(struct audit_output *out,
			const struct krsi_audit_record *rec, int err)
{
	bool event = rec->kind == KRSI_AUDIT_EVENT;
	struct audit_count c = {
		.records = 1,
		.events = event,
		.bytes = event ? rec->header->size : 0,
	};

	if (err)
		output_lost(out, &c, err);
	else if (out->sink != KRSI_AUDIT_SYSLOG)
		count_add(&out->pending, &c);
	return err;
}

int audit_output_record(struct audit_output *out,
			const struct krsi_audit_record *rec,
			const struct audit_type *type)
{
	size_t bound = AUDIT_HEADER_MAX;
	int err;

	if (out->format == KRSI_AUDIT_RAW)
		return output_count(out, rec, output_raw(out, rec));
	if (rec->kind == KRSI_AUDIT_EVENT)
		bound += type ? type->bound
			      : 2 * audit_hex_len(rec->payload_size);
	err = output_room(out, bound);
	if (err)
		return output_count(out, rec, err);
	if (out->format == KRSI_AUDIT_JSON)
		audit_json(&out->buf, rec, type);
	else
		audit_text(&out->buf, rec, type);
	if (out->sink == KRSI_AUDIT_SYSLOG) {
		/* one message per record, without its newline */
		syslog(out->priority, "%.*s", (int)out->buf.len - 1,
		       out->buf.p);
		out->buf.len = 0;
	}
	return output_count(out, rec, 0);
}
