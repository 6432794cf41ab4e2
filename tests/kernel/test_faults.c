// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The faults an agent meets in production, on a real kernel:
 *
 * - the installing process is killed with SIGKILL before each system call
 *   that changes what is loaded, attached or pinned, installing a policy
 *   or replacing one: afterwards every attached program is pinned, a
 *   policy in place is whole and enforces (the old or the new version),
 *   and the next agent start lists what is there (an interrupted install
 *   as such), adopts the policy or removes the remains;
 * - a burst of denials from a real LSM hook overwhelms a one-page ring
 *   buffer: every event is delivered or counted lost, and every call was
 *   denied all the same;
 * - a policy map filled to capacity refuses the next entry with -E2BIG and
 *   says so, and what it holds still enforces;
 * - a process without capabilities is refused, with a message naming them;
 * - pinned policies are root's alone: a process of another user cannot
 *   read, replace or remove them, even holding CAP_BPF;
 * - booted without "bpf" in lsm= (--lsm-off), installing is refused with
 *   the probe's explanation.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "ktest.h"
#include "progs/fault_burst.h"
#include "fault_burst.skel.h"
#include "policy_deny.skel.h"

#define ROOT KRSI_POLICY_PIN_ROOT
#define NAME "faulty"
#define DIR ROOT "/" NAME
#define STAGING ROOT "/" NAME "~new"
#define REPLACED ROOT "/" NAME "~old" /* 5.10, see lib/install.c */
#define NOBODY 65534

static struct krsi_object *open_policy(__u32 version)
{
	struct krsi_object *obj = ktest_open_embedded(policy_deny);

	assert_int_equal(krsi_object__set_rodata(obj, "version", &version,
						 sizeof(version)),
			 0);
	return obj;
}

/* --- SIGKILL at every step ----------------------------------------------- */

/*
 * The system calls after which what is loaded, attached or pinned differs:
 * the child stops before each (seccomp's user notification) and the parent
 * lets it go on, or kills it there.
 */
static const __u32 bpf_cmds[] = {
	BPF_MAP_UPDATE_ELEM, BPF_MAP_FREEZE,  BPF_OBJ_PIN,
	BPF_LINK_CREATE,     BPF_LINK_UPDATE, BPF_RAW_TRACEPOINT_OPEN,
};
static const __u32 fs_calls[] = {
	__NR_mkdir,	__NR_mkdirat, __NR_rename,   __NR_renameat,
	__NR_renameat2, __NR_unlink,  __NR_unlinkat, __NR_rmdir,
};
#define NR(a) (sizeof(a) / sizeof((a)[0]))

/* A seccomp filter, built instruction by instruction. */
struct filter {
	struct sock_filter f[32];
	unsigned int n;
};

static void emit(struct filter *fl, struct sock_filter insn)
{
	fl->f[fl->n++] = insn;
}

/* Jump to instruction TO if the value loaded is one of V[0..N). */
static void jump_if_any(struct filter *fl, const __u32 *v, unsigned int n,
			unsigned int to)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		emit(fl, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      v[i], to - fl->n - 1, 0));
}

/* Stop this process before each of those calls; the listener's fd. */
static int stop_before_changes(void)
{
	unsigned int allow = 1 + NR(fs_calls) + 2 + NR(bpf_cmds);
	unsigned int notify = allow + 1;
	struct filter fl = { .n = 0 };
	struct sock_fprog prog = { .filter = fl.f };

	emit(&fl,
	     (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					  offsetof(struct seccomp_data, nr)));
	jump_if_any(&fl, fs_calls, NR(fs_calls), notify);
	emit(&fl, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					       __NR_bpf, 0, allow - fl.n - 1));
	emit(&fl,
	     (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					  offsetof(struct seccomp_data, args)));
	jump_if_any(&fl, bpf_cmds, NR(bpf_cmds), notify);
	emit(&fl,
	     (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	emit(&fl, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					       SECCOMP_RET_USER_NOTIF));
	prog.len = fl.n;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* A message of one byte with room for one descriptor. */
struct fd_msg {
	struct msghdr msg;
	struct iovec iov;
	char byte;
	char cbuf[CMSG_SPACE(sizeof(int))];
};

static struct msghdr *fd_msg(struct fd_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->iov = (struct iovec){ &m->byte, 1 };
	m->msg = (struct msghdr){ .msg_iov = &m->iov,
				  .msg_iovlen = 1,
				  .msg_control = m->cbuf,
				  .msg_controllen = sizeof(m->cbuf) };
	return &m->msg;
}

static void send_fd(int sock, int fd)
{
	struct fd_msg m;
	struct msghdr *msg = fd_msg(&m);
	struct cmsghdr *c = CMSG_FIRSTHDR(msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	if (sendmsg(sock, msg, 0) != 1)
		_exit(100);
}

static int recv_fd(int sock)
{
	struct fd_msg m;
	struct msghdr *msg = fd_msg(&m);
	int fd;

	if (recvmsg(sock, msg, 0) != 1 || !CMSG_FIRSTHDR(msg))
		fail_msg("no listener from the installing child");
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(msg)), sizeof(fd));
	return fd;
}

