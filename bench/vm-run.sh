#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# vm-run.sh DIR: the benchmarks that need a kernel running BPF LSM
# programs, run by bench/run.sh inside krsi-vmtest (DIR is /work) or, with
# HOST=1, on the host. DIR holds the benchmarks, bench_five.bpf.o and
# auditd/ (Debian's auditd, unpacked). A benchmark that fails prints a FAIL
# line and the others still run. Order matters: the audit head-to-head
# comes last, since once auditd has enabled Linux audit every new process
# costs more until the next boot.
dir=${1:-.}
for cmd in "bench_hooks" "bench_load $dir/bench_five.bpf.o" \
	"bench_audit $dir/auditd"; do
	# shellcheck disable=SC2086
	"$dir"/$cmd || printf 'FAIL\t%s\texit status %s (its messages are above)\n' \
		"${cmd%% *}" "$?"
done
