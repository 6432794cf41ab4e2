// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * hook-sets VMLINUX: print what a kernel decides about BPF programs on each
 * LSM hook, read from the kernel binary itself, for gen-hook-flags.sh.
 *
 * kernel/bpf/bpf_lsm.c keeps its decisions in BTF id sets: bpf_lsm_hooks
 * (every hook), bpf_lsm_disabled_hooks (refused to every program, 6.1.x
 * stable updates and later), sleepable_lsm_hooks (btf_sleepable_lsm_hooks
 * in kernel/bpf/verifier.c up to 5.10), bool_lsm_hooks (int hooks that
 * answer yes or no, 6.12 and later). Each set is a local symbol
 * __BTF_ID__set__NAME in the .BTF_ids section: a u32 count, then that many
 * sorted BTF ids, filled in by resolve_btfids when the kernel was linked.
 * The ids are mapped to names through the same file's .BTF.
 *
 * Beyond the sets, the verifier refuses a program on a hook whose
 * prototype it cannot model (btf_distill_func_proto()): a return value or
 * argument that is not an integer, enum or pointer, except that kernels
 * whose struct btf_func_model has arg_flags (6.1 and later) take a struct
 * argument of up to 16 bytes; and 12 arguments or more. Per-cgroup
 * programs (BPF_LSM_CGROUP, 6.0) attach wherever a program may: the kernel
 * checks nothing more for them when loading.
 *
 * Output, one line each:
 *   build-id HEX          the GNU build ID, as /sys/kernel/notes shows it
 *   lsm-cgroup yes|no     whether enum bpf_attach_type has BPF_LSM_CGROUP
 *   struct-args yes|no    whether struct arguments of hooks are accepted
 *   set NAME COUNT        each set found, with its size
 *   hook NAME FLAGS       every hook: FLAGS has d (disabled), s (sleepable),
 *                         c (per-cgroup), b (answers yes or no), or is "-"
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#define SET_PREFIX "__BTF_ID__set__"
#define FUNC_PREFIX "bpf_lsm_"
#define MAX_ARGS 12 /* MAX_BPF_FUNC_ARGS, 5.10 to 7.3 */

enum set_kind { ALL, DISABLED, SLEEPABLE, BOOL, NR_SETS };

/* Names of each set across kernel versions. */
static const char *const set_names[NR_SETS][2] = {
	[ALL] = { "bpf_lsm_hooks" },
	[DISABLED] = { "bpf_lsm_disabled_hooks" },
	[SLEEPABLE] = { "sleepable_lsm_hooks", "btf_sleepable_lsm_hooks" },
	[BOOL] = { "bool_lsm_hooks" },
};

struct id_set {
	const char *name; /* NULL: not in this kernel */
	__u32 *ids;
	__u32 cnt;
};

static const char *path;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "hook-sets: %s: ", path);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static Elf_Scn *section(Elf *elf, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		die("%s", elf_errmsg(-1));
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, sh))
			die("%s", elf_errmsg(-1));
		if (!strcmp(elf_strptr(elf, shstrndx, sh->sh_name), name))
			return scn;
	}
	return NULL;
}

static void print_build_id(Elf *elf)
{
	Elf_Scn *scn = NULL;
	size_t off, name_off, desc_off, i;
	GElf_Shdr sh;
	GElf_Nhdr nh;
	Elf_Data *d;
	const unsigned char *desc;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		d = elf_getdata(scn, NULL);
		off = 0;
		while (d && (off = gelf_getnote(d, off, &nh, &name_off,
						&desc_off)) > 0) {
			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((char *)d->d_buf + name_off, "GNU", 4))
				continue;
			desc = (const unsigned char *)d->d_buf + desc_off;
			printf("build-id ");
			for (i = 0; i < nh.n_descsz; i++)
				printf("%02x", desc[i]);
			printf("\n");
			return;
		}
	}
	die("%s",
	    "no GNU build ID note: the kernel was linked without --build-id");
}

/* Read every set of set_names[] from the symbols and .BTF_ids. */
static void read_sets(Elf *elf, struct id_set sets[NR_SETS])
{
	GElf_Shdr sym_sh, ids_sh;
	Elf_Scn *sym_scn, *ids_scn;
	Elf_Data *syms, *ids;
	const char *name;
	GElf_Sym sym;
	size_t i, n, off;
	int k, v;

	sym_scn = section(elf, ".symtab", &sym_sh);
	ids_scn = section(elf, ".BTF_ids", &ids_sh);
	if (!sym_scn || !ids_scn)
		die("%s",
		    sym_scn ? "no .BTF_ids section"
			    : "no symbol table: use the -dbg package's vmlinux");
	syms = elf_getdata(sym_scn, NULL);
	ids = elf_getdata(ids_scn, NULL);
	if (!syms || !ids || ids->d_size != ids_sh.sh_size)
		die("%s", elf_errmsg(-1));
	n = sym_sh.sh_size / sym_sh.sh_entsize;
	for (i = 0; i < n; i++) {
		if (!gelf_getsym(syms, i, &sym))
			die("%s", elf_errmsg(-1));
		name = elf_strptr(elf, sym_sh.sh_link, sym.st_name);
		if (!name || strncmp(name, SET_PREFIX, strlen(SET_PREFIX)))
			continue;
		name += strlen(SET_PREFIX);
		for (k = 0; k < NR_SETS; k++)
			for (v = 0; v < 2; v++) {
				if (!set_names[k][v] ||
				    strcmp(name, set_names[k][v]))
					continue;
				off = sym.st_value - ids_sh.sh_addr;
				if (sym.st_value < ids_sh.sh_addr ||
				    sym.st_size < 4 ||
				    off + sym.st_size > ids->d_size)
					die("set %s lies outside .BTF_ids",
					    name);
				sets[k].name = set_names[k][v];
				sets[k].ids =
					(__u32 *)((char *)ids->d_buf + off);
				sets[k].cnt = sets[k].ids[0];
				sets[k].ids++;
				if ((sets[k].cnt + 1) * 4 != sym.st_size)
					die("set %s: its count disagrees with its size",
					    name);
			}
	}
	if (!sets[ALL].name || !sets[SLEEPABLE].name)
		die("%s",
		    "no bpf_lsm_hooks or sleepable hook set: not a kernel with BPF LSM, or one older than this script knows");
}

