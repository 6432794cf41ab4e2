#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# gen-hook-flags.sh: write lib/hook_flags_data.h, the hook flags libkrsi
# ships, from Debian's kernel packages. See usage() below.
set -euo pipefail

PROG=gen-hook-flags.sh
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/lib/hook_flags_data.h
O=${O:-build}
hook_sets=$top/$O/scripts/hook-sets
cache="${KRSI_HOOK_FLAGS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/krsi-hook-flags}"
mirror="${KRSI_HOOK_FLAGS_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${KRSI_HOOK_FLAGS_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

usage() {
	cat <<EOF
Usage: $PROG [--add] [--cache DIR] [KERNEL]...

Write lib/hook_flags_data.h: for each kernel build, which LSM hooks are
disabled for BPF programs, which take sleepable (lsm.s/) and which
per-cgroup (lsm_cgroup/) programs, read from the kernel itself: the BTF id
sets of kernel/bpf/bpf_lsm.c in the .BTF_ids section of the vmlinux that
Debian's linux-image-*-dbg package carries, mapped to names through its
.BTF (scripts/hook-sets.c). Each build is keyed by its GNU build ID, which
the running kernel shows in /sys/kernel/notes.

KERNEL is one of:
  LINE      a kernel line (5.10, 6.1, 6.12, 7.3...): the newest cloud-amd64
            build of that line in bullseye, bookworm, trixie, their
            security updates, or trixie-backports
  PACKAGE   a package, linux-image-6.12.118+deb13-cloud-amd64[-dbg], at
            its newest version, or PACKAGE=VERSION
  FILE.deb  a linux-image-*-dbg package already downloaded

With no KERNEL, the builds the file lists now are generated again, at the
versions it records. With --add, those builds are kept and KERNELs added:
adding a kernel line is "$PROG --add LINE".

Options:
  --add        keep the builds lib/hook_flags_data.h lists now
  --cache DIR  downloads and the private apt state (default
               \$KRSI_HOOK_FLAGS_CACHE, else ~/.cache/krsi-hook-flags);
               each -dbg package is 260-350 MB
  -h, --help   show this help

Packages come through a private apt configuration under the cache; the
host's apt configuration is never read or changed.
EOF
}

die() {
	echo "$PROG: $*" >&2
	exit 1
}

add=0
kernels=()
while [ $# -gt 0 ]; do
	case "$1" in
	--add) add=1; shift ;;
	--cache) [ $# -ge 2 ] || die "--cache needs a directory"; cache=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "$PROG: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) kernels+=("$1"); shift ;;
	esac
done

# The builds the file lists now, as PACKAGE=VERSION.
listed() {
	[ -f "$out" ] || return 0
	sed -n 's|^ \* build: \([^ ]*\) \([^ ]*\) .*|\1=\2|p' "$out"
}
if [ ${#kernels[@]} -eq 0 ] || [ "$add" = 1 ]; then
	mapfile -t old < <(listed)
	kernels=("${old[@]+"${old[@]}"}" "${kernels[@]+"${kernels[@]}"}")
fi
[ ${#kernels[@]} -gt 0 ] || die "no kernel given, and $out lists none (see --help)"

for c in apt-get apt-cache dpkg-deb sha256sum; do
	command -v "$c" >/dev/null || die "$c not found: run this on Debian"
done
make -s --no-print-directory -C "$top" "$O/scripts/hook-sets" >&2

# --- the private apt configuration ------------------------------------------
apt_dir=$cache/apt
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o "Dir::Etc::SourceParts=$apt_dir/none"
	-o "Dir::State=$apt_dir/state" -o "Dir::State::status=$apt_dir/state/status"
	-o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root"
	-o "Debug::NoLocking=1" -q)
apt_ready=0
apt_prepare() {
	[ "$apt_ready" = 1 ] && return
	local signed=""
	mkdir -p "$apt_dir/none" "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial"
	touch "$apt_dir/state/status"
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] &&
		signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
	{
		for s in bullseye bookworm trixie trixie-backports; do
			echo "deb ${signed}$mirror $s main"
		done
		for s in bullseye-security bookworm-security trixie-security; do
			echo "deb ${signed}$security_mirror $s main"
		done
	} >"$apt_dir/sources.list"
	apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 ||
		die "cannot reach the Debian archive (see $apt_dir/update.log)"
	apt_ready=1
}

# The -dbg package of the newest cloud-amd64 build of LINE, as PACKAGE=VERSION.
resolve_line() {
	local line=$1 best_v="" best_p="" v deps p
	apt_prepare
	while IFS='|' read -r v deps; do
		case "$v" in "$line".*) ;; *) continue ;; esac
		p=$(echo "$deps" | tr ',' '\n' | grep -oE 'linux-image-[^ ]+-dbg' | head -1) || continue
		if [ -z "$best_v" ] || dpkg --compare-versions "$v" gt "$best_v"; then
			best_v=$v best_p=$p
		fi
	done < <(apt-cache "${apt_opts[@]}" show linux-image-cloud-amd64-dbg 2>/dev/null |
		awk '/^Version:/ { v = $2 } /^Depends:/ { sub(/^Depends: /, ""); print v "|" $0 }')
	[ -n "$best_p" ] || die "the archive has no cloud-amd64 kernel of line $line"
	echo "$best_p=$best_v"
}

# Print the path of the -dbg .deb for KERNEL, downloading it if needed.
fetch() {
	local k=$1 pkg ver deb
	case "$k" in
	*.deb) [ -f "$k" ] || die "$k: no such file"; echo "$k"; return ;;
	[0-9]*.[0-9]*) k=$(resolve_line "$k") ;;
	linux-image-*) ;;
	*) echo "$PROG: unknown kernel '$k': give a line (6.12), a package or a .deb (see --help)" >&2; exit 2 ;;
	esac
	pkg=${k%%=*} ver=""
	[ "$pkg" != "$k" ] && ver=${k#*=}
	case "$pkg" in *-dbg) ;; *) pkg=$pkg-dbg ;; esac
	mkdir -p "$cache/debs"
	if [ -n "$ver" ]; then
		deb=$(ls "$cache/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
		[ -n "$deb" ] && { echo "$deb"; return; }
	fi
	apt_prepare
	echo "$PROG: downloading $pkg${ver:+ $ver}" >&2
	(cd "$cache/debs" && apt-get "${apt_opts[@]}" download "$pkg${ver:+=$ver}" >&2) ||
		die "cannot download $pkg${ver:+ $ver}: it may have left the archive; name a build it has (apt-cache show linux-image-cloud-amd64-dbg)"
	ls -t "$cache/debs/${pkg}_"*.deb | head -1
}

