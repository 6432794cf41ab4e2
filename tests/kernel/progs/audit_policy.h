/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by audit_policy.bpf.c, audit_policy_v2.bpf.c and
 * test_audit_policy.c: two versions of a policy reporting IPv4 connect()
 * calls to one port, whose event of one type number changed. */
#ifndef AUDIT_POLICY_H
#define AUDIT_POLICY_H

#include <krsi/event.h>

/* Only IPv4 connections to this port are reported: the test's own. */
#define AUDIT_POLICY_PORT 7359
#define AUDIT_CONNECT_TYPE 1

/* The first version's event. */
struct audit_connect_event {
	__u32 daddr KRSI_IPV4;
	__u16 port;
	__u16 pad;
};

/* The second version's, of the same type number and size. */
struct audit_connect_v2_event {
	__u16 dport;
	__u16 family;
	__u32 version;
};

#endif /* AUDIT_POLICY_H */
