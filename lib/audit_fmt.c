// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Renderers of single values into an audit_buf: numbers, strings (JSON and
 * audit-style), hex, IP addresses. The caller has made room for the
 * FMT_*_MAX bound of each; none of them allocates or checks.
 */
#include <string.h>

#include "audit_internal.h"

static const char digit_pairs[] = "00010203040506070809"
				  "10111213141516171819"
				  "20212223242526272829"
				  "30313233343536373839"
				  "40414243444546474849"
				  "50515253545556575859"
				  "60616263646566676869"
				  "70717273747576777879"
				  "80818283848586878889"
				  "90919293949596979899";

void fmt_u64(struct audit_buf *b, __u64 v)
{
	char tmp[FMT_U64_MAX];
	int i = sizeof(tmp);

	while (v >= 100) {
		unsigned int r = v % 100;

		v /= 100;
		i -= 2;
		memcpy(tmp + i, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, digit_pairs + 2 * v, 2);
	} else {
		tmp[--i] = '0' + v;
	}
	buf_put(b, tmp + i, sizeof(tmp) - i);
}

void fmt_s64(struct audit_buf *b, __s64 v)
{
	if (v < 0) {
		buf_char(b, '-');
		fmt_u64(b, -(__u64)v);
	} else {
		fmt_u64(b, v);
	}
}

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

void fmt_hex(struct audit_buf *b, const void *data, size_t n)
{
	const unsigned char *p = data;
	char *o = b->p + b->len;
	size_t i;

	for (i = 0; i < n; i++) {
		*o++ = hex_lower[p[i] >> 4];
		*o++ = hex_lower[p[i] & 15];
	}
	b->len += 2 * n;
}

/*
 * Length of the valid UTF-8 sequence at S (at most N bytes), or 0 if the
 * bytes there are not one (Unicode's table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* JSON escapes for ASCII: 0 copies the byte, 'u' is \u00XX. */
static const char json_escape[128] = {
	['\b'] = 'b', ['\t'] = 't',  ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
	['"'] = '"',  ['\\'] = '\\', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u',
	[0x04] = 'u', [0x05] = 'u',  [0x06] = 'u', [0x07] = 'u', [0x0b] = 'u',
	[0x0e] = 'u', [0x0f] = 'u',  [0x10] = 'u', [0x11] = 'u', [0x12] = 'u',
	[0x13] = 'u', [0x14] = 'u',  [0x15] = 'u', [0x16] = 'u', [0x17] = 'u',
	[0x18] = 'u', [0x19] = 'u',  [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u',
	[0x1d] = 'u', [0x1e] = 'u',  [0x1f] = 'u', [0x7f] = 'u',
};

void fmt_json_str(struct audit_buf *b, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	char *o = b->p + b->len;
	size_t i = 0, n;

	*o++ = '"';
	while (i < max && s[i]) {
		unsigned char c = s[i];

		if (c < 0x80) {
			char e = json_escape[c];

			i++;
			if (!e) {
				*o++ = c;
			} else if (e != 'u') {
				*o++ = '\\';
				*o++ = e;
			} else {
				memcpy(o, "\\u00", 4);
				o[4] = hex_lower[c >> 4];
				o[5] = hex_lower[c & 15];
				o += 6;
			}
			continue;
		}
		n = utf8_len(s + i, max - i);
		if (n) {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(o, "\\ufffd", 6);
			o += 6;
			i++;
		}
	}
	*o++ = '"';
	b->len = o - b->p;
}

void fmt_audit_str(struct audit_buf *b, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	bool plain = true;
	size_t n, i;

	for (n = 0; n < max && s[n]; n++)
		if (s[n] == '"' || s[n] < 0x21 || s[n] > 0x7e)
			plain = false;
	if (plain) {
		buf_char(b, '"');
		buf_put(b, str, n);
		buf_char(b, '"');
		return;
	}
	for (i = 0; i < n; i++) {
		b->p[b->len++] = hex_upper[s[i] >> 4];
		b->p[b->len++] = hex_upper[s[i] & 15];
	}
}

void fmt_ipv4(struct audit_buf *b, const void *addr)
{
	const unsigned char *a = addr;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			buf_char(b, '.');
		fmt_u64(b, a[i]);
	}
}

static void fmt_hex16(struct audit_buf *b, unsigned int v)
{
	int shift = 12;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		buf_char(b, hex_lower[(v >> shift) & 15]);
}

/* RFC 5952: lower case, no leading zeros, the longest run of two or more
 * zero groups (the first of equals) as "::", IPv4-mapped as ::ffff:a.b.c.d */
void fmt_ipv6(struct audit_buf *b, const void *addr)
{
	const unsigned char *a = addr;
	int best = -1, best_len = 1, i, j;
	unsigned int w[8];

	for (i = 0; i < 8; i++)
		w[i] = a[2 * i] << 8 | a[2 * i + 1];
	if (!w[0] && !w[1] && !w[2] && !w[3] && !w[4] && w[5] == 0xffff) {
		buf_lit(b, "::ffff:");
		fmt_ipv4(b, a + 12);
		return;
	}
	for (i = 0; i < 8; i = j + 1) {
		for (j = i; j < 8 && !w[j]; j++)
			;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			buf_lit(b, "::");
			i += best_len - 1;
			continue;
		}
		if (i && i != best + best_len)
			buf_char(b, ':');
		fmt_hex16(b, w[i]);
	}
}

const char *audit_invalid_name(__u32 reason)
{
	static const char *const names[] = {
		[KRSI_EVENT_INVALID_SHORT] = "short",
		[KRSI_EVENT_INVALID_SIZE] = "size",
		[KRSI_EVENT_INVALID_VERSION] = "version",
		[KRSI_EVENT_INVALID_PAYLOAD] = "payload",
		[KRSI_EVENT_INVALID_CPU] = "cpu",
	};

	return reason < sizeof(names) / sizeof(names[0]) && names[reason]
		       ? names[reason]
		       : "unknown";
}
