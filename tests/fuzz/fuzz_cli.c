// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The krsi tool's command lines: the dispatch in main(), each command's
 * option and operand parsing, and the library parsers they reach (kernel
 * releases, hook and type names, policy names, paths). An input is the
 * arguments after "krsi", separated by NUL bytes.
 *
 * Fuzzed commands run for real, so the harness first makes them harmless:
 * in a mount namespace of its own, /sys/fs/bpf is an empty bpffs only the
 * harness sees, and every capability is dropped, so no command line can
 * load, attach, pin or remove anything of the host's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "fuzz.h"

#define ARGS_MAX 16

int krsi_main(int argc, char **argv);

static void drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct none[2] = {};

	if (syscall(SYS_capset, &hdr, none)) {
		perror("fuzz_cli: cannot drop capabilities");
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	(void)argc;
	(void)argv;
	/* No command may wait for input. */
	if (fd < 0 || dup2(fd, 0) < 0)
		abort();
	close(fd);
	if (geteuid() == 0 &&
	    (unshare(CLONE_NEWNS) ||
	     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	     mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700"))) {
		perror("fuzz_cli: cannot hide the host's bpffs");
		abort();
	}
	drop_capabilities();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[ARGS_MAX + 2] = { "krsi" };
	const uint8_t *end = data + size, *nul;
	int argc = 1, i;

	/* Each argument in a buffer of its own size, for ASan to watch. */
	while (data < end && argc <= ARGS_MAX) {
		nul = memchr(data, '\0', end - data);
		if (!nul)
			nul = end;
		argv[argc] = strndup((const char *)data, nul - data);
		if (!argv[argc++])
			abort();
		data = nul + 1;
	}
	argv[argc] = NULL;
	krsi_main(argc, argv);
	for (i = 1; i < argc; i++)
		free(argv[i]);
	return 0;
}
