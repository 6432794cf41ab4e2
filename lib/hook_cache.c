// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The cache of hook flags measured on the running kernel: one text file,
 * KRSI_HOOK_FLAGS_CACHE by default, naming the kernel build it was
 * measured on and every hook of it in order:
 *
 *   libkrsi hook flags 1
 *   build-id d01f77c7eb9976096e297898b0aa41e36eac404b
 *   release 6.12.118+deb13-cloud-amd64
 *   hooks 269
 *   audit_rule_free --c
 *   audit_rule_match d--
 *   file_open -sc
 *   ...
 *   end
 *
 * Each hook line has its three flags: d (disabled) or -, s (sleepable) or
 * -, c (per-cgroup) or -. The file is trusted only when it and its
 * directory belong to root or the effective user and nobody else may write
 * them (a directory may if it is sticky), and only when every line is
 * exactly as above for this kernel's build ID, release and hooks; anything
 * else is ignored, to be measured again and replaced.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "hooks_internal.h"
#include "strbuf.h"

#define MAGIC "libkrsi hook flags 1"
#define MAX_SIZE (256 * 1024)

/* The next line of BUF (LEN bytes) from *POS, without its newline, in
 * LINE (LINE_LEN bytes); false at the end, or for a line too long. */
static bool next_line(const char *buf, size_t len, size_t *pos, char *line,
		      size_t line_len)
{
	const char *end;
	size_t n;

	if (*pos >= len)
		return false;
	end = memchr(buf + *pos, '\n', len - *pos);
	if (!end)
		return false; /* every line ends with a newline */
	n = end - (buf + *pos);
	if (n >= line_len || memchr(buf + *pos, '\0', n))
		return false;
	memcpy(line, buf + *pos, n);
	line[n] = '\0';
	*pos += n + 1;
	return true;
}

/* Read "WORD VALUE" into VALUE; false if the line is anything else. */
static bool field(const char *line, const char *word, const char **value)
{
	size_t n = strlen(word);

	if (strncmp(line, word, n) || line[n] != ' ' || !line[n + 1])
		return false;
	*value = line + n + 1;
	return true;
}

static bool parse_flags(const char *s, enum krsi_tristate f[3])
{
	static const char set[3] = { 'd', 's', 'c' };
	int i;

	if (strlen(s) != 3)
		return false;
	for (i = 0; i < 3; i++) {
		if (s[i] != set[i] && s[i] != '-')
			return false;
		f[i] = s[i] == set[i] ? KRSI_YES : KRSI_NO;
	}
	/* A disabled hook takes no program of any kind. */
	return !(f[0] == KRSI_YES && (f[1] == KRSI_YES || f[2] == KRSI_YES));
}

#define FAIL(...)                                    \
	do {                                         \
		snprintf(why, why_len, __VA_ARGS__); \
		goto out;                            \
	} while (0)

int krsi_hook_cache_parse(struct krsi_hooks *hs, const char *buf, size_t len,
			  const char *build_id, const char *release, char *why,
			  size_t why_len)
{
	enum krsi_tristate(*flags)[3];
	char line[256], *end;
	const char *v;
	size_t pos = 0, i;
	unsigned long n;
	int err = -EINVAL;

	flags = calloc(hs->cnt ? hs->cnt : 1, sizeof(*flags));
	if (!flags) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	if (!next_line(buf, len, &pos, line, sizeof(line)) ||
	    strcmp(line, MAGIC))
		FAIL("it is not a libkrsi hook flag cache of this version");
	if (!next_line(buf, len, &pos, line, sizeof(line)) ||
	    !field(line, "build-id", &v))
		FAIL("it has no build-id line");
	if (strcmp(v, build_id))
		FAIL("it is of another kernel build (%s, this one is %s)", v,
		     build_id);
	if (!next_line(buf, len, &pos, line, sizeof(line)) ||
	    !field(line, "release", &v) || strcmp(v, release))
		FAIL("it is of another kernel release than %s", release);
	if (!next_line(buf, len, &pos, line, sizeof(line)) ||
	    !field(line, "hooks", &v))
		FAIL("it has no hooks line");
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || v[0] < '0' || v[0] > '9' || n != hs->cnt)
		FAIL("it lists %s hooks, this kernel has %zu", v, hs->cnt);
	for (i = 0; i < hs->cnt; i++) {
		if (!next_line(buf, len, &pos, line, sizeof(line)))
			FAIL("it ends before hook %s", hs->hooks[i].name);
		v = strchr(line, ' ');
		if (!v || (size_t)(v - line) != strlen(hs->hooks[i].name) ||
		    strncmp(line, hs->hooks[i].name, v - line))
			FAIL("its line %zu is not of hook %s", i + 5,
			     hs->hooks[i].name);
		if (!parse_flags(v + 1, flags[i]))
			FAIL("hook %s has flags \"%s\", not three of d, s, c or - that go together",
			     hs->hooks[i].name, v + 1);
	}
	if (!next_line(buf, len, &pos, line, sizeof(line)) ||
	    strcmp(line, "end") || pos != len)
		FAIL("it does not end after its %zu hooks", hs->cnt);
	for (i = 0; i < hs->cnt; i++)
		for (int f = 0; f < KRSI_HOOK_NR_FLAGS; f++) {
			hs->hooks[i].flags[f] = flags[i][f];
			hs->hooks[i].sources[f] = KRSI_FLAG_CACHED;
		}
	err = 0;