/* The child made no change nor exited for a minute: say where it waits. */
static void stuck(pid_t pid, int calls)
{
	char path[64], wchan[64] = "?", sys[128] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	f = fopen(path, "r");
	if (f && !fgets(wchan, sizeof(wchan), f))
		wchan[0] = '\0';
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	f = fopen(path, "r");
	if (f && !fgets(sys, sizeof(sys), f))
		sys[0] = '\0';
	if (f)
		fclose(f);
	kill(pid, SIGKILL);
	fail_msg(
		"the installing child, after %d changes, neither makes another nor exits: waiting in %s, system call %s",
		calls, wchan, sys);
}

/* In the child: install version VERSION of the policy, replacing. */
static int install_version(__u32 version)
{
	KRSI_OPTS(krsi_policy_opts, opts, .replace = true);
	struct krsi_object *obj = open_policy(version);

	return krsi_policy__install(obj, NAME, &opts) ? 0 : 1;
}

/*
 * Install (or replace with) VERSION in a child, killed before its
 * KILL_AT-th change (0: never). Returns how many changes it began.
 */
static int install_killed_at(__u32 version, int kill_at)
{
	int sv[2], lfd, status, calls = 0;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd p[2];
	int pidfd;
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		krsi_set_print(NULL);
		lfd = stop_before_changes();
		if (lfd < 0)
			_exit(101);
		send_fd(sv[1], lfd);
		close(lfd);
		_exit(install_version(version));
	}
	close(sv[1]);
	lfd = recv_fd(sv[0]);
	close(sv[0]);
	/* 6.1 reports no hang-up on the listener until the child is reaped:
	 * its exit is seen on a pidfd */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	assert_true(pidfd >= 0);
	for (;;) {
		p[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		if (poll(p, 2, 60000) <= 0)
			stuck(pid, calls);
		if (!(p[0].revents & POLLIN))
			break; /* it exited */
		memset(&req, 0, sizeof(req));
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req))
			continue; /* it died meanwhile */
		if (++calls == kill_at) {
			kill(pid, SIGKILL);
			break;
		}
		resp = (struct seccomp_notif_resp){
			.id = req.id,
			.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
		};
		ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(pidfd);
	close(lfd);
	if (!kill_at && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		fail_msg(
			"the install was not killed, yet it failed (status %#x)",
			status);
	return calls;
}

/* What the next agent start finds, as krsi_list_policies() reports it. */
struct found {
	int installed, interrupted;
	__u64 generation, replaced_generation;
};

static int note_policy(const struct krsi_policy_info *info, void *ctx)
{
	struct found *f = ctx;

	if (strcmp(info->name, NAME))
		return 0;
	if (info->interrupted) {
		f->interrupted++;
		if (!strcmp(info->path, REPLACED))
			f->replaced_generation = info->generation;
	} else {
		f->installed++;
		f->generation = info->generation;
		assert_int_equal(info->prog_cnt, 1);
	}
	return 0;
}

/* The pins a whole policy has. */
static void assert_whole(void)
{
	assert_int_equal(access(DIR "/krsi_meta", F_OK), 0);
	assert_int_equal(access(DIR "/links/deny_listed", F_OK), 0);
	assert_int_equal(access(DIR "/denied", F_OK), 0);
}

/*
 * After a kill: nothing attached unpinned; the policy in place, if any, is
 * whole and denies the prober (with the errno of its map: the maps are
 * kept across replacements); the listing says what is there. Returns the
 * generation in place (0: none).
 */
