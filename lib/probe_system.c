// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The probe's checks that only read: BTF, the LSM lists, the command line,
 * mounts, capabilities, lockdown. Nothing here mounts or changes anything.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "probe_internal.h"
#include "strbuf.h"

#define LSM_FILE "/sys/kernel/security/lsm"
#define BPFFS_FIX "mount -t bpf -o mode=0700 bpf /sys/fs/bpf"
#define LOCKDOWN_FILE "/sys/kernel/security/lockdown"
#define BTF_FILE "/sys/kernel/btf/vmlinux"

/* Read a small file whole, NUL-terminated; NULL with errno set. */
static char *slurp(const char *path)
{
	struct strbuf sb = {};
	char chunk[4096];
	size_t n;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_printf(&sb, "%.*s", (int)n, chunk);
	fclose(f);
	if (!sb_str(&sb)) {
		sb_free(&sb);
		errno = ENOMEM;
		return NULL;
	}
	return sb_steal(&sb);
}

bool krsi_list_has(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while (p && *p) {
		if (!strncmp(p, name, len) &&
		    (p[len] == ',' || p[len] == '\0' || p[len] == '\n'))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

char *krsi_lsm_param_with_bpf(const char *active)
{
	struct strbuf sb = {};
	const char *p = active, *end;
	size_t len;

	/* capability is always first and cannot be listed in lsm=. */
	while (*p) {
		end = p + strcspn(p, ",\n");
		len = end - p;
		if (len && !(len == 10 && !strncmp(p, "capability", 10)))
			sb_printf(&sb, "%s%.*s", sb.len ? "," : "", (int)len,
				  p);
		p = *end ? end + 1 : end;
	}
	sb_printf(&sb, "%sbpf", sb.len ? "," : "");
	return sb_steal(&sb);
}

char *krsi_cmdline_param(const char *cmdline, const char *param)
{
	size_t len = strlen(param);
	const char *p = cmdline, *found = NULL;

	/* Parameters are separated by spaces; the last one given wins. */
	while (*p) {
		p += strspn(p, " \t\n");
		if (!strncmp(p, param, len) && p[len] == '=')
			found = p + len + 1;
		p += strcspn(p, " \t\n");
	}
	return found ? strndup(found, strcspn(found, " \t\n")) : NULL;
}

char *krsi_mountinfo_find(const char *mountinfo, const char *fstype)
{
	const char *line = mountinfo, *sep, *f;
	char point[4096];
	size_t flen = strlen(fstype);

	/* "36 35 98:0 /root /mnt opts [optional...] - FSTYPE SOURCE OPTS" */
	while (line && *line) {
		sep = strstr(line, " - ");
		f = sep ? sep + 3 : NULL;
		if (f && !strncmp(f, fstype, flen) && f[flen] == ' ' &&
		    sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1)
			return strdup(point);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

char *krsi_lockdown_mode(const char *text)
{
	const char *open = strchr(text, '['), *close;

	if (!open)
		return NULL;
	close = strchr(open, ']');
	return close ? strndup(open + 1, close - open - 1) : NULL;
}

void probe_btf(struct krsi_probe_report *r)
{
	struct krsi_hooks *hooks;
	struct stat st;

	if (stat(BTF_FILE, &st)) {
		probe_set(
			r, KRSI_PROBE_BTF, KRSI_PROBE_FAILED,
			"boot a kernel built with CONFIG_DEBUG_INFO_BTF=y",
			"no %s (%s): the kernel exposes no BTF, which BPF LSM programs need to attach",
			BTF_FILE, strerror(errno));
		probe_set(
			r, KRSI_PROBE_COMPILED_IN, KRSI_PROBE_NOT_CHECKED, NULL,
			"the hooks are found in vmlinux BTF, and there is none");
		return;
	}
	hooks = krsi_hooks__load(NULL);
	if (!hooks && errno != ENOENT) {
		probe_set(
			r, KRSI_PROBE_BTF, KRSI_PROBE_FAILED,
			"check the kernel's BTF; a kernel built with CONFIG_DEBUG_INFO_BTF=y exposes valid BTF",
			"%s cannot be used: %s", BTF_FILE, strerror(errno));
		probe_set(
			r, KRSI_PROBE_COMPILED_IN, KRSI_PROBE_NOT_CHECKED, NULL,
			"the hooks are found in vmlinux BTF, which cannot be read");
		return;
	}
	probe_set(r, KRSI_PROBE_BTF, KRSI_PROBE_OK, NULL,
		  "%s: %lld bytes of BTF", BTF_FILE, (long long)st.st_size);
	if (!hooks) {
		probe_set(
			r, KRSI_PROBE_COMPILED_IN, KRSI_PROBE_FAILED,
			"boot a kernel built with CONFIG_BPF_LSM=y",
			"vmlinux BTF has no bpf_lsm_* hook functions: the kernel was built without CONFIG_BPF_LSM");
		return;
	}
	probe_set(
		r, KRSI_PROBE_COMPILED_IN, KRSI_PROBE_OK, NULL,
		"vmlinux BTF has %zu LSM hooks with bpf_lsm_* functions, such as bpf_lsm_%s",
		krsi_hooks__count(hooks),
		krsi_hook__name(krsi_hooks__find(hooks, "file_open")
					?: krsi_hooks__at(hooks, 0)));
	krsi_hooks__free(hooks);
}

/* Where a filesystem type is mounted, from this process's view; NULL if
 * nowhere or the mount table cannot be read. */
static char *mount_point(const char *fstype)
{
	char *info = slurp("/proc/self/mountinfo"), *point;

	if (!info)
		return NULL;
	point = krsi_mountinfo_find(info, fstype);
	free(info);
	return point;
}

/*
 * The lsm= value enabling bpf: the lsm= the owner wrote, if any, else the
 * active list (early LSMs such as lockdown come first there), with bpf
 * appended.
 */
static char *lsm_param(const char *active)
{
	char *cmdline = slurp("/proc/cmdline"), *lsm, *param;

	lsm = cmdline ? krsi_cmdline_param(cmdline, "lsm") : NULL;
	param = krsi_lsm_param_with_bpf(lsm ? lsm : active);
	free(lsm);
	free(cmdline);
	return param;
}

void probe_active(struct krsi_probe_report *r)
{
	char *list = slurp(LSM_FILE), *point;
	int err = errno;

	if (!list) {
		point = mount_point("securityfs");
		if (!point)
			probe_set(
				r, KRSI_PROBE_ACTIVE, KRSI_PROBE_NOT_CHECKED,
				NULL,
				"securityfs is not mounted, so %s cannot be read (libkrsi does not mount it: mount -t securityfs securityfs /sys/kernel/security, then probe again)",
				LSM_FILE);
		else
			probe_set(r, KRSI_PROBE_ACTIVE, KRSI_PROBE_NOT_CHECKED,
				  NULL, "cannot read %s: %s", LSM_FILE,
				  strerror(err));
		free(point);
		return;
	}
	list[strcspn(list, "\n")] = '\0';
	if (krsi_list_has(list, "bpf")) {
		probe_set(r, KRSI_PROBE_ACTIVE, KRSI_PROBE_OK, NULL,
			  "active LSMs (%s): %s", LSM_FILE, list);
	} else {
		r->lsm_param = lsm_param(list);
		if (!r->lsm_param)
			r->nomem = true;
		probe_set(
			r, KRSI_PROBE_ACTIVE, KRSI_PROBE_FAILED,
			probe_lsm_fix(r),
			"active LSMs (%s): %s: bpf is not among them, so the kernel never runs BPF LSM programs, though they load and attach",
			LSM_FILE, list);
	}
	free(list);
}

void probe_cmdline(struct krsi_probe_report *r)
{
	bool inactive = r->items[KRSI_PROBE_ACTIVE].status == KRSI_PROBE_FAILED;
	char *cmdline = slurp("/proc/cmdline"), *lsm;

	if (!cmdline) {
		probe_set(r, KRSI_PROBE_CMDLINE, KRSI_PROBE_NOT_CHECKED, NULL,
			  "cannot read /proc/cmdline: %s", strerror(errno));
		return;
	}
	lsm = krsi_cmdline_param(cmdline, "lsm");
	if (lsm && krsi_list_has(lsm, "bpf"))
		probe_set(r, KRSI_PROBE_CMDLINE, KRSI_PROBE_OK, NULL,
			  "lsm=%s includes bpf", lsm);
	else if (lsm)
		probe_set(r, KRSI_PROBE_CMDLINE, KRSI_PROBE_FAILED,
			  probe_lsm_fix(r), "lsm=%s leaves bpf out", lsm);
	else if (inactive)
		probe_set(
			r, KRSI_PROBE_CMDLINE, KRSI_PROBE_FAILED,
			probe_lsm_fix(r),
			"no lsm= parameter, and the kernel's built-in list (CONFIG_LSM) leaves bpf out");
	else
		probe_set(
			r, KRSI_PROBE_CMDLINE, KRSI_PROBE_OK, NULL,
			"no lsm= parameter: the kernel's built-in list (CONFIG_LSM) applies");
	free(lsm);
	free(cmdline);
}

#define BPFFS_FIX "mount -t bpf -o mode=0700 bpf /sys/fs/bpf"

void probe_bpffs(struct krsi_probe_report *r)
{
	char *point = mount_point("bpf"), fix[PATH_MAX + 160];
	struct stat st = {};

	if (!point) {
		probe_set(
			r, KRSI_PROBE_BPFFS, KRSI_PROBE_FAILED,
			BPFFS_FIX " (systemd mounts it so at boot)",
			"no bpf filesystem is mounted: programs cannot be pinned to outlive the process that loads them");
	} else if (!stat(point, &st) && (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(
			fix, sizeof(fix),
			"mount -o remount,mode=0700 %s, and mount it so at boot (" BPFFS_FIX
			", as systemd does)",
			point);
		probe_set(
			r, KRSI_PROBE_BPFFS, KRSI_PROBE_FAILED, fix,
			"the bpf filesystem at %s has mode %04o: any local user can create the directories policies are pinned in before root does (libkrsi then takes them back, with a warning)",
			point, st.st_mode & 07777);
	} else {
		probe_set(
			r, KRSI_PROBE_BPFFS, KRSI_PROBE_OK, NULL,
			"a bpf filesystem is mounted at %s, writable by root only",
			point);
	}
	free(point);
}

int krsi_effective_caps(__u64 *caps)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	*caps = data[0].effective | (__u64)data[1].effective << 32;
	return 0;
}

void probe_caps(struct krsi_probe_report *r)
{
	bool admin, bpf, perfmon;
	__u64 caps;
	int err;

	err = krsi_effective_caps(&caps);
	if (err) {
		probe_set(r, KRSI_PROBE_CAPS, KRSI_PROBE_NOT_CHECKED, NULL,
			  "capget() failed: %s", strerror(-err));
		return;
	}
	admin = caps & 1ULL << CAP_SYS_ADMIN;
	bpf = caps & 1ULL << CAP_BPF;
	perfmon = caps & 1ULL << CAP_PERFMON;
	if (admin || (bpf && perfmon))
		probe_set(r, KRSI_PROBE_CAPS, KRSI_PROBE_OK, NULL,
			  "effective capabilities include %s",
			  admin ? "CAP_SYS_ADMIN" : "CAP_BPF and CAP_PERFMON");
	else
		probe_set(
			r, KRSI_PROBE_CAPS, KRSI_PROBE_FAILED,
			"run as root, or give the program CAP_BPF and CAP_PERFMON (setcap cap_bpf,cap_perfmon+ep PROGRAM, or AmbientCapabilities=CAP_BPF CAP_PERFMON in its systemd unit)",
			"effective capabilities lack %s%s%s",
			bpf ? "" : "CAP_BPF, ", perfmon ? "" : "CAP_PERFMON, ",
			"and CAP_SYS_ADMIN");
}

void probe_lockdown(struct krsi_probe_report *r)
{
	char *text = slurp(LOCKDOWN_FILE), *mode;

	if (!text) {
		probe_set(
			r, KRSI_PROBE_LOCKDOWN, KRSI_PROBE_NOT_CHECKED, NULL,
			"cannot read %s (%s): the lockdown LSM is not built in, or securityfs is not mounted",
			LOCKDOWN_FILE, strerror(errno));
		return;
	}
	mode = krsi_lockdown_mode(text);
	if (!mode)
		probe_set(r, KRSI_PROBE_LOCKDOWN, KRSI_PROBE_NOT_CHECKED, NULL,
			  "%s has no [mode]: %s", LOCKDOWN_FILE, text);
	else if (!strcmp(mode, "confidentiality"))
		probe_set(
			r, KRSI_PROBE_LOCKDOWN, KRSI_PROBE_FAILED,
			"if your programs need those helpers, boot with lockdown=integrity",
			"lockdown=confidentiality: the kernel refuses BPF helpers that read kernel memory, such as bpf_probe_read_kernel(); programs calling them fail to load");
	else if (!strcmp(mode, "integrity"))
		probe_set(
			r, KRSI_PROBE_LOCKDOWN, KRSI_PROBE_OK, NULL,
			"lockdown=integrity: only bpf_probe_write_user() is refused");
	else
		probe_set(r, KRSI_PROBE_LOCKDOWN, KRSI_PROBE_OK, NULL,
			  "lockdown=%s", mode);
	free(mode);
	free(text);
}
