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
	a->epoll_fd = a->stop_fd = a->batch_fd = -1;
	a->stats.sz = sizeof(a->stats);
	a->batch_ms = KRSI_AUDIT_BATCH_DELAY_MS;
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
	a->batch_fd = epoll_create1(EPOLL_CLOEXEC);
	a->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (a->epoll_fd < 0 || a->batch_fd < 0 || a->stop_fd < 0) {
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

/* Bytes of the records of DELIVERED events of type T. */
static __u64 type_bytes(const struct audit_type *t)
{
	return t->delivered *
	       (sizeof(struct krsi_event_header) + t->payload_size);
}

/* Count DELIVERED events of TYPE in BYTES outside the schemas of the
 * rings read. */
static void count_other(struct krsi_audit *a, __u32 type, __u64 delivered,
			__u64 bytes)
{
	int i;

	a->other.delivered += delivered;
	a->other.bytes += bytes;
	for (i = 0; i < a->nr_other; i++)
		if (a->other_types[i].type == type)
			break;
	if (i == a->nr_other) {
		if (i ==
		    (int)(sizeof(a->other_types) / sizeof(a->other_types[0])))
			return; /* counted in the totals only */
		a->other_types[a->nr_other++].type = type;
	}
	a->other_types[i].delivered += delivered;
	a->other_types[i].bytes += bytes;
}

void krsi_audit__free(struct krsi_audit *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < a->nr_rings; i++)
		ring_free(a->rings[i]);
	free(a->rings);
	audit_policies_free(a);
	if (a->epoll_fd >= 0)
		close(a->epoll_fd);
	if (a->batch_fd >= 0)
		close(a->batch_fd);
	if (a->stop_fd >= 0)
		close(a->stop_fd);
	audit_output_fini(&a->out);
	audit_hooks_free(&a->hooks);
	free(a);
}

/* Read the BTF the ring of INFO's events are declared in, that of the
 * programs writing to it, or else that of its drop counters DINFO. */
static struct btf *ring_btf(const struct bpf_map_info *info,
			    const struct bpf_map_info *dinfo)
{
	__u32 id;
	struct btf *btf;
	int err = audit_writer_btf(info->id, &id);

	if (err) {
		if (err == -ENOENT)
			pr_info("audit: no loaded program writes to ring %s: its event types are those of the BTF of %s\n",
				info->name, dinfo->name);
		else
			pr_warn("audit: cannot find the programs writing to ring %s (%s): its event types are those of the BTF of %s, which may be an older version's\n",
				info->name, strerror(-err), dinfo->name);
		id = dinfo->btf_id;
	}
	if (!id) {
		pr_warn("audit: neither the programs writing to ring %s nor its drop counter map %s have BTF, so the events' types are unknown: pass krsi_audit_ring_opts.btf\n",
			info->name, dinfo->name);
		return krsi_err_ptr(-ENOENT);
	}
	btf = btf__load_from_kernel_by_id(id);
	if (!btf) {
		err = -errno;
		pr_warn("audit: cannot read BTF %u of ring %s: %s\n", id,
			info->name, strerror(-err));
		return krsi_err_ptr(err);
	}
	return btf;
}

int audit_add_ring(struct krsi_audit *a, int ring_fd, int drops_fd,
		   const struct btf *btf, const char *name,
		   struct audit_policy *policy)
{
	struct epoll_event ev = { .events = EPOLLIN },
			   edge = { .events = EPOLLIN | EPOLLET };
	struct bpf_map_info info, dinfo;
	struct audit_ring *r, **rings;
	struct btf *owned = NULL;
	int err, i;

