#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# demo.sh BUILD_DIR: show, on a real kernel, what BPF LSM does and how it
# fails silently. This host refuses to load LSM programs, so the demo runs
# in krsi-vmtest's 6.12 VM.
set -euo pipefail
O=$1
here=$(cd "$(dirname "$0")/.." && pwd)
vmtest=$here/tools/krsi-vmtest
test=$O/tests/kernel/test_mprotect_deny
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "An LSM program that denies mprotect() to one process, on Debian's 6.12 kernel"
echo "The host cannot load LSM programs here, so this runs inside krsi-vmtest:"
echo "  krsi-vmtest --kernel 6.12 --add $test -- test_mprotect_deny"
"$vmtest" --kernel 6.12 --add "$test" -- test_mprotect_deny

say "The same program on a kernel booted with lsm= lacking \"bpf\""
echo "It loads and attaches without an error, and then never runs: nothing"
echo "is denied. libkrsi's probe exists to catch exactly this."
"$vmtest" --kernel 6.12 --cmdline "lsm=landlock,lockdown,yama,apparmor" \
	--add "$test" -- sh -c 'echo "active LSMs: $(cat /sys/kernel/security/lsm)"; exec test_mprotect_deny --lsm-off'
say "Done: denied while attached, allowed after detach; and silently inactive without lsm=...,bpf"
