// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The audit consumer: its rings, its event loop, its counters. */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "audit_internal.h"

/* krsi_audit__run() reads the drop counters at least this often. */
#define RUN_DROPS_INTERVAL_MS 1000

/* epoll data of the stop descriptors, polled during krsi_audit__run()
 * only; rings are numbered from 0. */
#define EPOLL_STOP ((__u64)-1)

struct krsi_audit *krsi_audit__new(const struct krsi_audit_opts *opts)
{
	struct krsi_audit *a;
	int err;

	if (!OPTS_VALID(opts, krsi_audit_opts, clock))
		return krsi_err_ptr(-EINVAL);
	a = calloc(1, sizeof(*a));
	if (!a)
		return krsi_err_ptr(-ENOMEM);
	a->epoll_fd = a->stop_fd = -1;
	a->stats.sz = sizeof(a->stats);
	a->clock = OPTS_GET(opts, clock, KRSI_AUDIT_REALTIME);
	if ((unsigned int)a->clock > KRSI_AUDIT_BOOTTIME) {
		pr_warn("audit: unknown clock %d\n", a->clock);
		err = -EINVAL;
		goto err;
	}
	err = audit_output_init(&a->out, opts);
	if (err)
		goto err;
	a->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	a->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (a->epoll_fd < 0 || a->stop_fd < 0) {
		err = -errno;
		pr_warn("audit: cannot create the consumer's epoll set: %s\n",
			strerror(-err));
		goto err;
	}
	return a;
err:
	krsi_audit__free(a);
	return krsi_err_ptr(err);
}

static void ring_free(struct audit_ring *r)
{
	if (!r)
		return;
	audit_ring_close(r);
	free(r->name);
	free(r);
}

void krsi_audit__free(struct krsi_audit *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < a->nr_rings; i++)
		ring_free(a->rings[i]);
	free(a->rings);
	if (a->epoll_fd >= 0)
		close(a->epoll_fd);
	if (a->stop_fd >= 0)
		close(a->stop_fd);
	audit_output_fini(&a->out);
	audit_hooks_free(&a->hooks);
	free(a);
}

/* Add a ring of ring_fd and drops_fd, its events declared in BTF. */
static int add_ring(struct krsi_audit *a, int ring_fd, int drops_fd,
		    const struct btf *btf, const char *name)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = a->nr_rings };
	struct audit_ring *r, **rings;
	int err, i;

	if (strlen(name) > AUDIT_NAME_MAX) {
		pr_warn("audit: ring name \"%s\" is longer than %d bytes\n",
			name, AUDIT_NAME_MAX);
		return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->audit = a;
	r->name = strdup(name);
	if (!r->name) {
		free(r);
		return -ENOMEM;
	}
	err = audit_ring_open(r, ring_fd, drops_fd, btf);
	for (i = 0; !err && i < a->nr_rings; i++) {
		if (a->rings[i]->map_id == r->map_id) {
			pr_warn("audit: ring %s is already consumed here, as %s\n",
				name, a->rings[i]->name);
			err = -EEXIST;
		}
	}
	for (i = 0; !err && i < r->schema->nr_types; i++)
		err = audit_output_fit(
			&a->out, AUDIT_HEADER_MAX + r->schema->types[i].bound);
	rings = err ? NULL
		    : realloc(a->rings, (a->nr_rings + 1) * sizeof(*rings));
	if (!err && !rings)
		err = -ENOMEM;
	if (!err && epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, r->map_fd, &ev)) {
		err = -errno;
		pr_warn("audit: cannot poll ring buffer %s: %s\n", name,
			strerror(-err));
	}
	if (rings)
		a->rings = rings;
	if (err) {
		ring_free(r);
		return err;
	}
	a->rings[a->nr_rings++] = r;
	return 0;
}

int krsi_audit__add_ring(struct krsi_audit *a, struct bpf_object *obj,
			 const char *ring,
			 const struct krsi_audit_ring_opts *opts)
{
	struct bpf_map *map, *drops;
	char drops_name[256];

	if (!a || !obj || !ring || !OPTS_VALID(opts, krsi_audit_ring_opts, btf))
		return krsi_err(-EINVAL);
	snprintf(drops_name, sizeof(drops_name), "%s_drops", ring);
	map = bpf_object__find_map_by_name(obj, ring);
	drops = bpf_object__find_map_by_name(obj, drops_name);
	if (!map || !drops) {
		pr_warn("audit: object %s has no map %s: declare the ring with KRSI_EVENT_RING(%s, ...)\n",
			bpf_object__name(obj), map ? drops_name : ring, ring);
		return krsi_err(-ENOENT);
	}
	if (bpf_map__fd(map) < 0 || bpf_map__fd(drops) < 0) {
		pr_warn("audit: object %s is not loaded: load it before consuming its events\n",
			bpf_object__name(obj));
		return krsi_err(-EINVAL);
	}
	return krsi_err(add_ring(a, bpf_map__fd(map), bpf_map__fd(drops),
				 bpf_object__btf(obj),
				 OPTS_GET(opts, name, NULL) ?: ring));
}

