// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * What libkrsi knows of the LSM hooks' flags that BTF does not carry, per
 * kernel line it was verified on. The kernel keeps them in BTF id sets in
 * kernel/bpf/bpf_lsm.c (bpf_lsm_disabled_hooks, sleepable_lsm_hooks) that
 * are not exported; these columns were read from those sets in the
 * kernels named below, and tests/kernel/test_hooks.c checks every one of
 * them against trial loads on those kernels.
 *
 * To add a kernel line: add it to known_lines[], a column to every row
 * (0 when the line lacks the hook), and run the kernel tests on it.
 */
#include <stdlib.h>
#include <string.h>
#include <string.h>

#include "hooks_internal.h"

/* Per kernel line: P the hook exists, S sleepable programs may attach, D
 * the kernel refuses every BPF program on it. */
#define P 1
#define S 2
#define D 4

/*
 * Each line is known from MIN_PATCH on: stable updates backport changes
 * to these sets (6.1 gained bpf_lsm_disabled_hooks in a stable update), so
 * an older patch level is not known. Per-cgroup programs (BPF_LSM_CGROUP,
 * Linux 6.0) attach to every hook that is not disabled on both lines.
 */
static const struct known_line {
	unsigned int major, minor, min_patch;
} known_lines[] = {
	{ 6, 1, 192 }, /* Debian 6.1.192-2 (linux-image-6.1.0-56) */
	{ 6, 12, 95 }, /* Debian 6.12.95-1~bpo12+1 */
};
#define NR_LINES (sizeof(known_lines) / sizeof(known_lines[0]))

struct known_hook {
	const char *name;
	unsigned char line[NR_LINES];
};

/* clang-format off */
#define HOOK(name, ...) { #name, { __VA_ARGS__ } }
/* clang-format on */

