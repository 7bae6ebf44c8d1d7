/*
 * bootlayout.c - the domain builder's address arithmetic.  See bootlayout.h.
 * All sums are done in 64 bits so a hostile image cannot wrap them.
 */
#include "bootlayout.h"

#define PAGE		4096ull
#define MB(x)		((uint64_t)(x) << 20)
#define ROUND_UP(x, a)	(((uint64_t)(x) + (a) - 1) & ~((uint64_t)(a) - 1))

void boot_layout_count_tables(uint32_t start, uint32_t end, uint32_t *nr_l2,
			      uint32_t *nr_l1)
{
	uint64_t first_l1 = start >> 21, last_l1 = ((uint64_t)end - 1) >> 21;
	uint32_t first_l2 = start >> 30, last_l2 = (uint32_t)(((uint64_t)end - 1) >> 30);

	*nr_l1 = (uint32_t)(last_l1 - first_l1 + 1);
	*nr_l2 = last_l2 - first_l2 + 1;
	if (last_l2 != 3)
		(*nr_l2)++;	/* the top L2 with the hypervisor's slots */
}

/* Lay out everything after the kernel for a given page-table count. */
static uint64_t place(const struct boot_layout_request *req,
		      struct boot_layout *o, uint32_t nr_pt)
{
	uint64_t v = ROUND_UP(req->kern_end, PAGE);

	o->v_start = req->virt_base;
	o->kern_start = req->kern_start;
	o->kern_end = req->kern_end;
	o->mod_start = (uint32_t)v;
	v = ROUND_UP(v + req->mod_len, PAGE);
	o->mod_end = req->mod_len ? o->mod_start + req->mod_len : o->mod_start;
	o->p2m_start = (uint32_t)v;
	v = ROUND_UP(v + (uint64_t)req->nr_pages * 4, PAGE);
	o->p2m_end = (uint32_t)v;
	o->start_info = (uint32_t)v;
	v += PAGE;
	o->console_ring = (uint32_t)v;
	v += PAGE;
	o->store_ring = 0;
	if (req->store_ring) {
		o->store_ring = (uint32_t)v;
		v += PAGE;
	}
	o->pt_start = (uint32_t)v;
	v += (uint64_t)nr_pt * PAGE;
	o->pt_end = (uint32_t)v;
	o->stack_start = (uint32_t)v;
	v += PAGE;
	o->stack_end = (uint32_t)v;
	return ROUND_UP(v + 512 * 1024, MB(4));
}

int boot_layout_compute(const struct boot_layout_request *req,
			struct boot_layout *out, const char **why)
{
	uint32_t nr_l2 = req->every_l3_slot ? 4 : 1, nr_l1 = 1, nr_pt = 0;
	uint64_t end = 0;
	int rounds;

	if (req->virt_base & (PAGE - 1)) {
		*why = "virt_base is not page aligned";
		return -1;
	}
	if (req->kern_start < req->virt_base || req->kern_end < req->kern_start) {
		*why = "kernel lies below its virt_base";
		return -1;
	}
	/* The tables map the region they live in: iterate to a fixed point. */
	for (rounds = 0; rounds < 8; rounds++) {
		nr_pt = 1 + nr_l2 + nr_l1;
		end = place(req, out, nr_pt);
		if (end > req->hyp_start) {
			*why = "initial region reaches the hypervisor";
			return -1;
		}
		boot_layout_count_tables(req->virt_base, (uint32_t)end, &nr_l2, &nr_l1);
		if (req->every_l3_slot)
			nr_l2 = 4;
		if (1 + nr_l2 + nr_l1 <= nr_pt)
			break;
	}
	out->v_end = (uint32_t)end;
	out->nr_l2 = nr_l2;
	out->nr_l1 = nr_l1;
	out->nr_pt_frames = nr_pt;
	if ((end - req->virt_base) / PAGE > req->nr_pages) {
		*why = "memory too small for the initial region";
		return -1;
	}
	return 0;
}
