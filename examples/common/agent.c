// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The loader shared by the examples: see agent.h. Everything here is
 * ordinary libkrsi use, in the order an agent needs it:
 *
 *	krsi_object__open_mem()		the object the skeleton embeds
 *	krsi_prepare_events()		events name their hooks
 *	krsi_object__load()		checked against this kernel's hooks
 *	  or krsi_policy__install()	load, attach and pin (--pin)
 *	krsi_gen__*(), krsi_set__add_*()	the rules, one generation
 *	krsi_set_policy_mode()		monitor or enforce
 *	krsi_object__attach()		refused where BPF LSM is not enforcing
 *	krsi_audit__*()			the audit stream
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <bpf/libbpf.h>

#include "agent.h"

/* The name of the ring buffer every example reports its events on. */
#define AGENT_RING "events"

/* Option values past the single characters: rule options are 256 + index. */
enum {
	OPT_MODE = 1,
	OPT_FORMAT,
	OPT_PIN,
	OPT_CONFIG,
	OPT_CGROUP,
	OPT_HELP,
	OPT_SET = 256,
};

struct rule {
	const char *option; /* the agent_set option it fills */
	char *value;
	char where[64]; /* "--protect" or "FILE:LINE", for messages */
};

struct rules {
	struct rule *v;
	size_t n, cap;
	bool has_mode; /* a config file's "mode" line */
	enum krsi_policy_mode mode;
};

struct agent {
	const struct agent_spec *spec;
	size_t nr_sets;

	/* The command line. */
	enum krsi_policy_mode mode;
	enum krsi_audit_format format;
	const char *pin;
	const char *config;
	const char *cgroup;
	struct rules cmdline; /* rules given as options */
	struct rules file; /* rules of the --config file */

	/* What agent_start() made. */
	struct bpf_object *bpf_obj;
	struct krsi_object *obj;
	struct krsi_policy *policy;
	struct krsi_map *ctl;
	struct krsi_gen *gen;
	struct krsi_map **maps; /* one per set, as spec->sets */
	struct krsi_set **sets;
	struct krsi_audit *audit;
	int sigfd;
};

int agent_fail(const struct agent *ag, const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", ag->spec->name, what, strerror(-err));
	return err;
}

static void rules_clear(struct rules *rules)
{
	size_t i;

	for (i = 0; i < rules->n; i++)
		free(rules->v[i].value);
	free(rules->v);
	memset(rules, 0, sizeof(*rules));
}

static int rules_add(struct rules *rules, const char *option, const char *value,
		     const char *where)
{
	size_t cap = rules->cap ? 2 * rules->cap : 16;
	struct rule *v = rules->v;

	if (rules->n == rules->cap) {
		v = realloc(v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		rules->v = v;
		rules->cap = cap;
	}
	v[rules->n].option = option;
	v[rules->n].value = strdup(value);
	if (!v[rules->n].value)
		return -ENOMEM;
	snprintf(v[rules->n].where, sizeof(v[rules->n].where), "%s", where);
	rules->n++;
	return 0;
}

/* --- the command line ---------------------------------------------------- */

static void usage(const struct agent *ag, FILE *out)
{
	const struct agent_set *s;

	fprintf(out, "Usage: %s [OPTION]...\n%s\n\nRules:\n", ag->spec->name,
		ag->spec->summary);
	for (s = ag->spec->sets; s->option; s++) {
		/* Sets sharing an option are listed once. */
		if (s != ag->spec->sets && !strcmp(s[-1].option, s->option))
			continue;
		fprintf(out, "  --%s %-*s %s (repeatable)\n", s->option,
			(int)(20 - strlen(s->option)), s->arg, s->help);
	}
	fprintf(out,
		"\nOptions:\n"
		"  --mode monitor|enforce  deny, or only report what would be denied\n"
		"                          (default: monitor)\n"
		"  --format json|text      the audit stream on standard output (default: json)\n"
		"  --pin NAME              install as the pinned policy NAME, replacing one of\n"
		"                          that name; it stays after exit (krsi unload NAME)\n"
		"  --config FILE           more rules, one \"OPTION VALUE\" per line, and\n"
		"                          \"mode monitor|enforce\"; read again on SIGHUP\n");
	if (ag->spec->per_cgroup)
		fprintf(out,
			"  --cgroup DIR            judge the tasks of cgroup DIR only (lsm_cgroup/)\n");
	fprintf(out,
		"  --help                  this help\n\n"
		"The audit stream goes to standard output, messages to standard error.\n"
		"SIGINT and SIGTERM stop; SIGHUP re-reads the --config file.\n");
}

static void __attribute__((noreturn))
bad_usage(const struct agent *ag, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", ag->spec->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help'.\n", ag->spec->name);
	exit(2);
}

