/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file audit.h
 * @brief Consume audit events: formatted the owner's way, nothing lost
 *        silently.
 *
 * A struct krsi_audit reads the events BPF programs report with
 * `<krsi/event.bpf.h>` from one or more ring buffers and delivers each
 * record in the chosen format (#krsi_audit_format) to the chosen sink
 * (#krsi_audit_sink):
 *
 * - **JSON Lines**: one object per line. Events read
 *   `{"type":"file_open","seq":1,"time":...,"type_id":1,"hook":"file_open",`
 *   `"verdict":"deny","mode":"enforce","policy":7,"errno":13,"cpu":0,`
 *   `"pid":...,"tid":...,"uid":...,"gid":...,"euid":...,"loginuid":...,`
 *   `"cgroup":...,"comm":"cat","data":{...payload...}}`; lost records
 *   `{"type":"lost","seq":...,"time":...,"ring":"events","cpu":1,"count":5}`;
 *   invalid ones `{"type":"invalid",...,"reason":"version",...}`.
 * - **text**: one Linux-audit-style line per record,
 *   `type=KRSI_FILE_OPEN msg=audit(1700000000.123:1): hook=file_open ...`
 *   with strings quoted, or hex-encoded when they hold a space, a quote or
 *   a byte outside printable ASCII, as the kernel's audit does.
 * - **raw**: the records' bytes (struct krsi_event_header and payload).
 * - **callback**: a function receiving each decoded struct krsi_audit_record.
 *
 * The payload is rendered by walking its struct in the program's BTF,
 * found through the program's KRSI_EVENT_TYPE() declarations: integers in
 * decimal, enums by name, `char` arrays as strings (JSON: invalid UTF-8
 * becomes U+FFFD; text: such strings are hex-encoded, exactly), other
 * arrays as lists (text: comma-separated), nested structs as objects
 * (text: dotted keys), bitfields, booleans, and the fields marked
 * #KRSI_PATH, #KRSI_IPV4, #KRSI_IPV6, #KRSI_HEX as paths, addresses and
 * hex. In text, a payload field named like a header key is prefixed
 * `data.`. The walk is compiled once per event type when a ring is added;
 * formatting an event allocates nothing.
 *
 * Nothing is lost silently. Each event carries its CPU's count of events
 * that could not be reserved so far; when that count grows, a `lost`
 * record with the difference is delivered before the event, where the gap
 * is. Drops with no event after them are found in the drop counters,
 * which the consumer reads on its first pass and then at most every 10
 * ms: call krsi_audit__consume() at least every second when idle, as
 * krsi_audit__run() does. A consumer reports the drops counted after its
 * ring was added, each once; those before (which an earlier consumer
 * reported) are in the counters' totals, as `krsi policy stats` shows.
 * Malformed records (too
 * short, a size that disagrees with the record, an unknown
 * #KRSI_EVENT_VERSION, a payload of the wrong size for its type) are
 * delivered as `invalid` records, never decoded. All of it is counted
 * (krsi_audit__stats()).
 *
 * When writing the output fails (a full disk, a closed pipe: EPIPE, as
 * libkrsi leaves SIGPIPE to the application, which should ignore it), the
 * consuming call stops and returns the error. The records it had taken
 * from the rings and not written count as unwritten
 * (krsi_audit_stats::unwritten); the rest stay in the rings. The next
 * consuming call first writes a `lost` record of reason `output` with
 * their number, `{"type":"lost",...,"reason":"output","errno":32,`
 * `"records":3,"count":2}` (count: the events among them; text
 * `reason=output errno=32 records=3 lost=2`; raw: a lost record of CPU
 * 4294967295), and reads the rings only once that is written.
 *
 * A ring buffer has one consumer position, in the ring itself: one
 * consumer reads a ring. Adding a ring takes its consumer lock, an
 * flock(2) on #KRSI_AUDIT_LOCK_DIR`/ring-ID.lock` (ID the map's id),
 * released when the consumer is freed or its process ends; a second
 * consumer, in this process or another, is refused with -EBUSY and told
 * the holder's pid. A process that cannot create lock files there (not
 * root) is warned and reads unlocked. Readers of the ring other than
 * libkrsi's (libbpf's ring_buffer) are not detected.
 *
 * A ring given by its maps is decoded with the BTF of the programs
 * writing to it, the newest loaded one if several (a replacement under
 * way): a replaced policy keeps its maps, created with its first version's
 * BTF. krsi_audit__add_policy() reads an installed policy and watches it:
 * when it is replaced, removed or installed again, the consumer delivers
 * what its rings hold and then stops with -ESTALE, or follows the new
 * version. Until event headers carry the policy generation, events the new
 * version writes before the consumer notices the change (at most 10 ms
 * while events flow, 1 s when idle) are decoded with the old version's
 * types.
 *
 * Wakeups come in batches. A program's krsi_event_submit() wakes the
 * consumer only for the first record after the consumer caught up (the
 * ring buffer's own notification), or when the ring fills past its
 * threshold (a quarter of it by default: KRSI_EVENT_RING() in
 * `<krsi/event.bpf.h>`). Once woken, krsi_audit__run() lets events gather
 * for up to #KRSI_AUDIT_BATCH_DELAY_MS (krsi_audit__set_batch_delay()),
 * cut short by the threshold or a stop, then delivers them all: under
 * load the agent wakes about once per delay instead of once per event,
 * and no event waits longer than the delay (plus the time to deliver those
 * before it).
 *
 * The consumer fits the application's event loop: krsi_audit__fd() is an
 * epoll file descriptor that becomes readable when any ring has data, and
 * krsi_audit__consume() processes what is there without blocking. Or
 * krsi_audit__run() blocks, until krsi_audit__stop() (safe in a signal
 * handler) or a file descriptor of the application's (a signalfd, an
 * eventfd) stops it. libkrsi installs no signal handler.
 *
 * Thread safety: krsi_audit__stop() may be called from any thread or
 * signal handler; every other function on one struct krsi_audit must be
 * serialised by the caller.
 */
#ifndef KRSI_AUDIT_H
#define KRSI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <krsi/common.h>
#include <krsi/event.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;
struct btf;

/** Where consumers lock the rings they read (see krsi_audit__add_ring()). */
#define KRSI_AUDIT_LOCK_DIR "/run/krsi"

/** An audit event consumer: opaque. */
struct krsi_audit;

/** How records are written. */
enum krsi_audit_format {
	KRSI_AUDIT_JSON = 0, /**< JSON Lines (the default). */
	KRSI_AUDIT_TEXT = 1, /**< Linux-audit-style `key=value` lines. */
	KRSI_AUDIT_RAW = 2, /**< The records' bytes. */
	KRSI_AUDIT_CALLBACK = 3, /**< krsi_audit_opts::callback. */
};

/** Where formatted records go (ignored by #KRSI_AUDIT_CALLBACK). */
enum krsi_audit_sink {
	/** krsi_audit_opts::file, or standard output (the default). */
	KRSI_AUDIT_FILE = 0,
	/** krsi_audit_opts::fd, written with write(2). */
	KRSI_AUDIT_FD = 1,
	/** syslog(3), one message per record, not for #KRSI_AUDIT_RAW. */
	KRSI_AUDIT_SYSLOG = 2,
};

/** How event times are rendered. */
enum krsi_audit_clock {
	/** Wall-clock time (CLOCK_REALTIME), converted from the boot-time
	 *  stamp of each event with the clocks' offset at each pass. */
	KRSI_AUDIT_REALTIME = 0,
	/** The event's CLOCK_BOOTTIME stamp as is. */
	KRSI_AUDIT_BOOTTIME = 1,
};

/** What a struct krsi_audit_record stands for. */
enum krsi_audit_record_kind {
	KRSI_AUDIT_EVENT = 0, /**< An event a program reported. */
	KRSI_AUDIT_LOST = 1, /**< Events that could not be reserved. */
	KRSI_AUDIT_INVALID = 2, /**< A malformed record. */
};

/**
 * @brief One record, as given to krsi_audit_opts::callback.
 *
 * Pointers are valid during the callback only.
 */
struct krsi_audit_record {
	/** Size of this struct: newer libraries may append fields. */
	size_t sz;
	/** What the record stands for. */
	enum krsi_audit_record_kind kind;
	/** Position in this consumer's stream, from 1, counting every kind. */
	__u64 seq;
	/** Name of the ring buffer the record came from. */
	const char *ring;
	/** Time, by krsi_audit_opts::clock, in nanoseconds: the event's
	 *  stamp; for #KRSI_AUDIT_LOST and #KRSI_AUDIT_INVALID, the time
	 *  the consumer found them. */
	__u64 time_ns;
	/**
	 * The header: for #KRSI_AUDIT_EVENT as the program wrote it; for
	 * #KRSI_AUDIT_LOST and #KRSI_AUDIT_INVALID, one the consumer made,
	 * of type #KRSI_EVENT_TYPE_LOST or #KRSI_EVENT_TYPE_INVALID, with
	 * the CPU that lost events and the boot time they were found at.
	 * The payload follows it in memory: #KRSI_AUDIT_RAW writes
	 * header->size bytes from here.
	 */
	const struct krsi_event_header *header;
	/** The payload: the program's struct; struct krsi_event_lost; or
	 *  struct krsi_event_invalid. */
	const void *payload;
	/** Bytes of the payload. */
	size_t payload_size;
	/** #KRSI_AUDIT_EVENT: the name given by KRSI_EVENT_TYPE(), or NULL
	 *  for a type the program did not declare. */
	const char *type_name;
	/** #KRSI_AUDIT_EVENT: the hook's name (`file_open`), or NULL. */
	const char *hook_name;
	/** #KRSI_AUDIT_INVALID: the malformed record's bytes. */
	const void *data;
	/** #KRSI_AUDIT_INVALID: their length. */
	size_t size;
};

/**
 * @brief Receives each record when the format is #KRSI_AUDIT_CALLBACK.
 *
 * @param ctx krsi_audit_opts::callback_ctx
 * @param record the record, valid during the call only
 * @return 0 (or any positive value) to go on; a negative errno stops the
 *         consuming call, which returns it (the record counts as
 *         delivered).
 */
typedef int (*krsi_audit_fn)(void *ctx, const struct krsi_audit_record *record);

/** Options of krsi_audit__new(); all zero means JSON Lines on stdout. */
struct krsi_audit_opts {
	/** sizeof(struct krsi_audit_opts); set by KRSI_OPTS(). */
	size_t sz;
	/** The output format. */
	enum krsi_audit_format format;
	/** Where the output goes. */
	enum krsi_audit_sink sink;
	/** #KRSI_AUDIT_FILE: the stream; NULL means stdout. Flushed after
	 *  each pass; never closed. */
	FILE *file;
	/** #KRSI_AUDIT_FD: the file descriptor; never closed. */
	int fd;
	/** #KRSI_AUDIT_SYSLOG: facility and level; 0 means
	 *  LOG_AUTHPRIV | LOG_INFO. */
	int syslog_priority;
	/** #KRSI_AUDIT_CALLBACK: the function. */
	krsi_audit_fn callback;
	/** #KRSI_AUDIT_CALLBACK: its first argument. */
	void *callback_ctx;
	/** How times are rendered. */
	enum krsi_audit_clock clock;
};

/** Options of krsi_audit__add_ring() and krsi_audit__add_ring_fd(). */
struct krsi_audit_ring_opts {
	/** sizeof(struct krsi_audit_ring_opts); set by KRSI_OPTS(). */
	size_t sz;
	/** The ring's name in records; default: the map's name. */
	const char *name;
	/**
	 * krsi_audit__add_ring_fd(): the program's BTF, which declares its
	 * event types. NULL means the BTF of the programs writing to the
	 * ring (see krsi_audit__add_ring_fd()). Ignored by
	 * krsi_audit__add_ring(), which uses the object's.
	 */
	const struct btf *btf;
};

/** Counters of a consumer, filled by krsi_audit__stats(). */
struct krsi_audit_stats {
	/** Set by the caller to sizeof(struct krsi_audit_stats). */
	size_t sz;
	/** Events delivered to the output. */
	__u64 delivered;
	/** Events the programs could not reserve, as counted by the drop
	 *  counters and reported in lost records. */
	__u64 dropped;
	/** Bytes of the delivered events' records (header and payload). */
	__u64 bytes;
	/** Malformed records, delivered as invalid records. */
	__u64 invalid;
	/** Records delivered of every kind: events, lost, invalid. */
	__u64 records;
	/** Events taken from the rings whose records could not be written
	 *  (a write failed): counted here, not in @c delivered, and
	 *  reported in-stream in a lost record of reason `output`. */
	__u64 unwritten;
};

/** Counters of one event type, filled by krsi_audit__type_stats(). */
struct krsi_audit_type_stats {
	/** Set by the caller to sizeof(struct krsi_audit_type_stats). */
	size_t sz;
	/** Events of the type taken from the rings and given to the output
	 *  (krsi_audit_stats::unwritten counts, over all types, those it
	 *  failed to write). */
	__u64 delivered;
	/** Bytes of their records. */
	__u64 bytes;
};

/**
 * @brief Make a loaded-to-be object's events identify their hooks.
 *
 * Call between bpf_object__open() (or a skeleton's __open()) and its load.
 * Sets each hook id used by krsi_event_reserve() in the object to the BTF
 * id of `bpf_lsm_<hook>` in the running kernel, and checks the object's
 * KRSI_EVENT_TYPE() declarations. A hook the kernel lacks is reported and
 * its events carry hook id 0. An object without events is left as is.
 *
 * @param obj the opened, not yet loaded, object
 * @return 0 on success; -EINVAL if @p obj is NULL or its event
 *         declarations are wrong (the message says which); -EBUSY if it
 *         is already loaded; -ENOENT if it uses hooks and the kernel's
 *         BTF cannot be read; -ENOMEM.
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API int krsi_prepare_events(struct bpf_object *obj);

/**
 * @brief Create an audit event consumer.
 *
 * @param opts the format and the sink; NULL means JSON Lines on stdout
 * @return The consumer, or NULL with errno set: EINVAL for bad options
 *         (an unknown format, sink or clock; #KRSI_AUDIT_CALLBACK without
 *         a callback; #KRSI_AUDIT_FD with a negative fd; raw records to
 *         syslog); ENOMEM; or the errno of epoll_create1() or eventfd().
 *
 * Thread-safe.
 */
KRSI_API struct krsi_audit *krsi_audit__new(const struct krsi_audit_opts *opts);

/**
 * @brief Free a consumer, without consuming what remains.
 *
 * @param audit the consumer; NULL is ignored
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API void krsi_audit__free(struct krsi_audit *audit);

/**
 * @brief Consume a ring buffer of a loaded object.
 *
 * The ring @p ring and its drop counters `<ring>_drops` were declared with
 * KRSI_EVENT_RING(); the event types come from the object's BTF. The
 * consumer keeps its own references to the maps: the object may be
 * closed before the consumer.
 *
 * @param audit the consumer
 * @param obj the loaded object
 * @param ring the ring buffer map's name
 * @param opts options; NULL for defaults
 * @return 0 on success; -EINVAL for a NULL argument, bad options, an
 *         object not loaded, a map that is not a ring buffer, or wrong
 *         event declarations; -ENOENT if either map is missing; -EEXIST if
 *         this consumer already reads the ring; -EBUSY if another
 *         consumer does (the message names its pid); -EPERM if
 *         #KRSI_AUDIT_LOCK_DIR is not root's alone; -ENOMEM; or the errno
 *         of mmap(), epoll_ctl() or of taking the consumer lock.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__add_ring(struct krsi_audit *audit,
				  struct bpf_object *obj, const char *ring,
				  const struct krsi_audit_ring_opts *opts);

/**
 * @brief Consume a ring buffer given by file descriptors, such as pinned
 *        maps opened with bpf_obj_get().
 *
 * The descriptors are duplicated: the caller keeps its own.
 *
 * @param audit the consumer
 * @param ring_fd the ring buffer map
 * @param drops_fd its drop counters (the `<ring>_drops` map)
 * Without krsi_audit_ring_opts::btf, the event types are those of the
 * BTF of the programs loaded now that write to the ring (the newest if
 * several); if none does (or listing programs is not permitted: not
 * root), those of the drop counter map's BTF, with a message.
 *
 * @param opts options; NULL for defaults
 * @return 0 on success; -EINVAL for a NULL consumer, bad options, a map of
 *         the wrong type, or wrong event declarations in the BTF;
 *         -EBADF for a bad descriptor; -ENOENT if no BTF was given and
 *         neither the writing programs nor the drop counter map have one;
 *         -EEXIST if this consumer already reads the ring; -EBUSY if
 *         another consumer does (the message names its pid); -EPERM if
 *         #KRSI_AUDIT_LOCK_DIR is not root's alone; -ENOMEM; or the errno
 *         of mmap(), epoll_ctl(), the bpf() syscall or of taking the
 *         consumer lock.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__add_ring_fd(struct krsi_audit *audit, int ring_fd,
				     int drops_fd,
				     const struct krsi_audit_ring_opts *opts);

/** Options of krsi_audit__add_policy(). */
struct krsi_audit_policy_opts {
	/** sizeof(struct krsi_audit_policy_opts); set by KRSI_OPTS(). */
	size_t sz;
	/** The directory policies are pinned in; NULL means the default
	 *  (KRSI_POLICY_PIN_ROOT of <krsi/install.h>). */
	const char *pin_root;
	/**
	 * When the policy is replaced, removed or installed again: false
	 * (the default) makes the consuming calls deliver what its rings
	 * hold, then fail with -ESTALE; true makes them go on with the rings
	 * of the version installed (after a removal, once one is), said
	 * through the log at info level.
	 */
	bool follow;
};

/**
 * @brief Consume the event rings of a policy installed with
 *        krsi_policy__install() (or `krsi load`), and watch it.
 *
 * Every ring buffer pinned in the policy's directory with its drop
 * counters beside it (`RING` and `RING_drops`, as KRSI_EVENT_RING()
 * declares them) is added as krsi_audit__add_ring_fd() adds it, named
 * `RING`, its event types from the BTF of the programs writing to it; a
 * ring buffer without drop counters is skipped with a warning. The
 * consuming calls check at most every 10 ms whether the policy was
 * replaced or removed (see krsi_audit_policy_opts::follow).
 *
 * @param audit the consumer
 * @param name the policy's name
 * @param opts options; NULL for defaults
 * @return 0 on success; -EINVAL for a NULL argument, bad options or a name
 *         no policy can have; -ENOENT if the policy is not installed or
 *         has no event ring; the errors of krsi_audit__add_ring_fd(),
 *         such as -EBUSY when another consumer reads one of its rings
 *         (then none is added); -ENOMEM; or the errno of reading the
 *         policy's directory or opening its pins.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__add_policy(struct krsi_audit *audit, const char *name,
				    const struct krsi_audit_policy_opts *opts);

/**
 * @brief The consumer's epoll file descriptor, readable when a ring buffer
 *        has data, for the application's own event loop.
 *
 * @param audit the consumer
 * @return The descriptor, owned by the consumer; -EINVAL if @p audit is
 *         NULL.
 *
 * Thread-safe.
 */
KRSI_API int krsi_audit__fd(const struct krsi_audit *audit);

/**
 * @brief Deliver every record now in the ring buffers, without blocking,
 *        and report new drops (reading the drop counters if 10 ms have
 *        passed since they were last read).
 *
 * @param audit the consumer
 * @return The number of records delivered (events, lost, invalid), or a
 *         negative errno: -EINVAL if @p audit is NULL; -EIO or the errno
 *         of write(2) if the output failed (such as -EPIPE or -ENOSPC:
 *         the records taken and not written are counted, and reported by
 *         the next call, see above); -ESTALE if a policy read with
 *         krsi_audit__add_policy() without following was replaced or
 *         removed (what its rings held was delivered first); the errors
 *         of krsi_audit__add_policy() when following a new version; or
 *         the callback's error.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__consume(struct krsi_audit *audit);

/**
 * @brief Wait until a ring buffer has data or @p timeout_ms passes, then
 *        consume as krsi_audit__consume() does.
 *
 * @param audit the consumer
 * @param timeout_ms the longest wait in milliseconds; -1 waits forever
 * @return The number of records delivered (0 on timeout), or a negative
 *         errno: -EINTR if a signal interrupted the wait, or those of
 *         krsi_audit__consume().
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__poll(struct krsi_audit *audit, int timeout_ms);

/** krsi_audit__run()'s batch delay unless krsi_audit__set_batch_delay()
 *  says otherwise, in milliseconds. */
#define KRSI_AUDIT_BATCH_DELAY_MS 10
/** The longest batch delay krsi_audit__set_batch_delay() accepts: the
 *  interval at which krsi_audit__run() reads the drop counters. */
#define KRSI_AUDIT_BATCH_DELAY_MAX_MS 1000

/**
 * @brief Set how long krsi_audit__run(), woken by events, lets more gather
 *        before delivering them.
 *
 * The longer the delay, the fewer times the consumer wakes under load,
 * and the later an event is delivered: at most @p max_delay_ms after the
 * wakeup its ring gave, unless the ring fills past its threshold first
 * (see KRSI_EVENT_RING()), which ends the delay. 0 delivers at once, as
 * libbpf's ring_buffer__poll() does. Without a call, the delay is
 * #KRSI_AUDIT_BATCH_DELAY_MS. Applies to krsi_audit__run() only:
 * krsi_audit__poll() and krsi_audit__consume() deliver what is there when
 * called.
 *
 * @param audit the consumer
 * @param max_delay_ms the delay in milliseconds, from 0 to
 *        #KRSI_AUDIT_BATCH_DELAY_MAX_MS
 * @return 0 on success; -EINVAL if @p audit is NULL or @p max_delay_ms is
 *         longer than #KRSI_AUDIT_BATCH_DELAY_MAX_MS.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__set_batch_delay(struct krsi_audit *audit,
					 unsigned int max_delay_ms);

/** Options of krsi_audit__run(). */
struct krsi_audit_run_opts {
	/** sizeof(struct krsi_audit_run_opts); set by KRSI_OPTS(). */
	size_t sz;
	/** A descriptor that stops the loop when it becomes readable (a
	 *  signalfd, an eventfd, a pipe); 0 means none. Not read. */
	int stop_fd;
};

/**
 * @brief Consume until stopped: block for data, deliver it, and every
 *        second read the drop counters even when no data came.
 *
 * Woken by data, it lets more gather for the batch delay
 * (krsi_audit__set_batch_delay()) before delivering.
 *
 * Returns after krsi_audit__stop() or when krsi_audit_run_opts::stop_fd
 * becomes readable, having delivered what the rings held then and every
 * drop the counters held. Signals
 * interrupting the wait do not stop it: have the handler call
 * krsi_audit__stop(), or pass a signalfd.
 *
 * @param audit the consumer
 * @param opts options; NULL for defaults
 * @return 0 once stopped; a negative errno: -EINVAL for a NULL consumer or
 *         bad options; the errno of epoll_ctl() for a bad stop_fd (such
 *         as -EBADF); the errno of epoll_wait(); or those of
 *         krsi_audit__consume().
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__run(struct krsi_audit *audit,
			     const struct krsi_audit_run_opts *opts);

/**
 * @brief Make krsi_audit__run() return, now or as soon as it is called.
 *
 * @param audit the consumer
 * @return 0 on success; -EINVAL if @p audit is NULL.
 *
 * Thread-safe and async-signal-safe.
 */
KRSI_API int krsi_audit__stop(struct krsi_audit *audit);

/**
 * @brief Read a consumer's counters.
 *
 * @param audit the consumer
 * @param stats filled up to stats->sz bytes, which the caller sets
 * @return 0 on success; -EINVAL for a NULL argument or a stats->sz
 *         smaller than the @c sz field.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__stats(const struct krsi_audit *audit,
			       struct krsi_audit_stats *stats);

/**
 * @brief Read a consumer's counters of one event type, over all rings.
 *
 * @param audit the consumer
 * @param type the event type
 * @param stats filled up to stats->sz bytes, which the caller sets
 * @return 0 on success; -EINVAL for a NULL argument or a stats->sz
 *         smaller than the @c sz field; -ENOENT if no event of @p type
 *         was declared or seen.
 *
 * Not thread-safe: serialise calls on the same handle.
 */
KRSI_API int krsi_audit__type_stats(const struct krsi_audit *audit, __u32 type,
				    struct krsi_audit_type_stats *stats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_AUDIT_H */
