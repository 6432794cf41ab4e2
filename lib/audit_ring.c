// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Reading one ring buffer: its pages mapped, its records checked, decoded
 * and delivered in order, its drop counters turned into lost records at
 * the place of the gap.
 *
 * The ring buffer protocol is the kernel's (kernel/bpf/ringbuf.c): a
 * consumer page holding consumer_pos, which we write; a producer page
 * holding producer_pos; then the data pages, mapped twice so a record
 * that wraps is contiguous. Each record has an 8-byte header, its length
 * with a busy and a discard bit; records are 8-byte aligned.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "audit_internal.h"

/* Records delivered between stores of consumer_pos within a pass: fewer
 * stores, fewer cache line transfers to the producers. The delivery
 * benchmark builds a consumer with 1, as libbpf does, to measure it. */
#ifndef CONSUMER_POS_BATCH
#define CONSUMER_POS_BATCH 64
#endif

int audit_map_info(int fd, struct bpf_map_info *info, const char *what)
{
	__u32 len = sizeof(*info);

	memset(info, 0, len);
	if (bpf_obj_get_info_by_fd(fd, info, &len)) {
		int err = -errno;

		pr_warn("audit: cannot read the %s map (fd %d): %s\n", what, fd,
			strerror(-err));
		return err == -EINVAL ? -EBADF : err;
	}
	return 0;
}

/*
 * The first 16 bytes of a header, read at once: the fast path compares
 * them as two words with those its type expects.
 */
union head {
	struct {
		__u32 size;
		__u16 version;
		__u16 reserved;
		__u32 type;
		__u32 hook_id;
	};
	__u64 words[2];
};

_Static_assert(offsetof(union head, hook_id) ==
		       offsetof(struct krsi_event_header, hook_id),
	       "union head is the start of struct krsi_event_header");

/* Make T's record one of R's events of T, but for what each event sets;
 * expect HOOK_ID next. */
static void type_record(struct audit_ring *r, struct audit_type *t,
			__u32 hook_id)
{
	union head head = {
		.size = sizeof(struct krsi_event_header) + t->payload_size,
		.version = KRSI_EVENT_VERSION,
		.type = t->type,
		.hook_id = hook_id,
	};

	t->rec.sz = sizeof(t->rec);
	t->rec.kind = KRSI_AUDIT_EVENT;
	t->rec.ring = r->name;
	t->rec.payload_size = t->payload_size;
	t->rec.type_name = t->name;
	t->rec.hook_name = audit_hook_name(&r->audit->hooks, hook_id);
	t->rec.data = NULL;
	t->rec.size = 0;
	memcpy(t->head, head.words, sizeof(t->head));
}

int audit_ring_check(const struct bpf_map_info *info,
		     const struct bpf_map_info *dinfo)
{
	if (info->type != BPF_MAP_TYPE_RINGBUF) {
		pr_warn("audit: map %s is of type %u, not a ring buffer: pass the map declared with KRSI_EVENT_RING()\n",
			info->name, info->type);
		return -EINVAL;
	}
	if (dinfo->type != BPF_MAP_TYPE_PERCPU_ARRAY || dinfo->key_size != 4 ||
	    dinfo->value_size != 8 || dinfo->max_entries < 1) {
		pr_warn("audit: map %s is not a drop counter map (a per-CPU array of one __u64): pass the NAME_drops map KRSI_EVENT_RING() declares\n",
			dinfo->name);
		return -EINVAL;
	}
	return 0;
}

