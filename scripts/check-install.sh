#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# check-install.sh STAGE PREFIX VMLINUX_H: given `make install DESTDIR=STAGE
# PREFIX=PREFIX`, build outside consumers the way users do, with nothing but
# pkg-config: a program linked dynamically and statically, and a BPF program
# including <krsi/krsi.bpf.h>. Then run the programs.
set -euo pipefail
stage=$(cd "$1" && pwd) prefix=$2 vmlinux_dir=$(cd "$(dirname "$3")" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
out=$stage/consumer
mkdir -p "$out"
export PKG_CONFIG_PATH=$stage$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage
pc() { pkg-config "$@" libkrsi; }

fail() { echo "check-install: $*" >&2; exit 1; }

[ "$(pc --modversion)" = "$(sed -n 's/^VERSION_\(MAJOR\|MINOR\|PATCH\) := //p' "$here/Makefile" | paste -sd.)" ] ||
	fail "libkrsi.pc has version $(pc --modversion)"
# shellcheck disable=SC2046
cc -Wall -Werror "$here/tests/consumer/app.c" -o "$out/app-shared" $(pc --cflags --libs)
# shellcheck disable=SC2046
cc -Wall -Werror "$here/tests/consumer/app.c" -o "$out/app-static" $(pc --cflags) \
	"$stage$prefix/lib/libkrsi.a" $(pc --static --libs | sed 's/-lkrsi//')
LD_LIBRARY_PATH=$stage$prefix/lib "$out/app-shared" >/dev/null || fail "the dynamically linked consumer failed"
"$out/app-static" >/dev/null || fail "the statically linked consumer failed"
readelf -d "$out/app-shared" | grep -q 'NEEDED.*\[libkrsi\.so\.0\]' ||
	fail "the consumer does not link libkrsi.so.0 by its SONAME"
# shellcheck disable=SC2046
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -I"$vmlinux_dir" $(pc --cflags) \
	-c "$here/tests/consumer/prog.bpf.c" -o "$out/prog.bpf.o"
echo "check-install: an outside program (shared and static) and a BPF program built against the installed libkrsi $(pc --modversion) with pkg-config"
