// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Event types from BTF (lib/audit_schema.c) and payload rendering
 * (lib/audit_payload.c), on BTF built here as clang would emit it for
 * KRSI_EVENT_TYPE() and the field markers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "audit_internal.h"

struct types {
	struct btf *btf;
	int u8, u16, u32, s16, s32, u64, chr, boolean, int128;
};

static struct types new_btf(void)
{
	struct types t = { .btf = btf__new_empty() };

	assert_non_null(t.btf);
	t.u8 = btf__add_int(t.btf, "unsigned char", 1, 0);
	t.u16 = btf__add_int(t.btf, "unsigned short", 2, 0);
	t.u32 = btf__add_int(t.btf, "unsigned int", 4, 0);
	t.s16 = btf__add_int(t.btf, "short", 2, BTF_INT_SIGNED);
	t.s32 = btf__add_int(t.btf, "int", 4, BTF_INT_SIGNED);
	t.u64 = btf__add_int(t.btf, "unsigned long long", 8, 0);
	t.chr = btf__add_int(t.btf, "char", 1, BTF_INT_SIGNED);
	t.boolean = btf__add_int(t.btf, "_Bool", 1, BTF_INT_BOOL);
	t.int128 = btf__add_int(t.btf, "__int128", 16, BTF_INT_SIGNED);
	return t;
}

static int array(struct types *t, int elem, __u32 n)
{
	return btf__add_array(t->btf, t->u32, elem, n);
}

/* What KRSI_EVENT_TYPE(NAME, NR, PAYLOAD) leaves in BTF. */
static void declare(struct types *t, const char *name, __u32 nr, int payload)
{
	int ptr = btf__add_ptr(t->btf, array(t, t->s32, nr));
	int arr = array(t, payload, 0);
	int st = btf__add_struct(t->btf, NULL, 8);
	char var[64];

	assert_int_equal(btf__add_field(t->btf, "type", ptr, 0, 0), 0);
	assert_int_equal(btf__add_field(t->btf, "payload", arr, 64, 0), 0);
	snprintf(var, sizeof(var), "__krsi_event__%s", name);
	assert_true(btf__add_var(t->btf, var, BTF_VAR_STATIC,
				 btf__add_const(t->btf, st)) > 0);
}

static void tag(struct types *t, const char *fmt, int type, int member)
{
	char v[64];

	snprintf(v, sizeof(v), "krsi.format:%s", fmt);
	assert_true(btf__add_decl_tag(t->btf, v, type, member) > 0);
}

/* Build a schema expected to fail with ERR. */
static void assert_rejected(struct types *t, int err)
{
	krsi_print_fn_t old = krsi_set_print(NULL);
	struct audit_schema *s = NULL;

	assert_int_equal(audit_schema_new(t->btf, &s), err);
	assert_null(s);
	krsi_set_print(old);
	btf__free(t->btf);
}

/* The payload of the rendering test, as its BTF below describes it. */
struct payload {
	__u32 a;
	__s16 b;
	_Bool c;
	char s[5];
	__u32 e;
	__u8 ip[4];
	__u8 h[3];
	__u8 pad;
	__u16 list[2];
	__u8 in;
	__u8 pad2[3];
	__u32 u;
	__u32 bits;
	__u64 e64;
	__u8 big[16];
	__u32 pid;
	__u32 pad3;
};

static int payload_btf(struct types *t)
{
	int e, e64, in, un, st, s5, u8x4, u8x3, u16x2, zero;

	/* every type first: fields go to the type added last */
	s5 = array(t, t->chr, 5);
	u8x4 = array(t, t->u8, 4);
	u8x3 = array(t, t->u8, 3);
	u16x2 = array(t, t->u16, 2);
	zero = array(t, t->chr, 0);
	e = btf__add_enum(t->btf, "e", 4);
	assert_int_equal(btf__add_enum_value(t->btf, "E_ONE", 1), 0);
	assert_int_equal(btf__add_enum_value(t->btf, "E_MINUS", -1), 0);
	e64 = btf__add_enum64(t->btf, "e64", 8, false);
	assert_int_equal(
		btf__add_enum64_value(t->btf, "BIG", 0x8000000000000001ULL), 0);
	in = btf__add_struct(t->btf, "inner", 1);
	assert_int_equal(btf__add_field(t->btf, "x", t->u8, 0, 0), 0);
	un = btf__add_union(t->btf, NULL, 4);
	assert_int_equal(btf__add_field(t->btf, "u", t->u32, 0, 0), 0);
	st = btf__add_struct(t->btf, "payload", sizeof(struct payload));
#define F(name, type, off, bits) \
	assert_int_equal(btf__add_field(t->btf, name, type, off, bits), 0)
	F("a", t->u32, 0, 0);
	F("b", t->s16, 32, 0);
	F("c", t->boolean, 48, 0);
	F("s", s5, 56, 0);
	F("e", e, 96, 0);
	F("ip", u8x4, 128, 0);
	F("h", u8x3, 160, 0);
	F("list", u16x2, 192, 0);
	F("in", in, 224, 0);
	F("", un, 256, 0);
	F("bf1", t->u32, 288, 4);
	F("bf2", t->u32, 292, 12);
	F("sbf", t->s32, 304, 5);
	F("e64", e64, 320, 0);
	F("big", t->int128, 384, 0);
	F("pid", t->u32, 512, 0);
	F("zero", zero, 544, 0);
#undef F
	return st;
}

