// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The benchmarks' shared harness: see bench.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>
#include <krsi/krsi.h>

#include "bench.h"

int bench_reps(int dflt)
{
	const char *s = getenv("BENCH_REPS");
	int n = s ? atoi(s) : 0;

	return n > 0 ? n : dflt;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct bench_stats bench_stats(double *v, int n)
{
	struct bench_stats s = { .n = n };

	if (n <= 0)
		return s;
	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

void bench_row(const char *group, const char *name, struct bench_stats s,
	       const char *unit, enum bench_cmp cmp, double target,
	       const char *target_unit, const char *detail, ...)
{
	const char *status = "-";
	char target_s[64] = "-", detail_s[256] = "";
	va_list ap;

	if (cmp != BENCH_INFO) {
		bool met = cmp == BENCH_GE ? s.med >= target : s.med <= target;

		snprintf(target_s, sizeof(target_s), "%s %g%s",
			 cmp == BENCH_GE ? ">=" : "<=", target, target_unit);
		status = met ? "ok" : "MISSED";
	}
	if (detail) {
		va_start(ap, detail);
		vsnprintf(detail_s, sizeof(detail_s), detail, ap);
		va_end(ap);
	}
	printf("ROW\t%s\t%s\t%.4g\t%.4g\t%.4g\t%s\t%s\t%s\t%s\n", group, name,
	       s.med, s.min, s.max, unit, target_s, status, detail_s);
	fflush(stdout);
}

void bench_env(void)
{
	char line[256], *model = NULL;
	struct utsname u;
	FILE *f;

	if (uname(&u) == 0)
		printf("ENV\tkernel\t%s\n", u.release);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) == 0) {
			model = strchr(line, ':');
			break;
		}
	}
	if (f)
		fclose(f);
	if (model) {
		model[strcspn(model, "\n")] = '\0';
		printf("ENV\tcpu\t%s\n", model + 2);
	}
	printf("ENV\tlibbpf\t%s\n", libbpf_version_string());
	printf("ENV\tlibkrsi\t%s\n", krsi_version_string());
	fflush(stdout);
}

void bench_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static int warn_only(enum krsi_print_level level, const char *fmt, va_list args)
{
	return level == KRSI_WARN ? vfprintf(stderr, fmt, args) : 0;
}

static int libbpf_warn_only(enum libbpf_print_level level, const char *fmt,
			    va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

void bench_quiet_logs(void)
{
	krsi_set_print(warn_only);
	libbpf_set_print(libbpf_warn_only);
}