/* The set option named NAME, or NULL. */
static const char *find_option(const struct agent *ag, const char *name)
{
	const struct agent_set *s;

	for (s = ag->spec->sets; s->option; s++)
		if (!strcmp(s->option, name))
			return s->option;
	return NULL;
}

static struct option *long_options(const struct agent *ag)
{
	static const struct option common[] = {
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "pin", required_argument, NULL, OPT_PIN },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, OPT_HELP },
	};
	size_t n = sizeof(common) / sizeof(common[0]), i;
	struct option *opts = calloc(n + 1 + ag->nr_sets + 1, sizeof(*opts));

	if (!opts)
		return NULL;
	memcpy(opts, common, sizeof(common));
	if (ag->spec->per_cgroup)
		opts[n++] = (struct option){ "cgroup", required_argument, NULL,
					     OPT_CGROUP };
	for (i = 0; i < ag->nr_sets; i++)
		opts[n++] = (struct option){ ag->spec->sets[i].option,
					     required_argument, NULL,
					     OPT_SET + (int)i };
	return opts;
}

struct agent *agent_new(const struct agent_spec *spec, int argc, char **argv)
{
	struct agent *ag = calloc(1, sizeof(*ag));
	struct option *opts;
	char where[64];
	sigset_t mask;
	int c;

	if (!ag)
		return NULL;
	ag->spec = spec;
	ag->sigfd = -1;
	while (spec->sets[ag->nr_sets].option)
		ag->nr_sets++;
	opts = long_options(ag);
	if (!opts)
		goto nomem;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_MODE:
			if (krsi_parse_policy_mode(optarg, &ag->mode))
				bad_usage(ag, "--mode %s: monitor or enforce",
					  optarg);
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				ag->format = KRSI_AUDIT_JSON;
			else if (!strcmp(optarg, "text"))
				ag->format = KRSI_AUDIT_TEXT;
			else
				bad_usage(ag, "--format %s: json or text",
					  optarg);
			break;
		case OPT_PIN:
			ag->pin = optarg;
			break;
		case OPT_CONFIG:
			ag->config = optarg;
			break;
		case OPT_CGROUP:
			ag->cgroup = optarg;
			break;
		case OPT_HELP:
			usage(ag, stdout);
			exit(0);
		case '?':
			bad_usage(ag, "%s", "invalid option");
		default:
			snprintf(where, sizeof(where), "--%s",
				 spec->sets[c - OPT_SET].option);
			if (rules_add(&ag->cmdline,
				      spec->sets[c - OPT_SET].option, optarg,
				      where))
				goto nomem;
		}
	}
	free(opts);
	if (optind < argc)
		bad_usage(ag, "unexpected argument '%s'", argv[optind]);

	/* agent_run() takes these from a signalfd: none may be lost before. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	ag->sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (ag->sigfd < 0) {
		agent_fail(ag, "signalfd", -errno);
		exit(1);
	}
	return ag;
nomem:
	free(opts);
	agent_free(ag);
	return NULL;
}

/* --- the config file ----------------------------------------------------- */

