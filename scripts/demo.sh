#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# demo.sh BUILD_DIR: what `make demo` runs once everything is built. Three
# example agents at work (scripts/demo-scenario.sh): on this machine when
# `krsi probe` finds BPF LSM enforcing here, otherwise in Debian's 6.12
# kernel in a VM (tools/krsi-vmtest), saying why.
set -euo pipefail
O=$1
here=$(cd "$(dirname "$0")/.." && pwd)
scenario=$here/scripts/demo-scenario.sh
files=("$O/examples/exec-audit" "$O/examples/file-guard" "$O/examples/wx-guard"
	"$O/examples/wx-try" "$scenario")
say() { printf '\033[1m%s\033[0m\n' "$*"; }

if probe=$("$O/krsi" probe 2>&1); then
	say "BPF LSM is enforcing on this machine (krsi probe): the demo runs here."
	if [ "$(id -u)" -ne 0 ]; then
		echo "demo: loading BPF LSM programs needs root: run 'sudo make demo'" >&2
		exit 1
	fi
	PATH=$O/examples:$PATH exec "$scenario"
fi

# The first required check that failed, with its evidence.
why=$(printf '%s\n' "$probe" | awk '/^\[FAILED\]/ && !/\(advice\)/ {
	title = substr($0, 10); getline evidence; sub(/^ +/, "", evidence)
	print title ": " evidence; exit }')
say "BPF LSM is not enforcing on this machine (krsi probe: ${why:-see krsi probe})."
say "So the demo runs in Debian's 6.12 kernel, in a VM:"
adds=()
for f in "${files[@]}"; do
	adds+=(--add "$f")
done
echo "  tools/krsi-vmtest --kernel 6.12 ${adds[*]#"$here"/} -- demo-scenario.sh"
exec "$here/tools/krsi-vmtest" --kernel 6.12 "${adds[@]}" -- demo-scenario.sh
