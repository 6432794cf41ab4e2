/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by audit_batch.bpf.c and test_audit_batch.c. */
#ifndef AUDIT_BATCH_H
#define AUDIT_BATCH_H

#include <krsi/event.h>

#define BATCH_TYPE 1
/* 16 KiB: 97 events of 168 bytes (header, payload, the ring's 8 bytes)
 * fill it; its default threshold is 4 KiB. */
#define BATCH_RING_BYTES (16 * 1024)
#define BATCH_RECORD_BYTES 168

struct batch_event {
	__u64 seq;
	__u8 pad[56];
};

#endif /* AUDIT_BATCH_H */
