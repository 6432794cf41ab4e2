#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# check.sh host TEST...
# check.sh kernel TEST...
# check.sh all HOST_TEST... -- KERNEL_TEST...
#
# Run libkrsi's test suites and sum their cmocka results. Host tests (unit
# tests and the tools' tests) run on the host; kernel tests run inside
# krsi-vmtest on each kernel line of KRSI_CHECK_KERNELS (default: all that
# krsi-vmtest knows), once on a normal boot and once booted with an lsm=
# list lacking "bpf" (each test binary runs its --lsm-off tests there) on
# the lines of KRSI_CHECK_LSM_OFF_KERNELS (default: the same). The suites
# run side by side, KRSI_CHECK_JOBS at a time (default: one per CPU), each
# VM emulating its vCPUs on one host thread (krsi-vmtest --single-thread:
# tests replace programs while other vCPUs run them, which multi-threaded
# TCG emulates wrongly). Logs go to $O/check (default build/check); the
# summary gives each suite's counts and time. The last line is "N passed,
# N failed, N skipped". KRSI_CHECK_ADD names more files the kernel tests
# need in the VM (such as the krsi tool), separated by spaces.
# KRSI_CHECK_FUZZ names libFuzzer harnesses to run with scripts/fuzz.sh for
# KRSI_CHECK_FUZZ_SECONDS each, beside the host tests.
#
# Other libbpf versions: KRSI_CHECK_BUILDS lists builds as VERSION=DIR, DIR
# being a build ($O) against libbpf VERSION (check.sh checks that its tests
# load that one); the host tests run in each (default: $O alone), those
# named in KRSI_CHECK_ONCE (which do not use libbpf) in the first only.
# KRSI_CHECK_KERNEL_BUILDS adds kernel suites as K=VERSION=DIR: the kernel
# tests (and KRSI_CHECK_ADD) of DIR on kernel K, on its normal boot.
set -uo pipefail

O=${O:-build}
here=$(cd "$(dirname "$0")" && pwd)
vmtest=$here/../tools/krsi-vmtest
KERNELS=${KRSI_CHECK_KERNELS:-$("$vmtest" --list-kernels)}
LSM_OFF_KERNELS=${KRSI_CHECK_LSM_OFF_KERNELS:-$KERNELS}
JOBS=${KRSI_CHECK_JOBS:-$(nproc)}
LSM_OFF="lsm=landlock,lockdown,yama,apparmor"
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

# --- suites, side by side ---------------------------------------------------
suites=() suite_logs=()
trap 'kill $(jobs -p) 2>/dev/null; exit 130' INT TERM

# start SUITE LOG CMD...: run CMD in the background once fewer than JOBS
# suites run, its output in LOG, its exit status and seconds in LOG.rc.
start() {
	local suite=$1 log=$2
	shift 2
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
	echo "### $suite: running (log: $log)"
	rm -f "$log.rc"
	(
		t0=$SECONDS
		"$@" >"$log" 2>&1
		echo "$? $((SECONDS - t0))" >"$log.rc"
	) &
	suites+=("$suite") suite_logs+=("$log")
}

