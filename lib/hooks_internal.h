/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What the hook catalog's files share privately. Never installed. */
#ifndef KRSI_HOOKS_INTERNAL_H
#define KRSI_HOOKS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>
#include <krsi/hooks.h>

#include "internal.h"

#define KRSI_HOOK_NR_FLAGS 3

struct hook_arg {
	const char *name; /* from BTF, or made_up */
	const char *type; /* C type, such as "struct file *" */
	char made_up[16]; /* "argN" for an argument BTF leaves unnamed */
};

/* What rendering a hook as C gives: made on first use, in one block. */
struct hook_text {
	const char *decl;
	struct hook_arg args[];
};

struct krsi_hook {
	const char *name; /* without bpf_lsm_ */
	__u32 btf_id;
	enum krsi_hook_return ret;
	unsigned int nargs;
	const struct krsi_hooks *owner;
	struct hook_text *text; /* NULL until asked for; set atomically */
	enum krsi_tristate flags[KRSI_HOOK_NR_FLAGS];
	enum krsi_flag_source sources[KRSI_HOOK_NR_FLAGS];
};

struct krsi_hooks {
	struct krsi_btf *btf;
	struct krsi_hook *hooks; /* sorted by name */
	size_t cnt;
	__u32 *slots; /* hash index by name: hook index + 1, 0 when empty */
	size_t nslots; /* a power of two */
	bool from_file; /* BTF from a file, not the running kernel */
	char release[32]; /* version of the shipped build used, or "" */
	char note[512]; /* where the flags come from, or why unknown */
};

/* lib/kernel_release.c: what identifies a kernel. */
struct krsi_release {
	unsigned int major, minor, patch;
};

/* Parse "6.1.192", "6.12.95+deb12-cloud-amd64"...; -EINVAL if not one. */
int krsi_parse_release(const char *s, struct krsi_release *rel);

/* A GNU build ID in hex: 20 bytes (sha1) for Linux, at most 32 here. */
#define KRSI_BUILD_ID_MAX 64
/* The GNU build ID among ELF notes (LEN bytes), in hex into ID; -ENOENT
 * if there is none, -EINVAL if the notes are malformed. */
int krsi_parse_build_id(const void *notes, size_t len,
			char id[KRSI_BUILD_ID_MAX + 1]);
/* The running kernel's build ID, from /sys/kernel/notes. */
int krsi_kernel_build_id(char id[KRSI_BUILD_ID_MAX + 1]);

/* lib/hook_flags.c: the flags libkrsi ships, lib/hook_flags_data.h. */
struct krsi_known_build {
	const char *version; /* upstream version, "6.12.118" */
	const char *release; /* uname -r */
	const char *package; /* the -dbg package and version they come from */
	const char *build_id; /* its GNU build ID, hex */
};

/* The shipped build with this build ID, or NULL. */
const struct krsi_known_build *krsi_known_build_by_id(const char *build_id);
/* The first shipped build of version REL, or NULL. */
const struct krsi_known_build *
krsi_known_build_by_version(const struct krsi_release *rel);
/* Fill FLAGS for HOOK on build B; false if B lacks the hook. */
bool krsi_known_flags(const struct krsi_known_build *b, const char *hook,
		      enum krsi_tristate flags[KRSI_HOOK_NR_FLAGS]);
/* Whether HOOK, declared int, answers yes or no. */
bool krsi_known_bool_hook(const char *hook);

/* lib/hook_cache.c: flags measured on a kernel build, kept in a file. */
/*
 * Fill HS's flags from cache file contents BUF (LEN bytes) if they are of
 * the kernel with BUILD_ID and RELEASE and of exactly HS's hooks; else
 * leave HS as it is, say why in WHY (WHY_LEN bytes) and return -EINVAL.
 */
int krsi_hook_cache_parse(struct krsi_hooks *hs, const char *buf, size_t len,
			  const char *build_id, const char *release, char *why,
			  size_t why_len);
/* The same from the file at PATH, which only root or the effective user
 * may write; -errno with WHY otherwise. */
int krsi_hook_cache_read(struct krsi_hooks *hs, const char *path,
			 const char *build_id, char *why, size_t why_len);
/* Write HS's flags to PATH atomically; -errno with WHY if it cannot. */
int krsi_hook_cache_write(const struct krsi_hooks *hs, const char *path,
			  const char *build_id, char *why, size_t why_len);

/* lib/trial.c: trial loads on the running kernel. */
enum krsi_trial_kind {
	KRSI_TRIAL_LSM, /* lsm/ */
	KRSI_TRIAL_SLEEPABLE, /* lsm.s/ */
	KRSI_TRIAL_CGROUP, /* lsm_cgroup/ */
};

/*
 * Load INSNS (CNT instructions) as a program of KIND on the hook whose
 * bpf_lsm_ function has vmlinux BTF id BTF_ID. Returns the program's fd,
 * or -errno with the verifier's log in LOG (LOG_SIZE bytes; may be NULL).
 */
int krsi_trial_load(__u32 btf_id, enum krsi_trial_kind kind,
		    const struct bpf_insn *insns, size_t cnt, char *log,
		    size_t log_size);
/* Load and unload a program doing nothing. 1: it loaded, 0: the kernel
 * refused it for this hook, -errno: it could not be tried. */
int krsi_trial_hook(__u32 btf_id, enum krsi_trial_kind kind);
/* The same, the verifier's log in LOG (LOG_SIZE bytes, at least 1). */
int krsi_trial_hook_log(__u32 btf_id, enum krsi_trial_kind kind, char *log,
			size_t log_size);
/* Whether ERR from a load means "not on this hook" rather than "cannot
 * load at all". */
bool krsi_trial_refused(int err);
/*
 * Load a program of KIND on the hook BTF_ID that makes CALL (a helper or
 * kfunc call, its arguments not set up) and returns. 1: the verifier
 * accepted the call (refusing only its arguments); 0: it refused the call;
 * -EINVAL: it refused the program before the call (the hook or the kind of
 * program); another -errno: the load could not be tried. LOG (LOG_SIZE
 * bytes, at least 1) receives the verifier's log.
 */
int krsi_trial_call(__u32 btf_id, enum krsi_trial_kind kind,
		    const struct bpf_insn *call, char *log, size_t log_size);

/* lib/hook_measure.c: the flags by trial loads. */
/*
 * Measure every flag of HS on the running kernel. Returns the number of
 * trial loads made; or -errno with the flags untouched and WHY set when
 * this process or kernel cannot load LSM programs (no trial is attempted
 * without the capabilities).
 */
int krsi_hooks_measure(struct krsi_hooks *hs, char *why, size_t why_len);

#endif /* KRSI_HOOKS_INTERNAL_H */
