/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file object.h
 * @brief Open, configure, load and attach a BPF object of LSM programs.
 *
 * A @c krsi_object wraps a libbpf @c bpf_object: opened from a file, from
 * memory, or from a @c bpf_object the application already has (a bpftool
 * skeleton's @c skel->obj). libkrsi adds what an LSM product needs around
 * libbpf's own steps:
 *
 * - before loading, each LSM program is checked against the running
 *   kernel's hooks: a hook the kernel lacks, a sleepable (@c lsm.s/)
 *   program on a hook that may not sleep, or an @c lsm_cgroup/ program on a
 *   hook that cannot be attached per cgroup is refused with a message naming
 *   the program, the hook and the reason;
 * - when the verifier rejects a program, the message names the program and
 *   its hook and ends with the last lines of the verifier's log, and the
 *   whole log stays available through krsi_object__verifier_log();
 * - krsi_object__attach() attaches every LSM program type: @c lsm/,
 *   @c lsm.s/ and @c lsm_cgroup/ (to the cgroup given in its options, which
 *   libbpf cannot do by itself), and refuses to report success on a kernel
 *   where BPF LSM is not enforcing, where an attached program never runs.
 *
 * Links made by krsi_object__attach() last as long as the object: they are
 * detached by krsi_object__detach() or krsi_object__destroy(), or when the
 * process exits. To keep programs attached after the process exits, install
 * the object as a policy (see install.h).
 *
 * The getters give back the underlying libbpf object, programs and links,
 * so anything libkrsi does not cover can be done with libbpf directly.
 *
 * Thread safety: calls on one object must be serialised by the caller.
 */
#ifndef KRSI_OBJECT_H
#define KRSI_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <krsi/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;
struct bpf_program;
struct bpf_link;

/** An opened BPF object of LSM programs (opaque). */
struct krsi_object;

/** Default size of the buffer receiving a rejected program's verifier log. */
#define KRSI_VERIFIER_LOG_SIZE (1024 * 1024)

/** Options of krsi_object__open_file(), __open_mem() and __from_bpf_object(). */
struct krsi_object_open_opts {
	/** Size of this struct: set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * Name of the object, as libbpf's @c object_name (by default the
	 * file's base name, or a name made from the buffer's address).
	 * Ignored by krsi_object__from_bpf_object().
	 */
	const char *object_name;
	/**
	 * Size of the buffer receiving the verifier log of a program the
	 * kernel rejects; 0 means #KRSI_VERIFIER_LOG_SIZE. On kernels before
	 * 6.4 a log larger than the buffer makes the load fail with -ENOSPC
	 * instead of the verifier's own error; the message says so.
	 */
	size_t log_size;
};

/**
 * @brief Open a BPF object file.
 *
 * The file is read once, whole, and checked before libbpf parses those
 * very bytes: what libbpf 1.1 would crash on is refused (see
 * docs/SECURITY.md).
 *
 * @param path the BPF ELF object file (made by clang -target bpf)
 * @param opts options, or NULL for defaults
 * @return The object, or NULL with errno set: EINVAL (@p path NULL,
 *         @p opts invalid, not a regular file, such as a FIFO or a device,
 *         or not a BPF object libbpf can open: not ELF, built for another
 *         machine or byte order, a corrupt BTF or .BTF.ext section; the
 *         message says which), EISDIR (@p path is a directory), EFBIG
 *         (larger than 256 MiB), ENOENT, EACCES or another errno of open()
 *         and read(), EOPNOTSUPP (a struct_ops map), ENOMEM, or what libbpf
 *         reports (its messages go to libbpf's own print callback; its own
 *         codes, LIBBPF_ERRNO__*, are translated into EINVAL, EACCES, E2BIG,
 *         EOPNOTSUPP or EPROTO).
 *
 * Thread-safe.
 */
KRSI_API struct krsi_object *
krsi_object__open_file(const char *path,
		       const struct krsi_object_open_opts *opts);

/**
 * @brief Open a BPF object from memory, such as an object embedded in the
 *        application.
 *
 * @param buf the bytes of a BPF ELF object file; libbpf copies them
 * @param size the number of bytes at @p buf
 * @param opts options, or NULL for defaults
 * @return The object, or NULL with errno set: EINVAL (@p buf NULL, @p size
 *         0, @p opts invalid, or not a BPF object libbpf can open, as for
 *         krsi_object__open_file()), EOPNOTSUPP (a struct_ops map), ENOMEM,
 *         or what libbpf reports, translated as for
 *         krsi_object__open_file().
 *
 * Thread-safe.
 */
KRSI_API struct krsi_object *
krsi_object__open_mem(const void *buf, size_t size,
		      const struct krsi_object_open_opts *opts);

/**
 * @brief Wrap a @c bpf_object the application opened itself, such as a
 *        bpftool skeleton's @c skel->obj.
 *
 * The application keeps ownership of @p obj: krsi_object__destroy() does
 * not close it, and must be called before @p obj is closed (before the
 * skeleton's @c __destroy()). The object may be opened or already loaded
 * (by the skeleton's @c __load()). If it is not loaded yet, load it with
 * krsi_object__load(), which also maps the skeleton's global data
 * (@c skel->bss, @c skel->data, @c skel->rodata) onto the loaded maps, as
 * the skeleton's own load does, and captures the verifier's log.
 *
 * @param obj the libbpf object
 * @param opts options (@c object_name is ignored), or NULL for defaults
 * @return The object, or NULL with errno set: EINVAL (@p obj NULL or
 *         @p opts invalid) or ENOMEM.
 *
 * Not thread-safe: serialise calls on the same @p obj.
 */
KRSI_API struct krsi_object *
krsi_object__from_bpf_object(struct bpf_object *obj,
			     const struct krsi_object_open_opts *opts);

/**
 * @brief Set a read-only global variable (a @c const @c volatile in the
 *        program's @c .rodata) before the object is loaded.
 *
 * The verifier sees the value as a constant, so code that depends on it can
 * be removed when the program loads. Skeleton users may write
 * @c skel->rodata directly instead.
 *
 * @param obj the object, not yet loaded
 * @param name the variable's name in the BPF program
 * @param value the new value
 * @param size the size of @p value, which must be the variable's size
 * @return 0 on success, or a negative errno: -EINVAL (a NULL argument, or
 *         @p size not the variable's size), -ENOENT (the object has no such
 *         read-only variable, or no BTF to find it), -EBUSY (the object is
 *         already loaded).
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API int krsi_object__set_rodata(struct krsi_object *obj, const char *name,
				     const void *value, size_t size);

/**
 * @brief Check the object's programs against the kernel's hooks and load
 *        it into the kernel.
 *
 * Every program that libbpf would load is checked first, before anything
 * reaches the kernel (see the file's description). An object that is
 * already loaded (by a skeleton) is checked and left as it is.
 *
 * @param obj the object
 * @return 0 on success, or a negative errno: -EINVAL (@p obj NULL; or a
 *         sleepable program on a hook that may not sleep), -ENOENT (a
 *         program's hook does not exist on this kernel), -EOPNOTSUPP (an
 *         @c lsm_cgroup/ program on a hook that cannot be attached per
 *         cgroup, or a hook BPF programs may not attach to), -EACCES or
 *         another errno from the verifier (the message names the program and
 *         hook and ends with the log's last lines; see
 *         krsi_object__verifier_log()), -ENOSPC (the verifier's log did not
 *         fit; raise @c log_size), -EPERM (missing privileges: CAP_BPF and
 *         CAP_PERFMON, or CAP_SYS_ADMIN), or what libbpf reports for a
 *         failure before verification (its own codes, LIBBPF_ERRNO__*,
 *         translated into EINVAL, EACCES, E2BIG, EOPNOTSUPP or EPROTO).
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API int krsi_object__load(struct krsi_object *obj);

/** Options of krsi_object__attach(). */
struct krsi_attach_opts {
	/** Size of this struct: set by KRSI_OPTS(). */
	size_t sz;
	/**
	 * The cgroup (v2) directory to attach @c lsm_cgroup/ programs to,
	 * such as "/sys/fs/cgroup/agent.slice". Required when the object has
	 * an @c lsm_cgroup/ program, unless @c cgroup_fd is given.
	 */
	const char *cgroup_path;
	/**
	 * An open cgroup directory to attach @c lsm_cgroup/ programs to,
	 * instead of @c cgroup_path; 0 means none. libkrsi does not close it.
	 */
	int cgroup_fd;
	/**
	 * Attach even when BPF LSM is not enforcing on this kernel ("bpf" is
	 * missing from the active LSM list), where attaching succeeds but the
	 * programs never run. By default that is refused.
	 */
	bool allow_not_enforcing;
};

/**
 * @brief Attach every program of a loaded object.
 *
 * @c lsm/ and @c lsm.s/ programs are attached to their hook;
 * @c lsm_cgroup/ programs to the cgroup named in @p opts. Programs whose
 * autoload or autoattach is off (bpf_program__set_autoattach()) are
 * skipped, and other program types are attached as
 * bpf_program__attach() would. All programs are checked before any is
 * attached, and on any failure the programs already attached are detached
 * again: the object is either wholly attached or not at all.
 *
 * @param obj the loaded object
 * @param opts options, or NULL for defaults
 * @return 0 on success, or a negative errno: -EINVAL (@p obj NULL,
 *         @p opts invalid, no cgroup given for an @c lsm_cgroup/ program,
 *         or a check of krsi_object__load() failing), -ENOENT and
 *         -EOPNOTSUPP (as for krsi_object__load()), -EBUSY (the object is
 *         already attached), -ENOEXEC (the object is not loaded), -ENODEV
 *         (BPF LSM is not enforcing on this kernel: its programs would never
 *         run; the message says how to enable it; see
 *         @c allow_not_enforcing), -ENOTDIR or another errno of open(2) for
 *         the cgroup, or the kernel's errno for the attach that failed.
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API int krsi_object__attach(struct krsi_object *obj,
				 const struct krsi_attach_opts *opts);

/**
 * @brief Release the object's links: programs attached by this object are
 *        detached, unless a policy pinned their links (see install.h).
 *
 * @param obj the object, or NULL (nothing happens)
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API void krsi_object__detach(struct krsi_object *obj);

/**
 * @brief Detach (as krsi_object__detach()) and free the object.
 *
 * The underlying @c bpf_object is closed too, unless it came from
 * krsi_object__from_bpf_object().
 *
 * @param obj the object, or NULL (nothing happens)
 *
 * Not thread-safe: no other call may use @p obj during or after this one.
 */
KRSI_API void krsi_object__destroy(struct krsi_object *obj);

/**
 * @brief The underlying libbpf object, for what libkrsi does not cover.
 *
 * @param obj the object
 * @return The @c bpf_object, owned by @p obj unless it came from
 *         krsi_object__from_bpf_object(); NULL with errno EINVAL when
 *         @p obj is NULL.
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API struct bpf_object *
krsi_object__bpf_object(const struct krsi_object *obj);

/**
 * @brief Find one of the object's programs by its name (the C function's
 *        name).
 *
 * @param obj the object
 * @param name the program's name
 * @return The libbpf program, owned by the object; NULL with errno set:
 *         EINVAL (a NULL argument) or ENOENT (no such program).
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API struct bpf_program *
krsi_object__find_program(const struct krsi_object *obj, const char *name);

/**
 * @brief The link that attaches one of the object's programs.
 *
 * @param obj the object
 * @param prog one of its programs
 * @return The libbpf link, owned by the object (do not destroy it); NULL
 *         with errno set: EINVAL (a NULL argument, or @p prog not the
 *         object's) or ENOENT (@p prog is not attached).
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API struct bpf_link *krsi_object__link(const struct krsi_object *obj,
					    const struct bpf_program *prog);

/**
 * @brief The verifier's log of the program the kernel rejected when the
 *        object last failed to load.
 *
 * @param obj the object
 * @param prog if not NULL, receives the rejected program (NULL when there
 *        is none)
 * @return The whole log, owned by the object and valid until it is
 *         destroyed; NULL with errno set: EINVAL (@p obj NULL) or ENOENT (no
 *         program was rejected by the verifier).
 *
 * Not thread-safe: serialise calls on the same object.
 */
KRSI_API const char *krsi_object__verifier_log(const struct krsi_object *obj,
					       struct bpf_program **prog);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_OBJECT_H */
