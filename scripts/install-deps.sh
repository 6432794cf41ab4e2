#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Install the Debian packages libkrsi needs to build, test and run its VM
# harness. Idempotent: prints nothing when everything is already present.
# Run as root (or through sudo) on Debian 12 or later.
set -eu

# libclang-rt-14-dev: libFuzzer and the sanitizers' runtimes for clang 14
# (make fuzz, make check); valgrind: make check-valgrind.
PKGS="clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libcmocka-dev \
doxygen pkg-config qemu-system-x86 busybox-static cpio clang-format \
make gcc g++ libclang-rt-14-dev valgrind"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "install-deps: need root to install:$missing (run as root)" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# shellcheck disable=SC2086
if ! { $SUDO apt-get update -qq &&
	$SUDO apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	echo "install-deps: apt-get failed (output above); install the packages listed and retry" >&2
	exit 1
fi
rm -f "$log"
