// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * ELF files given to libkrsi go on to libbpf, which trusts them. libbpf 1.1
 * copies a .BTF or .BTF.ext section that has no bytes in the file
 * (SHT_NOBITS) from a NULL pointer; in a BPF object it follows the type
 * ids and string offsets of the BTF and of the CO-RE records in .BTF.ext
 * without checking them; opening a FIFO blocks forever. Files are checked
 * here first: any file, through its section headers only (so a vmlinux of
 * hundreds of megabytes is not read); a BPF object, whole, before libbpf
 * opens it from the very bytes checked.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "internal.h"

/* A BPF object is read whole: far larger than any object. */
#define OBJECT_MAX (256 << 20)

/* Where the ELF bytes are: in memory, or in a file. */
struct elf_src {
	const char *mem;
	int fd;
	__u64 size;
	bool swap; /* the file's byte order is not ours */
	/* where check() found the sections .BTF and .BTF.ext (size 0: none) */
	__u64 btf_off, btf_size, ext_off, ext_size;
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
			    sec.size <= s->size - sec.offset) {
				*(n ? &s->ext_off : &s->btf_off) = sec.offset;
				*(n ? &s->ext_size : &s->btf_size) = sec.size;
				continue;
			}
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

/*
 * Open PATH for reading, refusing what is not a regular file: a FIFO would
 * block libbpf forever, a device or a directory only confuse it. The fd,
 * with *ST; or a negative errno, logged.
 */
static int open_regular(const char *path, struct stat *st)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, st)) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		pr_warn("cannot read %s: %s\n", path, strerror(-err));
		return err;
	}
	if (S_ISREG(st->st_mode))
		return fd;
	close(fd);
	err = S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
	pr_warn("cannot read %s: it is %s, not a regular file\n", path,
		S_ISDIR(st->st_mode)			       ? "a directory"
		: S_ISFIFO(st->st_mode)			       ? "a FIFO"
		: S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "a device"
							       : "a socket");
	return err;
}

