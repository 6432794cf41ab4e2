/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What the audit consumer's files share privately. Never installed. */
#ifndef KRSI_AUDIT_INTERNAL_H
#define KRSI_AUDIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <krsi/audit.h>

#include "internal.h"

struct btf;

/* --- text buffer and renderers (audit_fmt.c) ------------------------------ */

/*
 * A byte buffer formatted into. Writers check room once per record, for
 * the record's precomputed bound, and then append without checks.
 */
struct audit_buf {
	char *p;
	size_t len;
	size_t cap;
};

static inline void buf_put(struct audit_buf *b, const char *s, size_t n)
{
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Append a string literal. */
#define buf_lit(b, s) buf_put(b, s, sizeof(s) - 1)

static inline void buf_char(struct audit_buf *b, char c)
{
	b->p[b->len++] = c;
}

/* Most bytes each renderer appends. */
#define FMT_U64_MAX 20
#define FMT_S64_MAX 20
#define FMT_IPV4_MAX 15
#define FMT_IPV6_MAX 45
/* A string of N bytes: JSON escapes a byte to at most 6 (\u00XX, or
 * \ufffd for an invalid UTF-8 byte); the quotes add 2. */
#define FMT_STR_MAX(n) (6 * (size_t)(n) + 2)

void fmt_u64(struct audit_buf *b, __u64 v);
void fmt_s64(struct audit_buf *b, __s64 v);
/* Up to MAX bytes of S, stopping at a NUL, as a quoted JSON string. */
void fmt_json_str(struct audit_buf *b, const char *s, size_t max);
/* As the kernel's audit logs an untrusted string: quoted, or in upper-case
 * hex without quotes if it holds '"', a space, a control or non-ASCII
 * byte. */
void fmt_audit_str(struct audit_buf *b, const char *s, size_t max);
void fmt_hex(struct audit_buf *b, const void *data, size_t n);
void fmt_ipv4(struct audit_buf *b, const void *addr);
void fmt_ipv6(struct audit_buf *b, const void *addr);

/* --- payload plans compiled from BTF (audit_schema.c) --------------------- */

enum audit_op_kind {
	OP_UINT, /* unsigned integer, size 1, 2, 4 or 8 */
	OP_SINT, /* signed integer */
	OP_BOOL,
	OP_ENUM, /* by name, else the number */
	OP_STR, /* len bytes up to a NUL */
	OP_IPV4,
	OP_IPV6,
	OP_HEX, /* len bytes */
	OP_LIST, /* count scalars of kind elem, stride size */
	/* in this order: audit_payload() renders them as "{}[]" */
	OP_OBJ_BEGIN,
	OP_OBJ_END,
	OP_ARR_BEGIN,
	OP_ARR_END,
};

struct audit_enum_val {
	__s64 value;
	const char *name;
	size_t len;
};

struct audit_enum {
	int nr;
	bool is_signed;
	size_t bound; /* most bytes a value renders to: a quoted name, or a
		       * number */
	struct audit_enum_val *vals;
};

/*
 * One step of rendering a payload. Keys are precomputed with their
 * separators: jkey is `,"name":` (no comma for a first member, empty in
 * arrays), tkey ` path.name=` (empty where the text format has no key).
 */
struct audit_op {
	__u8 kind;
	__u8 elem; /* OP_LIST: element kind */
	__u8 size; /* scalar bytes */
	__u8 bit_off; /* bitfields: shift of the field in 8 loaded bytes */
	__u8 bit_size; /* bitfields: width; 0 otherwise */
	__u32 off; /* byte offset in the payload */
	__u32 len; /* OP_STR, OP_HEX: bytes; OP_LIST: elements */
	const struct audit_enum *enm;
	const char *jkey;
	const char *tkey;
	__u16 jkey_len;
	__u16 tkey_len;
};

struct audit_type {
	__u32 type;
	const char *name; /* from KRSI_EVENT_TYPE() */
	const char *text_type; /* "KRSI_NAME" */
	size_t payload_size;
	struct audit_op *ops;
	int nr_ops;
	size_t bound; /* most bytes the payload renders to, in any format */
	__u64 delivered; /* each a record of header + payload_size bytes */
	/*
	 * The record handed to the output for each event of this type (a
	 * schema is its ring's), kept from one event to the next so that
	 * only what differs is written; and the header's first two words
	 * its events have, as audit_ring.c's fast path compares them: size,
	 * version and reserved; type and the hook_id rec.hook_name names.
	 */
	struct krsi_audit_record rec;
	__u64 head[2];
};

#define AUDIT_SMALL_TYPES 64

/* The event types one program object declares. */
struct audit_schema {
	struct audit_type *types; /* sorted by type */
	int nr_types;
	struct audit_type *small[AUDIT_SMALL_TYPES]; /* by type, if small */
	struct audit_arena *arena; /* everything above points into it */
};

/* Build the schema of BTF's KRSI_EVENT_TYPE() declarations; NULL BTF gives
 * an empty schema. Returns 0 or a negative errno, having said why. */
int audit_schema_new(const struct btf *btf, struct audit_schema **schema);
void audit_schema_free(struct audit_schema *schema);

static inline struct audit_type *audit_schema_find(struct audit_schema *s,
						   __u32 type)
{
	int lo = 0, hi = s->nr_types;

	if (type < AUDIT_SMALL_TYPES)
		return s->small[type];
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (s->types[mid].type == type)
			return &s->types[mid];
		if (s->types[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* --- hook names (audit_hooks.c) ------------------------------------------- */

#define AUDIT_HOOK_CACHE 256

struct audit_hooks {
	struct btf *vmlinux;
	bool unavailable; /* the kernel's BTF could not be read */
	struct {
		__u32 id;
		const char *name;
	} cache[AUDIT_HOOK_CACHE];
};

/* Look up a hook's name in the kernel's BTF and cache it. */
const char *audit_hook_lookup(struct audit_hooks *hooks, __u32 id);
void audit_hooks_free(struct audit_hooks *hooks);

/* The hook named by a bpf_lsm_<hook> BTF id, or NULL; cached ids inline,
 * as they are read for every event. */
static inline const char *audit_hook_name(struct audit_hooks *hooks, __u32 id)
{
	typeof(hooks->cache[0]) *slot = &hooks->cache[id % AUDIT_HOOK_CACHE];

	if (!id)
		return NULL;
	return slot->id == id ? slot->name : audit_hook_lookup(hooks, id);
}

/* --- record formatters (audit_payload.c, audit_json.c, audit_text.c) ----- */

/* Most bytes a header, a lost or an invalid record renders to, with the
 * names it carries (ring names are at most AUDIT_NAME_MAX bytes). */
#define AUDIT_HEADER_MAX 2048
#define AUDIT_NAME_MAX 64

/* Undeclared event types: their payload is shown in hex, up to this many
 * bytes of it. */
#define AUDIT_HEX_MAX 4096
static inline size_t audit_hex_len(size_t n)
{
	return n < AUDIT_HEX_MAX ? n : AUDIT_HEX_MAX;
}

/* Render the header's numbers (policy, errno, cpu ... cgroup) as JSON
 * members or text " key=value" pairs. */
void audit_header_numbers(struct audit_buf *b,
			  const struct krsi_event_header *h, bool json);
/* Render a payload's fields: JSON members, or text " key=value" pairs. */
void audit_payload(struct audit_buf *b, const struct audit_type *type,
		   const void *payload, bool json);
/* Names of header values; NULL for a value this libkrsi does not know. */
static inline const char *audit_verdict_name(__u8 verdict)
{
	return verdict == KRSI_EVENT_ALLOW  ? "allow"
	       : verdict == KRSI_EVENT_DENY ? "deny"
					    : NULL;
}

static inline const char *audit_mode_name(__u8 mode)
{
	return mode == KRSI_EVENT_MONITOR   ? "monitor"
	       : mode == KRSI_EVENT_ENFORCE ? "enforce"
					    : NULL;
}

const char *audit_invalid_name(__u32 reason);

void audit_json(struct audit_buf *b, const struct krsi_audit_record *rec,
		const struct audit_type *type);
void audit_text(struct audit_buf *b, const struct krsi_audit_record *rec,
		const struct audit_type *type);

/* --- output: format dispatch and sinks (audit_output.c) ------------------- */

/* Records, of which events, and the events' bytes. */
struct audit_count {
	__u64 records;
	__u64 events;
	__u64 bytes;
};

struct audit_output {
	enum krsi_audit_format format;
	enum krsi_audit_sink sink;
	FILE *file;
	int fd;
	int priority;
	krsi_audit_fn callback;
	void *callback_ctx;
	struct audit_buf buf;
	/*
	 * Records taken from the rings that a failed write lost: those
	 * formatted into buf since it was last written out, those lost in
	 * all, and those not yet reported in-stream; and the write's error.
	 */
	struct audit_count pending;
	struct audit_count unwritten;
	struct audit_count unreported;
	int error;
};

/* The CPU of a lost record standing for records the output could not
 * write (its payload is then a struct audit_output_lost). */
#define AUDIT_CPU_OUTPUT 0xffffffffu

struct audit_output_lost {
	struct krsi_event_lost lost; /* events */
	__u64 records; /* records of every kind */
	__s32 error; /* the write's errno */
	__u32 pad;
};

int audit_output_init(struct audit_output *out,
		      const struct krsi_audit_opts *opts);
void audit_output_fini(struct audit_output *out);
/* Make sure the buffer holds at least BOUND bytes more; called when a ring
 * is added, so delivering never allocates. */
int audit_output_fit(struct audit_output *out, size_t bound);
/* Format and write one record (not for the callback format); TYPE is its
 * plan, or NULL. */
int audit_output_record(struct audit_output *out,
			const struct krsi_audit_record *rec,
			const struct audit_type *type);
/* Write out what is buffered; on failure, count it as unwritten. */
int audit_output_flush(struct audit_output *out);
/* Report the records a failed write lost, if any, in a lost record
 * numbered SEQ and stamped BOOT (OFFSET makes it the output's clock),
 * written out at once: 1 if written, 0 if nothing to report, or -errno
 * (and it stays to report). */
int audit_output_report(struct audit_output *out, __u64 seq, __u64 boot,
			__s64 offset);

/* --- ring buffers (audit_ring.c) ------------------------------------------ */

struct audit_policy;

struct audit_ring {
	struct krsi_audit *audit;
	struct audit_policy *policy; /* read for it, or NULL */
	char *name;
	int map_fd;
	int drops_fd;
	int lock_fd; /* its consumer lock (audit_lock.c), or -1 */
	__u32 map_id; /* the kernel's id of the ring buffer map */
	void *consumer; /* the consumer page */
	void *producer; /* the producer page, then the data, mapped twice */
	char *data; /* the data pages */
	size_t mask;
	size_t data_sz;
	struct audit_schema *schema;
	int nr_cpus;
	__u64 *lost; /* per CPU: drops reported so far */
	__u64 *drops; /* per CPU: buffer for reading the counters */
	__u64 drops_read_ns; /* CLOCK_MONOTONIC of their last read */
};

struct bpf_map_info;
/* Read the info of map FD, saying why not (WHAT names the map). */
int audit_map_info(int fd, struct bpf_map_info *info, const char *what);
/* Whether the maps of INFO and DINFO are a ring and its drop counters,
 * saying why not. */
int audit_ring_check(const struct bpf_map_info *info,
		     const struct bpf_map_info *dinfo);
/* Map ring RING_FD of INFO, with its drop counters DROPS_FD, whose
 * current counts are the drops already reported, and its event types
 * declared in BTF (or none if NULL). */
int audit_ring_open(struct audit_ring *ring, int ring_fd,
		    const struct bpf_map_info *info, int drops_fd,
		    const struct btf *btf);
void audit_ring_close(struct audit_ring *ring);
/* Check, decode and deliver one record of LEN bytes at DATA, as the
 * ring's producer wrote it (8-byte aligned); returns the records delivered
 * (a lost record may come first) or -errno: the way of every record the
 * consuming loop's fast path does not take, and the fuzzer's way in. */
int audit_ring_record(struct audit_ring *ring, const void *data, __u32 len);
/* Deliver what the ring holds, then drops found in the counters, read if
 * READ_DROPS or if due; returns records or -errno. */
int audit_ring_consume(struct audit_ring *ring, bool read_drops);

/* --- one consumer per ring (audit_lock.c) -------------------------------- */

/* Take RING's consumer lock, or say who holds it (-EBUSY). Where lock
 * files cannot be made (not root), warns and goes on unlocked. */
int audit_ring_lock(struct audit_ring *ring);
void audit_ring_unlock(struct audit_ring *ring);

/* --- event types of rings given by fd (audit_btf.c) ------------------------ */

/* The id of the BTF of the newest loaded program that writes to map
 * MAP_ID: 0, -ENOENT if none does, or the errno of listing them. */
int audit_writer_btf(__u32 map_id, __u32 *btf_id);

/* --- installed policies (audit_policy.c) ------------------------------------ */

/* Check, at most every AUDIT_CHECK_NS (or NOW), whether the policies read
 * were replaced or removed, and follow them or fail with -ESTALE: returns
 * the records delivered meanwhile or -errno. */
int audit_policies_check(struct krsi_audit *audit, bool now);
void audit_policies_free(struct krsi_audit *audit);

/* Drop counters and installed policies are read this often at most while
 * consuming. */
#define AUDIT_CHECK_NS 10000000ULL

/* --- the consumer (audit.c) ----------------------------------------------- */

struct audit_unknown_type {
	__u32 type;
	__u64 delivered;
	__u64 bytes;
};

struct krsi_audit {
	struct audit_output out;
	enum krsi_audit_clock clock;
	int epoll_fd;
	int stop_fd; /* eventfd written by krsi_audit__stop() */
	/* krsi_audit__run()'s batches: the rings, edge-triggered, and the
	 * stop descriptors; the delay (krsi_audit__set_batch_delay()) */
	int batch_fd;
	unsigned int batch_ms;
	struct audit_ring **rings;
	int nr_rings;
	struct audit_hooks hooks;
	__u64 seq; /* records delivered, of every kind */
	__s64 clock_offset; /* added to boot time stamps, this pass */
	/*
	 * Counters: events of declared types in their audit_type, the
	 * others (and those of rings no longer read) here, per type for a few and in all; drops and invalid
	 * records in stats, whose other members krsi_audit__stats() adds
	 * up.
	 */
	struct krsi_audit_stats stats;
	struct audit_unknown_type other;
	struct audit_unknown_type other_types[16];
	int nr_other;
	struct audit_policy **policies;
	int nr_policies;
	__u64 policies_ns; /* CLOCK_MONOTONIC of their last check */
};

/* Add the ring RING_FD and its drop counters DROPS_FD, named NAME (NULL:
 * the map's), its event types declared in BTF or, if NULL, in that of the
 * programs writing to it; read for POLICY, or NULL. */
int audit_add_ring(struct krsi_audit *audit, int ring_fd, int drops_fd,
		   const struct btf *btf, const char *name,
		   struct audit_policy *policy);
/* Stop reading ring I, releasing it. */
void audit_remove_ring(struct krsi_audit *audit, int i);

/* Count an event of a type no declaration names. */
void audit_count_undeclared(struct krsi_audit *audit, __u32 type, __u32 bytes);

/* CLOCK's time in nanoseconds. */
static inline __u64 audit_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (__u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif /* KRSI_AUDIT_INTERNAL_H */
