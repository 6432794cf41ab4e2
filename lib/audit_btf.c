// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Which BTF declares a ring's event types when only its maps are given:
 * that of the programs writing to it, as loaded now. Not the maps' own:
 * a replaced policy keeps its maps, created with its first version's BTF,
 * while its programs and the events they write change.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "audit_internal.h"

/* Whether program FD uses map MAP_ID; its BTF's id into *BTF_ID. */
static bool prog_uses(int fd, __u32 map_id, __u32 *btf_id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), nr, i;
	bool found = false;
	__u32 *ids;

	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.nr_map_ids)
		return false;
	nr = info.nr_map_ids;
	ids = calloc(nr, sizeof(*ids));
	if (!ids)
		return false;
	*btf_id = info.btf_id;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = nr;
	info.map_ids = (__u64)(unsigned long)ids;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
		for (i = 0; i < nr && i < info.nr_map_ids && !found; i++)
			found = ids[i] == map_id;
	}
	free(ids);
	return found;
}

int audit_writer_btf(__u32 map_id, __u32 *btf_id)
{
	__u32 id = 0, found = 0;
	int fd, err = 0;

	*btf_id = 0;
	/* ids grow: the last program found is the newest, the one left
	 * when a replacement is over */
	while (!bpf_prog_get_next_id(id, &id)) {
		__u32 btf;

		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0) {
			if (errno != ENOENT) /* gone meanwhile */
				err = -errno;
			continue;
		}
		if (prog_uses(fd, map_id, &btf) && btf) {
			*btf_id = btf;
			found = id;
		}
		close(fd);
	}
	if (errno != ENOENT)
		err = -errno;
	if (found)
		return 0;
	return err ?: -ENOENT;
}
