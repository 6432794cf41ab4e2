/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Umbrella header of libkrsi's BPF side. Include it after vmlinux.h:
 *
 *	#include "vmlinux.h"
 *	#include <bpf/bpf_helpers.h>
 *	#include <krsi/krsi.bpf.h>
 */
#ifndef __KRSI_KRSI_BPF_H
#define __KRSI_KRSI_BPF_H

#if !defined(__bpf__)
#error "krsi/krsi.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/errno.bpf.h>
#include <krsi/event.bpf.h>

#endif /* __KRSI_KRSI_BPF_H */