int audit_ring_open(struct audit_ring *r, int ring_fd,
		    const struct bpf_map_info *info, int drops_fd,
		    const struct btf *btf)
{
	long page = sysconf(_SC_PAGESIZE);
	__u32 zero = 0;
	int err, i;

	r->map_fd = r->drops_fd = r->lock_fd = -1;
	r->consumer = r->producer = MAP_FAILED;
	r->map_id = info->id;
	r->data_sz = info->max_entries;
	r->mask = info->max_entries - 1;
	r->nr_cpus = libbpf_num_possible_cpus();
	if (r->nr_cpus < 0)
		return r->nr_cpus;
	r->lost = calloc(r->nr_cpus, sizeof(*r->lost));
	r->drops = calloc(r->nr_cpus, sizeof(*r->drops));
	if (!r->lost || !r->drops)
		return -ENOMEM;
	/* Drops counted before this consumer started are not its to report
	 * (another may have): it reports those after, the counters hold the
	 * totals. */
	if (bpf_map_lookup_elem(drops_fd, &zero, r->lost)) {
		err = -errno;
		pr_warn("audit: cannot read the drop counters of ring %s: %s\n",
			r->name, strerror(-err));
		return err;
	}
	r->map_fd = fcntl(ring_fd, F_DUPFD_CLOEXEC, 0);
	r->drops_fd = fcntl(drops_fd, F_DUPFD_CLOEXEC, 0);
	if (r->map_fd < 0 || r->drops_fd < 0)
		return -errno;
	r->consumer = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED,
			   r->map_fd, 0);
	if (r->consumer == MAP_FAILED)
		goto mmap_failed;
	r->producer = mmap(NULL, page + 2 * r->data_sz, PROT_READ, MAP_SHARED,
			   r->map_fd, page);
	if (r->producer == MAP_FAILED)
		goto mmap_failed;
	r->data = (char *)r->producer + page;
	err = audit_schema_new(btf, &r->schema);
	for (i = 0; !err && i < r->schema->nr_types; i++)
		type_record(r, &r->schema->types[i], 0);
	return err;
mmap_failed:
	err = -errno;
	pr_warn("audit: cannot map ring buffer %s: %s\n", r->name,
		strerror(-err));
	return err;
}

void audit_ring_close(struct audit_ring *r)
{
	long page = sysconf(_SC_PAGESIZE);

	if (r->producer != MAP_FAILED)
		munmap(r->producer, page + 2 * r->data_sz);
	if (r->consumer != MAP_FAILED)
		munmap(r->consumer, page);
	if (r->map_fd >= 0)
		close(r->map_fd);
	if (r->drops_fd >= 0)
		close(r->drops_fd);
	audit_ring_unlock(r);
	free(r->lost);
	free(r->drops);
	audit_schema_free(r->schema);
}

/* Number, count and hand out a record: an event of TYPE (NULL if its type
 * is not declared), a lost or an invalid record. */
static int deliver(struct krsi_audit *a, struct krsi_audit_record *rec,
		   struct audit_type *type)
{
	int err;

	rec->seq = ++a->seq;
	switch (rec->kind) {
	case KRSI_AUDIT_EVENT:
		if (type)
			type->delivered++;
		else
			audit_count_undeclared(a, rec->header->type,
					       rec->header->size);
		break;
	case KRSI_AUDIT_LOST:
		a->stats.dropped +=
			((const struct krsi_event_lost *)rec->payload)->count;
		break;
	case KRSI_AUDIT_INVALID:
		a->stats.invalid++;
		break;
	}
	if (a->out.format != KRSI_AUDIT_CALLBACK)
		return audit_output_record(&a->out, rec, type);
	/* as libbpf's ring_buffer: positive values go on */
	err = a->out.callback(a->out.callback_ctx, rec);
	return err < 0 ? err : 0;
}

/* A record of the consumer's own: a header and a payload, contiguous. */
struct synthetic {
	struct krsi_event_header hdr;
	union {
		struct krsi_event_lost lost;
		struct krsi_event_invalid invalid;
	};
};

/* Make S a record of the consumer's own of KIND (lost or invalid) and REC
 * its description; the caller fills in the payload. */
static void synthetic(struct audit_ring *r, struct synthetic *s,
		      struct krsi_audit_record *rec,
		      enum krsi_audit_record_kind kind, __u32 cpu, __u64 boot)
{
	bool lost = kind == KRSI_AUDIT_LOST;
	size_t payload = lost ? sizeof(s->lost) : sizeof(s->invalid);

	memset(s, 0, sizeof(*s));
	s->hdr.size = sizeof(s->hdr) + payload;
	s->hdr.version = KRSI_EVENT_VERSION;
	s->hdr.type = lost ? KRSI_EVENT_TYPE_LOST : KRSI_EVENT_TYPE_INVALID;
	s->hdr.cpu = cpu;
	s->hdr.timestamp_ns = boot;
	*rec = (struct krsi_audit_record){
		.sz = sizeof(*rec),
		.kind = kind,
		.ring = r->name,
		.time_ns = boot + r->audit->clock_offset,
		.header = &s->hdr,
		.payload = &s->lost,
		.payload_size = payload,
	};
}