/* Read --config into RULES: "OPTION VALUE" lines, "mode MODE", # comments. */
static int read_config(const struct agent *ag, struct rules *rules)
{
	char line[4096], where[64];
	char *key, *value, *end;
	unsigned int nr = 0;
	FILE *f;
	int err = 0;

	f = fopen(ag->config, "re");
	if (!f) {
		err = -errno;
		fprintf(stderr, "%s: cannot read %s: %s\n", ag->spec->name,
			ag->config, strerror(errno));
		return err;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		nr++;
		snprintf(where, sizeof(where), "%s:%u", ag->config, nr);
		for (key = line; isspace((unsigned char)*key); key++)
			;
		if (!*key || *key == '#')
			continue;
		for (value = key; *value && !isspace((unsigned char)*value);
		     value++)
			;
		if (*value)
			*value++ = '\0';
		while (isspace((unsigned char)*value))
			value++;
		for (end = value + strlen(value);
		     end > value && isspace((unsigned char)end[-1]); end--)
			;
		*end = '\0';
		if (!*value) {
			fprintf(stderr, "%s: %s: '%s' needs a value\n",
				ag->spec->name, where, key);
			err = -EINVAL;
		} else if (!strcmp(key, "mode")) {
			rules->has_mode = true;
			if (krsi_parse_policy_mode(value, &rules->mode)) {
				fprintf(stderr,
					"%s: %s: mode %s: monitor or enforce\n",
					ag->spec->name, where, value);
				err = -EINVAL;
			}
		} else if (find_option(ag, key)) {
			err = rules_add(rules, find_option(ag, key), value,
					where);
		} else {
			fprintf(stderr, "%s: %s: unknown option '%s'\n",
				ag->spec->name, where, key);
			err = -EINVAL;
		}
	}
	fclose(f);
	return err;
}

/* --- filling the sets ---------------------------------------------------- */

static int parse_sha256(const char *hex, __u8 digest[KRSI_SHA256_SIZE])
{
	unsigned int i, byte;

	if (strlen(hex) != 2 * KRSI_SHA256_SIZE)
		return -EINVAL;
	for (i = 0; i < KRSI_SHA256_SIZE; i++) {
		if (!isxdigit((unsigned char)hex[2 * i]) ||
		    !isxdigit((unsigned char)hex[2 * i + 1]) ||
		    sscanf(hex + 2 * i, "%2x", &byte) != 1)
			return -EINVAL;
		digest[i] = byte;
	}
	return 0;
}

/* Add VALUE to SET, of the type TYPE. -EAGAIN: not of this set's family. */
static int add_value(struct krsi_set *set, enum krsi_set_type type,
		     const char *value, const struct krsi_rule *rule)
{
	__u8 digest[KRSI_SHA256_SIZE];
	char canonical[PATH_MAX];
	unsigned long id;
	__u64 cgroup;
	char *end;
	int err;

	switch (type) {
	case KRSI_SET_PATH:
		/* The kernel reports canonical paths: /lib is /usr/lib here. */
		if (realpath(value, canonical))
			value = canonical;
		return krsi_set__add_path(set, value, KRSI_PATH_SUBTREE, rule);
	case KRSI_SET_FILE:
		return krsi_set__add_file(set, value, rule);
	case KRSI_SET_HASH:
		if (parse_sha256(value, digest))
			return -EINVAL;
		return krsi_set__add_hash(set, digest, sizeof(digest), rule);
	case KRSI_SET_CGROUP:
		err = krsi_get_cgroup_id(value, &cgroup);
		return err ?: krsi_set__add_cgroup(set, cgroup, rule);
	case KRSI_SET_ID:
		errno = 0;
		id = strtoul(value, &end, 10);
		if (errno || *end || end == value || id > UINT32_MAX)
			return -EINVAL;
		return krsi_set__add_id(set, id, rule);
	case KRSI_SET_IPV4:
	case KRSI_SET_IPV6:
		if (!strchr(value, ':') != (type == KRSI_SET_IPV4))
			return -EAGAIN;
		return krsi_set__add_cidr(set, value, rule);
	}
	return -EINVAL;
}

