// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * BPF object files, as `krsi load` takes them: opened from a file by
 * krsi_object__open_file() (libkrsi's checks, then libbpf's parser), their
 * events prepared by krsi_prepare_events(), and their programs and maps
 * walked the way a policy install walks them. With KRSI_FUZZ_LOAD=1 in the
 * environment each object is also loaded, up to the verifier: that needs
 * a kernel taking LSM programs, so it is run by hand in krsi-vmtest (see
 * docs/SECURITY.md), not by make check.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <krsi/audit.h>
#include <krsi/object.h>

#include "internal.h"
#include "fuzz.h"

static void walk(struct krsi_object *obj)
{
	struct bpf_object *bobj = krsi_object__bpf_object(obj);
	struct bpf_program *prog;
	struct bpf_map *map;
	size_t size;

	bpf_object__for_each_program (prog, bobj) {
		krsi_prog_kind(prog);
		krsi_prog_hook(prog);
		krsi_prog_attachable(prog);
	}
	bpf_object__for_each_map (map, bobj) {
		bpf_map__name(map);
		bpf_map__initial_value(map, &size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int load = -1;
	struct krsi_object *obj;
	char path[32];

	if (load < 0)
		load = getenv("KRSI_FUZZ_LOAD") &&
		       !strcmp(getenv("KRSI_FUZZ_LOAD"), "1");
	fuzz_quiet();
	if (fuzz_file(data, size, path))
		abort();
	obj = krsi_object__open_file(path, NULL);
	if (!obj)
		return 0;
	walk(obj);
	if (!krsi_prepare_events(krsi_object__bpf_object(obj)) && load)
		krsi_object__load(obj);
	krsi_object__destroy(obj);
	return 0;
}
