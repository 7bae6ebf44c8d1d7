/*
 * user.c - running a function in ring 3 from a Xylem PV kernel.  See
 * user.h.
 *
 * The way in is the iret hypercall with a ring-3 frame; the way back is a
 * software interrupt that the hypervisor reflects to our handler (its gate
 * in the real IDT has DPL 0, so ring 3's "int" arrives there as #GP and is
 * bounced because our trap table lets ring 3 use the vector).  The
 * handler throws away the ring-1 frame the bounce built and resumes
 * user_run() on the kernel stack saved before leaving ring 1.
 */
#include "user.h"
#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "lib.h"
#include <public/errno.h>

#define STR_(x)			#x
#define STR(x)			STR_(x)

/* guest.lds links every kernel image from here up to _end. */
#define GUEST_IMAGE_BASE	0x100000u
#define RING1_STACK_SIZE	8192u

extern char _end[];

static uint8_t user_stack[USER_STACK_SIZE]
	__attribute__((aligned(16), used));
static uint8_t ring1_stack[RING1_STACK_SIZE] __attribute__((aligned(16)));
/* The kernel %esp inside user_enter_ring3(); 0 when not in ring 3. */
static uint32_t user_kernel_esp __attribute__((used));
static bool initialised;

uint32_t user_enter_ring3(user_fn fn, uint32_t arg);
void user_return_entry(void);

asm(".pushsection .text\n"
    ".globl user_enter_ring3\n"
    "user_enter_ring3:\n"
    "	pushl	%ebp\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	pushl	%edi\n"
    "	movl	20(%esp), %esi\n"	/* fn */
    "	movl	24(%esp), %edi\n"	/* arg */
    "	movl	%esp, user_kernel_esp\n"
    "	pushl	$" STR(FLAT_RING3_SS) "\n"
    "	pushl	$user_stack + " STR(USER_STACK_SIZE) "\n"
    "	pushl	$0x202\n"		/* IF: events on in ring 3 */
    "	pushl	$" STR(FLAT_RING3_CS) "\n"
    "	pushl	$user_trampoline\n"
    USER_IRET_HYPERCALL_ASM
    /* Ring 3: the CPU nulled the kernel's data selectors on the way. */
    "user_trampoline:\n"
    "	movl	$" STR(FLAT_RING3_DS) ", %eax\n"
    "	movl	%eax, %ds\n"
    "	movl	%eax, %es\n"
    "	movl	%eax, %fs\n"
    "	movl	%eax, %gs\n"
    "	pushl	%edi\n"
    "	call	*%esi\n"
    "	int	$" STR(USER_RETURN_VECTOR) "\n"
    "	ud2\n"
    /* Ring 1, on ring1_stack: a bounce frame we do not need. */
    ".globl user_return_entry\n"
    "user_return_entry:\n"
    "	cmpl	$0, %ss:user_kernel_esp\n"
    "	jne	1f\n"
    "	iret\n"				/* no user_run() in progress */
    "1:	movl	$" STR(FLAT_KERNEL_DS) ", %ecx\n"
    "	movl	%ecx, %ds\n"
    "	movl	%ecx, %es\n"
    "	movl	%ecx, %fs\n"
    "	movl	%ecx, %gs\n"
    "	movl	user_kernel_esp, %esp\n"
    "	movl	$0, user_kernel_esp\n"
    "	popl	%edi\n"
    "	popl	%esi\n"
    "	popl	%ebx\n"
    "	popl	%ebp\n"
    "	ret\n"
    ".popsection\n");

/* Entry index of table mfn, read through mm's window. */
static int read_entry(uint32_t mfn, unsigned int index, uint64_t *e)
{
	int rc = mm_read_entry(mfn, index, e);

	if (!rc && !(*e & _PAGE_PRESENT))
		rc = -XEN_EINVAL;
	return rc;
}

/* Make the L2 entry covering va user-accessible; its L1's mfn. */
static int user_l2_entry(uint32_t va, uint32_t *l1_mfn)
{
	uint64_t l3e, l2e;
	struct mmu_update req;
	int rc;

	rc = read_entry(mm_current_l3(), va >> 30, &l3e);
	if (!rc)
		rc = read_entry(mm_entry_mfn(l3e), (va >> 21) & 511, &l2e);
	if (rc)
		return rc;
	*l1_mfn = mm_entry_mfn(l2e);
	if (l2e & _PAGE_USER)
		return 0;
	req.ptr = ((uint64_t)mm_entry_mfn(l3e) << 12) + ((va >> 21) & 511) * 8 +
		  MMU_NORMAL_PT_UPDATE;
	req.val = l2e | _PAGE_USER;
	return (int)HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

int user_map_range(uint32_t va, uint32_t len)
{
	uint64_t end = (uint64_t)va + len, l1e;
	uint32_t l1_mfn;
	int rc;

	if (!len || end > HYPERVISOR_VIRT_START)
		return -XEN_EINVAL;
	for (va &= ~(MM_PAGE_SIZE - 1); va < end; va += MM_PAGE_SIZE) {
		rc = user_l2_entry(va, &l1_mfn);
		if (!rc)
			rc = read_entry(l1_mfn, (va >> 12) & 511, &l1e);
		if (rc)
			return rc;
		if (l1e & _PAGE_USER)
			continue;
		rc = (int)HYPERVISOR_update_va_mapping(va, l1e | _PAGE_USER,
						       UVMF_INVLPG);
		if (rc)
			return rc;
	}
	return 0;
}

int user_init(void)
{
	static const struct trap_info ret_entry[] = {
		{ USER_RETURN_VECTOR, 3, FLAT_KERNEL_CS, (uint32_t)user_return_entry },
		{ 0, 0, 0, 0 },
	};
	int rc;

	if (initialised)
		return 0;
	rc = mm_init();
	if (rc)
		return rc;
	if (!shared_info_page && !mm_map_shared_info())
		return -XEN_EFAULT;
	rc = user_map_range(GUEST_IMAGE_BASE, (uint32_t)_end - GUEST_IMAGE_BASE);
	if (!rc)
		rc = (int)HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
				(uint32_t)ring1_stack + RING1_STACK_SIZE);
	if (!rc)
		rc = (int)HYPERVISOR_set_trap_table(ret_entry);
	if (rc) {
		printf("user: cannot prepare ring 3: %d\n", rc);
		return rc;
	}
	initialised = true;
	return 0;
}

uint32_t user_run(user_fn fn, uint32_t arg)
{
	volatile uint8_t *mask;
	uint8_t saved;
	uint32_t ret;

	if (!initialised) {
		printf("user: user_run() before user_init()\n");
		return ~0u;
	}
	mask = &this_vcpu_info()->evtchn_upcall_mask;
	saved = *mask;
	ret = user_enter_ring3(fn, arg);
	*mask = saved;
	return ret;
}

bool user_stack_contains(uint32_t esp)
{
	uint32_t base = (uint32_t)user_stack;

	return esp > base && esp <= base + USER_STACK_SIZE;
}
