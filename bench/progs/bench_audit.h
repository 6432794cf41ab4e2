/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by bench_audit.bpf.c and bench_audit.c: the audit events. */
#ifndef BENCH_AUDIT_H
#define BENCH_AUDIT_H

#include <krsi/event.h>

#define AUDIT_OPEN 1
#define AUDIT_EXEC 2
#define AUDIT_POLICY_ID 1

struct audit_open {
	__u32 flags;
	__u32 pad;
	__u64 ino;
	char path[256] KRSI_PATH;
};

struct audit_exec {
	char filename[256] KRSI_PATH;
};

#endif /* BENCH_AUDIT_H */