out:
	free(flags);
	return err;
}

/* Whether ST may be trusted: root's or ours, and only its owner may write
 * it (or, for a directory, it is sticky). */
static const char *untrusted(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return "it belongs to another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH) &&
	    !(S_ISDIR(st->st_mode) && st->st_mode & S_ISVTX))
		return "others may write it";
	return NULL;
}

/* Open PATH's directory, if it may be trusted; -errno with WHY if not. */
static int open_dir(const char *path, char *why, size_t why_len)
{
	char *copy = strdup(path), *dir;
	const char *reason;
	struct stat st;
	int fd, err;

	if (!copy)
		return -ENOMEM;
	dir = dirname(copy);
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	err = fd < 0 ? -errno : 0;
	if (fd >= 0 && fstat(fd, &st))
		err = -errno;
	if (err)
		snprintf(why, why_len, "its directory cannot be opened: %s",
			 strerror(-err));
	else if ((reason = untrusted(&st))) {
		snprintf(why, why_len, "its directory %s cannot be trusted: %s",
			 dir, reason);
		err = -EPERM;
	}
	free(copy);
	if (err && fd >= 0)
		close(fd);
	return err ? err : fd;
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int krsi_hook_cache_read(struct krsi_hooks *hs, const char *path,
			 const char *build_id, char *why, size_t why_len)
{
	const char *reason;
	struct utsname u;
	struct stat st;
	int dir, fd = -1, err;
	char *buf = NULL;
	ssize_t n;

	if (uname(&u))
		return -errno;
	dir = open_dir(path, why, why_len);
	if (dir < 0)
		return dir;
	fd = openat(dir, base_of(path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dir);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "%s", strerror(-err));
		return err;
	}
	err = -EPERM;
	if (fstat(fd, &st)) {
		err = -errno;
		snprintf(why, why_len, "%s", strerror(-err));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len, "it is not a regular file");
	} else if ((reason = untrusted(&st))) {
		snprintf(why, why_len, "%s", reason);
	} else if (st.st_size > MAX_SIZE) {
		snprintf(why, why_len, "it is larger than %d bytes", MAX_SIZE);
		err = -EINVAL;
	} else if (!(buf = malloc(st.st_size + 1))) {
		err = -ENOMEM;
	} else if ((n = pread(fd, buf, st.st_size, 0)) != st.st_size) {
		snprintf(why, why_len, "it cannot be read whole");
		err = -EIO;
	} else {
		err = krsi_hook_cache_parse(hs, buf, n, build_id, u.release,
					    why, why_len);
	}
	free(buf);
	close(fd);
	return err;
}

static void format_cache(const struct krsi_hooks *hs, const char *build_id,
			 const char *release, struct strbuf *sb)
{
	const struct krsi_hook *h;
	size_t i;

	sb_printf(sb, "%s\nbuild-id %s\nrelease %s\nhooks %zu\n", MAGIC,
		  build_id, release, hs->cnt);
	for (i = 0; i < hs->cnt; i++) {
		h = &hs->hooks[i];
		sb_printf(sb, "%s %c%c%c\n", h->name,
			  h->flags[KRSI_HOOK_DISABLED] == KRSI_YES ? 'd' : '-',
			  h->flags[KRSI_HOOK_SLEEPABLE] == KRSI_YES ? 's' : '-',
			  h->flags[KRSI_HOOK_CGROUP] == KRSI_YES ? 'c' : '-');
	}
	sb_printf(sb, "end\n");
}

/* mkdir -p DIR, each directory made 0755; DIR is changed and restored. */
static int make_dirs(char *dir)
{
	char *p = dir;

	for (;;) {
		p = strchr(p + 1, '/');
		if (p)
			*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			if (p)
				*p = '/';
			return -errno;
		}
		if (!p)
			return 0;
		*p = '/';
	}
}

int krsi_hook_cache_write(const struct krsi_hooks *hs, const char *path,
			  const char *build_id, char *why, size_t why_len)
{
	struct strbuf sb = {};
	struct utsname u;
	char *tmp = NULL, *copy, *parent;
	int fd, dir, err = 0;

	if (uname(&u))
		return -errno;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	parent = dirname(copy);
	err = make_dirs(parent);
	if (err)
		snprintf(why, why_len, "cannot create its directory %s: %s",
			 parent, strerror(-err));
	free(copy);
	if (err)
		return err;
	dir = open_dir(path, why, why_len);
	if (dir < 0)
		return dir;
	close(dir);
	format_cache(hs, build_id, u.release, &sb);
	if (!sb_str(&sb) || asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		tmp = NULL;
		err = -ENOMEM;
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "cannot create %s: %s", tmp,
			 strerror(-err));
		goto out;
	}
	errno = 0;
	if (fchmod(fd, 0644) ||
	    write(fd, sb_str(&sb), sb.len) != (ssize_t)sb.len)
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		snprintf(why, why_len, "cannot write %s: %s", tmp,
			 strerror(-err));
		unlink(tmp);
	}
out:
	free(tmp);
	sb_free(&sb);
	return err;
}
