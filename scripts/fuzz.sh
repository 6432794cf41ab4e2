#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# fuzz.sh SECONDS FUZZER...: for each libFuzzer harness ($O/fuzz/fuzz_NAME),
# replay its checked-in corpus (tests/fuzz/corpus/NAME/: seeds, and every
# input that once crashed), then fuzz it for SECONDS. New inputs go to
# $O/fuzz/work/NAME, never into the tree; a crash leaves its input in
# $O/fuzz/crash/: add it to the corpus with its fix. Prints cmocka-style
# lines, one test per harness, for scripts/check.sh to count.
set -u

O=${O:-build}
seconds=$1
shift
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$O/fuzz/crash"
passed=0 failed=0 names=""

# Per-harness limits: inputs past max_len bytes teach nothing new.
max_len() {
	case "$1" in
	fuzz_btf | fuzz_object) echo 65536 ;;
	fuzz_audit) echo 8192 ;;
	*) echo 1024 ;;
	esac
}

for f in "$@"; do
	name=$(basename "$f")
	corpus=$here/tests/fuzz/corpus/${name#fuzz_}
	work=$O/fuzz/work/$name
	log=$O/fuzz/$name.log
	mkdir -p "$work"
	echo "[ RUN      ] $name"
	# -close_fd_mask=3: the tool prints on stdout and stderr; libFuzzer
	# keeps its own reports. Leaks fail a run like crashes do.
	if "$f" -runs=0 -close_fd_mask=3 "$corpus" >"$log" 2>&1 &&
		"$f" -max_total_time="$seconds" -max_len="$(max_len "$name")" \
			-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
			-close_fd_mask=3 -print_final_stats=1 \
			-artifact_prefix="$O/fuzz/crash/$name-" \
			"$work" "$corpus" >>"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "$name: ${runs:-?} inputs in ${seconds}s, no crash, hang or leak"
		echo "[       OK ] $name"
		passed=$((passed + 1))
	else
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix)' "$log" | head -5
		echo "$name: failed (log: $log; the input: $O/fuzz/crash/)"
		echo "[  FAILED  ] $name"
		failed=$((failed + 1))
		names="$names $name"
	fi
done
echo "[==========] $((passed + failed)) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ "$failed" -gt 0 ]; then
	echo "[  FAILED  ] $failed test(s), listed below:"
	for n in $names; do
		echo "[  FAILED  ] $n"
	done
	exit 1
fi
