// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The second version of audit_policy.bpf.c: the same ring, its event of
 * the same type number and size declared anew, with other fields.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

#include "audit_policy.h"

/* <sys/socket.h>'s, a macro vmlinux.h cannot carry. */
#define AF_INET 2

KRSI_EVENT_RING(events, 16 * 1024);
KRSI_EVENT_TYPE(connect_v2, AUDIT_CONNECT_TYPE, struct audit_connect_v2_event);

SEC("lsm/socket_connect")
int BPF_PROG(report_connect, struct socket *sock, struct sockaddr *address,
	     int addrlen, int ret)
{
	struct audit_connect_v2_event *e;
	struct sockaddr_in sin;

	if (ret)
		return ret; /* an earlier program already denied */
	if (addrlen < (int)sizeof(sin) ||
	    bpf_probe_read_kernel(&sin, sizeof(sin), address) ||
	    sin.sin_family != AF_INET ||
	    sin.sin_port != bpf_htons(AUDIT_POLICY_PORT))
		return 0;
	e = krsi_event_reserve(events, socket_connect, AUDIT_CONNECT_TYPE,
			       struct audit_connect_v2_event);
	if (e) {
		e->dport = AUDIT_POLICY_PORT;
		e->family = AF_INET;
		e->version = 2;
	}
	krsi_event_submit(e, 1, KRSI_EVENT_ENFORCE, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
