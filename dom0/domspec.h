/*
 * domspec.h - parse the DomU descriptions on Dom0's command line.
 *
 * Each word of the form
 *	dom=NAME,mod=N[,mem=SIZE][,vcpus=V][,weight=W][,warp=NS,warpl=NS,unwarp=NS][,count=C]
 * describes one DomU (or C of them, named NAME0..NAME(C-1)) built from
 * boot module N (N >= 1; module 0 is Dom0 itself).  SIZE is a number of
 * bytes with an optional k/K, m/M or g/G suffix (KiB, MiB, GiB), a
 * multiple of 4 KiB, default DOMSPEC_DEFAULT_MEM_KIB.  V is the number of
 * vCPUs, 1..DOMSPEC_MAX_VCPUS (default 1; vCPU 0 starts, the kernel
 * brings up the others with VCPUOP_initialise/up).  W is the BVT weight
 * 1..65535 (default 256).  The three warp values are nanoseconds (an "us"
 * or "ms" suffix scales them) and come together or not at all.  Other
 * words (poweroff, wait, ...) are not ours and are skipped.
 *
 * Names are 1..DOMSPEC_NAME_MAX-1 characters of [A-Za-z0-9_-], unique
 * across the whole command line (after the count suffix is added).
 * Every error returns -XEN_EINVAL (-XEN_E2BIG when there would be more
 * than DOMSPEC_MAX_DOMS domains) and writes a sentence naming the bad
 * option into err; the list is then left with the domains parsed before
 * the bad word.  Freestanding: no library calls, host-tested.
 */
#ifndef XYLEM_DOM0_DOMSPEC_H
#define XYLEM_DOM0_DOMSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOMSPEC_NAME_MAX	16	/* with the NUL */
#define DOMSPEC_MAX_DOMS	1024
#define DOMSPEC_DEFAULT_MEM_KIB	4096u
#define DOMSPEC_DEFAULT_WEIGHT	256u
#define DOMSPEC_MAX_MEM_KIB	(1024u * 1024u)	/* 1 GiB */
#define DOMSPEC_MAX_VCPUS	32u

struct dom_params {
	char name[DOMSPEC_NAME_MAX];
	uint32_t module;		/* boot module number, >= 1 */
	uint32_t mem_kib;
	uint32_t vcpus;
	uint32_t weight;
	bool warped;			/* the three below were given */
	uint64_t warp_ns, warp_limit_ns, unwarp_ns;
};

struct domspec_list {
	uint32_t nr;
	struct dom_params dom[DOMSPEC_MAX_DOMS];
};

/* Parse one "dom=..." word of len bytes and append its domains to l. */
int domspec_parse_word(const char *word, size_t len, struct domspec_list *l,
		       char *err, size_t err_len);

/* Start l empty and parse every dom= word of the NUL-terminated line. */
int domspec_parse_cmdline(const char *line, struct domspec_list *l,
			  char *err, size_t err_len);

#endif
