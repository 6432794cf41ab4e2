/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by the audit tests: output captured in memory. */
#ifndef AUDIT_TEST_H
#define AUDIT_TEST_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

/* Output captured in memory: a FILE for the consumer, its text after. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static inline void capture_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static inline void capture_close(struct capture *c)
{
	if (c->f)
		fclose(c->f);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

#endif /* AUDIT_TEST_H */