/* Sorted by name. Columns: 6.1, 6.12. */
static const struct known_hook known_hooks[] = {
	HOOK(audit_rule_free, P, P),
	HOOK(audit_rule_init, P, P),
	HOOK(audit_rule_known, P, P),
	HOOK(audit_rule_match, P | D, P | D),
	HOOK(backing_file_alloc, 0, P),
	HOOK(backing_file_free, 0, P),
	HOOK(bdev_alloc_security, 0, P),
	HOOK(bdev_free_security, 0, P),
	HOOK(bdev_setintegrity, 0, P),
	HOOK(binder_set_context_mgr, P, P),
	HOOK(binder_transaction, P, P),
	HOOK(binder_transfer_binder, P, P),
	HOOK(binder_transfer_file, P, P),
	HOOK(bpf, P | S, P | S),
	HOOK(bpf_map, P | S, P | S),
	HOOK(bpf_map_alloc_security, P | S, 0),
	HOOK(bpf_map_create, 0, P | S),
	HOOK(bpf_map_free, 0, P | S),
	HOOK(bpf_map_free_security, P | S, 0),
	HOOK(bpf_prog, P | S, P | S),
	HOOK(bpf_prog_alloc_security, P, 0),
	HOOK(bpf_prog_free, 0, P | S),
	HOOK(bpf_prog_free_security, P, 0),
	HOOK(bpf_prog_load, 0, P | S),
	HOOK(bpf_token_capable, 0, P | S),
	HOOK(bpf_token_cmd, 0, P | S),
	HOOK(bpf_token_create, 0, P | S),
	HOOK(bpf_token_free, 0, P | S),
	HOOK(bprm_check_security, P | S, P | S),
	HOOK(bprm_committed_creds, P | S, P | S),
	HOOK(bprm_committing_creds, P | S, P | S),
	HOOK(bprm_creds_for_exec, P | S, P | S),
	HOOK(bprm_creds_from_file, P | S, P | S),
	HOOK(capable, P, P),
	HOOK(capget, P | S, P | S),
	HOOK(capset, P | S, P | S),
	HOOK(cred_alloc_blank, P, P),
	HOOK(cred_free, P, P),
	HOOK(cred_getsecid, P, P),
	HOOK(cred_prepare, P | S, P | S),
	HOOK(cred_transfer, P, P),
	HOOK(current_getsecid_subj, P | S, P | S),
	HOOK(d_instantiate, P, P),
	HOOK(dentry_create_files_as, P, P),
	HOOK(dentry_init_security, P, P),
	HOOK(file_alloc_security, P, P),
	HOOK(file_fcntl, P, P),
	HOOK(file_free_security, P, P),
	HOOK(file_ioctl, P | S, P | S),
	HOOK(file_ioctl_compat, P, P),
	HOOK(file_lock, P | S, P | S),
	HOOK(file_mprotect, P, P),
	HOOK(file_open, P | S, P | S),
	HOOK(file_permission, P, P),
	HOOK(file_post_open, 0, P | S),
	HOOK(file_receive, P | S, P | S),
	HOOK(file_release, 0, P),
	HOOK(file_send_sigiotask, P, P),
	HOOK(file_set_fowner, P, P),
	HOOK(file_truncate, 0, P),
	HOOK(fs_context_dup, P, P),
	HOOK(fs_context_parse_param, P, P),
	HOOK(fs_context_submount, P, P),
	HOOK(getprocattr, P | D, P | D),
	HOOK(getselfattr, 0, P | D),
	HOOK(ib_alloc_security, P, P),
	HOOK(ib_endport_manage_subnet, P, P),
	HOOK(ib_free_security, P, 0),
	HOOK(ib_pkey_access, P, P),
	HOOK(inet_conn_established, P | S, P),
	HOOK(inet_conn_request, P, P),
	HOOK(inet_csk_clone, P, P),
	HOOK(initramfs_populated, 0, P),
	HOOK(inode_alloc_security, P, P),
	HOOK(inode_copy_up, P, P),
	HOOK(inode_copy_up_xattr, P | D, P | D),
	HOOK(inode_create, P | S, P | S),
	HOOK(inode_follow_link, P, P),
	HOOK(inode_free_security, P | S, P | S),
	HOOK(inode_free_security_rcu, 0, P),
	HOOK(inode_get_acl, 0, P),
	HOOK(inode_getattr, P | S, P | S),
	HOOK(inode_getsecctx, P, P),
	HOOK(inode_getsecid, P, P),
	HOOK(inode_getsecurity, P | D, P | D),
	HOOK(inode_getxattr, P | S, P | S),
	HOOK(inode_init_security, P, P),
	HOOK(inode_init_security_anon, P, P),
	HOOK(inode_invalidate_secctx, P, P),
	HOOK(inode_killpriv, P, P),
	HOOK(inode_link, P, P),
	HOOK(inode_listsecurity, P | D, P | D),
	HOOK(inode_listxattr, P, P),
	HOOK(inode_mkdir, P, P),
	HOOK(inode_mknod, P | S, P | S),
	HOOK(inode_need_killpriv, P | S | D, P | S | D),
	HOOK(inode_notifysecctx, P, P),
	HOOK(inode_permission, P, P),
	HOOK(inode_post_create_tmpfile, 0, P),
	HOOK(inode_post_remove_acl, 0, P),
	HOOK(inode_post_removexattr, 0, P),
	HOOK(inode_post_set_acl, 0, P),
	HOOK(inode_post_setattr, 0, P),
	HOOK(inode_post_setxattr, P | S, P | S),
	HOOK(inode_readlink, P | S, P | S),
	HOOK(inode_remove_acl, 0, P),
	HOOK(inode_removexattr, P, P),
	HOOK(inode_rename, P | S, P | S),
	HOOK(inode_rmdir, P | S, P | S),
	HOOK(inode_set_acl, 0, P),
	HOOK(inode_setattr, P | S, P | S),
	HOOK(inode_setintegrity, 0, P),
	HOOK(inode_setsecctx, P, P),
	HOOK(inode_setsecurity, P, P),
	HOOK(inode_setxattr, P | S, P | S),
	HOOK(inode_symlink, P | S, P | S),
	HOOK(inode_unlink, P | S, P | S),
	HOOK(inode_xattr_skipcap, 0, P),
	HOOK(ipc_getsecid, P, P),
	HOOK(ipc_permission, P, P),
	HOOK(ismaclabel, P | D, P | D),
	HOOK(kernel_act_as, P, P),
	HOOK(kernel_create_files_as, P, P),
	HOOK(kernel_load_data, P, P),
	HOOK(kernel_module_request, P | S, P | S),
	HOOK(kernel_post_load_data, P, P),
	HOOK(kernel_post_read_file, P, P),
	HOOK(kernel_read_file, P | S, P | S),
	HOOK(kernfs_init_security, P | S, P | S),
	HOOK(key_alloc, P, P),
	HOOK(key_free, P | S, 0),
	HOOK(key_getsecurity, P | D, P | D),
	HOOK(key_permission, P, P),
	HOOK(key_post_create_or_update, 0, P),
	HOOK(locked_down, P, P),
	HOOK(mmap_addr, P, P),
	HOOK(mmap_backing_file, 0, P),
	HOOK(mmap_file, P | S, P | S),
	HOOK(move_mount, P, P),
	HOOK(mptcp_add_subflow, 0, P),
	HOOK(msg_msg_alloc_security, P, P),
	HOOK(msg_msg_free_security, P, P),
	HOOK(msg_queue_alloc_security, P, P),
	HOOK(msg_queue_associate, P, P),
	HOOK(msg_queue_free_security, P, P),
	HOOK(msg_queue_msgctl, P, P),
	HOOK(msg_queue_msgrcv, P, P),
	HOOK(msg_queue_msgsnd, P, P),
	HOOK(netlink_send, P | S, P | S),
	HOOK(path_chmod, P, P | S),
	HOOK(path_chown, P, P | S),
	HOOK(path_chroot, P, P),
	HOOK(path_link, P, P | S),
	HOOK(path_mkdir, P, P | S),
	HOOK(path_mknod, P, P),
	HOOK(path_notify, P | S, P | S),
	HOOK(path_post_mknod, 0, P),
	HOOK(path_rename, P, P | S),
	HOOK(path_rmdir, P, P | S),
	HOOK(path_symlink, P, P | S),
	HOOK(path_truncate, P, P | S),
	HOOK(path_unlink, P, P | S),
	HOOK(perf_event_alloc, P, P),
	HOOK(perf_event_free, P, 0),
	HOOK(perf_event_open, P, P),
	HOOK(perf_event_read, P, P),
	HOOK(perf_event_write, P, P),
	HOOK(ptrace_access_check, P, P),
	HOOK(ptrace_traceme, P, P),
	HOOK(quota_on, P, P),
	HOOK(quotactl, P, P),
	HOOK(release_secctx, P | S, P | S),
	HOOK(req_classify_flow, P, P),
	HOOK(sb_alloc_security, P | S, P | S),
	HOOK(sb_clone_mnt_opts, P, P),
	HOOK(sb_delete, P, P),
	HOOK(sb_eat_lsm_opts, P | S, P | S),
	HOOK(sb_free_mnt_opts, P, P),
	HOOK(sb_free_security, P, P),
	HOOK(sb_kern_mount, P | S, P | S),
	HOOK(sb_mnt_opts_compat, P, P),
	HOOK(sb_mount, P | S, P | S),
	HOOK(sb_pivotroot, P, P),
	HOOK(sb_remount, P | S, P | S),
	HOOK(sb_set_mnt_opts, P | S, P | S),
	HOOK(sb_show_options, P | S, P | S),
	HOOK(sb_statfs, P | S, P | S),
	HOOK(sb_umount, P | S, P | S),
	HOOK(sctp_assoc_established, P, P),
	HOOK(sctp_assoc_request, P, P),
	HOOK(sctp_bind_connect, P, P),
	HOOK(sctp_sk_clone, P, P),
	HOOK(secctx_to_secid, P, P),
	HOOK(secid_to_secctx, P, P),
	HOOK(secmark_refcount_dec, P, P),
	HOOK(secmark_refcount_inc, P, P),
	HOOK(secmark_relabel_packet, P, P),
	HOOK(sem_alloc_security, P, P),
	HOOK(sem_associate, P, P),
	HOOK(sem_free_security, P, P),
	HOOK(sem_semctl, P, P),
	HOOK(sem_semop, P, P),
	HOOK(setprocattr, P | D, P | D),
	HOOK(setselfattr, 0, P),
	HOOK(settime, P | S, P | S),
	HOOK(shm_alloc_security, P, P),
	HOOK(shm_associate, P, P),
	HOOK(shm_free_security, P, P),
	HOOK(shm_shmat, P, P),
	HOOK(shm_shmctl, P, P),
	HOOK(sk_alloc_security, P, P),
	HOOK(sk_clone_security, P, P),
	HOOK(sk_free_security, P, P),
	HOOK(sk_getsecid, P, P),
	HOOK(sock_graft, P, P),
	HOOK(socket_accept, P | S, P | S),
	HOOK(socket_bind, P | S, P | S),
	HOOK(socket_connect, P | S, P | S),
	HOOK(socket_create, P | S, P | S),
	HOOK(socket_getpeername, P | S, P | S),
	HOOK(socket_getpeersec_dgram, P | S, P | S),
	HOOK(socket_getpeersec_stream, P, P),
	HOOK(socket_getsockname, P | S, P | S),
	HOOK(socket_getsockopt, P | S, P | S),
	HOOK(socket_listen, P | S, P | S),
	HOOK(socket_post_create, P | S, P | S),
	HOOK(socket_recvmsg, P | S, P | S),
	HOOK(socket_sendmsg, P | S, P | S),
	HOOK(socket_setsockopt, P, P),
	HOOK(socket_shutdown, P | S, P | S),
	HOOK(socket_sock_rcv_skb, P, P),
	HOOK(socket_socketpair, P | S, P | S),
	HOOK(syslog, P | S, P | S),
	HOOK(task_alloc, P | S, P | S),
	HOOK(task_fix_setgid, P, P),
	HOOK(task_fix_setgroups, P, P),
	HOOK(task_fix_setuid, P, P),
	HOOK(task_free, P, P),
	HOOK(task_getioprio, P, P),
	HOOK(task_getpgid, P, P),
	HOOK(task_getscheduler, P, P),
	HOOK(task_getsecid_obj, P | S, P | S),
	HOOK(task_getsid, P, P),
	HOOK(task_kill, P, P),
	HOOK(task_movememory, P, P),
	HOOK(task_prctl, P | S, P | S),
	HOOK(task_prlimit, P, P),
	HOOK(task_setioprio, P, P),
	HOOK(task_setnice, P, P),
	HOOK(task_setpgid, P, P),
	HOOK(task_setrlimit, P, P),
	HOOK(task_setscheduler, P | S, P | S),
	HOOK(task_to_inode, P, P),
	HOOK(tun_dev_alloc_security, P, P),
	HOOK(tun_dev_attach, P, P),
	HOOK(tun_dev_attach_queue, P, P),
	HOOK(tun_dev_create, P, P),
	HOOK(tun_dev_free_security, P, 0),
	HOOK(tun_dev_open, P, P),
	HOOK(unix_may_send, P, P),
	HOOK(unix_stream_connect, P, P),
	HOOK(uring_cmd, P, P),
	HOOK(uring_override_creds, P, P),
	HOOK(uring_sqpoll, P, P),
	HOOK(userns_create, P | S, P | S),
	HOOK(vm_enough_memory, P | D, P | D),
	HOOK(xfrm_decode_session, P | D, P),
	HOOK(xfrm_policy_alloc_security, P, P),
	HOOK(xfrm_policy_clone_security, P, P),
	HOOK(xfrm_policy_delete_security, P, P),
	HOOK(xfrm_policy_free_security, P, P),
	HOOK(xfrm_policy_lookup, P, P),
	HOOK(xfrm_state_alloc, P, P),
	HOOK(xfrm_state_alloc_acquire, P, P),
	HOOK(xfrm_state_delete_security, P, P),
	HOOK(xfrm_state_free_security, P, P),
	HOOK(xfrm_state_pol_flow_match, P, P),
};

