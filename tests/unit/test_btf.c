// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * <krsi/btf.h> on the host kernel's BTF and on crafted files: lookups,
 * members with offsets and bitfields, enum values, C rendering, and
 * corrupt or truncated BTF refused without a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include <krsi/btf.h>
#include <krsi/hooks.h>
#include <krsi/log.h>

#include "btf_fixture.h"

#define HOST_BTF "/sys/kernel/btf/vmlinux"

static char fixture_path[32];

static int quiet(enum krsi_print_level level, const char *fmt, va_list args)
{
	(void)level, (void)fmt, (void)args;
	return 0;
}

/* Create PATH (a mkstemp() template), empty. */
static void temp_file(char *path)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
}

static struct krsi_btf *load(const char *path)
{
	KRSI_OPTS(krsi_btf_opts, opts, .path = path);

	return krsi_btf__load(&opts);
}

static int setup(void **state)
{
	struct btf *b = fixture_btf();

	fixture_write(b, fixture_path);
	btf__free(b);
	*state = load(fixture_path);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	krsi_btf__free(*state);
	unlink(fixture_path);
	return 0;
}

static void test_running_kernel(void **state)
{
	KRSI_OPTS(krsi_btf_member, m);
	struct krsi_btf *btf;
	long long value;
	int id;

	(void)state;
	if (access(HOST_BTF, R_OK))
		skip();
	btf = krsi_btf__load(NULL);
	assert_non_null(btf);
	assert_non_null(krsi_btf__btf(btf));
	assert_true(krsi_btf__type_count(btf) > 10000);
	id = krsi_btf__find(btf, "task_struct", 0);
	assert_true(id > 0);
	assert_int_equal(krsi_btf__kind(btf, id), BTF_KIND_STRUCT);
	assert_string_equal(krsi_btf__name(btf, id), "task_struct");
	assert_int_equal(krsi_btf__find_member(btf, id, "pid", &m), 0);
	assert_string_equal(m.name, "pid");
	assert_int_equal(m.bit_offset % 8, 0);
	assert_int_equal(m.bitfield_size, 0);
	assert_int_equal(krsi_btf__enum_value(btf, 0, "BPF_LSM_MAC", &value),
			 0);
	assert_int_equal(value, BPF_LSM_MAC);
	id = krsi_btf__find(btf, "bpf_lsm_file_open", 0);
	assert_int_equal(krsi_btf__kind(btf, id), BTF_KIND_FUNC);
	krsi_btf__free(btf);
}

