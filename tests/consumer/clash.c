// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * An outside consumer that names its own functions and data as libkrsi
 * names some of its internals, and calls the public functions of the
 * modules that hold them. Linked statically against the installed
 * libkrsi.a, it links only if the library exports nothing but its API.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <krsi/krsi.h>

int fmt_hex;
int sb_printf;

const char *audit_json(void)
{
	return "the application's audit_json";
}

int probe_set(int x)
{
	return x + 1;
}

int krsi_map_new(void)
{
	return 7;
}

int main(void)
{
	struct krsi_audit *audit;
	const char *check;

	krsi_set_print(NULL);
	audit = krsi_audit__new(NULL);
	check = krsi_probe_check_name(KRSI_PROBE_CANARY);

	if (!audit || !check) {
		fprintf(stderr, "libkrsi failed: %s\n", strerror(errno));
		return 1;
	}
	krsi_audit__free(audit);
	if (krsi_map__new(NULL) || errno != EINVAL) {
		fprintf(stderr,
			"krsi_map__new(NULL) did not fail with EINVAL\n");
		return 1;
	}
	if (fmt_hex != 0 || sb_printf != 0 || probe_set(1) != 2 ||
	    krsi_map_new() != 7) {
		fprintf(stderr,
			"the application's own symbols are not its own\n");
		return 1;
	}
	printf("%s, libkrsi's check '%s'\n", audit_json(), check);
	return 0;
}
