// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * kmod-guard: load kernel modules and firmware only from allow-listed
 * directories.
 *
 * Every way code or firmware enters the kernel from user space passes one
 * of two hooks before the kernel reads it:
 *
 *	finit_module(fd)	kernel_read_file(file, READING_MODULE)
 *	request_firmware()	kernel_read_file(file, READING_FIRMWARE)
 *	init_module(buf)	kernel_load_data(LOADING_MODULE)
 *	firmware from sysfs or	kernel_load_data(LOADING_FIRMWARE)
 *	  platform tables
 *
 * A file is judged by its path (an allow-list path set); a module or
 * firmware given as bytes has no path anyone could vouch for, and is
 * denied. Module signatures, where the kernel checks them, are checked
 * after this: the two add up.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../common/agent.bpf.h"

/* The policy's number in its events. */
#define KMOD_POLICY_ID 4

KRSI_POLICY_MAPS();
KRSI_PATH_SET(allowed, 64);
KRSI_EVENT_RING(events, 256 * 1024);
AGENT_PATH_BUFFER();

enum kmod_what {
	KMOD_MODULE_FILE = 1, /* finit_module() */
	KMOD_MODULE_DATA, /* init_module() */
	KMOD_FIRMWARE_FILE, /* firmware read from a file */
	KMOD_FIRMWARE_DATA, /* firmware handed over without a file */
};

struct kmod_event {
	enum kmod_what what;
	__u32 rule; /* the --allow rule that let it, or 0 */
	char path[256] KRSI_PATH; /* the file; empty without one */
};

enum { KMOD_EVENT = 1 };
KRSI_EVENT_TYPE(kmod, KMOD_EVENT, struct kmod_event);

/* Report WHAT, decided with VERDICT, from HOOK; evaluates to RET. */
#define report(hook, what_, rule_, pb, verdict, mode, ret)                   \
	({                                                                   \
		struct kmod_event *e = krsi_event_reserve(                   \
			events, hook, KMOD_EVENT, struct kmod_event);        \
		if (e) {                                                     \
			e->what = what_;                                     \
			e->rule = rule_;                                     \
			if (!(pb) || agent_copy_path(e->path, pb) <= 0)      \
				e->path[0] = '\0';                           \
			krsi_event_submit(e, KMOD_POLICY_ID, mode, verdict); \
		}                                                            \
		ret;                                                         \
	})

SEC("lsm/kernel_read_file")
int BPF_PROG(kmod_read_file, struct file *file, enum kernel_read_file_id id,
	     bool contents, int ret)
{
	struct krsi_path_buf *pb = agent_path_buffer();
	struct krsi_rule rule = {};
	enum krsi_event_mode mode;
	struct krsi_snap snap;
	enum kmod_what what;
	int hit = 0, err, verdict;
	long len = -ENOMEM;

	if (ret)
		return ret;
	/* The ids are read from the running kernel's BTF (CO-RE). */
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE))
		what = KMOD_MODULE_FILE;
	else if (id == bpf_core_enum_value(enum kernel_read_file_id,
					   READING_FIRMWARE))
		what = KMOD_FIRMWARE_FILE;
	else
		return 0; /* kexec images, IMA policies...: not ours */
	if (pb)
		len = krsi_file_d_path(file, pb);
	if (len > 0) {
		krsi_snap_begin(&krsi_ctl, &snap);
		do {
			hit = krsi_path_set_match(&allowed, &snap, pb->path,
						  &rule);
		} while ((err = krsi_snap_retry(&snap)) > 0);
		if (err)
			hit = 0; /* the rules kept changing: fail closed */
	}
	/* A file whose path is unknown is not allowed either. */
	verdict = hit > 0 ? 0 : -EPERM;
	ret = agent_decide(verdict, &mode);
	return report(kernel_read_file, what, hit > 0 ? rule.id : 0,
		      len > 0 ? pb : NULL, verdict, mode, ret);
}

SEC("lsm/kernel_load_data")
int BPF_PROG(kmod_load_data, enum kernel_load_data_id id, bool contents,
	     int ret)
{
	enum krsi_event_mode mode;
	enum kmod_what what;

	if (ret)
		return ret;
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE))
		what = KMOD_MODULE_DATA;
	else if (id == bpf_core_enum_value(enum kernel_load_data_id,
					   LOADING_FIRMWARE))
		what = KMOD_FIRMWARE_DATA;
	else
		return 0;
	ret = agent_decide(-EPERM, &mode);
	return report(kernel_load_data, what, 0, (struct krsi_path_buf *)NULL,
		      -EPERM, mode, ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
