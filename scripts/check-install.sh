#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# check-install.sh STAGE PREFIX VMLINUX_H: given `make install DESTDIR=STAGE
# PREFIX=PREFIX`, build outside consumers the way users do, with nothing but
# pkg-config: a program linked dynamically and statically, one that names
# its own symbols as libkrsi names internals, linked statically, and a BPF
# program including <krsi/krsi.bpf.h>. Then run the programs. The static
# library must define no global symbol but those lib/libkrsi.map exports,
# and libkrsi.pc must name its directories relative to its prefix.
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
pcfile=$stage$prefix/lib/pkgconfig/libkrsi.pc
# shellcheck disable=SC2016 # ${...} are pkg-config's
if ! grep -qx 'libdir=${exec_prefix}/lib' "$pcfile" || ! grep -qx 'includedir=${prefix}/include' "$pcfile"; then
	fail "libkrsi.pc names its directories without \${exec_prefix} / \${prefix}: $(grep dir= "$pcfile" | paste -sd' ')"
fi

stlib=$stage$prefix/lib/libkrsi.a
globals=$(nm -g --defined-only "$stlib" | awk 'NF == 3 { print $3 }' | sort -u)
listed=$(sed -n 's/^[[:space:]]*\(krsi_[a-z0-9_]*\);.*/\1/p' "$here/lib/libkrsi.map" | sort -u)
extra=$(comm -23 <(echo "$globals") <(echo "$listed") | paste -sd' ')
lacking=$(comm -13 <(echo "$globals") <(echo "$listed") | paste -sd' ')
[ -z "$extra" ] || fail "libkrsi.a defines global symbols that are not in lib/libkrsi.map: $extra"
[ -z "$lacking" ] || fail "libkrsi.a lacks symbols lib/libkrsi.map exports: $lacking"

# shellcheck disable=SC2046
cc -Wall -Werror "$here/tests/consumer/app.c" -o "$out/app-shared" $(pc --cflags --libs)
for app in app clash; do
	# shellcheck disable=SC2046
	cc -Wall -Werror "$here/tests/consumer/$app.c" -o "$out/$app-static" $(pc --cflags) \
		"$stlib" $(pc --static --libs | sed 's/-lkrsi//') ||
		fail "tests/consumer/$app.c does not link statically against libkrsi.a"
	"$out/$app-static" >/dev/null || fail "the statically linked $app failed"
done
LD_LIBRARY_PATH=$stage$prefix/lib "$out/app-shared" >/dev/null || fail "the dynamically linked consumer failed"
readelf -d "$out/app-shared" | grep -q 'NEEDED.*\[libkrsi\.so\.0\]' ||
	fail "the consumer does not link libkrsi.so.0 by its SONAME"
# shellcheck disable=SC2046
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -I"$vmlinux_dir" $(pc --cflags) \
	-c "$here/tests/consumer/prog.bpf.c" -o "$out/prog.bpf.o"
echo "check-install: an outside program (shared and static), one naming its symbols as libkrsi's internals (static) and a BPF program built against the installed libkrsi $(pc --modversion) with pkg-config; libkrsi.a defines only the $(echo "$globals" | wc -l) exported symbols"
