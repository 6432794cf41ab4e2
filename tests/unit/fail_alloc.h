/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Allocation failures injected into libkrsi's own allocations: a test
 * including this header is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free,
 * so the calls of the static library (and of the test) come here, while
 * libbpf's and libc's own do not. fail_each() runs an operation with its first
 * allocation failing, then its second, and so on until it makes fewer
 * than that: each run must fail with -ENOMEM or succeed, free all it
 * allocated, and never crash. Include it after
 * <cmocka.h>.
 */
#ifndef FAIL_ALLOC_H
#define FAIL_ALLOC_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
void __real_free(void *p);

static long fail_at; /* the allocation to fail, counting from 1; 0: none */
static long fail_calls; /* allocations made since fail_each() armed */

/*
 * What the wrapped calls handed out and the wrapped free() has not taken
 * back: an open-addressed set of pointers. libbpf and libc free their own
 * memory unseen, and libkrsi's frees of theirs are not in the set.
 */
#define LIVE_MAX 65536
static void *live[LIVE_MAX];
static long live_cnt;

static size_t live_slot(const void *p)
{
	return ((size_t)p >> 4) * 2654435761u % LIVE_MAX;
}

static void live_add(void *p)
{
	size_t i = live_slot(p);

	if (!p || live_cnt == LIVE_MAX - 1)
		return;
	while (live[i])
		i = (i + 1) % LIVE_MAX;
	live[i] = p;
	live_cnt++;
}

static void live_del(void *p)
{
	size_t i = live_slot(p), j;

	if (!p)
		return;
	while (live[i] && live[i] != p)
		i = (i + 1) % LIVE_MAX;
	if (!live[i])
		return; /* not ours */
	live[i] = NULL;
	live_cnt--;
	/* put back what probed past the hole */
	for (j = (i + 1) % LIVE_MAX; live[j]; j = (j + 1) % LIVE_MAX) {
		p = live[j];
		live[j] = NULL;
		live_cnt--;
		live_add(p);
	}
}

static bool fail_now(void)
{
	return fail_at && ++fail_calls == fail_at;
}

void *__wrap_malloc(size_t size)
{
	void *p;

	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_malloc(size);
	live_add(p);
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p;

	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_calloc(n, size);
	live_add(p);
	return p;
}

void *__wrap_realloc(void *old, size_t size)
{
	void *p;

	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_realloc(old, size);
	if (p) {
		live_del(old);
		live_add(p);
	}
	return p;
}

char *__wrap_strdup(const char *s)
{
	char *p;

	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_strdup(s);
	live_add(p);
	return p;
}

void __wrap_free(void *p)
{
	live_del(p);
	__real_free(p);
}

/* An operation: returns 0 or a negative errno, and undoes itself. */
typedef int (*fail_op)(void *ctx);

/*
 * Run OP (named NAME in messages) once to warm up caches and first-use
 * allocations, then with each of its allocations failing in turn; fail
 * the test at the first bad run. Returns how many allocations OP makes.
 */
static long fail_each(const char *name, fail_op op, void *ctx)
{
	long before, n;
	int err;

	err = op(ctx);
	if (err)
		fail_msg("%s: fails with no failure injected: %s", name,
			 strerror(-err));
	for (n = 1;; n++) {
		before = live_cnt;
		fail_calls = 0;
		fail_at = n;
		err = op(ctx);
		fail_at = 0;
		if (live_cnt != before)
			fail_msg(
				"%s: allocation %ld failing: %ld allocations leaked",
				name, n, live_cnt - before);
		if (fail_calls < n) {
			if (err)
				fail_msg(
					"%s: fails once no allocation does: %s",
					name, strerror(-err));
			return n - 1;
		}
		if (err && err != -ENOMEM)
			fail_msg("%s: allocation %ld failing: %s, not ENOMEM",
				 name, n, strerror(-err));
	}
}

#endif /* FAIL_ALLOC_H */
