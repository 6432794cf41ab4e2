// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * lib/elf_check.c: an ELF object whose .BTF or .BTF.ext section has no
 * bytes in the file, or lies past its end, is refused before libbpf reads
 * it (libbpf 1.1 crashes on the first), through krsi_btf__load() and
 * krsi_object__open_mem() and __open_file(); truncated section headers
 * too; good objects and raw BTF still open.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <krsi/btf.h>
#include <krsi/object.h>

#include "internal.h"
#include "map_fixture.skel.h"
#include "utest.h"

/* A copy of map_fixture.bpf.o, to break. */
struct elf_copy {
	char *buf;
	size_t size;
	char path[32];
};

static int setup(void **state)
{
	struct elf_copy *c = calloc(1, sizeof(*c));
	const void *elf;

	if (!c)
		return -1;
	elf = map_fixture_bpf__elf_bytes(&c->size);
	c->buf = malloc(c->size);
	if (!c->buf)
		return -1;
	memcpy(c->buf, elf, c->size);
	snprintf(c->path, sizeof(c->path), "/tmp/krsi-elf-XXXXXX");
	*state = c;
	utest_capture();
	return 0;
}

static int teardown(void **state)
{
	struct elf_copy *c = *state;

	unlink(c->path);
	free(c->buf);
	free(c);
	return 0;
}

/* The section header of the section named NAME. */
static Elf64_Shdr *section(struct elf_copy *c, const char *name)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)c->buf;
	Elf64_Shdr *sh = (Elf64_Shdr *)(c->buf + e->e_shoff);
	const char *names = c->buf + sh[e->e_shstrndx].sh_offset;
	int i;

	for (i = 0; i < e->e_shnum; i++)
		if (strcmp(names + sh[i].sh_name, name) == 0)
			return &sh[i];
	fail_msg("map_fixture.bpf.o has no section %s", name);
	return NULL;
}

/* Write the copy to a file of its own. */
static const char *to_file(struct elf_copy *c)
{
	int fd = mkstemp(c->path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, c->buf, c->size), (ssize_t)c->size);
	close(fd);
	return c->path;
}

/* The copy is refused every way in, with MESSAGE. */
static void refused(struct elf_copy *c, const char *message)
{
	KRSI_OPTS(krsi_btf_opts, o, .path = to_file(c));

	utest_capture();
	assert_errno_null(krsi_object__open_mem(c->buf, c->size, NULL), EINVAL);
	assert_logged(message);
	assert_errno_null(krsi_object__open_file(c->path, NULL), EINVAL);
	assert_errno_null(krsi_btf__load(&o), EINVAL);
	assert_int_equal(krsi_elf_check_file(c->path), -EINVAL);
}

static void test_good_object_opens(void **state)
{
	struct elf_copy *c = *state;
	KRSI_OPTS(krsi_btf_opts, o, .path = to_file(c));
	struct krsi_object *obj = krsi_object__open_mem(c->buf, c->size, NULL);
	struct krsi_btf *btf = krsi_btf__load(&o);

	assert_non_null(obj);
	assert_non_null(btf);
	assert_int_equal(krsi_elf_check_mem(c->buf, c->size), 0);
	krsi_object__destroy(obj);
	krsi_btf__free(btf);
}

static void test_raw_btf_is_not_elf(void **state)
{
	(void)state;
	assert_int_equal(krsi_elf_check_mem("\x9f\xeb\x01\x00", 4), 0);
	assert_int_equal(krsi_elf_check_mem("\x7f", 1), 0);
}

static void test_btf_without_bytes_refused(void **state)
{
	struct elf_copy *c = *state;

	section(c, ".BTF")->sh_type = SHT_NOBITS;
	refused(c, "its .BTF section has no bytes in the file (SHT_NOBITS)");
}

static void test_btf_ext_past_the_end_refused(void **state)
{
	struct elf_copy *c = *state;

	section(c, ".BTF.ext")->sh_size = c->size;
	refused(c, "its .BTF.ext section has bytes past the end of the file");
}

static void test_truncated_section_headers_refused(void **state)
{
	struct elf_copy *c = *state;

	c->size = ((Elf64_Ehdr *)c->buf)->e_shoff + sizeof(Elf64_Shdr) * 2;
	refused(c, "its ELF section headers are truncated or malformed");
}

static void test_section_name_index_out_of_range_refused(void **state)
{
	struct elf_copy *c = *state;

	((Elf64_Ehdr *)c->buf)->e_shstrndx = 999;
	refused(c, "its ELF section headers are truncated or malformed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_good_object_opens),
		T(test_raw_btf_is_not_elf),
		T(test_btf_without_bytes_refused),
		T(test_btf_ext_past_the_end_refused),
		T(test_truncated_section_headers_refused),
		T(test_section_name_index_out_of_range_refused),
#undef T
	};

	return cmocka_run_group_tests_name("elf_check", tests, NULL, NULL);
}
