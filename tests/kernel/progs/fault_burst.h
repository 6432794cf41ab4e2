/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by fault_burst.bpf.c and test_faults.c. */
#ifndef FAULT_BURST_H
#define FAULT_BURST_H

#include <krsi/event.h>

#define BURST_TYPE 1
#define BURST_POLICY 7
/* One page: 36 events of 112 bytes fill it. */
#define BURST_RING_BYTES 4096

struct burst_event {
	__u64 prot;
};

#endif /* FAULT_BURST_H */
