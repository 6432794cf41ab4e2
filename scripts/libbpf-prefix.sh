#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# libbpf-prefix.sh SERIES DIR: put Debian's libbpf SERIES into DIR, a
# private prefix (DIR/include, DIR/lib with libbpf.so.1, libbpf.a and
# pkgconfig/libbpf.pc) that is never installed on the system, for `make
# check` to build libkrsi against (make LIBBPF_PREFIX=DIR):
#   1.4  bookworm-backports' libbpf1 and libbpf-dev packages, unpacked;
#   1.7  unstable's source package, built with this system's toolchain and
#        the flags of its debian/rules.
# Only Debian's archive is reached, through a private apt configuration
# (the host's is never touched). Downloads are kept in $KRSI_LIBBPF_CACHE
# (default ${XDG_CACHE_HOME:-~/.cache}/krsi-libbpf), so a second run
# fetches nothing; --refresh looks for a newer package of the series.
set -euo pipefail
PROG=libbpf-prefix.sh
die() { echo "$PROG: $*" >&2; exit 1; }

refresh=0
[ "${1:-}" = --refresh ] && { refresh=1; shift; }
[ $# -eq 2 ] || die "usage: $PROG [--refresh] SERIES DIR"
series=$1 dir=$(realpath -m "$2")
case "$series" in
1.4) kind=deb suite=bookworm-backports ;;
1.7) kind=source suite=unstable ;;
*) die "no Debian source known for libbpf $series (1.4 or 1.7)" ;;
esac
mirror=${KRSI_LIBBPF_MIRROR:-http://deb.debian.org/debian}
cache=${KRSI_LIBBPF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/krsi-libbpf}
store=$cache/$series
for cmd in apt-get dpkg-deb dpkg-source; do
	command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: run 'make deps' as root"
done

apt_opts=(-o "Dir::Etc::SourceList=$cache/apt/sources.list"
	-o "Dir::Etc::SourceParts=$cache/apt/none" -o "Dir::State=$cache/apt/state"
	-o "Dir::State::status=$cache/apt/state/status" -o "Dir::Cache=$cache/apt/cache"
	-o APT::Sandbox::User=root -o Debug::NoLocking=1 -q)

# fetch: download the series' packages into $store, once.
fetch() {
	local d=$cache/apt signed="" v tmp
	mkdir -p "$d/none" "$d/state/lists/partial" "$d/cache/archives/partial"
	touch "$d/state/status"
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] &&
		signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
	cat >"$d/sources.list" <<EOF
deb ${signed}$mirror bookworm-backports main
deb-src ${signed}$mirror unstable main
EOF
	apt-get "${apt_opts[@]}" update >"$d/update.log" 2>&1 ||
		die "cannot reach Debian's archive (see $d/update.log)"
	tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	if [ "$kind" = deb ]; then
		v=$(apt-cache "${apt_opts[@]}" policy libbpf-dev | awk '/Candidate:/ { print $2 }')
		[[ "$v" == 1:"$series".* ]] ||
			die "$suite has libbpf-dev ${v:-none}, not $series.x: update the series in scripts/libbpf-prefix.sh and the Makefile"
		(cd "$tmp" && apt-get "${apt_opts[@]}" download "libbpf-dev=$v" "libbpf1=$v") \
			>"$tmp/download.log" 2>&1 || die "cannot download libbpf $v (see $tmp/download.log)"
	else
		v=$(apt-cache "${apt_opts[@]}" showsrc libbpf | awk '/^Version:/ { print $2 }' | sort -V | tail -n 1)
		[[ "$v" == "$series".* ]] ||
			die "$suite has libbpf ${v:-none}, not $series.x: update the series in scripts/libbpf-prefix.sh and the Makefile"
		(cd "$tmp" && apt-get "${apt_opts[@]}" source --download-only "libbpf=$v") \
			>"$tmp/download.log" 2>&1 || die "cannot download the source of libbpf $v (see $tmp/download.log)"
	fi
	rm -f "$tmp/download.log"
	rm -rf "$store"
	mv "$tmp" "$store"
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ "$refresh" = 1 ] || [ ! -d "$store" ]; then
	fetch
fi
flock -u 9

rm -rf "$dir"
mkdir -p "$dir/lib"
work=$(mktemp -d "$dir/.work.XXXXXX")
if [ "$kind" = deb ]; then
	for deb in "$store"/*.deb; do
		dpkg-deb -x "$deb" "$work"
	done
	mv "$work/usr/include" "$dir/include"
	mv "$work"/usr/lib/*/* "$dir/lib/"
	# shellcheck disable=SC2016 # ${prefix} is pkg-config's
	sed -i -e "s|^prefix=.*|prefix=$dir|" -e 's|^libdir=.*|libdir=${prefix}/lib|' \
		"$dir/lib/pkgconfig/libbpf.pc"
else
	dpkg-source -x "$store"/*.dsc "$work/src" >"$work/unpack.log" 2>&1 ||
		die "cannot unpack $(echo "$store"/*.dsc) (see $work/unpack.log)"
	# What debian/rules does: its hardening and warning flags, libraries
	# in lib/ under the prefix.
	export DEB_BUILD_MAINT_OPTIONS=hardening=+all
	cflags="$(dpkg-buildflags --get CFLAGS) -Werror=implicit-function-declaration"
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$work/src/src" -j"$(nproc)" \
		PREFIX="$dir" LIBSUBDIR=lib OBJDIR="$work/obj" CFLAGS="$cflags" \
		LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" install >"$work/build.log" 2>&1 ||
		{ mv "$work/build.log" "$dir/build.log"; die "building libbpf from $(echo "$store"/*.dsc) failed (see $dir/build.log)"; }
fi
rm -rf "$work"
version=$(PKG_CONFIG_PATH=$dir/lib/pkgconfig pkg-config --modversion libbpf)
[[ "$version" == "$series".* ]] || die "$dir holds libbpf $version, not $series.x"
echo "$PROG: libbpf $version in $dir"
