/*
 * test_multicall.c - the multicall hypercall (13).
 *
 *  - every entry runs in order and gets its own result: xen_version,
 *    an unknown hypercall (-ENOSYS), a nested multicall (-EINVAL, not
 *    run), a bad update_va_mapping (-EINVAL) and a later good entry;
 *  - an update_va_mapping entry takes effect for the next entry: the
 *    hypervisor writes through the new mapping although the old one was
 *    in the TLB;
 *  - a list in the hypervisor's area: -EFAULT; a list whose second entry
 *    is unmapped: the first runs, its result is written, then -EFAULT;
 *  - 1000 entries (several continuations) all run, once each;
 *  - an iret entry ends the list (XSA-213): the guest lands in ring 3 with
 *    the %eax of its iret frame and the entry after the iret never runs.
 */
#include "ktest.h"
#include "mm.h"
#include "user.h"
#include <public/version.h>

#define MC_IRET_EAX	0xdeadu
#define MC_RECOVER_VEC	0x21
#define LONG_LIST	1000

static struct multicall_entry long_list[LONG_LIST];
static uint8_t pages[3][MM_PAGE_SIZE] __attribute__((aligned(4096)));
static uint8_t mc_user_stack[4096] __attribute__((aligned(16)));
uint32_t mc_saved_esp;
uint32_t mc_user_stack_top;

uint32_t mc_iret_call(struct multicall_entry *list, uint32_t nr);
void mc_user_entry(void);
void mc_recover(void);

/*
 * Build an iret frame to ring 3 at mc_user_entry with %eax MC_IRET_EAX and
 * run the multicall; ring 3 raises MC_RECOVER_VEC, whose handler puts the
 * kernel stack back and returns the %eax ring 3 had.
 */
asm(".text\n"
    "mc_iret_call:\n"
    "	pushl	%ebp\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	pushl	%edi\n"
    "	movl	20(%esp), %ebx\n"
    "	movl	24(%esp), %ecx\n"
    "	movl	%esp, mc_saved_esp\n"
    "	pushl	$0xe033\n"
    "	pushl	mc_user_stack_top\n"
    "	pushl	$0x202\n"
    "	pushl	$0xe02b\n"
    "	pushl	$mc_user_entry\n"
    "	pushl	$0xdead\n"
    "	movl	$13, %eax\n"
    "	int	$0x82\n"
    "	movl	$0xbad, %eax\n"		/* the multicall returned to ring 1 */
    "mc_back:\n"
    "	popl	%edi\n"
    "	popl	%esi\n"
    "	popl	%ebx\n"
    "	popl	%ebp\n"
    "	ret\n"
    "mc_user_entry:\n"
    "	int	$0x21\n"
    "mc_recover:\n"
    "	movl	$0xe021, %edx\n"
    "	movl	%edx, %ds\n"
    "	movl	%edx, %es\n"
    "	movl	mc_saved_esp, %esp\n"
    "	jmp	mc_back\n");

static void set_entry(struct multicall_entry *e, uint32_t op, uint32_t a0,
		      uint32_t a1, uint32_t a2)
{
	memset(e, 0, sizeof(*e));
	e->op = op;
	e->result = 0x5a5a5a5a;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
}

