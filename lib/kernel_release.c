// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * What identifies a kernel: its release as numbers, and the GNU build ID
 * its linker computed over the whole image, which every rebuild changes.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hooks_internal.h"

int krsi_parse_release(const char *s, struct krsi_release *rel)
{
	unsigned int major, minor, patch = 0;
	int n = 0;

	if (!s || !isdigit((unsigned char)s[0]) ||
	    sscanf(s, "%u.%u%n", &major, &minor, &n) != 2)
		return -EINVAL;
	if (s[n] == '.' && isdigit((unsigned char)s[n + 1]))
		sscanf(s + n + 1, "%u", &patch);
	rel->major = major;
	rel->minor = minor;
	rel->patch = patch;
	return 0;
}

#define NT_GNU_BUILD_ID 3

static __u32 align4(__u32 n)
{
	return (n + 3) & ~3u;
}

int krsi_parse_build_id(const void *notes, size_t len,
			char id[KRSI_BUILD_ID_MAX + 1])
{
	const unsigned char *p = notes, *desc;
	__u32 hdr[3], name, size, i;
	size_t off = 0;

	while (len - off >= sizeof(hdr)) {
		memcpy(hdr, p + off, sizeof(hdr));
		off += sizeof(hdr);
		name = align4(hdr[0]);
		size = align4(hdr[1]);
		if (name < hdr[0] || size < hdr[1] || name > len - off ||
		    size > len - off - name)
			return -EINVAL;
		desc = p + off + name;
		off += name + size;
		if (hdr[2] != NT_GNU_BUILD_ID || hdr[0] != 4 ||
		    memcmp(desc - name, "GNU", 4))
			continue;
		if (!hdr[1] || hdr[1] * 2 > KRSI_BUILD_ID_MAX)
			return -EINVAL;
		for (i = 0; i < hdr[1]; i++)
			snprintf(id + 2 * i, 3, "%02x", desc[i]);
		return 0;
	}
	return -ENOENT;
}

int krsi_kernel_build_id(char id[KRSI_BUILD_ID_MAX + 1])
{
	char notes[4096];
	ssize_t n;
	int fd;

	fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, notes, sizeof(notes));
	close(fd);
	if (n < 0)
		return -errno;
	return krsi_parse_build_id(notes, n, id);
}
