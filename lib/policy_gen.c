// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Generations of a policy's data: build the unpublished slot, publish it
 * with one atomic store, empty the old slot. The reader's side of the
 * protocol, and why no reader sees a mixed or empty policy, is in
 * <krsi/policy.bpf.h>.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "map_internal.h"
#include "policy_internal.h"

#define NOT_EMPTIED (~(__u64)0)

struct krsi_gen *krsi_gen__new(struct krsi_map *ctl,
			       const struct krsi_gen_opts *opts)
{
	struct krsi_gen *gen;
	int err;

	if (!ctl) {
		pr_warn("krsi_gen__new: ctl is NULL\n");
		return krsi_err_ptr(-EINVAL);
	}
	if (!OPTS_VALID(opts, krsi_gen_opts, sz))
		return krsi_err_ptr(-EINVAL);
	err = krsi_check_ctl_map(ctl);
	if (err)
		return krsi_err_ptr(err);
	gen = calloc(1, sizeof(*gen));
	if (!gen)
		return krsi_err_ptr(-ENOMEM);
	err = krsi_map_ctl(ctl, &gen->mm, &gen->mm_len);
	if (err) {
		free(gen);
		return krsi_err_ptr(err);
	}
	gen->ctl = ctl;
	gen->emptied_at = NOT_EMPTIED;
	return gen;
}

void krsi_gen__free(struct krsi_gen *gen)
{
	size_t i;

	if (!gen)
		return;
	for (i = 0; i < gen->nr_sets; i++)
		free(gen->sets[i]);
	free(gen->sets);
	munmap(gen->mm, gen->mm_len);
	free(gen);
}

struct krsi_set *krsi_gen__add_set(struct krsi_gen *gen, struct krsi_map *map,
				   enum krsi_set_type type)
{
	const struct krsi_set_kind *kind = krsi_set_kind(type);
	struct krsi_set *set, **sets;
	const char *why = NULL;

	if (!gen || !map) {
		pr_warn("krsi_gen__add_set: %s is NULL\n", gen ? "map" : "gen");
		return krsi_err_ptr(-EINVAL);
	}
	if (!kind) {
		pr_warn("krsi_gen__add_set: %d is not a set type\n", (int)type);
		return krsi_err_ptr(-EINVAL);
	}
	if (gen->building) {
		pr_warn("map '%s': cannot add a set while a generation is being built: commit or abort it first\n",
			map->name);
		return krsi_err_ptr(-EBUSY);
	}
	if (map->type != kind->map_type)
		why = kind->map_type == BPF_MAP_TYPE_LPM_TRIE
			      ? "it is not an LPM trie"
			      : "it is not a hash map";
	else if (map->key_size != kind->key_size)
		why = "its key size differs";
	else if (map->value_size != sizeof(struct krsi_rule))
		why = "its values are not a struct krsi_rule";
	if (why) {
		pr_warn("map '%s' cannot hold a %s set: %s; define it with %s()\n",
			map->name, kind->name, why, kind->macro);
		return krsi_err_ptr(-EINVAL);
	}
	set = calloc(1, sizeof(*set));
	sets = realloc(gen->sets, (gen->nr_sets + 1) * sizeof(*sets));
	if (!set || !sets) {
		free(set);
		if (sets)
			gen->sets = sets;
		return krsi_err_ptr(-ENOMEM);
	}
	set->gen = gen;
	set->map = map;
	set->kind = kind;
	set->type = type;
	gen->sets = sets;
	gen->sets[gen->nr_sets++] = set;
	gen->emptied_at = NOT_EMPTIED; /* its other slot is unknown */
	return set;
}

/* Keys of one slot of a set, gathered by krsi_map__for_each(). */
struct slot_keys {
	const struct krsi_set *set;
	__u32 slot;
	char *keys;
	__u32 count;
	__u32 room;
};

static int gather(const void *key, const void *value, void *ctx)
{
	struct slot_keys *sk = ctx;
	__u32 slot, size = sk->set->kind->key_size;
	char *keys;

	(void)value;
	memcpy(&slot, (const char *)key + sk->set->kind->slot_offset,
	       sizeof(slot));
	if (slot != sk->slot)
		return 0;
	if (sk->count == sk->room) {
		sk->room = sk->room ? 2 * sk->room : 64;
		keys = realloc(sk->keys, (size_t)sk->room * size);
		if (!keys)
			return -ENOMEM;
		sk->keys = keys;
	}
	memcpy(sk->keys + (size_t)sk->count * size, key, size);
	sk->count++;
	return 0;
}