static __u64 check_after_kill(int step, bool must_protect)
{
	struct found f = {};
	int go, attached, pinned;
	pid_t prober;

	attached = ktest_attached("deny_listed");
	pinned = ktest_attached_by("deny_listed", NAME);
	if (attached != pinned)
		fail_msg(
			"killed before change %d: %d programs attached, %d pinned",
			step, attached, pinned);
	assert_int_equal(krsi_list_policies(note_policy, &f, NULL), 0);
	assert_int_equal(f.interrupted, (access(STAGING, F_OK) == 0) +
						(access(REPLACED, F_OK) == 0));
	if (!f.installed && !access(REPLACED, F_OK)) {
		/* 5.10, killed between a replacement's two renames: both
		 * versions run until the next operation finishes it */
		print_message("killed before change %d: between the two "
			      "renames of a replacement\n",
			      step);
		prober = ktest_fork_prober(&go);
		ktest_deny_pid_pinned(REPLACED, prober, EACCES);
		assert_int_equal(ktest_probe(prober, go), -EACCES);
		return f.replaced_generation;
	}
	if (!f.installed) {
		if (must_protect)
			fail_msg(
				"killed before change %d: the policy in place is gone",
				step);
		assert_int_equal(access(DIR, F_OK), -1);
		return 0;
	}
	assert_whole();
	prober = ktest_fork_prober(&go);
	ktest_deny_pid_pinned(DIR, prober, EACCES);
	assert_int_equal(ktest_probe(prober, go), -EACCES);
	return f.generation;
}

/*
 * A fresh install killed before each change: the system is clean, or the
 * policy is whole and enforces, or an interrupted install is pinned and
 * listed; the next operation on the name removes what is not whole.
 */
static void test_install_killed_at_every_step(void **state)
{
	int steps, k, whole = 0, interrupted = 0;

	(void)state;
	krsi_set_print(NULL); /* "not installed", "removing the remains" */
	steps = install_killed_at(1, 0);
	assert_int_equal(krsi_remove_policy(NAME, NULL), 0);
	assert_int_equal(ktest_attached("deny_listed"), 0);
	/* the last run, killed before nothing, completes */
	for (k = 1; k <= steps + 1; k++) {
		install_killed_at(1, k);
		whole += check_after_kill(k, false) != 0;
		interrupted += access(STAGING, F_OK) == 0;
		assert_true(krsi_remove_policy(NAME, NULL) <= 0);
		assert_int_equal(ktest_attached("deny_listed"), 0);
		assert_int_equal(access(DIR, F_OK), -1);
		assert_int_equal(access(STAGING, F_OK), -1);
	}
	print_message("install: killed before each of its %d changes: %d left "
		      "the policy whole, %d an interrupted install (pinned, "
		      "listed, then removed), the rest nothing\n",
		      steps, whole, interrupted);
	assert_true(whole > 0 && interrupted > 0);
}

/*
 * Replacing a policy whose installer has exited, killed before each
 * change: the old version or the new one is in place, whole, and denies,
 * at every step; the next agent start adopts it.
 */
static void test_replace_killed_at_every_step(void **state)
{
	struct krsi_policy *adopted;
	struct krsi_object *obj;
	int steps, k, newer = 0;
	__u64 gen, before;

	(void)state;
	install_killed_at(1, 0);
	before = check_after_kill(0, true);
	steps = install_killed_at(2, 0);
	gen = check_after_kill(0, true);
	assert_int_equal(gen, before + 1);
	for (k = 1; k <= steps + 1; k++) {
		install_killed_at(2, k);
		gen = check_after_kill(k, true);
		newer += gen > before;
		before = gen;
		/* the next agent start adopts what is in place */
		obj = open_policy(2);
		adopted = krsi_policy__adopt(obj, NAME, NULL);
		if (!adopted)
			fail_msg("killed before change %d: cannot adopt: %s", k,
				 strerror(errno));
		krsi_policy__destroy(adopted);
		krsi_object__destroy(obj);
	}
	assert_int_equal(krsi_remove_policy(NAME, NULL), 0);
	assert_int_equal(ktest_attached("deny_listed"), 0);
	print_message("replace: killed before each of its %d changes: the "
		      "policy stayed whole and denying, %d times the new "
		      "version\n",
		      steps, newer);
	assert_true(newer > 0 && newer <= steps);
}

/* --- a burst on a one-page ring ------------------------------------------ */

#define BURST_THREADS 2
#define BURST_CALLS 10000

static pthread_barrier_t start;

static void *burst(void *arg)
{
	long denied = 0;
	int i;

	(void)arg;
	pthread_barrier_wait(&start);
	for (i = 0; i < BURST_CALLS; i++)
		denied += ktest_mprotect() == -EPERM;
	return (void *)denied;
}

