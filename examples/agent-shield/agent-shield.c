// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * agent-shield: an agent that shields itself: no other process may signal
 * or ptrace it, or open its BPF maps, programs and links. See README.md.
 *
 * Besides what every example does (agent.h), it names itself to its
 * programs, and lists its own BPF objects in the "shielded" map.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agent.h"
#include "agent-shield.h"
#include "agent-shield.skel.h"

static const struct agent_set sets[] = {
	{ "allow-cgroup", "exempt", KRSI_SET_CGROUP, "DIR",
	  "let the tasks of cgroup DIR (an administrator's) signal and trace it" },
	{ NULL },
};

static const struct agent_spec spec = {
	.name = "agent-shield",
	.summary =
		"Shield this agent from signals, ptrace and access to its BPF objects.",
	.sets = sets,
};

/* Add the object behind FD (of KIND) to the shielded map; print its id. */
static int shield(int map_fd, enum shield_kind kind, int fd)
{
	/* The id comes first in every kind's bpf_*_info. */
	union {
		struct bpf_map_info map;
		struct bpf_prog_info prog;
		struct bpf_link_info link;
	} info;
	struct shield_key key = { .kind = kind };
	__u32 len = sizeof(info);
	__u8 one = 1;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	key.id = kind == SHIELD_MAP    ? info.map.id
		 : kind == SHIELD_PROG ? info.prog.id
				       : info.link.id;
	fprintf(stderr, " %u", key.id);
	return bpf_map_update_elem(map_fd, &key, &one, BPF_ANY) ? -errno : 0;
}

/*
 * Whether the kernel runs syscall programs, as register_agent(); if not,
 * say what stands in for it.
 */
static bool has_syscall_programs(void)
{
	enum krsi_feature feat = KRSI_FEATURE_SYSCALL_PROG;
	struct krsi_features *f = krsi_features__probe(NULL);
	enum krsi_tristate has = f ? krsi_features__has(f, feat) : KRSI_UNKNOWN;

	krsi_features__free(f);
	if (has == KRSI_NO)
		fprintf(stderr,
			"agent-shield: this kernel has no %s (first in Linux %s): the agent's process id is getpid()'s, right when the agent runs in the initial pid namespace\n",
			krsi_feature__title(feat), krsi_feature__since(feat));
	return has != KRSI_NO;
}

/*
 * Record the agent's process id (by running register_agent()) and the ids
 * of all its maps, programs and links; say which.
 */
static int shield_self(struct agent_shield_bpf *skel, struct krsi_object *obj)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int map_fd = bpf_map__fd(skel->maps.shielded);
	struct bpf_program *prog;
	struct bpf_link *link;
	struct bpf_map *map;
	int err = 0;

	/* Without syscall programs (before 5.14), getpid() stands in. */
	if (!bpf_program__autoload(skel->progs.register_agent))
		skel->bss->agent_tgid = getpid();
	else if (bpf_prog_test_run_opts(
			 bpf_program__fd(skel->progs.register_agent), &run))
		return -errno;
	fprintf(stderr,
		"agent-shield: shielding process %u:", skel->bss->agent_tgid);
	fprintf(stderr, " maps");
	bpf_object__for_each_map (map, skel->obj)
		err = err ?: shield(map_fd, SHIELD_MAP, bpf_map__fd(map));
	fprintf(stderr, ", programs");
	bpf_object__for_each_program (prog, skel->obj)
		if (bpf_program__fd(prog) >= 0)
			err = err
				      ?: shield(map_fd, SHIELD_PROG,
						bpf_program__fd(prog));
	fprintf(stderr, ", links");
	bpf_object__for_each_program (prog, skel->obj) {
		link = krsi_object__link(obj, prog);
		if (link)
			err = err
				      ?: shield(map_fd, SHIELD_LINK,
						bpf_link__fd(link));
	}
	fprintf(stderr, "\n");
	return err;
}

int main(int argc, char **argv)
{
	struct agent_shield_bpf *skel;
	struct krsi_object *obj;
	struct agent *ag;
	int err;

	ag = agent_new(&spec, argc, argv);
	if (!ag)
		return 1;
	skel = agent_shield_bpf__open();
	if (!skel) {
		err = agent_fail(ag, "opening the BPF object", -errno);
		goto out;
	}
	/* The agent's threads pass its own checks (krsi_is_self()). */
	err = krsi_get_self_id(&skel->bss->krsi_self);
	if (err) {
		agent_fail(ag, "naming the agent (is /proc mounted?)", err);
		goto out;
	}
	/* A syscall program is run, not attached. */
	bpf_program__set_autoattach(skel->progs.register_agent, false);
	if (!has_syscall_programs())
		bpf_program__set_autoload(skel->progs.register_agent, false);
	obj = krsi_object__from_bpf_object(skel->obj, NULL);
	err = obj ? agent_start(ag, obj)
		  : agent_fail(ag, "opening the BPF object", -errno);
	if (!err) {
		err = shield_self(skel, obj);
		if (err)
			agent_fail(ag, "listing the agent's BPF objects", err);
	}
	err = err ?: agent_run(ag);
out:
	agent_free(ag);
	agent_shield_bpf__destroy(skel);
	return err ? 1 : 0;
}
