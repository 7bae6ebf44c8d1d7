/*
 * highbase.c - the helpers of test kernels linked as Linux's and NetBSD's
 * i386 kernels are, at 0xC0000000 plus the pseudo-physical address
 * (test_linux_like, test_netbsd_like): output, the verdict, the p2m and
 * the hypercall shorthands.  Interface in highbase.h.
 */
#include <stdarg.h>
#include "highbase.h"

unsigned int hb_failures;
uint32_t *p2m, nr_pages, p2m_size;
uint64_t nx;
static uint32_t extra_p2m[256];		/* pfns from p2m_size up */

void hb_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	HYPERVISOR_console_io(CONSOLEIO_write, (uint32_t)n, buf);
}

void hb_power_off(void)
{
	struct sched_shutdown s = { SHUTDOWN_poweroff };

	HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
	for (;;)
		;
}

void hb_bug(const char *what, long rc)
{
	hb_printf("Test result: FAILURE: %s (%ld)\n", what, rc);
	hb_power_off();
}

void hb_finish(void)
{
	if (hb_failures)
		hb_printf("Test result: FAILURE: %u checks failed\n",
			  hb_failures);
	else
		hb_printf("Test result: SUCCESS\n");
	hb_power_off();
}

/* CPUID, plain or through the forced-emulation prefix (the filtered one). */
static void cpuid2(bool fep, uint32_t leaf, uint32_t *a, uint32_t *d)
{
	uint32_t b, c;

	if (fep)
		asm volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e; cpuid"
			     : "=a"(*a), "=b"(b), "=c"(c), "=d"(*d)
			     : "a"(leaf), "c"(0));
	else
		asm volatile("cpuid" : "=a"(*a), "=b"(b), "=c"(c), "=d"(*d)
			     : "a"(leaf), "c"(0));
}

void hb_detect_nx(bool fep)
{
	uint32_t a, d;

	nx = 0;
	cpuid2(fep, 0x80000000, &a, &d);
	if (a >= 0x80000001) {
		cpuid2(fep, 0x80000001, &a, &d);
		nx = (d & (1u << 20)) ? _PAGE_NX : 0;
	}
}

void hb_p2m_init(const struct start_info *si, uint32_t align)
{
	uint32_t pfn;

	p2m = (uint32_t *)si->mfn_list;
	nr_pages = si->nr_pages;
	p2m_size = (nr_pages + align - 1) & ~(align - 1);
	for (pfn = nr_pages; pfn < p2m_size; pfn++)
		p2m[pfn] = INVALID_P2M;
	for (pfn = 0; pfn < sizeof(extra_p2m) / 4; pfn++)
		extra_p2m[pfn] = INVALID_P2M;
}

uint32_t hb_pfn_to_mfn(uint32_t pfn)
{
	uint32_t e;

	if (pfn < p2m_size)
		e = p2m[pfn];
	else if (pfn - p2m_size < sizeof(extra_p2m) / 4)
		e = extra_p2m[pfn - p2m_size];
	else
		return pfn;	/* past the p2m: identity, as Linux */
	return e == INVALID_P2M ? e : e & ~IDENTITY_FRAME_BIT;
}

void hb_set_p2m(uint32_t pfn, uint32_t mfn)
{
	if (pfn < p2m_size)
		p2m[pfn] = mfn;
	else if (pfn - p2m_size < sizeof(extra_p2m) / 4)
		extra_p2m[pfn - p2m_size] = mfn;
	else
		hb_bug("p2m entry out of range", pfn);
}

uint32_t virt_to_mfn(const void *va)
{
	return hb_pfn_to_mfn(HB_PA(va) >> 12);
}

uint64_t virt_to_machine(const void *va)
{
	return ((uint64_t)virt_to_mfn(va) << 12) | ((uint32_t)va & 0xfff);
}

void *m2v(uint64_t entry)
{
	uint32_t mfn = (uint32_t)((entry & PTE_MFN_MASK) >> 12);

	return (void *)HB_VA(M2P[mfn] << 12);
}

uint64_t pfn_pte(uint32_t pfn, uint64_t flags)
{
	uint32_t mfn = hb_pfn_to_mfn(pfn);

	if (mfn == INVALID_P2M)
		return 0;
	return ((uint64_t)mfn << 12) | flags;
}

long mmuext1(uint32_t cmd, uint32_t arg1)
{
	struct mmuext_op op = { cmd, arg1, 0 };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long mmu_update1(uint64_t ptr, uint64_t val)
{
	struct mmu_update u = { ptr, val };

	return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}
