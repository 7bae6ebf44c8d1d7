/*
 * modpack.c - validate and index Dom0's module pack.  See modpack.h.
 * All bounds are checked in 64 bits, so no offset or length from the pack
 * can wrap a sum.
 */
#include "modpack.h"
#include <stdbool.h>
#include <public/errno.h>

#define PACK_ALIGN	4096u

static void copy_bytes(void *dst, const void *src, uint32_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
}

static bool is_pack(const uint8_t *base, uint32_t len)
{
	static const char magic[8] = XYLEM_MODPACK_MAGIC;
	uint32_t i;

	if (len < sizeof(magic))
		return false;
	for (i = 0; i < sizeof(magic); i++)
		if (base[i] != (uint8_t)magic[i])
			return false;
	return true;
}

static bool cmdline_terminated(const char *s)
{
	uint32_t i;

	for (i = 0; i < XYLEM_MODPACK_CMDLINE; i++)
		if (!s[i])
			return true;
	return false;
}

/* Check module i against the pack's bounds and modules 0..i-1. */
static int check_module(const struct modpack *p, uint32_t i, uint64_t first_free,
			uint64_t total, const char **why)
{
	const struct modpack_module *m = &p->mod[i];
	uint64_t end = (uint64_t)m->offset + m->length;
	uint32_t j;

	if (m->offset % PACK_ALIGN) {
		*why = "module pack: a module is not 4 KiB aligned";
		return -XEN_EINVAL;
	}
	if (m->offset < first_free || end > total) {
		*why = "module pack: a module lies outside the pack";
		return -XEN_EINVAL;
	}
	if (!cmdline_terminated(m->cmdline)) {
		*why = "module pack: a command line is not terminated";
		return -XEN_EINVAL;
	}
	for (j = 0; j < i; j++) {
		const struct modpack_module *o = &p->mod[j];

		if (m->offset < (uint64_t)o->offset + o->length &&
		    o->offset < end && m->length && o->length) {
			*why = "module pack: two modules overlap";
			return -XEN_EINVAL;
		}
	}
	return 0;
}

static int index_pack(struct modpack *p, const char **why)
{
	struct xylem_modpack_header h;
	uint64_t entries_end;
	uint32_t i;
	int rc;

	if (p->len < sizeof(h)) {
		*why = "module pack: shorter than its header";
		return -XEN_EINVAL;
	}
	copy_bytes(&h, p->base, sizeof(h));
	if (h.nr_modules < 1 || h.nr_modules > XYLEM_MODPACK_MAX) {
		*why = "module pack: number of modules out of range";
		return -XEN_EINVAL;
	}
	entries_end = sizeof(h) + (uint64_t)h.nr_modules *
		      sizeof(struct xylem_modpack_entry);
	if (h.total_length > p->len || entries_end > h.total_length) {
		*why = "module pack: header or total length past its end";
		return -XEN_EINVAL;
	}
	for (i = 0; i < h.nr_modules; i++) {
		struct xylem_modpack_entry e;

		copy_bytes(&e, p->base + sizeof(h) + i * sizeof(e), sizeof(e));
		p->mod[i].offset = e.offset;
		p->mod[i].length = e.length;
		copy_bytes(p->mod[i].cmdline, e.cmdline, XYLEM_MODPACK_CMDLINE);
		rc = check_module(p, i, entries_end, h.total_length, why);
		if (rc)
			return rc;
	}
	p->nr = h.nr_modules;
	return 0;
}

int modpack_open(const void *base, uint32_t len, struct modpack *p,
		 const char **why)
{
	int rc;

	p->base = base;
	p->len = len;
	p->nr = 0;
	if (!len)
		return 0;
	if (!is_pack(base, len)) {
		p->mod[0].offset = 0;
		p->mod[0].length = len;
		p->mod[0].cmdline[0] = '\0';
		p->nr = 1;
		return 0;
	}
	rc = index_pack(p, why);
	if (rc)
		p->nr = 0;
	return rc;
}

int modpack_get(const struct modpack *p, uint32_t n, const uint8_t **data,
		uint32_t *len, const char **cmdline)
{
	if (n < 1 || n > p->nr)
		return -XEN_ENOENT;
	*data = p->base + p->mod[n - 1].offset;
	*len = p->mod[n - 1].length;
	*cmdline = p->mod[n - 1].cmdline;
	return 0;
}