# rebase DIR PATH...: print each PATH, those under $O as built in DIR.
rebase() {
	local dir=$1 p
	shift
	for p in "$@"; do
		case "$p" in "$O"/*) p=$dir${p#"$O"} ;; esac
		printf '%s\n' "$p"
	done
}

# kernel_suite KERNEL VARIANT [VERSION DIR]: the kernel tests on KERNEL's
# normal or lsm-off boot; built in DIR against libbpf VERSION if given.
kernel_suite() {
	local k=$1 variant=$2 version=${3:-} dir=${4:-$O} extra=() arg=()
	local suite="kernel $1" run vm_adds
	if [ "$variant" = lsm-off ]; then
		extra=(--cmdline "$LSM_OFF") arg=(--arg --lsm-off)
		suite="kernel $k lsm-off"
	fi
	suite+=${version:+ libbpf $version}
	run=$k-$variant${version:+-libbpf-$version}
	mapfile -t vm_adds < <(rebase "$dir" "${adds[@]}")
	start "$suite" "$logs/kernel-$run.log" \
		"$vmtest" --kernel "$k" --single-thread --timeout 3600 \
		--log-dir "$logs/console-$run" "${extra[@]}" "${vm_adds[@]}" -- \
		run-tests.sh "${arg[@]}" "${names[@]}"
}

# host_suite VERSION TEST...: the host tests TEST, after checking they load
# libbpf VERSION (any when empty).
host_suite() {
	local version=$1 libbpfs l
	shift
	libbpfs=$(for t in "$@"; do ldd "$t"; done |
		awk '$1 == "libbpf.so.1" { print $3 }' | xargs -r readlink -f | sort -u)
	echo "libbpf: $libbpfs"
	for l in $libbpfs; do
		[[ -z "$version" || "$l" == *.so."$version" ]] ||
			echo "[  FAILED  ] 1 test(s): the tests load $l, not libbpf $version"
	done
	KRSI_VMTEST_BIN=$vmtest "$here/run-tests.sh" "$@"
}
adds=(--add "$here/run-tests.sh") names=()
for f in ${KRSI_CHECK_ADD:-}; do
	adds+=(--add "$f")
done
for t in "${kern[@]+"${kern[@]}"}"; do
	adds+=(--add "$t")
	names+=("./$(basename "$t")")
done

# Longest first: the kernel suites on normal boots, then the host tests and
# fuzzing, then the shorter lsm-off boots.
if [ ${#kern[@]} -gt 0 ]; then
	for k in $KERNELS; do
		kernel_suite "$k" normal
	done
	# What the lsm-off boot checks is the kernel's, not libbpf's.
	for entry in ${KRSI_CHECK_KERNEL_BUILDS:-}; do
		IFS='=' read -r k version dir <<<"$entry"
		kernel_suite "$k" normal "$version" "$dir"
	done
fi
if [ ${#host[@]} -gt 0 ]; then
	first=""
	for b in ${KRSI_CHECK_BUILDS:-=$O}; do
		version=${b%%=*} dir=${b#*=}
		tests=()
		for t in "${host[@]}"; do
			# Tests that do not use libbpf run in the first build only.
			[ "$dir" = "${first:=$dir}" ] || [[ " ${KRSI_CHECK_ONCE:-} " != *" $t "* ]] &&
				tests+=("$(rebase "$dir" "$t")")
		done
		start "host${version:+ libbpf $version}" \
			"$logs/host${version:+-libbpf-$version}.log" \
			host_suite "$version" "${tests[@]}"
	done
fi
if [ -n "${KRSI_CHECK_FUZZ:-}" ]; then
	# shellcheck disable=SC2086
	start "fuzz" "$logs/fuzz.log" \
		"$here/fuzz.sh" "${KRSI_CHECK_FUZZ_SECONDS:-30}" $KRSI_CHECK_FUZZ
fi
if [ ${#kern[@]} -gt 0 ]; then
	for k in $LSM_OFF_KERNELS; do
		kernel_suite "$k" lsm-off
	done
fi
wait

# --- results ----------------------------------------------------------------
total_p=0 total_f=0 total_s=0
table=()

# count SUITE LOG: add a suite's cmocka counts to the totals.
count() {
	local suite=$1 log=$2 rc=1 secs=0 p f s
	read -r rc secs <"$log.rc" || true
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
	if [ "$f" -ne 0 ]; then
		echo "### $suite: failed; from $log:"
		grep -a -E '^\[  (ERROR|FAILED) +\]|^\[   LINE   \]|^==[0-9]+==|^krsi-vmtest: |failed \(log' \
			"$log" | head -n 60
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
	table+=("$(printf '  %-22s passed %3d  failed %3d  skipped %3d  %4d s  (log: %s)' \
		"$suite" "$p" "$f" "$s" "$secs" "$log")")
}

for i in "${!suites[@]}"; do
	count "${suites[$i]}" "${suite_logs[$i]}"
done
echo
echo "### summary ($SECONDS s, $JOBS suites at a time)"
printf '%s\n' "${table[@]}"
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
