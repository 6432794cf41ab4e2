// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* krsi ls: every program attached to an LSM hook, and installed policies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>

#include "krsi.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: krsi ls [--json]\n"
		"\n"
		"List every program attached to an LSM hook on this system, by hook,\n"
		"whoever attached it (libkrsi, plain libbpf, another product), found by\n"
		"walking the kernel's BPF links; then the policies libkrsi installed\n"
		"under " KRSI_POLICY_PIN_ROOT
		", with their programs, hooks and maps. Needs\n"
		"root (CAP_SYS_ADMIN).\n"
		"\n"
		"Options:\n"
		"  --json      print {\"attachments\": [...], \"policies\": [...]}\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: 0 on success; 1 when the links or pins cannot be read;\n"
		"2 on a usage error.\n");
}

/* An attachment, with its strings copied out of the callback. */
struct entry {
	struct krsi_attachment att;
	char *prog, *hook, *policy;
};

struct entries {
	struct entry *v;
	size_t n;
};

static int collect(const struct krsi_attachment *att, void *ctx)
{
	struct entries *e = ctx;
	struct entry *v = realloc(e->v, (e->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	e->v = v;
	v = &e->v[e->n++];
	v->att = *att;
	v->att.prog_name = v->prog =
		att->prog_name ? strdup(att->prog_name) : NULL;
	v->att.hook = v->hook = att->hook ? strdup(att->hook) : NULL;
	v->att.policy = v->policy = att->policy ? strdup(att->policy) : NULL;
	return 0;
}

/* By hook, then by link id: the per-hook view. */
static int by_hook(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->hook ?: "~", y->hook ?: "~");

	return c
		       ?: (x->att.link_id > y->att.link_id) -
				  (x->att.link_id < y->att.link_id);
}

static const char *kind_str(enum krsi_attach_kind kind)
{
	return kind == KRSI_ATTACH_LSM		? "lsm"
	       : kind == KRSI_ATTACH_LSM_CGROUP ? "lsm_cgroup"
						: "other";
}

static void json_attachment(const struct krsi_attachment *a)
{
	printf("{\"hook\": ");
	json_string(stdout, a->hook);
	printf(", \"kind\": \"%s\", \"program\": ", kind_str(a->kind));
	json_string(stdout, a->prog_name);
	printf(", \"link_id\": %u, \"prog_id\": %u", a->link_id, a->prog_id);
	if (a->kind == KRSI_ATTACH_LSM_CGROUP)
		printf(", \"cgroup_id\": %llu",
		       (unsigned long long)a->cgroup_id);
	printf(", \"policy\": ");
	json_string(stdout, a->policy);
	printf("}");
}

static void print_attachments(const struct entries *e, bool json)
{
	const struct krsi_attachment *a;
	size_t i;

	if (!json)
		printf("%-28s %-10s %-20s %6s %6s  %s\n", "HOOK", "KIND",
		       "PROGRAM", "LINK", "PROG", "POLICY");
	for (i = 0; i < e->n; i++) {
		a = &e->v[i].att;
		if (json) {
			printf("%s\n  ", i ? "," : "");
			json_attachment(a);
			continue;
		}
		printf("%-28s %-10s %-20s %6u %6u  %s", a->hook ?: "?",
		       kind_str(a->kind), a->prog_name ?: "?", a->link_id,
		       a->prog_id, a->policy ?: "-");
		if (a->kind == KRSI_ATTACH_LSM_CGROUP)
			printf(" (cgroup %llu)",
			       (unsigned long long)a->cgroup_id);
		printf("\n");
	}
	if (!json && !e->n)
		printf("(none)\n");
}

static const char *map_type_str(__u32 type)
{
	return libbpf_bpf_map_type_str(type) ?: "?";
}

static int print_policy_json(const struct krsi_policy_info *p, void *ctx)
{
	int *n = ctx;
	size_t i;

	printf("%s\n  {\"name\": ", (*n)++ ? "," : "");
	json_string(stdout, p->name);
	printf(", \"path\": ");
	json_string(stdout, p->path);
	printf(", \"object\": ");
	json_string(stdout, p->object);
	printf(", \"libkrsi\": ");
	json_string(stdout, p->libkrsi);
	printf(", \"generation\": %llu, \"installed_ns\": %llu, \"cgroup\": ",
	       (unsigned long long)p->generation,
	       (unsigned long long)p->installed_ns);
	json_string(stdout, p->cgroup_path);
	printf(", \"interrupted\": %s, \"programs\": [",
	       p->interrupted ? "true" : "false");
	for (i = 0; i < p->prog_cnt; i++) {
		printf("%s", i ? ", " : "");
		json_attachment(p->progs[i]);
	}
	printf("], \"maps\": [");
	for (i = 0; i < p->map_cnt; i++) {
		printf("%s{\"name\": ", i ? ", " : "");
		json_string(stdout, p->maps[i]->name);
		printf(", \"id\": %u, \"type\": \"%s\", \"key_size\": %u, \"value_size\": %u, \"max_entries\": %u}",
		       p->maps[i]->id, map_type_str(p->maps[i]->type),
		       p->maps[i]->key_size, p->maps[i]->value_size,
		       p->maps[i]->max_entries);
	}
	printf("]}");
	return 0;
}

static int print_policy(const struct krsi_policy_info *p, void *ctx)
{
	time_t when = p->installed_ns / 1000000000ULL;
	const struct krsi_attachment *a;
	char stamp[64] = "?";
	int *n = ctx;
	size_t i;

	(*n)++;
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", localtime(&when));
	printf("\n%s%s: ", p->name,
	       p->interrupted ? " (INTERRUPTED install, not in place)" : "");
	/* generation 0: its metadata could not be read (said above) */
	if (p->generation)
		printf("object %s, generation %llu, installed %s by libkrsi %s\n",
		       p->object[0] ? p->object : "?",
		       (unsigned long long)p->generation, stamp,
		       p->libkrsi[0] ? p->libkrsi : "?");
	else
		printf("object, generation and installation unknown (its metadata is unreadable)\n");
	printf("  path %s%s%s\n", p->path, p->cgroup_path ? ", cgroup " : "",
	       p->cgroup_path ?: "");
	for (i = 0; i < p->prog_cnt; i++) {
		a = p->progs[i];
		printf("  program %-20s %s/%s (link %u)\n", a->prog_name,
		       kind_str(a->kind), a->hook ?: "?", a->link_id);
	}
	for (i = 0; i < p->map_cnt; i++)
		printf("  map     %-20s %s, key %u, value %u, max %u (id %u)\n",
		       p->maps[i]->name, map_type_str(p->maps[i]->type),
		       p->maps[i]->key_size, p->maps[i]->value_size,
		       p->maps[i]->max_entries, p->maps[i]->id);
	return 0;
}

static int run(int argc, char **argv)
{
	struct entries e = {};
	struct common_opts o;
	int first, err, n = 0;
	size_t i;

	err = parse_opts(&cmd_ls, "j", argc, argv, &o, &first);
	if (err)
		return err == 1 ? 0 : err;
	err = check_operands("ls", argc, argv, first, 0, 0, NULL);
	if (err)
		return err;
	err = krsi_list_attachments(collect, &e, NULL);
	if (!err) {
		if (e.n) /* qsort() takes no NULL, even for nothing */
			qsort(e.v, e.n, sizeof(*e.v), by_hook);
		if (o.json)
			printf("{\"attachments\": [");
		else
			printf("# Programs attached to LSM hooks\n");
		print_attachments(&e, o.json);
		if (o.json)
			printf("\n], \"policies\": [");
		else
			printf("\n# Policies installed under %s\n",
			       KRSI_POLICY_PIN_ROOT);
		err = krsi_list_policies(
			o.json ? print_policy_json : print_policy, &n, NULL);
		if (o.json)
			printf("\n]}\n");
		else if (!n)
			printf("(none)\n");
	}
	for (i = 0; i < e.n; i++) {
		free(e.v[i].prog);
		free(e.v[i].hook);
		free(e.v[i].policy);
	}
	free(e.v);
	if (err)
		fprintf(stderr, "krsi ls: %s\n", strerror(-err));
	return err ? 1 : 0;
}

const struct cmd cmd_ls = {
	.name = "ls",
	.summary = "list what is attached to LSM hooks, and installed policies",
	.run = run,
	.help = help,
};
