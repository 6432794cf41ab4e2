/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* A growing string, for the text libkrsi builds. Never installed. */
#ifndef KRSI_STRBUF_H
#define KRSI_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf; /* NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	bool failed; /* an allocation failed: the text is incomplete */
};

__attribute__((format(printf, 2, 3))) void sb_printf(struct strbuf *sb,
						     const char *fmt, ...);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list args);
/* The text ("" when empty); NULL when an allocation failed. */
const char *sb_str(struct strbuf *sb);
/* Hand over the text, which the caller frees; NULL when it failed. */
char *sb_steal(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif /* KRSI_STRBUF_H */
