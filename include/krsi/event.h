/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file event.h
 * @brief The audit event record, shared by BPF programs and user space.
 *
 * Every event a libkrsi BPF program reports is one ring buffer record: a
 * fixed struct krsi_event_header, then a payload, an ordinary C struct the
 * program declares with KRSI_EVENT_TYPE() (see `<krsi/event.bpf.h>`). The
 * header is filled by krsi_event_reserve() and krsi_event_submit(); the
 * consumer (`<krsi/audit.h>`) decodes and formats both halves.
 *
 * The layout is a wire format: fixed sizes and offsets, host byte order,
 * pinned by static assertions. A change to it is a new
 * #KRSI_EVENT_VERSION; consumers report records of a version they do not
 * know instead of guessing.
 *
 * This header is plain C usable from BPF programs (after vmlinux.h) and
 * from user space (C11 or C++).
 */
#ifndef KRSI_EVENT_H
#define KRSI_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/** Schema version of struct krsi_event_header written by these headers. */
#define KRSI_EVENT_VERSION 1

/** Bytes of struct krsi_event_header::comm, the kernel's TASK_COMM_LEN. */
#define KRSI_EVENT_COMM_LEN 16

/**
 * First event type reserved for records the consumer synthesises
 * (#KRSI_EVENT_TYPE_LOST, #KRSI_EVENT_TYPE_INVALID). Programs use types
 * below it.
 */
#define KRSI_EVENT_TYPE_RESERVED 0xffff0000u

/**
 * Type of a record standing for events that could not be reserved; its
 * payload is struct krsi_event_lost. Only the consumer produces it, in
 * its raw output and for its callback.
 */
#define KRSI_EVENT_TYPE_LOST 0xffffffffu

/**
 * Type of a record standing for a malformed one; its payload is struct
 * krsi_event_invalid. Only the consumer produces it.
 */
#define KRSI_EVENT_TYPE_INVALID 0xfffffffeu

/** What the policy decided. */
enum krsi_event_verdict {
	KRSI_EVENT_ALLOW = 0, /**< The operation is allowed. */
	KRSI_EVENT_DENY = 1, /**< The policy denies it, with an errno. */
};

/** Whether a denial was enforced. */
enum krsi_event_mode {
	/** Denials are reported but not enforced: the hook returned 0. */
	KRSI_EVENT_MONITOR = 0,
	/** Denials are enforced: the hook returned -errno. */
	KRSI_EVENT_ENFORCE = 1,
};

/**
 * @brief The fixed part of every event record, followed by its payload.
 *
 * Identities are those of the task that triggered the hook, read when the
 * event was reserved.
 */
struct krsi_event_header {
	/** Bytes in the record: this header and the payload. */
	__u32 size;
	/** #KRSI_EVENT_VERSION of the program that wrote the record. */
	__u16 version;
	/** Zero; reserved. */
	__u16 reserved;
	/** Event type, chosen by the program (below #KRSI_EVENT_TYPE_RESERVED). */
	__u32 type;
	/** BTF id of `bpf_lsm_<hook>` in the running kernel; 0 if unknown. */
	__u32 hook_id;
	/** Policy that decided, as numbered by the application. */
	__u32 policy_id;
	/** Positive errno of a denial; 0 when allowed. */
	__u32 err;
	/** enum krsi_event_verdict. */
	__u8 verdict;
	/** enum krsi_event_mode. */
	__u8 mode;
	/** Zero; reserved. */
	__u16 reserved2;
	/** CPU the event was produced on. */
	__u32 cpu;
	/** CLOCK_BOOTTIME when the event was reserved, in nanoseconds. */
	__u64 timestamp_ns;
	/**
	 * Events this CPU could not reserve on this ring buffer so far; the
	 * consumer turns an increase into a lost record placed here.
	 */
	__u64 lost;
	/** Id of the task's cgroup v2 (the cgroup directory's inode number). */
	__u64 cgroup_id;
	/** Process id (the kernel's tgid). */
	__u32 pid;
	/** Thread id (the kernel's pid). */
	__u32 tid;
	/** Real user id. */
	__u32 uid;
	/** Real group id. */
	__u32 gid;
	/** Effective user id. */
	__u32 euid;
	/** Audit login uid (loginuid); 4294967295 when unset. */
	__u32 loginuid;
	/** Command name, NUL-terminated unless it fills the array. */
	char comm[KRSI_EVENT_COMM_LEN];
};

/** Payload of a #KRSI_EVENT_TYPE_LOST record. */
struct krsi_event_lost {
	/** Events the CPU in the header could not reserve. */
	__u64 count;
};

