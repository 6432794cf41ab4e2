// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include "internal.h"

bool krsi_opts_valid(const void *opts, size_t known_sz, size_t user_sz,
		     const char *name)
{
	const unsigned char *p = opts;
	size_t i;

	if (user_sz < sizeof(size_t)) {
		pr_warn("struct %s: sz is %zu, smaller than the sz field itself: declare options with KRSI_OPTS()\n",
			name, user_sz);
		return false;
	}
	for (i = known_sz; i < user_sz; i++) {
		if (p[i]) {
			pr_warn("struct %s: byte %zu is set, but this libkrsi knows only %zu bytes: upgrade libkrsi or leave newer fields zero\n",
				name, i, known_sz);
			return false;
		}
	}
	return true;
}