/* Hooks declared int that answer yes (1) or no (0), not 0 or -errno; 6.12
 * lists them as bool_lsm_hooks. */
static const char *const bool_hooks[] = {
	"audit_rule_known",
	"inode_xattr_skipcap",
	"xfrm_state_pol_flow_match",
};

int krsi_known_line(const struct krsi_release *rel)
{
	unsigned int i;

	for (i = 0; i < NR_LINES; i++)
		if (rel->major == known_lines[i].major &&
		    rel->minor == known_lines[i].minor &&
		    rel->patch >= known_lines[i].min_patch)
			return i;
	return -ENOENT;
}

static int cmp_known(const void *key, const void *elem)
{
	return strcmp(key, ((const struct known_hook *)elem)->name);
}

bool krsi_known_flags(int line, const char *hook,
		      enum krsi_tristate flags[KRSI_HOOK_NR_FLAGS])
{
	const struct known_hook *k;
	unsigned char f;

	k = bsearch(hook, known_hooks, sizeof(known_hooks) / sizeof(*k),
		    sizeof(*k), cmp_known);
	if (line < 0 || (size_t)line >= NR_LINES || !k || !(k->line[line] & P))
		return false;
	f = k->line[line];
	flags[KRSI_HOOK_DISABLED] = f & D ? KRSI_YES : KRSI_NO;
	flags[KRSI_HOOK_SLEEPABLE] = !(f & D) && f & S ? KRSI_YES : KRSI_NO;
	flags[KRSI_HOOK_CGROUP] = f & D ? KRSI_NO : KRSI_YES;
	return true;
}

