/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/**
 * @file krsi.h
 * @brief Umbrella header: includes every public libkrsi header.
 */
#ifndef KRSI_KRSI_H
#define KRSI_KRSI_H

#include <krsi/attachments.h>
#include <krsi/audit.h>
#include <krsi/btf.h>
#include <krsi/common.h>
#include <krsi/event.h>
#include <krsi/hooks.h>
#include <krsi/inode_key.h>
#include <krsi/install.h>
#include <krsi/log.h>
#include <krsi/map.h>
#include <krsi/object.h>
#include <krsi/policy.h>
#include <krsi/policy_types.h>
#include <krsi/probe.h>
#include <krsi/self.h>
#include <krsi/version.h>

#endif /* KRSI_KRSI_H */