int krsi_elf_check_file(const char *path)
{
	struct elf_src s = { .fd = -1 };
	struct stat st;
	int err;

	s.fd = open_regular(path, &st);
	if (s.fd < 0)
		return s.fd;
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

int krsi_elf_read(const char *path, void **buf, size_t *size)
{
	size_t cap = 0, len = 0;
	char *data = NULL, *grown;
	struct stat st;
	ssize_t n = 1;
	int fd, err = 0;

	*buf = NULL;
	fd = open_regular(path, &st);
	if (fd < 0)
		return fd;
	/* st_size is 0 for /proc files: read up to the end all the same */
	while (n > 0 && !err) {
		if (len == cap) {
			cap = cap ? 2 * cap : (size_t)st.st_size + 1;
			grown = cap <= OBJECT_MAX + 1 ? realloc(data, cap)
						      : NULL;
			if (!grown) {
				err = cap > OBJECT_MAX + 1 ? -EFBIG : -ENOMEM;
				break;
			}
			data = grown;
		}
		n = read(fd, data + len, cap - len);
		if (n < 0)
			err = -errno;
		else
			len += n;
	}
	close(fd);
	if (!err && len > OBJECT_MAX)
		err = -EFBIG;
	if (err) {
		pr_warn("cannot read %s: %s\n", path,
			err == -EFBIG ? "more than 256 MiB: not a BPF object"
				      : strerror(-err));
		free(data);
		return err;
	}
	*buf = data;
	*size = len;
	return 0;
}

/*
 * The ids and offsets of the .BTF.ext records of kind KIND (func_info,
 * line_info or CO-RE relocations), found at OFF (LEN bytes) after the
 * header, exist in BTF. Record layouts are checked by libbpf, which
 * refuses what it cannot walk: what it would refuse is left to it.
 */
enum ext_kind { EXT_FUNC, EXT_LINE, EXT_CORE };

static bool ext_records_ok(const struct btf *btf, const __u8 *ext,
			   __u64 ext_size, __u32 off, __u32 len,
			   enum ext_kind kind)
{
	/* u32 fields naming a type, and a string (~0: none), per kind */
	static const int type_at[] = { 1, -1, 1 };
	static const int str_at[][2] = { { -1, -1 }, { 1, 2 }, { 2, -1 } };
	__u32 rec_size, hdr[2], rec[4], i, j, type_cnt = btf__type_cnt(btf);
	const __u8 *p, *end;

	if (!len || off % 4 || off > ext_size || len > ext_size - off ||
	    len < sizeof(rec_size))
		return true;
	p = ext + off;
	end = p + len;
	memcpy(&rec_size, p, sizeof(rec_size));
	p += sizeof(rec_size);
	if (rec_size < (kind == EXT_FUNC ? 8 : sizeof(rec)) || rec_size % 4)
		return true;
	while ((size_t)(end - p) >= sizeof(hdr)) {
		memcpy(hdr, p, sizeof(hdr)); /* sec_name_off, num_info */
		p += sizeof(hdr);
		if (!btf__str_by_offset(btf, hdr[0]))
			return false;
		for (i = 0; i < hdr[1] && (size_t)(end - p) >= rec_size; i++) {
			memcpy(rec, p, kind == EXT_FUNC ? 8 : sizeof(rec));
			p += rec_size;
			if (type_at[kind] >= 0 &&
			    rec[type_at[kind]] >= type_cnt)
				return false;
			for (j = 0; j < 2; j++)
				if (str_at[kind][j] >= 0 &&
				    !btf__str_by_offset(btf,
							rec[str_at[kind][j]]))
					return false;
		}
		if (i < hdr[1])
			return true; /* truncated: libbpf refuses it */
	}
	return true;
}

/* Every id and offset the records of .BTF.ext hold exists in BTF. */
static int check_btf_ext(const struct btf *btf, const __u8 *ext, __u64 size,
			 const char *what)
{
	struct {
		__u16 magic;
		__u8 version, flags;
		__u32 hdr_len;
		__u32 off_len[6]; /* func_info, line_info, core_relo */
	} h = {};
	static const char *const names[] = { "function", "line",
					     "CO-RE relocation" };
	int k;

	if (size < 8)
		return 0;
	memcpy(&h, ext, size < sizeof(h) ? size : sizeof(h));
	/* another byte order or version: libbpf refuses it */
	if (h.magic != BTF_MAGIC || h.hdr_len < 8 || h.hdr_len > size)
		return 0;
	for (k = EXT_FUNC; k <= EXT_CORE; k++) {
		if (h.hdr_len < 8 + 8 * (__u32)(k + 1) ||
		    ext_records_ok(btf, ext + h.hdr_len, size - h.hdr_len,
				   h.off_len[2 * k], h.off_len[2 * k + 1], k))
			continue;
		pr_warn("%s: a %s record of its .BTF.ext section names a type or string its BTF does not have: a corrupt object, refused\n",
			what, names[k]);
		return -EINVAL;
	}
	return 0;
}

int krsi_elf_check_object(const void *buf, size_t size, const char *what)
{
	struct elf_src s = { .mem = buf, .fd = -1, .size = size };
	const unsigned char *ident = buf;
	Elf64_Ehdr e;
	struct btf *btf;
	int err;

	if (size < EI_NIDENT || memcmp(ident, ELFMAG, SELFMAG) != 0) {
		pr_warn("%s is not an ELF file: a BPF object is built by clang -target bpf\n",
			what);
		return -EINVAL;
	}
	if (ident[EI_CLASS] != ELFCLASS64 || size < sizeof(e)) {
		pr_warn("%s is a 32-bit ELF file: not a BPF object\n", what);
		return -EINVAL;
	}
	err = check(&s, what);
	if (err)
		return err;
	memcpy(&e, buf, sizeof(e));
	if (s.swap) {
		pr_warn("%s is an ELF file of the other byte order: build it with clang -target bpf on a machine of this one\n",
			what);
		return -EINVAL;
	}
	if (e.e_type != ET_REL || (e.e_machine && e.e_machine != EM_BPF)) {
		pr_warn("%s is an ELF file, but not a BPF object (type %u, machine %u): build it with clang -target bpf -c\n",
			what, e.e_type, e.e_machine);
		return -EINVAL;
	}
	if (!s.btf_size)
		return 0;
	btf = btf__new((const char *)buf + s.btf_off, s.btf_size);
	if (!btf) /* libbpf refuses it too, and says why */
		return 0;
	err = krsi_btf_check(btf);
	if (!err && s.ext_size)
		err = check_btf_ext(btf, (const __u8 *)buf + s.ext_off,
				    s.ext_size, what);
	else if (err && err != -ENOMEM)
		pr_warn("%s: its BTF is corrupt (above): refused\n", what);
	btf__free(btf);
	return err == -ENOMEM ? err : err ? -EINVAL : 0;
}
