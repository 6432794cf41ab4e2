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
 *
 * What the kernel offers LSM programs beyond that (sleepable and
 * per-cgroup programs, helpers, kfuncs, map types) is measured apart, by
 * krsi_features__probe(): see #krsi_feature.
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

/* --- Features ------------------------------------------------------------ */

/**
 * @brief What the running kernel offers an LSM program, one feature each.
 *
 * krsi_features__probe() measures each on the running kernel: the
 * kernel's BTF says whether it has a program type, attach type, map type,
 * helper (@c enum @c bpf_func_id) or kfunc at all; a trial load says
 * whether an LSM program may use it. krsi_feature__since() gives the first
 * upstream release that has each, as documentation. docs/compat.md has the
 * table for Debian's kernel lines, which the kernel tests check.
 * Later releases of libkrsi may add features at the end.
 */
enum krsi_feature {
	/** @c lsm/ programs (@c BPF_PROG_TYPE_LSM, @c BPF_LSM_MAC). */
	KRSI_FEATURE_LSM = 0,
	/** Sleepable @c lsm.s/ programs, on the hooks that allow them. */
	KRSI_FEATURE_LSM_SLEEPABLE = 1,
	/** Per-cgroup @c lsm_cgroup/ programs (@c BPF_LSM_CGROUP). */
	KRSI_FEATURE_LSM_CGROUP = 2,
	/** @c syscall programs, run with @c bpf_prog_test_run(). */
	KRSI_FEATURE_SYSCALL_PROG = 3,
	/** Ring buffers (@c BPF_MAP_TYPE_RINGBUF), for events. */
	KRSI_FEATURE_RINGBUF = 4,
	/** Task local storage (@c BPF_MAP_TYPE_TASK_STORAGE). */
	KRSI_FEATURE_TASK_STORAGE = 5,
	/** Inode local storage (@c BPF_MAP_TYPE_INODE_STORAGE). */
	KRSI_FEATURE_INODE_STORAGE = 6,
	/** bpf_get_current_task_btf() in @c lsm/ programs. */
	KRSI_FEATURE_CURRENT_TASK_BTF = 7,
	/** bpf_task_pt_regs() in @c lsm/ programs. */
	KRSI_FEATURE_TASK_PT_REGS = 8,
	/** bpf_loop() in @c lsm/ programs. */
	KRSI_FEATURE_LOOP = 9,
	/** bpf_d_path() in @c lsm/ programs on file_open. */
	KRSI_FEATURE_D_PATH = 10,
	/** The bpf_path_d_path() kfunc in @c lsm/ programs. */
	KRSI_FEATURE_PATH_D_PATH = 11,
	/** bpf_ima_inode_hash() in @c lsm.s/ programs. */
	KRSI_FEATURE_IMA_INODE_HASH = 12,
	/** bpf_ima_file_hash() in @c lsm.s/ programs. */
	KRSI_FEATURE_IMA_FILE_HASH = 13,
	/** The bpf_get_file_xattr() kfunc in @c lsm.s/ programs. */
	KRSI_FEATURE_GET_FILE_XATTR = 14,
	/** The bpf_get_dentry_xattr() kfunc in @c lsm.s/ programs. */
	KRSI_FEATURE_GET_DENTRY_XATTR = 15,
	/** The bpf_set_dentry_xattr() and bpf_remove_dentry_xattr() kfuncs. */
	KRSI_FEATURE_SET_DENTRY_XATTR = 16,
	/**
	 * Hook arguments the verifier treats as possibly NULL (named
	 * @c NAME__nullable in the kernel's BTF, as mmap_file's file): a
	 * program must test them before any use.
	 */
	KRSI_FEATURE_NULLABLE_ARGS = 17,
	/**
	 * An LSM program's link tells its hook (@c target_btf_id of
	 * <tt>struct bpf_link_info</tt>), so that a program attached by
	 * anyone can be named (krsi_list_attachments()).
	 */
	KRSI_FEATURE_LINK_HOOK = 18,
	/**
	 * BTF declaration tags in the kernel's copy of a program's BTF, which
	 * carry the field markers of <krsi/event.bpf.h> (@c KRSI_PATH,
	 * @c KRSI_IPV4 ...) to a consumer reading a pinned policy's types:
	 * without them such fields print as plain numbers and arrays.
	 */
	KRSI_FEATURE_BTF_DECL_TAG = 19,
};

