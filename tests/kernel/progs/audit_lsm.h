/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by audit_lsm.bpf.c and test_audit_lsm.c. */
#ifndef AUDIT_LSM_H
#define AUDIT_LSM_H

#include <krsi/event.h>

#define OPEN_TYPE 1
#define EXEC_TYPE 2
#define AUDIT_POLICY 42

struct open_event {
	__u32 flags;
	__u32 pad;
	__u64 ino;
	char path[256] KRSI_PATH;
};

struct exec_event {
	char filename[256] KRSI_PATH;
};

#endif /* AUDIT_LSM_H */