static int deliver_lost(struct audit_ring *r, __u32 cpu, __u64 count,
			__u64 boot)
{
	struct krsi_audit_record rec;
	struct synthetic s;

	synthetic(r, &s, &rec, KRSI_AUDIT_LOST, cpu, boot);
	s.lost.count = count;
	r->lost[cpu] += count;
	return deliver(r->audit, &rec, NULL);
}

static int deliver_invalid(struct audit_ring *r, const void *data, __u32 len,
			   enum krsi_event_invalid_reason reason)
{
	const struct krsi_event_header *h = data;
	struct krsi_audit_record rec;
	struct synthetic s;

	synthetic(r, &s, &rec, KRSI_AUDIT_INVALID, 0,
		  audit_clock_ns(CLOCK_BOOTTIME));
	s.invalid.reason = reason;
	s.invalid.size = len;
	if (len >= offsetofend(struct krsi_event_header, version))
		s.invalid.version = h->version;
	if (len >= offsetofend(struct krsi_event_header, type))
		s.invalid.type = h->type;
	rec.data = data;
	rec.size = len;
	return deliver(r->audit, &rec, NULL);
}

int audit_ring_record(struct audit_ring *r, const void *data, __u32 len)
{
	const struct krsi_event_header *h = data;
	struct krsi_audit_record undeclared, *rec = &undeclared;
	struct krsi_audit *a = r->audit;
	struct audit_type *type;
	int err, n = 0;

	if (len < offsetofend(struct krsi_event_header, version) ||
	    (h->version == KRSI_EVENT_VERSION && len < sizeof(*h)))
		return deliver_invalid(r, data, len, KRSI_EVENT_INVALID_SHORT)
			       ?: 1;
	if (h->version != KRSI_EVENT_VERSION)
		return deliver_invalid(r, data, len, KRSI_EVENT_INVALID_VERSION)
			       ?: 1;
	if (h->size != len)
		return deliver_invalid(r, data, len, KRSI_EVENT_INVALID_SIZE)
			       ?: 1;
	if (h->cpu >= (__u32)r->nr_cpus)
		return deliver_invalid(r, data, len, KRSI_EVENT_INVALID_CPU)
			       ?: 1;
	type = audit_schema_find(r->schema, h->type);
	if (type && len - sizeof(*h) != type->payload_size)
		return deliver_invalid(r, data, len, KRSI_EVENT_INVALID_PAYLOAD)
			       ?: 1;
	if (h->lost > r->lost[h->cpu]) {
		/* this CPU dropped events since its last: they go here */
		err = deliver_lost(r, h->cpu, h->lost - r->lost[h->cpu],
				   h->timestamp_ns);
		if (err)
			return err;
		n++;
	}
	if (type) {
		rec = &type->rec;
		type_record(r, type, h->hook_id);
	} else {
		*rec = (struct krsi_audit_record){
			.sz = sizeof(*rec),
			.kind = KRSI_AUDIT_EVENT,
			.ring = r->name,
			.payload_size = len - sizeof(*h),
			.hook_name = audit_hook_name(&a->hooks, h->hook_id),
		};
	}
	rec->time_ns = h->timestamp_ns + a->clock_offset;
	rec->header = h;
	rec->payload = h + 1;
	err = deliver(a, rec, type);
	return err ?: n + 1;
}

/* What a consuming pass over a ring reads for every record, read once. */
struct pass {
	struct audit_type *const *small; /* the ring's schema's */
	const __u64 *lost; /* the ring's */
	__u32 nr_cpus;
	__s64 clock_offset;
};

/*
 * Deliver the record of LEN bytes at H: the way of every record in the
 * consuming loop, short for the common case, an event of a declared type
 * (numbered below AUDIT_SMALL_TYPES) with nothing lost before it. Its
 * header's first 16 bytes are compared with those its type expects, its
 * CPU and lost count checked, and only the fields that differ from the
 * type's last event written into its record. Every other record takes
 * audit_ring_record(). The header is read before the length is checked:
 * the ring's data pages are mapped twice, so that reading stays in the
 * mapping even for a short record at their end. CALLBACK is the output
 * format, constant in each loop that inlines this.
 */
