#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# check.sh host TEST...
# check.sh kernel TEST...
# check.sh all HOST_TEST... -- KERNEL_TEST...
#
# Run libkrsi's test suites and sum their cmocka results. Host tests (unit
# tests and the tools' tests) run on the host; kernel tests run inside krsi-vmtest on 6.1 and 6.12, once on a
# normal boot and once booted with an lsm= list lacking "bpf" (each test
# binary runs its --lsm-off tests there). Logs go to $O/check (default
# build/check). The last line is "N passed, N failed, N skipped".
# KRSI_CHECK_ADD names more files the kernel tests need in the VM (such
# as the krsi tool), separated by spaces. KRSI_CHECK_FUZZ names libFuzzer
# harnesses to run with scripts/fuzz.sh for KRSI_CHECK_FUZZ_SECONDS each,
# after the host tests.
set -uo pipefail

O=${O:-build}
KERNELS=${KRSI_CHECK_KERNELS:-6.1 6.12}
LSM_OFF="lsm=landlock,lockdown,yama,apparmor"
here=$(cd "$(dirname "$0")" && pwd)
logs=$O/check
mkdir -p "$logs"

mode=$1
shift
host=() kern=()
case "$mode" in
host) host=("$@") ;;
kernel) kern=("$@") ;;
all)
	while [ $# -gt 0 ] && [ "$1" != -- ]; do host+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	kern=("$@")
	;;
*) echo "usage: check.sh host|kernel|all ..." >&2; exit 2 ;;
esac

total_p=0 total_f=0 total_s=0
table=()

# count SUITE LOG RC: add a suite's cmocka counts to the totals.
count() {
	local suite=$1 log=$2 rc=$3 p f s
	p=$(grep -a -oE '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{ n += $4 } END { print n + 0 }')
	f=$(grep -a -oE '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{ n += $4 } END { print n + 0 }')
	s=$(grep -a -oE '^\[  SKIPPED \] [0-9]+ test' "$log" | awk '{ n += $4 } END { print n + 0 }')
	# A suite that failed without a failed test to show for it (the VM
	# crashed, timed out, or the kernel logged a splat) counts as one.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	# A suite that ran nothing is a failure too: a test that cannot fail.
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		f=1
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
	table+=("$(printf '  %-24s passed %3d  failed %3d  skipped %3d  (log: %s)' "$suite" "$p" "$f" "$s" "$log")")
}

if [ ${#host[@]} -gt 0 ]; then
	log=$logs/host.log
	echo "### unit and tool tests on the host"
	KRSI_VMTEST_BIN=$here/../tools/krsi-vmtest \
		"$here/run-tests.sh" "${host[@]}" 2>&1 | tee "$log"
	count "host" "$log" "${PIPESTATUS[0]}"
fi

if [ -n "${KRSI_CHECK_FUZZ:-}" ]; then
	log=$logs/fuzz.log
	echo "### fuzzing (${KRSI_CHECK_FUZZ_SECONDS:-30} s each)"
	# shellcheck disable=SC2086
	"$here/fuzz.sh" "${KRSI_CHECK_FUZZ_SECONDS:-30}" $KRSI_CHECK_FUZZ 2>&1 | tee "$log"
	count "fuzz" "$log" "${PIPESTATUS[0]}"
fi

if [ ${#kern[@]} -gt 0 ]; then
	adds=(--add "$here/run-tests.sh")
	for f in ${KRSI_CHECK_ADD:-}; do
		adds+=(--add "$f")
	done
	names=()
	for t in "${kern[@]}"; do
		adds+=(--add "$t")
		names+=("./$(basename "$t")")
	done
	for k in $KERNELS; do
		for variant in normal lsm-off; do
			if [ "$variant" = normal ]; then
				extra=() arg=() suite="kernel $k"
			else
				extra=(--cmdline "$LSM_OFF") arg=(--arg --lsm-off)
				suite="kernel $k lsm-off"
			fi
			log=$logs/kernel-$k-$variant.log
			echo "### kernel tests on $k ($variant boot)"
			"$here/../tools/krsi-vmtest" --kernel "$k" --log-dir "$logs/console-$k-$variant" \
				"${extra[@]}" "${adds[@]}" -- \
				run-tests.sh "${arg[@]}" "${names[@]}" 2>&1 | tee "$log"
			count "$suite" "$log" "${PIPESTATUS[0]}"
		done
	done
fi

echo
echo "### summary"
printf '%s\n' "${table[@]}"
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
