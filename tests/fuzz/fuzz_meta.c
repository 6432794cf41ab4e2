// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A policy's metadata as read back from bpffs on adoption, replacement and
 * listing (krsi_meta_decode(): the value of its frozen krsi_meta map, of
 * any size), then its strings as `krsi ls --json` writes them. Whatever
 * the bytes, decoding gives -EPROTO (nothing decoded), -EPROTONOSUPPORT
 * (a later format: only that is decoded) or strings that end within their
 * arrays, and the JSON strings carry no raw control character.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "krsi.h" /* the tool's json_string() */
#include "fuzz.h"

static void check_json(const char *s)
{
	char *out = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		abort();
	json_string(f, s);
	fclose(f);
	if (len < 2 || out[0] != '"' || out[len - 1] != '"')
		abort();
	for (i = 0; i < len; i++)
		if ((unsigned char)out[i] < 0x20)
			abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct krsi_policy_meta meta;
	int err;

	fuzz_quiet();
	err = krsi_meta_decode(data, size, &meta);
	/* a later format's is told apart, its format alone known */
	if (err == -EPROTONOSUPPORT && meta.format > KRSI_META_FORMAT &&
	    !meta.generation && !meta.object[0])
		return 0;
	if (err) {
		if (err != -EPROTO || meta.format || meta.generation)
			abort();
		return 0;
	}
	if (strnlen(meta.object, sizeof(meta.object)) == sizeof(meta.object) ||
	    strnlen(meta.libkrsi, sizeof(meta.libkrsi)) ==
		    sizeof(meta.libkrsi) ||
	    strnlen(meta.cgroup, sizeof(meta.cgroup)) == sizeof(meta.cgroup))
		abort();
	check_json(meta.object);
	check_json(meta.libkrsi);
	check_json(meta.cgroup);
	return 0;
}
