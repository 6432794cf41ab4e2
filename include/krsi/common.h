/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file common.h
 * @brief Definitions shared by every libkrsi header.
 *
 * libkrsi follows libbpf's conventions: functions returning @c int return 0
 * on success or a negative errno value on failure and also set @c errno;
 * functions returning a pointer return NULL with @c errno set. Objects are
 * opaque handles. Options are passed in structs whose first member, @c sz,
 * holds the size the caller was compiled with.
 *
 * Thread safety: functions that take no handle are thread-safe; functions
 * on one handle must be serialised by the caller unless their documentation
 * says otherwise.
 */
#ifndef KRSI_COMMON_H
#define KRSI_COMMON_H

/** Marks a function exported by libkrsi. */
#ifndef KRSI_API
#define KRSI_API __attribute__((visibility("default")))
#endif

#endif /* KRSI_COMMON_H */
