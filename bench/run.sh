#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# bench/run.sh: run libkrsi's benchmarks and print one table (make bench).
#
# On the host: event delivery, formatting, discovery, maps, and loading
# (socket filters: the host may refuse LSM programs). In krsi-vmtest on
# 6.1 and 6.12 (bench/vm-run.sh): hook cost, load and attach of LSM
# programs, and the audit head-to-head with Debian's auditd, which this
# script fetches with apt-get download and unpacks under $O/bench/auditd
# (never installed). HOST=1 runs those on the host instead, for a host
# that loads LSM programs (it then has Linux audit enabled until reboot).
#
# Environment: O (build directory, default build), HOST, BENCH_KERNELS
# (default "6.1 6.12"), BENCH_KVM=1 (boot the VMs with --kvm),
# BENCH_REPS and BENCH_RUN_MS (passed to the benchmarks). Results go to
# $O/bench/results: table.txt, the raw rows, and audit-plot.png.
set -uo pipefail

O=${O:-build}
B=$O/bench
KERNELS=${BENCH_KERNELS:-6.1 6.12}
here=$(cd "$(dirname "$0")" && pwd)
res=$B/results
rm -rf "$res"
mkdir -p "$res"

say() { echo "bench: $*" >&2; }

# gnuplot draws the plot: installed like the build's dependencies.
need_gnuplot() {
	command -v gnuplot >/dev/null 2>&1 && return 0
	say "installing gnuplot-nox for the plot"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		gnuplot-nox >"$res/apt.log" 2>&1 ||
		{ apt-get update -qq >>"$res/apt.log" 2>&1 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends gnuplot-nox >>"$res/apt.log" 2>&1; } ||
		{ say "cannot install gnuplot-nox (see $res/apt.log): no plot"; return 1; }
}