# --- reading each build -----------------------------------------------------
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
for k in "${kernels[@]}"; do
	deb=$(fetch "$k")
	pkg=$(dpkg-deb -f "$deb" Package)
	ver=$(dpkg-deb -f "$deb" Version)
	case "$pkg" in
	linux-image-*-dbg) ;;
	*) die "$deb is $pkg, not a linux-image-*-dbg package" ;;
	esac
	release=${pkg#linux-image-}
	release=${release%-dbg}
	echo "$PROG: reading $pkg $ver" >&2
	mkdir "$tmp/x"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards '*/vmlinux*'
	vmlinux=$(find "$tmp/x" -type f -name 'vmlinux*' | head -1)
	[ -n "$vmlinux" ] || die "$deb holds no vmlinux"
	"$hook_sets" "$vmlinux" >"$tmp/$n.sets"
	rm -rf "$tmp/x"
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	echo "$pkg $ver ${ver%%-*} $release $sum" >"$tmp/$n.meta"
	n=$((n + 1))
done

# --- writing the file -------------------------------------------------------
# A macro's lines, the last one without its continuation.
last_line() { sed '$ s/ \\$//'; }

# Builds in order of upstream version; hooks by name.
order=$(for i in $(seq 0 $((n - 1))); do
	echo "$(cut -d' ' -f3 "$tmp/$i.meta") $i"
done | sort -V | awk '{ print $2 }' | tr '\n' ' ')
{
	cat <<EOF
/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* clang-format off */
/*
 * Generated by scripts/gen-hook-flags.sh; do not edit. Read by
 * lib/hook_flags.c. What each Debian kernel build below decides about BPF
 * programs on each LSM hook, read from the BTF id sets of its vmlinux (the
 * -dbg package), keyed by its GNU build ID. Generate again with
 *   scripts/gen-hook-flags.sh
 * or add a build with scripts/gen-hook-flags.sh --add LINE|PACKAGE.
 *
EOF
	for i in $order; do
		read -r pkg ver up release sum <"$tmp/$i.meta"
		echo " * build: $pkg $ver (sha256 $sum)"
		awk '$1 == "build-id" { print " *   build ID " $2 }
			$1 == "set" { print " *   set " $2 ": " $3 ($3 == 1 ? " entry" : " entries") }
			$1 == "lsm-cgroup" || $1 == "struct-args" { print " *   " $1 ": " $2 }' "$tmp/$i.sets"
	done
	cat <<'EOF'
 *
 * KNOWN_BUILDS(X): X(version, uname -r, package read, GNU build ID) for
 * each build. KNOWN_HOOKS(X): X(hook, its bits on each build) for each
 * hook, by name. The bits (lib/hook_flags.c): P the hook exists, D the
 * kernel refuses every BPF program on it, S sleepable programs may attach,
 * C per-cgroup ones may, B it answers yes or no though declared int.
 */

#define KNOWN_BUILDS(X) \
EOF
	for i in $order; do
		read -r pkg ver up release sum <"$tmp/$i.meta"
		id=$(awk '$1 == "build-id" { print $2 }' "$tmp/$i.sets")
		printf '\tX("%s", "%s", "%s %s", "%s") \\\n' "$up" "$release" "$pkg" "$ver" "$id"
	done | last_line
	echo
	echo "/* Columns: $(for i in $order; do cut -d' ' -f3 "$tmp/$i.meta"; done | tr '\n' ' ' | sed 's/ $//'). */"
	echo '#define KNOWN_HOOKS(X) \'
	c=0
	for i in $order; do
		awk -v c=$c '$1 == "hook" { print $2, c, $3 }' "$tmp/$i.sets"
		c=$((c + 1))
	done | sort -k1,1 -k2,2n | awk -v ncol="$n" '
		function flush(   line, j) {
			if (name == "")
				return
			line = "\tX(" name
			for (j = 0; j < ncol; j++)
				line = line ", " (j in col ? col[j] : "0")
			print line ") \\"
			delete col
		}
		function bits(f,   s) {
			s = "P"
			if (f ~ /d/) s = s " | D"
			if (f ~ /s/) s = s " | S"
			if (f ~ /c/) s = s " | C"
			if (f ~ /b/) s = s " | B"
			return s
		}
		$1 != name { flush(); name = $1 }
		{ col[$2] = bits($3) }
		END { flush() }' | last_line
	echo
	echo "/* clang-format on */"
} >"$tmp/out.h"
mv "$tmp/out.h" "$out"
echo "$PROG: wrote $out: $n builds: $(for i in $order; do cut -d' ' -f1,2 "$tmp/$i.meta"; done | tr '\n' ',' | sed 's/,$//; s/,/, /g')" >&2
