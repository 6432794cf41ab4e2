#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# install-deps.sh: install the Debian packages libkrsi needs to build, test
# and run its VM harness. Idempotent: prints nothing when everything is
# already present. Run as root (or through sudo) on Debian 12 or later.
# `make deps`, `make check` and `make demo` run it.
#
# install-deps.sh --check GROUP...: install nothing; exit 1, naming the
# missing packages, unless every package of each GROUP is installed. The
# Makefile checks this way before building: build (the library, the tools
# and the examples), test (tests, fuzzing, VMs, other libbpf versions),
# docs, style. Where dpkg is absent (not Debian), it checks nothing.
set -eu

# libclang-rt-14-dev: libFuzzer and the sanitizers' runtimes for clang 14
# (make fuzz, make check); llvm: their symbolizer; valgrind: make
# check-valgrind; dpkg-dev: dpkg-source, which unpacks the libbpf source
# package make check builds (scripts/libbpf-prefix.sh).
BUILD_PKGS="make gcc clang bpftool libbpf-dev libelf-dev zlib1g-dev pkg-config"
TEST_PKGS="g++ libcmocka-dev llvm libclang-rt-14-dev valgrind qemu-system-x86 \
busybox-static cpio dpkg-dev"
DOCS_PKGS="doxygen"
STYLE_PKGS="clang-format"

# missing PKG...: print those of PKG... that are not installed.
missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			printf ' %s' "$p"
	done
}

if [ "${1:-}" = "--check" ]; then
	shift
	command -v dpkg-query >/dev/null 2>&1 || exit 0
	pkgs=""
	for group in "$@"; do
		case "$group" in
		build) pkgs="$pkgs $BUILD_PKGS" ;;
		test) pkgs="$pkgs $TEST_PKGS" ;;
		docs) pkgs="$pkgs $DOCS_PKGS" ;;
		style) pkgs="$pkgs $STYLE_PKGS" ;;
		*) echo "install-deps: unknown group '$group' (build, test, docs or style)" >&2; exit 2 ;;
		esac
	done
	# shellcheck disable=SC2086
	need=$(missing $pkgs)
	[ -z "$need" ] && exit 0
	echo "install-deps: missing Debian packages:$need; run 'make deps' as root (or apt-get install$need)" >&2
	exit 1
fi

# shellcheck disable=SC2086
need=$(missing $BUILD_PKGS $TEST_PKGS $DOCS_PKGS $STYLE_PKGS)
[ -z "$need" ] && exit 0

echo "install-deps: installing:$need" >&2
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "install-deps: need root to install:$need (run as root)" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# shellcheck disable=SC2086
if ! { $SUDO apt-get update -qq &&
	$SUDO apt-get install -y -qq --no-install-recommends $need; } >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	echo "install-deps: apt-get failed (output above); install the packages listed and retry" >&2
	exit 1
fi
rm -f "$log"
