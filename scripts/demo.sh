#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# demo.sh BUILD_DIR [KERNEL]: what `make demo [KERNEL=...]` runs once
# everything is built. Three example agents at work
# (scripts/demo-scenario.sh): in a VM on Debian's KERNEL line (5.10, 6.1,
# 6.12 or 7.3; tools/krsi-vmtest) when one is given; without, on this
# machine when `krsi probe` finds BPF LSM enforcing here, otherwise in a VM
# on 6.12, saying why.
set -euo pipefail
O=$1
kernel=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
scenario=$here/scripts/demo-scenario.sh
files=("$O/examples/exec-audit" "$O/examples/file-guard" "$O/examples/wx-guard"
	"$O/examples/wx-try" "$scenario")
say() { printf '\033[1m%s\033[0m\n' "$*"; }

adds=()
for f in "${files[@]}"; do
	adds+=(--add "$f")
done
in_vm() { # KERNEL
	echo "  tools/krsi-vmtest --kernel $1 ${adds[*]#"$here"/} -- demo-scenario.sh"
	exec "$here/tools/krsi-vmtest" --kernel "$1" "${adds[@]}" -- demo-scenario.sh
}

if [ -n "$kernel" ]; then
	say "The demo runs in Debian's $kernel kernel, in a VM (KERNEL=$kernel):"
	in_vm "$kernel"
fi
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
say "So the demo runs in Debian's 6.12 kernel, in a VM (KERNEL=5.10, 6.1 or 7.3 picks another):"
in_vm 6.12
