// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <krsi/version.h>

#define STR_(x) #x
#define STR(x) STR_(x)

unsigned int krsi_version(void)
{
	return KRSI_VERSION;
}

const char *krsi_version_string(void)
{
	return STR(KRSI_VERSION_MAJOR) "." STR(KRSI_VERSION_MINOR) "." STR(
		KRSI_VERSION_PATCH);
}
