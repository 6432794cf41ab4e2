// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Typed policy sets: their keys, built from files, paths, ids, networks. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "internal.h"
#include "map_internal.h"
#include "policy_internal.h"

#define KIND(type_, name_, macro_, map_type_, key_)  \
	[type_] = { .name = name_,                   \
		    .macro = macro_,                 \
		    .map_type = map_type_,           \
		    .key_size = sizeof(struct key_), \
		    .slot_offset = offsetof(struct key_, slot) }

static const struct krsi_set_kind kinds[] = {
	KIND(KRSI_SET_FILE, "file", "KRSI_FILE_SET", BPF_MAP_TYPE_HASH,
	     krsi_file_set_key),
	KIND(KRSI_SET_HASH, "hash", "KRSI_HASH_SET", BPF_MAP_TYPE_HASH,
	     krsi_hash_set_key),
	KIND(KRSI_SET_CGROUP, "cgroup", "KRSI_CGROUP_SET", BPF_MAP_TYPE_HASH,
	     krsi_cgroup_set_key),
	KIND(KRSI_SET_ID, "id", "KRSI_ID_SET", BPF_MAP_TYPE_HASH,
	     krsi_id_set_key),
	KIND(KRSI_SET_PATH, "path", "KRSI_PATH_SET", BPF_MAP_TYPE_LPM_TRIE,
	     krsi_path_set_key),
	KIND(KRSI_SET_IPV4, "IPv4", "KRSI_IPV4_SET", BPF_MAP_TYPE_LPM_TRIE,
	     krsi_ipv4_set_key),
	KIND(KRSI_SET_IPV6, "IPv6", "KRSI_IPV6_SET", BPF_MAP_TYPE_LPM_TRIE,
	     krsi_ipv6_set_key),
};

const struct krsi_set_kind *krsi_set_kind(enum krsi_set_type type)
{
	if ((unsigned int)type >= sizeof(kinds) / sizeof(kinds[0]) ||
	    !kinds[type].name)
		return NULL;
	return &kinds[type];
}

/*
 * The slot an add by FN to SET writes, checking SET is one of TYPES (a
 * bit mask of 1 << type). 0 or -EINVAL, explained.
 */
static int add_slot(const struct krsi_set *set, unsigned int types,
		    const char *fn, __u32 *slot)
{
	if (!set) {
		pr_warn("%s: set is NULL\n", fn);
		return -EINVAL;
	}
	if (!(types & (1u << set->type))) {
		pr_warn("%s: map '%s' is a %s set\n", fn, set->map->name,
			set->kind->name);
		return -EINVAL;
	}
	return krsi_gen_building_slot(set->gen, fn, slot);
}

/* Write KEY with RULE (NULL: zeros) to SET's map. */
static int insert(const struct krsi_set *set, const void *key,
		  const struct krsi_rule *rule)
{
	struct krsi_rule zero = { 0 };
	int err;

	err = krsi_map__update_elem(set->map, key, set->kind->key_size,
				    rule ? rule : &zero, sizeof(zero), BPF_ANY);
	if (err == -E2BIG || err == -ENOSPC)
		pr_warn("%s set '%s' holds two generations: at most %u entries in each\n",
			set->kind->name, set->map->name,
			set->map->max_entries / 2);
	return err;
}

int krsi_set__add_file_id(struct krsi_set *set, dev_t dev, __u64 ino,
			  const struct krsi_rule *rule)
{
	struct krsi_file_set_key key = { .inode = { .dev = dev, .ino = ino } };
	int err;

	err = add_slot(set, 1u << KRSI_SET_FILE, "krsi_set__add_file_id",
		       &key.slot);
	return krsi_err(err ? err : insert(set, &key, rule));
}

int krsi_set__add_file(struct krsi_set *set, const char *path,
		       const struct krsi_rule *rule)
{
	struct stat st;
	__u32 slot;
	int err;

	err = add_slot(set, 1u << KRSI_SET_FILE, "krsi_set__add_file", &slot);
	if (!err && !path) {
		pr_warn("krsi_set__add_file: path is NULL\n");
		err = -EINVAL;
	}
	if (err)
		return krsi_err(err);
	if (stat(path, &st)) {
		err = -errno;
		pr_warn("file set '%s': cannot add %s: %s\n", set->map->name,
			path, strerror(-err));
		return krsi_err(err);
	}
	return krsi_set__add_file_id(set, st.st_dev, st.st_ino, rule);
}

