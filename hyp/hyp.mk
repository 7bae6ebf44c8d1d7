# hyp/: the hypervisor, build/hyp/xylem.elf (a multiboot ELF).
HYP_ASM := hyp/arch/x86_32/boot.S hyp/arch/x86_32/entry.S
HYP_C   := hyp/arch/x86_32/desc.c hyp/arch/x86_32/paging.c \
	   hyp/setup.c hyp/console.c hyp/lib.c hyp/mm.c hyp/domain.c \
	   hyp/shutdown.c hyp/hypercall.c hyp/traps.c hyp/cpuid.c \
	   hyp/guest_access.c hyp/version.c hyp/sched.c hyp/elf.c \
	   hyp/bootlayout.c hyp/dom0_build.c hyp/pagetable.c hyp/mmu.c \
	   hyp/memory.c hyp/callback.c hyp/fpu.c hyp/xstate.c hyp/xcr0.c hyp/ptwr.c \
	   hyp/x86_emul.c \
	   hyp/x86_decode.c \
	   hyp/segdesc.c hyp/gdt.c hyp/privop.c hyp/event.c hyp/time.c \
	   hyp/timescale.c hyp/irq.c hyp/arch/x86_32/platform.c \
	   hyp/arch/x86_32/lapic.c \
	   hyp/grant_table.c hyp/bvt.c hyp/domctl.c hyp/multicall.c \
	   hyp/debugreg.c hyp/bzimage.c hyp/inflate.c hyp/unxz.c hyp/lzma2.c \
	   hyp/seg_fixup.c hyp/seg_assist.c hyp/vcpu_info.c hyp/vcpu.c \
	   hyp/physdev.c hyp/ioranges.c hyp/console_rx.c hyp/platform_op.c \
	   hyp/nmi.c hyp/arch/x86_32/isolate.c
HYP_OBJS := $(patsubst %,$(BUILD)/%.o,$(HYP_ASM) $(HYP_C))
HYP_CFLAGS := $(KCFLAGS) -Ihyp -Ihyp/arch/x86_32 -mno-sse -mno-mmx -mno-80387 \
	      -fno-tree-loop-distribute-patterns
HYP_HDRS := $(wildcard hyp/*.h hyp/arch/x86_32/*.h include/public/*.h)
LIBGCC32 := $(shell $(KCC) -m32 -print-libgcc-file-name)

$(BUILD)/hyp/%.c.o: hyp/%.c $(HYP_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(HYP_CFLAGS) -c $< -o $@

$(BUILD)/hyp/%.S.o: hyp/%.S $(HYP_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(HYP_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/hyp/xylem.elf: $(HYP_OBJS) hyp/arch/x86_32/xylem.lds
	$(LD) $(KLDFLAGS) -T hyp/arch/x86_32/xylem.lds -o $@ $(HYP_OBJS) $(LIBGCC32)

all: $(BUILD)/hyp/xylem.elf

# Host unit tests of the hypervisor's freestanding parts.
HOST_TESTS += test_elf test_bootlayout
test_elf_SRCS := tests/host/test_elf.c tests/host/elf_image.c hyp/elf.c
test_bootlayout_SRCS := tests/host/test_bootlayout.c hyp/bootlayout.c
FUZZ_TARGETS += fuzz_elf
fuzz_elf_SRCS := tests/fuzz/fuzz_elf.c hyp/elf.c
HOST_TESTS += test_timescale
test_timescale_SRCS := tests/host/test_timescale.c hyp/timescale.c
HOST_TESTS += test_bvt
test_bvt_SRCS := tests/host/test_bvt.c hyp/bvt.c
HOST_TESTS += test_x86_emul
test_x86_emul_SRCS := tests/host/test_x86_emul.c hyp/x86_emul.c hyp/x86_decode.c
FUZZ_TARGETS += fuzz_x86_emul
fuzz_x86_emul_SRCS := tests/fuzz/fuzz_x86_emul.c hyp/x86_emul.c hyp/x86_decode.c
HOST_TESTS += test_segdesc
test_segdesc_SRCS := tests/host/test_segdesc.c hyp/segdesc.c
HOST_TESTS += test_xcr0
test_xcr0_SRCS := tests/host/test_xcr0.c hyp/xcr0.c
HOST_TESTS += test_pagetable
test_pagetable_SRCS := tests/host/test_pagetable.c \
		       tests/host/test_pagetable_ops.c tests/host/fake_machine.c \
		       hyp/pagetable.c hyp/segdesc.c
FUZZ_TARGETS += fuzz_pagetable
fuzz_pagetable_SRCS := tests/fuzz/fuzz_pagetable.c tests/host/fake_machine.c \
		       hyp/pagetable.c hyp/segdesc.c

# I/O ports, IRQ permissions, physical IRQs (issue 4).
HOST_TESTS += test_physdev
test_physdev_SRCS := tests/host/test_physdev.c hyp/ioranges.c
FUZZ_TARGETS += fuzz_ioranges
fuzz_ioranges_SRCS := tests/fuzz/fuzz_ioranges.c hyp/ioranges.c
HOST_TESTS += test_elf_bsdsyms
test_elf_bsdsyms_SRCS := tests/host/test_elf_bsdsyms.c hyp/elf.c
# Serial console input: the receive ring (console.c drives the UART).
HOST_TESTS += test_console_rx
test_console_rx_SRCS := tests/host/test_console_rx.c hyp/console_rx.c
HOST_TESTS += test_inflate
test_inflate_SRCS := tests/host/test_inflate.c hyp/inflate.c
FUZZ_TARGETS += fuzz_inflate
fuzz_inflate_SRCS := tests/fuzz/fuzz_inflate.c hyp/inflate.c
HOST_TESTS += test_unxz
test_unxz_SRCS := tests/host/test_unxz.c hyp/unxz.c hyp/lzma2.c
FUZZ_TARGETS += fuzz_unxz
fuzz_unxz_SRCS := tests/fuzz/fuzz_unxz.c hyp/unxz.c hyp/lzma2.c
HOST_TESTS += test_bzimage
test_bzimage_SRCS := tests/host/test_bzimage.c hyp/bzimage.c hyp/inflate.c \
		     hyp/unxz.c hyp/lzma2.c
FUZZ_TARGETS += fuzz_bzimage
fuzz_bzimage_SRCS := tests/fuzz/fuzz_bzimage.c hyp/bzimage.c hyp/inflate.c \
		     hyp/unxz.c hyp/lzma2.c
HOST_TESTS += test_seg_fixup
test_seg_fixup_SRCS := tests/host/test_seg_fixup.c hyp/seg_fixup.c hyp/segdesc.c \
		       hyp/x86_decode.c
FUZZ_TARGETS += fuzz_seg_fixup
fuzz_seg_fixup_SRCS := tests/fuzz/fuzz_seg_fixup.c hyp/seg_fixup.c hyp/segdesc.c \
		       hyp/x86_decode.c
