// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Records as JSON Lines: one object per record, keys in a fixed order. */
#include "audit_internal.h"

/* `,"key":` then an unsigned number. */
#define json_u64(b, key, v)                  \
	do {                                 \
		buf_lit(b, ",\"" key "\":"); \
		fmt_u64(b, v);               \
	} while (0)

/* A name, or the number when the name is unknown. */
static void json_name(struct audit_buf *b, const char *name, __u64 v)
{
	if (!name) {
		fmt_u64(b, v);
		return;
	}
	buf_char(b, '"');
	buf_put(b, name, strlen(name));
	buf_char(b, '"');
}

/* `{"type":NAME,"seq":N,"time":T`; a NULL name is null */
static void json_start(struct audit_buf *b, const char *type,
		       const struct krsi_audit_record *rec)
{
	buf_lit(b, "{\"type\":");
	if (type)
		json_name(b, type, 0);
	else
		buf_lit(b, "null");
	json_u64(b, "seq", rec->seq);
	json_u64(b, "time", rec->time_ns);
}

static void json_event(struct audit_buf *b, const struct krsi_audit_record *rec,
		       const struct audit_type *type)
{
	const struct krsi_event_header *h = rec->header;

	json_start(b, type ? type->name : NULL, rec);
	json_u64(b, "type_id", h->type);
	buf_lit(b, ",\"hook\":");
	if (rec->hook_name)
		json_name(b, rec->hook_name, 0);
	else
		buf_lit(b, "null");
	buf_lit(b, ",\"verdict\":");
	json_name(b, audit_verdict_name(h->verdict), h->verdict);
	buf_lit(b, ",\"mode\":");
	json_name(b, audit_mode_name(h->mode), h->mode);
	audit_header_numbers(b, h, true);
	buf_lit(b, ",\"comm\":");
	fmt_json_str(b, h->comm, sizeof(h->comm));
	if (type) {
		buf_lit(b, ",\"data\":{");
		audit_payload(b, type, rec->payload, true);
		buf_char(b, '}');
	} else {
		json_u64(b, "data_size", rec->payload_size);
		buf_lit(b, ",\"data_hex\":\"");
		fmt_hex(b, rec->payload, audit_hex_len(rec->payload_size));
		buf_char(b, '"');
	}
}

void audit_json(struct audit_buf *b, const struct krsi_audit_record *rec,
		const struct audit_type *type)
{
	const struct audit_output_lost *out;
	const struct krsi_event_invalid *inv;

	switch (rec->kind) {
	case KRSI_AUDIT_EVENT:
		json_event(b, rec, type);
		break;
	case KRSI_AUDIT_LOST:
		json_start(b, "lost", rec);
		if (rec->header->cpu == AUDIT_CPU_OUTPUT) {
			out = rec->payload;
			buf_lit(b, ",\"reason\":\"output\"");
			json_u64(b, "errno", out->error);
			json_u64(b, "records", out->records);
		} else {
			buf_lit(b, ",\"ring\":");
			fmt_json_str(b, rec->ring, AUDIT_NAME_MAX);
			json_u64(b, "cpu", rec->header->cpu);
		}
		json_u64(b, "count",
			 ((const struct krsi_event_lost *)rec->payload)->count);
		break;
	case KRSI_AUDIT_INVALID:
		inv = rec->payload;
		json_start(b, "invalid", rec);
		buf_lit(b, ",\"ring\":");
		fmt_json_str(b, rec->ring, AUDIT_NAME_MAX);
		buf_lit(b, ",\"reason\":");
		json_name(b, audit_invalid_name(inv->reason), 0);
		json_u64(b, "size", inv->size);
		json_u64(b, "version", inv->version);
		json_u64(b, "type_id", inv->type);
		break;
	}
	buf_lit(b, "}\n");
}
