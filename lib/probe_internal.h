/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What the probe's files share privately. Never installed. */
#ifndef KRSI_PROBE_INTERNAL_H
#define KRSI_PROBE_INTERNAL_H

#include <krsi/probe.h>

#include "internal.h"

#define KRSI_PROBE_NR_CHECKS (KRSI_PROBE_CANARY + 1)

struct probe_item {
	enum krsi_probe_status status;
	char *evidence;
	char *fix; /* NULL unless failed */
};

struct krsi_probe_report {
	struct probe_item items[KRSI_PROBE_NR_CHECKS];
	char *lsm_param; /* lsm= value enabling bpf, when bpf is inactive */
	char *lsm_fix; /* the fix naming it, made once */
	bool nomem; /* a text could not be allocated */
};

/* Record CHECK's outcome; FIX may be NULL. */
__attribute__((format(printf, 5, 6))) void
probe_set(struct krsi_probe_report *r, enum krsi_probe_check check,
	  enum krsi_probe_status status, const char *fix, const char *fmt, ...);
/* The fix for a kernel that does not run BPF LSM programs (owned by R). */
const char *probe_lsm_fix(struct krsi_probe_report *r);

/* lib/probe_system.c: checks that read files. */
void probe_btf(struct krsi_probe_report *r);
void probe_active(struct krsi_probe_report *r);
void probe_cmdline(struct krsi_probe_report *r);
void probe_bpffs(struct krsi_probe_report *r);
void probe_caps(struct krsi_probe_report *r);
void probe_lockdown(struct krsi_probe_report *r);

/* lib/probe_canary.c: the checks that load a program. */
void probe_canary(struct krsi_probe_report *r, bool passive);

/* Pure parsers, unit-tested. */
/* The lsm= value that keeps ACTIVE's order and appends bpf (malloc'ed). */
char *krsi_lsm_param_with_bpf(const char *active);
/* Whether a comma-separated list has NAME. */
bool krsi_list_has(const char *list, const char *name);
/* The value of PARAM= in a kernel command line, malloc'ed, or NULL. */
char *krsi_cmdline_param(const char *cmdline, const char *param);
/* The mount point of the first FSTYPE mount in mountinfo text, or NULL. */
char *krsi_mountinfo_find(const char *mountinfo, const char *fstype);
/* The bracketed lockdown mode in "none [integrity] confidentiality". */
char *krsi_lockdown_mode(const char *text);

#endif /* KRSI_PROBE_INTERNAL_H */
