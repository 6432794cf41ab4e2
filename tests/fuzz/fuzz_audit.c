// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Event records given to the audit decoder and its formatters: the bytes
 * a program wrote to its ring buffer, checked against the schema of the
 * object that declared the event types (tests/kernel/progs/audit_stream,
 * one field of every kind), and rendered as JSON, text, raw bytes or
 * handed to a callback. Records may be truncated, claim sizes larger or
 * smaller than they are, carry unknown versions, types, CPUs and lost
 * counts. The first byte of an input picks the format.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <krsi/audit.h>

#include "audit_internal.h"
#include "audit_stream.skel.h"
#include "fuzz.h"

#define NR_CPUS 4

static struct krsi_audit *audits[4]; /* by enum krsi_audit_format */
static struct audit_ring ring = { .name = "events", .nr_cpus = NR_CPUS };

/* Read every byte the record points to, as an application would. */
static int touch(void *ctx, const struct krsi_audit_record *rec)
{
	const unsigned char *p = rec->payload;
	unsigned int sum = 0;
	size_t i;

	(void)ctx;
	for (i = 0; i < rec->payload_size; i++)
		sum += p[i];
	for (i = 0, p = rec->data; p && i < rec->size; i++)
		sum += p[i];
	sum += strlen(rec->ring) +
	       (rec->type_name ? strlen(rec->type_name) : 0) +
	       (rec->hook_name ? strlen(rec->hook_name) : 0) +
	       rec->header->size;
	return sum == 0xdeadbeef; /* never: the callback's answer is 0 */
}

static struct krsi_audit *consumer(enum krsi_audit_format format, int fd)
{
	KRSI_OPTS(krsi_audit_opts, o, .format = format, .sink = KRSI_AUDIT_FD,
		  .fd = fd, .callback = touch);
	struct krsi_audit *a;
	int i;

	if (format == KRSI_AUDIT_CALLBACK)
		o.sink = KRSI_AUDIT_FILE; /* ignored for callbacks */
	a = krsi_audit__new(&o);
	if (!a)
		abort();
	/* As adding a ring does: room for the largest record. */
	for (i = 0; i < ring.schema->nr_types; i++)
		if (audit_output_fit(&a->out,
				     AUDIT_HEADER_MAX +
					     ring.schema->types[i].bound))
			abort();
	return a;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct audit_stream_bpf *skel;
	int fd, f;

	(void)argc;
	(void)argv;
	fuzz_quiet();
	skel = audit_stream_bpf__open();
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ring.lost = calloc(NR_CPUS, sizeof(*ring.lost));
	if (!skel || fd < 0 || !ring.lost ||
	    audit_schema_new(bpf_object__btf(skel->obj), &ring.schema))
		abort();
	for (f = KRSI_AUDIT_JSON; f <= KRSI_AUDIT_CALLBACK; f++)
		audits[f] = consumer(f, fd);
	audit_stream_bpf__destroy(skel);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *record;

	if (size < 1)
		return 0;
	ring.audit = audits[data[0] % 4];
	memset(ring.lost, 0, NR_CPUS * sizeof(*ring.lost));
	/* Exactly the record's bytes, aligned as in a ring buffer. */
	record = malloc(size - 1 ?: 1);
	if (!record)
		abort();
	memcpy(record, data + 1, size - 1);
	audit_ring_record(&ring, record, size - 1);
	audit_output_flush(&ring.audit->out);
	free(record);
	return 0;
}
