/*
 * hcfuzz_mix.h - the hypercall fuzzer's value mix (domu/hcfuzz_mix.c),
 * used by its call builders in domu/hcfuzz.c.
 *
 * The mix owns the seeded generator, the memory the fuzzer hands out (the
 * RW argument area, the read-only pages, the victim pages) and the frames
 * it found at start-up; its pickers draw words, pointers, frames, entries
 * and counts from them.  Every draw comes from the generator alone, so a
 * seed names one sequence of calls.
 *
 * Call mix_seed() once, then mix_setup() after mm_init(); arg_reset()
 * before each top-level call frees the argument area for it.
 */
#ifndef XYLEM_DOMU_HCFUZZ_MIX_H
#define XYLEM_DOMU_HCFUZZ_MIX_H

#include <stdbool.h>
#include <stdint.h>
#include <public/sched.h>

#define PAGE		4096u
#define HYP_START	0xF5800000u

/* The event callback we keep restoring (hcfuzz.c). */
void hcfuzz_event_entry(void);

/* Learn our frames, protect our code and pages, set up the grant builder
 * (hcfuzz_grant.h); 0 or -XEN_E*.  Draws from the generator. */
int mix_setup(bool verbose);
void mix_seed(unsigned long seed);
void arg_reset(void);

/* The generator, xorshift, inline: the builders draw at every step. */
extern uint64_t mix_rng;

static inline uint32_t rnd32(void)
{
	mix_rng ^= mix_rng << 13;
	mix_rng ^= mix_rng >> 7;
	mix_rng ^= mix_rng << 17;
	return (uint32_t)(mix_rng >> 16);
}

/* 0..n-1; 0 for n = 0. */
static inline uint32_t rnd(uint32_t n)
{
	return n ? rnd32() % n : 0;
}

static inline bool chance(uint32_t one_in)
{
	return rnd(one_in) == 0;
}

/* Values. */
uint32_t boundary(void);
void *arg_alloc(uint32_t n);		/* from the RW area, 8-aligned */
uint32_t ptr_foreign(void);		/* a pointer not into our areas */
uint32_t rand_ptr(void);
uint32_t rand_domid(void);
uint32_t rand_word(void);
uint32_t rand_mfn(void);		/* mostly frames we may lose */
uint32_t rand_ro_mfn(void);		/* a frame of the read-only pages */
uint64_t rand_pte(void);
uint32_t rand_va(void);			/* a mapping we may change */
uint64_t rand_entry_maddr(void);	/* a table entry worth writing */
void fill_words(uint32_t *p, uint32_t n);
uint32_t small_count(uint32_t max);	/* a batch size, mostly 1..max */
uint32_t pick_cmd(uint32_t nvalid);	/* a sub-command, mostly valid */

/*
 * A poll that cannot wait: its deadline (ns since boot) is long past.  Its
 * struct is not in the RW area, where an earlier multicall entry may write
 * over it (xen_version's 1 KiB of capabilities into a 64-byte buffer did)
 * and move the deadline ahead, so that we would block; it is in the middle
 * of a page of its own, out of reach of writes that run on from a stray
 * pointer near a page's end (0xfffff + max_mfn, a rand_mfn() value used as
 * a pointer, was 34 bytes before it).
 */
struct poll_page {
	uint8_t before[PAGE / 2];
	struct sched_poll poll;
	uint8_t after[PAGE / 2 - sizeof(struct sched_poll)];
};
extern struct poll_page poll_page;

/* Frames found at start-up. */
extern uint32_t l3_mfn;			/* our page tables' L3 */
extern uint32_t vcpu_info_mfn;		/* where vcpu_info may move */

#endif