/** What krsi_features__probe() measured. Opaque. */
struct krsi_features;

/** Options of krsi_features__probe(). Declare with KRSI_OPTS(). */
struct krsi_features_opts {
	/** Size of this struct, set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * Read BTF only, load no program: a feature BTF cannot decide is
	 * #KRSI_UNKNOWN.
	 */
	bool passive;
	/** Padding: the struct's size is a multiple of size_t. */
	size_t : 0;
};

/**
 * @brief Measure what the running kernel offers LSM programs.
 *
 * Reads the kernel's BTF, then makes about 20 trial loads of programs
 * doing nothing but using the feature (unless @c passive), each unloaded at
 * once; nothing is attached. Where this process cannot load LSM programs
 * (without privileges, or on a kernel that refuses them before
 * verification), the features BTF cannot decide are #KRSI_UNKNOWN, with
 * the reason as their evidence.
 *
 * @param opts options; NULL for a full probe
 * @return The answers, to be freed with krsi_features__free(); NULL with
 *         errno set: @c EINVAL when @p opts is invalid, @c ENOENT when the
 *         kernel exposes no BTF (/sys/kernel/btf/vmlinux), @c ENOMEM.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_features *
krsi_features__probe(const struct krsi_features_opts *opts);

/**
 * @brief Free the answers of krsi_features__probe().
 *
 * @param features the answers; NULL is ignored
 *
 * Not thread-safe: no other call may use @p features at the same time.
 */
KRSI_API void krsi_features__free(struct krsi_features *features);

/**
 * @brief Number of features; features are numbered from 0.
 *
 * @param features the answers
 * @return The count (later releases may add features at the end); 0 with
 *         errno set to @c EINVAL when @p features is NULL.
 *
 * Thread-safe.
 */
KRSI_API size_t krsi_features__cnt(const struct krsi_features *features);

/**
 * @brief Whether the running kernel has a feature.
 *
 * @param features the answers
 * @param feature the feature
 * @return #KRSI_YES or #KRSI_NO as measured; #KRSI_UNKNOWN when it could
 *         not be told (see krsi_features__evidence()), or with errno set
 *         to @c EINVAL when @p features is NULL or @p feature out of
 *         range.
 *
 * Thread-safe.
 */
KRSI_API enum krsi_tristate
krsi_features__has(const struct krsi_features *features,
		   enum krsi_feature feature);

/**
 * @brief How a feature's answer was found, in a sentence: the BTF
 *        looked at, the trial load made and what the verifier said.
 *
 * @param features the answers
 * @param feature the feature
 * @return The evidence, owned by @p features; NULL with errno set to
 *         @c EINVAL when @p features is NULL or @p feature out of range.
 *
 * Thread-safe.
 */
KRSI_API const char *
krsi_features__evidence(const struct krsi_features *features,
			enum krsi_feature feature);

/**
 * @brief A feature's short name, as the @c krsi tool's JSON and
 *        docs/compat.md print it: "lsm", "lsm_sleepable", "lsm_cgroup",
 *        "syscall_prog", "ringbuf", "task_storage", "inode_storage",
 *        "current_task_btf", "task_pt_regs", "loop", "d_path",
 *        "path_d_path", "ima_inode_hash", "ima_file_hash",
 *        "get_file_xattr", "get_dentry_xattr", "set_dentry_xattr",
 *        "nullable_args", "link_hook", "btf_decl_tag".
 *
 * @param feature the feature
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         feature.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_feature__name(enum krsi_feature feature);

/**
 * @brief A feature's title, such as "lsm_cgroup/ programs (per cgroup)".
 *
 * @param feature the feature
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         feature.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_feature__title(enum krsi_feature feature);

/**
 * @brief The first upstream Linux release that has a feature, such as
 *        "6.0" for #KRSI_FEATURE_LSM_CGROUP.
 *
 * Documentation, not a test: distribution kernels backport features, so
 * decide with krsi_features__has(), never with a version number. The
 * releases come from the kernel commits that added each feature, cited in
 * lib/features.c.
 *
 * @param feature the feature
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         feature.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_feature__since(enum krsi_feature feature);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_PROBE_H */
