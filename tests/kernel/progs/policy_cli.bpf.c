// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A policy as products write them, for the krsi tool's policy commands: it
 * judges IPv4 connect() calls to CLI_PORT against a set of networks
 * (-EACCES), through the policy's mode and counters, and reports each
 * decision on an event ring.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

#include "policy_cli.h"

/* <sys/socket.h>'s, a macro vmlinux.h cannot carry. */
#define AF_INET 2

KRSI_POLICY_MAPS();
KRSI_IPV4_SET(denied_nets, 4);
KRSI_EVENT_RING(events, 16 * 1024);
KRSI_EVENT_TYPE(connect, CLI_CONNECT_TYPE, struct cli_connect_event);

/*
 * The mode an event reports: for a denial, whether krsi_policy_decide()
 * (which returned DECIDED) enforced it; for an allow, the policy's mode.
 */
static __always_inline enum krsi_event_mode event_mode(int verdict, int decided)
{
	struct krsi_policy_ctl *ctl;
	__u32 zero = 0;

	if (verdict)
		return decided ? KRSI_EVENT_ENFORCE : KRSI_EVENT_MONITOR;
	ctl = bpf_map_lookup_elem(&krsi_ctl, &zero);
	return ctl && ctl->mode == KRSI_MODE_MONITOR ? KRSI_EVENT_MONITOR
						     : KRSI_EVENT_ENFORCE;
}

SEC("lsm/socket_connect")
int BPF_PROG(guard_connect, struct socket *sock, struct sockaddr *address,
	     int addrlen, int ret)
{
	struct cli_connect_event *e;
	enum krsi_event_mode mode;
	struct sockaddr_in sin;
	struct krsi_snap snap;
	int hit, err, verdict, decided;

	if (ret)
		return ret; /* an earlier program already denied */
	if (addrlen < (int)sizeof(sin) ||
	    bpf_probe_read_kernel(&sin, sizeof(sin), address) ||
	    sin.sin_family != AF_INET || sin.sin_port != bpf_htons(CLI_PORT))
		return 0;
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_ipv4_set_match(&denied_nets, &snap,
					  sin.sin_addr.s_addr, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	verdict = hit > 0 || err ? -EACCES : 0; /* fail closed */
	decided = krsi_policy_decide(&krsi_ctl, &krsi_stats, verdict);
	mode = event_mode(verdict, decided);
	e = krsi_event_reserve(events, socket_connect, CLI_CONNECT_TYPE,
			       struct cli_connect_event);
	if (e) {
		e->daddr = sin.sin_addr.s_addr;
		e->port = CLI_PORT;
		e->pad = 0;
	}
	krsi_event_submit(e, CLI_POLICY_ID, mode, verdict);
	return decided;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
