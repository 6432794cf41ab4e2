/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by policy_cli.bpf.c and test_krsi_policy_cli.c. */
#ifndef POLICY_CLI_H
#define POLICY_CLI_H

#include <krsi/event.h>

/* Only IPv4 connections to this port are judged: the test's own. */
#define CLI_PORT 7357
#define CLI_POLICY_ID 42
#define CLI_CONNECT_TYPE 1

struct cli_connect_event {
	__u32 daddr KRSI_IPV4;
	__u16 port;
	__u16 pad;
};

#endif /* POLICY_CLI_H */