static bool contains(const struct id_set *s, __u32 id)
{
	__u32 i;

	for (i = 0; i < s->cnt; i++)
		if (s->ids[i] == id)
			return true;
	return false;
}

static const struct btf_type *resolve(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/* Whether btf_distill_func_proto() accepts the hook's prototype. */
static bool proto_ok(const struct btf *btf, const struct btf_type *proto,
		     bool struct_args)
{
	const struct btf_param *p = btf_params(proto);
	const struct btf_type *t;
	int i;

	if (btf_vlen(proto) >= MAX_ARGS)
		return false;
	for (i = -1; i < btf_vlen(proto); i++) {
		if (i < 0 && !proto->type)
			continue; /* void return */
		t = resolve(btf, i < 0 ? proto->type : p[i].type);
		if (!t || (i >= 0 && !p[i].type))
			return false;
		if (btf_is_ptr(t) || btf_is_int(t) || btf_is_any_enum(t))
			continue;
		if (i >= 0 && struct_args && btf_is_composite(t) &&
		    t->size <= 16)
			continue;
		return false;
	}
	return true;
}

/* Whether the struct or enum TYPE (KIND) has a member or value NAME. */
static bool has_part(const struct btf *btf, const char *type, int kind,
		     const char *name)
{
	int id = btf__find_by_name_kind(btf, type, kind);
	const struct btf_type *t;
	__u32 off;
	int i;

	if (id < 0)
		return false;
	t = btf__type_by_id(btf, id);
	for (i = 0; i < btf_vlen(t); i++) {
		off = kind == BTF_KIND_ENUM ? btf_enum(t)[i].name_off
					    : btf_members(t)[i].name_off;
		if (!strcmp(btf__name_by_offset(btf, off), name))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	struct id_set sets[NR_SETS] = {};
	bool cgroup, struct_args, disabled;
	const struct btf_type *fn;
	const char *name;
	struct btf *btf;
	char flags[8];
	int fd, k, n;
	__u32 i, id;
	Elf *elf;

	if (argc != 2) {
		fprintf(stderr, "usage: hook-sets VMLINUX\n");
		return 2;
	}
	path = argv[1];
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s", strerror(errno));
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		die("%s", elf_errmsg(-1));
	btf = btf__parse_elf(path, NULL);
	if (!btf)
		die("cannot read .BTF: %s", strerror(errno));
	print_build_id(elf);
	read_sets(elf, sets);
	cgroup = has_part(btf, "bpf_attach_type", BTF_KIND_ENUM,
			  "BPF_LSM_CGROUP");
	struct_args =
		has_part(btf, "btf_func_model", BTF_KIND_STRUCT, "arg_flags");
	printf("lsm-cgroup %s\nstruct-args %s\n", cgroup ? "yes" : "no",
	       struct_args ? "yes" : "no");
	for (k = 0; k < NR_SETS; k++)
		if (sets[k].name)
			printf("set %s %u\n", sets[k].name, sets[k].cnt);
	for (i = 0; i < sets[ALL].cnt; i++) {
		id = sets[ALL].ids[i];
		fn = btf__type_by_id(btf, id);
		name = fn ? btf__name_by_offset(btf, fn->name_off) : NULL;
		if (!id || !fn || !btf_is_func(fn) || !name ||
		    strncmp(name, FUNC_PREFIX, strlen(FUNC_PREFIX)))
			die("bpf_lsm_hooks holds something that is not a bpf_lsm_ function: %s",
			    name ? name : "(no BTF id)");
		disabled = contains(&sets[DISABLED], id) ||
			   !proto_ok(btf, btf__type_by_id(btf, fn->type),
				     struct_args);
		n = 0;
		if (disabled)
			flags[n++] = 'd';
		if (!disabled && contains(&sets[SLEEPABLE], id))
			flags[n++] = 's';
		if (!disabled && cgroup)
			flags[n++] = 'c';
		if (contains(&sets[BOOL], id))
			flags[n++] = 'b';
		if (!n)
			flags[n++] = '-';
		flags[n] = '\0';
		printf("hook %s %s\n", name + strlen(FUNC_PREFIX), flags);
	}
	btf__free(btf);
	elf_end(elf);
	close(fd);
	return 0;
}
