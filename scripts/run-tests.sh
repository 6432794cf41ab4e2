#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# run-tests.sh [--arg ARG] TEST...: run cmocka test binaries one after the
# other, standard error merged into standard output so the two stay in
# order. A binary that exits non-zero without reporting a failed test (it
# crashed, or aborted before cmocka's summary) is reported as one failed
# test, so no crash passes unnoticed. Runs under busybox sh in the VM.
# KRSI_TEST_RUNNER, if set, is a command each binary runs under (valgrind).
# Each binary's output ends with a line "--- TEST: N.NN s", its run time
# (where to look when the run gets slow; under TCG an emulation time).
arg=""
if [ "${1:-}" = "--arg" ]; then
	arg=$2
	shift 2
fi
uptime() { cut -d' ' -f1 /proc/uptime; }
rc=0
for t in "$@"; do
	echo "=== $t $arg"
	start=$(uptime)
	# shellcheck disable=SC2086
	out=$(${KRSI_TEST_RUNNER:-} "$t" $arg 2>&1)
	status=$?
	printf '%s\n' "$out"
	echo "--- $t: $(echo "$start $(uptime)" | awk '{ printf "%.2f", $2 - $1 }') s"
	if [ $status -ne 0 ]; then
		rc=1
		printf '%s\n' "$out" | grep -q '^\[  FAILED  \] [0-9]* test' ||
			echo "[  FAILED  ] 1 test(s): $t exited with status $status"
	fi
done
exit $rc