	if (ring_fd < 0 || drops_fd < 0) {
		pr_warn("audit: ring fd %d or drop counter fd %d is not a descriptor\n",
			ring_fd, drops_fd);
		return -EBADF;
	}
	err = audit_map_info(ring_fd, &info, "ring buffer") ?:
		      audit_map_info(drops_fd, &dinfo, "drop counter") ?:
		      audit_ring_check(&info, &dinfo);
	if (err)
		return err;
	if (!name)
		name = info.name;
	if (strlen(name) > AUDIT_NAME_MAX) {
		pr_warn("audit: ring name \"%s\" is longer than %d bytes\n",
			name, AUDIT_NAME_MAX);
		return -EINVAL;
	}
	for (i = 0; i < a->nr_rings; i++) {
		if (a->rings[i]->map_id == info.id) {
			pr_warn("audit: ring %s is already consumed here, as %s\n",
				name, a->rings[i]->name);
			return -EEXIST;
		}
	}
	if (!btf) {
		btf = owned = ring_btf(&info, &dinfo);
		if (!btf)
			return -errno;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		btf__free(owned);
		return -ENOMEM;
	}
	r->audit = a;
	r->policy = policy;
	r->name = strdup(name);
	if (!r->name) {
		free(r);
		btf__free(owned);
		return -ENOMEM;
	}
	err = audit_ring_open(r, ring_fd, &info, drops_fd, btf);
	btf__free(owned);
	if (!err)
		err = audit_ring_lock(r);
	for (i = 0; !err && i < r->schema->nr_types; i++)
		err = audit_output_fit(
			&a->out, AUDIT_HEADER_MAX + r->schema->types[i].bound);
	rings = err ? NULL
		    : realloc(a->rings, (a->nr_rings + 1) * sizeof(*rings));
	if (!err && !rings)
		err = -ENOMEM;
	if (!err && (epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, r->map_fd, &ev) ||
		     epoll_ctl(a->batch_fd, EPOLL_CTL_ADD, r->map_fd, &edge))) {
		err = -errno;
		pr_warn("audit: cannot poll ring buffer %s: %s\n", name,
			strerror(-err));
		epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, r->map_fd, NULL);
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

void audit_remove_ring(struct krsi_audit *a, int i)
{
	struct audit_ring *r = a->rings[i];
	int j;

	/* its events stay counted */
	for (j = 0; j < r->schema->nr_types; j++)
		count_other(a, r->schema->types[j].type,
			    r->schema->types[j].delivered,
			    type_bytes(&r->schema->types[j]));

	epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, r->map_fd, NULL);
	epoll_ctl(a->batch_fd, EPOLL_CTL_DEL, r->map_fd, NULL);
	ring_free(r);
	memmove(&a->rings[i], &a->rings[i + 1],
		(a->nr_rings - i - 1) * sizeof(*a->rings));
	a->nr_rings--;
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
	return krsi_err(audit_add_ring(
		a, bpf_map__fd(map), bpf_map__fd(drops), bpf_object__btf(obj),
		OPTS_GET(opts, name, NULL) ?: ring, NULL));
}

int krsi_audit__add_ring_fd(struct krsi_audit *a, int ring_fd, int drops_fd,
			    const struct krsi_audit_ring_opts *opts)
{
	if (!a || !OPTS_VALID(opts, krsi_audit_ring_opts, btf))
		return krsi_err(-EINVAL);
	return krsi_err(audit_add_ring(a, ring_fd, drops_fd,
				       OPTS_GET(opts, btf, NULL),
				       OPTS_GET(opts, name, NULL), NULL));
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
	/* first, in the stream, what a failed write lost: if the output
	 * still fails, the events stay in the rings */
	err = audit_output_report(&a->out, a->seq + 1,
				  audit_clock_ns(CLOCK_BOOTTIME),
				  a->clock_offset);
	if (err < 0)
		return krsi_err(err);
	a->seq += err;
	n = err;
	/* a replaced or removed policy: its rings drained, then followed or
	 * reported */
	err = audit_policies_check(a, read_drops);
	if (err > 0) {
		n += err;
		err = 0;
	}
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

/* Add FD to the consumer's epoll sets, as a stop descriptor. */
static int watch_stop(struct krsi_audit *a, int fd, const char *what)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = EPOLL_STOP };
	int err;

	if (!epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		if (!epoll_ctl(a->batch_fd, EPOLL_CTL_ADD, fd, &ev))
			return 0;
		err = -errno;
		epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
	} else {
		err = -errno;
	}
	pr_warn("audit: cannot poll %s %d: %s\n", what, fd, strerror(-err));
	return err;
}

