// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Render an event's fields as JSON members or as text key=value pairs: the
 * header's numbers, and the payload by running its compiled steps
 * (audit_schema.c) over its bytes.
 */
#include <string.h>

#include "audit_internal.h"

/* The raw bits of the scalar at P described by OP. */
static __u64 load_bits(const unsigned char *p, const struct audit_op *op)
{
	__u64 v = 0;

	switch (op->size) {
	case 1:
		v = *p;
		break;
	case 2: {
		__u16 x;

		memcpy(&x, p, 2);
		v = x;
		break;
	}
	case 4: {
		__u32 x;

		memcpy(&x, p, 4);
		v = x;
		break;
	}
	default:
		memcpy(&v, p, op->size); /* 8 bytes, or a bitfield's */
		break;
	}
	if (op->bit_size) {
		v >>= op->bit_off;
		if (op->bit_size < 64)
			v &= (1ULL << op->bit_size) - 1;
	}
	return v;
}

static __s64 sign_extend(__u64 v, unsigned int bits)
{
	unsigned int shift = 64 - bits;

	return bits >= 64 ? (__s64)v : (__s64)(v << shift) >> shift;
}

static void fmt_scalar(struct audit_buf *b, enum audit_op_kind kind,
		       const struct audit_op *op, const unsigned char *p,
		       bool json)
{
	unsigned int bits = op->bit_size ? op->bit_size : 8 * op->size;
	__u64 v = load_bits(p, op);
	const struct audit_enum *e;
	int i;

	switch (kind) {
	case OP_SINT:
		fmt_s64(b, sign_extend(v, bits));
		return;
	case OP_BOOL:
		if (json)
			v ? buf_lit(b, "true") : buf_lit(b, "false");
		else
			v ? buf_lit(b, "yes") : buf_lit(b, "no");
		return;
	case OP_ENUM:
		e = op->enm;
		for (i = 0; i < e->nr; i++) {
			if ((__u64)e->vals[i].value == v) {
				if (json)
					buf_char(b, '"');
				buf_put(b, e->vals[i].name, e->vals[i].len);
				if (json)
					buf_char(b, '"');
				return;
			}
		}
		if (e->is_signed)
			fmt_s64(b, sign_extend(v, bits));
		else
			fmt_u64(b, v);
		return;
	default:
		fmt_u64(b, v);
		return;
	}
}

static void fmt_list(struct audit_buf *b, const struct audit_op *op,
		     const unsigned char *p, bool json)
{
	__u32 i;

	if (json)
		buf_char(b, '[');
	for (i = 0; i < op->len; i++) {
		if (i)
			buf_char(b, ',');
		fmt_scalar(b, op->elem, op, p + i * op->size, json);
	}
	if (json)
		buf_char(b, ']');
}

#define HEADER_NUMBER(jkey, tkey, field)                                      \
	{                                                                     \
		",\"" jkey "\":", " " tkey "=", sizeof(",\"" jkey "\":") - 1, \
			sizeof(" " tkey "=") - 1,                             \
			offsetof(struct krsi_event_header, field),            \
			sizeof(((struct krsi_event_header *)0)->field)        \
	}

/* The header's plain numbers, in output order, with their keys. */
static const struct {
	const char *jkey;
	const char *tkey;
	__u8 jkey_len;
	__u8 tkey_len;
	__u8 off;
	__u8 size;
} header_numbers[] = {
	HEADER_NUMBER("policy", "policy", policy_id),
	HEADER_NUMBER("errno", "errno", err),
	HEADER_NUMBER("cpu", "cpu", cpu),
	HEADER_NUMBER("pid", "pid", pid),
	HEADER_NUMBER("tid", "tid", tid),
	HEADER_NUMBER("uid", "uid", uid),
	HEADER_NUMBER("gid", "gid", gid),
	HEADER_NUMBER("euid", "euid", euid),
	HEADER_NUMBER("loginuid", "auid", loginuid),
	HEADER_NUMBER("cgroup", "cgroup", cgroup_id),
};

void audit_header_numbers(struct audit_buf *b,
			  const struct krsi_event_header *h, bool json)
{
	const char *base = (const char *)h;
	size_t i;

	for (i = 0; i < sizeof(header_numbers) / sizeof(header_numbers[0]);
	     i++) {
		__u64 v64;
		__u32 v32;

		if (json)
			buf_put(b, header_numbers[i].jkey,
				header_numbers[i].jkey_len);
		else
			buf_put(b, header_numbers[i].tkey,
				header_numbers[i].tkey_len);
		if (header_numbers[i].size == 8) {
			memcpy(&v64, base + header_numbers[i].off, 8);
			fmt_u64(b, v64);
		} else {
			memcpy(&v32, base + header_numbers[i].off, 4);
			fmt_u64(b, v32);
		}
	}
}

void audit_payload(struct audit_buf *b, const struct audit_type *type,
		   const void *payload, bool json)
{
	const unsigned char *base = payload;
	int i;

	for (i = 0; i < type->nr_ops; i++) {
		const struct audit_op *op = &type->ops[i];
		const unsigned char *p = base + op->off;

		if (json)
			buf_put(b, op->jkey, op->jkey_len);
		else
			buf_put(b, op->tkey, op->tkey_len);
		switch (op->kind) {
		case OP_STR:
			if (json)
				fmt_json_str(b, (const char *)p, op->len);
			else
				fmt_audit_str(b, (const char *)p, op->len);
			break;
		case OP_IPV4:
		case OP_IPV6:
		case OP_HEX:
			/* JSON strings; bare words in text */
			if (json)
				buf_char(b, '"');
			if (op->kind == OP_IPV4)
				fmt_ipv4(b, p);
			else if (op->kind == OP_IPV6)
				fmt_ipv6(b, p);
			else
				fmt_hex(b, p, op->len);
			if (json)
				buf_char(b, '"');
			break;
		case OP_LIST:
			fmt_list(b, op, p, json);
			break;
		case OP_OBJ_BEGIN:
		case OP_OBJ_END:
		case OP_ARR_BEGIN:
		case OP_ARR_END:
			/* nesting shows in JSON; text keys are dotted paths */
			if (json)
				buf_char(b, "{}[]"[op->kind - OP_OBJ_BEGIN]);
			break;
		default:
			fmt_scalar(b, op->kind, op, p, json);
			break;
		}
	}
}