int krsi_audit__add_ring_fd(struct krsi_audit *a, int ring_fd, int drops_fd,
			    const struct krsi_audit_ring_opts *opts)
{
	const struct btf *btf = OPTS_GET(opts, btf, NULL);
	const char *name = OPTS_GET(opts, name, NULL);
	struct bpf_map_info info, dinfo;
	struct btf *owned = NULL;
	int err;

	if (!a || !OPTS_VALID(opts, krsi_audit_ring_opts, btf))
		return krsi_err(-EINVAL);
	if (ring_fd < 0 || drops_fd < 0) {
		pr_warn("audit: ring fd %d or drop counter fd %d is not a descriptor\n",
			ring_fd, drops_fd);
		return krsi_err(-EBADF);
	}
	err = audit_map_info(ring_fd, &info, "ring buffer");
	if (!err)
		err = audit_map_info(drops_fd, &dinfo, "drop counter");
	if (err)
		return krsi_err(err);
	if (!name)
		name = info.name;
	if (!btf) {
		if (!dinfo.btf_id) {
			pr_warn("audit: drop counter map %s has no BTF, so the events' types are unknown: pass krsi_audit_ring_opts.btf\n",
				dinfo.name);
			return krsi_err(-ENOENT);
		}
		owned = btf__load_from_kernel_by_id(dinfo.btf_id);
		if (!owned) {
			err = -errno;
			pr_warn("audit: cannot read BTF %u of map %s: %s\n",
				dinfo.btf_id, dinfo.name, strerror(-err));
			return krsi_err(err);
		}
		btf = owned;
	}
	err = add_ring(a, ring_fd, drops_fd, btf, name);
	btf__free(owned);
	return krsi_err(err);
}

int krsi_audit__fd(const struct krsi_audit *a)
{
	return a ? a->epoll_fd : krsi_err(-EINVAL);
}

/* Deliver what the rings hold; read the drop counters if due, or if
 * READ_DROPS. */
static int consume(struct krsi_audit *a, bool read_drops)
{
	int i, n = 0, err = 0;

	a->clock_offset = a->clock == KRSI_AUDIT_REALTIME
				  ? audit_clock_ns(CLOCK_REALTIME) -
					    audit_clock_ns(CLOCK_BOOTTIME)
				  : 0;
	for (i = 0; i < a->nr_rings && !err; i++) {
		err = audit_ring_consume(a->rings[i], read_drops);
		if (err > 0) {
			n += err;
			err = 0;
		}
	}
	/* write out what was formatted, even after an error */
	i = audit_output_flush(&a->out);
	return krsi_err(err ?: i ?: n);
}

int krsi_audit__consume(struct krsi_audit *a)
{
	return a ? consume(a, false) : krsi_err(-EINVAL);
}

/* Wait up to TIMEOUT_MS; returns what epoll_wait() returns, events in EV. */
static int audit_wait(struct krsi_audit *a, struct epoll_event *ev, int nr,
		      int timeout_ms)
{
	int n = epoll_wait(a->epoll_fd, ev, nr, timeout_ms);

	return n < 0 ? -errno : n;
}

int krsi_audit__poll(struct krsi_audit *a, int timeout_ms)
{
	struct epoll_event ev[8];
	int n;

	if (!a)
		return krsi_err(-EINVAL);
	n = audit_wait(a, ev, 8, timeout_ms);
	if (n < 0)
		return krsi_err(n);
	return n ? consume(a, false) : 0;
}

/* Add FD to the consumer's epoll set, as a stop descriptor. */
static int watch_stop(struct krsi_audit *a, int fd, const char *what)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = EPOLL_STOP };
	int err;

	if (!epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, fd, &ev))
		return 0;
	err = -errno;
	pr_warn("audit: cannot poll %s %d: %s\n", what, fd, strerror(-err));
	return err;
}