static int add_rule(struct agent *ag, const struct rule *r, __u32 id)
{
	struct krsi_rule rule = { .id = id };
	int err = -EINVAL;
	size_t i;

	for (i = 0; i < ag->nr_sets; i++) {
		if (strcmp(ag->spec->sets[i].option, r->option))
			continue;
		err = add_value(ag->sets[i], ag->spec->sets[i].type, r->value,
				&rule);
		if (err != -EAGAIN)
			break;
	}
	if (err)
		fprintf(stderr, "%s: %s %s (rule %u): %s\n", ag->spec->name,
			r->where, r->value, id,
			err == -EAGAIN ? "not a network" : strerror(-err));
	return err;
}

/* Build a generation of every rule and publish it, whole, or nothing. */
static int publish(struct agent *ag, const struct rules *file)
{
	const struct rules *all[] = { &ag->cmdline, file };
	__u32 id = 0;
	size_t i, j;
	int err;

	err = krsi_gen__begin(ag->gen);
	if (err)
		return agent_fail(ag, "starting a policy generation", err);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < all[i]->n; j++) {
			err = add_rule(ag, &all[i]->v[j], ++id);
			if (err) {
				krsi_gen__abort(ag->gen);
				return err;
			}
		}
	}
	err = krsi_gen__commit(ag->gen);
	if (err)
		return agent_fail(ag, "publishing the policy generation", err);
	err = krsi_set_policy_mode(ag->ctl,
				   file->has_mode ? file->mode : ag->mode);
	if (err)
		return agent_fail(ag, "setting the mode", err);
	return 0;
}