static void check_results(void)
{
	struct multicall_entry mc[6];
	long version = HYPERVISOR_xen_version(XENVER_version, NULL);

	set_entry(&mc[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	set_entry(&mc[1], 60, 1, 2, 3);
	set_entry(&mc[2], __HYPERVISOR_multicall, (uint32_t)&mc[0], 1, 0);
	set_entry(&mc[3], __HYPERVISOR_update_va_mapping, 0xF5800000u,
		  (uint32_t)MM_PTE_RW, 0);
	set_entry(&mc[4], 4096, 0, 0, 0);
	set_entry(&mc[5], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	KCHECK_EQ(HYPERVISOR_multicall(mc, 6), 0);
	KCHECK_EQ((long)mc[0].result, version);
	KCHECK_EQ((long)mc[1].result, -XEN_ENOSYS);
	KCHECK_EQ((long)mc[2].result, -XEN_EINVAL);
	KCHECK_EQ((long)mc[3].result, -XEN_EINVAL);
	KCHECK_EQ((long)mc[4].result, -XEN_ENOSYS);
	KCHECK_EQ((long)mc[5].result, version);
	KCHECK_EQ(HYPERVISOR_multicall(mc, 0), 0);
	printf("multicall: 6 entries, results %ld %ld %ld %ld %ld %ld\n",
	       (long)mc[0].result, (long)mc[1].result, (long)mc[2].result,
	       (long)mc[3].result, (long)mc[4].result, (long)mc[5].result);
}

/* Entry 0 remaps pages[0] onto pages[1]'s frame; entry 1 writes through it. */
static void check_mapping_order(void)
{
	uint32_t va = (uint32_t)pages[0];
	uint32_t mfn0 = virt_to_mfn(va), mfn1 = virt_to_mfn((uint32_t)pages[1]);
	uint64_t pte1 = mm_make_entry(mfn1, MM_PTE_RW);
	uint64_t pte0 = mm_make_entry(mfn0, MM_PTE_RW);
	struct multicall_entry mc[2];
	volatile uint8_t *old = pages[0];

	KCHECK(mfn0 != MM_INVALID_MFN && mfn1 != MM_INVALID_MFN);
	memset(pages[0], 'A', 64);
	memset(pages[1], 'B', 64);
	(void)old[0];			/* the old translation is in the TLB */
	set_entry(&mc[0], __HYPERVISOR_update_va_mapping, va, (uint32_t)pte1,
		  (uint32_t)(pte1 >> 32));
	mc[0].args[3] = UVMF_INVLPG;
	set_entry(&mc[1], __HYPERVISOR_xen_version, XENVER_extraversion, va, 0);
	KCHECK_EQ(HYPERVISOR_multicall(mc, 2), 0);
	KCHECK_EQ(mc[0].result, 0);
	KCHECK_EQ(mc[1].result, 0);
	KCHECK_EQ(memcmp(pages[1], "-xylem", 7), 0);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(va, pte0, UVMF_INVLPG), 0);
	KCHECK_EQ(pages[0][0], 'A');
	printf("multicall: write through the new mapping: %s\n",
	       memcmp(pages[1], "-xylem", 7) ? "missing" : "seen");
}

static void check_faults(void)
{
	uint32_t va2 = (uint32_t)pages[2];
	struct multicall_entry *e = (struct multicall_entry *)(va2 - sizeof(*e));

	KCHECK_EQ(HYPERVISOR_multicall((void *)0xF6000000u, 1), -XEN_EFAULT);
	set_entry(e, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	KCHECK_EQ(HYPERVISOR_update_va_mapping(va2, 0, UVMF_INVLPG), 0);
	KCHECK_EQ(HYPERVISOR_multicall(e, 2), -XEN_EFAULT);
	KCHECK_EQ((long)e->result, HYPERVISOR_xen_version(XENVER_version, NULL));
}

static void check_long_list(void)
{
	long version = HYPERVISOR_xen_version(XENVER_version, NULL);
	unsigned int i, good = 0;

	for (i = 0; i < LONG_LIST; i++)
		set_entry(&long_list[i], __HYPERVISOR_xen_version,
			  XENVER_version, 0, 0);
	KCHECK_EQ(HYPERVISOR_multicall(long_list, LONG_LIST), 0);
	for (i = 0; i < LONG_LIST; i++)
		good += (long)long_list[i].result == version;
	KCHECK_EQ(good, LONG_LIST);
	printf("multicall: %u of %u entries of a long list ran\n", good,
	       LONG_LIST);
}

static const struct trap_info recover_table[] = {
	{ MC_RECOVER_VEC, 3, FLAT_KERNEL_CS, (uint32_t)mc_recover },
	{ 0, 0, 0, 0 },
};

static void check_iret_ends_list(void)
{
	struct multicall_entry mc[2];
	uint32_t eax;

	set_entry(&mc[0], __HYPERVISOR_iret, 0, 0, 0);
	set_entry(&mc[1], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	mc[1].result = 0;
	mc_user_stack_top = (uint32_t)mc_user_stack + sizeof(mc_user_stack);
	KCHECK_EQ(HYPERVISOR_set_trap_table(recover_table), 0);
	eax = mc_iret_call(mc, 2);
	KCHECK_EQ(eax, MC_IRET_EAX);
	KCHECK_EQ(mc[1].result, 0);
	printf("multicall: iret ends the list: ring 3 %%eax 0x%x, next entry %s\n",
	       eax, mc[1].result ? "ran" : "not run");
}

void kernel_main(struct start_info *si)
{
	(void)si;
	KCHECK_EQ(mm_init(), 0);
	KCHECK_EQ(user_init(), 0);
	check_results();
	check_mapping_order();
	check_long_list();
	check_iret_ends_list();
	check_faults();
	ktest_finish();
}
