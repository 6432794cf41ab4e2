/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file log.h
 * @brief Where libkrsi's messages go.
 *
 * Every failure libkrsi reports through a negative errno is also explained
 * in a message: what failed, why, and what to do. Messages go to a callback
 * chosen by the application; by default warnings and information go to
 * standard error, prefixed "libkrsi: ". libkrsi never changes libbpf's own
 * print callback: an application that wants libbpf's messages as well sets
 * it with libbpf_set_print().
 */
#ifndef KRSI_LOG_H
#define KRSI_LOG_H

#include <stdarg.h>
#include <krsi/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Importance of a message. */
enum krsi_print_level {
	KRSI_WARN, /**< An operation failed; the message says why. */
	KRSI_INFO, /**< Something the user should know about. */
	KRSI_DEBUG, /**< Detail for debugging. */
};

/**
 * @brief A print callback.
 *
 * @param level how important the message is
 * @param format printf-style format, already prefixed "libkrsi: " and ending
 *        with a newline
 * @param args the format's arguments
 * @return Ignored by libkrsi; return what vfprintf() returns.
 */
typedef int (*krsi_print_fn_t)(enum krsi_print_level level, const char *format,
			       va_list args);

/**
 * @brief Set the callback that receives libkrsi's messages.
 *
 * The default callback prints #KRSI_WARN and #KRSI_INFO messages to
 * standard error and drops #KRSI_DEBUG ones. The callback is called with
 * errno preserved around it.
 *
 * @param fn the new callback, or NULL to silence libkrsi
 * @return The previous callback (NULL when libkrsi was silenced); never
 *         fails.
 *
 * Thread-safe, but messages being printed while the callback changes may
 * still reach the previous one.
 */
KRSI_API krsi_print_fn_t krsi_set_print(krsi_print_fn_t fn);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KRSI_LOG_H */