int krsi_set__add_hash(struct krsi_set *set, const void *digest,
		       size_t digest_sz, const struct krsi_rule *rule)
{
	struct krsi_hash_set_key key = { 0 };
	int err;

	err = add_slot(set, 1u << KRSI_SET_HASH, "krsi_set__add_hash",
		       &key.slot);
	if (!err && (!digest || digest_sz != KRSI_SHA256_SIZE)) {
		pr_warn("hash set '%s': the digest is %s, not a SHA-256 digest of %d bytes\n",
			set->map->name, digest ? "of another size" : "NULL",
			KRSI_SHA256_SIZE);
		err = -EINVAL;
	}
	if (err)
		return krsi_err(err);
	memcpy(key.sha256, digest, KRSI_SHA256_SIZE);
	return krsi_err(insert(set, &key, rule));
}

int krsi_set__add_cgroup(struct krsi_set *set, __u64 cgroup_id,
			 const struct krsi_rule *rule)
{
	struct krsi_cgroup_set_key key = { .id = cgroup_id };
	int err;

	err = add_slot(set, 1u << KRSI_SET_CGROUP, "krsi_set__add_cgroup",
		       &key.slot);
	return krsi_err(err ? err : insert(set, &key, rule));
}

int krsi_set__add_id(struct krsi_set *set, __u32 id,
		     const struct krsi_rule *rule)
{
	struct krsi_id_set_key key = { .id = id };
	int err;

	err = add_slot(set, 1u << KRSI_SET_ID, "krsi_set__add_id", &key.slot);
	return krsi_err(err ? err : insert(set, &key, rule));
}

/*
 * Whether the LEN bytes of PATH are canonical: absolute, no empty, "." or
 * ".." component (the root is the empty string here).
 */
static bool canonical(const char *path, size_t len)
{
	size_t i = 0, start, n;

	while (i < len) {
		if (path[i] != '/')
			return false;
		start = ++i;
		while (i < len && path[i] != '/')
			i++;
		n = i - start;
		if (n == 0 || (n == 1 && path[start] == '.') ||
		    (n == 2 && path[start] == '.' && path[start + 1] == '.'))
			return false;
	}
	return true;
}

int krsi_set__add_path(struct krsi_set *set, const char *path,
		       enum krsi_path_match match, const struct krsi_rule *rule)
{
	struct krsi_path_set_key key = { 0 };
	size_t len, bytes;
	int err;

	err = add_slot(set, 1u << KRSI_SET_PATH, "krsi_set__add_path",
		       &key.slot);
	if (!err && (!path || (match != KRSI_PATH_EXACT &&
			       match != KRSI_PATH_SUBTREE))) {
		pr_warn("path set '%s': %s\n", set->map->name,
			path ? "match is neither KRSI_PATH_EXACT nor KRSI_PATH_SUBTREE"
			     : "path is NULL");
		err = -EINVAL;
	}
	if (err)
		return krsi_err(err);
	len = strlen(path);
	while (len > 0 && path[len - 1] == '/')
		len--; /* "/etc/" is "/etc", and "/" is "" */
	if (path[0] != '/' || !canonical(path, len)) {
		pr_warn("path set '%s': '%s' is not an absolute canonical path (no '//', '.' or '..' components), as the kernel reports paths\n",
			set->map->name, path);
		return krsi_err(-EINVAL);
	}
	if (len > KRSI_PATH_SET_MAX) {
		pr_warn("path set '%s': '%s' is %zu bytes, longer than the %d a path set holds\n",
			set->map->name, path, len, KRSI_PATH_SET_MAX);
		return krsi_err(-ENAMETOOLONG);
	}
	memcpy(key.path, path, len);
	key.path[len] = '/';
	bytes = len + 1;
	if (match == KRSI_PATH_EXACT)
		key.path[bytes++] = '\0';
	key.prefixlen = 32 + bytes * 8;
	return krsi_err(insert(set, &key, rule));
}

