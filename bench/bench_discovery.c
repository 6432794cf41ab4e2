// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Discovery: enumerating the kernel's LSM hooks with krsi_hooks__load()
 * against a bare btf__load_vmlinux_btf() (time, and heap memory retained
 * while the result is alive), and finding a hook by name with
 * krsi_hooks__find() against libbpf's btf__find_by_name_kind() of its
 * bpf_lsm_ function.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <krsi/krsi.h>

#include "bench.h"

/* Names looked up per measurement, of every hook, in turn. */
#define KRSI_LOOKUPS 100000
#define LIBBPF_LOOKUPS 64

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* Load and keep one catalog (KRSI) or vmlinux BTF; ns taken, and heap
 * bytes retained in *MEM. */
static double load(bool krsi, double *mem)
{
	size_t before = heap_in_use();
	double t0 = bench_now(), ns;
	void *p;

	p = krsi ? (void *)krsi_hooks__load(NULL)
		 : (void *)btf__load_vmlinux_btf();
	ns = bench_now() - t0;
	if (!p)
		bench_die("loading %s failed: %s",
			  krsi ? "the hook catalog" : "vmlinux BTF",
			  strerror(errno));
	*mem = (double)(heap_in_use() - before);
	if (krsi)
		krsi_hooks__free(p);
	else
		btf__free(p);
	return ns;
}

int main(void)
{
	int reps = bench_reps(BENCH_REPS), i, j;
	double kt[reps], lt[reps], km[reps], lm[reps], tr[reps], mr[reps];
	double kf[reps], lf[reps];
	struct bench_stats k, l, m;
	struct krsi_hooks *hooks;
	struct btf *btf;
	char(*fn)[128];
	size_t n;

	bench_quiet_logs();
	bench_env();
	load(true, &km[0]);
	load(false, &lm[0]);
	for (i = 0; i < reps; i++) {
		kt[i] = load(true, &km[i]);
		lt[i] = load(false, &lm[i]);
		tr[i] = kt[i] / lt[i];
		mr[i] = km[i] / lm[i];
	}
	k = bench_stats(kt, reps);
	l = bench_stats(lt, reps);
	bench_row("discovery",
		  "krsi_hooks__load vs btf__load_vmlinux_btf, time",
		  bench_stats(tr, reps), "x", BENCH_LE, 1.5, "",
		  "%.1f ms vs %.1f ms", k.med / 1e6, l.med / 1e6);
	k = bench_stats(km, reps);
	m = bench_stats(lm, reps);
	bench_row("discovery",
		  "krsi_hooks__load vs btf__load_vmlinux_btf, memory",
		  bench_stats(mr, reps), "x", BENCH_LE, 1.5, "",
		  "%.2f MiB vs %.2f MiB of heap", k.med / (1 << 20),
		  m.med / (1 << 20));

	hooks = krsi_hooks__load(NULL);
	btf = btf__load_vmlinux_btf();
	if (!hooks || !btf)
		bench_die("cannot load the hooks or BTF: %s", strerror(errno));
	n = krsi_hooks__count(hooks);
	fn = calloc(n, sizeof(*fn));
	if (!fn)
		bench_die("out of memory");
	for (j = 0; j < (int)n; j++)
		snprintf(fn[j], sizeof(fn[j]), "bpf_lsm_%s",
			 krsi_hook__name(krsi_hooks__at(hooks, j)));
	for (i = -1; i < reps; i++) {
		double t0 = bench_now(), t1;

		for (j = 0; j < KRSI_LOOKUPS; j++)
			if (!krsi_hooks__find(hooks, fn[j % n] + 8))
				bench_die("hook %s not found", fn[j % n]);
		t1 = bench_now();
		for (j = 0; j < LIBBPF_LOOKUPS; j++)
			if (btf__find_by_name_kind(btf, fn[j * 7 % n],
						   BTF_KIND_FUNC) < 0)
				bench_die("%s not found", fn[j * 7 % n]);
		if (i < 0)
			continue; /* warm-up */
		kf[i] = (t1 - t0) / KRSI_LOOKUPS;
		lf[i] = (bench_now() - t1) / LIBBPF_LOOKUPS;
	}
	k = bench_stats(kf, reps);
	l = bench_stats(lf, reps);
	bench_row("discovery", "krsi_hooks__find by name", k, "ns", BENCH_LE,
		  1000, " ns", "btf__find_by_name_kind: %.0f ns (%zu hooks)",
		  l.med, n);
	free(fn);
	btf__free(btf);
	krsi_hooks__free(hooks);
	return 0;
}
