// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/ima.bpf.h>: the IMA hash a sleepable program computes when a script
 * is executed and mapped equals its SHA-256 as sha256sum computes it; in
 * file_open IMA cannot hash yet (-EOPNOTSUPP); a NULL file gives -ENOENT.
 * A non-sleepable program calling krsi_ima_file_hash() is refused at load
 * time with a message naming the fix.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <krsi/inode_key.h>

#include "ktest.h"
#include "progs/bpf_ima.h"
#include "bpf_ima.skel.h"
#include "bpf_ima_misuse.skel.h"

#define HASH_ALGO_SHA256 4 /* the kernel's enum hash_algo */
#define SHA256_LEN 32

struct fixture {
	struct bpf_ima_bpf *skel;
	char script[64];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	bpf_ima_bpf__destroy(fx->skel);
	if (fx->script[0])
		unlink(fx->script);
	free(fx);
	return 0;
}

static void start(struct fixture *fx)
{
	struct stat st;
	int fd, err;

	ktest_require_feature(KRSI_FEATURE_IMA_FILE_HASH);
	snprintf(fx->script, sizeof(fx->script), "/tmp/kima-%d.sh", getpid());
	fd = open(fx->script, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_true(fd >= 0);
	dprintf(fd, "#!/bin/sh\n# krsi %d\nexit 0\n", getpid());
	close(fd);
	assert_int_equal(stat(fx->script, &st), 0);

	fx->skel = bpf_ima_bpf__open();
	assert_non_null(fx->skel);
	fx->skel->bss->target.dev = st.st_dev;
	fx->skel->bss->target.ino = st.st_ino;
	fx->skel->bss->target_tgid = getpid();
	err = bpf_ima_bpf__load(fx->skel);
	if (!err)
		err = bpf_ima_bpf__attach(fx->skel);
	if (err)
		ktest_unavailable(
			"this kernel refuses to load or attach a sleepable LSM program: %s; run the test inside krsi-vmtest",
			strerror(-err));
}

/* The SHA-256 of FILE, from sha256sum (busybox's in the VM). */
static void sha256_of(const char *file, unsigned char digest[SHA256_LEN])
{
	char cmd[PATH_MAX + 32], hex[2 * SHA256_LEN + 1];
	FILE *p;
	int i;

	snprintf(cmd, sizeof(cmd), "sha256sum %s", file);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fscanf(p, "%64s", hex) != 1 || strlen(hex) != 2 * SHA256_LEN)
		fail_msg("no digest from \"%s\"", cmd);
	assert_int_equal(pclose(p), 0);
	for (i = 0; i < SHA256_LEN; i++)
		sscanf(hex + 2 * i, "%2hhx", &digest[i]);
}

static void check_sha256(const char *hook, const struct ima_result *res,
			 const char *file)
{
	unsigned char want[SHA256_LEN];

	if (res->calls == 0)
		fail_msg("%s did not run for %s", hook, file);
	if (res->alg != HASH_ALGO_SHA256)
		fail_msg("IMA hash in %s: %lld, want SHA-256 (%d)", hook,
			 (long long)res->alg, HASH_ALGO_SHA256);
	sha256_of(file, want);
	assert_memory_equal(res->digest, want, SHA256_LEN);
}

static void test_hash_on_exec_equals_sha256(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = { fx->script, NULL }, *envp[] = { NULL };
	int status;
	pid_t child;

	start(fx);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		execve(fx->script, argv, envp);
		_exit(127);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	check_sha256("bprm_check_security", &fx->skel->bss->on_exec,
		     fx->script);
}

static void test_hash_on_mmap_equals_sha256(void **state)
{
	struct fixture *fx = *state;
	void *p;
	int fd;

	start(fx);
	fd = open(fx->script, O_RDONLY);
	assert_true(fd >= 0);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(p != MAP_FAILED);
	munmap(p, 4096);
	close(fd);
	check_sha256("mmap_file", &fx->skel->bss->on_mmap, fx->script);

	/* Anonymous memory: mmap_file's file is NULL. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	munmap(p, 4096);
	assert_true(fx->skel->bss->on_anon_mmap.calls >= 1);
	assert_int_equal(fx->skel->bss->on_anon_mmap.alg, -ENOENT);
}

/* Measured on 6.1 and 6.12: the file is not readable yet in file_open. */
static void test_no_hash_in_file_open(void **state)
{
	struct fixture *fx = *state;

	start(fx);
	close(open(fx->script, O_RDONLY));
	assert_true(fx->skel->bss->on_open.calls >= 1);
	assert_int_equal(fx->skel->bss->on_open.alg, -EOPNOTSUPP);
}

static char load_log[65536];
static size_t load_log_len;

static int capture(enum libbpf_print_level level, const char *fmt, va_list args)
{
	int n;

	(void)level;
	if (load_log_len >= sizeof(load_log) - 1)
		return 0;
	n = vsnprintf(load_log + load_log_len, sizeof(load_log) - load_log_len,
		      fmt, args);
	if (n > 0)
		load_log_len += n;
	if (load_log_len > sizeof(load_log) - 1)
		load_log_len = sizeof(load_log) - 1;
	return 0;
}

static void test_not_sleepable_is_refused_with_a_clear_message(void **state)
{
	struct bpf_ima_misuse_bpf *skel;
	libbpf_print_fn_t old;
	int err;

	(void)state;
	skel = bpf_ima_misuse_bpf__open();
	assert_non_null(skel);
	load_log_len = 0;
	load_log[0] = '\0';
	old = libbpf_set_print(capture);
	err = bpf_ima_misuse_bpf__load(skel);
	libbpf_set_print(old);
	bpf_ima_misuse_bpf__destroy(skel);
	if (!err)
		fail_msg(
			"a non-sleepable program calling krsi_ima_file_hash() loaded");
	if (err == -EPERM)
		ktest_unavailable(
			"this kernel refuses LSM programs before verifying them; run the test inside krsi-vmtest");
	if (!strstr(load_log, "krsi_ima_file_hash() needs a sleepable program"))
		fail_msg("the load failed (%s) without saying why:\n%s",
			 strerror(-err), load_log);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hash_on_exec_equals_sha256,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_on_mmap_equals_sha256,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_hash_in_file_open,
						setup, teardown),
		cmocka_unit_test(
			test_not_sleepable_is_refused_with_a_clear_message),
	};

	/* Every test needs the BPF LSM: none to run in the lsm-off boot. */
	if (ktest_lsm_off(argc, argv))
		return 0;
	return cmocka_run_group_tests_name("bpf_ima", tests, NULL, NULL);
}
