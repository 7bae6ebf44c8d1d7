/*
 * lib.c - memory, string and formatting primitives for the hypervisor
 * (and, compiled again, for the PV kernels in guest/).  See lib.h.
 */
#include "lib.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

struct outbuf {
	char *buf;
	size_t size, pos;
};

static void put(struct outbuf *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_number(struct outbuf *o, unsigned long long v, unsigned int base,
		       bool upper, int width, char pad, bool negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		/* base is 10 or 16: split to avoid 64-bit division helpers */
		if (base == 16) {
			tmp[n++] = digits[v & 15];
			v >>= 4;
		} else {
			unsigned long long q = 0, r = 0;
			int bit;

			for (bit = 63; bit >= 0; bit--) {
				r = (r << 1) | ((v >> bit) & 1);
				if (r >= 10) {
					r -= 10;
					q |= 1ull << bit;
				}
			}
			tmp[n++] = digits[r];
			v = q;
		}
	} while (v);
	if (negative)
		width--;
	if (negative && pad == '0')
		put(o, '-');
	for (; width > n; width--)
		put(o, pad);
	if (negative && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

/* At most prec characters of s (prec < 0: all), right-aligned in width. */
static void put_string(struct outbuf *o, const char *s, int width, int prec)
{
	int len = 0, i;

	if (!s)
		s = "(null)";
	while (s[len] && (prec < 0 || len < prec))
		len++;
	for (; width > len; width--)
		put(o, ' ');
	for (i = 0; i < len; i++)
		put(o, s[i]);
}

static unsigned long long fetch_unsigned(va_list *ap, int longness)
{
	if (longness >= 2)
		return va_arg(*ap, unsigned long long);
	if (longness == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long fetch_signed(va_list *ap, int longness)
{
	if (longness >= 2)
		return va_arg(*ap, long long);
	if (longness == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* One conversion's flags: %[0][width][.prec|.*][l[l]]conv. */
struct conv_spec {
	int width, prec, longness;
	char pad;
};

static void format_one(struct outbuf *o, char conv, const struct conv_spec *c,
		       va_list *ap)
{
	int width = c->width, longness = c->longness;
	char pad = c->pad;
	long long sv;

	switch (conv) {
	case 'd':
	case 'i':
		sv = fetch_signed(ap, longness);
		put_number(o, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
			   10, false, width, pad, sv < 0);
		break;
	case 'u':
		put_number(o, fetch_unsigned(ap, longness), 10, false, width, pad, false);
		break;
	case 'x':
	case 'X':
		put_number(o, fetch_unsigned(ap, longness), 16, conv == 'X', width,
			   pad, false);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_number(o, (uintptr_t)va_arg(*ap, void *), 16, false, 8, '0', false);
		break;
	case 's':
		put_string(o, va_arg(*ap, const char *), width, c->prec);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	default:
		put(o, '%');
		put(o, conv);
		break;
	}
}

/* Read the flags after '%' into c; returns where the conversion is. */
static const char *parse_spec(const char *fmt, struct conv_spec *c,
			      va_list *ap)
{
	*c = (struct conv_spec){ 0, -1, 0, ' ' };
	if (*fmt == '0')
		c->pad = '0';
	while (*fmt >= '0' && *fmt <= '9')
		c->width = c->width * 10 + (*fmt++ - '0');
	if (*fmt == '.') {
		fmt++;
		c->prec = 0;
		if (*fmt == '*') {
			c->prec = va_arg(*ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			c->prec = c->prec * 10 + (*fmt++ - '0');
	}
	while (*fmt == 'l') {
		c->longness++;
		fmt++;
	}
	return fmt;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };
	struct conv_spec c;
	va_list aq;

	va_copy(aq, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			put(&o, '%');
			continue;
		}
		fmt = parse_spec(fmt, &c, &aq);
		if (!*fmt)
			break;
		format_one(&o, *fmt, &c, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool parse_ulong(const char *s, size_t len, unsigned long *out)
{
	unsigned long v = 0, base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		unsigned long d = (unsigned long)digit_value(s[i]);

		if (d >= base || v > (~0ul - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

int word_index(const char *s, size_t len, const char *const *words,
	       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strlen(words[i]) == len && !strncmp(s, words[i], len))
			return (int)i;
	return -1;
}

void sort_u64(uint64_t *v, size_t n)
{
	size_t i, j;
	uint64_t x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}