int krsi_audit__run(struct krsi_audit *a,
		    const struct krsi_audit_run_opts *opts)
{
	int stop_fd = OPTS_GET(opts, stop_fd, 0);
	bool stop = false;
	__u64 drain;
	int err;

	if (!a || !OPTS_VALID(opts, krsi_audit_run_opts, stop_fd))
		return krsi_err(-EINVAL);
	err = watch_stop(a, a->stop_fd, "the stop eventfd");
	if (!err && stop_fd > 0) {
		err = watch_stop(a, stop_fd, "stop_fd");
		if (err)
			epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, a->stop_fd, NULL);
	}
	if (err)
		return krsi_err(err);
	while (!stop && err >= 0) {
		struct epoll_event ev[8];
		int i, n;

		n = audit_wait(a, ev, 8, RUN_DROPS_INTERVAL_MS);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			err = n;
			pr_warn("audit: waiting for events failed: %s\n",
				strerror(-err));
			break;
		}
		for (i = 0; i < n; i++)
			if (ev[i].data.u64 == EPOLL_STOP)
				stop = true;
		/* also on timeout, for drops without events after them; and
		 * when stopping, every drop so far */
		err = consume(a, stop);
	}
	epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, a->stop_fd, NULL);
	if (stop_fd > 0)
		epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, stop_fd, NULL);
	/* rearm: the next run waits for the next stop */
	while (read(a->stop_fd, &drain, sizeof(drain)) > 0)
		;
	return krsi_err(err < 0 ? err : 0);
}

int krsi_audit__stop(struct krsi_audit *a)
{
	__u64 one = 1;
	int saved = errno;

	if (!a)
		return krsi_err(-EINVAL);
	/* eventfd writes are async-signal-safe; a full counter already
	 * means "stop" */
	if (write(a->stop_fd, &one, sizeof(one)) < 0 && errno != EAGAIN) {
		int err = -errno;

		errno = saved;
		return krsi_err(err);
	}
	errno = saved;
	return 0;
}

/* Copy up to the caller's sz of SRC into DST, which has its sz set. */
/* Whether the caller's struct at S, whose first field is its size, is at
 * least that large. */
static bool sz_ok(const void *s, const char *what)
{
	size_t theirs = *(const size_t *)s;

	if (theirs >= sizeof(size_t))
		return true;
	pr_warn("audit: %s->sz is %zu, smaller than the sz field itself: set it to the struct's size\n",
		what, theirs);
	return false;
}

/* Copy what the caller's struct has room for (sz_ok() said it has). */
static void copy_out(void *dst, const void *src, size_t ours)
{
	size_t theirs = *(const size_t *)dst;

	memcpy((char *)dst + sizeof(size_t), (const char *)src + sizeof(size_t),
	       (theirs < ours ? theirs : ours) - sizeof(size_t));
}

/* Bytes of the records of DELIVERED events of type T. */
static __u64 type_bytes(const struct audit_type *t)
{
	return t->delivered *
	       (sizeof(struct krsi_event_header) + t->payload_size);
}

int krsi_audit__stats(const struct krsi_audit *a, struct krsi_audit_stats *s)
{
	struct krsi_audit_stats sum;
	int i, j;

	if (!a || !s || !sz_ok(s, "stats"))
		return krsi_err(-EINVAL);
	sum = a->stats;
	sum.delivered = a->undeclared.delivered;
	sum.bytes = a->undeclared.bytes;
	sum.records = a->seq;
	for (i = 0; i < a->nr_rings; i++) {
		const struct audit_schema *schema = a->rings[i]->schema;

		for (j = 0; j < schema->nr_types; j++) {
			sum.delivered += schema->types[j].delivered;
			sum.bytes += type_bytes(&schema->types[j]);
		}
	}
	copy_out(s, &sum, sizeof(sum));
	return 0;
}

int krsi_audit__type_stats(const struct krsi_audit *a, __u32 type,
			   struct krsi_audit_type_stats *s)
{
	struct krsi_audit_type_stats sum = { .sz = sizeof(sum) };
	bool found = false;
	int i;

	if (!a || !s || !sz_ok(s, "stats"))
		return krsi_err(-EINVAL);
	for (i = 0; i < a->nr_rings; i++) {
		struct audit_type *t =
			audit_schema_find(a->rings[i]->schema, type);

		if (t) {
			found = true;
			sum.delivered += t->delivered;
			sum.bytes += type_bytes(t);
		}
	}
	for (i = 0; i < a->nr_unknown; i++) {
		if (a->unknown[i].type == type) {
			found = true;
			sum.delivered += a->unknown[i].delivered;
			sum.bytes += a->unknown[i].bytes;
		}
	}
	if (!found)
		return krsi_err(-ENOENT);
	copy_out(s, &sum, sizeof(sum));
	return 0;
}

void audit_count_undeclared(struct krsi_audit *a, __u32 type, __u32 bytes)
{
	int i;

	a->undeclared.delivered++;
	a->undeclared.bytes += bytes;
	for (i = 0; i < a->nr_unknown; i++)
		if (a->unknown[i].type == type)
			break;
	if (i == a->nr_unknown) {
		if (i == (int)(sizeof(a->unknown) / sizeof(a->unknown[0])))
			return; /* counted in the totals only */
		a->unknown[a->nr_unknown++].type = type;
	}
	a->unknown[i].delivered++;
	a->unknown[i].bytes += bytes;
}
