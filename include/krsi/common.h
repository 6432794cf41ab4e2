/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file common.h
 * @brief Definitions shared by every libkrsi header.
 *
 * libkrsi follows libbpf's conventions: functions returning @c int return 0
 * on success or a negative errno value on failure and also set @c errno;
 * functions returning a pointer return NULL with @c errno set. Objects are
 * opaque handles. Options are passed in structs whose first member, @c sz,
 * holds the size the caller was compiled with; declare them with
 * KRSI_OPTS(). A library newer than the application accepts its smaller
 * struct; a library older than the application accepts a larger one only
 * when the fields it does not know are zero, and otherwise fails with
 * -EINVAL. A NULL opts pointer means all defaults.
 *
 * Thread safety: functions that take no handle are thread-safe; functions
 * on one handle must be serialised by the caller unless their documentation
 * says otherwise.
 */
#ifndef KRSI_COMMON_H
#define KRSI_COMMON_H

#include <string.h> /* memset(), for KRSI_OPTS() */

/** Marks a function exported by libkrsi. */
#ifndef KRSI_API
#define KRSI_API __attribute__((visibility("default")))
#endif

/**
 * @brief Declare an options struct with its @c sz set and every other field
 *        zero but those given.
 *
 * Example: `KRSI_OPTS(krsi_object_open_opts, opts, .name = "guard");`
 *
 * @param TYPE the struct's tag, without @c struct
 * @param NAME the variable to declare
 */
#define KRSI_OPTS(TYPE, NAME, ...)                                       \
	struct TYPE NAME = ({                                            \
		memset(&NAME, 0, sizeof(struct TYPE));                   \
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ }; \
	})

#endif /* KRSI_COMMON_H */
