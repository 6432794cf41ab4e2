// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * wx-try: ask for memory that is writable and executable, the two ways
 * injected code does, and say what the kernel answered. With wx-guard
 * enforcing, both fail with EACCES; writing and then flipping the memory
 * to read+execute (what a careful JIT does) still works.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

static int say(const char *what, int failed)
{
	printf("wx-try: %-44s %s\n", what, failed ? strerror(errno) : "ok");
	return failed;
}

int main(void)
{
	long size = sysconf(_SC_PAGESIZE);
	void *p;
	int bad = 0;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad |= say("mmap(PROT_READ|PROT_WRITE|PROT_EXEC)", p == MAP_FAILED);
	if (p != MAP_FAILED)
		munmap(p, size);

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (say("mmap(PROT_READ|PROT_WRITE)", p == MAP_FAILED))
		return 2;
	bad |= say("mprotect(PROT_READ|PROT_WRITE|PROT_EXEC)",
		   mprotect(p, size, PROT_READ | PROT_WRITE | PROT_EXEC) != 0);
	say("mprotect(PROT_READ|PROT_EXEC) after writing",
	    mprotect(p, size, PROT_READ | PROT_EXEC) != 0);
	munmap(p, size);
	return bad; /* 1 when W+X memory was refused */
}
