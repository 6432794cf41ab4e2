/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A small BTF file crafted for the unit tests of <krsi/btf.h> and
 * <krsi/hooks.h>: a few types and LSM hooks, each there for a reason.
 */
#ifndef BTF_FIXTURE_H
#define BTF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/btf.h>

/*
 * struct file { int f_flags; unsigned int f_mode:3; unsigned int f_x:5;
 *               union { int a; long b; }; };          (anonymous union)
 * enum colour { RED = 1, BLUE = -2 };                  (signed)
 * typedef struct file file_t;
 * union security_list_options { one member per hook below };
 * int bpf_lsm_file_open(struct file *file);
 * void bpf_lsm_task_free(struct file *task);
 * int bpf_lsm_audit_rule_known(struct file *krule);    (a yes/no hook)
 * _Bool bpf_lsm_my_bool_hook(int);                     (unnamed argument)
 * int bpf_lsm_verify_prog(int);                        (not a hook)
 */
static inline struct btf *fixture_btf(void)
{
	struct btf *b = btf__new_empty();
	int i32, u32, lng, bool_t, file, ptr, proto, u;

	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	lng = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	bool_t = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);

	u = btf__add_union(b, NULL, 8);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "b", lng, 0, 0);
	file = btf__add_struct(b, "file", 16);
	btf__add_field(b, "f_flags", i32, 0, 0);
	btf__add_field(b, "f_mode", u32, 32, 3);
	btf__add_field(b, "f_x", u32, 35, 5);
	btf__add_field(b, NULL, u, 64, 0);
	ptr = btf__add_ptr(b, file);
	btf__add_typedef(b, "file_t", file);

	btf__add_enum(b, "colour", 4);
	btf__add_enum_value(b, "RED", 1);
	btf__add_enum_value(b, "BLUE", -2);

	proto = btf__add_func_proto(b, i32);
	btf__add_func_param(b, "file", ptr);
	btf__add_func(b, "bpf_lsm_file_open", BTF_FUNC_GLOBAL, proto);
	proto = btf__add_func_proto(b, 0);
	btf__add_func_param(b, "task", ptr);
	btf__add_func(b, "bpf_lsm_task_free", BTF_FUNC_GLOBAL, proto);
	proto = btf__add_func_proto(b, i32);
	btf__add_func_param(b, "krule", ptr);
	btf__add_func(b, "bpf_lsm_audit_rule_known", BTF_FUNC_GLOBAL, proto);
	proto = btf__add_func_proto(b, bool_t);
	btf__add_func_param(b, NULL, i32);
	btf__add_func(b, "bpf_lsm_my_bool_hook", BTF_FUNC_GLOBAL, proto);
	proto = btf__add_func_proto(b, i32);
	btf__add_func_param(b, "x", i32);
	btf__add_func(b, "bpf_lsm_verify_prog", BTF_FUNC_GLOBAL, proto);

	/* The members' types do not matter to libkrsi, only their names. */
	btf__add_union(b, "security_list_options", 8);
	btf__add_field(b, "file_open", ptr, 0, 0);
	btf__add_field(b, "task_free", ptr, 0, 0);
	btf__add_field(b, "audit_rule_known", ptr, 0, 0);
	btf__add_field(b, "my_bool_hook", ptr, 0, 0);
	return b;
}

/* Write BTF's raw data to a new temporary file; its path in PATH. */
static inline void fixture_write(const struct btf *b, char path[32])
{
	__u32 size;
	const void *data = btf__raw_data(b, &size);
	FILE *f;
	int fd;

	snprintf(path, 32, "/tmp/krsi-btf.XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fwrite(data, 1, size, f);
	fclose(f);
}

#endif /* BTF_FIXTURE_H */