struct tally {
	__u64 events, lost;
};

static int tally(void *ctx, const struct krsi_audit_record *rec)
{
	struct tally *t = ctx;

	if (rec->kind == KRSI_AUDIT_EVENT && rec->header->type == BURST_TYPE &&
	    rec->header->err == EPERM)
		t->events++;
	else if (rec->kind == KRSI_AUDIT_LOST)
		t->lost +=
			((const struct krsi_event_lost *)rec->payload)->count;
	return 0;
}

static void test_burst_overwhelms_the_ring(void **state)
{
	struct krsi_audit_stats stats = { .sz = sizeof(stats) };
	KRSI_OPTS(krsi_audit_opts, o, .format = KRSI_AUDIT_CALLBACK,
		  .callback = tally);
	struct fault_burst_bpf *skel = fault_burst_bpf__open();
	pthread_t threads[BURST_THREADS];
	struct tally t = {};
	long denied = 0, n = BURST_THREADS * BURST_CALLS;
	struct krsi_audit *audit;
	void *ret;
	int i, err;

	(void)state;
	o.callback_ctx = &t;
	assert_non_null(skel);
	ktest_mprotect(); /* its page made once, before the threads */
	skel->rodata->target_tgid = getpid();
	assert_int_equal(krsi_prepare_events(skel->obj), 0);
	err = fault_burst_bpf__load(skel);
	if (err == -EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	assert_int_equal(err, 0);
	audit = krsi_audit__new(&o);
	assert_non_null(audit);
	assert_int_equal(krsi_audit__add_ring(audit, skel->obj, "burst", NULL),
			 0);
	/* The threads first: making one calls mprotect(), soon denied. */
	pthread_barrier_init(&start, NULL, BURST_THREADS + 1);
	for (i = 0; i < BURST_THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, burst, NULL),
				 0);
	assert_int_equal(fault_burst_bpf__attach(skel), 0);
	/* nobody reads while they burst */
	pthread_barrier_wait(&start);
	for (i = 0; i < BURST_THREADS; i++) {
		pthread_join(threads[i], &ret);
		denied += (long)ret;
	}
	fault_burst_bpf__detach(skel);
	pthread_barrier_destroy(&start);
	assert_true(krsi_audit__consume(audit) > 0);
	assert_int_equal(krsi_audit__stats(audit, &stats), 0);
	print_message("%ld calls in a burst: %ld denied, %llu events "
		      "delivered, %llu counted lost\n",
		      n, denied, (unsigned long long)t.events,
		      (unsigned long long)t.lost);
	assert_int_equal(denied, n); /* enforcement unchanged */
	assert_int_equal(skel->bss->calls, n);
	assert_int_equal(t.events + t.lost, n);
	assert_int_equal(stats.delivered, t.events);
	assert_int_equal(stats.dropped, t.lost);
	assert_true(t.lost > 0 && t.events > 0);
	assert_true(t.events <= BURST_RING_BYTES / 112);
	krsi_audit__free(audit);
	fault_burst_bpf__destroy(skel);
}

/* --- a full map -------------------------------------------------------- */

static void test_full_map_keeps_enforcing(void **state)
{
	struct krsi_object *obj = open_policy(1);
	struct krsi_map *map;
	__u32 keys[8], count = 8, pid, i, cap;
	int verdict = -EACCES, verdicts[8] = {}, go;
	pid_t prober;

	(void)state;
	ktest_load(obj);
	assert_int_equal(krsi_object__attach(obj, NULL), 0);
	map = krsi_map__find(krsi_object__bpf_object(obj), "denied");
	assert_non_null(map);
	cap = krsi_map__max_entries(map);
	prober = ktest_fork_prober(&go);
	pid = prober;
	assert_int_equal(krsi_map__update_elem(map, &pid, 4, &verdict,
					       sizeof(verdict), 0),
			 0);
	for (i = 1; i < cap; i++) { /* pids that do not run */
		pid = 4000000 + i;
		assert_int_equal(krsi_map__update_elem(map, &pid, 4, &verdict,
						       sizeof(verdict), 0),
				 0);
	}
	ktest_capture_start();
	pid = 4000000;
	assert_int_equal(krsi_map__update_elem(map, &pid, 4, &verdict,
					       sizeof(verdict), 0),
			 -E2BIG);
	assert_int_equal(errno, E2BIG);
	ktest_log_has("the map is full");
	for (i = 0; i < 8; i++)
		keys[i] = 5000000 + i;
	assert_int_equal(krsi_map__update_batch(map, keys, 4, verdicts,
						sizeof(int), &count, NULL),
			 -E2BIG);
	assert_int_equal(count, 0);
	/* what it holds still enforces, and may still change */
	assert_int_equal(ktest_probe(prober, go), -EACCES);
	pid = 4000001;
	assert_int_equal(krsi_map__update_elem(map, &pid, 4, &verdict,
					       sizeof(verdict), BPF_EXIST),
			 0);
	print_message("a map of %u entries, full: the next entry and a batch "
		      "of 8 refused with E2BIG; its entries still deny\n",
		      cap);
	krsi_map__free(map);
	krsi_object__destroy(obj);
}