/** Why a record was malformed: struct krsi_event_invalid::reason. */
enum krsi_event_invalid_reason {
	/** The record is shorter than a header. */
	KRSI_EVENT_INVALID_SHORT = 1,
	/** The header's size disagrees with the record's length. */
	KRSI_EVENT_INVALID_SIZE = 2,
	/** The header's version is not one this consumer knows. */
	KRSI_EVENT_INVALID_VERSION = 3,
	/** The payload is shorter or longer than its declared struct. */
	KRSI_EVENT_INVALID_PAYLOAD = 4,
	/** The header's CPU is not a possible CPU. */
	KRSI_EVENT_INVALID_CPU = 5,
};

/** Payload of a #KRSI_EVENT_TYPE_INVALID record. */
struct krsi_event_invalid {
	/** enum krsi_event_invalid_reason. */
	__u32 reason;
	/** Length of the malformed record in bytes. */
	__u32 size;
	/** The malformed record's version field, or 0 if it had none. */
	__u32 version;
	/** The malformed record's type field, or 0 if it had none. */
	__u32 type;
};

/**
 * @name Payload field formats
 *
 * The consumer renders each payload field by its BTF type: integers in
 * decimal, enums by name, `char` arrays as strings, other arrays and
 * nested structs as such. These markers, written after a field's
 * declarator, choose a rendering for people instead:
 *
 *     struct connect_event {
 *             __u32 daddr KRSI_IPV4;
 *             __u8 sha256[32] KRSI_HEX;
 *             char path[256] KRSI_PATH;
 *     };
 *
 * They are BTF declaration tags (`btf_decl_tag`, clang 14 and later), which
 * the consumer reads from the program's BTF, so they cost nothing at run
 * time; outside BPF programs they expand to nothing, so a header declaring
 * payloads serves user space too.
 * @{
 */
/** @cond INTERNAL */
#if defined(__bpf__)
#define __KRSI_FORMAT(fmt) __attribute__((btf_decl_tag("krsi.format:" fmt)))
#else
#define __KRSI_FORMAT(fmt)
#endif
/** @endcond */
/** A file path: a char or byte array rendered as a string. */
#define KRSI_PATH __KRSI_FORMAT("path")
/** An IPv4 address in network byte order (4 bytes): `192.0.2.1`. */
#define KRSI_IPV4 __KRSI_FORMAT("ipv4")
/** An IPv6 address in network byte order (16 bytes): `2001:db8::1`. */
#define KRSI_IPV6 __KRSI_FORMAT("ipv6")
/** Bytes rendered in lowercase hex, in memory order: hashes, keys. */
#define KRSI_HEX __KRSI_FORMAT("hex")
/** @} */

/** @cond INTERNAL */
#ifdef __cplusplus
#define __KRSI_EVENT_ASSERT(cond) static_assert(cond, #cond)
#else
#define __KRSI_EVENT_ASSERT(cond) _Static_assert(cond, #cond)
#endif
#define __KRSI_EVENT_AT(field, off) \
	__KRSI_EVENT_ASSERT(        \
		__builtin_offsetof(struct krsi_event_header, field) == off)
__KRSI_EVENT_ASSERT(sizeof(struct krsi_event_header) == 96);
__KRSI_EVENT_AT(size, 0);
__KRSI_EVENT_AT(version, 4);
__KRSI_EVENT_AT(type, 8);
__KRSI_EVENT_AT(hook_id, 12);
__KRSI_EVENT_AT(policy_id, 16);
__KRSI_EVENT_AT(err, 20);
__KRSI_EVENT_AT(verdict, 24);
__KRSI_EVENT_AT(mode, 25);
__KRSI_EVENT_AT(cpu, 28);
__KRSI_EVENT_AT(timestamp_ns, 32);
__KRSI_EVENT_AT(lost, 40);
__KRSI_EVENT_AT(cgroup_id, 48);
__KRSI_EVENT_AT(pid, 56);
__KRSI_EVENT_AT(tid, 60);
__KRSI_EVENT_AT(uid, 64);
__KRSI_EVENT_AT(gid, 68);
__KRSI_EVENT_AT(euid, 72);
__KRSI_EVENT_AT(loginuid, 76);
__KRSI_EVENT_AT(comm, 80);
__KRSI_EVENT_ASSERT(sizeof(struct krsi_event_lost) == 8);
__KRSI_EVENT_ASSERT(sizeof(struct krsi_event_invalid) == 16);
#undef __KRSI_EVENT_AT
/** @endcond */

#endif /* KRSI_EVENT_H */