/* TYPE's rendering of payload P, JSON or text, into OUT. */
static const char *render(const struct audit_type *type, const void *p,
			  bool json, char *out, size_t size)
{
	struct audit_buf b = { .p = out, .cap = size };

	audit_payload(&b, type, p, json);
	assert_true(b.len <= type->bound && b.len < size);
	out[b.len] = '\0';
	return out;
}

static void test_payload_rendered_by_btf(void **state)
{
	struct types t = new_btf();
	struct payload p = {
		.a = 1,
		.b = -2,
		.c = 1,
		.s = "hi",
		.e = (__u32)-1,
		.ip = { 10, 1, 2, 3 },
		.h = { 0xab, 0xcd, 0xef },
		.list = { 1, 2 },
		.in = 9,
		.u = 77,
		/* bf1 = 5, bf2 = 300, sbf = -3 */
		.bits = 5 | 300 << 4 | (0x1d << 16),
		.e64 = 0x8000000000000001ULL,
		.big = { [0] = 1, [15] = 0xff },
		.pid = 4,
	};
	struct audit_schema *s;
	struct audit_type *type;
	char out[4096];
	int st;

	(void)state;
	st = payload_btf(&t);
	tag(&t, "ipv4", st, 5);
	tag(&t, "hex", st, 6);
	declare(&t, "sample", 7, st);
	assert_int_equal(audit_schema_new(t.btf, &s), 0);
	assert_int_equal(s->nr_types, 1);
	type = audit_schema_find(s, 7);
	assert_non_null(type);
	assert_null(audit_schema_find(s, 8));
	assert_string_equal(type->name, "sample");
	assert_string_equal(type->text_type, "KRSI_SAMPLE");
	assert_int_equal(type->payload_size, sizeof(p));

	assert_string_equal(render(type, &p, true, out, sizeof(out)),
			    "\"a\":1,\"b\":-2,\"c\":true,\"s\":\"hi\","
			    "\"e\":\"E_MINUS\",\"ip\":\"10.1.2.3\","
			    "\"h\":\"abcdef\",\"list\":[1,2],"
			    "\"in\":{\"x\":9},\"u\":77,\"bf1\":5,"
			    "\"bf2\":300,\"sbf\":-3,\"e64\":\"BIG\","
			    "\"big\":\"010000000000000000000000000000ff\","
			    "\"pid\":4");
	assert_string_equal(render(type, &p, false, out, sizeof(out)),
			    " a=1 b=-2 c=yes s=\"hi\" e=E_MINUS"
			    " ip=10.1.2.3 h=abcdef list=1,2 in.x=9 u=77"
			    " bf1=5 bf2=300 sbf=-3 e64=BIG"
			    " big=010000000000000000000000000000ff"
			    " data.pid=4");
	/* a value the enum does not name: its number */
	p.e = 5;
	assert_non_null(
		strstr(render(type, &p, true, out, sizeof(out)), "\"e\":5,"));
	audit_schema_free(s);
	btf__free(t.btf);
}

static void test_no_btf_or_no_declarations(void **state)
{
	struct types t = new_btf();
	struct audit_schema *s;

	(void)state;
	assert_int_equal(audit_schema_new(NULL, &s), 0);
	assert_int_equal(s->nr_types, 0);
	assert_null(audit_schema_find(s, 1));
	audit_schema_free(s);
	assert_int_equal(audit_schema_new(t.btf, &s), 0);
	assert_int_equal(s->nr_types, 0);
	audit_schema_free(s);
	audit_schema_free(NULL);
	btf__free(t.btf);
}