static inline __attribute__((always_inline)) int
ring_event(struct audit_ring *r, const struct pass *p,
	   const struct krsi_event_header *h, __u32 len, bool callback)
{
	struct krsi_audit *a = r->audit;
	struct audit_type *type;
	union head head;
	int err;

	memcpy(&head, h, sizeof(head));
	type = head.type < AUDIT_SMALL_TYPES ? p->small[head.type] : NULL;
	if (!type || head.words[0] != type->head[0] || head.size != len ||
	    h->cpu >= p->nr_cpus || h->lost > p->lost[h->cpu])
		return audit_ring_record(r, h, len);
	if (head.words[1] != type->head[1]) {
		type->head[1] = head.words[1];
		type->rec.hook_name = audit_hook_name(&a->hooks, head.hook_id);
	}
	type->rec.seq = ++a->seq;
	type->rec.time_ns = h->timestamp_ns + p->clock_offset;
	type->rec.header = h;
	type->rec.payload = h + 1;
	type->delivered++;
	if (!callback)
		return audit_output_record(&a->out, &type->rec, type) ?: 1;
	err = a->out.callback(a->out.callback_ctx, &type->rec);
	return err < 0 ? err : 1;
}

/* Report drops no event has reported yet. */
static int ring_drops(struct audit_ring *r)
{
	__u32 zero = 0;
	int cpu, err, n = 0;
	__u64 now = 0;

	if (bpf_map_lookup_elem(r->drops_fd, &zero, r->drops)) {
		err = -errno;
		pr_warn("audit: cannot read the drop counters of ring %s: %s\n",
			r->name, strerror(-err));
		return err;
	}
	for (cpu = 0; cpu < r->nr_cpus; cpu++) {
		if (r->drops[cpu] <= r->lost[cpu])
			continue;
		if (!now)
			now = audit_clock_ns(CLOCK_BOOTTIME);
		err = deliver_lost(r, cpu, r->drops[cpu] - r->lost[cpu], now);
		if (err)
			return err;
		n++;
	}
	return n;
}

/*
 * Deliver what the ring holds, up to an error; returns records or -errno.
 * Inlined twice, for the callback and for the formats, so that neither
 * asks which per record.
 */
static inline __attribute__((always_inline)) int ring_loop(struct audit_ring *r,
							   bool callback)
{
	const struct pass p = {
		.small = r->schema->small,
		.lost = r->lost,
		.nr_cpus = r->nr_cpus,
		.clock_offset = r->audit->clock_offset,
	};
	unsigned long *consumer_pos = r->consumer;
	unsigned long *producer_pos = r->producer;
	const char *data = r->data;
	size_t mask = r->mask;
	unsigned long cons, prod;
	int n = 0, err = 0, batch = 0;
	bool got;

	cons = __atomic_load_n(consumer_pos, __ATOMIC_RELAXED);
	do {
		got = false;
		prod = __atomic_load_n(producer_pos, __ATOMIC_ACQUIRE);
		while (cons < prod) {
			const __u32 *hdr =
				(const __u32 *)(data + (cons & mask));
			__u32 len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)
				break;
			got = true;
			cons += (BPF_RINGBUF_HDR_SZ +
				 (len & ~BPF_RINGBUF_DISCARD_BIT) + 7) &
				~7UL;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				err = ring_event(r, &p, (const void *)(hdr + 2),
						 len & ~BPF_RINGBUF_DISCARD_BIT,
						 callback);
				if (err < 0)
					break;
				n += err;
				err = 0;
			}
			if (++batch == CONSUMER_POS_BATCH) {
				__atomic_store_n(consumer_pos, cons,
						 __ATOMIC_RELEASE);
				batch = 0;
			}
		}
		__atomic_store_n(consumer_pos, cons, __ATOMIC_RELEASE);
	} while (got && !err);
	return err ?: n;
}

int audit_ring_consume(struct audit_ring *r, bool read_drops)
{
	int n, err;
	__u64 now;

	n = r->audit->out.format == KRSI_AUDIT_CALLBACK ? ring_loop(r, true)
							: ring_loop(r, false);
	if (n < 0)
		return n;
	now = audit_clock_ns(CLOCK_MONOTONIC);
	if (!read_drops && r->drops_read_ns &&
	    now - r->drops_read_ns < AUDIT_CHECK_NS)
		return n;
	r->drops_read_ns = now;
	err = ring_drops(r);
	return err < 0 ? err : n + err;
}
