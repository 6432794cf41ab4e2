// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Records as Linux audit lines, so existing audit pipelines parse them:
 *
 *	type=KRSI_FILE_OPEN msg=audit(1700000000.123:42): hook=file_open ...
 *
 * Strings are quoted, or hex-encoded when the kernel's audit would.
 */
#include "audit_internal.h"

/* ` key=` then an unsigned number. */
#define text_u64(b, key, v)              \
	do {                             \
		buf_lit(b, " " key "="); \
		fmt_u64(b, v);           \
	} while (0)

/* A name, or the number when the name is unknown. */
static void text_name(struct audit_buf *b, const char *name, __u64 v)
{
	if (name)
		buf_put(b, name, strlen(name));
	else
		fmt_u64(b, v);
}

/* `type=TYPE msg=audit(SEC.MSEC:SEQ):` */
static void text_start(struct audit_buf *b, const char *type,
		       const struct krsi_audit_record *rec)
{
	__u64 ms = rec->time_ns / 1000000;

	buf_lit(b, "type=");
	buf_put(b, type, strlen(type));
	buf_lit(b, " msg=audit(");
	fmt_u64(b, ms / 1000);
	buf_char(b, '.');
	buf_char(b, '0' + ms % 1000 / 100);
	buf_char(b, '0' + ms % 100 / 10);
	buf_char(b, '0' + ms % 10);
	buf_char(b, ':');
	fmt_u64(b, rec->seq);
	buf_lit(b, "):");
}

static void text_event(struct audit_buf *b, const struct krsi_audit_record *rec,
		       const struct audit_type *type)
{
	const struct krsi_event_header *h = rec->header;

	if (type) {
		text_start(b, type->text_type, rec);
	} else {
		char unknown[32];

		snprintf(unknown, sizeof(unknown), "KRSI_EVENT_%u", h->type);
		text_start(b, unknown, rec);
	}
	buf_lit(b, " hook=");
	text_name(b, rec->hook_name ? rec->hook_name : "?", 0);
	buf_lit(b, " verdict=");
	text_name(b, audit_verdict_name(h->verdict), h->verdict);
	buf_lit(b, " mode=");
	text_name(b, audit_mode_name(h->mode), h->mode);
	audit_header_numbers(b, h, false);
	buf_lit(b, " comm=");
	fmt_audit_str(b, h->comm, sizeof(h->comm));
	if (type) {
		audit_payload(b, type, rec->payload, false);
	} else {
		text_u64(b, "data_size", rec->payload_size);
		buf_lit(b, " data=");
		fmt_hex(b, rec->payload, audit_hex_len(rec->payload_size));
	}
}

void audit_text(struct audit_buf *b, const struct krsi_audit_record *rec,
		const struct audit_type *type)
{
	const struct audit_output_lost *out;
	const struct krsi_event_invalid *inv;

	switch (rec->kind) {
	case KRSI_AUDIT_EVENT:
		text_event(b, rec, type);
		break;
	case KRSI_AUDIT_LOST:
		text_start(b, "KRSI_LOST", rec);
		if (rec->header->cpu == AUDIT_CPU_OUTPUT) {
			out = rec->payload;
			buf_lit(b, " reason=output");
			text_u64(b, "errno", out->error);
			text_u64(b, "records", out->records);
		} else {
			buf_lit(b, " ring=");
			fmt_audit_str(b, rec->ring, AUDIT_NAME_MAX);
			text_u64(b, "cpu", rec->header->cpu);
		}
		text_u64(b, "lost",
			 ((const struct krsi_event_lost *)rec->payload)->count);
		break;
	case KRSI_AUDIT_INVALID:
		inv = rec->payload;
		text_start(b, "KRSI_INVALID", rec);
		buf_lit(b, " ring=");
		fmt_audit_str(b, rec->ring, AUDIT_NAME_MAX);
		buf_lit(b, " reason=");
		text_name(b, audit_invalid_name(inv->reason), 0);
		text_u64(b, "size", inv->size);
		text_u64(b, "version", inv->version);
		text_u64(b, "type_id", inv->type);
		break;
	}
	buf_char(b, '\n');
}
