#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# check-version.sh VERSION SHLIB: fail unless the Makefile's VERSION,
# include/krsi/version.h, the newest node of lib/libkrsi.map (or the next
# minor release's, holding unreleased exports) and the newest release in
# CHANGELOG.md agree, and unless SHLIB exports exactly the krsi_*
# symbols the version script lists.
set -euo pipefail
version=$1 shlib=$2
cd "$(dirname "$0")/.."
err=0
bad() { echo "check-version: $*" >&2; err=1; }

IFS=. read -r major minor patch <<<"$version"
for part in MAJOR:$major MINOR:$minor PATCH:$patch; do
	name=${part%%:*} want=${part#*:}
	have=$(awk -v m="KRSI_VERSION_$name" '$1 == "#define" && $2 == m { print $3 }' include/krsi/version.h)
	[ "$have" = "$want" ] ||
		bad "include/krsi/version.h has KRSI_VERSION_$name $have, the Makefile says $want"
done

# Exports added since the release go in the next minor release's node.
node=$(grep -oE '^LIBKRSI_[0-9]+\.[0-9]+\.[0-9]+' lib/libkrsi.map | tail -n 1)
next="LIBKRSI_$major.$((minor + 1)).0"
[ "$node" = "LIBKRSI_$major.$minor.0" ] || [ "$node" = "$next" ] ||
	bad "the newest node of lib/libkrsi.map is ${node:-missing}, the Makefile's version $version needs LIBKRSI_$major.$minor.0 (or $next for unreleased exports)"

release=$(grep -oE '^## \[[0-9]+\.[0-9]+\.[0-9]+\]' CHANGELOG.md | head -n 1 | tr -d '#[] ')
[ "$release" = "$version" ] ||
	bad "the newest release in CHANGELOG.md is ${release:-missing}, the Makefile says $version"

# Symbols: every export is krsi_* and listed; every listed one is exported.
exported=$(nm -D --defined-only "$shlib" | awk '$2 != "A" { print $3 }' | sed 's/@.*//' | sort -u)
listed=$(sed -n 's/^[[:space:]]*\(krsi_[a-z0-9_]*\);.*/\1/p' lib/libkrsi.map | sort -u)
for s in $exported; do
	case "$s" in krsi_*) ;; *) bad "$shlib exports $s, which is not krsi_*: mark it static or hide it" ;; esac
done
extra=$(comm -23 <(echo "$exported") <(echo "$listed"))
missing=$(comm -13 <(echo "$exported") <(echo "$listed"))
[ -z "$extra" ] || bad "exported but not in lib/libkrsi.map: $extra"
[ -z "$missing" ] || bad "in lib/libkrsi.map but not exported (no KRSI_API?): $missing"

[ $err = 0 ] && echo "check-version: $version agrees in Makefile, version.h, libkrsi.map and CHANGELOG.md; $(echo "$exported" | wc -l) symbols exported, all krsi_* and versioned"
exit $err