/* Parse CIDR for a set of FAMILY into ADDR (ADDR_SZ bytes) and *BITS. */
static int parse_cidr(const struct krsi_set *set, const char *cidr, int family,
		      __u8 *addr, size_t addr_sz, __u32 *bits)
{
	int found = strchr(cidr, ':') ? AF_INET6 : AF_INET;
	__u32 max = addr_sz * 8, i;
	char text[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long n = max;

	snprintf(text, sizeof(text), "%s", cidr);
	slash = strchr(text, '/');
	if (slash) {
		*slash = '\0';
		errno = 0;
		n = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || n > max)
			goto bad;
	}
	if (found != family) {
		pr_warn("%s set '%s': '%s' is an %s network\n", set->kind->name,
			set->map->name, cidr,
			found == AF_INET6 ? "IPv6" : "IPv4");
		return -EINVAL;
	}
	if (strlen(cidr) >= sizeof(text) || inet_pton(family, text, addr) != 1)
		goto bad;
	for (i = n; i < max; i++) {
		if (addr[i / 8] & (0x80 >> (i % 8))) {
			pr_warn("%s set '%s': '%s' has address bits set beyond its /%lu prefix\n",
				set->kind->name, set->map->name, cidr, n);
			return -EINVAL;
		}
	}
	*bits = n;
	return 0;
bad:
	pr_warn("%s set '%s': '%s' is not a network such as %s\n",
		set->kind->name, set->map->name, cidr,
		family == AF_INET6 ? "2001:db8::/32" : "192.0.2.0/24");
	return -EINVAL;
}

int krsi_set__add_cidr(struct krsi_set *set, const char *cidr,
		       const struct krsi_rule *rule)
{
	const unsigned int types = 1u << KRSI_SET_IPV4 | 1u << KRSI_SET_IPV6;
	struct krsi_ipv4_set_key v4 = { 0 };
	struct krsi_ipv6_set_key v6 = { 0 };
	__u32 slot, bits;
	int err;

	err = add_slot(set, types, "krsi_set__add_cidr", &slot);
	if (!err && !cidr) {
		pr_warn("krsi_set__add_cidr: cidr is NULL\n");
		err = -EINVAL;
	}
	if (err)
		return krsi_err(err);
	if (set->type == KRSI_SET_IPV4) {
		err = parse_cidr(set, cidr, AF_INET, v4.addr, sizeof(v4.addr),
				 &bits);
		v4.slot = slot;
		v4.prefixlen = 32 + bits;
	} else {
		err = parse_cidr(set, cidr, AF_INET6, v6.addr, sizeof(v6.addr),
				 &bits);
		v6.slot = slot;
		v6.prefixlen = 32 + bits;
	}
	if (err)
		return krsi_err(err);
	return krsi_err(insert(
		set, set->type == KRSI_SET_IPV4 ? (void *)&v4 : (void *)&v6,
		rule));
}

int krsi_get_cgroup_id(const char *path, __u64 *id)
{
	struct file_handle *fh;
	struct statfs st;
	int mount_id, err = 0;

	if (!path || !id) {
		pr_warn("krsi_get_cgroup_id: %s is NULL\n",
			path ? "id" : "path");
		return krsi_err(-EINVAL);
	}
	if (statfs(path, &st)) {
		err = -errno;
		pr_warn("cgroup %s: %s\n", path, strerror(-err));
		return krsi_err(err);
	}
	if (st.f_type != CGROUP2_SUPER_MAGIC) {
		pr_warn("%s is not on a cgroup v2 filesystem (mounted at /sys/fs/cgroup on most systems)\n",
			path);
		return krsi_err(-EINVAL);
	}
	fh = malloc(sizeof(*fh) + sizeof(*id));
	if (!fh)
		return krsi_err(-ENOMEM);
	fh->handle_bytes = sizeof(*id);
	if (name_to_handle_at(AT_FDCWD, path, fh, &mount_id, 0)) {
		err = -errno;
		pr_warn("cgroup %s: cannot read its id: %s\n", path,
			strerror(-err));
	} else {
		memcpy(id, fh->f_handle, sizeof(*id));
	}
	free(fh);
	return krsi_err(err);
}