static int open_sets(struct agent *ag)
{
	const struct agent_set *s;
	size_t i;

	ag->ctl = krsi_map__find(ag->bpf_obj, KRSI_POLICY_CTL_NAME);
	if (!ag->ctl)
		return agent_fail(ag, "finding the policy's control map",
				  -errno);
	ag->gen = krsi_gen__new(ag->ctl, NULL);
	ag->maps = calloc(ag->nr_sets, sizeof(*ag->maps));
	ag->sets = calloc(ag->nr_sets, sizeof(*ag->sets));
	if (!ag->gen || !ag->maps || !ag->sets)
		return agent_fail(ag, "setting up the policy's generations",
				  -errno);
	for (i = 0; i < ag->nr_sets; i++) {
		s = &ag->spec->sets[i];
		ag->maps[i] = krsi_map__find(ag->bpf_obj, s->map);
		ag->sets[i] = ag->maps[i]
				      ? krsi_gen__add_set(ag->gen, ag->maps[i],
							  s->type)
				      : NULL;
		if (!ag->sets[i]) {
			fprintf(stderr, "%s: set '%s': %s\n", ag->spec->name,
				s->map, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

/* --- loading and attaching ----------------------------------------------- */

/* The hook of an LSM program, after "lsm/", "lsm.s/" or "lsm_cgroup/". */
static const char *lsm_hook(const struct bpf_program *prog, bool *per_cgroup)
{
	const char *sec = bpf_program__section_name(prog);
	const char *slash = strchr(sec, '/');

	*per_cgroup = !strncmp(sec, "lsm_cgroup/", 11);
	if (!slash || strncmp(sec, "lsm", 3))
		return NULL;
	return slash + 1;
}

/*
 * --cgroup on a kernel without lsm_cgroup/ programs (before 6.0): the
 * lsm/ programs judge the cgroup's tasks (agent_in_scope() in
 * agent.bpf.h). Returns 1 when that is how this kernel judges it, 0 when
 * it has lsm_cgroup/ programs, or a negative errno (said).
 */
static int cgroup_in_lsm(struct agent *ag)
{
	enum krsi_feature feat = KRSI_FEATURE_LSM_CGROUP;
	struct krsi_features *f;
	enum krsi_tristate has;
	__u64 id;
	int err;

	f = krsi_features__probe(NULL);
	has = f ? krsi_features__has(f, feat) : KRSI_UNKNOWN;
	krsi_features__free(f);
	if (has != KRSI_NO)
		return 0;
	err = krsi_get_cgroup_id(ag->cgroup, &id);
	err = err
		      ?: krsi_object__set_rodata(ag->obj, "agent_cgroup_id",
						 &id, sizeof(id));
	if (err)
		return agent_fail(ag, "naming the --cgroup", err);
	fprintf(stderr,
		"%s: this kernel has no %s (first in Linux %s): the lsm/ programs judge the tasks of %s instead\n",
		ag->spec->name, krsi_feature__title(feat),
		krsi_feature__since(feat), ag->cgroup);
	return 1;
}

/*
 * With --cgroup, load the lsm_cgroup/ programs and not the lsm/ programs
 * on the same hooks; without, or when the lsm/ programs judge the cgroup
 * (CGROUP_IN_LSM), the reverse.
 */
static void choose_programs(struct agent *ag, bool cgroup_in_lsm)
{
	struct bpf_program *prog, *other;
	const char *hook, *other_hook;
	bool cg, other_cg;

	bpf_object__for_each_program (prog, ag->bpf_obj) {
		hook = lsm_hook(prog, &cg);
		if (!hook || (cg && ag->cgroup && !cgroup_in_lsm))
			continue;
		if (cg) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		bpf_object__for_each_program (other, ag->bpf_obj) {
			other_hook = lsm_hook(other, &other_cg);
			if (ag->cgroup && !cgroup_in_lsm && other_cg &&
			    !strcmp(hook, other_hook))
				bpf_program__set_autoload(prog, false);
		}
	}
}

int agent_start(struct agent *ag, struct krsi_object *obj)
{
	KRSI_OPTS(krsi_attach_opts, attach, .cgroup_path = ag->cgroup);
	KRSI_OPTS(krsi_policy_opts, install, .attach_opts = &attach,
		  .replace = true);
	KRSI_OPTS(krsi_audit_opts, audit, .format = ag->format);
	int err;

	ag->obj = obj;
	ag->bpf_obj = krsi_object__bpf_object(obj);
	if (ag->config) {
		err = read_config(ag, &ag->file);
		if (err)
			return err;
	}
	err = ag->cgroup ? cgroup_in_lsm(ag) : 0;
	if (err < 0)
		return err;
	choose_programs(ag, err);
	err = krsi_prepare_events(ag->bpf_obj);
	if (err)
		return agent_fail(ag, "preparing the audit events", err);

	/*
	 * An installed policy is attached before its rules are published:
	 * replacing one, the new programs find the old version's rules and
	 * mode in the maps they keep until the new ones are published; a new
	 * policy starts in monitor mode. Otherwise the rules and mode are in
	 * place before anything is attached.
	 */
	if (ag->pin) {
		ag->policy = krsi_policy__install(ag->obj, ag->pin, &install);
		if (!ag->policy)
			return agent_fail(ag, "installing the policy", -errno);
	} else {
		err = krsi_object__load(ag->obj);
		if (err)
			return agent_fail(ag, "loading the BPF programs", err);
	}
	err = open_sets(ag) ?: publish(ag, &ag->file);
	if (err)
		return err;
	if (!ag->pin) {
		err = krsi_object__attach(ag->obj, &attach);
		if (err)
			return agent_fail(ag, "attaching the BPF programs",
					  err);
	}

	ag->audit = krsi_audit__new(&audit);
	if (!ag->audit)
		return agent_fail(ag, "creating the audit consumer", -errno);
	err = krsi_audit__add_ring(ag->audit, ag->bpf_obj, AGENT_RING, NULL);
	if (err)
		return agent_fail(ag, "reading the audit ring buffer", err);
	return 0;
}

/* --- running ------------------------------------------------------------- */

/* Say how the policy stands: "mode enforce, generation 2, 3 rules". */
static void report(const struct agent *ag, const char *what)
{
	enum krsi_policy_mode mode = KRSI_MODE_ENFORCE;

	krsi_get_policy_mode(ag->ctl, &mode);
	fprintf(stderr, "%s: %s: mode %s, generation %llu, %zu rules%s%s\n",
		ag->spec->name, what, krsi_policy_mode_str(mode),
		(unsigned long long)krsi_gen__generation(ag->gen),
		ag->cmdline.n + ag->file.n, ag->cgroup ? ", cgroup " : "",
		ag->cgroup ? ag->cgroup : "");
}

static void reload(struct agent *ag)
{
	struct rules file = { 0 };
	int err;

	err = ag->config ? read_config(ag, &file) : 0;
	err = err ?: publish(ag, &file);
	if (err) {
		fprintf(stderr,
			"%s: reloading %s failed; the policy is as it was\n",
			ag->spec->name, ag->config ? ag->config : "the rules");
		rules_clear(&file);
		return;
	}
	rules_clear(&ag->file);
	ag->file = file;
	report(ag, ag->config ? "reloaded" : "reloaded (no --config)");
}

int agent_run(struct agent *ag)
{
	KRSI_OPTS(krsi_audit_run_opts, run, .stop_fd = ag->sigfd);
	KRSI_OPTS(krsi_audit_stats, stats);
	struct signalfd_siginfo si;
	int err;

	report(ag, ag->pin ? "running, installed" : "running");
	for (;;) {
		err = krsi_audit__run(ag->audit, &run);
		if (err)
			return agent_fail(ag, "reading the audit stream", err);
		if (read(ag->sigfd, &si, sizeof(si)) != sizeof(si))
			return agent_fail(ag, "reading a signal", -errno);
		if (si.ssi_signo != SIGHUP)
			break;
		reload(ag);
	}
	krsi_audit__stats(ag->audit, &stats);
	fprintf(stderr, "%s: stopped: %llu events, %llu dropped\n",
		ag->spec->name, (unsigned long long)stats.delivered,
		(unsigned long long)stats.dropped);
	if (ag->policy)
		fprintf(stderr,
			"%s: the policy stays installed in %s; 'krsi unload %s' removes it\n",
			ag->spec->name, krsi_policy__path(ag->policy), ag->pin);
	return 0;
}

int agent_main(const struct agent_spec *spec, int argc, char **argv)
{
	struct krsi_object *obj;
	struct agent *ag;
	const void *elf;
	size_t size;
	int err;

	ag = agent_new(spec, argc, argv);
	if (!ag) {
		fprintf(stderr, "%s: out of memory\n", spec->name);
		return 1;
	}
	KRSI_OPTS(krsi_object_open_opts, open_opts, .object_name = spec->name);
	elf = spec->elf_bytes(&size);
	obj = krsi_object__open_mem(elf, size, &open_opts);
	err = obj ? agent_start(ag, obj)
		  : agent_fail(ag, "opening the BPF object", -errno);
	err = err ?: agent_run(ag);
	agent_free(ag);
	return err ? 1 : 0;
}

void agent_free(struct agent *ag)
{
	size_t i;

	if (!ag)
		return;
	krsi_audit__free(ag->audit);
	krsi_gen__free(ag->gen);
	for (i = 0; ag->maps && i < ag->nr_sets; i++)
		krsi_map__free(ag->maps[i]);
	free(ag->maps);
	free(ag->sets);
	krsi_map__free(ag->ctl);
	krsi_policy__destroy(ag->policy);
	krsi_object__destroy(ag->obj);
	rules_clear(&ag->cmdline);
	rules_clear(&ag->file);
	if (ag->sigfd >= 0)
		close(ag->sigfd);
	free(ag);
}
