// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A policy's metadata: a frozen one-entry array map pinned as "meta". */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "internal.h"

int krsi_meta_pin(const struct krsi_policy_meta *meta, const char *path)
{
	__u32 key = 0;
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "krsi_meta", sizeof(key),
			    sizeof(*meta), 1, NULL);
	if (fd < 0) {
		err = -errno;
		pr_warn("cannot create the policy's metadata map: %s\n",
			strerror(-err));
		return krsi_err(err);
	}
	/* Frozen: not even root can change it through the bpf() syscall. */
	err = bpf_map_update_elem(fd, &key, meta, 0) || bpf_map_freeze(fd)
		      ? -errno
		      : 0;
	if (err)
		pr_warn("cannot write the policy's metadata: %s\n",
			strerror(-err));
	else
		err = krsi_pin(fd, path);
	close(fd);
	return krsi_err(err);
}

int krsi_meta_decode(const void *value, __u32 size,
		     struct krsi_policy_meta *meta)
{
	__u32 head[2]; /* magic, format */

	memset(meta, 0, sizeof(*meta));
	if (size < sizeof(head))
		return krsi_err(-EPROTO);
	memcpy(head, value, sizeof(head));
	if (head[0] != KRSI_META_MAGIC)
		return krsi_err(-EPROTO);
	if (head[1] > KRSI_META_FORMAT) {
		/* a later libkrsi's: only its format is known */
		meta->format = head[1];
		return krsi_err(-EPROTONOSUPPORT);
	}
	if (head[1] != KRSI_META_FORMAT || size != sizeof(*meta))
		return krsi_err(-EPROTO);
	memcpy(meta, value, sizeof(*meta));
	meta->object[sizeof(meta->object) - 1] = '\0';
	meta->libkrsi[sizeof(meta->libkrsi) - 1] = '\0';
	meta->cgroup[sizeof(meta->cgroup) - 1] = '\0';
	return 0;
}

/* Metadata larger than this is not libkrsi's, of any format. */
#define META_VALUE_MAX 65536

int krsi_meta_read(const char *path, struct krsi_policy_meta *meta)
{
	struct bpf_map_info info = {};
	__u32 key = 0, len = sizeof(info);
	void *value = NULL;
	int fd, err;

	memset(meta, 0, sizeof(*meta));
	fd = bpf_obj_get(path);
	if (fd < 0)
		return krsi_err(-errno);
	/* Look only into a map of a sane value size: the lookup writes it. */
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = errno == EINVAL ? -EPROTO : -errno;
	else if (info.type != BPF_MAP_TYPE_ARRAY || !info.value_size ||
		 info.value_size > META_VALUE_MAX)
		err = -EPROTO;
	else if (!(value = malloc(info.value_size)))
		err = -ENOMEM;
	else
		err = bpf_map_lookup_elem(fd, &key, value) ? -errno : 0;
	close(fd);
	if (!err)
		err = krsi_meta_decode(value, info.value_size, meta);
	free(value);
	return krsi_err(err);
}
