// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The agent's own identity, for the BPF side's krsi_is_self(). */
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <krsi/self.h>

#include "internal.h"

int krsi_get_self_id(struct krsi_self_id *id)
{
	struct stat st;
	int err;

	if (!id) {
		pr_warn("krsi_get_self_id: id is NULL\n");
		return krsi_err(-EINVAL);
	}
	if (stat("/proc/self/ns/pid", &st)) {
		err = -errno;
		pr_warn("cannot read this process's pid namespace from /proc/self/ns/pid: %s; is /proc mounted?\n",
			strerror(-err));
		return krsi_err(err);
	}
	memset(id, 0, sizeof(*id));
	/* bpf_get_ns_current_pid_tgid() compares the kernel's dev_t. */
	id->pidns_dev = ((__u64)major(st.st_dev) << 20) | minor(st.st_dev);
	id->pidns_ino = st.st_ino;
	id->tgid = getpid();
	return 0;
}
