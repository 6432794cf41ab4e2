#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# check-packaging.sh DIR: prove, in the scratch directory DIR, that the
# build a distribution runs changes nothing on the host and needs nothing
# of it but the build dependencies:
# - with a build dependency missing (a dpkg-query on PATH that says so),
#   `make`, `make install` and `make docs` stop with a message naming the
#   package and `make deps`, and never run apt-get or sudo (stand-ins on
#   PATH record any call); `make deps` does run apt-get, so the check can
#   fail;
# - the library's BPF programs build without the host's BTF
#   (VMLINUX_BTF=/nonexistent), and nothing `make lib` runs names vmlinux.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mkdir -p "$1" && cd "$1" && pwd)
fail() { echo "check-packaging: $*" >&2; exit 1; }
unset MAKEFLAGS MFLAGS MAKELEVEL

rm -rf "$dir"
mkdir -p "$dir/bin"
calls=$dir/apt-calls
dpkg_query=$(command -v dpkg-query) || fail "dpkg-query not found: this check needs Debian"
cat >"$dir/bin/dpkg-query" <<EOF
#!/bin/sh
for pkg; do :; done
[ "\$pkg" = "\$KRSI_FAKE_MISSING" ] && exit 1
exec $dpkg_query "\$@"
EOF
for cmd in apt-get sudo; do
	printf '#!/bin/sh\necho "%s $*" >>%s\nexit 1\n' "$cmd" "$calls" >"$dir/bin/$cmd"
done
chmod +x "$dir/bin"/*

# run PKG ARG...: make ARG... with PKG reported missing; print its output.
run() {
	local pkg=$1
	shift
	PATH=$dir/bin:$PATH KRSI_FAKE_MISSING=$pkg \
		make -C "$here" --no-print-directory O="$dir/build" "$@" 2>&1
}

for t in "clang:" "libbpf-dev:install DESTDIR=$dir/stage" "doxygen:docs"; do
	pkg=${t%%:*} args=${t#*:}
	# shellcheck disable=SC2086
	if out=$(run "$pkg" $args); then
		fail "make $args built with $pkg missing"
	fi
	grep -q "missing Debian packages: $pkg;.*make deps" <<<"$out" ||
		fail "make $args failed without naming $pkg and make deps: $out"
	[ ! -e "$calls" ] || fail "make $args ran: $(cat "$calls")"
done
run clang deps >/dev/null || true
[ -s "$calls" ] || fail "make deps did not run apt-get with clang missing: the stand-ins do not work"
echo "check-packaging: make, make install and make docs stop naming a missing package and never run apt-get; make deps does"

skels=$(cd "$here" && for f in lib/bpf/*.bpf.c; do
	n=${f##*/}
	echo "$dir/build/skel/${n%.bpf.c}.skel.h"
done)
rm -rf "$dir/build"
# shellcheck disable=SC2086
make -C "$here" --no-print-directory O="$dir/build" VMLINUX_BTF=/nonexistent $skels >/dev/null ||
	fail "the library's BPF programs (lib/bpf/) do not build without the host's BTF"
if make -C "$here" -n O="$dir/build" VMLINUX_BTF=/nonexistent lib | grep vmlinux; then
	fail "make lib reads the host's BTF (above)"
fi
echo "check-packaging: the library builds without the host's BTF"
rm -rf "$dir"
