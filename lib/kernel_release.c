// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

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

int krsi_running_release(struct krsi_release *rel)
{
	char sig[256], *p;
	struct utsname u;
	FILE *f;

	if (uname(&u))
		return -errno;
	/* Debian: uname -r is "6.1.0-56-cloud-amd64", uname -v ends with
	 * "Debian 6.1.192-2 (2026-11-16)". */
	p = strstr(u.version, "Debian ");
	if (p && !krsi_parse_release(p + strlen("Debian "), rel))
		return 0;
	/* Ubuntu: "Ubuntu 5.15.0-25.25-generic 5.15.30". */
	f = fopen("/proc/version_signature", "r");
	if (f) {
		p = fgets(sig, sizeof(sig), f);
		fclose(f);
		if (p) {
			sig[strcspn(sig, "\n")] = '\0';
			p = strrchr(sig, ' ');
			if (p && !krsi_parse_release(p + 1, rel))
				return 0;
		}
	}
	return krsi_parse_release(u.release, rel);
}
