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
#
# Other libbpf versions: KRSI_CHECK_BUILDS lists builds as VERSION=DIR, DIR
# being a build ($O) against libbpf VERSION (check.sh checks that its tests
# load that one); the host tests run in each (default: $O alone), those
# named in KRSI_CHECK_ONCE (which do not use libbpf) in the first only.
# KRSI_CHECK_KERNEL_BUILDS adds kernel suites as K=VERSION=DIR: the kernel
# tests (and KRSI_CHECK_ADD) of DIR on kernel K, on its normal boot.
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

# rebase DIR PATH...: print each PATH, those under $O as built in DIR.
rebase() {
	local dir=$1 p
	shift
	for p in "$@"; do
		case "$p" in "$O"/*) p=$dir${p#"$O"} ;; esac
		printf '%s\n' "$p"
	done
}

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
	first=""
	for b in ${KRSI_CHECK_BUILDS:-=$O}; do
		version=${b%%=*} dir=${b#*=}
		log=$logs/host${version:+-libbpf-$version}.log
		tests=()
		for t in "${host[@]}"; do
			# Tests that do not use libbpf run in the first build only.
			[ "$dir" = "${first:=$dir}" ] || [[ " ${KRSI_CHECK_ONCE:-} " != *" $t "* ]] &&
				tests+=("$(rebase "$dir" "$t")")
		done
		echo "### unit and tool tests on the host${version:+ against libbpf $version}"
		{
			libbpfs=$(for t in "${tests[@]}"; do ldd "$t"; done |
				awk '$1 == "libbpf.so.1" { print $3 }' | xargs -r readlink -f | sort -u)
			echo "libbpf: $libbpfs"
			for l in $libbpfs; do
				[[ -z "$version" || "$l" == *.so."$version" ]] ||
					echo "[  FAILED  ] 1 test(s): the tests load $l, not libbpf $version"
			done
			KRSI_VMTEST_BIN=$here/../tools/krsi-vmtest \
				"$here/run-tests.sh" "${tests[@]}" 2>&1
		} | tee "$log"
		count "host${version:+ libbpf $version}" "$log" "${PIPESTATUS[0]}"
	done
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
	for entry in $KERNELS ${KRSI_CHECK_KERNEL_BUILDS:-}; do
		IFS='=' read -r k version dir <<<"$entry"
		mapfile -t vm_adds < <(rebase "${dir:-$O}" "${adds[@]}")
		variants="normal lsm-off"
		# What the lsm-off boot checks is the kernel's, not libbpf's.
		[ -n "$version" ] && variants=normal
		for variant in $variants; do
			if [ "$variant" = normal ]; then
				extra=() arg=() suite="kernel $k"
			else
				extra=(--cmdline "$LSM_OFF") arg=(--arg --lsm-off)
				suite="kernel $k lsm-off"
			fi
			suite+=${version:+ libbpf $version}
			run=$k-$variant${version:+-libbpf-$version}
			log=$logs/kernel-$run.log
			echo "### kernel tests on $k ($variant boot)${version:+ against libbpf $version}"
			"$here/../tools/krsi-vmtest" --kernel "$k" --log-dir "$logs/console-$run" \
				"${extra[@]}" "${vm_adds[@]}" -- \
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
