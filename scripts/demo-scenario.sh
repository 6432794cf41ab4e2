#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# demo-scenario.sh: the scenario `make demo` runs (scripts/demo.sh runs it
# here or in a VM). Three example agents start: exec-audit (every program
# execution, reported), file-guard (a directory protected, enforcing) and
# wx-guard (no writable+executable memory in this demo's cgroup,
# enforcing). Then ordinary commands run, something writes to the
# protected file, and a program asks for W+X memory; last, what the agents
# reported. Needs root, the agents and wx-try on PATH, and cgroup v2 at
# /sys/fs/cgroup. Runs under bash or busybox sh.
set -u

demo=/tmp/krsi-demo
protected=$demo/protected
cgroup=/sys/fs/cgroup/krsi-demo
agents=""

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
	for pid in $agents; do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	rmdir "$cgroup" 2>/dev/null
	rm -rf "$demo"
}
trap cleanup EXIT

# Wait until FILE holds TEXT (10 s at most), with shell builtins only.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		while IFS= read -r line; do
			case $line in *"$2"*) return 0 ;; esac
		done <"$1"
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# start NAME ARGS...: run the agent NAME; its stream goes to $demo/NAME.log.
start() {
	name=$1
	shift
	: >"$demo/$name.err"
	"$name" "$@" >"$demo/$name.log" 2>"$demo/$name.err" &
	agents="$agents $!"
	if ! wait_for "$demo/$name.err" "$name: running"; then
		cat "$demo/$name.err" >&2
		echo "demo: $name did not start" >&2
		exit 1
	fi
	sed 's/^/   /' "$demo/$name.err"
}

# scene COMMANDS: run COMMANDS (one a line, without single quotes) in the
# demo's cgroup, showing each before it runs.
scene() {
	echo "echo \$\$ >$cgroup/cgroup.procs" >"$demo/scene.sh"
	printf '%s\n' "$1" | sed "s/.*/echo '  \$ &'; &/" >>"$demo/scene.sh"
	sh "$demo/scene.sh" 2>&1
}

rm -rf "$demo"
mkdir -p "$protected" "$cgroup" || exit 1
printf 'listen=8080\n' >"$protected/app.conf"

say "Three agents from examples/, each a BPF LSM program and a loader on libkrsi"
start file-guard --mode enforce --protect "$protected" --format text
start wx-guard --mode enforce --cgroup "$cgroup" --format text
start exec-audit --format json

say "Ordinary commands: allowed, and each execution reported by exec-audit"
scene "id
uname -sr
cat $protected/app.conf"

say "Changing the protected file: denied by file-guard"
scene "echo listen=6666 > $protected/app.conf
rm $protected/app.conf
cat $protected/app.conf"

say "Memory both writable and executable, as injected code needs: denied by wx-guard"
scene "wx-try"

for pid in $agents; do kill "$pid"; done
wait
agents=""

say "What exec-audit reported: a JSON line per execution (those of the scenes)"
grep "\"cgroup\":$(stat -c %i "$cgroup")," "$demo/exec-audit.log" >"$demo/scenes.log"
head -n 1 "$demo/scenes.log"
echo "   ... in short:"
sed -n 's/.*"verdict":"\([a-z]*\)".*"pid":\([0-9]*\),.*"uid":\([0-9]*\),.*"path":"\([^"]*\)","args":"\([^"]*\)".*/   pid \2  uid \3  \1  \4  (\5)/p' \
	"$demo/scenes.log"

say "What file-guard denied: Linux-audit-style text lines"
cat "$demo/file-guard.log"

say "What wx-guard denied"
cat "$demo/wx-guard.log"

say "Done: $(wc -l <"$demo/scenes.log") executions reported, $(wc -l <"$demo/file-guard.log") file changes and $(wc -l <"$demo/wx-guard.log") W+X requests denied"
