/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A strict JSON parser for tests (RFC 8259, without \u escapes beyond
 * ASCII): it proves output is valid JSON and lets tests look inside.
 */
#ifndef JSON_CHECK_H
#define JSON_CHECK_H

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;
	double num;
	char *str; /* J_STR */
	size_t n; /* J_ARR, J_OBJ: number of items */
	struct jval *items;
	char **keys; /* J_OBJ */
};

static void json_free_val(struct jval *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		json_free_val(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_value(const char *p, struct jval *v, int depth);

static const char *json_str(const char *p, char **out)
{
	size_t cap = strlen(p) + 1, len = 0;
	char *s = malloc(cap);

	if (*p++ != '"')
		goto bad;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			goto bad;
		if (*p == '\\') {
			p++;
			if (strchr("\"\\/bfnrt", *p) && *p) {
				s[len++] = *p == 'n'   ? '\n'
					   : *p == 't' ? '\t'
						       : *p;
				p++;
			} else if (*p == 'u' && isxdigit((unsigned char)p[1]) &&
				   isxdigit((unsigned char)p[2]) &&
				   isxdigit((unsigned char)p[3]) &&
				   isxdigit((unsigned char)p[4])) {
				s[len++] = (char)strtol(
					(char[]){ p[3], p[4], 0 }, NULL, 16);
				p += 5;
			} else {
				goto bad;
			}
		} else {
			s[len++] = *p++;
		}
	}
	s[len] = '\0';
	*out = s;
	return p + 1;
bad:
	free(s);
	return NULL;
}

static const char *json_items(const char *p, struct jval *v, bool obj,
			      int depth)
{
	char close = obj ? '}' : ']';

	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		v->items = realloc(v->items, (v->n + 1) * sizeof(*v->items));
		memset(&v->items[v->n], 0, sizeof(*v->items));
		if (obj) {
			v->keys = realloc(v->keys, (v->n + 1) * sizeof(char *));
			v->keys[v->n] = NULL;
			p = json_str(p, &v->keys[v->n]);
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(json_ws(p), &v->items[v->n++], depth + 1);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = json_ws(p);
	}
}

static const char *json_value(const char *p, struct jval *v, int depth)
{
	char *end;

	if (depth > 64)
		return NULL;
	if (*p == '{') {
		v->type = J_OBJ;
		return json_items(p, v, true, depth);
	}
	if (*p == '[') {
		v->type = J_ARR;
		return json_items(p, v, false, depth);
	}
	if (*p == '"') {
		v->type = J_STR;
		return json_str(p, &v->str);
	}
	if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5)) {
		v->type = J_BOOL;
		v->b = *p == 't';
		return p + (v->b ? 4 : 5);
	}
	if (!strncmp(p, "null", 4)) {
		v->type = J_NULL;
		return p + 4;
	}
	if (*p == '-' || isdigit((unsigned char)*p)) {
		v->type = J_NUM;
		v->num = strtod(p, &end);
		return end;
	}
	return NULL;
}

/* Parse TEXT whole; NULL unless it is exactly one valid JSON value. */
static inline struct jval *json_parse(const char *text)
{
	struct jval *v = calloc(1, sizeof(*v));
	const char *end = json_value(json_ws(text), v, 0);

	if (!end || *json_ws(end)) {
		json_free_val(v);
		free(v);
		return NULL;
	}
	return v;
}

static inline void json_free(struct jval *v)
{
	if (v) {
		json_free_val(v);
		free(v);
	}
}

/* An object's member, or NULL. */
static inline const struct jval *json_get(const struct jval *obj,
					  const char *key)
{
	size_t i;

	for (i = 0; obj && obj->type == J_OBJ && i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

#endif /* JSON_CHECK_H */
