// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list args)
{
	va_list again;
	size_t cap;
	char *p;
	int n;

	if (sb->failed)
		return;
	va_copy(again, args);
	n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL,
		      sb->buf ? sb->cap - sb->len : 0, fmt, args);
	if (n < 0) {
		sb->failed = true;
		goto out;
	}
	if (sb->len + n + 1 > sb->cap) {
		cap = sb->cap ? sb->cap : 64;
		while (cap < sb->len + n + 1)
			cap *= 2;
		p = realloc(sb->buf, cap);
		if (!p) {
			sb->failed = true;
			goto out;
		}
		sb->buf = p;
		sb->cap = cap;
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, again);
	}
	sb->len += n;
out:
	va_end(again);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	sb_vprintf(sb, fmt, args);
	va_end(args);
}

const char *sb_str(struct strbuf *sb)
{
	if (sb->failed)
		return NULL;
	return sb->buf ? sb->buf : "";
}

char *sb_steal(struct strbuf *sb)
{
	char *s = sb->failed ? NULL : sb->buf ? sb->buf : strdup("");

	if (sb->failed)
		free(sb->buf);
	memset(sb, 0, sizeof(*sb));
	return s;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->failed = false;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}
