/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What bpf_file.bpf.c records about a file; shared with test_bpf_file.c. */
#ifndef BPF_FILE_H
#define BPF_FILE_H

#include <krsi/inode_key.h>

#define RESULT_PATH_LEN 512

/* One path, as one method resolved it. */
struct path_result {
	__s64 len;
	char path[RESULT_PATH_LEN];
};

/* What a hook saw of the last file the target process touched. */
struct file_result {
	__u64 calls;
	__s32 file_key_err;
	__s32 inode_key_err;
	struct krsi_inode_key file_key;
	struct krsi_inode_key inode_key;
	/* krsi_file_path(): the kfunc where the kernel has it, else the walk. */
	struct path_result path;
	/* krsi_file_d_path(), in hooks bpf_d_path() allows. */
	struct path_result d_path;
	/* krsi_path_walk() and krsi_dentry_walk(). */
	struct path_result walk;
	struct path_result dentry;
	/* krsi_path_in_dir(path.path, dir). */
	__s32 in_dir;
};

#endif /* BPF_FILE_H */
