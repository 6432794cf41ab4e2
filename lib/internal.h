/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What libkrsi's modules share privately. Never installed. */
#ifndef KRSI_INTERNAL_H
#define KRSI_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <krsi/log.h>

__attribute__((format(printf, 2, 3))) void
krsi_print(enum krsi_print_level level, const char *fmt, ...);

#define pr_warn(fmt, ...) krsi_print(KRSI_WARN, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) krsi_print(KRSI_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) krsi_print(KRSI_DEBUG, fmt, ##__VA_ARGS__)

/* S with its control characters escaped (\n, \xNN), cut to fit BUF (SIZE
 * bytes, at least 8), for a message: BUF. */
const char *krsi_printable(const char *s, char *buf, size_t size);

/*
 * An error ERR from libbpf (negative or not) as a negative standard errno:
 * libbpf's own codes (LIBBPF_ERRNO__*, 4000 and up, which strerror() calls
 * "Unknown error 4000") become EINVAL, EACCES (the verifier), E2BIG,
 * EOPNOTSUPP or EPROTO. Its description goes into DESC (SIZE bytes).
 */
int krsi_libbpf_errno(int err, char *desc, size_t size);

/* Return ERR (0 or a negative errno), setting errno when it is an error. */
static inline int krsi_err(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

/* Return NULL with errno set to -ERR. */
static inline void *krsi_err_ptr(int err)
{
	errno = -err;
	return NULL;
}

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
/* lib/probe_system.c: this process's effective capabilities, bit 1 << CAP_*
 * each; 0 or -errno. */
int krsi_effective_caps(__u64 *caps);

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

/*
 * Options structs: the caller's sz may be smaller than ours (an older
 * application) or larger (a newer one), as long as what we do not know of
 * is zero. NAME names the struct in the message.
 */
bool krsi_opts_valid(const void *opts, size_t known_sz, size_t user_sz,
		     const char *name);

/* OPTS_VALID(opts, struct_tag): NULL is valid; LAST is the last field. */
#define OPTS_VALID(opts, type, last)                                        \
	(!(opts) || krsi_opts_valid((opts), offsetofend(struct type, last), \
				    (opts)->sz, #type))
#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetofend(typeof(*(opts)), field))
#define OPTS_GET(opts, field, fallback) \
	(OPTS_HAS(opts, field) ? (opts)->field : (fallback))

/* --- objects (object.c), shared with policies -------------------------- */
struct bpf_program;
struct bpf_link;
struct krsi_object;
struct krsi_attach_opts;

/* What a program is, from its section: lsm/, lsm.s/, lsm_cgroup/ or other. */
enum krsi_prog_kind {
	KRSI_PROG_OTHER,
	KRSI_PROG_LSM,
	KRSI_PROG_LSM_SLEEPABLE,
	KRSI_PROG_LSM_CGROUP,
};

enum krsi_prog_kind krsi_prog_kind(const struct bpf_program *prog);
/* The hook an LSM program attaches to ("file_open"), or NULL. */
const char *krsi_prog_hook(const struct bpf_program *prog);
/* Whether libkrsi attaches PROG (autoload and autoattach on). */
bool krsi_prog_attachable(const struct bpf_program *prog);

/*
 * lib/elf_check.c: refuse (-EINVAL, saying why) an ELF file whose .BTF or
 * .BTF.ext section has no bytes in it or lies past its end, which libbpf
 * would crash on; 0 for anything else, which libbpf judges. The file's
 * error if it cannot be read; -EISDIR or -EINVAL for what is not a regular
 * file (a FIFO would block libbpf forever).
 */
int krsi_elf_check_file(const char *path);
int krsi_elf_check_mem(const void *buf, size_t size);
/* Read the regular file PATH whole (at most 256 MiB, else -EFBIG) into
 * *BUF (to free) and *SIZE; a negative errno, logged. */
int krsi_elf_read(const char *path, void **buf, size_t *size);
/* Refuse (-EINVAL, saying why, WHAT naming it) what is not a BPF object
 * libbpf can open and load without crashing: not ELF, not BPF, or with a
 * corrupt BTF or .BTF.ext; -ENOMEM. */
int krsi_elf_check_object(const void *buf, size_t size, const char *what);

/* Checks before attaching: every program against the hooks (done at load
 * unless the object was loaded elsewhere), BPF LSM enforcing (unless
 * allowed), the object loaded and not attached. */
int krsi_object_check_attach(struct krsi_object *obj,
			     const struct krsi_attach_opts *opts);
/*
 * Whether attached LSM programs would run, by what files say: BPF LSM
 * built in (known already if BUILT_IN: the object's hooks were found)
 * and bpf among the active LSMs. 0; -ENODEV having said why and how to
 * fix it; -ENOMEM. What cannot be read is left to the kernel.
 */
int krsi_probe_attach_check(bool built_in);
/* Into *FD, the cgroup for OBJ's lsm_cgroup programs per OPTS, or -1 when
 * OBJ has none; *OWNED says whether the caller must close it. */
int krsi_object_cgroup_fd(const struct krsi_object *obj,
			  const struct krsi_attach_opts *opts, int *fd,
			  bool *owned);
/* Attach one program: lsm_cgroup ones to CGROUP_FD. NULL + errno, logged. */
struct bpf_link *krsi_prog_attach(struct bpf_program *prog, int cgroup_fd);
/* krsi_object__load() in two steps: load (0; 1 if loaded already; a
 * negative errno), then map global data onto the loaded maps. */
int krsi_object_load_progs(struct krsi_object *obj);
int krsi_object_map_global_data(const struct krsi_object *obj);
/* Whether OBJ's programs are loaded. */
bool krsi_object_loaded(const struct krsi_object *obj);
/* Hand OBJ the link for PROG (OBJ destroys it); LINK may be NULL. */
void krsi_object_set_link(struct krsi_object *obj,
			  const struct bpf_program *prog,
			  struct bpf_link *link);

/* lib/hook_args.c: write into OBJ's .rodata, before it loads, the number
 * of arguments of each hook krsi_hook_ret() names, from HOOKS. 0, or a
 * negative errno (an unknown hook, logged). */
struct bpf_object;
struct krsi_hooks;
int krsi_object_set_hook_nargs(struct bpf_object *obj,
			       const struct krsi_hooks *hooks);

/* --- features (features.c) ----------------------------------------------- */
enum krsi_feature;

/*
 * Measure FEATURE (one trial load at most) and, when the kernel lacks it,
 * say so for WHO ("program 'x' (lsm_cgroup/file_open)") with the first
 * release that has it: -EOPNOTSUPP. 0 when it has it, or when that cannot
 * be told (the kernel will say); -ENOMEM.
 */
int krsi_feature_require(enum krsi_feature feature, const char *who);
/*
 * What a verifier LOG's refusal means in features (a helper this kernel
 * lacks, a callback it does not know), into BUF of SIZE bytes; NULL when
 * it is none of those.
 */
const char *krsi_feature_hint(const char *log, char *buf, size_t size);

/* --- bpffs (bpffs.c) ------------------------------------------------------ */
#include <limits.h>

/* Format a path into BUF (PATH_MAX bytes); -ENAMETOOLONG if it does not fit. */
__attribute__((format(printf, 2, 3))) int krsi_path(char *buf, const char *fmt,
						    ...);

#define KRSI_ROOT_CREATE 1 /* create the pin root if missing */
#define KRSI_ROOT_LOCK 2 /* take the pin root's lock (until closed) */

/*
 * Open the pin root PATH after checking it is bpffs and only ours to
 * change; returns the directory fd or a negative errno (logged, except a
 * missing root when not creating it). A root another user made in a
 * directory others may write to (bpffs mounted mode 1777) is taken back
 * when creating, else ignored as if missing. With KRSI_ROOT_LOCK, a lock
 * held by another process is waited for, up to 30 s (1 s if that process
 * is stopped): -EBUSY, naming it. *CREATED (may be NULL) says whether the
 * root was created (or taken back) by this call.
 */
int krsi_pin_root_open(const char *path, int flags, bool *created);
/* Unlink NAME in DIRFD, recursively, never into another mount (-EBUSY); a
 * missing NAME is not an error. */
int krsi_rmtree(int dirfd, const char *name);
/* Pin the BPF object FD at PATH, logging a failure. */
int krsi_pin(int fd, const char *path);
/* Make NAME a valid bpffs name in place: '.' becomes '_', as libbpf does. */
void krsi_pin_name(char *name);
/* In a policy's directory: the maps' pins, links/ and krsi_meta; beside
 * it, its staging directory NAME~new (bpffs refuses dots) and, while a
 * replacement without RENAME_EXCHANGE runs (5.10), the replaced version in
 * NAME~old. */
#define KRSI_LINKS_DIR "links"
#define KRSI_META_PIN "krsi_meta"
#define KRSI_STAGING "~new"
#define KRSI_REPLACED "~old"
struct dirent;
/* The entries of directory PATH not starting with '.', sorted, into *LIST
 * (free each and the list); a missing directory has none. MAPS_ONLY keeps
 * the pins of a policy directory's maps: not links/ nor krsi_meta. */
int krsi_scandir(const char *path, struct dirent ***list, bool maps_only);

/* --- who holds what (install_holders.c) ---------------------------------- */
#include <sys/types.h>

/* Process PID's state letter in /proc (R, S, T for stopped...), or '?'. */
char krsi_pid_state(pid_t pid);
/* "pid N (COMM)", with ", stopped" when it is, into BUF. */
void krsi_describe_pid(pid_t pid, char *buf, size_t size);
/* Whether process PID holds BPF link LINK_ID open. */
bool krsi_pid_holds_link(pid_t pid, __u32 link_id);
/* The processes holding BPF link LINK_ID open, described into BUF
 * ("pid 12 (agent), ..."); returns how many were found. */
int krsi_link_holders(__u32 link_id, char *buf, size_t size);
/* The process holding the flock() lock of FD's file, or 0. */
pid_t krsi_lock_holder(int fd);

/* --- links and policies (attachments.c, install*.c, map_match.c) ---------- */
#include <linux/bpf.h>
#include <krsi/attachments.h>

struct btf;
struct bpf_map;

/* An LSM link as the kernel describes it; att's strings point inside. */
struct krsi_link_desc {
	struct krsi_attachment att;
	char prog_name[BPF_OBJ_NAME_LEN];
	/* An lsm/ link whose hook the kernel does not say (before 5.13:
	 * neither link nor program info has its BTF id); att.hook is NULL. */
	bool hook_untold;
};

/* Describe link FD: 1 if it attaches to an LSM hook, 0 if not (only its
 * ids and program name are set), or a negative errno. VMLINUX (may be
 * NULL) names the hook. */
int krsi_link_describe(int fd, const struct btf *vmlinux,
		       struct krsi_link_desc *desc);
/* The kernel's BTF, or NULL (logged): the caller frees it. */
struct btf *krsi_vmlinux_btf(void);

/* Compare the pinned map FD with MAP of an object whose BTF is BTF: log
 * each difference for policy POLICY; returns how many (0: they match) or
 * a negative errno. NAME is MAP's name. */
int krsi_map_match(int fd, const struct bpf_map *map, const char *name,
		   const struct btf *btf, const char *policy);

/* The metadata a policy pins as "meta": a frozen one-entry array map. */
#define KRSI_META_MAGIC 0x4b525349 /* "KRSI" */
#define KRSI_META_FORMAT 1
struct krsi_policy_meta {
	__u32 magic;
	__u32 format;
	__u64 generation;
	__u64 installed_ns;
	char object[64];
	char libkrsi[16];
	char cgroup[256];
};

/* Create the meta map for META and pin it at PATH. */
int krsi_meta_pin(const struct krsi_policy_meta *meta, const char *path);
/* Read the meta map pinned at PATH: -ENOENT if none, -EPROTO if foreign,
 * -EPROTONOSUPPORT if of a later format (see below). */
int krsi_meta_read(const char *path, struct krsi_policy_meta *meta);
/* Check the SIZE bytes of a meta map's VALUE, as read back, into META:
 * -EPROTO if they are not libkrsi's metadata, -EPROTONOSUPPORT if they are
 * of a later format than this libkrsi's (META is then zero but its
 * format); on any error META is zero. */
int krsi_meta_decode(const void *value, __u32 size,
		     struct krsi_policy_meta *meta);

/* Whether NAME is a valid policy name (logged if not). */
bool krsi_policy_name_valid(const char *name);
/* lib/btf.c: refuse (a negative errno, logged) BTF that libbpf parsed
 * but would crash on: a type or name that does not exist, a type holding
 * itself, a member without size or past its struct's end. */
int krsi_btf_check(const struct btf *btf);
/* lib/btf.c: append the C declaration of TYPE_ID named NAME (may be NULL),
 * continuation lines indented by INDENT tabs. */
struct krsi_btf;
struct strbuf;
int krsi_btf_emit_decl(const struct krsi_btf *btf, __u32 type_id,
		       const char *name, int indent, struct strbuf *sb);

#endif /* KRSI_INTERNAL_H */
