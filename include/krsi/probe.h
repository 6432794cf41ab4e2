/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file probe.h
 * @brief Is BPF LSM really enforcing here? A layered report, with
 *        evidence and fixes.
 *
 * The most common failure of BPF LSM products is silent: @c bpf is missing
 * from the kernel's active LSM list, programs load and attach, and nothing
 * is ever enforced. krsi_probe_report__new() checks each layer in turn,
 * from the kernel's build to a functional canary, and says for each check
 * what it found (the evidence) and, when it failed, what to do (the fix):
 *
 * | check | what it looks at |
 * | --- | --- |
 * | #KRSI_PROBE_BTF | /sys/kernel/btf/vmlinux |
 * | #KRSI_PROBE_COMPILED_IN | the @c bpf_lsm_* hook functions in that BTF |
 * | #KRSI_PROBE_ACTIVE | @c bpf in /sys/kernel/security/lsm |
 * | #KRSI_PROBE_CMDLINE | @c lsm= in /proc/cmdline |
 * | #KRSI_PROBE_BPFFS | a bpf filesystem in /proc/self/mountinfo |
 * | #KRSI_PROBE_CAPS | CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN |
 * | #KRSI_PROBE_LOCKDOWN | /sys/kernel/security/lockdown |
 * | #KRSI_PROBE_LOAD | a trial load of an LSM program |
 * | #KRSI_PROBE_CANARY | a program on @c task_getsid denies this thread's getsid() |
 *
 * The canary is the proof: it is attached, getsid() is called, and the
 * call must fail with EPERM and the program must have run; then it is
 * detached and getsid() must succeed. The probe never leaves anything
 * attached or loaded and never mounts anything: a check it cannot make
 * (securityfs not mounted, a passive probe) is #KRSI_PROBE_NOT_CHECKED,
 * with the reason as its evidence.
 */
#ifndef KRSI_PROBE_H
#define KRSI_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <krsi/common.h>
#include <krsi/hooks.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The result of a probe. Opaque. */
struct krsi_probe_report;

/** The checks of a probe, in the order they are made. */
enum krsi_probe_check {
	KRSI_PROBE_BTF = 0, /**< vmlinux BTF is present. */
	KRSI_PROBE_COMPILED_IN = 1, /**< BPF LSM is compiled in. */
	KRSI_PROBE_ACTIVE = 2, /**< @c bpf is in the active LSM list. */
	KRSI_PROBE_CMDLINE = 3, /**< @c lsm= does not leave @c bpf out. */
	KRSI_PROBE_BPFFS = 4, /**< A bpf filesystem is mounted. */
	KRSI_PROBE_CAPS = 5, /**< This process may load LSM programs. */
	KRSI_PROBE_LOCKDOWN = 6, /**< Lockdown leaves BPF helpers alone. */
	KRSI_PROBE_LOAD = 7, /**< An LSM program loads. */
	KRSI_PROBE_CANARY = 8, /**< An LSM program runs and denies. */
};

/** The outcome of one check. */
enum krsi_probe_status {
	KRSI_PROBE_OK = 0, /**< Checked: fine. */
	KRSI_PROBE_FAILED = 1, /**< Checked: not fine; see the fix. */
	KRSI_PROBE_NOT_CHECKED = 2, /**< Not checked; the evidence says why. */
};

/** Options of krsi_probe_report__new(). Declare with KRSI_OPTS(). */
struct krsi_probe_opts {
	/** Size of this struct, set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * Only read files: load no program, so #KRSI_PROBE_LOAD and
	 * #KRSI_PROBE_CANARY are not checked and the verdict is at best
	 * #KRSI_UNKNOWN.
	 */
	bool passive;
	/** Padding: the struct's size is a multiple of size_t. */
	size_t : 0;
};

/**
 * @brief Probe the running kernel and this process.
 *
 * A failed check is not an error: it is in the report. The canary briefly
 * denies getsid() on the calling thread only.
 *
 * @param opts options; NULL for a full probe
 * @return The report, to be freed with krsi_probe_report__free(); NULL
 *         with errno set: @c EINVAL when @p opts is invalid, @c ENOMEM.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_probe_report *
krsi_probe_report__new(const struct krsi_probe_opts *opts);

/**
 * @brief Free a report.
 *
 * @param report the report; NULL is ignored
 *
 * Not thread-safe: no other call may use @p report at the same time.
 */
