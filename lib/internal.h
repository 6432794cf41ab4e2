/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What libkrsi's modules share privately. Never installed. */
#ifndef KRSI_INTERNAL_H
#define KRSI_INTERNAL_H

#include <krsi/log.h>

__attribute__((format(printf, 2, 3))) void
krsi_print(enum krsi_print_level level, const char *fmt, ...);

#define pr_warn(fmt, ...) krsi_print(KRSI_WARN, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) krsi_print(KRSI_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) krsi_print(KRSI_DEBUG, fmt, ##__VA_ARGS__)

#endif /* KRSI_INTERNAL_H */
