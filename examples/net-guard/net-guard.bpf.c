// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * net-guard: deny connect() to blocked IPv4 and IPv6 networks, for every
 * task or for the tasks of one cgroup.
 *
 * socket_connect sees the address before the connection starts (TCP's SYN,
 * or the peer a UDP socket is bound to). The blocked networks are two LPM
 * tries, one per family; an IPv4 address an IPv6 socket reaches as
 * ::ffff:a.b.c.d is looked up as IPv4.
 *
 * Two programs share the decision: lsm/socket_connect judges every task;
 * lsm_cgroup/socket_connect, attached to a cgroup, judges the sockets
 * created in it and its descendants (the kernel runs an lsm_cgroup/
 * program on a socket hook for the socket's cgroup). The loader loads the
 * one --cgroup asks for.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../common/agent.bpf.h"

/* The policy's number in its events. */
#define NET_POLICY_ID 5

/* From <linux/socket.h>. */
#define AF_INET 2
#define AF_INET6 10

KRSI_POLICY_MAPS();
KRSI_IPV4_SET(blocked4, 1024);
KRSI_IPV6_SET(blocked6, 1024);
KRSI_EVENT_RING(events, 256 * 1024);

struct connect4_event {
	__u8 addr[4] KRSI_IPV4;
	__u32 rule; /* the --block rule that matched */
	__u16 port;
	__u16 family; /* AF_INET, or AF_INET6 for ::ffff:a.b.c.d */
};

struct connect6_event {
	__u8 addr[16] KRSI_IPV6;
	__u32 rule;
	__u16 port;
};

enum { CONNECT4_EVENT = 1, CONNECT6_EVENT };
KRSI_EVENT_TYPE(connect4, CONNECT4_EVENT, struct connect4_event);
KRSI_EVENT_TYPE(connect6, CONNECT6_EVENT, struct connect6_event);

/* Where a connect() goes, as read from its struct sockaddr. */
struct dest {
	__u16 family; /* AF_INET or AF_INET6; 0 for other families */
	__u16 port; /* host order */
	bool v4; /* an IPv4 address (also as ::ffff:a.b.c.d) in addr[0] */
	__u32 addr[4]; /* network order */
};

/* Read ADDRESS (ADDRLEN bytes, the kernel's copy of the caller's). */
static __always_inline void read_dest(const struct sockaddr *address,
				      int addrlen, struct dest *d)
{
	const struct sockaddr_in6 *in6 = (const void *)address;
	const struct sockaddr_in *in = (const void *)address;

	d->family = 0;
	switch (BPF_CORE_READ(address, sa_family)) {
	case AF_INET:
		if (addrlen < (int)sizeof(*in))
			return;
		d->family = AF_INET;
		d->port = bpf_ntohs(BPF_CORE_READ(in, sin_port));
		d->addr[0] = BPF_CORE_READ(in, sin_addr.s_addr);
		d->v4 = true;
		return;
	case AF_INET6:
		if (addrlen < (int)sizeof(*in6))
			return;
		d->family = AF_INET6;
		d->port = bpf_ntohs(BPF_CORE_READ(in6, sin6_port));
		BPF_CORE_READ_INTO(&d->addr, in6, sin6_addr.in6_u.u6_addr32);
		d->v4 = !d->addr[0] && !d->addr[1] &&
			d->addr[2] == bpf_htonl(0xffff);
		if (d->v4)
			d->addr[0] = d->addr[3];
		return;
	}
}

/* Whether D is in a blocked network: 1 with its rule, or 0. */
static __always_inline int blocked(const struct dest *d, struct krsi_rule *rule)
{
	struct krsi_snap snap;
	int hit, err;

	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		if (d->v4)
			hit = krsi_ipv4_set_match(&blocked4, &snap, d->addr[0],
						  rule);
		else
			hit = krsi_ipv6_set_match(&blocked6, &snap, d->addr,
						  rule);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	return err ? 1 : hit > 0; /* rules that kept changing: fail closed */
}

/*
 * Decide a connect() to ADDRESS and report a denial: returns 0 to allow,
 * or the -errno to deny with (always 0 in monitor mode).
 */
static __always_inline int judge(const struct sockaddr *address, int addrlen)
{
	struct krsi_rule rule = {};
	struct connect4_event *e4;
	struct connect6_event *e6;
	enum krsi_event_mode mode;
	struct dest d;
	int verdict, ret;

	read_dest(address, addrlen, &d);
	verdict = d.family && blocked(&d, &rule) ? -EPERM : 0;
	ret = agent_decide(verdict, &mode);
	if (verdict && d.v4) {
		e4 = krsi_event_reserve(events, socket_connect, CONNECT4_EVENT,
					struct connect4_event);
		if (e4) {
			__builtin_memcpy(e4->addr, &d.addr[0], 4);
			e4->rule = rule.id;
			e4->port = d.port;
			e4->family = d.family;
			krsi_event_submit(e4, NET_POLICY_ID, mode, verdict);
		}
	} else if (verdict) {
		e6 = krsi_event_reserve(events, socket_connect, CONNECT6_EVENT,
					struct connect6_event);
		if (e6) {
			__builtin_memcpy(e6->addr, d.addr, 16);
			e6->rule = rule.id;
			e6->port = d.port;
			krsi_event_submit(e6, NET_POLICY_ID, mode, verdict);
		}
	}
	return ret;
}

SEC("lsm/socket_connect")
int BPF_PROG(net_guard, struct socket *sock, struct sockaddr *address,
	     int addrlen, int ret)
{
	if (ret || !agent_in_scope())
		return ret;
	return judge(address, addrlen);
}

/* The same for the sockets of one cgroup: 1 allows, 0 denies. */
SEC("lsm_cgroup/socket_connect")
int BPF_PROG(net_guard_cgroup, struct socket *sock, struct sockaddr *address,
	     int addrlen)
{
	int ret = judge(address, addrlen);

	return ret ? KRSI_CGROUP_DENY(-ret) : KRSI_CGROUP_ALLOW();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
