/*
 * lib.h - the small C library the hypervisor carries: memory and string
 * primitives, a bounded vsnprintf, number parsing and a small sort.  No
 * allocation.
 * vsnprintf understands %s %c %d %i %u %x %X %p %% with optional 0-padding,
 * width, a precision for %s (".N" or ".*": at most that many characters,
 * so a string need not be terminated), and the l / ll length modifiers;
 * it always NUL-terminates.
 */
#ifndef XYLEM_LIB_H
#define XYLEM_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parse an unsigned number (decimal, or hex with 0x); false if malformed. */
bool parse_ulong(const char *s, size_t len, unsigned long *out);

/* The index in words[0..n-1] of the word s[0..len-1], or -1. */
int word_index(const char *s, size_t len, const char *const *words,
	       unsigned int n);

/* Sort v[0..n-1] ascending, in place (insertion sort: for small n). */
void sort_u64(uint64_t *v, size_t n);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
/* Read or write exactly once: for memory another party may change. */
#define ACCESS_ONCE(x)	(*(volatile __typeof__(x) *)&(x))
/* Keep the compiler from moving memory accesses across this point. */
#define barrier()	asm volatile("" : : : "memory")
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)

#endif