/* --- no capabilities --------------------------------------------------- */

/* What a child without capabilities met, shared with the parent. */
struct refused {
	int load, install, list;
	int caps_status;
	char caps_fix[512];
	char log[8192];
};

static void test_refused_without_capabilities(void **state)
{
	struct refused *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KRSI_OPTS(krsi_probe_opts, po, .passive = true);
	struct krsi_probe_report *report;
	struct krsi_object *obj;
	int status;
	pid_t pid;

	(void)state;
	assert_true(r != MAP_FAILED);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		ktest_set_capabilities(0);
		ktest_capture_start();
		obj = open_policy(1);
		r->load = krsi_object__load(obj);
		krsi_object__destroy(obj);
		obj = open_policy(1);
		r->install =
			krsi_policy__install(obj, "capless", NULL) ? 0 : -errno;
		krsi_object__destroy(obj);
		r->list = krsi_list_attachments(
			ktest_count_prog, &(struct ktest_count){ .prog = "x" },
			NULL);
		report = krsi_probe_report__new(&po);
		r->caps_status = report ? (int)krsi_probe_report__status(
						  report, KRSI_PROBE_CAPS)
					: -1;
		snprintf(
			r->caps_fix, sizeof(r->caps_fix), "%s",
			report ? krsi_probe_report__fix(report, KRSI_PROBE_CAPS)
					 ?: ""
			       : "");
		krsi_probe_report__free(report);
		snprintf(r->log, sizeof(r->log), "%s", ktest_log);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("without capabilities: load %s, install %s, listing "
		      "links %s; libkrsi said:\n%s",
		      strerror(-r->load), strerror(-r->install),
		      strerror(-r->list), r->log);
	assert_int_equal(r->load, -EPERM);
	assert_int_equal(r->install, -EPERM);
	assert_int_equal(r->list, -EPERM);
	assert_non_null(strstr(r->log, "CAP_BPF"));
	assert_non_null(strstr(r->log, "CAP_SYS_ADMIN"));
	assert_int_equal(r->caps_status, KRSI_PROBE_FAILED);
	assert_non_null(strstr(r->caps_fix, "CAP_BPF"));
	assert_int_equal(access(ROOT "/capless", F_OK), -1);
	munmap(r, sizeof(*r));
}

/* --- pins are root's --------------------------------------------------- */

/* What a process of user nobody could do to the policy's pins. */
struct attempts {
	int get_map, get_link, list_dir, unlink, rename, create, replace;
};

static int neg_errno(int ret)
{
	return ret < 0 ? -errno : ret;
}

static void try_as_nobody(struct attempts *a, __u64 caps)
{
	ktest_become(NOBODY, caps);
	a->get_map = neg_errno(bpf_obj_get(DIR "/denied"));
	a->get_link = neg_errno(bpf_obj_get(DIR "/links/deny_listed"));
	a->list_dir = neg_errno(open(DIR, O_RDONLY | O_DIRECTORY));
	a->unlink = neg_errno(unlink(DIR "/denied"));
	a->rename = neg_errno(rename(DIR, ROOT "/stolen"));
	a->create = neg_errno(mkdir(ROOT "/" NAME "~new", 0777));
	a->replace =
		krsi_policy__install(open_policy(9), NAME, NULL) ? 0 : -errno;
}

