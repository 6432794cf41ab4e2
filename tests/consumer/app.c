// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* An outside consumer: built against an installed libkrsi with pkg-config. */
#include <stdio.h>
#include <string.h>
#include <krsi/krsi.h>

int main(void)
{
	if (krsi_version() != KRSI_VERSION) {
		fprintf(stderr, "headers are %#x, library is %#x\n",
			KRSI_VERSION, krsi_version());
		return 1;
	}
	printf("libkrsi %s\n", krsi_version_string());
	return 0;
}
