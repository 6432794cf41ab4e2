// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The hook flags libkrsi ships: what each kernel build it was generated
 * from decides about BPF programs on each LSM hook. The data is
 * lib/hook_flags_data.h, written by scripts/gen-hook-flags.sh from the
 * BTF id sets in each build's vmlinux. lib/hooks.c uses it on the running
 * kernel only when the build ID matches: stable updates change those sets
 * within a kernel line.
 */
#include <stdlib.h>
#include <string.h>

#include "hooks_internal.h"

/* A hook's bits on one build (see hook_flags_data.h). */
#define P 1
#define D 2
#define S 4
#define C 8
#define B 16

#include "hook_flags_data.h"

#define BUILD(version, release, package, build_id) \
	{ version, release, package, build_id },
static const struct krsi_known_build known_builds[] = { KNOWN_BUILDS(BUILD) };
#define NR_BUILDS (sizeof(known_builds) / sizeof(known_builds[0]))

struct known_hook {
	const char *name;
	unsigned char bits[NR_BUILDS];
};

#define HOOK(name, ...) { #name, { __VA_ARGS__ } },
static const struct known_hook known_hooks[] = { KNOWN_HOOKS(HOOK) };
#define NR_HOOKS (sizeof(known_hooks) / sizeof(known_hooks[0]))

const struct krsi_known_build *krsi_known_build_by_id(const char *build_id)
{
	size_t i;

	for (i = 0; i < NR_BUILDS; i++)
		if (!strcmp(known_builds[i].build_id, build_id))
			return &known_builds[i];
	return NULL;
}

const struct krsi_known_build *
krsi_known_build_by_version(const struct krsi_release *rel)
{
	struct krsi_release v;
	size_t i;

	for (i = 0; i < NR_BUILDS; i++)
		if (!krsi_parse_release(known_builds[i].version, &v) &&
		    v.major == rel->major && v.minor == rel->minor &&
		    v.patch == rel->patch)
			return &known_builds[i];
	return NULL;
}

static int cmp_known(const void *key, const void *elem)
{
	return strcmp(key, ((const struct known_hook *)elem)->name);
}

static const struct known_hook *find(const char *hook)
{
	return bsearch(hook, known_hooks, NR_HOOKS, sizeof(known_hooks[0]),
		       cmp_known);
}

bool krsi_known_flags(const struct krsi_known_build *b, const char *hook,
		      enum krsi_tristate flags[KRSI_HOOK_NR_FLAGS])
{
	const struct known_hook *k = find(hook);
	unsigned char f;

	if (!k || !(k->bits[b - known_builds] & P))
		return false;
	f = k->bits[b - known_builds];
	flags[KRSI_HOOK_DISABLED] = f & D ? KRSI_YES : KRSI_NO;
	flags[KRSI_HOOK_SLEEPABLE] = f & S ? KRSI_YES : KRSI_NO;
	flags[KRSI_HOOK_CGROUP] = f & C ? KRSI_YES : KRSI_NO;
	return true;
}

/* A hook's return class is the same on every kernel that has the hook:
 * any build that lists it (6.12 and later do) says so for all. */
bool krsi_known_bool_hook(const char *hook)
{
	const struct known_hook *k = find(hook);
	size_t i;

	for (i = 0; k && i < NR_BUILDS; i++)
		if (k->bits[i] & B)
			return true;
	return false;
}
