// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * lib/elf_check.c: an ELF object whose .BTF or .BTF.ext section has no
 * bytes in the file, or lies past its end, is refused before libbpf reads
 * it (libbpf 1.1 crashes on the first), through krsi_btf__load() and
 * krsi_object__open_mem() and __open_file(); truncated section headers
 * too; good objects and raw BTF still open. A BPF object whose BTF names a
 * type or string it lacks, in a type or in a CO-RE record of .BTF.ext, is
 * refused when opened (libbpf 1.1 follows them, and crashes); and event
 * preparation, given such an object opened by libbpf itself, does not
 * crash.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>
#include <krsi/audit.h>
#include <krsi/btf.h>
#include <krsi/object.h>

#include "internal.h"
#include "fault_burst.skel.h"
#include "map_fixture.skel.h"
#include "utest.h"

/* A copy of map_fixture.bpf.o, to break. */
struct elf_copy {
	char *buf;
	size_t size;
	char path[32];
};

static int copy_of(void **state, const void *(*elf_bytes)(size_t *))
{
	struct elf_copy *c = calloc(1, sizeof(*c));
	const void *elf;

	if (!c)
		return -1;
	elf = elf_bytes(&c->size);
	c->buf = malloc(c->size);
	if (!c->buf)
		return -1;
	memcpy(c->buf, elf, c->size);
	snprintf(c->path, sizeof(c->path), "/tmp/krsi-elf-XXXXXX");
	*state = c;
	utest_capture();
	libbpf_set_print(NULL);
	return 0;
}

static int setup(void **state)
{
	return copy_of(state, map_fixture_bpf__elf_bytes);
}

/* fault_burst.bpf.o: events, hook ids, CO-RE relocations */
static int setup_events(void **state)
{
	return copy_of(state, fault_burst_bpf__elf_bytes);
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

/* The BTF header of the copy's .BTF section, and its types and strings. */
static struct btf_header *btf_of(struct elf_copy *c, char **types, char **strs)
{
	struct btf_header *h =
		(struct btf_header *)(c->buf + section(c, ".BTF")->sh_offset);

	*types = (char *)h + h->hdr_len + h->type_off;
	*strs = (char *)h + h->hdr_len + h->str_off;
	return h;
}

/* The type record of the VAR whose name ends with SUFFIX. */
static struct btf_type *var_named(struct elf_copy *c, const char *suffix)
{
	struct btf_header *h;
	struct btf_type *t;
	char *types, *strs, *p;
	const char *name;

	h = btf_of(c, &types, &strs);
	/* a VAR record: its name, its info word, its type, its linkage */
	for (p = types; p + 16 <= types + h->type_len; p += 4) {
		t = (struct btf_type *)p;
		if (t->info != BTF_KIND_VAR << 24 || t->name_off >= h->str_len)
			continue;
		name = strs + t->name_off;
		if (strlen(name) >= strlen(suffix) &&
		    !strcmp(name + strlen(name) - strlen(suffix), suffix))
			return t;
	}
	fail_msg("no VAR named *%s", suffix);
	return NULL;
}

/*
 * The name of a hook's variable out of the string section: libbpf 1.1
 * opens the object, and event preparation passed the missing name (NULL)
 * to strstr(). Refused when libkrsi opens it; prepared without a crash
 * when libbpf did.
 */
static void test_name_out_of_range_refused(void **state)
{
	struct elf_copy *c = *state;
	struct btf_header *h;
	struct bpf_object *obj;
	char *types, *strs;
	bool opened;

	h = btf_of(c, &types, &strs);
	var_named(c, "__krsi_hook__file_mprotect")->name_off = h->str_len + 99;
	obj = bpf_object__open_mem(c->buf, c->size, NULL);
	opened = obj != NULL; /* libbpf 1.1; 1.4 and 1.7 refuse it */
	if (opened) {
		krsi_prepare_events(obj); /* no crash: its result is moot */
		bpf_object__close(obj);
	}
	utest_capture();
	assert_errno_null(krsi_object__open_mem(c->buf, c->size, NULL), EINVAL);
	if (opened) {
		assert_logged("refers to a type or name that does not exist");
		assert_logged("its BTF is corrupt (above): refused");
	} else {
		assert_logged("libbpf's messages say why");
	}
}

/* A CO-RE relocation naming a type the object's BTF lacks, which libbpf
 * 1.1 follows while loading, and crashes. */
static void test_core_record_out_of_range_refused(void **state)
{
	struct elf_copy *c = *state;
	char *ext = c->buf + section(c, ".BTF.ext")->sh_offset;
	__u32 hdr_len = *(__u32 *)(ext + 4), core_off = *(__u32 *)(ext + 24);
	/* after the record size: section name, count, first record */
	__u32 *rec = (__u32 *)(ext + hdr_len + core_off + 4 + 8);

	assert_true(*(__u32 *)(ext + 28) > 12); /* it has CO-RE records */
	rec[1] = 0x7fffffff; /* bpf_core_relo.type_id */
	utest_capture();
	assert_errno_null(krsi_object__open_mem(c->buf, c->size, NULL), EINVAL);
	assert_logged(
		"a CO-RE relocation record of its .BTF.ext section names a type or string its BTF does not have");
	assert_errno_null(krsi_object__open_file(to_file(c), NULL), EINVAL);
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
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_events, teardown)
		T(test_name_out_of_range_refused),
		T(test_core_record_out_of_range_refused),
#undef T
	};

	return cmocka_run_group_tests_name("elf_check", tests, NULL, NULL);
}