static void assert_refused(const struct attempts *a, const char *who)
{
	print_message("%s: get the map %s, get the link %s, list the "
		      "policy %s, unlink a pin %s, rename the policy %s, "
		      "create a staging directory %s, install over it %s\n",
		      who, strerror(-a->get_map), strerror(-a->get_link),
		      strerror(-a->list_dir), strerror(-a->unlink),
		      strerror(-a->rename), strerror(-a->create),
		      strerror(-a->replace));
	/* bpf_obj_get() walks the path as open() does: the mode 0700
	 * directories stop it, with CAP_BPF or without (6.1 to 7.3); 5.10
	 * refuses the bpf() call to an unprivileged user before any path
	 * (EPERM). */
	if (a->get_map != -EPERM || a->get_link != -EPERM) {
		assert_int_equal(a->get_map, -EACCES);
		assert_int_equal(a->get_link, -EACCES);
	}
	assert_int_equal(a->list_dir, -EACCES);
	assert_int_equal(a->unlink, -EACCES);
	assert_int_equal(a->rename, -EACCES);
	assert_int_equal(a->create, -EACCES);
	assert_true(a->replace < 0);
}

static void test_pins_are_roots(void **state)
{
	struct attempts *a = mmap(NULL, 2 * sizeof(*a), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct krsi_policy *policy;
	struct krsi_object *obj;
	struct stat st;
	int i, status, go;
	pid_t pid, prober;

	(void)state;
	assert_true(a != MAP_FAILED);
	obj = open_policy(1);
	policy = krsi_policy__install(obj, NAME, NULL);
	if (!policy && errno == EPERM)
		ktest_unavailable("this kernel refuses to load LSM programs");
	assert_non_null(policy);
	/* created root's alone */
	assert_int_equal(stat(ROOT, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(stat(DIR, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(DIR "/denied", &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	/* nobody, then nobody holding CAP_BPF: bpffs's modes stop both */
	for (i = 0; i < 2; i++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			krsi_set_print(NULL);
			try_as_nobody(&a[i], i ? 1ULL << CAP_BPF : 0);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_refused(&a[0], "user nobody");
	assert_refused(&a[1], "user nobody with CAP_BPF");
	/* the policy is whole and enforces */
	assert_whole();
	prober = ktest_fork_prober(&go);
	ktest_deny_pid(obj, prober, EACCES);
	assert_int_equal(ktest_probe(prober, go), -EACCES);
	assert_int_equal(krsi_policy__remove(policy), 0);
	krsi_policy__destroy(policy);
	krsi_object__destroy(obj);
	munmap(a, 2 * sizeof(*a));
}

/* --- --lsm-off ---------------------------------------------------------- */

static void test_refused_with_the_probes_explanation(void **state)
{
	static const enum krsi_probe_check checks[] = { KRSI_PROBE_ACTIVE,
							KRSI_PROBE_CMDLINE };
	KRSI_OPTS(krsi_probe_opts, po, .passive = true);
	struct krsi_probe_report *report = krsi_probe_report__new(&po);
	struct krsi_object *obj = open_policy(1);
	const char *fix = NULL;
	size_t i;

	(void)state;
	if (ktest_bpf_lsm_active())
		fail_msg(
			"--lsm-off given but \"bpf\" is in /sys/kernel/security/lsm");
	assert_non_null(report);
	for (i = 0; i < NR(checks) && !fix; i++)
		fix = krsi_probe_report__fix(report, checks[i]);
	assert_non_null(fix);
	ktest_capture_start();
	assert_null(krsi_policy__install(obj, NAME, NULL));
	assert_int_equal(errno, ENODEV);
	ktest_log_has(fix);
	assert_int_equal(access(DIR, F_OK), -1);
	assert_int_equal(ktest_attached("deny_listed"), 0);
	krsi_probe_report__free(report);
	krsi_object__destroy(obj);
}

static int teardown(void **state)
{
	(void)state;
	krsi_set_print(NULL);
	krsi_remove_policy(NAME, NULL);
	return 0;
}

#define TEST(fn) cmocka_unit_test_teardown(fn, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest lsm_on[] = {
		TEST(test_install_killed_at_every_step),
		TEST(test_replace_killed_at_every_step),
		TEST(test_burst_overwhelms_the_ring),
		TEST(test_full_map_keeps_enforcing),
		TEST(test_refused_without_capabilities),
		TEST(test_pins_are_roots),
	};
	const struct CMUnitTest lsm_off[] = {
		TEST(test_refused_with_the_probes_explanation),
	};

	if (ktest_lsm_off(argc, argv))
		return cmocka_run_group_tests_name("faults (lsm-off)", lsm_off,
						   NULL,
						   ktest_wait_programs_freed);
	return cmocka_run_group_tests_name("faults", lsm_on, NULL,
					   ktest_wait_programs_freed);
}
