// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A second version of audit_stream.bpf.c's small ring, loaded over the
 * first's maps as a replacement keeps them: its tiny events declared
 * anew, same type number and size, another name and field.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <krsi/krsi.bpf.h>

#include "audit_stream.h"

KRSI_EVENT_RING(small, SMALL_RING_BYTES);

KRSI_EVENT_TYPE(tiny_v2, TINY_TYPE, struct tiny_v2_event);

SEC("syscall")
int emit_v2(struct emit_args *args)
{
	__u32 i;

	for (i = 0; i < 256 && i < args->count; i++) {
		struct tiny_v2_event *t;

		t = krsi_event_reserve(small, bprm_check_security, TINY_TYPE,
				       struct tiny_v2_event);
		if (t)
			t->count = 100 + i;
		krsi_event_submit(t, args->policy, KRSI_EVENT_ENFORCE, 0);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
