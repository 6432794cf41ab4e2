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

/* lib/btf.c: append the C declaration of TYPE_ID named NAME (may be NULL),
 * continuation lines indented by INDENT tabs. */
struct krsi_btf;
struct strbuf;
int krsi_btf_emit_decl(const struct krsi_btf *btf, __u32 type_id,
		       const char *name, int indent, struct strbuf *sb);

#endif /* KRSI_INTERNAL_H */
