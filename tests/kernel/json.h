/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A strict reader of one JSON Lines record, for tests: it checks the whole
 * grammar and flattens the object into keys and values, members of nested
 * objects as "data.path", array elements as "ports[0]". Strings come back
 * unescaped (\uXXXX as UTF-8); other values as written.
 */
#ifndef JSON_H
#define JSON_H

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_FIELDS 96

struct json_field {
	char key[96];
	char value[1024];
	bool string;
};

struct json {
	struct json_field f[JSON_MAX_FIELDS];
	int n;
};

struct __json_parser {
	const char *s;
	struct json *j;
};

static void __json_ws(struct __json_parser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

/* Append the code point CP to OUT as UTF-8. */
static int __json_utf8(unsigned int cp, char *out, size_t *len, size_t size)
{
	char buf[4];
	size_t n;

	if (cp < 0x80) {
		buf[0] = cp, n = 1;
	} else if (cp < 0x800) {
		buf[0] = 0xc0 | cp >> 6, buf[1] = 0x80 | (cp & 0x3f), n = 2;
	} else {
		buf[0] = 0xe0 | cp >> 12, buf[1] = 0x80 | ((cp >> 6) & 0x3f);
		buf[2] = 0x80 | (cp & 0x3f), n = 3;
	}
	if (*len + n >= size)
		return -1;
	memcpy(out + *len, buf, n);
	*len += n;
	return 0;
}

static int __json_string(struct __json_parser *p, char *out, size_t size)
{
	static const char esc[] = "\"\\/bfnrt", val[] = "\"\\/\b\f\n\r\t";
	unsigned int cp;
	size_t len = 0;
	const char *e;

	if (*p->s++ != '"')
		return -1;
	while (*p->s != '"') {
		if ((unsigned char)*p->s < 0x20)
			return -1; /* unescaped control character, or the end */
		if (*p->s != '\\') {
			if (len + 1 >= size)
				return -1;
			out[len++] = *p->s++;
			continue;
		}
		p->s++;
		if (*p->s == 'u') {
			if (sscanf(p->s + 1, "%4x", &cp) != 1 ||
			    !isxdigit((unsigned char)p->s[4]) ||
			    __json_utf8(cp, out, &len, size))
				return -1;
			p->s += 5;
			continue;
		}
		e = *p->s ? strchr(esc, *p->s) : NULL;
		if (!e || len + 1 >= size)
			return -1;
		out[len++] = val[e - esc];
		p->s++;
	}
	p->s++;
	out[len] = '\0';
	return 0;
}

static struct json_field *__json_add(struct __json_parser *p, const char *key)
{
	struct json_field *f;

	if (p->j->n == JSON_MAX_FIELDS || strlen(key) >= sizeof(f->key))
		return NULL;
	f = &p->j->f[p->j->n++];
	strcpy(f->key, key);
	return f;
}

static int __json_value(struct __json_parser *p, const char *key);

static int __json_object(struct __json_parser *p, const char *prefix)
{
	char name[96], key[192];

	p->s++; /* '{' */
	__json_ws(p);
	if (*p->s == '}')
		return p->s++, 0;
	for (;;) {
		__json_ws(p);
		if (__json_string(p, name, sizeof(name)))
			return -1;
		__json_ws(p);
		if (*p->s++ != ':')
			return -1;
		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "",
			 name);
		if (__json_value(p, key))
			return -1;
		__json_ws(p);
		if (*p->s == '}')
			return p->s++, 0;
		if (*p->s++ != ',')
			return -1;
	}
}

static int __json_array(struct __json_parser *p, const char *prefix)
{
	char key[192];
	int i = 0;

	p->s++; /* '[' */
	__json_ws(p);
	if (*p->s == ']')
		return p->s++, 0;
	for (;;) {
		snprintf(key, sizeof(key), "%s[%d]", prefix, i++);
		if (__json_value(p, key))
			return -1;
		__json_ws(p);
		if (*p->s == ']')
			return p->s++, 0;
		if (*p->s++ != ',')
			return -1;
	}
}

/* A number, true, false or null. */
static int __json_literal(struct __json_parser *p, struct json_field *f)
{
	const char *start = p->s;
	char *end;

	if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "null", 4))
		p->s += 4;
	else if (!strncmp(p->s, "false", 5))
		p->s += 5;
	else if (*p->s == '-' || isdigit((unsigned char)*p->s))
		strtod(p->s, &end), p->s = end;
	if (p->s == start || (size_t)(p->s - start) >= sizeof(f->value))
		return -1;
	memcpy(f->value, start, p->s - start);
	f->value[p->s - start] = '\0';
	f->string = false;
	return 0;
}

static int __json_value(struct __json_parser *p, const char *key)
{
	struct json_field *f;

	__json_ws(p);
	if (*p->s == '{')
		return __json_object(p, key);
	if (*p->s == '[')
		return __json_array(p, key);
	f = __json_add(p, key);
	if (!f)
		return -1;
	if (*p->s == '"') {
		f->string = true;
		return __json_string(p, f->value, sizeof(f->value));
	}
	return __json_literal(p, f);
}

/* Parse LINE, one JSON object; 0, or -1 if it is not one (or too big). */
static inline int json_parse(const char *line, struct json *j)
{
	struct __json_parser p = { .s = line, .j = j };

	j->n = 0;
	__json_ws(&p);
	if (*p.s != '{' || __json_object(&p, ""))
		return -1;
	__json_ws(&p);
	return *p.s ? -1 : 0;
}

/* The field KEY, or NULL. */
static inline const struct json_field *json_get(const struct json *j,
						const char *key)
{
	int i;

	for (i = 0; i < j->n; i++)
		if (!strcmp(j->f[i].key, key))
			return &j->f[i];
	return NULL;
}

#endif /* JSON_H */