bool krsi_known_bool_hook(const char *hook)
{
	unsigned int i;

	for (i = 0; i < sizeof(bool_hooks) / sizeof(bool_hooks[0]); i++)
		if (!strcmp(hook, bool_hooks[i]))
			return true;
	return false;
}

/*
 * Measure every flag with trial loads: a plain program tells whether the
 * hook is disabled, a sleepable one and a per-cgroup one the other flags.
 */
int krsi_hooks_measure(struct krsi_hooks *hs)
{
	static const enum krsi_trial_kind kinds[KRSI_HOOK_NR_FLAGS] = {
		[KRSI_HOOK_DISABLED] = KRSI_TRIAL_LSM,
		[KRSI_HOOK_SLEEPABLE] = KRSI_TRIAL_SLEEPABLE,
		[KRSI_HOOK_CGROUP] = KRSI_TRIAL_CGROUP,
	};
	struct krsi_hook *h;
	int f, ok;
	size_t i;

	for (i = 0; i < hs->cnt; i++) {
		h = &hs->hooks[i];
		for (f = 0; f < KRSI_HOOK_NR_FLAGS; f++) {
			ok = krsi_trial_hook(h->btf_id, kinds[f]);
			if (ok < 0) {
				pr_warn("cannot trial-load a program on hook %s: %s: trial loads need CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) and a kernel that lets LSM programs load\n",
					h->name, strerror(-ok));
				return ok;
			}
			/* A plain program loads unless the hook is disabled. */
			h->flags[f] = (f == KRSI_HOOK_DISABLED ? !ok : ok)
					      ? KRSI_YES
					      : KRSI_NO;
			h->sources[f] = KRSI_FLAG_MEASURED;
		}
	}
	return 0;
}