/* Many types, large numbers: found by search, not only by index. */
static void test_many_types(void **state)
{
	struct types t = new_btf();
	struct audit_schema *s;
	__u32 nr[] = { 3, 1000, 63, 64, 70000, 2 };
	char name[16];
	int st, i;

	(void)state;
	st = btf__add_struct(t.btf, "p", 4);
	btf__add_field(t.btf, "n", t.u32, 0, 0);
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		declare(&t, name, nr[i], st);
	}
	/* the same declaration again, as from a second object file */
	declare(&t, "t0", 3, st);
	assert_int_equal(audit_schema_new(t.btf, &s), 0);
	assert_int_equal(s->nr_types, 6);
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		assert_non_null(audit_schema_find(s, nr[i]));
		assert_string_equal(audit_schema_find(s, nr[i])->name, name);
	}
	assert_null(audit_schema_find(s, 4));
	assert_null(audit_schema_find(s, 999));
	assert_null(audit_schema_find(s, 70001));
	audit_schema_free(s);
	btf__free(t.btf);
}

static int small_struct(struct types *t)
{
	int st = btf__add_struct(t->btf, "p", 4);

	btf__add_field(t->btf, "n", t->u32, 0, 0);
	return st;
}

static void test_two_names_for_one_type_rejected(void **state)
{
	struct types t = new_btf();
	int st = small_struct(&t);

	(void)state;
	declare(&t, "one", 5, st);
	declare(&t, "two", 5, st);
	assert_rejected(&t, -EINVAL);
}

static void test_reserved_type_rejected(void **state)
{
	struct types t = new_btf();

	(void)state;
	declare(&t, "lost", KRSI_EVENT_TYPE_LOST, small_struct(&t));
	assert_rejected(&t, -EINVAL);
}

static void test_marker_on_wrong_field_rejected(void **state)
{
	static const char *const fmts[] = { "ipv4", "ipv6", "path" };
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct types t = new_btf();
		int st = btf__add_struct(t.btf, "p", 2);

		btf__add_field(t.btf, "port", t.u16, 0, 0);
		tag(&t, fmts[i], st, 0);
		declare(&t, "bad", 1, st);
		assert_rejected(&t, -EINVAL);
	}
}

static void test_marked_bitfield_rejected(void **state)
{
	struct types t = new_btf();
	int st = btf__add_struct(t.btf, "p", 4);

	(void)state;
	btf__add_field(t.btf, "bits", t.u32, 0, 4);
	tag(&t, "hex", st, 0);
	declare(&t, "bad", 1, st);
	assert_rejected(&t, -EINVAL);
}

static void test_unknown_format_rejected(void **state)
{
	struct types t = new_btf();
	int st = small_struct(&t);

	(void)state;
	tag(&t, "rot13", st, 0);
	declare(&t, "bad", 1, st);
	assert_rejected(&t, -EINVAL);
}

/* An array of structs too long to render field by field. */
static void test_too_many_fields_rejected(void **state)
{
	struct types t = new_btf();
	int in, arr, st;

	(void)state;
	in = btf__add_struct(t.btf, "in", 1);
	btf__add_field(t.btf, "x", t.u8, 0, 0);
	arr = array(&t, in, 100000);
	st = btf__add_struct(t.btf, "p", 100000);
	btf__add_field(t.btf, "many", arr, 0, 0);
	declare(&t, "big", 1, st);
	assert_rejected(&t, -EINVAL);
}

static void test_malformed_declaration_rejected(void **state)
{
	struct types t = new_btf();

	(void)state;
	/* a variable with the prefix, not made by KRSI_EVENT_TYPE() */
	btf__add_var(t.btf, "__krsi_event__fake", BTF_VAR_STATIC, t.u32);
	assert_rejected(&t, -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_rendered_by_btf),
		cmocka_unit_test(test_no_btf_or_no_declarations),
		cmocka_unit_test(test_many_types),
		cmocka_unit_test(test_two_names_for_one_type_rejected),
		cmocka_unit_test(test_reserved_type_rejected),
		cmocka_unit_test(test_marker_on_wrong_field_rejected),
		cmocka_unit_test(test_marked_bitfield_rejected),
		cmocka_unit_test(test_unknown_format_rejected),
		cmocka_unit_test(test_too_many_fields_rejected),
		cmocka_unit_test(test_malformed_declaration_rejected),
	};

	return cmocka_run_group_tests_name("audit_schema", tests, NULL, NULL);
}
