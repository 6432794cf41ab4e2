// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The probe's report: its checks in order, and what callers read of it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_internal.h"
#include "strbuf.h"

static const struct {
	const char *name;
	const char *title;
	bool required;
} checks[KRSI_PROBE_NR_CHECKS] = {
	[KRSI_PROBE_BTF] = { "btf", "vmlinux BTF present", true },
	[KRSI_PROBE_COMPILED_IN] = { "compiled_in", "BPF LSM compiled in",
				     true },
	[KRSI_PROBE_ACTIVE] = { "active", "bpf in the active LSM list", true },
	[KRSI_PROBE_CMDLINE] = { "cmdline", "lsm= on the kernel command line",
				 false },
	[KRSI_PROBE_BPFFS] = { "bpffs", "bpf filesystem mounted", false },
	[KRSI_PROBE_CAPS] = { "caps", "capabilities to load LSM programs",
			      true },
	[KRSI_PROBE_LOCKDOWN] = { "lockdown", "lockdown mode", false },
	[KRSI_PROBE_LOAD] = { "load", "an LSM program loads", true },
	[KRSI_PROBE_CANARY] = { "canary", "a canary program runs and denies",
				true },
};

void probe_set(struct krsi_probe_report *r, enum krsi_probe_check check,
	       enum krsi_probe_status status, const char *fix, const char *fmt,
	       ...)
{
	struct probe_item *item = &r->items[check];
	struct strbuf sb = {};
	va_list args;

	va_start(args, fmt);
	sb_vprintf(&sb, fmt, args);
	va_end(args);
	free(item->evidence);
	free(item->fix);
	item->status = status;
	item->evidence = sb_steal(&sb);
	item->fix = fix ? strdup(fix) : NULL;
	if (!item->evidence || (fix && !item->fix))
		r->nomem = true;
}

const char *probe_lsm_fix(struct krsi_probe_report *r)
{
	static const char how[] =
		" (with GRUB: add it to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub) and reboot";
	struct strbuf sb = {};

	if (r->lsm_fix)
		return r->lsm_fix;
	if (r->lsm_param)
		sb_printf(
			&sb,
			"add bpf to the lsm= kernel parameter, keeping the current order: lsm=%s%s",
			r->lsm_param, how);
	else
		sb_printf(
			&sb,
			"add bpf to the lsm= kernel parameter, after the LSMs listed in /sys/kernel/security/lsm%s",
			how);
	r->lsm_fix = sb_steal(&sb);
	if (!r->lsm_fix)
		r->nomem = true;
	return r->lsm_fix;
}

struct krsi_probe_report *
krsi_probe_report__new(const struct krsi_probe_opts *opts)
{
	struct krsi_probe_report *r;

	if (!OPTS_VALID(opts, krsi_probe_opts, passive))
		return krsi_err_ptr(-EINVAL);
	r = calloc(1, sizeof(*r));
	if (!r)
		return krsi_err_ptr(-ENOMEM);
	probe_btf(r);
	probe_active(r);
	probe_cmdline(r);
	probe_bpffs(r);
	probe_caps(r);
	probe_lockdown(r);
	probe_canary(r, OPTS_GET(opts, passive, false));
	if (r->nomem) {
		krsi_probe_report__free(r);
		return krsi_err_ptr(-ENOMEM);
	}
	return r;
}

int krsi_probe_attach_check(bool built_in)
{
	static const enum krsi_probe_check checks[] = {
		KRSI_PROBE_COMPILED_IN,
		KRSI_PROBE_ACTIVE,
	};
	struct krsi_probe_report *r = calloc(1, sizeof(*r));
	int err = 0;
	size_t i;

	if (!r)
		return -ENOMEM;
	if (!built_in)
		probe_btf(r);
	probe_active(r);
	if (r->nomem)
		err = -ENOMEM;
	for (i = 0; i < sizeof(checks) / sizeof(*checks) && !err; i++) {
		const struct probe_item *item = &r->items[checks[i]];

		if (item->status != KRSI_PROBE_FAILED)
			continue;
		pr_warn("BPF LSM is not enforcing on this kernel, so attached programs would never run: %s: %s; %s\n",
			krsi_probe_check_title(checks[i]), item->evidence,
			item->fix);
		err = -ENODEV;
	}
	krsi_probe_report__free(r);
	return err;
}

void krsi_probe_report__free(struct krsi_probe_report *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < KRSI_PROBE_NR_CHECKS; i++) {
		free(r->items[i].evidence);
		free(r->items[i].fix);
	}
	free(r->lsm_param);
	free(r->lsm_fix);
	free(r);
}

enum krsi_tristate
krsi_probe_report__enforcing(const struct krsi_probe_report *r)
{
	int i;

	if (!r) {
		errno = EINVAL;
		return KRSI_UNKNOWN;
	}
	if (r->items[KRSI_PROBE_CANARY].status == KRSI_PROBE_OK)
		return KRSI_YES;
	for (i = 0; i < KRSI_PROBE_NR_CHECKS; i++)
		if (checks[i].required &&
		    r->items[i].status == KRSI_PROBE_FAILED)
			return KRSI_NO;
	return KRSI_UNKNOWN;
}

unsigned int krsi_probe_report__count(const struct krsi_probe_report *r)
{
	if (!r) {
		errno = EINVAL;
		return 0;
	}
	return KRSI_PROBE_NR_CHECKS;
}

static const struct probe_item *item_of(const struct krsi_probe_report *r,
					enum krsi_probe_check check)
{
	if (!r || (unsigned int)check >= KRSI_PROBE_NR_CHECKS)
		return krsi_err_ptr(-EINVAL);
	return &r->items[check];
}

enum krsi_probe_status
krsi_probe_report__status(const struct krsi_probe_report *r,
			  enum krsi_probe_check check)
{
	const struct probe_item *item = item_of(r, check);

	return item ? item->status : KRSI_PROBE_NOT_CHECKED;
}

const char *krsi_probe_report__evidence(const struct krsi_probe_report *r,
					enum krsi_probe_check check)
{
	const struct probe_item *item = item_of(r, check);

	return item ? item->evidence : NULL;
}

const char *krsi_probe_report__fix(const struct krsi_probe_report *r,
				   enum krsi_probe_check check)
{
	const struct probe_item *item = item_of(r, check);

	return item ? item->fix : NULL;
}

const char *krsi_probe_report__lsm_param(const struct krsi_probe_report *r)
{
	if (!r)
		return krsi_err_ptr(-EINVAL);
	return r->lsm_param;
}

const char *krsi_probe_check_name(enum krsi_probe_check check)
{
	if ((unsigned int)check >= KRSI_PROBE_NR_CHECKS)
		return krsi_err_ptr(-EINVAL);
	return checks[check].name;
}

const char *krsi_probe_check_title(enum krsi_probe_check check)
{
	if ((unsigned int)check >= KRSI_PROBE_NR_CHECKS)
		return krsi_err_ptr(-EINVAL);
	return checks[check].title;
}

bool krsi_probe_check_required(enum krsi_probe_check check)
{
	return (unsigned int)check < KRSI_PROBE_NR_CHECKS &&
	       checks[check].required;
}

const char *krsi_probe_status_str(enum krsi_probe_status status)
{
	static const char *const names[] = { "ok", "failed", "not checked" };

	if ((unsigned int)status > KRSI_PROBE_NOT_CHECKED)
		return krsi_err_ptr(-EINVAL);
	return names[status];
}