static void test_members_and_bitfields(void **state)
{
	struct krsi_btf *btf = *state;
	KRSI_OPTS(krsi_btf_member, m);
	int id = krsi_btf__find(btf, "file", BTF_KIND_STRUCT);

	assert_true(id > 0);
	assert_int_equal(krsi_btf__member_count(btf, id), 4);
	assert_int_equal(krsi_btf__member(btf, id, 1, &m), 0);
	assert_string_equal(m.name, "f_mode");
	assert_int_equal(m.bit_offset, 32);
	assert_int_equal(m.bitfield_size, 3);
	assert_int_equal(krsi_btf__member(btf, id, 3, &m), 0);
	assert_string_equal(m.name, "");
	/* Members of an anonymous union count as the struct's. */
	assert_int_equal(krsi_btf__find_member(btf, id, "b", &m), 0);
	assert_int_equal(m.bit_offset, 64);
	/* Typedefs are followed. */
	assert_int_equal(
		krsi_btf__member_count(btf, krsi_btf__find(btf, "file_t", 0)),
		4);
	assert_int_equal(krsi_btf__member(btf, id, 4, &m), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(krsi_btf__find_member(btf, id, "nope", &m), -ENOENT);
	assert_int_equal(krsi_btf__member_count(btf, 1), -EINVAL); /* int */
	m.sz = 8; /* too small for this release's fields */
	assert_int_equal(krsi_btf__member(btf, id, 0, &m), -EINVAL);
}

static void test_enum_values(void **state)
{
	struct krsi_btf *btf = *state;
	int id = krsi_btf__find(btf, "colour", BTF_KIND_ENUM);
	long long v;

	assert_true(id > 0);
	assert_int_equal(krsi_btf__enum_value(btf, id, "BLUE", &v), 0);
	assert_int_equal(v, -2);
	assert_int_equal(krsi_btf__enum_value(btf, 0, "RED", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(krsi_btf__enum_value(btf, id, "GREEN", &v), -ENOENT);
	assert_int_equal(krsi_btf__enum_value(btf, 1, "RED", &v), -EINVAL);
}

static void test_format_as_c(void **state)
{
	struct krsi_btf *btf = *state;
	char buf[1024], small[8];
	int len;

	len = krsi_btf__format(btf, krsi_btf__find(btf, "file", 0), buf,
			       sizeof(buf));
	assert_int_equal(len, strlen(buf));
	assert_non_null(strstr(buf, "struct file {\n"));
	assert_non_null(strstr(buf, "\tint f_flags;\t/* offset 0, size 4 */"));
	assert_non_null(strstr(
		buf, "unsigned int f_mode:3;\t/* offset 4 bit 0, 3 bits */"));
	assert_non_null(strstr(buf, "\tunion {\n\t\tint a;"));
	assert_non_null(strstr(buf, "\t\tlong b;\t/* offset 8, size 8 */"));
	assert_non_null(strstr(buf, "};\t/* size 16 */"));
	/* snprintf()'s contract: cut, NUL-terminated, full length returned. */
	assert_int_equal(krsi_btf__format(btf, krsi_btf__find(btf, "file", 0),
					  small, sizeof(small)),
			 len);
	assert_string_equal(small, "struct ");
	assert_int_equal(
		krsi_btf__format(btf, krsi_btf__find(btf, "file", 0), NULL, 0),
		len);

	krsi_btf__format(btf, krsi_btf__find(btf, "colour", 0), buf,
			 sizeof(buf));
	assert_non_null(strstr(buf, "\tBLUE = -2,\n"));
	krsi_btf__format(btf, krsi_btf__find(btf, "file_t", 0), buf,
			 sizeof(buf));
	assert_string_equal(buf, "typedef struct file file_t;");
	krsi_btf__format(btf, krsi_btf__find(btf, "bpf_lsm_file_open", 0), buf,
			 sizeof(buf));
	assert_string_equal(buf, "int bpf_lsm_file_open(struct file *file);");
	krsi_btf__format_decl(
		btf, krsi_btf__find(btf, "bpf_lsm_my_bool_hook", 0) - 1, "fn",
		buf, sizeof(buf));
	assert_string_equal(buf, "_Bool fn(int)");
}

static void test_errors(void **state)
{
	struct krsi_btf *btf = *state;
	struct krsi_btf_opts bad = { .sz = 3 };
	KRSI_OPTS(krsi_btf_member, m);
	long long v;
	char buf[8];

	(void)state;
	assert_null(krsi_btf__load(&bad));
	assert_int_equal(errno, EINVAL);
	assert_null(load("/nonexistent/btf"));
	assert_int_equal(errno, ENOENT);
	assert_null(load("/proc/self/status")); /* readable, not BTF */
	assert_int_equal(errno, EINVAL);
	assert_null(krsi_btf__btf(NULL));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(krsi_btf__type_count(NULL), 0);
	assert_int_equal(krsi_btf__find(NULL, "x", 0), -EINVAL);
	assert_int_equal(krsi_btf__find(btf, NULL, 0), -EINVAL);
	assert_int_equal(krsi_btf__find(btf, "x", 99), -EINVAL);
	assert_int_equal(krsi_btf__find(btf, "no_such_type", 0), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(krsi_btf__kind(btf, 1u << 30), -EINVAL);
	assert_null(krsi_btf__name(btf, 1u << 30));
	assert_int_equal(krsi_btf__member(btf, 1, 0, NULL), -EINVAL);
	assert_int_equal(krsi_btf__find_member(NULL, 1, "a", &m), -EINVAL);
	assert_int_equal(krsi_btf__enum_value(btf, 0, NULL, &v), -EINVAL);
	assert_int_equal(krsi_btf__format(btf, 1, NULL, 8), -EINVAL);
	assert_int_equal(krsi_btf__format(NULL, 1, buf, 8), -EINVAL);
	assert_int_equal(krsi_btf__format_decl(btf, 1u << 30, "x", buf, 8),
			 -EINVAL);
	krsi_btf__free(NULL);
}

static void test_elf_with_btf_section(void **state)
{
	char cmd[512], obj[] = "/tmp/krsi-elf.XXXXXX";
	struct krsi_btf *btf;

	(void)state;
	temp_file(obj);
	snprintf(
		cmd, sizeof(cmd),
		"echo 'int x;' | cc -x c -c - -o %s && objcopy --add-section .BTF=%s %s",
		obj, fixture_path, obj);
	assert_int_equal(system(cmd), 0);
	btf = load(obj);
	assert_non_null(btf);
	assert_true(krsi_btf__find(btf, "file", BTF_KIND_STRUCT) > 0);
	krsi_btf__free(btf);
	/* Without .BTF, the same ELF file is refused. */
	snprintf(cmd, sizeof(cmd), "objcopy --remove-section .BTF %s", obj);
	assert_int_equal(system(cmd), 0);
	assert_null(load(obj));
	assert_int_equal(errno, EINVAL);
	unlink(obj);
}

/* The fixture's raw bytes, with its type section's offset. */
static void *fixture_bytes(size_t *size, size_t *types)
{
	struct btf *b = fixture_btf();
	__u32 sz;
	const struct btf_header *hdr = btf__raw_data(b, &sz);
	void *copy = malloc(sz);

	memcpy(copy, hdr, sz);
	*size = sz;
	*types = hdr->hdr_len + hdr->type_off;
	btf__free(b);
	return copy;
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	fclose(f);
}

/* A pointer pointing at itself, and a member of a type that is not. */
static void test_crafted_corruption(void **state)
{
	char path[] = "/tmp/krsi-bad.XXXXXX";
	size_t size, types;
	unsigned char *raw;
	krsi_print_fn_t prev;
	__u32 *ptr_target;

	(void)state;
	temp_file(path);
	prev = krsi_set_print(quiet);

	/* Types 1-4 are ints (16 bytes each), 5 the anonymous union (12 +
	 * 2 members of 12), 6 struct file (12 + 4 * 12), 7 the pointer
	 * to it, whose target we point at itself. */
	raw = fixture_bytes(&size, &types);
	ptr_target = (__u32 *)(raw + types + 4 * 16 + 36 + 60 + 8);
	assert_int_equal(*ptr_target, 6);
	*ptr_target = 7;
	write_file(path, raw, size);
	assert_null(load(path));
	assert_int_equal(errno, EINVAL);

	/* The union's first member's type becomes 9999. */
	ptr_target[0] = 6;
	*(__u32 *)(raw + types + 4 * 16 + 12 + 4) = 9999;
	write_file(path, raw, size);
	assert_null(load(path));
	assert_int_equal(errno, EINVAL);

	free(raw);
	unlink(path);
	krsi_set_print(prev);
}

/* Whether B, written to a file, is refused with EINVAL. */
static bool refused(struct btf *b)
{
	char path[32];
	struct krsi_btf *kb;
	bool ok;

	fixture_write(b, path);
	btf__free(b);
	kb = load(path);
	ok = !kb && errno == EINVAL;
	krsi_btf__free(kb);
	unlink(path);
	return ok;
}

/* LEVELS anonymous unions, each of two members of the next, in a struct. */
static struct btf *nested_unions(int levels)
{
	struct btf *b = btf__new_empty();
	int inner = btf__add_int(b, "int", 4, BTF_INT_SIGNED), u;

	while (levels--) {
		u = btf__add_union(b, NULL, 4);
		btf__add_field(b, "a", inner, 0, 0);
		btf__add_field(b, "b", inner, 0, 0);
		inner = u;
	}
	btf__add_struct(b, "bomb", 4);
	btf__add_field(b, "u", inner, 0, 0);
	return b;
}

/*
 * What the fuzzer found (tests/fuzz/corpus/btf/regress-*), each refused at
 * load: libbpf would recurse forever on a struct holding itself, divide by
 * the alignment of a member without size, print billions of padding lines
 * for a member past its struct's end, and a few anonymous unions nested
 * and shared render to terabytes.
 */
static void test_fuzz_findings_refused(void **state)
{
	krsi_print_fn_t prev = krsi_set_print(quiet);
	struct btf *b;
	int i32, s;

	(void)state;
	/* struct loop { int a; struct loop self; } */
	b = btf__new_empty();
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	s = btf__add_struct(b, "loop", 8);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "self", s, 32, 0);
	assert_true(refused(b));

	/* struct hole { void nothing; } */
	b = btf__new_empty();
	btf__add_struct(b, "hole", 4);
	btf__add_field(b, "nothing", 0, 0, 0);
	assert_true(refused(b));

	/* struct far { int a; } with a at byte 1 GiB */
	b = btf__new_empty();
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(b, "far", 4);
	btf__add_field(b, "a", i32, 1U << 31, 0);
	assert_true(refused(b));

	/* union { union { ... int x; } a, b; } a, b;  32 levels deep:
	 * 2^32 lines of C; 8 levels, 256 lines, are fine */
	assert_true(refused(nested_unions(32)));
	assert_false(refused(nested_unions(8)));
	krsi_set_print(prev);
}

/* Types one byte off a 4-byte boundary (a header of 25 bytes), which
 * libbpf 1.1 takes and the kernel refuses: refused before they are read
 * (a fuzzing finding: reading them is undefined behaviour). */
static void test_misaligned_types_refused(void **state)
{
	krsi_print_fn_t prev = krsi_set_print(quiet);
	const char *path = "/tmp/krsi-btf-misaligned";
	size_t size, types, hdr = sizeof(struct btf_header);
	char *raw = fixture_bytes(&size, &types);
	char *bad = calloc(1, size + 1);
	__u32 hdr_len = hdr + 1;

	(void)state;
	assert_non_null(bad);
	assert_int_equal(((struct btf_header *)raw)->hdr_len, hdr);
	memcpy(bad, raw, hdr);
	memcpy(bad + offsetof(struct btf_header, hdr_len), &hdr_len,
	       sizeof(hdr_len));
	memcpy(bad + hdr + 1, raw + hdr, size - hdr);
	write_file(path, bad, size + 1);
	errno = 0;
	assert_null(load(path));
	assert_int_equal(errno, EINVAL);
	unlink(path);
	free(raw);
	free(bad);
	krsi_set_print(prev);
}

/* Use everything a loaded BTF offers, as a fuzzed file might break it. */
static void exercise(const char *path)
{
	KRSI_OPTS(krsi_hooks_opts, opts, .btf_path = path);
	KRSI_OPTS(krsi_btf_member, m);
	struct krsi_btf *btf = load(path);
	struct krsi_hooks *hooks;
	__u32 id, n;
	long long v;
	char buf[256];

	if (!btf) {
		assert_true(errno == EINVAL || errno == ENOMEM);
		return;
	}
	n = krsi_btf__type_count(btf);
	for (id = 1; id < n; id += 1 + n / 64) {
		krsi_btf__format(btf, id, buf, sizeof(buf));
		krsi_btf__member(btf, id, 0, &m);
		krsi_btf__find_member(btf, id, "f", &m);
		krsi_btf__enum_value(btf, id, "E", &v);
	}
	krsi_btf__free(btf);
	hooks = krsi_hooks__load(&opts);
	for (size_t i = 0; hooks && i < krsi_hooks__count(hooks); i++)
		assert_non_null(krsi_hook__decl(krsi_hooks__at(hooks, i)));
	krsi_hooks__free(hooks);
}

/*
 * Truncated copies and copies with one bit flipped, of the fixture and of
 * the host's BTF: each is refused or used, never a crash.
 */
static void test_truncated_and_bit_flipped(void **state)
{
	char path[] = "/tmp/krsi-fuzz.XXXXXX";
	size_t size, types, i, cut;
	unsigned char *raw, *copy;
	unsigned int refused = 0, runs = 0;
	krsi_print_fn_t prev;
	struct stat st;
	FILE *f;

	(void)state;
	temp_file(path);
	prev = krsi_set_print(quiet);
	srand(1);

	raw = fixture_bytes(&size, &types);
	copy = malloc(size);
	for (cut = 0; cut < size; cut += 7) {
		write_file(path, raw, cut);
		assert_null(load(path));
		assert_int_equal(errno, EINVAL);
	}
	for (i = 0; i < size * 8; i++) {
		memcpy(copy, raw, size);
		copy[i / 8] ^= 1u << (i % 8);
		write_file(path, copy, size);
		exercise(path);
		runs++;
	}
	free(copy);
	free(raw);

	/* The host's BTF: a few truncations and random flips. */
	if (!stat(HOST_BTF, &st)) {
		f = fopen(HOST_BTF, "r");
		assert_non_null(f);
		raw = malloc(st.st_size);
		size = fread(raw, 1, st.st_size, f);
		fclose(f);
		for (cut = 1; cut < size; cut += size / 9) {
			write_file(path, raw, cut);
			assert_null(load(path));
			refused++;
		}
		for (i = 0; i < 40; i++) {
			size_t bit = (size_t)rand() % (size * 8);

			raw[bit / 8] ^= 1u << (bit % 8);
			write_file(path, raw, size);
			exercise(path);
			raw[bit / 8] ^= 1u << (bit % 8);
			runs++;
		}
		free(raw);
	}
	print_message(
		"%u corrupt copies used or refused, %u truncated ones refused\n",
		runs, refused);
	unlink(path);
	krsi_set_print(prev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running_kernel),
		cmocka_unit_test_setup_teardown(test_members_and_bitfields,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_format_as_c, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_with_btf_section,
						setup, teardown),
		cmocka_unit_test(test_crafted_corruption),
		cmocka_unit_test(test_fuzz_findings_refused),
		cmocka_unit_test(test_misaligned_types_refused),
		cmocka_unit_test(test_truncated_and_bit_flipped),
	};

	libbpf_set_print(NULL); /* libbpf's complaints about corrupt files */
	return cmocka_run_group_tests_name("btf", tests, NULL, NULL);
}