static void unwatch_stop(struct krsi_audit *a, int fd)
{
	epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
	epoll_ctl(a->batch_fd, EPOLL_CTL_DEL, fd, NULL);
}

int krsi_audit__set_batch_delay(struct krsi_audit *a, unsigned int ms)
{
	if (!a)
		return krsi_err(-EINVAL);
	if (ms > KRSI_AUDIT_BATCH_DELAY_MAX_MS) {
		pr_warn("audit: a batch delay of %u ms is longer than the %d ms allowed\n",
			ms, KRSI_AUDIT_BATCH_DELAY_MAX_MS);
		return krsi_err(-EINVAL);
	}
	a->batch_ms = ms;
	return 0;
}

/* Whether the N events EV (none if N < 0) include a stop descriptor. */
static bool has_stop(const struct epoll_event *ev, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (ev[i].data.u64 == EPOLL_STOP)
			return true;
	return false;
}

/*
 * Let events gather, once a ring has some, for up to the batch delay:
 * one wakeup per batch rather than one per event. The programs submit with
 * the ring's own notification, which wakes a consumer only for the first
 * record after it caught up, and force one when a ring fills past its
 * threshold (KRSI_EVENT_RING()): the rings are edge-triggered in batch_fd,
 * so only such a wakeup, a stop or the delay ends the wait. Returns
 * whether a stop descriptor became readable.
 */
static bool batch_wait(struct krsi_audit *a)
{
	struct epoll_event ev[8];
	int n;

	/* forget the wakeups already seen: the one that began the batch */
	n = epoll_wait(a->batch_fd, ev, 8, 0);
	if (has_stop(ev, n))
		return true;
	n = epoll_wait(a->batch_fd, ev, 8, a->batch_ms);
	return has_stop(ev, n);
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
			unwatch_stop(a, a->stop_fd);
	}
	if (err)
		return krsi_err(err);
	while (!stop && err >= 0) {
		struct epoll_event ev[8];
		int n;

		n = audit_wait(a, ev, 8, RUN_DROPS_INTERVAL_MS);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			err = n;
			pr_warn("audit: waiting for events failed: %s\n",
				strerror(-err));
			break;
		}
		stop = has_stop(ev, n);
		if (n && !stop && a->batch_ms)
			stop = batch_wait(a);
		/* also on timeout, for drops without events after them; and
		 * when stopping, every drop so far */
		err = consume(a, stop);
	}
	unwatch_stop(a, a->stop_fd);
	if (stop_fd > 0)
		unwatch_stop(a, stop_fd);
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

int krsi_audit__stats(const struct krsi_audit *a, struct krsi_audit_stats *s)
{
	struct krsi_audit_stats sum;
	int i, j;

	if (!a || !s || !sz_ok(s, "stats"))
		return krsi_err(-EINVAL);
	sum = a->stats;
	sum.delivered = a->other.delivered;
	sum.bytes = a->other.bytes;
	for (i = 0; i < a->nr_rings; i++) {
		const struct audit_schema *schema = a->rings[i]->schema;

		for (j = 0; j < schema->nr_types; j++) {
			sum.delivered += schema->types[j].delivered;
			sum.bytes += type_bytes(&schema->types[j]);
		}
	}
	/* those given to the output that it failed to write */
	sum.delivered -= a->out.unwritten.events;
	sum.bytes -= a->out.unwritten.bytes;
	sum.records = a->seq - a->out.unwritten.records;
	sum.unwritten = a->out.unwritten.events;
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
	for (i = 0; i < a->nr_other; i++) {
		if (a->other_types[i].type == type) {
			found = true;
			sum.delivered += a->other_types[i].delivered;
			sum.bytes += a->other_types[i].bytes;
		}
	}
	if (!found)
		return krsi_err(-ENOENT);
	copy_out(s, &sum, sizeof(sum));
	return 0;
}

void audit_count_undeclared(struct krsi_audit *a, __u32 type, __u32 bytes)
{
	count_other(a, type, 1, bytes);
}
