// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * BTF files given to the BTF lookup (krsi_btf__load()) and to the hook
 * catalog (krsi_hooks__load()), with a btf_path: raw BTF or an ELF file.
 * Whatever loads is then walked the way users walk it, type by type and
 * hook by hook, so a corrupt file that passed the checks would be caught
 * reading out of bounds or looping.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <linux/btf.h>
#include <krsi/btf.h>
#include <krsi/hooks.h>

#include "fuzz.h"

/* Walk at most this many types and hooks: enough for any seed. */
#define WALK_MAX 256

static char text[4096];

static void walk_btf(const struct krsi_btf *btf)
{
	KRSI_OPTS(krsi_btf_member, m);
	__u32 id, n = krsi_btf__type_count(btf);
	long long value;
	int i, cnt;

	for (id = 0; id < n && id < WALK_MAX; id++) {
		krsi_btf__kind(btf, id);
		krsi_btf__name(btf, id);
		krsi_btf__format(btf, id, text, sizeof(text));
		krsi_btf__format_decl(btf, id, "x", text, sizeof(text));
		cnt = krsi_btf__member_count(btf, id);
		for (i = 0; i < cnt && i < WALK_MAX; i++) {
			if (krsi_btf__member(btf, id, i, &m))
				continue;
			krsi_btf__find_member(btf, id, m.name, &m);
		}
		if (krsi_btf__kind(btf, id) == BTF_KIND_ENUM)
			krsi_btf__enum_value(btf, id, "RED", &value);
	}
	krsi_btf__find(btf, "task_struct", 0);
	krsi_btf__find(btf, "file_open", BTF_KIND_FUNC);
	krsi_btf__enum_value(btf, 0, "BPF_LSM_MAC", &value);
}

static void walk_hooks(const struct krsi_hooks *hooks)
{
	const struct krsi_hook *h;
	unsigned int a;
	size_t i;
	int f;

	for (i = 0; i < krsi_hooks__count(hooks) && i < WALK_MAX; i++) {
		h = krsi_hooks__at(hooks, i);
		krsi_hook__name(h);
		krsi_hook__decl(h);
		krsi_hook__return(h);
		for (a = 0; a < krsi_hook__arg_count(h); a++) {
			krsi_hook__arg_name(h, a);
			krsi_hook__arg_type(h, a);
			krsi_hook__arg_btf_id(h, a);
		}
		for (f = KRSI_HOOK_DISABLED; f <= KRSI_HOOK_CGROUP; f++)
			krsi_hook__flag(h, f, NULL);
	}
	krsi_hooks__find(hooks, "file_open");
	krsi_hooks__find(hooks, "file_opne"); /* a miss: suggestions */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct krsi_hooks *hooks;
	struct krsi_btf *btf;
	char path[32];

	fuzz_quiet();
	if (fuzz_file(data, size, path))
		abort();
	{
		KRSI_OPTS(krsi_btf_opts, opts, .path = path);
		btf = krsi_btf__load(&opts);
	}
	if (btf)
		walk_btf(btf);
	krsi_btf__free(btf);
	{
		/* A release libkrsi ships flags for: they are applied too. */
		KRSI_OPTS(krsi_hooks_opts, opts, .btf_path = path,
			  .kernel_release = "6.12.118");
		hooks = krsi_hooks__load(&opts);
	}
	if (hooks)
		walk_hooks(hooks);
	krsi_hooks__free(hooks);
	return 0;
}