/* Delete every entry of SLOT from SET, many at a time. */
static int empty_slot(const struct krsi_set *set, __u32 slot)
{
	struct slot_keys sk = { .set = set, .slot = slot };
	__u32 count;
	int err;

	err = krsi_map__for_each(set->map, gather, &sk, NULL);
	if (!err && sk.count) {
		count = sk.count;
		err = krsi_map__delete_batch(set->map, sk.keys,
					     set->kind->key_size, &count, NULL);
	}
	free(sk.keys);
	if (err)
		pr_warn("%s set '%s': cannot empty generation slot %u: %s\n",
			set->kind->name, set->map->name, slot, strerror(-err));
	return err;
}

/* Empty SLOT in every set. */
static int empty_all(struct krsi_gen *gen, __u32 slot)
{
	size_t i;
	int err;

	for (i = 0; i < gen->nr_sets; i++) {
		err = empty_slot(gen->sets[i], slot);
		if (err)
			return err;
	}
	return 0;
}

static __u64 published(const struct krsi_gen *gen)
{
	return __atomic_load_n(&gen->mm->generation, __ATOMIC_SEQ_CST);
}

int krsi_gen__begin(struct krsi_gen *gen)
{
	__u64 base;
	int err;

	if (!gen) {
		pr_warn("krsi_gen__begin: gen is NULL\n");
		return krsi_err(-EINVAL);
	}
	if (gen->building) {
		pr_warn("control map '%s': a generation is already being built: commit or abort it first\n",
			gen->ctl->name);
		return krsi_err(-EBUSY);
	}
	base = published(gen);
	/* Left-overs of a writer that stopped half-way must not join. */
	if (gen->emptied_at != base) {
		err = empty_all(gen, (base + 1) & 1);
		if (err)
			return krsi_err(err);
	}
	gen->base = base;
	gen->building = true;
	return 0;
}

/* The generation being built, or -EINVAL when there is none. */
static int check_building(const struct krsi_gen *gen, const char *fn)
{
	if (!gen) {
		pr_warn("%s: gen is NULL\n", fn);
		return -EINVAL;
	}
	if (gen->building)
		return 0;
	pr_warn("control map '%s': %s: no generation is being built: call krsi_gen__begin() first\n",
		gen->ctl->name, fn);
	return -EINVAL;
}

int krsi_gen__commit(struct krsi_gen *gen)
{
	__u64 expected, next;
	int err;

	err = check_building(gen, "krsi_gen__commit");
	if (err)
		return krsi_err(err);
	gen->building = false;
	expected = gen->base;
	next = expected + 1;
	if (!__atomic_compare_exchange_n(&gen->mm->generation, &expected, next,
					 false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		pr_warn("control map '%s': another process published generation %llu while this one built generation %llu in the same slot: not publishing; the policy's data may mix both writers' entries, and a policy must have a single writer\n",
			gen->ctl->name, (unsigned long long)expected,
			(unsigned long long)next);
		gen->emptied_at = NOT_EMPTIED;
		return krsi_err(-EBUSY);
	}
	/* Programs now read slot next & 1; nobody reads the old one once
	 * they have checked the generation again. */
	err = empty_all(gen, gen->base & 1);
	if (err) {
		pr_warn("control map '%s': generation %llu is published, but its predecessor's entries remain; the next krsi_gen__begin() removes them\n",
			gen->ctl->name, (unsigned long long)next);
		gen->emptied_at = NOT_EMPTIED;
		return 0;
	}
	gen->emptied_at = next;
	return 0;
}

int krsi_gen__abort(struct krsi_gen *gen)
{
	int err;

	err = check_building(gen, "krsi_gen__abort");
	if (err)
		return krsi_err(err);
	gen->building = false;
	gen->emptied_at = NOT_EMPTIED;
	err = empty_all(gen, (gen->base + 1) & 1);
	if (err)
		return krsi_err(err);
	gen->emptied_at = gen->base;
	return 0;
}

__u64 krsi_gen__generation(const struct krsi_gen *gen)
{
	if (!gen) {
		errno = EINVAL;
		return 0;
	}
	return published(gen);
}

/* For the sets: the slot being built, or -EINVAL (explained). */
int krsi_gen_building_slot(const struct krsi_gen *gen, const char *fn,
			   __u32 *slot)
{
	int err = check_building(gen, fn);

	if (!err)
		*slot = (gen->base + 1) & 1;
	return err;
}
