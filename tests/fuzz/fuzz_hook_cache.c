// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The cache of measured hook flags (lib/hook_cache.c): any file there is
 * parsed against a catalog of four hooks, for build ID "0123abcd" and
 * release "6.12.118+deb13-cloud-amd64", as the seeds are. The parser
 * either fills every flag with a valid value, or leaves them all alone.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "fuzz.h"
#include "hooks_internal.h"

#define ID "0123abcd"
#define RELEASE "6.12.118+deb13-cloud-amd64"

static struct krsi_hook hooks[] = {
	{ .name = "audit_rule_known" },
	{ .name = "file_open" },
	{ .name = "my_bool_hook" },
	{ .name = "task_free" },
};
static struct krsi_hooks catalog = { .hooks = hooks, .cnt = 4 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256];
	size_t i;
	int f, err;

	fuzz_quiet();
	for (i = 0; i < catalog.cnt; i++)
		for (f = 0; f < KRSI_HOOK_NR_FLAGS; f++) {
			hooks[i].flags[f] = KRSI_UNKNOWN;
			hooks[i].sources[f] = KRSI_FLAG_NONE;
		}
	err = krsi_hook_cache_parse(&catalog, (const char *)data, size, ID,
				    RELEASE, why, sizeof(why));
	for (i = 0; i < catalog.cnt; i++)
		for (f = 0; f < KRSI_HOOK_NR_FLAGS; f++) {
			if (err ? hooks[i].flags[f] != KRSI_UNKNOWN ||
					    hooks[i].sources[f] !=
						    KRSI_FLAG_NONE
				: (hooks[i].flags[f] != KRSI_YES &&
				   hooks[i].flags[f] != KRSI_NO) ||
					    hooks[i].sources[f] !=
						    KRSI_FLAG_CACHED)
				abort();
		}
	/* A disabled hook takes no program. */
	for (i = 0; !err && i < catalog.cnt; i++)
		if (hooks[i].flags[KRSI_HOOK_DISABLED] == KRSI_YES &&
		    (hooks[i].flags[KRSI_HOOK_SLEEPABLE] == KRSI_YES ||
		     hooks[i].flags[KRSI_HOOK_CGROUP] == KRSI_YES))
			abort();
	return 0;
}
