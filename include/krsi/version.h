/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file version.h
 * @brief libkrsi's version, at compile time and at run time.
 *
 * The macros give the version of the headers an application was compiled
 * against; krsi_version() and krsi_version_string() give the version of the
 * library it runs with. Versions follow semantic versioning: within one
 * major version, the ABI only grows.
 */
#ifndef KRSI_VERSION_H
#define KRSI_VERSION_H

#include <krsi/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Major version of the headers. */
#define KRSI_VERSION_MAJOR 0
/** Minor version of the headers. */
#define KRSI_VERSION_MINOR 1
/** Patch version of the headers. */
#define KRSI_VERSION_PATCH 0

/** Encode a version as one integer, comparable with < and >. */
#define KRSI_VERSION_ENCODE(major, minor, patch) \
	(((major) << 16) | ((minor) << 8) | (patch))

/** Version of the headers, encoded by KRSI_VERSION_ENCODE(). */
#define KRSI_VERSION                                                \
	KRSI_VERSION_ENCODE(KRSI_VERSION_MAJOR, KRSI_VERSION_MINOR, \
			    KRSI_VERSION_PATCH)

/**
 * @brief Version of the running library, encoded by KRSI_VERSION_ENCODE().
 *
 * Compare it with #KRSI_VERSION to detect an application running with a
 * different library than it was built against.
 *
 * @return The encoded version; never fails.
 *
 * Thread-safe.
 */
KRSI_API unsigned int krsi_version(void);

/**
 * @brief Version of the running library as text, such as "0.1.0".
 *
 * @return A static string, never NULL; never fails.
 *
 * Thread-safe.
 */
KRSI_API const char *krsi_version_string(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_VERSION_H */
