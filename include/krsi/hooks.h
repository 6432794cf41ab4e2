/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file hooks.h
 * @brief The catalog of LSM hooks a kernel offers BPF programs.
 *
 * The catalog is read from BTF: every @c bpf_lsm_NAME function whose NAME
 * is an LSM hook (a member of the kernel's <tt>union
 * security_list_options</tt>), leaving out the @c bpf_lsm_* functions that
 * are not hooks. Each hook has its arguments with their C types, a C
 * declaration and a return class: #KRSI_HOOK_RET_INT hooks return 0 or
 * -errno and can deny, #KRSI_HOOK_RET_BOOL hooks answer yes or no, and
 * #KRSI_HOOK_RET_VOID hooks cannot deny at all.
 *
 * Three flags are not in BTF: whether the kernel refuses BPF programs on
 * the hook (#KRSI_HOOK_DISABLED), lets sleepable programs attach
 * (#KRSI_HOOK_SLEEPABLE), or lets programs attach per cgroup
 * (#KRSI_HOOK_CGROUP). On the running kernel they come from, in order:
 * - libkrsi's data for this exact kernel build (#KRSI_FLAG_KNOWN): it
 *   ships the flags of the Debian builds it was generated from (by
 *   scripts/gen-hook-flags.sh, from each build's own BTF id sets), and
 *   uses them only on a kernel whose GNU build ID (/sys/kernel/notes) is
 *   one of theirs. A stable update or another build of the same version
 *   is a different kernel: its sets may differ, so it is measured;
 * - the cache, #KRSI_HOOK_FLAGS_CACHE (#KRSI_FLAG_CACHED): flags measured
 *   earlier on this kernel build, in a file of root's (or of the caller's
 *   effective user) that nobody else may write, naming this build ID. Any
 *   other file there is ignored and replaced;
 * - trial loads (#KRSI_FLAG_MEASURED): a trivial program loaded on each
 *   hook as an LSM program, and where that loads, as a sleepable and a
 *   per-cgroup one, then unloaded at once; nothing is attached. About
 *   800 loads, 0.7 to 7 s under qemu's emulation, once per kernel build:
 *   the result is cached.
 *   Trial loads need CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN, and a
 *   kernel that lets LSM programs load; without them the flags stay
 *   #KRSI_UNKNOWN and krsi_hooks__flags_note() says why.
 *
 * For a BTF file, the flags come from libkrsi's data for the release
 * given as krsi_hooks_opts::kernel_release, or are #KRSI_UNKNOWN.
 *
 * Example:
 * @code
 * struct krsi_hooks *hooks = krsi_hooks__load(NULL);
 * const struct krsi_hook *h = krsi_hooks__find(hooks, "file_open");
 *
 * if (h)
 *	printf("%s, sleepable: %d\n", krsi_hook__decl(h),
 *	       krsi_hook__flag(h, KRSI_HOOK_SLEEPABLE, NULL));
 * krsi_hooks__free(hooks);
 * @endcode
 *
 * Every function here is thread-safe on a loaded catalog: it never changes.
 */
#ifndef KRSI_HOOKS_H
#define KRSI_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <krsi/common.h>
#include <krsi/btf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The catalog of a kernel's LSM hooks. Opaque. */
struct krsi_hooks;
/** One LSM hook of a catalog, valid as long as the catalog. Opaque. */
struct krsi_hook;

/**
 * Where flags measured on the running kernel are cached, one file for the
 * kernel booted last. Written by a process that measured them and may
 * write there (root); read by every process.
 */
#define KRSI_HOOK_FLAGS_CACHE "/var/cache/libkrsi/hook-flags"

/** Options of krsi_hooks__load(). Declare with KRSI_OPTS(). */
struct krsi_hooks_opts {
	/** Size of this struct, set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * BTF to read hooks from: raw BTF or an ELF file with a @c .BTF
	 * section. NULL: the running kernel.
	 */
	const char *btf_path;
	/**
	 * With @c btf_path: the kernel release the BTF belongs to, such as
	 * "6.12.118", which selects the flags libkrsi ships for a build of
	 * that version. Without it, the flags of a BTF file are
	 * #KRSI_UNKNOWN. The running kernel is known by its build ID, and
	 * this field is only checked for syntax.
	 */
	const char *kernel_release;
	/**
	 * Measure every flag on the running kernel now by trial loads,
	 * whatever libkrsi ships or has cached, and cache the result.
	 * Needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; not with
	 * @c btf_path.
	 */
	bool trial_load;
	/**
	 * The cache file of flags measured on the running kernel. NULL:
	 * #KRSI_HOOK_FLAGS_CACHE. Its directory is created (mode 0755) if
	 * missing. Not with @c btf_path.
	 */
	const char *flags_cache;
	/**
	 * Ignore the flags libkrsi ships, as on a kernel build it has never
	 * seen: they come from the cache or from trial loads.
	 */
	bool ignore_known;
	/** Padding: the struct's size is a multiple of size_t. */
	size_t : 0;
};

/** What a hook's return value means. */
enum krsi_hook_return {
	/** 0 allows, a negative errno denies. */
	KRSI_HOOK_RET_INT = 0,
	/** A yes or no answer (1 or 0), declared @c int or @c bool. */
	KRSI_HOOK_RET_BOOL = 1,
	/** Nothing: a program on this hook observes but cannot deny. */
	KRSI_HOOK_RET_VOID = 2,
};

/** A fact about a hook the kernel does not export in BTF. */
enum krsi_hook_flag {
	/** The kernel refuses every BPF program on this hook. */
	KRSI_HOOK_DISABLED = 0,
	/** Sleepable programs (@c lsm.s/) may attach. */
	KRSI_HOOK_SLEEPABLE = 1,
	/**
	 * Programs may attach per cgroup (@c lsm_cgroup/). The kernel
	 * allows per-cgroup programs on at most 10 distinct hooks at a time
	 * (CGROUP_LSM_NUM, 6.1 and 6.12): attaching on an 11th fails with
	 * @c EINVAL.
	 */
	KRSI_HOOK_CGROUP = 2,
};

/** A yes, a no, or an honest "not known". */
enum krsi_tristate {
	KRSI_UNKNOWN = -1, /**< Not known for this kernel. */
	KRSI_NO = 0, /**< No. */
	KRSI_YES = 1, /**< Yes. */
};

/** Where a flag's value comes from. */
enum krsi_flag_source {
	/** Nowhere: the flag is #KRSI_UNKNOWN. */
	KRSI_FLAG_NONE = 0,
	/** The flags libkrsi ships for this kernel build. */
	KRSI_FLAG_KNOWN = 1,
	/** A trial load on the running kernel, just now. */
	KRSI_FLAG_MEASURED = 2,
	/** A trial load on this kernel build, read from the cache. */
	KRSI_FLAG_CACHED = 3,
};

/**
 * @brief Enumerate the LSM hooks of the running kernel or of a BTF file.
 *
 * @param opts options; NULL for the running kernel, its flags as the file
 *        comment says
 * @return The catalog, to be freed with krsi_hooks__free(); NULL with errno
 *         set:
 *         - @c EINVAL: @p opts is invalid (@c btf_path with
 *           @c trial_load or @c flags_cache), the BTF is corrupt, or
 *           @c kernel_release cannot be parsed;
 *         - @c ENOENT: no BTF, or BTF without LSM hooks (a kernel built
 *           without CONFIG_BPF_LSM);
 *         - @c EPERM, @c EACCES: with @c trial_load, a trial load was
 *           refused before verification (missing privileges, or a kernel
 *           that refuses LSM programs); or the BTF file cannot be read.
 *           Without @c trial_load, flags that cannot be measured stay
 *           #KRSI_UNKNOWN instead;
 *         - @c ENOMEM: out of memory;
 *         - any other errno a trial load returned unexpectedly.
 *
 * Thread-safe.
 */
KRSI_API struct krsi_hooks *
krsi_hooks__load(const struct krsi_hooks_opts *opts);

/**
 * @brief Free a catalog and everything it returned.
 *
 * @param hooks the catalog; NULL is ignored
 *
 * Not thread-safe: no other call may use @p hooks or its hooks at the
 * same time.
 */
KRSI_API void krsi_hooks__free(struct krsi_hooks *hooks);

/**
 * @brief Number of hooks in the catalog.
 *
 * @param hooks the catalog
 * @return The count; 0 with errno set to @c EINVAL when @p hooks is NULL.
 *
 * Thread-safe.
 */
KRSI_API size_t krsi_hooks__count(const struct krsi_hooks *hooks);

/**
 * @brief A hook by index, in order of name.
 *
 * @param hooks the catalog
 * @param index from 0 to krsi_hooks__count() - 1
 * @return The hook; NULL with errno set: @c EINVAL when @p hooks is NULL,
 *         @c ENOENT when @p index is out of range.
 *
 * Thread-safe.
 */
KRSI_API const struct krsi_hook *krsi_hooks__at(const struct krsi_hooks *hooks,
						size_t index);

/**
 * @brief A hook by name, in constant time.
 *
 * An unknown name logs a message suggesting the closest hook names.
 *
 * @param hooks the catalog
 * @param name the hook's name, such as "file_open"; "bpf_lsm_file_open"
 *        is accepted too
 * @return The hook; NULL with errno set: @c EINVAL when an argument is
 *         NULL, @c ENOENT when this kernel has no such hook.
 *
 * Thread-safe.
 */
KRSI_API const struct krsi_hook *
krsi_hooks__find(const struct krsi_hooks *hooks, const char *name);

/**
 * @brief The BTF the catalog was read from, for type lookups.
 *
 * @param hooks the catalog
 * @return The BTF, owned by @p hooks; NULL with errno set to @c EINVAL when
 *         @p hooks is NULL.
 *
 * Thread-safe.
 */
KRSI_API const struct krsi_btf *krsi_hooks__btf(const struct krsi_hooks *hooks);

/**
 * @brief The kernel version whose shipped flags the catalog uses.
 *
 * @param hooks the catalog
 * @return The upstream version of the shipped build ("6.12.118"), or NULL
 *         when none applied: the flags were cached, measured or are
 *         unknown, or @p hooks is NULL (errno set to @c EINVAL).
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hooks__known_release(const struct krsi_hooks *hooks);

/**
 * @brief Where the catalog's flags come from, or why they are unknown, in
 *        one sentence for people.
 *
 * Such as "measured by 612 trial loads on this kernel build in 0.4 s;
 * cached in /var/cache/libkrsi/hook-flags", or "unknown: measuring them
 * takes trial loads, which need CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN".
 *
 * @param hooks the catalog
 * @return The sentence, owned by @p hooks; NULL with errno set to
 *         @c EINVAL when @p hooks is NULL.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hooks__flags_note(const struct krsi_hooks *hooks);

/**
 * @brief The hook's name, such as "file_open".
 *
 * @param hook the hook
 * @return The name; NULL with errno set to @c EINVAL when @p hook is NULL.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hook__name(const struct krsi_hook *hook);

/**
 * @brief The BTF type id of the hook's @c bpf_lsm_NAME function, the
 *        @c attach_btf_id of programs on it.
 *
 * @param hook the hook
 * @return The id (positive); 0 with errno set to @c EINVAL when @p hook is
 *         NULL.
 *
 * Thread-safe.
 */
KRSI_API __u32 krsi_hook__btf_id(const struct krsi_hook *hook);

/**
 * @brief What the hook's return value means.
 *
 * @param hook the hook
 * @return The return class; #KRSI_HOOK_RET_VOID with errno set to
 *         @c EINVAL when @p hook is NULL.
 *
 * Thread-safe.
 */
KRSI_API enum krsi_hook_return krsi_hook__return(const struct krsi_hook *hook);

/**
 * @brief Number of the hook's arguments (not counting the earlier verdict
 *        a BPF program receives last).
 *
 * @param hook the hook
 * @return The count; 0 with errno set to @c EINVAL when @p hook is NULL.
 *
 * Thread-safe.
 */
KRSI_API unsigned int krsi_hook__arg_count(const struct krsi_hook *hook);

/**
 * @brief The name of an argument, as the kernel declares it.
 *
 * @param hook the hook
 * @param index from 0 to krsi_hook__arg_count() - 1
 * @return The name, such as "file" ("argN" if BTF has none); NULL with
 *         errno set: @c EINVAL when @p hook is NULL or @p index out of
 *         range, @c ENOMEM.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hook__arg_name(const struct krsi_hook *hook,
					 unsigned int index);

/**
 * @brief The C type of an argument, such as "struct file *".
 *
 * @param hook the hook
 * @param index from 0 to krsi_hook__arg_count() - 1
 * @return The type; NULL with errno set: @c EINVAL when @p hook is NULL
 *         or @p index out of range, @c ENOMEM (types are rendered on first
 *         use).
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hook__arg_type(const struct krsi_hook *hook,
					 unsigned int index);

/**
 * @brief The BTF type id of an argument.
 *
 * @param hook the hook
 * @param index from 0 to krsi_hook__arg_count() - 1
 * @return The id (0 is void); 0 with errno set to @c EINVAL when @p hook is
 *         NULL or @p index out of range.
 *
 * Thread-safe.
 */
KRSI_API __u32 krsi_hook__arg_btf_id(const struct krsi_hook *hook,
				     unsigned int index);

/**
 * @brief The hook as a C declaration, such as
 *        "int file_open(struct file *file)".
 *
 * @param hook the hook
 * @return The declaration; NULL with errno set: @c EINVAL when @p hook is
 *         NULL, @c ENOMEM (it is rendered on first use).
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hook__decl(const struct krsi_hook *hook);

/**
 * @brief A flag of the hook, and where its value comes from.
 *
 * A disabled hook is #KRSI_NO for every other flag.
 *
 * @param hook the hook
 * @param flag which flag
 * @param source receives where the value comes from; may be NULL
 * @return #KRSI_YES, #KRSI_NO, or #KRSI_UNKNOWN (also with errno set to
 *         @c EINVAL when @p hook is NULL or @p flag unknown).
 *
 * Thread-safe.
 */
KRSI_API enum krsi_tristate krsi_hook__flag(const struct krsi_hook *hook,
					    enum krsi_hook_flag flag,
					    enum krsi_flag_source *source);

/**
 * @brief Name of a flag as the @c krsi tool and its JSON print it:
 *        "disabled", "sleepable", "cgroup".
 *
 * @param flag the flag
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         flag.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hook_flag_str(enum krsi_hook_flag flag);

/**
 * @brief Name of a return class: "int", "bool" or "void".
 *
 * @param ret the return class
 * @return A static string; NULL with errno set to @c EINVAL for an unknown
 *         value.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_hook_return_str(enum krsi_hook_return ret);

/** Options of krsi_hook__probe_helper() and krsi_hook__probe_kfunc(). */
struct krsi_hook_probe_opts {
	/** Size of this struct, set by KRSI_OPTS(). */
	size_t sz;
	/** Probe a sleepable program (@c lsm.s/). */
	bool sleepable;
	/** Probe a per-cgroup program (@c lsm_cgroup/). */
	bool cgroup;
	/** Padding: the struct's size is a multiple of size_t. */
	size_t : 0;
};

/**
 * @brief Whether a program on this hook may call a BPF helper, on the
 *        running kernel.
 *
 * A trivial program calling the helper is loaded (and unloaded) with the
 * hook as its target; the verifier's answer decides. Helpers are allowed
 * per hook and per program kind: bpf_ima_file_hash() needs a sleepable
 * program, bpf_set_retval() a per-cgroup one.
 *
 * @param hooks the running kernel's catalog (loaded without @c btf_path)
 * @param hook the hook
 * @param helper the helper's number, a @c BPF_FUNC_* value
 * @param opts which kind of program; NULL for a plain @c lsm/ one
 * @return 1 when allowed, 0 when not; a negative errno:
 *         - @c -EINVAL: a NULL argument, invalid @p opts, a catalog read
 *           from a file, or a disabled hook;
 *         - @c -EPERM, @c -EACCES: the kernel refused the load before
 *           verification;
 *         - @c -ENOMEM.
 *
 * Thread-safe.
 */
KRSI_API int krsi_hook__probe_helper(const struct krsi_hooks *hooks,
				     const struct krsi_hook *hook,
				     unsigned int helper,
				     const struct krsi_hook_probe_opts *opts);

/**
 * @brief Whether a program on this hook may call a kfunc of vmlinux, on
 *        the running kernel.
 *
 * Works as krsi_hook__probe_helper() does.
 *
 * @param hooks the running kernel's catalog (loaded without @c btf_path)
 * @param hook the hook
 * @param kfunc the kfunc's name, such as "bpf_get_file_xattr"
 * @param opts which kind of program; NULL for a plain @c lsm/ one
 * @return 1 when allowed, 0 when not; a negative errno as
 *         krsi_hook__probe_helper() returns, and @c -ENOENT when this
 *         kernel has no such kfunc.
 *
 * Thread-safe.
 */
KRSI_API int krsi_hook__probe_kfunc(const struct krsi_hooks *hooks,
				    const struct krsi_hook *hook,
				    const char *kfunc,
				    const struct krsi_hook_probe_opts *opts);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_HOOKS_H */