KRSI_API void krsi_probe_report__free(struct krsi_probe_report *report);

/**
 * @brief The verdict: is BPF LSM really enforcing?
 *
 * @param report the report
 * @return #KRSI_YES only when the canary proved it; #KRSI_NO when a
 *         required check failed (see krsi_probe_check_required());
 *         #KRSI_UNKNOWN when it could not be told (a passive probe), or
 *         with errno set to @c EINVAL when @p report is NULL.
 *
 * Thread-safe.
 */
KRSI_API enum krsi_tristate
krsi_probe_report__enforcing(const struct krsi_probe_report *report);

/**
 * @brief Number of checks in a report; checks are numbered from 0.
 *
 * @param report the report
 * @return The count (later releases may add checks at the end); 0 with
 *         errno set to @c EINVAL when @p report is NULL.
 *
 * Thread-safe.
 */
KRSI_API unsigned int
krsi_probe_report__count(const struct krsi_probe_report *report);

/**
 * @brief The outcome of a check.
 *
 * @param report the report
 * @param check the check
 * @return Its status; #KRSI_PROBE_NOT_CHECKED with errno set to @c EINVAL
 *         when @p report is NULL or @p check out of range.
 *
 * Thread-safe.
 */
KRSI_API enum krsi_probe_status
krsi_probe_report__status(const struct krsi_probe_report *report,
			  enum krsi_probe_check check);

/**
 * @brief What a check found, in one or a few sentences.
 *
 * @param report the report
 * @param check the check
 * @return The evidence, owned by @p report; NULL with errno set to
 *         @c EINVAL when @p report is NULL or @p check out of range.
 *
 * Thread-safe.
 */
KRSI_API const char *
krsi_probe_report__evidence(const struct krsi_probe_report *report,
			    enum krsi_probe_check check);

/**
 * @brief What to do about a failed check, for a system owner.
 *
 * @param report the report
 * @param check the check
 * @return The fix, owned by @p report; NULL when the check did not fail
 *         (errno unchanged), or with errno set to @c EINVAL when
 *         @p report is NULL or @p check out of range.
 *
 * Thread-safe.
 */
KRSI_API const char *
krsi_probe_report__fix(const struct krsi_probe_report *report,
		       enum krsi_probe_check check);

/**
 * @brief The @c lsm= value that enables BPF LSM: the current @c lsm=
 *        value, or without one the active LSMs, in their order, with
 *        @c bpf appended.
 *
 * @param report the report
 * @return The value, such as "landlock,lockdown,yama,apparmor,bpf", owned
 *         by @p report; NULL when @c bpf is active or the active list could
 *         not be read (errno unchanged), or with errno set to @c EINVAL
 *         when @p report is NULL.
 *
 * Thread-safe.
 */
KRSI_API const char *
krsi_probe_report__lsm_param(const struct krsi_probe_report *report);

/**
 * @brief A check's short name, as the @c krsi tool's JSON prints it:
 *        "btf", "compiled_in", "active", "cmdline", "bpffs", "caps",
 *        "lockdown", "load", "canary".
 *
 * @param check the check
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         check.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_probe_check_name(enum krsi_probe_check check);

/**
 * @brief A check's title, such as "bpf in the active LSM list".
 *
 * @param check the check
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         check.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_probe_check_title(enum krsi_probe_check check);

/**
 * @brief Whether BPF LSM cannot enforce for this process when the check
 *        fails.
 *
 * #KRSI_PROBE_CMDLINE, #KRSI_PROBE_BPFFS and #KRSI_PROBE_LOCKDOWN are
 * advice: their failure limits what programs can do, or explains another
 * check's failure, but does not stop enforcement.
 *
 * @param check the check
 * @return true when required; false for advice or an unknown check.
 *
 * Thread-safe.
 */
KRSI_API bool krsi_probe_check_required(enum krsi_probe_check check);

/**
 * @brief A status as text: "ok", "failed" or "not checked".
 *
 * @param status the status
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         status.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_probe_status_str(enum krsi_probe_status status);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_PROBE_H */
