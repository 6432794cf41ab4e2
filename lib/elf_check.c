// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * ELF files given to libkrsi go on to libbpf, which trusts their section
 * headers: libbpf 1.1 copies a .BTF or .BTF.ext section that has no bytes
 * in the file (SHT_NOBITS) from a NULL pointer, and crashes. Those two
 * sections are checked here first, through the section headers only, so a
 * vmlinux of hundreds of megabytes is not read.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "internal.h"

/* Where the ELF bytes are: in memory, or in a file. */
struct elf_src {
	const char *mem;
	int fd;
	__u64 size;
	bool swap; /* the file's byte order is not ours */
};

static int src_read(const struct elf_src *s, __u64 off, void *buf, size_t len)
{
	if (off > s->size || len > s->size - off)
		return -EINVAL;
	if (s->mem) {
		memcpy(buf, s->mem + off, len);
		return 0;
	}
	return pread(s->fd, buf, len, off) == (ssize_t)len ? 0 : -EINVAL;
}

static __u16 u16_of(const struct elf_src *s, __u16 v)
{
	return s->swap ? __builtin_bswap16(v) : v;
}

static __u32 u32_of(const struct elf_src *s, __u32 v)
{
	return s->swap ? __builtin_bswap32(v) : v;
}

static __u64 u64_of(const struct elf_src *s, __u64 v)
{
	return s->swap ? __builtin_bswap64(v) : v;
}

/* What the check needs of a section header, in either class. */
struct section {
	__u32 name, type, link;
	__u64 offset, size;
};

static int read_section(const struct elf_src *s, bool is64, __u64 at,
			struct section *sec)
{
	Elf64_Shdr h64;
	Elf32_Shdr h32;
	int err;

	if (is64) {
		err = src_read(s, at, &h64, sizeof(h64));
		*sec = (struct section){ u32_of(s, h64.sh_name),
					 u32_of(s, h64.sh_type),
					 u32_of(s, h64.sh_link),
					 u64_of(s, h64.sh_offset),
					 u64_of(s, h64.sh_size) };
	} else {
		err = src_read(s, at, &h32, sizeof(h32));
		*sec = (struct section){ u32_of(s, h32.sh_name),
					 u32_of(s, h32.sh_type),
					 u32_of(s, h32.sh_link),
					 u32_of(s, h32.sh_offset),
					 u32_of(s, h32.sh_size) };
	}
	return err;
}

/* Whether section SEC, named in the string table STRTAB, is NAME. */
static bool named(const struct elf_src *s, const struct section *strtab,
		  const struct section *sec, const char *name)
{
	char buf[16];
	size_t len = strlen(name) + 1;

	if (sec->name >= strtab->size || len > strtab->size - sec->name ||
	    len > sizeof(buf))
		return false;
	return !src_read(s, strtab->offset + sec->name, buf, len) &&
	       memcmp(buf, name, len) == 0;
}

static int check(struct elf_src *s, const char *what)
{
	static const char *const checked[] = { ".BTF", ".BTF.ext" };
	unsigned char ident[EI_NIDENT];
	struct section sec, strtab;
	__u64 shoff, shnum, i;
	__u32 shstrndx, entsize;
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;
	bool is64;
	size_t n;

	if (src_read(s, 0, ident, sizeof(ident)) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return 0; /* not ELF: libbpf reads it as raw BTF */
	is64 = ident[EI_CLASS] == ELFCLASS64;
	s->swap = ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
					     ? ELFDATA2LSB
					     : ELFDATA2MSB);
	if (is64 ? src_read(s, 0, &e64, sizeof(e64))
		 : src_read(s, 0, &e32, sizeof(e32)))
		goto malformed;
	shoff = is64 ? u64_of(s, e64.e_shoff) : u32_of(s, e32.e_shoff);
	shnum = u16_of(s, is64 ? e64.e_shnum : e32.e_shnum);
	shstrndx = u16_of(s, is64 ? e64.e_shstrndx : e32.e_shstrndx);
	entsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	if (!shoff)
		return 0; /* no sections: libbpf finds no BTF */
	if (u16_of(s, is64 ? e64.e_shentsize : e32.e_shentsize) != entsize ||
	    read_section(s, is64, shoff, &sec))
		goto malformed;
	/* numbers too large for the header are in section 0 */
	if (!shnum)
		shnum = sec.size;
	if (shstrndx == SHN_XINDEX)
		shstrndx = sec.link;
	if (shstrndx >= shnum || shnum > (s->size - shoff) / entsize ||
	    read_section(s, is64, shoff + (__u64)shstrndx * entsize, &strtab))
		goto malformed;
	for (i = 1; i < shnum; i++) {
		if (read_section(s, is64, shoff + i * entsize, &sec))
			goto malformed;
		for (n = 0; n < sizeof(checked) / sizeof(*checked); n++) {
			if (!named(s, &strtab, &sec, checked[n]))
				continue;
			if (sec.type != SHT_NOBITS && sec.offset <= s->size &&
			    sec.size <= s->size - sec.offset)
				continue;
			pr_warn("%s: its %s section has %s: a malformed ELF file, refused\n",
				what, checked[n],
				sec.type == SHT_NOBITS
					? "no bytes in the file (SHT_NOBITS)"
					: "bytes past the end of the file");
			return -EINVAL;
		}
	}
	return 0;
malformed:
	pr_warn("%s: its ELF section headers are truncated or malformed: refused\n",
		what);
	return -EINVAL;
}

int krsi_elf_check_file(const char *path)
{
	struct elf_src s = { .fd = -1 };
	struct stat st;
	int err;

	s.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0 || fstat(s.fd, &st)) {
		err = -errno;
		if (s.fd >= 0)
			close(s.fd);
		pr_warn("cannot read %s: %s\n", path, strerror(-err));
		return err;
	}
	s.size = st.st_size;
	err = check(&s, path);
	close(s.fd);
	return err;
}

int krsi_elf_check_mem(const void *buf, size_t size)
{
	struct elf_src s = { .mem = buf, .fd = -1, .size = size };

	return check(&s, "the object in memory");
}