# Debian's auditd and the libraries the host may lack, unpacked under
# $B/auditd/{sbin,lib}; never installed.
AUDITD_DEBS="auditd libaudit1 libauparse0 libwrap0 libcap-ng0"
fetch_auditd() {
	local debs=$B/auditd-debs pkg=$B/auditd-pkg d
	[ -x "$B/auditd/sbin/auditd" ] && return 0
	say "fetching Debian's auditd: $AUDITD_DEBS"
	rm -rf "$debs" "$pkg" "$B/auditd"
	mkdir -p "$debs" "$B/auditd/sbin" "$B/auditd/lib"
	# shellcheck disable=SC2086
	(cd "$debs" && apt-get download $AUDITD_DEBS) >"$res/auditd-fetch.log" 2>&1 ||
		{ say "cannot download auditd (see $res/auditd-fetch.log)"; return 1; }
	for d in "$debs"/*.deb; do
		dpkg-deb -x "$d" "$pkg" || return 1
	done
	cp "$pkg/sbin/auditd" "$pkg/sbin/auditctl" "$B/auditd/sbin/" &&
		cp -a "$pkg"/lib/x86_64-linux-gnu/*.so* "$pkg"/usr/lib/x86_64-linux-gnu/*.so* \
			"$B/auditd/lib/" &&
		(cd "$debs" && ls) >"$B/auditd/PACKAGES"
}

# run WHERE CMD...: run a benchmark, its rows labelled WHERE.
run() {
	local where=$1 name
	shift
	name=$(basename "$1")
	say "$where: $name"
	"$@" >"$res/$where.$name.out" 2>"$res/$where.$name.err" ||
		printf 'FAIL\t%s\texit status %s (%s)\n' "$name" "$?" \
			"$(tail -n 1 "$res/$where.$name.err")" >>"$res/$where.$name.out"
	sed "s/^/$where\t/" "$res/$where.$name.out" >>"$res/rows.tsv"
}

start=$(date +%s)
have_gnuplot=0
need_gnuplot && have_gnuplot=1
fetch_auditd || say "the audit head-to-head will run without auditd"

# --- host ---------------------------------------------------------------
for b in bench_delivery bench_delivery_pos1 bench_format bench_discovery bench_maps; do
	run host "$B/$b"
done
run host "$B/bench_load" "$O/bpf/bench_five_host.bpf.o" --load-only

# --- kernels running BPF LSM --------------------------------------------
plot_note="on the host"
if [ "${HOST:-}" = 1 ]; then
	mkdir -p "$res/hostlsm"
	cp "$B/bench_hooks" "$B/bench_load" "$B/bench_audit" "$O/bpf/bench_five.bpf.o" "$res/hostlsm/"
	cp -r "$B/auditd" "$res/hostlsm/" 2>/dev/null
	run host-lsm "$here/vm-run.sh" "$res/hostlsm"
else
	accel=TCG kvm=()
	[ "${BENCH_KVM:-}" = 1 ] && accel=KVM kvm=(--kvm)
	plot_note="qemu $accel, $(nproc) host cores"
	[ "$accel" = TCG ] && plot_note="$plot_note: indicative only"
	for k in $KERNELS; do
		adds=()
		for f in "$B/bench_hooks" "$B/bench_load" "$B/bench_audit" \
			"$O/bpf/bench_five.bpf.o" "$B/auditd" "$(command -v bpftool)" \
			"$here/vm-run.sh"; do
			[ -e "$f" ] && adds+=(--add "$f")
		done
		# krsi-vmtest copies the libraries ldd finds: auditd's are ours
		LD_LIBRARY_PATH="$(cd "$B" && pwd)/auditd/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
			run "vm-$k-$accel" "$here/../tools/krsi-vmtest" --kernel "$k" \
			--memory 2048 --timeout 900 "${kvm[@]}" "${adds[@]}" \
			-- sh -c "BENCH_REPS=${BENCH_REPS:-} BENCH_RUN_MS=${BENCH_RUN_MS:-} vm-run.sh /work"
	done
fi

# --- the table ----------------------------------------------------------
awk -F'\t' -v secs=$(($(date +%s) - start)) '
function header(w) {
	printf "\n== %s: kernel %s, CPU %s, libbpf %s, libkrsi %s\n", place[w],
		env[w, "kernel"], env[w, "cpu"], env[w, "libbpf"], env[w, "libkrsi"]
}
function line(a, b, c, d, e, f) {
	printf "%-9s %-60s %18s  %-19s %-10s %s\n", a, b, c, d, e, f
}
BEGIN { line("group", "case", "median", "[min - max]", "target", "status") }
{
	w = $1
	if (!(w in seen)) {
		seen[w] = 1
		order[++n] = w
		p = w
		sub(/^vm-/, "VM ", p); sub(/-TCG$/, " (qemu TCG: ratios indicative only)", p)
		sub(/-KVM$/, " (qemu KVM)", p); sub(/^host-lsm$/, "host, BPF LSM (HOST=1)", p)
		if (p == "host") p = "host"
		place[w] = p
	}
	if ($2 == "ENV") env[w, $3] = $4
	else if ($2 == "ROW" || $2 == "FAIL") rows[w, ++nr[w]] = $0
}
END {
	for (i = 1; i <= n; i++) {
		w = order[i]
		header(w)
		for (j = 1; j <= nr[w]; j++) {
			split(rows[w, j], f, "\t")
			if (f[2] == "FAIL") {
				line(f[3], "", "-", "", "", "FAILED")
				printf "%10s%s\n", "", f[4]
				failed++
				continue
			}
			range = f[6] == "-" ? "" : sprintf("[%s - %s]", f[6], f[7])
			line(f[3], f[4], f[5] (f[8] == "-" ? "" : " " f[8]), range,
				f[9], f[10])
			if (f[11] != "") printf "%10s%s\n", "", f[11]
			if (f[10] == "MISSED") missed++
		}
	}
	printf "\n%d targets missed, %d benchmarks failed (%d s)\n", missed, failed, secs
}' "$res/rows.tsv" | tee "$res/table.txt"

# --- the plot -----------------------------------------------------------
if [ "$have_gnuplot" = 1 ] && grep -q $'\tPLOT\t' "$res/rows.tsv"; then
	plots=()
	for w in $(cut -f1 "$res/rows.tsv" | sort -u); do
		for tool in libkrsi handwritten auditd; do
			f="$res/plot-$w-$tool.dat"
			awk -F'\t' -v w="$w" -v t="$tool" '$1 == w && $2 == "PLOT" && $3 == t { print $4, $5 * 100 }' \
				"$res/rows.tsv" | sort -n >"$f"
			[ -s "$f" ] && plots+=("'$f' using 1:2 with linespoints lw 2 title '$tool, ${w#vm-}'")
		done
	done
	(
		IFS=,
		cat <<GP
set terminal pngcairo size 900,560 font ",11"
set output '$res/audit-plot.png'
set title "Auditing every open: open/close loop throughput against its event rate\\n($plot_note)"
set xlabel "opens (events) per second without auditing (log scale)"
set ylabel "throughput with auditing (% of none)"
set logscale x
set yrange [0:110]
set grid
set key bottom left
plot ${plots[*]}
GP
	) | gnuplot 2>"$res/gnuplot.err" && say "plot: $res/audit-plot.png"
fi
