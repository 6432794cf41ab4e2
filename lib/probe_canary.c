// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The probe's proof: load a canary on task_getsid, attach it, call
 * getsid() on this process, and see it denied and counted; detach, and
 * see getsid() work again. The canary is destroyed before returning,
 * whatever happened.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "krsi_canary.skel.h"
#include "probe_internal.h"

/* The last lines of a verifier log, where it says why. */
static const char *log_tail(const char *log)
{
	size_t len = strlen(log);
	const char *p = log + len;
	int lines = 0;

	while (p > log && lines < 8)
		if (*--p == '\n' && p + 1 < log + len)
			lines++;
	return p == log ? p : p + 1;
}

static void load_failed(struct krsi_probe_report *r, int err, const char *log)
{
	bool caps = r->items[KRSI_PROBE_CAPS].status == KRSI_PROBE_OK;

	if (err == -EPERM && !*log)
		probe_set(
			r, KRSI_PROBE_LOAD, KRSI_PROBE_FAILED,
			caps ? "this process has the capabilities, so the kernel or a security policy forbids LSM programs here (an LSM such as SELinux, or a kernel patched to refuse them): use a host that allows them, or test inside krsi-vmtest"
			     : "run as root, or with CAP_BPF and CAP_PERFMON",
			"loading an LSM program on task_getsid failed with EPERM before verification: the verifier never ran");
	else
		probe_set(
			r, KRSI_PROBE_LOAD, KRSI_PROBE_FAILED,
			"report this kernel with the verifier's log: a trivial LSM program should load",
			"loading an LSM program on task_getsid failed: %s; the verifier said:\n%s",
			strerror(-err), *log ? log_tail(log) : "(nothing)");
	probe_set(r, KRSI_PROBE_CANARY, KRSI_PROBE_NOT_CHECKED, NULL,
		  "no canary without a loaded program");
}

/* Attach, call getsid(), detach, call it again; judge. */
static void run_canary(struct krsi_probe_report *r,
		       struct krsi_canary_bpf *skel)
{
	bool active_known = r->items[KRSI_PROBE_ACTIVE].status == KRSI_PROBE_OK;
	pid_t pid = getpid(), during, after;
	struct bpf_link *link;
	unsigned long long runs;
	int err, during_errno;

	link = bpf_program__attach(skel->progs.krsi_canary);
	if (!link) {
		err = -errno;
		probe_set(
			r, KRSI_PROBE_CANARY, KRSI_PROBE_FAILED,
			"report this kernel: a loaded LSM program should attach",
			"attaching the canary to task_getsid failed: %s",
			strerror(-err));
		return;
	}
	during = getsid(pid);
	during_errno = errno;
	runs = skel->bss->runs;
	bpf_link__destroy(link);
	after = getsid(pid);
	if (during < 0 && during_errno == EPERM && runs > 0 && after >= 0)
		probe_set(
			r, KRSI_PROBE_CANARY, KRSI_PROBE_OK, NULL,
			"a canary on task_getsid ran %llu time%s and denied getsid(%d) with EPERM; once detached, getsid() succeeded",
			runs, runs == 1 ? "" : "s", pid);
	else if (runs == 0)
		probe_set(
			r, KRSI_PROBE_CANARY, KRSI_PROBE_FAILED,
			active_known
				? "bpf is listed as active, yet its programs do not run: report this kernel"
				: probe_lsm_fix(r),
			"a canary attached to task_getsid but never ran: getsid(%d) returned %d while it was attached. The kernel does not call BPF LSM programs: they load and attach, and enforce nothing",
			pid, during);
	else
		probe_set(
			r, KRSI_PROBE_CANARY, KRSI_PROBE_FAILED,
			"report this kernel: the verdict of a BPF LSM program was ignored",
			"a canary on task_getsid ran %llu time%s, yet getsid(%d) returned %d (%s) while it was attached and %d after",
			runs, runs == 1 ? "" : "s", pid, during,
			during < 0 ? strerror(during_errno) : "no error",
			after);
}

void probe_canary(struct krsi_probe_report *r, bool passive)
{
	struct krsi_canary_bpf *skel;
	char log[16384] = "";
	int err;

	if (passive ||
	    r->items[KRSI_PROBE_COMPILED_IN].status != KRSI_PROBE_OK) {
		const char *why =
			passive ? "a passive probe loads no program"
				: "needs vmlinux BTF with BPF LSM hooks";

		probe_set(r, KRSI_PROBE_LOAD, KRSI_PROBE_NOT_CHECKED, NULL,
			  "%s", why);
		probe_set(r, KRSI_PROBE_CANARY, KRSI_PROBE_NOT_CHECKED, NULL,
			  "%s", why);
		return;
	}
	skel = krsi_canary_bpf__open();
	if (!skel) {
		err = -errno;
		probe_set(r, KRSI_PROBE_LOAD, KRSI_PROBE_FAILED,
			  err == -ENOMEM
				  ? "free memory and probe again"
				  : "report this: libkrsi's canary should open",
			  "cannot open the canary program: %s", strerror(-err));
		probe_set(r, KRSI_PROBE_CANARY, KRSI_PROBE_NOT_CHECKED, NULL,
			  "no canary without a loaded program");
		return;
	}
	skel->rodata->canary_tid = syscall(SYS_gettid);
	bpf_program__set_log_buf(skel->progs.krsi_canary, log, sizeof(log));
	err = krsi_canary_bpf__load(skel);
	if (err) {
		load_failed(r, err, log);
	} else {
		probe_set(
			r, KRSI_PROBE_LOAD, KRSI_PROBE_OK, NULL,
			"an LSM program on task_getsid loaded: the verifier accepted it");
		run_canary(r, skel);
	}
	krsi_canary_bpf__destroy(skel);
}
