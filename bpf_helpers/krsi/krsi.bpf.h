/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Umbrella header of libkrsi's BPF side. Include it after vmlinux.h:
 *
 *	#include "vmlinux.h"
 *	#include <bpf/bpf_helpers.h>
 *	#include <krsi/krsi.bpf.h>
 *
 * docs/BPF-GUIDE.md shows how the parts fit together.
 *
 * <krsi/self.bpf.h> is not included: it adds the krsi_self variable to the
 * program's object, and so to its skeleton, which then needs
 * <krsi/self.h>. Include it where the agent exempts itself.
 */
#ifndef __KRSI_KRSI_BPF_H
#define __KRSI_KRSI_BPF_H

#if !defined(__bpf__)
#error "krsi/krsi.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/errno.bpf.h>
#include <krsi/common.bpf.h>
#include <krsi/verdict.bpf.h>
#include <krsi/task.bpf.h>
#include <krsi/file.bpf.h>
#include <krsi/path.bpf.h>
#include <krsi/str.bpf.h>
#include <krsi/ima.bpf.h>
#include <krsi/policy.bpf.h>
#include <krsi/event.bpf.h>

#endif /* __KRSI_KRSI_BPF_H */
